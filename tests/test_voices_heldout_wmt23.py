"""Voices on the second held-out set (issue 14 (b)), now SEEN: direct quotations -> speaker.

Gold: ``tests/data/nlp/voices_heldout_wmt23.json`` - WMT23 Russian news documents, WMT22
Japanese news documents not used for development, WMT23 Chinese test-set lines; never used
while the rules were written or fixed.  Selection rule, labels and the >= 80 % threshold are in
its header and were committed before the first run (commits cc876c4, a8b9314).  Scored once
(ru 4/7, ja 1/4, zh 0/4); its misses were then read to fix the rules, so it is a *seen* set now
and the counts below are seen figures.  The held-out set since then is
tests/data/nlp/voices_heldout_wmt19.json (tests/test_voices_heldout_wmt19.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framelens.annotate.analysis.nlp import suggest

from test_voices_heldout import score

GOLD = json.loads((Path(__file__).parent / "data" / "nlp" / "voices_heldout_wmt23.json")
                  .read_text("utf-8"))
PASSAGES = {p["id"]: p for p in GOLD["passages"]}
#: (right, quotations) per language.  First and only held-out run (code of commit d3e48cd):
#: ru 4/7, ja 1/4, zh 0/4, all below the 80 % threshold; misses named in docs/languages.md.
#: After the second round of fixes, which read these misses (so: seen figures): ru 7/7, ja 4/4,
#: zh 3/4.  Still missed: zh 具体内容为“…” - the speaker is a housing estate (楼盘横塘西苑) that
#: jieba tags as two places, and a place is no speaker.
MEASURED = {"ru": (7, 7), "ja": (4, 4), "zh": (3, 4)}


@pytest.fixture(scope="module")
def found():
    ids = list(PASSAGES)
    items = [(i, PASSAGES[pid]["text"], PASSAGES[pid]["language"]) for i, pid in enumerate(ids)]
    return {ids[aid]: spans for aid, spans in suggest(items, suggesters=["voices"])}


@pytest.mark.parametrize("lang", ["ru", "ja", "zh"])
def test_heldout_wmt23_voices(found, lang):
    right = score(found, lang, GOLD, PASSAGES)
    assert (sum(ok for _, ok, _ in right), len(right)) == MEASURED[lang], right
