"""Fact-level structure through closed triangles (issue 15, round 3): a fact all three articles
report shows as a triangle of passages (one per article) whose three pairs all score; a pair
inside such a triangle is more likely the same fact than a pair whose support goes through one
leg only (the shipped second-order term, max_k min(s_ik, s_kj), can lift a pair with no direct
evidence).  Score: direct + lam * max_k min(s_ij, s_ik, s_kj) (the triangle's weakest side),
k in the third article; lam, threshold and relative rule chosen on two article pairs, applied to
the third (LOPO).  Both the shipped vote (USE) and the best gate of run_table.py."""
from __future__ import annotations

import numpy as np

import methods
from common import PAIRS, evaluate, load, pair_mask
from harness import RELS, ap, fit_threshold, rule


def triangle(direct, art_of):
    n = len(direct)
    out = np.zeros_like(direct)
    for k in range(n):
        legs = np.minimum(direct[:, k][:, None], direct[k][None, :])
        ok = (art_of[:, None] != art_of[k]) & (art_of[None, :] != art_of[k])
        out = np.maximum(out, np.where(ok, np.minimum(legs, direct), 0))
    return out


def run(d, keys):
    c = methods.calibrated(d)
    sem = np.mean([c[x] for x in keys.split("+")], axis=0)
    direct = np.where(methods.valid(d), methods.gate(d["lex"], sem), 0).astype(np.float32)
    tri = triangle(direct, d["art_of"])
    scores = {("tri", lam): np.where(methods.valid(d), (direct + lam * tri) / (1 + lam), 0)
              for lam in (0.0, 0.2, 0.4, 0.8, 1.5)}
    scores[("shipped second order + tri", 0.4)] = (methods.finish(direct, d) + 0.4 * tri) / 1.4
    full = np.triu(np.ones_like(d["lab"], bool), 1)

    def fit(mask):
        best = None
        for key, s in scores.items():
            thr, rel = fit_threshold(s, d, mask, RELS)
            p, r, _, _ = evaluate(rule(s, d["art_of"], thr, rel), d["lab"], d["core"], mask)
            k = (min(p, r), 2 * p * r / max(p + r, 1e-9))
            if best is None or k > best[0]:
                best = (k, key, thr, rel)
        return best[1:]

    for key, s in scores.items():
        print(f"  {key}: AP {ap(s, d):.2f}")
    key, thr, rel = fit(full)
    p_in, r_in, _, _ = evaluate(rule(scores[key], d["art_of"], thr, rel), d["lab"], d["core"])
    pred = np.zeros_like(full)
    for test in PAIRS:
        train = np.zeros_like(full)
        for o in PAIRS:
            if o != test:
                train |= pair_mask(d["art_of"], o)
        k2, t2, r2 = fit(train)
        pred |= rule(scores[k2], d["art_of"], t2, r2) & pair_mask(d["art_of"], test)
    p, r, _, _ = evaluate(pred, d["lab"], d["core"])
    print(f"| triangle support, vote {keys} | {ap(scores[key], d):.2f} | {p_in:.2f} / {r_in:.2f} "
          f"| {p:.2f} / {r:.2f} | {key}, {thr:.3f}, {rel} |", flush=True)


if __name__ == "__main__":
    d = load()
    for keys in ("use", "use+e5q+cuse+ce5"):
        run(d, keys)
