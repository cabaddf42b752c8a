"""The comparison dashboard's numbers (annotate.compare, store.stats) against counts made
directly in SQL, their CSV export, and ``framelens compare``."""

from __future__ import annotations

import csv
import dataclasses
import json
import sqlite3

import pytest

from framelens import store
from framelens.annotate.ops import compare
from framelens.annotate.cli import main as framelens

STORY_2017 = "Second Russia–Japan 2+2, Tokyo (resumed after the Crimea crisis)"
JT, PN, RB, GT = "The Japan Times", "PenzaNews", "Russia Beyond", "Global Times"

#: (outlet, phrase, Policy Frames code, coder): two coders; alice's two Security and defense
#: spans in The Japan Times overlap ("security dialogue"), so a union differs from a plain sum
CODINGS = [
    (JT, "ministerial security dialogue", "Security and defense", "alice"),
    (JT, "security dialogue for the first time", "Security and defense", "alice"),
    (JT, "symbolic development rather than substantial", "Political", "alice"),
    (JT, "Russia remains wary of U.S. missile defense", "Security and defense", "bob"),
    (JT, "North Korea’s growing nuclear missile threat", "Security and defense", "bob"),
    (JT, "may have only served Moscow’s interest", "External regulation and reputation", "bob"),
    (PN, "regional and international security and confidence-building measures",
     "Security and defense", "alice"),
    (PN, "combating terrorism, piracy, drug trafficking", "Crime and punishment", "alice"),
    (PN, "joint economic activities in the Southern Kuriles", "Economic", "bob"),
    (PN, "Prime Minister Shinzo Abe will visit Russia", "Political", "bob"),
    (RB, "Do Russia and Japan prefer status over substance?", "Political", "alice"),
    (RB, "joint economic activity on the Southern Kuril Islands", "Economic", "alice"),
    (RB, "joint economic activity", "Economic", "bob"),
    (RB, "tensions persisting over Ukraine", "External regulation and reputation", "bob"),
    (GT, "Northern Territories", "Political", "alice"),
]
#: Semetko & Valkenburg answers: (outlet, coder, {item: value})
ANSWERS = [
    (JT, "alice", {"conflict_1": "1", "conflict_2": "1", "conflict_3": "0", "economic_1": "0"}),
    (JT, "bob", {"conflict_1": "1", "conflict_2": "0", "economic_1": "0", "economic_2": "1"}),
    (PN, "alice", {"conflict_1": "0", "conflict_2": "0", "economic_1": "1"}),
    (PN, "bob", {"conflict_1": "0", "economic_1": "1", "economic_2": "1"}),
    (RB, "alice", {"conflict_1": "1", "economic_1": "1", "economic_2": "0"}),
]
PRIMARY = [(JT, "alice", "Security and defense"), (JT, "bob", "Security and defense"),
           (PN, "alice", "Security and defense"), (PN, "bob", "Economic"),
           (RB, "alice", "Political")]
#: (outlet, suggester, phrase, label, data)
SUGGESTIONS = [
    (PN, "contested", "Southern Kuriles", "Russian",
     {"set_name": "Southern Kurils / Northern Territories", "term": "Southern Kurils"}),
    (PN, "contested", "DPRK", "Other", {"set_name": "Korea", "term": "DPRK"}),
    (RB, "contested", "Southern Kuril Islands", "Russian",
     {"set_name": "Southern Kurils / Northern Territories", "term": "Southern Kurils"}),
    (JT, "contested", "Diaoyu", "Chinese", {"set_name": "Senkaku / Diaoyu", "term": "Diaoyu"}),
    (JT, "contested", "annexation of Crimea", "US", {"set_name": "Crimea", "term": "annexation of Crimea"}),
    (JT, "voices", "James Brown", "James Brown", {"speaker": "James Brown", "country": "JP"}),
    (PN, "voices", "Tomomi Inada", "Tomomi Inada", {"speaker": "Tomomi Inada", "country": "JP"}),
    (PN, "voices", "Sergey Lavrov", "Sergey Lavrov", {"speaker": "Sergey Lavrov", "country": "RU"}),
    (JT, "actors", "Shinzo Abe", "Shinzo Abe", {"actor": "Shinzo Abe", "country": "JP", "kind": "person"}),
    (PN, "actors", "Shinzo Abe", "Shinzo Abe", {"actor": "Shinzo Abe", "country": "JP", "kind": "person"}),
    (PN, "actors", "Sergey Lavrov", "Sergey Lavrov",
     {"actor": "Sergey Lavrov", "country": "RU", "kind": "person"}),
    (RB, "actors", "Tokyo", "Tokyo", {"actor": "Tokyo", "country": "JP", "kind": "place"}),
]
BOOKS = {"contested": "viewpoint", "voices": "voices", "actors": "actors"}


