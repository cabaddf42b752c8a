"""Two instances on one project: writes serialise, nothing corrupts, windows see each other.

Chosen behaviour (docs/reliability.md): a second window or the command line may open the same
project; writes serialise through SQLite (``BEGIN IMMEDIATE`` + busy timeout, WAL readers never
block) and an open window shows the other's changes at its next refresh (a poll of
``PRAGMA data_version`` every second and when the application becomes active).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from framelens import store
from framelens.store import backup

ROOT = Path(__file__).resolve().parents[1]

WRITER = textwrap.dedent("""
    import sys, time
    from framelens import store
    path, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    p = store.open_project(path)
    coder = store.ensure_coder(p, name)
    code = store.list_codes(p)[0].id
    ids = [a.id for a in store.list_articles(p)]
    print("READY", flush=True)
    sys.stdin.readline()                       # start together
    for i in range(n):
        aid = ids[i % len(ids)]
        text = store.get_text(p, aid)
        start = (i * 7) % (len(text) - 20)
        store.add_annotation(p, article_id=aid, start=start, end=start + 5 + i % 13,
                             code_id=code, coder_id=coder.id, memo=f"{name} {i}")
    p.close()
    print("DONE", flush=True)
""")


def _writers(path: Path, names: list[str], n: int) -> list[subprocess.Popen]:
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(n)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for name in names]
    for proc in procs:
        assert proc.stdout.readline().strip() == "READY", proc.stderr.read()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    return procs


def concurrent_writers(path: Path, n: int, names=("w1", "w2")) -> dict[str, int]:
    """Run writer processes at once; returns annotations per coder (raises on any error)."""
    procs = _writers(path, list(names), n)
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and "DONE" in out, err
        assert "locked" not in err and "Traceback" not in err, err
    p = store.open_project(path)
    try:
        assert store.integrity_check(p) == []
        counts = {c.name: len(store.list_annotations(p, coder_ids=[c.id])) for c in store.list_coders(p)}
    finally:
        p.close()
    assert backup.check_file(path).ok
    return counts


def test_two_processes_each_adding_200_annotations(gui_demo_path):
    counts = concurrent_writers(gui_demo_path, 200)
    assert counts["w1"] == 200 and counts["w2"] == 200


def test_a_writer_waits_for_a_long_transaction_instead_of_failing(gui_demo_path):
    holder = sqlite3.connect(gui_demo_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE settings SET value = value")
    release = threading.Timer(1.5, lambda: holder.execute("COMMIT"))
    release.start()
    p = store.open_project(gui_demo_path)
    started = time.monotonic()
    coder = store.ensure_coder(p, "patient")          # needs the write lock
    assert time.monotonic() - started >= 1.0 and coder.id
    release.join()
    holder.close()
    # a lock held beyond the busy timeout gives a clear message, not "database is locked"
    holder = sqlite3.connect(gui_demo_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    p.conn.execute("PRAGMA busy_timeout = 200")
    with pytest.raises(store.ProjectError, match="another FrameLens process may be writing"):
        store.ensure_coder(p, "impatient")
    holder.execute("ROLLBACK")
    holder.close()
    p.close()


@pytest.mark.gui
def test_window_shows_what_the_command_line_wrote(gui_demo_path, gui_settings, qtbot):
    from framelens.desktop.shell import app as desktop_app

    window = desktop_app.open_window(gui_demo_path, coder="alice", settings=gui_settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    column = window.open_article(1)
    qtbot.waitUntil(lambda: window.table.article_ids == [1], timeout=5000)
    text = store.get_text(window.session.project, 1)
    code = store.list_codes(window.session.project)[0]
    book = store.get_codebook(window.session.project, code.codebook_id).key
    done = subprocess.run(
        [sys.executable, "-m", "framelens.annotate.cli", "annotate", str(gui_demo_path), "--article", "1",
         "--start", "0", "--end", "12", "--code", code.name, "--codebook", book,
         "--coder", "bob", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    ann_id = json.loads(done.stdout)["id"]
    assert ann_id not in column.reader.annotations
    window.session.set_view("all")
    qtbot.waitUntil(lambda: ann_id in column.reader.annotations, timeout=5000)   # next poll
    assert column.reader.annotations[ann_id].quote == text[:12]
    qtbot.waitUntil(lambda: any(a.id == ann_id for a in window.table.model.rows), timeout=5000)
    assert any(s.ann_id == ann_id for s in column.reader.visible_spans())
    assert "bob" in [window.coder_combo.itemText(i) for i in range(window.coder_combo.count())]
    window.close()
    window.runner.shutdown()
    window.session.project.close()


@pytest.mark.gui
def test_window_and_command_line_writing_at_once(gui_demo_path, gui_settings, qtbot):
    """The GUI codes 100 spans through its Session while a CLI process adds 100: all 200 land,
    and the window ends up showing the other process's annotations too."""
    from framelens.desktop.shell import app as desktop_app

    window = desktop_app.open_window(gui_demo_path, coder="alice", settings=gui_settings)
    qtbot.addWidget(window)
    window.session.set_view("all")
    column = window.open_article(2)
    procs = _writers(gui_demo_path, ["cli"], 100)
    code = store.list_codes(window.session.project)[0].id
    made = []
    for i in range(100):
        made.append(window.session.add_annotation(2, i, i + 3, code))
        qtbot.wait(1)
    out, err = procs[0].communicate(timeout=300)
    assert procs[0].returncode == 0 and "locked" not in err, err
    assert None not in made
    p = window.session.project
    cli_coder = store.find_coder(p, "cli")
    theirs = store.list_annotations(p, coder_ids=[cli_coder.id], article_ids=[2])
    qtbot.waitUntil(lambda: all(a.id in column.reader.annotations for a in theirs), timeout=5000)
    assert len(store.list_annotations(p, coder_ids=[cli_coder.id])) == 100
    assert store.integrity_check(p) == []
    window.close()
    window.runner.shutdown()
    p.close()


