"""The outlet registry, outlet recognition, and date normalisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framelens.annotate.analysis.ingest import (Outlet, assets_dir, load_outlet_registry, lookup_outlet,
                             normalise_date, outlet_for_url, recognise_outlet)

BODY = ("Japan and Russia resumed on Monday a ministerial security dialogue.\n\n"
        "The ministers discussed North Korea, officials said.\n\n"
        "Analysts said the talks were symbolic.\n\n"
        "Both sides agreed to meet again next year.")

REQUIRED = [
    "TASS", "RIA Novosti", "RT", "Sputnik", "Russia Beyond", "PenzaNews",
    "Valdai Discussion Club", "Kommersant", "Xinhua", "Global Times", "China Daily", "CGTN",
    "People's Daily", "Kyodo News", "NHK", "The Japan Times", "Asahi Shimbun",
    "Yomiuri Shimbun", "Nikkei", "Mainichi Shimbun", "Interfax", "Izvestia",
    "South China Morning Post", "Japan Today", "Reuters", "Associated Press",
]


def test_registry_is_complete_and_well_formed():
    outlets = load_outlet_registry()
    names = [o.name for o in outlets]
    assert len(names) == len(set(names))
    assert set(REQUIRED) <= set(names)
    for outlet in outlets:
        assert isinstance(outlet, Outlet)
        assert len(outlet.country) == 2 and outlet.country.isupper()
        assert len(outlet.language) == 2 and outlet.language.islower()
        assert outlet.url and outlet.url.startswith("http")
        assert outlet.domains and all("/" not in d and d == d.lower() for d in outlet.domains)
        assert outlet.aliases
    countries = {o.name: o.country for o in outlets}
    assert countries["South China Morning Post"] == "HK" and countries["Reuters"] == "GB"
    assert countries["Associated Press"] == "US" and countries["PenzaNews"] == "RU"
    raw = json.loads((assets_dir() / "outlets.json").read_text(encoding="utf-8"))
    assert len(raw) == len(outlets)


def test_domains_are_not_shared_between_outlets():
    seen: dict[str, str] = {}
    for outlet in load_outlet_registry():
        for domain in outlet.domains:
            assert seen.setdefault(domain, outlet.name) == outlet.name, domain


@pytest.mark.parametrize("url, name", [
    ("https://www.japantimes.co.jp/news/2017/03/20/x/", "The Japan Times"),
    ("http://en.people.cn/n3/2017/0321/c90000.html", "People's Daily"),
    ("https://asia.nikkei.com/Politics/x", "Nikkei"),
    ("https://www3.nhk.or.jp/nhkworld/en/news/", "NHK"),
    ("tass.com/politics/935720", "TASS"),
    ("https://www.rbth.com/international/2017/03/22/x", "Russia Beyond"),
    ("https://english.news.cn/20170320/x.htm", "Xinhua"),
    ("https://www.globaltimes.cn/content/x.shtml", "Global Times"),
    ("https://valdaiclub.com/a/highlights/russia-japan/", "Valdai Discussion Club"),
])
def test_recognise_by_url(url, name):
    assert outlet_for_url(url).name == name
    assert recognise_outlet(url=url).name == name


@pytest.mark.parametrize("url", ["https://example.com/news", "https://notrt.com/x",
                                 "https://tass.com.evil.example/x", "", "::::"])
def test_unknown_urls(url):
    assert outlet_for_url(url) is None


def test_url_wins_over_text():
    text = "28 March 2017. PenzaNews. " + BODY
    assert recognise_outlet(text, "https://tass.com/x").name == "TASS"


@pytest.mark.parametrize("text, name", [
    ("28 March 2017. PenzaNews. Foreign ministers met.\n\n" + BODY, "PenzaNews"),
    ("TOKYO, March 20 (Kyodo) -- Japan and Russia met.\n\n" + BODY, "Kyodo News"),
    ("BEIJING, Nov. 2 (Xinhua) -- Talks were held.\n\n" + BODY, "Xinhua"),
    ("MOSCOW, March 20. /TASS/. Lavrov arrived.\n\n" + BODY, "TASS"),
    (BODY + "\n\nThe article was compiled by Global Times reporter Wang Xiaonan.", "Global Times"),
    (BODY + "\n\nwangxiaonan@globaltimes.com.cn", "Global Times"),
    (BODY + "\n\nIf using any of Russia Beyond's content, provide a hyperlink.", "Russia Beyond"),
    (BODY + "\n\n© 2017 The Japan Times", "The Japan Times"),
    ("МОСКВА, 20 марта. /ТАСС/. Лавров прибыл.\n\n" + BODY, "TASS"),
    ("新华社东京3月20日电 日俄外长防长会谈。\n\n" + BODY, "Xinhua"),
])
def test_recognise_by_how_the_text_names_its_publisher(text, name):
    assert recognise_outlet(text).name == name


@pytest.mark.parametrize("text", [
    BODY,
    "Headline\n\nReuters\n\n" + BODY,                                # a photo credit
    BODY.replace("officials said", "he told Reuters") + "\n\nMore text.\n\nEnd.\n\nFin.\n\nX.",
    "Caption / Vladimir Sergeyev / TASS\n\n" + BODY,                 # a caption credit
    BODY + "\n\nViews expressed are of individual Members, rather than the Club's.",
    "",
])
def test_citations_and_credits_are_not_the_publisher(text):
    assert recognise_outlet(text) is None


def test_short_aliases_are_case_sensitive_whole_words():
    assert recognise_outlet("Apart from art, the rt-value.\n\n" + BODY) is None
    assert recognise_outlet("Report by RT, Moscow.\n\n" + BODY).name == "RT"
    assert recognise_outlet("By Jane Doe, Kyodo News\n\n" + BODY).name == "Kyodo News"


def test_two_outlets_equally_likely_give_none():
    assert recognise_outlet("Opinion: what Kyodo, unlike Jiji, got wrong.\n\n" + BODY) is None


@pytest.mark.parametrize("lead", [
    "The minister told Kyodo News the talks went well.",
    "According to TASS, Lavrov arrived on Sunday.",
    "Xinhua reported that the talks lasted three hours.",
    "Kyodo and Jiji both covered the meeting.",
])
def test_citations_in_the_lead_are_not_the_publisher(lead):
    assert recognise_outlet(lead + "\n\n" + BODY) is None


@pytest.mark.parametrize("name, canonical", [
    ("Kyodo", "Kyodo News"), ("the japan times", "The Japan Times"), ("RBTH", "Russia Beyond"),
    ("ТАСС", "TASS"), ("People’s Daily", "People's Daily"), ("globaltimes.cn", "Global Times"),
    ("Valdai Club", "Valdai Discussion Club"), ("NHK World", "NHK"),
])
def test_lookup_outlet(name, canonical):
    assert lookup_outlet(name).name == canonical


def test_lookup_unknown():
    assert lookup_outlet("Some Blog") is None and lookup_outlet("") is None


@pytest.mark.parametrize("value, expected", [
    ("28.03.2017", "2017-03-28"),
    ("March 2017", "2017-03"),
    ("Mar. 2017", "2017-03"),
    ("2017-03-20T10:00:00Z", "2017-03-20"),
    ("2017-03-20T23:30:00-05:00", "2017-03-20"),
    ("2017-03-20 10:00", "2017-03-20"),
    ("2017", "2017"),
    ("2017-03", "2017-03"),
    ("2017/03/20", "2017-03-20"),
    ("20170320", "2017-03-20"),
    ("20 March 2017", "2017-03-20"),
    ("March 20, 2017", "2017-03-20"),
    ("Monday, March 20, 2017 10:05 AM", "2017-03-20"),
    ("Mon, 20 Mar 2017 10:00:00 +0000", "2017-03-20"),
    ("Published: 20th March 2017", "2017-03-20"),
    ("28 марта 2017 г.", "2017-03-28"),
    ("2017年3月20日", "2017-03-20"),
    ("2017年3月", "2017-03"),
    ("28/03/2017", "2017-03-28"),
    ("03/28/2017", "2017-03-28"),
    ("  2 November 2013 ", "2013-11-02"),
])
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


@pytest.mark.parametrize("value", [
    None, "", "garbage", "03/04/2017", "2017-02-30", "2017-13", "1234", "12 May", "32.01.2017",
    "Smarch 2017",
])
def test_normalise_date_refuses(value):
    assert normalise_date(value) is None


def test_assets_dir_default_and_override(tmp_path, monkeypatch):
    monkeypatch.delenv("FRAMELENS_ASSETS", raising=False)
    assert assets_dir() == Path(__file__).resolve().parents[1] / "assets"
    registry = [{"name": "Test Outlet", "country": "nz", "language": "en",
                 "url": "https://test.example", "domains": ["test.example"],
                 "aliases": ["Test Outlet"]}]
    (tmp_path / "outlets.json").write_text(json.dumps(registry), encoding="utf-8")
    monkeypatch.setenv("FRAMELENS_ASSETS", str(tmp_path))
    assert assets_dir() == tmp_path
    [outlet] = load_outlet_registry()
    assert outlet.name == "Test Outlet" and outlet.country == "NZ"
    assert recognise_outlet(url="https://news.test.example/a").name == "Test Outlet"


def test_malformed_registry_is_reported(tmp_path, monkeypatch):
    (tmp_path / "outlets.json").write_text('[{"name": "No country"}]', encoding="utf-8")
    monkeypatch.setenv("FRAMELENS_ASSETS", str(tmp_path))
    with pytest.raises(ValueError, match="entry 1 is malformed"):
        load_outlet_registry()


def test_a_reprint_naming_its_wire_source_is_a_dateline():
    from framelens.annotate.analysis.ingest.outlets import agency_dateline

    assert agency_dateline("据新华社专电 日本首相安倍晋三表示").name == "Xinhua"
    assert agency_dateline("据新华社电 俄罗斯外长").name == "Xinhua"
    assert agency_dateline("据报道，新华社的记者") is None
