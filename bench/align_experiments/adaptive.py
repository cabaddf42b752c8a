"""Per-article-pair adaptive link counts: each pair of articles gets its K best-scoring passage
pairs, K = c x min(number of comparable passages of the two), c chosen on two pairs (best
min(P, R)) and applied to the third (LOPO); the relative-to-best rule of the shipped aligner
still applies (rel 0.6).  Run for the shipped score and the best gates of run_table.py."""
from __future__ import annotations

import numpy as np

import methods
from common import PAIRS, evaluate, load, pair_mask
from harness import rule

d = load()
art, ok = d["art_of"], d["ok"]
CS = np.round(np.arange(0.1, 1.51, 0.02), 2)


def predict(score, c, pairs, rel=0.6):
    base = rule(score, art, 0.0, rel)
    out = np.zeros_like(base)
    for pr in pairs:
        m = pair_mask(art, pr) & base & (score > 0)
        k = int(round(c * min(int((ok & (art == pr[0])).sum()), int((ok & (art == pr[1])).sum()))))
        idx = np.argwhere(m)
        vals = score[m]
        for a, b in idx[np.argsort(-vals, kind="stable")[:k]]:
            out[a, b] = True
    return out


def fit(score, pairs):
    best = None
    for c in CS:
        mask = np.zeros_like(d["keep"])
        for pr in pairs:
            mask |= pair_mask(art, pr)
        p, r, _, _ = evaluate(predict(score, c, pairs), d["lab"], d["core"], mask)
        key = (min(p, r), 2 * p * r / max(p + r, 1e-9))
        if best is None or key > best[0]:
            best = (key, c)
    return best[1]


for name in ["shipped (lexical + USE vote)", "gate USE+e5 query", "gate USE+e5q+clause-max both"]:
    s = methods.METHODS[name](d)(None)
    c = fit(s, PAIRS)
    p_in, r_in, _, _ = evaluate(predict(s, c, PAIRS), d["lab"], d["core"])
    pred = np.zeros_like(d["keep"])
    for test in PAIRS:
        train = [x for x in PAIRS if x != test]
        pred |= predict(s, fit(s, train), [test])
    p, r, _, _ = evaluate(pred, d["lab"], d["core"])
    print(f"| adaptive K, {name} | {p_in:.2f} / {r_in:.2f} | {p:.2f} / {r:.2f} | c {c} |")
