"""Word-boundary snapping of a coded selection (annotate/analysis/offsets.py, issue 18)."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st

from framelens.annotate.analysis.offsets import (
    grapheme_span, is_grapheme_boundary, is_unspaced, snap_to_words,
)
from framelens.annotate.analysis.offsets import _is_word_char


def snapped(text: str, fragment: str, length: int | None = None) -> str:
    """The quote a selection of ``length`` characters from ``fragment``'s first occurrence
    becomes."""
    start = text.index(fragment)
    end = start + (len(fragment) if length is None else length)
    a, b = snap_to_words(text, start, end)
    return text[a:b]


def test_a_cut_word_is_completed_at_the_end_and_the_start():
    text = "Tokyo warned of tension in the Asia-Pacific region on Monday."
    assert snapped(text, "Asia-Pacific r") == "Asia-Pacific region"
    assert snapped(text, "sia-Pacific region") == "Asia-Pacific region"
    assert snapped(text, "ensio") == "tension"          # inside one word: the word
    assert snapped(text, "n the Asia") == "in the Asia"


def test_boundaries_already_at_words_or_punctuation_stay():
    text = "Tokyo warned of tension in the Asia-Pacific region on Monday."
    assert snapped(text, "Asia") == "Asia"              # the hyphen is a boundary
    assert snapped(text, "Pacific") == "Pacific"
    assert snapped(text, "Monday.") == "Monday."
    assert snapped(text, " region ") == " region "      # white space is not crossed
    text = "Russia's position"
    assert snapped(text, "Russia") == "Russia"          # the apostrophe is a boundary
    assert snapped(text, "Russia's pos") == "Russia's position"


def test_russian_words_snap():
    text = "Министр иностранных дел России Сергей Лавров встретился в Токио с главой МИД Японии."
    assert snapped(text, "ностранных дел Росс") == "иностранных дел России"
    assert snapped(text, "Лавров встр") == "Лавров встретился"
    # ё and a combining acute accent (stress marks in Russian texts) are part of the word
    text = "Он пришёл к ми\u0301ру и ушёл"
    assert snapped(text, "пришё") == "пришёл"
    assert snapped(text, "ми\u0301р") == "ми\u0301ру"
    assert snapped(text, "и\u0301ру") == "ми\u0301ру"


def test_chinese_and_japanese_are_not_snapped():
    zh = "中国外交部发言人华春莹在例行记者会上表示"
    a = zh.index("外交")
    assert snap_to_words(zh, a + 1, a + 3) == (a + 1, a + 3)
    ja = "ロシアのラブロフ外相は東京で河野太郎外相と会談した。"
    a = ja.index("ラブロフ")
    assert snap_to_words(ja, a + 1, a + 3) == (a + 1, a + 3)
    # a Latin word inside a Japanese sentence still snaps, and stops at the kana
    ja = "安倍首相はAbenomicsを語った"
    a = ja.index("Abenomics")
    assert ja[slice(*snap_to_words(ja, a + 2, a + 5))] == "Abenomics"
    assert is_unspaced("中") and is_unspaced("ラ") and is_unspaced("の") and is_unspaced("𠮷")
    assert not is_unspaced("a") and not is_unspaced("я") and not is_unspaced("한")


def test_astral_characters_and_emoji_are_never_split():
    text = "Thumbs 👍🏽 and 👨\u200d👩\u200d👧 and 🇯🇵🇷🇺 and 𠮷野家 here"
    thumb = text.index("👍")
    assert snap_to_words(text, thumb, thumb + 1) == (thumb, thumb + 2)    # + skin tone
    assert snap_to_words(text, thumb + 1, thumb + 2) == (thumb, thumb + 2)
    family = text.index("👨")
    assert snap_to_words(text, family + 2, family + 3) == (family, family + 5)
    flags = text.index("🇯")
    assert snap_to_words(text, flags + 1, flags + 3) == (flags, flags + 4)  # both flags whole
    assert snap_to_words(text, flags + 2, flags + 3) == (flags + 2, flags + 4)
    kichi = text.index("𠮷")                     # one code point (two UTF-16 units)
    assert snap_to_words(text, kichi, kichi + 1) == (kichi, kichi + 1)


def test_edges_and_empty():
    assert snap_to_words("", 0, 0) == (0, 0)
    assert snap_to_words("word", 0, 4) == (0, 4)
    assert snap_to_words("word", 1, 2) == (0, 4)
    assert snap_to_words("word", 2, 2) == (2, 2)
    assert snap_to_words("a b", 0, 3) == (0, 3)
    assert grapheme_span("e\u0301x", 1, 1) == (0, 2)     # inside a grapheme: all of it
    assert grapheme_span(" \u0301x", 1, 2) == (1, 2)      # a stray mark after a space


ALPHABET = st.sampled_from(list(
    "abcXYZ019 _-'.,\n\tжёЖ\u0301\u0308中文ラの。👍🏽\u200d👩🇯🇵\ufe0f𠮷ก"))
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)


@st.composite
def selections(draw):
    text = draw(TEXTS)
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text, start, end


def inside_word(text: str, i: int) -> bool:
    return 0 < i < len(text) and _is_word_char(text, i - 1) and _is_word_char(text, i)


@example(("\u200d\n", 0, 1))          # found by hypothesis: a ZWJ before a line end
@settings(max_examples=600, deadline=None)
@given(selections())
def test_properties_of_snapping(case):
    text, start, end = case
    a, b = snap_to_words(text, start, end)
    assert 0 <= a <= start <= end <= b <= len(text)          # contains the selection
    if start < end:
        assert not inside_word(text, a) and not inside_word(text, b)
    assert is_grapheme_boundary(text, a) and is_grapheme_boundary(text, b)
    # what was added is word characters or the rest of a grapheme, never white space
    assert not any(ch.isspace() for ch in text[a:start] + text[end:b])
    assert snap_to_words(text, a, b) == (a, b)                # idempotent
    if start < end and not any(_is_word_char(text, i) for i in range(start, end)) and \
            all(is_grapheme_boundary(text, i) for i in (start, end)):
        assert (a, b) == (start, end)                          # no word touched: unchanged
