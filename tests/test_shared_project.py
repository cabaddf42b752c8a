"""Issue 13: nothing lost when a window, its background tasks and the command line share a project.

The defect: opening a project read its header with a plain ``open()`` and closed it.  On POSIX a
close() drops every lock the process holds on that file (SQLite's "How To Corrupt An SQLite
Database File", section 2.2), so while the window's own connection was open, every background
task's open let another process believe it was alone: it checkpointed and deleted the
write-ahead log under the window, and acknowledged writes of the command line vanished.  These
tests replay exactly that pattern with real processes; on the old code the first one loses 11
of 12 command-line writes and the campaign fails with "disk I/O error".
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from framelens import store
from framelens.store import backup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from stress.shared import CODE, CODEBOOK, build_project, run_shared_campaign  # noqa: E402


def _cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "framelens.annotate.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, **kw)


def test_long_lived_handle_task_handles_and_cli_writers_lose_nothing(tmp_path):
    """The reported scenario: one process keeps the project open and, before each of its
    writes, opens and closes a second handle; other processes write through the CLI."""
    path = tmp_path / "p.framelens"
    build_project(path)
    window = store.open_project(path)
    code = store.find_code(window, CODE, CODEBOOK).id
    me = store.ensure_coder(window, "alice")
    mine, theirs = [], []
    for i in range(12):
        task = store.open_project(path)          # what each background task of the window does
        task.close()
        ann_id, _ = store.add_annotation(window, article_id=1 + i % 12, start=i, end=i + 6,
                                         code_id=code, coder_id=me.id, memo=f"alice {i}")
        mine.append(ann_id)
        done = _cli("annotate", str(path), "--article", "2", "--start", str(i), "--end",
                    str(i + 4), "--code", CODE, "--codebook", CODEBOOK, "--coder", "bob",
                    "--memo", f"bob {i}", "--json")
        assert done.returncode == 0 and "error" not in done.stderr, done.stderr
        theirs.append(json.loads(done.stdout)["id"])
    assert len(set(mine + theirs)) == 24, "an id was acknowledged twice"
    window.close()
    p = store.open_project(path)
    try:
        rows = {a.id: a for a in store.list_annotations(p)}
        assert [rows[i].memo for i in mine] == [f"alice {i}" for i in range(12)]
        assert [rows[i].memo for i in theirs] == [f"bob {i}" for i in range(12)]
        assert [rows[i].coder for i in theirs] == ["bob"] * 12
        assert store.integrity_check(p) == []
    finally:
        p.close()
    assert backup.check_file(path).ok


def test_campaign_window_helper_process_backups_and_three_cli_writers(tmp_path):
    """A small run of the ``make stress`` campaign: the window's task pattern, suggestion passes
    in the real helper process, a backup loop and three CLI writer processes, all at once."""
    summary = run_shared_campaign(tmp_path, window_actions=30, cli_writers=3, cli_actions=6,
                                  suggest=True, backup_seconds=4)
    assert summary.errors == [] and summary.missing == []
    assert summary.acked == 30 + 3 * 6 and summary.found == summary.acked
    assert summary.duplicate_ids == 0 and summary.integrity_failures == 0
    assert summary.backups >= 2 and summary.bad_backups == 0
    assert summary.suggestion_passes == 12


def test_an_open_project_file_is_never_read_as_an_import(tmp_path):
    """Importing the project's own file (here through a link named like an article) must not
    open() it: the close would drop this process's locks."""
    path = tmp_path / "p.framelens"
    build_project(path)
    link = tmp_path / "looks-like-an-article.txt"
    link.symlink_to(path)
    p = store.open_project(path)
    try:
        assert store.is_open_project_file(link) and store.is_open_project_file(path)
        assert store.is_open_project_file(str(path) + "-wal")
        from framelens.annotate.analysis.ingest.reader import read_file

        items = read_file(link)
        assert len(items) == 1 and "FrameLens project file open" in items[0].reason
    finally:
        p.close()
    assert not store.is_open_project_file(path)


