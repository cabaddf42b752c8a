"""Suggestions for a project (annotate.suggest_project): the demo's must-shows, idempotence and
versions, decisions through the same store functions the review panel calls, the learned loop,
languages, and the command line."""

from __future__ import annotations

import json
import shutil

import pytest

from framelens import store
from framelens.annotate.ops import suggest_project as sp
from framelens.annotate.cli import main as cli_main
from framelens.annotate.analysis.nlp import get_pipeline
from framelens.annotate.analysis.nlp.common import assets_dir
from test_nlp_contested import expected_occurrences
from test_nlp_voices import JAPAN_TIMES, PENZANEWS, score_voices

ACTORS = ("Sergei Lavrov", "Sergei Shoigu", "Fumio Kishida", "Tomomi Inada", "Itsunori Onodera",
          "Shinzo Abe", "Vladimir Putin", "Donald Trump")
SEC, ECO = "Security and defense", "Economic"


# -- the demo project -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo project after one suggestion pass (closed, so tests can copy it)."""
    from framelens.desktop.shell.demo_project import build_demo_project

    path = tmp_path_factory.mktemp("suggest-demo") / "demo.framelens"
    project = build_demo_project(path)
    seen = []
    report = sp.run_suggestions(project, progress=lambda d, t, what: seen.append((d, t)))
    project.close()
    return path, report, seen


@pytest.fixture
def demo(demo_file, tmp_path):
    path = tmp_path / "demo.framelens"
    shutil.copy(demo_file[0], path)
    project = store.open_project(path)
    yield project
    project.close()


def _by_outlet(project) -> dict[str, int]:
    return {a.outlet: a.id for a in store.list_articles(project)}


def test_first_pass_reports_per_suggester(demo_file):
    _, report, seen = demo_file
    assert report.articles == report.processed == 5 and report.skipped == 0
    assert set(report.new) == set(sp.RULE_SUGGESTERS)
    assert all(report.new[n] > 0 for n in sp.RULE_SUGGESTERS)
    assert report.pipelines == {"en": get_pipeline("en").model_name}
    assert seen[-1] == (5, 5) and len(seen) == 5


def test_every_contested_name_with_its_side(demo):
    lexicon = json.loads((assets_dir() / "lexicons/contested_names.json").read_text("utf-8"))
    total = 0
    for article in store.list_articles(demo):
        text = store.get_text(demo, article.id)
        expected = expected_occurrences(text, lexicon)
        got = {(s.start, s.end): s.label for s in sp.all_suggestions(demo, [article.id], suggesters=["contested"])
               if s.data.get("via") == "phrase"}
        assert got == expected, (article.outlet, sorted(set(got.items()) ^ set(expected.items())))
        total += len(expected)
    assert total >= 30


def test_actors_with_one_shoigu(demo):
    ids = [a.id for a in store.list_articles(demo)]
    actors = sp.all_suggestions(demo, ids, suggesters=["actors"])
    labels = {s.label for s in actors}
    assert set(ACTORS) <= labels
    shoigu = [s for s in actors if "sho" in store.get_text(demo, s.article_id)[s.start:s.end].lower()]
    assert {s.label for s in shoigu} == {"Sergei Shoigu"}
    spellings = {store.get_text(demo, s.article_id)[s.start:s.end] for s in shoigu}
    assert any("Shoygu" in m for m in spellings) and any("Shoigu" in m for m in spellings)
    assert not any(lab != "Sergei Shoigu" and "Sho" in lab for lab in labels)


@pytest.mark.parametrize("outlet,gold", [("The Japan Times", JAPAN_TIMES), ("PenzaNews", PENZANEWS)])
def test_voices_speakers_and_countries(demo, outlet, gold):
    aid = _by_outlet(demo)[outlet]
    voices = sp.all_suggestions(demo, [aid], suggesters=["voices"])
    right, right_country, misses = score_voices(store.get_text(demo, aid), voices, gold)
    assert right / len(gold) >= 0.8, misses
    assert right_country == right, misses


