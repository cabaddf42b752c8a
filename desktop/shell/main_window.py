"""The main window: corpus (left), comparison columns (centre), codebook and article docks
(right), annotations table (bottom), toolbar, menus and status bar.

Layout and geometry are saved in QSettings and restored at the next start.  Loading a story runs
in a worker with progress and Cancel in the status bar; switching a single article into a column
is synchronous (a few milliseconds).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QComboBox, QDockWidget, QLabel, QMainWindow, QProgressBar,
    QPushButton, QStyle, QToolBar, QWidget,
)

from framelens import store

from framelens.desktop.widgets import theme
from framelens.desktop.features.agreement_view import install_agreement
from framelens.desktop.features.alignment_view import install_alignment
from framelens.desktop.panels.annotations_table import AnnotationsTable
from framelens.desktop.panels.article_panel import ArticlePanel
from framelens.desktop.panels.codebook_panel import CodebookPanel
from framelens.desktop.dialogs.coder_dialog import ask_coder
from framelens.desktop.reading.coding import CodingController
from framelens.desktop.reading.comparison import Comparison, display_title
from framelens.desktop.panels.corpus_panel import CorpusPanel
from framelens.desktop.features.dashboard import install_dashboard
from framelens.desktop.reading.diff_view import install_diff
from .help_overlay import HelpOverlay, shortcut_rows
from .layout import arrange_default_docks, install_layout
from .project_actions import ProjectActions
from .registry import FeatureRegistry, KeyHandler
from framelens.desktop.features.review import install_review
from framelens.desktop.features.retrieval import install_retrieval
from framelens.desktop.reading.margin import stripes_action
from framelens.desktop.dialogs.memos_dialog import install_memos
from .session import ALL, ME, Session
from .workers import TaskRunner

STORY_COLUMNS = 3


class MainWindow(QMainWindow):
    """One window on one open project."""

    storyLoaded = Signal(int)

    def __init__(self, session: Session, settings: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        self.settings = settings or QSettings()
        self.runner = TaskRunner(self)
        session.runner = self.runner          # where session.perform_in_background runs
        self._font_warned: set[str] = set()      # scripts already reported without a font
        self.setWindowTitle(f"FrameLens — {session.project.path.name}")
        self.setDockOptions(QMainWindow.AnimatedDocks | QMainWindow.AllowTabbedDocks)
        self.comparison = Comparison(session)
        self.setCentralWidget(self.comparison)
        self.corpus = CorpusPanel(session, self.runner)
        self.codebook = CodebookPanel(session)
        self.article_panel = ArticlePanel(session)
        self.table = AnnotationsTable(session)
        self.corpus_dock = self._dock("Corpus", "corpusDock", self.corpus, Qt.LeftDockWidgetArea)
        self.codebook_dock = self._dock("Codebook", "codebookDock", self.codebook, Qt.LeftDockWidgetArea)
        self.article_dock = self._dock("Article", "articleDock", self.article_panel, Qt.LeftDockWidgetArea)
        self.table_dock = self._dock("Annotations", "annotationsDock", self.table, Qt.BottomDockWidgetArea)
        # corpus | article tabs over the codebook on the left, the table under the columns only;
        # sizes are set at the first show (desktop/shell/layout.py)
        arrange_default_docks(self)
        self.coding = CodingController(session, self.comparison, self.codebook, self.notify)
        # What features add (objects, key handlers, paint layers, docks) goes through one typed
        # registry (desktop/shell/registry.py); a code key in a column is offered to the key
        # handlers by priority, the coding controller last.
        self.features = FeatureRegistry()
        self.features.add_keys(KeyHandler("coding", self.coding.key_pressed, priority=0,
                                          description="code the selection with the key's code"))
        self.comparison.key_hook = self.features.dispatch_key
        self.comparison.paint_layers = self.features.paint_layers
        self.features.add(HelpOverlay(self))               # ? or F1
        self._build_status_bar()
        self._build_actions()
        self._connect()
        self.features.add(ProjectActions(self))           # File menu: projects, import, export
        install_agreement(self)                           # Tools → Agreement and adjudication
        install_alignment(self)                           # View → Align story; gutters, omissions
        install_diff(self)                                # banner + word diff of shared copy
        install_dashboard(self)                           # View → Comparison dashboard
        install_review(self)                              # Suggestions menu + dock, spaCy loads
        install_retrieval(self)                           # View → Coded segments (features registry)
        install_memos(self)                               # Tools → Project memos…
        self._restore_layout()
        self._refresh_coders()
        self._history_changed()
        self.corpus.reload()

    # -- construction -----------------------------------------------------------------------------
    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable |
                         QDockWidget.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.coder_label = QLabel()
        self.nlp_label = QLabel("spaCy: not loaded")
        self.save_label = QLabel("All changes saved")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setFlat(True)
        self.cancel_button.clicked.connect(self.runner.cancel_all)
        for w in (self.progress, self.cancel_button):
            w.hide()
            bar.addPermanentWidget(w)
        for w in (self.coder_label, self.nlp_label, self.save_label):
            w.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(w)
        self.save_label.setToolTip("Every action is written to the project file at once.")

    def _action(self, text: str, slot, shortcut=None, *, tip: str = "", icon=None,
                checkable: bool = False) -> QAction:
        act = QAction(text, self)
        if icon is not None:
            act.setIcon(self.style().standardIcon(icon))
        if shortcut is not None:
            act.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        act.setToolTip(tip or text)
        act.setStatusTip(tip or text)
        act.setCheckable(checkable)
        (act.toggled if checkable else act.triggered).connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        S = QStyle
        self.open_act = self._action("&Open project…", self.open_project_dialog, QKeySequence.Open,
                                     icon=S.SP_DialogOpenButton)
        self.quit_act = self._action("&Quit", self.close, QKeySequence.Quit)
        self.undo_act = self._action("&Undo", self.session.undo, QKeySequence.Undo,
                                     icon=S.SP_ArrowBack)
        self.redo_act = self._action("&Redo", self.session.redo,
                                     [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")],
                                     icon=S.SP_ArrowForward)
        self.find_act = self._action("&Find in corpus", self._focus_search, QKeySequence.Find)
        self.step_act = self._action("Scroll in &step", self.comparison.set_scroll_in_step,
                                     "Ctrl+Shift+S", checkable=True, icon=S.SP_ArrowDown,
                                     tip="Scroll all columns together, proportionally")
        self.close_col_act = self._action("&Close column", self._close_current, QKeySequence.Close)
        self.coder_act = self._action("Switch &coder…", self.switch_coder_dialog)
        self.help_act = self._action("&Keyboard shortcuts", self.toggle_help,
                                     [QKeySequence("?"), QKeySequence("F1")],
                                     tip="Keyboard shortcuts (? or F1)")
        for act, short in ((self.undo_act, "Undo"), (self.redo_act, "Redo"),
                           (self.step_act, "Scroll in step"), (self.help_act, "Shortcuts ?")):
            act.setIconText(short)
        mb = self.menuBar()
        m = mb.addMenu("&File")
        m.addActions([self.open_act])
        m.addSeparator()
        m.addAction(self.quit_act)
        m = mb.addMenu("&Edit")
        m.addActions([self.undo_act, self.redo_act])
        m.addSeparator()
        m.addAction(self.find_act)
        m = mb.addMenu("&View")
        m.addActions([self.step_act, self.close_col_act])
        m.addAction(stripes_action(self))
        m.addSeparator()
        for dock in (self.corpus_dock, self.codebook_dock, self.article_dock, self.table_dock):
            m.addAction(dock.toggleViewAction())
        m.addSeparator()
        theme_menu = m.addMenu("&Theme")
        group = QActionGroup(self)
        current = self.settings.value("view/theme", theme.SYSTEM)
        self.theme_acts = {}
        for mode, label in ((theme.SYSTEM, "Follow the system"), (theme.LIGHT, "Light"), (theme.DARK, "Dark")):
            act = QAction(label, self, checkable=True)
            act.setChecked(mode == current)
            act.triggered.connect(lambda _c=False, md=mode: self.set_theme(md))
            group.addAction(act)
            theme_menu.addAction(act)
            self.theme_acts[mode] = act
        self.coder_menu = mb.addMenu("&Coder")
        self.coder_menu.addAction(self.coder_act)
        m = mb.addMenu("&Help")
        m.addAction(self.help_act)

        tb = QToolBar("Main", self)
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonTextOnly)
        tb.addActions([self.undo_act, self.redo_act])
        tb.addSeparator()
        tb.addAction(self.step_act)
        tb.addSeparator()
        tb.addWidget(QLabel(" Coder "))
        self.coder_combo = QComboBox()
        self.coder_combo.setEditable(False)
        self.coder_combo.setMinimumContentsLength(10)
        self.coder_combo.setToolTip("The coder your codings are recorded under")
        tb.addWidget(self.coder_combo)
        tb.addWidget(QLabel("  Show codings of "))
        self.view_combo = QComboBox()
        self.view_combo.setMinimumContentsLength(10)
        self.view_combo.setToolTip("Whose codings are drawn: yours, one other coder's (dashed), or everyone's")
        tb.addWidget(self.view_combo)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding,
                             spacer.sizePolicy().verticalPolicy().Preferred)
        tb.addWidget(spacer)
        tb.addAction(self.help_act)
        self.addToolBar(Qt.TopToolBarArea, tb)
        self.toolbar = tb

    def _connect(self) -> None:
        s = self.session
        s.historyChanged.connect(self._history_changed)
        s.committed.connect(lambda t: self.save_label.setText(f"All changes saved · {t}"))
        s.error.connect(lambda msg: self.notify(msg, error=True))
        s.message.connect(self.notify)
        s.coderChanged.connect(lambda _c: self._refresh_coders())
        s.viewChanged.connect(self._sync_view_combo)
        s.changed.connect(lambda ch: ch.touched("coders") and self._refresh_coders())
        self.corpus.articleActivated.connect(lambda aid: self.open_article(aid))
        self.corpus.storyActivated.connect(self.open_story)
        self.corpus.hitActivated.connect(lambda aid, off, n: self.open_article(aid, select=(off, off + n)))
        self.comparison.dropRequested.connect(self._dropped)
        self.comparison.articlesChanged.connect(self._articles_changed)
        self.comparison.currentChanged.connect(
            lambda col: self.article_panel.set_article(col.article if col else None))
        self.table.jumpRequested.connect(self.jump_to)
        self.runner.busyChanged.connect(self._busy)
        self.runner.progress.connect(self._progress)
        self.coder_combo.activated.connect(self._coder_chosen)
        self.view_combo.activated.connect(lambda _i: s.set_view(self.view_combo.currentData()))

    # -- opening articles ---------------------------------------------------------------------------
    def open_story(self, story_id: int, n: int = STORY_COLUMNS) -> None:
        """Open the first ``n`` articles of a story side by side (loaded in a worker)."""

        def work(project, progress, cancelled):
            ids = store.story_article_ids(project, story_id)[:n]
            loaded = []
            for i, aid in enumerate(ids):
                progress(i, len(ids), "Loading the story")
                loaded.append(store.get_article(project, aid))
            anns = store.list_annotations(project, article_ids=ids)
            progress(len(ids), len(ids), "")
            return [(a, [x for x in anns if x.article_id == a.id]) for a in loaded]

        def done(loaded) -> None:          # one column per turn of the event loop
            self.comparison.set_articles(loaded, on_loaded=lambda: self.storyLoaded.emit(story_id))

        self.runner.submit(self.session.path, work, label="Loading the story", on_done=done,
                           on_error=lambda msg: self.notify(msg, error=True))

    def open_article(self, article_id: int, *, at: int | None = None, replace=None,
                     select: tuple[int, int] | None = None):
        """Show one article (synchronously: one row and its annotations)."""
        try:
            article = store.get_article(self.session.project, article_id)
        except store.ProjectError as exc:
            self.notify(str(exc), error=True)
            return None
        anns = store.list_annotations(self.session.project, article_ids=[article_id])
        col = self.comparison.show_article(article, anns, at=at, replace=replace)
        self._warn_missing_fonts(article.text)
        if select is not None:
            col.reader.select_cp(*select)
        col.reader.setFocus()
        return col

    def _dropped(self, ids: list[int], at: int) -> None:
        for offset, aid in enumerate(ids):
            if self.comparison.column_for(aid) is None:
                self.open_article(aid, at=at + offset)

    def jump_to(self, ann: store.Annotation) -> None:
        col = self.comparison.column_for(ann.article_id) or self.open_article(ann.article_id)
        if col is not None:
            self.comparison.set_current(col)
            col.reader.select_cp(ann.start, ann.end)
            col.reader.setFocus()

    def _close_current(self) -> None:
        if self.comparison.current is not None:
            self.comparison.close_column(self.comparison.current)

    def _articles_changed(self) -> None:
        names = {}
        for col in self.comparison.columns:
            a = col.article
            if a is not None:
                names[a.id] = f"{a.outlet or '—'}: {display_title(a, a.text, 6)}"
        self.table.set_articles(list(names), names)
        col = self.comparison.current
        self.article_panel.set_article(col.article if col else None)

    # -- coders ---------------------------------------------------------------------------------------
    def _refresh_coders(self) -> None:
        coders = store.list_coders(self.session.project)
        me = self.session.coder
        self.coder_label.setText(f"Coder: {me.name}")
        self.coder_combo.blockSignals(True)
        self.coder_combo.clear()
        for c in coders:
            self.coder_combo.addItem(c.name, c.id)
        self.coder_combo.addItem("New coder…", None)
        self.coder_combo.setCurrentIndex(self.coder_combo.findData(me.id))
        self.coder_combo.blockSignals(False)
        self.view_combo.blockSignals(True)
        self.view_combo.clear()
        self.view_combo.addItem("Me", ME)
        self.view_combo.addItem("All coders", ALL)
        for c in coders:
            if c.id != me.id:
                self.view_combo.addItem(f"Me + {c.name}", c.id)
        i = self.view_combo.findData(self.session.view)
        self.view_combo.setCurrentIndex(max(i, 0))
        self.view_combo.blockSignals(False)

    def _sync_view_combo(self) -> None:
        i = self.view_combo.findData(self.session.view)
        if i >= 0 and i != self.view_combo.currentIndex():
            self.view_combo.blockSignals(True)
            self.view_combo.setCurrentIndex(i)
            self.view_combo.blockSignals(False)

    def _coder_chosen(self, index: int) -> None:
        if self.coder_combo.itemData(index) is None:
            self.switch_coder_dialog()
        else:
            self.set_coder(self.coder_combo.itemText(index))

    def switch_coder_dialog(self) -> None:
        name = ask_coder(store.list_coders(self.session.project), self.session.coder.name, self)
        if name:
            self.set_coder(name)
        else:
            self._refresh_coders()

    def set_coder(self, name: str) -> None:
        coder = self.session.set_coder(name)
        if coder is not None:
            self.settings.setValue("coder/name", coder.name)
            self.notify(f"Coding as {coder.name}")

    # -- status and feedback --------------------------------------------------------------------------
    def set_nlp_status(self, text: str) -> None:
        """Slot for the suggester: which NLP model is in use."""
        self.nlp_label.setText(text)

    def _warn_missing_fonts(self, text: str) -> None:
        """Once per script: say so when no installed font can show an article's script."""
        missing = [s for s in theme.scripts_without_font(text) if s not in self._font_warned]
        if missing:
            self._font_warned.update(missing)
            self.notify(f"No installed font shows {' or '.join(missing)} characters, so they appear "
                        "as empty boxes; the text itself is intact. Install a font for them (for "
                        "example Noto Sans CJK: fonts-noto-cjk on Debian and Ubuntu) and reopen "
                        "the article.", error=True)

    def notify(self, text: str, error: bool = False) -> None:
        self.statusBar().showMessage(("⚠ " if error else "") + text, 12000 if error else 5000)

    def _busy(self, busy: bool, label: str) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
            self.progress.setToolTip(label)

    def _progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if text:
            self.progress.setToolTip(text)

    def _history_changed(self) -> None:
        u, r = self.session.undo_text(), self.session.redo_text()
        self.undo_act.setText(f"&Undo {u}" if u else "&Undo")
        self.redo_act.setText(f"&Redo {r}" if r else "&Redo")
        self.undo_act.setToolTip(f"Undo {u} (Ctrl+Z)" if u else "Nothing to undo")
        self.redo_act.setToolTip(f"Redo {r} (Ctrl+Shift+Z)" if r else "Nothing to redo")
        self.undo_act.setEnabled(bool(u))
        self.redo_act.setEnabled(bool(r))

    def _focus_search(self) -> None:
        self.corpus_dock.show()
        self.corpus.search_box.setFocus()
        self.corpus.search_box.selectAll()

    def toggle_help(self) -> None:
        cb = self.codebook.codebook()
        codes = [(c.shortcut, c.name) for c in self.codebook.codes() if c.shortcut]
        title = f"Keyboard shortcuts — code keys of {cb.name}" if cb else "Keyboard shortcuts"
        self.features.get(HelpOverlay).toggle(shortcut_rows(codes), title)

    # -- project and look ------------------------------------------------------------------------------
    def open_project_dialog(self) -> None:
        self.features.get(ProjectActions).open_dialog()

    def set_theme(self, mode: str) -> None:
        self.settings.setValue("view/theme", mode)
        theme.apply_theme(QApplication.instance(), mode)
        for col in self.comparison.columns:
            col.reader.viewport().update()

    def _restore_layout(self) -> None:
        # defaults, reading mode (F11), remembered layouts, Reset layout: desktop/shell/layout.py
        self.dock_layout = install_layout(self)
        self.step_act.setChecked(self.settings.value("view/scroll_in_step", False, type=bool))

    def closeEvent(self, event) -> None:
        self.article_panel.save_memo()
        self.dock_layout.save()
        self.settings.setValue("view/scroll_in_step", self.step_act.isChecked())
        self.runner.shutdown()
        super().closeEvent(event)


def wait_idle(window: MainWindow, timeout: float = 10.0) -> bool:
    """Process events until no background task runs (benchmarks, scripts)."""
    end = time.perf_counter() + timeout
    app = QApplication.instance()
    while time.perf_counter() < end:
        app.processEvents()
        if not window.runner.busy:
            app.processEvents()
            return True
        time.sleep(0.002)
    return False
