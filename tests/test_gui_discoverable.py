"""Issue 18, discoverable analysis, through the real window on a real project file: the
dashboard and the agreement view come to the front when asked (even tabbed behind another dock,
or closed), and they are found on the window's feature registry.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QTabBar

from framelens.desktop.features.agreement_view import AgreementView
from framelens.desktop.features.dashboard import Dashboard

pytestmark = pytest.mark.gui


def tab_group_current(window, title: str) -> str | None:
    """The current tab's title in the window's dock tab bar that holds ``title``."""
    for bar in window.findChildren(QTabBar):
        titles = [bar.tabText(i) for i in range(bar.count())]
        if title in titles and bar.isVisible():
            return bar.tabText(bar.currentIndex())
    return None


def focus_inside(widget) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and (focused is widget or widget.isAncestorOf(focused))


def test_dashboard_comes_to_the_front_from_behind_a_tab_and_when_closed(
        gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice", size=(1600, 1000))
    board = window.features.get(Dashboard)
    entry = window.features.dock("dashboardDock")
    agreement = window.features.dock("agreementDock")
    assert entry.dock.widget() is board and entry.action.text() == "Comparison &dashboard"
    assert entry.action.shortcut().toString() == "Ctrl+Shift+D"
    window.activateWindow()

    # open, then hidden behind the agreement tab (both tabbed with the annotations table)
    entry.action.trigger()
    qtbot.waitUntil(lambda: board.raw is not None, timeout=20000)
    agreement.action.trigger()
    qtbot.waitUntil(lambda: tab_group_current(window, "Agreement") == "Agreement")
    assert entry.dock.isVisible() and entry.dock.visibleRegion().isEmpty()   # open but hidden
    assert window.tabifiedDockWidgets(entry.dock)

    entry.action.trigger()                             # View → Comparison dashboard
    qtbot.waitUntil(lambda: tab_group_current(window, "Comparison dashboard")
                    == "Comparison dashboard")
    assert entry.dock.isVisible() and not entry.dock.visibleRegion().isEmpty()
    assert agreement.dock.visibleRegion().isEmpty()
    assert focus_inside(board)

    # pressed again it stays in front (a toggle would have closed it)
    entry.action.trigger()
    assert entry.dock.isVisible() and not entry.dock.visibleRegion().isEmpty()

    # closed, then asked for again
    entry.dock.close()
    qtbot.waitUntil(lambda: not entry.dock.isVisible())
    entry.action.trigger()
    qtbot.waitUntil(lambda: tab_group_current(window, "Comparison dashboard")
                    == "Comparison dashboard")
    assert entry.dock.isVisible() and not entry.dock.visibleRegion().isEmpty()
    assert focus_inside(board)

    # the agreement view in turn comes in front of the dashboard
    agreement.action.trigger()
    qtbot.waitUntil(lambda: tab_group_current(window, "Agreement") == "Agreement")
    assert entry.dock.visibleRegion().isEmpty()
    assert focus_inside(window.features.get(AgreementView))
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)


def test_features_are_registered_not_window_attributes(gui_demo_path, gui_window_factory):
    window = gui_window_factory(gui_demo_path, coder="alice")
    names = {e.name: e for e in window.features.docks()}
    assert {"dashboardDock", "agreementDock"} <= set(names)
    assert names["dashboardDock"].feature == "dashboard"
    assert names["agreementDock"].action.text() == "&Agreement and adjudication"
    assert isinstance(window.features.get(AgreementView), AgreementView)
    for attr in ("dashboard", "agreement_view", "agreement_act"):
        assert not hasattr(window, attr), attr
