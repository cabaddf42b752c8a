"""The reading widget of one article column: plain text, span painting, coding keys.

Article text is set with ``setPlainText`` only (markup shows literally).  Offsets: the store
speaks code points, QTextDocument speaks UTF-16 units; ``annotate.offsets.Utf16Index`` maps
between them (each "\\n" becomes a block separator worth one position, so only astral
characters shift positions).
"""

from __future__ import annotations

import unicodedata
from typing import Callable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QTextBlockFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QApplication, QFrame, QMenu, QTextEdit, QToolTip

from framelens import store
from framelens.annotate.analysis.offsets import Utf16Index

from .margin import CodingMargin, stripes_action
from .highlight import BAR_STEP, PaintRecord, Span, SpanLayer, line_rects, paint_spans
from .qt_positions import QtPositions
from framelens.desktop.widgets.theme import reading_font

LINE_HEIGHT = 140        # percent
MEASURE_CHARS = 72       # comfortable line length
MARGIN_GAP = 8           # between the coding stripes and the text, px


def text_direction(text: str, sample: int = 4000) -> Qt.LayoutDirection:
    """The dominant direction: right-to-left when most strongly directional letters are RTL."""
    rtl = ltr = 0
    for ch in text[:sample]:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    return Qt.RightToLeft if rtl > ltr else Qt.LeftToRight


