"""Bulk accept in the store: one action for N suggestions, one undo takes all N back and the
suggestions are open again; a batch with a bad id writes nothing."""

from __future__ import annotations

import pytest

from framelens import store
from framelens.store.suggestions import accept_suggestions

TEXT = "Tokyo and Washington met. Beijing objected. Moscow watched the talks closely."


@pytest.fixture
def project(tmp_path):
    p = store.create_project(tmp_path / "bulk.framelens")
    yield p
    p.close()


def _suggest(project):
    art = store.add_article(project, text=TEXT, title="Talks", outlet="Test").article_id
    items = [{"start": a, "end": b, "codebook": "actors", "label": label, "score": 0.9,
              "suggester": "actors", "suggester_version": "1", "rationale": "name"}
             for a, b, label in ((0, 5, "Japan"), (10, 20, "United States"), (26, 33, "China"),
                                 (44, 50, "Russia"))]
    assert store.add_suggestions(project, art, items) == 4
    return art


def test_bulk_accept_is_one_action_and_one_undo(project):
    art = _suggest(project)
    alice = store.ensure_coder(project, "alice")
    open_before = store.open_suggestions(project, coder_id=alice.id)
    ids = [s.id for s in open_before[:3]]
    n_actions = project.query_one("SELECT count(*) FROM actions")[0]
    made, changes = accept_suggestions(project, ids, coder_id=alice.id, what="Accept 3")
    assert len(made) == 3 and project.query_one("SELECT count(*) FROM actions")[0] == n_actions + 1
    anns = store.list_annotations(project, coder_ids=[alice.id])
    assert sorted(a.suggestion_id for a in anns) == sorted(ids)
    assert [(a.start, a.end) for a in sorted(anns, key=lambda a: a.start)] == [(0, 5), (10, 20), (26, 33)]
    assert [s.id for s in store.open_suggestions(project, coder_id=alice.id)] == [open_before[3].id]
    step, _ = store.undo_last(project, coder_id=alice.id)
    assert step.description == "Accept 3"
    assert store.list_annotations(project, coder_ids=[alice.id]) == []
    assert store.decisions(project, coder_id=alice.id) == []
    assert [s.id for s in store.open_suggestions(project, coder_id=alice.id)] == [s.id for s in open_before]
    assert art in {s.article_id for s in open_before}


def test_bulk_accept_all_or_nothing(project):
    _suggest(project)
    alice = store.ensure_coder(project, "alice")
    ids = [s.id for s in store.open_suggestions(project, coder_id=alice.id)]
    with pytest.raises(store.ProjectError, match="no suggestion with id 999"):
        accept_suggestions(project, [ids[0], 999], coder_id=alice.id)
    assert store.list_annotations(project, coder_ids=[alice.id]) == []
    store.accept_suggestion(project, ids[1], coder_id=alice.id)
    with pytest.raises(store.ValidationError, match=f"suggestion {ids[1]} is already accepted"):
        accept_suggestions(project, ids, coder_id=alice.id)
    assert len(store.list_annotations(project, coder_ids=[alice.id])) == 1
    with pytest.raises(store.ValidationError, match="no suggestions"):
        accept_suggestions(project, [], coder_id=alice.id)
