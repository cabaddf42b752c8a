"""Language-independent evidence for pairs across languages: actors through the alias table of
assets/lexicons/actors.json (any script), places through the gazetteer of
assets/lexicons/places.json (any script; Russian names in any case) and numbers written in digits;
the calibrated model score adjusted by them (``XL_*`` in annotate/analysis/align/model.py).

Places travel with the actors (``_Passage.actors`` holds both, keyed by canonical name, so the
evidence line lists a shared place among the shared names); the score tells them apart by name
(:func:`_place_names`) and treats them as a kind of their own: a shared place earns XL_BONUS, two
passages that both name places and share none get XL_PLACE_PENALTY ("same kind of event, other
places")."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

from framelens.annotate.resources import asset_path

from .model import XL_BONUS, XL_NAME_PENALTY, XL_NUMBER_PENALTY, XL_PLACE_PENALTY, XL_SCALE


def actors_path() -> Path:
    """The actor table: ``assets/lexicons/actors.json`` (``$FRAMELENS_ASSETS`` honoured, looked up
    at each call so that a test or a lab can point it elsewhere)."""
    return asset_path("lexicons", "actors.json")


def _actor_index(path: str | None = None) -> tuple:
    """(aliases by first word, (regex of the aliases in Chinese or Japanese script, alias ->
    actor), content hash) of the actor table (default :func:`actors_path`); word aliases match
    whole words (case-sensitive, as the table says), Chinese/Japanese ones anywhere.  A missing
    or unreadable table gives no actors (hash "none")."""
    return _actor_index_of(str(path or actors_path()))


@lru_cache(maxsize=4)
def _actor_index_of(path: str) -> tuple:
    try:
        raw = Path(path).read_bytes()
        actors = json.loads(raw.decode("utf-8")).get("actors", [])
    except (OSError, ValueError, AttributeError):
        return {}, (None, {}), "none"
    by_first: dict[str, list] = {}
    cjk: dict[str, str] = {}
    for actor in actors:
        if not isinstance(actor, dict):
            continue
        for alias in actor.get("aliases", []) + [actor.get("name", "")]:
            if not isinstance(alias, str) or len(alias.strip()) < 2:
                continue
            alias = alias.strip()
            if any("\u3040" <= c <= "\u9fff" for c in alias):
                cjk.setdefault(alias, actor.get("name", alias))
            elif words := _NAME_WORD.findall(alias):
                by_first.setdefault(words[0], []).append((tuple(words), actor.get("name", alias)))
    for entries in by_first.values():
        entries.sort(key=lambda x: -len(x[0]))
    rx = re.compile("|".join(re.escape(a) for a in sorted(cjk, key=len, reverse=True))) \
        if cjk else None
    return by_first, (rx, cjk), hashlib.sha256(raw).hexdigest()[:12]


def places_path() -> Path:
    """The place gazetteer: ``assets/lexicons/places.json`` (``$FRAMELENS_ASSETS`` honoured, looked
    up at each call like :func:`actors_path`)."""
    return asset_path("lexicons", "places.json")


# Russian case endings, longest first: a crude stem that lets Москве / Москвы / Москву match
# Москва and Курильских островов match Курильские острова (nouns and adjectives of place names).
_RU_ENDINGS = tuple(sorted((
    "ами ями ого его ому ему ыми ими ой ей ий ый ая яя ое ее ом ем ах ях ую юю ам ям ов ев ых их им ым ою ею "
    "ые ие а я о е у ю ы и ь й").split(), key=len, reverse=True))
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _word_key(word: str) -> str:
    """What a word of a place name is compared by: Cyrillic words lower-cased without a case ending
    (the stem kept at 3 letters or more), other words as written without a possessive 's."""
    if _CYRILLIC.search(word):
        w = word.lower().replace("ё", "е")
        for end in _RU_ENDINGS:
            if w.endswith(end) and len(w) - len(end) >= 3:
                return w[:-len(end)]
        return w
    return re.sub(r"['’]s$", "", word)


def _place_index(path: str | None = None) -> tuple:
    """(place-name words by the key of their first word, (regex of the Chinese/Japanese names, name
    -> place), canonical names, content hash) of the gazetteer (default :func:`places_path`).
    Places the actor table already holds (by name or alias) are left out; a missing or unreadable
    gazetteer gives no places (hash "none")."""
    return _place_index_of(str(path or places_path()), str(actors_path()))


