"""Opening a project file, migrating it, and running user actions as single transactions.

A :class:`Project` wraps one SQLite connection (WAL, foreign keys on, busy timeout) and a
``sqlite_utils.Database`` over it.  Every change an analyst makes goes through
:meth:`Project.action`, a context manager that opens ``BEGIN IMMEDIATE``, writes one row to
``actions`` and one row to ``changes`` for each row touched (with before/after images), and
commits — so a crash loses at most the action in flight, and every action can be undone by
:func:`undo` (which is itself a new action).  Operations return a :class:`Changes` record saying
which tables and rows changed, so views refresh only what they must.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from .errors import (
    ConflictError,
    NewerVersionError,
    NotAProjectError,
    ProjectError,
    ReadOnlyError,
)
from .schema import APPLICATION_ID, LATEST_VERSION, MIGRATIONS

PROJECT_SUFFIX = ".framelens"
#: action kinds that undo refuses and the history skips (``store.history``): imports are taken
#: back by removing articles; migrations, caches and settings are not the analyst's work
NOT_UNDOABLE = ("import", "migration", "cache", "setting", "suggest")
BUSY_TIMEOUT_MS = 10_000


def now() -> str:
    """UTC timestamp as ISO 8601 with milliseconds, the format of every ``*_at`` column."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class Changes:
    """What an action changed: table name → ids of rows inserted, updated or deleted."""

    action_id: int | None = None
    rows: dict[str, set[int]] = field(default_factory=dict)

    def add(self, table: str, row_id: int) -> None:
        self.rows.setdefault(table, set()).add(row_id)

    def touched(self, table: str) -> bool:
        return bool(self.rows.get(table))

    def __bool__(self) -> bool:
        return any(self.rows.values())


