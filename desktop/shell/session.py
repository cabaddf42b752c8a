"""The open project, the current coder, what is shown, and the undo/redo history.

The operations layer of the window (Anki's ``CollectionOp`` + ``operation_did_execute``):

* :meth:`Session.perform` runs one store operation on the UI thread (one action, one
  transaction, about a millisecond);
* :meth:`Session.perform_in_background` runs a longer one on the window's
  :class:`~framelens.desktop.shell.workers.TaskRunner`, on the task's own connection, and
  announces its changes back on the UI thread;
* undo and redo (:meth:`Session.undo` / :meth:`Session.redo`) and the external-change watch
  (``external_changes.py``, initiator :data:`EXTERNAL`) go through the same announcement.

They are the only code that emits :attr:`Session.changed` (``tests/test_operations.py`` checks
the source for any other ``.changed.emit(``).  The signal carries one argument, an
:class:`Announced` — the store's :class:`store.Changes` (table → row ids) plus ``initiator``,
who started the change: the object or name a caller passed (a panel, ``"review"``…),
``"window"`` by default, :data:`UNDO` / :data:`REDO`, or :data:`EXTERNAL` for another window,
the command line or the helper process.  One argument, not ``changed(changes, initiator)``: every
listener written for the store's ``Changes`` keeps working unchanged (``ch.touched("codes")``),
and a listener that cares reads ``ch.initiator`` — e.g. to skip re-reading what it just did.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from framelens import store
from framelens.store import watch

ME, ALL = "me", "all"
#: initiators the session itself names (callers may pass any object or string of their own)
WINDOW, EXTERNAL, UNDO, REDO = "window", "external", "undo", "redo"
#: how many of its own action ids the session remembers, so the external-change watch does not
#: announce the window's own background actions a second time
_OWN_IDS_KEPT = 2000


@dataclass
class Announced(store.Changes):
    """The store's :class:`store.Changes` as announced by :attr:`Session.changed`, with who
    started them."""

    initiator: Any = WINDOW



@dataclass
class HistoryEntry:
    action_id: int
    description: str


class Session(QObject):
    """State shared by all panels of one main window."""

    changed = Signal(object)        # Announced: store.Changes + initiator
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
        #: action ids this session announced itself (perform, background, undo/redo)
        self.own_action_ids: set[int] = set()
        #: background performs started and not yet announced (the external watch waits for them)
        self.pending_background = 0
        #: set by the main window: where :meth:`perform_in_background` runs its work
        self.runner = None
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
    def perform(self, description: str, fn: Callable[..., Any], *args: Any,
                initiator: Any = WINDOW, **kwargs: Any) -> Any:
        """Run one store operation as one undoable user action, and announce what it changed.

        ``fn(project, *args, **kwargs)`` returns :class:`store.Changes` or ``(value, Changes)``.
        Returns the operation's result, or ``None`` after reporting a store error.  If ``fn``
        committed more than one action (e.g. it created the adjudicating coder first), the rows
        of all of them are announced together.
        """
        try:
            before = watch.last_action_id(self.project)
            result = fn(self.project, *args, **kwargs)
        except store.ProjectError as exc:
            self.error.emit(str(exc))
            return None
        changes = _changes_of(result)
        if changes is not None and changes.action_id is not None and initiator != EXTERNAL:
            self._labels[changes.action_id] = description
            if changes.action_id > before + 1:            # more than its own action committed
                try:
                    changes = _merged(changes, watch.changes_since(self.project, before)[0])
                except store.ProjectError:
                    pass
        self._announce(changes, initiator)
        return result

    def perform_in_background(self, description: str, fn: Callable[..., Any], *args: Any,
                              label: str = "", initiator: Any = WINDOW,
                              on_done: Callable[[Any], None] | None = None,
                              on_error: Callable[[str], None] | None = None, **kwargs: Any):
        """Run a long store operation on the window's task runner and announce it when done.

        ``fn(project, progress, cancelled, *args, **kwargs)`` runs in a worker thread on the
        task's own connection (never the UI's) and returns :class:`store.Changes`,
        ``(value, Changes)``, or an object with a ``changes`` attribute (an outcome that also
        carries a report).  Back on the UI thread the changes are announced exactly as
        :meth:`perform` does, then ``on_done(result)`` runs.  Returns the
        :class:`~framelens.desktop.shell.workers.Task` (its ``signals.cancelled`` tells of a
        cancel; a cancelled operation must roll itself back and changes nothing).
        """
        if self.runner is None:
            raise RuntimeError("perform_in_background needs session.runner (the window sets it)")

        def work(project, progress, cancelled):
            return fn(project, progress, cancelled, *args, **kwargs)

        def done(result) -> None:
            self.pending_background -= 1
            changes = _changes_of(result)
            if changes is not None and changes.action_id is not None:
                self._labels[changes.action_id] = description
            self._announce(changes, initiator)
            if on_done is not None:
                on_done(result)

        def failed(message: str) -> None:
            self.pending_background -= 1
            (on_error or self.error.emit)(message)

        self.pending_background += 1
        task = self.runner.submit(self.path, work, label=label or description, on_done=done,
                                  on_error=failed)
        task.signals.cancelled.connect(lambda: setattr(self, "pending_background",
                                                       self.pending_background - 1))
        return task

    def _announce(self, changes: store.Changes | None, initiator: Any) -> None:
        """The one place :attr:`changed` is emitted (with the session's own caches refreshed
        first, so listeners read fresh codes)."""
        if changes is None or (not changes and changes.action_id is None):
            return
        if changes.action_id is not None and initiator != EXTERNAL:
            self.own_action_ids.add(changes.action_id)
            if len(self.own_action_ids) > _OWN_IDS_KEPT:
                self.own_action_ids = set(sorted(self.own_action_ids)[-_OWN_IDS_KEPT // 2:])
        announced = Announced(action_id=changes.action_id,
                              rows={t: set(ids) for t, ids in changes.rows.items()},
                              initiator=initiator)
        if announced.touched("codes") or announced.touched("codebooks"):
            self.reload_codes()
        self.last_commit = _dt.datetime.now().strftime("%H:%M:%S")
        self.historyChanged.emit()
        if initiator != EXTERNAL:
            self.committed.emit(self.last_commit)
        if announced:
            self.changed.emit(announced)

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
        return self._step(store.undo_last, "Undo", UNDO)

    def redo(self) -> bool:
        return self._step(store.redo_last, "Redo", REDO)

    def _step(self, fn: Callable[..., Any], verb: str, initiator: str) -> bool:
        try:
            step, changes = fn(self.project, coder_id=self.coder.id)
        except store.ProjectError as exc:
            self.error.emit(f"{verb} not possible: {exc}")
            return False
        label = self._label(step)
        if changes.action_id is not None:
            self._labels[changes.action_id] = label      # redo/undo of it reads the same
        self.message.emit(f"{verb}: {label}")
        self._announce(changes, initiator)
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


def _changes_of(result: Any) -> store.Changes | None:
    """The Changes in an operation's result: Changes, ``(value, Changes)`` or ``x.changes``."""
    if isinstance(result, store.Changes):
        return result
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], store.Changes):
        return result[1]
    changes = getattr(result, "changes", None)
    return changes if isinstance(changes, store.Changes) else None


def _merged(first: store.Changes, more: store.Changes) -> store.Changes:
    rows = {t: set(ids) for t, ids in first.rows.items()}
    for table, ids in more.rows.items():
        rows.setdefault(table, set()).update(ids)
    return store.Changes(action_id=first.action_id, rows=rows)


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
