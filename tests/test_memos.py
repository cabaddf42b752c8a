"""Project memos and code memos: stored (schema 5), logged as actions, undone and redone by the
shared history, refused with a clear message when they cannot be right."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from framelens import store
from framelens.store.schema import LATEST_VERSION

ASSETS = Path(__file__).resolve().parents[1] / "assets"


@pytest.fixture
def project(tmp_path):
    p = store.create_project(tmp_path / "p.framelens")
    store.load_codebook(p, json.loads((ASSETS / "codebooks" / "policy_frames.json").read_text("utf-8")))
    yield p
    p.close()


@pytest.fixture
def ana(project):
    return store.ensure_coder(project, "ana").id


def _code(project, name="Economic"):
    return store.find_code(project, name).id


def test_schema_5_has_the_memos_table(project):
    assert LATEST_VERSION == 5 and project.schema_version == 5
    cols = [r[1] for r in project.conn.execute("PRAGMA table_info(memos)")]
    assert cols == ["id", "code_id", "title", "text", "created_by", "created_at", "updated_at"]


def test_project_and_code_memos_are_kept_apart(project, ana):
    econ = _code(project)
    pid, changes = store.add_memo(project, "Outlets disagree on who started it.", title="Week 1",
                                  coder_id=ana)
    assert changes.touched("memos")
    cid, _ = store.add_memo(project, "Use for costs and prices only.", code_id=econ, coder_id=ana)
    cid2, _ = store.add_memo(project, "Second thought.", code_id=econ, coder_id=ana)
    memos = store.list_memos(project)
    assert [(m.id, m.code, m.title, m.coder) for m in memos] == [
        (pid, None, "Week 1", "ana"), (cid, "Economic", "", "ana"), (cid2, "Economic", "", "ana")]
    assert [m.id for m in store.list_memos(project, project_only=True)] == [pid]
    assert [m.id for m in store.list_memos(project, codes_only=True)] == [cid, cid2]
    assert [m.id for m in store.list_memos(project, code_id=econ)] == [cid, cid2]
    assert store.list_memos(project, code_id=_code(project, "Morality")) == []
    assert store.get_memo(project, pid).is_project_memo
    assert not store.get_memo(project, cid).is_project_memo
    assert store.code_memo(project, econ) == "Use for costs and prices only."


def test_dates_given_by_an_importer_are_kept(project, ana):
    mid, _ = store.add_memo(project, "t", created_at="2020-01-02T03:04:05Z",
                            updated_at="2021-01-01T00:00:00Z")
    m = store.get_memo(project, mid)
    assert (m.created_at, m.updated_at) == ("2020-01-02T03:04:05Z", "2021-01-01T00:00:00Z")
    mid2, _ = store.add_memo(project, "u", created_at="2020-01-02T03:04:05Z")
    assert store.get_memo(project, mid2).updated_at == "2020-01-02T03:04:05Z"


def test_bad_memos_are_refused_with_a_reason(project, ana):
    with pytest.raises(store.ValidationError, match="needs some text"):
        store.add_memo(project, "   ")
    with pytest.raises(store.ValidationError, match="no code with id 9999"):
        store.add_memo(project, "x", code_id=9999)
    with pytest.raises(store.ValidationError, match="no coder with id 77"):
        store.add_memo(project, "x", coder_id=77)
    with pytest.raises(store.ProjectError, match="no memo with id 5"):
        store.get_memo(project, 5)
    mid, _ = store.add_memo(project, "x")
    with pytest.raises(store.ValidationError, match="needs some text"):
        store.update_memo(project, mid, text="")
    assert project.query_one("SELECT count(*) FROM memos")[0] == 1
    assert project.query_one("SELECT count(*) FROM actions WHERE kind LIKE 'memo%'")[0] == 1


def test_edit_changes_only_what_differs(project, ana):
    mid, _ = store.add_memo(project, "first", title="T", coder_id=ana)
    assert not store.update_memo(project, mid, text="first", title=" T ")
    store.update_memo(project, mid, text="second", coder_id=ana)
    m = store.get_memo(project, mid)
    assert (m.text, m.title) == ("second", "T")
    store.update_memo(project, mid, title="New title")
    assert store.get_memo(project, mid).title == "New title"
    kinds = [r[0] for r in project.query("SELECT kind FROM actions WHERE kind LIKE 'memo%' ORDER BY id")]
    assert kinds == ["memo", "memo-edit", "memo-edit"]


def test_add_edit_delete_are_undone_and_redone_by_the_shared_history(project, ana):
    mid, _ = store.add_memo(project, "draft", title="T", coder_id=ana)
    store.update_memo(project, mid, text="final", coder_id=ana)
    store.delete_memo(project, mid, coder_id=ana)
    assert store.list_memos(project) == []
    step, _ = store.undo_last(project, coder_id=ana)
    assert step.kind == "memo-delete" and store.get_memo(project, mid).text == "final"
    step, _ = store.undo_last(project, coder_id=ana)
    assert step.kind == "memo-edit" and store.get_memo(project, mid).text == "draft"
    step, _ = store.undo_last(project, coder_id=ana)
    assert step.kind == "memo" and store.list_memos(project) == []
    store.redo_last(project, coder_id=ana)
    assert store.get_memo(project, mid).text == "draft"
    store.redo_last(project, coder_id=ana)
    assert store.get_memo(project, mid).text == "final"


def test_set_code_memo_creates_edits_and_clears(project, ana):
    econ = _code(project)
    assert not store.set_code_memo(project, econ, "  ", coder_id=ana)
    store.set_code_memo(project, econ, "one", coder_id=ana)
    store.set_code_memo(project, econ, "two", coder_id=ana)
    assert [m.text for m in store.list_memos(project, code_id=econ)] == ["two"]
    assert not store.set_code_memo(project, econ, "two", coder_id=ana)
    store.set_code_memo(project, econ, "", coder_id=ana)
    assert store.code_memo(project, econ) == ""
    store.undo_last(project, coder_id=ana)
    assert store.code_memo(project, econ) == "two"


def test_a_code_memo_must_name_an_existing_code_in_the_file_too(project):
    with pytest.raises(sqlite3.IntegrityError):
        with project.action("memo"):
            project.insert_row("memos", {"code_id": 4242, "title": "", "text": "x",
                                         "created_by": None, "created_at": "t", "updated_at": "t"})
    assert project.query_one("SELECT count(*) FROM memos")[0] == 0


def test_read_only_project_refuses_a_memo(project, tmp_path):
    project.close()
    ro = store.open_project(tmp_path / "p.framelens", read_only=True)
    try:
        with pytest.raises(store.ReadOnlyError):
            store.add_memo(ro, "x")
    finally:
        ro.close()


# ---------------------------------------------------------------------------- framelens memo

def _cli(capsys, *argv, status=0):
    from framelens.annotate.cli import main as framelens

    got = framelens([str(a) for a in argv])
    out = capsys.readouterr()
    assert got == status, out.err
    return out


def test_cli_add_list_edit_delete_and_undo(project, tmp_path, capsys):
    path = project.path
    project.close()
    out = _cli(capsys, "memo", "add", path, "--title", "Week 1", "--text", "Outlets disagree.",
               "--coder", "ana", "--json")
    first = json.loads(out.out)["memo"]
    assert (first["title"], first["text"], first["code"], first["coder"]) == (
        "Week 1", "Outlets disagree.", None, "ana")
    note = tmp_path / "memo.txt"
    note.write_text("Costs, prices,\nbudgets.", encoding="utf-8")
    out = _cli(capsys, "memo", "add", path, "--code", "Economic", "--file", note, "--coder", "ben")
    assert out.out.strip() == "memo 2 added on code 'Economic'"
    rows = json.loads(_cli(capsys, "memo", "list", path, "--json").out)
    assert [(r["id"], r["code"], r["text"], r["coder"]) for r in rows] == [
        (1, None, "Outlets disagree.", "ana"), (2, "Economic", "Costs, prices,\nbudgets.", "ben")]
    assert [r["id"] for r in json.loads(_cli(capsys, "memo", "list", path, "--code", "Economic",
                                             "--json").out)] == [2]
    assert [r["id"] for r in json.loads(_cli(capsys, "memo", "list", path, "--project-only",
                                             "--json").out)] == [1]
    text = _cli(capsys, "memo", "list", path).out
    assert "(project)" in text and "Costs, prices, budgets." in text and "2 memo(s)" in text
    out = _cli(capsys, "memo", "edit", path, "1", "--text", "They agree after all.", "--coder", "ana")
    assert out.out.strip() == "memo 1 edited on the project"
    out = _cli(capsys, "memo", "edit", path, "1", "--text", "They agree after all.", "--coder", "ana")
    assert out.out.strip() == "memo 1 edited on the project (nothing changed)"
    _cli(capsys, "memo", "delete", path, "2", "--coder", "ben")
    _cli(capsys, "undo", path, "--coder", "ben")        # the delete comes back
    _cli(capsys, "undo", path, "--coder", "ana")        # the edit is taken back
    p = store.open_project(path, read_only=True)
    try:
        assert [(m.id, m.text) for m in store.list_memos(p)] == [
            (1, "Outlets disagree."), (2, "Costs, prices,\nbudgets.")]
    finally:
        p.close()


def test_cli_refuses_bad_requests_with_one_line(project, capsys):
    path = project.path
    project.close()
    err = _cli(capsys, "memo", "add", path, "--text", "  ", "--coder", "ana", status=2).err
    assert err.strip() == "framelens memo: error: a memo needs some text"
    err = _cli(capsys, "memo", "edit", path, "9", "--text", "x", "--coder", "ana", status=2).err
    assert err.strip() == "framelens memo: error: no memo with id 9"
    err = _cli(capsys, "memo", "edit", path, "9", "--coder", "ana", status=2).err
    assert err.strip() == "framelens memo: error: memo edit: give --text, --file or --title"
    err = _cli(capsys, "memo", "add", path, "--text", "x", "--code", "No such code",
               "--coder", "ana", status=2).err
    assert err.startswith("framelens memo: error: ") and "No such code" in err
    assert "Traceback" not in err
