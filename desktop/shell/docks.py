"""Adding the extra docks (agreement, dashboard, suggestions…) the same way: tabbed with an
existing dock, hidden until asked for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget


def add_dock(window, view: QWidget, title: str, object_name: str, *,
             area: Qt.DockWidgetArea = Qt.BottomDockWidgetArea,
             tab_with: str = "table_dock") -> QDockWidget:
    """Dock ``view`` in ``area`` of ``window``, tabbed with the dock held in the window
    attribute ``tab_with`` (when there is one), and hidden."""
    dock = QDockWidget(title, window)
    dock.setObjectName(object_name)
    dock.setWidget(view)
    dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable |
                     QDockWidget.DockWidgetClosable)
    window.addDockWidget(area, dock)
    neighbour = getattr(window, tab_with, None)
    if neighbour is not None:
        window.tabifyDockWidget(neighbour, dock)
    dock.hide()
    return dock