def article_of(project: store.Project, outlet: str) -> int:
    return next(a.id for a in store.list_articles(project) if a.outlet == outlet)


def span(project: store.Project, article_id: int, phrase: str) -> tuple[int, int]:
    text = store.get_text(project, article_id)
    i = text.index(phrase)
    return i, i + len(phrase)


def demo_codings(project: store.Project) -> dict[str, int]:
    """Code the demo as two coders (spans, S&V answers, primary frames), store suggestions,
    accept one, reject one, and hand-code a contested name.  Returns coder ids by name."""
    coders = {n: store.ensure_coder(project, n).id for n in ("alice", "bob")}
    pf = store.get_codebook(project, "policy_frames")
    for outlet, phrase, frame, coder in CODINGS:
        aid = article_of(project, outlet)
        s, e = span(project, aid, phrase)
        store.add_annotation(project, article_id=aid, start=s, end=e, coder_id=coders[coder],
                             code_id=store.find_code(project, frame, pf.id).id)
    sv = store.get_codebook(project, "semetko_valkenburg")
    items = {q.key: q.id for q in store.list_questions(project, sv.id)}
    for outlet, coder, answers in ANSWERS:
        for key, value in answers.items():
            store.set_article_label(project, article_id=article_of(project, outlet),
                                    coder_id=coders[coder], question_id=items[key], value=value)
    primary = next(q.id for q in store.list_questions(project, pf.id) if q.key == "primary_frame")
    for outlet, coder, frame in PRIMARY:
        store.set_article_label(project, article_id=article_of(project, outlet),
                                coder_id=coders[coder], question_id=primary, value=frame)
    for outlet, suggester, phrase, label, data in SUGGESTIONS:
        aid = article_of(project, outlet)
        s, e = span(project, aid, phrase)
        store.add_suggestions(project, aid, [{
            "start": s, "end": e, "codebook": BOOKS[suggester], "label": label, "score": 0.9,
            "suggester": suggester, "suggester_version": "test-1", "rationale": "test",
            "data": data}])
        if suggester == "contested" and phrase == "Southern Kuriles":   # a newer version again
            store.add_suggestions(project, aid, [{
                "start": s, "end": e, "codebook": "viewpoint", "label": label, "score": 0.9,
                "suggester": suggester, "suggester_version": "test-2", "data": data}])
    sugg = {(r["label"], r["article_id"]): r["id"] for r in project.query("SELECT * FROM suggestions")}
    store.accept_suggestion(project, sugg[("Russian", article_of(project, PN))], coder_id=coders["alice"])
    store.accept_suggestion(project, sugg[("James Brown", article_of(project, JT))], coder_id=coders["bob"])
    store.decide_suggestion(project, sugg[("Other", article_of(project, PN))], coder_id=coders["bob"],
                            decision="rejected")
    jt = article_of(project, JT)
    s, e = span(project, jt, "Senkaku Islands")
    vp = store.get_codebook(project, "viewpoint")
    store.add_annotation(project, article_id=jt, start=s, end=e, coder_id=coders["bob"],
                         code_id=store.find_code(project, "Japanese", vp.id).id)
    return coders


