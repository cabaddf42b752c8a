"""Adding the bottom docks (agreement, dashboard…) the same way: tabbed with the annotations
table, hidden until asked for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget


def add_bottom_dock(window, view: QWidget, title: str, object_name: str) -> QDockWidget:
    """Dock ``view`` at the bottom of ``window``, tabbed with its annotations table, hidden."""
    dock = QDockWidget(title, window)
    dock.setObjectName(object_name)
    dock.setWidget(view)
    dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable |
                     QDockWidget.DockWidgetClosable)
    window.addDockWidget(Qt.BottomDockWidgetArea, dock)
    table_dock = getattr(window, "table_dock", None)
    if table_dock is not None:
        window.tabifyDockWidget(table_dock, dock)
    dock.hide()
    return dock
