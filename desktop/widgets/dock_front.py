"""Bringing a dock to the front when the user asks for it (a View or Tools menu entry, its
shortcut): a closed dock opens, a dock tabbed behind another becomes the current tab of its group,
a floating one is raised and activated, and the keyboard focus goes into it.

A dock's own ``toggleViewAction`` is not enough for that: on a dock that is open but tabbed
behind another it *closes* the dock (issue 18: "View → Comparison dashboard opens as a tab hidden
behind another").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget


def bring_to_front(dock: QDockWidget, focus: QWidget | None = None) -> None:
    """Show ``dock``, make it the visible tab of its tab group, and focus ``focus`` (by default
    the dock's widget)."""
    if not dock.isVisible():
        dock.show()
    dock.raise_()                  # on a tabified dock: selects its tab in the group
    if dock.isFloating():
        dock.activateWindow()
    target = focus or dock.widget()
    if target is not None:
        target.setFocus(Qt.ShortcutFocusReason)
