"""The real original-language demo texts (assets/demo/original-language): every listed file
exists and carries its provenance and licence, and the Chinese Xinhua item imports as a clean
Chinese article of the first (2013) round's story."""

from __future__ import annotations

import json

import pytest

from framelens import store
from framelens.annotate.ops.demo import build_demo, original_language_dir

REQUIRED = ("file", "outlet", "country", "language", "published", "event", "title", "source",
            "licence")


def _entries() -> list[dict]:
    return json.loads((original_language_dir() / "metadata.json").read_text("utf-8"))["articles"]


def test_every_entry_has_a_file_provenance_and_licence():
    entries = _entries()
    assert [e["language"] for e in entries] == ["ru", "ja", "zh"]
    for entry in entries:
        assert [k for k in REQUIRED if not entry.get(k)] == []
        text = (original_language_dir() / entry["file"]).read_text("utf-8")
        assert text.split("\n", 1)[0] == entry["title"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    project = build_demo(tmp_path_factory.mktemp("demo") / "demo.framelens", original_language=True)
    yield project
    project.close()


def test_chinese_item_imports_as_xinhua_in_the_2013_story(demo):
    (zh,) = [a for a in store.list_articles(demo) if a.language == "zh"]
    assert (zh.title, zh.outlet, zh.country, zh.published) == (
        "安倍提议日俄“2+2”会谈", "Xinhua", "CN", "2013-09-02")
    article = store.get_article(demo, zh.id)
    assert article.removed == []
    assert article.text.startswith("安倍提议日俄“2+2”会谈\n\n据新华社专电 日本政府官员8月31日透露,")
    assert article.text.endswith("现由俄罗斯控制。")
    assert article.text.count("\n\n") == 6       # headline and six paragraphs
    (story,) = [s for s in store.list_stories(demo) if s.name.startswith("First Russia–Japan")]
    in_story = {a.language for a in store.list_articles(demo, story_id=story.id)}
    assert in_story == {"en", "zh"}
