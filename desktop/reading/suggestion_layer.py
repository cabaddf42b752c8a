"""How suggestions are shown: dashed outlines in the reading view, in the code's colour (grey
without a code), and the review queue's table model.

Codings are tinted backgrounds with underline bars (``highlight.py``); suggestions are only
outlined — a dashed frame around each line of the span, drawn over the text — so the two never
look alike.  The current suggestion of the review queue gets a thicker frame and a faint tint.

A :class:`SuggestionLayer` attaches to one :class:`desktop.reader.Reader` through its
``after_paint_hooks`` (called with a painter on the viewport after the text is drawn).  Marks
are given in code points and converted with the reader's position index; they belong to one
article and are not drawn once the reader shows another.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from framelens import store

from .highlight import line_rects
from framelens.desktop.widgets.theme import chip_icon

NO_CODE_COLOR = "#7F7F7F"
DASHED, CURRENT = "dashed", "dashed-current"


@dataclass
class SuggestionMark:
    suggestion_id: int
    start: int          # document positions
    end: int
    color: str
    label: str = ""


@dataclass
class SuggestionPaint:
    """What was drawn for one suggestion on one line (tests, hover)."""

    suggestion_id: int
    start: int
    end: int
    rect: QRectF
    style: str          # "dashed" or "dashed-current"
    color: str


class SuggestionLayer:
    """The open suggestions shown over one reader."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self.article_id: int | None = None
        self.marks: list[SuggestionMark] = []
        self._starts: list[int] = []
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
    def set_suggestions(self, article_id: int | None,
                        items: list[tuple[int, int, int, str, str]]) -> None:
        """``items``: (suggestion id, start, end, colour, label), offsets in code points."""
        index = self.reader.index
        n = index.cp_length
        marks = []
        for sid, start, end, color, label in items:
            if 0 <= start < end <= n:
                marks.append(SuggestionMark(sid, index.to_utf16(start), index.to_utf16(end),
                                            color or NO_CODE_COLOR, label))
        marks.sort(key=lambda m: (m.start, -m.end, m.suggestion_id))
        self.article_id = article_id
        self.marks = marks
        self._starts = [m.start for m in marks]
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

    def intersecting(self, start: int, end: int) -> list[SuggestionMark]:
        lo = bisect_left(self._starts, start - self._max_len)
        out = []
        for m in self.marks[lo:]:
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
        """Draw the outlines intersecting the visible part (called from the reader's paintEvent)."""
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
        current = None
        for m in self.intersecting(first, last):
            if m.suggestion_id == self.current_id:
                current = m
                continue
            records += self._outline(painter, doc, m, DASHED)
        if current is not None:
            records += self._outline(painter, doc, current, CURRENT)
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
