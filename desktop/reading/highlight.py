"""Span painting: the span list of one reader and how it is drawn under the text.

Approach (custom paint, not QTextCharFormat): each visible span gets a semi-transparent
background in its code's colour (alpha ~0.32 for the current coder, ~0.14 for other coders), and
a coloured underline *bar* drawn in the line-spacing gap below the text.  Overlapping spans are
put in different *lanes* (greedy interval colouring), so nested and overlapping spans show as
stacked bars, each in its own code's colour, while their backgrounds blend.  Other coders'
bars are dashed.  The text itself is drawn once by Qt, on top, so it stays crisp.

The layer keeps spans sorted by start; adding or removing one span reports the document range
whose look changed (the span plus any span whose lane moved), so the reader repaints only that.
Positions here are QTextDocument positions (UTF-16 units); the reader converts from code points.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextDocument

MINE_ALPHA = 0.32
OTHER_ALPHA = 0.14
BAR = 2.0          # underline bar thickness, px
BAR_STEP = 3.0     # distance between stacked bars, px


@dataclass
class Span:
    """One annotation as the reader paints it (document positions, end exclusive)."""

    ann_id: int
    start: int
    end: int
    code_id: int
    code: str
    color: str
    coder_id: int
    coder: str
    memo: str | None = None
    mine: bool = True
    lane: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.start, -self.end, self.ann_id)


@dataclass
class PaintRecord:
    """What was drawn for one span on one line: used by tests and the hover logic."""

    ann_id: int
    start: int
    end: int
    lane: int
    rect: QRectF
    style: str  # "mine" or "other"


class SpanLayer:
    """The spans shown in one reader, kept sorted, with lanes for stacked underline bars."""

    def __init__(self) -> None:
        self._spans: list[Span] = []
        self._keys: list[tuple[int, int, int]] = []
        self._by_id: dict[int, Span] = {}
        self._max_len = 0
        self.lane_count = 0
        self.version = 0          # bumped on every change (the margin caches its geometry by it)

    def __len__(self) -> int:
        return len(self._spans)

    def __iter__(self):
        return iter(self._spans)

    def get(self, ann_id: int) -> Span | None:
        return self._by_id.get(ann_id)

    def set_spans(self, spans: list[Span]) -> None:
        self.version += 1
        self._spans = sorted(spans, key=lambda s: s.key)
        self._keys = [s.key for s in self._spans]
        self._by_id = {s.ann_id: s for s in self._spans}
        self._max_len = max((s.end - s.start for s in self._spans), default=0)
        self._assign_lanes()

    def upsert(self, span: Span) -> tuple[int, int]:
        """Add or replace a span; returns the document range to repaint."""
        self.version += 1
        dirty = [(span.start, span.end)]
        old = self._by_id.get(span.ann_id)
        if old is not None:
            dirty.append((old.start, old.end))
            self._remove(old)
        i = bisect_left(self._keys, span.key)
        self._keys.insert(i, span.key)
        self._spans.insert(i, span)
        self._by_id[span.ann_id] = span
        self._max_len = max(self._max_len, span.end - span.start)
        dirty += self._assign_lanes()
        return min(a for a, _ in dirty), max(b for _, b in dirty)

    def remove(self, ann_id: int) -> tuple[int, int] | None:
        span = self._by_id.get(ann_id)
        if span is None:
            return None
        self.version += 1
        self._remove(span)
        dirty = [(span.start, span.end)] + self._assign_lanes()
        return min(a for a, _ in dirty), max(b for _, b in dirty)

    def _remove(self, span: Span) -> None:
        i = bisect_left(self._keys, span.key)
        del self._keys[i]
        del self._spans[i]
        del self._by_id[span.ann_id]

    def _assign_lanes(self) -> list[tuple[int, int]]:
        """Greedy interval colouring; returns ranges of spans whose lane changed."""
        lane_ends: list[int] = []
        moved = []
        for s in self._spans:
            for lane, end in enumerate(lane_ends):
                if end <= s.start:
                    break
            else:
                lane = len(lane_ends)
                lane_ends.append(0)
            lane_ends[lane] = s.end
            if s.lane != lane:
                moved.append((s.start, s.end))
                s.lane = lane
        self.lane_count = len(lane_ends)
        return moved

    def intersecting(self, start: int, end: int) -> list[Span]:
        """Spans overlapping the document range [start, end)."""
        lo = bisect_left(self._keys, (start - self._max_len, -(1 << 62), -1))
        out = []
        for s in self._spans[lo:]:
            if s.start >= end:
                break
            if s.end > start:
                out.append(s)
        return out

    def covering(self, pos: int) -> list[Span]:
        return [s for s in self.intersecting(pos, pos + 1) if s.start <= pos < s.end]

    def segments(self, start: int | None = None, end: int | None = None) -> list[tuple[int, int, list[int]]]:
        """Elementary segments of [start, end): (seg_start, seg_end, ids of spans covering it)."""
        if not self._spans:
            return []
        start = self._spans[0].start if start is None else start
        end = max(s.end for s in self._spans) if end is None else end
        spans = self.intersecting(start, end)
        cuts = sorted({start, end, *(p for s in spans for p in (s.start, s.end) if start < p < end)})
        out = []
        for a, b in zip(cuts, cuts[1:]):
            ids = [s.ann_id for s in spans if s.start <= a and s.end >= b]
            if ids:
                out.append((a, b, ids))
        return out


def line_rects(doc: QTextDocument, start: int, end: int) -> list[tuple[QRectF, float, int, int]]:
    """Rectangles (document coordinates) covering [start, end) line by line.

    Each item: (text rect, y of the gap below the line, line start pos, line end pos).
    """
    out = []
    layout = doc.documentLayout()
    block = doc.findBlock(start)
    while block.isValid() and block.position() < end:
        bpos = block.position()
        tl = block.layout()
        origin = layout.blockBoundingRect(block).topLeft()
        for i in range(tl.lineCount()):
            line = tl.lineAt(i)
            ls, le = bpos + line.textStart(), bpos + line.textStart() + line.textLength()
            a, b = max(start, ls), min(end, le)
            if a >= b:
                if ls >= end:
                    break
                continue
            x1 = line.cursorToX(a - bpos)[0]
            x2 = line.cursorToX(b - bpos)[0]
            left, right = min(x1, x2), max(x1, x2)
            top = origin.y() + line.y()
            rect = QRectF(origin.x() + left, top, max(right - left, 2.0), line.height())
            out.append((rect, top + line.height(), a, b))
        block = block.next()
    return out


def paint_spans(painter: QPainter, doc: QTextDocument, spans: list[Span], offset: QPointF,
                lane_count: int, gap: float) -> list[PaintRecord]:
    """Paint backgrounds and stacked bars of ``spans``; returns what was drawn."""
    records: list[PaintRecord] = []
    painter.save()
    painter.translate(offset)
    painter.setPen(Qt.NoPen)
    step = BAR_STEP if lane_count * BAR_STEP <= gap or lane_count <= 1 else max(gap / lane_count, 1.5)
    geometry = []
    for s in spans:
        color = QColor(s.color)
        bg = QColor(color)
        bg.setAlphaF(MINE_ALPHA if s.mine else OTHER_ALPHA)
        for rect, gap_y, a, b in line_rects(doc, s.start, s.end):
            painter.fillRect(rect, bg)
            geometry.append((s, rect, gap_y, a, b))
    for s, rect, gap_y, a, b in geometry:
        color = QColor(s.color)
        y = gap_y + 0.5 + s.lane * step
        if s.mine:
            painter.fillRect(QRectF(rect.left(), y, rect.width(), BAR), color)
        else:
            pen = QPen(color, BAR, Qt.DashLine)
            pen.setCapStyle(Qt.FlatCap)
            painter.setPen(pen)
            painter.drawLine(QPointF(rect.left(), y + BAR / 2), QPointF(rect.right(), y + BAR / 2))
            painter.setPen(Qt.NoPen)
        records.append(PaintRecord(s.ann_id, a, b, s.lane, rect, "mine" if s.mine else "other"))
    painter.restore()
    return records
