"""The comparison dashboard (View → Comparison dashboard): for a story or the whole project, per
outlet or per country, the tables of ``annotate.compare`` — frame prevalence, primary frames,
Semetko & Valkenburg frame scores, contested-name choices, voices heard by country, actor
prominence — each with a chart (heatmap or stacked bars) and its numbers.

A chart with nothing to show says why and what would fill it, each tab's tooltip says how its
figures are counted, and the headings are words (``dashboard_words``).

Clicking a cell of a chart or a row of a table lists the spans behind the number; double-clicking
one opens its article in a column at that span.  Each chart exports as PNG and SVG, each table as
CSV (``annotate.compare.write_csv``), or all tables at once.  The numbers are read in a worker
(its own project connection) and recomputed when codings change while the dashboard is shown;
switching coders, unit, chart or value only rebuilds from what was read.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDockWidget, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
    QPushButton, QSizePolicy, QSplitter, QStackedWidget, QTableView, QTabWidget, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from framelens import store
from framelens.annotate.ops import compare

from .alignment_view import view_menu
from .dashboard_words import DEFINITIONS, answers_detail, heading, one_unit_note, why_empty
from framelens.desktop.widgets.charts import Heatmap, StackedBars, format_value
from framelens.desktop.widgets.inert import plain_tooltip
from framelens.desktop.widgets.theme import country_color
from framelens.desktop.shell.docks import add_dock
from framelens.desktop.shell.registry import DockEntry
from framelens.desktop.widgets.dock_front import bring_to_front

#: per table: the values a chart can show (column, label); the first fits when nothing is coded
VALUES = {
    "frame_prevalence": [("share_chars", "Share of coded characters"),
                         ("share_articles", "Share of coded articles"),
                         ("covered_chars", "Coded characters"),
                         ("articles_with_frame", "Articles with the frame")],
    "primary_frames": [("share_labelled", "Share of articles (primary-frame answers)"),
                       ("share_largest_coverage", "Share of articles (frame covering the most text)")],
    "frame_scores": [("mean_score", "Mean frame score (0–1)")],
    "contested_names": [("suggested", "Names suggested, by side"), ("coded", "Names coded, by side")],
    "voices": [("share_suggested", "Share of voice passages (suggested)"),
               ("share_coded", "Share of voice passages (coded)"),
               ("suggested_passages", "Voice passages (suggested)"),
               ("coded_passages", "Voice passages (coded)")],
    "actors": [("share_articles", "Share of articles naming the actor (suggested)"),
               ("share_coded_articles", "Share of articles naming the actor (coded)"),
               ("suggested_mentions", "Mentions (suggested)"), ("coded_mentions", "Mentions (coded)")],
}
#: tables whose bars are parts of a whole (drawn to 100%)
WHOLE = {"primary_frames", "contested_names", "voices"}
FRAME_TABLES = ("frame_prevalence", "primary_frames")
ROOM = 420          # the least height (px) a docked dashboard is given when brought to the front
WATCHED = ("annotations", "article_labels", "suggestions", "suggestion_decisions", "codes")


class TableModel(QAbstractTableModel):
    """A dashboard table's rows (shares shown as percentages)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.columns: list[str] = []
        self.rows: list[dict] = []

    def set_table(self, table: compare.Table) -> None:
        self.beginResetModel()
        self.columns, self.rows = list(table.columns), list(table.rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        col = self.columns[index.column()]
        v = self.rows[index.row()].get(col)
        if role == Qt.DisplayRole:
            if col.startswith("share_"):
                return "" if v is None else f"{v * 100:.1f}%"
            if isinstance(v, float):
                return f"{v:.3f}"
            return "" if v is None else str(v)
        if role == Qt.TextAlignmentRole and isinstance(v, (int, float)):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.UserRole:
            return v
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return heading(self.columns[section])
        return None


class TablePage(QWidget):
    """One tab: the chart (heatmap or stacked bars), the numbers, the spans behind a number."""

    cellChosen = Signal(str, str)          # unit, category

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.name = name
        self.table: compare.Table | None = None
        self.empty_text = ""           # why the chart is empty, what would fill it ("" if not)
        self.heatmap, self.bars = Heatmap(), StackedBars()
        self.charts = QStackedWidget()
        self.charts.addWidget(self.heatmap)
        self.charts.addWidget(self.bars)
        self.model = TableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.view.setSortingEnabled(False)
        self.evidence_label = QLabel("Click a cell of the chart or a row of the table to list the "
                                     "spans behind it; double-click one to open it.")
        self.evidence_label.setWordWrap(True)
        self.evidence_label.setTextFormat(Qt.PlainText)
        self.evidence = QTreeWidget()
        self.evidence.setHeaderLabels(["Passage", "Outlet", "Detail"])
        self.evidence.setRootIsDecorated(False)
        self.evidence.setUniformRowHeights(True)
        head = self.evidence.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(0, QHeaderView.Stretch)
        head.resizeSection(1, 110)
        head.resizeSection(2, 210)
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.view)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.evidence_label)
        lay.addWidget(self.evidence, 1)
        right.addWidget(box)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.charts)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        split.setSizes([1000, 760])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(split)
        for chart in (self.heatmap, self.bars):
            chart.cellClicked.connect(self.cellChosen)
            chart.setWhatsThis(DEFINITIONS[name])
        self.view.clicked.connect(self._row_clicked)

    @property
    def chart(self):
        return self.charts.currentWidget()

    def set_table(self, table: compare.Table, value: str, kind: str, subtitle: str,
                  empty: str = "", note: str = "") -> None:
        """Show ``table``; ``empty`` says why it has nothing to chart and what would fill it,
        ``note`` warns when there is only one unit to compare."""
        self.table = dataclasses.replace(table, value=value)
        units, cats, values = self.table.matrix()
        percent = value.startswith("share_")
        colors = dict(table.colors)
        if table.category == "speaker_country":
            colors.update({c: country_color(c if c != compare.UNKNOWN else None).name() for c in cats})
        label = dict(VALUES[self.name]).get(value, value)
        for chart in (self.heatmap, self.bars):
            chart.set_data(units, cats, values, colors=colors, percent=percent,
                           title=f"{table.title} — {label}",
                           subtitle=subtitle, empty=empty, note=note)
        self.empty_text = empty if not (units and cats) else ""
        self.bars.normalise = self.name in WHOLE
        self.charts.setCurrentWidget(self.heatmap if kind == "heatmap" else self.bars)
        self.model.set_table(self.table)

    def _row_clicked(self, index) -> None:
        if self.table is not None:
            row = self.model.rows[index.row()]
            self.cellChosen.emit(str(row[self.table.unit]), str(row[self.table.category]))

    def show_evidence(self, title: str, rows: list[dict],
                      questions: dict[str, tuple[str, str]] | None = None) -> None:
        """List the spans (or articles) behind a number; an article's answers, read by question
        key, are shown in words (``questions``: key -> (wording, kind))."""
        self.evidence.clear()
        for r in rows:
            text = " ".join((r["text"] or "").split())
            detail = r["detail"] or ""
            answers = answers_detail(detail, questions or {})
            item = QTreeWidgetItem([text, r["outlet"] or compare.NO_OUTLET,
                                    answers[0] if answers else detail])
            item.setToolTip(0, plain_tooltip(text))
            item.setToolTip(2, plain_tooltip(answers[1] if answers else detail))
            item.setData(0, Qt.UserRole, (r["article_id"], r["start"], r["end"]))
            self.evidence.addTopLevelItem(item)
        more = " (the first 200)" if len(rows) >= 200 else ""
        plural = "s" if len(rows) != 1 else ""
        self.evidence_label.setText(
            f"{title}: {len(rows)} span{plural}{more} — double-click one to open it" if rows
            else f"{title}: nothing behind it")


