"""The window's one operations layer (desktop/shell/session.py): only the session announces
changes, every announcement says who started it, and background operations, undo, coders and
other programs' commits all reach the views through it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from framelens import store

ROOT = Path(__file__).resolve().parents[1]


def _own_changed_signal(cls: ast.ClassDef) -> bool:
    """True when the class declares a signal of its own called ``changed``."""
    for node in cls.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "changed" for t in node.targets):
            return True
    return False


def announcements_outside_session(root: Path) -> list[str]:
    """``<x>.changed.emit(`` calls that announce on the session's signal anywhere but
    session.py: every receiver except ``self`` inside a class that declares its own
    ``changed`` signal (a settings box's own "changed" is not the session's)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "session.py" and path.parent.name == "shell":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        own_classes = [c for c in ast.walk(tree) if isinstance(c, ast.ClassDef)
                       and _own_changed_signal(c)]
        allowed = {id(n) for c in own_classes for n in ast.walk(c)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "emit"):
                continue
            target = node.func.value
            if not (isinstance(target, ast.Attribute) and target.attr == "changed"):
                continue
            if (isinstance(target.value, ast.Name) and target.value.id == "self"
                    and id(node) in allowed):
                continue
            found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def test_only_the_session_announces_changes():
    assert announcements_outside_session(ROOT / "desktop") == []


def test_the_static_check_finds_an_announcement_outside_the_session(tmp_path):
    pkg = tmp_path / "desktop"
    pkg.mkdir()
    (pkg / "panel.py").write_text(
        "class Box:\n    changed = object()\n    def f(self):\n        self.changed.emit()\n"
        "class Panel:\n    def f(self, s):\n        s.changed.emit(1)\n"
        "        self.session.changed.emit(2)\n")
    assert announcements_outside_session(pkg) == ["desktop/panel.py:7", "desktop/panel.py:8"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "framelens.annotate.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.gui
def test_a_command_line_annotate_and_undo_are_announced_as_external(gui_demo_path,
                                                                    gui_window_factory, qtbot):
    from framelens.desktop.shell.external_changes import watch_external_changes

    window = gui_window_factory(gui_demo_path, coder="alice")
    watch = watch_external_changes(window, interval_ms=100)
    window.session.set_view("all")
    column = window.open_article(1)
    seen = []
    window.session.changed.connect(seen.append)
    code = store.list_codes(window.session.project)[0]
    book = store.get_codebook(window.session.project, code.codebook_id).key
    done = _cli("annotate", str(gui_demo_path), "--article", "1", "--start", "0", "--end", "9",
                "--code", code.name, "--codebook", book, "--coder", "bob", "--json")
    assert done.returncode == 0, done.stderr
    ann = json.loads(done.stdout)["id"]
    qtbot.waitUntil(lambda: ann in column.reader.annotations, timeout=5000)
    assert [(c.initiator, c.rows.get("annotations")) for c in seen] == [("external", {ann})]
    assert _cli("undo", str(gui_demo_path), "--coder", "bob").returncode == 0
    qtbot.waitUntil(lambda: ann not in column.reader.annotations, timeout=5000)
    assert [c.initiator for c in seen] == ["external", "external"]
    assert seen[1].rows["annotations"] == {ann}
    # the window's own coding: announced once, as the window's, and not again by the watch
    new_id = window.session.add_annotation(1, 20, 30, code.id)
    watch.check()
    assert [c.initiator for c in seen[2:]] == ["window"]
    assert seen[2].rows["annotations"] == {new_id}
    assert window.session.undo()
    assert seen[-1].initiator == "undo" and seen[-1].rows["annotations"] == {new_id}


@pytest.mark.gui
def test_a_background_operation_is_announced_once_with_its_initiator(gui_demo_path,
                                                                   gui_window_factory, qtbot):
    from framelens.desktop.shell.external_changes import watch_external_changes

    window = gui_window_factory(gui_demo_path, coder="alice")
    watch = watch_external_changes(window, interval_ms=10)
    session = window.session
    code = store.list_codes(session.project)[0]
    seen, results = [], []
    session.changed.connect(seen.append)

    def work(project, progress, cancelled, start):
        progress(0, 1, "coding")
        return store.add_annotation(project, article_id=2, start=start, end=start + 5,
                                    code_id=code.id, coder_id=session.coder.id)

    session.perform_in_background("Code in the background", work, 3, initiator="test",
                                  on_done=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    ann_id = results[0][0]
    assert [(c.initiator, c.rows) for c in seen] == [("test", {"annotations": {ann_id}})]
    assert session.undo_text() == "Code in the background"
    qtbot.wait(100)                    # several polls of the watch: nothing announced again
    watch.check()
    assert len(seen) == 1 and session.pending_background == 0


@pytest.mark.gui
def test_an_adjudication_that_creates_the_adjudicator_announces_the_coder(gui_demo_path,
                                                                       gui_window_factory):
    window = gui_window_factory(gui_demo_path, coder="alice")
    session = window.session
    code = store.list_codes(session.project)[0]
    ann_id = session.add_annotation(1, 0, 9, code.id)
    assert store.find_coder(session.project, store.ADJUDICATED) is None
    seen = []
    session.changed.connect(seen.append)
    session.perform("Adjudicate", store.adjudicate_span, ann_id, by_coder_id=session.coder.id)
    adj = store.find_coder(session.project, store.ADJUDICATED)
    assert len(seen) == 1 and seen[0].rows["coders"] == {adj.id}
    assert len(seen[0].rows["annotations"]) == 1
    assert adj.name in [window.coder_combo.itemText(i) for i in range(window.coder_combo.count())]


@pytest.mark.gui
def test_creating_a_coder_is_announced_by_the_window_and_undone_as_undo(gui_demo_path,
                                                                      gui_window_factory):
    window = gui_window_factory(gui_demo_path, coder="alice")
    seen = []
    window.session.changed.connect(seen.append)
    window.set_coder("erin")
    erin = store.find_coder(window.session.project, "erin")
    assert [(c.initiator, c.rows) for c in seen] == [("window", {"coders": {erin.id}})]
    window.set_coder("alice")
    assert window.session.undo()
    assert store.find_coder(window.session.project, "erin") is None
    assert (seen[-1].initiator, seen[-1].rows) == ("undo", {"coders": {erin.id}})
