"""One test per attribution pattern of the Russian, Japanese and Chinese voices (issue 14).

Every sentence here is CONSTRUCTED for the test (written by FrameLens helper I, not taken
from any outlet); the names are invented unless they are actors of assets/lexicons/actors.json.
Real-text figures are in tests/test_voices_heldout*.py.
"""

from __future__ import annotations

import pytest

from framelens.annotate.analysis.nlp import suggest
from framelens.annotate.analysis.nlp.quotatives import ja_quotative, ja_topic_phrase
from framelens.annotate.analysis.nlp.quotes import find_quotes

RU_MARKS = [("«", "»"), ("„", "“"), ("“", "”"), ('"', '"')]

CASES = {
    # Russian: straight quotes and a hyphen; typographic quotes and a dash; a role noun
    "ru_straight_hyphen": ("ru", 'Глава фонда Иван Соколов заявил, что работа идет по плану.\n'
                           '"Мы построим новую школу к осени", - сказал Соколов.'),
    "ru_typographic_dash": ("ru", "«Мы построим новую школу к осени», — сказал Иван Соколов."),
    "ru_curly_endash": ("ru", "“Мы построим новую школу к осени”, – заявил Иван Соколов."),
    "ru_role_noun": ("ru", 'На собрании выступил тренер Иван Соколов.\n'
                     '"Команда готова к новому сезону", - отметил тренер.'),
    "ru_over_lines": ("ru", '"Сезон был трудным.\nНо мы справились с задачей", - сказал Иван Соколов.'),
    # Japanese: 「…」と + any predicate, speaker as topic earlier in the sentence
    "ja_topic_any_predicate": ("ja", "田中一郎さんは「来年もこの祭りを続けたい」と笑顔を見せた。"),
    "ja_subject_ga_not_object": ("ja", "山本太郎社長らが２日、市役所で佐藤次郎市長と面談し"
                                 "「地域の農家を支えたい」と述べた。"),
    "ja_two_quotations": ("ja", "田中一郎は「最後まで走れてよかった」、山本花子は「次は勝ちたい」と語った。"),
    "ja_unnamed_topic": ("ja", "会場を訪れた会社員男性（４２）は「とても楽しかったです」と話した。"),
    "ja_subject_left_out": ("ja", "田中一郎さんは新しい計画を発表した。会見では資料を配り"
                            "「誰もが使える施設にしたい」と強調した。"),
    # Chinese: quotation before X说, quotation on the line after / before its speaker
    "zh_quote_then_speaker": ("zh", "“我们会继续努力，把工作做好。”王建国说。"),
    "zh_quote_then_biaoshi": ("zh", "“这个项目对当地很重要，”王建国表示。"),
    "zh_standalone_next_line": ("zh", "村民王建国正在收拾东西。\n“接到电话后我马上就回家了。”\n"
                                "王建国说，他种了二十亩水稻。"),
    "zh_standalone_prev_line": ("zh", "市水务局局长王建国介绍，全市新建了三座水厂。\n"
                                "“今年年底前，全市居民都能喝上新水厂的水。”"),
}

EXPECTED = {
    "ru_straight_hyphen": ("Мы построим", "Иван Соколов"),
    "ru_typographic_dash": ("Мы построим", "Иван Соколов"),
    "ru_curly_endash": ("Мы построим", "Иван Соколов"),
    "ru_role_noun": ("Команда готова", "Иван Соколов"),
    "ru_over_lines": ("Сезон был", "Иван Соколов"),
    "ja_topic_any_predicate": ("来年も", "田中一郎"),
    "ja_subject_ga_not_object": ("地域の農家", "山本太郎"),
    "ja_two_quotations": ("最後まで", "田中一郎"),
    "ja_unnamed_topic": ("とても楽しかった", "会社員男性"),
    "ja_subject_left_out": ("誰もが使える", "田中一郎"),
    "zh_quote_then_speaker": ("我们会继续", "王建国"),
    "zh_quote_then_biaoshi": ("这个项目", "王建国"),
    "zh_standalone_next_line": ("接到电话后", "王建国"),
    "zh_standalone_prev_line": ("今年年底前", "王建国"),
}


@pytest.fixture(scope="module")
def found():
    names = list(CASES)
    items = [(i, CASES[n][1], CASES[n][0]) for i, n in enumerate(names)]
    return {names[aid]: spans for aid, spans in suggest(items, suggesters=["voices"])}


@pytest.mark.parametrize("case", list(CASES))
def test_speaker_of_the_quotation(found, case):
    text = CASES[case][1]
    snippet, speaker = EXPECTED[case]
    at = text.index(snippet)
    hits = [(s.label, s.data["kind"]) for s in found[case] if s.start <= at < s.end]
    assert hits == [(speaker, "direct")], [(s.label, text[s.start:s.end]) for s in found[case]]


def test_second_of_two_japanese_quotations(found):
    text = CASES["ja_two_quotations"][1]
    at = text.index("次は勝ちたい")
    assert [s.label for s in found["ja_two_quotations"] if s.start <= at < s.end] == ["山本花子"]


def test_quotation_over_lines_without_reopening_mark():
    text = '"Сезон был трудным.\nВ матче с "Зенитом" мы проиграли.\nНо мы справились", - сказал он.'
    quotes = find_quotes(text, RU_MARKS)
    assert [text[q.start:q.end] for q in quotes] == [
        'Сезон был трудным.\nВ матче с "Зенитом" мы проиграли.\nНо мы справились']


def test_nested_straight_quotes_inside_one_paragraph():
    text = '"Пожар начался в здании ООО "Хлеб" утром", - говорится в сообщении.'
    assert [text[q.start:q.end] for q in find_quotes(text, RU_MARKS)] == [
        'Пожар начался в здании ООО "Хлеб" утром']


def test_unclosed_quotation_still_ends_at_its_paragraph():
    text = '"Начало без конца\nДругой абзац.\nТретий "абзац" тут.'
    quotes = find_quotes(text, RU_MARKS)
    assert [text[q.start:q.end] for q in quotes] == ["Начало без конца", "абзац"]


@pytest.mark.parametrize("text,quotative", [
    ("彼は「来年も続けたい」と話した。", {0}),
    ("「ぐるなび」と提携する。", set()),                        # a short term, not speech
    ("「明日の天気はどうなるか」という番組。", set()),           # という names it
    ("Aは「最後まで走れた」、Bは「次は勝ちたい」と語った。", {0, 1}),
    ("Aは「最後まで走れた」。Bは「次は勝ちたい」と語った。", {1}),  # another sentence
])
def test_japanese_quotative_to(text, quotative):
    assert ja_quotative(text, find_quotes(text, [("「", "」")])) == quotative


def test_japanese_topic_phrase_skips_age_place_and_time():
    text = "会場を訪れた会社員男性（４２）＝東京都＝は「"
    a, b = ja_topic_phrase(text, 0, len(text) - 1)
    assert text[a:b] == "会社員男性"
    assert ja_topic_phrase("２日は「", 0, 3) is None
