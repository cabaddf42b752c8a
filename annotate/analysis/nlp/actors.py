"""Actors suggester: who appears in an article (people, governments, countries, organisations,
places), normalised through the alias table ``assets/lexicons/actors.json``.

Two sources, merged per doc in one pass over the matches:

* a PhraseMatcher over every alias (works in blank pipelines too), which wins over NER;
* NER entities (PERSON, ORG, GPE, NORP, LOC) not covered by an alias, normalised by the table
  when possible, surnames linked to the full name introduced earlier in the article, and
  given a country from the gazetteer.

Capitals listed as ``metonyms`` (Tokyo, Moscow, ...) stand for their government only when
used as an actor — subject, possessor, object, agent, or object of 'with'/'between'/'by' —
and are suggested as the place otherwise ('in Tokyo'); as a modifier ('Tokyo-controlled')
they are left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from .common import (SentIndex, SpanSink, TermMatcher, component_version, has_annotation,
                     lexicon_path, load_lexicon, pipeline_language)
from .gazetteer import Gazetteer
from .multilingual import PERSON, country_cues, entity_name

CODE_VERSION = "actors-1.0"
_POSSESSIVE = {"'s", "’s", "'", "’"}
_LEADING_DROP = {"the", "The", "a", "an"}
_TITLES = {"Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms", "Dr.", "Dr", "President", "Prime", "Minister",
           "Minster", "Premier", "Foreign", "Defense", "Defence", "Deputy", "Chancellor", "Former",
           "Senator", "Governor", "General", "Secretary", "Professor", "Prof.", "Chairman", "Leader"}
_ACTOR_DEPS = {"nsubj", "nsubjpass", "poss", "dobj", "iobj", "agent", "dative", "csubj", "attr"}
_PLACE_PREPS = {"in", "at", "near", "to", "into", "from", "around", "outside", "inside", "across",
                "via", "through", "within", "throughout", "toward", "towards", "of", "over", "onto",
                "off", "beyond", "along"}
_MODIFIER_DEPS = {"compound", "amod", "npadvmod", "nmod", "nummod"}
_STOP = {".", ";", "“", "”", '"', "\n", "\n\n"}
_SCORES = {"person": 0.95, "government": 0.9, "country": 0.9, "organisation": 0.85}


@dataclass(frozen=True)
class Actor:
    name: str
    country: str
    kind: str
    roles: tuple[str, ...] = ()


class ActorTable:
    """The alias table: alias -> Actor, role -> Actors, capital -> government."""

    def __init__(self, path: str | Path | None = None) -> None:
        data, self.hash = load_lexicon(lexicon_path("actors.json", str(path) if path else None))
        self.actors: dict[str, Actor] = {}
        self.aliases: dict[str, str] = {}
        self.metonyms: dict[str, str] = {}
        self.lower: dict[str, str] = {}
        self.roles: dict[str, list[Actor]] = {}
        self.country_actor: dict[str, Actor] = {}
        for entry in data.get("actors", []):
            actor = Actor(entry["name"], entry.get("country", ""), entry.get("kind", "person"),
                          tuple(r.lower() for r in entry.get("roles", [])))
            self.actors[actor.name] = actor
            for alias in [actor.name, *entry.get("aliases", [])]:
                self.aliases.setdefault(alias, actor.name)
                self.lower.setdefault(alias.lower(), actor.name)
            for m in entry.get("metonyms", []):
                self.metonyms[m] = actor.name
            for role in actor.roles:
                self.roles.setdefault(role, []).append(actor)
            if actor.kind == "country" and actor.country:
                self.country_actor.setdefault(actor.country, actor)

    def lookup(self, text: str) -> Actor | None:
        """Actor for an alias, tolerant of case, a leading 'the' and a trailing possessive."""
        t = text.strip()
        for suffix in ("'s", "’s"):
            if t.endswith(suffix):
                t = t[: -len(suffix)]
        if t.lower().startswith("the "):
            t = t[4:]
        name = self.aliases.get(t) or self.lower.get(t.lower())
        return self.actors.get(name) if name else None

    def by_role(self, role: str, country: str | None) -> list[Actor]:
        return [a for a in self.roles.get(role.lower(), []) if not country or a.country == country]


_TABLES: dict[tuple[str, str], ActorTable] = {}
_GAZ: dict[tuple[str, str], Gazetteer] = {}


def get_actor_table(path: str | None = None) -> ActorTable:
    p = lexicon_path("actors.json", path)
    _, h = load_lexicon(p)
    key = (str(p), h)
    if key not in _TABLES:
        _TABLES[key] = ActorTable(p)
    return _TABLES[key]


def get_gazetteer(path: str | None = None) -> Gazetteer:
    p = lexicon_path("affiliations.json", path)
    _, h = load_lexicon(p)
    key = (str(p), h)
    if key not in _GAZ:
        _GAZ[key] = Gazetteer(p)
    return _GAZ[key]


def build_term_matcher(nlp: Language, table: ActorTable, lang: str) -> TermMatcher:
    """The alias table as a :class:`TermMatcher` for Russian, Japanese and Chinese text: keys
    are actor names and 'M|<government>' for capitals; Russian aliases also match inflected
    ('Лавровым'), Chinese and Japanese ones inside any segmentation."""
    matcher = TermMatcher(nlp, lang, attr="ORTH")
    by_actor: dict[str, list[str]] = {}
    for alias, name in table.aliases.items():
        by_actor.setdefault(name, []).append(alias)
    for name, aliases in by_actor.items():
        matcher.add(name, aliases)
    by_gov: dict[str, list[str]] = {}
    for alias, name in table.metonyms.items():
        by_gov.setdefault(name, []).append(alias)
    for name, aliases in by_gov.items():
        matcher.add("M|" + name, aliases)
    return matcher


def build_alias_matcher(nlp: Language, table: ActorTable) -> PhraseMatcher:
    """PhraseMatcher with one key per actor (its name) and one per capital ('M|<government>')."""
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    by_actor: dict[str, list[str]] = {}
    for alias, name in table.aliases.items():
        by_actor.setdefault(name, []).append(alias)
    for name, aliases in by_actor.items():
        matcher.add(name, list(nlp.tokenizer.pipe(aliases)))
    by_gov: dict[str, list[str]] = {}
    for alias, name in table.metonyms.items():
        by_gov.setdefault(name, []).append(alias)
    for name, aliases in by_gov.items():
        matcher.add("M|" + name, list(nlp.tokenizer.pipe(aliases)))
    return matcher


def metonym_use(doc: Doc, start: int, end: int, parsed: bool) -> str | None:
    """'actor', 'place' or None (a modifier inside another name) for a capital's mention."""
    nxt = doc[end] if end < len(doc) else None
    if nxt is not None and nxt.text in _POSSESSIVE:
        return "actor"
    if nxt is not None and nxt.text in ("-", "–") and end + 1 < len(doc) and not doc[end + 1].is_space:
        return None
    if parsed:
        tok = doc[end - 1]
        guard = 0
        while tok.dep_ in ("conj", "appos") and tok.head is not tok and guard < 8:
            tok, guard = tok.head, guard + 1
        if tok.dep_ in _MODIFIER_DEPS:
            return None
        if tok.dep_ in _ACTOR_DEPS:
            return "actor"
        if tok.dep_ == "pobj":
            return "place" if tok.head.lower_ in _PLACE_PREPS else "actor"
        return "place"
    prev = doc[start - 1] if start > 0 else None
    if prev is not None and prev.lower_ in _PLACE_PREPS:
        return "place"
    if prev is None or prev.is_punct or prev.is_space or prev.lower_ in ("and", "by", "with", "between"):
        return "actor"
    return "place"


