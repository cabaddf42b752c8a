"""Search in Chinese, Japanese and Korean text (schema version 3: trigram index ``articles_cjk``).

unicode61 makes a whole run of CJK characters one token, so before version 3 no word inside a
Japanese or Chinese sentence could be found.
"""

from __future__ import annotations

import sqlite3

import pytest

from framelens import store
from framelens.store.backup import check_file
from framelens.store.schema import LATEST_VERSION

JA = "日本政府は北方領土問題についてロシアと協議した。𠮷野家の記者が伝えた。"
ZH = "中俄两国外长在北京举行会谈，讨论了朝鲜半岛问题。US and China agreed."
KO = "한국 정부는 러시아와 회담을 열었다."
EN = "Plain English about the Kuril islands and the US."


@pytest.fixture
def project(tmp_path):
    p = store.create_project(tmp_path / "cjk.framelens")
    yield p
    p.close()


@pytest.fixture
def ids(project):
    made = {}
    for key, text, outlet, country in (("ja", JA, "NHK", "JP"), ("zh", ZH, "Xinhua", "CN"),
                                       ("ko", KO, "Yonhap", "KR"), ("en", EN, "Kyodo", "JP")):
        made[key] = store.add_article(project, text=text, outlet=outlet, country=country,
                                      title=f"{key} article").article_id
    return made


def found(project, query, **kw):
    return [(h.article_id, h.offset, h.length) for h in store.search(project, query, **kw)]


@pytest.mark.parametrize("plain", [True, False])
def test_words_inside_cjk_sentences_are_found_at_code_point_offsets(project, ids, plain):
    for text, key, word in ((JA, "ja", "北方領土"), (JA, "ja", "ロシア"), (ZH, "zh", "朝鲜半岛"),
                            (ZH, "zh", "会谈"), (KO, "ko", "러시아"), (JA, "ja", "野家")):
        assert found(project, word, plain=plain) == [(ids[key], text.index(word), len(word))], word
    # a character beyond the BMP counts as one code point
    assert found(project, "𠮷野家") == [(ids["ja"], JA.index("𠮷"), 3)]
    assert JA.index("𠮷") == len(JA.split("𠮷")[0])


def test_every_word_is_required_and_english_words_mix_in(project, ids):
    assert found(project, "北京 US", plain=True) == [(ids["zh"], ZH.index("北京"), 2)]
    assert found(project, "北京 agreed", plain=True) == [(ids["zh"], ZH.index("北京"), 2)]
    assert found(project, "北京 Kuril", plain=True) == []       # the English article has no 北京
    assert found(project, "日本 会谈", plain=True) == []
    [hit] = store.search(project, "朝鲜半岛", plain=True)
    assert hit.snippet.startswith("中俄两国外长在北京举行会谈，讨论了[朝鲜半岛]问题。")
    assert (hit.outlet, hit.country) == ("Xinhua", "CN")


def test_fts_syntax_goes_to_the_trigram_index_and_short_terms_are_explained(project, ids):
    assert {a for a, *_ in found(project, '"北方領土" OR 朝鲜半岛')} == {ids["ja"], ids["zh"]}
    assert found(project, "北方領土 NOT ロシア") == []
    with pytest.raises(store.SearchQueryError, match="at least 3 characters.*'会谈'"):
        store.search(project, "会谈 AND 北京")
    with pytest.raises(store.SearchQueryError, match="unbalanced double quote"):
        store.search(project, '"北方領土')


def test_english_search_is_unchanged_and_english_articles_stay_out_of_the_trigram_index(project, ids):
    assert found(project, "Kuril") == [(ids["en"], EN.index("Kuril"), 5)]
    assert {a for a, *_ in found(project, "US", plain=True)} == {ids["en"], ids["zh"]}
    indexed = {r[0] for r in project.query("SELECT id FROM articles_cjk_docsize")}
    assert indexed == {ids["ja"], ids["zh"], ids["ko"]}


def test_story_filter_limit_and_title_change(project, ids):
    story = store.ensure_story(project, "Talks")
    store.add_to_story(project, story, [ids["zh"], ids["en"]])
    assert found(project, "ロシア", story_id=story) == []
    assert found(project, "会谈", story_id=story, plain=True) == [(ids["zh"], ZH.index("会谈"), 2)]
    assert len(store.search(project, "ロ", plain=True, limit=1)) == 1
    # a changed title is re-indexed (the update trigger), the text keeps being found
    store.update_article_metadata(project, ids["ja"], title="新しい見出し")
    assert found(project, "新しい見出し")[0][0] == ids["ja"]
    assert found(project, "北方領土")[0][0] == ids["ja"]
    # framelens check runs FTS5's integrity check on the trigram index too
    report = check_file(project.path)
    assert report.ok, report.problems
    project.conn.execute("INSERT INTO articles_cjk(articles_cjk, rowid, title, text) "
                         "VALUES ('delete', ?, '新しい見出し', ?)", (ids["ja"], JA))
    assert any("full-text" in p for p in check_file(project.path).problems)


def test_a_version_2_project_is_migrated_and_its_cjk_articles_indexed(tmp_path, monkeypatch):
    import framelens.store.project as project_mod
    import framelens.store.schema as schema_mod

    path = tmp_path / "v2.framelens"
    monkeypatch.setattr(project_mod, "MIGRATIONS", schema_mod.MIGRATIONS[:2])
    monkeypatch.setattr(project_mod, "LATEST_VERSION", 2)
    p = store.create_project(path)
    # articles as version 2 wrote them (this code writes version 3's has_cjk column)
    for text in (JA, EN):
        p.conn.execute("INSERT INTO articles (text, n_chars, text_sha256, imported_at) "
                       "VALUES (?, ?, ?, '2026-11-01')", (text, len(text), store.text_sha256(text)))
    ja = p.query_one("SELECT id FROM articles WHERE text = ?", (JA,))[0]
    # what version 2 could not do: unicode61 made the whole sentence one token
    assert p.query_one("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '北方領土'")[0] == 0
    p.close()
    monkeypatch.undo()

    p = store.open_project(path)
    assert p.schema_version == LATEST_VERSION >= 3
    assert found(p, "北方領土") == [(ja, JA.index("北方領土"), 4)]
    assert {r[0] for r in p.query("SELECT id FROM articles_cjk_docsize")} == {ja}
    assert [tuple(r) for r in p.query("SELECT id, has_cjk FROM articles ORDER BY id")] == [(ja, 1), (ja + 1, 0)]
    assert next(i for i in check_file(path).items if i.name == "full-text index").ok
    p.close()
    [backup] = list(tmp_path.glob("v2.framelens.v2-*.bak"))
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    con.close()
