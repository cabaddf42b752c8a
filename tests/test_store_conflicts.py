"""Two processes changing the same annotation, and undo after someone else changed the rows.

Real processes (``sys.executable -c``) on one project file, as two windows or a window and the
command line would be.  The defined outcomes (store/project.py, docs/reliability.md):

* edits and deletes serialise (``BEGIN IMMEDIATE``): every edit that returns is in the file and
  in the history, each logged with the before-image of the row as the other process left it;
  the row is always one whole edit, never fields of two;
* an edit or delete of a row the other process deleted first fails with a ``ProjectError``
  naming the annotation, and leaves nothing (no action row, no change row);
* ``undo`` of an action whose rows another process changed since raises ``ConflictError`` and
  changes nothing, also when the action touched several rows and only the last one inverted
  conflicts.  A later edit of the same row always conflicts (every edit stamps
  ``updated_at``); an edit of another row never does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from framelens import store

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("Tokyo and Moscow agreed on Friday to hold more security talks next year, "
        "the foreign ministers said after two hours of talks in the Russian capital.")

WORKER = textwrap.dedent("""
    import json, sys
    from framelens import store
    path, plan = sys.argv[1], json.loads(sys.argv[2])
    p = store.open_project(path)
    print("READY", flush=True)
    sys.stdin.readline()                       # start together
    results = []
    for op in plan:
        try:
            if op["op"] == "update":
                store.update_annotation(p, op["id"], memo=op["memo"], start=op["start"],
                                        end=op["end"], coder_id=op["coder"])
            elif op["op"] == "recode":
                store.update_annotation(p, op["id"], code_id=op["code"], coder_id=op["coder"])
            elif op["op"] == "delete":
                store.delete_annotation(p, op["id"], coder_id=op["coder"])
            results.append(["ok"])
        except store.ProjectError as exc:
            results.append([type(exc).__name__, str(exc)])
    p.close()
    print(json.dumps(results), flush=True)