def initials(name: str) -> str:
    parts = [p for p in name.replace("_", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


class Reader(QTextEdit):
    """Read-only article view that paints coded spans and turns key presses into codings."""

    codeKey = Signal(str)          # a printable key pressed (a code shortcut, maybe)
    undoRequested = Signal()
    redoRequested = Signal()
    focused = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setUndoRedoEnabled(False)
        self.setAcceptRichText(False)
        self.setFrameShape(QFrame.NoFrame)
        self.setFont(reading_font())
        self.setAcceptDrops(False)
        self.article: store.Article | None = None
        self.index = Utf16Index("")
        self.layer = SpanLayer()
        self.annotations: dict[int, store.Annotation] = {}
        self.coder_id: int | None = None
        self.shown: set[int] | None = None
        self.last_paint: list[PaintRecord] = []
        self.menu_hook: Callable[[QMenu, list[store.Annotation]], None] | None = None
        self._side_margin = self._right_margin = -1.0
        self.overlay_layers: dict[str, list[tuple[int, int, str]]] = {}  # layer -> marks (doc positions)
        self._overlay_cp: dict[str, list[tuple[int, int, str]]] = {}     # ... as given (code points)
        self.last_overlay_paint: list = []
        self.after_paint_hooks: list[Callable] = []   # (reader, painter, clip), over the text
        #: the window's registered paint layers (shell/registry.py), given by the comparison
        self.paint_layers: Callable[[], list] = list
        # Alt + a code key codes the exact selection (desktop/reading/coding.py); the coding
        # controller tells the reader which keys are code keys, so other Alt keys stay mnemonics
        self.claims_alt_key: Callable[[str], bool] | None = None
        self._exact_key = False
        self._margin_width = 0
        self._placing_margin = False
        self.margin = CodingMargin(self)               # coding stripes with code names

    # -- loading ------------------------------------------------------------------------------
    def load(self, article: store.Article, annotations: list[store.Annotation], *,
             coder_id: int, shown: set[int] | None) -> None:
        """Show an article (plain text) with its annotations."""
        self.article = article
        self.index = QtPositions(article.text)     # UTF-16, and "\r\n" is one position
        self._side_margin = self._right_margin = -1.0
        doc = self.document()
        doc.setUndoRedoEnabled(False)
        option = QTextOption(doc.defaultTextOption())
        option.setTextDirection(Qt.LayoutDirectionAuto)   # Qt decides per paragraph (bidi)
        option.setWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(option)
        self.setPlainText(article.text)
        self._set_line_height(doc)
        if text_direction(article.text) == Qt.RightToLeft:
            self._neutral_blocks_rtl()
        self.margin.trailing = text_direction(article.text) == Qt.RightToLeft
        self._apply_measure()
        self.coder_id, self.shown = coder_id, shown
        self.annotations = {a.id: a for a in annotations}
        self.overlay_layers, self._overlay_cp = {}, {}
        self._rebuild_layer()
        self.verticalScrollBar().setValue(0)

    @staticmethod
    def _set_line_height(doc) -> None:
        """Line spacing ~1.4 on every paragraph (block by block: much faster than a merge)."""
        fmt = QTextBlockFormat()
        fmt.setLineHeight(LINE_HEIGHT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        block = doc.begin()
        while block.isValid():
            cursor.setPosition(block.position())
            cursor.setBlockFormat(fmt)
            block = block.next()
        cursor.endEditBlock()

    def _neutral_blocks_rtl(self) -> None:
        """In a mostly right-to-left text, lay out paragraphs without strong letters RTL too."""
        block = self.document().begin()
        rtl = QTextBlockFormat()
        rtl.setLayoutDirection(Qt.RightToLeft)
        while block.isValid():
            if not any(unicodedata.bidirectional(ch) in ("L", "R", "AL") for ch in block.text()):
                QTextCursor(block).mergeBlockFormat(rtl)
            block = block.next()

    def clear_article(self) -> None:
        self.article = None
        self.index = Utf16Index("")
        self.annotations = {}
        self.layer.set_spans([])
        self.setPlainText("")
        self.margin.refresh()

    # -- spans ----------------------------------------------------------------------------------
    def _span(self, ann: store.Annotation) -> Span:
        return Span(ann.id, self.index.to_utf16(ann.start), self.index.to_utf16(ann.end),
                    ann.code_id, ann.code, ann.color, ann.coder_id, ann.coder, ann.memo,
                    mine=ann.coder_id == self.coder_id)

    def _visible(self, ann: store.Annotation) -> bool:
        return self.shown is None or ann.coder_id in self.shown

    def _rebuild_layer(self) -> None:
        self.layer.set_spans([self._span(a) for a in self.annotations.values() if self._visible(a)])
        self.viewport().update()
        self.margin.refresh()

    def set_view(self, coder_id: int, shown: set[int] | None) -> None:
        """Change whose codings are visible (current coder's are solid, others' dashed)."""
        self.coder_id, self.shown = coder_id, shown
        self._rebuild_layer()

    def visible_spans(self) -> list[Span]:
        return list(self.layer)

    def upsert_annotation(self, ann: store.Annotation) -> None:
        """Show a new or changed annotation, repainting only the affected range."""
        self.annotations[ann.id] = ann
        if self._visible(ann):
            dirty = self.layer.upsert(self._span(ann))
        else:
            dirty = self.layer.remove(ann.id)
        if dirty:
            self.update_range(*dirty)
            self.margin.refresh()

    def remove_annotation(self, ann_id: int) -> None:
        self.annotations.pop(ann_id, None)
        dirty = self.layer.remove(ann_id)
        if dirty:
            self.update_range(*dirty)
            self.margin.refresh()

    def update_range(self, start: int, end: int) -> None:
        """Schedule a repaint of the lines covering document range [start, end)."""
        rects = line_rects(self.document(), start, end)
        if not rects:
            return
        area = QRectF()
        for rect, gap_y, _, _ in rects:
            area = area.united(QRectF(rect.left(), rect.top(), rect.width(),
                                      gap_y - rect.top() + (self.layer.lane_count + 1) * BAR_STEP))
        area.translate(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())
        self.viewport().update(area.toAlignedRect().adjusted(-3, -3, 3, 3) & self.viewport().rect())

    # -- offsets and selection -----------------------------------------------------------------
    def selection_cp(self) -> tuple[int, int] | None:
        """The selection as code-point offsets into the article text (or None)."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or self.article is None:
            return None
        return (self._to_cp_outward(cursor.selectionStart(), -1),
                self._to_cp_outward(cursor.selectionEnd(), 1))

    def _to_cp_outward(self, pos: int, step: int) -> int:
        """Code point of a document position; a position inside a surrogate pair (a cursor set
        by a program, never by Qt's own navigation) moves ``step`` to the pair's edge."""
        try:
            return self.index.to_cp(pos)
        except ValueError:
            return self.index.to_cp(pos + step)

    def select_cp(self, start: int, end: int) -> None:
        """Select code points [start, end) and scroll them into the middle of the view."""
        a = self.index.to_utf16(max(0, min(start, self.index.cp_length)))
        b = self.index.to_utf16(max(0, min(end, self.index.cp_length)))
        cursor = QTextCursor(self.document())
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.KeepAnchor)
        self.setTextCursor(cursor)
        rects = line_rects(self.document(), a, max(b, a + 1))
        if rects:
            y = rects[0][0].top()
            bar = self.verticalScrollBar()
            bar.setValue(int(y - self.viewport().height() / 3))

    def annotations_at(self, point: QPoint) -> list[store.Annotation]:
        """Annotations whose painted span is under a viewport point."""
        doc_point = QPointF(point.x() + self.horizontalScrollBar().value(),
                            point.y() + self.verticalScrollBar().value())
        ids = []
        for rec in self.last_paint:
            hit = rec.rect.adjusted(0, 0, 0, (self.layer.lane_count + 1) * BAR_STEP)
            if hit.contains(doc_point) and rec.ann_id not in ids:
                ids.append(rec.ann_id)
        return [self.annotations[i] for i in ids if i in self.annotations]

    # -- measure --------------------------------------------------------------------------------
    def _apply_measure(self) -> None:
        """Centre a comfortable measure; the coding margin stands in the leading side margin,
        which widens (pushing the text over) when the column is too narrow to hold it."""
        width = self.viewport().width()
        measure = self.fontMetrics().averageCharWidth() * MEASURE_CHARS
        side = max(18.0, (width - measure) / 2.0)
        leading = max(side, self._margin_width + MARGIN_GAP) if self._margin_width else side
        left, right = (side, leading) if self.margin.trailing else (leading, side)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        # compared with the frame itself: filling the document can replace its root format
        if abs(left - fmt.leftMargin()) < 1.0 and abs(right - fmt.rightMargin()) < 1.0:
            self._side_margin, self._right_margin = left, right
            return
        self._side_margin, self._right_margin = left, right
        fmt.setLeftMargin(left)
        fmt.setRightMargin(right)
        fmt.setTopMargin(14)
        fmt.setBottomMargin(28)
        root.setFrameFormat(fmt)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._apply_measure()
        self._place_margin_widget()

    # -- the coding margin (desktop/reading/margin.py) ------------------------------------------
    def place_margin(self, width: int) -> None:
        """Give the coding margin ``width`` px beside the text (0 hides it)."""
        if self._placing_margin:
            return
        self._placing_margin = True
        try:
            if width != self._margin_width:
                self._margin_width = width
                self._apply_measure()
            self._place_margin_widget()
        finally:
            self._placing_margin = False

    def _place_margin_widget(self) -> None:
        """Lay the margin over the viewport's blank side margin, MARGIN_GAP px from the text
        (a child of the reader, not of the viewport, so scrolling the text does not move it)."""
        vp = self.viewport().geometry()
        width = self._margin_width
        inset = self.document().documentMargin()
        if self.margin.trailing:
            x = vp.right() + 1 - int(self._right_margin + inset) + MARGIN_GAP
        else:
            x = vp.left() + int(self._side_margin + inset) - MARGIN_GAP - width
        self.margin.setGeometry(max(vp.left(), x), vp.top(), width, vp.height())
        self.margin.setVisible(width > 0)
        self.margin.raise_()

    def select_span(self, start: int, end: int) -> None:
        """Select code points [start, end) without recentring the view (a stripe was clicked)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.index.to_utf16(start))
        cursor.setPosition(self.index.to_utf16(end), QTextCursor.KeepAnchor)
        self.setTextCursor(cursor)
        self.setFocus(Qt.MouseFocusReason)

    def margin_menu(self, event, ann_id: int | None) -> None:
        """Context menu of the margin: the stripe's annotation (re-code, memo, delete) and the
        stripes toggle."""
        menu = QMenu(self)
        ann = self.annotations.get(ann_id) if ann_id is not None else None
        if ann is not None and self.menu_hook is not None:
            menu.addAction("Select the passage", lambda: self.select_span(ann.start, ann.end))
            self.menu_hook(menu, [ann])
            menu.addSeparator()
        menu.addAction(stripes_action(menu))
        menu.exec(event.globalPos())
        menu.deleteLater()

    # -- painting and events --------------------------------------------------------------------
    def set_overlays(self, layer: str, marks) -> None:
        """Marks drawn under the text besides the codings (alignment, diff): one list per
        ``layer`` of (start, end, style) in code points; an empty list removes the layer."""
        marks = list(marks)
        self._overlay_cp[layer] = marks
        self.overlay_layers[layer] = [(self.index.to_utf16(a), self.index.to_utf16(b), st)
                                      for a, b, st in marks]
        if not marks:
            del self._overlay_cp[layer], self.overlay_layers[layer]
        self.viewport().update()

    def overlays(self, layer: str) -> list[tuple[int, int, str]]:
        return list(self._overlay_cp.get(layer, []))

    def paintEvent(self, event) -> None:
        layers = [layer for layer in self.paint_layers() if layer.active(self)]
        self.last_overlay_paint = []                   # under the text: alignment, diff marks
        if any(layer.z < 0 for layer in layers):
            painter = QPainter(self.viewport())
            for layer in (x for x in layers if x.z < 0):
                self.last_overlay_paint += layer.paint(self, painter, event.rect()) or []
            painter.end()
        if len(self.layer):
            vp = self.viewport().rect()
            first = self.cursorForPosition(vp.topLeft()).position()
            last = self.cursorForPosition(vp.bottomRight()).position() + 1
            spans = self.layer.intersecting(first, last)
            gap = self.fontMetrics().height() * (LINE_HEIGHT - 100) / 100.0
            painter = QPainter(self.viewport())
            painter.setClipRect(event.rect())
            offset = QPointF(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())
            self.last_paint = paint_spans(painter, self.document(), spans, offset,
                                          self.layer.lane_count, gap)
            painter.end()
        else:
            self.last_paint = []
        super().paintEvent(event)
        if any(layer.z >= 0 for layer in layers):     # registered layers over the text
            painter = QPainter(self.viewport())
            for layer in (x for x in layers if x.z >= 0):
                layer.paint(self, painter, event.rect())
            painter.end()
        if self.after_paint_hooks:                     # suggestion outlines (suggestion_layer.py)
            painter = QPainter(self.viewport())
            for hook in self.after_paint_hooks:
                hook(self, painter, event.rect())
            painter.end()

    def keyPressEvent(self, event) -> None:
        mods = event.modifiers()
        if event.matches(QKeySequence.Undo):
            self.undoRequested.emit()
            return
        if event.matches(QKeySequence.Redo) or (
                event.key() in (Qt.Key_Y, Qt.Key_Z) and mods & Qt.ControlModifier):
            self.redoRequested.emit()
            return
        text = event.text()
        if text and text.isprintable() and not text.isspace() and text != "?" and not (
                mods & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier)):
            self.codeKey.emit(text.lower())
            event.accept()
            return
        key = self._alt_code_key(event)
        if key is not None:
            self._exact_key = True                     # Alt + code key: the exact selection
            try:
                self.codeKey.emit(key)
            finally:
                self._exact_key = False
            event.accept()
            return
        super().keyPressEvent(event)

    def _alt_code_key(self, event) -> str | None:
        """The code key of an Alt+key press that codes the exact selection, else None.

        The key is read from the key code for letters and digits (on macOS Option+R types "®"),
        and claimed only with a selection and when the coding controller says it is a code key.
        """
        mods = event.modifiers() & ~(Qt.KeypadModifier | Qt.ShiftModifier)
        if mods != Qt.AltModifier or self.claims_alt_key is None:
            return None
        if not self.textCursor().hasSelection():
            return None
        k = event.key()
        if Qt.Key_0 <= k <= Qt.Key_9 or Qt.Key_A <= k <= Qt.Key_Z:
            key = chr(k).lower()
        else:
            key = event.text().lower()
        if not key or not key.isprintable() or key.isspace():
            return None
        return key if self.claims_alt_key(key) else None

    def exact_requested(self) -> bool:
        """Whether the coding under way should keep the exact selection: Alt was held with the
        code key, or is held now (a click on a code in the codebook)."""
        return self._exact_key or bool(QApplication.keyboardModifiers() & Qt.AltModifier)

    def event(self, event) -> bool:
        if event.type() == QEvent.ShortcutOverride and self._alt_code_key(event) is not None:
            event.accept()                             # Alt+code key beats a menu mnemonic
            return True
        return super().event(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.focused.emit()

    def mousePressEvent(self, event) -> None:
        self.focused.emit()
        super().mousePressEvent(event)

    def viewportEvent(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            anns = self.annotations_at(event.pos())
            if anns:
                QToolTip.showText(event.globalPos(), self._tooltip(anns), self.viewport(),
                                  QRect(event.pos(), event.pos()))
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, anns: list[store.Annotation]) -> str:
        rows = []
        for a in anns:
            memo = f"<br><i>{_esc(a.memo)}</i>" if a.memo else ""
            rows.append(f"<span style='color:{a.color}'>■</span> <b>{_esc(a.code)}</b> — "
                        f"{_esc(a.coder)} ({initials(a.coder)}){memo}")
        return "<br>".join(rows)

    def contextMenuEvent(self, event) -> None:
        menu = self.createStandardContextMenu(event.pos())
        anns = self.annotations_at(event.pos())
        if anns and self.menu_hook is not None:
            self.menu_hook(menu, anns)
        menu.addSeparator()
        menu.addAction(stripes_action(menu))
        menu.exec(event.globalPos())
        menu.deleteLater()


def _esc(text: str | None) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
