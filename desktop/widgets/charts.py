"""Two small charts drawn with QPainter (QtCharts is not part of PySide6-Essentials): a heatmap
(units × categories, e.g. outlet × frame) and horizontal stacked bars (one bar per unit, e.g.
per country, one segment per category).

Both draw through ``draw(painter, width, height)``, used by ``paintEvent`` and by the PNG
(``QImage``) and SVG (``QSvgGenerator``) exports, so an export is exactly what is on screen.
A click on a cell or segment emits ``cellClicked(unit, category)``.

An empty chart draws ``empty_text``: the caller says what would fill it (issue 18: "Nothing to
show" alone left the reader guessing); ``note`` is a line under the title for a chart that has
data but little to compare (one outlet, say).  Both are also the widget's accessible description.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QSizePolicy, QWidget

from .inert import plain_tooltip

EMPTY = "Nothing to show for this selection yet."     # when the caller gives no reason
PALETTE = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2",
           "#7F7F7F", "#BCBD22", "#17BECF", "#AEC7E8", "#FFBB78", "#98DF8A", "#FF9896",
           "#C5B0D5", "#C49C94", "#F7B6D2", "#C7C7C7", "#DBDB8D", "#9EDAE5")


def format_value(value: float | None, percent: bool) -> str:
    if value is None:
        return "–"
    if percent:
        pct = value * 100
        return f"{pct:.0f}%" if pct >= 9.5 or pct == 0 else f"{pct:.1f}%"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.2f}"


def _elide(fm: QFontMetricsF, text: str, width: float) -> str:
    return fm.elidedText(text, Qt.ElideRight, width)


class Chart(QWidget):
    """Shared state of the two charts: data, colours, title, selection, hit areas, exports."""

    cellClicked = Signal(str, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.units: list[str] = []
        self.categories: list[str] = []
        self.values: list[list[float | None]] = []
        self.colors: dict[str, str] = {}
        self.percent = True
        self.title = ""
        self.subtitle = ""
        self.empty_text = EMPTY
        self.note = ""
        self.selected: tuple[str, str] | None = None
        self.hits: list[tuple[QRectF, str, str]] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(320, 220)

    def set_data(self, units, categories, values, *, colors=None, percent=True, title="",
                 subtitle="", empty: str | None = None, note: str = "") -> None:
        self.units, self.categories, self.values = list(units), list(categories), values
        self.colors = dict(colors or {})
        self.percent, self.title, self.subtitle = percent, title, subtitle
        self.empty_text, self.note = empty or EMPTY, note
        self.setAccessibleDescription(self.empty_text if self.is_empty() else note)
        if self.selected and (self.selected[0] not in self.units or self.selected[1] not in self.categories):
            self.selected = None
        self.updateGeometry()
        self.update()

    def is_empty(self) -> bool:
        return not self.units or not self.categories

    def _draw_empty(self, p: QPainter, width: float, y0: float) -> None:
        """The reason the chart is empty and what would fill it, wrapped."""
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(10, y0 + 4, max(width - 20, 40), 120),
                   Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap, self.empty_text)

    def color(self, category: str) -> QColor:
        if category in self.colors:
            return QColor(self.colors[category])
        return QColor(PALETTE[self.categories.index(category) % len(PALETTE)]
                      if category in self.categories else "#888888")

    # -- painting and exports -----------------------------------------------------------------
    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        self.hits = self.draw(p, self.width(), self.height())
        p.end()

    def draw(self, p: QPainter, width: float, height: float) -> list[tuple[QRectF, str, str]]:
        """Draw the chart; returns the clickable areas.  (The base class draws the title.)"""
        self._header(p, width, height)
        return []

    def _header(self, p: QPainter, width: float, height: float) -> float:
        pal = self.palette()
        p.fillRect(QRectF(0, 0, width, height), pal.base())
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 1)
        p.setFont(font)
        p.setPen(pal.text().color())
        fm = QFontMetricsF(font)
        p.drawText(QRectF(10, 6, width - 20, fm.height()), Qt.AlignLeft, _elide(fm, self.title, width - 20))
        y = 6 + fm.height()
        if self.subtitle:
            p.setFont(self.font())
            sub = QColor(pal.text().color())
            sub.setAlphaF(0.65)
            p.setPen(sub)
            fm2 = QFontMetricsF(self.font())
            p.drawText(QRectF(10, y, width - 20, fm2.height()), Qt.AlignLeft,
                       _elide(fm2, self.subtitle, width - 20))
            y += fm2.height()
        if self.note and not self.is_empty():
            p.setFont(self.font())
            fm3 = QFontMetricsF(self.font())
            p.setPen(pal.link().color())
            p.drawText(QRectF(10, y, width - 20, fm3.height()), Qt.AlignLeft,
                       _elide(fm3, self.note, width - 20))
            y += fm3.height()
        p.setFont(self.font())
        return y + 8

    def render_image(self, scale: float = 2.0) -> QImage:
        size = self.export_size()
        image = QImage(int(size.width() * scale), int(size.height() * scale), QImage.Format_ARGB32)
        image.fill(self.palette().base().color())
        p = QPainter(image)
        p.setRenderHint(QPainter.Antialiasing)
        p.scale(scale, scale)
        self.draw(p, size.width(), size.height())
        p.end()
        return image

    def export_png(self, path: str) -> bool:
        return self.render_image().save(str(path), "PNG")

    def export_svg(self, path: str) -> None:
        size = self.export_size()
        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(size)
        gen.setViewBox(QRectF(0, 0, size.width(), size.height()))
        gen.setTitle(self.title)
        gen.setDescription(self.subtitle)
        p = QPainter(gen)
        p.setRenderHint(QPainter.Antialiasing)
        self.draw(p, size.width(), size.height())
        p.end()

    def export_size(self) -> QSize:
        hint = self.sizeHint()
        return QSize(max(self.width(), hint.width()), max(self.height(), hint.height()))

    # -- interaction ------------------------------------------------------------------------------
    def hit(self, pos: QPointF) -> tuple[str, str] | None:
        for rect, unit, cat in self.hits:
            if rect.contains(pos):
                return unit, cat
        return None

    def mousePressEvent(self, event) -> None:
        found = self.hit(event.position())
        if found is not None:
            self.selected = found
            self.update()
            self.cellClicked.emit(*found)

    def mouseMoveEvent(self, event) -> None:
        found = self.hit(event.position())
        if found is None:
            self.setToolTip("")
            self.unsetCursor()
            return
        unit, cat = found
        value = self.values[self.units.index(unit)][self.categories.index(cat)]
        self.setToolTip(plain_tooltip(f"{unit} — {cat}: {format_value(value, self.percent)}\n"
                                      "Click to list the spans behind it"))
        self.setCursor(Qt.PointingHandCursor)

    def cell_center(self, unit: str, category: str) -> QPointF | None:
        """Where a cell or segment was drawn (for tests and keyboard users)."""
        for rect, u, c in self.hits:
            if (u, c) == (unit, category):
                return rect.center()
        return None


class Heatmap(Chart):
    """Units down, categories across; cell colour from the palette's base to the highlight."""

    CELL_H = 26
    MIN_CELL_W = 46

    def _label_sizes(self) -> tuple[float, float]:
        fm = QFontMetricsF(self.font())
        left = min(max((fm.horizontalAdvance(u) for u in self.units), default=40) + 16, 220)
        top = min(max((fm.horizontalAdvance(c) for c in self.categories), default=40), 190) * 0.72 + 16
        return left, top

    def sizeHint(self) -> QSize:
        left, top = self._label_sizes()
        w = left + len(self.categories) * self.MIN_CELL_W + 60
        h = 60 + top + len(self.units) * self.CELL_H + 50
        return QSize(int(max(w, 420)), int(max(h, 240)))

    def draw(self, p: QPainter, width: float, height: float):
        hits: list[tuple[QRectF, str, str]] = []
        y0 = self._header(p, width, height)
        pal = self.palette()
        fm = QFontMetricsF(self.font())
        if self.is_empty():
            self._draw_empty(p, width, y0)
            return hits
        left, top = self._label_sizes()
        legend_h = 34
        cell_w = min((width - left - 20) / len(self.categories), 120)
        for j, cat in enumerate(self.categories):      # rotated labels must end inside
            reach = min(fm.horizontalAdvance(cat), 190) * 0.77
            cell_w = min(cell_w, (width - 10 - left - reach) / (j + 0.5))
        cell_w = max(cell_w, 8)
        cell_h = max(min((height - y0 - top - legend_h) / len(self.units), 44), 14)
        grid_top = y0 + top
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.8, 6.0))
        fonts = (self.font(), small)    # a value is written smaller rather than left out
        vals = [v for row in self.values for v in row if v is not None]
        vmax = max(vals, default=0) or 1.0
        low, high = pal.base().color(), QColor(pal.highlight().color())
        text_color = pal.text().color()
        # column labels, rotated
        for j, cat in enumerate(self.categories):
            x = left + (j + 0.5) * cell_w
            p.save()
            p.translate(x, grid_top - 6)
            p.rotate(-40)
            p.setPen(text_color)
            p.drawText(QPointF(0, 0), _elide(fm, cat, 190))
            p.restore()
        for i, unit in enumerate(self.units):
            y = grid_top + i * cell_h
            p.setPen(text_color)
            p.drawText(QRectF(6, y, left - 12, cell_h), Qt.AlignRight | Qt.AlignVCenter,
                       _elide(fm, unit, left - 12))
            for j, cat in enumerate(self.categories):
                v = self.values[i][j]
                rect = QRectF(left + j * cell_w, y, cell_w, cell_h)
                t = 0.0 if v is None else max(0.0, min(1.0, v / vmax))
                t = math.sqrt(t)                  # small shares stay visible
                fill = QColor(
                    round(low.red() + (high.red() - low.red()) * t),
                    round(low.green() + (high.green() - low.green()) * t),
                    round(low.blue() + (high.blue() - low.blue()) * t))
                p.fillRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), fill if v is not None else pal.window())
                if self.selected == (unit, cat):
                    p.setPen(QPen(pal.text().color(), 2))
                    p.drawRect(rect.adjusted(1, 1, -1, -1))
                label = format_value(v, self.percent) if v is not None else ""
                font = self._fitting_font(label, cell_w - 3, fonts) if cell_h >= 12 else None
                if label and font is not None:
                    faint = QColor(text_color)
                    faint.setAlphaF(0.35)
                    p.setFont(font)
                    p.setPen(pal.highlightedText().color() if t > 0.6 else text_color if v else faint)
                    p.drawText(rect, Qt.AlignCenter, label)
                    p.setFont(self.font())
                hits.append((rect, unit, cat))
        # legend: the colour ramp
        ly = grid_top + len(self.units) * cell_h + 12
        for k in range(100):
            t = math.sqrt(k / 99)
            c = QColor(round(low.red() + (high.red() - low.red()) * t),
                       round(low.green() + (high.green() - low.green()) * t),
                       round(low.blue() + (high.blue() - low.blue()) * t))
            p.fillRect(QRectF(left + k * 1.6, ly, 1.7, 10), c)
        p.setPen(text_color)
        p.drawText(QPointF(left + 168, ly + 10), f"0 – {format_value(vmax, self.percent)}")
        return hits


    @staticmethod
    def _fitting_font(label: str, width: float, fonts) -> QFont | None:
        """The first of ``fonts`` in which ``label`` fits ``width`` (None: none does)."""
        return next((f for f in fonts if QFontMetricsF(f).horizontalAdvance(label) <= width), None)


