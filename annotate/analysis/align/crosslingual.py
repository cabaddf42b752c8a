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

from framelens.annotate.analysis.embeddings import passage_vectors
from framelens.annotate.resources import asset_path

from .model import LEXICAL_LANGUAGES, XL_BONUS, XL_NAME_PENALTY, XL_NUMBER_PENALTY, XL_PLACE_PENALTY, XL_SCALE


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
    actors, taken = [], set()          # taken: indices of words already part of an actor
    words = [(m.group(0), m.start(), m.end()) for m in _NAME_WORD.finditer(text)]
    if by_first:
        k = 0
        while k < len(words):
            for alias, name in by_first.get(words[k][0], ()):
                if tuple(w for w, _, _ in words[k:k + len(alias)]) == alias:
                    actors.append((name, text[words[k][1]:words[k + len(alias) - 1][2]]))
                    taken.update(range(k, k + len(alias)))
                    k += len(alias) - 1
                    break
            k += 1
    if rx is not None and _HAS_CJK.search(text):
        actors += [(cjk[m.group(0)], m.group(0)) for m in rx.finditer(text)]
    actors += _inflected_actors(text, words, taken)
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



# -- how much a passage says, comparable across languages --------------------------------------

# Units of a language per English word: Russian words, Chinese and Japanese characters (kana and
# kanji).  Measured on the seen golds, source against human English reference (WMT22 dev + test,
# WMT20): Russian 0.81 and 0.82 words, Japanese 1.87 and 1.60 characters, Chinese 1.32 and 1.40
# characters per English word.  Other languages count words as English does.
XL_UNITS_PER_WORD = {"ru": 0.8, "uk": 0.8, "be": 0.8, "ja": 1.75, "zh": 1.35}
# A passage of fewer English-word equivalents is "too short to compare" across languages when it
# has no link: not "only here", never an omission ("29 ноября." / "November 29.", a byline, a
# one-word heading).  It may still link (the model scores short sentences well: on the seen golds
# all 11 Russian segments under 6 words score >= 0.85 (calibrated) with their translation, each
# above its best other passage, median 0.55).  Set on WMT20 Russian and the WMT22 dev documents,
# after seeing both.
XL_MIN_WORDS = 3.0
_CJK_CHAR = re.compile(r"[\u3005\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD_ANY = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def claim_size(text: str, language: str) -> float:
    """How much ``text`` says, in English-word equivalents: its words (Chinese and Japanese
    characters counted apart) over :data:`XL_UNITS_PER_WORD` of ``language``."""
    cjk = len(_CJK_CHAR.findall(text))
    rest = _CJK_CHAR.sub(" ", text) if cjk else text
    words = len(_WORD_ANY.findall(rest))
    ratio = XL_UNITS_PER_WORD.get(language, 1.0)
    if language in ("zh", "ja"):
        return cjk / ratio + words
    return (words + cjk / XL_UNITS_PER_WORD["zh"]) / ratio


# -- Russian (and other Cyrillic) actor names in any case -------------------------------------


def _ru_forms(word: str) -> frozenset:
    """What a Cyrillic name word is compared by: the word lower-cased (ё → е) and every pymorphy3
    normal form of it (Лаврова → лавров, Зеленского → зеленский, Кремля → кремль); without
    pymorphy3 the crude stem of :func:`_word_key` instead.  Two words match when their sets meet."""
    return _ru_forms_of(word)


_MORPH: list = []


@lru_cache(maxsize=65536)
def _ru_forms_of(word: str) -> frozenset:
    low = word.lower().replace("ё", "е")
    if not _MORPH:
        try:
            import pymorphy3  # type: ignore
            _MORPH.append(pymorphy3.MorphAnalyzer())
        except Exception:                       # not installed or dictionaries missing
            _MORPH.append(None)
    if _MORPH[0] is None:
        return frozenset((low, _word_key(word)))
    return frozenset({low} | {p.normal_form.replace("ё", "е") for p in _MORPH[0].parse(word)})


@lru_cache(maxsize=4)
def _actor_lemma_index_of(path: str) -> dict:
    """Actor aliases with a Cyrillic word, by every normal form of their first word: (the words'
    form sets, whether each word is capitalised, actor name)."""
    by_first, _, _ = _actor_index_of(path)
    out: dict[str, list] = {}
    for entries in by_first.values():
        for words, name in entries:
            if not any(_CYRILLIC.search(w) for w in words) or any(w.isdigit() for w in words):
                continue
            forms = tuple(_ru_forms(w) if _CYRILLIC.search(w) else frozenset((w,)) for w in words)
            for f in forms[0]:
                out.setdefault(f, []).append((forms, tuple(w[:1].isupper() for w in words), name))
    for entries in out.values():
        entries.sort(key=lambda x: -len(x[0]))
    return out


def _inflected_actors(text: str, words: list, taken: set) -> list:
    """(actor, surface) of Cyrillic aliases written in another case than the table's (Лаврова,
    Сергею Лаврову, Кремлём): the text's words are compared by :func:`_ru_forms`; a word
    capitalised in the alias must be capitalised in the text (names, not common nouns).  Words
    already matched as written (indices in ``taken``) are skipped."""
    if not _CYRILLIC.search(text):
        return []
    index = _actor_lemma_index_of(str(actors_path()))
    out, k = [], 0
    while k < len(words):
        w = words[k][0]
        size = 1
        if _CYRILLIC.search(w) and w[:1].isupper() and k not in taken:
            for forms, caps, name in (e for f in _ru_forms(w) for e in index.get(f, ())):
                span = words[k:k + len(forms)]
                if len(span) == len(forms) and not taken & set(range(k, k + len(forms))) and all(
                        (not cap or t[:1].isupper())
                        and ((_ru_forms(t) if _CYRILLIC.search(t) else frozenset((t,))) & fs)
                        for (t, _, _), fs, cap in zip(span, forms, caps)):
                    out.append((name, text[span[0][1]:span[-1][2]]))
                    size = len(forms)
                    break
        k += size
    return out


def _incidence(items: list[list[str]]) -> np.ndarray:
    vocab: dict[str, int] = {}
    rows = [[vocab.setdefault(k, len(vocab)) for k in set(keys)] for keys in items]
    mat = np.zeros((len(items), max(len(vocab), 1)), dtype=np.float32)
    for i, cols in enumerate(rows):
        mat[i, cols] = 1.0
    return mat


def _cross_language_scores(passages, sem: np.ndarray) -> np.ndarray:
    """Calibrated semantic score with the actor, place and number evidence (``XL_*``), scaled to
    the lexical thresholds.  Two passages naming actors are "other people" (XL_NAME_PENALTY) only
    when they share no actor and neither names a country (or its government) that an actor of the
    other belongs to: "Russia and Japan exchanged views" and "Lavrov and Kishida discussed" are
    not other people; "Lavrov said" and "Shoigu said" still are."""
    boost, factor = np.zeros_like(sem), np.ones_like(sem)
    places = _place_names()
    for feats, penalty in (
            ([[k for k, _ in p.actors if k not in places] for p in passages], XL_NAME_PENALTY),
            ([[k for k, _ in p.actors if k in places] for p in passages], XL_PLACE_PENALTY),
            ([[k for k, _ in p.xnumbers] for p in passages], XL_NUMBER_PENALTY)):
        inc = _incidence(feats)
        shared, has = (inc @ inc.T) > 0, inc.sum(axis=1) > 0
        boost += XL_BONUS * shared
        unrelated = has[:, None] & has[None, :] & ~shared
        if penalty is XL_NAME_PENALTY:
            unrelated &= ~_same_country(feats)
        factor *= np.where(unrelated, penalty, 1.0).astype(np.float32)
    return np.clip((sem + boost) * factor * XL_SCALE, 0.0, 1.0)


def _same_country(actor_lists: list[list[str]]) -> np.ndarray:
    """[i, j]: passage i names a country (kind country or government in the actor table) that an
    actor named in passage j belongs to, or the other way round."""
    country_of, level = _actor_countries(str(actors_path()))
    vocab: dict[str, int] = {}
    rows = [[(vocab.setdefault(country_of[k], len(vocab)), k in level) for k in ks if k in country_of]
            for ks in actor_lists]
    states = np.zeros((len(actor_lists), max(len(vocab), 1)), dtype=np.float32)
    members = np.zeros_like(states)
    for i, row in enumerate(rows):
        for col, is_state in row:
            members[i, col] = 1.0
            states[i, col] = max(states[i, col], float(is_state))
    hit = (states @ members.T) > 0
    return hit | hit.T


@lru_cache(maxsize=4)
def _actor_countries(path: str) -> tuple[dict, frozenset]:
    """(canonical actor name -> its country code, names of country-level actors) of the table."""
    try:
        actors = json.loads(Path(path).read_bytes().decode("utf-8")).get("actors", [])
    except (OSError, ValueError, AttributeError):
        return {}, frozenset()
    country_of = {a["name"]: a["country"] for a in actors if isinstance(a, dict)
                  and isinstance(a.get("name"), str) and isinstance(a.get("country"), str)}
    level = frozenset(a["name"] for a in actors if isinstance(a, dict) and a.get("name") in country_of
                      and a.get("kind") in ("country", "government"))
    return country_of, level


# Calibrated similarities of pairs across languages are kept up to XL_SEM_TOP instead of 1.0.
# The calibration (annotate/analysis/embeddings.py) reaches 1.0 at cosine 0.70 for USE, and on the
# seen golds half the true translation pairs are above it (median cosine 0.70, 90th percentile
# 0.83): every such pair scored the same (0.357 = XL_SCALE / (1 + second_order) in a story of two
# articles, 0.393 with one shared number or name), so the relative rule (XL_RELATIVE of the best)
# could not tell a translation from a near paraphrase of the next sentence.  1.3 is cosine 0.85
# for USE (0.97 for e5), above 95 % of the true pairs; below 1.0 nothing changes.
XL_SEM_TOP = 1.3


def cross_semantic_scores(articles, passages, cache=None):
    """(sentence-model scores between all passages, model name) for a story with passages in
    more than one language, or None without a model: English-English pairs get the calibrated
    score in [0, 1] (as :func:`~framelens.annotate.analysis.align.scoring.semantic_scores`), other
    pairs the same calibration kept up to XL_SEM_TOP.  Vectors come from ``cache`` when given."""
    found = passage_vectors(articles, passages, cache)
    if found is None:
        return None
    v, backend = found
    cos, cal = v @ v.T, backend.calibration
    langs = np.array([p.language for p in passages])
    lexical = np.array([p.language in LEXICAL_LANGUAGES for p in passages], dtype=bool)
    same = (langs[:, None] == langs[None, :]) & lexical[:, None] & lexical[None, :]
    wide = np.clip((cos - cal.low) / (cal.high - cal.low), 0.0, XL_SEM_TOP).astype(np.float32)
    return np.where(same, cal(cos), wide).astype(np.float32), backend.name
