"""Reviewing suggestions: the spaCy pipeline loaded in a worker at start, suggestion passes in a
worker, dashed outlines in the readers, and a review queue (a dock) driven by keys.

**Review mode** is the Suggestions dock being shown: only then are suggestions outlined in the
text and do the review keys below act; closing the dock, hiding it or bringing another dock's tab
to the front takes the outlines away (and gives the keys back to coding).  Which suggesters are
outlined and queued is chosen per suggester (``review_controls.py``: frame cues off by
default), and a sentence shows at most two outlines (``suggestion_layer.py``, the density rule).
The queue opens tall enough for a dozen rows; the learned suggester's box is folded below it.

Keys in a reader while the Suggestions dock is shown: J / K next / previous suggestion
(scrolled to and selected), A accept, X reject, S skip, E accept with edited bounds (the
reader's selection, else the Start/End boxes).  These letters are deliberately not code
shortcuts in the bundled codebooks; every other key still codes.  Every decision goes through
the session, so Ctrl+Z undoes it and all views refresh.  After every N decisions (a setting)
the learned suggester is retrained in a worker and its held-out precision/recall per code is
shown in the panel.  spaCy never runs in the UI process: the pipeline is loaded once, at start,
in a helper process (``annotate.suggest_worker``) that also runs the passes and the training,
driven from the window's worker threads — so neither the GIL nor a long spaCy batch can stall
the event loop.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMenu, QPushButton,
    QSlider, QSpinBox, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from framelens import store
from framelens.store.suggestions import accept_suggestions
from framelens.annotate.ops import suggest_project as sp
from framelens.annotate.ops.suggest_worker import shared_worker

from framelens.desktop.shell.registry import DockEntry, KeyHandler
from framelens.desktop.features.review_pipeline import CloseWatcher, PipelineLoading
from framelens.desktop.features.review_controls import (
    SuggesterToggles, article_titles, codebook_label, confirm_bulk, on_screen, suggester_label)
from framelens.desktop.reading.coding import trim_span
from framelens.desktop.panels.learned_box import LearnedBox
from framelens.desktop.reading.suggestion_layer import NO_CODE_COLOR, QueueModel, SuggestionLayer
from framelens.desktop.shell.workers import TaskRunner
from framelens.desktop.shell.docks import add_dock

REVIEW_KEYS = {"j": "next", "k": "previous", "a": "accept", "x": "reject", "s": "skip",
               "e": "edit_accept"}
QUEUE_ROWS = 12              # rows the queue is given room for when review opens
WATCHED = ("suggestions", "suggestion_decisions", "annotations", "codes")
LOAD_DELAY_MS = 800          # let the window paint before spaCy starts loading
PASS_BATCH_SIZE = 8          # small batches: ~300 MB peak in the helper, prompt Cancel
DEFAULT_RETRAIN_EVERY = sp.DEFAULT_EVERY_N


class ReviewPanel(PipelineLoading, QWidget):
    """The Suggestions dock: queue, decisions, bulk accept, learned-model metrics (loading the
    pipeline at start: ``review_pipeline.PipelineLoading``)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.comparison = window.comparison
        self.queue: list[store.Suggestion] = []
        self.index = -1
        self.dock = None                    # the Suggestions dock (install_review)
        self.toggles = SuggesterToggles(window.settings, self)
        self.toggles.changed.connect(lambda: self.refresh())
        self.show_act = QAction("Show suggestions in the text", self, checkable=True)
        self.show_act.setChecked(window.settings.value("review/show_suggestions", True, type=bool))
        self.show_act.toggled.connect(self._show_toggled)
        self.actions: dict[str, QAction] = {}
        self.confirm = confirm_bulk         # replaced in tests/screenshots to reach the box
        self.retrain_every = int(window.settings.value("review/retrain_every", DEFAULT_RETRAIN_EVERY))
        self.since_training = 0
        self.learned_version: str | None = None
        self.last_story: int | None = None
        self.suggest_task = None
        self.train_task = None
        self.last_report = None
        self.last_training = None
        self.pipeline_status = "spaCy: not loaded"
        self._prefer: list[int] = []
        self.loader = TaskRunner(self)      # start-up load: not the window's status-bar work
        self._build()
        self._load_metrics()

    # -- construction -------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)
        row = QHBoxLayout()
        self.suggest_btn = QPushButton("Suggest for open articles")
        self.suggest_btn.clicked.connect(lambda: self.suggest_open())
        self.story_btn = QPushButton("Story…")
        self.story_btn.setToolTip("Suggest for every article of a story")
        self.story_btn.clicked.connect(lambda: self.suggest_story())
        for w in (self.suggest_btn, self.story_btn):
            row.addWidget(w)
        lay.addLayout(row)
        lay.addWidget(self.toggles.bar())
        self.summary = QLabel("Open articles, then Suggest.")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.model = QueueModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Interactive)
        header.resizeSection(0, 8 * self.fontMetrics().averageCharWidth() + 24)
        for c in (1, 2):
            header.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        self.table.clicked.connect(lambda idx: self.go_to(idx.row()))
        lay.addWidget(self.table, 3)
        self.rationale = QLabel()
        self.rationale.setWordWrap(True)
        self.rationale.setMaximumHeight(2 * self.fontMetrics().lineSpacing() + 4)
        self.rationale.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.rationale)
        keys = QGridLayout()             # two rows of three: the dock is often ~300 px wide
        keys.setSpacing(3)
        self.buttons = {}
        for i, (key, text, slot) in enumerate((
                ("k", "◀ K", self.previous), ("j", "J ▶", self.next), ("s", "Skip S", self.skip),
                ("a", "Accept A", self.accept), ("x", "Reject X", self.reject),
                ("e", "Edit E", self.edit_accept))):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, f=slot: f())
            keys.addWidget(b, i // 3, i % 3)
            self.buttons[key] = b
        self.buttons["e"].setToolTip("Accept with the reader's selection as bounds (select, then "
                                     "press E), or with Start/End below")
        lay.addLayout(keys)
        bounds = QHBoxLayout()
        self.start_spin, self.end_spin = QSpinBox(), QSpinBox()
        for label, spin in (("Start", self.start_spin), ("End", self.end_spin)):
            spin.setRange(0, 0)
            bounds.addWidget(QLabel(label))
            bounds.addWidget(spin)
        bounds.addStretch(1)
        lay.addLayout(bounds)
        bulk = QHBoxLayout()
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setValue(int(self.window.settings.value("review/bulk_threshold", 80)))
        self.slider.valueChanged.connect(self._threshold_changed)
        self.bulk_btn = QPushButton()
        self.bulk_btn.clicked.connect(lambda: self.accept_above(self.threshold()))
        bulk.addWidget(self.slider, 1)
        bulk.addWidget(self.bulk_btn)
        lay.addLayout(bulk)
        self.learned_btn = QToolButton()
        self.learned_btn.setText("Learned suggester")
        self.learned_btn.setCheckable(True)
        self.learned_btn.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.learned_btn.setAutoRaise(True)
        self.learned_btn.toggled.connect(self._fold_learned)
        lay.addWidget(self.learned_btn)
        self.learned = LearnedBox(self.retrain_every)
        self.learned.trainRequested.connect(lambda: self.train(force=True))
        self.learned.everyChanged.connect(self._every_changed)
        self.learned.openRequested.connect(lambda aid, a, b: self.window.open_article(aid, select=(a, b)))
        lay.addWidget(self.learned, 2)
        self.learned_btn.setChecked(self.window.settings.value("review/learned_open", False, type=bool))
        self._fold_learned(self.learned_btn.isChecked())
        self._update_bulk()
        self._update_current()

    def _fold_learned(self, open_: bool) -> None:
        """The learned suggester's box is folded under the queue unless asked for (remembered)."""
        self.learned.setVisible(open_)
        self.learned_btn.setArrowType(Qt.DownArrow if open_ else Qt.RightArrow)
        self.window.settings.setValue("review/learned_open", open_)

    # -- review mode ----------------------------------------------------------------------------
    def reviewing(self) -> bool:
        """Review mode: the Suggestions dock is shown (not closed, not behind another tab)."""
        return self.dock is not None and self.dock.isVisible()

    def _show_toggled(self, on: bool) -> None:
        self.window.settings.setValue("review/show_suggestions", on)
        self._apply_visibility()

    def _apply_visibility(self) -> None:
        """Outlines only in review mode and while "Show suggestions in the text" is on."""
        on = self.reviewing() and self.show_act.isChecked()
        for col in self.comparison.columns:
            layer = getattr(col.reader, "suggestion_layer", None)
            if layer is not None:
                layer.set_visible(on)

    def open_review(self) -> None:
        """Show the dock in front and fill it; then, when its queue has room for fewer than
        :data:`QUEUE_ROWS` rows, take the missing height from the dock it shares its column
        with (the codebook, by default below it) — never below that dock's minimum."""
        self.dock.show()
        self.dock.raise_()
        self.refresh()
        self._settle()
        other = getattr(self.window, "codebook_dock", None)
        if self.dock.isFloating() or other is None or other.isHidden() or \
                self.window.dockWidgetArea(other) != self.window.dockWidgetArea(self.dock):
            return
        row = self.table.verticalHeader().defaultSectionSize()
        for _ in range(3):      # the panel shares height by stretch: measure again each step
            shown = self.table.viewport().visibleRegion().boundingRect().height()
            give = min(QUEUE_ROWS * row - shown,
                       other.height() - other.minimumSizeHint().height())
            if give <= 2:
                return
            self.window.resizeDocks([self.dock, other], [self.dock.height() + give,
                                                         other.height() - give], Qt.Vertical)
            self._settle()

    def _settle(self) -> None:
        """Lay the window out now, so sizes read next are the ones on screen."""
        self.window.layout().activate()
        QCoreApplication.sendPostedEvents(None, QEvent.LayoutRequest)

    def visible_rows(self) -> int:
        """How many whole queue rows are on screen now: inside the table's viewport and inside
        whatever clips the panel (the dock's scroll area, the dock): the figure the "queue of
        useful height" test checks, with :meth:`on_screen` for the buttons under it."""
        view = self.table.viewport()
        return sum(1 for r in range(self.model.rowCount())
                   if self.on_screen(view, self.table.visualRect(self.model.index(r, 0))))

    def on_screen(self, widget, rect=None) -> bool:
        return on_screen(widget, self.window, rect)

    # -- suggestion passes --------------------------------------------------------------------
    def suggest_open(self):
        ids = self.comparison.article_ids()
        if not ids:
            self.window.notify("Open some articles first, or use Suggest for story.")
            return None
        return self._run_pass({"article_ids": ids}, f"Suggesting for {len(ids)} open articles")

    def suggest_story(self, story_id: int | None = None):
        if story_id is None:
            story_id = self.last_story if self.last_story is not None else self._ask_story()
        if story_id is None:
            return None
        return self._run_pass({"story": story_id}, "Suggesting for the story")

    def _ask_story(self) -> int | None:
        stories = store.list_stories(self.session.project)
        if not stories:
            self.window.notify("The project has no stories yet.")
            return None
        names = [f"{s.name} ({s.n_articles})" for s in stories]
        name, ok = QInputDialog.getItem(self, "Suggest for story", "Story:", names, 0, False)
        return stories[names.index(name)].id if ok else None

    def _run_pass(self, selection: dict, label: str):
        if self.suggest_task is not None:
            self.window.notify("A suggestion pass is already running.")
            return None
        path, selection = self.session.path, dict(selection, batch_size=PASS_BATCH_SIZE)

        def work(project, progress, cancelled):
            return shared_worker().run("suggest", path, selection, progress=progress,
                                       cancelled=cancelled)

        self.suggest_btn.setEnabled(False)
        self.story_btn.setEnabled(False)
        task = self.window.runner.submit(None, work, label=label,
                                         on_done=self._pass_done, on_error=self._task_failed)
        task.signals.cancelled.connect(self._pass_cancelled)
        task.signals.finished.connect(self._pass_finished)
        self.suggest_task = task
        return task

    def _pass_done(self, report) -> None:
        self.last_report = report
        if self.pipeline_status == "spaCy: not loaded" and not self.loader.busy:
            self.load_pipeline()            # the helper is up now: this only asks it
        self.window.notify(f"Suggestions: {report.summary()}")
        if report.messages:
            self.window.nlp_label.setToolTip("\n\n".join(dict.fromkeys(
                [self.window.nlp_label.toolTip(), *report.messages])))
        self.refresh()

    def _pass_cancelled(self) -> None:
        self.window.notify("Suggestion pass cancelled; the articles done so far are stored.")
        self.refresh()

    def _pass_finished(self) -> None:
        self.suggest_task = None
        self.suggest_btn.setEnabled(True)
        self.story_btn.setEnabled(True)

    def _task_failed(self, message: str) -> None:
        self.window.notify(message, error=True)

    # -- the queue ----------------------------------------------------------------------------
    def _colors(self) -> dict[tuple[str, str], str]:
        keys = {cb.id: cb.key for cb in self.session.codebooks}
        return {(keys.get(c.codebook_id, ""), c.name): c.color for c in self.session.codes.values()
                if not c.merged_into}

    def refresh(self) -> None:
        """Re-read the open suggestions of the open articles for the current coder."""
        cols = [c for c in self.comparison.columns if c.article is not None]
        ids = [c.article_id for c in cols]
        current = self.current
        rows = sp.review_queue(self.session.project, coder_id=self.session.coder.id,
                               article_ids=ids, suggesters=self.toggles.shown(),
                               learned_version=self.learned_version) if ids else []
        by_code, colors = self._colors(), {}
        for s in rows:
            code = self.session.code(s.code_id) if s.code_id is not None else None
            colors[s.id] = code.color if code is not None else by_code.get((s.codebook, s.label),
                                                                           NO_CODE_COLOR)
        texts = {c.article_id: c.article.text for c in cols}
        self.queue = rows
        self.model.set_rows(rows, texts, colors)
        for col in cols:
            layer = SuggestionLayer.of(col.reader)
            layer.set_suggestions(col.article_id, [(s.id, s.start, s.end, colors[s.id], s.label,
                                                    s.score)
                                                   for s in rows if s.article_id == col.article_id])
        self._apply_visibility()
        position = {s.id: i for i, s in enumerate(rows)}
        wanted = [*self._prefer, current.id if current is not None else None]
        self._prefer = []
        hit = next((position[i] for i in wanted if i in position), None)
        if hit is None and rows and self.index >= 0:
            hit = min(self.index, len(rows) - 1)
        self.index = -1 if hit is None else hit
        self.summary.setText(f"{len(rows)} open suggestions in {len({s.article_id for s in rows})} "
                             f"of {len(ids)} open articles for {self.session.coder.name}"
                             if ids else "Open articles, then Suggest.")
        self._update_bulk()
        self._update_current(scroll=False)

    @property
    def current(self) -> store.Suggestion | None:
        return self.queue[self.index] if 0 <= self.index < len(self.queue) else None

    def go_to(self, index: int) -> None:
        if not self.queue:
            self.window.notify("No open suggestions for the open articles.")
            return
        self.index = max(0, min(index, len(self.queue) - 1))
        self._update_current(scroll=True)

    def next(self) -> None:
        self.go_to(self.index + 1 if self.index >= 0 else 0)

    def previous(self) -> None:
        self.go_to(self.index - 1 if self.index > 0 else 0)

    def _update_current(self, scroll: bool = False) -> None:
        s = self.current
        for col in self.comparison.columns:
            layer = getattr(col.reader, "suggestion_layer", None)
            if layer is not None:
                layer.set_current(s.id if s is not None and s.article_id == col.article_id else None)
        for key in ("a", "x", "s", "e"):
            self.buttons[key].setEnabled(s is not None)
        if s is None:
            self.rationale.setText("")
            self.table.clearSelection()
            return
        self.table.selectRow(self.index)
        book = escape(codebook_label(self.session.project, s.codebook))
        self.rationale.setText(f"<b>{escape(s.label)}</b> ({book}, {suggester_label(s.suggester)}, "
                               f"score {s.score:.2f}): {escape(s.rationale or '')}")
        col = self.comparison.column_for(s.article_id)
        n = len(col.article.text) if col is not None else s.end
        for spin, value in ((self.start_spin, s.start), (self.end_spin, s.end)):
            spin.blockSignals(True)
            spin.setRange(0, n)
            spin.setValue(value)
            spin.blockSignals(False)
        if scroll and col is not None:
            self.comparison.set_current(col)
            col.reader.select_cp(s.start, s.end)
            col.reader.setFocus()

    # -- decisions ----------------------------------------------------------------------------
    def _prefer_next(self) -> None:
        """After the decision the queue is re-read: go on with the suggestion after this one."""
        self._prefer = [x.id for x in self.queue[self.index + 1:self.index + 3]]

    def accept(self, start: int | None = None, end: int | None = None) -> int | None:
        s = self.current
        if s is None:
            return None
        self._prefer_next()
        edited = start is not None and (start, end) != (s.start, s.end)
        what = "Accept (edited bounds)" if edited else "Accept"
        result = self.session.perform(f"{what} {s.label} ({suggester_label(s.suggester)})", store.accept_suggestion,
                                      s.id, coder_id=self.session.coder.id, start=start, end=end)
        if result is None:
            return None
        self._decided(1)
        self._update_current(scroll=True)
        return result[0]

    def edit_accept(self) -> int | None:
        """Accept the current suggestion with edited bounds: the selection in its reader when
        it differs from the suggestion, else the Start/End boxes."""
        s = self.current
        if s is None:
            return None
        col = self.comparison.column_for(s.article_id)
        bounds = None
        if col is not None:
            sel = col.reader.selection_cp()
            if sel is not None:
                sel = trim_span(col.article.text, *sel)
                if sel[1] > sel[0] and sel != (s.start, s.end):
                    bounds = sel
        if bounds is None:
            bounds = (self.start_spin.value(), self.end_spin.value())
        if bounds[1] <= bounds[0]:
            self.window.notify("The edited bounds are empty: select the passage, then press E.")
            return None
        return self.accept(*bounds)

    def reject(self) -> None:
        self._decide("rejected")

    def skip(self) -> None:
        self._decide("skipped")

    def _decide(self, decision: str) -> None:
        s = self.current
        if s is None:
            return
        self._prefer_next()
        verb = "Reject" if decision == "rejected" else "Skip"
        changes = self.session.perform(f"{verb} {s.label} ({suggester_label(s.suggester)})", store.decide_suggestion,
                                       s.id, coder_id=self.session.coder.id, decision=decision)
        if changes is None:
            return
        if decision == "rejected":
            self._decided(1)
        self._update_current(scroll=True)

    def threshold(self) -> float:
        return self.slider.value() / 100.0

    def _update_bulk(self) -> None:
        t = self.threshold()
        n = sum(1 for s in self.queue if s.score >= t)
        self.bulk_btn.setText(f"Accept all ≥ {t:.2f} ({n})…")
        self.bulk_btn.setToolTip("Asks first, naming how many suggestions, of which suggesters "
                                 "and codes, in which articles; one Undo takes them all back")
        self.bulk_btn.setEnabled(n > 0)

    def _threshold_changed(self, value: int) -> None:
        self.window.settings.setValue("review/bulk_threshold", value)
        self._update_bulk()

    def accept_above(self, threshold: float) -> int:
        """Accept every queued suggestion scoring at least ``threshold`` (only the shown
        suggesters are queued) after a confirmation naming how many, of which suggesters and
        codes, in which articles; one store action, so one undo takes them all back."""
        rows = [s for s in self.queue if s.score >= threshold]
        if not rows:
            return 0
        titles = article_titles(self.comparison.columns)
        if not self.confirm(self, rows, titles, threshold):
            return 0
        n_art = len({s.article_id for s in rows})
        what = f"Accept {len(rows)} suggestions ≥ {threshold:.2f} in {n_art} article" + \
            ("s" if n_art != 1 else "")
        result = self.session.perform(what, accept_suggestions, [s.id for s in rows],
                                      coder_id=self.session.coder.id, what=what)
        if result is None:
            return 0
        self._decided(len(rows))
        return len(rows)

    def handle_key(self, column, key: str) -> bool:
        """Review keys typed in a reader while the dock is shown; False lets the key code."""
        action = REVIEW_KEYS.get(key)
        if action is None or not self.reviewing():
            return False
        getattr(self, action)()
        return True

    # -- learned suggester --------------------------------------------------------------------
    def _every_changed(self, value: int) -> None:
        self.retrain_every = value
        self.window.settings.setValue("review/retrain_every", value)

    def _decided(self, n: int) -> None:
        self.since_training += n
        if self.since_training >= self.retrain_every and self.train_task is None:
            self.train(force=False)

    def train(self, force: bool = True):
        """Run ``learned_cycle`` in a worker (retrains when due, or now with ``force``)."""
        if self.train_task is not None:
            self.window.notify("The learned suggester is already training.")
            return None
        path = self.session.path
        options = {"coder_id": self.session.coder.id, "every_n": self.retrain_every, "force": force}

        def work(project, progress, cancelled):
            return shared_worker().run("train", path, options, progress=progress,
                                       cancelled=cancelled)

        self.since_training = 0
        self.learned.set_training(True)
        task = self.window.runner.submit(None, work, label="Training the learned suggester",
                                         on_done=self._trained, on_error=self._task_failed)
        task.signals.finished.connect(self._train_finished)
        self.train_task = task
        return task

    def _trained(self, rep) -> None:
        self.last_training = rep
        if rep.trained:
            self.learned_version = rep.version
            self.window.notify(f"Learned suggester retrained: {rep.new_suggestions} new suggestions "
                               f"in {rep.unread_articles} uncoded articles")
            self.learned.show_metrics({"version": rep.version, "metrics": rep.metrics,
                                       "n_decisions": rep.n_decisions, "n_train": rep.n_train,
                                       "n_eval": rep.n_eval})
            self.learned.show_ranked(rep.ranked)
            self.refresh()
        else:
            self.learned.show_reason(rep.reason)

    def _train_finished(self) -> None:
        self.train_task = None
        self.learned.set_training(False)

    def _load_metrics(self) -> None:
        meta = sp.learned_metrics(self.session.project)
        if meta:
            self.learned_version = meta.get("version")
            self.learned.show_metrics(meta)


def install_review(window) -> ReviewPanel:
    """Add the Suggestions dock, the Suggestions menu, the review keys and the start-up load,
    registered on ``window.features``: the panel (``features.get(ReviewPanel)``; its
    ``actions``, ``show_act`` and ``toggles`` are the menu's actions), the dock (``reviewDock``)
    and the review key handler."""
    panel = window.features.add(ReviewPanel(window))
    dock = add_dock(window, panel, "Suggestions", "reviewDock", area=Qt.RightDockWidgetArea,
                    tab_with="article_dock")
    panel.dock = dock
    dock.visibilityChanged.connect(lambda _on: panel._apply_visibility())
    window.features.add_dock(DockEntry("review", "reviewDock", dock, action=dock.toggleViewAction()))
    specs = (("review", "&Review suggestions", "Ctrl+Shift+R", panel.open_review),
             ("suggest", "&Suggest for open articles", "Ctrl+Shift+G", panel.suggest_open),
             ("story", "Suggest for s&tory…", None, panel.suggest_story),
             ("train", "&Train the learned suggester now", None, lambda: panel.train(force=True)))
    for key, text, shortcut, slot in specs:
        act = panel.actions[key] = QAction(text, window)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda _c=False, f=slot: f())
    panel.actions["review"].setStatusTip(
        "The review queue: J/K next/previous, A accept, X reject, S skip, E edit bounds")
    menu = QMenu("&Suggestions", window)
    for act in panel.actions.values():
        window.addAction(act)
        menu.addAction(act)
    menu.addSeparator()
    menu.addAction(panel.show_act)
    shown = menu.addMenu("Suggesters &shown")
    shown.addActions(list(panel.toggles.actions.values()))
    bar = window.menuBar()
    help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    if help_menu is not None:
        bar.insertMenu(help_menu, menu)
    else:
        bar.addMenu(menu)
    window.features.add_keys(KeyHandler("review", panel.handle_key, priority=100,
                                        description="accept, reject or edit the current suggestion"))
    window.session.changed.connect(lambda ch: any(ch.touched(t) for t in WATCHED) and panel.refresh())
    window.session.coderChanged.connect(lambda _c: panel.refresh())
    window.comparison.articlesChanged.connect(panel.refresh)
    window.storyLoaded.connect(lambda sid: setattr(panel, "last_story", sid))
    panel.watcher = CloseWatcher(panel)
    QTimer.singleShot(LOAD_DELAY_MS, panel, panel._load_at_start)
    return panel
