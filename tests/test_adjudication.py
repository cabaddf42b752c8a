"""Adjudication: copying a coder's version (as is or edited) into the coder "adjudicated",
"kept none" decisions, undo/redo through the store, the disagreement list and the CLI."""

from __future__ import annotations

import json

import pytest

from framelens import store
from framelens.annotate.cli import main as framelens
from framelens.annotate.ops.datasets import disagreement_list
from framelens.annotate.ops.demo import load_default_codebooks
from framelens.annotate.ops.exchange import project_to_x

TEXT = ("Moscow and Tokyo resumed security talks on Monday. Prices of fish rose.\n"
        "Critics called the meeting a symbolic gesture.")


def q(needle: str, text: str = TEXT) -> tuple[int, int]:
    s = text.index(needle)
    return s, s + len(needle)


@pytest.fixture
def coded(tmp_path):
    """Two articles coded by alice and bob, with agreements and disagreements."""
    path = tmp_path / "adj.framelens"
    p = store.create_project(path)
    load_default_codebooks(p)
    a1 = store.add_article(p, text=TEXT, outlet="NHK", country="JP").article_id
    a2 = store.add_article(p, text="Nothing much happened in Beijing today.", outlet="Xinhua",
                           country="CN").article_id
    book = store.get_codebook(p, "policy_frames").id
    codes = {c.name: c.id for c in store.list_codes(p, book)}
    alice, bob = store.ensure_coder(p, "alice").id, store.ensure_coder(p, "bob").id
    ids = {}

    def span(name, coder, needle, code):
        s, e = q(needle)
        ids[name] = store.add_annotation(p, article_id=a1, start=s, end=e, code_id=codes[code],
                                         coder_id=coder, memo=f"{name} memo")[0]

    span("a_talks", alice, "resumed security talks", "Security and defense")
    span("b_talks", bob, "security talks on Monday", "Security and defense")
    span("a_fish", alice, "Prices of fish rose.", "Economic")
    span("b_fish", bob, "Prices of fish rose.", "Economic")           # agreement
    span("b_critics", bob, "Critics called the meeting", "Political")  # alice has none
    primary = store.get_question(p, "primary_frame").id
    for coder, value in ((alice, "Security and defense"), (bob, "Political")):
        store.set_article_label(p, article_id=a1, coder_id=coder, question_id=primary, value=value)
    store.set_article_label(p, article_id=a2, coder_id=alice, question_id=primary, value="Other")
    store.set_article_label(p, article_id=a2, coder_id=bob, question_id=primary, value="Other")
    labels = {(r["coder_id"], r["article_id"]): r["id"] for r in p.query(
        "SELECT id, coder_id, article_id FROM article_labels")}
    ids["a_label"], ids["b_label"] = labels[(alice, a1)], labels[(bob, a1)]
    yield p, ids, codes, (a1, a2), path
    p.close()


def test_the_disagreement_list_puts_every_version_side_by_side(coded):
    p, ids, codes, (a1, a2), _ = coded
    items = disagreement_list(p)
    spans = [i for i in items if i.kind == "span"]
    assert [(i.code, i.start, i.end) for i in spans] == [
        ("policy_frames/Security and defense", *q("resumed security talks on Monday")),
        ("policy_frames/Political", *q("Critics called the meeting"))]
    talks = spans[0]
    assert talks.outlet == "NHK" and talks.country == "JP" and talks.codebook == "policy_frames"
    assert talks.versions == {
        "alice": [{"id": ids["a_talks"], "start": q("resumed security talks")[0],
                   "end": q("resumed security talks")[1], "quote": "resumed security talks"}],
        "bob": [{"id": ids["b_talks"], "start": q("security talks on Monday")[0],
                 "end": q("security talks on Monday")[1], "quote": "security talks on Monday"}]}
    assert talks.ranges == [q("resumed "), q(" on Monday")] and talks.missing == []
    critics = spans[1]
    assert critics.covering == ["bob"] and critics.missing == ["alice"]
    labels = [i for i in items if i.kind == "label"]
    assert len(labels) == 1 and labels[0].question == "primary_frame"  # article 2 agrees
    assert labels[0].versions == {"alice": [{"id": ids["a_label"], "value": "Security and defense"}],
                                  "bob": [{"id": ids["b_label"], "value": "Political"}]}
    assert not any(i.adjudicated for i in items)
    only = disagreement_list(p, code="policy_frames/Political")
    assert [i.code for i in only] == ["policy_frames/Political"]
    assert disagreement_list(p, code=codes["Economic"]) == []