class Project:
    """An open project file.  Create with :func:`open_project` or :func:`create_project`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, read_only: bool = False):
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.read_only = read_only
        self._action: Changes | None = None
        self._open_key = _register(path)
        #: recorded on actions that name no coder of their own (adding a code, a story, a
        #: coder…), so each coder's undo history holds what they did (``store.history``)
        self.acting_coder_id: int | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                if not self.read_only:
                    self.conn.execute("PRAGMA optimize")
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
            _unregister(self._open_key)

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # -- reading ---------------------------------------------------------------------------
    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def get_row(self, table: str, row_id: int) -> dict | None:
        row = self.conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', (row_id,)).fetchone()
        return dict(row) if row is not None else None

    # -- actions ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def action(self, kind: str, description: str = "", *, coder_id: int | None = None,
               undoes_id: int | None = None, log: bool = True) -> Iterator[Changes]:
        """Run the body as one user action: one transaction, one ``actions`` row.

        Nested calls join the outer action.  On any exception the whole action is rolled back
        and the exception propagates; nothing of it is left in the file.
        """
        if self._action is not None:
            yield self._action
            return
        if self.read_only:
            raise ReadOnlyError(f"{self.path} is open read-only; the change was not made.")
        if coder_id is None:
            coder_id = self.acting_coder_id
        changes = Changes()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise ProjectError(f"{self.path}: could not start a change ({exc}); "
                               "another FrameLens process may be writing to it.") from exc
        self._action = changes
        try:
            if log:
                cur = self.conn.execute(
                    "INSERT INTO actions (kind, description, coder_id, undoes_id, created_at)"
                    " VALUES (?, ?, ?, ?, ?)", (kind, description, coder_id, undoes_id, now()))
                changes.action_id = cur.lastrowid
            yield changes
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback_quietly()
            raise _storage_error(self.path, exc) from exc
        except BaseException:
            self._rollback_quietly()
            raise
        finally:
            self._action = None

    def _rollback_quietly(self) -> None:
        """Roll back the action in flight; a failing rollback (disk gone) leaves it to SQLite's
        own recovery, which discards the unfinished transaction at the next open."""
        with contextlib.suppress(sqlite3.Error):
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def _require_action(self) -> Changes:
        if self._action is None:
            raise ProjectError("internal: a change was attempted outside an action")
        return self._action

    def _log(self, table: str, row_id: int, op: str, before: dict | None, after: dict | None) -> None:
        changes = self._require_action()
        changes.add(table, row_id)
        if changes.action_id is None:
            return
        self.conn.execute(
            "INSERT INTO changes (action_id, table_name, row_id, op, before_json, after_json)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (changes.action_id, table, row_id, op,
             None if before is None else json.dumps(before, ensure_ascii=False),
             None if after is None else json.dumps(after, ensure_ascii=False)))

    def insert_row(self, table: str, row: dict, *, log_image: dict | None = None) -> int:
        """Insert ``row`` into ``table`` inside the current action and log it.

        ``log_image`` replaces the after-image in the log (imports log article metadata without
        the text, which the article row itself keeps immutably).
        """
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        cur = self.conn.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', tuple(row.values()))
        row_id = cur.lastrowid
        after = dict(row, id=row_id) if log_image is None else dict(log_image, id=row_id)
        self._log(table, row_id, "insert", None, after)
        return row_id

    def insert_rows(self, table: str, rows: list[dict], *,
                    log_images: list[dict] | None = None) -> list[int]:
        """Insert ``rows`` (dicts with the same keys, no ``id``) with one statement inside the
        current action, log each, and return their ids in order.

        One statement rather than one per row matters for tables with a full-text index: FTS5
        writes its pending terms out at every statement, so a statement per row leaves many tiny
        index segments to merge (``bench/bench_store.py``: 2.3x slower).  Ids are given
        explicitly, ``max(id) + 1`` onwards - what SQLite would choose row by row; the action's
        write lock keeps them ours.  A row breaking a constraint raises
        ``sqlite3.IntegrityError`` and nothing of the statement is written.

        The ``changes`` rows are written by one statement too, the same rows in the same order
        as :meth:`_log` writes one by one: each statement releases Python's lock on the
        interpreter, and while an import's reading thread is busy, taking it back costs up to
        the interpreter's switch interval (5 ms) - a statement per logged row made an import
        of 10,000 articles wait seconds.  Statements stay under SQLite's limit on variables
        (split when more rows are given).
        """
        changes = self._require_action()
        if not rows:
            return []
        cols = list(rows[0])
        first = self.conn.execute(f'SELECT coalesce(max(id), 0) + 1 FROM "{table}"').fetchone()[0]
        ids = list(range(first, first + len(rows)))
        names = ", ".join(f'"{c}"' for c in ("id", *cols))
        marks = "(" + ", ".join("?" for _ in range(len(cols) + 1)) + ")"
        per = self._rows_per_statement(len(cols) + 1)
        split = len(rows) > per          # then all or nothing through a savepoint
        if split:
            self.conn.execute("SAVEPOINT insert_rows")
        try:
            for start in range(0, len(rows), per):
                part = range(start, min(start + per, len(rows)))
                self.conn.execute(
                    f'INSERT INTO "{table}" ({names}) VALUES ' + ", ".join([marks] * len(part)),
                    [v for i in part for v in (ids[i], *(rows[i][c] for c in cols))])
        except BaseException:
            if split:
                self.conn.execute("ROLLBACK TO insert_rows")
                self.conn.execute("RELEASE insert_rows")
            raise
        if split:
            self.conn.execute("RELEASE insert_rows")
        for row_id in ids:
            changes.add(table, row_id)
        if changes.action_id is None:
            return ids
        images = rows if log_images is None else log_images
        values = [v for row_id, image in zip(ids, images)
                  for v in (changes.action_id, table, row_id, "insert", None,
                            json.dumps(dict(image, id=row_id), ensure_ascii=False))]
        per = self._rows_per_statement(6)
        for start in range(0, len(ids), per):
            count = min(per, len(ids) - start)
            self.conn.execute(
                "INSERT INTO changes (action_id, table_name, row_id, op, before_json, after_json)"
                " VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?)"] * count),
                values[6 * start:6 * (start + count)])
        return ids

    def _rows_per_statement(self, width: int) -> int:
        """Rows of ``width`` values that fit in one statement (SQLite's variable limit:
        32,766 by default since 3.32, 999 before)."""
        try:
            limit = self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except (AttributeError, sqlite3.Error):
            limit = 999
        return max(1, limit // width)

    def update_row(self, table: str, row_id: int, values: dict) -> dict:
        """Update columns of one row inside the current action; returns the before-image."""
        before = self.get_row(table, row_id)
        if before is None:
            raise ProjectError(f"no {table} row with id {row_id}")
        sets = ", ".join(f'"{c}" = ?' for c in values)
        self.conn.execute(f'UPDATE "{table}" SET {sets} WHERE id = ?', (*values.values(), row_id))
        self._log(table, row_id, "update", {k: before[k] for k in values}, dict(values))
        return before

    def delete_row(self, table: str, row_id: int) -> dict:
        """Delete one row inside the current action, logging its full before-image."""
        before = self.get_row(table, row_id)
        if before is None:
            raise ProjectError(f"no {table} row with id {row_id}")
        self.conn.execute(f'DELETE FROM "{table}" WHERE id = ?', (row_id,))
        self._log(table, row_id, "delete", before, None)
        return before

    # -- settings --------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

    def set_setting(self, key: str, value: str | None) -> None:
        with self.action("setting", key, log=False):
            self.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def _storage_error(path: Path, exc: sqlite3.OperationalError) -> ProjectError:
    """A clear message for a write the disk refused; the action was rolled back, earlier ones stay."""
    msg = str(exc)
    low = msg.lower()
    if "full" in low:
        why = "the disk is full (or a size limit was reached). Free some space and do it again"
    elif "readonly" in low or "read-only" in low:
        return ReadOnlyError(f"{path} can no longer be written ({msg}); this change was not saved. "
                             "Everything saved before it is kept. Make the file writable again.")
    elif "locked" in low or "busy" in low:
        why = "another FrameLens process held the project too long. Try again"
    elif "i/o" in low:
        why = ("the operating system refused to write the file (a full disk, a removed drive "
               "or a size limit). Check the disk and do it again")
    else:
        why = msg
    return ProjectError(f"{path}: this change was not saved: {why}. Everything saved before it "
                        "is kept.")


# -- files open in this process -----------------------------------------------------------------
_OPEN: dict[str, int] = {}
_OPEN_LOCK = threading.RLock()


def _register(path: Path) -> str:
    key = os.path.realpath(path)
    with _OPEN_LOCK:
        _OPEN[key] = _OPEN.get(key, 0) + 1
    return key


def _unregister(key: str) -> None:
    with _OPEN_LOCK:
        count = _OPEN.get(key, 0) - 1
        if count > 0:
            _OPEN[key] = count
        else:
            _OPEN.pop(key, None)


def is_open_project_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` is (or links to) a project file open in this process, or its
    ``-wal``/``-shm``/``-journal``.  Importers and exporters check this before they ``open()``
    a file: closing any descriptor of the database would drop this process's SQLite locks."""
    real = os.path.realpath(path)
    with _OPEN_LOCK:
        keys = list(_OPEN)
    for key in keys:
        if real in (key, key + "-wal", key + "-shm", key + "-journal"):
            return True
        try:
            if os.path.samefile(real, key):
                return True
        except OSError:
            continue
    return False