FULL_DISK_WRITER = textwrap.dedent("""
    import json, os, resource, signal, sys
    from framelens import store
    path = sys.argv[1]
    p = store.open_project(path)
    coder = store.ensure_coder(p, "filler")
    code = store.find_code(p, "Shared", "campaign").id
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)      # a write past the limit fails with EFBIG
    limit = max(os.path.getsize(path), os.path.getsize(path + "-wal")) + 96 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    for i in range(10000):
        try:
            ann, _ = store.add_annotation(p, article_id=1, start=0, end=5, code_id=code,
                                          coder_id=coder.id, memo="x" * 4000 + str(i))
        except store.ProjectError as exc:
            print("REFUSED " + json.dumps(str(exc)), flush=True)
            break
        print("ACK " + str(ann), flush=True)
    p.close()
""")


def test_a_full_disk_refuses_the_action_in_flight_and_keeps_the_rest(tmp_path):
    path = tmp_path / "p.framelens"
    build_project(path)
    done = subprocess.run([sys.executable, "-c", FULL_DISK_WRITER, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    acked = [int(line[4:]) for line in done.stdout.splitlines() if line.startswith("ACK ")]
    refused = [json.loads(line[8:]) for line in done.stdout.splitlines()
               if line.startswith("REFUSED ")]
    assert len(acked) >= 5 and len(refused) == 1
    assert str(path) in refused[0] and "this change was not saved" in refused[0]
    assert "Everything saved before it is kept" in refused[0]
    assert "disk I/O error" not in refused[0]
    p = store.open_project(path)                  # opens afterwards, limit gone
    try:
        found = {a.id for a in store.list_annotations(p)}
        assert set(acked) <= found and len(found) == len(acked)
        assert store.integrity_check(p) == []
    finally:
        p.close()


@pytest.mark.parametrize("limit_bytes", [4096, 40960])   # opening fails / the write fails
def test_the_command_line_on_a_full_disk_says_so_without_a_traceback(tmp_path, limit_bytes):
    path = tmp_path / "p.framelens"
    build_project(path)
    p = store.open_project(path)
    p.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    p.close()

    def limit() -> None:       # the write-ahead log (empty after the checkpoint) cannot grow
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    done = _cli("annotate", str(path), "--article", "1", "--start", "0", "--end", "5",
                "--code", CODE, "--codebook", CODEBOOK, "--coder", "carol", "--memo", "m" * 20000,
                preexec_fn=limit)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.startswith(f"framelens annotate: error: {path}")
    assert "Traceback" not in done.stderr and "disk I/O error" not in done.stderr
    assert ("this change was not saved" in done.stderr) == (limit_bytes > 4096), done.stderr
    assert ("Nothing was changed" in done.stderr) == (limit_bytes == 4096), done.stderr
    p = store.open_project(path)
    try:
        assert store.list_annotations(p) == []
        assert store.integrity_check(p) == []
    finally:
        p.close()


READ_ONLY_WRITER = textwrap.dedent("""
    import json, sys
    from framelens import store
    path = sys.argv[1]
    p = store.open_project(path)
    coder = store.ensure_coder(p, "ro")
    code = store.find_code(p, "Shared", "campaign").id
    def write(i):
        ann, _ = store.add_annotation(p, article_id=1, start=i, end=i + 5, code_id=code,
                                      coder_id=coder.id)
        print("ACK " + str(ann), flush=True)
    for i in range(3):
        write(i)
    print("READY", flush=True)
    sys.stdin.readline()              # the parent makes the file and its folder read-only
    try:                              # a background task's new connection: refused clearly
        store.open_project(path).close()
        print("OPENED", flush=True)
    except store.ReadOnlyError as exc:
        print("REFUSED " + json.dumps(str(exc)), flush=True)
    write(7)                          # the open connection keeps its descriptor: still saved
    p.close()
""")


def _without_root_override() -> list[str]:
    """As root, run the writer without the capability to override file modes (``setpriv``,
    util-linux), so a read-only file is read-only to it; as another user, nothing to do."""
    if os.geteuid() != 0:
        return []
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}"]


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"),
                    reason="as root, needs util-linux setpriv to drop the file-mode override")