@lru_cache(maxsize=4)
def _place_index_of(path: str, actors: str) -> tuple:
    actor_first, (_, actor_cjk), _ = _actor_index_of(actors)
    actor_words = {tuple(_word_key(w) for w in words) for entries in actor_first.values()
                   for words, _ in entries}
    actor_words |= {(_word_key(n),) for entries in actor_first.values() for _, n in entries}
    try:
        raw = Path(path).read_bytes()
        places = json.loads(raw.decode("utf-8")).get("places", [])
    except (OSError, ValueError, AttributeError):
        return {}, (None, {}), frozenset(), "none"
    by_first: dict[str, list] = {}
    cjk: dict[str, str] = {}
    names = set()
    for place in places:
        if not isinstance(place, dict) or not isinstance(place.get("name"), str):
            continue
        name, aliases = place["name"], place.get("aliases", {})
        aliases = [a for v in aliases.values() for a in (v if isinstance(v, list) else [])] \
            if isinstance(aliases, dict) else []
        if (_word_key(name),) in actor_words:
            continue
        for alias in aliases:
            if not isinstance(alias, str) or len(alias.strip()) < 2:
                continue
            alias = alias.strip()
            if _HAS_CJK.search(alias):
                if alias not in actor_cjk:
                    cjk.setdefault(alias, name)
                    names.add(name)
            elif words := _NAME_WORD.findall(alias):
                key = tuple(_word_key(w) for w in words)
                if key not in actor_words:
                    by_first.setdefault(key[0], []).append((key, name))
                    names.add(name)
    for entries in by_first.values():
        entries.sort(key=lambda x: -len(x[0]))
    rx = re.compile("|".join(re.escape(a) for a in sorted(cjk, key=len, reverse=True))) \
        if cjk else None
    return by_first, (rx, cjk), frozenset(names), hashlib.sha256(raw).hexdigest()[:12]


def _place_names() -> frozenset:
    """The canonical names of the gazetteer's places (those the actor table does not hold)."""
    return _place_index()[2]


def _places(text: str, words: list) -> list:
    """(place, surface) of every gazetteer name in ``text`` (``words``: its name words with offsets)."""
    by_first, (rx, cjk), _, _ = _place_index()
    out = []
    if by_first:
        keys = [_word_key(w) for w, _, _ in words]
        k = 0
        while k < len(words):
            for key, name in by_first.get(keys[k], ()):
                if tuple(keys[k:k + len(key)]) == key:
                    out.append((name, text[words[k][1]:words[k + len(key) - 1][2]]))
                    k += len(key) - 1
                    break
            k += 1
    if rx is not None and _HAS_CJK.search(text):
        out += [(cjk[m.group(0)], m.group(0)) for m in rx.finditer(text)]
    return out


_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*|\d+")
_XNUM = re.compile(r"(?<![\d.,])\d+(?:[.,]\d{3})*(?:[.,]\d+)?(?![\d])")
_HAS_CJK = re.compile(r"[\u3040-\u9fff]")


def _cross_features(text: str) -> tuple[list, list]:
    """Language-independent evidence: actors through the alias table and places through the
    gazetteer (any script; both in the first list, keyed by canonical name) and numbers written in
    digits (full-width digits folded; "1,000" == "1000"; 0 and 1 ignored)."""
    by_first, (rx, cjk), _ = _actor_index()
    actors = []
    words = [(m.group(0), m.start(), m.end()) for m in _NAME_WORD.finditer(text)]
    if by_first:
        k = 0
        while k < len(words):
            for alias, name in by_first.get(words[k][0], ()):
                if tuple(w for w, _, _ in words[k:k + len(alias)]) == alias:
                    actors.append((name, text[words[k][1]:words[k + len(alias) - 1][2]]))
                    k += len(alias) - 1
                    break
            k += 1
    if rx is not None and _HAS_CJK.search(text):
        actors += [(cjk[m.group(0)], m.group(0)) for m in rx.finditer(text)]
    actors += _places(text, words)
    folded = unicodedata.normalize("NFKC", text) if not text.isascii() else text
    nums = []
    for m in _XNUM.finditer(folded):
        v = m.group(0)
        v = v.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", v) else v.replace(",", ".")
        v = v.rstrip("0").rstrip(".") if "." in v else v.lstrip("0") or "0"
        if v not in ("0", "1"):
            nums.append((v, m.group(0)))
    return actors, nums



def _incidence(items: list[list[str]]) -> np.ndarray:
    vocab: dict[str, int] = {}
    rows = [[vocab.setdefault(k, len(vocab)) for k in set(keys)] for keys in items]
    mat = np.zeros((len(items), max(len(vocab), 1)), dtype=np.float32)
    for i, cols in enumerate(rows):
        mat[i, cols] = 1.0
    return mat


def _cross_language_scores(passages, sem: np.ndarray) -> np.ndarray:
    """Calibrated semantic score with the actor, place and number evidence (``XL_*``), scaled to
    the lexical thresholds."""
    boost, factor = np.zeros_like(sem), np.ones_like(sem)
    places = _place_names()
    for feats, penalty in (
            ([[k for k, _ in p.actors if k not in places] for p in passages], XL_NAME_PENALTY),
            ([[k for k, _ in p.actors if k in places] for p in passages], XL_PLACE_PENALTY),
            ([[k for k, _ in p.xnumbers] for p in passages], XL_NUMBER_PENALTY)):
        inc = _incidence(feats)
        shared, has = (inc @ inc.T) > 0, inc.sum(axis=1) > 0
        boost += XL_BONUS * shared
        factor *= np.where(has[:, None] & has[None, :] & ~shared, penalty, 1.0).astype(np.float32)
    return np.clip((sem + boost) * factor * XL_SCALE, 0.0, 1.0)

