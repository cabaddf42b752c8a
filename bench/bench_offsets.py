"""Code-point ↔ UTF-16 offsets on a long text full of astral characters, beside a baseline.

Run: ``.venv/bin/python bench/bench_offsets.py``

FrameLens stores offsets in code points and converts at the edges (Qt and REFI-QDA count UTF-16
units): ``annotate.formats.model.Utf16Index`` builds an index once per text, then converts in
O(log n).  Figure: building the index and converting every 7th offset both ways, on 401,000
characters with 51,000 astral ones; baseline: encoding the same text to UTF-16 once (what any
conversion must at least look at).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from framelens.annotate.analysis.formats.model import Utf16Index # noqa: E402


def main() -> None:
    text = ("word 👍🏽 " * 50_000) + "𠮷" * 1000
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        idx = Utf16Index(text)
        n = 0
        for cp in range(0, len(text), 7):
            idx.to_cp(idx.to_utf16(cp))
            n += 1
        runs.append(time.perf_counter() - t0)
    base = []
    for _ in range(3):
        t0 = time.perf_counter()
        text.encode("utf-16-le")
        base.append(time.perf_counter() - t0)
    print(f"Utf16Index: build + {n:,} round trips on {len(text):,} characters: "
          f"{min(runs) * 1000:.0f} ms (baseline: encoding the text to UTF-16 once: "
          f"{min(base) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
