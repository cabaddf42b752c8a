"""Gold A's false negatives and false positives at the balanced setting (+USE), with scores,
fact labels and the passages' lengths; the input of the error analysis in README.md."""
from __future__ import annotations

import numpy as np

from common import load

d = load()
lab, keep, score, lex = d["lab"], d["keep"], d["score"], d["lex"]
texts, art_of = d["texts"], d["art_of"]
v = d["v_use"]
sem = np.clip((v @ v.T - 0.2) / 0.5, 0, 1)
pred = np.triu(keep | keep.T, 1)
short = lambda s: " ".join(s.split())[:150]  # noqa: E731
rank = lambda i, j: int((score[i, art_of == art_of[j]] > score[i, j]).sum()) + 1  # noqa: E731
print("== false negatives (core gold not predicted)")
seen = set()
for i, j, fact in sorted(d["core"], key=lambda c: -score[c[0], c[1]]):
    a, b = min(i, j), max(i, j)
    if pred[a, b] or (a, b) in seen:
        continue
    seen.add((a, b))
    print(f"score {score[a,b]:.3f} lex {lex[a,b]:.3f} use {sem[a,b]:.2f} rank {rank(a,b)}/{rank(b,a)} "
          f"ok {d['ok'][a]}{d['ok'][b]} len {len(texts[a])}/{len(texts[b])} [{fact}]")
    print("   A:", short(texts[a]))
    print("   B:", short(texts[b]))
print("== false positives")
for a, b in sorted(zip(*np.nonzero(pred & (lab == 0))), key=lambda x: -score[x[0], x[1]]):
    print(f"score {score[a,b]:.3f} lex {lex[a,b]:.3f} use {sem[a,b]:.2f} rank {rank(a,b)}/{rank(b,a)} len {len(texts[a])}/{len(texts[b])}")
    print("   A:", short(texts[a]))
    print("   B:", short(texts[b]))
print("== predicted, borderline only:", int((pred & (lab == 0.5)).sum()))
