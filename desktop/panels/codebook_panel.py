"""Right dock: the codes of one codebook (switchable), with colours, counts, keys, help and memo.

Clicking a code (or pressing its key in a reader) codes the selection.  The context menu adds,
renames, recolours, re-describes and merges codes, each as one undoable action.

**Counts.**  Each code shows how many segments are coded with it ("Seg.") and in how many
articles ("Art.": articles holding such a segment or marked with the code as an article label),
over the whole project, not only the open columns (:func:`store.codebooks.code_counts`).  Whose
codings are counted follows the toolbar's *Show codings of*, so the numbers match what the
readers draw: *Me* counts the acting coder, *Me + X* both, *All coders* every coder except the
adjudicated one (its spans are copies of coders' spans and would count twice).  The small
*Counts* chooser beside the codebook switches to the adjudicated (final) coding instead.  A code
counts its own segments, not its sub-codes'.  The counts are read again (one grouped query)
only when an action touched annotations or article labels, or the view, coder or scope changed;
the tree is rebuilt only when codes or codebooks changed.

**Memos.**  Under the tree, the selected code's description and its memo
(:class:`~framelens.desktop.panels.memo_box.CodeMemoBox`), written in place.  The tree and the
area under it share a splitter, the tree taking the height: rows are compact (uniform height),
so 15 codes, the header and the chooser row fit in about
:meth:`CodebookPanel.minimum_useful_height` pixels.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog, QComboBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMenu, QSplitter,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from framelens import store
from framelens.store.codebooks import CodeCount, code_counts

from framelens.desktop.panels.memo_box import CodeMemoBox
from framelens.desktop.widgets.inert import plain_tooltip
from framelens.desktop.shell.session import ALL, ME, Session
from framelens.desktop.widgets.theme import chip_icon

CodeRole = Qt.UserRole + 20
NAME, SEGMENTS, ARTICLES, KEY = range(4)
#: the Counts chooser: follow the toolbar's view, or count the adjudicated coding
SHOWN, ADJUDICATED = "shown", "adjudicated"


class CodebookPanel(QWidget):
    """Codebook chooser, code tree and a help label for the selected code."""

    codeActivated = Signal(int)       # code id clicked: code the current selection

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.counts: dict[int, CodeCount] = {}
        self.items: dict[int, QTreeWidgetItem] = {}
        self.count_reads = 0              # how often the counts were read (tests, diagnostics)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.combo = QComboBox()
        self.combo.setToolTip("Codebook whose codes the keys apply")
        self.combo.setMinimumContentsLength(8)
        self.combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        row.addWidget(self.combo, 1)
        self.scope = QComboBox()
        self.scope.addItem("Counts: shown", SHOWN)
        self.scope.addItem("Counts: adjudicated", ADJUDICATED)
        self.scope.setToolTip("Whose codings the Seg. and Art. columns count: the coders shown "
                              "(toolbar: Show codings of), or the adjudicated final coding")
        row.addWidget(self.scope)
        lay.addLayout(row)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Code", "Seg.", "Art.", "Key"])
        head = self.tree.headerItem()
        head.setToolTip(SEGMENTS, "Segments coded with the code, in the whole project")
        head.setToolTip(ARTICLES, "Articles with a segment of the code or marked with it")
        head.setToolTip(KEY, "Key that codes the selection in an article")
        for col in (SEGMENTS, ARTICLES, KEY):
            head.setTextAlignment(col, Qt.AlignCenter)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(14)
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        header.setSectionResizeMode(NAME, QHeaderView.Stretch)
        for col in (SEGMENTS, ARTICLES, KEY):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        self.split = QSplitter(Qt.Vertical)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.tree)
        lower = QWidget()
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 0, 0, 0)
        low.setSpacing(3)
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.help.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.help.setTextFormat(Qt.PlainText)
        self.help.setEnabled(True)
        low.addWidget(self.help)
        self.memo = CodeMemoBox(session)
        low.addWidget(self.memo, 1)
        self.split.addWidget(lower)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)
        lay.addWidget(self.split, 1)
        self.combo.currentIndexChanged.connect(self._fill)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh_counts())
        self.tree.currentItemChanged.connect(self._show_help)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.customContextMenuRequested.connect(self._menu)
        session.changed.connect(self._on_changes)
        session.viewChanged.connect(self.refresh_counts)
        session.coderChanged.connect(lambda _c: self.refresh_counts())
        self._fill_books()

    def minimum_useful_height(self, codes: int = 15) -> int:
        """Pixels the panel needs to show ``codes`` rows of the tree, its header, the chooser row
        and a three-line memo box without scrolling the tree (for the dock layout)."""
        row = self.tree.sizeHintForRow(0) if self.tree.topLevelItemCount() else \
            self.tree.fontMetrics().height() + 4
        tree = self.tree.header().sizeHint().height() + codes * row + 2 * self.tree.frameWidth()
        lower = self.help.fontMetrics().height() * 2 + self.memo.caption.sizeHint().height() \
            + self.memo.edit.fontMetrics().lineSpacing() * 3 + 12
        margins = self.layout().contentsMargins()
        return (margins.top() + margins.bottom() + self.combo.sizeHint().height()
                + self.layout().spacing() + tree + self.split.handleWidth() + lower)

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
                item = QTreeWidgetItem([c.name, "", "", (c.shortcut or "").upper()])
                item.setIcon(NAME, chip_icon(c.color))
                item.setData(NAME, CodeRole, c.id)
                for col in (SEGMENTS, ARTICLES):
                    item.setTextAlignment(col, Qt.AlignRight | Qt.AlignVCenter)
                item.setTextAlignment(KEY, Qt.AlignCenter)
                item.setToolTip(KEY, f"Press {c.shortcut.upper()} in an article to code the selection"
                                if c.shortcut else "No key")
                (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
                items[c.id] = item
            pending = rest
            if not pending:
                break
        self.items = items
        self.tree.setRootIsDecorated(any(c.parent_id for c in codes))
        self.tree.expandAll()
        self.refresh_counts()
        self.refresh_memo_tips()
        if selected in items:
            self.tree.setCurrentItem(items[selected])
        cb = self.codebook()
        if cb is not None and self.tree.currentItem() is None:
            self.help.setText(cb.description or cb.name)
            self.memo.set_code(None)

    # -- counts ---------------------------------------------------------------------------------
    def count_scope(self) -> tuple[set[int] | None, set[int], str]:
        """``(coder_ids, excluded coder ids, words)`` of the codings the counts cover."""
        project = self.session.project
        adjudicated = store.find_coder(project, store.ADJUDICATED)
        if self.scope.currentData() == ADJUDICATED:
            return ({adjudicated.id} if adjudicated else set()), set(), "the adjudicated coding"
        view = self.session.view
        if view == ALL:
            return None, ({adjudicated.id} if adjudicated else set()), "all coders"
        ids = self.session.shown_coder_ids() or set()
        if view == ME:
            return ids, set(), f"{self.session.coder.name} (you)"
        other = store.get_coder(project, int(view)).name
        return ids, set(), f"{self.session.coder.name} and {other}"

    def refresh_counts(self) -> None:
        """Read the counts of the shown codebook again and write them into the existing rows."""
        cb = self.codebook()
        if cb is None or not self.items:
            self.counts = {}
            return
        try:
            coder_ids, excluded, words = self.count_scope()
            self.counts = code_counts(self.session.project, codebook_id=cb.id,
                                      coder_ids=coder_ids, exclude_coder_ids=excluded)
        except store.ProjectError as exc:
            self.session.error.emit(str(exc))
            return
        self.count_reads += 1
        dim = self.palette().color(self.palette().ColorGroup.Disabled,
                                   self.palette().ColorRole.Text)
        normal = self.palette().color(self.palette().ColorRole.Text)
        for code_id, item in self.items.items():
            n = self.counts.get(code_id, CodeCount())
            for col, value in ((SEGMENTS, n.segments), (ARTICLES, n.articles)):
                item.setText(col, str(value))
                item.setForeground(col, dim if value == 0 else normal)
            item.setToolTip(SEGMENTS, f"{n.segments} segment{'s' * (n.segments != 1)} coded by "
                            f"{words}")
            item.setToolTip(ARTICLES, f"in {n.articles} article{'s' * (n.articles != 1)} "
                            f"({words})")

    def refresh_memo_tips(self) -> None:
        """Each code's tooltip: its name, description and the start of its memo, if any."""
        try:
            memos: dict[int, str] = {}
            for m in store.list_memos(self.session.project, codes_only=True):
                memos.setdefault(m.code_id, m.text)
        except store.ProjectError as exc:
            self.session.error.emit(str(exc))
            return
        for code_id, item in self.items.items():
            code = self.session.code(code_id)
            if code is None:
                continue
            tip = f"{code.name}\n\n{code.description or '(no description)'}"
            if code_id in memos:
                memo = " ".join(memos[code_id].split())
                tip += f"\n\nMemo: {memo[:200] + '…' if len(memo) > 200 else memo}"
            item.setToolTip(NAME, plain_tooltip(tip))

    def count_of(self, code_id: int) -> CodeCount:
        return self.counts.get(code_id, CodeCount())

    def current_code_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, CodeRole) if item else None

    def _show_help(self, item, _previous=None) -> None:
        if item is None:
            return
        code = self.session.code(item.data(NAME, CodeRole))
        if code:
            key = f"  [key {code.shortcut.upper()}]" if code.shortcut else ""
            self.help.setText(f"{code.name}{key}\n{code.description or ''}".strip())
            self.memo.set_code(code.id)

    def _clicked(self, item, _column) -> None:
        self.codeActivated.emit(item.data(0, CodeRole))

    def _on_changes(self, changes: store.Changes) -> None:
        if changes.touched("codes") or changes.touched("codebooks"):
            self._fill_books()
        else:
            if changes.touched("annotations") or changes.touched("article_labels") \
                    or changes.touched("coders"):
                self.refresh_counts()
            if changes.touched("memos"):
                self.refresh_memo_tips()

    # -- editing --------------------------------------------------------------------------------
    def _menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        code = self.session.code(item.data(NAME, CodeRole)) if item else None
        menu = QMenu(self)
        menu.addAction("Add code…", self.add_code)
        if code is not None:
            menu.addAction("Rename…", lambda: self.rename(code.id))
            menu.addAction("Recolour…", lambda: self.recolour(code.id))
            menu.addAction("Edit description…", lambda: self.describe(code.id))
            menu.addAction("Write memo", lambda: self.edit_memo(code.id))
            merge = menu.addMenu("Merge into")
            for other in self.codes():
                if other.id != code.id:
                    merge.addAction(chip_icon(other.color), other.name,
                                    lambda o=other.id: self.session.merge_codes(code.id, o))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def edit_memo(self, code_id: int) -> None:
        """Select the code and put the cursor at the end of its memo."""
        item = self.items.get(code_id)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.memo.edit.setFocus()
            self.memo.edit.moveCursor(self.memo.edit.textCursor().MoveOperation.End)

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
