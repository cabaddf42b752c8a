"""Shared plumbing of the FrameLens suggesters: asset lookup, lexicon loading, the per-Doc
store of scores/rationales/data, and the `Suggestion` record every suggester produces.

Per-span values live in one dict on the Doc, ``doc._.fl_meta``::

    {"actors": {"120:133:Sergei Shoigu": {"score": 0.95, "rationale": "...", "data": {...}}}}

keyed by suggester name and ``"start_char:end_char:label"``.  String keys keep the dict
msgpack-serialisable, so it survives ``nlp.pipe(n_process>1)``; the proposals themselves are
the Span objects in ``doc.spans["fl_<name>"]``.  ``Span._.fl_score`` / ``fl_rationale`` /
``fl_data`` read that dict back for any span with the same offsets and label.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import IS_SPACE
from spacy.tokens import Doc, Span

from framelens.annotate import resources

#: languages with a pipeline of their own, by ISO 639-1 code
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "zh": "Chinese", "ja": "Japanese"}
_LANGUAGE_ALIASES = {"english": "en", "russian": "ru", "chinese": "zh", "japanese": "ja", "": "en"}

#: suggester name -> codebook key its labels belong to
CODEBOOKS = {
    "actors": "actors",
    "voices": "voices",
    "contested": "viewpoint",
    "cues": "policy_frames",
    "learned": "policy_frames",
}

#: the 15 Policy Frames codes, exactly as the policy_frames codebook names them
POLICY_FRAMES = (
    "Economic", "Capacity and resources", "Morality", "Fairness and equality",
    "Legality, constitutionality and jurisprudence", "Policy prescription and evaluation",
    "Crime and punishment", "Security and defense", "Health and safety", "Quality of life",
    "Cultural identity", "Public opinion", "Political", "External regulation and reputation",
    "Other",
)

VIEWPOINTS = ("Russian", "Japanese", "Chinese", "US", "Other")


@dataclass
class Suggestion:
    """One proposed code on a span of an article (offsets: code points, end exclusive)."""

    start: int
    end: int
    label: str
    codebook: str
    score: float
    suggester: str
    version: str
    rationale: str
    data: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def normalise_language(language: str | None) -> str:
    """'en', 'en-US', 'English', None -> 'en'; 'zh-Hans' -> 'zh'."""
    code = (language or "").strip().lower()
    code = _LANGUAGE_ALIASES.get(code, code)
    return re.split(r"[-_]", code)[0] or "en"


# --------------------------------------------------------------------------- assets

def assets_dir() -> Path:
    """``$FRAMELENS_ASSETS`` when set, else the ``assets`` folder shipped with FrameLens
    (:func:`annotate.resources.assets_dir`)."""
    return resources.assets_dir()


def lexicon_path(name: str, configured: str | None = None) -> Path:
    """The configured path if one was given, else ``assets/lexicons/<name>`` (from
    ``$FRAMELENS_ASSETS`` when that folder has the file, else the shipped copy:
    :func:`annotate.resources.asset_path`)."""
    if configured:
        return Path(configured)
    return resources.asset_path("lexicons", name)


_JSON_CACHE: dict[tuple[str, float, int], tuple[Any, str]] = {}


def load_lexicon(path: str | Path) -> tuple[Any, str]:
    """Parsed JSON and a short content hash; re-read when the file changes on disk."""
    p = Path(path)
    st = p.stat()
    key = (str(p.resolve()), st.st_mtime, st.st_size)
    hit = _JSON_CACHE.get(key)
    if hit is None:
        raw = p.read_bytes()
        hit = (json.loads(raw.decode("utf-8")), hashlib.sha1(raw).hexdigest()[:8])
        _JSON_CACHE[key] = hit
    return hit


def component_version(code_version: str, *hashes: str) -> str:
    """Version string: code version plus the hashes of the data files it was built from."""
    return code_version + "+" + ".".join(h for h in hashes if h)


def pipeline_language(nlp) -> str:
    """The article language a pipeline was built for (a fallback "xx" pipeline records it)."""
    return nlp.meta.get("framelens_language") or nlp.lang


# --------------------------------------------------------------------------- doc store

def _meta_lookup(span: Span, field_name: str):
    meta = span.doc._.fl_meta
    if not meta:
        return None
    key = f"{span.start_char}:{span.end_char}:{span.label_}"
    for per_suggester in meta.values():
        entry = per_suggester.get(key)
        if entry is not None:
            return entry.get(field_name)
    return None


def register_extensions() -> None:
    if not Doc.has_extension("fl_meta"):
        Doc.set_extension("fl_meta", default=None)
    if not Doc.has_extension("fl_ent_norm"):   # "start:end" -> normal form of an entity (ru)
        Doc.set_extension("fl_ent_norm", default=None)
    for name, fld in (("fl_score", "score"), ("fl_rationale", "rationale"), ("fl_data", "data")):
        if not Span.has_extension(name):
            Span.set_extension(name, getter=lambda span, _f=fld: _meta_lookup(span, _f))


register_extensions()


class SpanSink:
    """Collects one suggester's spans for a doc and writes them out in one go."""

    __slots__ = ("doc", "name", "spans", "meta")

    def __init__(self, doc: Doc, name: str) -> None:
        self.doc = doc
        self.name = name
        self.spans: list[Span] = []
        store = doc._.fl_meta
        if store is None:
            store = {}
            doc._.fl_meta = store
        self.meta = store.setdefault(name, {})

    def add(self, start: int, end: int, label: str, score: float, rationale: str,
            data: dict | None = None) -> Span | None:
        """Add the token span [start, end) with ``label``; returns None for empty spans."""
        if end <= start:
            return None
        span = Span(self.doc, start, end, label=label)
        key = f"{span.start_char}:{span.end_char}:{label}"
        if key in self.meta:
            return None
        self.meta[key] = {"score": round(float(score), 4), "rationale": rationale,
                          "data": data or {}}
        self.spans.append(span)
        return span

    def close(self) -> None:
        self.doc.spans["fl_" + self.name] = self.spans