# -- counts made directly in SQL ------------------------------------------------------------------
def sql_prevalence(path, coder_ids, *, story=None, codebook="policy_frames") -> dict:
    """(outlet, frame) -> (covered characters: union per coder, article and code; articles with
    the frame) and outlet -> (coded articles, their characters), by window functions."""
    con = sqlite3.connect(path)
    coders = ",".join(str(int(c)) for c in coder_ids)
    scope = ("" if story is None else
             f" AND an.article_id IN (SELECT article_id FROM story_articles WHERE story_id = {int(story)})")
    base = (f"FROM annotations an JOIN codes c ON c.id = an.code_id"
            f" JOIN codebooks cb ON cb.id = c.codebook_id"
            f" WHERE cb.key = '{codebook}' AND an.coder_id IN ({coders}){scope}")
    cells = {(o, f): (cov, n) for o, f, cov, n in con.execute(f"""
        WITH s AS (SELECT an.article_id, an.coder_id, an.code_id, an.start, an."end",
                          max(an."end") OVER (PARTITION BY an.article_id, an.coder_id, an.code_id
                              ORDER BY an.start, an."end"
                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev {base})
        SELECT o.name, c.name, sum(max(0, s."end" - max(s.start, coalesce(s.prev, 0)))),
               count(DISTINCT s.article_id || ':' || s.coder_id)
        FROM s JOIN articles a ON a.id = s.article_id JOIN outlets o ON o.id = a.outlet_id
        JOIN codes c ON c.id = s.code_id GROUP BY o.name, c.name""")}
    totals = {o: (n, chars) for o, n, chars in con.execute(f"""
        SELECT o.name, count(*), sum(length(a.text)) FROM
          (SELECT DISTINCT an.article_id, an.coder_id {base}) x
        JOIN articles a ON a.id = x.article_id JOIN outlets o ON o.id = a.outlet_id GROUP BY o.name""")}
    con.close()
    return {"cells": cells, "totals": totals}


@pytest.fixture
def coded(gui_demo_path):
    project = store.open_project(gui_demo_path)
    coders = demo_codings(project)
    story = store.get_story(project, STORY_2017).id
    yield project, coders, story, gui_demo_path
    project.close()


def check_prevalence(table: compare.Table, expected: dict) -> int:
    checked = 0
    for r in table.rows:
        cov, n = expected["cells"].get((r["outlet"], r["frame"]), (0, 0))
        arts, chars = expected["totals"][r["outlet"]]
        assert (r["covered_chars"], r["articles_with_frame"]) == (cov, n), r
        assert (r["coded_articles"], r["coded_chars"]) == (arts, chars), r
        assert r["share_chars"] == pytest.approx(cov / chars, abs=1e-6)
        assert r["share_articles"] == pytest.approx(n / arts, abs=1e-6)
        checked += bool(cov)
    assert checked == len(expected["cells"])
    return checked


def test_frame_prevalence_matches_sql_for_every_coder_selection(coded):
    project, coders, story, path = coded
    for scope in (story, None):
        raw = compare.collect(project, story=scope)
        modes = {m.key: m for m in compare.coder_modes(raw)}
        assert set(modes) == {"all", f"coder:{coders['alice']}", f"coder:{coders['bob']}"}
        for mode in modes.values():
            table = compare.build_tables(raw, mode, "outlet")["frame_prevalence"]
            assert check_prevalence(table, sql_prevalence(path, mode.coder_ids, story=scope)) > 0
    # the overlap of alice's two spans counts once
    raw = compare.collect(project, story=story)
    alice = compare.find_mode(raw, "alice")
    row = next(r for r in compare.build_tables(raw, alice)["frame_prevalence"].rows
               if (r["outlet"], r["frame"]) == (JT, "Security and defense"))
    text = store.get_text(project, article_of(project, JT))
    first = text.index("ministerial security dialogue")
    last = text.index("security dialogue for the first time") + len("security dialogue for the first time")
    assert row["covered_chars"] == last - first < len("ministerial security dialogue") + len(
        "security dialogue for the first time")
    assert row["spans"] == 2 and row["articles_with_frame"] == 1


