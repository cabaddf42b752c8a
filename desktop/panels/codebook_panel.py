"""Right dock: the codes of one codebook (switchable), with colours, shortcut keys and help.

Clicking a code (or pressing its key in a reader) codes the selection.  The context menu adds,
renames, recolours, re-describes and merges codes, each as one undoable action.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog, QComboBox, QHeaderView, QInputDialog, QLabel, QMenu, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from framelens import store

from framelens.desktop.widgets.inert import plain_tooltip
from framelens.desktop.shell.session import Session
from framelens.desktop.widgets.theme import chip_icon

CodeRole = Qt.UserRole + 20


class CodebookPanel(QWidget):
    """Codebook chooser, code tree and a help label for the selected code."""

    codeActivated = Signal(int)       # code id clicked: code the current selection

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)
        self.combo = QComboBox()
        self.combo.setToolTip("Codebook whose codes the keys apply")
        lay.addWidget(self.combo)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Code", "Key"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        lay.addWidget(self.tree, 3)
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.help.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.help.setTextFormat(Qt.PlainText)
        self.help.setMinimumHeight(60)
        self.help.setEnabled(True)
        lay.addWidget(self.help, 1)
        self.combo.currentIndexChanged.connect(self._fill)
        self.tree.currentItemChanged.connect(self._show_help)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.customContextMenuRequested.connect(self._menu)
        session.changed.connect(self._on_changes)
        self._fill_books()

    # -- content --------------------------------------------------------------------------------
    def _fill_books(self) -> None:
        current = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        for cb in self.session.codebooks:
            if not any(c.codebook_id == cb.id for c in self.session.codes.values()):
                continue
            suffix = " (article level)" if cb.applies_to == "article" else ""
            self.combo.addItem(cb.name + suffix, cb.id)
        i = self.combo.findData(current)
        self.combo.setCurrentIndex(max(i, 0))
        self.combo.blockSignals(False)
        self._fill()

    def codebook(self) -> store.Codebook | None:
        cb_id = self.combo.currentData()
        return next((cb for cb in self.session.codebooks if cb.id == cb_id), None)

    def set_codebook(self, key: str) -> None:
        for i in range(self.combo.count()):
            cb = next(c for c in self.session.codebooks if c.id == self.combo.itemData(i))
            if cb.key == key:
                self.combo.setCurrentIndex(i)
                return

    def codes(self) -> list[store.Code]:
        cb = self.codebook()
        if cb is None:
            return []
        return [c for c in self.session.codes.values() if c.codebook_id == cb.id and not c.merged_into]

    def code_for_key(self, key: str) -> store.Code | None:
        """The code of the current codebook whose shortcut is ``key`` (span codebooks only)."""
        cb = self.codebook()
        if cb is None or cb.applies_to == "article":
            return None
        return next((c for c in self.codes() if (c.shortcut or "").lower() == key.lower()), None)

    def _fill(self) -> None:
        selected = self.current_code_id()
        self.tree.clear()
        codes = sorted(self.codes(), key=lambda c: (c.position, c.id))
        items: dict[int, QTreeWidgetItem] = {}
        pending = list(codes)
        for _ in range(len(codes) + 1):
            rest = []
            for c in pending:
                parent = items.get(c.parent_id) if c.parent_id else None
                if c.parent_id and parent is None:
                    rest.append(c)
                    continue
                item = QTreeWidgetItem([c.name, (c.shortcut or "").upper()])
                item.setIcon(0, chip_icon(c.color))
                item.setData(0, CodeRole, c.id)
                item.setTextAlignment(1, Qt.AlignCenter)
                tip = c.description or "(no description)"
                item.setToolTip(0, plain_tooltip(f"{c.name}\n\n{tip}"))
                item.setToolTip(1, f"Press {c.shortcut.upper()} in an article to code the selection"
                                if c.shortcut else "No key")
                (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
                items[c.id] = item
            pending = rest
            if not pending:
                break
        self.tree.setRootIsDecorated(any(c.parent_id for c in codes))
        self.tree.expandAll()
        if selected in items:
            self.tree.setCurrentItem(items[selected])
        cb = self.codebook()
        if cb is not None and self.tree.currentItem() is None:
            self.help.setText(cb.description or cb.name)

    def current_code_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, CodeRole) if item else None

    def _show_help(self, item, _previous=None) -> None:
        if item is None:
            return
        code = self.session.code(item.data(0, CodeRole))
        if code:
            key = f"  [key {code.shortcut.upper()}]" if code.shortcut else ""
            self.help.setText(f"{code.name}{key}\n{code.description or ''}")

    def _clicked(self, item, _column) -> None:
        self.codeActivated.emit(item.data(0, CodeRole))

    def _on_changes(self, changes: store.Changes) -> None:
        if changes.touched("codes") or changes.touched("codebooks"):
            self._fill_books()

    # -- editing --------------------------------------------------------------------------------
    def _menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        code = self.session.code(item.data(0, CodeRole)) if item else None
        menu = QMenu(self)
        menu.addAction("Add code…", self.add_code)
        if code is not None:
            menu.addAction("Rename…", lambda: self.rename(code.id))
            menu.addAction("Recolour…", lambda: self.recolour(code.id))
            menu.addAction("Edit description…", lambda: self.describe(code.id))
            merge = menu.addMenu("Merge into")
            for other in self.codes():
                if other.id != code.id:
                    merge.addAction(chip_icon(other.color), other.name,
                                    lambda o=other.id: self.session.merge_codes(code.id, o))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def add_code(self) -> None:
        cb = self.codebook()
        if cb is None:
            return
        name, ok = QInputDialog.getText(self, "Add code", f"Name of the new code in {cb.name}:")
        if ok and name.strip():
            color = QColorDialog.getColor(QColor("#888888"), self, "Colour of the new code")
            self.session.add_code(cb.id, name.strip(),
                                  color=color.name() if color.isValid() else "#888888")

    def rename(self, code_id: int) -> None:
        code = self.session.code(code_id)
        name, ok = QInputDialog.getText(self, "Rename code", "New name:", text=code.name)
        if ok and name.strip() and name.strip() != code.name:
            self.session.update_code(code_id, name=name.strip())

    def recolour(self, code_id: int) -> None:
        code = self.session.code(code_id)
        color = QColorDialog.getColor(QColor(code.color), self, f"Colour of {code.name}")
        if color.isValid():
            self.session.update_code(code_id, color=color.name())

    def describe(self, code_id: int) -> None:
        code = self.session.code(code_id)
        text, ok = QInputDialog.getMultiLineText(self, "Edit description", code.name,
                                                 code.description or "")
        if ok and text != (code.description or ""):
            self.session.update_code(code_id, description=text)
