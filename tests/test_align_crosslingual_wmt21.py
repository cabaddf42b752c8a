"""Cross-lingual alignment on a third public gold nobody had looked at:
assets/gold/align_crosslingual_wmt21.json (Russian and Japanese news documents of WMT21 newstest2021,
Chinese ones of the WMT22 general test set not used by the first gold, with their human English
references; provenance, licence and the selection rule in the JSON header and assets/gold/README.md).

Built exactly like the two other golds (tests/test_align_crosslingual.py: every fourth English
segment from the third left out, an unrelated English paragraph put in the middle).  The gold and
this test were committed before the first run; the thresholds are the issue's, fixed before any
scoring: links precision and recall >= 0.85 per language, left-out segments shown as only-here
with precision and recall >= 0.7.

Scored once (2026-12-06, at commit 35100da: the cross-language constants as they stood after the
error analysis of commit c7cc7d9), pooled counts per language (links right, made, found, expected;
only-here right, marked, left-out), beside the same code before that analysis (commit 68efb1e),
run afterwards for comparison only:

    USE ru  23/23, 23/23  P 1.00 R 1.00  only-here 7/7, 7/7   1.00 / 1.00   (before: 1.00 / 0.96, 0.88 / 1.00)
    USE ja  27/30, 27/28  P 0.90 R 0.96  only-here 9/9, 9/9   1.00 / 1.00   (before: the same)
    USE zh  27/28, 27/27  P 0.96 R 1.00  only-here 8/8, 8/8   1.00 / 1.00   (before: the same)
    e5  ru  23/23, 23/23  P 1.00 R 1.00  only-here 7/7, 7/7   1.00 / 1.00   (before: R 0.96)
    e5  ja  17/18, 17/28  P 0.94 R 0.61  only-here 9/19, 9/9  0.47 / 1.00   (before: the same)
    e5  zh  24/32, 24/27  P 0.75 R 0.89  only-here 8/11, 8/8  0.73 / 1.00   (before: the same)

USE, the model used first, meets the thresholds on every language; e5, the fallback where USE does
not load, fails Japanese (recall 0.61, only-here precision 0.47) and Chinese (precision 0.75):
kept as strict xfails.  The counts are asserted exactly, so any change of the method shows here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_align_crosslingual import nlp, score_document, use_model  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "assets/gold/align_crosslingual_wmt21.json").read_text(encoding="utf-8"))


def test_gold_header_names_its_sources_licence_and_rule():
    src = GOLD["source"]
    assert src["repository"] == "wmt-conference/wmt21-news-systems" and len(src["commit"]) == 40
    assert src["chinese"]["repository"] == "wmt-conference/wmt22-news-systems"
    assert len(src["chinese"]["commit"]) == 40 and src["licence"]
    assert "before any scoring" in GOLD["about"] and ">= 0.85" in GOLD["about"]
    assert [d["language"] for d in GOLD["documents"]] == ["ru"] * 3 + ["ja"] * 3 + ["zh"] * 3
    for doc in GOLD["documents"]:
        assert doc["role"] == "test"
        assert len(doc["src"]) == len(doc["en"]) == len(doc["segments"]) >= 8
        assert doc["left_out"] == [k for k in range(len(doc["src"])) if k % 4 == 2]
        assert doc["unrelated"]["language"] != doc["language"] and len(doc["unrelated"]["en"]) == 3


def test_no_document_of_the_other_golds_or_the_voices_set_is_reused():
    seen = set()
    for name in ("align_crosslingual_wmt22.json", "align_crosslingual_wmt20.json"):
        other = json.loads((ROOT / "assets/gold" / name).read_text(encoding="utf-8"))
        seen |= {s for d in other["documents"] for s in d["src"]}
    voices = json.loads((ROOT / "tests/data/nlp/voices_heldout_wmt21.json").read_text(encoding="utf-8"))
    assert not {d["id"] for d in GOLD["documents"]} & {p["id"] for p in voices["passages"]}
    assert not seen & {s for d in GOLD["documents"] for s in d["src"]}


# (model, language) -> pooled counts: links right, made, segments found, expected; only-here right,
# marked, left-out segments.  Measured once, see the docstring.
MEASURED = {
    ("use", "ru"): (23, 23, 23, 23, 7, 7, 7),
    ("use", "ja"): (27, 30, 27, 28, 9, 9, 9),
    ("use", "zh"): (27, 28, 27, 27, 8, 8, 8),
    ("e5", "ru"): (23, 23, 23, 23, 7, 7, 7),
    ("e5", "ja"): (17, 18, 17, 28, 9, 19, 9),
    ("e5", "zh"): (24, 32, 24, 27, 8, 11, 8),
}
FAILS = {("e5", "ja"): "e5 Japanese: links recall 0.61, only-here precision 0.47",
         ("e5", "zh"): "e5 Chinese: links precision 0.75"}
_COUNTS: dict = {}


def counts_for(nlp, monkeypatch, name: str, language: str) -> tuple:  # noqa: F811
    """Pooled counts of one language under one model, computed once per test session."""
    if (name, language) not in _COUNTS:
        model = use_model(monkeypatch, name)
        totals: dict = {}
        for doc in GOLD["documents"]:
            if doc["language"] == language:
                counts = score_document(doc, nlp)
                assert counts.pop("version").endswith("+" + model)
                for k, v in counts.items():
                    totals[k] = totals.get(k, 0) + v
        _COUNTS[(name, language)] = tuple(totals[k] for k in (
            "right", "made", "found", "expected", "oh_right", "oh_marked", "left_out"))
    return _COUNTS[(name, language)]


@pytest.mark.parametrize("name,language", list(MEASURED))
def test_held_out_counts_as_measured(nlp, monkeypatch, name, language):  # noqa: F811
    assert counts_for(nlp, monkeypatch, name, language) == MEASURED[(name, language)]


@pytest.mark.parametrize("name,language", [
    pytest.param(*key, marks=pytest.mark.xfail(strict=True, reason=FAILS[key])) if key in FAILS
    else key for key in MEASURED])
def test_held_out_thresholds_per_language(nlp, monkeypatch, name, language):  # noqa: F811
    got = counts_for(nlp, monkeypatch, name, language)
    p, r = got[0] / got[1], got[2] / got[3]
    ohp, ohr = got[4] / max(got[5], 1), got[4] / got[6]
    assert p >= 0.85 and r >= 0.85 and ohp >= 0.7 and ohr >= 0.7, (name, language, got)
