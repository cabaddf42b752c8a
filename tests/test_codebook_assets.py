"""Strict checks of the default codebooks shipped in ``assets/codebooks/*.json``."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

CODEBOOK_DIR = Path(__file__).resolve().parents[1] / "assets" / "codebooks"

EXPECTED_FILES = {
    "policy_frames",
    "semeval2023_frames",
    "semetko_valkenburg",
    "entman",
    "viewpoint",
}

TOP_KEYS = {"key", "name", "version", "description", "citation", "applies_to", "codes", "questions"}
CODE_KEYS_REQUIRED = {"name", "description", "color", "shortcut", "children"}
CODE_KEYS_OPTIONAL = {"number"}
QUESTION_KEYS = {"key", "text", "kind", "choices", "code", "help"}
APPLIES_TO = {"span", "article", "both"}
KINDS = {"yesno", "choice", "text"}
# "e", "a", "s", "x", "j", "k" are reserved for suggestion review.
SHORTCUT_SEQUENCE = list("1234567890") + list("qwrtyuiop")
RESERVED_KEYS = set("easxjk")

KEY_RE = re.compile(r"^[a-z0-9_]+$")
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")

# Minimum perceptual difference (CIE76 ΔE) between two codes' colours once drawn as a
# 35%-alpha background on the light and on the dark theme, and minimum text contrast.
ALPHA = 0.35
LIGHT_BG, LIGHT_TEXT = (255, 255, 255), (0, 0, 0)
DARK_BG, DARK_TEXT = (30, 30, 30), (230, 230, 230)
MIN_DELTA_E = 8.0
MIN_CONTRAST = 4.5

POLICY_FRAMES = [
    "Economic",
    "Capacity and resources",
    "Morality",
    "Fairness and equality",
    "Legality, constitutionality and jurisprudence",
    "Policy prescription and evaluation",
    "Crime and punishment",
    "Security and defense",
    "Health and safety",
    "Quality of life",
    "Cultural identity",
    "Public opinion",
    "Political",
    "External regulation and reputation",
    "Other",
]
SEMEVAL_FRAMES = [
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
]
SV_FRAMES = {
    "Attribution of responsibility": ("responsibility", 5),
    "Human interest": ("human_interest", 5),
    "Conflict": ("conflict", 4),
    "Morality": ("morality", 3),
    "Economic consequences": ("economic", 3),
}
ENTMAN = ["Problem definition", "Causal interpretation", "Moral evaluation", "Treatment recommendation"]
VIEWPOINTS = ["Russian", "Chinese", "Japanese", "US", "Other"]


def _files() -> list[Path]:
    return sorted(CODEBOOK_DIR.glob("*.json"))


def _load(stem: str) -> dict:
    return json.loads((CODEBOOK_DIR / f"{stem}.json").read_text(encoding="utf-8"))


def _walk(codes: list[dict]):
    for code in codes:
        yield code
        yield from _walk(code["children"])


def _is_text(value) -> bool:
    return isinstance(value, str) and value.strip() != "" and value == value.strip()


# --- colour helpers -------------------------------------------------------------------

def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def _blend(rgb, bg, alpha=ALPHA):
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(rgb, bg))


def _lin(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(rgb) -> float:
    r, g, b = (_lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def _lab(rgb):
    r, g, b = (_lin(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _delta_e(a, b) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b))) ** 0.5


# --- generic schema -------------------------------------------------------------------

def test_expected_files_present():
    assert CODEBOOK_DIR.is_dir(), CODEBOOK_DIR
    assert {p.stem for p in _files()} >= EXPECTED_FILES


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_schema(path: Path):
    cb = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(cb, dict)
    assert set(cb) == TOP_KEYS

    assert isinstance(cb["key"], str) and KEY_RE.fullmatch(cb["key"])
    assert cb["key"] == path.stem
    for field in ("name", "version", "description", "citation"):
        assert _is_text(cb[field]), field
    assert cb["applies_to"] in APPLIES_TO
    assert isinstance(cb["codes"], list) and cb["codes"]
    assert isinstance(cb["questions"], list)

    # codes (children are codes too; shortcuts and colours are unique across the whole tree)
    all_codes = list(_walk_checked(cb["codes"]))
    names = [c["name"] for c in all_codes]
    assert len(names) == len(set(names)), "duplicate code names"
    colors = [c["color"].upper() for c in all_codes]
    assert len(colors) == len(set(colors)), "duplicate colours"
    shortcuts = [c["shortcut"] for c in all_codes]
    assert len(shortcuts) == len(set(shortcuts)), "duplicate shortcuts"
    assert not RESERVED_KEYS & set(shortcuts)
    # assigned in the documented order, without gaps
    assert shortcuts == SHORTCUT_SEQUENCE[: len(shortcuts)]
    numbers = [c["number"] for c in all_codes if "number" in c]
    assert len(numbers) == len(set(numbers)), "duplicate code numbers"

    # questions
    top_names = [c["name"] for c in cb["codes"]]
    keys = []
    for q in cb["questions"]:
        assert isinstance(q, dict) and set(q) == QUESTION_KEYS, q
        assert isinstance(q["key"], str) and KEY_RE.fullmatch(q["key"]), q["key"]
        keys.append(q["key"])
        assert _is_text(q["text"]) and _is_text(q["help"]), q["key"]
        assert q["kind"] in KINDS, q["key"]
        if q["kind"] == "choice":
            choices = q["choices"]
            if isinstance(choices, str):
                assert choices == "codes", q["key"]
            else:
                assert isinstance(choices, list) and choices, q["key"]
                assert all(_is_text(c) for c in choices), q["key"]
                assert len(choices) == len(set(choices)), q["key"]
        else:
            assert q["choices"] is None, q["key"]
        assert q["code"] is None or q["code"] in top_names, (q["key"], q["code"])
    assert len(keys) == len(set(keys)), "duplicate question keys"


def _walk_checked(codes):
    assert isinstance(codes, list)
    for code in codes:
        assert isinstance(code, dict)
        keys = set(code)
        assert CODE_KEYS_REQUIRED <= keys <= CODE_KEYS_REQUIRED | CODE_KEYS_OPTIONAL, keys
        assert _is_text(code["name"])
        assert _is_text(code["description"]), code["name"]
        assert isinstance(code["color"], str) and COLOR_RE.fullmatch(code["color"]), code["name"]
        assert isinstance(code["shortcut"], str) and code["shortcut"] in SHORTCUT_SEQUENCE, code["name"]
        if "number" in code:
            assert type(code["number"]) is int and code["number"] > 0, code["name"]
        assert isinstance(code["children"], list)
        yield code
        yield from _walk_checked(code["children"])


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_colours_readable_and_distinct(path: Path):
    cb = json.loads(path.read_text(encoding="utf-8"))
    codes = list(_walk(cb["codes"]))
    for bg, text in ((LIGHT_BG, LIGHT_TEXT), (DARK_BG, DARK_TEXT)):
        shown = {c["name"]: _blend(_rgb(c["color"]), bg) for c in codes}
        for name, rgb in shown.items():
            assert _contrast(rgb, text) >= MIN_CONTRAST, (name, bg)
        for (a, ra), (b, rb) in itertools.combinations(shown.items(), 2):
            assert _delta_e(ra, rb) >= MIN_DELTA_E, (a, b, bg)


# --- content of each default codebook -------------------------------------------------

def test_policy_frames():
    cb = _load("policy_frames")
    assert cb["applies_to"] == "both"
    assert [c["name"] for c in cb["codes"]] == POLICY_FRAMES
    assert [c["number"] for c in cb["codes"]] == list(range(1, 16))
    assert all(c["children"] == [] for c in cb["codes"])
    qs = {q["key"]: q for q in cb["questions"]}
    assert set(qs) == {"primary_frame", "headline_frame"}
    for q in qs.values():
        assert q["kind"] == "choice" and q["choices"] == "codes" and q["code"] is None


def test_semeval2023_frames():
    cb = _load("semeval2023_frames")
    assert cb["applies_to"] == "article"
    assert [c["name"] for c in cb["codes"]] == SEMEVAL_FRAMES
    assert cb["questions"] == []
    assert "article_id<TAB>labels" in cb["description"]
    # same dimensions as Policy Frames, without "Other"
    policy = [c["name"] for c in _load("policy_frames")["codes"] if c["name"] != "Other"]
    assert [n.replace("_", " ").lower() for n in SEMEVAL_FRAMES] == [
        n.replace(",", "").lower() for n in policy
    ]


def test_semetko_valkenburg():
    cb = _load("semetko_valkenburg")
    assert cb["applies_to"] == "both"
    assert [c["name"] for c in cb["codes"]] == list(SV_FRAMES)
    assert "mean" in cb["description"]
    qs = cb["questions"]
    assert len(qs) == 20
    assert all(q["kind"] == "yesno" and q["choices"] is None for q in qs)
    for frame, (prefix, count) in SV_FRAMES.items():
        items = [q for q in qs if q["code"] == frame]
        assert [q["key"] for q in items] == [f"{prefix}_{i}" for i in range(1, count + 1)], frame
        assert all(q["text"].endswith("?") for q in items)


def test_entman():
    cb = _load("entman")
    assert cb["applies_to"] == "span"
    assert [c["name"] for c in cb["codes"]] == ENTMAN
    assert cb["questions"] == []


def test_viewpoint():
    cb = _load("viewpoint")
    assert cb["applies_to"] == "both"
    assert [c["name"] for c in cb["codes"]] == VIEWPOINTS
    (q,) = cb["questions"]
    assert q["key"] == "viewpoint"
    assert q["kind"] == "choice" and q["choices"] == "codes" and q["code"] is None
    assert q["text"] == "Whose viewpoint does the article mainly carry?"
    assert "outlet" in q["help"]
    descriptions = " ".join(c["description"] for c in cb["codes"])
    for cue in ("Southern Kurils", "Northern Territories", "Senkaku", "Diaoyu", "Crimea", "DPRK", "East Sea"):
        assert cue in descriptions, cue
