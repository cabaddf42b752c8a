"""Aligning articles: passages with their features, scores, links, only-here passages and
omissions (the method: the package docstring, annotate/analysis/align/__init__.py)."""
from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import replace
from typing import Sequence

import numpy as np

from framelens.annotate.analysis.align_features import attribution_spans
from framelens.annotate.analysis.embeddings import model_status

from .crosslingual import XL_MIN_WORDS, _cross_features, claim_size, cross_semantic_scores
from .lexical import (_ABBREV, _CONCEPT, _TOKEN_ALIASES, _WORD, _Passage, _entity_keys, _fold,
                      _passage, _rule_lemma)
from .model import (ALIGN_VERSION, DEFAULT_PARAMS, LEXICAL_LANGUAGES, AlignArticle, Alignment,
                    AlignParams, Link, Omission, Sentence, _lang)
from .scoring import _scores, semantic_scores
from .sentences import article_spans

def _article_passages(art: AlignArticle, doc) -> list[_Passage]:
    text, toks, lang = art.text, [], _lang(art)
    segs = article_spans(art, doc)
    if lang not in LEXICAL_LANGUAGES:       # semantic and cross-language evidence only
        out = []
        for s, e in segs:
            p = _Passage(art.id, s, e, text[s:e], language=lang)
            p.actors, p.xnumbers = _cross_features(p.text)
            # content size: words, or for Chinese/Japanese 3 characters per word
            p.n_content = len(p.text) // 3 if lang in ("zh", "ja") else len(_WORD.findall(p.text))
            out.append(p)
        return out
    if doc is not None:                 # token attributes without Token objects (speed)
        from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, POS
        rows = doc.to_array([IDX, LENGTH, POS, ENT_TYPE, ENT_IOB, IS_SPACE, IS_PUNCT, LEMMA])
        name = {h: doc.vocab.strings[h] for h in set(rows[:, [2, 3, 7]].ravel().tolist()) if h}.get
        rows, speaker = rows.tolist(), bytearray(len(text) + 1)
        for a, b in attribution_spans(doc):     # who speaks is no evidence of what is said
            speaker[a:b] = b"\1" * (b - a)
        for i, (idx, n, pos, ent, iob, space, punct, lem) in enumerate(rows):
            more = name(ent) == "PERSON" and i + 1 < len(rows) and rows[i + 1][3:5] == [ent, 1]
            if not (space or punct or speaker[idx]):
                toks.append((idx, text[idx:idx + n], name(lem) or text[idx:idx + n],
                             name(pos, ""), name(ent, ""), not more))
    else:
        starts = {s for s, _ in segs}
        for m in _WORD.finditer(text):
            w = m.group(0)[:-1] if m.group(0).endswith(".") and \
                m.group(0)[:-1].lower() not in _ABBREV else m.group(0)
            low = _fold(w)
            named = w[:1].isupper() and (m.start() not in starts or low in _TOKEN_ALIASES
                                         or (w.isupper() and len(w) > 1))
            toks.append((m.start(), w, _rule_lemma(low), "" if named else "NOUN", "", True))
    offsets = [t[0] for t in toks]
    out = [_passage(art.id, text, s, e, toks[bisect_left(offsets, s):bisect_left(offsets, e)])
           for s, e in segs]
    for p in out:
        p.actors, p.xnumbers = _cross_features(p.text)
    return out



def _evidence(p: _Passage, q: _Passage, parts: dict) -> dict:
    def shared(xs, ys):
        ykeys, seen = {k for k, _ in ys}, set()
        return [s for k, s in xs if k in ykeys and not (k in seen or seen.add(k))]
    lemmas = set(p.lemmas) & set(q.lemmas)
    synonyms = {c for c in set(p.concepts) & set(q.concepts) if c[0] == "~"} - {
        _CONCEPT.get(x, x) for x in lemmas}
    names = shared(p.entities, q.entities)
    names += [k for k in dict.fromkeys(k for k, _ in p.actors if k in {x for x, _ in q.actors})
              if not any(_entity_keys(k)[-1:] == _entity_keys(x)[-1:] for x in names)]
    numbers = shared(p.numbers, q.numbers) if p.language == q.language else []
    numbers += [v for v in dict.fromkeys(k for k, _ in p.xnumbers if k in {x for x, _ in q.xnumbers})
                if not any(v in x for x in numbers)]
    return {"lemmas": sorted(lemmas), "synonyms": sorted(c[1:] for c in synonyms),
            "entities": names, "numbers": numbers,
            **{k: round(float(v), 3) for k, v in parts.items()}}