# -- opening ---------------------------------------------------------------------------------
def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_header(path: Path) -> None:
    """Refuse, with a clear message, a folder, an unreadable file or one that is not SQLite.

    The first 16 bytes are read with ``open()`` only while no connection to this file is open in
    this process (``_OPEN_LOCK`` is held from here until the new connection is registered, so no
    other thread can open one meanwhile): on POSIX, closing *any* descriptor of a file drops every
    lock the process holds on it (SQLite's "How To Corrupt An SQLite Database File", section 2.2),
    another process then believes it is alone, checkpoints and deletes the write-ahead log, and
    acknowledged writes are lost.  With a connection open the file was checked when it was
    opened, and SQLite itself refuses what is not a database ("file is not a database").
    """
    if path.is_dir():
        raise NotAProjectError(f"{path} is a folder, not a FrameLens project file.")
    if not os.access(path, os.R_OK):
        raise ProjectError(f"{path}: cannot read the file (permission denied).")
    size = path.stat().st_size
    if 0 < size < 512:            # smaller than SQLite's smallest page: truncated or not SQLite
        raise NotAProjectError(f"{path} is not a FrameLens project (only {size} bytes: damaged "
                               "or not an SQLite database). Restore it with 'framelens restore'.")
    if is_open_project_file(path):
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except PermissionError as exc:
        raise ProjectError(f"{path}: cannot read the file (permission denied).") from exc
    if head and head != b"SQLite format 3\x00":
        raise NotAProjectError(f"{path} is not a FrameLens project (not an SQLite database).")