""")


def run_together(path: Path, *plans: list[dict]) -> list[list[list[str]]]:
    """Run one worker process per plan, started at the same moment; their results in order.
    Any exception other than a ProjectError fails the test (a traceback, not a store error)."""
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(path), json.dumps(plan)],
                              cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for plan in plans]
    for proc in procs:
        assert proc.stdout.readline().strip() == "READY", proc.stderr.read()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "Traceback" not in err, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@pytest.fixture
def setup(tmp_path):
    """A project with one article, two coders, three codes and 20 annotations by coder a."""
    path = tmp_path / "conflicts.framelens"
    p = store.create_project(path)
    book = store.ensure_codebook(p, "frames", "Frames")
    codes = [store.add_code(p, book, name) for name in ("Security", "Economy", "Diplomacy")]
    article = store.add_article(p, text=TEXT, title="Talks", outlet="TASS").article_id
    a, b = store.ensure_coder(p, "a").id, store.ensure_coder(p, "b").id
    anns = [store.add_annotation(p, article_id=article, start=i, end=i + 10, code_id=codes[0],
                                 coder_id=a)[0] for i in range(20)]
    p.close()
    return {"path": path, "codes": codes, "article": article, "a": a, "b": b, "anns": anns}


def _changes_of(p: store.Project, ann_id: int, kind: str) -> list[dict]:
    rows = p.query("SELECT c.before_json, c.after_json, a.coder_id, a.kind FROM changes c"
                   " JOIN actions a ON a.id = c.action_id"
                   " WHERE c.table_name = 'annotations' AND c.row_id = ? AND a.kind = ?"
                   " ORDER BY c.id", (ann_id, kind))
    return [{"before": json.loads(r["before_json"] or "null"),
             "after": json.loads(r["after_json"] or "null"), "coder": r["coder_id"]} for r in rows]


def _snapshot(p: store.Project) -> dict:
    return {table: [tuple(r) for r in p.query(f'SELECT * FROM "{table}" ORDER BY id')]
            for table in ("annotations", "codes", "actions", "changes")}


def test_two_processes_editing_one_annotation_serialise_whole_edits(setup):
    target, n = setup["anns"][0], 60

    def plan(who: str, coder: int, offset: int) -> list[dict]:
        return [{"op": "update", "id": target, "memo": f"{who} {i}", "start": offset + i % 7,
                 "end": offset + i % 7 + 5 + i % 11, "coder": coder} for i in range(n)]

    plans = {"A": plan("A", setup["a"], 0), "B": plan("B", setup["b"], 40)}
    results = run_together(setup["path"], plans["A"], plans["B"])
    assert results == [[["ok"]] * n, [["ok"]] * n]
    by_memo = {op["memo"]: op for ops in plans.values() for op in ops}
    p = store.open_project(setup["path"])
    try:
        ann = store.get_annotation(p, target)
        assert ann.memo in ("A 59", "B 59")           # the last edit of whoever wrote last
        op = by_memo[ann.memo]
        assert (ann.start, ann.end, ann.quote) == (op["start"], op["end"], TEXT[op["start"]:op["end"]])
        edits = _changes_of(p, target, "annotation-edit")
        assert len(edits) == 2 * n                    # every acknowledged edit is in the history
        assert sorted(e["after"]["memo"] for e in edits) == sorted(by_memo)
        for e in edits:                               # each action is logged under its coder
            assert e["coder"] == (setup["a"] if e["after"]["memo"][0] == "A" else setup["b"])
        # each before-image is the row exactly as the previous edit (of either process) left it
        previous = {"memo": None, "start": 0, "end": 10, "quote": TEXT[0:10]}
        for e in edits:
            assert {k: e["before"][k] for k in previous} == previous
            previous = {k: e["after"][k] for k in previous}
        assert previous == {"memo": ann.memo, "start": ann.start, "end": ann.end, "quote": ann.quote}
        assert store.integrity_check(p) == []
    finally:
        p.close()


def test_two_processes_deleting_the_same_annotations_one_wins_each(setup):
    anns = setup["anns"]
    results = run_together(setup["path"],
                           [{"op": "delete", "id": i, "coder": setup["a"]} for i in anns],
                           [{"op": "delete", "id": i, "coder": setup["b"]} for i in anns])
    p = store.open_project(setup["path"])
    try:
        for index, ann_id in enumerate(anns):
            outcomes = [results[0][index], results[1][index]]
            assert sorted(o[0] for o in outcomes) == ["ProjectError", "ok"], outcomes
            error = next(o for o in outcomes if o[0] != "ok")
            assert f"with id {ann_id}" in error[1]   # the refusal names the annotation
            deletes = _changes_of(p, ann_id, "annotation-delete")
            assert len(deletes) == 1 and deletes[0]["before"]["id"] == ann_id
            winner = setup["a"] if results[0][index] == ["ok"] else setup["b"]
            assert deletes[0]["coder"] == winner
        assert store.list_annotations(p) == []
        # a refused delete leaves no action behind
        assert p.query_one("SELECT count(*) FROM actions WHERE kind = 'annotation-delete'")[0] == 20
        assert store.integrity_check(p) == []
    finally:
        p.close()


def test_edit_racing_a_delete_fails_clearly_and_the_delete_keeps_the_last_edit(setup):
    target, other = setup["anns"][0], setup["anns"][1]
    edits = [{"op": "update", "id": target, "memo": f"edit {i}", "start": i % 9, "end": 20 + i % 9,
              "coder": setup["a"]} for i in range(150)]
    slow_delete = [{"op": "update", "id": other, "memo": f"warm {i}", "start": 1, "end": 5 + i % 3,
                    "coder": setup["b"]} for i in range(20)]
    slow_delete.append({"op": "delete", "id": target, "coder": setup["b"]})
    results = run_together(setup["path"], edits, slow_delete)
    assert results[1] == [["ok"]] * 21
    outcome = [r[0] for r in results[0]]
    done = outcome.count("ok")
    assert outcome == ["ok"] * done + ["ProjectError"] * (len(edits) - done)  # never an edit after
    assert all(f"with id {target}" in r[1] for r in results[0][done:])
    p = store.open_project(setup["path"])
    try:
        assert len(_changes_of(p, target, "annotation-edit")) == done
        deleted = _changes_of(p, target, "annotation-delete")
        assert len(deleted) == 1
        expected = edits[done - 1] if done else {"memo": None, "start": 0, "end": 10}
        assert {k: deleted[0]["before"][k] for k in ("memo", "start", "end")} == \
            {k: expected[k] for k in ("memo", "start", "end")}
        # undoing the delete brings back the row as the last edit left it
        action = p.query_one("SELECT id FROM actions WHERE kind = 'annotation-delete'")[0]
        store.undo(p, action)
        back = store.get_annotation(p, target)
        assert (back.memo, back.start, back.end) == (expected["memo"], expected["start"], expected["end"])
        assert store.integrity_check(p) == []
    finally:
        p.close()


def _my_memo_edit(setup) -> tuple[store.Project, int, int]:
    """This process edits the memo of the first annotation; returns the open project, the
    annotation and the edit's action id."""
    p = store.open_project(setup["path"])
    target = setup["anns"][0]
    action = store.update_annotation(p, target, memo="mine", coder_id=setup["a"]).action_id
    return p, target, action


