"""Coded segments (View → Coded segments, Ctrl+Shift+F): every segment of the ticked codes across
the whole project — open in a column or not — with article, outlet, coder and the sentence around
it, the coded part marked in the code's colour.

Left: the codes of every codebook, each with its number of segments under the current filters;
tick one or several, and choose *Any* (OR: every segment of any ticked code) or *All* (AND:
segments that overlap a segment of every other ticked code in the same article — by the same
coder unless *same coder* is off; the rules are written in ``store/retrieval.py``).  Above the
table: coder, outlet or country, and story filters.  Enter or a double-click opens the article
in a column with the segment selected; *Export…* writes the listed segments as CSV (or JSON) through
``annotate.ops.retrieval``.

The segments are read in a worker (``TaskRunner``, its own connection): a stale answer — the
filters changed while it ran — is dropped.  The view listens to ``Session.changed`` and reads
again only when a table it shows was touched, and only while it is visible (else at its next
show).
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QButtonGroup, QCheckBox, QComboBox, QFileDialog,
    QHBoxLayout, QHeaderView, QLabel, QPushButton, QRadioButton, QSplitter, QStyle,
    QStyledItemDelegate, QStyleOptionViewItem, QTableView, QTextBrowser, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from framelens import store
from framelens.annotate.ops import retrieval as ops
from framelens.store import retrieval as rt
from framelens.store.ui_queries import article_leads

from .alignment_view import view_menu
from framelens.desktop.shell.docks import add_dock
from framelens.desktop.shell.registry import DockEntry

#: tables whose change can alter what the view lists
WATCHED = ("annotations", "codes", "codebooks", "coders", "articles", "outlets", "stories",
           "story_articles")
COLUMNS = ("Source", "Date", "Article", "Coder", "Code", "Segment")
SEGMENT_COLUMN = COLUMNS.index("Segment")
SegmentRole = Qt.UserRole + 1
#: height (pixels) the dock is given when shown, at least
RETRIEVAL_HEIGHT = 380


def _fold(text: str) -> str:
    """Whitespace (line breaks too) folded to single spaces, keeping an edge space."""
    return " ".join(text.split()) if not text else (
        (" " if text[0].isspace() else "") + " ".join(text.split())
        + (" " if text[-1].isspace() and text.strip() else ""))


def kwic_text(seg: store.Segment) -> str:
    """The segment in context on one line, the coded part between »«."""
    return ("…" if seg.clipped_left else "") + _fold(seg.before) + "»" + _fold(seg.quote) + "«" \
        + _fold(seg.after) + ("…" if seg.clipped_right else "")


class SegmentModel(QAbstractTableModel):
    """The listed segments; the Segment column's item carries the segment (``SegmentRole``)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.segments: list[store.Segment] = []
        self.leads: dict[int, str] = {}        # article id -> opening words, for untitled ones

    def set_segments(self, segments: list[store.Segment], leads: dict[int, str]) -> None:
        self.beginResetModel()
        self.segments, self.leads = list(segments), dict(leads)
        self.endResetModel()

    def title(self, seg: store.Segment) -> str:
        return seg.title or self.leads.get(seg.article_id) or f"Article {seg.article_id}"

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.segments)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        seg = self.segments[index.row()]
        col = index.column()
        if role == SegmentRole:
            return seg
        if role == Qt.DisplayRole:
            code = seg.code + (f" + {', '.join(seg.also)}" if seg.also else "")
            source = " ".join(x for x in (seg.country, seg.outlet) if x) or "—"
            return (source, seg.published or "undated", self.title(seg), seg.coder, code,
                    kwic_text(seg))[col]
        if role == Qt.ToolTipRole and col in (0, 2, 4):
            return {0: seg.outlet, 2: self.title(seg), 4: f"{seg.codebook}: {seg.code}"}[col]
        if role == Qt.DecorationRole and col == 4:
            return _swatch(seg.color)
        return None


def _swatch(color: str) -> QIcon:
    pix = QPixmap(10, 10)
    pix.fill(QColor(color))
    return QIcon(pix)


