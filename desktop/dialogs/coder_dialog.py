"""Asks who is coding: existing coders listed, a new name may be typed."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from framelens import store


class CoderDialog(QDialog):
    """Pick or type the coder name every annotation will be recorded under."""

    def __init__(self, coders: list[store.Coder], current: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Who is coding?")
        lay = QVBoxLayout(self)
        intro = QLabel("Every coding you make is recorded under your coder name, so several "
                       "people can code the same articles and compare.\nPick your name or type a new one:")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.addItems([c.name for c in coders if c.name != store.ADJUDICATED])
        self.combo.setCurrentText(current or "")
        self.combo.lineEdit().setPlaceholderText("Your name, e.g. Aiko or M. Petrova")
        lay.addWidget(self.combo)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        self.combo.currentTextChanged.connect(lambda t: self.ok_button.setEnabled(bool(t.strip())))
        self.ok_button.setEnabled(bool(self.combo.currentText().strip()))
        self.resize(420, self.sizeHint().height())

    def name(self) -> str:
        return self.combo.currentText().strip()

    def _accept(self) -> None:
        if self.name():
            self.accept()


def ask_coder(coders: list[store.Coder], current: str | None = None, parent=None) -> str | None:
    """Show the dialog; the chosen name, or None when cancelled."""
    dialog = CoderDialog(coders, current, parent)
    return dialog.name() if dialog.exec() == QDialog.Accepted else None
