"""Tools → Agreement: inter-coder reliability, the disagreements, and adjudicating them.

* "Agreement" lists :func:`annotate.datasets.agreement_rows` (every coder but the adjudicated
  one), computed in a worker for the chosen codebook and story; values below 0.667 are flagged.
  Rows name measures in words, codes by their names, questions as asked (the codebook's title
  in the tooltip; never an internal key, see ``adjudication.Names``), α_u per code and over all codes
  (docs/agreement.md); a figure on fewer than ``MIN_UNITS`` units says "few units" with a
  tooltip, and values are formatted by ``format_value`` (never "-0.000").
* "Disagreements" lists :func:`annotate.datasets.disagreement_list`.  Selecting one opens the
  article with every coder's coding visible and the range selected, and shows the coders'
  versions side by side for adjudication (``adjudication.AdjudicationPanel``).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDockWidget, QHBoxLayout, QHeaderView, QLabel,
    QMenu, QPushButton, QSizePolicy, QSplitter, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout,
    QWidget,
)

from framelens import store
from framelens.annotate.analysis.agreement import MEASURE_LABELS, MIN_UNITS, format_value
from framelens.annotate.ops.datasets import DisagreementItem, agreement_rows, disagreement_list

from framelens.desktop.widgets import theme
from framelens.desktop.widgets.inert import plain_tooltip
from .adjudication import AdjudicationPanel, Names, article_title
from framelens.desktop.shell.session import ALL, Session
from framelens.desktop.shell.workers import TaskRunner
from framelens.desktop.shell.docks import add_dock
from framelens.desktop.shell.registry import DockEntry
from framelens.desktop.widgets.dock_front import bring_to_front

RELIABLE, TENTATIVE = 0.800, 0.667
THRESHOLDS = ("Krippendorff's α and Cohen's κ: ≥ 0.800 reliable; 0.667–0.800 tentative (draw "
              "only tentative conclusions); below 0.667 the coding is not reliable enough — "
              "revise the code's definition and retrain the coders.")
MEASURES = {
    "article_presence_alpha": "α, code present in the article",
    "alpha_u": "α_u, coded spans",
    "alpha_u_all": "α_u, all codes",
    "character_alpha": "α, characters coded",
    "categorical_alpha": "α, answers",
    "cohen_kappa_presence": "Cohen's κ, code present",
    "cohen_kappa_answer": "Cohen's κ, answers",
}
FEW_UNITS = ("Only {n} unit(s): fewer than {min} — with so few units the figure says little "
             "about reliability, whatever its value.")
AGREEMENT_COLUMNS = ("Measure", "Code or question", "Coders", "Units", "Coders (n)", "Value",
                     "Reading")
#: tables whose changes can change agreement or the disagreements (an empty Changes, e.g. the
#: undo of a "keep none" decision, counts too)
RELEVANT = ("annotations", "article_labels", "codes", "codebooks", "coders", "actions",
            "stories", "story_articles")
ITEM_COLUMNS = ("Article", "Code or question", "Where", "Coders", "State")


def reading(value: float | None) -> str:
    if value is None:
        return "undefined"
    if value >= RELIABLE:
        return "reliable"
    if value >= TENTATIVE:
        return "tentative"
    return "not reliable"


def warning_color() -> QColor:
    return QColor("#6B4A12") if theme.is_dark() else QColor("#FBE3B5")


def item_key(item: DisagreementItem) -> tuple:
    return (item.kind, item.article_id, item.code, item.question, item.start)


class _Item(QTableWidgetItem):
    """A cell that sorts by its UserRole value (numbers as numbers)."""

    def __init__(self, text: str, key=None):
        super().__init__(text)
        self.setData(Qt.UserRole, text if key is None else key)

    def __lt__(self, other) -> bool:
        a, b = self.data(Qt.UserRole), other.data(Qt.UserRole)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


def _table(headers) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectRows)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.setAlternatingRowColors(True)
    t.verticalHeader().hide()
    t.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class AgreementView(QWidget):
    """Agreement table and disagreement list with adjudication, filtered by codebook and story."""

    agreementLoaded = Signal()
    disagreementsLoaded = Signal()

    def __init__(self, session: Session, runner: TaskRunner,
                 open_article: Callable[[int, tuple[int, int] | None], object] | None = None,
                 parent=None):
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.open_article = open_article
        self.rows: list = []
        self.items: list[DisagreementItem] = []
        self._seq = {"agreement": 0, "disagreements": 0}
        self.stale = True
        self._in_flight = 0
        self._pending = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        bar = QHBoxLayout()
        self.codebook = QComboBox()
        self.story = QComboBox()
        self.refresh_button = QPushButton("Refresh")
        self.status = QLabel()
        self.status.setEnabled(False)
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)   # cut, not wider
        for label, w in (("Codebook", self.codebook), ("Articles", self.story)):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.status, 1)
        lay.addLayout(bar)
        self.notice = QLabel()             # why there is nothing to measure, what would fill it
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.PlainText)
        self.notice.hide()
        lay.addWidget(self.notice)
        self.tabs = QTabWidget()
        self.table = _table(AGREEMENT_COLUMNS)
        self.table.setSortingEnabled(True)
        self.table.setToolTip(THRESHOLDS)
        self.tabs.addTab(self.table, "Agreement")
        page = QWidget()
        pl = QVBoxLayout(page)
        pl.setContentsMargins(0, 4, 0, 0)
        self.open_only = QCheckBox("Only those not adjudicated yet")
        pl.addWidget(self.open_only)
        split = QSplitter(Qt.Horizontal)
        self.item_table = _table(ITEM_COLUMNS)
        self.panel = AdjudicationPanel(session)
        split.addWidget(self.item_table)
        split.addWidget(self.panel)
        split.setSizes([420, 680])
        pl.addWidget(split, 1)
        self.tabs.addTab(page, "Disagreements")
        lay.addWidget(self.tabs, 1)

        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.codebook.activated.connect(lambda _i: self.refresh())
        self.story.activated.connect(lambda _i: self.refresh())
        self.open_only.toggled.connect(lambda _on: self._fill_items())
        self.item_table.itemSelectionChanged.connect(self._item_selected)
        self.panel.adjudicated.connect(self._item_adjudicated)
        session.changed.connect(self._on_changes)
        self.fill_filters()

    # -- filters --------------------------------------------------------------------------------
    def subject(self, row) -> str:
        """What an agreement row is about, in the user's words: the code's name, the question
        as asked, or "all codes"."""
        if row.measure == "alpha_u_all":
            return "all codes"
        if row.question is not None:
            return self.panel.names.question(row.codebook, row.question)
        return row.code_name or Names.code(row.code)

    def fill_filters(self) -> None:
        self.panel.names.refresh(self.session.project)
        for box, first, values in (
                (self.codebook, "All codebooks",
                 [(b.name, b.key) for b in store.list_codebooks(self.session.project)]),
                (self.story, "Whole project",
                 [(s.name, s.id) for s in store.list_stories(self.session.project)])):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(first, None)
            for text, data in values:
                box.addItem(text, data)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)

    def scope(self) -> dict:
        key = self.codebook.currentData()
        return {"codebooks": [key] if key else None, "story": self.story.currentData()}

    # -- loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute both tabs in workers; while they run, a further request waits for them."""
        self._timer.stop()
        self.stale = False
        if self._in_flight:
            self._pending = True
            return
        scope = self.scope()
        self.status.setText("Computing…")
        for name, fn, done in (("agreement", agreement_rows, self._rows_loaded),
                               ("disagreements", disagreement_list, self._items_loaded)):
            self._seq[name] += 1
            seq = self._seq[name]
            # on_done / on_error are connected before the task starts (a connection made after
            # submit() could miss a fast task's signal); only a UI event can cancel it, later
            self._in_flight += 1
            task = self.runner.submit(
                self.session.path, lambda project, progress, cancelled, f=fn: f(project, **scope),
                label="Computing agreement",
                on_done=lambda result, n=name, s=seq, d=done: (
                    self._landed(), s == self._seq[n] and d(result)),
                on_error=lambda msg: (self._landed(), self.status.setText(f"⚠ {msg}")))
            task.signals.cancelled.connect(self._landed)

    def _landed(self) -> None:
        self._in_flight -= 1
        if not self._in_flight and self._pending:
            self._pending = False
            self.refresh()

    def _on_changes(self, changes: store.Changes) -> None:
        if changes.touched("codebooks") or changes.touched("stories"):
            self.fill_filters()
        if changes.touched("articles"):
            self.panel.titles.clear()            # a title may have been edited
        if changes and not any(changes.touched(t) for t in RELEVANT):
            return          # an article's metadata or memo: agreement is unchanged
        if self.isVisible():
            self._timer.start()
        else:
            self.stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.stale:
            self.fill_filters()
            self.refresh()

    def _rows_loaded(self, rows: list) -> None:
        self.rows = rows
        t = self.table
        t.setSortingEnabled(False)
        t.setRowCount(len(rows))
        warn, names = warning_color(), self.panel.names
        for r, row in enumerate(rows):
            what = self.subject(row)        # the code's name, never its internal key
            value = format_value(row.value)  # never "-0.000"
            shown = reading(row.value) + (" · few units" if row.few_units else "")
            measure = MEASURES.get(row.measure) or MEASURE_LABELS.get(row.measure, "agreement")
            cells = (_Item(measure), _Item(what),
                     _Item(", ".join(row.coders)), _Item(f"{row.n_units:,}", row.n_units),
                     _Item(str(row.n_coders), row.n_coders),
                     _Item(value, -1.0 if row.value is None else row.value),
                     _Item(shown))
            tip = (f"{value}: {reading(row.value)}. " if row.value is not None else
                   "Undefined: too few units coded by two or more coders, or no variation. ") \
                + (FEW_UNITS.format(n=row.n_units, min=MIN_UNITS) + " " if row.few_units else "") \
                + THRESHOLDS
            if row.codebook and row.code:
                tip = f"{what} (codebook: {names.codebook(row.codebook)}). " + tip
            for c, cell in enumerate(cells):
                cell.setToolTip(tip)
                if row.flagged:
                    cell.setBackground(warn)
                if c in (3, 4, 5):
                    cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                t.setItem(r, c, cell)
        t.setSortingEnabled(True)
        t.resizeColumnsToContents()
        self._update_status()
        self.agreementLoaded.emit()

    def _items_loaded(self, items: list[DisagreementItem]) -> None:
        self.items = items
        self._fill_items()
        self._update_status()
        self.disagreementsLoaded.emit()

    def _visible_items(self) -> list[DisagreementItem]:
        return [i for i in self.items if not (self.open_only.isChecked() and i.adjudicated)]

    def _fill_items(self) -> None:
        selected = self.panel.item
        key = item_key(selected) if selected is not None else None
        shown = self._visible_items()
        t = self.item_table
        t.blockSignals(True)
        t.setRowCount(len(shown))
        again = None
        for r, item in enumerate(shown):
            where = f"{item.start}–{item.end}" if item.kind == "span" else "article"
            title = article_title(self.session.project, item, self.panel.titles)
            full = (f"{item.outlet or '—'}, {item.country or '—'}: "
                    + article_title(self.session.project, item, self.panel.titles, 300))
            cells = (f"{item.outlet or '—'} · {item.country or '—'} · {title}",
                     self.panel.names.subject(item), where,
                     ", ".join(item.covering), "adjudicated" if item.adjudicated else "open")
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.UserRole, r)
                cell.setToolTip(plain_tooltip(full))
                t.setItem(r, c, cell)
            if key is not None and item_key(item) == key:
                again = (r, item)
        t.resizeColumnsToContents()
        for c, most in ((0, 230), (1, 220)):   # the article and the code share the width
            t.setColumnWidth(c, min(t.columnWidth(c), most))
        if again is not None:
            t.selectRow(again[0])
            if again[1].versions == selected.versions:
                self.panel.update_state(again[1])
            else:
                self.panel.set_item(again[1], self.panel.text)
        t.blockSignals(False)

    def needs(self) -> str:
        """Why agreement cannot be measured in this selection and what would make it possible
        ("" when two or more coders have coded in it)."""
        coders = sorted({c for r in self.rows for c in r.coders})
        if len(coders) >= 2:
            return ""
        where = "these articles" if self.story.currentData() is not None else "this project"
        how = ("switch coder (Coder → Switch coder…) and code the same articles, or bring in "
               "another coder's copy (File → Merge a coder's project…).")
        if not coders:
            return (f"Nothing coded in {where} yet. Agreement compares the codings of two or "
                    "more coders on the same articles: code some passages, then " + how)
        return (f"Needs a second coder: only {coders[0]} has coded in {where}. Agreement "
                "compares two or more coders on the same articles: " + how)

    def _update_status(self) -> None:
        needs = self.needs()
        self.notice.setText(needs)
        self.notice.setVisible(bool(needs))
        flagged = sum(1 for r in self.rows if r.flagged)
        few = sum(1 for r in self.rows if r.few_units and r.value is not None)
        open_n = sum(1 for i in self.items if not i.adjudicated)
        self.status.setText(f"{len(self.rows)} measures, {flagged} below {TENTATIVE:.3f}"
                            + (f", {few} on fewer than {MIN_UNITS} units (say little)"
                               if few else "")
                            + f" · {len(self.items)} disagreements, {open_n} open")
        self.status.setToolTip(self.status.text())

    # -- selection and adjudication -------------------------------------------------------------
    def select_item(self, index: int) -> DisagreementItem | None:
        """Select the ``index``-th listed disagreement (as a click does)."""
        if not 0 <= index < self.item_table.rowCount():
            return None
        self.tabs.setCurrentIndex(1)
        self.item_table.selectRow(index)
        return self.panel.item

    def _item_selected(self) -> None:
        rows = {i.row() for i in self.item_table.selectedIndexes()}
        shown = self._visible_items()
        if not rows or min(rows) >= len(shown):
            return
        item = shown[min(rows)]
        try:
            text = store.get_text(self.session.project, item.article_id)
        except store.ProjectError:
            text = ""
        self.panel.set_item(item, text)
        self.session.set_view(ALL)
        if self.open_article is not None:
            self.open_article(item.article_id,
                              (item.start, item.end) if item.kind == "span" else None)
            self.item_table.setFocus()

    def _item_adjudicated(self, item: DisagreementItem) -> None:
        row = self.item_table.currentRow()
        if 0 <= row < self.item_table.rowCount():
            self.item_table.item(row, 4).setText("adjudicated")
        self._update_status()