class StackedBars(Chart):
    """One horizontal bar per unit, one segment per category; ``normalise`` scales each bar to
    100% (for shares of a whole)."""

    BAR_H = 24

    def __init__(self, parent=None):
        super().__init__(parent)
        self.normalise = False

    def sizeHint(self) -> QSize:
        return QSize(560, int(70 + len(self.units) * (self.BAR_H + 10) + self._legend_rows(560) * 20 + 30))

    def _legend_rows(self, width: float) -> int:
        fm = QFontMetricsF(self.font())
        x, rows = 10.0, 1
        for cat in self.categories:
            w = 18 + min(fm.horizontalAdvance(cat), 180) + 14
            if x + w > width - 10:
                rows, x = rows + 1, 10.0
            x += w
        return rows

    def draw(self, p: QPainter, width: float, height: float):
        hits: list[tuple[QRectF, str, str]] = []
        y0 = self._header(p, width, height)
        pal = self.palette()
        fm = QFontMetricsF(self.font())
        text_color = pal.text().color()
        if self.is_empty():
            self._draw_empty(p, width, y0)
            return hits
        left = min(max((fm.horizontalAdvance(u) for u in self.units), default=40) + 16, 200)
        totals = [sum(v or 0 for v in row) for row in self.values]
        scale_max = 1.0 if self.normalise else (max(totals, default=0) or 1.0)
        plot_w = max(width - left - 70, 40)
        legend_h = self._legend_rows(width) * 20 + 10
        bar_h = max(min((height - y0 - legend_h - 10) / max(len(self.units), 1) - 10, 34), 10)
        for i, unit in enumerate(self.units):
            y = y0 + i * (bar_h + 10)
            p.setPen(text_color)
            p.drawText(QRectF(6, y, left - 12, bar_h), Qt.AlignRight | Qt.AlignVCenter,
                       _elide(fm, unit, left - 12))
            x = left
            total = totals[i] or 1.0
            for j, cat in enumerate(self.categories):
                v = self.values[i][j]
                if not v:
                    continue
                share = v / total if self.normalise else v
                w = plot_w * share / scale_max
                rect = QRectF(x, y, w, bar_h)
                p.fillRect(rect, self.color(cat))
                if self.selected == (unit, cat):
                    p.setPen(QPen(text_color, 2))
                    p.drawRect(rect.adjusted(1, 1, -1, -1))
                label = format_value(share if self.normalise else v, self.percent or self.normalise)
                if w > fm.horizontalAdvance(label) + 6:
                    p.setPen(QColor("#FFFFFF"))
                    p.drawText(rect, Qt.AlignCenter, label)
                hits.append((rect, unit, cat))
                x += w
            p.setPen(text_color)
            if not self.normalise:
                p.drawText(QPointF(x + 6, y + bar_h / 2 + fm.ascent() / 2 - 1),
                           format_value(totals[i], self.percent))
        # legend
        ly = y0 + len(self.units) * (bar_h + 10) + 8
        lx = 10.0
        for cat in self.categories:
            name = _elide(fm, cat, 180)
            w = 18 + fm.horizontalAdvance(name) + 14
            if lx + w > width - 10:
                lx, ly = 10.0, ly + 20
            p.fillRect(QRectF(lx, ly + 3, 12, 12), self.color(cat))
            p.setPen(text_color)
            p.drawText(QPointF(lx + 18, ly + 13), name)
            lx += w
        return hits
