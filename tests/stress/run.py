"""``make stress``: the long crash campaign, long concurrent writers and fuzzing with many examples.

Runs the fuzz/damage/inert/concurrency suites (``HYPOTHESIS_PROFILE=stress``) in a pytest
subprocess while the crash campaign runs here, then prints the campaign's summary — the five
lines ``trials``, ``kills``, ``actions acknowledged``, ``actions found after recovery``,
``integrity failures`` — and the pytest result.  Exit status 0 only when everything held.

Then the shared-project campaign (``stress/shared.py``): the window's connection and its tasks'
connections, suggestion passes in the real helper process, a backup loop and three processes
running ``framelens annotate`` - every acknowledged write must be found afterwards.

Environment: ``STRESS_TRIALS`` (default 220), ``STRESS_SEED``, ``STRESS_WRITERS`` (annotations
per concurrent writer process, default 1000), ``STRESS_DIR`` (work folder, default a temp dir),
``SHARED_WINDOW_ACTIONS`` (300) and ``SHARED_CLI_ACTIONS`` (70 per CLI writer).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))

from stress.crash import run_campaign  # noqa: E402
from stress.shared import run_shared_campaign  # noqa: E402

SUITES = ["tests/test_hardening_fuzz.py", "tests/test_hardening_damaged.py",
          "tests/test_hardening_inert.py", "tests/test_hardening_concurrency.py",
          "tests/test_hardening_backup.py"]


def main() -> int:
    trials = int(os.environ.get("STRESS_TRIALS", "220"))
    seed = int(os.environ.get("STRESS_SEED", "20240611"))
    work = Path(os.environ.get("STRESS_DIR") or tempfile.mkdtemp(prefix="framelens-stress-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HYPOTHESIS_PROFILE="stress", QT_QPA_PLATFORM="offscreen",
               FRAMELENS_STRESS_WRITERS=os.environ.get("STRESS_WRITERS", "1000"))
    log = open(work / "fuzz.log", "w")
    print(f"make stress: work folder {work}", flush=True)
    print(f"fuzz, damage, inert and concurrency suites (stress profile) -> {work / 'fuzz.log'}",
          flush=True)
    started = time.monotonic()
    fuzz = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "--hypothesis-show-statistics", *SUITES],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    print(f"crash campaign: {trials} trials, seed {seed}", flush=True)
    summary = run_campaign(work / "crash", trials, seed, max_delay=2.0,
                           log=lambda line: print(line, flush=True))
    print("shared-project campaign: window + task connections + suggestion helper process + "
          "backups + 3 CLI writer processes", flush=True)
    shared = run_shared_campaign(
        work / "shared", window_actions=int(os.environ.get("SHARED_WINDOW_ACTIONS", "300")),
        cli_writers=3, cli_actions=int(os.environ.get("SHARED_CLI_ACTIONS", "70")))
    fuzz_status = fuzz.wait()
    log.close()
    tail = (work / "fuzz.log").read_text(errors="replace").strip().splitlines()[-1:]
    print()
    for line in summary.lines():
        print(line)
    for failure in summary.failures[:20]:
        print(f"FAILURE: {failure[:2000]}")
    for line in shared.lines():
        print(line)
    for failure in shared.errors[:10] + [str(m) for m in shared.missing[:10]]:
        print(f"SHARED FAILURE: {failure[:2000]}")
    print(f"fuzz/damage/inert/concurrency suites: {tail[0] if tail else '?'} "
          f"(exit {fuzz_status}; statistics in {work / 'fuzz.log'})")
    print(f"total time: {time.monotonic() - started:.0f} s")
    (work / "summary.json").write_text(json.dumps({
        "trials": summary.trials, "kills": summary.kills, "acknowledged": summary.acked,
        "found": summary.found, "integrity_failures": summary.integrity_failures,
        "acked_by_op": dict(summary.acked_by_op), "found_by_op": dict(summary.found_by_op),
        "killed_during": dict(summary.killed_during), "partial_csv": summary.partial_csv,
        "stray_temp_files": summary.stray_temp_files, "refused": summary.refused,
        "app_errors": summary.app_errors, "failures": summary.failures,
        "fuzz_exit": fuzz_status, "fuzz_result": tail[0] if tail else None,
        "shared": {"acknowledged": shared.acked, "found": shared.found,
                   "duplicate_ids": shared.duplicate_ids,
                   "integrity_failures": shared.integrity_failures, "backups": shared.backups,
                   "bad_backups": shared.bad_backups, "errors": shared.errors}}, indent=2))
    ok = (summary.found == summary.acked and summary.integrity_failures == 0
          and summary.app_errors == 0 and fuzz_status == 0 and shared.ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
