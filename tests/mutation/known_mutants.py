"""Reapply the mutations issue 19 found uncaught and check the suite now fails on each.

Each mutation is a literal text replacement in one source file, applied to a scratch copy of
the working tree (never to the tree itself, where other people edit), followed by the tests
chosen for it.  A mutation is *killed* when those tests fail on the mutant and pass on the
unmutated copy.  When the source has moved on and the text to replace is gone, the mutation is
reported as "no longer applies" - rewrite it against the new code rather than dropping it.

Run: ``.venv/bin/python tests/mutation/known_mutants.py [NAME...]``; exit status 0 when every
selected mutation applies and is killed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS = (
    Mutation("learned-precision-recall-swapped", "annotate/analysis/nlp/learned.py",
             "out[label] = LabelMetrics(p, r, f,", "out[label] = LabelMetrics(r, p, f,",
             ("tests/test_nlp_learned.py", "tests/test_mutation_kills.py")),
    Mutation("agreement-zero-label-counts-as-present", "annotate/analysis/agreement.py",
             "if x.code == code and x.question is None and is_truthy(x.value)}",
             "if x.code == code and x.question is None}",
             ("tests/test_agreement.py",)),
    Mutation("agreement-report-ignores-coded-by", "annotate/analysis/agreement.py",
             "for art, who in (coded_by or {}).items():", "for art, who in {}.items():",
             ("tests/test_agreement.py",)),
    Mutation("furniture-menu-title-guard-removed", "annotate/analysis/ingest/furniture.py",
             "if line == spared or not _may_be_menu(line):",
             "if not _may_be_menu(line):",
             ("tests/test_ingest_furniture.py", "tests/test_mutation_kills.py")),
    Mutation("spacy-config-train-dev-swapped", "annotate/analysis/formats/docbin.py",
             'cfg["paths"]["train"] = train\n    cfg["paths"]["dev"] = dev',
             'cfg["paths"]["train"] = dev\n    cfg["paths"]["dev"] = train',
             ("tests/test_formats_docbin.py",)),
)


def scratch_copy(dest: Path) -> None:
    """Tracked and untracked (not ignored) files of the working tree, as they are now."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file() and not rel.startswith((".venv/", "mutants/")):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def run_tests(copy: Path, tests: tuple[str, ...]) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(copy),
               PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                           *tests], cwd=copy, env=env, capture_output=True, text=True)


def last_line(proc: subprocess.CompletedProcess) -> str:
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else proc.stderr.strip()[-200:]


def main(argv: list[str]) -> int:
    chosen = [m for m in MUTATIONS if not argv or m.name in argv]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="framelens-mutants-") as tmp:
        copy = Path(tmp)
        scratch_copy(copy)
        clean: dict[tuple[str, ...], subprocess.CompletedProcess] = {}
        for m in chosen:
            target = copy / m.path
            original = target.read_text("utf-8")
            if original.count(m.old) != 1:
                print(f"{m.name}: NO LONGER APPLIES ({m.path} has {original.count(m.old)} "
                      f"copies of the text to replace)")
                failures += 1
                continue
            if m.tests not in clean:
                clean[m.tests] = run_tests(copy, m.tests)
            if clean[m.tests].returncode != 0:
                print(f"{m.name}: tests fail WITHOUT the mutation: {last_line(clean[m.tests])}")
                failures += 1
                continue
            target.write_text(original.replace(m.old, m.new), "utf-8")
            try:
                proc = run_tests(copy, m.tests)
            finally:
                target.write_text(original, "utf-8")
            killed = proc.returncode != 0
            failures += not killed
            failed = [line.split(" - ")[0] for line in proc.stdout.splitlines()
                      if line.startswith("FAILED ")]
            print(f"{m.name}: {'KILLED by ' + ', '.join(failed) if killed else 'SURVIVED'}"
                  f"{'' if killed else ' (' + last_line(proc) + ')'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
