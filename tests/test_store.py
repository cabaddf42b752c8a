"""The project file: schema, invariants, actions, undo, search, opening damaged files."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from framelens import store
from framelens.store.schema import APPLICATION_ID, LATEST_VERSION

ASSETS = Path(__file__).resolve().parents[1] / "assets"
TEXT = "Tokyo 👍🏽 and Moscow met; 𠮷 marks a CJK Extension B character.\nSecond line."


@pytest.fixture
def project(tmp_path):
    p = store.create_project(tmp_path / "p.framelens")
    store.load_codebook(p, json.loads((ASSETS / "codebooks" / "policy_frames.json").read_text("utf-8")))
    yield p
    p.close()


@pytest.fixture
def article(project):
    return store.add_article(project, text=TEXT, title="Test", outlet="PenzaNews", country="ru",
                             published="2017-03-28").article_id


def test_new_project_is_wal_with_foreign_keys_and_version(project):
    assert project.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert project.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert project.schema_version == LATEST_VERSION
    assert project.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_schema_is_browsable_with_sqlite_utils(project, article):
    tables = set(project.db.table_names())
    for name in ("outlets", "articles", "stories", "story_articles", "codebooks", "codes", "coders",
                 "annotations", "article_labels", "suggestions", "actions", "changes"):
        assert name in tables
    assert {"annotations_view", "articles_view"} <= set(project.db.view_names())
    row = next(project.db["articles_view"].rows)
    assert row["outlet"] == "PenzaNews" and row["country"] == "RU"


def test_article_text_is_immutable_and_hashed(project, article):
    a = store.get_article(project, article)
    assert a.text_sha256 == store.text_sha256(TEXT)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        project.conn.execute("UPDATE articles SET text = 'changed' WHERE id = ?", (article,))
    # metadata may change
    store.update_article_metadata(project, article, title="New title")
    assert store.get_article(project, article).title == "New title"


def test_same_text_is_detected(project, article):
    again = store.add_article(project, text=TEXT, outlet="Other")
    assert again == store.AddResult(article, False)
    assert store.count_articles(project) == 1


def test_invalid_country_is_refused(project):
    with pytest.raises(store.ValidationError, match="ISO 3166"):
        store.add_article(project, text="x y z", outlet="Somewhere", country="Russia")


def test_annotation_offsets_are_code_points_and_checked(project, article):
    coder = store.ensure_coder(project, "alice")
    code = store.find_code(project, "Security and defense")
    start = TEXT.index("👍🏽")
    ann_id, changes = store.add_annotation(project, article_id=article, start=start,
                                           end=start + 2, code_id=code.id, coder_id=coder.id)
    ann = store.get_annotation(project, ann_id)
    assert ann.quote == "👍🏽" and ann.coder == "alice" and ann.code == "Security and defense"
    assert changes.touched("annotations")
    with pytest.raises(store.ValidationError, match="outside"):
        store.add_annotation(project, article_id=article, start=0, end=len(TEXT) + 1,
                             code_id=code.id, coder_id=coder.id)
    with pytest.raises(store.ValidationError, match="does not match"):
        store.add_annotation(project, article_id=article, start=0, end=5, code_id=code.id,
                             coder_id=coder.id, quote="Moscow")
    with pytest.raises(store.ValidationError, match="empty"):
        store.add_annotation(project, article_id=article, start=5, end=5, code_id=code.id,
                             coder_id=coder.id)
    # the database refuses a bad quote even when the Python checks are bypassed
    with pytest.raises(sqlite3.IntegrityError, match="quote"):
        project.conn.execute(
            'INSERT INTO annotations (article_id, start, "end", code_id, coder_id, quote,'
            " created_at, updated_at) VALUES (?, 0, 5, ?, ?, 'nope!', 'x', 'x')",
            (article, code.id, coder.id))


def test_every_action_is_logged_and_undo_redo_restore(project, article):
    coder = store.ensure_coder(project, "alice")
    code = store.find_code(project, "Economic")
    ann_id, changes = store.add_annotation(project, article_id=article, start=0, end=5,
                                           code_id=code.id, coder_id=coder.id)
    logged = project.query("SELECT * FROM changes WHERE action_id = ?", (changes.action_id,))
    assert [(r["table_name"], r["op"]) for r in logged] == [("annotations", "insert")]
    undone = store.undo(project, changes.action_id, coder_id=coder.id)
    assert store.list_annotations(project) == []
    store.undo(project, undone.action_id, coder_id=coder.id)  # redo
    [ann] = store.list_annotations(project)
    assert (ann.id, ann.start, ann.end, ann.quote) == (ann_id, 0, 5, "Tokyo")
    # delete + undo brings back the same row
    deleted = store.delete_annotation(project, ann_id)
    store.undo(project, deleted.action_id)
    assert store.get_annotation(project, ann_id).quote == "Tokyo"


def test_change_log_is_append_only(project, article):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.conn.execute("DELETE FROM changes")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.conn.execute("DELETE FROM actions")


def test_failed_action_leaves_nothing(project, article):
    coder = store.ensure_coder(project, "alice")
    code = store.find_code(project, "Economic")
    before = project.query_one("SELECT count(*) FROM actions")[0]
    with pytest.raises(RuntimeError):
        with project.action("test"):
            store.add_annotation(project, article_id=article, start=0, end=5, code_id=code.id,
                                 coder_id=coder.id)
            raise RuntimeError("crash in the middle of an action")
    assert store.list_annotations(project) == []
    assert project.query_one("SELECT count(*) FROM actions")[0] == before


def test_merge_codes_moves_annotations_and_undoes(project, article):
    coder = store.ensure_coder(project, "alice")
    econ = store.find_code(project, "Economic")
    cap = store.find_code(project, "Capacity and resources")
    store.add_annotation(project, article_id=article, start=0, end=5, code_id=cap.id, coder_id=coder.id)
    merged = store.merge_codes(project, cap.id, econ.id)
    [ann] = store.list_annotations(project)
    assert ann.code_id == econ.id
    assert cap.id not in {c.id for c in store.list_codes(project)}
    store.undo(project, merged.action_id)
    [ann] = store.list_annotations(project)
    assert ann.code_id == cap.id
    assert cap.id in {c.id for c in store.list_codes(project)}


def test_undo_refuses_when_row_changed_since(project, article):
    coder = store.ensure_coder(project, "alice")
    code = store.find_code(project, "Economic")
    ann_id, first = store.add_annotation(project, article_id=article, start=0, end=5,
                                         code_id=code.id, coder_id=coder.id)
    memo = store.update_annotation(project, ann_id, memo="first memo")
    store.update_annotation(project, ann_id, memo="second memo")
    with pytest.raises(store.ConflictError):
        store.undo(project, memo.action_id)
    assert store.get_annotation(project, ann_id).memo == "second memo"


def test_article_labels_and_questions(project, article):
    coder = store.ensure_coder(project, "alice")
    q = store.get_question(project, "primary_frame")
    store.set_article_label(project, article_id=article, coder_id=coder.id,
                            question_id=q.id, value="Political")
    with pytest.raises(store.ValidationError, match="not a choice"):
        store.set_article_label(project, article_id=article, coder_id=coder.id,
                                question_id=q.id, value="Nonsense")
    changes = store.set_article_label(project, article_id=article, coder_id=coder.id,
                                      question_id=q.id, value="Economic")
    [label] = store.list_article_labels(project)
    assert label.value == "Economic"
    store.undo(project, changes.action_id)
    assert store.list_article_labels(project)[0].value == "Political"
    store.set_article_memo(project, article_id=article, coder_id=coder.id, memo="note")
    assert store.get_article_memo(project, article, coder.id) == "note"


def test_search_finds_and_explains_bad_queries(project, article):
    [hit] = store.search(project, "moscow")
    assert hit.article_id == article and TEXT[hit.offset:hit.offset + hit.length] == "Moscow"
    assert store.search(project, "tok", plain=True)[0].article_id == article
    for bad in ('"unbalanced', "AND", "(tokyo", "NEAR(", "tokyo OR"):
        with pytest.raises(store.SearchQueryError):
            store.search(project, bad)
        store.search(project, bad, plain=True)  # the search box never fails


def test_stories(project, article):
    sid = store.create_story(project, "2017 Tokyo", event_date="2017-03-20")
    store.add_to_story(project, sid, [article, article])
    assert store.story_article_ids(project, sid) == [article]
    assert store.get_story(project, "2017 Tokyo").n_articles == 1
    with pytest.raises(store.ProjectError, match="no story"):
        store.get_story(project, "missing")


def test_suggestions_accept_reject_never_reoffered(project, article):
    coder = store.ensure_coder(project, "alice")
    other = store.ensure_coder(project, "bob")
    item = {"start": 0, "end": 5, "codebook": "policy_frames", "label": "Political", "score": 0.9,
            "suggester": "cues", "suggester_version": "1", "rationale": "cue: Tokyo"}
    assert store.add_suggestions(project, article, [item, dict(item, start=6, end=10)]) == 2
    assert store.add_suggestions(project, article, [item]) == 0  # idempotent
    first, second = store.open_suggestions(project, coder_id=coder.id)
    ann_id, _ = store.accept_suggestion(project, first.id, coder_id=coder.id)
    ann = store.get_annotation(project, ann_id)
    assert ann.suggestion_id == first.id and ann.origin.startswith("suggestion:cues")
    store.decide_suggestion(project, second.id, coder_id=coder.id, decision="rejected")
    assert store.open_suggestions(project, coder_id=coder.id) == []
    # a new suggester version proposing the rejected span + label is not offered again
    store.add_suggestions(project, article, [dict(item, start=6, end=10, suggester_version="2")])
    assert store.open_suggestions(project, coder_id=coder.id) == []
    assert len(store.open_suggestions(project, coder_id=other.id)) == 3
    assert [d["decision"] for d in store.decisions(project)] == ["accepted", "rejected"]


def test_not_a_project_newer_version_and_read_only(tmp_path):
    junk = tmp_path / "junk.framelens"
    junk.write_bytes(b"this is not a database at all" * 20)
    with pytest.raises(store.NotAProjectError, match="not a FrameLens project"):
        store.open_project(junk)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(store.NotAProjectError, match="not a FrameLens project"):
        store.open_project(other)
    newer = tmp_path / "newer.framelens"
    store.create_project(newer).close()
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    con.close()
    with pytest.raises(store.NewerVersionError, match="newer FrameLens"):
        store.open_project(newer)
    with pytest.raises(store.ProjectError, match="no such project"):
        store.open_project(tmp_path / "missing.framelens")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_file(tmp_path):
    path = tmp_path / "ro.framelens"
    store.create_project(path).close()
    path.chmod(0o444)
    with pytest.raises(store.ReadOnlyError):
        store.open_project(path)


def test_read_only_open_refuses_changes(tmp_path):
    path = tmp_path / "p.framelens"
    store.create_project(path).close()
    p = store.open_project(path, read_only=True)
    with pytest.raises(store.ReadOnlyError):
        store.ensure_coder(p, "alice")
    p.close()


def test_truncated_file_gives_clear_message(tmp_path):
    path = tmp_path / "t.framelens"
    p = store.create_project(path)
    for i in range(200):
        store.add_article(p, text=f"article number {i} " * 200)
    p.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(store.NotAProjectError, match="damaged"):
        p = store.open_project(path)
        store.list_articles(p)
        store.integrity_check(p) and (_ for _ in ()).throw(store.NotAProjectError("damaged"))


def test_migration_backs_up_an_older_project(tmp_path, monkeypatch):
    import framelens.store.project as project_mod
    import framelens.store.schema as schema_mod

    path = tmp_path / "old.framelens"
    p = store.create_project(path)
    store.add_article(p, text="an old article")
    p.close()
    extra = "CREATE TABLE extra_table (id INTEGER PRIMARY KEY, note TEXT);"
    monkeypatch.setattr(project_mod, "MIGRATIONS", schema_mod.MIGRATIONS + [extra])
    monkeypatch.setattr(project_mod, "LATEST_VERSION", LATEST_VERSION + 1)
    p = store.open_project(path)
    assert p.schema_version == LATEST_VERSION + 1
    assert "extra_table" in p.db.table_names()
    p.close()
    [backup] = list(tmp_path.glob(f"old.framelens.v{LATEST_VERSION}-*.bak"))
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert con.execute("SELECT text FROM articles").fetchone()[0] == "an old article"
    con.close()


def _texts(n, tag="story"):
    return [dict(text=f"Article {i} of the {tag}: Tokyo 👍 and Moscow resumed talks.",
                 title=f"T{i}", outlet="PenzaNews" if i % 2 else "Kyodo",
                 country="RU" if i % 2 else "JP", published="2017-03-20") for i in range(n)]


def test_add_articles_many_per_statement_with_one_log_row_each(project, article):
    items = _texts(store.INSERT_CHUNK * 2 + 7)
    results = store.add_articles(project, items)
    assert all(isinstance(r, store.AddResult) and r.created for r in results)
    ids = [r.article_id for r in results]
    assert len(set(ids)) == len(items) and article not in ids
    for item, article_id in zip(items, ids):        # each id holds its own article
        a = store.get_article(project, article_id)
        assert (a.text, a.title, a.outlet, a.country) == (
            item["text"], item["title"], item["outlet"], item["country"])
    # one import action logs each article once, with its metadata but not its text
    action_ids = {r["action_id"] for r in project.query(
        f"SELECT action_id FROM changes WHERE table_name = 'articles' AND row_id IN "
        f"({', '.join(map(str, ids))})")}
    [action_id] = action_ids
    logged = project.query("SELECT row_id, after_json FROM changes WHERE action_id = ? AND "
                           "table_name = 'articles'", (action_id,))
    assert sorted(r["row_id"] for r in logged) == sorted(ids)
    first = json.loads(next(r["after_json"] for r in logged if r["row_id"] == ids[0]))
    assert first["title"] == "T0" and "text" not in first
    # the full-text index holds them all (many rows per statement still fire the FTS trigger)
    hits = store.search(project, '"resumed talks"', limit=1000)
    assert {h.article_id for h in hits} == set(ids)


def test_add_articles_reports_bad_and_repeated_items_and_stores_the_rest(project, article):
    items = _texts(5)
    items[1]["published"] = "March 2017"            # refused by the file's CHECK
    items[2]["text"] = "  "
    items[3]["country"] = "Russia"                  # refused by ensure_outlet
    items.append(dict(items[0]))                    # the same text twice in one call
    items.append(dict(text=TEXT))                   # already in the project
    results = store.add_articles(project, items)
    assert isinstance(results[0], store.AddResult) and results[0].created
    assert isinstance(results[1], store.ValidationError) and "CHECK" in str(results[1])
    assert isinstance(results[2], store.ValidationError) and "non-empty" in str(results[2])
    assert isinstance(results[3], store.ValidationError) and "ISO 3166" in str(results[3])
    assert results[4].created
    assert results[5] == store.AddResult(results[0].article_id, False)
    assert results[6] == store.AddResult(article, False)
    assert store.count_articles(project) == 3


def test_add_articles_of_known_texts_writes_no_action(project, article):
    before = project.query_one("SELECT count(*) FROM actions")[0]
    assert store.add_articles(project, [dict(text=TEXT)]) == [store.AddResult(article, False)]
    assert store.add_articles(project, []) == []
    assert project.query_one("SELECT count(*) FROM actions")[0] == before