def doc_suggestions(doc: Doc, name: str, version: str) -> list[Suggestion]:
    """The suggestions a component left on ``doc``, in text order."""
    group = doc.spans.get("fl_" + name) if ("fl_" + name) in doc.spans else None
    if group is None:
        return []
    meta = (doc._.fl_meta or {}).get(name, {})
    codebook = CODEBOOKS.get(name, name)
    out = []
    for span in group:
        entry = meta.get(f"{span.start_char}:{span.end_char}:{span.label_}", {})
        out.append(Suggestion(span.start_char, span.end_char, span.label_, codebook,
                              float(entry.get("score", 0.0)), name, version,
                              entry.get("rationale", ""), dict(entry.get("data") or {})))
    out.sort(key=lambda s: (s.start, s.end, s.label))
    return out


# --------------------------------------------------------------------------- small helpers

def has_annotation(doc: Doc, attr: str) -> bool:
    try:
        return doc.has_annotation(attr)
    except Exception:
        return False


class SentIndex:
    """Sentence lookup by token index (one pass over ``doc.sents``, then bisect).

    Sentences are also cut at line breaks, so page furniture and headlines never merge
    with the paragraph that follows them.
    """

    __slots__ = ("starts", "ends", "n")

    def __init__(self, doc: Doc) -> None:
        if has_annotation(doc, "SENT_START") or has_annotation(doc, "DEP"):
            sents = [(s.start, s.end) for s in doc.sents]
        else:
            sents = [(0, len(doc))] if len(doc) else []
        breaks = [int(i) for i in numpy.nonzero(doc.to_array([IS_SPACE]))[0] if "\n" in doc[int(i)].text]
        if breaks:
            cut = []
            k = 0
            for s, e in sents:
                while k < len(breaks) and breaks[k] < s:
                    k += 1
                while k < len(breaks) and breaks[k] < e:
                    if breaks[k] > s:
                        cut.append((s, breaks[k]))
                    s = breaks[k] + 1
                    k += 1
                if e > s:
                    cut.append((s, e))
            sents = cut
        self.n = len(doc)
        self.starts = [s for s, _ in sents] or [0]
        self.ends = [e for _, e in sents] or [len(doc)]

    def __len__(self) -> int:
        return len(self.starts)

    def index(self, i: int) -> int:
        return max(0, bisect_right(self.starts, i) - 1)

    def bounds(self, i: int) -> tuple[int, int]:
        k = self.index(i)
        return self.starts[k], self.ends[k]


def trim(doc: Doc, start: int, end: int, *, punct: bool = False) -> tuple[int, int]:
    """Shrink [start, end) past whitespace tokens (and edge punctuation when ``punct``)."""
    while start < end and (doc[start].is_space or (punct and doc[start].is_punct)):
        start += 1
    while end > start and (doc[end - 1].is_space or (punct and doc[end - 1].is_punct)):
        end -= 1
    return start, end


def inflections(lemma: str) -> set[str]:
    """Regular English inflections of a lemma (over-generation is harmless for cue lists)."""
    w = lemma.lower()
    forms = {w, w + "s", w + "es", w + "ed", w + "ing"}
    if w.endswith("e"):
        forms |= {w + "d", w[:-1] + "ing"}
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if len(w) > 2 and w[-1] in "bdgmnprt" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return forms


