"""Aligning a story's articles, cached in the project file.

The cache key is the story; the cached result is valid while the story holds the same articles
(by text SHA-256, in the same order) and the alignment algorithm has the same version.  Adding,
removing or replacing an article, or upgrading FrameLens's aligner, recomputes it.  Each
strictness level (``annotate.align.STRICTNESS``) has its own cache entry; installing or removing
the sentence model (or another model taking over) also recomputes.  Sentence vectors are cached
separately (store/embeddings.py), so a recomputed alignment encodes only new sentences.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Callable

from framelens import store

from framelens.annotate.analysis.align import ALIGN_VERSION, DEFAULT_STRICTNESS, AlignArticle, align, alignment_to_json, params_for
from framelens.annotate.analysis.align.crosslingual import _actor_index
from .embeddings import load_backend, project_vectors


def _signature(project: store.Project, article_ids: list[int], strictness: str) -> str:
    # the sentence model and the actor table change the result, so the key says which
    backend = load_backend()           # the model that really runs (a fallback is another key)
    model = backend.version if backend is not None else ""
    h = hashlib.sha256(f"{ALIGN_VERSION}+{model}|{_actor_index()[2]}|{strictness}".encode())
    for article_id in article_ids:
        h.update(f"|{article_id}:{store.get_article(project, article_id).text_sha256}".encode())
    return h.hexdigest()


def story_alignment(project: store.Project, story: int | str, *, nlp=None,
                    use_cache: bool = True, strictness: str = DEFAULT_STRICTNESS) -> dict:
    """The alignment of a story as the JSON-ready dict of :func:`annotate.align.alignment_to_json`
    (links with both passages' article ids and offsets and a score; per article its "only here"
    passages and omissions), plus ``story``, ``strictness`` and ``cached``.  ``strictness``
    names how sure a link must be (strict, balanced, generous); ValueError for other names."""
    params = params_for(strictness)
    s = store.get_story(project, story)
    ids = store.story_article_ids(project, s.id)
    signature = _signature(project, ids, strictness)
    key = f"align:story:{s.id}" + ("" if strictness == DEFAULT_STRICTNESS else f":{strictness}")
    if use_cache:
        blob = store.get_blob(project, key)
        if blob is not None and blob.meta.get("signature") == signature:
            return dict(json.loads(blob.data), story={"id": s.id, "name": s.name},
                        strictness=strictness, cached=True)
    articles = [AlignArticle(a.id, store.get_text(project, a.id), a.language or "en")
                for a in store.list_articles(project, story_id=s.id)]
    if nlp is None and any(a.language == "en" for a in articles):
        nlp = english_parser()
    result = alignment_to_json(align(articles, nlp, params, cache=project_vectors(project)))
    store.put_blob(project, key, json.dumps(result, ensure_ascii=False).encode("utf-8"),
                   {"signature": signature, "version": ALIGN_VERSION})
    return dict(result, story={"id": s.id, "name": s.name}, strictness=strictness, cached=False)


_PARSER_LOCK = threading.Lock()
_PARSER: list = []


def english_parser():
    """The English spaCy pipeline the aligner parses with, loaded once per process (the helper
    process keeps it between alignments; the suggesters' copy carries components alignment does
    not need)."""
    with _PARSER_LOCK:
        if not _PARSER:
            from framelens.annotate.analysis.nlp.pipeline import load_pipeline

            _PARSER.append(load_pipeline("en").nlp)
        return _PARSER[0]


def align_articles(project: store.Project, article_ids: list[int], *,
                   strictness: str = DEFAULT_STRICTNESS,
                   progress: Callable[..., None] | None = None) -> dict:
    """The alignment of the articles open side by side, as the JSON-ready dict of
    :func:`annotate.align.alignment_to_json`: the story's cached alignment when they are exactly
    one story's articles (:func:`story_alignment`), else computed for them (sentence vectors
    cached in the project).  What the window's "Align passages" asks the helper process for."""
    report = progress or (lambda *_a: None)
    report(0, 2, "Aligning passages")
    wanted = set(article_ids)
    for s in store.list_stories(project):
        if s.n_articles == len(wanted) and set(store.story_article_ids(project, s.id)) == wanted:
            return story_alignment(project, s.id, strictness=strictness)
    arts = [store.get_article(project, a) for a in article_ids]
    nlp = english_parser() if any((a.language or "en") == "en" for a in arts) else None
    report(1, 2, "Aligning passages")
    return alignment_to_json(align([AlignArticle(a.id, a.text, a.language or "en") for a in arts],
                                   nlp, params_for(strictness), project=project))
