"""Damaged and odd project files: every one gives a clear message, never a traceback.

Covered here: a file truncated anywhere (to 0 bytes too), random bytes corrupted in the middle,
files that are not SQLite or not FrameLens, a project from a newer FrameLens, and a read-only
file (made read-only in a way that holds for root too).  An older project is migrated after a
backup copy is written: ``tests/test_store.py::test_migration_backs_up_an_older_project``, and
here for a restored older backup.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest

from framelens import store
from framelens.annotate.cli import main as cli
from framelens.store import backup
from framelens.store.schema import LATEST_VERSION

VERIFIED = ("articles", "annotations", "codes", "article_labels", "article_memos", "memos",
            "changes")


@pytest.fixture(scope="module")
def sound(tmp_path_factory) -> Path:
    """A checkpointed project with 120 articles, each coded once, as a single file."""
    path = tmp_path_factory.mktemp("sound") / "sound.framelens"
    p = store.create_project(path)
    cb = store.ensure_codebook(p, "frames")
    code = store.add_code(p, cb, "Security")
    coder = store.ensure_coder(p, "alice")
    for i in range(120):
        aid = store.add_article(p, text=f"Article {i}: the ministers met in Tokyo. " * 40,
                                title=f"Title {i}").article_id
        store.add_annotation(p, article_id=aid, start=0, end=12, code_id=code, coder_id=coder.id)
    p.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    p.close()
    return path


def _dump(path: Path) -> dict:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for table in VERIFIED:
            try:
                out[table] = con.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            except sqlite3.DatabaseError as exc:
                out[table] = repr(exc)
        return out
    finally:
        con.close()


def _copy(src: Path, dest: Path, data: bytes | None = None) -> Path:
    for side in ("", "-wal", "-shm"):
        Path(str(dest) + side).unlink(missing_ok=True)
    if data is None:
        shutil.copy(src, dest)
    else:
        dest.write_bytes(data)
    return dest


def _outcome(path: Path) -> str:
    """'refused' (clear ProjectError at open), 'reported' (check finds it) or 'unnoticed'."""
    try:
        p = store.open_project(path)
    except store.ProjectError as exc:
        assert str(path) in str(exc) and len(str(exc)) > 30, exc
        return "refused"
    try:
        problems = store.integrity_check(p)       # must not raise on damage either
    finally:
        p.close()
    report = backup.check_file(path)
    return "reported" if problems or not report.ok else "unnoticed"


def test_empty_file_is_refused_not_silently_recreated(tmp_path):
    path = tmp_path / "empty.framelens"
    path.write_bytes(b"")
    with pytest.raises(store.NotAProjectError, match="empty"):
        store.open_project(path)
    assert path.stat().st_size == 0, "the file was turned into a new empty project"
    assert not backup.check_file(path).ok


@pytest.mark.parametrize("cut", [1, 15, 16, 100, 101, 4096, 4097, "third", "half", "page-less"])
def test_truncated_anywhere_gives_a_clear_message(sound, tmp_path, cut):
    data = sound.read_bytes()
    n = {"third": len(data) // 3, "half": len(data) // 2, "page-less": len(data) - 4096}.get(cut, cut)
    path = _copy(sound, tmp_path / "cut.framelens", data[:n])
    assert _outcome(path) in ("refused", "reported")


def test_corrupted_bytes_in_the_middle_are_refused_reported_or_harmless(sound, tmp_path):
    """Random blocks of random bytes anywhere after the header, 80 times.

    Either open refuses with a clear message, or ``integrity_check`` / ``framelens check``
    report the damage, or everything an analyst relies on (articles, annotations, codes,
    labels, memos, the change log) reads back exactly as before: a corrupted byte in free
    space or in page slack does no harm.  Never a raw sqlite3 exception.
    """
    rng = random.Random(20240611)
    original = _dump(sound)
    size = sound.stat().st_size
    outcomes = []
    for _ in range(80):
        data = bytearray(sound.read_bytes())
        offset = rng.randrange(100, size - 1)
        for k in range(rng.choice([1, 8, 64, 512])):
            if offset + k < size:
                data[offset + k] = rng.randrange(256)
        path = _copy(sound, tmp_path / "bad.framelens", bytes(data))
        outcome = _outcome(path)
        if outcome == "unnoticed":
            assert _dump(path) == original, f"undetected damage at byte {offset}"
        outcomes.append(outcome)
    # how many blocks land in free space or page slack depends on the page layout (schema
    # version 4 moved it by two pages): a detection floor, the harmlessness check above is exact
    assert outcomes.count("refused") + outcomes.count("reported") >= 30, outcomes


def test_check_command_reports_damage_and_points_to_restore(sound, tmp_path, capsys):
    data = bytearray(sound.read_bytes())
    text_at = data.find(b"Article 57: the ministers")
    data[text_at + 9:text_at + 12] = b"XYZ"             # inside an article's text
    path = _copy(sound, tmp_path / "hit.framelens", bytes(data))
    assert cli(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM  article texts (SHA-256)" in out and "framelens restore" in out
    assert cli(["check", str(sound)]) == 0
    assert "The project file is sound." in capsys.readouterr().out


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    b"just some text\n" * 50,
    b"PK\x03\x04" + os.urandom(600),
    b"SQLite format 2\x00" + bytes(500),
    os.urandom(4096),
])
def test_not_sqlite_gives_a_clear_message_everywhere(tmp_path, capsys, content):
    path = tmp_path / "junk.framelens"
    path.write_bytes(content)
    with pytest.raises(store.NotAProjectError, match="not a FrameLens project|damaged"):
        store.open_project(path)
    assert cli(["articles", str(path)]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err
    assert cli(["check", str(path)]) == 1
    assert path.read_bytes() == content, "a refused file must not be changed"


def test_other_sqlite_database_and_newer_version(tmp_path, capsys):
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    assert "not a FrameLens project" in " ".join(backup.check_file(other).problems)
    newer = tmp_path / "newer.framelens"
    store.create_project(newer).close()
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version = {LATEST_VERSION + 3}")
    con.close()
    with pytest.raises(store.NewerVersionError, match="newer FrameLens"):
        store.open_project(newer)
    assert cli(["annotations", str(newer)]) == 2
    assert "newer FrameLens" in capsys.readouterr().err
    assert cli(["check", str(newer)]) == 1
    assert "newer FrameLens" in capsys.readouterr().out
    con = sqlite3.connect(newer)
    assert con.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION + 3, "left unchanged"
    con.close()


def _immutable(path: Path, on: bool) -> bool:
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True)
    return done.returncode == 0


def test_read_only_file_even_for_root(tmp_path):
    """chmod does not stop root; the immutable attribute does (as root), chmod does otherwise."""
    path = tmp_path / "ro.framelens"
    store.create_project(path).close()
    path.chmod(0o444)
    made = os.geteuid() != 0 or _immutable(path, True)
    if not made:
        pytest.skip("running as root without chattr: no way to make a file read-only for root")
    try:
        with pytest.raises(store.ReadOnlyError, match="read-only"):
            store.open_project(path)
        p = store.open_project(path, read_only=True)     # browsing still works
        assert store.count_articles(p) == 0
        with pytest.raises(store.ReadOnlyError):
            store.ensure_coder(p, "alice")
        p.close()
        report = backup.check_file(path)
        assert report.ok and any(i.ok is None and "read-only" in i.detail for i in report.items)
    finally:
        if os.geteuid() == 0:
            _immutable(path, False)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become another user")
def test_read_only_for_an_ordinary_user(tmp_path):
    """As a real non-root user (nobody, in a forked child): a 0444 file in a 0555 folder."""
    folder = Path(tempfile.mkdtemp(prefix="framelens-ro-"))
    try:
        path = folder / "ro.framelens"
        store.create_project(path).close()
        path.chmod(0o444)
        folder.chmod(0o555)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:                                   # child: drop root, try, report, exit
            try:
                os.setgid(65534)
                os.setuid(65534)
                try:
                    store.open_project(path)
                    answer = "OPENED"
                except store.ReadOnlyError as exc:
                    answer = f"READONLY {exc}"
                except BaseException as exc:           # reported to the parent, which fails
                    answer = f"OTHER {type(exc).__name__}: {exc}"
                os.write(write, answer.encode()[:4000])
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as fh:
            answer = fh.read()
        os.waitpid(pid, 0)
        assert answer.startswith("READONLY") and "read-only" in answer, answer
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_gui_shows_the_message_for_each_damaged_kind(tmp_path, sound, monkeypatch, qtbot):
    from PySide6.QtWidgets import QMessageBox

    from framelens.desktop.shell import app as desktop_app

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(text))
    empty = tmp_path / "empty.framelens"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.framelens"
    junk.write_bytes(b"not a database" * 100)
    cut = _copy(sound, tmp_path / "cut.framelens", sound.read_bytes()[:5000])
    newer = tmp_path / "newer.framelens"
    store.create_project(newer).close()
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    con.close()
    for path, words in ((empty, "empty"), (junk, "not a FrameLens project"),
                        (cut, "damaged"), (newer, "newer FrameLens")):
        assert desktop_app.open_window(path, coder="alice") is None
        assert words in shown[-1] and str(path) in shown[-1]


def test_gui_warns_at_start_when_pages_are_damaged(tmp_path, sound, monkeypatch, qtbot, gui_settings):
    """A file that opens but whose pages fail quick_check: a warning at start, backups kept."""
    from framelens.desktop.shell import app as desktop_app

    rng = random.Random(7)
    size = sound.stat().st_size
    for _ in range(200):          # find a corruption that opening does not notice
        data = bytearray(sound.read_bytes())
        offset = rng.randrange(8192, size - 600)
        data[offset:offset + 512] = bytes(rng.randrange(256) for _ in range(512))
        path = _copy(sound, tmp_path / "pages.framelens", bytes(data))
        try:
            p = store.open_project(path)
        except store.ProjectError:
            continue
        bad = backup.quick_check(p)
        p.close()
        if bad:
            break
    else:
        pytest.fail("no corruption found that opens but fails quick_check")
    window = desktop_app.open_window(path, coder="alice", settings=gui_settings)
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.auto_backup.last_error is not None, timeout=20000)
    assert "damaged" in window.auto_backup.last_error
    assert window.auto_backup.warning is not None and "framelens restore" in window.auto_backup.warning.text()
    assert backup.list_backups(path) == [], "a damaged file must not enter the backup rotation"
    window.close()
    window.session.project.close()
