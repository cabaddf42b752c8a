"""Undo and redo live with the project (``store.history``): shared by windows and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from framelens import store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path):
    p = store.create_project(tmp_path / "h.framelens")
    cb = store.ensure_codebook(p, "frames")
    store.add_code(p, cb, "Security")
    store.add_article(p, text="The ministers met in Tokyo and talked about security. " * 4,
                      title="Talks")
    yield p
    p.close()


def _annotate(p, coder: str, start: int) -> int:
    c = store.ensure_coder(p, coder)
    code = store.find_code(p, "Security").id
    return store.add_annotation(p, article_id=1, start=start, end=start + 5, code_id=code,
                                coder_id=c.id)[0]


def _ids(p) -> list[int]:
    return sorted(a.id for a in store.list_annotations(p))


def test_undo_redo_walk_the_coders_own_history(project):
    p = project
    a1, a2 = _annotate(p, "alice", 0), _annotate(p, "alice", 10)
    b1 = _annotate(p, "bob", 20)
    alice = store.find_coder(p, "alice").id
    nxt = store.next_undo(p, coder_id=alice)
    assert nxt.kind == "annotate" and nxt.coder_id == alice
    step, changes = store.undo_last(p, coder_id=alice)
    assert step.kind == "annotate" and _ids(p) == [a1, b1]
    assert changes.rows == {"annotations": {a2}}
    store.undo_last(p, coder_id=alice)
    assert _ids(p) == [b1]
    # redo brings back the most recently undone first, with the same ids
    store.redo_last(p, coder_id=alice)
    assert _ids(p) == [a1, b1]
    store.redo_last(p, coder_id=alice)
    assert _ids(p) == [a1, a2, b1]
    assert store.next_redo(p, coder_id=alice) is None
    # undo after redo takes the redo back
    store.undo_last(p, coder_id=alice)
    assert _ids(p) == [a1, b1]
    # a new action ends what can be redone
    a3 = _annotate(p, "alice", 40)
    assert store.next_redo(p, coder_id=alice) is None
    with pytest.raises(store.ProjectError, match="nothing to redo"):
        store.redo_last(p, coder_id=alice)
    # bob's history is his own; without a coder, the newest of anyone's
    bob = store.find_coder(p, "bob").id
    store.undo_last(p, coder_id=bob)
    assert _ids(p) == [a1, a3]
    store.undo_last(p)
    assert _ids(p) == [a1]


def test_imports_are_not_undone_and_conflicts_change_nothing(project):
    p = project
    alice = store.ensure_coder(p, "alice").id
    with pytest.raises(store.ProjectError, match="nothing to undo for this coder"):
        store.undo_last(p, coder_id=alice)
    kinds = [store.undo_last(p)[0].kind for _ in range(3)]   # anyone's: coder, code, codebook
    assert kinds == ["coder", "code-add", "codebook-load"] and store.next_undo(p) is None  # not the import
    p2 = store.open_project(p.path)
    store.redo_last(p2), store.redo_last(p2), store.redo_last(p2)
    p2.close()
    a1 = _annotate(p, "alice", 0)
    store.update_annotation(p, a1, memo="edited by bob", coder_id=store.ensure_coder(p, "bob").id)
    # alice's add was changed since by bob: undoing it is refused, nothing changes
    with pytest.raises(store.ConflictError):
        store.undo_last(p, coder_id=alice)
    assert store.get_annotation(p, a1).memo == "edited by bob"


def test_acting_coder_is_recorded_on_actions_without_their_own(project):
    p = project
    alice = store.ensure_coder(p, "alice")
    p.acting_coder_id = alice.id
    store.add_code(p, store.ensure_codebook(p, "frames"), "Economic")
    step = store.next_undo(p, coder_id=alice.id)
    assert step.kind == "code-add" and step.coder_id == alice.id
    store.undo_last(p, coder_id=alice.id)
    assert [c.name for c in store.list_codes(p)] == ["Security"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "framelens.annotate.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_framelens_undo_after_framelens_annotate_removes_the_annotation(project):
    path = str(project.path)
    project.close()
    done = _cli("annotate", path, "--article", "1", "--start", "4", "--end", "13", "--code",
                "Security", "--coder", "bob", "--json")
    assert done.returncode == 0, done.stderr
    ann = json.loads(done.stdout)["id"]
    undone = _cli("undo", path, "--json")
    assert undone.returncode == 0, undone.stderr
    out = json.loads(undone.stdout)
    assert out["verb"] == "undone" and out["changed"] == {"annotations": [ann]}
    p = store.open_project(path)
    assert store.list_annotations(p) == []
    p.close()
    redone = _cli("redo", path, "--coder", "bob")
    assert redone.returncode == 0 and redone.stdout.startswith("redone: ")
    p = store.open_project(path)
    assert [a.id for a in store.list_annotations(p)] == [ann]
    p.close()
    nothing = _cli("redo", path, "--coder", "bob")
    assert nothing.returncode == 2 and "nothing to redo for this coder" in nothing.stderr
    assert "Traceback" not in nothing.stderr
    unknown = _cli("undo", path, "--coder", "nobody")
    assert unknown.returncode == 2 and "no coder called 'nobody'" in unknown.stderr


@pytest.mark.gui
def test_the_open_window_shows_a_command_line_undo(gui_demo_path, gui_window_factory, qtbot):
    from framelens.desktop.shell.external_changes import watch_external_changes

    window = gui_window_factory(gui_demo_path, coder="alice")
    watch_external_changes(window)                 # as desktop.app.open_window does
    window.session.set_view("all")
    column = window.open_article(1)
    code = store.list_codes(window.session.project)[0]
    book = store.get_codebook(window.session.project, code.codebook_id).key
    done = _cli("annotate", str(gui_demo_path), "--article", "1", "--start", "0", "--end", "9",
                "--code", code.name, "--codebook", book, "--coder", "alice", "--json")
    ann = json.loads(done.stdout)["id"]
    qtbot.waitUntil(lambda: ann in column.reader.annotations, timeout=5000)
    # the window's Undo is the same history: it would take back alice's command-line coding
    qtbot.waitUntil(lambda: window.session.undo_stack != [], timeout=5000)
    assert window.session.undo_stack[-1].action_id == store.next_undo(
        window.session.project, coder_id=window.session.coder.id).action_id
    assert _cli("undo", str(gui_demo_path), "--coder", "alice").returncode == 0
    qtbot.waitUntil(lambda: ann not in column.reader.annotations, timeout=5000)
    qtbot.waitUntil(lambda: window.redo_act.isEnabled(), timeout=5000)
    window.session.redo()                       # redo in the window what the CLI undid
    assert ann in column.reader.annotations


@pytest.mark.gui
def test_creating_a_coder_in_the_window_is_announced_and_undoable(gui_demo_path, gui_window_factory,
                                                                  qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    seen = []
    window.session.changed.connect(seen.append)
    window.set_coder("dora")
    assert window.session.coder.name == "dora"
    assert any(c.touched("coders") for c in seen)
    assert "dora" in [window.coder_combo.itemText(i) for i in range(window.coder_combo.count())]
    window.set_coder("alice")
    p = window.session.project
    assert window.session.undo_text() == "New coder dora"      # alice created her
    assert window.session.undo()
    assert store.find_coder(p, "dora") is None
