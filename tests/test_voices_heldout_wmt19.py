"""Voices on the third held-out set (issue 14): direct quotations -> speaker in ru/ja/zh.

Gold: ``tests/data/nlp/voices_heldout_wmt19.json`` - newstest2019 Russian and Chinese source
text and newstest2020 Japanese source text (VAT subsets), never read while the attribution rules
were written or fixed.  Selection rule (``select_voices_heldout_wmt19.py``), labels and the
>= 80 % threshold are in its header and were committed before the first run (commits db27701,
63d7362).  Threshold per language: at least 80 % of the labelled quotations with a suggestion
over them naming a right speaker (as written or its actor-table name).

Scored once (2026-12-06, voices code of commit cf5ca93): ru 1/10, ja 3/10, zh 6/10 - below the
threshold in every language.  The threshold test is kept as a strict xfail carrying these
figures; the counts of that run are asserted exactly beside it.  Misses by pattern are in
docs/languages.md (Voices, "Third held-out").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framelens.annotate.analysis.nlp import suggest

from test_voices_heldout import score

GOLD = json.loads((Path(__file__).parent / "data" / "nlp" / "voices_heldout_wmt19.json")
                  .read_text("utf-8"))
PASSAGES = {p["id"]: p for p in GOLD["passages"]}
THRESHOLD = 0.8
#: (right, quotations) per language, the first and only scoring run (code of commit cf5ca93)
MEASURED = {"ru": (1, 10), "ja": (3, 10), "zh": (6, 10)}


@pytest.fixture(scope="module")
def found():
    ids = list(PASSAGES)
    items = [(i, PASSAGES[pid]["text"], PASSAGES[pid]["language"]) for i, pid in enumerate(ids)]
    return {ids[aid]: spans for aid, spans in suggest(items, suggesters=["voices"])}


@pytest.mark.xfail(strict=True, reason="held-out run of cf5ca93: ru 1/10, ja 3/10, zh 6/10, "
                   "below 80 % in every language (docs/languages.md names the patterns missed)")
@pytest.mark.parametrize("lang", ["ru", "ja", "zh"])
def test_heldout_wmt19_voices(found, lang):
    right = score(found, lang, GOLD, PASSAGES)
    assert len(right) >= 10
    assert sum(ok for _, ok, _ in right) >= THRESHOLD * len(right), right


@pytest.mark.parametrize("lang", ["ru", "ja", "zh"])
def test_heldout_wmt19_counts(found, lang):
    right = score(found, lang, GOLD, PASSAGES)
    assert (sum(ok for _, ok, _ in right), len(right)) == MEASURED[lang], right
