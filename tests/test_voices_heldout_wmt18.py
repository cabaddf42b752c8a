"""Voices on the FOURTH held-out set (issue 14): direct quotations -> speaker in ru/ja/zh.

Gold: ``tests/data/nlp/voices_heldout_wmt18.json`` - newstest2018 Russian and Chinese source
text (VAT subsets) and WMT24 ja-zh Japanese news source text, never read for voices or
alignment before.  Selection rule (``select_voices_heldout_wmt18.py``, commit 0316fcc), labels
and the >= 80 % threshold below were committed before the first run.  Threshold per language:
at least 80 % of the labelled quotations with a suggestion over them naming a right speaker
(as written or its actor-table name).

Scored once (2026-12-06, voices code of commit 5861079, round 4; the fallback tried after it
was dropped, docs/languages.md): ru 5/10, ja 4/10, zh 6/10 - below the threshold in every
language.  The threshold test is a strict xfail carrying these figures; the counts of that run
are asserted exactly beside it.  Misses by pattern: docs/languages.md (Voices, "Fourth held-out").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framelens.annotate.analysis.nlp import suggest

from test_voices_heldout import score

GOLD = json.loads((Path(__file__).parent / "data" / "nlp" / "voices_heldout_wmt18.json")
                  .read_text("utf-8"))
PASSAGES = {p["id"]: p for p in GOLD["passages"]}
THRESHOLD = 0.8
#: (right, quotations) per language, the first and only held-out run (code of commit 5861079)
MEASURED_HELD_OUT = {"ru": (5, 10), "ja": (4, 10), "zh": (6, 10)}


@pytest.fixture(scope="module")
def found():
    ids = list(PASSAGES)
    items = [(i, PASSAGES[pid]["text"], PASSAGES[pid]["language"]) for i, pid in enumerate(ids)]
    return {ids[aid]: spans for aid, spans in suggest(items, suggesters=["voices"])}


@pytest.mark.xfail(strict=True, reason="held-out run of 5861079: ru 5/10, ja 4/10, zh 6/10, "
                   "below 80 % in every language (docs/languages.md names the patterns missed)")
@pytest.mark.parametrize("lang", ["ru", "ja", "zh"])
def test_heldout_wmt18_voices(found, lang):
    right = score(found, lang, GOLD, PASSAGES)
    assert len(right) >= 10
    assert sum(ok for _, ok, _ in right) >= THRESHOLD * len(right), right


@pytest.mark.parametrize("lang", ["ru", "ja", "zh"])
def test_heldout_wmt18_counts(found, lang):
    right = score(found, lang, GOLD, PASSAGES)
    assert (sum(ok for _, ok, _ in right), len(right)) == MEASURED_HELD_OUT[lang], right
