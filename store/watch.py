"""Noticing changes another connection (another window, the command line) made to the file.

SQLite's ``PRAGMA data_version`` changes on a connection whenever another connection has
committed to the same file since it last looked — a cheap poll.  :func:`changes_since` then reads
the append-only change log to say which rows changed, as the same :class:`Changes` record the
connection's own actions return, so views refresh the same way for both.  A restore (a backup
copied over the file) rewrites the log itself; :func:`restore_marker` tells that apart.
"""

from __future__ import annotations

import sqlite3

from .backup import RESTORED
from .errors import ProjectError
from .project import Changes, Project


def _read(project: Project, fn):
    try:
        return fn()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{project.path}: cannot read the project ({exc})") from exc


def data_version(project: Project) -> int:
    """A number that changes when another connection commits to the file."""
    return _read(project, lambda: project.conn.execute("PRAGMA data_version").fetchone()[0])


def last_action_id(project: Project) -> int:
    return _read(project, lambda: project.query_one("SELECT coalesce(max(id), 0) FROM actions")[0])


def restore_marker(project: Project) -> str | None:
    """Changes each time a backup is restored into the file."""
    return _read(project, lambda: project.get_setting(RESTORED))


def changes_since(project: Project, action_id: int) -> tuple[Changes, int]:
    """Rows changed by actions after ``action_id`` and the newest action id."""
    def read():
        changes = Changes()
        newest = project.query_one("SELECT coalesce(max(id), 0) FROM actions")[0]
        for row in project.query("SELECT table_name, row_id FROM changes"
                                 " WHERE action_id > ? AND action_id <= ? ORDER BY id",
                                 (action_id, newest)):
            changes.add(row["table_name"], row["row_id"])
        changes.action_id = newest if newest > action_id else None
        return changes, max(newest, action_id)
    return _read(project, read)
