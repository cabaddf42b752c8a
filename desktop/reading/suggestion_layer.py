"""How suggestions are shown: dashed outlines in the reading view, in the code's colour (grey
without a code), and the review queue's table model.

Codings are tinted backgrounds with underline bars (``highlight.py``); suggestions are only
outlined — a dashed frame around each line of the span, drawn over the text — so the two never
look alike.  The current suggestion of the review queue gets a thicker frame and a faint tint.

A :class:`SuggestionLayer` attaches to one :class:`desktop.reader.Reader` through its
``after_paint_hooks`` (called with a painter on the viewport after the text is drawn).  Marks
are given in code points and converted with the reader's position index; they belong to one
article and are not drawn once the reader shows another.

**Density rule** (a pass over three articles stores several hundred suggestions, up to a dozen
in one sentence; outlining all of them makes the text unreadable):

1. suggestions on the same span are one outline (its labels listed together, the colour of the
   best-scored one);
2. each sentence shows at most :data:`MAX_PER_SENTENCE` outlines — the best-scored spans, ties
   to the earlier one; the current suggestion of the queue is always drawn as well;
3. what a sentence does not show is counted in a small grey "+n" after the sentence, so nothing
   is hidden silently; the queue lists every suggestion, and J / K make each one current (and
   so drawn) in turn.

Sentences here are a plain punctuation split (:func:`sentence_spans`: ``. ! ? …`` and the CJK
full stops, or a line break) — the GUI process loads no NLP library, and the split only has to
keep outlines apart, not be linguistically exact.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from framelens import store

from .highlight import line_rects
from framelens.desktop.widgets.theme import chip_icon

NO_CODE_COLOR = "#7F7F7F"
MORE_COLOR = "#808080"
DASHED, CURRENT, MORE = "dashed", "dashed-current", "more"
MAX_PER_SENTENCE = 2
_SENTENCE_END = re.compile(r"[.!?…]+[\"'’”»)\]]*(?=\s)|[。！？]+[」』”）]*|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``text`` cut into consecutive (start, end) pieces, code points, covering all of it:
    a piece ends after ``. ! ? …`` (with closing quotes or brackets) followed by a space, after
    a CJK full stop, or at a line break."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            out.append((start, m.end()))
            start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


@dataclass
class SuggestionMark:
    suggestion_id: int
    start: int          # document positions
    end: int
    color: str
    label: str = ""
    score: float = 0.0


@dataclass
class SuggestionPaint:
    """What was drawn for one suggestion on one line, or one "+n" tag (tests, hover)."""

    suggestion_id: int  # the outline's suggestion; 0 for a "+n" tag
    start: int
    end: int
    rect: QRectF
    style: str          # "dashed", "dashed-current" or "more"
    color: str
    hidden: int = 0     # for a "+n" tag: how many outlines its sentence does not show


@dataclass
class _More:
    position: int       # document position just after the sentence's last character
    hidden: int


class SuggestionLayer:
    """The open suggestions shown over one reader (at most :data:`MAX_PER_SENTENCE` outlines a
    sentence, see the module docstring)."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self.article_id: int | None = None
        self.marks: list[SuggestionMark] = []       # every suggestion given, document order
        self.drawn: list[SuggestionMark] = []       # the outlines the density rule keeps
        self.more: list[_More] = []                 # "+n" per sentence that hides some
        self._starts: list[int] = []
        self._drawn_starts: list[int] = []
        self._max_len = 0
        self.current_id: int | None = None
        self.visible = True
        self.last_paint: list[SuggestionPaint] = []
        reader.after_paint_hooks.append(self.paint)

    @classmethod
    def of(cls, reader) -> "SuggestionLayer":
        """The reader's layer, attached on first use."""
        layer = getattr(reader, "suggestion_layer", None)
        if layer is None:
            layer = cls(reader)
            reader.suggestion_layer = layer
        return layer

    # -- content ------------------------------------------------------------------------------
    def set_suggestions(self, article_id: int | None, items: list[tuple]) -> None:
        """``items``: (suggestion id, start, end, colour, label[, score]), code points."""
        index = self.reader.index
        n = index.cp_length
        article = getattr(self.reader, "article", None)
        text = article.text if article is not None and article.id == article_id else ""
        pieces = sentence_spans(text)
        piece_starts = [a for a, _b in pieces]
        piece_ends = [a + len(text[a:b].rstrip()) for a, b in pieces]   # "+n" sits after the text
        marks, by_sentence = [], {}
        for sid, start, end, color, label, *rest in items:
            if not 0 <= start < end <= n:
                continue
            m = SuggestionMark(sid, index.to_utf16(start), index.to_utf16(end),
                               color or NO_CODE_COLOR, label, float(rest[0]) if rest else 0.0)
            marks.append(m)
            k = bisect_right(piece_starts, start) - 1
            by_sentence.setdefault(k, []).append((m, piece_ends[k] if k >= 0 else end))
        marks.sort(key=lambda m: (m.start, -m.end, m.suggestion_id))
        drawn, more = [], []
        for k, group in by_sentence.items():
            spans: dict[tuple[int, int], list[SuggestionMark]] = {}
            for m, _end in group:
                spans.setdefault((m.start, m.end), []).append(m)
            ranked = sorted(spans.values(), key=lambda ms: (-max(x.score for x in ms),
                                                            ms[0].start, -ms[0].end))
            for ms in ranked[:MAX_PER_SENTENCE]:
                best = max(ms, key=lambda x: (x.score, -x.suggestion_id))
                drawn.append(SuggestionMark(best.suggestion_id, best.start, best.end, best.color,
                                            " · ".join(dict.fromkeys(x.label for x in ms)),
                                            best.score))
            if len(ranked) > MAX_PER_SENTENCE:
                more.append(_More(index.to_utf16(min(group[0][1], n)),
                                  len(ranked) - MAX_PER_SENTENCE))
        drawn.sort(key=lambda m: (m.start, -m.end, m.suggestion_id))
        more.sort(key=lambda x: x.position)
        self.article_id = article_id
        self.marks, self.drawn, self.more = marks, drawn, more
        self._starts = [m.start for m in marks]
        self._drawn_starts = [m.start for m in drawn]
        self._max_len = max((m.end - m.start for m in marks), default=0)
        if self.current_id is not None and all(m.suggestion_id != self.current_id for m in marks):
            self.current_id = None
        self.reader.viewport().update()

    def clear(self) -> None:
        self.set_suggestions(None, [])

    def set_current(self, suggestion_id: int | None) -> None:
        if suggestion_id != self.current_id:
            self.current_id = suggestion_id
            self.reader.viewport().update()

    def set_visible(self, on: bool) -> None:
        if on != self.visible:
            self.visible = on
            self.reader.viewport().update()

    def ids(self) -> list[int]:
        return [m.suggestion_id for m in self.marks]

    def drawn_ids(self) -> list[int]:
        """The suggestions with an outline of their own (the density rule's choice)."""
        return [m.suggestion_id for m in self.drawn]

    def hidden_count(self) -> int:
        """How many distinct spans the "+n" tags stand for."""
        return sum(x.hidden for x in self.more)

    def intersecting(self, start: int, end: int, *, drawn_only: bool = False) -> list[SuggestionMark]:
        marks, starts = (self.drawn, self._drawn_starts) if drawn_only else (self.marks, self._starts)
        lo = bisect_left(starts, start - self._max_len)
        out = []
        for m in marks[lo:]:
            if m.start >= end:
                break
            if m.end > start:
                out.append(m)
        return out

    def _shows_article(self) -> bool:
        article = self.reader.article
        return article is not None and article.id == self.article_id

    # -- painting -----------------------------------------------------------------------------
    def paint(self, reader, painter: QPainter, clip) -> None:
        """Draw the outlines and "+n" tags in the visible part (from the reader's paintEvent)."""
        if not self.visible or not self.marks or not self._shows_article():
            self.last_paint = []
            return
        vp = reader.viewport().rect()
        first = reader.cursorForPosition(vp.topLeft()).position()
        last = reader.cursorForPosition(vp.bottomRight()).position() + 1
        doc = reader.document()
        records: list[SuggestionPaint] = []
        painter.save()
        painter.setClipRect(clip)
        painter.translate(-reader.horizontalScrollBar().value(), -reader.verticalScrollBar().value())
        painter.setRenderHint(QPainter.Antialiasing, False)
        current = next((m for m in self.intersecting(first, last)
                        if m.suggestion_id == self.current_id), None)
        for m in self.intersecting(first, last, drawn_only=True):
            if m.suggestion_id != self.current_id:
                records += self._outline(painter, doc, m, DASHED)
        if current is not None:
            records += self._outline(painter, doc, current, CURRENT)
        lo = bisect_left([x.position for x in self.more], first)
        for x in self.more[lo:]:
            if x.position > last:
                break
            records += self._more_tag(painter, doc, x)
        painter.restore()
        self.last_paint = records

    @staticmethod
    def _outline(painter: QPainter, doc, m: SuggestionMark, style: str) -> list[SuggestionPaint]:
        color = QColor(m.color)
        pen = QPen(color, 2.2 if style == CURRENT else 1.2, Qt.DashLine)
        pen.setCapStyle(Qt.FlatCap)
        out = []
        for rect, _gap, a, b in line_rects(doc, m.start, m.end):
            frame = rect.adjusted(-1.5, -0.5, 1.5, 0.5)
            if style == CURRENT:
                tint = QColor(color)
                tint.setAlphaF(0.10)
                painter.fillRect(frame, tint)
            painter.setPen(pen)
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(frame)
            out.append(SuggestionPaint(m.suggestion_id, a, b, frame, style, m.color))
        return out

    @staticmethod
    def _more_tag(painter: QPainter, doc, x: _More) -> list[SuggestionPaint]:
        """A small grey "+n" just after the sentence's last character."""
        rects = line_rects(doc, max(0, x.position - 1), x.position)
        if not rects:
            return []
        rect = rects[-1][0]
        font = QFont(painter.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.7))
        painter.setFont(font)
        text = f"+{x.hidden}"
        width = painter.fontMetrics().horizontalAdvance(text) + 4
        box = QRectF(rect.right() + 1, rect.top(), width, rect.height() * 0.6)
        painter.setPen(QColor(MORE_COLOR))
        painter.drawText(box, int(Qt.AlignLeft | Qt.AlignTop), text)
        return [SuggestionPaint(0, x.position, x.position, box, MORE, MORE_COLOR, x.hidden)]


class QueueModel(QAbstractTableModel):
    """The open suggestions of the open articles: label, score, suggester, passage."""

    HEADERS = ("Label", "Score", "By", "Passage")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[store.Suggestion] = []
        self.texts: dict[int, str] = {}
        self.colors: dict[int, str] = {}
        self._icons: dict[str, object] = {}

    def set_rows(self, rows, texts, colors) -> None:
        self.beginResetModel()
        self.rows, self.texts, self.colors = rows, texts, colors
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        s, col = self.rows[index.row()], index.column()
        if role == Qt.DisplayRole:
            if col == 0:
                return s.label
            if col == 1:
                return f"{s.score:.2f}"
            if col == 2:
                return s.suggester
            return " ".join(self.texts.get(s.article_id, "")[s.start:s.end].split())[:140]
        if role == Qt.ToolTipRole:
            return s.rationale or ""
        if role == Qt.DecorationRole and col == 0:
            color = self.colors.get(s.id, NO_CODE_COLOR)
            if color not in self._icons:
                self._icons[color] = chip_icon(color)
            return self._icons[color]
        if role == Qt.TextAlignmentRole and col == 1:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None
