"""The open project, the current coder, what is shown, and the undo/redo history.

Every change the user makes goes through :meth:`Session.perform`: it runs one store operation
(one action, one transaction), records its action id on the undo stack, refreshes the session's
caches and emits :attr:`Session.changed` with the store's :class:`store.Changes`, which every view
listens to and uses to refresh only what changed.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from framelens import store

ME, ALL = "me", "all"


@dataclass
class HistoryEntry:
    action_id: int
    description: str


class Session(QObject):
    """State shared by all panels of one main window."""

    changed = Signal(object)        # store.Changes
    coderChanged = Signal(object)   # store.Coder
    viewChanged = Signal()          # whose codings are shown
    historyChanged = Signal()
    committed = Signal(str)         # local time of the last commit, HH:MM:SS
    error = Signal(str)
    message = Signal(str)

    def __init__(self, project: store.Project, coder: store.Coder, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.coder = coder
        self.view: str | int = ME
        self.last_commit: str | None = None
        self.codebooks: list[store.Codebook] = []
        self.codes: dict[int, store.Code] = {}
        project.acting_coder_id = coder.id
        # this window's wording of its actions for the Undo/Redo menus (the store's own
        # descriptions are kept as they are: some carry data, e.g. adjudication's kept-none)
        self._labels: dict[int, str] = {}
        self.reload_codes()

    # -- project data -----------------------------------------------------------------------
    @property
    def path(self) -> str:
        return str(self.project.path)

    def reload_codes(self) -> None:
        self.codebooks = store.list_codebooks(self.project)
        self.codes = {c.id: c for c in store.list_codes(self.project, include_merged=True)}

    def code(self, code_id: int) -> store.Code | None:
        return self.codes.get(code_id)

    # -- coder and view ---------------------------------------------------------------------
    def set_coder(self, name: str) -> store.Coder | None:
        """Switch to coder ``name``; a new coder is created as an undoable, announced action."""
        try:
            coder = store.find_coder(self.project, name.strip()) if name.strip() else None
        except store.ProjectError as exc:
            self.error.emit(str(exc))
            return None
        if coder is None:
            result = self.perform(f"New coder {name.strip()}", _new_coder, name)
            if result is None:
                return None
            coder = result[0]
        if coder.id != self.coder.id:
            self.coder = coder
            self.project.acting_coder_id = coder.id
            self.coderChanged.emit(coder)
            self.viewChanged.emit()
        return coder

    def set_view(self, view: str | int) -> None:
        """Show the codings of ``"me"``, ``"all"`` coders or one coder id."""
        if view != self.view:
            self.view = view
            self.viewChanged.emit()

    def shown_coder_ids(self) -> set[int] | None:
        """Coder ids whose codings are visible (``None`` = everyone's)."""
        if self.view == ALL:
            return None
        if self.view == ME:
            return {self.coder.id}
        return {self.coder.id, int(self.view)}

    # -- changing things --------------------------------------------------------------------
    def perform(self, description: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one store operation as one undoable user action.

        ``fn(project, *args, **kwargs)`` returns :class:`store.Changes` or ``(value, Changes)``.
        Returns the operation's result, or ``None`` after reporting a store error.
        """
        try:
            result = fn(self.project, *args, **kwargs)
        except store.ProjectError as exc:
            self.error.emit(str(exc))
            return None
        changes = result[1] if isinstance(result, tuple) else result
        if changes and changes.action_id is not None:
            self._labels[changes.action_id] = description
            self._after_commit(changes)
        return result

    def _after_commit(self, changes: store.Changes) -> None:
        if changes.touched("codes"):
            self.reload_codes()
        self.last_commit = _dt.datetime.now().strftime("%H:%M:%S")
        self.historyChanged.emit()
        self.committed.emit(self.last_commit)
        self.changed.emit(changes)

    # -- undo and redo: the project's own history (store.history), shared with other windows
    #    and with `framelens undo` / `framelens redo`; scoped to this window's coder
    @property
    def undo_stack(self) -> list[HistoryEntry]:
        """The next step undo would take (a one-item list), or ``[]``."""
        try:
            step = store.next_undo(self.project, coder_id=self.coder.id)
        except store.ProjectError:          # a damaged history: nothing offered (check warns)
            return []
        return [HistoryEntry(step.action_id, self._label(step))] if step else []

    @property
    def redo_stack(self) -> list[HistoryEntry]:
        """The next step redo would take (a one-item list), or ``[]``."""
        try:
            step = store.next_redo(self.project, coder_id=self.coder.id)
        except store.ProjectError:
            return []
        return [HistoryEntry(step.action_id, self._label(step))] if step else []

    def _label(self, step: store.HistoryStep) -> str:
        return self._labels.get(step.action_id, step.description)

    def undo_text(self) -> str:
        stack = self.undo_stack
        return stack[-1].description if stack else ""

    def redo_text(self) -> str:
        stack = self.redo_stack
        return stack[-1].description if stack else ""

    def undo(self) -> bool:
        return self._step(store.undo_last, "Undo")

    def redo(self) -> bool:
        return self._step(store.redo_last, "Redo")

    def _step(self, fn: Callable[..., Any], verb: str) -> bool:
        try:
            step, changes = fn(self.project, coder_id=self.coder.id)
        except store.ProjectError as exc:
            self.error.emit(f"{verb} not possible: {exc}")
            return False
        label = self._label(step)
        if changes.action_id is not None:
            self._labels[changes.action_id] = label      # redo/undo of it reads the same
        self.message.emit(f"{verb}: {label}")
        self._after_commit(changes)
        return True

    # -- the coding operations the views use ------------------------------------------------
    def add_annotation(self, article_id: int, start: int, end: int, code_id: int,
                       memo: str | None = None) -> int | None:
        code = self.code(code_id)
        text = store.get_text(self.project, article_id)[start:end]
        result = self.perform(f"{code.name if code else 'Code'}: {_short(text)}",
                              store.add_annotation, article_id=article_id, start=start, end=end,
                              code_id=code_id, coder_id=self.coder.id, memo=memo)
        return None if result is None else result[0]

    def recode_annotation(self, ann: store.Annotation, code_id: int) -> None:
        code = self.code(code_id)
        self.perform(f"Re-code as {code.name if code else code_id}: {_short(ann.quote)}",
                     store.update_annotation, ann.id, code_id=code_id, coder_id=self.coder.id)

    def set_annotation_memo(self, ann: store.Annotation, memo: str) -> None:
        self.perform(f"Memo on {ann.code}: {_short(ann.quote)}", store.update_annotation, ann.id,
                     memo=memo, coder_id=self.coder.id)

    def delete_annotation(self, ann: store.Annotation) -> None:
        self.perform(f"Delete {ann.code}: {_short(ann.quote)}", store.delete_annotation, ann.id,
                     coder_id=self.coder.id)

    def set_label(self, article_id: int, value: str | None, *, code_id: int | None = None,
                  question_id: int | None = None, description: str = "Article label") -> None:
        self.perform(description, store.set_article_label, article_id=article_id,
                     coder_id=self.coder.id, value=value, code_id=code_id, question_id=question_id)

    def set_article_memo(self, article_id: int, memo: str) -> None:
        self.perform("Article memo", store.set_article_memo, article_id=article_id,
                     coder_id=self.coder.id, memo=memo)

    def add_code(self, codebook_id: int, name: str, **values: Any) -> int | None:
        code_id = self.perform(f"Add code {name}", _add_code, codebook_id, name, **values)
        return code_id[0] if code_id else None

    def update_code(self, code_id: int, **values: Any) -> None:
        code = self.code(code_id)
        what = ", ".join(values)
        self.perform(f"Edit code {code.name if code else code_id} ({what})",
                     store.update_code, code_id, **values)

    def merge_codes(self, source_id: int, target_id: int) -> None:
        src, dst = self.code(source_id), self.code(target_id)
        self.perform(f"Merge {src.name if src else source_id} into {dst.name if dst else target_id}",
                     store.merge_codes, source_id, target_id, coder_id=self.coder.id)


def _new_coder(project: store.Project, name: str):
    """``store.ensure_coder`` as one action whose Changes come back (so it is announced)."""
    with project.action("coder", name.strip()) as changes:
        coder = store.ensure_coder(project, name)
    return coder, changes


def _add_code(project: store.Project, codebook_id: int, name: str, **values: Any):
    """``store.add_code`` returns only the id; wrap it so the action's Changes come back too."""
    with project.action("code-add", name) as changes:
        code_id = store.add_code(project, codebook_id, name, **values)
    return code_id, changes


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
