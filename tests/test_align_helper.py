"""Alignment and its sentence vectors outside the window's process: the helper process's job
kinds ``align``, ``shared-copy``, ``word-diff`` and ``embed`` (annotate/ops/suggest_worker.py) give
what the same functions give in this process, an import through the helper stores the new
article's sentence vectors in the background, ``framelens embed`` stores every passage's vector
once, and ``framelens align`` prints the alignment's notes."""

from __future__ import annotations

import json
import time
from itertools import combinations

import pytest

from framelens import store
from framelens.annotate.analysis.align import AlignArticle, article_spans
from framelens.annotate.cli import main
from framelens.annotate.ops.demo import build_demo
from framelens.annotate.ops.embeddings import load_backend
from framelens.annotate.ops.story_align import story_alignment
from framelens.annotate.ops.suggest_worker import SuggestWorker
from framelens.annotate.analysis.textdiff import shared_text_ratio, word_diff
from framelens.store.embeddings import count_embeddings, embedded_texts

STORY_2013 = "First Russia–Japan 2+2, Tokyo"          # the English article and the Xinhua one
STORY_2018 = "Third Russia–Japan 2+2, Moscow"         # English and Japanese; nothing else embeds it


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("helper") / "demo.framelens"
    build_demo(path, original_language=True).close()
    return path


@pytest.fixture(scope="module")
def worker(demo):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FRAMELENS_EMBEDDER", "use")      # the helper inherits it when spawned
        helper = SuggestWorker()
    yield helper
    helper.close()


def _story_ids(path, name):
    project = store.open_project(path)
    try:
        return store.story_article_ids(project, store.get_story(project, name).id)
    finally:
        project.close()


def test_the_helper_aligns_as_this_process_does(demo, worker, monkeypatch):
    monkeypatch.setenv("FRAMELENS_EMBEDDER", "use")
    ids = _story_ids(demo, STORY_2013)
    got = worker.run("align", str(demo), {"article_ids": ids, "strictness": "strict"})
    project = store.open_project(demo)
    try:
        here = story_alignment(project, STORY_2013, use_cache=False, strictness="strict")
    finally:
        project.close()
    assert got["version"] == here["version"] == "align-2.0+use"
    assert {k: v for k, v in got.items() if k != "cached"} == \
        {k: v for k, v in here.items() if k != "cached"}
    assert sorted(a["article"] for a in got["articles"]) == sorted(ids)


def test_shared_copy_and_word_diff_in_the_helper(demo, worker):
    project = store.open_project(demo)
    try:
        ids = [a.id for a in store.list_articles(project)][:4]
        texts = {a: store.get_text(project, a) for a in ids}
    finally:
        project.close()
    ratios = {(a, b): shared_text_ratio(texts[a], texts[b]) for a, b in combinations(ids, 2)}
    (a, b), best = max(ratios.items(), key=lambda kv: kv[1])
    found = worker.run("shared-copy", str(demo), {"article_ids": ids, "threshold": 0.0})
    assert found == (a, b, best)
    assert worker.run("shared-copy", str(demo), {"article_ids": ids, "threshold": 0.99}) is None
    # no time limit on either side: diff-match-patch gives a coarser diff once its time is
    # up, so under load a limited diff depends on the machine, not on the code
    diff = worker.run("word-diff", str(demo), {"a": a, "b": b, "timeout": 0})
    same = word_diff(texts[a], texts[b], timeout=0)
    assert (diff.a_marks, diff.b_marks) == (same.a_marks, same.b_marks)


def test_an_import_through_the_helper_stores_the_new_sentence_vectors(demo, worker, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setenv("FRAMELENS_EMBEDDER", "use")
    text = ("Foreign ministers of Japan and Russia met in Tokyo on Monday.\n\n"
            "They agreed to keep talking about the islands and about joint economic projects.\n")
    source = tmp_path / "new-article.txt"
    source.write_text(text, encoding="utf-8")
    report = worker.run("import", str(demo), {"paths": [str(source)]})
    assert len(report.imported) == 1
    backend = load_backend()
    project = store.open_project(demo)
    try:
        sha = store.get_article(project, report.article_ids[0]).text_sha256
        end = time.monotonic() + 120
        while sha not in embedded_texts(project, backend.version) and time.monotonic() < end:
            time.sleep(0.2)
        assert sha in embedded_texts(project, backend.version)
        stored = store.get_text(project, report.article_ids[0])
    finally:
        project.close()
    assert len(article_spans(AlignArticle(0, stored, "en"))) == 2


def test_framelens_embed_stores_each_passage_once(demo, capsys, monkeypatch):
    monkeypatch.setenv("FRAMELENS_EMBEDDER", "use")
    backend = load_backend()
    project = store.open_project(demo)
    try:
        arts = [store.get_article(project, a)
                for a in store.story_article_ids(project, store.get_story(project, STORY_2018).id)]
        before = count_embeddings(project, backend.version)
        assert not {a.text_sha256 for a in arts} & embedded_texts(project, backend.version)
        want = sum(len(article_spans(AlignArticle(a.id, a.text, a.language or "en")))
                   for a in arts)
        assert {a.language for a in arts} == {"en", "ja"} and want > 10
    finally:
        project.close()
    capsys.readouterr()
    assert main(["embed", str(demo), "--story", STORY_2018, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"model": backend.version, "sentences_encoded": want, "articles": len(arts)}
    assert main(["embed", str(demo), "--story", STORY_2018]) == 0
    assert capsys.readouterr().out.startswith(f"0 sentence(s) encoded with {backend.version}")
    project = store.open_project(demo)
    try:
        assert count_embeddings(project, backend.version) == before + want
    finally:
        project.close()


def test_framelens_align_prints_the_notes(demo, capsys, monkeypatch):
    monkeypatch.setenv("FRAMELENS_EMBEDDER", "none")
    capsys.readouterr()
    assert main(["align", str(demo), "--story", STORY_2013, "--no-cache"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("(balanced, align-2.0)")
    notes = [ln for ln in lines if ln.startswith("note: ")]
    assert len(notes) == 1 and notes[0].startswith(
        "note: articles in en, zh: only same-language English passages can be linked — no "
        "multilingual sentence model installed")
