"""Left dock: full-text search, filters and the story/article tree.

The search box runs ``store.search`` in a worker (free text by default; a query using quotes,
parentheses, ``*`` or AND/OR/NOT/NEAR is passed as FTS syntax).  A query the store cannot
understand shows its readable message under the box.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QStyle, QTreeView, QVBoxLayout, QWidget,
)

from framelens import store

from .corpus_model import ALL_ARTICLES, CorpusData, CorpusModel, load_corpus
from framelens.desktop.widgets.inert import plain_tooltip
from framelens.desktop.shell.session import Session
from framelens.desktop.widgets.theme import chip_icon, country_color
from framelens.desktop.shell.workers import TaskRunner

HitRole = Qt.UserRole + 10


class CorpusPanel(QWidget):
    """Search, filters and tree of stories and articles."""

    articleActivated = Signal(int)
    storyActivated = Signal(int)
    hitActivated = Signal(int, int, int)     # article id, code-point offset, length
    loaded = Signal()
    searchFinished = Signal()

    def __init__(self, session: Session, runner: TaskRunner, parent=None):
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self._search_seq = 0
        self._coded_ids: set[int] | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search articles…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(self.style().standardIcon(QStyle.SP_FileDialogContentsView),
                                  QLineEdit.LeadingPosition)
        self.search_box.setToolTip('Free text; or FTS syntax: "exact phrase", AND / OR / NOT, prefix*')
        self.search_message = QLabel()
        self.search_message.setTextFormat(Qt.PlainText)   # the query is shown as typed
        self.search_message.setWordWrap(True)
        self.search_message.setObjectName("searchMessage")
        self.search_message.hide()
        self.hits = QListWidget()
        self.hits.setWordWrap(True)
        self.hits.setAlternatingRowColors(True)
        self.hits.hide()
        lay.addWidget(self.search_box)
        lay.addWidget(self.search_message)
        lay.addWidget(self.hits, 2)

        filters = QHBoxLayout()
        filters.setSpacing(4)
        self.country_box = QComboBox()
        self.outlet_box = QComboBox()
        self.coded_box = QComboBox()
        self.coded_box.addItems(["Any state", "Coded by me", "Not coded by me", "Coded by anyone"])
        for box, tip in ((self.country_box, "Filter by country"), (self.outlet_box, "Filter by outlet"),
                         (self.coded_box, "Filter by coded state")):
            box.setToolTip(tip)
            box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
            filters.addWidget(box, 1)
        lay.addLayout(filters)

        self.model = CorpusModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragOnly)
        self.tree.setExpandsOnDoubleClick(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        fm = self.fontMetrics()
        # Source and date keep their natural width while the title column has room; in a
        # narrow dock they give way so that the title keeps at least TITLE_SHARE of the row
        # (titles were cut to "Japa…" at 1600x1000); every cell's tooltip holds the whole row.
        self._natural_widths = {1: fm.horizontalAdvance("RU  PenzaNews") + 34,
                                2: fm.horizontalAdvance("2017-03-20") + 18}
        for col, width in self._natural_widths.items():
            header.setSectionResizeMode(col, QHeaderView.Interactive)
            header.resizeSection(col, width)
        self.tree.viewport().installEventFilter(self)
        lay.addWidget(self.tree, 5)
        self.status = QLabel("Loading the corpus…")
        self.status.setTextFormat(Qt.PlainText)
        self.status.setEnabled(False)
        lay.addWidget(self.status)

        self._search_timer = QTimer(self, singleShot=True, interval=350)
        self._search_timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.returnPressed.connect(self.run_search)
        self.hits.itemActivated.connect(self._hit_activated)
        self.hits.itemClicked.connect(self._hit_activated)
        self.tree.doubleClicked.connect(self._activated)
        self.tree.activated.connect(self._activated)
        for box in (self.country_box, self.outlet_box):
            box.currentIndexChanged.connect(self._apply_filter)
        self.coded_box.currentIndexChanged.connect(self._coded_changed)
        session.changed.connect(self._on_changes)
        session.coderChanged.connect(lambda _c: self._coded_changed())

    TITLE_SHARE = 0.55
    MIN_SIDE_COLUMN = 44

    def eventFilter(self, obj, event) -> bool:
        if obj is self.tree.viewport() and event.type() == QEvent.Resize:
            self._fit_columns(event.size().width())
        return super().eventFilter(obj, event)

    def _fit_columns(self, available: int) -> None:
        """Give the side columns at most (1 - TITLE_SHARE) of ``available`` pixels, shared in
        proportion to their natural widths (never under MIN_SIDE_COLUMN each)."""
        natural = sum(self._natural_widths.values())
        room = max(int(available * (1 - self.TITLE_SHARE)), 2 * self.MIN_SIDE_COLUMN)
        scale = min(1.0, room / natural)
        header = self.tree.header()
        for col, width in self._natural_widths.items():
            header.resizeSection(col, max(self.MIN_SIDE_COLUMN, int(width * scale)))

    # -- loading --------------------------------------------------------------------------------
    def reload(self) -> None:
        self.runner.submit(self.session.path, load_corpus, label="Loading the corpus",
                           on_done=self._loaded, on_error=self._failed)

    def _loaded(self, data: CorpusData) -> None:
        self.model.set_data(data)
        countries = sorted({s.country for s in data.summaries.values() if s.country})
        outlets = sorted({s.outlet for s in data.summaries.values() if s.outlet})
        for box, label, values in ((self.country_box, "All countries", countries),
                                   (self.outlet_box, "All outlets", outlets)):
            box.blockSignals(True)
            box.clear()
            box.addItem(label, None)
            for v in values:
                if box is self.country_box:
                    box.addItem(chip_icon(country_color(v), size=10), v, v)
                else:
                    box.addItem(v, v)
            box.blockSignals(False)
        self._expand_stories()
        self._update_status()
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        self.status.setText(f"Could not read the corpus: {message}")

    def _update_status(self) -> None:
        n = self.model.article_count()
        shown = len(self.model.story_ids(ALL_ARTICLES))
        extra = "" if shown == n else f" — {shown:,} match the filters"
        self.status.setText(f"{n:,} articles{extra}")

    # -- filters --------------------------------------------------------------------------------
    def _coded_changed(self) -> None:
        mode = self.coded_box.currentIndex()
        if mode == 0:
            self._coded_ids = None
            self._apply_filter()
            return
        coder_id = None if mode == 3 else self.session.coder.id

        def work(project, progress, cancelled):
            from framelens.store.ui_queries import coded_article_ids
            return coded_article_ids(project, coder_id=coder_id)

        self.runner.submit(self.session.path, work, label="Filtering",
                           on_done=self._coded_loaded)

    def _coded_loaded(self, ids: set[int]) -> None:
        self._coded_ids = ids
        self._apply_filter()

    def _apply_filter(self) -> None:
        country = self.country_box.currentData()
        outlet = self.outlet_box.currentData()
        mode = self.coded_box.currentIndex()
        coded = self._coded_ids
        if country is None and outlet is None and (mode == 0 or coded is None):
            self.model.set_filter(None)
        else:
            def accept(s: store.ArticleSummary) -> bool:
                if country is not None and s.country != country:
                    return False
                if outlet is not None and s.outlet != outlet:
                    return False
                if coded is not None and mode in (1, 3) and s.id not in coded:
                    return False
                if coded is not None and mode == 2 and s.id in coded:
                    return False
                return True
            self.model.set_filter(accept)
        self._expand_stories()
        self._update_status()

    def _expand_stories(self) -> None:
        """Story rows span all columns; stories open, "All articles" closed (it may be huge)."""
        root = QModelIndex()
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            self.tree.setFirstColumnSpanned(row, root, True)
            if self.model.story_id(index) != ALL_ARTICLES:
                self.tree.expand(index)

    # what the corpus list shows: an action touching one of these reloads it, whoever started it
    # (this window, an import in the helper, the command line, another window)
    CORPUS_TABLES = ("articles", "outlets", "stories", "story_articles")

    def _on_changes(self, changes: store.Changes) -> None:
        if any(changes.touched(t) for t in self.CORPUS_TABLES):
            self.reload()
        elif changes.touched("annotations") and self.coded_box.currentIndex() != 0:
            self._coded_changed()

    # -- activation -----------------------------------------------------------------------------
    def _activated(self, index: QModelIndex) -> None:
        aid = self.model.article_id(index)
        if aid is not None:
            self.articleActivated.emit(aid)
            return
        sid = self.model.story_id(index)
        if sid is not None and sid != ALL_ARTICLES:
            self.storyActivated.emit(sid)

    # -- search ---------------------------------------------------------------------------------
    def run_search(self) -> None:
        self._search_timer.stop()
        query = self.search_box.text().strip()
        self._search_seq += 1
        seq = self._search_seq
        if not query:
            self.hits.clear()
            self.hits.hide()
            self.search_message.hide()
            self.searchFinished.emit()
            return
        plain = not store.uses_fts_syntax(query)

        def work(project, progress, cancelled):
            return store.search(project, query, plain=plain, limit=200)

        self.runner.submit(self.session.path, work, label="Searching",
                           on_done=lambda hits: self._show_hits(seq, query, hits),
                           on_error=lambda msg: self._search_error(seq, msg))

    def _search_error(self, seq: int, message: str) -> None:
        if seq != self._search_seq:
            return
        self.hits.clear()
        self.hits.hide()
        self._set_message(message, error=True)
        self.searchFinished.emit()

    def _set_message(self, text: str, *, error: bool) -> None:
        color = self.palette().color(self.palette().ColorRole.BrightText).name() if error else ""
        self.search_message.setStyleSheet(f"color: {color};" if color else "")
        self.search_message.setText(text)
        self.search_message.show()

    def _show_hits(self, seq: int, query: str, hits: list[store.SearchHit]) -> None:
        if seq != self._search_seq:
            return
        self.hits.clear()
        for h in hits:
            title = h.title or self.model.title_of(h.article_id)
            snippet = " ".join(h.snippet.split())
            item = QListWidgetItem(f"{h.outlet or '—'} · {h.country or '—'} · {(h.published or '')[:10]}\n"
                                   f"{title}\n{snippet}")
            item.setIcon(chip_icon(country_color(h.country), size=10))
            item.setToolTip(plain_tooltip(snippet))
            item.setData(HitRole, (h.article_id, h.offset, h.length))
            self.hits.addItem(item)
        self.hits.setVisible(bool(hits))
        self._set_message(f"{len(hits)} article{'s' if len(hits) != 1 else ''} match {query!r}"
                          if hits else f"No article matches {query!r}.", error=False)
        self.searchFinished.emit()

    def _hit_activated(self, item: QListWidgetItem) -> None:
        aid, offset, length = item.data(HitRole)
        self.hitActivated.emit(aid, offset, length)
