"""Page-furniture cleaning on small constructed captures."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.annotate.analysis.ingest import (assets_dir, clean_text, guess_title, load_furniture_rules,
                             normalise_text)
from framelens.annotate.analysis.ingest.furniture import looks_like_menu, match_rule, split_captions

PARA_1 = "Japan and Russia held security talks in Tokyo on Monday, officials said."
PARA_2 = "The ministers discussed North Korea and maritime security in the region."
PARA_3 = "Both sides agreed to meet again in Moscow next year, the statement said."


def removed_reasons(raw: str, **kwargs) -> dict[str, str]:
    return {r.text.strip(): r.reason for r in clean_text(raw, **kwargs)[1]}


def test_furniture_file_is_valid_and_every_rule_compiles():
    data = json.loads((assets_dir() / "furniture.json").read_text(encoding="utf-8"))
    rules = load_furniture_rules()
    assert len(rules.rules) == len(data["rules"]) >= 30
    assert all(rule.reason for rule in rules.rules)
    for raw in data["rules"]:
        assert raw["pattern"].startswith("^") and raw["pattern"].endswith("$"), raw


@pytest.mark.parametrize("line, reason", [
    ("17:07:42 Monday, October 18", "site clock"),
    ("23:45 | 28.03.2017 | Analytic", "date and rubric line"),
    ("Photo: Mid.ru", "photo credit"),
    ("Фото: РИА Новости", "photo credit"),
    ("Reuters", "agency credit"),
    ("AP Photo/Eugene Hoshiko", "agency credit"),
    ("Kim Kyung-Hoon / Reuters", "agency credit"),
    ("This website uses cookies. Click here to find out more.", "cookie banner"),
    ("Accept cookies", "cookie banner"),
    ("By subscribing, you can help us get the story right.", "subscription appeal"),
    ("Subscribe to our daily newsletter for more news from Asia.", "subscription appeal"),
    ("Read also", "read also"),
    ("Lastest headlines", "read also"),
    ("Latest headlines", "read also"),
    ("Related", "read also"),
    ("Читайте также: Лавров прибыл в Токио", "read also"),
    ("If using any of Russia Beyond's content, partly or in full, always provide an active "
     "hyperlink to the original material.", "reuse notice"),
    ("© 2017 The Japan Times", "reuse notice"),
    ("wangxiaonan@globaltimes.com.cn", "contact e-mail"),
    ("Contact the reporter at jane.doe@example.com", "contact e-mail"),
    ("Views expressed are of individual Members and Contributors, rather than the Club's, "
     "unless explicitly stated otherwise.", "disclaimer"),
    ("The views expressed in this article do not necessarily reflect those of the editors.",
     "disclaimer"),
    ("Advertisement", "advertisement"),
])
def test_pattern_rules(line, reason):
    assert match_rule(line) == reason


@pytest.mark.parametrize("line", [
    PARA_1,
    "The writer is a doctoral candidate, at the faculty of Asian and Middle Eastern Studies. "
    "Views expressed are personal.",
    "“Read also the statement of the ministry,” he said.",
    "Copyright law was not discussed at the meeting.",
    "Reuters reported that the talks lasted three hours.",
    "The article was compiled by Global Times reporter Wang Xiaonan.",
    "Photography exhibitions will be part of the Year of Russia in Japan.",
    "“This website uses cookies,” the minister joked.",
])
def test_article_sentences_are_not_patterns(line):
    assert match_rule(line) is None


def test_glued_captions_are_cut_from_the_paragraph():
    caption = "A tank seen on Kunashir Island, the Kuril Islands / Vladimir Sergeyev / TASS"
    line = caption + caption + "The Japanese side reiterated its objections."
    fragments, rest = split_captions(line)
    assert fragments == [caption, caption]
    assert rest == "The Japanese side reiterated its objections."
    text, removed = clean_text(PARA_1 + "\n\n" + line + "\n\n" + PARA_2)
    assert text == PARA_1 + "\n\nThe Japanese side reiterated its objections.\n\n" + PARA_2
    assert [(r.line, r.text, r.reason) for r in removed] == [(2, caption, "image caption")] * 2


def test_a_line_of_captions_only_goes_entirely():
    caption = "Shoigu at a meeting with the government / Alexander Astafyev / TASS"
    text, removed = clean_text(f"{PARA_1}\n{caption}{caption}\n{PARA_2}")
    assert text == f"{PARA_1}\n{PARA_2}"
    assert "".join(r.text for r in removed) == caption + caption


def test_slashes_in_sentences_are_not_captions():
    line = "Exports rose 5% year on year / month on month / TASS reported on Monday."
    assert split_captions(line) == ([], line)


def test_repeated_title_is_kept_once_other_repeats_are_captions():
    title = "Russia–Japan talks contribute to building trust"
    caption = "Ministers at the talks in Tokyo on March 20, 2017."
    raw = "\n\n".join([title, caption, caption, PARA_1, title, PARA_2, PARA_3])
    text, removed = clean_text(raw)
    assert text == "\n\n".join([title, PARA_1, PARA_2, PARA_3])
    assert [(r.line, r.reason) for r in removed] == [
        (2, "image caption"), (4, "image caption"), (8, "repeated headline")]


def test_repeated_labels_and_short_subheadings_stay():
    raw = "\n".join(["Q:", PARA_1, "Sergey Lavrov:", PARA_2, "Q:", PARA_3, "Sergey Lavrov:",
                     "Background", PARA_1.upper(), "Background"])
    assert clean_text(raw) == (raw, [])


def test_repeated_cjk_caption():
    caption = "岸田文雄外相とラブロフ外相（右）"
    raw = "\n".join(["日露外相会談", caption, "両外相は東京で会談した。", caption, "協議は約３時間続いた。"])
    text, removed = clean_text(raw)
    assert caption not in text and [r.reason for r in removed] == ["image caption"] * 2


def test_given_title_is_used_for_repeats():
    title = "Talks resume"
    raw = f"Menu\n{title}\n{PARA_1}\n{title}\n{PARA_2}"
    text, removed = clean_text(raw, title=title)
    assert text == f"Menu\n{title}\n{PARA_1}\n{PARA_2}"
    assert [(r.line, r.reason) for r in removed] == [(3, "repeated headline")]


def test_repeated_quoted_speech_is_never_furniture():
    quote = "“We agreed to continue the dialogue,” Lavrov said."
    raw = "\n".join([PARA_1, quote, PARA_2, quote])
    assert clean_text(raw) == (raw, [])


def test_section_menus():
    assert looks_like_menu("Politics Economy Agriculture Society IT Education Medicine Religion")
    assert looks_like_menu("Home | World | Asia | Business | Opinion")
    assert looks_like_menu("Politics Economy Society Sport Culture", near_furniture=True)
    assert not looks_like_menu("Politics Economy Society Sport Culture")
    assert not looks_like_menu("Russia-Japan: Expanding Dialogue Amid Turbulent Changes in Asia")
    assert not looks_like_menu("Russia and Japan Resume Talks")
    assert not looks_like_menu(PARA_1)


def test_menu_next_to_a_site_clock():
    raw = ("17:07:42 Monday, October 18\nPolitics Economy Society Sport Culture\n\n"
           "Headline\n\n" + PARA_1)
    text, removed = clean_text(raw)
    assert text == "Headline\n\n" + PARA_1
    assert [r.reason for r in removed] == ["site clock", "section menu"]


def test_trailing_related_headlines_block():
    raw = "\n".join([PARA_1, PARA_2, "", "Read also", "Lavrov to visit Tokyo in April",
                     "Japan protests Kuril deployment"])
    text, removed = clean_text(raw)
    assert text == f"{PARA_1}\n{PARA_2}"
    assert {r.reason for r in removed} == {"read also"} and len(removed) == 3


def test_read_also_in_the_middle_keeps_following_paragraphs():
    raw = "\n".join([PARA_1, "Read also: Lavrov to visit Tokyo", PARA_2, "Short subhead", PARA_3])
    text, _ = clean_text(raw)
    assert text == "\n".join([PARA_1, PARA_2, "Short subhead", PARA_3])


def test_blank_lines_collapse_and_edges_are_trimmed():
    raw = "\r\n\r\nReuters\r\n\r\n" + PARA_1 + "\r\n\r\n\r\n\r\n" + PARA_2 + "\r\n \r\n"
    text, removed = clean_text(raw)
    assert text == PARA_1 + "\n\n" + PARA_2
    assert [(r.line, r.text) for r in removed] == [(2, "Reuters")]


def test_line_numbers_count_normalised_raw_lines():
    raw = "Intro\rReuters\r\nBody line.\nPhoto: Someone"
    _, removed = clean_text(raw)
    assert [(r.line, r.text) for r in removed] == [(1, "Reuters"), (3, "Photo: Someone")]


def test_text_without_furniture_is_kept_exactly():
    raw = "Заголовок\n\n" + "Текст «в кавычках» — и ещё.\n\t Отступ сохраняется.  "
    assert clean_text(raw) == (raw, [])


def test_guess_title():
    title = "Russia and Japan resume talks"
    assert guess_title(title + "\n\n" + PARA_1) == title
    question = "‘2+2’ talks: Do Russia and Japan prefer status?"
    assert guess_title(question + "\n" + PARA_1) == question
    assert guess_title(PARA_1 + "\n" + PARA_2) is None
    assert guess_title("Only one line") is None
    assert guess_title("As the minister put it:\n" + PARA_1) is None
    assert guess_title("“We will meet again,” Lavrov said.”\n" + PARA_1) is None
    assert guess_title("“We will meet again.”\n" + PARA_1) is None
    assert guess_title("Putin’s “hard man” image\n" + PARA_1) == "Putin’s “hard man” image"
    assert guess_title("") is None and guess_title(None) is None


_lines = st.lists(st.sampled_from([
    PARA_1, PARA_2, "Reuters", "Photo: X", "", " ", "Read also", "Title line",
    "“Quoted,” he said.", "Cap / Name / TASS", "Home | World | Asia | Business",
]) | st.text(max_size=40), max_size=25)


@settings(max_examples=80, deadline=None)
@given(_lines)
def test_cleaning_invariants(lines):
    raw = "\n".join(lines)
    text, removed = clean_text(raw)
    raw_lines = normalise_text(raw).split("\n")      # line numbers count these lines
    assert len(raw_lines) == len(raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    assert "\r" not in text and "\n\n\n" not in text and text == text.strip("\n")
    for r in removed:
        assert r.text and r.reason and r.text in raw_lines[r.line]
    assert [r.line for r in removed] == sorted(r.line for r in removed)


def test_a_title_case_headline_without_a_given_title_is_not_a_menu():
    """Plain text with no title from metadata: the first line is a headline over its article,
    kept and guessed as the title; a real site menu above a headline still goes."""
    from framelens.annotate.analysis.ingest.furniture import clean_text, guess_title

    headline = "Russia And Japan Agree To Hold More Security Talks Next Year"
    body = ("Tokyo - Russia and Japan agreed on Monday to hold more security talks next year, "
            "officials said after the ministers met in Tokyo for the second round.")
    text, removed = clean_text(f"{headline}\n\n{body}\n\nThe talks covered missile defence.")
    assert removed == [] and text.startswith(headline)
    assert guess_title(text) == headline
    menu = "Home News World Business Sport Politics Culture Science Opinion"
    text, removed = clean_text(f"{menu}\n\nJapan and Russia resume talks\n\n{body}")
    assert [r.reason for r in removed] == ["section menu"] and menu not in text
    assert guess_title(text) == "Japan and Russia resume talks"
