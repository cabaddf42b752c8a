"""The five seed captures: all listed page furniture goes, no article sentence is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framelens.annotate.analysis.ingest import Document, read_file, recognise_outlet

CORPUS = Path(__file__).resolve().parents[1] / "assets" / "demo" / "two-plus-two"   # = ../shared/corpus

pytestmark = pytest.mark.skipif(not (CORPUS / "metadata.json").is_file(),
                                reason="shared seed corpus not present beside the repository")

# Furniture per seed, one entry per 'boilerplate' item of metadata.json: the lines (or, for
# captions glued to paragraph text, the fragments) that must leave the text for `removed`.
FURNITURE: dict[str, list[list[str]]] = {
    "000_73df716822f3123d.txt": [[
        "In a time of both misinformation and too much information, quality journalism is more "
        "crucial than ever.",
        "By subscribing, you can help us get the story right.",
    ]],
    "001_c5011a8f5c07d6db.txt": [
        ["17:07:42 Monday, October 18",
         "Politics Economy Agriculture Society IT Education Medicine Religion Communal Services "
         "Incidents Crime Culture Sport"],
        ["23:45 | 28.03.2017 | Analytic"],
        ["Russia–Japan talks contribute to improving bilateral relations and building trust"],
        ["Photo: Mid.ru"],
        ["Lastest headlines", "Read also"],
    ],
    "002_7c236707b2b3bc18.txt": [
        ["Russian and Japanese foreign and defense ministers at the ‘2+2’ format talks in Tokyo "
         "on March 20, 2017."],
        ["Reuters"],
        ["A tank seen on Kunashir Island, the Kuril Islands / Vladimir Sergeyev / TASS",
         "Russia's Defense Minister Sergei Shoigu on a meeting with Russian government / "
         "Alexander Astafyev / TASS"],
        ["If using any of Russia Beyond's content, partly or in full, always provide an active "
         "hyperlink to the original material.",
         "This website uses cookies. Click here to find out more.",
         "Accept cookies"],
    ],
    "003_16159d8463d39a82.txt": [[
        "Views expressed are of individual Members and Contributors, rather than the Club's, "
        "unless explicitly stated otherwise.",
    ]],
    "004_c19d5b96a74571db.txt": [["wangxiaonan@globaltimes.com.cn"]],
}

# Real sentences from the start, middle and end of each article (the last one ends the last
# real paragraph); all must survive cleaning.
SENTENCES: dict[str, list[str]] = {
    "000_73df716822f3123d.txt": [
        "Japan and Russia resumed on Monday a ministerial security dialogue for the first time "
        "in over three years.",
        "Russia remains wary of U.S. missile defense abilities in the Asia-Pacific",
        "James Brown, an associate professor at Temple University in Japan, said the talks are "
        "not likely to make significant progress in security cooperation or the isle row.",
        "Streltsov added that Japan’s relationship with Russia will be strongly influenced by "
        "Moscow’s ties with Washington.",
        "“The biggest benefit for Russia is the visual,” Brown said.",
        "that Japan sanctions are more a symbolic step than actually designed to have a meaning.”",
    ],
    "001_c5011a8f5c07d6db.txt": [
        "Russia–Japan talks contribute to improving bilateral relations and building trust",
        "28 March 2017. PenzaNews. Foreign and Defense Ministers of Russia and Japan hold their "
        "first talks",
        "The Japanese side also confirmed that Prime Minister Shinzo Abe will visit Russia in "
        "April this year.",
        "According to him, each side has something the other wants.",
        "In his opinion, the Russian side also received a number of advantages from "
        "negotiations with Tokyo.",
        "has a certain positive impact for Russia on international political arena,” Nobuhide "
        "Hatasa concluded.",
    ],
    "002_7c236707b2b3bc18.txt": [
        "‘2+2’ talks: Do Russia and Japan prefer status over substance?",
        "Although little new substance transpired from the recent Russia-Japan high-level talks",
        "The Japanese side reiterated its objections to the deployment of the Russian military "
        "on the Kurils, including some of the disputed islands.",
        "The Chinese equation",
        "Moscow joined the Asian Infrastructure Investment Bank, while Tokyo did not.",
        "The writer is a doctoral candidate, at the faculty of Asian and Middle Eastern "
        "Studies, St. Catharine's College, University of Cambridge.",
        "Views expressed are personal.",
    ],
    "003_16159d8463d39a82.txt": [
        "Russia-Japan: Expanding Dialogue Amid Turbulent Changes in Asia",
        "Security dialogue between Tokyo and Moscow is necessary not only for bilateral "
        "relations which expect new horizons",
        "Prime Minister Abe approaches Russia through Vladivostok.",
        "Powers are multifaceted, culture and politics are hybrid.",
        "Russia and Japan are both Westphalian nations located in East Asia.",
        "but also significant in the context of regional and perhaps global balances.",
    ],
    "004_c19d5b96a74571db.txt": [
        "Japan and Russia held their first ever joint defense and diplomatic conference earlier "
        "this month",
        "Abe's cabinet obviously feels snubbed in Northeast Asia, where it was once somewhat "
        "dominant.",
        "Putin, renowned for his \"hard man\" image, will not easily compromise.",
        "The Abe administration is quite familiar with Russia's position.",
        "The article was compiled by Global Times reporter Wang Xiaonan, based on an interview "
        "with Li Shanjin, an expert on Northeast Asian affairs based in Beijing.",
    ],
}

EXPECTED_OUTLET = {
    "001_c5011a8f5c07d6db.txt": "PenzaNews",
    "002_7c236707b2b3bc18.txt": "Russia Beyond",
    "004_c19d5b96a74571db.txt": "Global Times",
}


def _metadata() -> dict[str, dict]:
    data = json.loads((CORPUS / "metadata.json").read_text(encoding="utf-8"))
    return {a["file"]: a for a in data["articles"]}


def _document(name: str) -> Document:
    items = read_file(CORPUS / name)
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


def test_every_seed_has_expectations_for_each_boilerplate_item():
    metadata = _metadata()
    assert set(metadata) == set(FURNITURE) == set(SENTENCES)
    for name, article in metadata.items():
        assert len(FURNITURE[name]) == len(article["boilerplate"]), name


@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_seed_furniture_is_removed_and_recorded(name: str):
    doc = _document(name)
    lines = set(doc.text.split("\n"))
    removed = [r.text.strip() for r in doc.removed]
    for item in FURNITURE[name]:
        for furniture in item:
            assert furniture in removed, (name, furniture)
            if furniture == doc.title:       # a repeated headline: kept once, repeats removed
                assert doc.text.count(furniture) == 1
            else:
                assert furniture not in lines and furniture not in doc.text, (name, furniture)


@pytest.mark.parametrize("name", sorted(SENTENCES))
def test_seed_sentences_survive(name: str):
    doc = _document(name)
    for sentence in SENTENCES[name]:
        assert sentence in doc.text, (name, sentence)
    assert doc.text.rstrip().endswith(SENTENCES[name][-1])


@pytest.mark.parametrize("name", sorted(SENTENCES))
def test_seed_text_shape(name: str):
    doc = _document(name)
    raw_lines = doc.raw_text.replace("\r\n", "\n").split("\n")
    assert "\n\n\n" not in doc.text and doc.text == doc.text.strip("\n")
    assert doc.encoding == "utf-8" and doc.language == "en"
    for removed in doc.removed:
        assert removed.text in raw_lines[removed.line]
    assert doc.raw_text == (CORPUS / name).read_text(encoding="utf-8")


def test_seed_titles_and_dates_where_the_capture_says_them():
    metadata = _metadata()
    for name, article in metadata.items():
        doc = _document(name)
        assert doc.title == article["title"], name
    assert _document("001_c5011a8f5c07d6db.txt").published == "2017-03-28"


@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_seed_outlets(name: str):
    doc = _document(name)
    expected = EXPECTED_OUTLET.get(name)
    assert doc.outlet == expected
    if expected:
        assert doc.country == _metadata()[name]["country"]
        assert recognise_outlet(doc.raw_text).name == expected


def test_seed_outlets_from_cleaned_text_where_the_article_names_its_publisher():
    # the dateline of 001 and the byline of 004 are article text; 002 names itself only in
    # the removed reuse notice, so recognition there needs the raw capture
    for name in ("001_c5011a8f5c07d6db.txt", "004_c19d5b96a74571db.txt"):
        assert recognise_outlet(_document(name).text).name == EXPECTED_OUTLET[name]
