"""Contested-names suggester (codebook "viewpoint"): marks every rival name of a disputed
thing — 'Northern Territories' / 'Southern Kurils', 'Senkaku' / 'Diaoyu', 'annexation of' /
'reunification with' Crimea, ... — with the side whose usage it signals.

Terms and their spelling variants are matched case-insensitively (PhraseMatcher on LOWER);
lexicon token patterns with lemmas ('annexed Crimea') are added when the pipeline has a
lemmatizer.  Overlaps resolve to the longest match ('South Kuril Islands' over 'Kuril
Islands').  The lexicon is ``assets/lexicons/contested_names.json``.  Russian, Japanese and
Chinese terms go through :class:`.common.TermMatcher` (inflected Russian forms; CJK terms
inside any segmentation).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from .common import (VIEWPOINTS, SpanSink, TermMatcher, component_version, has_annotation,
                     lexicon_path, load_lexicon, pipeline_language)

CODE_VERSION = "contested-1.0"


@dataclass(frozen=True)
class Term:
    key: str
    term: str
    side: str
    set_id: str
    set_name: str
    weight: float
    note: str
    via: str  # "phrase" or "pattern"


def apostrophe_variants(text: str) -> list[str]:
    """The text with straight and curly apostrophes (both are common in news copy)."""
    out = {text}
    if "'" in text:
        out.add(text.replace("'", "’"))
    if "’" in text:
        out.add(text.replace("’", "'"))
    return sorted(out)


def lexicon_terms(data: dict, lang: str = "en") -> list[tuple[str, dict, dict]]:
    """(surface form, term entry, set entry) for every term and variant of ``lang``."""
    out = []
    for st in data.get("sets", []):
        for entry in st.get("terms", []):
            if entry.get("lang", "en") != lang:
                continue
            for form in [entry["term"], *entry.get("variants", [])]:
                for f in apostrophe_variants(form):
                    out.append((f, entry, st))
    return out


class ContestedSuggester:
    """spaCy component ``framelens_contested``: writes ``doc.spans["fl_contested"]``."""

    suggester = "contested"

    def __init__(self, nlp: Language, lexicon: str | None, use_patterns: bool) -> None:
        path = lexicon_path("contested_names.json", lexicon)
        data, digest = load_lexicon(path)
        self.version = component_version(CODE_VERSION, digest)
        lang = pipeline_language(nlp)
        self.terms: dict[str, Term] = {}
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        sides = set(data.get("sides") or VIEWPOINTS)
        forms: dict[str, list[str]] = {}
        for form, entry, st in lexicon_terms(data, lang):
            if entry["side"] not in sides:
                raise ValueError(f"contested_names.json: unknown side {entry['side']!r} for {form!r}")
            key = f"T|{st['id']}|{entry['term']}"
            self.terms.setdefault(key, Term(key, entry["term"], entry["side"], st["id"],
                                            st.get("name", st["id"]), float(entry.get("weight", 0.9)),
                                            entry.get("note", ""), "phrase"))
            forms.setdefault(key, []).append(form.lower())
        self.terms_ml = TermMatcher(nlp, lang) if lang != "en" else None
        for key, fs in forms.items():
            if self.terms_ml is not None:
                self.terms_ml.add(key, fs)
            else:
                self.phrases.add(key, list(nlp.tokenizer.pipe(sorted(set(fs)))))
        self.patterns: Matcher | None = None
        set_names = {st["id"]: st.get("name", st["id"]) for st in data.get("sets", [])}
        if use_patterns and lang == "en" and data.get("patterns"):
            self.patterns = Matcher(nlp.vocab)
            for i, p in enumerate(data["patterns"]):
                key = f"P|{i}|{p.get('label', p['term'])}"
                self.terms[key] = Term(key, p["term"], p["side"], p["set"], set_names.get(p["set"], p["set"]),
                                       float(p.get("weight", 0.8)), p.get("note", ""), "pattern")
                self.patterns.add(key, [p["pattern"]])

    def __call__(self, doc: Doc) -> Doc:
        sink = SpanSink(doc, self.suggester)
        strings = doc.vocab.strings
        found = {}
        if self.terms_ml is not None:
            for key, s, e in self.terms_ml(doc):
                found.setdefault((s, e), key)
        else:
            for mid, s, e in self.phrases(doc):
                found[(s, e)] = strings[mid]
        if self.patterns is not None and has_annotation(doc, "LEMMA"):
            for mid, s, e in self.patterns(doc):
                found.setdefault((s, e), strings[mid])
        for span in filter_spans([doc[s:e] for s, e in found]):
            term = self.terms[found[(span.start, span.end)]]
            matched = span.text
            how = "variant of" if matched.lower() != term.term.lower() else "term"
            rationale = (f"“{matched}” ({how} ‘{term.term}’) — set “{term.set_name}”: "
                         f"{term.side} usage" + (f"; {term.note}" if term.note else ""))
            sink.add(span.start, span.end, term.side, term.weight, rationale,
                     {"term": term.term, "matched": matched, "set": term.set_id,
                      "set_name": term.set_name, "side": term.side, "via": term.via})
        sink.close()
        return doc


@Language.factory("framelens_contested", default_config={"lexicon": None, "use_patterns": True})
def make_contested(nlp: Language, name: str, lexicon: str | None, use_patterns: bool) -> ContestedSuggester:
    return ContestedSuggester(nlp, lexicon, use_patterns)