def test_rerun_is_idempotent_and_a_new_version_resuggests(demo, monkeypatch):
    before = len(sp.all_suggestions(demo, _by_outlet(demo).values()))
    again = sp.run_suggestions(demo)
    assert again.processed == 0 and again.skipped == 5 and again.total_new == 0
    assert len(sp.all_suggestions(demo, _by_outlet(demo).values())) == before
    component = get_pipeline("en").nlp.get_pipe("framelens_contested")
    monkeypatch.setattr(component, "version", component.version + "-changed")
    changed = sp.run_suggestions(demo)
    assert changed.processed == 5
    assert changed.new["contested"] == len([s for s in sp.all_suggestions(demo, _by_outlet(demo).values(),
                                                                          suggesters=["contested"])
                                            if s.suggester_version.endswith("-changed")]) > 0
    assert all(changed.new.get(n, 0) == 0 for n in ("actors", "voices", "cues"))
    assert sp.run_suggestions(demo).total_new == 0


def test_story_and_article_selection_and_cancel(tmp_path, demo_file):
    from framelens.desktop.shell.demo_project import build_demo_project

    project = build_demo_project(tmp_path / "fresh.framelens")
    try:
        story = store.list_stories(project)[0]
        ids = store.story_article_ids(project, story.id)
        calls = []
        rep = sp.run_suggestions(project, story=story.name, suggesters=["contested"],
                                 should_cancel=lambda: (calls.append(1), len(calls) >= 1)[1])
        assert rep.cancelled and rep.processed == 1 and rep.articles == len(ids)
        rest = sp.run_suggestions(project, story=story.id, suggesters=["contested"])
        assert rest.skipped == 1 and rest.processed == len(ids) - 1 and not rest.cancelled
        one = sp.run_suggestions(project, article_ids=[ids[0]], suggesters=["contested", "cues"])
        assert one.articles == 1 and one.processed == 1 and one.new.get("contested", 0) == 0 < one.new["cues"]
        with pytest.raises(store.ProjectError):
            sp.run_suggestions(project, article_ids=[9999])
        with pytest.raises(ValueError):
            sp.run_suggestions(project, suggesters=["nonsense"])
    finally:
        project.close()


def test_pipeline_status_line():
    status = sp.pipeline_status()
    lp = get_pipeline("en")
    if lp.is_trained:
        assert status == f"spaCy: {lp.model_name} {lp.nlp.meta['version']}"
    else:
        assert status.startswith("blank English pipeline — no NER/parser")
    assert sp.pipeline_details() == lp.status_message


# -- other languages --------------------------------------------------------------------------------
def test_russian_and_japanese_articles_use_their_own_pipelines(tmp_path):
    project = store.create_project(tmp_path / "langs.framelens")
    try:
        ru = store.add_article(project, text="Москва назвала острова Южные Курилы. Токио говорит "
                               "о Северные территории.\n", outlet="TASS", country="RU", language="ru")
        ja = store.add_article(project, text="政府は北方領土の問題について話した。日本海で演習。\n",
                               outlet="NHK", country="JP", language="ja")
        rep = sp.run_suggestions(project)
        assert rep.processed == 2
        assert rep.pipelines == {"ru": "natasha", "ja": "ja_ginza"}
        assert [i["language"] for i in rep.pipeline_info] == ["ru", "ja"]
        assert all(i["limits"] and i["versions"] for i in rep.pipeline_info)
        ru_text = store.get_text(project, ru.article_id)
        got = {(ru_text[s.start:s.end], s.label)
               for s in sp.all_suggestions(project, [ru.article_id], suggesters=["contested"])}
        assert ("Южные Курилы", "Russian") in got and ("Северные территории", "Japanese") in got
        ja_text = store.get_text(project, ja.article_id)
        got = {(ja_text[s.start:s.end], s.label)
               for s in sp.all_suggestions(project, [ja.article_id], suggesters=["contested"])}
        assert ("北方領土", "Japanese") in got and ("日本海", "Japanese") in got
        assert sp.run_suggestions(project).processed == 0   # nothing-found suggesters remembered
    finally:
        project.close()


