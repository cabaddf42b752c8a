"""How far the scores are from 0.8 / 0.8 whatever the threshold (issue 15, round 3): for each
score, the best precision at recall >= 0.8 and the best recall at precision >= 0.8 over every
threshold and relative rule (0, 0.6, 0.8), in-sample on all of gold A (an optimistic bound: the
threshold is fitted on the data it is scored on).  Also with one threshold per article pair
(each pair's own best), to see whether the pairs merely need different thresholds."""
from __future__ import annotations

import numpy as np

import methods
from combiner import extend
from common import PAIRS, evaluate, load, pair_mask
from harness import RELS, _grid, rule


def curve(s, d, mask):
    pts = []
    for rel in RELS:
        for thr in _grid(s, mask):
            p, r, tp, fp = evaluate(rule(s, d["art_of"], thr, rel), d["lab"], d["core"], mask)
            pts.append((p, r))
    return pts


def bounds(pts):
    p_at = max([p for p, r in pts if r >= 0.8] or [0])
    r_at = max([r for p, r in pts if p >= 0.8] or [0])
    return p_at, r_at


if __name__ == "__main__":
    d = load()
    extend(d)
    full = np.triu(np.ones_like(d["lab"], bool), 1)
    cands = {
        "shipped (lexical + USE vote)": d["score"],
        "gate USE+e5q+clause-max both": methods.m_gate("use+e5q+cuse+ce5")(d)(None),
        "logistic, all 21 features, in-sample fit": methods.m_logit(
            methods.ALL + ["contain", "c_use", "c_e5q", "c_e5p", "reported"], 1.0)(d)(None),
    }
    print("| score | P at R >= 0.8 | R at P >= 0.8 | per article pair: P at R >= 0.8 |")
    print("|---|---|---|---|")
    for name, s in cands.items():
        p_at, r_at = bounds(curve(s, d, full))
        per = [bounds(curve(s, d, pair_mask(d["art_of"], pr)))[0] for pr in PAIRS]
        print(f"| {name} | {p_at:.2f} | {r_at:.2f} | {' / '.join(f'{x:.2f}' for x in per)} |", flush=True)