def install_agreement(window) -> QDockWidget:
    """Add the Agreement dock (tabbed with the annotations table) and Tools → Agreement and
    adjudication, which brings it to the front (open, its tab selected, focused) and recomputes.
    The view and the dock are registered on ``window.features`` (``get(AgreementView)``,
    ``dock("agreementDock")``)."""
    view = AgreementView(window.session, window.runner,
                         lambda aid, sel: window.open_article(aid, select=sel), window)
    dock = add_dock(window, view, "Agreement", "agreementDock")
    act = QAction("&Agreement and adjudication", window)
    act.setShortcut(QKeySequence("Ctrl+Shift+A"))
    act.setStatusTip("Inter-coder agreement, the disagreements, and the adjudicated coding")
    act.setToolTip(act.statusTip())

    def show() -> None:
        bring_to_front(dock, view.tabs, room=360)     # room for the versions side by side
        view.refresh()

    act.triggered.connect(lambda _c=False: show())
    window.addAction(act)
    bar = window.menuBar()
    menus = {a.text().replace("&", ""): a for a in bar.actions()}
    tools = menus.get("Tools")
    if tools is None:
        menu = QMenu("&Tools", window)
        if "Help" in menus:
            bar.insertMenu(menus["Help"], menu)
        else:
            bar.addMenu(menu)
    else:
        menu = tools.menu()
    menu.addAction(act)
    window.features.add(view)
    window.features.add_dock(DockEntry("agreement", "agreementDock", dock, action=act))
    return dock
