"""Country lookup for speakers' affiliations and places (assets/lexicons/affiliations.json).

Everything here runs on short strings (a name's appositive, an entity's text), never on a
whole article, so plain compiled regular expressions are cheap enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .common import lexicon_path, load_lexicon

_ORG_WORDS = (
    "University|Institute|Institution|Forum|Academy|College|Center|Centre|Ministry|Club|Council|"
    "Foundation|School|Agency|Society|Association|Committee|Corporation|Bank|Fund|Department|"
    "Office|Bureau|Times|News|Post|Journal|Service|Commission|Laboratory|Studies|Programme|Program"
)
_CAP = r"(?:[A-Z][\w.&'’-]*|\([A-Z]{2,}\))"
_CONNECT = r"(?:of|for|and|on|the|de|&)"
_ORG_RE = re.compile(
    rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP})*"
)
_ORG_WORD_RE = re.compile(rf"\b(?:{_ORG_WORDS})\b")
_TITLE_HEAD_RE = re.compile(
    r"^(?:(?:Senior|Associate|Assistant|Deputy|Vice|Former|Visiting|Research|Executive|Chief|"
    r"Head|Director|President|Professor|Fellow|Chairman|Chair|Dean|Lecturer|Member|Editor|"
    r"Researcher|Analyst|Expert|Adviser|Advisor|General|Secretary|Founder|Manager)\s+)+"
    r"(?:(?:of|at)\s+(?:the\s+)?)?"
)
_BASED_RE = re.compile(r"\bbased in (?:the )?([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*)|"
                       r"\b([A-Z][\w.'’]*(?: [A-Z][\w.'’]*)?)-based\b")


@dataclass(frozen=True)
class Place:
    country: str
    term: str
    kind: str  # institution, country, demonym, place
    start: int
    end: int


class Gazetteer:
    """Institutions, countries, demonyms and cities from affiliations.json."""

    def __init__(self, path: str | Path | None = None) -> None:
        data, self.hash = load_lexicon(lexicon_path("affiliations.json", str(path) if path else None))
        self.inst: dict[str, tuple[str, str]] = {}  # alias -> (canonical, country)
        for entry in data.get("institutions", []):
            for alias in [entry["name"], *entry.get("aliases", [])]:
                self.inst[alias] = (entry["name"], entry["country"])
        self.places: dict[str, tuple[str, str]] = {}  # term -> (country, kind)
        self.demonyms: dict[str, str] = {}          # lower demonym -> country
        self.country_names: dict[str, str] = {}      # iso -> first name
        for iso, block in data.get("countries", {}).items():
            names = block.get("names", [])
            if names:
                self.country_names[iso] = names[0]
            for n in names:
                self.places[n] = (iso, "country")
            for n in block.get("demonyms", []):
                self.places[n] = (iso, "demonym")
                self.demonyms[n.lower()] = iso
            for n in block.get("places", []):
                self.places.setdefault(n, (iso, "place"))
        self.labels: dict[str, str] = dict(data.get("demonym_labels", {}))
        self._inst_re = self._alternation(self.inst)
        self._place_re = self._alternation(self.places)
        self._lower_places = {k.lower(): v for k, v in self.places.items()}

    @staticmethod
    def _alternation(words) -> re.Pattern | None:
        items = sorted(words, key=len, reverse=True)
        if not items:
            return None
        body = "|".join(re.escape(w) for w in items)
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w])")

    # ------------------------------------------------------------------ lookups
    def institution(self, text: str) -> Place | None:
        if self._inst_re is None:
            return None
        m = self._inst_re.search(text)
        if not m:
            return None
        canonical, iso = self.inst[m.group(0)]
        return Place(iso, canonical, "institution", m.start(), m.end())

    def places_in(self, text: str) -> list[Place]:
        if self._place_re is None:
            return []
        out = []
        for m in self._place_re.finditer(text):
            iso, kind = self.places[m.group(0)]
            out.append(Place(iso, m.group(0), kind, m.start(), m.end()))
        return out

    def place_country(self, term: str) -> str | None:
        hit = self.places.get(term) or self._lower_places.get(term.lower())
        return hit[0] if hit else None

    def demonym_country(self, word: str) -> str | None:
        return self.demonyms.get(word.lower())

    def demonym_label(self, iso: str) -> str:
        return self.labels.get(iso, iso)

    def based_in(self, text: str) -> Place | None:
        for m in _BASED_RE.finditer(text):
            term = m.group(1) or m.group(2)
            iso = self.place_country(term) if term else None
            if iso:
                return Place(iso, term, "place", m.start(), m.end())
        return None

    def country_of(self, text: str) -> Place | None:
        """Best country evidence in ``text``: institution > based-in > first place/demonym."""
        if not text:
            return None
        hit = self.institution(text) or self.based_in(text)
        if hit:
            return hit
        places = self.places_in(text)
        return places[0] if places else None

    # ------------------------------------------------------------------ affiliations
    def affiliation(self, description: str) -> tuple[str | None, Place | None]:
        """(affiliation text, country evidence) from a speaker's appositive description.

        'an associate professor at Temple University in Japan' -> ('Temple University in
        Japan', JP); 'an expert on Northeast Asian affairs based in Beijing' -> (None, CN).
        """
        desc = description.strip(" ,;:\n")
        if not desc:
            return None, None
        inst = self.institution(desc)
        org = self._org_phrase(desc, inst)
        where = inst or (self.country_of(org) if org else None) or self.country_of(desc)
        return org, where

    def _org_phrase(self, desc: str, inst: Place | None) -> str | None:
        best = None
        for m in _ORG_RE.finditer(desc):
            text = _TITLE_HEAD_RE.sub("", m.group(0)).strip()
            if not text:
                continue
            is_org = bool(_ORG_WORD_RE.search(text)) or (inst is not None and inst.term in text) or \
                any(alias in text for alias in self.inst if len(alias) > 3 and alias in m.group(0))
            if not is_org:
                continue
            end = m.end()
            tail = desc[end:]
            ext = re.match(r"(,? (?:in|at) (?:the )?[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*|"
                           r", [A-Z][\w.'’-]* (?:Campus|Branch|Office))", tail)
            if ext and self.country_of(ext.group(0)):
                text = text + ext.group(0)
            best = text
            break
        return best
