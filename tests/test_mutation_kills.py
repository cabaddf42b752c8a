"""Tests written to kill mutants the rest of the suite let through (issue 19).

Each test names the mutation it exists for.  ``tests/mutation/known_mutants.py`` reapplies
every one of them to a scratch copy of the code and checks that the suite then fails, so a
test here that stops catching its mutant is noticed.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from framelens.annotate.analysis.ingest.furniture import clean_text, looks_like_menu
from framelens.annotate.analysis.nlp import learned
from framelens.annotate.analysis.nlp.learned import LabelMetrics, train_learned

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


# --- annotate/analysis/offsets.py: mutmut survivors (docs/testing.md) -----------------------------------

def test_offset_conversions_name_the_offset_and_the_range_they_refuse():
    from framelens.annotate.analysis.offsets import Utf16Index

    idx = Utf16Index("a𠮷b")                           # 3 code points, 4 UTF-16 units
    with pytest.raises(ValueError, match=r"^code-point offset 4 outside 0\.\.3$"):
        idx.to_utf16(4)
    with pytest.raises(ValueError, match=r"^UTF-16 offset 5 outside 0\.\.4$"):
        idx.to_cp(5)
    with pytest.raises(ValueError, match=r"^UTF-16 offset 2 falls inside a surrogate pair$"):
        idx.to_cp(2)


def test_batch_offset_conversions_and_the_utf16_length_helper():
    from framelens.annotate.analysis.offsets import Utf16Index, utf16_length

    text = "𠮷a👍🏽b"
    idx = Utf16Index(text)
    assert idx.many_to_utf16([0, 1, 2, 3, 4, 5]) == [0, 2, 3, 5, 7, 8]
    assert idx.many_to_cp([0, 2, 3, 5, 7, 8]) == [0, 1, 2, 3, 4, 5]
    assert utf16_length(text) == len(text.encode("utf-16-le")) // 2 == 8
    assert utf16_length("abc") == 3 and utf16_length("") == 0


# --- store/: mutmut survivors (docs/testing.md) ------------------------------------------------

STORE_TEXT = "Tokyo and Moscow agreed to hold more security talks next year, the ministers said."


@pytest.fixture
def small_project(tmp_path):
    from framelens import store

    p = store.create_project(tmp_path / "kills.framelens")
    book = store.ensure_codebook(p, "frames", "Frames")
    codes = {name: store.add_code(p, book, name) for name in ("Security", "Economy", "Trade")}
    art = store.add_article(p, text=STORE_TEXT, title="Talks", outlet="TASS").article_id
    coders = {name: store.ensure_coder(p, name).id for name in ("a", "b")}
    yield p, codes, art, coders
    p.close()


def _action(p, action_id: int) -> dict:
    return dict(p.query_one("SELECT kind, description, coder_id, undoes_id FROM actions"
                            " WHERE id = ?", (action_id,)))


def test_undo_and_redo_are_logged_as_such(small_project):
    from framelens import store

    p, codes, art, coders = small_project
    ann, added = store.add_annotation(p, article_id=art, start=0, end=5, code_id=codes["Security"],
                                      coder_id=coders["a"])
    edit = store.update_annotation(p, ann, memo="note").action_id
    undone = store.undo(p, edit, coder_id=coders["b"]).action_id
    assert _action(p, undone) == {"kind": "undo", "description": f"undo annotation {ann}",
                                  "coder_id": coders["b"], "undoes_id": edit}
    redone = store.undo(p, undone).action_id
    assert _action(p, redone) == {"kind": "redo", "description": f"redo undo annotation {ann}",
                                  "coder_id": None, "undoes_id": undone}
    assert store.get_annotation(p, ann).memo == "note"


def test_an_import_is_not_undone_from_the_history(small_project):
    from framelens import store

    p, *_ = small_project
    store.add_articles(p, [{"text": "Another article about the talks.", "outlet": "NHK"}])
    imported = p.query_one("SELECT id FROM actions WHERE kind = 'import'")[0]
    with pytest.raises(store.ConflictError, match="^a import is not undone from the history; "
                                                  "remove the articles instead$"):
        store.undo(p, imported)


def test_rebounding_one_end_keeps_the_other(small_project):
    from framelens import store

    p, codes, art, coders = small_project
    ann, _ = store.add_annotation(p, article_id=art, start=0, end=5, code_id=codes["Security"],
                                  coder_id=coders["a"])
    store.update_annotation(p, ann, end=16)
    got = store.get_annotation(p, ann)
    assert (got.start, got.end, got.quote) == (0, 16, "Tokyo and Moscow")
    store.update_annotation(p, ann, start=10)
    got = store.get_annotation(p, ann)
    assert (got.start, got.end, got.quote) == (10, 16, "Moscow")


def test_edit_and_delete_are_logged_under_the_right_coder_with_a_description(small_project):
    from framelens import store

    p, codes, art, coders = small_project
    ann, _ = store.add_annotation(p, article_id=art, start=10, end=16, code_id=codes["Trade"],
                                  coder_id=coders["a"])
    own = store.update_annotation(p, ann, memo="x").action_id
    other = store.update_annotation(p, ann, memo="y", coder_id=coders["b"]).action_id
    assert _action(p, own)["coder_id"] == coders["a"]         # defaults to the annotation's coder
    assert _action(p, other)["coder_id"] == coders["b"]
    deleted = store.delete_annotation(p, ann).action_id
    assert _action(p, deleted) == {"kind": "annotation-delete", "description": "Trade: Moscow",
                                   "coder_id": coders["a"], "undoes_id": None}


def test_article_memo_set_changed_unchanged_cleared_and_undone(small_project):
    from framelens import store

    p, _, art, coders = small_project
    a, b = coders["a"], coders["b"]
    first = store.set_article_memo(p, article_id=art, coder_id=a, memo="framing: security")
    assert _action(p, first.action_id) == {"kind": "article-memo", "description": f"article {art}",
                                           "coder_id": a, "undoes_id": None}
    store.set_article_memo(p, article_id=art, coder_id=b, memo="b's memo")
    store.set_article_memo(p, article_id=art, coder_id=a, memo="framing: economy")
    same = store.set_article_memo(p, article_id=art, coder_id=a, memo="framing: economy")
    assert p.query_one("SELECT count(*) FROM changes WHERE action_id = ?", (same.action_id,))[0] == 0
    assert p.query_one("SELECT count(*) FROM article_memos")[0] == 2
    assert store.get_article_memo(p, art, a) == "framing: economy"
    assert store.get_article_memo(p, art, b) == "b's memo"
    cleared = store.set_article_memo(p, article_id=art, coder_id=a, memo="  ")
    assert store.get_article_memo(p, art, a) == "" and store.get_article_memo(p, art, b) == "b's memo"
    store.undo(p, cleared.action_id)
    assert store.get_article_memo(p, art, a) == "framing: economy"


def test_merge_keeps_a_clashing_article_label_on_the_source(small_project):
    from framelens import store

    p, codes, art, coders = small_project
    sec, eco = codes["Security"], codes["Economy"]
    other = store.add_article(p, text="A second article on trade.", outlet="NHK").article_id
    store.set_article_label(p, article_id=art, coder_id=coders["a"], code_id=sec, value="1")
    store.set_article_label(p, article_id=art, coder_id=coders["a"], code_id=eco, value="0")
    store.set_article_label(p, article_id=other, coder_id=coders["a"], code_id=sec, value="1")
    store.set_article_label(p, article_id=art, coder_id=coders["b"], code_id=sec, value="1")
    store.merge_codes(p, sec, eco)
    labels = sorted((x.article_id, x.coder_id, x.code_id, x.value)
                    for x in store.list_article_labels(p))
    assert labels == sorted([(art, coders["a"], sec, "1"),       # clash with a's own label: kept
                             (art, coders["a"], eco, "0"),
                             (other, coders["a"], eco, "1"),     # moved
                             (art, coders["b"], eco, "1")])      # moved


def test_add_code_is_logged_with_its_kind_and_name(small_project):
    from framelens import store

    p, *_ = small_project
    book = store.ensure_codebook(p, "frames")
    store.add_code(p, book, "Culture")
    last = p.query_one("SELECT kind, description FROM actions ORDER BY id DESC LIMIT 1")
    assert tuple(last) == ("code-add", "Culture")


def test_article_texts_of_a_story_follow_the_story_order(small_project):
    from framelens import store

    p, _, art, _ = small_project
    second = store.add_article(p, text="Second text.", outlet="NHK", published="2001-01-01").article_id
    third = store.add_article(p, text="Third text.", outlet="NHK", published="2000-01-01").article_id
    story = store.create_story(p, "Talks")
    store.add_to_story(p, story, [second, art])
    got = store.list_article_texts(p, story_id=story)
    assert [(t.id, t.text) for t in got] == [(second, "Second text."), (art, STORE_TEXT)]
    # without a story: by publication date (undated first), then id - as list_articles
    assert [t.id for t in store.list_article_texts(p)] == [art, third, second]
    assert [a.id for a in store.list_articles(p)] == [art, third, second]
