"""Voices on WMT21 news (issue 14 (b)): direct quotations -> speaker in ru/ja/zh.

Gold: ``tests/data/nlp/voices_heldout_wmt21.json`` - WMT21 news source text.  It was held out
for its first run (selection, labels and the >= 80 % threshold fixed beforehand); after that run
it was read to fix the rules, so it is now a *seen* set and the figures below are "seen (after
the fixes)".  The new held-out set is tests/data/nlp/voices_heldout_wmt23.json
(tests/test_voices_heldout_wmt23.py).  Counts are asserted exactly (docs/languages.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framelens.annotate.analysis.nlp import suggest
from framelens.annotate.analysis.nlp.actors import get_actor_table

GOLD = json.loads((Path(__file__).parent / "data" / "nlp" / "voices_heldout_wmt21.json")
                  .read_text("utf-8"))
PASSAGES = {p["id"]: p for p in GOLD["passages"]}
#: (right, quotations) per language.  First run (2026-12, before the fixes, names as written
#: only): ru 1/9, ja 2/14, zh 4/9 - far below the 80 % threshold.  The set was then read to fix
#: the general patterns it showed (straight quotes and hyphens, quotations over several lines,
#: Japanese 「…」と + any predicate with the speaker as topic, Chinese stand-alone quotation
#: lines), so it is no longer held out: these are "seen (after the fixes)" figures
#: (docs/languages.md), with a speaker also right under its actor-table name ("Xi Jinping" for
#: 习近平, "Vladimir Putin" for Путин: one actor across languages is the suggester's design).
#: After the first fixes: ru 6/9, ja 14/14, zh 7/9.  After the second round (impersonal
#: 'говорится в сообщении / заявлении' with the source named before, the name jieba glues to 说):
#: ru 9/9, ja 14/14, zh 8/9.  Still missed: zh 放出“…”的狠话 - the speech-noun rule finds the
#: pronoun 他, but jieba's NER names the person before it '生乔文' (体育生乔文一 cut wrongly).
MEASURED = {"ru": (9, 9), "ja": (14, 14), "zh": (8, 9)}


def written_or_actor(speakers: list[str]) -> set[str]:
    """The gold names as written, plus the actor-table name each of them is an alias of."""
    table = get_actor_table()
    out = set(speakers)
    for name in speakers:
        actor = table.lookup(name)
        if actor is not None:
            out.add(actor.name)
    return out


@pytest.fixture(scope="module")
def found():
    ids = list(PASSAGES)
    items = [(i, PASSAGES[pid]["text"], PASSAGES[pid]["language"]) for i, pid in enumerate(ids)]
    return {ids[aid]: spans for aid, spans in suggest(items, suggesters=["voices"])}


def score(found, lang, gold=GOLD, passages=PASSAGES):
    right = []
    for quote in gold["quotes"]:
        passage = passages[quote["passage"]]
        if passage["language"] != lang:
            continue
        at = passage["text"].index(quote["snippet"])
        hits = [s for s in found.get(quote["passage"], []) if s.start <= at + 2 and s.end > at]
        names = written_or_actor(quote["speakers"])
        right.append((quote["snippet"], any(s.label in names for s in hits), [s.label for s in hits]))
    return right


@pytest.mark.parametrize("lang", ["ru", "ja", "zh"])
def test_seen_wmt21_voices(found, lang):
    right = score(found, lang)
    assert (sum(ok for _, ok, _ in right), len(right)) == MEASURED[lang], right
