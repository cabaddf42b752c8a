"""Bringing a dock to the front when the user asks for it (a View or Tools menu entry, its
shortcut): a closed dock opens, a dock tabbed behind another becomes the current tab of its group,
a floating one is raised and activated, and the keyboard focus goes into it.

A dock's own ``toggleViewAction`` is not enough for that: on a dock that is open but tabbed
behind another it *closes* the dock (issue 18: "View → Comparison dashboard opens as a tab hidden
behind another").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget


def bring_to_front(dock: QDockWidget, focus: QWidget | None = None, *, room: int = 0) -> None:
    """Show ``dock``, make it the visible tab of its tab group, and focus ``focus`` (by default
    the dock's widget).  ``room``: the height (bottom and top docks) or width (side docks) a
    docked view needs to be read; a smaller dock is enlarged to it (a chart squeezed into the
    annotations table's 200 px is in front but not readable)."""
    if not dock.isVisible():
        dock.show()
    dock.raise_()                  # on a tabified dock: selects its tab in the group
    window = dock.parentWidget()
    if dock.isFloating():
        dock.activateWindow()
    elif room and isinstance(window, QMainWindow):
        side = window.dockWidgetArea(dock) in (Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea)
        if (dock.width() if side else dock.height()) < room:
            window.resizeDocks([dock], [room], Qt.Horizontal if side else Qt.Vertical)
    target = focus or dock.widget()
    if target is not None:
        target.setFocus(Qt.ShortcutFocusReason)
