"""The gutters between the columns of an alignment, and where a passage lies in its column.

``GutterSplitter`` is the comparison's splitter: while an alignment is shown its handles widen
into gutters whose ``paintEvent`` asks the alignment controller to draw a band from each visible
passage to its counterpart in the next column (``AlignmentController.paint_gutter``).

A gutter repaints on every scroll step of either column, for every link between the two
columns, so where a passage lies must be cheap to ask: :class:`PassageGeometry` looks only at
the passage's first and last line (not every line between, as ``highlight.line_rects`` does for
painting), caches the answer per reader and layout (text revision, viewport width, laid-out
height: anything that reflows the text starts a new cache), and does not ask the layout at all
for passages more than a screen above or below the visible text (they are only placed above or
below it, which is all a band to them needs).  The former way — ``line_rects`` of every linked
passage on every repaint — took 89 ms of the UI thread for one repaint of a 3-column story.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSplitter, QSplitterHandle

GUTTER = 30


class GutterHandle(QSplitterHandle):
    """A splitter handle that, while an alignment is shown, draws the links between the passages
    of the column on its left and the column on its right."""

    def paintEvent(self, event) -> None:
        splitter = self.splitter()
        links = getattr(splitter, "links", None)
        if not links:
            super().paintEvent(event)
            return
        index = next((i for i in range(splitter.count()) if splitter.handle(i) is self), -1)
        if index <= 0:
            return
        left, right = splitter.widget(index - 1), splitter.widget(index)
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), self.palette().window())
        self.drawn = links.paint_gutter(p, self, left, right)
        p.end()


class GutterSplitter(QSplitter):
    """The comparison's splitter; ``links`` (an ``AlignmentController``) draws gutters."""

    def __init__(self, *args):
        super().__init__(*args)
        self.links = None

    def createHandle(self) -> QSplitterHandle:
        return GutterHandle(self.orientation(), self)

    def set_links(self, links) -> None:
        self.links = links
        self.setHandleWidth(GUTTER if links else 1)
        for i in range(self.count()):
            self.handle(i).update()


def passage_doc_y(doc, start: int, end: int) -> tuple[float, float] | None:
    """Top of the first line and bottom of the last line of document positions [start, end)
    (document coordinates); None when the text there is not laid out or the range is empty."""
    if end <= start:
        return None
    layout = doc.documentLayout()
    edges = []
    for pos, bottom in ((start, False), (end - 1, True)):
        block = doc.findBlock(pos)
        if not block.isValid() or block.layout() is None:
            return None
        line = block.layout().lineForTextPosition(pos - block.position())
        if not line.isValid():
            return None
        y = layout.blockBoundingRect(block).top() + line.y()
        edges.append(y + line.height() if bottom else y)
    return edges[0], edges[1]


def passage_y(reader, start: int, end: int) -> tuple[float, float] | None:
    """Top and bottom of a passage (code points) in the reader's viewport coordinates."""
    y = passage_doc_y(reader.document(), reader.index.to_utf16(start), reader.index.to_utf16(end))
    if y is None:
        return None
    off = reader.verticalScrollBar().value()
    return y[0] - off, y[1] - off


def _clamp(y: tuple[float, float], height: float, edges: bool) -> tuple[float, float] | None:
    """The visible part of a passage; one scrolled out of view becomes a sliver at the edge it
    lies beyond when ``edges`` (the selected passage's links), else None."""
    if y[1] <= 0:
        return (0.0, 4.0) if edges else None
    if y[0] >= height:
        return (height - 4.0, height) if edges else None
    return max(y[0], 0.0), min(y[1], height)


class PassageGeometry:
    """Where passages lie in their readers, for the gutters: see the module docstring."""

    CACHE_ATTR = "_alignment_passage_y"

    def __init__(self) -> None:
        self.computed = 0           # passages whose lines were looked up (for tests and bench)

    def view(self, reader) -> "_ReaderView":
        """What one repaint needs of ``reader``: its visible range and its cache."""
        return _ReaderView(self, reader)

    def forget(self, readers) -> None:
        for reader in readers:
            if hasattr(reader, self.CACHE_ATTR):
                delattr(reader, self.CACHE_ATTR)


class _ReaderView:
    def __init__(self, geometry: PassageGeometry, reader) -> None:
        self.geometry, self.reader = geometry, reader
        doc, vp = reader.document(), reader.viewport()
        self.height = float(vp.height())
        self.offset = reader.verticalScrollBar().value()
        # a screen above and below the visible text: passages beyond are only "above"/"below"
        self.near_first = reader.cursorForPosition(QPoint(0, -vp.height())).position()
        self.near_last = reader.cursorForPosition(QPoint(vp.width(), 2 * vp.height())).position()
        key = (doc.revision(), vp.width(), round(doc.documentLayout().documentSize().height()))
        held = getattr(reader, PassageGeometry.CACHE_ATTR, None)
        if held is None or held[0] != key:
            held = (key, {})
            setattr(reader, PassageGeometry.CACHE_ATTR, held)
        self.cache: dict = held[1]

    def y(self, start: int, end: int, hot: bool = False) -> tuple[float, float] | None:
        """Top and bottom of a passage (code points) in viewport coordinates; for a passage far
        above or below the visible text, a placeholder beyond that edge."""
        q0, q1 = self.reader.index.to_utf16(start), self.reader.index.to_utf16(end)
        if q1 <= self.near_first:
            return (-8.0, -4.0)
        if q0 > self.near_last:
            return (self.height + 4.0, self.height + 8.0)
        found = self.cache.get((q0, q1))
        if found is None:
            found = passage_doc_y(self.reader.document(), q0, q1)
            self.geometry.computed += 1
            if found is None:
                return None
            self.cache[(q0, q1)] = found
        return found[0] - self.offset, found[1] - self.offset
