"""α_u figures (issue 16): Krippendorff's unitizing alpha over 500,000 span annotations by three
coders (15 codes, 20,000 articles of 3,000 characters), beside a baseline measured in the same
run: one plain pass over the same rows that groups them by code, article and coder and sorts
each group (what any span measure must at least do).  The ratio is the price of the α_u
arithmetic (pairwise section comparison and the expected-disagreement sums).

The agreement report also runs over the same rows (presence alpha, α_u, kappa per pair).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from framelens.annotate.analysis.agreement import agreement_report, unitizing_alpha # noqa: E402
from framelens.annotate.analysis.formats.model import XCode, XSpan # noqa: E402

N_ANNOTATIONS = 500_000
N_ARTICLES = 20_000
LENGTH = 3_000
CODERS = ("alice", "bob", "carol")
CODES = [f"pf/c{k}" for k in range(15)]


def make_rows(seed: int = 16) -> tuple[list[XSpan], dict[str, int]]:
    rnd = random.Random(seed)
    texts = {f"a{i}": LENGTH for i in range(N_ARTICLES)}
    spans: list[XSpan] = []
    n_base = -(-N_ANNOTATIONS // len(CODERS))           # passages, each coded by every coder
    for i in range(N_ARTICLES):
        per = n_base // N_ARTICLES + (1 if i < n_base % N_ARTICLES else 0)
        base = [(rnd.randrange(0, LENGTH - 200), rnd.randrange(20, 200), rnd.choice(CODES))
                for _ in range(per)]
        for coder in CODERS:
            for start, n, code in base:   # coders mostly agree, with jittered boundaries
                s = max(0, start + rnd.randrange(-15, 16))
                spans.append(XSpan(f"a{i}", s, min(LENGTH, s + n + rnd.randrange(-15, 16)),
                                   code, coder))
    return spans[:N_ANNOTATIONS], texts


def plain_pass(spans: list[XSpan]) -> int:
    groups: dict[tuple, list[tuple[int, int]]] = {}
    for s in spans:
        groups.setdefault((s.code, s.article, s.coder), []).append((s.start, s.end))
    for v in groups.values():
        v.sort()
    return len(groups)


def main() -> None:
    spans, texts = make_rows()
    print(f"{len(spans):,} annotations, {len(CODERS)} coders, {len(CODES)} codes, "
          f"{len(texts):,} articles of {LENGTH:,} characters")
    t0 = time.perf_counter()
    plain_pass(spans)
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = unitizing_alpha(spans, texts, coders=CODERS, codes=CODES)
    au = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = agreement_report(spans, [], [XCode(c, "pf", c.split("/")[1]) for c in CODES], texts,
                            kappa=True)
    report = time.perf_counter() - t0
    print(f"baseline, one pass grouping and sorting the rows: {base:7.2f} s")
    print(f"α_u per code and overall:                         {au:7.2f} s  "
          f"({au / base:.1f}× baseline)  α_u = {result.alpha:.4f}, "
          f"{result.merged:,} self-overlaps merged")
    print(f"whole agreement report ({len(rows)} rows):              {report:7.2f} s  "
          f"({report / base:.1f}× baseline)")


if __name__ == "__main__":
    main()
