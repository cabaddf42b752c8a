"""Keyboard help: a translucent sheet over the main window listing every shortcut (? or F1)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

from framelens.desktop.widgets.theme import is_dark


def shortcut_rows(codes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """General shortcuts plus the code keys of the active codebook."""
    rows = [
        ("Select text, then a code key", "Code the selection with that code"),
        ("Click a code", "Code the selection with that code"),
        ("Alt + code key / Alt + click a code", "Code the exact selection (no snapping to whole words)"),
        ("Ctrl+Z", "Undo the last coding action"),
        ("Ctrl+Shift+Z / Ctrl+Y", "Redo"),
        ("Ctrl+F", "Search articles"),
        ("Ctrl+O", "Open a project"),
        ("Ctrl+Shift+S", "Scroll columns in step"),
        ("Ctrl+W", "Close the focused column"),
        ("Right-click a span", "Re-code, edit memo, delete"),
        ("Double-click a story", "Open its first three articles side by side"),
        ("Ctrl+Shift+D", "Comparison dashboard"),
        ("J / K", "Suggestions panel open: next / previous suggestion"),
        ("A / X / S", "Accept / reject / skip the current suggestion"),
        ("E", "Accept the suggestion with the bounds of your selection"),
        ("F11", "Reading mode: only the codebook stays; F11 again brings the docks back"),
        ("Ctrl+Shift+F", "Coded segments of codes across the project"),
        ("? or F1", "Show / hide this help"),
    ]
    rows += [(key.upper(), name) for key, name in codes]
    return rows


class HelpOverlay(QWidget):
    """Covers its parent; click or any key closes it."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.rows: list[tuple[str, str]] = []
        self.title = "Keyboard shortcuts"
        self.setFocusPolicy(Qt.StrongFocus)
        self.hide()
        parent.installEventFilter(self)

    def toggle(self, rows: list[tuple[str, str]], title: str) -> None:
        if self.isVisible():
            self.hide()
            return
        self.rows, self.title = rows, title
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.setFocus()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.parentWidget() and event.type() == QEvent.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False

    def mousePressEvent(self, event) -> None:
        self.hide()

    def keyPressEvent(self, event) -> None:
        self.hide()

    def paintEvent(self, event) -> None:
        dark = is_dark()
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor(0, 0, 0, 110))
        fm = self.fontMetrics()
        row_h = fm.height() + 8
        width = min(640, self.width() - 80)
        height = min(self.height() - 80, 90 + row_h * len(self.rows))
        box = QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)
        p.setPen(Qt.NoPen)
        p.setBrush(QColor("#2C3036") if dark else QColor("#FFFDF8"))
        p.drawRoundedRect(box, 10, 10)
        fg = QColor("#E3E5E8") if dark else QColor("#202124")
        key_bg = QColor("#3A3F46") if dark else QColor("#ECEAE6")
        title_font = QFont(self.font())
        title_font.setPointSizeF(self.font().pointSizeF() + 4)
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(fg)
        p.drawText(box.adjusted(24, 16, -24, 0), Qt.AlignTop | Qt.AlignLeft, self.title)
        p.setFont(self.font())
        y = box.top() + 58
        key_w = width * 0.38
        for key, what in self.rows:
            if y + row_h > box.bottom() - 8:
                break
            kr = QRectF(box.left() + 24, y, fm.horizontalAdvance(key) + 14, row_h - 6)
            p.setPen(Qt.NoPen)
            p.setBrush(key_bg)
            p.drawRoundedRect(kr, 4, 4)
            p.setPen(fg)
            p.drawText(kr, Qt.AlignCenter, key)
            p.drawText(QRectF(box.left() + 24 + key_w, y, width - key_w - 48, row_h - 6),
                       Qt.AlignVCenter | Qt.AlignLeft, what)
            y += row_h
        p.setPen(QColor("#8A8F98"))
        p.drawText(box.adjusted(24, 0, -24, -10), Qt.AlignBottom | Qt.AlignRight,
                   "Press any key or click to close")