@pytest.mark.gui
def test_restore_under_an_open_window_reloads_it_and_clears_undo(gui_demo_path, gui_settings, qtbot):
    from framelens.desktop.shell import app as desktop_app

    window = desktop_app.open_window(gui_demo_path, coder="alice", settings=gui_settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.auto_backup.last_path is not None, timeout=20000)
    saved = window.auto_backup.last_path
    column = window.open_article(1)
    code = store.list_codes(window.session.project)[0].id
    ann = window.session.add_annotation(1, 0, 4, code)
    assert ann in column.reader.annotations and window.session.undo_stack
    backup.restore_backup(saved, gui_demo_path)          # as 'framelens restore' would
    qtbot.waitUntil(lambda: ann not in column.reader.annotations, timeout=5000)
    assert window.session.undo_stack == [] and not window.undo_act.isEnabled()
    window.close()
    window.runner.shutdown()
    window.session.project.close()


def test_watch_reports_rows_changed_by_another_connection(tmp_path):
    from framelens.store import watch

    a = store.create_project(tmp_path / "w.framelens")
    b = store.open_project(tmp_path / "w.framelens")
    version, last = watch.data_version(a), watch.last_action_id(a)
    coder = store.ensure_coder(b, "bob")
    assert watch.data_version(a) != version
    changes, newest = watch.changes_since(a, last)
    assert changes.rows == {"coders": {coder.id}} and newest > last
    assert watch.changes_since(a, newest)[0].rows == {}
    a.close()
    b.close()


if os.environ.get("FRAMELENS_STRESS_WRITERS"):
    def test_long_concurrent_writers(gui_demo_path):
        n = int(os.environ["FRAMELENS_STRESS_WRITERS"])
        counts = concurrent_writers(gui_demo_path, n, names=("w1", "w2", "w3"))
        assert all(counts[w] == n for w in ("w1", "w2", "w3"))
