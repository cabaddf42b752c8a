"""Voices on held-out real news (issue 14 (b)): direct quotations -> speaker in ru/ja/zh.

Gold: ``tests/data/nlp/voices_heldout_wmt21.json`` - WMT21 news source text, which was not used
while the attribution rules were written (they were written on WMT22 passages); selection,
labelling and the threshold (>= 80 % right per language) are described in its header and were
fixed before the first run.  The measured counts are asserted exactly (docs/languages.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framelens.annotate.analysis.nlp import suggest

GOLD = json.loads((Path(__file__).parent / "data" / "nlp" / "voices_heldout_wmt21.json")
                  .read_text("utf-8"))
PASSAGES = {p["id"]: p for p in GOLD["passages"]}
#: (right, quotations) per language, measured on the first run (2026-12): far below the 80 %
#: threshold, see docs/languages.md.  Russian: WMT21 writes straight quotes and a hyphen
#: ("...", - сказал), which the rules (written on «…» — заявил) miss; Japanese: 「…」と話した /
#: と語った / と述べた after a named speaker two clauses back; Chinese: 习近平 is found under its
#: actor-table name "Xi Jinping", which this gold (names as written) does not list.
MEASURED = {"ru": (1, 9), "ja": (2, 14), "zh": (4, 9)}


@pytest.fixture(scope="module")
def found():
    ids = list(PASSAGES)
    items = [(i, PASSAGES[pid]["text"], PASSAGES[pid]["language"]) for i, pid in enumerate(ids)]
    return {ids[aid]: spans for aid, spans in suggest(items, suggesters=["voices"])}


def score(found, lang):
    right = []
    for quote in GOLD["quotes"]:
        passage = PASSAGES[quote["passage"]]
        if passage["language"] != lang:
            continue
        at = passage["text"].index(quote["snippet"])
        hits = [s for s in found.get(quote["passage"], []) if s.start <= at + 2 and s.end > at]
        right.append((quote["snippet"], any(s.label in quote["speakers"] for s in hits),
                      [s.label for s in hits]))
    return right


@pytest.mark.parametrize("lang", ["ru", "ja", "zh"])
def test_heldout_voices(found, lang):
    right = score(found, lang)
    assert (sum(ok for _, ok, _ in right), len(right)) == MEASURED[lang], right
