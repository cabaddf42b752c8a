"""Language-independent evidence for pairs across languages: actors through the alias table of
assets/lexicons/actors.json (any script) and numbers written in digits; the calibrated model
score adjusted by them (``XL_*`` in annotate/analysis/align/model.py)."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

from framelens.annotate.resources import asset_path

from .model import XL_BONUS, XL_NAME_PENALTY, XL_NUMBER_PENALTY, XL_SCALE


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


_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*|\d+")
_XNUM = re.compile(r"(?<![\d.,])\d+(?:[.,]\d{3})*(?:[.,]\d+)?(?![\d])")
_HAS_CJK = re.compile(r"[\u3040-\u9fff]")


def _cross_features(text: str) -> tuple[list, list]:
    """Language-independent evidence: actors through the alias table (any script) and numbers
    written in digits (full-width digits folded; "1,000" == "1000"; 0 and 1 ignored)."""
    by_first, (rx, cjk), _ = _actor_index()
    actors = []
    if by_first:
        words = [(m.group(0), m.start(), m.end()) for m in _NAME_WORD.finditer(text)]
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
    """Calibrated semantic score with the actor and number evidence (``XL_*``), scaled to the
    lexical thresholds."""
    boost, factor = np.zeros_like(sem), np.ones_like(sem)
    for feats, penalty in (([[k for k, _ in p.actors] for p in passages], XL_NAME_PENALTY),
                           ([[k for k, _ in p.xnumbers] for p in passages], XL_NUMBER_PENALTY)):
        inc = _incidence(feats)
        shared, has = (inc @ inc.T) > 0, inc.sum(axis=1) > 0
        boost += XL_BONUS * shared
        factor *= np.where(has[:, None] & has[None, :] & ~shared, penalty, 1.0).astype(np.float32)
    return np.clip((sem + boost) * factor * XL_SCALE, 0.0, 1.0)