def _trim_entity(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """Drop a leading 'the', a trailing possessive and edge whitespace/punctuation."""
    while s < e and (doc[s].text in _LEADING_DROP or doc[s].is_space):
        s += 1
    while e > s and (doc[e - 1].text in _POSSESSIVE or doc[e - 1].is_space or doc[e - 1].is_punct):
        e -= 1
    return s, e


@dataclass
class _DocState:
    """Per-doc memory: surname -> full name, person -> country."""

    surnames: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)


class ActorSuggester:
    """spaCy component ``framelens_actors``: writes ``doc.spans["fl_actors"]``."""

    suggester = "actors"

    def __init__(self, nlp: Language, lexicon: str | None, gazetteer: str | None,
                 ner_labels: list[str], places: bool) -> None:
        self.table = get_actor_table(lexicon)
        self.gaz = get_gazetteer(gazetteer)
        self.lang = pipeline_language(nlp)
        self.ml = self.lang != "en"
        if self.ml:
            self.terms = build_term_matcher(nlp, self.table, self.lang)
            self.cues = country_cues(gazetteer)
        else:
            self.matcher = build_alias_matcher(nlp, self.table)
        self.ner_labels = set(ner_labels)
        self.places = places
        self.version = component_version(CODE_VERSION, self.table.hash, self.gaz.hash)

    def __call__(self, doc: Doc) -> Doc:
        sink = SpanSink(doc, self.suggester)
        strings = doc.vocab.strings
        parsed = has_annotation(doc, "DEP")
        tagged = has_annotation(doc, "TAG") or has_annotation(doc, "POS")
        plain, meto = [], []
        matches = self.terms(doc) if self.ml else [(strings[m], s, e) for m, s, e in self.matcher(doc)]
        for key, s, e in matches:
            (meto if key.startswith("M|") else plain).append((s, e, key))
        chosen = filter_spans([doc[s:e] for s, e, _ in plain])
        keys = {(s, e): k for s, e, k in plain}
        covered = bytearray(len(doc))
        events: list[tuple[int, int, str, Any]] = []
        for sp in chosen:
            covered[sp.start:sp.end] = b"\x01" * (sp.end - sp.start)
            events.append((sp.start, sp.end, "alias", keys[(sp.start, sp.end)]))
        meto_at = {(s, e): k[2:] for s, e, k in meto}
        for ent in doc.ents:
            if ent.label_ not in self.ner_labels or any(covered[ent.start:ent.end]):
                continue
            s, e = _trim_entity(doc, ent.start, ent.end)
            if (s, e) in meto_at:
                continue  # the capital itself ('Moscow’s'): handled as a metonym below
            for k in [k for k in meto_at if ent.start <= k[0] and k[1] <= ent.end]:
                del meto_at[k]  # a capital inside a longer name ('Moscow State Institute ...')
            covered[ent.start:ent.end] = b"\x01" * (ent.end - ent.start)
            events.append((ent.start, ent.end, "ner", ent.label_))
        for (s, e), gov in meto_at.items():
            if not any(covered[s:e]):
                events.append((s, e, "meto", gov))
        events.sort()
        state = _DocState()
        sents = SentIndex(doc) if self.ml else None
        self._text = doc.text if self.ml else ""
        for s, e, source, info in events:
            if source == "alias":
                actor = self.table.actors[info]
                text = doc[s:e].text
                sink.add(s, e, actor.name, _SCORES.get(actor.kind, 0.85),
                         f"alias “{text}” → {actor.name} ({actor.country or 'intl'})",
                         {"actor": actor.name, "country": actor.country, "kind": actor.kind,
                          "source": "alias", "mention": text})
                if actor.kind == "person":
                    state.surnames.setdefault(actor.name.split()[-1], actor.name)
            elif source == "meto":
                self._metonym(doc, sink, s, e, info, parsed)
            elif self.ml:
                self._entity_ml(doc, sink, s, e, info, state, sents)
            else:
                self._entity(doc, sink, s, e, info, state, tagged)
        sink.close()
        return doc

    # ------------------------------------------------------------------ helpers
    def _metonym(self, doc: Doc, sink: SpanSink, s: int, e: int, gov: str, parsed: bool) -> None:
        use = metonym_use(doc, s, e, parsed)
        if use is None:
            return
        text = doc[s:e].text
        actor = self.table.actors[gov]
        if use == "actor":
            dep = doc[e - 1].dep_ if parsed else "possessive/clause start"
            sink.add(s, e, actor.name, 0.75,
                     f"“{text}” used as an actor ({dep}) → {actor.name} ({actor.country})",
                     {"actor": actor.name, "country": actor.country, "kind": "government",
                      "source": "metonym", "mention": text})
        elif self.places:
            sink.add(s, e, text, 0.4, f"“{text}” used as a place ({actor.country})",
                     {"actor": text, "country": actor.country, "kind": "place",
                      "source": "metonym", "mention": text})

    def _entity(self, doc: Doc, sink: SpanSink, s: int, e: int, label: str,
                state: "_DocState", tagged: bool) -> None:
        s, e = _trim_entity(doc, s, e)
        surnames = state.surnames
        if label == "PERSON":
            while s < e - 1 and doc[s].text in _TITLES:
                s += 1
        if e <= s or e - s > 8:
            return
        span = doc[s:e]
        text = span.text
        if "\n" in text or not any(ch.isalpha() for ch in text):
            return
        if tagged and label != "NORP" and not any(t.pos_ == "PROPN" for t in span):
            return
        actor = self.table.lookup(text)
        if actor is not None:
            sink.add(s, e, actor.name, _SCORES.get(actor.kind, 0.85) - 0.05,
                     f"{label} “{text}” → alias of {actor.name} ({actor.country or 'intl'})",
                     {"actor": actor.name, "country": actor.country, "kind": actor.kind,
                      "source": "ner+alias", "mention": text})
            return
        if label == "PERSON":
            name = text
            if e - s == 1 and text in surnames:
                name = surnames[text]
            elif e - s > 1:
                surnames.setdefault(doc[e - 1].text, text)
            country = self._title_country(doc, s) or self._appositive_country(doc, e)
            country = country or state.countries.get(name, "")
            if country:
                state.countries.setdefault(name, country)
            sink.add(s, e, name, 0.7, f"NER PERSON “{text}”" + (f" → {name}" if name != text else ""),
                     {"actor": name, "country": country, "kind": "person", "source": "ner",
                      "mention": text})
        elif label == "ORG":
            if "," in text:
                cut = doc.char_span(span.start_char + text.rindex(",") + 1, span.end_char,
                                    alignment_mode="contract")
                if cut is None or not len(cut):
                    return
                s, e, text = cut.start, cut.end, cut.text.strip()
                while s < e and doc[s].is_space:
                    s += 1
                text = doc[s:e].text
            hit = self.gaz.country_of(text)
            sink.add(s, e, text, 0.6, f"NER ORG “{text}”",
                     {"actor": text, "country": hit.country if hit else "", "kind": "organisation",
                      "source": "ner", "mention": text})
        elif label == "NORP":
            if tagged and (doc[e - 1].dep_ in ("amod", "compound") or doc[e - 1].tag_ == "JJ"):
                return
            iso = self.gaz.demonym_country(text)
            country_actor = self.table.country_actor.get(iso or "")
            if country_actor is None:
                return
            sink.add(s, e, country_actor.name, 0.45, f"NORP “{text}” → {country_actor.name}",
                     {"actor": country_actor.name, "country": iso, "kind": "country",
                      "source": "ner", "mention": text})
        elif self.places:
            iso = self.gaz.place_country(text) or ""
            sink.add(s, e, text, 0.4 if iso else 0.3, f"NER {label} “{text}” (place)",
                     {"actor": text, "country": iso, "kind": "place", "source": "ner",
                      "mention": text})

    def _entity_ml(self, doc: Doc, sink: SpanSink, s: int, e: int, label: str,
                   state: "_DocState", sents: SentIndex) -> None:
        """A Russian, Japanese or Chinese entity (PER/ORG/LOC) not covered by an alias: its
        normal form looked up in the alias table, else a person (surname linked to the full
        name given earlier, country from the nearest country cue before it in its sentence),
        an organisation (known institution, else a country cue inside or before it) or a place."""
        while s < e and (doc[s].is_space or doc[s].is_punct):
            s += 1
        while e > s and (doc[e - 1].is_space or doc[e - 1].is_punct):
            e -= 1
        if e <= s or e - s > 8:
            return
        span = doc[s:e]
        text = span.text
        if "\n" in text or not any(ch.isalpha() for ch in text):
            return
        name = entity_name(doc, span.start_char, span.end_char, self._text)
        actor = self.table.lookup(text) or self.table.lookup(name)
        if actor is not None:
            sink.add(s, e, actor.name, _SCORES.get(actor.kind, 0.85) - 0.05,
                     f"{label} “{text}” → alias of {actor.name} ({actor.country or 'intl'})",
                     {"actor": actor.name, "country": actor.country, "kind": actor.kind,
                      "source": "ner+alias", "mention": text})
            return
        ss, _ = sents.bounds(s)
        lo = doc[ss].idx
        if label in PERSON:
            one = " " not in name and "·" not in name and "・" not in name
            full = state.surnames.get(name) if one else None
            if full is None and one:
                full = next((n for n in state.countries if n != name and
                             (n.endswith(name) or n.split()[-1] == name)), None)
            if full is not None:
                name = full
            else:
                last = re.split(r"[\s·・]", name)[-1]
                if last != name:
                    state.surnames.setdefault(last, name)
            country = state.countries.get(name) or self.cues.nearest(self._text, self.lang, span.start_char,
                                                                     span.end_char, lo=lo) or ""
            state.countries.setdefault(name, country)
            sink.add(s, e, name, 0.7, f"NER {label} “{text}”" + (f" → {name}" if name != text else ""),
                     {"actor": name, "country": country, "kind": "person", "source": "ner",
                      "mention": text})
        elif label in ("ORG",):
            inst = self.cues.institution(text, self.lang)
            country = inst[1] if inst else (self.cues.nearest(text, self.lang, len(text)) or
                                            self.cues.nearest(self._text, self.lang, span.start_char, lo=lo) or "")
            sink.add(s, e, inst[0] if inst else name, 0.6, f"NER ORG “{text}”",
                     {"actor": inst[0] if inst else name, "country": country, "kind": "organisation",
                      "source": "ner", "mention": text})
        elif self.places:
            iso = self.gaz.place_country(name) or self.gaz.place_country(text) or \
                self.cues.nearest(text, self.lang, len(text)) or ""
            sink.add(s, e, name, 0.4 if iso else 0.3, f"NER {label} “{text}” (place)",
                     {"actor": name, "country": iso, "kind": "place", "source": "ner",
                      "mention": text})

    def _appositive_country(self, doc: Doc, e: int) -> str:
        """Country of the affiliation in 'Name, a professor at X in Y, said ...'."""
        if e >= len(doc) or doc[e].text != ",":
            return ""
        j = e + 1
        while j < len(doc) and j - e < 30 and doc[j].text not in _STOP and \
                doc[j].tag_ not in ("VBD", "VBZ", "VBP", "MD") and doc[j].ent_type_ != "PERSON":
            j += 1
        _, where = self.gaz.affiliation(doc[e + 1:j].text)
        return where.country if where else ""

    def _title_country(self, doc: Doc, s: int) -> str:
        """Country from a title just before a name ('Russian Deputy Foreign Minister X')."""
        i = s - 1
        words = []
        while i >= 0 and s - i <= 5 and doc[i].text[:1].isupper() and not doc[i].is_sent_start:
            words.append(doc[i].text)
            i -= 1
        if i >= 0 and s - i <= 5 and doc[i].is_sent_start and doc[i].text[:1].isupper():
            words.append(doc[i].text)
        for w in reversed(words):
            iso = self.gaz.demonym_country(w) or self.gaz.place_country(w)
            if iso:
                return iso
        return ""


