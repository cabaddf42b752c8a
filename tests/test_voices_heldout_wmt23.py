"""Voices on a second held-out set (issue 14 (b)): direct quotations -> speaker in ru/ja/zh.

Gold: ``tests/data/nlp/voices_heldout_wmt23.json`` - WMT23 Russian news documents, WMT22
Japanese news documents not used for development, WMT23 Chinese test-set lines; never used
while the rules were written or fixed.  Selection rule, labels and the >= 80 % threshold are in
its header and were committed before the first run (commits cc876c4, a8b9314).  Scored once;
the counts of that run are asserted exactly, whatever they are (docs/languages.md).
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
#: (right, quotations) per language, measured on the first and only scoring run (2026-12, code of
#: commit d3e48cd): all three below the 80 % threshold.  Missed: ru - two letters introduced by
#: 'В послании … говорится:' and 'делятся прогнозами аналитики ПСБ' (cues not in the lexicon);
#: ja - 参加者は「…」 with no と + predicate and the stand-alone line after it, 「…」として (left out
#: by the と rule); zh - partial quotations inside a reported clause (呼吁委员会“…”, 同意“…”: the
#: first went to "European Union", not 欧盟领导人), a quotation after a nested report (孙先生表示，
#: 置业顾问表示…，“…” went to 顾问), a quoted written text (具体内容为“…”).
MEASURED = {"ru": (4, 7), "ja": (1, 4), "zh": (0, 4)}


@pytest.fixture(scope="module")
def found():
    ids = list(PASSAGES)
    items = [(i, PASSAGES[pid]["text"], PASSAGES[pid]["language"]) for i, pid in enumerate(ids)]
    return {ids[aid]: spans for aid, spans in suggest(items, suggesters=["voices"])}


@pytest.mark.parametrize("lang", ["ru", "ja", "zh"])
def test_heldout_wmt23_voices(found, lang):
    right = score(found, lang, GOLD, PASSAGES)
    assert (sum(ok for _, ok, _ in right), len(right)) == MEASURED[lang], right
