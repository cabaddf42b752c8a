"""Voices suggester on the seed articles: every quotation and 'said'-reported statement of
the Japan Times (000) and PenzaNews (001) articles, hand-listed with its true speaker."""

from __future__ import annotations

from pathlib import Path

import pytest

from framelens.annotate.analysis.nlp import get_pipeline, suggest, voices_by_outlet
from framelens.annotate.analysis.nlp.quotes import find_quotes

CORPUS = Path(__file__).resolve().parents[1] / "assets" / "demo" / "two-plus-two"   # = ../shared/corpus
pytestmark = pytest.mark.skipif(not (CORPUS / "metadata.json").exists(), reason="seed corpus absent")

# (anchor: a unique substring of what is said, speaker label, speaker country or None)
JAPAN_TIMES = [
    ("Japan needs to convince Washington if it wants", "analysts", None),
    ("Russia made no comment about China in the talks", "Japanese official", "JP"),
    ("the talks are not likely to make significant progress", "James Brown", "JP"),
    ("They can smooth over their differences", "James Brown", "JP"),
    ("The best that Japan can hope for", "James Brown", "JP"),
    ("Trump may be forced to take a harder line on Russia", "analysts", None),
    ("It is true that Mr. Trump is very unique", "Dmitry Streltsov", "RU"),
    ("It is unlikely that Mr. Trump will antagonize", "Dmitry Streltsov", "RU"),
    ("Japan’s relationship with Russia will be strongly influenced", "Dmitry Streltsov", "RU"),
    ("Japan waited to resume the security talks", "analysts", None),
    ("Abe a number of times about becoming too close", "Barack Obama", "US"),
    ("Abe to forgo his trip", "Barack Obama", "US"),
    ("Obama urged Abe to forgo his trip", "sources", None),
    ("closer engagements with Russia in security matters", "analysts", None),
    ("The biggest benefit for Russia is the visual", "James Brown", "JP"),
    ("Russia can demonstrate that they are having a security meeting", "James Brown", "JP"),
]

BROWN, NISHIHARA, NEWSHAM, HATASA = "James Brown", "Masashi Nishihara", "Grant Newsham", "Nobuhide Hatasa"
PENZANEWS = [
    ("Prime Minister Shinzo Abe will visit Russia in April", "Japanese government", "JP"),
    ("Cooperation between states is necessary", "Tomomi Inada", "JP"),
    ("the parties have accumulated a lot of important topics", "Sergei Lavrov", "RU"),
    ("The main attention in the four ministers’ discussion", "Sergei Lavrov", "RU"),
    ("there is currently a positive atmosphere in bilateral relations", BROWN, "JP"),
    ("Starting with the talks on joint economic activities", BROWN, "JP"),
    ("there is no legal basis for such cooperation yet", BROWN, "JP"),
    ("The Japanese government will not permit Japanese companies", BROWN, "JP"),
    ("the results were mixed", BROWN, "JP"),
    ("The both sides agreed to strongly urge North Korea", BROWN, "JP"),
    ("Russia refused to discuss the issue of China's actions", BROWN, "JP"),
    ("This was a clear sign that Russia values its relationship", BROWN, "JP"),
    ("Perhaps most important, however, was not what was actually discussed", BROWN, "JP"),
    ("there is still much that can upset the positive trend", BROWN, "JP"),
    ("Japan almost always follows the United States", BROWN, "JP"),
    ("the leaders of the two countries treat each other with strong suspicion", NISHIHARA, "JP"),
    ("Japan would like to promote trade and investment", NISHIHARA, "JP"),
    ("talks did not bring concrete results", NISHIHARA, "JP"),
    ("The two sides only agreed on the need to restrain North Korea", NISHIHARA, "JP"),
    ("the territorial question will continue for decades", NISHIHARA, "JP"),
    ("During the period of the sanctions, Japan has proposed", NISHIHARA, "JP"),
    ("the bilateral relations lukewarm", NEWSHAM, "JP"),
    ("This is better than Russia's bilateral relations", NEWSHAM, "JP"),
    ("each side has something the other wants", NEWSHAM, "JP"),
    ("In Japan's case, it's the Northern territories", NEWSHAM, "JP"),
    ("the talks were quite successful", NEWSHAM, "JP"),
    ("Both sides addressed the contentious issues", NEWSHAM, "JP"),
    ("were the sort of pro-forma declarations", NEWSHAM, "JP"),
    ("The parties agreeing on activities to counter drug trafficking", NEWSHAM, "JP"),
    ("the most significant was the movement on the specific", NEWSHAM, "JP"),
    ("Anytime something happens out of these meetings", NEWSHAM, "JP"),
    ("the recent relationship between Japan and Russia is mostly characterized", HATASA, "JP"),
    ("Advent of Trump Administration was a big chance", HATASA, "JP"),
    ("Russia needs to keep its eyes on the security of the Pacific region", HATASA, "JP"),
    ("Russia’s deployment of missiles in the Northern Territories", HATASA, "JP"),
    ("there were no substantial outcomes at this time", HATASA, "JP"),
    ("For Abe’s administration, resolution of the territorial disputes", HATASA, "JP"),
    ("the Russian side also received a number of advantages", HATASA, "JP"),
    ("Japan’s economic cooperation definitely contributes", HATASA, "JP"),
    ("Demonstrating that Russia is establishing a good relationship", HATASA, "JP"),
    ("Two-plus-two talks’ with Russia have been halted", HATASA, "JP"),
]


