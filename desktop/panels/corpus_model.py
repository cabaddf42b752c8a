"""Item model of the corpus tree: stories → their articles, plus "All articles".

Summaries are loaded once (in a worker) as small records; rows are handed to the view lazily
(``canFetchMore``/``fetchMore`` in batches), so 50,000 articles never become 50,000 widgets or
50,000 rows laid out at once.  Filters (country, outlet, coded state) re-derive the child lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, Qt
from PySide6.QtGui import QFont

from framelens import store

from framelens.desktop.reading.comparison import ARTICLE_MIME
from framelens.desktop.widgets.inert import plain_tooltip
from framelens.desktop.widgets.theme import chip_icon, country_color

BATCH = 500
COLUMNS = ("Title", "Source", "Date")
ALL_ARTICLES = -1   # story id of the "All articles" node
ArticleRole = Qt.UserRole + 1
StoryRole = Qt.UserRole + 2


@dataclass
class CorpusData:
    """What the loader worker returns."""

    stories: list[store.Story] = field(default_factory=list)
    story_articles: dict[int, list[int]] = field(default_factory=dict)
    summaries: dict[int, store.ArticleSummary] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)          # all article ids, by date
    leads: dict[int, str] = field(default_factory=dict)     # first words of untitled articles


class CorpusModel(QAbstractItemModel):
    """Two-level tree; internalId 0 marks a top-level row, n > 0 a child of top-level row n - 1."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data_ = CorpusData()
        self._groups: list[tuple[int, str, str | None]] = []   # (story id, name, date)
        self._children: list[list[int]] = []                    # filtered article ids per group
        self._fetched: list[int] = []
        self._accept: Callable[[store.ArticleSummary], bool] | None = None
        self._chips: dict[str | None, object] = {}
        self._bold = QFont()
        self._bold.setWeight(QFont.DemiBold)

    # -- content ----------------------------------------------------------------------------------
    def set_data(self, data: CorpusData) -> None:
        self.data_ = data
        self._rebuild()

    def set_filter(self, accept: Callable[[store.ArticleSummary], bool] | None) -> None:
        self._accept = accept
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        d = self.data_
        groups = [(s.id, s.name, s.event_date) for s in d.stories]
        groups.append((ALL_ARTICLES, "All articles", None))
        members = [d.story_articles.get(s.id, []) for s in d.stories] + [d.order]
        accept = self._accept
        self._groups = groups
        self._children = [ids if accept is None else
                          [i for i in ids if i in d.summaries and accept(d.summaries[i])]
                          for ids in members]
        self._fetched = [0] * len(groups)
        self.endResetModel()

    def article_count(self) -> int:
        return len(self.data_.summaries)

    def title_of(self, article_id: int) -> str:
        s = self.data_.summaries.get(article_id)
        if s is None:
            return f"Article {article_id}"
        return s.title or self.data_.leads.get(article_id) or f"Article {article_id}"

    def story_ids(self, story_id: int) -> list[int]:
        for i, (sid, _, _) in enumerate(self._groups):
            if sid == story_id:
                return list(self._children[i])
        return []

    def story_index(self, story_id: int) -> QModelIndex:
        for i, (sid, _, _) in enumerate(self._groups):
            if sid == story_id:
                return self.index(i, 0)
        return QModelIndex()

    # -- tree structure -------------------------------------------------------------------------
    def index(self, row, column, parent=QModelIndex()):
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, id=0)
        return self.createIndex(row, column, id=parent.row() + 1)

    def parent(self, index=QModelIndex()):
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, id=0)

    def rowCount(self, parent=QModelIndex()):
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return self._fetched[parent.row()]
        return 0

    def columnCount(self, parent=QModelIndex()):
        return len(COLUMNS)

    def hasChildren(self, parent=QModelIndex()):
        if not parent.isValid():
            return bool(self._groups)
        return parent.internalId() == 0 and bool(self._children[parent.row()])

    def canFetchMore(self, parent):
        if not parent.isValid() or parent.internalId() != 0:
            return False
        return self._fetched[parent.row()] < len(self._children[parent.row()])

    def fetchMore(self, parent):
        row = parent.row()
        have, total = self._fetched[row], len(self._children[row])
        n = min(BATCH, total - have)
        if n <= 0:
            return
        self.beginInsertRows(parent, have, have + n - 1)
        self._fetched[row] = have + n
        self.endInsertRows()

    # -- data -----------------------------------------------------------------------------------
    def article_id(self, index: QModelIndex) -> int | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._children[index.internalId() - 1][index.row()]

    def story_id(self, index: QModelIndex) -> int | None:
        if not index.isValid() or index.internalId() != 0:
            return None
        return self._groups[index.row()][0]

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        col = index.column()
        if index.internalId() == 0:
            sid, name, date = self._groups[index.row()]
            n = len(self._children[index.row()])
            if role == Qt.DisplayRole and col == 0:
                year = f"  ·  {date[:4]}" if date else ""
                return f"{name}{year}  ({n})"
            if role == Qt.FontRole:
                return self._bold
            if role == Qt.ToolTipRole and col == 0:
                when = f" — {date}" if date else ""
                return plain_tooltip(f"{name}{when}\n{n} articles — double-click to open the first three side by side")
            if role == StoryRole:
                return sid
            return None
        aid = self._children[index.internalId() - 1][index.row()]
        s = self.data_.summaries.get(aid)
        if s is None:
            return None
        if role == Qt.DisplayRole:
            if col == 0:
                return self.title_of(aid)
            if col == 1:
                return f"{s.country or '··'}  {s.outlet or 'Unknown outlet'}"
            return (s.published or "")[:10]
        if role == Qt.DecorationRole and col == 1:
            if s.country not in self._chips:
                self._chips[s.country] = chip_icon(country_color(s.country), size=10)
            return self._chips[s.country]
        if role == Qt.ToolTipRole:
            return plain_tooltip(f"{self.title_of(aid)}\n{s.outlet or 'Unknown outlet'} ({s.country or '—'}), "
                                 f"{s.published or 'undated'} — {s.n_chars:,} characters")
        if role == Qt.FontRole and col == 0 and not s.title:
            font = QFont()
            font.setItalic(True)
            return font
        if role == ArticleRole:
            return aid
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return base | Qt.ItemIsDragEnabled if index.internalId() != 0 else base

    def mimeTypes(self):
        return [ARTICLE_MIME]

    def mimeData(self, indexes):
        ids = []
        for ix in indexes:
            aid = self.article_id(ix)
            if aid is not None and aid not in ids:
                ids.append(aid)
        mime = QMimeData()
        mime.setData(ARTICLE_MIME, ",".join(map(str, ids)).encode("ascii"))
        return mime


def load_corpus(project: store.Project, progress, cancelled) -> CorpusData:
    """Worker function: everything the corpus tree shows (no article texts)."""
    from framelens.store.ui_queries import article_leads

    progress(0, 3, "Reading stories")
    stories = store.list_stories(project)
    story_articles = {s.id: store.story_article_ids(project, s.id) for s in stories}
    progress(1, 3, "Reading article list")
    summaries = store.list_articles(project)
    untitled = [a.id for a in summaries if not a.title]
    progress(2, 3, "Reading article leads")
    leads = article_leads(project, untitled, n_chars=120)
    leads = {k: " ".join(v.split()[:12]) + "…" for k, v in leads.items()}
    progress(3, 3, "")
    return CorpusData(stories, story_articles, {a.id: a for a in summaries},
                      [a.id for a in summaries], leads)