@Language.factory(
    "framelens_actors",
    default_config={"lexicon": None, "gazetteer": None,
                    "ner_labels": ["PERSON", "PER", "ORG", "GPE", "NORP", "LOC"], "places": True},
)
def make_actors(nlp: Language, name: str, lexicon: str | None, gazetteer: str | None,
                ner_labels: list[str], places: bool) -> ActorSuggester:
    return ActorSuggester(nlp, lexicon, gazetteer, ner_labels, places)


# --------------------------------------------------------------------------- aggregation

def _field(s: Any, key: str, default=None):
    if isinstance(s, Mapping):
        return s.get(key, default)
    return getattr(s, key, default)


def iter_articles(suggestions_by_article) -> Iterable[tuple[int, list]]:
    if isinstance(suggestions_by_article, Mapping):
        return suggestions_by_article.items()
    return suggestions_by_article


@dataclass
class ActorCounts:
    """Mentions per actor: per article, per outlet, and per outlet by the actor's country."""

    by_article: dict[int, Counter] = field(default_factory=dict)
    by_outlet: dict[str, Counter] = field(default_factory=dict)
    countries_by_outlet: dict[str, Counter] = field(default_factory=dict)
    articles_by_outlet: dict[str, Counter] = field(default_factory=dict)


def actor_counts(suggestions_by_article, article_outlet: Mapping[int, str], *,
                 kinds: Iterable[str] | None = None, min_score: float = 0.0) -> ActorCounts:
    """Count actor mentions per article and per outlet.

    ``suggestions_by_article``: ``{article_id: [Suggestion | dict, ...]}`` or an iterable of
    ``(article_id, suggestions)`` (the output of ``suggest``); only suggester "actors" counts.
    ``kinds`` restricts to data["kind"] values (e.g. {"person", "government"}).
    ``articles_by_outlet`` counts articles (not mentions) that name each actor.
    """
    wanted = set(kinds) if kinds else None
    out = ActorCounts()
    for article_id, suggestions in iter_articles(suggestions_by_article):
        counts: Counter = Counter()
        countries: Counter = Counter()
        for s in suggestions:
            if _field(s, "suggester") != "actors" or float(_field(s, "score", 0.0)) < min_score:
                continue
            data = _field(s, "data") or {}
            if wanted is not None and data.get("kind") not in wanted:
                continue
            counts[_field(s, "label")] += 1
            countries[data.get("country") or "?"] += 1
        out.by_article[article_id] = counts
        outlet = article_outlet.get(article_id, "?")
        out.by_outlet.setdefault(outlet, Counter()).update(counts)
        out.countries_by_outlet.setdefault(outlet, Counter()).update(countries)
        out.articles_by_outlet.setdefault(outlet, Counter()).update(set(counts))
    return out
