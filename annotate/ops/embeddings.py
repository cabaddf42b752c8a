"""The sentence-vector cache in the project file, and the background pass that fills it.

The models, their calibration and :func:`story_vectors` are pure analysis
(``framelens.annotate.analysis.embeddings``); here they meet the project: vectors are cached in
the project (store/embeddings.py) keyed by model version, article text SHA-256 and sentence span.
:func:`embed_story_articles` is the background pass (helper process or CLI),
:func:`project_vectors` the cache alignment is given (it then encodes only what is missing).
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from framelens.annotate.analysis.embeddings import (  # noqa: F401  (the names callers use)
    Backend, load_backend, model_status, story_vectors,
)


class ProjectVectors:
    """:class:`~framelens.annotate.analysis.embeddings.VectorCache` over a project file."""

    def __init__(self, project) -> None:
        self.project = project

    def get(self, version: str, sha: str) -> dict[tuple[int, int], bytes]:
        from framelens.store.embeddings import get_embeddings
        return get_embeddings(self.project, version, sha)

    def put(self, version: str, by_text: dict[str, list[tuple[int, int, bytes]]]) -> None:
        from framelens.store.embeddings import put_embeddings
        with self.project.action("cache", f"embeddings {version}", log=False):
            for sha, rows in by_text.items():
                put_embeddings(self.project, version, sha, rows)


def project_vectors(project) -> ProjectVectors | None:
    """The cache for ``project`` (None stays None: no cache)."""
    return None if project is None else ProjectVectors(project)


def cached_vectors(project, backend: Backend, text: str, spans: Sequence[tuple[int, int]],
                   text_sha256: str | None = None, write: bool = True) -> np.ndarray:
    """Vectors of text[s:e] for each span: from the project's cache, encoding (and storing, if
    ``write``) only the missing ones.  ``project`` None: no cache."""
    return story_vectors(project_vectors(project), backend, [(text, spans, text_sha256)], write)[0]


def embed_story_articles(project, article_ids: Sequence[int] | None = None, nlp=None,
                         progress: Callable[[int, int, str], None] | None = None,
                         cancelled: Callable[[], bool] | None = None, flush: int = 512) -> int:
    """The background pass: store vectors for every alignment passage of the given articles (all
    articles when None) whose text has none yet under the current model.  Passages are cut as the
    aligner cuts them (``annotate.align.article_spans``); English is cut by the rule splitter
    unless ``nlp`` is given (alignment later cuts it with spaCy: the spans that differ, about one
    in ten, are encoded then).  Sentences of many articles are encoded together (``flush`` at a
    time) and stored in one transaction per flush.  Returns how many sentences were encoded; 0
    without a model.  ``progress(done, total, text)`` and ``cancelled()`` let a helper process or a
    CLI progress bar report and stop between flushes."""
    from framelens.store.bulk import list_article_texts
    from framelens.store.embeddings import embedded_texts, put_embeddings

    from framelens.annotate.analysis.align.model import AlignArticle
    from framelens.annotate.analysis.align.sentences import article_spans

    backend = load_backend()
    if backend is None:
        return 0
    done_hashes, wanted = embedded_texts(project, backend.version), (
        None if article_ids is None else set(article_ids))
    todo = [a for a in list_article_texts(project)
            if (wanted is None or a.id in wanted) and a.text_sha256 not in done_hashes]
    encoded, pending, seen = 0, [], set()

    def write() -> None:
        nonlocal encoded
        texts = [a.text[s:e] for a, spans in pending for s, e in spans]
        vecs, k = backend.encode(texts), 0
        with project.action("cache", f"embeddings {backend.version}", log=False):
            for a, spans in pending:
                put_embeddings(project, backend.version, a.text_sha256,
                               [(s, e, vecs[k + j].astype("<f4").tobytes())
                                for j, (s, e) in enumerate(spans)])
                k += len(spans)
        encoded += len(texts)
        pending.clear()

    for n, a in enumerate(todo, 1):
        if cancelled is not None and cancelled():
            break
        if a.text_sha256 in seen:
            continue
        seen.add(a.text_sha256)
        lang = a.language or "en"
        doc = nlp(a.text) if nlp is not None and lang == "en" else None
        spans = article_spans(AlignArticle(a.id, a.text, lang), doc)
        if spans:
            pending.append((a, spans))
        if sum(len(x) for _, x in pending) >= flush or n == len(todo):
            if pending:
                write()
            if progress is not None:
                progress(n, len(todo), "Sentence vectors")
    if pending and not (cancelled is not None and cancelled()):
        write()
    return encoded