# -- a tiny project: decisions and the learned loop -------------------------------------------------
PLACES = ["Kunashir", "Iturup", "Shikotan", "Habomai", "Sakhalin", "Vladivostok", "Hokkaido", "Nemuro"]
SECURITY = ["Russia deployed new missiles and troops near {}.",
            "The navy held military exercises with warships off {}.",
            "Defense ministers discussed missile defense and military threats around {}."]
ECONOMY = ["Japan wants more investment and trade with {}.",
           "Energy exports and economic deals for {} dominate the agenda.",
           "Joint economic activities could bring money and jobs to {}."]
NEUTRAL = ["The ministers met in a hotel in {} in the morning.", "The weather in {} was cold and grey."]


def _tiny(path):
    """Eight English articles; every sentence names its article's place, so no two are alike."""
    project = store.create_project(path)
    store.load_codebook(project, json.loads((assets_dir() / "codebooks/policy_frames.json").read_text("utf-8")))
    ids = []
    for i, place in enumerate(PLACES):
        sents = [SECURITY[i % 3], ECONOMY[(i + 1) % 3], NEUTRAL[i % 2], SECURITY[(i + 2) % 3],
                 ECONOMY[i % 3]]
        text = f"Report {i}.\n\n" + " ".join(t.format(place) for t in sents) + "\n"
        ids.append(store.add_article(project, text=text, outlet="Wire", country="JP",
                                     language="en").article_id)
    return project, ids


@pytest.fixture
def tiny(tmp_path):
    project, ids = _tiny(tmp_path / "tiny.framelens")
    sp.run_suggestions(project, suggesters=["contested", "cues"])
    yield project, ids
    project.close()


def _cue(project, coder_id, article_id, label, text_part=None):
    for s in store.open_suggestions(project, coder_id=coder_id, article_ids=[article_id], suggesters=["cues"]):
        quote = store.get_text(project, article_id)[s.start:s.end]
        if s.label == label and (text_part is None or text_part in quote):
            return s
    raise AssertionError(f"no open {label} cue suggestion in article {article_id}")


def test_accept_and_reject_through_the_store(tiny, monkeypatch):
    project, ids = tiny
    alice = store.ensure_coder(project, "alice")
    bob = store.ensure_coder(project, "bob")
    s = _cue(project, alice.id, ids[0], SEC)
    ann_id, changes = store.accept_suggestion(project, s.id, coder_id=alice.id)
    ann = store.get_annotation(project, ann_id)
    assert ann.suggestion_id == s.id and ann.origin == f"suggestion:cues@{s.suggester_version}"
    assert (ann.start, ann.end, ann.code) == (s.start, s.end, SEC) and changes.action_id
    e = _cue(project, alice.id, ids[0], ECO)
    ann2, _ = store.accept_suggestion(project, e.id, coder_id=alice.id, start=e.start, end=e.start + 5)
    assert store.get_annotation(project, ann2).quote == store.get_text(project, ids[0])[e.start:e.start + 5]
    r = _cue(project, alice.id, ids[1], SEC)
    store.decide_suggestion(project, r.id, coder_id=alice.id, decision="rejected")
    open_ids = {x.id for x in sp.review_queue(project, coder_id=alice.id, article_ids=ids)}
    assert s.id not in open_ids and r.id not in open_ids
    assert r.id in {x.id for x in sp.review_queue(project, coder_id=bob.id, article_ids=ids)}
    # a new version of the suggester proposes the same span + label again: still not for alice
    component = get_pipeline("en", ("contested", "cues")).nlp.get_pipe("framelens_cues")
    monkeypatch.setattr(component, "version", component.version + "-v2")
    rep = sp.run_suggestions(project, suggesters=["contested", "cues"])
    assert rep.new["cues"] > 0
    again = [x for x in sp.all_suggestions(project, [ids[1]], suggesters=["cues"])
             if (x.start, x.end, x.label) == (r.start, r.end, r.label)]
    assert len(again) == 2
    alice_open = sp.review_queue(project, coder_id=alice.id, article_ids=[ids[1]])
    assert not any((x.start, x.end, x.label) == (r.start, r.end, r.label) for x in alice_open)
    bob_open = sp.review_queue(project, coder_id=bob.id, article_ids=[ids[1]])
    assert [x.suggester_version for x in bob_open
            if (x.start, x.end, x.label) == (r.start, r.end, r.label)] == [component.version]
    skipped = _cue(project, alice.id, ids[2], SEC)
    store.decide_suggestion(project, skipped.id, coder_id=alice.id, decision="skipped")
    reoffered = sp.review_queue(project, coder_id=alice.id, article_ids=[ids[2]])
    assert (skipped.start, skipped.end, skipped.label) in {(x.start, x.end, x.label) for x in reoffered}
    assert [d["decision"] for d in store.decisions(project, coder_id=alice.id)] == \
        ["accepted", "accepted", "rejected", "skipped"]