class KwicDelegate(QStyledItemDelegate):
    """Paints the Segment column as keyword in context: the text before the span right-aligned
    and cut on the left, the coded part bold on its code's colour in the middle, the text after
    cut on the right, so coded parts line up down the table."""

    def paint(self, painter, option, index) -> None:
        seg: store.Segment | None = index.data(SegmentRole)
        if seg is None:
            return super().paint(painter, option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, opt.widget)
        rect = opt.rect.adjusted(4, 0, -4, 0)
        bold = QFont(opt.font)
        bold.setBold(True)
        fm, bfm = QFontMetrics(opt.font), QFontMetrics(bold)
        selected = bool(opt.state & QStyle.State_Selected)
        pen = opt.palette.highlightedText().color() if selected else opt.palette.text().color()
        quote = bfm.elidedText(_fold(seg.quote), Qt.ElideMiddle, int(rect.width() * 0.6))
        qw = bfm.horizontalAdvance(quote) + 6
        side = max(0, (rect.width() - qw) // 2)
        before = ("…" if seg.clipped_left else "") + _fold(seg.before)
        after = _fold(seg.after) + ("…" if seg.clipped_right else "")
        left = fm.elidedText(before, Qt.ElideLeft, side)
        right = fm.elidedText(after, Qt.ElideRight, side)
        painter.save()
        painter.setPen(pen)
        painter.setFont(opt.font)
        painter.drawText(QRectF(rect.left(), rect.top(), side, rect.height()),
                         Qt.AlignRight | Qt.AlignVCenter, left)
        box = QRectF(rect.left() + side, rect.top() + 2, qw, rect.height() - 4)
        fill = QColor(seg.color)
        fill.setAlpha(150 if selected else 90)
        painter.fillRect(box, fill)
        painter.setFont(bold)
        painter.drawText(box, Qt.AlignCenter, quote)
        painter.setFont(opt.font)
        painter.drawText(QRectF(box.right(), rect.top(), side, rect.height()),
                         Qt.AlignLeft | Qt.AlignVCenter, right)
        painter.restore()


class SegmentTable(QTableView):
    """Enter (or Return) opens the current segment, as a double-click does."""

    activatedRow = Signal(int)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.currentIndex().isValid():
            self.activatedRow.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class RetrievalView(QWidget):
    """The coded-segment retrieval view (see the module docstring)."""

    refreshed = Signal()       # the listed segments were replaced (tests wait for it)

    def __init__(self, session, runner, open_segment, parent=None):
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.open_segment = open_segment       # (article_id, (start, end)) -> column
        self.segments: list[store.Segment] = []
        self.counts: dict[int, int] = {}
        self._generation = 0
        self._dirty = True
        self._filling = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(60)
        self._timer.timeout.connect(self.refresh)
        self._build()
        self.reload_choices()
        self._summarize()

    # -- widgets -------------------------------------------------------------------------------
    def _build(self) -> None:
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 4, 0)
        lv.addWidget(QLabel("Codes (tick one or several)"))
        self.codes = QTreeWidget()
        self.codes.setHeaderHidden(True)
        self.codes.setColumnCount(1)
        self.codes.itemChanged.connect(self._code_ticked)
        lv.addWidget(self.codes, 1)
        self.any_button = QRadioButton("Any (OR)")
        self.all_button = QRadioButton("All (AND: overlapping)")
        self.any_button.setToolTip("Every segment of any ticked code")
        self.all_button.setToolTip("Segments that overlap a segment of every other ticked code "
                                   "in the same article")
        self.any_button.setChecked(True)
        self.mode_group = QButtonGroup(self)
        for b in (self.any_button, self.all_button):
            self.mode_group.addButton(b)
            lv.addWidget(b)
        self.same_coder = QCheckBox("Overlaps by the same coder")
        self.same_coder.setChecked(True)
        self.same_coder.setToolTip("AND: the overlapping segment must be the same coder's")
        self.subcodes = QCheckBox("Include subcodes")
        self.subcodes.setToolTip("A ticked code stands for itself and every code below it")
        lv.addWidget(self.same_coder)
        lv.addWidget(self.subcodes)
        self.mode_group.buttonToggled.connect(lambda *_: self._changed())
        self.same_coder.toggled.connect(lambda *_: self._changed())
        self.subcodes.toggled.connect(lambda *_: self._changed())

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(4, 0, 0, 0)
        bar = QHBoxLayout()
        self.coder_combo, self.outlet_combo, self.story_combo = QComboBox(), QComboBox(), QComboBox()
        for label, combo in (("Coder", self.coder_combo), ("Outlet", self.outlet_combo),
                             ("Story", self.story_combo)):
            bar.addWidget(QLabel(label))
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.currentIndexChanged.connect(lambda *_: self._changed())
            bar.addWidget(combo)
        bar.addStretch(1)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Write the listed segments to a CSV (or .json) file")
        self.export_button.clicked.connect(self.export_dialog)
        bar.addWidget(self.export_button)
        rv.addLayout(bar)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        rv.addWidget(self.summary)
        self.model = SegmentModel(self)
        self.table = SegmentTable()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(SEGMENT_COLUMN, KwicDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        for i, width in enumerate((130, 84, 150, 60, 150)):
            head.resizeSection(i, width)
        head.setSectionResizeMode(SEGMENT_COLUMN, QHeaderView.Stretch)
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.row()))
        self.table.activatedRow.connect(self.open_row)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._preview(cur.row()))
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.preview)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        rv.addWidget(split, 1)

        outer = QSplitter(Qt.Horizontal)
        outer.addWidget(left)
        outer.addWidget(right)
        outer.setStretchFactor(1, 1)
        outer.setSizes([250, 1000])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(outer)

    # -- choices -------------------------------------------------------------------------------
    def reload_choices(self) -> None:
        """Codes, coders, outlets and stories from the project, keeping what was chosen."""
        project = self.session.project
        ticked = set(self.ticked_codes())
        self._filling = True
        try:
            self.codes.clear()
            for cb in store.list_codebooks(project):
                top = QTreeWidgetItem([cb.name])
                top.setFlags(Qt.ItemIsEnabled)
                top.setData(0, Qt.UserRole, None)
                self.codes.addTopLevelItem(top)
                self._add_codes(top, store.code_tree(project, cb.id), ticked)
            self._fill(self.coder_combo, "All coders",
                       [(c.name, c.id) for c in store.list_coders(project)])
            outlets = store.list_outlets(project)
            countries = sorted({o.country for o in outlets if o.country})
            self._fill(self.outlet_combo, "All outlets",
                       [(f"Country: {c}", f"country:{c}") for c in countries]
                       + [(o.name, f"outlet:{o.id}") for o in outlets])
            self._fill(self.story_combo, "Whole project",
                       [(s.name, s.id) for s in store.list_stories(project)])
        finally:
            self._filling = False
        self._show_counts()

    def _add_codes(self, parent: QTreeWidgetItem, codes, ticked: set[int]) -> None:
        for code in codes:
            item = QTreeWidgetItem([code.name])
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable | Qt.ItemIsSelectable)
            item.setData(0, Qt.UserRole, code.id)
            item.setIcon(0, _swatch(code.color))
            item.setToolTip(0, code.description or code.name)
            item.setCheckState(0, Qt.Checked if code.id in ticked else Qt.Unchecked)
            parent.addChild(item)
            self._add_codes(item, code.children, ticked)

    @staticmethod
    def _fill(combo: QComboBox, everything: str, items: list) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for text, data in items:
            combo.addItem(text, data)
        i = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(i, 0))
        combo.blockSignals(False)

    def _code_items(self):
        stack = [self.codes.topLevelItem(i) for i in range(self.codes.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item.data(0, Qt.UserRole) is not None:
                yield item
            stack[0:0] = [item.child(i) for i in range(item.childCount())]

    def ticked_codes(self) -> list[int]:
        """Ids of the ticked codes, in tree order."""
        return [it.data(0, Qt.UserRole) for it in self._code_items()
                if it.checkState(0) == Qt.Checked]

    def set_codes(self, code_ids, mode: str = rt.ANY) -> None:
        """Tick exactly ``code_ids`` and choose the mode (the codebook's "retrieve" and tests)."""
        wanted = set(code_ids)
        self._filling = True
        for it in self._code_items():
            it.setCheckState(0, Qt.Checked if it.data(0, Qt.UserRole) in wanted else Qt.Unchecked)
        self._filling = False
        (self.all_button if mode == rt.ALL else self.any_button).setChecked(True)
        self._changed()

    def _code_ticked(self, item, _column) -> None:
        if not self._filling and item.data(0, Qt.UserRole) is not None:
            self._changed()

    def query(self) -> store.SegmentQuery:
        """What the controls ask for."""
        kind, _sep, value = (self.outlet_combo.currentData() or "").partition(":")
        coder = self.coder_combo.currentData()
        return store.SegmentQuery(
            tuple(self.ticked_codes()), mode=rt.ALL if self.all_button.isChecked() else rt.ANY,
            coder_ids=None if coder is None else (coder,),
            outlet_ids=(int(value),) if kind == "outlet" else None,
            countries=(value,) if kind == "country" else None,
            story_id=self.story_combo.currentData(), same_coder=self.same_coder.isChecked(),
            with_subcodes=self.subcodes.isChecked())

    # -- reading -------------------------------------------------------------------------------
    def _changed(self) -> None:
        self.same_coder.setEnabled(self.all_button.isChecked())
        self._dirty = True
        self._generation += 1          # an answer still on its way is now stale
        if self.isVisible():
            self._timer.start()

    def session_changed(self, changes: store.Changes) -> None:
        """``Session.changed``: read again only if a shown table was touched."""
        if not any(changes.touched(t) for t in WATCHED):
            return
        if any(changes.touched(t) for t in WATCHED[1:]):
            self.reload_choices()
        self._changed()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self._timer.start()

    def refresh(self) -> None:
        """Read the segments (and the per-code counts) in a worker; drop a stale answer."""
        self._timer.stop()
        self._dirty = False
        self._generation += 1
        generation, query = self._generation, self.query()

        def work(project, _progress, _cancelled):
            counts = rt.code_counts(project, query)
            segments = rt.find_segments(project, query) if query.code_ids else []
            leads = article_leads(project, {s.article_id for s in segments if not s.title},
                                  n_chars=80)
            return generation, counts, segments, leads

        if query.code_ids:
            self.summary.setText("Reading…")
        self.runner.submit(self.session.path, work, label="Coded segments", on_done=self._done,
                           on_error=self._failed)

    def _done(self, result) -> None:
        generation, counts, segments, leads = result
        if generation != self._generation:
            return
        self.counts = counts
        self._show_counts()
        self.segments = segments
        self.model.set_segments(segments, leads)
        self._summarize()
        if segments:
            self.table.selectRow(0)
        else:
            self.preview.clear()
        self.refreshed.emit()

    def _failed(self, message: str) -> None:
        self.summary.setText(f"⚠ {message}")

    def _show_counts(self) -> None:
        self._filling = True
        for it in self._code_items():
            code_id = it.data(0, Qt.UserRole)
            code = self.session.code(code_id)
            name = code.name if code else it.text(0).rsplit(" (", 1)[0]
            n = self.counts.get(code_id, 0)
            it.setText(0, f"{name} ({n})" if n else name)
        for i in range(self.codes.topLevelItemCount()):
            top = self.codes.topLevelItem(i)
            top.setExpanded(any(self.counts.get(it.data(0, Qt.UserRole), 0) or
                                it.checkState(0) == Qt.Checked for it in _descendants(top)))
        self._filling = False

    def _summarize(self) -> None:
        q = self.query()
        if not q.code_ids:
            self.summary.setText("Tick one or several codes to list their coded segments across "
                                 "the whole project.")
            return
        c = rt.summarize(self.segments)
        names = [self.session.code(i).name for i in q.code_ids if self.session.code(i)]
        joined = (" AND " if q.mode == rt.ALL else " OR ").join(names)
        self.summary.setText(f"<b>{c['segments']}</b> segment(s) of {html.escape(joined)} in "
                             f"{c['articles']} article(s) from {c['outlets']} outlet(s), "
                             f"{c['coders']} coder(s) — Enter or double-click opens one")

    def _preview(self, row: int) -> None:
        if not 0 <= row < len(self.segments):
            self.preview.clear()
            return
        s = self.segments[row]
        fill = QColor(s.color)
        fill.setAlpha(110)
        rgba = f"rgba({fill.red()},{fill.green()},{fill.blue()},{fill.alphaF():.2f})"
        meta = " · ".join(x for x in (s.outlet, s.country, s.published, s.coder) if x)
        code = html.escape(s.code + (f" + {', '.join(s.also)}" if s.also else ""))
        body = (("…" if s.clipped_left else "") + html.escape(s.before)
                + f'<span style="background-color:{rgba}; font-weight:bold">{html.escape(s.quote)}</span>'
                + html.escape(s.after) + ("…" if s.clipped_right else "")).replace("\n", "<br>")
        memo = f"<p><i>Memo:</i> {html.escape(s.memo)}</p>" if s.memo else ""
        self.preview.setHtml(f"<p><b>{html.escape(self.model.title(s))}</b><br>"
                             f"{html.escape(meta)} · {code} · characters {s.start}–{s.end}</p>"
                             f"<p>{body}</p>{memo}")

    # -- acting --------------------------------------------------------------------------------
    def open_row(self, row: int):
        """Open the row's article in a column with its segment selected."""
        if 0 <= row < len(self.segments):
            s = self.segments[row]
            return self.open_segment(s.article_id, (s.start, s.end))
        return None

    def export_to(self, path: str | Path) -> int:
        """Write the listed segments (CSV, or JSON for a .json name); returns the rows written."""
        try:
            n = ops.export(self.segments, path)
        except (store.ProjectError, OSError) as exc:
            self.session.error.emit(f"Export of coded segments: {exc}")
            return 0
        self.session.message.emit(f"Wrote {n} coded segment(s) to {path}")
        return n

    def export_dialog(self) -> None:
        if not self.segments:
            self.session.message.emit("No segments listed: tick a code first.")
            return
        path, _f = QFileDialog.getSaveFileName(self, "Export coded segments",
                                               "coded-segments.csv",
                                               "CSV (*.csv);;JSON (*.json)")
        if path:
            self.export_to(path)


def _descendants(item: QTreeWidgetItem):
    for i in range(item.childCount()):
        child = item.child(i)
        yield child
        yield from _descendants(child)


def install_retrieval(window) -> RetrievalView:
    """The Coded segments dock (tabbed with the annotations table), View → Coded segments
    (Ctrl+Shift+F), registered on ``window.features``."""
    view = RetrievalView(window.session, window.runner,
                         lambda aid, sel: window.open_article(aid, select=sel), window)
    dock = add_dock(window, view, "Coded segments", "retrievalDock")
    act = dock.toggleViewAction()
    act.setText("Coded &segments")
    act.setShortcut(QKeySequence("Ctrl+Shift+F"))
    act.setStatusTip("Every coded segment of the ticked codes across the whole project")

    def reveal(on: bool) -> None:
        # the table it is tabbed with starts short; a list of segments in context needs room
        if on:
            QTimer.singleShot(0, lambda: (dock.raise_(), window.resizeDocks(
                [dock], [max(RETRIEVAL_HEIGHT, int(window.height() * 0.42))], Qt.Vertical)))

    act.toggled.connect(reveal)
    window.addAction(act)
    menu = view_menu(window)
    if menu is not None:
        menu.addAction(act)
    window.session.changed.connect(view.session_changed)
    window.features.add(view)
    window.features.add_dock(DockEntry("retrieval", "retrievalDock", dock, act))
    return view
