"""Where the docks go, how big they start, reading mode, and remembered layouts (issue 18).

The reading columns are the heart of the window, so the default layout gives them the width:

* **one dock column on the left**, as in MAXQDA's document system over its code system: the
  corpus (with the article panel as a tab beside it) on top and the codebook below, tall enough
  for every code of the open codebook with its key;
* **no right dock column** by default (the suggestions queue, when asked for, is tabbed with
  the article panel);
* **the annotations table under the columns only**: the left dock area owns the bottom-left
  corner, so the table never takes height from the codebook, and it starts short (about a
  sixth of the window).

Sizes are set once the window is shown (on its real size, not the size it was built with):
the left column gets LEFT_FRACTION of the width (never less than its docks' minimum width),
the table TABLE_FRACTION of the height, and the codebook CODEBOOK_FRACTION of the left column.

**Reading mode** (View → Reading mode, F11) hides every dock except those that stay while
reading — the codebook (narrowed to its minimum width) and any dock a feature registered with
``DockEntry(reading=True)`` — and the same key brings back exactly the layout it left (the
window's ``saveState`` taken on entering).  F11 was free: the other window shortcuts are
Ctrl/Ctrl+Shift chords, ``?`` and F1.

**Remembered layouts**: on close, the window geometry and dock state go to ``QSettings``
(``window/geometry``, ``window/state``), with the layout version, whether reading mode was on and
the layout to return to from it.  A state saved by an older default layout (another
``LAYOUT_VERSION``) is not restored, since it carries that layout's cramped columns.  View →
Reset layout puts every dock back where the defaults put it, at the default sizes.

Docks added by features — through :func:`framelens.desktop.shell.docks.add_dock` or registered
on ``window.features`` with a ``DockEntry`` — are handled like the window's own: hidden in
reading mode unless ``reading=True``, shown by Reset layout if ``visible_by_default``, saved
and restored with the rest (every dock has an object name).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from .registry import DockEntry

#: Bumped whenever the default arrangement changes, so states saved by older defaults are
#: not restored.  1: issue 18 (left dock column, table under the columns only).
LAYOUT_VERSION = 1

READING_SHORTCUT = "F11"

#: Fractions of the window and bounds (pixels) of the default sizes.
LEFT_FRACTION, LEFT_MAX = 0.22, 380
TABLE_FRACTION, TABLE_MIN, TABLE_MAX = 0.14, 110, 190
CODEBOOK_FRACTION = 0.64            # of the left column's height; the corpus keeps the rest
CODEBOOK_MAX_FRACTION = 0.8         # when the code list needs more

#: The window's own docks: (window attribute, object name, stays visible in reading mode).
CORE_DOCKS = (("corpus_dock", "corpusDock", False), ("codebook_dock", "codebookDock", True),
              ("article_dock", "articleDock", False), ("table_dock", "annotationsDock", False))

SETTINGS = {"geometry": "window/geometry", "state": "window/state",
            "version": "window/layout_version", "reading": "window/reading_mode",
            "before": "window/state_before_reading"}


def arrange_default_docks(window: QMainWindow) -> None:
    """Put the window's four docks where the default layout has them (sizes come later, in
    :meth:`DockLayout.apply_default_sizes`, once the window has its real size)."""
    window.setCorner(Qt.TopLeftCorner, Qt.LeftDockWidgetArea)
    window.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
    window.setCorner(Qt.TopRightCorner, Qt.RightDockWidgetArea)
    window.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
    corpus, codebook = window.corpus_dock, window.codebook_dock
    article, table = window.article_dock, window.table_dock
    for dock in (corpus, codebook, article):
        dock.setFloating(False)
        window.addDockWidget(Qt.LeftDockWidgetArea, dock)
    table.setFloating(False)
    window.addDockWidget(Qt.BottomDockWidgetArea, table)
    window.splitDockWidget(corpus, codebook, Qt.Vertical)
    window.tabifyDockWidget(corpus, article)
    for dock in (corpus, codebook, article, table):
        dock.show()
    corpus.raise_()                       # the corpus is the current tab of its group


def code_list_shortfall(window: QMainWindow) -> int:
    """Pixels the codebook's code list lacks to show every row (0 when all show)."""
    tree = window.codebook.tree
    rows, item = 0, tree.topLevelItem(0)
    while item is not None:
        rows += max(tree.visualItemRect(item).height(), tree.sizeHintForRow(0), 1)
        item = tree.itemBelow(item)
    return max(0, rows - tree.viewport().height())


def all_docks(window: QMainWindow) -> list[QDockWidget]:
    """Every dock of the window, its own and the features' (direct children only: a dock
    nested in another widget is that widget's business)."""
    return [d for d in window.findChildren(QDockWidget, options=Qt.FindDirectChildrenOnly)]


