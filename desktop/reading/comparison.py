"""The comparison area: 1–4 article columns side by side, each headed by outlet, country, date, title.

Columns are added by opening a story (its first three articles), double-clicking or dragging
articles from the corpus, and removed or reordered by the header buttons or context menu.  A
"Scroll in step" toggle scrolls all columns proportionally with the one being scrolled.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QMimeData, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QMenu, QStyle, QToolButton, QVBoxLayout, QWidget,
)

from framelens import store

from framelens.desktop.shell import languages
from .alignment_gutter import GutterSplitter
from framelens.desktop.widgets.inert import plain_tooltip
from .reader import Reader
from framelens.desktop.shell.session import Session
from framelens.desktop.widgets.theme import chip_icon, country_color

MAX_COLUMNS = 4
ARTICLE_MIME = "application/x-framelens-article-ids"


def article_ids_from_mime(mime: QMimeData) -> list[int]:
    if not mime.hasFormat(ARTICLE_MIME):
        return []
    raw = bytes(mime.data(ARTICLE_MIME)).decode("ascii", "ignore")
    return [int(x) for x in raw.split(",") if x.strip().isdigit()]


def display_title(article: store.ArticleSummary, text: str | None = None, n_words: int = 12) -> str:
    """The title, or the first words of the text when the article has none."""
    if article.title:
        return article.title
    words = (text or "").split()
    if words:
        return " ".join(words[:n_words]) + ("…" if len(words) > n_words else "")
    return f"Article {article.id}"


class ElidedTitle(QLabel):
    """A title shown on at most ``lines`` lines, elided with "…" (full text in the tooltip)."""

    def __init__(self, lines: int = 2, parent=None):
        super().__init__(parent)
        self.lines = lines
        self.full = ""
        self.setTextFormat(Qt.PlainText)
        self.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.setMinimumWidth(60)

    def set_full_text(self, text: str) -> None:
        self.full = text
        self._relayout()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout()

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(200, fm.lineSpacing() * self.lines)

    def minimumSizeHint(self) -> QSize:
        return QSize(60, self.fontMetrics().lineSpacing() * self.lines)

    def _relayout(self) -> None:
        fm = self.fontMetrics()
        width = max(self.width(), 40)
        words, lines, current, i = self.full.split(), [], "", 0
        while i < len(words):
            if len(lines) == self.lines - 1:
                current = " ".join([current, *words[i:]]).strip()
                break
            trial = f"{current} {words[i]}".strip()
            if fm.horizontalAdvance(trial) <= width or not current:
                current, i = trial, i + 1
            else:
                lines.append(current)
                current = ""
        if current:
            lines.append(current)
        if lines:
            lines[-1] = fm.elidedText(lines[-1], Qt.ElideRight, width)
        super().setText("\n".join(lines))


class ColumnHeader(QFrame):
    """Outlet · country chip · date, the title below, and move/close buttons."""

    def __init__(self, column: "ArticleColumn"):
        super().__init__(column)
        self.setObjectName("columnHeader")
        self.column = column
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.accent = QFrame(self)
        self.accent.setFixedHeight(3)
        self.accent.setStyleSheet("background: palette(highlight);")
        self.accent_off = QFrame(self)
        self.accent_off.setFixedHeight(3)
        self.accent.hide()
        outer.addWidget(self.accent)
        outer.addWidget(self.accent_off)
        lay = QVBoxLayout()
        lay.setContentsMargins(12, 5, 6, 6)
        lay.setSpacing(2)
        outer.addLayout(lay)
        top = QHBoxLayout()
        top.setSpacing(6)
        self.chip = QLabel()
        self.meta = ElidedTitle(1)
        font = self.meta.font()
        font.setWeight(QFont.DemiBold)
        self.meta.setFont(font)
        self.meta.setFixedHeight(self.meta.fontMetrics().lineSpacing() + 2)
        self.when = QLabel()
        self.when.setTextFormat(Qt.PlainText)
        self.when.setEnabled(False)
        top.addWidget(self.chip)
        top.addWidget(self.meta, 1)
        style = self.style()
        self.left_btn = self._button(style.standardIcon(QStyle.SP_ArrowLeft), "Move column left",
                                     lambda: column.moveRequested.emit(column, -1))
        self.right_btn = self._button(style.standardIcon(QStyle.SP_ArrowRight), "Move column right",
                                      lambda: column.moveRequested.emit(column, 1))
        self.close_btn = self._button(style.standardIcon(QStyle.SP_TitleBarCloseButton),
                                      "Close this column", lambda: column.closeRequested.emit(column))
        for b in (self.left_btn, self.right_btn, self.close_btn):
            top.addWidget(b)
        lay.addLayout(top)
        lay.addWidget(self.when)
        self.title = ElidedTitle(2)
        tfont = self.title.font()
        tfont.setPointSizeF(tfont.pointSizeF() + 1.5)
        tfont.setWeight(QFont.Bold)
        self.title.setFont(tfont)
        self.title.setFixedHeight(self.title.fontMetrics().lineSpacing() * 2 + 2)
        lay.addWidget(self.title)

    def _button(self, icon, tip, slot) -> QToolButton:
        b = QToolButton(self)
        b.setIcon(icon)
        b.setIconSize(QSize(12, 12))
        b.setAutoRaise(True)
        b.setToolTip(tip)
        b.clicked.connect(slot)
        return b

    def set_current(self, on: bool) -> None:
        """Mark the column that has focus (the article panel and code clicks apply to it)."""
        self.accent.setVisible(on)
        self.accent_off.setVisible(not on)

    def show_article(self, article: store.Article | None) -> None:
        if article is None:
            self.meta.set_full_text("")
            self.when.setText("")
            self.title.set_full_text("")
            return
        self.chip.setPixmap(chip_icon(country_color(article.country)).pixmap(12, 12))
        self.meta.set_full_text(article.outlet or "Unknown outlet")
        self.when.setText(f"{article.country or '—'} · {article.published or 'undated'} · "
                          f"{languages.short(article.language)}")
        self.when.setToolTip(plain_tooltip(languages.describe(article.language)))
        self.meta.setToolTip(plain_tooltip(f"{article.outlet or 'Unknown outlet'} ({article.country or 'country unknown'}), "
                             f"{article.published or 'undated'}"))
        title = display_title(article, article.text)
        self.title.set_full_text(title)
        self.title.setToolTip(plain_tooltip(f"{title}\n{article.url or ''}".strip()))

    def contextMenuEvent(self, event) -> None:
        menu = QMenu(self)
        self.column.fill_menu(menu)
        menu.exec(event.globalPos())


class ArticleColumn(QFrame):
    """One article: header plus reader."""

    closeRequested = Signal(object)
    moveRequested = Signal(object, int)
    activated = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("articleColumn")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.header = ColumnHeader(self)
        self.reader = Reader(self)
        lay.addWidget(self.header)
        line = QFrame(self)
        line.setFrameShape(QFrame.HLine)
        line.setFrameShadow(QFrame.Plain)
        line.setObjectName("headerRule")
        lay.addWidget(line)
        lay.addWidget(self.reader, 1)
        self.reader.focused.connect(lambda: self.activated.emit(self))

    @property
    def article(self) -> store.Article | None:
        return self.reader.article

    @property
    def article_id(self) -> int | None:
        return self.reader.article.id if self.reader.article else None

    def load(self, article: store.Article, anns: list[store.Annotation], session: Session) -> None:
        self.header.show_article(article)
        self.reader.load(article, anns, coder_id=session.coder.id, shown=session.shown_coder_ids())

    def fill_menu(self, menu: QMenu) -> None:
        for text, slot in (("Move left", lambda: self.moveRequested.emit(self, -1)),
                           ("Move right", lambda: self.moveRequested.emit(self, 1)),
                           ("Close column", lambda: self.closeRequested.emit(self))):
            act = QAction(text, menu)
            act.triggered.connect(slot)
            menu.addAction(act)


class Comparison(QWidget):
    """The row of article columns."""

    currentChanged = Signal(object)      # ArticleColumn or None
    articlesChanged = Signal()           # the set of open articles changed
    dropRequested = Signal(list, int)    # article ids dropped, column index to insert at

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setAcceptDrops(True)
        self.splitter = GutterSplitter(Qt.Horizontal, self)   # gutters draw alignment links
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.placeholder = QLabel("Open a story or double-click an article in the corpus\n"
                                  "to read it here. Drag articles in to compare up to four.")
        self.placeholder.setAlignment(Qt.AlignCenter)
        self.placeholder.setEnabled(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.placeholder)
        lay.addWidget(self.splitter, 1)
        self.columns: list[ArticleColumn] = []
        self.current: ArticleColumn | None = None
        self.scroll_in_step = False
        self._syncing = False
        self.menu_hook = None
        self.key_hook = None
        #: the window's registered paint layers (``window.features.paint_layers``); every
        #: reader paints them
        self.paint_layers = list
        self.undo_hook = None
        self.redo_hook = None
        self._slots: list[QWidget] = []       # empty places of columns still to load
        self._load_serial = 0
        session.changed.connect(self.apply_changes)
        session.viewChanged.connect(self._view_changed)
        self._update_placeholder()

    # -- columns --------------------------------------------------------------------------------
    def article_ids(self) -> list[int]:
        return [c.article_id for c in self.columns if c.article_id is not None]

    def column_for(self, article_id: int) -> ArticleColumn | None:
        return next((c for c in self.columns if c.article_id == article_id), None)

    def set_articles(self, loaded: list[tuple[store.Article, list[store.Annotation]]],
                     on_loaded: Callable[[], None] | None = None) -> None:
        """Replace all columns with these articles (at most four); ``on_loaded()`` runs once
        the last one is shown.

        Laying out an article's text is the expensive part (tens of milliseconds for a long
        one), and it depends on the column's width.  So the splitter first gets one empty slot
        per article at the final, even widths; then one article per turn of the event loop
        takes its slot and is laid out once, at the width it keeps — no turn of the UI thread
        lays out more than one text, and no text is laid out twice because a later column
        narrowed it (bench/bench_ui_responsiveness.py, "opening 3 articles").  ``columns``
        holds only loaded columns; ``loading`` is True until the last one is."""
        for col in list(self.columns):
            self._drop(col)
        for slot in self._slots:
            slot.setParent(None)
            slot.deleteLater()
        self._load_serial += 1
        serial = self._load_serial
        todo = list(loaded[:MAX_COLUMNS])
        self._slots = [QWidget() for _ in todo]
        for slot in self._slots:
            self.splitter.addWidget(slot)
        if self._slots:
            self.splitter.setSizes([1000] * len(self._slots))
        self._update_placeholder()
        self.layout().activate()              # the slots get their widths now

        def next_column() -> None:
            if serial != self._load_serial:   # replaced by a newer set_articles
                return
            if todo:
                article, anns = todo.pop(0)
                slot = self._slots.pop(0)
                self._new_column(article, anns, slot=slot)
                if len(self.columns) == 1:
                    self.set_current(self.columns[0])
            if todo:
                # a real timer, not a zero one: posted zero-timers run back to back before
                # input and other timers get their turn
                QTimer.singleShot(1, next_column)
                return
            self._changed()
            if on_loaded is not None:
                on_loaded()

        next_column()

    @property
    def loading(self) -> bool:
        """True while :meth:`set_articles` still has articles to show."""
        return bool(self._slots)

    def show_article(self, article: store.Article, anns: list[store.Annotation], *,
                     at: int | None = None, replace: ArticleColumn | None = None) -> ArticleColumn:
        """Bring an article into view: focus its column, or add one, or replace one when full."""
        col = self.column_for(article.id)
        if col is None:
            if replace is None and len(self.columns) >= MAX_COLUMNS:
                replace = self.current or self.columns[-1]
            if replace is not None:
                col = replace
                col.load(article, anns, self.session)
            else:
                col = self._new_column(article, anns, at)
            self._changed()
        self.set_current(col)
        return col

    def _new_column(self, article, anns, at: int | None = None,
                    slot: QWidget | None = None) -> ArticleColumn:
        """A column for ``article``, placed at ``at`` (or in ``slot``, an empty placeholder of
        the splitter, keeping its width) and then loaded, so its text is laid out at the width
        it will have."""
        col = ArticleColumn()
        # the scroll bar is always there: appearing after the first layout of a long text, it
        # would narrow the text and lay it all out a second time
        col.reader.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOn)
        col.closeRequested.connect(self.close_column)
        col.moveRequested.connect(self.move_column)
        col.activated.connect(self.set_current)
        r = col.reader
        r.menu_hook = lambda menu, a: self.menu_hook and self.menu_hook(menu, a)
        r.codeKey.connect(lambda key, c=col: self.key_hook and self.key_hook(c, key))
        r.paint_layers = lambda: self.paint_layers()
        r.undoRequested.connect(lambda: self.undo_hook and self.undo_hook())
        r.redoRequested.connect(lambda: self.redo_hook and self.redo_hook())
        r.verticalScrollBar().valueChanged.connect(lambda _v, c=col: self._scrolled(c))
        at = len(self.columns) if at is None else max(0, min(at, len(self.columns)))
        self.columns.insert(at, col)
        if slot is not None:
            self.splitter.replaceWidget(self.splitter.indexOf(slot), col)
            slot.deleteLater()
        else:
            self.splitter.insertWidget(at, col)
            self._even_sizes()
        self._update_placeholder()
        col.load(article, anns, self.session)
        return col

    def _drop(self, col: ArticleColumn) -> None:
        self.columns.remove(col)
        col.setParent(None)
        col.deleteLater()
        if self.current is col:
            self.current = None

    def close_column(self, col: ArticleColumn) -> None:
        if col not in self.columns:
            return
        self._drop(col)
        self._even_sizes()
        self._update_placeholder()
        self.set_current(self.columns[0] if self.columns else None)
        self._changed()

    def move_column(self, col: ArticleColumn, delta: int) -> None:
        i = self.columns.index(col)
        j = max(0, min(len(self.columns) - 1, i + delta))
        if i == j:
            return
        self.columns.insert(j, self.columns.pop(i))
        self.splitter.insertWidget(j, col)
        self._changed()

    def set_current(self, col: ArticleColumn | None) -> None:
        if col is self.current:
            return
        self.current = col
        for c in self.columns:
            c.header.set_current(c is col)
        self.currentChanged.emit(col)

    def _even_sizes(self) -> None:
        if self.columns:
            self.splitter.setSizes([1000] * len(self.columns))

    def _update_placeholder(self) -> None:
        shown = bool(self.columns or self._slots)
        self.placeholder.setVisible(not shown)
        self.splitter.setVisible(shown)

    def _changed(self) -> None:
        for i, c in enumerate(self.columns):
            c.header.left_btn.setEnabled(i > 0)
            c.header.right_btn.setEnabled(i < len(self.columns) - 1)
        self.articlesChanged.emit()

    # -- scrolling in step -----------------------------------------------------------------------
    def set_scroll_in_step(self, on: bool) -> None:
        self.scroll_in_step = on
        if on and self.current is not None:
            self._scrolled(self.current)

    def _scrolled(self, source: ArticleColumn) -> None:
        if not self.scroll_in_step or self._syncing:
            return
        bar = source.reader.verticalScrollBar()
        frac = bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0
        self._syncing = True
        try:
            for col in self.columns:
                if col is not source:
                    other = col.reader.verticalScrollBar()
                    other.setValue(round(frac * other.maximum()))
        finally:
            self._syncing = False

    # -- keeping up with changes ---------------------------------------------------------------
    def apply_changes(self, changes: store.Changes) -> None:
        """Update the painted spans of open articles from one action's Changes."""
        open_ids = set(self.article_ids())
        if not open_ids:
            return
        ann_ids = changes.rows.get("annotations", set())
        if changes.touched("codes") or len(ann_ids) > 50:
            anns = store.list_annotations(self.session.project, article_ids=open_ids)
            for col in self.columns:
                col.reader.annotations = {a.id: a for a in anns if a.article_id == col.article_id}
                col.reader.set_view(self.session.coder.id, self.session.shown_coder_ids())
            return
        for ann_id in ann_ids:
            try:
                ann = store.get_annotation(self.session.project, ann_id)
            except store.ProjectError:
                ann = None
            for col in self.columns:
                if ann is not None and ann.article_id == col.article_id:
                    col.reader.upsert_annotation(ann)
                elif ann_id in col.reader.annotations:
                    col.reader.remove_annotation(ann_id)

    def _view_changed(self) -> None:
        for col in self.columns:
            col.reader.set_view(self.session.coder.id, self.session.shown_coder_ids())

    # -- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(ARTICLE_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(ARTICLE_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        ids = article_ids_from_mime(event.mimeData())
        if not ids:
            return
        x = event.position().x()
        at = len(self.columns)
        for i, col in enumerate(self.columns):
            geo = col.geometry()
            if x < geo.x() + geo.width() / 2:
                at = i
                break
        event.acceptProposedAction()
        self.dropRequested.emit(ids, at)
