"""Direct quotations in raw text: one linear scan over the quotation marks.

Handles the news conventions that break naive pairing:

* a quote running over several paragraphs, where each continued paragraph reopens with an
  opening mark and only the last one closes;
* a quote running over several paragraphs *without* reopening marks (common where a text
  keeps one sentence a line, as news test sets do): an opening mark left open at the end of
  its paragraph and a closing mark left unmatched in a later paragraph (at most
  ``_SPAN_LIMIT`` paragraphs on) are one quote when every paragraph between them is
  balanced — it holds no mark of the pair, or only complete inner quotations
  (``"Из-за травмы …\nКогда дебютирую за "Легион"?\n… набирать", - сказал``);
* quotations nested in a quotation with the same marks (``"… ООО "Хлебозавод". …"``): the
  marks are paired on a stack inside a paragraph and only the outermost quote is kept;
* a closing mark with no opening mark in its paragraph and no open quote before it (a typo
  in the source): the quote is taken to start at the paragraph start;
* an opening mark never closed and not continued: the quote ends at its paragraph's end;
* straight double quotes, whose role (opening or closing) is read from the characters
  around them.

Offsets are Python code points; ``start``/``end`` delimit the quoted words (marks, edge
whitespace and a trailing comma excluded).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

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


_SPAN_LIMIT = 12


@dataclass
class _Para:
    """The marks of one pair in one paragraph, paired inside the paragraph (nested pairs are
    kept on a stack and only the outermost reported)."""

    lead_close: int | None = None      # first closing mark with no opening mark before it
    pairs: list[tuple[int, int]] = field(default_factory=list)   # outermost (open, close)
    trail_open: int | None = None      # outermost opening mark left open at the paragraph end

    @property
    def balanced(self) -> bool:
        return self.lead_close is None and self.trail_open is None


def _parse(text: str, positions: list[int], opening: str, closing: str) -> _Para:
    out = _Para()
    stack: list[int] = []
    for pos in positions:
        role = _role(text, pos, opening, closing)
        if role == "toggle":
            role = "close" if stack else "open"
        if role == "open":
            stack.append(pos)
        elif stack:
            a = stack.pop()
            if not stack:
                out.pairs.append((a, pos))
        elif out.lead_close is None:
            out.lead_close = pos
    out.trail_open = stack[0] if stack else None
    return out


def _scan_pair(text: str, paras: Paragraphs, opening: str, closing: str) -> list[Quote]:
    marks = re.compile(re.escape(opening) if opening == closing else
                       f"[{re.escape(opening)}{re.escape(closing)}]")
    groups: dict[int, list[int]] = {}
    for m in marks.finditer(text):
        groups.setdefault(paras.index(m.start()), []).append(m.start())
    out: list[Quote] = []

    def emit(a: int, b: int, om: bool, cm: bool, mark_a: int, mark_b: int) -> None:
        s, e = _content(text, a, b)
        if e > s:
            out.append(Quote(mark_a, mark_b, s, e, om, cm))

    def pairs(found: list[tuple[int, int]]) -> None:
        for a, b in found:
            emit(a + 1, b, True, True, a, b)

    # pending: an opening mark left open at the end of its paragraph, the last paragraph it
    # has covered so far, and the quotations of the balanced paragraphs passed meanwhile
    pending: tuple[int, int, list[tuple[int, int]]] | None = None
    for k in sorted(groups):
        positions = groups[k]
        para = _parse(text, positions, opening, closing)
        if pending is not None:
            op, last, inner = pending
            first = positions[0]
            if k == paras.next_filled(last) and paras.at_start(first) and \
                    _role(text, first, opening, closing) != "close":
                # the news convention: each continued paragraph reopens the quotation
                rest = _parse(text, positions[1:], opening, closing)
                if rest.balanced:
                    pending = (op, k, inner + rest.pairs)
                    continue
                if rest.lead_close is not None:
                    para = rest
            elif para.balanced and paras.index(op) + _SPAN_LIMIT >= k:
                # a paragraph inside a quotation that was not reopened ("…\n… "Легион" …\n…",)
                pending = (op, k, inner + para.pairs)
                continue
            if para.lead_close is not None and paras.index(op) + _SPAN_LIMIT >= k:
                emit(op + 1, para.lead_close, True, True, op, para.lead_close)
                para.pairs = [p for p in para.pairs if p[0] > para.lead_close]
                para.lead_close = None
            else:
                emit(op + 1, paras.end(op), True, False, op, paras.end(op))
                pairs(inner)
            pending = None
        if para.lead_close is not None:
            start = paras.start(para.lead_close)
            emit(start, para.lead_close, False, True, start, para.lead_close)
        pairs(para.pairs)
        if para.trail_open is not None:
            pending = (para.trail_open, k, [])
    if pending is not None:
        op, _, inner = pending
        emit(op + 1, paras.end(op), True, False, op, paras.end(op))
        pairs(inner)
    return out


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
