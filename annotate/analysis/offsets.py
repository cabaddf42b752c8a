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
from bisect import bisect_left
from typing import Iterable

__all__ = [
    "Utf16Index",
    "cp_to_utf16",
    "utf16_to_cp",
    "utf16_length",
    "LineEndFold",
    "fold_line_ends",
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