def _seed(name_prefix: str) -> str:
    return next(CORPUS.glob(name_prefix + "_*.txt")).read_text("utf-8")


def score_voices(text: str, voices, gold) -> tuple[int, int, list[str]]:
    """(right speaker, right speaker and country, misses) over the hand list."""
    right = right_country = 0
    misses = []
    for anchor, speaker, country in gold:
        assert text.count(anchor) == 1, anchor
        a = text.index(anchor)
        covering = [v for v in voices if v.start <= a and a + len(anchor) <= v.end]
        hit = [v for v in covering if v.label == speaker]
        if hit:
            right += 1
            if any((v.data.get("country") or None) == country for v in hit):
                right_country += 1
            else:
                misses.append(f"country of {speaker}: {[v.data.get('country') for v in hit]}")
        else:
            misses.append(f"{anchor!r}: want {speaker}, got {[v.label for v in covering]}")
    return right, right_country, misses


@pytest.fixture(scope="module")
def seed_voices():
    get_pipeline("en")
    texts = {"000": _seed("000"), "001": _seed("001")}
    out = dict(suggest([(0, texts["000"], "en"), (1, texts["001"], "en")], suggesters=["voices"]))
    return texts, out


@pytest.mark.parametrize("key,article,gold", [("000", 0, JAPAN_TIMES), ("001", 1, PENZANEWS)])
def test_speakers_and_countries(seed_voices, key, article, gold):
    texts, out = seed_voices
    right, right_country, misses = score_voices(texts[key], out[article], gold)
    assert right / len(gold) >= 0.8, misses
    assert right_country == right, misses


def test_voice_records_are_complete(seed_voices):
    texts, out = seed_voices
    for article, key in ((0, "000"), (1, "001")):
        for v in out[article]:
            assert v.codebook == "voices" and v.suggester == "voices" and v.version.startswith("voices-")
            assert 0 < v.score <= 1 and v.rationale
            assert {"speaker", "affiliation", "country", "cue", "quote", "kind"} <= set(v.data)
            assert v.data["speaker"] == v.label
            span = texts[key][v.start:v.end]
            assert span == span.strip() and len(span) > 3
            if v.data["quote"]:
                qs, qe = v.data["quote"]
                assert qs <= v.start and v.end <= qe


def test_affiliations(seed_voices):
    texts, out = seed_voices
    aff = {v.label: v.data["affiliation"] for v in out[0] + out[1] if v.data.get("affiliation")}
    assert aff["James Brown"].startswith("Temple University")
    assert aff["Dmitry Streltsov"] == "Moscow State Institute of International Relations"
    assert "Research Institute for Peace and Security" in aff["Masashi Nishihara"]
    assert "Japan Forum for Strategic Studies" in aff["Grant Newsham"]
    assert aff["Nobuhide Hatasa"] == "Nagoya Keizai University"


def test_beijing_based_expert():
    text = ("Tokyo is fearful of a rising China. “China is not the enemy of Japan,” said Li Shanjin, "
            "an expert on Northeast Asian affairs based in Beijing. “Tokyo overreacts,” the expert added.")
    (_, found), = suggest([(7, text, "en")], suggesters=["voices"])
    assert [v.label for v in found] == ["Li Shanjin", "Li Shanjin"]
    assert {v.data["country"] for v in found} == {"CN"}


def test_multi_paragraph_and_split_quotes():
    text = ("The minister was blunt.\n\n“We will not give up the islands. Never.\n\n"
            "“They belong to us,” Sergei Lavrov said, “and that is final.”\n\n"
            "A “scare quote” is not a voice.")
    quotes = find_quotes(text)
    assert [text[q.start:q.end] for q in quotes][:2] == [
        "We will not give up the islands. Never.\n\n“They belong to us", "and that is final."]
    (_, found), = suggest([(8, text, "en")], suggesters=["voices"])
    assert [(text[v.start:v.end][:12], v.label) for v in found] == [
        ("We will not ", "Sergei Lavrov"), ("and that is ", "Sergei Lavrov")]
    assert found[0].data["country"] == "RU"


def test_who_is_heard_per_outlet(seed_voices):
    _, out = seed_voices
    counts = voices_by_outlet(out, {0: "The Japan Times", 1: "PenzaNews"})
    assert counts.by_outlet["PenzaNews"].most_common(1)[0][0] in {BROWN, NEWSHAM, HATASA}
    assert counts.countries_by_outlet["The Japan Times"]["RU"] >= 3
    assert counts.speakers["Dmitry Streltsov"]["country"] == "RU"


def test_joint_speakers_and_possessive_titles():
    text = ("Both Japan and Russia stressed that terrorism is a common threat. Defense Minister "
            "Shoigu’s predecessor Igor Sergeyev communicated Moscow’s concerns about missile defense.")
    (_, found), = suggest([(9, text, "en")], suggesters=["voices"])
    assert [(v.label, v.data["country"]) for v in found] == [
        ("Japan", "JP"), ("Russia", "RU"), ("Igor Sergeyev", "RU")]
    assert text[found[0].start:found[0].end] == "terrorism is a common threat"
