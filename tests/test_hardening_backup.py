"""Rolling backups (SQLite online backup), restoring one, and the maintenance commands."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from framelens import store
from framelens.annotate.cli import main as cli
from framelens.store import backup, watch
from framelens.store.schema import LATEST_VERSION


def _project(path: Path, n: int = 3) -> store.Project:
    p = store.create_project(path)
    for i in range(n):
        store.add_article(p, text=f"Article {i} 𠮷 about the talks.", title=f"T{i}")
    return p


def _titles(path: Path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT title FROM articles ORDER BY id")]
    finally:
        con.close()


def test_backup_now_is_a_checked_single_file_beside_the_project(tmp_path):
    p = _project(tmp_path / "study.framelens")
    path = backup.backup_now(p)
    assert path.parent == tmp_path / "study.framelens.backups"
    assert path.name.startswith("study.") and path.name.endswith(".manual.framelens")
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"   # no -wal needed
    con.close()
    assert backup.check_file(path).ok
    assert _titles(path) == ["T0", "T1", "T2"]
    assert [b.path for b in backup.list_backups(p.path)] == [path]
    p.close()


def test_backup_while_another_process_holds_a_write_transaction(tmp_path):
    """The online backup copies the last committed state; an open writer neither blocks it nor
    leaks its uncommitted rows into it."""
    p = _project(tmp_path / "p.framelens")
    writer = sqlite3.connect(tmp_path / "p.framelens", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE articles SET title = 'uncommitted' WHERE id = 1")
    path = backup.backup_now(p)
    writer.execute("ROLLBACK")
    writer.close()
    assert _titles(path) == ["T0", "T1", "T2"]
    p.close()


def test_rolling_keeps_the_newest_k_and_never_prunes_before_restore(tmp_path):
    p = _project(tmp_path / "p.framelens")
    keepsake = backup.backup_now(p, keep=None, tag="before-restore")
    made = [backup.backup_now(p, keep=3, tag="auto") for _ in range(6)]
    listed = backup.list_backups(p.path)
    assert [b.path for b in listed if b.tag == "auto"] == made[::-1][:3]
    assert keepsake in [b.path for b in listed]
    assert [b.created for b in listed] == sorted((b.created for b in listed), reverse=True)
    p.close()


def test_half_written_backups_are_never_listed_and_stale_ones_are_cleared(tmp_path):
    p = _project(tmp_path / "p.framelens")
    folder = backup.backup_folder(p.path)
    folder.mkdir()
    stale = folder / ".p.20240101T000000000000Z.auto.framelens.999999999.part"
    stale.write_bytes(b"SQLite format 3\x00 half")
    (folder / "notes.txt").write_text("mine")
    assert backup.list_backups(p.path) == []
    backup.backup_now(p)
    assert not stale.exists(), "the part file of a dead process is removed"
    assert (folder / "notes.txt").exists()
    p.close()


def test_maybe_backup_only_after_changes_and_n_minutes(tmp_path):
    p = _project(tmp_path / "p.framelens")
    t0 = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    first = backup.maybe_backup(p, every_minutes=10, now=t0)
    assert first is not None, "no backup yet: back up at once"
    assert backup.maybe_backup(p, every_minutes=10, now=t0 + dt.timedelta(hours=5)) is None, \
        "nothing changed since"
    store.ensure_coder(p, "alice")
    assert backup.maybe_backup(p, every_minutes=10, now=t0 + dt.timedelta(minutes=9)) is None
    second = backup.maybe_backup(p, every_minutes=10, now=t0 + dt.timedelta(minutes=11))
    assert second is not None and second != first
    assert p.get_setting("backup.last_action_id") == str(watch.last_action_id(p))
    p.close()


def test_restore_writes_the_current_state_aside_then_copies_the_backup_in(tmp_path):
    p = _project(tmp_path / "p.framelens")
    old = backup.backup_now(p)
    store.update_article_metadata(p, 1, title="changed after the backup")
    other = store.open_project(p.path)                 # another window on the same file
    version = watch.data_version(other)
    marker = watch.restore_marker(other)
    p.close()
    report = backup.restore_backup(old, tmp_path / "p.framelens")
    assert _titles(tmp_path / "p.framelens") == ["T0", "T1", "T2"]
    assert report.set_aside is not None and not report.damaged
    assert _titles(report.set_aside)[0] == "changed after the backup"
    assert backup.check_file(tmp_path / "p.framelens").ok
    assert watch.data_version(other) != version and watch.restore_marker(other) != marker
    assert store.get_article(other, 1).title == "T0", "the open connection sees the restored file"
    other.close()


def test_restore_over_a_damaged_file_moves_it_aside_untouched(tmp_path):
    p = _project(tmp_path / "p.framelens")
    good = backup.backup_now(p)
    p.close()
    damaged = b"SQLite format 3\x00" + b"\xff" * 5000
    (tmp_path / "p.framelens").write_bytes(damaged)
    report = backup.restore_backup(good, tmp_path / "p.framelens")
    assert report.damaged and report.set_aside.read_bytes() == damaged
    assert _titles(tmp_path / "p.framelens") == ["T0", "T1", "T2"]
    missing = tmp_path / "gone.framelens"
    backup.restore_backup(good, missing)
    assert _titles(missing) == ["T0", "T1", "T2"]


def test_restore_refuses_a_bad_backup_and_changes_nothing(tmp_path):
    p = _project(tmp_path / "p.framelens")
    good = backup.backup_now(p)
    p.close()
    before = _titles(tmp_path / "p.framelens")
    cut = good.with_name("cut.framelens")
    cut.write_bytes(good.read_bytes()[:3000])
    newer = good.with_name("newer.framelens")
    newer.write_bytes(good.read_bytes())
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    con.close()
    for bad, words in ((cut, "not a sound backup"), (newer, "newer FrameLens"),
                       (tmp_path / "nope.framelens", "no such backup")):
        with pytest.raises(backup.BackupError, match=words):
            backup.restore_backup(bad, tmp_path / "p.framelens")
    with pytest.raises(backup.BackupError, match="same file"):
        backup.restore_backup(tmp_path / "p.framelens", tmp_path / "p.framelens")
    assert _titles(tmp_path / "p.framelens") == before
    assert [b.tag for b in backup.list_backups(tmp_path / "p.framelens")] == ["manual"]


def test_restoring_an_older_backup_migrates_it_after_a_backup_copy(tmp_path, monkeypatch):
    import framelens.store.project as project_mod
    import framelens.store.schema as schema_mod

    p = _project(tmp_path / "p.framelens")
    old = backup.backup_now(p)
    p.close()
    monkeypatch.setattr(project_mod, "MIGRATIONS", schema_mod.MIGRATIONS + ["CREATE TABLE x (id)"])
    monkeypatch.setattr(project_mod, "LATEST_VERSION", LATEST_VERSION + 1)
    backup.restore_backup(old, tmp_path / "p.framelens")
    q = store.open_project(tmp_path / "p.framelens")
    assert q.schema_version == LATEST_VERSION + 1 and "x" in q.db.table_names()
    q.close()
    assert list(tmp_path.glob(f"p.framelens.v{LATEST_VERSION}-*.bak"))


def test_cli_backup_backups_restore_check(tmp_path, capsys):
    path = tmp_path / "c.framelens"
    _project(path).close()
    assert cli(["backup", str(path), "--keep", "2", "--json"]) == 0
    first = Path(json.loads(capsys.readouterr().out)["backup"])
    time.sleep(0.01)
    assert cli(["backup", str(path)]) == 0
    assert "Backup written" in capsys.readouterr().out
    assert cli(["backups", str(path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 2 and listed[1]["path"] == str(first)
    p = store.open_project(path)
    store.update_article_metadata(p, 2, title="later")
    p.close()
    assert cli(["restore", str(path), first.name]) == 0        # a bare name from 'backups'
    out = capsys.readouterr().out
    assert "Restored" in out and "previous state is kept" in out
    assert _titles(path)[1] == "T1"
    assert cli(["check", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    assert cli(["restore", str(path), "missing.framelens"]) == 2
    assert "no such backup" in capsys.readouterr().err
    assert cli(["backups", str(tmp_path / "none.framelens")]) == 0
    assert "No backups" in capsys.readouterr().out


def test_backup_is_consistent_under_a_concurrent_writer(tmp_path):
    """Backups taken while another connection commits continuously all pass the full check."""
    p = _project(tmp_path / "p.framelens", n=1)
    stop = threading.Event()

    def write():
        w = store.open_project(tmp_path / "p.framelens")
        i = 0
        while not stop.is_set():
            store.add_article(w, text=f"concurrent article {i} " * 50)
            i += 1
        w.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        paths = [backup.backup_now(p, keep=None) for _ in range(8)]
    finally:
        stop.set()
        thread.join()
    for path in paths:
        assert backup.check_file(path).ok
    p.close()


@pytest.mark.gui
def test_gui_backs_up_at_start_and_on_its_timer(gui_demo_path, gui_settings, qtbot):
    from framelens.desktop.shell import app as desktop_app
    from framelens.desktop.dialogs.backups import install_backups

    window = desktop_app.open_window(gui_demo_path, coder="alice", settings=gui_settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.auto_backup.last_path is not None, timeout=20000)
    start = Path(window.auto_backup.last_path)
    assert start.exists() and start.name.endswith(".auto.framelens")
    fast = install_backups(window, every_minutes=0.001, check_every_ms=100)
    code = next(iter(window.session.codes))
    window.session.add_annotation(1, 0, 5, code)
    qtbot.waitUntil(lambda: fast.last_path not in (None, str(start)), timeout=20000)
    assert backup.check_file(fast.last_path).ok
    window.close()
    window.runner.shutdown()
    window.session.project.close()
