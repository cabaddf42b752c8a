"""Helpers the suggesters share for Russian, Japanese and Chinese text.

* :class:`CountryCues` — which country a name's context places it in ('俄罗斯外长拉夫罗夫',
  'ロシアのラブロフ外相', 'глава МИД России Сергей Лавров'), from ``country_cues`` in
  ``assets/lexicons/affiliations.json``: Russian cues are word beginnings (stems), Japanese
  and Chinese cues are substrings.  The cue nearest to the name wins.
* :func:`institution` — a known organisation named in a text (the gazetteer's aliases; for
  CJK text by substring, since word boundaries do not exist there).
* :func:`entity_name` — the name an entity stands for: its normal form when the Russian
  pipeline computed one ('Лаврова' → 'Лавров'), else its text.
* :data:`PERSON` — the entity labels that mean a person (spaCy English PERSON, PER elsewhere).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .common import CJK_LANGS, lexicon_path, load_lexicon

PERSON = ("PERSON", "PER")
ORG = ("ORG",)
PLACE = ("GPE", "LOC")
_WORD = re.compile(r"[\w-]+")


class CountryCues:
    def __init__(self, data: dict) -> None:
        self.by_lang: dict[str, list[tuple[str, str]]] = {}
        for lang, per_iso in (data.get("country_cues") or {}).items():
            cues = [(c.lower(), iso) for iso, words in per_iso.items() for c in words]
            cues.sort(key=lambda x: -len(x[0]))
            self.by_lang[lang] = cues
        self.institutions: list[tuple[str, str, str]] = []
        for inst in data.get("institutions", []):
            for alias in inst.get("aliases", []):
                self.institutions.append((alias, inst["name"], inst["country"]))
        self.institutions.sort(key=lambda x: -len(x[0]))

    def all(self, text: str, lang: str) -> list[tuple[int, int, str]]:
        """(start, end, iso) of every cue in ``text``, in text order, longest cue first at a place."""
        cues = self.by_lang.get(lang) or []
        if not cues:
            return []
        low = text.lower()
        out = []
        if lang in CJK_LANGS:
            taken = bytearray(len(text))
            for cue, iso in cues:
                i = low.find(cue)
                while i >= 0:
                    if not any(taken[i:i + len(cue)]):
                        taken[i:i + len(cue)] = b"\x01" * len(cue)
                        out.append((i, i + len(cue), iso))
                    i = low.find(cue, i + 1)
        else:
            for m in _WORD.finditer(low):
                w = m.group()
                rest = low[m.start():m.start() + 20]
                hit = next(((c, iso) for c, iso in cues if (rest.startswith(c) if " " in c else
                                                            w.startswith(c)) and (len(c) > 2 or w == c)), None)
                if hit is not None:
                    out.append((m.start(), m.start() + len(hit[0]), hit[1]))
        out.sort()
        return out

    def nearest(self, text: str, lang: str, before: int, after: int | None = None,
                lo: int = 0, hi: int | None = None) -> str | None:
        """Country of the cue nearest to ``before`` in text[lo:before], else the first one in
        text[after:hi] (the title after a name, 'ラブロフ外相' has none, '拉夫罗夫' none)."""
        hi = len(text) if hi is None else hi
        found = self.all(text[lo:hi], lang)
        best = None
        for s, e, iso in found:
            if lo + e <= before:
                best = iso
        if best is None and after is not None:
            best = next((iso for s, e, iso in found if lo + s >= after), None)
        return best

    def institution(self, text: str, lang: str) -> tuple[str, str] | None:
        """(name, country) of the first-listed longest known organisation in ``text``."""
        for alias, name, iso in self.institutions:
            if lang in CJK_LANGS or not alias[:1].isalpha():
                if alias in text:
                    return name, iso
            elif re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w])", text):
                return name, iso
        return None


@lru_cache(maxsize=8)
def _cues(path: str, digest: str) -> CountryCues:
    data, _ = load_lexicon(path)
    return CountryCues(data)


def country_cues(configured: str | None = None) -> CountryCues:
    path = lexicon_path("affiliations.json", configured)
    _, digest = load_lexicon(path)
    return _cues(str(path), digest)


def entity_name(doc, start_char: int, end_char: int) -> str:
    norms = doc._.fl_ent_norm or {}
    return norms.get(f"{start_char}:{end_char}") or doc.text[start_char:end_char]
