"""Score matrices tried on gold A (issue 15, round 3).  Each entry: d -> make_score(train_mask);
the mask is None for the in-sample fit, else the training pairs (only learned combiners use it)."""
from __future__ import annotations

import numpy as np

from framelens.annotate.analysis.align.scoring import _second_order

G, REF, LAM = 0.3, 0.5, 0.4      # the shipped gate and second-order weight


def cal(cos, low, high):
    return np.clip((cos - low) / (high - low), 0, 1).astype(np.float32)


def zs(m, d):
    """Unsupervised standardisation over the cross-article pairs (no labels)."""
    diff = d["art_of"][:, None] != d["art_of"][None, :]
    v = m[diff]
    return ((m - v.mean()) / v.std()).astype(np.float32)


def valid(d):
    ok = d["ok"]
    return ok[:, None] & ok[None, :] & (d["art_of"][:, None] != d["art_of"][None, :])


def finish(direct, d, lam=LAM):
    direct = np.where(valid(d), direct, 0).astype(np.float32)
    s = (direct + lam * _second_order(direct, d["art_of"])) / (1 + lam) if lam else direct
    return np.where(valid(d), s, 0).astype(np.float32)


def gate(lex, sem, g=G, ref=REF):
    return np.clip(lex * (1 - g + g * sem) / (1 - g + g * ref), 0, 1)


def clause_max(d, key):
    """max over clause pairs (the sentence itself included) of the clause vectors' cosine."""
    cv, sizes = d[key], [len(c) for c in d["clauses"]]
    owner = np.repeat(np.arange(len(sizes)), sizes)
    cc = cv @ cv.T
    n = len(sizes)
    out = np.full((n, n), -1.0, np.float32)
    for i in range(n):
        rows = cc[owner == i]
        m = np.full((n,), -1.0, np.float32)
        np.maximum.at(m, owner, rows.max(axis=0))
        out[i] = m
    return np.maximum(out, out.T)


def sims(d):
    if "_sims" not in d:
        use = d["v_use"] @ d["v_use"].T
        e5p = d["v_e5p"] @ d["v_e5p"].T
        e5q = d["v_e5q"] @ d["v_e5q"].T
        d["_sims"] = dict(use=use, e5p=e5p, e5q=e5q, cuse=clause_max(d, "cv_use"),
                          ce5=clause_max(d, "cv_e5"))
    return d["_sims"]


def const(m):
    return lambda train: m


def m_base(d):
    return const(d["score"])


def m_lex(d):
    return const(finish(d["lex"], d))


def m_raw(key):
    return lambda d: const(np.where(valid(d), sims(d)[key], -1))


def calibrated(d):
    s = sims(d)
    # shipped calibrations for USE and e5 passage; e5 query and clause-max: the same quantiles of
    # the cross-article distribution as USE's (0.20 -> its 60th, 0.70 -> its 99.9th percentile)
    diff = d["art_of"][:, None] != d["art_of"][None, :]
    qlo = (s["use"][diff] < 0.2).mean()
    qhi = (s["use"][diff] < 0.7).mean()
    def qcal(m):
        v = m[diff]
        return cal(m, np.quantile(v, qlo), np.quantile(v, min(qhi, 0.999)))
    return dict(use=cal(s["use"], 0.2, 0.7), e5p=cal(s["e5p"], 0.76, 0.92), e5q=qcal(s["e5q"]),
                cuse=qcal(s["cuse"]), ce5=qcal(s["ce5"]))


def m_gate(key, g=G):
    def f(d):
        c = calibrated(d)
        sem = np.mean([c[k] for k in key.split("+")], axis=0)
        return const(finish(gate(d["lex"], sem, g), d))
    return f


def m_lin(key, w):
    """(1 - w) lexical + w calibrated model score, then second order."""
    def f(d):
        c = calibrated(d)
        sem = np.mean([c[k] for k in key.split("+")], axis=0)
        return const(finish((1 - w) * d["lex"] + w * sem * 0.3, d))
    return f


# -- a learned combiner ---------------------------------------------------------------------------

def overlap(d, key):
    sets = [set(x) for x in d[key]]
    n = len(sets)
    m = np.zeros((n, n), np.float32)
    for i in range(n):
        for j in range(i + 1, n):
            m[i, j] = m[j, i] = len(sets[i] & sets[j])
    return m