def test_accept_many_is_one_undoable_action(tiny):
    project, ids = tiny
    alice = store.ensure_coder(project, "alice")
    queue = sp.review_queue(project, coder_id=alice.id, article_ids=ids[:2], min_score=0.5)
    made, changes = sp.accept_many(project, [s.id for s in queue], coder_id=alice.id)
    assert len(made) == len(queue) > 1
    assert sp.review_queue(project, coder_id=alice.id, article_ids=ids[:2], min_score=0.5) == []
    store.undo(project, changes.action_id)
    assert len(sp.review_queue(project, coder_id=alice.id, article_ids=ids[:2], min_score=0.5)) == len(queue)


def _learned(project, ids):
    return {(s.article_id, s.start, s.end, s.label, round(s.score, 3))
            for s in sp.all_suggestions(project, ids, suggesters=["learned"])
            if s.suggester_version == sp.current_learned_version(project)}


def test_learned_cycle_trains_and_its_suggestions_follow_decisions(tiny):
    project, ids = tiny
    alice = store.ensure_coder(project, "alice")
    for aid in ids[:3]:
        store.accept_suggestion(project, _cue(project, alice.id, aid, SEC).id, coder_id=alice.id)
        store.accept_suggestion(project, _cue(project, alice.id, aid, ECO).id, coder_id=alice.id)
    not_yet = sp.learned_cycle(project, coder_id=alice.id, every_n=10)
    assert not not_yet.trained and not_yet.new_decisions == 6 and "retraining after 10" in not_yet.reason
    assert sp.learned_metrics(project) is None
    first = sp.learned_cycle(project, coder_id=alice.id, every_n=6)
    assert first.trained and first.version and first.n_decisions == 6
    assert set(first.labels) == {SEC, ECO} and first.unread_articles == len(ids) - 3
    assert first.new_suggestions > 0 and first.ranked
    assert [r["score"] for r in first.ranked] == sorted((r["score"] for r in first.ranked), reverse=True)
    assert {r["article"] for r in first.ranked} <= set(ids[3:])
    meta = sp.learned_metrics(project)
    assert meta["version"] == first.version and meta["n_decisions"] == 6
    for m in meta["metrics"].values():
        assert set(m) >= {"precision", "recall", "f1", "support"}
    before = _learned(project, ids)
    assert before and sp.load_learned(project).version == first.version
    assert not sp.learned_cycle(project, coder_id=alice.id, every_n=6).trained   # nothing new
    # new decisions: reject the security sentences of three more articles, accept economy ones
    for aid in ids[3:6]:
        store.decide_suggestion(project, _cue(project, alice.id, aid, SEC).id, coder_id=alice.id,
                                decision="rejected")
        store.accept_suggestion(project, _cue(project, alice.id, aid, ECO).id, coder_id=alice.id)
    second = sp.learned_cycle(project, coder_id=alice.id, every_n=6)
    assert second.trained and second.version != first.version and second.new_decisions == 6
    assert second.unread_articles == len(ids) - 6
    after = _learned(project, ids)
    assert after and after != before
    queue = sp.review_queue(project, coder_id=alice.id, article_ids=ids, suggesters=["learned"])
    assert {s.suggester_version for s in queue} == {second.version}


