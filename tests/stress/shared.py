"""One project shared by a window, its background tasks, the suggestion helper, backups and the CLI.

The campaign of issue 13 ("Nothing lost when a window, its background tasks and the command line
share one project").  Processes, all real and all at once:

* a **window process**: one long-lived connection that writes annotations (as the Session does)
  and, before each write, opens and closes a second connection (what each background task of
  the window does: ``desktop/shell/workers.py``); it also runs suggestion passes through the real
  suggestion helper process (``annotate.suggest_worker.SuggestWorker``), which opens the project
  itself;
* a **backup process** writing backups with ``store.backup.backup_now`` in a loop;
* **CLI writer processes**, each running the real ``framelens annotate`` command again and again.

Every process prints one ``ACK`` line per acknowledged write (the id the store returned).  At the
end the project is opened afresh and every acknowledged annotation must be there with its coder
and memo, no id may have been acknowledged twice, ``integrity_check`` and ``check_file`` must be
clean, and every backup written must pass its check.

Run with ``python tests/stress/shared.py campaign [WORK]`` (``make stress`` runs it); the test
suite runs a small campaign (``tests/test_shared_project.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from framelens import store  # noqa: E402
from framelens.store import backup # noqa: E402

CODEBOOK = "campaign"
CODE = "Shared"
TEXT = ("The ministers of Russia and Japan met in Tokyo for the second round of the 2+2 talks. "
        "They discussed missile defence, North Korea and joint economic activity on the islands. ")


def build_project(path: Path, n_articles: int = 12) -> None:
    """A small project: articles in English, one codebook with one code."""
    p = store.create_project(path)
    try:
        cb = store.ensure_codebook(p, CODEBOOK)
        store.add_code(p, cb, CODE)
        for i in range(n_articles):
            store.add_article(p, text=f"Article {i}. " + TEXT * 6, title=f"Talks {i}",
                              language="en")
    finally:
        p.close()


def _ack(kind: str, who: str, ann_id: int, memo: str) -> None:
    print("ACK " + json.dumps({"kind": kind, "who": who, "id": ann_id, "memo": memo}), flush=True)


# ----------------------------------------------------------------------------- the processes

def window_process(path: str, n: int, suggest: bool) -> int:
    """The window's pattern: long-lived writer, a task connection opened and closed per write,
    and suggestion passes in the real helper process meanwhile."""
    project = store.open_project(path)
    coder = store.ensure_coder(project, "window")
    code = store.find_code(project, CODE, CODEBOOK).id
    ids = [a.id for a in store.list_articles(project)]
    errors: list[str] = []
    worker = None
    suggest_thread = None
    if suggest:
        from framelens.annotate.ops.suggest_worker import SuggestWorker

        worker = SuggestWorker()

        def passes() -> None:
            for article in ids:
                try:
                    report = worker.run("suggest", path, {"article_ids": [article]})
                    print("SUGGEST " + json.dumps({"article": article,
                                                   "stored": sum(getattr(report, "new", {}).values())}),
                          flush=True)
                except Exception as exc:  # reported, and counted as a failure
                    errors.append(f"suggest {article}: {type(exc).__name__}: {exc}")

        suggest_thread = threading.Thread(target=passes, daemon=True)
        suggest_thread.start()
    for i in range(n):
        task = store.open_project(path)              # a background task's own connection
        store.list_annotations(task, article_ids=[ids[i % len(ids)]])
        task.close()
        start = (i * 11) % 300
        memo = f"window {i}"
        try:
            ann_id, _ = store.add_annotation(project, article_id=ids[i % len(ids)], start=start,
                                             end=start + 7, code_id=code, coder_id=coder.id,
                                             memo=memo)
        except store.ProjectError as exc:             # refused clearly: not acknowledged
            errors.append(f"window write {i}: {exc}")
            continue
        _ack("annotation", "window", ann_id, memo)
    if suggest_thread is not None:
        suggest_thread.join(timeout=600)
        worker.close()
    project.close()
    for e in errors:
        print("ERROR " + e, flush=True)
    return 1 if errors else 0


def cli_writer_process(path: str, name: str, n: int) -> int:
    """Runs the real command line ``framelens annotate`` ``n`` times, one process each."""
    failures = 0
    for i in range(n):
        memo = f"{name} {i}"
        start = (i * 13) % 300
        done = subprocess.run(
            [sys.executable, "-m", "framelens.annotate.cli", "annotate", path, "--article",
             str(1 + i % 12), "--start", str(start), "--end", str(start + 5), "--code", CODE,
             "--codebook", CODEBOOK, "--coder", name, "--memo", memo, "--json"],
            cwd=ROOT, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            failures += 1
            print("ERROR " + json.dumps({"who": name, "i": i, "stderr": done.stderr[-500:]}),
                  flush=True)
            continue
        _ack("annotation", name, json.loads(done.stdout)["id"], memo)
    return 1 if failures else 0


def backup_process(path: str, folder: str, seconds: float) -> int:
    """Writes a backup, closes, waits a little, again, until ``seconds`` have passed."""
    until = time.monotonic() + seconds
    failures = 0
    while time.monotonic() < until:
        project = store.open_project(path)
        try:
            dest = backup.backup_now(project, folder, keep=None)
            print("BACKUP " + json.dumps({"path": str(dest)}), flush=True)
        except store.ProjectError as exc:
            failures += 1
            print("ERROR " + json.dumps({"who": "backup", "error": str(exc)}), flush=True)
        finally:
            project.close()
        time.sleep(0.3)
    return 1 if failures else 0


# ----------------------------------------------------------------------------- the campaign

@dataclass
class SharedSummary:
    acked: int = 0
    found: int = 0
    duplicate_ids: int = 0
    integrity_failures: int = 0
    backups: int = 0
    bad_backups: int = 0
    suggestion_passes: int = 0
    errors: list[str] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.acked == self.found and self.duplicate_ids == 0
                and self.integrity_failures == 0 and self.bad_backups == 0 and not self.errors)

    def lines(self) -> list[str]:
        return [f"shared project: actions acknowledged {self.acked}",
                f"shared project: actions found afterwards {self.found}",
                f"shared project: ids acknowledged twice {self.duplicate_ids}",
                f"shared project: integrity failures {self.integrity_failures}",
                f"shared project: backups written {self.backups}, failing their check "
                f"{self.bad_backups}",
                f"shared project: suggestion passes in the helper process {self.suggestion_passes}",
                f"shared project: errors {len(self.errors)}"]


def _spawn(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, str(HERE / "shared.py"), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_shared_campaign(work: Path, *, window_actions: int = 300, cli_writers: int = 3,
                        cli_actions: int = 70, suggest: bool = True,
                        backup_seconds: float | None = None) -> SharedSummary:
    work.mkdir(parents=True, exist_ok=True)
    path = work / "shared.framelens"
    for side in ("", "-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    build_project(path)
    folder = work / "backups"
    procs = [_spawn("window", str(path), str(window_actions), "1" if suggest else "0")]
    procs += [_spawn("cli", str(path), f"cli{k}", str(cli_actions)) for k in range(cli_writers)]
    seconds = backup_seconds if backup_seconds is not None else 5.0 + 0.03 * window_actions
    procs.append(_spawn("backup", str(path), str(folder), str(seconds)))
    summary = SharedSummary()
    acks: list[dict] = []
    backups: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=3600)
        for line in out.splitlines():
            if line.startswith("ACK "):
                acks.append(json.loads(line[4:]))
            elif line.startswith("BACKUP "):
                backups.append(json.loads(line[7:])["path"])
            elif line.startswith("SUGGEST "):
                summary.suggestion_passes += 1
            elif line.startswith("ERROR "):
                summary.errors.append(line[6:])
        if proc.returncode != 0 and not any(e for e in summary.errors):
            summary.errors.append(f"exit {proc.returncode}: {err[-1500:]}")
        if "Traceback" in err or "disk I/O error" in err:
            summary.errors.append(err[-1500:])
    summary.acked = len(acks)
    ids = [a["id"] for a in acks]
    summary.duplicate_ids = len(ids) - len(set(ids))
    p = store.open_project(path)
    try:
        rows = {a.id: a for a in store.list_annotations(p)}
        for a in acks:
            row = rows.get(a["id"])
            if row is not None and row.coder == a["who"] and row.memo == a["memo"]:
                summary.found += 1
            else:
                summary.missing.append(a)
        summary.integrity_failures = len(store.integrity_check(p))
    finally:
        p.close()
    if not backup.check_file(path).ok:
        summary.integrity_failures += 1
    summary.backups = len(backups)
    summary.bad_backups = sum(1 for b in backups if not backup.check_file(b).ok)
    return summary


def main(argv: list[str]) -> int:
    role = argv[0] if argv else "campaign"
    if role == "window":
        return window_process(argv[1], int(argv[2]), argv[3] == "1")
    if role == "cli":
        return cli_writer_process(argv[1], argv[2], int(argv[3]))
    if role == "backup":
        return backup_process(argv[1], argv[2], float(argv[3]))
    work = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="framelens-shared-"))
    summary = run_shared_campaign(
        work, window_actions=int(os.environ.get("SHARED_WINDOW_ACTIONS", "300")),
        cli_writers=int(os.environ.get("SHARED_CLI_WRITERS", "3")),
        cli_actions=int(os.environ.get("SHARED_CLI_ACTIONS", "70")))
    for line in summary.lines():
        print(line)
    for e in summary.errors[:10]:
        print("ERROR:", e[:1500])
    for m in summary.missing[:10]:
        print("MISSING:", m)
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
