"""Direct quotations in raw text: one linear scan over the quotation marks.

Handles the news conventions that break naive pairing:

* a quote running over several paragraphs, where each continued paragraph reopens with an
  opening mark and only the last one closes;
* a closing mark with no opening mark in its paragraph (a typo in the source): the quote
  is taken to start at the paragraph start;
* an opening mark never closed in its paragraph and not continued: the quote ends at the
  paragraph end;
* straight double quotes, whose role (opening or closing) is read from the characters
  around them.

Offsets are Python code points; ``start``/``end`` delimit the quoted words (marks, edge
whitespace and a trailing comma excluded).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_TRAIL = " \t\r\n,;:"


@dataclass(frozen=True)
class Quote:
    open: int          # index of the opening mark, or the paragraph start when there is none
    close: int         # index of the closing mark, or the paragraph end when there is none
    start: int         # first character of the quoted words
    end: int           # one past the last character of the quoted words
    open_mark: bool
    close_mark: bool

    def words(self, text: str) -> int:
        return len(text[self.start:self.end].split())

    def speech_like(self, text: str) -> bool:
        """True when the quote ends like reported speech (',”' '.”' '?”') rather than a term."""
        if not self.close_mark:
            return True
        before = text[max(self.open, self.close - 2):self.close].rstrip()
        return bool(before) and before[-1] in ",.!?…;:"


class Paragraphs:
    """Paragraph index of a character offset (a paragraph ends at every newline)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def index(self, pos: int) -> int:
        return bisect_right(self.starts, pos) - 1

    def start(self, pos: int) -> int:
        return self.starts[self.index(pos)]

    def end(self, pos: int) -> int:
        k = self.index(pos)
        return self.starts[k + 1] - 1 if k + 1 < len(self.starts) else len(self.text)

    def next_filled(self, k: int) -> int:
        """Index of the first non-blank paragraph after paragraph ``k`` (or -1)."""
        for j in range(k + 1, len(self.starts)):
            end = self.starts[j + 1] if j + 1 < len(self.starts) else len(self.text)
            if self.text[self.starts[j]:end].strip():
                return j
        return -1

    def at_start(self, pos: int) -> bool:
        """Only whitespace between the paragraph start and ``pos``."""
        return not self.text[self.start(pos):pos].strip()


def _content(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1] in _TRAIL:
        b -= 1
    return a, b


def _role(text: str, pos: int, opening: str, closing: str) -> str:
    ch = text[pos]
    if opening != closing:
        return "open" if ch == opening else "close"
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if (before.isspace() or before in "([{—–-/") and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-"):
        return "close"
    return "toggle"


def _scan_pair(text: str, paras: Paragraphs, opening: str, closing: str) -> list[Quote]:
    marks = re.compile(re.escape(opening) if opening == closing else
                       f"[{re.escape(opening)}{re.escape(closing)}]")
    out: list[Quote] = []
    open_at: int | None = None

    def emit(a: int, b: int, om: bool, cm: bool, mark_a: int, mark_b: int) -> None:
        s, e = _content(text, a, b)
        if e > s:
            out.append(Quote(mark_a, mark_b, s, e, om, cm))

    def unclosed(at: int) -> None:
        end = paras.end(at)
        emit(at + 1, end, True, False, at, end)

    for m in marks.finditer(text):
        pos = m.start()
        role = _role(text, pos, opening, closing)
        if role == "toggle":
            role = "close" if open_at is not None else "open"
        if role == "open":
            if open_at is not None:
                if paras.at_start(pos) and paras.index(pos) == paras.next_filled(paras.index(open_at)):
                    continue  # a continued paragraph of the same quote
                unclosed(open_at)
            open_at = pos
        else:
            if open_at is not None and paras.index(open_at) != paras.index(pos) and \
                    not _continued(text, paras, open_at, pos, opening):
                unclosed(open_at)
                open_at = None
            if open_at is None:
                start = paras.start(pos)
                emit(start, pos, False, True, start, pos)
            else:
                emit(open_at + 1, pos, True, True, open_at, pos)
                open_at = None
    if open_at is not None:
        unclosed(open_at)
    return out


def _continued(text: str, paras: Paragraphs, open_at: int, close_at: int, opening: str) -> bool:
    """Every paragraph after the opening one, up to the closing one, reopens the quote."""
    k, last = paras.index(open_at) + 1, paras.index(close_at)
    while k <= last:
        para = text[paras.starts[k]: paras.starts[k + 1] if k + 1 < len(paras.starts) else len(text)]
        stripped = para.lstrip()
        if stripped and not stripped.startswith(opening):
            return False
        k += 1
    return True


def find_quotes(text: str, pairs: list[tuple[str, str]] | None = None) -> list[Quote]:
    """Quotations of ``text`` in order; for several mark pairs, nested quotes are dropped."""
    pairs = pairs or [("“", "”"), ('"', '"')]
    paras = Paragraphs(text)
    found: list[Quote] = []
    for opening, closing in pairs:
        if opening in text or closing in text:
            found.extend(_scan_pair(text, paras, opening, closing))
    found.sort(key=lambda q: (q.start, -q.end))
    out: list[Quote] = []
    for q in found:
        if out and q.start < out[-1].end:
            continue  # nested in (or overlapping) an earlier quote
        out.append(q)
    return out
