"""Scores between all passages of a story: pivoted cosine of typed TF-IDF (lexical), the
sentence model's calibrated similarity (semantic), support through a third article, and the link
rule (threshold and relative-to-best)."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from framelens.annotate.analysis.embeddings import passage_vectors

from .crosslingual import _cross_language_scores
from .lexical import _Passage
from .model import (EMBED_GATE, EMBED_REF, LEXICAL_LANGUAGES, XL_RELATIVE, AlignArticle,
                    AlignParams)

def _tfidf_block(items: list[list[str]], n: int) -> np.ndarray:
    """Sub-linear TF times story IDF, ln((N + 1) / df), one row per passage."""
    vocab: dict[str, int] = {}
    rows = [[vocab.setdefault(f, len(vocab)) for f in feats] for feats in items]
    mat = np.zeros((n, max(len(vocab), 1)), dtype=np.float32)
    for i, cols in enumerate(rows):
        np.add.at(mat[i], cols, 1.0)
    nz = mat > 0
    idf = np.log((n + 1.0) / np.maximum(nz.sum(axis=0), 1)).astype(np.float32)
    mat[nz] = 1.0 + np.log(mat[nz])
    return mat * idf[None, :]


def _lexical_scores(passages: list[_Passage], params: AlignParams) -> np.ndarray:
    """Pivoted cosine of the block-weighted typed TF-IDF vectors, in [0, 1]."""
    n, blocks = len(passages), []
    for feats, w in (([p.lemmas for p in passages], params.w_lemma),
                     ([p.concepts for p in passages], params.w_concept),
                     ([[k for k, _ in p.entities] for p in passages], params.w_entity),
                     ([[k for k, _ in p.numbers] for p in passages], params.w_number)):
        mat = _tfidf_block(feats, n) * np.float32(w)
        blocks.append((mat, (mat > 0).sum(axis=0) > 1))   # one-passage features: norm only
    norms = np.sqrt(sum((m ** 2).sum(axis=1) for m, _ in blocks)).astype(np.float32)
    full = np.concatenate([m[:, keep] for m, keep in blocks], axis=1)
    pivot, p = float(np.median(norms[norms > 0])) if norms.any() else 1.0, params.norm_power
    denom = np.outer(norms, norms) ** p * pivot ** (2 - 2 * p)
    return np.clip((full @ full.T) / np.maximum(denom, 1e-9), 0.0, 1.0)


def _second_order(score: np.ndarray, art_of: np.ndarray, m: int = 8) -> np.ndarray:
    """max over k in a third article (among each row's m best) of min(s[i, k], s[k, j])."""
    n, best, m = len(score), np.zeros_like(score), min(m, len(score) - 1)
    if n < 3:
        return best
    nbr = np.argpartition(-score, m - 1, axis=1)[:, :m]
    for lo in range(0, n, 256):                                  # bounded memory
        rows = slice(lo, min(n, lo + 256))
        w = np.take_along_axis(score[rows], nbr[rows], axis=1)
        paths = np.minimum(w[:, :, None], score[nbr[rows]])
        paths[art_of[nbr[rows]][:, :, None] == art_of[None, None, :]] = 0.0
        best[rows] = paths.max(axis=1)
    return np.maximum(best, best.T)



def _scores(passages, art_of, ok, params: AlignParams, sem):
    """(final, lexical, direct, semantic or None, upper-triangular mask of links, comparable)."""
    n, n_art = len(passages), int(art_of.max(initial=-1)) + 1
    valid = ok[:, None] & ok[None, :] & (art_of[:, None] != art_of[None, :])
    langs = np.array([p.language for p in passages] or [""])[:n]
    lexical_lang = np.array([p.language in LEXICAL_LANGUAGES for p in passages], dtype=bool)
    same = (langs[:, None] == langs[None, :]) & lexical_lang[:, None] & lexical_lang[None, :]
    lex = _lexical_scores(passages, params) if n else np.zeros((0, 0), np.float32)
    if sem is None:
        direct, comparable = np.where(same, lex, 0.0), valid & same
    else:
        gated = np.clip(lex * (1 - EMBED_GATE + EMBED_GATE * sem)
                        / (1 - EMBED_GATE + EMBED_GATE * EMBED_REF), 0, 1)
        direct, comparable = np.where(same, gated, _cross_language_scores(passages, sem)), valid
    direct = np.where(valid, direct, 0.0).astype(np.float32)
    lam = params.second_order
    score = (direct + lam * _second_order(direct, art_of)) / (1 + lam) if lam and n else direct
    score = np.where(valid, score, 0.0).astype(np.float32)
    best = np.stack([score[:, art_of == k].max(axis=1, initial=0.0) for k in range(n_art)], 1) \
        if n else np.zeros((0, 0), np.float32)
    best_vs, rel = best[:, art_of], params.relative   # [i, j]: i's best against j's article
    lexical_rule = (score >= rel * best_vs) | (score >= rel * best_vs.T)
    cross_rule = (score >= XL_RELATIVE * best_vs) & (score >= XL_RELATIVE * best_vs.T)
    keep = (score >= params.threshold) & np.where(same, lexical_rule, cross_rule)
    return score, lex, direct, sem, np.triu(keep, 1), comparable


def semantic_scores(articles: Sequence[AlignArticle], passages: list, cache=None):
    """(calibrated sentence-model scores between all passages, model name) or None without a
    model.  Vectors come from ``cache`` when given (missing ones are
    encoded and stored)."""
    found = passage_vectors(articles, passages, cache)
    if found is None:
        return None
    v, backend = found
    return backend.calibration(v @ v.T), backend.name
