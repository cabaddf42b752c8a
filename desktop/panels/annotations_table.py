"""Bottom dock: the annotations of the open articles as a sortable, filterable table.

A ``QAbstractTableModel`` over ``store.Annotation`` records behind a ``QSortFilterProxyModel``;
double-clicking a row asks the main window to jump to the span.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget,
)

from framelens import store

from framelens.desktop.widgets.inert import plain_tooltip
from framelens.desktop.shell.session import Session
from framelens.desktop.widgets.theme import chip_icon

COLUMNS = ("Article", "Code", "Coder", "Quote", "Memo")
AnnotationRole = Qt.UserRole + 30


class AnnotationsModel(QAbstractTableModel):
    """Rows: annotations; columns: article, code, coder, quote, memo."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[store.Annotation] = []
        self.article_names: dict[int, str] = {}
        self._icons: dict[str, object] = {}

        self._sort = (0, Qt.AscendingOrder)

    def set_rows(self, rows: list[store.Annotation], article_names: dict[int, str]) -> None:
        self.beginResetModel()
        self.article_names = article_names
        self.rows = self._sorted(rows, *self._sort)
        self.endResetModel()

    def _key(self, column: int):
        if column == 0:
            return lambda a: (self.article_names.get(a.article_id, "").lower(), a.start, a.end)
        attr = ("article_id", "code", "coder", "quote", "memo")[column]
        return lambda a: ((getattr(a, attr) or "").lower(), a.article_id, a.start)

    def _sorted(self, rows, column: int, order) -> list[store.Annotation]:
        return sorted(rows, key=self._key(column), reverse=order == Qt.DescendingOrder)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        """Sorting happens here, in Python, once per request (not per comparison)."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self.rows = self._sorted(self.rows, column, order)
        self.layoutChanged.emit()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        a = self.rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            if col == 0:
                return self.article_names.get(a.article_id, f"Article {a.article_id}")
            if col == 1:
                return a.code
            if col == 2:
                return a.coder
            if col == 3:
                return " ".join(a.quote.split())
            return a.memo or ""
        if role == Qt.DecorationRole and col == 1:
            if a.color not in self._icons:
                self._icons[a.color] = chip_icon(a.color, size=10)
            return self._icons[a.color]
        if role == Qt.ToolTipRole and col in (3, 4):
            return plain_tooltip(a.quote if col == 3 else a.memo)
        if role == AnnotationRole:
            return a
        return None


class _Proxy(QSortFilterProxyModel):
    """Filters only; sort requests are passed to the source model, which sorts its list once."""

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


class AnnotationsTable(QWidget):
    """Table of the open articles' annotations with a filter box."""

    jumpRequested = Signal(object)     # store.Annotation

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.article_ids: list[int] = []
        self.article_names: dict[int, str] = {}
        self.model = AnnotationsModel(self)
        self.proxy = _Proxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseInsensitive)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(4)
        top = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter annotations (article, code, coder, quote, memo)…")
        self.filter.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setEnabled(False)
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        lay.addLayout(top)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        for col, width in ((0, 150), (1, 190), (2, 90), (4, 160)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        lay.addWidget(self.view)
        self._pending = QTimer(self, singleShot=True, interval=0)
        self._pending.timeout.connect(self.refresh)
        self.filter.textChanged.connect(self._filter)
        self.view.doubleClicked.connect(self._double_clicked)
        session.changed.connect(self._on_changes)
        session.viewChanged.connect(self.refresh)

    def set_articles(self, article_ids: list[int], names: dict[int, str]) -> None:
        """Follow the open articles; the reload runs just after the column switch has painted."""
        self.article_ids = list(article_ids)
        self.article_names = dict(names)
        self._pending.start()

    def refresh(self) -> None:
        self._pending.stop()
        if self.article_ids:
            shown = self.session.shown_coder_ids()
            rows = store.list_annotations(self.session.project, article_ids=self.article_ids,
                                          coder_ids=shown)
        else:
            rows = []
        self.model.set_rows(rows, self.article_names)
        self._update_count()

    def _on_changes(self, changes: store.Changes) -> None:
        if changes.touched("annotations") or changes.touched("codes") or changes.touched("coders"):
            self.refresh()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_count()

    def _update_count(self) -> None:
        n, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{n} of {total}" if n != total else f"{total} annotations")

    def _double_clicked(self, index) -> None:
        ann = self.proxy.data(index, AnnotationRole)
        if ann is not None:
            self.jumpRequested.emit(ann)
