"""Coding stripes in the reader's margin, with code names, as QDA tools show them.

Beside the text of each reader, every coded span that is shown gets one vertical stripe in its
code's colour, from the top of its first line to the bottom of its last.  Stripes whose vertical
extents overlap stand side by side in *lanes* (greedy interval colouring over the extents, so two
spans on one line never share a lane, whether or not their characters overlap); lane 0 is next to
the text.  The code's name is written along the stripe, rotated to read from top to bottom; it
may run on below a short stripe as far as the next stripe of its lane, and is elided beyond that.
Other coders' stripes are dashed and their label carries the coder's initials.  Hovering shows
code, coder, quote and memo; a click selects the span in the text (then a code key re-codes
it as a new span, the context menu recodes or deletes it).

The margin stands on the text's leading side (left, or right for a right-to-left article), in
the blank side margin that centres the text's measure, a few pixels from the text; it grows by one
lane width per lane, and when the column is too narrow the side margin widens to hold it.  Geometry (extents and lanes)
is computed once per change of the spans or of the layout, for all spans — a binary search per
span end, no painting — and painting walks only the stripes that cross the repainted rows.
``last_paint`` keeps what was drawn (margin coordinates, the viewport's y), for tests.

The stripes can be switched off for every reader at once (context menu of the text or the margin,
or the action from :func:`stripes_action` in the View menu); the choice is remembered in
QSettings under ``view/codingStripes``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

SETTING = "view/codingStripes"
BAR_W = 3.0            # stripe width, px
PAD = 4                # space between the margin and the text
MAX_LABEL = 320.0      # longest label run, px
QUOTE_CHARS = 220      # quote length shown on hover


@dataclass
class StripeRecord:
    """One stripe as drawn: margin coordinates (y as in the viewport)."""

    ann_id: int
    code: str
    label: str          # the text written (elided), "" when there was no room
    lane: int
    top: float
    bottom: float
    x: float            # left edge of the stripe
    style: str          # "mine" or "other"


@dataclass
class _Geometry:
    ann_id: int
    top: float          # document coordinates
    bottom: float
    lane: int = 0
    room: float = 0.0   # length available to the label, from ``top``


class StripePreference(QObject):
    """Whether coding stripes are shown; one for the application, so every reader follows."""

    changed = Signal(bool)
    _instance: "StripePreference | None" = None

    @classmethod
    def instance(cls) -> "StripePreference":
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def enabled(self) -> bool:
        value = QSettings().value(SETTING, True)
        return value not in (False, "false", "0", 0)

    def set_enabled(self, on: bool) -> None:
        if on == self.enabled():
            return
        QSettings().setValue(SETTING, bool(on))
        self.changed.emit(bool(on))


def stripes_action(parent: QObject) -> QAction:
    """A checkable "Coding stripes in the margin" action bound to the preference (View menu)."""
    pref = StripePreference.instance()
    act = QAction("Coding &stripes in the margin", parent, checkable=True)
    act.setChecked(pref.enabled())
    act.setStatusTip("Show a stripe with the code's name beside every coded passage")
    act.toggled.connect(pref.set_enabled)
    pref.changed.connect(act.setChecked)
    return act


def _line_extent(doc, pos: int) -> tuple[float, float] | None:
    """Top and bottom (document coordinates) of the laid-out line holding position ``pos``."""
    block = doc.findBlock(pos)
    if not block.isValid():
        return None
    layout = block.layout()
    line = layout.lineForTextPosition(pos - block.position())
    if not line.isValid():
        return None
    top = doc.documentLayout().blockBoundingRect(block).top() + line.y()
    return top, top + line.height()


class CodingMargin(QWidget):
    """The stripes of one reader (a child of the reader, placed beside its viewport)."""

    def __init__(self, reader):
        super().__init__(reader)
        self.reader = reader
        self.trailing = False               # True: on the right (right-to-left article)
        self.last_paint: list[StripeRecord] = []
        self._geometry: list[_Geometry] = []
        self._key = None
        self._lanes = 0
        self.setMouseTracking(True)
        self.setAttribute(Qt.WA_OpaquePaintEvent)   # paints its whole rect: nothing under it
        font = QFont(reader.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.72))
        self.label_font = font
        fm = QFontMetricsF(font)
        self.lane_width = BAR_W + 3.0 + fm.height() + 2.0
        self._ascent, self._descent = fm.ascent(), fm.descent()
        pref = StripePreference.instance()
        pref.changed.connect(self._preference_changed)
        self.enabled = pref.enabled()
        reader.verticalScrollBar().valueChanged.connect(lambda _v: self.update())
        reader.document().documentLayout().documentSizeChanged.connect(lambda _s: self.refresh())

    # -- geometry ------------------------------------------------------------------------------
    def _layout_key(self):
        r = self.reader
        return (r.layer.version, id(r.document()), r.viewport().width(), r._side_margin,
                r.document().documentLayout().documentSize().height())

    def geometry_of_spans(self) -> list[_Geometry]:
        """Extents and lanes of every shown span (cached until the spans or layout change)."""
        key = self._layout_key()
        if key == self._key:
            return self._geometry
        doc = self.reader.document()
        out: list[_Geometry] = []
        for span in self.reader.layer:
            first = _line_extent(doc, span.start)
            last = _line_extent(doc, max(span.start, span.end - 1))
            if first is None or last is None:
                continue
            out.append(_Geometry(span.ann_id, first[0], max(first[1], last[1])))
        out.sort(key=lambda g: (g.top, -g.bottom, g.ann_id))
        lane_ends: list[float] = []
        lane_members: list[list[_Geometry]] = []
        for g in out:
            for lane, end in enumerate(lane_ends):
                if end <= g.top:
                    break
            else:
                lane = len(lane_ends)
                lane_ends.append(0.0)
                lane_members.append([])
            g.lane = lane
            lane_ends[lane] = g.bottom + 2.0
            lane_members[lane].append(g)
        for members in lane_members:          # a label may run on to the next stripe of its lane
            for g, nxt in zip(members, members[1:] + [None]):
                limit = nxt.top - 6.0 if nxt is not None else g.top + MAX_LABEL
                g.room = min(MAX_LABEL, max(g.bottom - g.top, limit - g.top))
        self._geometry, self._key = out, key
        self._lanes = len(lane_ends)
        return out

    def wanted_width(self) -> int:
        if not self.enabled or self.reader.article is None:
            return 0
        self.geometry_of_spans()
        return int(round(max(1, self._lanes) * self.lane_width)) + PAD

    def refresh(self) -> None:
        """Re-place the margin after a change of spans, layout or preference, and repaint."""
        width = self.wanted_width()
        if width == 0:
            self.last_paint = []
        self.reader.place_margin(width)
        self.update()

    def _preference_changed(self, on: bool) -> None:
        self.enabled = on
        self.refresh()

    # -- painting ------------------------------------------------------------------------------
    def _stripe_x(self, lane: int) -> float:
        """Left edge of the stripe of ``lane`` (lane 0 next to the text)."""
        inner = lane * self.lane_width + PAD
        if self.trailing:
            return inner
        return self.width() - inner - BAR_W

    def paintEvent(self, event) -> None:
        self.last_paint = []
        if not self.enabled or self.reader.article is None:
            return
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.reader.viewport().palette().color(QPalette.Base))
        scroll = self.reader.verticalScrollBar().value()
        clip_top, clip_bottom = event.rect().top() + scroll, event.rect().bottom() + 1 + scroll
        geometry = self.geometry_of_spans()
        # stripes are sorted by top; the longest one bounds how far back one may start
        tops = [g.top for g in geometry]
        longest = max((max(g.bottom - g.top, g.room) for g in geometry), default=0.0)
        lo = bisect_right(tops, clip_top - longest - 1)
        hi = bisect_right(tops, clip_bottom)
        light = self.palette().color(QPalette.Window).lightness() >= 128
        painter.setFont(self.label_font)
        for g in geometry[lo:hi]:
            if g.bottom < clip_top and g.top + g.room < clip_top:
                continue
            span = self.reader.layer.get(g.ann_id)
            if span is None:
                continue
            self._paint_stripe(painter, g, span, scroll, light)
        painter.end()

    def _paint_stripe(self, painter: QPainter, g: _Geometry, span, scroll: int, light: bool) -> None:
        color = QColor(span.color)
        x = self._stripe_x(g.lane)
        top, bottom = g.top - scroll, g.bottom - scroll
        if span.mine:
            painter.fillRect(QRectF(x, top, BAR_W, bottom - top), color)
        else:
            pen = QPen(color, BAR_W, Qt.CustomDashLine)
            pen.setDashPattern([2.0, 1.5])          # in pen widths: short dashes on short stripes
            pen.setCapStyle(Qt.FlatCap)
            painter.setPen(pen)
            painter.drawLine(QPointF(x + BAR_W / 2, top), QPointF(x + BAR_W / 2, bottom))
        name = span.code if span.mine else f"{span.code} · {_initials(span.coder)}"
        fm = painter.fontMetrics()
        room = g.room - 4.0
        label = fm.elidedText(name, Qt.ElideRight, int(room)) if room >= fm.height() else ""
        if label == "…":
            label = ""
        if label:
            text_color = color.darker(170) if light else color.lighter(150)
            painter.setPen(text_color)
            painter.save()
            if self.trailing:                  # label outside the stripe, to its right
                painter.translate(x + BAR_W + 2.0 + self._descent, top + 2.0)
            else:                              # label outside the stripe, to its left
                painter.translate(x - 2.0 - self._ascent, top + 2.0)
            painter.rotate(90)
            if span.mine:
                painter.drawText(QPointF(0, 0), label)
            else:
                font = QFont(self.label_font)
                font.setItalic(True)
                painter.setFont(font)
                painter.drawText(QPointF(0, 0), label)
                painter.setFont(self.label_font)
            painter.restore()
        self.last_paint.append(StripeRecord(g.ann_id, span.code, label, g.lane, top, bottom, x,
                                            "mine" if span.mine else "other"))

    # -- interaction ---------------------------------------------------------------------------
    def stripe_at(self, x: float, y: float) -> int | None:
        """The annotation whose stripe (or label) is under margin point (x, y)."""
        scroll = self.reader.verticalScrollBar().value()
        doc_y = y + scroll
        for g in self.geometry_of_spans():
            sx = self._stripe_x(g.lane)
            left = sx if self.trailing else sx - (self.lane_width - BAR_W) + 1
            right = sx + self.lane_width - 1 if self.trailing else sx + BAR_W + 1
            if left <= x <= right and g.top <= doc_y <= g.top + max(g.bottom - g.top, g.room):
                return g.ann_id
        return None

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            ann_id = self.stripe_at(event.pos().x(), event.pos().y())
            ann = self.reader.annotations.get(ann_id) if ann_id is not None else None
            if ann is not None:
                QToolTip.showText(event.globalPos(), self.tooltip(ann), self,
                                  QRect(event.pos(), event.pos()))
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    @staticmethod
    def tooltip(ann) -> str:
        quote = ann.quote if len(ann.quote) <= QUOTE_CHARS else ann.quote[:QUOTE_CHARS] + "…"
        memo = f"<br><i>{_esc(ann.memo)}</i>" if ann.memo else ""
        return (f"<span style='color:{ann.color}'>■</span> <b>{_esc(ann.code)}</b> — "
                f"{_esc(ann.coder)}<br>“{_esc(quote)}”{memo}")

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.LeftButton:
            return super().mousePressEvent(event)
        ann_id = self.stripe_at(event.position().x(), event.position().y())
        ann = self.reader.annotations.get(ann_id) if ann_id is not None else None
        if ann is not None:
            self.reader.select_span(ann.start, ann.end)
            event.accept()

    def contextMenuEvent(self, event) -> None:
        self.reader.margin_menu(event, self.stripe_at(event.pos().x(), event.pos().y()))


def _initials(name: str) -> str:
    parts = [p for p in name.replace("_", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def _esc(text: str | None) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
