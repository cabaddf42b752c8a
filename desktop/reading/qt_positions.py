"""Code-point offsets ↔ positions in a QTextDocument filled with ``setPlainText``.

A QTextDocument counts UTF-16 units (an astral character is two positions) and turns
``"\\n"``, a lone ``"\\r"``, U+2028 and U+2029 into one block separator each — but it turns a
``"\\r\\n"`` pair into ONE separator, and drops a U+FEFF (byte-order mark) at the very start.
Texts imported from files have neither (the importer normalises them), but a text that reached
the store another way (a JSONL dataset, a script) would otherwise shift every span after its
first pair by one position per pair.  :class:`QtPositions` has the interface of
:class:`annotate.offsets.Utf16Index` that the reader uses, and accounts for all of it.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from framelens.annotate.analysis.offsets import Utf16Index

_CRLF = re.compile("\r\n")


class QtPositions:
    """Conversion between code-point offsets of ``text`` and positions of its QTextDocument."""

    __slots__ = ("_u16", "_pairs_cp", "_pairs_v", "_lead")

    def __init__(self, text: str) -> None:
        self._u16 = Utf16Index(text)
        self._lead = 1 if text.startswith("\ufeff") else 0
        # code point of each "\r" that starts a "\r\n" pair, and the pair's position once the
        # pairs before it are folded (before the leading mark is dropped)
        self._pairs_cp = [m.start() for m in _CRLF.finditer(text)]
        self._pairs_v = [self._u16.to_utf16(cp) - k for k, cp in enumerate(self._pairs_cp)]

    @property
    def cp_length(self) -> int:
        return self._u16.cp_length

    @property
    def utf16_length(self) -> int:
        """Length of the document's text (without Qt's final block separator)."""
        return self._u16.utf16_length - len(self._pairs_cp) - self._lead

    def to_utf16(self, cp: int) -> int:
        """Document position of code-point offset ``cp`` (inside a pair, or before a dropped
        leading mark: the position after it)."""
        v = self._u16.to_utf16(cp)
        if self._pairs_cp:
            v -= bisect_left(self._pairs_cp, cp - 1)
        return max(0, v - self._lead)

    def to_cp(self, q: int) -> int:
        """Code-point offset of document position ``q`` (ValueError inside a surrogate pair)."""
        if not 0 <= q <= self.utf16_length:
            raise ValueError(f"document position {q} outside 0..{self.utf16_length}")
        v = q + self._lead
        return self._u16.to_cp(v + bisect_left(self._pairs_v, v))
