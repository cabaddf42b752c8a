"""Overlay marks painted under a reader's text: alignment frames and hatching, word-diff marks.

A feature puts marks on a reader with ``Reader.set_overlays(layer, [(start, end, style)…])``
(code points) and registers one :class:`~framelens.desktop.shell.registry.PaintLayer` that draws
its layer (:func:`overlay_layer`); the reader paints the registered layers of negative ``z``
under the code highlights and the text.  Styles: the clicked passage (``selected``) and its
counterparts framed, with a bar in the left margin (kept apart from the code highlights, which are
tints and underline bars); ``only_here`` passages hatched; ``delete`` struck through in red,
``insert`` underlined in green.  Only lines that intersect the visible part are asked for their
rectangles.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from framelens.desktop.shell.registry import PaintLayer

from .highlight import line_rects

COLORS = {"selected": "#E8590C", "counterpart": "#1C7ED6", "delete": "#E03131",
          "insert": "#2F9E44", "only_here": "#868E96"}


def overlay_layer(feature: str, layer: str, z: int) -> PaintLayer:
    """The paint layer that draws a reader's overlay marks of ``layer`` (z < 0: under the text);
    inactive — no painter made — while the reader has no marks of that layer."""
    return PaintLayer(feature, layer, lambda reader, painter, clip: paint_overlays(
        reader, painter, clip, layers=(layer,)), z=z,
        active=lambda reader: bool(reader.overlay_layers.get(layer)))


@dataclass
class OverlayPaint:
    """What was drawn for one overlay (document positions): for tests and hover."""

    layer: str
    style: str
    start: int
    end: int
    rect: QRectF


def paint_overlays(reader, painter: QPainter, clip,
                   layers: tuple[str, ...] | None = None) -> list[OverlayPaint]:
    """Draw the overlay layers of ``reader`` (all, or those named in ``layers``) that intersect
    the visible part; the painter is on the viewport.  Returns what was drawn."""
    vp = reader.viewport().rect()
    first = reader.cursorForPosition(vp.topLeft()).position()
    last = reader.cursorForPosition(vp.bottomRight()).position() + 1
    doc = reader.document()
    margin = doc.rootFrame().frameFormat().leftMargin()
    records: list[OverlayPaint] = []
    painter.save()
    painter.setClipRect(clip)
    painter.translate(-reader.horizontalScrollBar().value(), -reader.verticalScrollBar().value())
    painter.setRenderHint(QPainter.Antialiasing)
    for layer, overlays in reader.overlay_layers.items():
        if layers is not None and layer not in layers:
            continue
        for start, end, style in overlays:
            if end <= first or start >= last:
                continue
            rects = line_rects(doc, start, end)
            if not rects:
                continue
            _paint_one(painter, style, [r for r, *_ in rects], margin)
            for r, _gap, a, b in rects:
                records.append(OverlayPaint(layer, style, a, b, r))
    painter.restore()
    return records


def _paint_one(painter: QPainter, style: str, rects: list[QRectF], margin: float) -> None:
    color = QColor(COLORS.get(style, "#888888"))
    if style == "only_here":
        tint = QColor(color)
        tint.setAlphaF(0.10)
        hatch = QColor(color)
        hatch.setAlphaF(0.35)
        for r in rects:
            painter.fillRect(r, tint)
            painter.fillRect(r, QBrush(hatch, Qt.BDiagPattern))
        return
    if style in ("delete", "insert"):
        tint = QColor(color)
        tint.setAlphaF(0.20)
        painter.setPen(QPen(color, 1.6))
        for r in rects:
            painter.fillRect(r, tint)
            y = r.center().y() if style == "delete" else r.bottom() - 1
            painter.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
        return
    # selected / counterpart: one frame around the passage's lines, a bar in the left margin
    path = QPainterPath()
    path.setFillRule(Qt.WindingFill)          # so that simplified() is the union of the lines
    for i, r in enumerate(rects):
        bottom = rects[i + 1].top() + 1 if i + 1 < len(rects) else r.bottom()
        path.addRect(QRectF(r.left() - 3, r.top() - 1, r.width() + 6, bottom - r.top() + 2))
    path = path.simplified()
    fill = QColor(color)
    fill.setAlphaF(0.07)
    painter.fillPath(path, fill)
    painter.setPen(QPen(color, 1.3))
    painter.setBrush(Qt.NoBrush)
    painter.drawPath(path)
    top, bottom = rects[0].top(), rects[-1].bottom()
    painter.fillRect(QRectF(max(2.0, margin - 10), top, 4, bottom - top), color)