class Dashboard(QWidget):
    """Scope, coders, codebook, unit, chart and value selectors; one tab per table; exports."""

    computed = Signal()

    def __init__(self, session, runner, open_span, parent=None):
        super().__init__(parent)
        self.session, self.runner, self.open_span = session, runner, open_span
        self.raw: compare.RawStats | None = None
        self.dirty = True
        self._task = None
        self.scope = QComboBox()
        self.coders = QComboBox()
        self.codebook = QComboBox()
        self.unit = QComboBox()
        self.unit.addItem("By outlet", "outlet")
        self.unit.addItem("By country", "country")
        self.kind = QComboBox()
        self.kind.addItem("Heatmap", "heatmap")
        self.kind.addItem("Stacked bars", "bars")
        self.value = QComboBox()
        self.status = QLabel()
        self.status.setTextFormat(Qt.PlainText)
        self.status.setEnabled(False)
        # a long scope name must not widen the dock: the line is cut, the tooltip has it all
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        buttons = []
        for text, slot, tip in (("Refresh", self.refresh, "Read the numbers again"),
                                ("PNG…", self.export_png, "Save the chart as a PNG image"),
                                ("SVG…", self.export_svg, "Save the chart as an SVG drawing"),
                                ("CSV…", self.export_csv, "Save this table's numbers as CSV"),
                                ("All CSV…", self.export_all_csv,
                                 "Save every table, by outlet and by country, as CSV files")):
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda _c=False, f=slot: f())
            buttons.append(b)
        top = QHBoxLayout()
        # the combo boxes with long entries (story names, values) are short at least and grow
        # with the dock; the whole entry is in the tooltip
        for label, w, chars, grow in (("Scope", self.scope, 18, 4), ("Coders", self.coders, 12, 1),
                                      ("Frames", self.codebook, 12, 1), (None, self.unit, 0, 0),
                                      (None, self.kind, 0, 0), ("Show", self.value, 18, 2)):
            if label:
                top.addWidget(QLabel(label))
            if chars:
                w.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
                w.setMinimumContentsLength(chars)
                w.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
                w.currentTextChanged.connect(lambda text, box=w: box.setToolTip(text))
            top.addWidget(w, grow)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for b in buttons:
            bottom.addWidget(b)
        self.tabs = QTabWidget()
        self.pages: dict[str, TablePage] = {}
        for name in compare.TABLES:
            page = TablePage(name)
            page.cellChosen.connect(lambda u, c, pg=page: self.show_evidence(pg, u, c))
            page.evidence.itemDoubleClicked.connect(self._open_item)
            self.pages[name] = page
            i = self.tabs.addTab(page, compare.TITLES[name].split(" (")[0])
            self.tabs.setTabToolTip(i, DEFINITIONS[name])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.addLayout(top)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(bottom)
        self._fill_choices()
        self.scope.activated.connect(lambda _i: self.refresh())
        self.codebook.activated.connect(lambda _i: self.refresh())
        for combo in (self.coders, self.unit, self.kind):
            combo.activated.connect(lambda _i: self.render())
        self.value.activated.connect(lambda _i: self.render(keep_value=True))
        self.tabs.currentChanged.connect(lambda _i: self.render())
        self._timer = QTimer(self, singleShot=True, interval=800, timeout=self.refresh)
        session.changed.connect(self._changed)

    def _say(self, text: str) -> None:
        """The status line under the tabs (cut when the dock is narrow: the tooltip has it all)."""
        self.status.setText(text)
        self.status.setToolTip(text)

    # -- choices ----------------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        project = self.session.project
        current = self.scope.currentData()
        self.scope.clear()
        self.scope.addItem("Whole project", None)
        for s in store.list_stories(project):
            self.scope.addItem(f"{s.name} ({s.n_articles})", s.id)
        self.scope.setCurrentIndex(max(self.scope.findData(current), 0))
        book = self.codebook.currentData() or "policy_frames"
        self.codebook.clear()
        for cb in store.list_codebooks(project):
            if cb.applies_to != "article" and store.list_codes(project, cb.id):
                self.codebook.addItem(cb.name, cb.key)
        self.codebook.setCurrentIndex(max(self.codebook.findData(book), 0))

    def set_scope(self, story_id: int | None) -> None:
        i = self.scope.findData(story_id)
        if i >= 0 and i != self.scope.currentIndex():
            self.scope.setCurrentIndex(i)
            self.dirty = True
            if self.isVisible():
                self.refresh()

    # -- computing --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the numbers (in a worker)."""
        if self._task is not None:
            self._task.cancel()
        story, book = self.scope.currentData(), self.codebook.currentData() or "policy_frames"
        self._say("Reading the numbers…")

        def work(project, progress, cancelled):
            progress(0, 1, "Comparison dashboard")
            return compare.collect(project, story=story, codebook=book)

        self._task = self.runner.submit(self.session.path, work, label="Comparison dashboard",
                                        on_done=self._done, on_error=self._failed)
        self._task.signals.cancelled.connect(lambda t=self._task: self._cancelled(t))

    def _done(self, raw: compare.RawStats) -> None:
        self._task = None
        self.raw = raw
        self.dirty = False
        key = self.coders.currentData()
        self.coders.clear()
        for m in compare.coder_modes(raw):
            self.coders.addItem(m.label, m.key)
        self.coders.setCurrentIndex(max(self.coders.findData(key), 0))
        self.render()
        self.computed.emit()

    def _cancelled(self, task) -> None:
        if task is self._task:                    # not one replaced by a newer refresh
            self._task = None
            self._say("Cancelled — press Refresh to read the numbers")

    def _failed(self, message: str) -> None:
        self._task = None
        self._say(f"Could not read the numbers: {message}")

    def _changed(self, changes) -> None:
        if changes.touched("stories"):
            self._fill_choices()
        if any(changes.touched(t) for t in WATCHED):
            self.dirty = True
            if self.isVisible():
                self._timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.dirty and self._task is None:
            self.refresh()

    # -- showing ------------------------------------------------------------------------------------
    def mode(self) -> compare.CoderMode:
        return compare.find_mode(self.raw, self.coders.currentData() or "all")

    def current_page(self) -> TablePage:
        return self.tabs.currentWidget()

    def render(self, keep_value: bool = False) -> None:
        if self.raw is None:
            return
        mode, unit, kind = self.mode(), self.unit.currentData(), self.kind.currentData()
        tables = compare.build_tables(self.raw, mode, unit)
        page = self.current_page()
        chosen = self.value.currentData() if keep_value else None
        self.value.clear()
        for col, label in VALUES[page.name]:
            self.value.addItem(label, col)
        value = chosen or tables[page.name].value
        self.value.setCurrentIndex(max(self.value.findData(value), 0))
        book = self.raw.codebook.name if self.raw.codebook else "no codebook"
        subtitle = f"{self.raw.scope} · {mode.label}"
        for name, pg in self.pages.items():
            v = value if pg is page else tables[name].value
            units, cats, _values = tables[name].matrix()
            framed = name in FRAME_TABLES            # the Frames choice applies to these
            pg.set_table(tables[name], v, kind, f"{subtitle} · {book}" if framed else subtitle,
                         empty="" if units and cats else why_empty(self.raw, mode, name),
                         note=one_unit_note(self.raw, unit, units))
        n = sum(t[0] for t in self.raw.totals.values())
        self._say(f"{self.raw.scope}: {n:,} articles · {mode.label} · by {unit} "
                            "· hover a tab to see how its figures are counted")

    def show_evidence(self, page: TablePage, unit: str, category: str) -> list[dict]:
        if self.raw is None or page.table is None:
            return []
        rows = compare.evidence(self.session.project, self.raw, self.mode(), page.table, unit, category)
        matrix = page.table.matrix()
        value = None
        if unit in matrix[0] and category in matrix[1]:
            value = matrix[2][matrix[0].index(unit)][matrix[1].index(category)]
        shown = format_value(value, page.table.value.startswith("share_"))
        questions = {q.key: (q.text, q.kind) for q in store.list_questions(self.session.project)}
        page.show_evidence(f"{unit} × {category} ({shown})", rows, questions)
        return rows

    def _open_item(self, item: QTreeWidgetItem, _column: int) -> None:
        article_id, start, end = item.data(0, Qt.UserRole)
        self.open_span(article_id, (start, end) if end > start else None)

    # -- exports ------------------------------------------------------------------------------------
    def _ask(self, title: str, suffix: str, filt: str) -> str:
        page = self.current_page()
        name = f"{page.name}_by_{self.unit.currentData()}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), filt)
        return path

    def export_png(self, path: str | None = None) -> str | None:
        path = path or self._ask("Save the chart as PNG", ".png", "PNG images (*.png)")
        if path:
            self.current_page().chart.export_png(path)
            self._say(f"Saved {path}")
        return path or None

    def export_svg(self, path: str | None = None) -> str | None:
        path = path or self._ask("Save the chart as SVG", ".svg", "SVG drawings (*.svg)")
        if path:
            self.current_page().chart.export_svg(path)
            self._say(f"Saved {path}")
        return path or None

    def export_csv(self, path: str | None = None) -> str | None:
        page = self.current_page()
        if page.table is None:
            return None
        path = path or self._ask("Save the table as CSV", ".csv", "CSV files (*.csv)")
        if path:
            compare.write_csv(page.table, path)
            self._say(f"Saved {path}")
        return path or None

    def export_all_csv(self, folder: str | None = None) -> list[Path]:
        if self.raw is None:
            return []
        folder = folder or QFileDialog.getExistingDirectory(self, "Save every table as CSV into")
        if not folder:
            return []
        paths = compare.export_csv(self.raw, folder, self.mode())
        self._say(f"Saved {len(paths)} CSV files in {folder}")
        return paths