def test_a_project_made_read_only_mid_session_refuses_new_writers_and_keeps_everything(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "p.framelens"
    build_project(path)
    proc = subprocess.Popen([*_without_root_override(), sys.executable, "-c", READ_ONLY_WRITER,
                             str(path)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines = []
    while (line := proc.stdout.readline().strip()) != "READY":
        assert line, proc.stderr.read()
        lines.append(line)
    modes = {item: item.stat().st_mode for item in (folder, *folder.iterdir())}
    for item in modes:
        item.chmod(0o555 if item.is_dir() else 0o444)
    try:
        out, err = proc.communicate("go\n", timeout=120)
    finally:
        for item, mode in modes.items():
            item.chmod(mode)
    assert proc.returncode == 0 and "Traceback" not in err, err
    refused = [json.loads(x[8:]) for x in out.splitlines() if x.startswith("REFUSED ")]
    assert len(refused) == 1 and str(path) in refused[0] and "read-only" in refused[0]
    acked = [int(x[4:]) for x in lines + out.splitlines() if x.startswith("ACK ")]
    assert len(acked) == 4
    p = store.open_project(path)
    try:
        assert {a.id for a in store.list_annotations(p)} == set(acked)
        assert store.integrity_check(p) == []
    finally:
        p.close()


@pytest.mark.gui
def test_window_coding_with_background_tasks_and_cli_writes_in_between(gui_demo_path, gui_settings,
                                                                       qtbot):
    """The user's report, with the real window: code in it, let a background task run (its own
    connection, opened and closed), and between codings run ``framelens annotate --coder bob``
    three times.  Every acknowledged annotation survives the window's close, no id is reused,
    and the window shows bob's annotations and bob as a coder without being asked."""
    from framelens.desktop.shell import app as desktop_app

    window = desktop_app.open_window(gui_demo_path, coder="alice", settings=gui_settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    window.session.set_view("all")
    column = window.open_article(1)
    project = window.session.project
    code = store.list_codes(project)[0]
    book = store.get_codebook(project, code.codebook_id).key
    mine, bobs = [], []
    for i in range(3):
        done_tasks = []
        window.runner.submit(str(gui_demo_path), lambda p, progress, cancelled: len(store.list_annotations(p)),
                             label="test task", on_done=done_tasks.append)
        qtbot.waitUntil(lambda: bool(done_tasks), timeout=10000)
        mine.append(window.session.add_annotation(1, 10 * i, 10 * i + 5, code.id))
        done = _cli("annotate", str(gui_demo_path), "--article", "1", "--start", str(40 + i),
                    "--end", str(48 + i), "--code", code.name, "--codebook", book, "--coder",
                    "bob", "--json")
        assert done.returncode == 0, done.stderr
        bobs.append(json.loads(done.stdout)["id"])
    mine.append(window.session.add_annotation(1, 60, 66, code.id))
    assert None not in mine and len(set(mine + bobs)) == 7
    qtbot.waitUntil(lambda: all(b in column.reader.annotations for b in bobs), timeout=5000)
    qtbot.waitUntil(lambda: "bob" in [window.coder_combo.itemText(i)
                                      for i in range(window.coder_combo.count())], timeout=5000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    window.close()
    window.runner.shutdown()
    window.session.project.close()
    p = store.open_project(gui_demo_path)
    try:
        rows = {a.id: a for a in store.list_annotations(p)}
        assert all(rows[i].coder == "alice" for i in mine)
        assert all(rows[i].coder == "bob" for i in bobs)
        assert store.integrity_check(p) == []
    finally:
        p.close()


def test_an_export_never_replaces_the_open_project_file(tmp_path):
    from framelens.annotate.ops.datasets import export_dataset
    from framelens.annotate.ops.exchange import project_to_x

    path = tmp_path / "p.framelens"
    build_project(path)
    p = store.open_project(path)
    try:
        xp = project_to_x(p)
        for target in (path, Path(str(path) + "-wal")):
            with pytest.raises(ValueError, match="is the project file itself"):
                export_dataset(p, xp, "jsonl", target)
        assert store.integrity_check(p) == [] and len(store.list_articles(p)) == 12
    finally:
        p.close()


def test_the_window_export_never_replaces_the_open_project(tmp_path):
    """The window refuses the open project's name before the helper writes anything (found in
    review: it replaced the file)."""
    from framelens.desktop.dialogs.export_dialog import refuse_open_project

    path = tmp_path / "p.framelens"
    build_project(path)
    p = store.open_project(path)
    try:
        before = path.stat().st_size
        for target in (path, Path(str(path) + "-wal")):
            with pytest.raises(ValueError, match="FrameLens project open in this program"):
                refuse_open_project(target)
        assert path.stat().st_size == before and store.integrity_check(p) == []
        assert len(store.list_articles(p)) == 12
    finally:
        p.close()


def test_a_cancelled_export_leaves_the_file_it_would_replace_as_it_was(tmp_path):
    """The one staging of an export (annotate/ops/datasets.py): cancelled before publishing,
    the dataset already under that name is untouched and no staging copy is left."""
    from framelens.annotate.ops.datasets import ExportCancelled, export_dataset
    from framelens.annotate.ops.exchange import project_to_x

    path = tmp_path / "p.framelens"
    build_project(path)
    out = tmp_path / "data.jsonl"
    out.write_text("an earlier export\n")
    p = store.open_project(path)
    try:
        xp = project_to_x(p)
        with pytest.raises(ExportCancelled, match="cancelled"):
            export_dataset(p, xp, "jsonl", out, cancelled=lambda: True)
        assert out.read_text() == "an earlier export\n"
        assert sorted(x.name for x in tmp_path.iterdir()) == ["data.jsonl", "p.framelens"] + \
            sorted(x.name for x in tmp_path.iterdir() if x.name.startswith("p.framelens-"))
        report = export_dataset(p, xp, "jsonl", out, cancelled=lambda: False)
        assert report["output"] == str(out) and out.read_text() != "an earlier export\n"
    finally:
        p.close()


def test_a_memo_is_never_read_from_the_project_file(tmp_path):
    path = tmp_path / "p.framelens"
    build_project(path)
    p = store.open_project(path)             # another process holds it: the -wal exists
    try:
        for target in (path, Path(str(path) + "-wal")):
            assert target.exists()
            done = _cli("memo", "add", str(path), "--coder", "ana", "--file", str(target))
            assert done.returncode == 2 and "is the project file" in done.stderr, done.stderr
        assert store.list_memos(p) == [] and store.integrity_check(p) == []
    finally:
        p.close()


def test_a_job_sent_after_the_helper_died_fails_instead_of_waiting_forever():
    """Found in review: a job registered just after the helper process died waited forever
    (the 'stopped' notice went only to the jobs queued before)."""
    import threading

    from framelens.annotate.ops.suggest_worker import SuggestWorker, WorkerError

    worker = SuggestWorker()
    worker.process.kill()
    worker.process.join(10)
    worker._reader.join(10)
    outcome = []

    def ask() -> None:
        try:
            worker.run("languages", None, {"languages": ["en"]})
            outcome.append("answered")
        except WorkerError as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(30)
    assert outcome and "helper process stopped" in outcome[0]
    worker.close(timeout=1)