class DockLayout(QObject):
    """The window's dock layout: defaults, reading mode, saving and restoring, reset."""

    readingChanged = Signal(bool)
    defaultsApplied = Signal()

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.reading = False
        self._before_reading: QByteArray | None = None
        self._default_state: QByteArray | None = None
        self._defaults_pending = False
        self.sized = False                # default sizes applied at least once
        self._animated = False
        self.reading_act = QAction("&Reading mode", window, checkable=True)
        self.reading_act.setShortcut(QKeySequence(READING_SHORTCUT))
        self.reading_act.setIconText("Reading mode")
        tip = (f"Reading mode ({READING_SHORTCUT}): the columns get the window, only the "
               f"codebook stays; {READING_SHORTCUT} again brings the docks back as they were")
        self.reading_act.setToolTip(tip)
        self.reading_act.setStatusTip(tip)
        self.reading_act.toggled.connect(self.set_reading)
        self.reset_act = QAction("Reset &layout", window)
        self.reset_act.setStatusTip("Put every dock back where it starts, at the default sizes")
        self.reset_act.triggered.connect(lambda _c=False: self.reset())
        window.addAction(self.reading_act)
        window.addAction(self.reset_act)
        self._register_core_docks()
        self._add_to_menus()
        window.installEventFilter(self)

    # -- construction ----------------------------------------------------------------------
    def _register_core_docks(self) -> None:
        features = getattr(self.window, "features", None)
        if features is None:
            return
        known = {e.name for e in features.docks()}
        for attr, name, reading in CORE_DOCKS:
            dock = getattr(self.window, attr)
            if name not in known:
                features.add_dock(DockEntry("window", name, dock, dock.toggleViewAction(),
                                            visible_by_default=True, reading=reading))

    def _add_to_menus(self) -> None:
        menu = next((a.menu() for a in self.window.menuBar().actions()
                     if a.text().replace("&", "") == "View" and isinstance(a.menu(), QMenu)),
                    None)
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.reading_act)
            menu.addAction(self.reset_act)
        toolbar = getattr(self.window, "toolbar", None)
        help_act = getattr(self.window, "help_act", None)
        if toolbar is not None:
            toolbar.insertAction(help_act if help_act in toolbar.actions() else None,
                                 self.reading_act)

    def _reading_docks(self) -> set[QDockWidget]:
        features = getattr(self.window, "features", None)
        entries = features.docks() if features is not None else []
        return {e.dock for e in entries if e.reading} or {self.window.codebook_dock}

    # -- defaults --------------------------------------------------------------------------
    def apply_default_sizes(self) -> None:
        """Size the docks for the window's present size (see the module's docstring)."""
        w = self.window
        self._animated = bool(w.dockOptions() & QMainWindow.AnimatedDocks)
        w.setDockOptions(w.dockOptions() & ~QMainWindow.AnimatedDocks)   # sizes at once
        width, height = w.width(), w.height()
        left_min = max(d.minimumSizeHint().width()
                       for d in (w.corpus_dock, w.codebook_dock, w.article_dock))
        left = max(left_min, min(LEFT_MAX, round(width * LEFT_FRACTION)))
        w.resizeDocks([w.corpus_dock], [left], Qt.Horizontal)
        table = max(w.table_dock.minimumSizeHint().height(),
                    min(TABLE_MAX, max(TABLE_MIN, round(height * TABLE_FRACTION))))
        w.resizeDocks([w.table_dock], [table], Qt.Vertical)
        QTimer.singleShot(0, self._fit_codebook)

    def _fit_codebook(self, fraction: float = CODEBOOK_FRACTION, passes: int = 3) -> None:
        """Share the left column: ``fraction`` to the codebook, the rest to the corpus (and
        article) tabs; then, once laid out, if the code list still lacks room for its rows
        (a larger UI font, a longer codebook), one more pass gives the codebook twice the
        missing height (the panel hands only part of its height to the list, by a splitter),
        up to CODEBOOK_MAX_FRACTION.  Shares, not pixels: ``resizeDocks`` shares the tab bar
        and the separators out among the docks, so a height in pixels is not what a dock gets.
        Checked on the demo codebook (15 codes) at 1600×1000 and 1280×800 by
        tests/test_gui_layout.py."""
        w = self.window
        if w.corpus_dock.isHidden() or w.codebook_dock.isHidden():
            QTimer.singleShot(0, self._sized)
            return
        share = round(1000 * fraction)
        w.resizeDocks([w.corpus_dock, w.codebook_dock], [1000 - share, share], Qt.Vertical)

        def laid_out() -> None:
            short = code_list_shortfall(w)
            column = w.corpus_dock.height() + w.codebook_dock.height()
            if passes > 0 and short > 0 and column > 0 and fraction < CODEBOOK_MAX_FRACTION:
                wanted = (w.codebook_dock.height() + 2 * short) / column
                self._fit_codebook(min(CODEBOOK_MAX_FRACTION, max(fraction, wanted)),
                                   passes - 1)
            else:
                self._sized()
        QTimer.singleShot(0, laid_out)

    def _sized(self) -> None:
        w = self.window
        w.corpus_dock.raise_()
        if self._animated:
            w.setDockOptions(w.dockOptions() | QMainWindow.AnimatedDocks)
        self.sized = True
        self.defaultsApplied.emit()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and event.type() == QEvent.Show and self._defaults_pending:
            self._defaults_pending = False
            QTimer.singleShot(0, self.apply_default_sizes)
        return False

    # -- reading mode ----------------------------------------------------------------------
    def set_reading(self, on: bool) -> None:
        """Enter or leave reading mode (the action's toggle; also callable directly)."""
        if on == self.reading:
            return
        w = self.window
        if on:
            self._before_reading = w.saveState(LAYOUT_VERSION)
            keep = self._reading_docks()
            for dock in all_docks(w):
                if dock not in keep:
                    dock.hide()
            for dock in keep:
                dock.show()
            narrow = [d for d in keep if not d.isFloating()
                      and w.dockWidgetArea(d) in (Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea)]
            if narrow:
                w.resizeDocks(narrow, [d.minimumSizeHint().width() for d in narrow],
                              Qt.Horizontal)
        else:
            if self._before_reading is not None:
                w.restoreState(self._before_reading, LAYOUT_VERSION)
            self._before_reading = None
        self.reading = on
        if self.reading_act.isChecked() != on:
            self.reading_act.blockSignals(True)
            self.reading_act.setChecked(on)
            self.reading_act.blockSignals(False)
        self.readingChanged.emit(on)

    # -- reset, save, restore --------------------------------------------------------------
    def reset(self) -> None:
        """Every dock back to its default place, visibility and size (leaves reading mode)."""
        self._leave_reading_silently()
        w = self.window
        if self._default_state is None or not w.restoreState(self._default_state,
                                                              LAYOUT_VERSION):
            arrange_default_docks(w)
        features = getattr(w, "features", None)
        for entry in (features.docks() if features is not None else []):
            entry.dock.setVisible(entry.visible_by_default)
        if w.isVisible():                 # sized once the restored layout is laid out
            QTimer.singleShot(0, self.apply_default_sizes)
        else:
            self._defaults_pending = True

    def _leave_reading_silently(self) -> None:
        self._before_reading = None
        self.reading = False
        self.reading_act.blockSignals(True)
        self.reading_act.setChecked(False)
        self.reading_act.blockSignals(False)
        self.readingChanged.emit(False)

    def restore(self) -> None:
        """Geometry and dock state from the settings, or the defaults (sized at first show)."""
        w, s = self.window, self.settings
        features = getattr(w, "features", None)
        for entry in (features.docks() if features is not None else []):
            entry.dock.setVisible(entry.visible_by_default)
        self._default_state = w.saveState(LAYOUT_VERSION)
        geometry = s.value(SETTINGS["geometry"])
        if geometry is not None:
            w.restoreGeometry(geometry)
        else:
            w.resize(1500, 940)
        state = s.value(SETTINGS["state"])
        current = s.value(SETTINGS["version"], 0, type=int) == LAYOUT_VERSION
        if state is None or not current or not w.restoreState(state, LAYOUT_VERSION):
            self._defaults_pending = True
            return
        before = s.value(SETTINGS["before"])
        if s.value(SETTINGS["reading"], False, type=bool) and before is not None:
            self._before_reading = before
            self.reading = True
            self.reading_act.blockSignals(True)
            self.reading_act.setChecked(True)
            self.reading_act.blockSignals(False)

    def save(self) -> None:
        """Write geometry, dock state, reading mode and the layout it returns to."""
        w, s = self.window, self.settings
        s.setValue(SETTINGS["geometry"], w.saveGeometry())
        s.setValue(SETTINGS["state"], w.saveState(LAYOUT_VERSION))
        s.setValue(SETTINGS["version"], LAYOUT_VERSION)
        s.setValue(SETTINGS["reading"], self.reading)
        if self.reading and self._before_reading is not None:
            s.setValue(SETTINGS["before"], self._before_reading)
        else:
            s.remove(SETTINGS["before"])


def install_layout(window: QMainWindow) -> DockLayout:
    """Create the window's :class:`DockLayout`, register it on ``window.features`` (when the
    window has a registry) and restore the remembered layout."""
    layout = DockLayout(window)
    features = getattr(window, "features", None)
    if features is not None:
        features.add(layout)
    layout.restore()
    return layout
