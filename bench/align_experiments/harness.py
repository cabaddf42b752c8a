"""Leave-one-article-pair-out (LOPO) on gold A: a method is a score matrix (or a function that
builds one from training pairs) plus the link rule (threshold, relative-to-best); the threshold
and rule are chosen on two article pairs (best min(P, R) pooled over them, ties to the higher
F1) and applied to the third; the three test predictions are pooled and scored once."""
from __future__ import annotations

import numpy as np

from common import PAIRS, evaluate, pair_mask

RELS = (0.0, 0.6, 0.8)


def rule(score, art_of, thr, rel):
    """score >= thr and within rel of either passage's best against the other article."""
    n_art = int(art_of.max()) + 1
    best = np.stack([np.where(art_of[None, :] == k, score, 0).max(axis=1) for k in range(n_art)], 1)
    bv = best[:, art_of]
    ok = (score >= rel * bv) | (score >= rel * bv.T)
    return np.triu((score >= thr) & ok & (art_of[:, None] != art_of[None, :]), 1)


def _grid(score, mask):
    vals = np.unique(np.round(score[mask & (score > 0)], 4))
    return vals if len(vals) < 400 else np.quantile(vals, np.linspace(0, 1, 400))


def fit_threshold(score, d, train_mask, rels=RELS):
    best = None
    for rel in rels:
        for thr in _grid(score, train_mask):
            p, r, _, _ = evaluate(rule(score, d["art_of"], thr, rel), d["lab"], d["core"], train_mask)
            key = (min(p, r), 2 * p * r / max(p + r, 1e-9))
            if best is None or key > best[0]:
                best = (key, thr, rel)
    return best[1], best[2]


def lopo(d, make_score, rels=RELS):
    """make_score(train_mask) -> score matrix (train_mask None: the in-sample fit on all pairs).
    Returns (in-sample P, R, LOPO P, R, in-sample threshold)."""
    full = np.triu(np.ones_like(d["lab"], bool), 1)
    s = make_score(None)
    thr, rel = fit_threshold(s, d, full, rels)
    p_in, r_in, _, _ = evaluate(rule(s, d["art_of"], thr, rel), d["lab"], d["core"])
    pred = np.zeros_like(full)
    for k, test in enumerate(PAIRS):
        tm = pair_mask(d["art_of"], test)
        train = np.zeros_like(full)
        for other in PAIRS:
            if other != test:
                train |= pair_mask(d["art_of"], other)
        s = make_score(train)
        t, r_ = fit_threshold(s, d, train, rels)
        pred |= rule(s, d["art_of"], t, r_) & tm
    p, r, _, _ = evaluate(pred, d["lab"], d["core"])
    return p_in, r_in, p, r, (thr, rel)


def ap(score, d):
    """Average precision of a score over the comparable pairs (borderline pairs left out)."""
    iu = np.triu_indices(len(score), 1)
    diff = d["art_of"][iu[0]] != d["art_of"][iu[1]]
    okp = d["ok"][iu[0]] & d["ok"][iu[1]]
    s, y = score[iu][diff & okp], d["lab"][iu][diff & okp]
    keep = y != 0.5
    s, y = s[keep], y[keep] == 1
    order = np.argsort(-s, kind="stable")
    y = y[order]
    prec = np.cumsum(y) / np.arange(1, len(y) + 1)
    return float((prec * y).sum() / max(y.sum(), 1))


def row(name, d, make_score, rels=RELS):
    p_in, r_in, p, r, (t, rel) = lopo(d, make_score, rels)
    s = make_score(None)
    return f"| {name} | {ap(s, d):.2f} | {p_in:.2f} / {r_in:.2f} | {p:.2f} / {r:.2f} | {t:.3f}, {rel} |"