def install_dashboard(window) -> QDockWidget:
    """The dashboard dock (tabbed with the annotations table) and View → Comparison dashboard.

    The menu entry and Ctrl+Shift+D bring the dashboard to the front (open it, select its tab,
    focus it) rather than toggle it: a toggle closes a dock that is open behind another tab.
    The view and the dock are registered on ``window.features`` (``get(Dashboard)``,
    ``dock("dashboardDock")``)."""
    view = Dashboard(window.session, window.runner,
                     lambda aid, sel: window.open_article(aid, select=sel), window)
    dock = add_dock(window, view, "Comparison dashboard", "dashboardDock")
    act = QAction("Comparison &dashboard", window)
    act.setShortcut(QKeySequence("Ctrl+Shift+D"))
    act.setStatusTip("Frames, names, voices and actors per outlet and per country, with charts")
    act.setToolTip(act.statusTip())
    act.triggered.connect(lambda _c=False: bring_to_front(
        dock, view.tabs, room=max(ROOM, window.height() // 2)))
    window.addAction(act)
    menu = view_menu(window)
    if menu is not None:
        acts = menu.actions()
        menu.insertAction(acts[3] if len(acts) > 3 else None, act)
    if hasattr(window, "storyLoaded"):
        window.storyLoaded.connect(view.set_scope)
    window.features.add(view)
    window.features.add_dock(DockEntry("dashboard", "dashboardDock", dock, action=act))
    return dock
