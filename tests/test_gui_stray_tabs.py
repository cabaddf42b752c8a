"""No dock tab bar is left painted over the reading columns (issue 18's screenshots showed an
"Annotations | Agreement" bar floating mid-window: feature docks were tabbed with the
annotations table while shown, then hidden, and the main window kept the two-tab bar)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar

from framelens import store
from framelens.desktop.features.retrieval import RetrievalView
from framelens.desktop.shell.main_window import MainWindow
from framelens.desktop.shell.session import Session
from framelens.desktop.widgets import theme


def _window_tab_bars(window):
    """Visible tab bars the main window made for its dock groups, with their tab titles."""
    return [(bar, [bar.tabText(i) for i in range(bar.count())])
            for bar in window.findChildren(QTabBar)
            if bar.parent() is window and bar.isVisible()]


def _check(window):
    hidden_titles = {d.windowTitle() for d in window.findChildren(QDockWidget) if d.isHidden()}
    central = window.centralWidget().geometry()
    for bar, titles in _window_tab_bars(window):
        # a bar never names a hidden dock, and never lies over the columns
        assert not set(titles) & hidden_titles, titles
        assert not central.intersects(bar.geometry()), (titles, bar.geometry(), central)


def test_no_stray_tab_bar_over_the_columns(gui_demo_path, gui_settings, qtbot):
    theme.apply_theme(QApplication.instance(), theme.LIGHT)    # the application's style and font
    project = store.open_project(gui_demo_path)
    window = MainWindow(Session(project, store.ensure_coder(project, "alice")), gui_settings)
    qtbot.addWidget(window)
    # the mechanism: no tab bar of the main window, shown or kept aside, lists a hidden dock
    # (such a kept-aside bar is what a later show() painted over the columns in the app)
    hidden = {d.windowTitle() for d in window.findChildren(QDockWidget) if d.isHidden()}
    for bar in window.findChildren(QTabBar):
        if bar.parent() is window:
            titles = {bar.tabText(i) for i in range(bar.count())}
            assert not titles & hidden, titles
    try:
        window.resize(1600, 1000)
        window.show()
        qtbot.waitExposed(window)
        qtbot.wait(100)
        _check(window)
        # a feature dock tabbed with the annotations table gives one real bar, at the bottom
        window.features.dock("retrievalDock").action.trigger()
        qtbot.waitUntil(lambda: window.features.get(RetrievalView).isVisible(), timeout=3000)
        _check(window)
        assert ["Annotations", "Coded segments"] in [t for _b, t in _window_tab_bars(window)]
    finally:
        window.close()
        window.runner.shutdown()
        project.close()