def test_adjudicating_a_span_copies_it_and_undo_removes_the_copy(coded):
    p, ids, codes, (a1, _), _ = coded
    new_id, changes = store.adjudicate_span(p, ids["a_talks"])
    assert changes and changes.action_id and changes.rows == {"annotations": {new_id}}
    copy = store.get_annotation(p, new_id)
    assert (copy.coder, copy.quote, copy.origin, copy.memo) == (
        store.ADJUDICATED, "resumed security talks", f"adjudicated-from:{ids['a_talks']}",
        "a_talks memo")
    assert store.get_annotation(p, ids["a_talks"]).coder == "alice"  # the original is untouched
    again, nothing = store.adjudicate_span(p, ids["a_talks"])
    assert again == new_id and not nothing
    status = store.adjudication_status(p, a1)
    assert status.reviewed and status.span_sources == {new_id: ids["a_talks"]}
    talks = disagreement_list(p)[1]
    assert talks.adjudicated and talks.adjudication[0]["id"] == new_id
    undo = store.undo(p, changes.action_id)
    with pytest.raises(store.ProjectError):
        store.get_annotation(p, new_id)
    assert not disagreement_list(p)[1].adjudicated
    store.undo(p, undo.action_id)  # redo
    assert store.get_annotation(p, new_id).coder == store.ADJUDICATED


def test_an_edited_version_and_refusals(coded):
    p, ids, codes, (a1, _), _ = coded
    s, e = q("security talks")
    new_id, _ = store.adjudicate_span(p, ids["b_talks"], start=s, end=e,
                                      code_id=codes["Political"],
                                      by_coder_id=store.ensure_coder(p, "judge").id)
    copy = store.get_annotation(p, new_id)
    assert (copy.quote, copy.code, copy.origin) == ("security talks", "Political",
                                                    f"adjudicated-from:{ids['b_talks']}")
    action = p.query_one("SELECT kind, coder_id, description FROM actions ORDER BY id DESC")
    assert action["kind"] == "adjudicate" and action["coder_id"] == store.find_coder(p, "judge").id
    assert "(edited)" in action["description"]
    n_actions = p.query_one("SELECT count(*) FROM actions")[0]
    with pytest.raises(store.ValidationError, match="does not fit"):
        store.adjudicate_span(p, ids["b_talks"], end=10_000)
    with pytest.raises(store.ValidationError, match="already part of the adjudicated"):
        store.adjudicate_span(p, new_id)
    with pytest.raises(store.ProjectError, match="no annotation"):
        store.adjudicate_span(p, 999_999)
    assert p.query_one("SELECT count(*) FROM actions")[0] == n_actions


def test_adjudicating_a_label_and_replacing_it(coded):
    p, ids, codes, (a1, _), _ = coded
    first, ch1 = store.adjudicate_label(p, ids["a_label"])
    row = p.get_row("article_labels", first)
    assert (row["value"], row["origin"]) == ("Security and defense",
                                             f"adjudicated-from:{ids['a_label']}")
    assert next(i for i in disagreement_list(p) if i.kind == "label").adjudicated
    second, ch2 = store.adjudicate_label(p, ids["b_label"])
    assert second == first  # one adjudicated answer per question and article
    row = p.get_row("article_labels", first)
    assert (row["value"], row["origin"]) == ("Political", f"adjudicated-from:{ids['b_label']}")
    with pytest.raises(store.ValidationError, match="not a choice"):
        store.adjudicate_label(p, ids["a_label"], value="Astrology")
    store.undo(p, ch2.action_id)
    assert p.get_row("article_labels", first)["value"] == "Security and defense"
    store.undo(p, ch1.action_id)
    assert p.get_row("article_labels", first) is None


