"""Voices on the third held-out set (issue 14): direct quotations -> speaker in ru/ja/zh.

Gold: ``tests/data/nlp/voices_heldout_wmt19.json`` - newstest2019 Russian and Chinese source
text and newstest2020 Japanese source text (VAT subsets), never read while the attribution rules
were written or fixed.  Selection rule (``select_voices_heldout_wmt19.py``), labels and the
>= 80 % threshold are in its header and were committed before the first run (commits db27701,
63d7362).  Threshold per language: at least 80 % of the labelled quotations with a suggestion
over them naming a right speaker (as written or its actor-table name).

Scored once (2026-12-06, voices code of commit cf5ca93): ru 1/10, ja 3/10, zh 6/10 - below the
threshold in every language (``MEASURED_HELD_OUT``, kept as the record of that run).  Its misses
were then read to write round 4 of the rules (cue verbs требовал/призвал/поделился, ``как
отмечает X``, ``- сообщили в ведомстве``, a document with no named author, Chinese 他 → the
clause subject, a speaker-only next line, Japanese ``「…」として「…」と話した``), so this set is
*seen* now: ``SEEN_NOW`` holds the counts after round 4 and is asserted exactly.  The threshold
test stays a strict xfail for Russian and Japanese (still below 80 % on this seen set); Chinese
reaches it, on *seen* data only.  Misses by pattern are in docs/languages.md (Voices).
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
#: (right, quotations) per language, the first and only HELD-OUT run (code of commit cf5ca93)
MEASURED_HELD_OUT = {"ru": (1, 10), "ja": (3, 10), "zh": (6, 10)}
#: the same set after round 4 of the rules, which read its misses: SEEN figures
SEEN_NOW = {"ru": (4, 10), "ja": (4, 10), "zh": (8, 10)}


@pytest.fixture(scope="module")
def found():
    ids = list(PASSAGES)
    items = [(i, PASSAGES[pid]["text"], PASSAGES[pid]["language"]) for i, pid in enumerate(ids)]
    return {ids[aid]: spans for aid, spans in suggest(items, suggesters=["voices"])}


_BELOW = pytest.mark.xfail(strict=True, reason="below 80 % on this set: held-out run of cf5ca93 ru 1/10, "
                           "ja 3/10; seen after round 4 ru 4/10, ja 4/10 (docs/languages.md names the patterns)")


@pytest.mark.parametrize("lang", [pytest.param("ru", marks=_BELOW), pytest.param("ja", marks=_BELOW), "zh"])
def test_wmt19_voices_threshold(found, lang):
    """zh passes on SEEN data only (held-out run: 6/10)."""
    right = score(found, lang, GOLD, PASSAGES)
    assert len(right) >= 10
    assert sum(ok for _, ok, _ in right) >= THRESHOLD * len(right), right


@pytest.mark.parametrize("lang", ["ru", "ja", "zh"])
def test_wmt19_seen_counts(found, lang):
    right = score(found, lang, GOLD, PASSAGES)
    assert (sum(ok for _, ok, _ in right), len(right)) == SEEN_NOW[lang], right
