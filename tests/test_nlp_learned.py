"""Learned suggester: trains in seconds, reports held-out precision/recall, round-trips
through bytes, and its suggestions follow the training decisions."""

from __future__ import annotations

import pytest

from framelens.annotate.analysis.nlp import LearnedModel, Suggestion, train_learned

SEC, ECO, EXT = "Security and defense", "Economic", "External regulation and reputation"
EXAMPLES = [
    ("Russia deployed new missiles and troops on the islands.", {SEC}),
    ("The missile defense system worries Moscow.", {SEC}),
    ("Military drills near the border raised tensions.", {SEC}),
    ("The navy held exercises with warships and submarines.", {SEC}),
    ("Japan wants investment and trade with the Far East.", {ECO}),
    ("Gas exports and energy deals dominate the agenda.", {ECO}),
    ("Joint economic activities could bring money to the islands.", {ECO}),
    ("Tourism and fisheries projects need investors.", {ECO}),
    ("The G7 kept sanctions in place against Russia.", {EXT, ECO}),
    ("Western countries isolated Moscow after Crimea.", {EXT}),
    ("The UN Security Council condemned the launches.", {EXT, SEC}),
    ("Tokyo's reputation among its allies suffered.", {EXT}),
]
NEGATIVES = [("The weather was pleasant during the visit.", SEC), ("The ministers had dinner.", ECO)]
NEW_DECISIONS = [
    ("Aquaculture farms raise sea urchins for export.", {ECO}),
    ("Record catches of sea urchin lifted fishermen's income.", {ECO}),
    ("The aquaculture catches sold at high prices.", {ECO}),
]
PROBE = "Sea urchin aquaculture catches reached a record."


@pytest.fixture(scope="module")
def model() -> LearnedModel:
    return train_learned(EXAMPLES, NEGATIVES, labels=[SEC, ECO, EXT], n_iter=20, seed=1)


def test_trains_and_reports_heldout_metrics(model):
    assert model.labels == [SEC, ECO, EXT]
    assert model.n_eval == 3 and model.n_train == 14  # 14 distinct sentences, 20 % held out
    assert set(model.metrics) == {SEC, ECO, EXT}
    for m in model.metrics.values():
        assert m.precision is None or 0.0 <= m.precision <= 1.0
        assert m.recall is None or 0.0 <= m.recall <= 1.0
        assert m.tp + m.fn == m.support
    report = model.report()
    assert SEC in report and "P" in report.splitlines()[0]


def test_suggestions_are_ranked_sentence_spans(model):
    text = "The missile launches worried the troops.  Investment and trade grew quickly."
    (article, found), = model.suggest([(5, text, "en")], threshold=0.0)
    assert article == 5 and all(isinstance(s, Suggestion) for s in found)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    for s in found:
        assert text[s.start:s.end] in ("The missile launches worried the troops.", "Investment and trade grew quickly.")
        assert s.suggester == "learned" and s.version == model.version and s.codebook == "policy_frames"
    best = {}
    for s in found:
        best.setdefault(text[s.start:s.end], s.label)
    assert best["The missile launches worried the troops."] == SEC
    assert best["Investment and trade grew quickly."] == ECO
    (_, other), = model.suggest([(6, "Министр обороны.", "ru")])
    assert other == []


def test_round_trip_bytes(model):
    again = LearnedModel.from_bytes(model.to_bytes())
    assert again.version == model.version and again.labels == model.labels
    assert again.predict([PROBE])[0] == pytest.approx(model.predict([PROBE])[0])
    assert again.metrics[SEC].support == model.metrics[SEC].support


def test_predictions_follow_new_decisions(model):
    retrained = train_learned(EXAMPLES + NEW_DECISIONS, NEGATIVES, labels=[SEC, ECO, EXT], n_iter=20, seed=1)
    assert retrained.version != model.version
    before = model.predict([PROBE])[0]
    after = retrained.predict([PROBE])[0]
    assert after[ECO] > before[ECO] + 0.05
    assert after[ECO] > after[SEC] and after[ECO] > after[EXT]
    labels_before = {s.label for s in next(model.suggest([(1, PROBE, "en")]))[1]}
    labels_after = {s.label for s in next(retrained.suggest([(1, PROBE, "en")]))[1]}
    assert ECO in labels_after and labels_after != labels_before


def test_same_data_same_version_and_rejections_matter():
    a = train_learned(EXAMPLES, NEGATIVES, n_iter=5, seed=3)
    b = train_learned(list(reversed(EXAMPLES)), NEGATIVES, n_iter=5, seed=3)
    c = train_learned(EXAMPLES, NEGATIVES + [("Missiles were mentioned only in passing.", SEC)], n_iter=5, seed=3)
    assert a.version == b.version != c.version
    assert a.labels == [ECO, SEC, EXT]  # Policy Frames order
    with pytest.raises(ValueError):
        train_learned([], [])
