"""Actors suggester: the principal actors of the 2+2 seeds, normalised, with their country."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framelens.annotate.analysis.nlp import actor_counts, get_pipeline, suggest
from framelens.annotate.analysis.nlp.actors import get_actor_table

CORPUS = Path(__file__).resolve().parents[1] / "assets" / "demo" / "two-plus-two"   # = ../shared/corpus
pytestmark = pytest.mark.skipif(not (CORPUS / "metadata.json").exists(), reason="seed corpus absent")


@pytest.fixture(scope="module")
def seeds():
    meta = json.loads((CORPUS / "metadata.json").read_text("utf-8"))
    texts = {i: (CORPUS / a["file"]).read_text("utf-8") for i, a in enumerate(meta["articles"])}
    outlets = {i: a["outlet"] for i, a in enumerate(meta["articles"])}
    get_pipeline("en")
    found = dict(suggest([(i, t, "en") for i, t in texts.items()], suggesters=["actors"]))
    return texts, outlets, found


def test_principal_actors_with_countries(seeds):
    texts, _, found = seeds
    countries: dict[str, set] = {}
    for sugg in found.values():
        for s in sugg:
            countries.setdefault(s.label, set()).add(s.data["country"])
    expected = {"Sergei Lavrov": "RU", "Sergei Shoigu": "RU", "Fumio Kishida": "JP", "Tomomi Inada": "JP",
                "Itsunori Onodera": "JP", "Shinzo Abe": "JP", "Vladimir Putin": "RU", "Donald Trump": "US",
                "Taro Kono": "JP", "Igor Morgulov": "RU", "Takeo Akiba": "JP", "Barack Obama": "US",
                "Xi Jinping": "CN", "Kim Jong-un": "KP", "Moon Jae-in": "KR", "Russian government": "RU",
                "Japan": "JP", "Russia": "RU", "China": "CN", "United States": "US"}
    for name, country in expected.items():
        assert countries.get(name) == {country}, (name, countries.get(name))


def test_shoigu_spellings_are_one_actor(seeds):
    texts, _, found = seeds
    mentions = {texts[i][s.start:s.end] for i in found for s in found[i] if s.label == "Sergei Shoigu"}
    assert {"Sergey Shoygu", "Sergei Shoigu", "Shoigu"} <= mentions


def test_capitals_as_actor_or_place(seeds):
    texts, _, found = seeds
    jt = texts[0]
    by_offset = {(s.start, s.end): s for s in found[0]}
    tokyo_actor = jt.index("Tokyo conveyed its concerns")
    assert by_offset[(tokyo_actor, tokyo_actor + 5)].label == "Japanese government"
    moscow_poss = jt.index("Moscow’s interest")
    assert by_offset[(moscow_poss, moscow_poss + 6)].label == "Russian government"
    tokyo_in = texts[1].index("talks in Tokyo") + len("talks in ")
    place = {(s.start, s.end): s for s in found[1]}[(tokyo_in, tokyo_in + 5)]
    assert place.label == "Tokyo" and place.data["kind"] == "place" and place.data["country"] == "JP"
    controlled = jt.index("Tokyo-controlled")
    assert not any(s.start == controlled for s in found[0])


def test_unknown_people_get_country_from_affiliation(seeds):
    _, _, found = seeds
    people = {s.label: s.data["country"] for s in found[1] if s.data["kind"] == "person"}
    assert people["James Brown"] == "JP" and people["Nobuhide Hatasa"] == "JP"
    assert {s.label for s in found[0] if s.data["kind"] == "person"} >= {"James Brown", "Dmitry Streltsov"}


def test_counts_per_article_and_outlet(seeds):
    _, outlets, found = seeds
    counts = actor_counts(found, outlets, kinds={"person"})
    assert counts.by_article[1]["Sergei Lavrov"] >= 2
    assert counts.by_outlet["Russia Beyond"]["Sergei Shoigu"] >= 5
    assert counts.countries_by_outlet["Global Times"]["JP"] >= 1
    assert counts.articles_by_outlet["PenzaNews"]["Shinzo Abe"] == 1
    assert set(counts.by_outlet) == set(outlets.values())


def test_alias_table_works_without_ner():
    (_, found), = suggest([(3, "Шойгу и Лавров встретились с Онодэрой. Кисида прибыл в Токио.", "ru")],
                          suggesters=["actors"])
    labels = [s.label for s in found]
    assert labels[:2] == ["Sergei Shoigu", "Sergei Lavrov"] and "Fumio Kishida" in labels
    table = get_actor_table()
    assert table.lookup("Shoygu").name == "Sergei Shoigu" and table.lookup("the Kremlin").country == "RU"
