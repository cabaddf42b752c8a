"""The code memo box under the codebook tree: the selected code's memo, editable in place.

A code's memo is its first memo (:func:`store.code_memo`); a code imported with several notes
says so and the others are edited under *Tools → Project memos…* (Show: Code memos).  The text is saved through
:meth:`Session.perform` with :func:`store.set_code_memo` — one logged, undoable action of the
acting coder, announced by ``Session.changed`` — when the box loses focus, when another code is
selected and when the box is hidden (the window closing).  It is not saved on every pause while
typing: one sitting of editing is one step of Undo, not a dozen.  Clearing the text deletes
the memo (also one undoable action).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from framelens import store

from framelens.desktop.shell.session import Session


class _Edit(QPlainTextEdit):
    focusLost = Signal()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.focusLost.emit()


class CodeMemoBox(QWidget):
    """A caption ("Memo on <code>") and the memo's text for one code at a time."""

    saved = Signal(int)          # code id whose memo was written (or deleted)

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.code_id: int | None = None
        self._saved_text = ""
        self._loading = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.caption = QLabel("Memo")
        self.caption.setTextFormat(Qt.PlainText)
        self.caption.setWordWrap(True)
        lay.addWidget(self.caption)
        self.edit = _Edit()
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText("Select a code to write its memo")
        self.edit.setMinimumHeight(44)
        lay.addWidget(self.edit, 1)
        self.edit.focusLost.connect(self.save)
        self.edit.setEnabled(False)
        session.changed.connect(self._on_changes)

    # -- which code ---------------------------------------------------------------------------
    def set_code(self, code_id: int | None) -> None:
        """Show ``code_id``'s memo, saving the memo shown before."""
        if code_id == self.code_id:
            return
        self.save()
        self.code_id = code_id
        self.reload()

    def reload(self) -> None:
        """Read the shown code's memo again (after an undo or another window's edit)."""
        code = self.session.code(self.code_id) if self.code_id is not None else None
        if code is None:
            self.code_id = None
            text, caption, others = "", "Memo", 0
        else:
            try:
                memos = store.list_memos(self.session.project, code_id=code.id)
            except store.ProjectError as exc:
                self.session.error.emit(str(exc))
                memos = []
            text = memos[0].text if memos else ""
            others = len(memos) - 1
            caption = f"Memo on {code.name}"
            if memos and memos[0].coder:
                caption += f" — {memos[0].coder}, {memos[0].updated_at[:10]}"
            if others > 0:
                caption += f" (+{others} more: Tools → Project memos…, Code memos)"
        self._loading = True
        try:
            if self.edit.toPlainText() != text:
                self.edit.setPlainText(text)
        finally:
            self._loading = False
        self._saved_text = text
        self.caption.setText(caption)
        self.edit.setEnabled(code is not None)
        self.edit.setPlaceholderText(
            f"Notes on {code.name}: how to apply it, doubts, ideas (saved when you leave the box)"
            if code is not None else "Select a code to write its memo")

    def text(self) -> str:
        return self.edit.toPlainText()

    # -- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        """Write the box's text as the code's memo when it changed (one undoable action)."""
        if self.code_id is None or self._loading:
            return
        text = self.edit.toPlainText()
        if text == self._saved_text:
            return
        code = self.session.code(self.code_id)
        name = code.name if code else str(self.code_id)
        verb = "Delete memo on" if not text.strip() else "Memo on"
        self._saved_text = text
        result = self.session.perform(f"{verb} {name}", store.set_code_memo, self.code_id, text,
                                      coder_id=self.session.coder.id)
        if result is not None:
            self.saved.emit(self.code_id)

    def hideEvent(self, event) -> None:
        self.save()
        super().hideEvent(event)

    def _on_changes(self, changes: store.Changes) -> None:
        if self.code_id is None:
            return
        if changes.touched("codes") or (changes.touched("memos") and not self.edit.hasFocus()):
            self.reload()