def test_country_pools_outlets_and_story_scope(coded):
    project, coders, story, path = coded
    raw = compare.collect(project, story=story)
    by_outlet = compare.build_tables(raw, "all", "outlet")["frame_prevalence"].rows
    by_country = compare.build_tables(raw, "all", "country")["frame_prevalence"].rows
    ru = {r["frame"]: r for r in by_country if r["country"] == "RU"}
    for frame, r in ru.items():
        parts = [x for x in by_outlet if x["country"] == "RU" and x["frame"] == frame]
        assert r["covered_chars"] == sum(x["covered_chars"] for x in parts)
        assert r["coded_chars"] == sum(x["coded_chars"] for x in parts)
    assert {r["country"] for r in by_country} == {"JP", "RU"}          # Global Times is 2013
    whole = compare.build_tables(compare.collect(project), "all", "country")["frame_prevalence"]
    assert "CN" in {r["country"] for r in whole.rows}


def test_primary_frames_and_semetko_valkenburg_scores(coded):
    project, coders, story, path = coded
    raw = compare.collect(project, story=story)
    tables = compare.build_tables(raw, "all", "outlet")
    prim = {(r["outlet"], r["frame"]): r for r in tables["primary_frames"].rows}
    assert prim[(PN, "Security and defense")]["labelled"] == 1
    assert prim[(PN, "Security and defense")]["share_labelled"] == 0.5
    assert prim[(JT, "Security and defense")]["share_labelled"] == 1.0
    # largest coverage: in The Japan Times alice's largest frame is Security and defense
    # (her union 48 characters > Political 43), bob's too
    assert prim[(JT, "Security and defense")]["largest_coverage"] == 2
    scores = {(r["outlet"], r["frame"]): r for r in tables["frame_scores"].rows}
    # JT: alice conflict (1+1+0)/3, bob conflict (1+0)/2 -> mean over the two coder-articles
    assert scores[(JT, "Conflict")]["mean_score"] == pytest.approx(((2 / 3) + 0.5) / 2, abs=1e-6)
    assert scores[(JT, "Conflict")]["scored_articles"] == 2
    assert scores[(PN, "Economic consequences")]["mean_score"] == pytest.approx((1 + 1) / 2)
    bob = compare.build_tables(raw, "bob", "outlet")["frame_scores"].rows
    assert {(r["outlet"], r["frame"]): r["mean_score"] for r in bob}[(JT, "Economic consequences")] == 0.5


def test_contested_names_voices_and_actors(coded):
    project, coders, story, path = coded
    raw = compare.collect(project, story=story)
    tables = compare.build_tables(raw, "all", "outlet")
    names = {(r["outlet"], r["term"], r["side"]): r for r in tables["contested_names"].rows}
    kurils = names[(PN, "Southern Kurils", "Russian")]
    assert kurils["suggested"] == 1            # proposed by two versions: counted once
    assert kurils["coded"] == 1                # alice accepted it
    assert (PN, "DPRK", "Other") not in names  # bob rejected it
    assert names[(JT, "Senkaku Islands", "Japanese")]["coded"] == 1   # hand-coded, lexicon term
    assert names[(JT, "Diaoyu", "Chinese")]["suggested"] == 1
    assert tables["contested_names"].value == "coded"
    by_country = {(r["country"], r["term"]): r for r in
                  compare.build_tables(raw, "all", "country")["contested_names"].rows}
    assert by_country[("RU", "Southern Kurils")]["suggested"] == 2
    voices = {(r["outlet"], r["speaker_country"]): r for r in tables["voices"].rows}
    assert voices[(PN, "JP")]["suggested_passages"] == 1
    assert voices[(PN, "RU")]["share_suggested"] == 0.5
    assert voices[(JT, "JP")]["coded_passages"] == 1                 # bob accepted James Brown
    actors = {(r["outlet"], r["actor"]): r for r in tables["actors"].rows}
    assert actors[(PN, "Shinzo Abe")]["share_articles"] == 1.0
    assert (RB, "Tokyo") not in actors                                # places are left out
    country = {(r["country"], r["actor"]): r for r in
               compare.build_tables(raw, "all", "country")["actors"].rows}
    assert country[("RU", "Shinzo Abe")]["share_articles"] == 0.5    # 1 of 2 Russian articles


