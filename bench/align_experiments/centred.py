"""Story-centred sentence vectors (issue 15, round 3): every sentence of the story is about
Russia, Japan and the talks, so the models' cosine mostly measures the shared topic (USE alone
AP 0.31 on gold A).  Remove the story's common direction: subtract the mean vector of the story's
passages and the top k principal components of the centred vectors ("all-but-the-top", computed
per story, no labels), renormalise, cosine.  Printed: AP alone, and as the shipped vote (gate
0.3) with a calibration mapping the centred cosine's 60th and 99.9th percentiles over
cross-article pairs to 0 and 1 (the quantiles the shipped USE calibration has on this story);
LOPO as in run_table.py."""
from __future__ import annotations

import numpy as np

import methods
from common import load
from harness import row


def centred(v, k):
    c = v - v.mean(0, keepdims=True)
    if k:
        _, _, vt = np.linalg.svd(c, full_matrices=False)
        top = vt[:k]
        c = c - (c @ top.T) @ top
    c = c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-9)
    return (c @ c.T).astype(np.float32)


def qcal(m, d):
    diff = methods.valid(d)
    v = m[diff]
    return methods.cal(m, np.quantile(v, 0.60), np.quantile(v, 0.999))


if __name__ == "__main__":
    d = load()
    print("| method | AP | in-sample P / R | LOPO P / R | in-sample thr, rel |")
    print("|---|---|---|---|---|")
    for key in ("v_use", "v_e5q", "v_e5p"):
        for k in (0, 1, 3, 5):
            cos = centred(d[key], k)
            alone = np.where(methods.valid(d), cos, -1).astype(np.float32)
            print(row(f"{key[2:]} centred, top {k} removed", d, methods.const(alone)), flush=True)
            if key == "v_use" or k in (1, 3):
                g = methods.finish(methods.gate(d["lex"], qcal(cos, d)), d)
                print(row(f"gate with {key[2:]} centred, top {k}", d, methods.const(g)), flush=True)
