"""A learned combiner over every signal of this round (issue 15, round 3): the shipped score, the
lexical score, calibrated USE / e5-query / clause-max scores, story-centred USE and e5 cosines
(centred.py), lexical containment (containment.py), the number of reported sides
(reported.py), shared entities / numbers / concepts, rank in row and column, lengths.
L2-regularised logistic regression fitted on two article pairs, threshold and relative rule
chosen on the same two pairs from its output, applied to the third (LOPO, pooled); in-sample
fit on all three.  Two regularisation strengths."""
from __future__ import annotations

import numpy as np

import methods
from centred import centred
from common import load
from containment import vectors
from harness import row
from reported import reported_flags


def extend(d):
    F = methods.features(d)
    dot, n2 = vectors(d)
    F["contain"] = np.clip(dot / np.maximum(np.minimum(n2[:, None], n2[None, :]), 1e-9), 0, 1)
    F["c_use"] = centred(d["v_use"], 0)
    F["c_e5q"] = centred(d["v_e5q"], 3)
    F["c_e5p"] = centred(d["v_e5p"], 1)
    rep, _ = reported_flags(d)
    F["reported"] = (rep[:, None].astype(np.float32) + rep[None, :])
    return F


if __name__ == "__main__":
    d = load()
    extend(d)
    names = methods.ALL + ["contain", "c_use", "c_e5q", "c_e5p", "reported"]
    small = ["score", "c_use", "c_e5q", "reported", "rank_lo", "rank_hi"]
    print("| method | AP | in-sample P / R | LOPO P / R | in-sample thr, rel |")
    print("|---|---|---|---|---|")
    for l2 in (1.0, 30.0):
        print(row(f"logistic, all {len(names)} features, l2 {l2}", d, methods.m_logit(names, l2)(d)), flush=True)
        print(row(f"logistic, {', '.join(small)}, l2 {l2}", d, methods.m_logit(small, l2)(d)), flush=True)