def _omissions(ids, passages, art_of, score, linked, ok, params) -> dict:
    """Per article: a passage elsewhere plus links, in >= half the other articles
    (>= 2 when there are 3+ articles), with nothing here close to any of them."""
    need, out = 1 if len(ids) <= 2 else max(2, math.ceil((len(ids) - 1) / 2)), {a: [] for a in ids}
    for k, art in enumerate(ids if len(ids) > 1 else []):
        here = art_of == k
        far = score[:, here].max(axis=1, initial=0.0) < params.absent_factor * params.threshold
        cands, used = [], np.zeros(len(passages), dtype=bool)
        for i in np.nonzero(~here & ok & far)[0]:
            per_art: dict = {}                   # best absent partner per other article
            for j in np.nonzero(linked[i] & far & ~here & (art_of != art_of[i]))[0]:
                per_art[art_of[j]] = max(per_art.get(art_of[j], (0.0, -1)), (float(score[i, j]), j))
            if 1 + len(per_art) >= need:
                cands.append((sum(v for v, _ in per_art.values()), i,
                              [i] + [j for _, j in per_art.values()]))
        for _, i, group in sorted(cands, key=lambda c: -c[0]):
            if not used[group].any():
                used[group] = True
                srcs = sorted(((passages[j].article, passages[j].start, passages[j].end)
                               for j in group), key=lambda x: (ids.index(x[0]), x[1]))
                out[art].append(Omission(passages[i].text, srcs))
    return out


def align_passages(articles: Sequence[AlignArticle], passages: list[_Passage],
                   params: AlignParams = DEFAULT_PARAMS, use_embeddings=None,
                   cache=None) -> Alignment:
    ids = [a.id for a in articles]
    art_of = np.array([ids.index(p.article) for p in passages], dtype=np.int32)
    ok = np.array([p.n_content >= params.min_content for p in passages], dtype=bool)
    langs = {p.language for p in passages}
    crossing = len(langs) > 1 or bool(langs - LEXICAL_LANGUAGES)
    found = None if use_embeddings is False else (
        cross_semantic_scores(articles, passages, cache) if crossing else
        semantic_scores(articles, passages, cache))
    sem, model = found if found is not None else (None, "")
    scored, eligible = passages, ok
    if sem is not None and crossing:
        scored, ok, eligible = _cross_language_sizes(passages, ok)
    score, lex, direct, sem, keep, comparable = _scores(scored, art_of, ok, params, sem)
    sem = None if sem is None else np.minimum(sem, 1.0)      # the evidence shows 0-1
    links = []
    for i, j in zip(*np.nonzero(keep)):
        p, q = (passages[i], passages[j]) if art_of[i] < art_of[j] else (passages[j], passages[i])
        parts = {"lexical": lex[i, j], "direct": direct[i, j]} | (
            {"semantic": sem[i, j]} if sem is not None else {})
        links.append(Link(p.article, p.start, p.end, q.article, q.start, q.end,
                          round(float(score[i, j]), 4), _evidence(p, q, parts)))
    links.sort(key=lambda l: (ids.index(l.a_article), l.a_start, ids.index(l.b_article), l.b_start))
    sentences, only_here, linked = {a: [] for a in ids}, {a: [] for a in ids}, keep | keep.T
    too_short: dict = {a: [] for a in ids}
    for i, p in enumerate(passages):
        sentences[p.article].append(Sentence(p.start, p.end, p.text))
        if linked[i].any() or not any(ch.isalnum() for ch in p.text):
            continue
        if eligible[i] and comparable[i].any():
            only_here[p.article].append((p.start, p.end))
        elif not eligible[i]:
            too_short[p.article].append((p.start, p.end))
    notes, langs = [], sorted({_lang(a) for a in articles})
    if sem is None and (len(langs) > 1 or set(langs) - LEXICAL_LANGUAGES):
        notes.append(f"articles in {', '.join(langs)}: only same-language English passages can be "
                     f"linked — {model_status()[1]}")
    alignment = Alignment(sentences, links, only_here,
                          _omissions(ids, passages, art_of, score, linked, eligible, params),
                          ALIGN_VERSION + (f"+{model}" if model else ""), notes)
    # article id -> [(start, end)]: passages without a link that say too little to be compared
    # (neither only-here nor omitted); see :func:`_cross_language_sizes`.
    alignment.too_short = too_short
    return alignment


