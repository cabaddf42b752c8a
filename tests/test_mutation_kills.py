"""Tests written to kill mutants the rest of the suite let through (issue 19).

Each test names the mutation it exists for.  ``tests/mutation/known_mutants.py`` reapplies
every one of them to a scratch copy of the code and checks that the suite then fails, so a
test here that stops catching its mutant is noticed.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from annotate.ingest.furniture import clean_text, looks_like_menu
from annotate.nlp import learned
from annotate.nlp.learned import LabelMetrics, train_learned

# --- learned suggester: held-out precision and recall (mutant: the two swapped) -----------------

A, B = "Economic", "Security and defense"


class _FixedScores:
    """Stands in for the spaCy pipeline in ``learned._evaluate``: each sentence gets the
    scores written next to it, so the confusion counts are known in advance."""

    def __init__(self, scores: dict[str, dict[str, float]]) -> None:
        self.scores = scores

    def pipe(self, texts):
        return [SimpleNamespace(cats=self.scores[t]) for t in texts]


def test_heldout_precision_and_recall_are_not_swapped():
    # label A: predicted on s1 (gold on), s2 (gold off), s3 (gold off); missed on s4 (gold on)
    #   tp 1, fp 2, fn 1  ->  precision 1/3, recall 1/2
    # label B: predicted on s1 (gold on); missed on s2, s3 (gold on); s4 gold off, not predicted
    #   tp 1, fp 0, fn 2  ->  precision 1, recall 1/3
    items = [("s1", {A: 1.0, B: 1.0}), ("s2", {A: 0.0, B: 1.0}),
             ("s3", {A: 0.0, B: 1.0}), ("s4", {A: 1.0, B: 0.0})]
    nlp = _FixedScores({"s1": {A: 0.9, B: 0.8}, "s2": {A: 0.7, B: 0.1},
                        "s3": {A: 0.5, B: 0.49}, "s4": {A: 0.2, B: 0.3}})
    metrics = learned._evaluate(nlp, items, [A, B], threshold=0.5)
    assert metrics[A] == LabelMetrics(precision=1 / 3, recall=1 / 2, f1=pytest.approx(0.4),
                                      support=2, tp=1, fp=2, fn=1)
    assert metrics[B] == LabelMetrics(precision=1.0, recall=1 / 3, f1=pytest.approx(0.5),
                                      support=3, tp=1, fp=0, fn=2)


def test_heldout_metrics_of_a_trained_model_match_its_own_counts():
    """End to end: whatever the model predicts on the held-out sentences, precision is
    tp/(tp+fp) and recall tp/(tp+fn) of the counts it reports, and the suggestion explanation
    quotes them in that order."""
    sec, eco = "Security and defense", "Economic"
    examples = [
        ("Russia deployed new missiles and troops on the islands.", {sec}),
        ("The missile defense system worries Moscow.", {sec}),
        ("Military drills near the border raised tensions.", {sec}),
        ("The navy held exercises with warships and submarines.", {sec}),
        ("Troops and tanks moved to the border at night.", {sec}),
        ("Japan wants investment and trade with the Far East.", {eco}),
        ("Gas exports and energy deals dominate the agenda.", {eco}),
        ("Joint economic activities could bring money to the islands.", {eco}),
        ("Tourism and fisheries projects need investors.", {eco}),
        ("Trade and investment in fisheries grew this year.", {eco}),
    ]
    model = train_learned(examples, labels=[sec, eco], n_iter=3, seed=3, holdout=0.5,
                          threshold=0.5, refit=False)
    assert model.n_eval == 5
    checked = 0
    for m in model.metrics.values():
        if m.tp + m.fp:
            assert m.precision == m.tp / (m.tp + m.fp)
            checked += 1
        else:
            assert m.precision is None
        if m.tp + m.fn:
            assert m.recall == m.tp / (m.tp + m.fn)
            checked += 1
        else:
            assert m.recall is None
    assert checked >= 2
    # the explanation of a suggestion quotes precision first, recall second
    model.metrics[sec] = LabelMetrics(0.25, 0.75, 0.375, 4, 1, 3, 1)
    (_, found), = model.suggest([(1, "Missiles and troops moved to the border.", "en")],
                                threshold=0.0)
    note = next(s.rationale for s in found if s.label == sec)
    assert "held-out precision 0.25, recall 0.75" in note


# --- furniture: a given title is never a section menu (mutant: the title guard removed) ---------

HEADLINE = "Russia And Japan Agree To Hold More Security Talks Next Year"
MENU = "Politics Economy Agriculture Society IT Education Medicine Religion"
BODY = ("Tokyo and Moscow said on Friday that the talks would resume in spring.\n\n"
        "The ministers met for two hours.")


def test_title_case_headline_is_kept_and_the_menu_removed():
    # the headline alone has the shape of a menu: eleven capitalised words, no punctuation
    assert looks_like_menu(HEADLINE)
    text, removed = clean_text(f"{MENU}\n\n{HEADLINE}\n\n{BODY}", title=HEADLINE)
    assert text == f"{HEADLINE}\n\n{BODY}"
    assert [(r.line, r.text, r.reason) for r in removed] == [(0, MENU, "section menu")]


def test_title_guard_compares_the_stripped_title():
    text, removed = clean_text(f"{MENU}\n  {HEADLINE}  \n\n{BODY}", title=f" {HEADLINE}\n")
    assert text.splitlines()[0] == f"  {HEADLINE}  "
    assert [r.reason for r in removed] == ["section menu"]


# --- annotate/offsets.py: mutmut survivors (docs/testing.md) -----------------------------------

def test_offset_conversions_name_the_offset_and_the_range_they_refuse():
    from annotate.offsets import Utf16Index

    idx = Utf16Index("a𠮷b")                           # 3 code points, 4 UTF-16 units
    with pytest.raises(ValueError, match=r"^code-point offset 4 outside 0\.\.3$"):
        idx.to_utf16(4)
    with pytest.raises(ValueError, match=r"^UTF-16 offset 5 outside 0\.\.4$"):
        idx.to_cp(5)
    with pytest.raises(ValueError, match=r"^UTF-16 offset 2 falls inside a surrogate pair$"):
        idx.to_cp(2)


def test_batch_offset_conversions_and_the_utf16_length_helper():
    from annotate.offsets import Utf16Index, utf16_length

    text = "𠮷a👍🏽b"
    idx = Utf16Index(text)
    assert idx.many_to_utf16([0, 1, 2, 3, 4, 5]) == [0, 2, 3, 5, 7, 8]
    assert idx.many_to_cp([0, 2, 3, 5, 7, 8]) == [0, 1, 2, 3, 4, 5]
    assert utf16_length(text) == len(text.encode("utf-16-le")) // 2 == 8
    assert utf16_length("abc") == 3 and utf16_length("") == 0