def rank_feats(s, d):
    """rank of j in i's row against j's article (0 = best), both directions, as 1/(1+rank)."""
    art_of = d["art_of"]
    n = len(s)
    r = np.zeros((n, n), np.float32)
    for k in range(int(art_of.max()) + 1):
        cols = art_of == k
        sub = s[:, cols]
        rk = (-sub).argsort(axis=1).argsort(axis=1)
        r[:, cols] = rk
    r = 1 / (1 + r)
    return r, r.T


def features(d):
    if "_feats" in d:
        return d["_feats"]
    s, c = sims(d), calibrated(d)
    ln = np.log1p(np.array([len(t) for t in d["texts"]], np.float32))
    r1, r2 = rank_feats(d["score"], d)
    u1, u2 = rank_feats(s["use"], d)
    f = {
        "score": d["score"], "lex": d["lex"], "use": c["use"], "e5p": c["e5p"], "e5q": c["e5q"],
        "cuse": c["cuse"], "ce5": c["ce5"],
        "ents": np.minimum(overlap(d, "ents"), 3), "nums": np.minimum(overlap(d, "nums"), 3),
        "concepts": np.minimum(overlap(d, "concepts"), 3),
        "rank_lo": np.minimum(r1, r2), "rank_hi": np.maximum(r1, r2),
        "urank_lo": np.minimum(u1, u2), "urank_hi": np.maximum(u1, u2),
        "len_min": np.minimum(ln[:, None], ln[None, :]), "len_max": np.maximum(ln[:, None], ln[None, :]),
    }
    d["_feats"] = f
    return f


def logistic(X, y, l2=1.0, iters=50):
    """L2-regularised logistic regression by Newton steps (features standardised by the caller)."""
    X1 = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(X1.shape[1])
    reg = np.full(X1.shape[1], l2)
    reg[-1] = 0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-X1 @ w))
        g = X1.T @ (p - y) + reg * w
        H = (X1 * (p * (1 - p))[:, None]).T @ X1 + np.diag(reg + 1e-6)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def m_logit(names, l2=1.0):
    def f(d):
        F = features(d)
        X = np.stack([F[k] for k in names], -1)
        vm = np.triu(valid(d), 1)
        def make(train):
            m = vm & (train if train is not None else True) & (d["lab"] != 0.5)
            Xt, yt = X[m], (d["lab"][m] == 1).astype(float)
            mu, sd = Xt.mean(0), Xt.std(0) + 1e-9
            w = logistic((Xt - mu) / sd, yt, l2)
            z = ((X - mu) / sd) @ w[:-1] + w[-1]
            p = 1 / (1 + np.exp(-z))
            p = np.where(valid(d), p, 0)
            return np.maximum(p, p.T).astype(np.float32)
        return make
    return f


ALL = ["score", "lex", "use", "e5p", "e5q", "cuse", "ce5", "ents", "nums", "concepts",
       "rank_lo", "rank_hi", "urank_lo", "urank_hi", "len_min", "len_max"]

METHODS = {
    "shipped (lexical + USE vote)": m_base,
    "lexical alone": m_lex,
    "USE cosine": m_raw("use"),
    "e5 passage cosine": m_raw("e5p"),
    "e5 query cosine": m_raw("e5q"),
    "USE clause-max": m_raw("cuse"),
    "e5 clause-max": m_raw("ce5"),
    "gate e5 query": m_gate("e5q"),
    "gate USE+e5 query": m_gate("use+e5q"),
    "gate USE+e5 passage": m_gate("use+e5p"),
    "gate USE clause-max": m_gate("cuse"),
    "gate USE+USE clause-max": m_gate("use+cuse"),
    "gate USE+e5q+clause-max both": m_gate("use+e5q+cuse+ce5"),
    "gate 0.5 USE+e5q": m_gate("use+e5q", 0.5),
    "linear 0.5 USE+e5q": m_lin("use+e5q", 0.5),
    "logistic: all features": m_logit(ALL),
    "logistic: score, use, e5q, cuse, ranks": m_logit(["score", "use", "e5q", "cuse", "rank_lo", "rank_hi"]),
    "logistic: lex, use, e5q, ents, nums": m_logit(["lex", "use", "e5q", "ents", "nums"]),
}
