"""Undo and redo that live with the project file, shared by every window and the command line.

The history is the append-only ``actions`` log itself; nothing is kept in memory, so a window,
a second window and ``framelens undo`` / ``framelens redo`` all see the same history, and an
undo made in one is seen by the others.

Definitions (Anki's model of an undo that is itself an operation, written down here):

* An action is **undoable** unless its kind is in :data:`NOT_UNDOABLE` (imports are removed by
  removing articles; migrations, caches and settings are not the analyst's work).
* ``store.undo(A)`` applies the inverse of A as a new action of kind ``undo`` whose
  ``undoes_id`` is A; undoing an ``undo`` action is a **redo** (kind ``redo``).
* An action is **in effect** unless an action that undoes it is itself in effect.
* **Undo** takes the most recent in-effect action that is not an ``undo`` (a ``redo`` counts: it
  re-did something, and undoing it takes that back).
* **Redo** takes the most recent in-effect ``undo`` made after the coder's last ordinary action
  (a new action ends what can be redone, as in every editor).
* With ``coder_id`` the history is that coder's: actions recorded with that coder.  Without
  one, the newest of anyone's; the undo (or redo) is then recorded with the coder of the action
  it takes back, so that coder's own redo finds it.  A window
  records its coder on every action it performs (``Project.acting_coder_id``), the command line
  the ``--coder`` it was given.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .errors import ConflictError, ProjectError
from .project import NOT_UNDOABLE, Changes, Project, undo


@dataclass(frozen=True)
class HistoryStep:
    """What undo or redo would do next: the action it would apply the inverse of."""

    action_id: int
    kind: str
    description: str
    coder_id: int | None
    created_at: str


def _children(project: Project) -> dict[int, list[int]]:
    """action id -> ids of the undo/redo actions that undo it (few rows: only undo and redo)."""
    out: dict[int, list[int]] = {}
    for row in project.query("SELECT id, undoes_id FROM actions WHERE kind IN ('undo', 'redo') "
                             "AND undoes_id IS NOT NULL"):
        out.setdefault(row["undoes_id"], []).append(row["id"])
    return out


def _in_effect(action_id: int, children: dict[int, list[int]]) -> bool:
    # iterative over the undo chain (A <- undo <- redo <- undo ...), which is a path, not a tree
    # in practice; a tree is handled too: any in-effect child takes the action back
    memo: dict[int, bool] = {}

    def visit(node: int) -> bool:
        if node in memo:
            return memo[node]
        stack = [node]
        while stack:
            top = stack[-1]
            pending = [c for c in children.get(top, ()) if c not in memo]
            if pending:
                stack.extend(pending)
                continue
            memo[top] = not any(memo[c] for c in children.get(top, ()))
            stack.pop()
        return memo[node]

    return visit(action_id)


def _step(row: sqlite3.Row) -> HistoryStep:
    return HistoryStep(row["id"], row["kind"], row["description"] or row["kind"], row["coder_id"],
                       row["created_at"])


def _coder_clause(coder_id: int | None) -> tuple[str, tuple]:
    return ("", ()) if coder_id is None else (" AND coder_id = ?", (coder_id,))


def _readable(fn):
    """History reads on a damaged file raise :class:`ProjectError` naming it, not sqlite3's."""
    import functools

    @functools.wraps(fn)
    def wrapper(project: Project, *args, **kwargs):
        try:
            return fn(project, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                raise
            raise ProjectError(f"{project.path}: the history cannot be read ({exc}); check the "
                               "file with 'framelens check'") from exc
    return wrapper


@_readable
def next_undo(project: Project, *, coder_id: int | None = None) -> HistoryStep | None:
    """The action :func:`undo_last` would take back, or ``None``."""
    children = _children(project)
    clause, params = _coder_clause(coder_id)
    marks = ", ".join("?" for _ in NOT_UNDOABLE)
    cur = project.conn.execute(
        f"SELECT * FROM actions WHERE kind NOT IN ({marks}, 'undo'){clause} ORDER BY id DESC",
        (*NOT_UNDOABLE, *params))
    for row in cur:
        if _in_effect(row["id"], children):
            cur.close()
            return _step(row)
    return None


@_readable
def next_redo(project: Project, *, coder_id: int | None = None) -> HistoryStep | None:
    """The undo action :func:`redo_last` would take back, or ``None``."""
    children = _children(project)
    clause, params = _coder_clause(coder_id)
    marks = ", ".join("?" for _ in NOT_UNDOABLE)
    last = project.query_one(
        f"SELECT max(id) AS id FROM actions WHERE kind NOT IN ({marks}, 'undo', 'redo'){clause}",
        (*NOT_UNDOABLE, *params))
    floor = (last["id"] or 0) if last else 0
    for row in project.query(f"SELECT * FROM actions WHERE kind = 'undo' AND id > ?{clause} "
                             "ORDER BY id DESC", (floor, *params)):
        if _in_effect(row["id"], children):
            original = project.query_one("SELECT * FROM actions WHERE id = ?", (row["undoes_id"],))
            target = _step(row)
            if original is not None:      # describe it by what will come back
                target = HistoryStep(row["id"], "undo", original["description"] or original["kind"],
                                     row["coder_id"], row["created_at"])
            return target
    return None


def undo_last(project: Project, *, coder_id: int | None = None) -> tuple[HistoryStep, Changes]:
    """Undo the most recent in-effect action (of ``coder_id`` when given) as a new action.

    Raises :class:`ProjectError` when there is nothing to undo and :class:`ConflictError` when
    its rows were changed since (nothing is changed then).
    """
    step = next_undo(project, coder_id=coder_id)
    if step is None:
        raise ProjectError(f"{project.path}: nothing to undo" +
                           ("" if coder_id is None else " for this coder"))
    return step, _undo(project, step.action_id, coder_id if coder_id is not None else step.coder_id)


def redo_last(project: Project, *, coder_id: int | None = None) -> tuple[HistoryStep, Changes]:
    """Redo the most recently undone action (of ``coder_id`` when given) as a new action."""
    step = next_redo(project, coder_id=coder_id)
    if step is None:
        raise ProjectError(f"{project.path}: nothing to redo" +
                           ("" if coder_id is None else " for this coder"))
    return step, _undo(project, step.action_id, coder_id if coder_id is not None else step.coder_id)


def _undo(project: Project, action_id: int, coder_id: int | None) -> Changes:
    try:
        return undo(project, action_id, coder_id=coder_id)
    except sqlite3.IntegrityError as exc:   # e.g. a coder created, then used by annotations
        raise ConflictError(f"cannot undo: other rows now depend on it ({exc}); nothing was "
                            "changed") from exc
