"""Offset arithmetic between Python code points and UTF-16 code units, and line-end folding.

FrameLens keeps every span offset as a Python code-point index into the article text
(end exclusive).  Exchange formats that were designed around Windows/.NET/Java strings
(REFI-QDA, as written by NVivo, MAXQDA, ATLAS.ti) count UTF-16 code units instead: a
character outside the Basic Multilingual Plane ("astral": emoji, CJK Extension B, ...)
takes two units there and one code point here.

`Utf16Index` precomputes, once per text, the sorted code-point positions of the astral
characters; both conversions are then a binary search, so converting many offsets of a
long text costs O(log k) each, where k is the number of astral characters.  Texts without
astral characters (the usual case) convert by identity.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from typing import Iterable

__all__ = [
    "Utf16Index",
    "cp_to_utf16",
    "utf16_to_cp",
    "utf16_length",
    "LineEndFold",
    "fold_line_ends",
    "snap_to_words",
    "grapheme_span",
    "is_grapheme_boundary",
    "is_unspaced",
]

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class Utf16Index:
    """Conversion table between code-point and UTF-16 offsets of one text."""

    __slots__ = ("_cp_len", "_astral_cp", "_astral_u")

    def __init__(self, text: str) -> None:
        self._cp_len = len(text)
        # Code-point index of every astral character, ascending.
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        # The same characters' first UTF-16 unit: each earlier astral char adds one unit.
        self._astral_u = [cp + k for k, cp in enumerate(self._astral_cp)]

    @property
    def cp_length(self) -> int:
        return self._cp_len

    @property
    def utf16_length(self) -> int:
        return self._cp_len + len(self._astral_cp)

    def to_utf16(self, cp: int) -> int:
        """UTF-16 offset of code-point offset `cp` (0 <= cp <= len(text))."""
        if not 0 <= cp <= self._cp_len:
            raise ValueError(f"code-point offset {cp} outside 0..{self._cp_len}")
        if not self._astral_cp:
            return cp
        return cp + bisect_left(self._astral_cp, cp)

    def to_cp(self, u: int) -> int:
        """Code-point offset of UTF-16 offset `u`; refuses the middle of a surrogate pair."""
        if not 0 <= u <= self.utf16_length:
            raise ValueError(f"UTF-16 offset {u} outside 0..{self.utf16_length}")
        if not self._astral_u:
            return u
        k = bisect_left(self._astral_u, u)  # astral characters starting before unit u
        if k and self._astral_u[k - 1] + 1 == u:
            raise ValueError(f"UTF-16 offset {u} falls inside a surrogate pair")
        return u - k

    def many_to_utf16(self, cps: Iterable[int]) -> list[int]:
        return [self.to_utf16(c) for c in cps]

    def many_to_cp(self, us: Iterable[int]) -> list[int]:
        return [self.to_cp(u) for u in us]


def cp_to_utf16(text: str, cp: int) -> int:
    """UTF-16 code-unit offset of code-point offset `cp` in `text`."""
    return Utf16Index(text).to_utf16(cp)


def utf16_to_cp(text: str, u: int) -> int:
    """Code-point offset of UTF-16 offset `u` in `text` (ValueError inside a pair / out of range)."""
    return Utf16Index(text).to_cp(u)


def utf16_length(text: str) -> int:
    return len(text) + sum(1 for _ in _ASTRAL.finditer(text))


class LineEndFold:
    """Result of folding CRLF and lone CR line ends to LF, with an offset map.

    Every CRLF loses its CR; a lone CR becomes LF (same length).  An offset `p` into the
    original text maps to `p - (number of removed CRs before p)`.  An offset that pointed
    between the CR and the LF of a pair lands just before the LF.
    """

    __slots__ = ("text", "_removed")

    def __init__(self, text: str, removed: list[int]) -> None:
        self.text = text
        self._removed = removed  # original positions of the dropped CRs, ascending

    @property
    def changed(self) -> bool:
        return bool(self._removed)

    def map(self, p: int) -> int:
        if not self._removed:
            return p
        return p - bisect_left(self._removed, p)


def fold_line_ends(text: str) -> LineEndFold:
    """Return `text` with "\\n" line ends only and the offset map from the original."""
    if "\r" not in text:
        return LineEndFold(text, [])
    removed = [m.start() for m in re.finditer("\r\n", text)]
    folded = text.replace("\r\n", "\n").replace("\r", "\n")
    return LineEndFold(folded, removed)


# -- word-boundary snapping of a coded selection ----------------------------------------------
#
# A coded quote that ends "Asia-Pacific r" is the usual slip of a mouse selection.  Before a
# selection is saved it is widened to whole words at both ends, by these rules:
#
# * A *word character* is a letter, digit or connector (``str.isalnum()`` or "_"), in a script
#   that separates words with spaces (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari,
#   Hangul…), together with the combining marks that follow it.  Everything else — white space,
#   punctuation, symbols, hyphens and apostrophes — is a boundary: selecting "Asia" in
#   "Asia-Pacific" or "Russia" in "Russia's" is a deliberate choice and stays as it is.
# * An end of the selection moves only when it cuts a word, i.e. has word characters of a
#   spaced script on both sides; it then moves outwards to the word's end.  It never moves
#   across white space or punctuation, and never inwards.
# * Scripts written without spaces between words — Han, Hiragana, Katakana (Chinese,
#   Japanese), Thai, Lao, Khmer, Myanmar, Tibetan — are never snapped: the run of characters
#   up to the next space or punctuation mark is often a whole clause, and finding the words
#   needs a segmenter (jieba, GiNZA) that only the helper process may load.  A selection there
#   already falls on character boundaries, which is what Chinese and Japanese coders choose.
# * Whatever the script, and also for an exact selection, neither end may split a user-
#   perceived character: a base and its combining marks, an emoji and its skin-tone modifier or
#   variation selector, a ZWJ sequence (👨‍👩‍👧), a flag (two regional indicators), a tag sequence.
#   Offsets are code points, so a surrogate pair cannot be split here; the reader converts
#   Qt's UTF-16 positions outwards before calling this.

_NO_SPACE_SCRIPTS = (
    (0x0E00, 0x0EFF),    # Thai, Lao
    (0x0F00, 0x0FFF),    # Tibetan
    (0x1000, 0x109F),    # Myanmar
    (0x1780, 0x17FF),    # Khmer
    (0x19E0, 0x19FF),    # Khmer symbols
    (0x2E80, 0x2FDF),    # CJK radicals, Kangxi radicals
    (0x3005, 0x3007),    # 々 〆 〇
    (0x3021, 0x3029),    # Hangzhou numerals
    (0x3031, 0x3035),    # kana repeat marks
    (0x3038, 0x303C),
    (0x3040, 0x30FF),    # Hiragana, Katakana (with ー)
    (0x3100, 0x312F),    # Bopomofo
    (0x31A0, 0x31FF),    # Bopomofo extended, Katakana phonetic extensions
    (0x3400, 0x4DBF),    # CJK extension A
    (0x4E00, 0x9FFF),    # CJK unified ideographs
    (0xA9E0, 0xA9FF),    # Myanmar extended-B
    (0xAA60, 0xAA7F),    # Myanmar extended-A
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0xFF66, 0xFF9F),    # halfwidth Katakana
    (0x1B000, 0x1B16F),  # Kana supplement, extended
    (0x20000, 0x3FFFF),  # CJK extensions B onwards (astral)
)

_ZWJ = "\u200d"


def is_unspaced(ch: str) -> bool:
    """True for a character of a script written without spaces between words (CJK, Thai…)."""
    cp = ord(ch)
    if cp < 0x0E00:
        return False
    return any(lo <= cp <= hi for lo, hi in _NO_SPACE_SCRIPTS)


def _is_extender(ch: str) -> bool:
    """A code point that belongs to the character before it (never starts a grapheme)."""
    cp = ord(ch)
    return (unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch == _ZWJ
            or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF     # variation selectors
            or 0x1F3FB <= cp <= 0x1F3FF                                  # skin-tone modifiers
            or 0xE0020 <= cp <= 0xE007F)                                 # emoji tag sequence


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def is_grapheme_boundary(text: str, i: int) -> bool:
    """Whether offset ``i`` falls between two user-perceived characters (a simplified
    UAX #29: combining marks, ZWJ sequences, emoji modifiers and flags; not Hangul jamo, and a
    mark after white space is not attached to it)."""
    if i <= 0 or i >= len(text):
        return True
    if text[i - 1].isspace() or unicodedata.category(text[i - 1]) == "Cc":
        return True                             # a stray mark after a space starts anew
    if text[i].isspace() or unicodedata.category(text[i]) == "Cc":
        return True                             # nothing (not even a ZWJ) joins a space or line end
    if _is_extender(text[i]) or text[i - 1] == _ZWJ:
        return False
    if _is_regional(text[i]) and _is_regional(text[i - 1]):
        run = 0                                 # regional indicators pair up from the left
        j = i - 1
        while j >= 0 and _is_regional(text[j]):
            run += 1
            j -= 1
        return run % 2 == 0
    return True


def _is_word_char(text: str, i: int) -> bool:
    """Whether ``text[i]`` belongs to a word of a spaced script (marks count with their base)."""
    j = i
    while j > 0 and unicodedata.category(text[j])[0] == "M":
        j -= 1                                  # a combining mark: judge its base character
    ch = text[j]
    return (ch.isalnum() or ch == "_") and not is_unspaced(ch)


def grapheme_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened so that neither end splits a user-perceived character."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while not is_grapheme_boundary(text, start):
        start -= 1
    while not is_grapheme_boundary(text, end):
        end += 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen the selection ``[start, end)`` (code points) to whole words at both ends.

    The result contains the selection, lies within ``text``, splits no word of a spaced script
    and no user-perceived character, and adds only word characters (or the rest of a grapheme)
    — see the rules above.  An empty selection at a grapheme boundary stays empty.
    """
    start, end = grapheme_span(text, start, end)
    if start == end:
        return start, end
    n = len(text)
    while True:               # twice at most, unless a ZWJ joins a word to the next one
        was = start, end
        if 0 < start < n and _is_word_char(text, start) and _is_word_char(text, start - 1):
            while start > 0 and _is_word_char(text, start - 1):
                start -= 1
        if 0 < end < n and _is_word_char(text, end - 1) and _is_word_char(text, end):
            while end < n and _is_word_char(text, end):
                end += 1
        start, end = grapheme_span(text, start, end)
        if (start, end) == was:
            return start, end