def test_evidence_lists_the_spans_behind_a_cell(coded):
    project, coders, story, path = coded
    raw = compare.collect(project, story=story)
    mode = compare.find_mode(raw, "all")
    table = compare.build_tables(raw, mode, "outlet")["frame_prevalence"]
    rows = compare.evidence(project, raw, mode, table, JT, "Security and defense")
    assert [r["text"] for r in rows] == [
        "ministerial security dialogue", "security dialogue for the first time",
        "Russia remains wary of U.S. missile defense", "North Korea’s growing nuclear missile threat"]
    text = store.get_text(project, rows[0]["article_id"])
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    voices = compare.build_tables(raw, mode, "country")["voices"]
    assert voices.value == "share_coded"            # bob accepted a voice: coded numbers first
    assert compare.evidence(project, raw, mode, voices, "RU", "JP") == []
    suggested = dataclasses.replace(voices, value="share_suggested")
    rows = compare.evidence(project, raw, mode, suggested, "RU", "JP")
    assert {r["text"] for r in rows} == {"Tomomi Inada"}
    names = compare.build_tables(raw, mode, "outlet")["contested_names"]
    assert [r["text"] for r in compare.evidence(project, raw, mode, names, JT, "Japanese")] == [
        "Senkaku Islands"]
    scores = compare.build_tables(raw, mode, "outlet")["frame_scores"]
    [row] = compare.evidence(project, raw, mode, scores, PN, "Conflict")
    assert row["start"] == row["end"] == 0 and "conflict_1 = 0" in row["detail"]