def test_learned_needs_coded_passages(tiny):
    project, _ = tiny
    rep = sp.learned_cycle(project, force=True)
    assert not rep.trained and "not enough coded passages" in rep.reason


# -- command line -----------------------------------------------------------------------------------
def test_cli_suggest_train_review(demo, capsys):
    path = str(demo.path)
    aid = _by_outlet(demo)["PenzaNews"]
    assert cli_main(["suggest", path, "--article", str(aid), "--suggesters", "contested", "voices",
                     "--json", "--min-score", "0.3"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["article"] for r in rows} == {aid}
    assert {r["suggester"] for r in rows} == {"contested", "voices"} and min(r["score"] for r in rows) >= 0.3
    assert set(rows[0]) >= {"article", "start", "end", "label", "codebook", "score", "suggester",
                            "version", "rationale", "data"}
    cue = next(s for s in sp.all_suggestions(demo, [aid], suggesters=["cues"]) if s.label == SEC)
    assert cli_main(["review", path, "--suggestion", str(cue.id), "--accept", "--coder", "carol", "--json"]) == 0
    accepted = json.loads(capsys.readouterr().out)
    assert store.get_annotation(demo, accepted["annotation"]).suggestion_id == cue.id
    other = next(s for s in sp.all_suggestions(demo, [aid], suggesters=["cues"]) if s.id != cue.id)
    assert cli_main(["review", path, "--suggestion", str(other.id), "--reject", "--coder", "carol"]) == 0
    capsys.readouterr()
    assert cli_main(["review", path, "--list", "--coder", "carol", "--article", str(aid), "--json"]) == 0
    listed = {r["id"] for r in json.loads(capsys.readouterr().out)}
    assert cue.id not in listed and other.id not in listed
    story = store.list_stories(demo)[0].name
    assert cli_main(["suggest", path, "--story", story]) == 0
    assert "already up to date" in capsys.readouterr().err
    assert cli_main(["train", path, "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert not rep["trained"] and "not enough" in rep["reason"]
    assert cli_main(["review", path, "--coder", "carol"]) == 2


# -- the helper process the desktop uses ------------------------------------------------------------
def test_helper_process_runs_jobs_and_stops_when_aborted(tmp_path):
    from framelens.annotate.ops.suggest_worker import WorkerError, shared_worker
    from framelens.desktop.shell.demo_project import build_demo_project

    build_demo_project(tmp_path / "helper.framelens").close()
    worker = shared_worker()
    status, details = worker.run("status")
    assert status == sp.pipeline_status() and details == sp.pipeline_details()

    class Stop(Exception):
        pass

    seen = []

    def progress(done, total, text):
        seen.append(done)
        raise Stop()

    with pytest.raises(Stop):
        worker.run("suggest", str(tmp_path / "helper.framelens"), {"suggesters": ["contested"]},
                   progress=progress)
    project = store.open_project(tmp_path / "helper.framelens")
    try:
        stored = {s.article_id for s in sp.all_suggestions(project, [a.id for a in store.list_articles(project)])}
        assert seen == [1] and 1 <= len(stored) < 5          # stopped after the article in flight
    finally:
        project.close()
    rest = worker.run("suggest", str(tmp_path / "helper.framelens"), {"suggesters": ["contested"]})
    assert rest.processed + rest.skipped == 5 and rest.processed < 5
    with pytest.raises(WorkerError):
        worker.run("suggest", str(tmp_path / "missing.framelens"))
    assert worker.alive