def _is_empty(path: Path) -> bool:
    """A 0-byte file with no write-ahead log beside it (a file truncated to nothing)."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size == 0 and (not wal.exists() or wal.stat().st_size == 0)


def backup_copy(conn: sqlite3.Connection, dest: Path) -> Path:
    """Write a consistent copy of the open database to ``dest`` with SQLite's online backup."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    target = sqlite3.connect(str(tmp))
    try:
        conn.backup(target)
    finally:
        target.close()
    os.replace(tmp, dest)
    return dest


def _migrate(project: Project) -> None:
    version = project.schema_version
    if version > LATEST_VERSION:
        raise NewerVersionError(
            f"{project.path} was written by a newer FrameLens (schema version {version}; this "
            f"version understands up to {LATEST_VERSION}). Update FrameLens to open it.")
    if version == LATEST_VERSION:
        return
    if version > 0:
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_copy(project.conn, project.path.with_name(
            f"{project.path.name}.v{version}-{stamp}.bak"))
    for number in range(version + 1, LATEST_VERSION + 1):
        conn = project.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # executescript would COMMIT first; run statement by statement inside our transaction
            for statement in _split_sql(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _split_sql(script: str) -> list[str]:
    """Split a migration script into complete statements (triggers contain ``;``)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def open_project(path: str | os.PathLike, *, create: bool = False, read_only: bool = False) -> Project:
    """Open (or with ``create=True`` create) a project file and bring its schema up to date.

    Raises :class:`NotAProjectError` for a file that is not a FrameLens project,
    :class:`NewerVersionError` for one written by a newer version, :class:`ReadOnlyError` when
    the file or its folder cannot be written (pass ``read_only=True`` to browse it anyway), and
    :class:`ProjectError` for a damaged file.  Messages name the file and say what to do.

    Every connection of FrameLens (window, background tasks, helper process, command line) is
    opened here, the same way: WAL, ``synchronous=NORMAL``, foreign keys, a busy timeout.
    Opening holds this process's open-files lock until the connection is registered, so the
    header check never closes a descriptor of a file another thread holds (``_check_header``).
    """
    with _OPEN_LOCK:
        return _open_project(Path(path), create=create, read_only=read_only)


def _open_project(path: Path, *, create: bool, read_only: bool) -> Project:
    exists = path.exists()
    if not exists and not create:
        raise ProjectError(f"{path}: no such project file. Create one with 'framelens init {path}'.")
    if exists:
        _check_header(path)
        if not create and _is_empty(path):
            raise NotAProjectError(
                f"{path} is empty (0 bytes): it is not a project any more. Restore it from a "
                "backup with 'framelens restore', or delete it to start a new project.")
        if not read_only and (not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)):
            raise ReadOnlyError(
                f"{path} (or its folder) is read-only; FrameLens needs to write to it. "
                "Copy it somewhere writable, or open it read-only to browse.")
    elif path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = _connect(path, read_only=read_only)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if exists and app_id != APPLICATION_ID:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                conn.close()
                raise NotAProjectError(f"{path} is an SQLite database but not a FrameLens project.")
        if not read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                conn.close()
                raise ProjectError(f"{path}: could not switch the file to WAL mode ({mode}).")
            conn.execute("PRAGMA synchronous = NORMAL")
        project = Project(path, conn, read_only=read_only)
        try:
            if read_only:
                if version > LATEST_VERSION:
                    raise NewerVersionError(
                        f"{path} was written by a newer FrameLens (schema version {version}).")
            else:
                _migrate(project)
        except BaseException:
            project.close()
            raise
        return project
    except sqlite3.DatabaseError as exc:
        msg = str(exc)
        if "not a database" in msg or "malformed" in msg or "disk image" in msg:
            raise NotAProjectError(
                f"{path} is damaged or not a FrameLens project ({msg}). Restore it from a "
                "backup with 'framelens restore'.") from exc
        if "readonly" in msg or "read-only" in msg:
            raise ReadOnlyError(f"{path} cannot be written ({msg}).") from exc
        if "i/o" in msg.lower() or "full" in msg.lower():
            raise ProjectError(
                f"{path}: could not open the project: the operating system refused to read or "
                "write its files (a full disk, a removed drive or a size limit). Nothing was "
                "changed; check the disk and try again.") from exc
        raise ProjectError(f"{path}: {msg}") from exc


def create_project(path: str | os.PathLike) -> Project:
    """Create a new, empty project file (refusing to overwrite an existing one)."""
    path = Path(path)
    if path.exists():
        raise ProjectError(f"{path} already exists; open it instead, or choose another name.")
    return open_project(path, create=True)


def integrity_check(project: Project) -> list[str]:
    """``PRAGMA integrity_check`` plus a foreign-key check; ``[]`` when the file is sound."""
    try:
        problems = [r[0] for r in project.conn.execute("PRAGMA integrity_check").fetchall()
                    if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in project.conn.execute(
            "PRAGMA foreign_key_check").fetchall()]
    except sqlite3.DatabaseError as exc:   # pages so damaged the check itself cannot read them
        problems = [f"damaged: {exc}"]
    return problems


# -- undo ------------------------------------------------------------------------------------
def _apply_inverse(project: Project, change: sqlite3.Row) -> None:
    table, row_id, op = change["table_name"], change["row_id"], change["op"]
    before = json.loads(change["before_json"]) if change["before_json"] else None
    after = json.loads(change["after_json"]) if change["after_json"] else None
    current = project.get_row(table, row_id)
    if op == "insert":
        if current is None:
            return
        if after and any(current.get(k) != v for k, v in after.items() if k in current):
            raise ConflictError(f"cannot undo: {table} row {row_id} was changed since it was "
                                "added; undo that change first")
        project.delete_row(table, row_id)
    elif op == "delete":
        if current is not None:
            raise ConflictError(f"cannot undo: {table} row {row_id} exists again")
        project.insert_row(table, before)
    else:
        if current is None:
            raise ConflictError(f"cannot undo: {table} row {row_id} was deleted since")
        if any(current.get(k) != v for k, v in (after or {}).items()):
            raise ConflictError(f"cannot undo: {table} row {row_id} was changed again since")
        project.update_row(table, row_id, before or {})


def undo(project: Project, action_id: int, *, coder_id: int | None = None) -> Changes:
    """Apply the inverse of action ``action_id`` as a new action (``kind='undo'``).

    Redo is the undo of an undo.  Refuses with :class:`ConflictError` when a row the action
    touched was changed again since; in that case nothing is changed.
    """
    action = project.query_one("SELECT * FROM actions WHERE id = ?", (action_id,))
    if action is None:
        raise ProjectError(f"no action {action_id} to undo")
    if action["kind"] in NOT_UNDOABLE:
        raise ConflictError(f"a {action['kind']} is not undone from the history"
                            + ("; remove the articles instead" if action["kind"] == "import" else ""))
    rows = project.query("SELECT * FROM changes WHERE action_id = ? ORDER BY id DESC", (action_id,))
    kind = "redo" if action["kind"] == "undo" else "undo"
    with project.action(kind, f"{kind} {action['description'] or action['kind']}",
                        coder_id=coder_id, undoes_id=action_id) as changes:
        for change in rows:
            _apply_inverse(project, change)
    return changes
