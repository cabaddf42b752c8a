"""Tools → Project memos…: the project's memos (and, on request, its code memos) in one list.

A memo is the analyst's note that is not about one span (``store.memos``): a *project memo*
(about the study, a week of coding, a decision) or a *code memo* (written in the codebook's memo
box or imported with a REFI-QDA codebook).  The list shows each memo's title, code (for code
memos), author, when it was written and last changed, and the start of its text; the editor under
it shows the selected memo in full.

*New project memo* starts an empty one, *Save* writes it (``store.add_memo``) or the selected
memo's changes (``store.update_memo``), *Delete* removes the selected memo (``store.delete_memo``)
— each one action of the acting coder through :meth:`Session.perform`: logged, announced by
``Session.changed`` to every view (and through the file to other windows), and undone by Edit →
Undo, whose shortcut works in this dialog too.  No confirmation before a delete: it is one undo
away, which the status line under the buttons says.  Closing the dialog (or the window) with a
memo being written saves it, as Save would.

The dialog is not modal (one per window): it stays open beside the reading columns and follows
changes made elsewhere (the codebook's memo box, ``framelens memo``, another window).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
    QPlainTextEdit, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from framelens import store

from framelens.desktop.shell.session import Session
from framelens.desktop.widgets.inert import plain_tooltip

MemoRole = Qt.UserRole + 30
TITLE, CODE, AUTHOR, WRITTEN, CHANGED, TEXT = range(6)
PROJECT, CODES, EVERY = "project", "codes", "all"


def _when(stamp: str | None) -> str:
    """``2026-12-06T05:13:58.123+00:00`` → ``2026-12-06 05:13`` (UTC, as stored)."""
    return (stamp or "")[:16].replace("T", " ")


def _excerpt(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class MemosDialog(QDialog):
    """The list of memos, an editor for the selected one, and New / Save / Delete."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.memo_id: int | None = None          # the memo in the editor (None: a new one)
        self._saved = ("", "")                   # (title, text) as last loaded or saved
        self.setWindowTitle(f"Project memos — {session.project.path.name}")
        self.setModal(False)
        self.resize(820, 560)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Show"))
        self.scope = QComboBox()
        self.scope.addItem("Project memos", PROJECT)
        self.scope.addItem("Code memos", CODES)
        self.scope.addItem("All memos", EVERY)
        top.addWidget(self.scope)
        top.addStretch(1)
        self.count_label = QLabel()
        top.addWidget(self.count_label)
        lay.addLayout(top)

        self.list = QTreeWidget()
        self.list.setColumnCount(6)
        self.list.setHeaderLabels(["Title", "Code", "Author", "Written (UTC)", "Changed (UTC)", "Text"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list.setAlternatingRowColors(True)
        header = self.list.header()
        header.setStretchLastSection(True)
        for col in (TITLE, CODE, AUTHOR, WRITTEN, CHANGED):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        split = QSplitter(Qt.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.list)
        editor = QWidget()
        ed = QVBoxLayout(editor)
        ed.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.PlainText)
        ed.addWidget(self.heading)
        self.title = QLineEdit()
        self.title.setPlaceholderText("Title (optional)")
        ed.addWidget(self.title)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("The memo's text")
        ed.addWidget(self.text, 1)
        split.addWidget(editor)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        lay.addWidget(split, 1)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("New project memo")
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(False)
        self.save_button.setShortcut(QKeySequence("Ctrl+S"))
        self.save_button.setToolTip("Save the memo (Ctrl+S); Edit → Undo takes it back")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected memo; Edit → Undo brings it back")
        close = QPushButton("Close")
        for b in (self.new_button, self.save_button, self.delete_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        close.setAutoDefault(False)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self.status = QLabel()
        self.status.setTextFormat(Qt.PlainText)
        self.status.setWordWrap(True)
        lay.addWidget(self.status)

        self.scope.currentIndexChanged.connect(lambda _i: self.reload())
        self.list.currentItemChanged.connect(self._selected)
        self.new_button.clicked.connect(self.new_memo)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        close.clicked.connect(self.close)
        self.title.textEdited.connect(lambda _t: self._edited())
        self.text.textChanged.connect(self._edited)
        session.changed.connect(self._on_changes)
        self.reload()

    # -- the list -------------------------------------------------------------------------------
    def memos(self) -> list[store.Memo]:
        scope = self.scope.currentData()
        return store.list_memos(self.session.project, project_only=scope == PROJECT,
                                codes_only=scope == CODES)

    def reload(self) -> None:
        """Fill the list again, keeping the selected memo selected (and unsaved edits)."""
        if not self._open():
            return
        keep, dirty = self.memo_id, self._dirty()
        try:
            memos = self.memos()
        except store.ProjectError as exc:
            self.status.setText(str(exc))
            memos = []
        self.list.blockSignals(True)
        self.list.clear()
        current = None
        for m in memos:
            item = QTreeWidgetItem([m.title, m.code or "", m.coder or "(unknown)",
                                    _when(m.created_at), _when(m.updated_at), _excerpt(m.text)])
            item.setData(TITLE, MemoRole, m.id)
            item.setToolTip(TEXT, plain_tooltip(m.text))
            self.list.addTopLevelItem(item)
            if m.id == keep:
                current = item
        self.list.setColumnHidden(CODE, self.scope.currentData() == PROJECT)
        if current is not None:
            self.list.setCurrentItem(current)
        self.list.blockSignals(False)
        n = len(memos)
        self.count_label.setText(f"{n} memo{'s' * (n != 1)}")
        if keep is not None and current is None:        # deleted (here, by undo, elsewhere)
            self._load(None)
        elif not dirty:
            self._load(keep)
        self._buttons()

    def _selected(self, item, _previous=None) -> None:
        if self._open():
            self._load(item.data(TITLE, MemoRole) if item is not None else None)

    def _open(self) -> bool:
        """False once the window's project is closed (the dialog is then closing too)."""
        return self.session.project.conn is not None

    def _load(self, memo_id: int | None) -> None:
        memo = None
        if memo_id is not None:
            try:
                memo = store.get_memo(self.session.project, memo_id)
            except store.ProjectError:
                memo = None
        self.memo_id = memo.id if memo else None
        for w in (self.title, self.text):
            w.blockSignals(True)
        self.title.setText(memo.title if memo else "")
        self.text.setPlainText(memo.text if memo else "")
        for w in (self.title, self.text):
            w.blockSignals(False)
        self._saved = (self.title.text(), self.text.toPlainText())
        if memo is None:
            self.heading.setText("New project memo")
        elif memo.code:
            self.heading.setText(f"Memo on code {memo.code} — {memo.coder or '(unknown)'}, "
                                 f"{_when(memo.created_at)}")
        else:
            self.heading.setText(f"Project memo — {memo.coder or '(unknown)'}, "
                                 f"{_when(memo.created_at)}")
        self._buttons()

    def _dirty(self) -> bool:
        return self._saved != (self.title.text(), self.text.toPlainText())

    def _edited(self) -> None:
        self._buttons()

    def _buttons(self) -> None:
        self.save_button.setEnabled(self._dirty() and bool(self.text.toPlainText().strip()))
        self.delete_button.setEnabled(self.memo_id is not None)

    # -- changing memos -------------------------------------------------------------------------
    def new_memo(self) -> None:
        """Empty the editor for a new project memo (nothing is written until Save)."""
        self.list.setCurrentItem(None)
        self.list.clearSelection()
        self._load(None)
        self.text.setFocus()

    def save(self) -> int | None:
        """Write the editor: a new project memo, or the selected memo's changes.  Returns the
        memo's id, or None when nothing was written (an error is reported in the status line)."""
        title, text = self.title.text().strip(), self.text.toPlainText()
        if not text.strip():
            self.status.setText("A memo needs some text.")
            return None
        coder = self.session.coder
        if self.memo_id is None:
            result = self.session.perform(f"Project memo: {_excerpt(title or text, 40)}",
                                          store.add_memo, text, title=title, coder_id=coder.id)
            if result is None:
                return None
            self.memo_id = result[0]
            if self.scope.currentData() == CODES:
                self.scope.setCurrentIndex(self.scope.findData(PROJECT))
        else:
            memo_id = self.memo_id
            result = self.session.perform(f"Edit memo: {_excerpt(title or text, 40)}",
                                          store.update_memo, memo_id, text=text, title=title,
                                          coder_id=coder.id)
            if result is None:
                return None
        self._saved = (self.title.text(), self.text.toPlainText())
        self.reload()
        self.status.setText(f"Saved as {coder.name}. Edit → Undo takes it back.")
        return self.memo_id

    def delete(self) -> None:
        if self.memo_id is None:
            return
        memo_id = self.memo_id
        result = self.session.perform(f"Delete memo {memo_id}", store.delete_memo, memo_id,
                                      coder_id=self.session.coder.id)
        if result is not None:
            self.status.setText("Memo deleted. Edit → Undo brings it back.")

    def closeEvent(self, event) -> None:
        """Closing (or the window closing) saves a memo being written, as Save would: one
        undoable action rather than a question or lost text."""
        if self._open() and self._dirty() and self.text.toPlainText().strip():
            self.save()
        super().closeEvent(event)

    def _on_changes(self, changes: store.Changes) -> None:
        if changes.touched("memos") or changes.touched("codes") or changes.touched("coders"):
            self.reload()


class _CloseWithWindow(QObject):
    """Closes the window's memos dialog when the window closes (the dialog is a top-level window
    of its own and would otherwise outlive the project it shows)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Close:
            dialog = self.window.features.find(MemosDialog)
            if dialog is not None:
                dialog.close()
        return False


def install_memos(window) -> QAction:
    """Tools → Project memos… (created beside the other Tools entries), opening one
    :class:`MemosDialog` per window; the window's Undo and Redo work inside the dialog.  The
    dialog is registered on ``window.features`` once it exists (``find(MemosDialog)``)."""
    act = QAction("Project &memos…", window)
    act.setStatusTip("Project memos and code memos: read, add, edit, delete (each undoable)")
    act.setToolTip(act.statusTip())

    def show() -> None:
        dialog = window.features.find(MemosDialog)
        if dialog is None:
            dialog = window.features.add(MemosDialog(window.session, window))
            for name in ("undo_act", "redo_act"):
                shared = getattr(window, name, None)
                if shared is not None:
                    dialog.addAction(shared)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    act.triggered.connect(lambda _c=False: show())
    window.addAction(act)
    window.installEventFilter(_CloseWithWindow(window))
    bar = window.menuBar()
    menus = {a.text().replace("&", ""): a for a in bar.actions()}
    if "Tools" in menus:
        menu = menus["Tools"].menu()
    else:
        menu = QMenu("&Tools", window)
        if "Help" in menus:
            bar.insertMenu(menus["Help"], menu)
        else:
            bar.addMenu(menu)
    menu.addAction(act)
    return act
