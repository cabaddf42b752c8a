"""Importing a file made of one very long line: does the cost grow linearly with its length?

The ingest rules (furniture patterns, caption splitting, headline guesses) are regular
expressions run per line; one with nested quantifiers turns quadratic - or worse - on a line
with no break, which real captures do have (a whole article on one line, a base64 image).
This bench imports ``"Report. " + "x" * n`` for growing ``n`` and prints each time beside the
baseline measured in the same run: the shortest line (1 500 characters).  The time ratio
should stay near the length ratio; the unit test it replaces accepted at most 20 times the
baseline for an 8 times longer line (``tests/test_hardening_fuzz.py`` now only checks that
the long line comes out whole).  Each figure is the best of ``--repeat`` runs.

Run: ``python bench/bench_ingest_long_line.py [--repeat 5]`` (or ``bench/run.py ingest_long_line``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from framelens.annotate.analysis.ingest import Document, read_file # noqa: E402

LENGTHS = (1_500, 12_000, 48_000, 96_000)
LIMIT_RATIO_AT_8X = 20.0      # the old unit test's bound for the 12 000-character line


def best_time(path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        items = read_file(path)
        times.append(time.perf_counter() - started)
        if not (len(items) == 1 and isinstance(items[0], Document)):
            raise RuntimeError(f"{path}: expected one document, got {items!r}")
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="framelens-bench-") as tmp:
        paths = {}
        for n in LENGTHS:
            paths[n] = Path(tmp) / f"line{n}.txt"
            paths[n].write_text("Report. " + "x" * n, "utf-8")
        read_file(paths[LENGTHS[0]])                      # warm-up: rule loading, imports
        base = best_time(paths[LENGTHS[0]], args.repeat)
        print(f"{'characters':>10} {'best ms':>9} {'x baseline':>10} {'x length':>9}")
        worst = 0.0
        for n in LENGTHS:
            t = base if n == LENGTHS[0] else best_time(paths[n], args.repeat)
            ratio, length_ratio = t / base, n / LENGTHS[0]
            worst = max(worst, ratio / length_ratio)
            print(f"{n:>10} {t * 1000:>9.2f} {ratio:>10.1f} {length_ratio:>9.1f}")
    verdict = "linear" if worst <= LIMIT_RATIO_AT_8X / 8 else "super-linear"
    print(f"worst (time ratio / length ratio): {worst:.2f} -> {verdict} "
          f"(bound {LIMIT_RATIO_AT_8X / 8:.2f}, the old unit test's 20x at 8x the length)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