def _cross_language_sizes(passages: list[_Passage], lexical_ok: np.ndarray):
    """Which passages a story in more than one language compares, and which may be only-here.

    The English lexical minimum (``min_content`` content lemmas, speakers not counted) was made for
    shared-word evidence; the sentence model reads the whole sentence, and on the seen golds it
    scores short sentences with their translations as high as long ones ("Но это не устраивало
    Sony." / "But this did not suit Sony."; "The president of Marvel Studios, Kevin Feige, said
    that he's excited.", one content lemma after the speaker rule).  So across languages every
    passage with a word is compared; an English passage under the lexical minimum keeps no
    lexical features (so English-English pairs stay as before: it links to no English passage);
    only passages of at least XL_MIN_WORDS English-word equivalents (:func:`claim_size`) may be
    only-here or omitted, the shorter ones unlinked are "too short to compare".
    Returns (passages as scored, compared mask, only-here/omission mask)."""
    scored = [p if lexical_ok[i] or p.language not in LEXICAL_LANGUAGES else
              replace(p, lemmas=[], concepts=[], entities=[], numbers=[])
              for i, p in enumerate(passages)]
    size = np.array([claim_size(p.text, p.language) for p in passages], dtype=np.float32)
    return scored, size > 0, size >= XL_MIN_WORDS


def align_docs(articles: Sequence[AlignArticle], docs: Sequence, params: AlignParams =
               DEFAULT_PARAMS, use_embeddings: bool | None = None, cache=None) -> Alignment:
    """Align articles from their already parsed spaCy docs (None: rule-based path for English,
    the sentence splitter for other languages).  ``cache``: where sentence vectors are kept (a VectorCache: the project's, ops.embeddings)."""
    articles = list(articles)
    if len(docs) != len(articles) or len({a.id for a in articles}) != len(articles) or any(
            d is not None and d.text != a.text for a, d in zip(articles, docs)):
        raise ValueError("need unique article ids and one doc per article, of the same text")
    passages = [p for art, doc in zip(articles, docs) for p in _article_passages(art, doc)]
    if all(d is None for d, a in zip(docs, articles) if _lang(a) in LEXICAL_LANGUAGES):
        params = replace(params, threshold=params.rule_threshold)
    return align_passages(articles, passages, params, use_embeddings, cache)


def align(articles: Sequence[AlignArticle], nlp=None, params: AlignParams = DEFAULT_PARAMS,
          use_embeddings: bool | None = None, cache=None) -> Alignment:
    """Align articles, parsing the English ones with ``nlp.pipe`` (None: rule-based path)."""
    articles = list(articles)
    docs = [None] * len(articles)
    if nlp is not None:
        english = [k for k, a in enumerate(articles) if _lang(a) in LEXICAL_LANGUAGES]
        for k, doc in zip(english, nlp.pipe([articles[k].text for k in english])):
            docs[k] = doc
    return align_docs(articles, docs, params, use_embeddings, cache)