def test_keeping_none_resolves_a_disagreement_until_undone(coded):
    p, ids, codes, (a1, _), _ = coded
    s, e = q("Critics called the meeting")
    changes = store.reject_in_adjudication(p, article_id=a1, code_id=codes["Political"],
                                           start=s, end=e)
    assert changes.rows == {"actions": {changes.action_id}}
    assert p.query_one("SELECT count(*) FROM annotations WHERE coder_id ="
                       " (SELECT id FROM coders WHERE name = 'adjudicated')")[0] == 0
    [kept] = store.kept_none(p)
    assert (kept.article_id, kept.code_id, kept.start, kept.end) == (a1, codes["Political"], s, e)
    critics = disagreement_list(p, code="policy_frames/Political")[0]
    assert critics.adjudicated and critics.adjudication[0]["kept_none"]
    assert store.adjudication_status(p, a1).kept_none == [kept]
    undo = store.undo(p, changes.action_id)
    assert store.kept_none(p) == [] and not disagreement_list(p, code=codes["Political"])[0].adjudicated
    store.undo(p, undo.action_id)  # redo
    assert len(store.kept_none(p)) == 1
    # a kept-none decision cannot stand beside an adjudicated span of the code there
    store.adjudicate_span(p, ids["a_talks"])
    with pytest.raises(store.ConflictError, match="already has"):
        store.reject_in_adjudication(p, article_id=a1, code_id=codes["Security and defense"],
                                     start=0, end=30)
    with pytest.raises(store.ValidationError):
        store.reject_in_adjudication(p, article_id=a1, code_id=codes["Political"], start=5, end=5)


def test_the_adjudicated_coding_is_its_own_coder_in_exports_and_agreement(coded):
    p, ids, codes, _, _ = coded
    store.adjudicate_span(p, ids["a_talks"])
    store.adjudicate_span(p, ids["a_fish"])
    store.adjudicate_label(p, ids["b_label"])
    xp = project_to_x(p, adjudicated=True)
    assert xp.coders == [store.ADJUDICATED]
    assert sorted(s.quote for s in xp.spans) == ["Prices of fish rose.", "resumed security talks"]
    assert [(x.question, x.value) for x in xp.labels] == [("primary_frame", "Political")]
    from framelens.annotate.ops.datasets import agreement_rows

    assert all(store.ADJUDICATED not in r.coders for r in agreement_rows(p))


def test_cli_disagreements_and_adjudicate(coded, capsys):
    p, ids, codes, (a1, _), path = coded
    p.close()

    def run(*argv):
        status = framelens([str(a) for a in argv])
        out = capsys.readouterr()
        return status, out.out, out.err

    status, out, _ = run("disagreements", path)
    assert status == 0
    assert f"annotation {ids['a_talks']}" in out and f"annotation {ids['b_talks']}" in out
    assert "“resumed security talks”" in out and "(no Political here)" in out
    assert "3 disagreement(s), 3 open." in out
    status, out, _ = run("adjudicate", path, "--annotation", ids["b_talks"], "--start",
                         q("security talks")[0], "--end", q("security talks")[1], "--by", "judge",
                         "--json")
    result = json.loads(out)
    assert status == 0 and result["annotation"] and result["action"]
    s, e = q("Critics called the meeting")
    status, out, _ = run("adjudicate", path, "--keep-none", "--article", a1, "--code",
                         "policy_frames/Political", "--start", s, "--end", e)
    assert status == 0 and "undo with --undo" in out
    kept_action = int(out.rsplit(" ", 1)[1])
    status, out, _ = run("adjudicate", path, "--label", ids["a_label"], "--value", "Political")
    assert status == 0
    status, out, _ = run("disagreements", path, "--open")
    assert "No disagreement left to adjudicate." in out
    status, out, _ = run("disagreements", path, "--json")
    items = json.loads(out)
    assert len(items) == 3 and all(i["adjudicated"] for i in items)
    status, out, _ = run("adjudicate", path, "--undo", kept_action)
    assert status == 0 and f"Undid action {kept_action}" in out
    undo_action = int(out.rsplit("action ", 1)[1].rstrip(").\n"))
    status, out, _ = run("disagreements", path, "--open", "--json")
    assert [i["code"] for i in json.loads(out)] == ["policy_frames/Political"]
    assert run("adjudicate", path, "--undo", undo_action)[0] == 0  # redo
    assert "No disagreement left" in run("disagreements", path, "--open")[1]
    status, _, err = run("adjudicate", path, "--undo", 1)
    assert status == 2 and "not an adjudication" in err
    status, _, err = run("adjudicate", path, "--keep-none", "--article", a1)
    assert status == 2 and "--keep-none needs" in err
    status, _, err = run("adjudicate", path, "--annotation", ids["a_talks"], "--end", 10_000)
    assert status == 2 and "does not fit" in err
    csv_path = path.with_suffix(".csv")
    assert run("export", path, "-f", "csv", "--adjudicated", "-o", csv_path)[0] == 0
    body = csv_path.read_text("utf-8")
    assert "security talks" in body and "alice" not in body and "bob" not in body
