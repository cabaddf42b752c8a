"""How far the two hand-made golds of the 2017 story agree with each other, scored exactly as an
aligner is: gold A's core links taken as predicted links and scored against gold B, and the
reverse.  This is the human ceiling for "P and R >= 0.8 on both golds".  Nothing is tuned here;
gold B is only compared with gold A, never with a method's output."""
from __future__ import annotations

import json

import numpy as np

from common import ROOT, evaluate, gold_matrix, load

d = load()
from framelens.annotate.analysis.align import AlignArticle  # noqa: E402
from test_align import JT, PN, RB, load_clean  # noqa: E402

files = [JT, PN, RB]
arts = [AlignArticle(i, load_clean(f)) for i, f in enumerate(files, start=1)]


class P:  # the passages as gold_matrix needs them
    def __init__(self, art, s, e, text):
        self.article, self.start, self.end, self.text = art, s, e, text


passages = [P(a, s, e, t) for (a, s, e), t in zip(d["spans"], d["texts"])]
golds = {}
for name, path in (("A", "assets/gold/align_2017.json"), ("B", "assets/gold/align_2017_independent.json")):
    g = json.loads((ROOT / path).read_text(encoding="utf-8"))
    golds[name] = gold_matrix(passages, arts, files, g["links"])
for x, y in (("A", "B"), ("B", "A")):
    labx, corex = golds[x]
    laby, corey = golds[y]
    pred = labx == 1
    p, r, tp, fp = evaluate(pred, laby, corey)
    predb = labx > 0                      # core and borderline together
    pb, rb, _, _ = evaluate(predb, laby, corey)
    print(f"gold {x} core links as predictions, scored on gold {y}: P {p:.2f} R {r:.2f} "
          f"(pairs {int(np.triu(pred, 1).sum())}, tp {tp}, fp {fp}); with {x}'s borderline: P {pb:.2f} R {rb:.2f}")
