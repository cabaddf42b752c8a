"""Adding the extra docks (agreement, dashboard, suggestions…) the same way: tabbed with an
existing dock, hidden until asked for, and never able to push the reading columns aside.

A dock's minimum size is its widget's minimum size, and Qt keeps that minimum for every dock of
a tab group, even the hidden ones: the suggestions queue (about 540 px wide at its minimum),
hidden behind the article panel, made the whole right-hand dock column 540 px wide, and the
dashboard (about 1300 px) would not fit in a 1280 px window at all (issue 18).  So a feature's
view is put in a scroll area whose own minimum is small: in a dock narrower than the view needs,
the view scrolls instead of taking width from the columns.  The scroll area hands the keyboard
focus on to the view (``setFocusProxy``), so focusing the dock's widget focuses the view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea, QWidget


def scrolling(view: QWidget) -> QScrollArea:
    """``view`` inside a frameless scroll area that resizes it (scroll bars only when the
    area is smaller than the view's minimum size)."""
    area = QScrollArea()
    area.setObjectName(f"{view.objectName() or type(view).__name__}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)
    area.setWidget(view)
    area.setFocusProxy(view)
    return area


def add_dock(window, view: QWidget, title: str, object_name: str, *,
             area: Qt.DockWidgetArea = Qt.BottomDockWidgetArea,
             tab_with: str = "table_dock") -> QDockWidget:
    """Dock ``view`` (in a scroll area, see the module's docstring) in ``area`` of ``window``,
    tabbed with the dock held in the window attribute ``tab_with`` (when there is one), and
    hidden.  The feature registers it (``window.features.add_dock(DockEntry(...))``) to say
    whether it starts visible and stays in reading mode; an unregistered dock is hidden in
    reading mode and by Reset layout (desktop/shell/layout.py)."""
    dock = QDockWidget(title, window)
    dock.setObjectName(object_name)
    dock.setWidget(scrolling(view))
    dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable |
                     QDockWidget.DockWidgetClosable)
    # hidden before it joins its neighbour's tab group: tabbing a shown dock made the main
    # window create a two-tab bar that hiding the dock afterwards left painted over the
    # columns ("Annotations | Agreement")
    dock.hide()
    window.addDockWidget(area, dock)
    neighbour = getattr(window, tab_with, None)
    if neighbour is not None:
        window.tabifyDockWidget(neighbour, dock)
    dock.hide()
    return dock
