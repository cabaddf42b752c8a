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
        self._last: dict[tuple[str, str], list] = {}
        self.first_letters: dict[str, dict] = {}
        self.institutions: list[tuple[str, str, str]] = []
        for inst in data.get("institutions", []):
            for alias in inst.get("aliases", []):
                self.institutions.append((alias, inst["name"], inst["country"]))
        self.institutions.sort(key=lambda x: -len(x[0]))
        self._inst_re: re.Pattern | None = None
        self._inst_by_alias: dict[str, tuple[str, str]] = {}

    def all(self, text: str, lang: str) -> list[tuple[int, int, str]]:
        """(start, end, iso) of every cue in ``text``, in text order, longest cue first at a
        place (the last two texts' results are kept: the suggesters ask about one article
        many times)."""
        key = (lang, text)
        hit = self._last.get(key)
        if hit is None:
            hit = self._all(text, lang)
            if len(self._last) >= 2:
                self._last.pop(next(iter(self._last)))
            self._last[key] = hit
        return hit

    def _all(self, text: str, lang: str) -> list[tuple[int, int, str]]:
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
            by_first = self.first_letters.get(lang)
            if by_first is None:
                by_first = self.first_letters[lang] = {}
                for c, iso in cues:
                    by_first.setdefault(c[:1], []).append((c, iso))
            for m in _WORD.finditer(low):
                w = m.group()
                cands = by_first.get(w[:1])
                if not cands:
                    continue
                rest = low[m.start():m.start() + 20]
                hit = next(((c, iso) for c, iso in cands if (rest.startswith(c) if " " in c else
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
        found = [x for x in self.all(text, lang) if lo <= x[0] and x[1] <= hi]
        best = None
        for s, e, iso in found:
            if e <= before:
                best = iso
        if best is None and after is not None:
            best = next((iso for s, e, iso in found if s >= after), None)
        return best

    def institution(self, text: str, lang: str) -> tuple[str, str] | None:
        """(name, country) of the first known organisation named in ``text`` (whole words,
        except in Chinese and Japanese text, where any substring counts)."""
        if lang in CJK_LANGS:
            for alias, name, iso in self.institutions:
                if alias in text:
                    return name, iso
            return None
        if self._inst_re is None:
            body = "|".join(re.escape(a) for a, _, _ in self.institutions)
            self._inst_re = re.compile(rf"(?<![\w-])(?:{body})(?![\w])")
            self._inst_by_alias = {a: (n, iso) for a, n, iso in reversed(self.institutions)}
        m = self._inst_re.search(text)
        return self._inst_by_alias[m.group()] if m else None


@lru_cache(maxsize=8)
def _cues(path: str, digest: str) -> CountryCues:
    data, _ = load_lexicon(path)
    return CountryCues(data)


def country_cues(configured: str | None = None) -> CountryCues:
    path = lexicon_path("affiliations.json", configured)
    _, digest = load_lexicon(path)
    return _cues(str(path), digest)


def entity_name(doc, start_char: int, end_char: int, text: str | None = None) -> str:
    """The entity's normal form when the pipeline gave one, else its text (``text``: the
    doc's text, when the caller has it — ``doc.text`` is rebuilt at every access)."""
    norms = doc._.fl_ent_norm or {}
    hit = norms.get(f"{start_char}:{end_char}")
    if hit:
        return hit
    return (doc.text if text is None else text)[start_char:end_char]
