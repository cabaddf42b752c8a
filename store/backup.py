"""Rolling backups of a project file, restoring one, and checking a file for damage.

* Backups are written with SQLite's online backup API from an open connection (a consistent
  snapshot even while other processes write), into a temporary file that is checked
  (``PRAGMA quick_check``) and only then renamed into place — a backup is never half-written
  and a damaged project never pushes good backups out of the rotation.
* They live in ``<project>.backups/`` beside the file, named
  ``<stem>.<UTC timestamp>.<tag><suffix>`` (tags: ``auto``, ``manual``, ``before-restore``);
  the newest ``keep`` are kept (``before-restore`` copies are never pruned).
* :func:`maybe_backup` backs up only when there were actions since the last backup and
  ``every_minutes`` have passed; it records the last backed-up action id in ``settings``.
* :func:`restore_backup` checks the backup first, writes the current file aside as another
  backup (or, if the current file is damaged, moves it aside untouched), then copies the backup
  in with the backup API — as one transaction, so other open connections see the old or the
  restored project, never a mix — and checks the result.
* :func:`check_file` is a thorough read of a file: SQLite integrity, foreign keys, the
  full-text index, every article's SHA-256 and every annotation's quote.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .errors import NewerVersionError, ProjectError, ReadOnlyError
from .project import BUSY_TIMEOUT_MS, Project, _check_header, integrity_check, open_project
from .schema import APPLICATION_ID, LATEST_VERSION

DEFAULT_KEEP = 10
DEFAULT_EVERY_MINUTES = 10
KEEP_FOREVER = ("before-restore",)
_LAST_ACTION = "backup.last_action_id"
_LAST_AT = "backup.last_at"
RESTORED = "backup.restored"
_STAMP = "%Y%m%dT%H%M%S%fZ"


class BackupError(ProjectError):
    """A backup could not be written or restored; the message says why and what was kept."""


@dataclass
class BackupInfo:
    path: Path
    created: _dt.datetime     # UTC
    tag: str
    size: int


@dataclass
class RestoreReport:
    project: Path
    restored_from: Path
    set_aside: Path | None     # the previous project file, kept as a backup (None if absent)
    damaged: bool              # the previous file was damaged and moved aside as it was


@dataclass
class CheckItem:
    name: str
    ok: bool | None            # None: not checked (says why in detail)
    detail: str = ""


@dataclass
class CheckReport:
    path: Path
    items: list[CheckItem] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [f"{i.name}: {i.detail}" for i in self.items if i.ok is False]

    @property
    def ok(self) -> bool:
        return not self.problems


# -- names and listing ---------------------------------------------------------------------------
def backup_folder(project_path: str | os.PathLike) -> Path:
    path = Path(project_path)
    return path.with_name(path.name + ".backups")


def _name_pattern(project_path: Path) -> re.Pattern:
    return re.compile(re.escape(project_path.stem) + r"\.(\d{8}T\d{12}Z)\.([a-z-]+)"
                      + re.escape(project_path.suffix) + "$")


PathArg = str | os.PathLike


def list_backups(path: PathArg, folder: PathArg | None = None) -> list[BackupInfo]:
    """The backups of the project at ``path``, newest first (half-written ones never listed)."""
    path = Path(path)
    folder = Path(folder) if folder else backup_folder(path)
    if not folder.is_dir():
        return []
    pattern = _name_pattern(path)
    found = []
    for entry in folder.iterdir():
        m = pattern.match(entry.name)
        if m and entry.is_file():
            created = _dt.datetime.strptime(m.group(1), _STAMP).replace(tzinfo=_dt.timezone.utc)
            found.append(BackupInfo(entry, created, m.group(2), entry.stat().st_size))
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


def prune_backups(path: PathArg, keep: int, folder: PathArg | None = None) -> list[Path]:
    """Delete the oldest rotating backups beyond ``keep``; returns what was deleted."""
    rotating = [b for b in list_backups(path, folder) if b.tag not in KEEP_FOREVER]
    removed = []
    for old in rotating[max(keep, 1):]:
        try:
            old.path.unlink()
            removed.append(old.path)
        except FileNotFoundError:
            pass
    return removed


# -- writing -------------------------------------------------------------------------------------
def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (staging files of dead writers may go)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clear_stale_parts(folder: Path) -> None:
    """Remove temporary files of backups whose writing process is gone (killed mid-backup)."""
    for entry in folder.glob(".*.part*"):
        m = re.search(r"\.(\d+)\.part(-journal)?$", entry.name)
        if m and int(m.group(1)) != os.getpid() and not pid_alive(int(m.group(1))):
            entry.unlink(missing_ok=True)


def _online_copy(source: sqlite3.Connection, dest: Path) -> None:
    """Copy an open database into ``dest`` with the backup API, check the copy, rename it in."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        leftover.unlink(missing_ok=True)
    target = sqlite3.connect(str(tmp), isolation_level=None)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")   # a self-contained single file
        verdict = [r[0] for r in target.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        target.close()
        tmp.unlink(missing_ok=True)
        raise BackupError(f"could not copy the project ({exc}); existing backups were "
                          "kept.") from exc
    target.close()
    if verdict != ["ok"]:
        tmp.unlink(missing_ok=True)
        raise BackupError("the project file is damaged (" + "; ".join(verdict[:3]) + "); no backup "
                          "was written and the existing backups were kept. Restore one with "
                          "'framelens restore'.")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    _fsync_dir(dest.parent)


def _stamp(when: _dt.datetime | None = None) -> str:
    return (when or _dt.datetime.now(_dt.timezone.utc)).strftime(_STAMP)


def backup_now(project: Project, folder: PathArg | None = None,
               keep: int | None = DEFAULT_KEEP, *, tag: str = "manual") -> Path:
    """Write a backup of the open project now; prune to ``keep`` (``None``: prune nothing)."""
    if project.conn is None:
        raise BackupError(f"{project.path}: the project is closed")
    if project.conn.in_transaction:
        raise BackupError(f"{project.path}: cannot back up in the middle of a change")
    if not re.fullmatch(r"[a-z-]+", tag):
        raise ValueError(f"backup tag must be lower-case letters and dashes, not {tag!r}")
    folder = Path(folder) if folder else backup_folder(project.path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create the backup folder {folder} "
                          f"({exc.strerror or exc})") from exc
    _clear_stale_parts(folder)
    when = _dt.datetime.now(_dt.timezone.utc)
    dest = folder / f"{project.path.stem}.{_stamp(when)}.{tag}{project.path.suffix}"
    while dest.exists():
        when += _dt.timedelta(microseconds=1)
        dest = folder / f"{project.path.stem}.{_stamp(when)}.{tag}{project.path.suffix}"
    try:
        _online_copy(project.conn, dest)
    except OSError as exc:
        raise BackupError(f"could not write the backup {dest} ({exc.strerror or exc})") from exc
    if keep is not None:
        prune_backups(project.path, keep, folder)
    return dest


def _last_action_id(project: Project) -> int:
    return project.query_one("SELECT coalesce(max(id), 0) FROM actions")[0]


def maybe_backup(project: Project, every_minutes: float = DEFAULT_EVERY_MINUTES,
                 keep: int = DEFAULT_KEEP, folder: str | os.PathLike | None = None, *,
                 now: _dt.datetime | None = None, tag: str = "auto") -> Path | None:
    """Back up if there were actions since the last backup and ``every_minutes`` have passed
    since it (or if there is no backup at all); returns the new backup or ``None``."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    last_id = int(project.get_setting(_LAST_ACTION, "0") or 0)
    last_at_text = project.get_setting(_LAST_AT)
    current = _last_action_id(project)
    have_any = bool(list_backups(project.path, folder))
    if have_any:
        if current <= last_id:
            return None
        if last_at_text:
            last_at = _dt.datetime.fromisoformat(last_at_text)
            if now - last_at < _dt.timedelta(minutes=every_minutes):
                return None
    dest = backup_now(project, folder, keep, tag=tag)
    if not project.read_only:
        project.set_setting(_LAST_ACTION, str(current))
        project.set_setting(_LAST_AT, now.isoformat())
    return dest


# -- restoring -----------------------------------------------------------------------------------
def _move_aside(project_path: Path, folder: Path) -> Path:
    """Move a damaged project file (and its -wal/-shm) into the backup folder untouched."""
    folder.mkdir(parents=True, exist_ok=True)
    aside = folder / f"{project_path.stem}.{_stamp()}.damaged{project_path.suffix}"
    os.replace(project_path, aside)
    wal = project_path.with_name(project_path.name + "-wal")
    if wal.exists():
        os.replace(wal, aside.with_name(aside.name + "-wal"))
    project_path.with_name(project_path.name + "-shm").unlink(missing_ok=True)
    return aside


def _open_backup(backup_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True, isolation_level=None)


def restore_backup(backup_path: PathArg, project_path: PathArg, *,
                   folder: PathArg | None = None) -> RestoreReport:
    """Replace the project's content with a backup (see the module docstring for the steps).

    Refuses, changing nothing, when the backup is missing, damaged, not a FrameLens project or
    from a newer FrameLens, or when the project file is read-only.
    """
    backup_path, project_path = Path(backup_path), Path(project_path)
    folder = Path(folder) if folder else backup_folder(project_path)
    if not backup_path.is_file():
        raise BackupError(f"{backup_path}: no such backup file")
    if project_path.exists() and backup_path.resolve() == project_path.resolve():
        raise BackupError("the backup and the project are the same file")
    report = check_file(backup_path)
    if not report.ok:
        found = "; ".join(report.problems[:3])
        raise BackupError(f"{backup_path} is not a sound backup ({found}); nothing was changed.")
    set_aside, damaged, project = None, False, None
    if project_path.exists():
        try:
            project = open_project(project_path)
        except ReadOnlyError:
            raise
        except (NewerVersionError, ProjectError):
            project = None
        if project is not None and quick_check(project):
            project.close()
            project = None
    if project is not None:
        try:
            set_aside = backup_now(project, folder, keep=None, tag="before-restore")
            source = _open_backup(backup_path)
            try:
                source.backup(project.conn)
            finally:
                source.close()
        finally:
            project.close()
    else:
        if project_path.exists():
            set_aside, damaged = _move_aside(project_path, folder), True
        source = _open_backup(backup_path)
        try:
            _online_copy(source, project_path)
        finally:
            source.close()
    project = open_project(project_path)      # migrates a backup from an older version
    try:
        problems = integrity_check(project)
        if problems:
            raise BackupError(f"{project_path}: the restored file fails its check ({problems[0]}); "
                              f"the previous file is kept as {set_aside}.")
        project.set_setting(RESTORED, json.dumps({"from": str(backup_path), "at": _stamp()}))
    finally:
        project.close()
    return RestoreReport(project_path, backup_path, set_aside, damaged)


# -- checking ------------------------------------------------------------------------------------
def quick_check(project: Project) -> list[str]:
    """``PRAGMA quick_check`` of an open project: ``[]`` when sound, else the problems."""
    try:
        rows = [r[0] for r in project.conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [r for r in rows if r != "ok"]


def _connect_for_check(path: Path) -> tuple[sqlite3.Connection, bool]:
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    uri = f"file:{path}" + ("" if writable else "?mode=ro")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    return conn, writable


def _step(report: CheckReport, name: str, fn) -> None:
    try:
        ok, detail = fn()
    except (sqlite3.Error, ValueError, TypeError, KeyError) as exc:   # damage, reported
        ok, detail = False, f"cannot be read ({type(exc).__name__}: {exc})"
    report.items.append(CheckItem(name, ok, detail))


def check_file(path: str | os.PathLike) -> CheckReport:
    """A thorough check of a project file that never changes it and never raises for damage."""
    path = Path(path)
    report = CheckReport(path)
    if not path.is_file():
        report.items.append(CheckItem("file", False, "no such file"))
        return report
    if path.stat().st_size == 0:
        report.items.append(CheckItem("file", False, "the file is empty (0 bytes)"))
        return report
    try:
        _check_header(path)
    except ProjectError as exc:
        report.items.append(CheckItem("file", False, str(exc)))
        return report
    try:
        conn, writable = _connect_for_check(path)
        app_id, version = (conn.execute(f"PRAGMA {p}").fetchone()[0]
                           for p in ("application_id", "user_version"))
    except sqlite3.DatabaseError as exc:
        report.items.append(CheckItem("file", False, f"not readable as a database ({exc})"))
        return report
    try:
        if app_id != APPLICATION_ID:
            report.items.append(CheckItem("file", False,
                                          "an SQLite database, but not a FrameLens project"))
            return report
        if version > LATEST_VERSION:
            report.items.append(CheckItem("schema", False, f"written by a newer FrameLens (schema "
                                          f"{version}; this version knows up to {LATEST_VERSION})"))
            return report
        report.items.append(CheckItem("schema", True, f"version {version}" + (
            "" if version == LATEST_VERSION else " (migrated, after a backup copy, when opened)")))
        _run_checks(conn, writable, report)
    finally:
        conn.close()
    return report


def _run_checks(conn: sqlite3.Connection, writable: bool, report: CheckReport) -> None:
    def integrity():
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        return rows == ["ok"], "ok" if rows == ["ok"] else "; ".join(rows[:5])

    def foreign_keys():
        rows = conn.execute("PRAGMA foreign_key_check").fetchall()
        return not rows, f"{len(rows)} broken reference(s), e.g. {tuple(rows[0])}" if rows else "ok"

    def fts():
        if not writable:
            return None, "not checked: the file is read-only"
        conn.execute("BEGIN")
        try:
            conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_cjk'").fetchone():
                # the trigram index holds only the articles with CJK text: its own consistency,
                # then that it holds exactly those
                conn.execute("INSERT INTO articles_cjk(articles_cjk) VALUES ('integrity-check')")
                missing = conn.execute(
                    "SELECT count(*) FROM (SELECT id FROM articles WHERE has_cjk EXCEPT "
                    "SELECT id FROM articles_cjk_docsize)").fetchone()[0]
                extra = conn.execute(
                    "SELECT count(*) FROM (SELECT id FROM articles_cjk_docsize EXCEPT "
                    "SELECT id FROM articles WHERE has_cjk)").fetchone()[0]
                if missing or extra:
                    return False, (f"the CJK search index misses {missing} article(s) and has "
                                   f"{extra} too many")
        finally:
            conn.execute("ROLLBACK")
        return True, "ok"

    def hashes():
        bad, n = [], 0
        for row in conn.execute("SELECT id, text, text_sha256, n_chars FROM articles"):
            n += 1
            text = row[1] if isinstance(row[1], str) else None
            digest = None if text is None else hashlib.sha256(
                text.encode("utf-8", "surrogatepass")).hexdigest()
            if text is None or digest != row[2] or len(text) != row[3]:
                bad.append(row[0])
        return not bad, (f"{n} articles" if not bad else
                         f"{len(bad)} of {n} articles do not match their SHA-256: ids {bad[:10]}")

    def quotes():
        n = conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
        bad = [r[0] for r in conn.execute(
            'SELECT an.id FROM annotations an LEFT JOIN articles a ON a.id = an.article_id'
            ' WHERE a.id IS NULL'
            ' OR an.quote IS NOT substr(a.text, an.start + 1, an."end" - an.start)')]
        return not bad, (f"{n} annotations" if not bad else
                         f"{len(bad)} of {n} annotations do not match their article text: "
                         f"ids {bad[:10]}")

    def log():
        actions = conn.execute("SELECT count(*) FROM actions").fetchone()[0]
        changes = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM changes WHERE action_id NOT IN"
                               " (SELECT id FROM actions)").fetchone()[0]
        return not orphans, (f"{actions} actions, {changes} changes" if not orphans else
                             f"{orphans} change rows belong to no action")

    def replay():
        problems = log_problems(conn)
        return not problems, "agrees with the data" if not problems else "; ".join(problems[:5])

    for name, fn in (("SQLite integrity", integrity), ("foreign keys", foreign_keys),
                     ("full-text index", fts), ("article texts (SHA-256)", hashes),
                     ("annotation quotes", quotes), ("change log", log),
                     ("rows against the change log", replay)):
        _step(report, name, fn)


#: tables every change of which is logged with its after-image (see ``Project.insert_row``)
LOGGED_TABLES = ("annotations", "codes", "article_labels", "article_memos", "memos", "coders",
                 "codebooks", "questions", "outlets", "stories", "articles")


def log_problems(conn: sqlite3.Connection, tables: tuple[str, ...] = LOGGED_TABLES) -> list[str]:
    """Fold the change log's after-images in order and compare them with the current rows.

    The log is a second copy of every logged row, so this finds rows damaged in place, rows
    changed outside an action, and actions whose rows are missing (a half-applied action).
    """
    images: dict[tuple[str, int], dict | None] = {}
    problems = []
    for change_id, table, row_id, op, after in conn.execute(
            "SELECT id, table_name, row_id, op, after_json FROM changes ORDER BY id"):
        if table not in tables:
            continue
        key = (table, row_id)
        try:
            image = json.loads(after) if after else {}
        except (ValueError, TypeError):
            problems.append(f"change {change_id}: its after-image is unreadable")
            image = {}
        if not isinstance(image, dict):
            problems.append(f"change {change_id}: its after-image is not a row")
            image = {}
        if op == "delete":
            images[key] = None
        elif op == "insert":
            images[key] = image
        else:
            if images.get(key) is None:
                problems.append(f"the log updates {table} {row_id} but never inserted it")
            images[key] = {**(images.get(key) or {}), **image}
    by_table: dict[str, dict[int, dict | None]] = {t: {} for t in tables}
    for (table, row_id), image in images.items():
        by_table[table][row_id] = image
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in tables:
        if table not in present and not by_table[table]:
            continue        # a file from before the table's migration (memos: version 5)
        cur = conn.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cur.description]
        current = {row[0]: dict(zip(names, row)) for row in cur}
        logged = by_table[table]
        for row_id, image in logged.items():
            row = current.get(row_id)
            if image is None and row is not None:
                problems.append(f"{table} {row_id} exists although the log deleted it")
            elif image is not None and row is None:
                problems.append(f"{table} {row_id} is missing although the log has it")
            elif image is not None:
                bad = sorted(k for k, v in image.items() if k in row and row[k] != v)
                if bad:
                    problems.append(f"{table} {row_id}: {', '.join(bad)} differ from the log")
        extra = sorted(set(current) - set(logged))
        if extra:
            problems.append(f"{table}: rows {extra[:5]} were never logged")
    return problems