def test_undo_after_another_process_edited_the_row_is_a_conflict(setup):
    p, target, action = _my_memo_edit(setup)
    try:
        run_together(setup["path"], [{"op": "update", "id": target, "memo": "theirs", "start": 3,
                                      "end": 9, "coder": setup["b"]}])
        before = _snapshot(p)
        with pytest.raises(store.ConflictError, match="changed again since"):
            store.undo(p, action)
        assert _snapshot(p) == before
        ann = store.get_annotation(p, target)
        assert (ann.memo, ann.start, ann.end) == ("theirs", 3, 9)
    finally:
        p.close()


def test_undo_after_another_process_deleted_the_row_is_a_conflict(setup):
    p, target, action = _my_memo_edit(setup)
    try:
        run_together(setup["path"], [{"op": "delete", "id": target, "coder": setup["b"]}])
        before = _snapshot(p)
        with pytest.raises(store.ConflictError, match="deleted since"):
            store.undo(p, action)
        assert _snapshot(p) == before
    finally:
        p.close()


def test_undo_after_another_process_edited_another_row_is_no_conflict(setup):
    p, target, action = _my_memo_edit(setup)
    try:
        neighbour = setup["anns"][1]
        run_together(setup["path"], [{"op": "recode", "id": neighbour, "code": setup["codes"][1],
                                      "coder": setup["b"]}])
        store.undo(p, action)                         # my memo goes, their re-coding stays
        assert store.get_annotation(p, target).memo is None
        assert store.get_annotation(p, neighbour).code_id == setup["codes"][1]
    finally:
        p.close()


def test_undo_after_another_process_edited_other_columns_of_the_row_is_a_conflict(setup):
    """Every edit stamps ``updated_at``, so a later edit of the same row - even of columns my
    action did not touch - counts as "changed again since": undo refuses rather than guess."""
    p, target, action = _my_memo_edit(setup)
    try:
        run_together(setup["path"], [{"op": "recode", "id": target, "code": setup["codes"][1],
                                      "coder": setup["b"]}])
        before = _snapshot(p)
        with pytest.raises(store.ConflictError, match="changed again since"):
            store.undo(p, action)
        assert _snapshot(p) == before
    finally:
        p.close()


def test_undo_of_a_several_row_action_conflicting_on_its_last_row_changes_nothing(setup):
    security, economy, diplomacy = setup["codes"]
    p = store.open_project(setup["path"])
    try:
        merge = store.merge_codes(p, security, economy, coder_id=setup["a"]).action_id
        # undo inverts the merge's rows newest first: the code row and annotations 20..2 are
        # put back before annotation 1, which the other process re-coded, conflicts
        first = setup["anns"][0]
        run_together(setup["path"], [{"op": "recode", "id": first, "code": diplomacy,
                                      "coder": setup["b"]}])
        before = _snapshot(p)
        with pytest.raises(store.ConflictError, match=f"annotations row {first} was changed"):
            store.undo(p, merge)
        assert _snapshot(p) == before
        assert store.get_code(p, security).merged_into == economy
    finally:
        p.close()


def test_undo_of_an_add_after_another_process_edited_it_is_a_conflict(setup):
    p = store.open_project(setup["path"])
    try:
        target, changes = store.add_annotation(p, article_id=setup["article"], start=30, end=45,
                                               code_id=setup["codes"][0], coder_id=setup["a"])
        run_together(setup["path"], [{"op": "update", "id": target, "memo": "their note",
                                      "start": 30, "end": 50, "coder": setup["b"]}])
        before = _snapshot(p)
        with pytest.raises(store.ConflictError):
            store.undo(p, changes.action_id)
        assert _snapshot(p) == before
    finally:
        p.close()
