"""Who is speaking: normalising a speaker mention and resolving 'he', 'the expert', 'Former US
Diplomat' or 'Russian Foreign Minister' to a named speaker (voices suggester helper).

Resolution of a mention (the tokens of a speech verb's subject, or of 'according to X'):

1. a pronoun -> the most recently introduced named speaker (salience);
2. a description whose head is a collective ('the Japanese side') -> '<Demonym> government';
   an anonymous group or indefinite description ('analysts', 'a Japanese official') -> a
   generic speaker labelled with its head noun and nationality;
   a definite description ('the expert', 'Former US Diplomat', 'Russian Foreign Minister')
   -> the holder of that role among the actors the article has named, else the most recent
   named speaker whose introduction contains the head noun, else the most recent one;
3. an alias of the actor table -> that actor;
4. a name (a PERSON entity or capitalised words) -> that person, a bare surname linked to
   the full name introduced earlier;
5. an organisation -> the organisation.

A named speaker's country is that of their affiliation (gazetteer), else their own country
in the actor table, else a nationality in their title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from .actors import ActorTable
from .common import inflections
from .gazetteer import Gazetteer


@dataclass(frozen=True)
class Speaker:
    name: str
    country: str | None
    affiliation: str | None
    kind: str                 # person, generic, government, country, organisation
    description: str = ""
    resolved_by: str = ""


class VoiceLexicon:
    """speech_verbs.json for one language."""

    def __init__(self, block: dict) -> None:
        self.forms: dict[str, str] = {}
        for lemma in block.get("verbs", []):
            for f in inflections(lemma):
                self.forms.setdefault(f, lemma)
        for lemma, forms in (block.get("irregular") or {}).items():
            for f in forms:
                self.forms[f.lower()] = lemma
        self.restricted = {w.lower() for w in block.get("restricted", [])}
        self.noun_like = {w.lower() for w in block.get("noun_like_forms", [])}
        self.phrases: list[tuple[str, str]] = [(p["text"].lower(), p["kind"]) for p in block.get("phrases", [])]
        self.descriptors = {w.lower() for w in block.get("descriptors", [])}
        self.collectives = {w.lower() for w in block.get("collectives", [])}
        self.generic_plural = {w.lower() for w in block.get("generic_plural", [])}
        self.pronouns = {w.lower() for w in block.get("pronouns", [])}
        self.plural_pronouns = {w.lower() for w in block.get("plural_pronouns", [])}
        self.indefinite = {w.lower() for w in block.get("indefinite", [])}
        self.titles = {w.lower() for w in block.get("titles", [])}
        self.openers = {w.lower() for w in block.get("openers", [])}
        self.quote_pairs = [tuple(p) for p in block.get("quote_pairs", [["“", "”"], ['"', '"']])]
        self.trailers = [w for w in block.get("mention_trailers", [])]

    def head_kind(self, word: str) -> str | None:
        w = word.lower()
        if w in self.generic_plural:
            return "plural"
        if w in self.collectives:
            return "collective"
        if w in self.descriptors:
            return "descriptor"
        if w.endswith("s") and w[:-1] in self.descriptors:
            return "plural"
        return None


_DETS = {"the", "a", "an", "this", "that", "these", "those", "some", "several", "many", "one",
         "other", "another", "certain", "various", "most", "few", "two", "three"}
_ROLE_DROP = _DETS | {"former", "incumbent", "then", "current", "new", "acting", "his", "her",
                      "its", "their", "country's", "'s", "’s"}


class SpeakerResolver:
    """Per-document speaker registry plus the normalisation rules above."""

    def __init__(self, lex: VoiceLexicon, table: ActorTable, gaz: Gazetteer) -> None:
        self.lex = lex
        self.table = table
        self.gaz = gaz
        self.text = ""
        self.people: dict[str, Speaker] = {}
        self.recent: list[tuple[int, str]] = []

    def reset(self, text: str) -> None:
        self.text = text
        self.people = {}
        self.recent = []

    # ------------------------------------------------------------------ registry
    def register(self, pos: int, speaker: Speaker) -> Speaker:
        """Remember a named person (keeping the richest description/affiliation seen)."""
        if speaker.kind != "person":
            return speaker
        old = self.people.get(speaker.name)
        if old is not None:
            speaker = replace(
                speaker,
                description=speaker.description or old.description,
                affiliation=speaker.affiliation or old.affiliation,
                country=speaker.country if speaker.affiliation or not old.country else old.country,
            )
        self.people[speaker.name] = speaker
        self.recent.append((pos, speaker.name))
        return speaker

    def latest(self, pos: int, head: str | None = None) -> Speaker | None:
        fallback = None
        for p, name in reversed(self.recent):
            if p > pos:
                continue
            sp = self.people[name]
            if head is None:
                return sp
            if fallback is None:
                fallback = sp
            if head in sp.description.lower():
                return sp
        return fallback

    # ------------------------------------------------------------------ resolution
    def resolve(self, doc: Doc, start: int, end: int, pos: int, *, context: tuple[int, int] | None = None,
                description: str = "") -> Speaker | None:
        """Speaker for the mention ``doc[start:end]`` made at character ``pos``."""
        toks = [t for t in doc[start:end] if not t.is_space and t.text not in (",", "“", "”", '"')]
        while toks and (toks[0].lower_ in self.lex.openers or toks[0].pos_ == "ADV"):
            toks = toks[1:]
        while toks and (toks[-1].lower_ in ("'s", "’s", "also") or toks[-1].is_punct):
            toks = toks[:-1]
        if not toks:
            return None
        ctx_text = doc[context[0]:context[1]].text if context else _text(toks)
        cut = self._descriptor_head(toks)
        if cut:
            toks = toks[:cut]
        lower = [t.lower_ for t in toks]
        if len(toks) == 1 and (lower[0] in self.lex.pronouns or lower[0] in self.lex.plural_pronouns):
            sp = self.latest(pos)
            return replace(sp, resolved_by="coreference: pronoun → most recent named speaker") if sp else None
        head = lower[-1]
        kind = self.lex.head_kind(head)
        if kind is not None and toks[-1].ent_type_ != "PERSON":
            return self._description(toks, lower, kind, pos, ctx_text, description)
        actor = self._alias(toks)
        if actor is not None:
            return self._from_actor(actor, description)
        meto = self.table.metonyms.get(_text(toks))
        if meto:
            gov = self.table.actors[meto]
            return Speaker(gov.name, gov.country, None, "government", resolved_by="capital as government")
        name_toks = self._strip_titles(toks)
        if not name_toks:
            return None
        is_name = all(t.text[:1].isupper() for t in name_toks) and (
            any(t.ent_type_ == "PERSON" for t in name_toks) or not any(t.ent_type_ for t in name_toks))
        if is_name and not any(t.ent_type_ in ("ORG", "GPE", "NORP", "LOC") for t in name_toks):
            return self._person(_text(name_toks), toks, description)
        if any(t.ent_type_ == "ORG" for t in toks) or self.gaz.institution(_text(toks)):
            text = _text(toks)
            hit = self.gaz.country_of(text)
            return Speaker(text, hit.country if hit else None, text, "organisation", resolved_by="organisation")
        return None

    def _descriptor_head(self, toks) -> int:
        """Length of the mention up to its descriptor when a clause follows it ('a Japanese
        official who participated' -> 'a Japanese official'); 0 when nothing to cut."""
        for i, t in enumerate(toks[:-1]):
            if t.lower_ in ("who", "which", "that", "whose", "from", "with", "at", "of") and i > 0:
                if self.lex.head_kind(toks[i - 1].lower_) is not None:
                    return i
                return 0
        return 0

    def _strip_titles(self, toks):
        out = list(toks)
        while len(out) > 1 and (out[0].lower_ in self.lex.titles or out[0].lower_ in _DETS):
            out = out[1:]
        return out

    def _alias(self, toks):
        """Longest alias in the mention, preferring one that ends at its head (last token):
        'Shoigu's predecessor Igor Sergeyev' is Sergeyev, not Shoigu."""
        toks = toks[-8:]
        n = len(toks)
        for size in range(n, 0, -1):
            actor = self.table.lookup(_text(toks[n - size:]))
            if actor is not None:
                return actor
        for size in range(n - 1, 0, -1):
            for i in range(0, n - size):
                actor = self.table.lookup(_text(toks[i:i + size]))
                if actor is not None:
                    return actor
        return None

    def _from_actor(self, actor, description: str) -> Speaker:
        if actor.kind != "person":
            return Speaker(actor.name, actor.country or None, None, actor.kind, resolved_by="alias table")
        aff, where = self.gaz.affiliation(description) if description else (None, None)
        country = where.country if where else (actor.country or None)
        known = self.people.get(actor.name)
        if known and not description:
            return replace(known, resolved_by="alias table")
        return Speaker(actor.name, country, aff, "person", description, resolved_by="alias table")

    def _person(self, name: str, toks, description: str) -> Speaker:
        if " " not in name:
            for full in reversed(list(self.people)):
                if full.split()[-1] == name:
                    return replace(self.people[full], resolved_by="surname of a named speaker")
        known = self.people.get(name)
        if known and not description:
            return replace(known, resolved_by="named speaker")
        aff, where = self.gaz.affiliation(description) if description else (None, None)
        country = where.country if where else None
        if country is None:
            for t in toks:
                iso = self.gaz.demonym_country(t.text)
                if iso:
                    country = iso
                    break
        if country is None and known is not None:
            country = known.country
        return Speaker(name, country, aff, "person", description, resolved_by="name")

    def _nationality(self, text: str) -> str | None:
        hit = self.gaz.institution(text) or self.gaz.based_in(text)
        if hit:
            return hit.country
        for place in self.gaz.places_in(text):
            return place.country
        return None

    def _description(self, toks, lower, kind, pos, ctx_text, description) -> Speaker | None:
        head = lower[-1]
        iso = self._nationality(_text(toks)) or self._nationality(ctx_text)
        demonym = self.gaz.demonym_label(iso) if iso else ""
        if kind == "collective":
            if not iso:
                return None
            return Speaker(f"{demonym} government", iso, None, "government",
                           resolved_by=f"collective ‘{_text(toks)}’")
        indefinite = lower[0] in self.lex.indefinite
        if kind == "plural" or indefinite:
            noun = toks[-1].lemma_.lower() if kind != "plural" and toks[-1].lemma_ else head
            label = f"{demonym} {noun}".strip()
            return Speaker(label, iso, None, "generic", resolved_by="anonymous speaker")
        role_words = [w for w in lower if w not in _ROLE_DROP and not self.gaz.demonym_country(w)
                      and not self.gaz.place_country(w)]
        role = " ".join(role_words)
        candidates = self.table.by_role(role, iso) if role else []
        best, best_pos = None, -1
        for actor in candidates:
            p = self._last_mention(actor, pos)
            if p > best_pos:
                best, best_pos = actor, p
        if best is not None:
            sp = self._from_actor(best, "")
            return replace(sp, resolved_by=f"role ‘{role}’ → {best.name}")
        singular = head[:-1] if head.endswith("s") and head[:-1] in self.lex.descriptors else head
        sp = self.latest(pos, singular)
        if sp is not None:
            how = "matching description" if singular in sp.description.lower() else "most recent named speaker"
            return replace(sp, resolved_by=f"coreference: ‘{_text(toks)}’ → {how}")
        if iso:
            return Speaker(f"{demonym} {singular}", iso, None, "generic", resolved_by="anonymous speaker")
        return None

    def _last_mention(self, actor, pos: int) -> int:
        best = -1
        for alias, name in self.table.aliases.items():
            if name != actor.name or len(alias) < 3:
                continue
            i = self.text.rfind(alias, 0, pos)
            while i >= 0:
                before = self.text[i - 1] if i > 0 else " "
                after = self.text[i + len(alias)] if i + len(alias) < len(self.text) else " "
                if not before.isalnum() and not after.isalnum():
                    best = max(best, i)
                    break
                i = self.text.rfind(alias, 0, i)
        return best


_WS = re.compile(r"\s+")


def _text(toks) -> str:
    """The tokens' text as written (no spaces invented between CJK characters)."""
    return "".join(t.text_with_ws for t in toks).strip()


def clean_description(text: str) -> str:
    out = _WS.sub(" ", text).strip(" ,;:")
    if out.endswith(".") and not re.search(r"\b[A-Z]\.$", out):
        out = out[:-1].rstrip(" ,;:")
    return out