def test_csv_export_and_command(coded, tmp_path, capsys):
    project, coders, story, path = coded
    raw = compare.collect(project, story=story)
    files = compare.export_csv(raw, tmp_path / "ui")
    assert sorted(p.name for p in files) == sorted(
        f"{t}_by_{u}.csv" for t in compare.TABLES for u in ("outlet", "country"))
    project.close()
    assert framelens(["compare", str(path), "--story", STORY_2017, "--coder", "bob",
                      "--csv", str(tmp_path / "cli")]) == 0
    with open(tmp_path / "cli" / "frame_prevalence_by_outlet.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    expected = sql_prevalence(path, [coders["bob"]], story=story)
    for r in rows:
        cov, _n = expected["cells"].get((r["outlet"], r["frame"]), (0, 0))
        assert int(r["covered_chars"]) == cov
        assert float(r["share_chars"]) == pytest.approx(cov / expected["totals"][r["outlet"]][1], abs=1e-6)
    capsys.readouterr()
    assert framelens(["compare", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["coders"] == "All coders (pooled)" and data["scope"] == "Whole project"
    assert "actors_by_country" in data["tables"]
    assert framelens(["compare", str(path), "--adjudicated"]) == 2
    assert "nothing has been adjudicated" in capsys.readouterr().err
    assert framelens(["compare", str(path), "--coder", "nobody"]) == 2


def test_adjudicated_coding_is_its_own_selection(coded):
    project, coders, story, path = coded
    ann = next(a for a in store.list_annotations(project) if a.quote == "joint economic activity")
    store.adjudicate_span(project, ann.id, by_coder_id=coders["alice"])
    raw = compare.collect(project, story=story)
    adj = compare.find_mode(raw, "adjudicated")
    rows = [r for r in compare.build_tables(raw, adj)["frame_prevalence"].rows if r["covered_chars"]]
    assert [(r["outlet"], r["frame"], r["covered_chars"]) for r in rows] == [
        (RB, "Economic", len("joint economic activity"))]
    assert adj.coder_ids not in [m.coder_ids for m in compare.coder_modes(raw) if m.key == "all"]


def test_coverage_reads_only_the_covering_index(coded):
    project, *_ = coded
    names = {r[0] for r in project.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"annotations_coverage", "articles_outlet_chars"} <= names
    assert not {"annotations_article", "articles_outlet"} & names
    plan = " ".join(r[3] for r in project.query(
        'EXPLAIN QUERY PLAN SELECT article_id, coder_id, code_id, start, "end" FROM annotations'
        ' WHERE +code_id IN (1, 2) ORDER BY article_id, coder_id, code_id, start, "end"'))
    assert "COVERING INDEX annotations_coverage" in plan and "TEMP B-TREE" not in plan


def test_span_coverage_equals_a_character_count_on_random_spans(tmp_path):
    """Union per (article, coder, code), summed per outlet, and the code covering the most of
    each coded article, against counting covered character positions one by one."""
    import random

    rng = random.Random(7)
    project = store.create_project(tmp_path / "random.framelens")
    book = store.load_codebook(project, {"key": "k", "name": "K", "codes": [
        {"name": n} for n in ("A", "B", "C")]})
    codes = [c.id for c in store.list_codes(project, book)]
    coders = [store.ensure_coder(project, n).id for n in ("x", "y")]
    arts = []
    for i, (outlet, country) in enumerate([("O1", "JP"), ("O1", "JP"), ("O2", "RU"), (None, None)]):
        text = " ".join(rng.choice(["talks", "islands", "treaty", "ministers", "Tokyo"])
                        for _ in range(80 + 10 * i))
        arts.append((store.add_article(project, text=text, outlet=outlet, country=country).article_id,
                     outlet, text))
    truth: dict = {}
    for aid, outlet, text in arts:
        for _ in range(rng.randint(5, 25)):
            s = rng.randrange(len(text) - 1)
            e = min(len(text), s + rng.randint(1, 60))
            coder, code = rng.choice(coders), rng.choice(codes)
            store.add_annotation(project, article_id=aid, start=s, end=e, code_id=code, coder_id=coder)
            truth.setdefault((outlet, aid, coder, code), set()).update(range(s, e))
    cov = store.span_coverage(project, codes)
    oid = {name: i for i, (name, _c) in store.outlet_names(project).items()}
    truth = {(oid.get(o), a, cd, c): v for (o, a, cd, c), v in truth.items()}
    arts = [(aid, oid.get(o), text) for aid, o, text in arts]
    expected: dict = {}
    for (outlet, _aid, coder, code), chars in truth.items():
        cell = expected.setdefault((outlet, code, coder), [0, 0])
        cell[0] += len(chars)
        cell[1] += 1
    assert {k: v[:2] for k, v in cov.cells.items()} == expected
    dominant: dict = {}
    for aid, outlet, _text in arts:
        for coder in coders:
            sizes = [(len(truth.get((outlet, aid, coder, c), ())), -c) for c in codes]
            if any(n for n, _ in sizes):
                best = -max(sizes)[1]
                dominant[(outlet, best, coder)] = dominant.get((outlet, best, coder), 0) + 1
    assert cov.dominant == dominant
    lengths = {aid: len(text) for aid, _o, text in arts}
    coded: dict = {}
    for (outlet, aid, coder, _code) in truth:
        coded.setdefault((outlet, coder), set()).add(aid)
    assert cov.coded == {k: [len(v), sum(lengths[a] for a in v)] for k, v in coded.items()}
    project.close()