# --------------------------------------------------------------------------- multilingual matching

CJK_LANGS = ("zh", "ja")
_MORPH: list = []


def ru_normal_forms(word: str) -> set[str]:
    """Every pymorphy3 normal form of a Russian word, plus the word itself (lower case, ё → е):
    'Лаврова' → {'лавров', 'лаврова'}; 'Курилах' → {'курилы', 'курилах'}."""
    w = word.lower().replace("ё", "е")
    if not any("а" <= ch <= "я" for ch in w):
        return {w}
    if not _MORPH:
        import pymorphy3
        _MORPH.append(pymorphy3.MorphAnalyzer())
    return {w} | {p.normal_form.replace("ё", "е") for p in _MORPH[0].parse(word)}


class TermMatcher:
    """Finds lexicon terms in a doc for any language; matches are ``(key, start, end)`` token
    ranges (a form may belong to several keys).

    * Chinese and Japanese: plain substring search over ``doc.text`` (forms indexed by their
      first character, longest first, no overlaps), then the token span; jieba and SudachiPy
      cut the same term differently in different contexts, so token patterns would miss it.
      ``align="strict"`` drops matches that do not start and end on token boundaries ('说' in
      '说明'), ``"expand"`` widens them to whole tokens.
    * Russian: a PhraseMatcher on ``attr`` (the forms as written) plus, when the doc has
      lemmas (the natasha component), one on LEMMA with every combination of the forms' word
      normal forms (:func:`ru_normal_forms`), so 'Лавровым' and 'Южных Курилах' match the
      lexicon's 'Лавров' and 'Южные Курилы'.
    * other languages: a PhraseMatcher on ``attr``.
    """

    def __init__(self, nlp, lang: str, attr: str = "LOWER", align: str = "expand",
                 lemmas: bool = True) -> None:
        from spacy.matcher import PhraseMatcher
        self.nlp = nlp
        self.lang = lang
        self.align = align
        self.cjk = lang in CJK_LANGS
        self.case = attr != "ORTH"
        self.first: dict[str, list[tuple[str, list[str]]]] = {}
        self._forms: dict[str, list[str]] = {}
        self.phrases = None if self.cjk else PhraseMatcher(nlp.vocab, attr=attr)
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA") if lang == "ru" and lemmas else None

    def add(self, key: str, forms) -> None:
        forms = sorted({f for f in forms if f and f.strip()})
        if not forms:
            return
        if self.cjk:
            for f in forms:
                k = f.lower() if self.case else f
                self._forms.setdefault(k, []).append(key)
            self.first = {}
            for f, keys in self._forms.items():
                self.first.setdefault(f[0], []).append((f, keys))
            for lst in self.first.values():
                lst.sort(key=lambda x: -len(x[0]))
            return
        self.phrases.add(key, list(self.nlp.tokenizer.pipe(forms)))
        if self.lemma is not None:
            from itertools import product
            docs = []
            for pattern in self.nlp.tokenizer.pipe(forms):
                options = [sorted(ru_normal_forms(t.text)) for t in pattern]
                n = 1
                for o in options:
                    n *= len(o)
                if n > 32:
                    options = [[t.lower_.replace("ё", "е")] for t in pattern]
                for combo in product(*options):
                    docs.append(Doc(self.nlp.vocab, words=[t.text for t in pattern],
                                    spaces=[bool(t.whitespace_) for t in pattern], lemmas=list(combo)))
            self.lemma.add(key, docs)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        out: list[tuple[str, int, int]] = []
        if self.cjk:
            text = doc.text.lower() if self.case else doc.text
            i, n = 0, len(text)
            first = self.first
            while i < n:
                cands = first.get(text[i])
                if cands:
                    hit = next(((f, keys) for f, keys in cands if text.startswith(f, i)), None)
                    if hit is not None:
                        f, keys = hit
                        span = doc.char_span(i, i + len(f), alignment_mode=self.align)
                        if span is not None and len(span):
                            out.extend((k, span.start, span.end) for k in keys)
                        i += len(f)
                        continue
                i += 1
            return out
        strings = doc.vocab.strings
        seen = set()
        for mid, s, e in self.phrases(doc):
            seen.add((mid, s, e))
            out.append((strings[mid], s, e))
        if self.lemma is not None and has_annotation(doc, "LEMMA"):
            for mid, s, e in self.lemma(doc):
                if (mid, s, e) not in seen:
                    seen.add((mid, s, e))
                    out.append((strings[mid], s, e))
        return out
