"""The crash harness: start the real application on a project, SIGKILL it at random moments,
recover, and prove that every acknowledged action survived and nothing is half-applied.

One project accumulates work over all trials (like months of coding).  After every kill:

* the project opens; ``PRAGMA integrity_check`` and the foreign-key check are clean; FTS5's own
  ``integrity-check`` passes; every article's text matches its SHA-256 and every annotation's
  quote its article text (``store.backup.check_file``);
* nothing is half-applied: folding the append-only change log (after-images in order) gives
  exactly the current rows of every logged table — no row changed outside an action, no action
  whose rows are missing (``store.backup.log_problems``, part of ``check_file``);
* every ``ACK`` the driver printed is found: its ``actions`` row and change rows (or the
  imported article, the suggestions, the export file with the same SHA-256, the backup);
* exports written atomically (REFI .qdpx) are absent or complete; every backup in the rotation
  passes ``quick_check``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from framelens import store
from framelens.store import backup

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).resolve().with_name("crash_driver.py")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from texts import hard_text  # noqa: E402

KIND = {"annotate": "annotate", "recode": "annotation-edit", "memo": "annotation-edit",
        "delete": "annotation-delete", "label": "article-label", "article_memo": "article-memo",
        "add_code": "code-add", "merge": "code-merge", "undo": "undo", "redo": "redo"}


@dataclass
class Summary:
    trials: int = 0
    kills: int = 0
    acked: int = 0
    found: int = 0
    integrity_failures: int = 0
    acked_by_op: Counter = field(default_factory=Counter)
    found_by_op: Counter = field(default_factory=Counter)
    killed_during: Counter = field(default_factory=Counter)
    partial_csv: int = 0
    stray_temp_files: int = 0
    refused: int = 0
    app_errors: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"trials: {self.trials}", f"kills: {self.kills}",
               f"actions acknowledged: {self.acked}",
               f"actions found after recovery: {self.found}",
               f"integrity failures: {self.integrity_failures}"]
        out.append("acknowledged by operation: " + ", ".join(
            f"{k} {v} (found {self.found_by_op[k]})" for k, v in sorted(self.acked_by_op.items())))
        out.append("killed during: " + ", ".join(f"{k} {v}" for k, v in sorted(self.killed_during.items())))
        out.append(f"partial CSV exports left by a kill (CSV export is not atomic): {self.partial_csv}")
        out.append(f"temporary files left by a kill (.tmp-* of atomic exports, .part of backups): "
                   f"{self.stray_temp_files}")
        out.append(f"operations refused cleanly (e.g. undo conflicts): {self.refused}")
        out.append(f"application errors (tracebacks on stderr, unexpected exits): {self.app_errors}")
        out.append(f"time: {self.seconds:.0f} s")
        return out


# -- preparing ------------------------------------------------------------------------------------
def prepare_project(path: Path, seed: int) -> None:
    from framelens.annotate.ops.demo import init_project

    rng = random.Random(seed)
    project = init_project(path)
    for k in range(6):
        store.add_article(project, text=hard_text(rng, 150, tag=f"seed-{k}"), title=f"Seed {k} <b>x</b>",
                          outlet="TASS", country="RU", published="2017-03-20")
    project.close()


# -- checking -------------------------------------------------------------------------------------
def file_problems(path: Path) -> list[str]:
    problems = []
    try:
        project = store.open_project(path)
    except store.ProjectError as exc:
        return [f"open: {exc}"]
    try:
        problems += store.integrity_check(project)
    finally:
        project.close()
    problems += backup.check_file(path).problems
    return problems


def _change(project, action: int, table: str, row_id: int, op: str):
    row = project.query_one("SELECT after_json FROM changes WHERE action_id = ? AND table_name = ?"
                            " AND row_id = ? AND op = ?", (action, table, row_id, op))
    return None if row is None else json.loads(row[0] or "{}")


def ack_problem(project: store.Project, ack: dict) -> str | None:
    """``None`` when the acknowledged operation is found in the recovered project."""
    op = ack["op"]
    if op in KIND:
        row = project.query_one("SELECT kind, undoes_id FROM actions WHERE id = ?", (ack["action"],))
        if row is None or row["kind"] != KIND[op]:
            return f"action {ack['action']} ({op}) missing or of kind {row and row['kind']}"
        checks = {
            "annotate": lambda: (_change(project, ack["action"], "annotations", ack["ann"], "insert")
                                 or {}).get("quote") == ack["quote"],
            "recode": lambda: (_change(project, ack["action"], "annotations", ack["ann"], "update")
                               or {}).get("code_id") == ack["code"],
            "memo": lambda: (_change(project, ack["action"], "annotations", ack["ann"], "update")
                             or {}).get("memo") == ack["memo"],
            "delete": lambda: _change(project, ack["action"], "annotations", ack["ann"], "delete") is not None,
            "add_code": lambda: (_change(project, ack["action"], "codes", ack["code"], "insert")
                                 or {}).get("name") == ack["name"],
            "merge": lambda: (_change(project, ack["action"], "codes", ack["source"], "update")
                              or {}).get("merged_into") == ack["target"],
            "undo": lambda: row["undoes_id"] == ack["undoes"],
            "redo": lambda: row["undoes_id"] == ack["undoes"],
        }
        ok = checks.get(op, lambda: True)()
        return None if ok else f"{op} action {ack['action']}: its changes are not in the log"
    if op == "import":
        row = project.query_one("SELECT text_sha256 FROM articles WHERE id = ?", (ack["article"],))
        return None if row and row[0] == ack["sha"] else f"imported article {ack['article']} missing"
    if op == "suggest":
        n = project.query_one("SELECT count(*) FROM suggestions WHERE article_id = ? AND suggester ="
                              " 'harness' AND suggester_version = ?", (ack["article"], ack["version"]))[0]
        return None if n == ack["n"] else f"suggestion pass {ack['version']}: {n} of {ack['n']} found"
    if op in ("export", "export_csv"):
        path = Path(ack["path"])
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != ack["sha"]:
            return f"export {path.name} missing or changed"
        return None
    if op == "backup":
        path = Path(ack["path"])
        if path.exists():
            return None if backup.check_file(path).ok else f"backup {path.name} fails its check"
        newer = [b for b in backup.list_backups(project.path) if b.path.name > path.name]
        return None if len(newer) >= 5 else f"backup {path.name} vanished"
    return f"unknown op {op}"


def _csv_complete(path: Path) -> bool:
    data = path.read_bytes()
    if not data.endswith(b"\r\n"):
        return False
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return False
    return bool(rows) and all(len(r) == len(rows[0]) for r in rows)


def scan_outputs(work: Path, acked_paths: set[str], seen: set[str], summary: Summary) -> list[str]:
    """Exports absent or complete; count leftovers of kills; every backup passes quick_check."""
    problems = []
    out = work / "out"
    for path in sorted(out.glob("*")) if out.is_dir() else []:
        if str(path) in seen:
            continue
        seen.add(str(path))
        if path.name.startswith(".tmp-"):
            summary.stray_temp_files += 1
        elif path.suffix == ".qdpx" and str(path) not in acked_paths:
            try:
                with zipfile.ZipFile(path) as zf:
                    bad = zf.testzip()
                if bad is not None:
                    problems.append(f"{path.name}: damaged member {bad}")
            except zipfile.BadZipFile as exc:
                problems.append(f"{path.name}: half-written REFI export ({exc})")
        elif path.suffix == ".csv" and str(path) not in acked_paths and not _csv_complete(path):
            summary.partial_csv += 1
    folder = backup.backup_folder(work / "crash.framelens")
    for entry in folder.glob(".*.part*") if folder.is_dir() else []:
        if str(entry) not in seen:
            seen.add(str(entry))
            summary.stray_temp_files += 1
    for b in backup.list_backups(work / "crash.framelens"):
        conn = backup._open_backup(b.path)
        try:
            verdict = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
        if verdict != ["ok"]:
            problems.append(f"backup {b.path.name} is damaged: {verdict[:2]}")
    return problems


# -- running ---------------------------------------------------------------------------------------
def _spawn(project: Path, work: Path, seed: int, stderr) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, str(DRIVER), str(project), str(work), str(seed)],
                            stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=ROOT, env=env)


def _app_tracebacks(stderr_text: str) -> list[str]:
    """Tracebacks on the driver's stderr, minus those of a helper process (spawned with
    multiprocessing) that found its killed parent gone before it was told what to do."""
    blocks = stderr_text.split("Traceback (most recent call last):")[1:]
    return [b for b in blocks if not ("multiprocessing/spawn.py" in b and
                                      b.rstrip().endswith("EOFError: Ran out of input"))]


TARGETS = ("import", "annotate", "merge", "suggest", "export", "export_csv", "delete", "undo",
           "recode", "label", "add_code", "backup")


def run_trial(project: Path, work: Path, seed: int, rng: random.Random, max_delay: float,
              summary: Summary, target: str | None = None) -> list[dict]:
    """One start-work-SIGKILL cycle; returns the ACKed operations (as dicts).

    The kill comes at a random moment after start-up (``target=None``), during start-up (one
    trial in ten), or a few milliseconds after the driver announced a ``target`` operation —
    so that short operations such as code merges are hit inside their transaction too.
    """
    lines: list[str] = []
    ready, hit = threading.Event(), threading.Event()
    wanted = rng.randint(1, 3)
    err_path = work / "driver-stderr.txt"
    with open(err_path, "w") as err:
        proc = _spawn(project, work, seed, err)

        def pump():
            seen = 0
            for line in proc.stdout:
                lines.append(line.rstrip("\n"))
                if line.startswith("READY"):
                    ready.set()
                elif target and line.split()[:2] == ["BEGIN", target]:
                    seen += 1
                    if seen >= wanted:
                        hit.set()
            ready.set()
            hit.set()

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        if target is None and rng.random() < 0.1:
            time.sleep(rng.uniform(0.05, 1.2))           # during start-up: open, backup at start
        elif target is None:
            ready.wait(120)
            time.sleep(rng.uniform(0.0, max_delay))
        else:
            ready.wait(120)
            if hit.wait(8):
                time.sleep(rng.uniform(0.0, 0.004))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        reader.join(30)
    summary.trials += 1
    stderr_text = err_path.read_text(errors="replace")
    if proc.returncode == -signal.SIGKILL:
        summary.kills += 1
    else:
        summary.app_errors += 1
        summary.failures.append(f"seed {seed}: driver exited by itself ({proc.returncode}): "
                                f"{stderr_text[-600:]}")
    if _app_tracebacks(stderr_text):
        summary.app_errors += 1
        summary.failures.append(f"seed {seed}: traceback in the application: {stderr_text[-900:]}")
    acks, inflight = [], "start-up"
    for line in lines:
        if line.startswith("READY"):
            inflight = "between operations"
        elif line.startswith("BEGIN "):
            inflight = line.split()[1]
        elif line.startswith("ACK "):
            acks.append(json.loads(line[4:]))
            if acks[-1]["op"] != "import":
                inflight = "between operations"
        elif line.startswith("REFUSED "):
            summary.refused += 1
            inflight = "between operations"
    if proc.returncode == -signal.SIGKILL:
        summary.killed_during[inflight] += 1
    return acks


def run_campaign(work: Path, trials: int, seed: int = 20240611, *, max_delay: float = 2.0,
                 log=None) -> Summary:
    """Run ``trials`` kill cycles on one project in ``work``; returns the summary."""
    work.mkdir(parents=True, exist_ok=True)
    project = work / "crash.framelens"
    rng = random.Random(seed)
    prepare_project(project, seed)
    summary = Summary()
    started = time.monotonic()
    all_acks: list[dict] = []
    seen: set[str] = set()
    for t in range(trials):
        target = TARGETS[(t // 2) % len(TARGETS)] if t % 2 else None
        acks = run_trial(project, work, rng.randrange(1 << 30), rng, max_delay, summary, target)
        all_acks += acks
        problems = file_problems(project)
        found = 0
        if not any(p.startswith("open:") for p in problems):
            opened = store.open_project(project)
            try:
                for ack in acks:
                    problem = ack_problem(opened, ack)
                    if problem is None:
                        found += 1
                        summary.found_by_op[ack["op"]] += 1
                    else:
                        problems.append(problem)
            finally:
                opened.close()
        problems += scan_outputs(work, {a["path"] for a in all_acks if "path" in a}, seen, summary)
        summary.acked += len(acks)
        summary.found += found
        for ack in acks:
            summary.acked_by_op[ack["op"]] += 1
        if problems:
            summary.integrity_failures += 1
            summary.failures.append(f"trial {t}: " + "; ".join(problems[:5]))
        if log and (t + 1) % 10 == 0:
            log(f"  {t + 1}/{trials} trials, {summary.acked} acknowledged, "
                f"{summary.integrity_failures} failures, {time.monotonic() - started:.0f} s")
    opened = store.open_project(project)
    try:
        late = [p for p in (ack_problem(opened, a) for a in all_acks) if p]
    finally:
        opened.close()
    if late:
        summary.integrity_failures += 1
        summary.failures.append("final re-check of every acknowledged action: " + "; ".join(late[:5]))
    summary.seconds = time.monotonic() - started
    return summary
