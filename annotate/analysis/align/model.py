"""What alignment works with and returns: the articles, passages' links, only-here passages and
omissions, the tuned parameters and constants, the named strictness levels.  (Measurements behind
every figure: the package docstring, annotate/analysis/align/__init__.py.)"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

ALIGN_VERSION = "align-2.0"
# Same-language pairs with a sentence model: direct = lexical * (1 - g + g * sem) / (1 - g + g * ref),
# a vote that raises or lowers lexical evidence (never creates it); ref keeps the thresholds
# (``STRICTNESS``) in place.  Set on assets/gold/align_2017.json only (see the docstring).
EMBED_GATE, EMBED_REF = 0.3, 0.5
# Pairs across languages (or of a language without lexical features): direct = XL_SCALE x sem,
# sem the calibrated model score plus XL_BONUS per kind of shared evidence (actor, number), times
# XL_NUMBER_PENALTY when both passages carry numbers and share none and XL_NAME_PENALTY when both
# name actors and share none (same kind of event, other people or figures).  A cross-language link
# also needs to be within XL_RELATIVE of both passages' best in the other article.  Set on the
# dev documents of assets/gold/align_crosslingual_wmt22.json (one per language).
XL_CUT, XL_BONUS, XL_NUMBER_PENALTY, XL_NAME_PENALTY, XL_RELATIVE = 0.3, 0.1, 0.6, 0.6, 0.85
# Places (assets/lexicons/places.json) as a third kind: XL_BONUS when shared, times
# XL_PLACE_PENALTY when both passages name places and share none.  Chosen on the same dev
# documents only (see the package docstring).
XL_PLACE_PENALTY = 0.6
XL_SCALE = 0.15 / XL_CUT        # balanced threshold 0.15 <=> calibrated score XL_CUT
LEXICAL_LANGUAGES = frozenset(("en",))      # languages with the English lexical features


@dataclass(frozen=True)
class AlignArticle:
    id: int
    text: str
    language: str = "en"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Link:
    a_article: int
    a_start: int
    a_end: int
    b_article: int
    b_start: int
    b_end: int
    score: float
    evidence: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Omission:
    text: str               # a passage of another article reporting the fact
    sources: list = field(default_factory=list, compare=False, hash=False)  # (article, start, end)


@dataclass
class Alignment:
    sentences: dict         # article id -> [Sentence]
    links: list             # [Link]
    only_here: dict         # article id -> [(start, end)]
    omissions: dict         # article id -> [Omission]
    version: str = ALIGN_VERSION
    notes: list = field(default_factory=list)   # what could not be done, for the user


@dataclass(frozen=True)
class AlignParams:
    w_lemma: float = 1.0
    w_concept: float = 3.0
    w_entity: float = 3.0
    w_number: float = 2.0
    norm_power: float = 0.5
    second_order: float = 0.4
    threshold: float = 0.15
    rule_threshold: float = 0.145   # the rule-based path (no parse, no speaker rule)
    relative: float = 0.6
    min_content: int = 4
    absent_factor: float = 0.8      # omitted = nothing here scores >= factor * threshold


DEFAULT_PARAMS = AlignParams()

# How sure a link must be, as a named choice for the user (CLI --strictness, the window's
# "Alignment links" menu).  Only the score threshold changes (rule-based path: 0.005 lower), so each
# level's links are a subset of the next more generous level's.  Measured on
# assets/gold/align_2017.json with en_core_web_sm (precision / recall / links):
#   strict 0.17: 0.75 / 0.49 / 61;  balanced 0.15: 0.66 / 0.63 / 89;  generous 0.14: 0.58 / 0.67 / 105.
# Balanced is the default: the best balance of the two on that gold.
STRICTNESS = {"strict": 0.17, "balanced": 0.15, "generous": 0.14}
DEFAULT_STRICTNESS = "balanced"


def params_for(strictness: str = DEFAULT_STRICTNESS) -> AlignParams:
    """The parameters of a named strictness level (``STRICTNESS``); ValueError for others."""
    if strictness not in STRICTNESS:
        raise ValueError(f"unknown strictness {strictness!r}: use one of {', '.join(STRICTNESS)}")
    t = STRICTNESS[strictness]
    return replace(DEFAULT_PARAMS, threshold=t, rule_threshold=round(t - 0.005, 4))


def _lang(art: AlignArticle) -> str:
    return (art.language or "en").split("-")[0].lower()

