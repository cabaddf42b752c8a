"""Tools → Agreement: inter-coder reliability, the disagreements, and adjudicating them.

* "Agreement" lists :func:`annotate.datasets.agreement_rows` (every coder but the adjudicated
  one), computed in a worker for the chosen codebook and story; values below 0.667 are flagged.
  Rows name codes by their names (the codebook in the tooltip), α_u per code and over all codes
  (docs/agreement.md); a figure on fewer than ``MIN_UNITS`` units says "few units" with a
  tooltip, and values are formatted by ``format_value`` (never "-0.000").
* "Disagreements" lists :func:`annotate.datasets.disagreement_list`.  Selecting one opens the
  article with every coder's coding visible and the range selected, and shows the coders'
  versions side by side: "Use <coder>'s version" copies that span (or answer) into the coder
  ``adjudicated``; "Edit then adjudicate" copies it with other bounds; "Keep none" records that
  none applies.  Each is one :meth:`Session.perform` action, so Ctrl+Z undoes it.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDockWidget, QFrame, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QMenu, QPlainTextEdit, QPushButton, QScrollArea, QSpinBox, QSplitter,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from framelens import store
from framelens.annotate.analysis.agreement import MIN_UNITS, format_value, row_subject
from framelens.annotate.ops.datasets import DisagreementItem, agreement_rows, disagreement_list

from framelens.desktop.widgets import theme
from framelens.desktop.shell.session import ALL, Session
from framelens.desktop.shell.workers import TaskRunner
from framelens.desktop.shell.docks import add_dock

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


def short(text: str | None, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


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


class AdjudicationPanel(QWidget):
    """The coders' versions of one disagreement side by side, with the adjudication buttons."""

    adjudicated = Signal(object)        # the DisagreementItem

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.item: DisagreementItem | None = None
        self.text = ""
        self.use_buttons: dict[str, QPushButton] = {}
        self.edit_buttons: dict[str, QPushButton] = {}
        self._editing: dict | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.title = QLabel("Select a disagreement to see every coder's version.")
        self.title.setWordWrap(True)
        self.state = QLabel()
        self.state.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.state)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        lay.addWidget(self.scroll, 1)

        self.edit_box = QGroupBox("Edit then adjudicate")
        el = QHBoxLayout(self.edit_box)
        self.edit_from = QLabel()
        self.start_spin, self.end_spin = QSpinBox(), QSpinBox()
        self.start_spin.setToolTip("First character of the adjudicated span")
        self.end_spin.setToolTip("Character after the last one of the adjudicated span")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.edit_apply = QPushButton("Adjudicate with these bounds")
        self.edit_apply.clicked.connect(self.apply_edit)
        for w in (self.edit_from, QLabel("from"), self.start_spin, QLabel("to"), self.end_spin):
            el.addWidget(w)
        el.addWidget(self.preview, 1)
        el.addWidget(self.edit_apply)
        self.start_spin.valueChanged.connect(self._preview)
        self.end_spin.valueChanged.connect(self._preview)
        self.edit_box.hide()
        lay.addWidget(self.edit_box)
        row = QHBoxLayout()
        self.keep_none = QPushButton("Keep none")
        self.keep_none.setToolTip("None of the versions applies here: the adjudicated coding "
                                  "leaves this range without the code")
        self.keep_none.clicked.connect(self.apply_keep_none)
        row.addStretch(1)
        row.addWidget(self.keep_none)
        lay.addLayout(row)
        self.set_item(None)

    # -- showing --------------------------------------------------------------------------------
    def set_item(self, item: DisagreementItem | None, text: str = "") -> None:
        self.item, self.text = item, text
        self.use_buttons.clear()
        self.edit_buttons.clear()
        self._editing = None
        self.edit_box.hide()
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        self.keep_none.setVisible(item is not None and item.kind == "span")
        if item is None:
            self.title.setText("Select a disagreement to see every coder's version.")
            self.state.clear()
            self.scroll.setWidget(holder)
            return
        what = item.code or f"question {item.question}"
        where = f"characters {item.start}–{item.end}" if item.kind == "span" else "whole article"
        self.title.setText(f"<b>{what}</b> · {where} · article {item.article_id} "
                           f"({item.outlet or '—'}, {item.country or '—'}): {short(item.title)}")
        for coder, versions in item.versions.items():
            for v in versions:
                row.addWidget(self._version_box(coder, v), 1)
        for coder in item.missing:
            box = QGroupBox(coder)
            QVBoxLayout(box).addWidget(QLabel(f"(did not put {what.rsplit('/', 1)[-1]} here)"))
            row.addWidget(box, 1)
        self.scroll.setWidget(holder)
        self.update_state(item)

    def _version_box(self, coder: str, v: dict) -> QGroupBox:
        span = "quote" in v
        box = QGroupBox(f"{coder} · characters {v['start']}–{v['end']}" if span else coder)
        bl = QVBoxLayout(box)
        bl.setContentsMargins(6, 4, 6, 4)
        if span:
            quote = QPlainTextEdit(v["quote"])
            quote.setReadOnly(True)
            quote.setMaximumHeight(52)
            bl.addWidget(quote)
        else:
            bl.addWidget(QLabel(f"answer: <b>{v['value']}</b>"))
        buttons = QHBoxLayout()
        use = QPushButton(f"Use {coder}'s version" if span else f"Use {coder}'s answer")
        use.clicked.connect(lambda _c=False, vv=v, who=coder: self.use_version(who, vv))
        buttons.addWidget(use)
        self.use_buttons[coder] = use
        if span:
            edit = QPushButton("Edit then adjudicate…")
            edit.clicked.connect(lambda _c=False, vv=v, who=coder: self.begin_edit(who, vv))
            buttons.addWidget(edit)
            self.edit_buttons[coder] = edit
        buttons.addStretch(1)
        bl.addLayout(buttons)
        bl.addStretch(1)
        return box

    def update_state(self, item: DisagreementItem) -> None:
        self.item = item
        if not item.adjudicated:
            self.state.setText("Open: not adjudicated yet.")
            return
        parts = []
        for a in item.adjudication:
            if a.get("kept_none"):
                parts.append("none of the versions kept")
            elif "quote" in a:
                parts.append(f"{a['start']}–{a['end']} “{short(a['quote'], 80)}”")
            else:
                parts.append(f"answer {a['value']}")
        self.state.setText("Adjudicated: " + "; ".join(parts))

    # -- acting ---------------------------------------------------------------------------------
    def use_version(self, coder: str, v: dict, start: int | None = None,
                    end: int | None = None) -> bool:
        item = self.item
        if item is None:
            return False
        s = self.session
        had_adjudicator = store.find_coder(s.project, store.ADJUDICATED) is not None
        if "quote" in v:
            edited = start is not None and (start, end) != (v["start"], v["end"])
            quote = self.text[start:end] if edited and self.text else v["quote"]
            desc = (f"Adjudicate {item.code.rsplit('/', 1)[-1]}: {coder}'s version"
                    f"{' (edited)' if edited else ''} “{short(quote, 30)}”")
            result = s.perform(desc, store.adjudicate_span, v["id"], by_coder_id=s.coder.id,
                               start=start, end=end)
        else:
            desc = f"Adjudicate {item.code or item.question}: {coder}'s answer {v['value']}"
            result = s.perform(desc, store.adjudicate_label, v["id"], by_coder_id=s.coder.id)
        if result is None:
            return False
        _, changes = result
        if not had_adjudicator:
            adj = store.find_coder(s.project, store.ADJUDICATED)
            if adj is not None:     # created in its own action: let the coder lists know
                s.changed.emit(store.Changes(rows={"coders": {adj.id}}))
        if not changes:
            s.message.emit("That version already is the adjudicated coding")
        self._mark_done({"id": result[0], **({"start": start if start is not None else v["start"],
                                               "end": end if end is not None else v["end"],
                                               "quote": quote} if "quote" in v
                                              else {"value": v["value"]})})
        return True

    def begin_edit(self, coder: str, v: dict) -> None:
        self._editing = {"coder": coder, "version": v}
        n = len(self.text) if self.text else max(v["end"], self.item.end or 0)
        for spin in (self.start_spin, self.end_spin):
            spin.blockSignals(True)
            spin.setRange(0, n)
            spin.blockSignals(False)
        self.start_spin.setValue(v["start"])
        self.end_spin.setValue(v["end"])
        self.edit_from.setText(f"{coder}'s version,")
        self.edit_box.show()
        self._preview()
        self.start_spin.setFocus()

    def _preview(self) -> None:
        s, e = self.start_spin.value(), self.end_spin.value()
        ok = e > s
        self.edit_apply.setEnabled(ok and self._editing is not None)
        self.preview.setText(f"“{short(self.text[s:e], 90)}”" if ok and self.text else
                             ("" if ok else "the end must come after the start"))

    def apply_edit(self) -> bool:
        if self._editing is None:
            return False
        done = self.use_version(self._editing["coder"], self._editing["version"],
                                self.start_spin.value(), self.end_spin.value())
        if done:
            self.edit_box.hide()
            self._editing = None
        return done

    def apply_keep_none(self) -> bool:
        item, s = self.item, self.session
        if item is None or item.kind != "span":
            return False
        result = s.perform(f"Adjudicate {item.code.rsplit('/', 1)[-1]}: keep none "
                           f"({item.start}–{item.end})", store.reject_in_adjudication,
                           article_id=item.article_id, code_id=item.code_id, start=item.start,
                           end=item.end, by_coder_id=s.coder.id)
        if result is None:
            return False
        self._mark_done({"kept_none": True, "action_id": result.action_id,
                         "start": item.start, "end": item.end})
        return True

    def _mark_done(self, row: dict) -> None:
        self.item.adjudicated = True
        self.item.adjudication.append(row)
        self.update_state(self.item)
        self.adjudicated.emit(self.item)


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
        for label, w in (("Codebook", self.codebook), ("Articles", self.story)):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.status, 1)
        lay.addLayout(bar)
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
    def fill_filters(self) -> None:
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
        warn = warning_color()
        for r, row in enumerate(rows):
            what = row_subject(row)         # the code's name, never its internal key
            value = format_value(row.value)  # never "-0.000"
            shown = reading(row.value) + (" · few units" if row.few_units else "")
            cells = (_Item(MEASURES.get(row.measure, row.measure)), _Item(what),
                     _Item(", ".join(row.coders)), _Item(f"{row.n_units:,}", row.n_units),
                     _Item(str(row.n_coders), row.n_coders),
                     _Item(value, -1.0 if row.value is None else row.value),
                     _Item(shown))
            tip = (f"{value}: {reading(row.value)}. " if row.value is not None else
                   "Undefined: too few units coded by two or more coders, or no variation. ") \
                + (FEW_UNITS.format(n=row.n_units, min=MIN_UNITS) + " " if row.few_units else "") \
                + THRESHOLDS
            if row.codebook and row.code:
                tip = f"{what} (codebook {row.codebook}). " + tip
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
            cells = (f"{item.outlet or '—'} · {item.country or '—'} · {short(item.title, 40)}",
                     item.code or f"question: {item.question}", where,
                     ", ".join(item.covering), "adjudicated" if item.adjudicated else "open")
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.UserRole, r)
                cell.setToolTip(f"article {item.article_id}: {item.title or ''}")
                t.setItem(r, c, cell)
            if key is not None and item_key(item) == key:
                again = (r, item)
        t.resizeColumnsToContents()
        if again is not None:
            t.selectRow(again[0])
            if again[1].versions == selected.versions:
                self.panel.update_state(again[1])
            else:
                self.panel.set_item(again[1], self.panel.text)
        t.blockSignals(False)

    def _update_status(self) -> None:
        flagged = sum(1 for r in self.rows if r.flagged)
        few = sum(1 for r in self.rows if r.few_units and r.value is not None)
        open_n = sum(1 for i in self.items if not i.adjudicated)
        self.status.setText(f"{len(self.rows)} measures, {flagged} below {TENTATIVE:.3f}"
                            + (f", {few} on fewer than {MIN_UNITS} units (say little)"
                               if few else "")
                            + f" · {len(self.items)} disagreements, {open_n} open")

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
    """Add the Agreement dock (tabbed with the annotations table) and Tools → Agreement."""
    view = AgreementView(window.session, window.runner,
                         lambda aid, sel: window.open_article(aid, select=sel), window)
    dock = add_dock(window, view, "Agreement", "agreementDock")
    act = QAction("&Agreement and adjudication", window)
    act.setShortcut(QKeySequence("Ctrl+Shift+A"))
    act.setStatusTip("Inter-coder agreement, the disagreements, and the adjudicated coding")
    def show() -> None:
        dock.show()
        dock.raise_()
        if not dock.isFloating() and dock.height() < 360:   # room for the versions side by side
            window.resizeDocks([dock], [360], Qt.Vertical)
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
    window.agreement_view = view
    window.agreement_act = act
    return dock
