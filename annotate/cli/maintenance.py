"""Keeping a project safe: backup, backups, restore, check."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from framelens import store
from framelens.store import backup as backups

from .util import add_json_arg, add_project_arg, print_json, print_table


def register(sub) -> None:
    p = sub.add_parser("backup", help="write a backup of the project now (SQLite online backup)",
                       description="Writes a consistent copy into PROJECT.backups/ beside the file, "
                       "even while FrameLens has the project open, and keeps the newest K.")
    add_project_arg(p)
    p.add_argument("--keep", type=int, default=backups.DEFAULT_KEEP,
                   help=f"rotating backups to keep (default {backups.DEFAULT_KEEP})")
    p.add_argument("--folder", help="backup folder (default: PROJECT.backups beside the file)")
    add_json_arg(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("backups", help="list the backups of a project, newest first")
    add_project_arg(p)
    p.add_argument("--folder", help="backup folder (default: PROJECT.backups beside the file)")
    add_json_arg(p)
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser("restore", help="replace the project with one of its backups",
                       description="Checks the backup, keeps the current file as another backup "
                       "(or moves a damaged one aside untouched), copies the backup in and checks "
                       "the result. Open windows on the project reload and clear their undo history.")
    add_project_arg(p)
    p.add_argument("backup", help="backup file (see 'framelens backups PROJECT')")
    add_json_arg(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", help="check a project file for damage",
                       description="SQLite integrity, foreign keys, the full-text index, every "
                       "article's SHA-256 and every annotation's quote. Never changes the file. "
                       "Exit status 1 when a problem is found.")
    add_project_arg(p)
    add_json_arg(p)
    p.set_defaults(func=cmd_check)


def cmd_backup(args) -> int:
    if args.keep < 1:
        raise ValueError("--keep must be at least 1")
    project = store.open_project(args.project)
    try:
        path = backups.backup_now(project, args.folder, keep=args.keep)
    finally:
        project.close()
    if args.json:
        print_json({"backup": str(path), "size": path.stat().st_size})
    else:
        print(f"Backup written: {path}")
    return 0


def cmd_backups(args) -> int:
    found = backups.list_backups(args.project, args.folder)
    rows = [{"created": b.created.astimezone().strftime("%Y-%m-%d %H:%M:%S"), "kind": b.tag,
             "size": f"{b.size / 1024:,.0f} KB", "path": str(b.path)} for b in found]
    if args.json:
        print_json([dict(asdict(b), path=str(b.path), created=b.created.isoformat()) for b in found])
    elif not found:
        print(f"No backups of {args.project} in {backups.backup_folder(args.project)}.")
    else:
        print_table(rows, ["created", "kind", "size", "path"], widths={"path": 90})
    return 0


def cmd_restore(args) -> int:
    backup = Path(args.backup)
    if not backup.exists() and not backup.is_absolute():
        candidate = backups.backup_folder(args.project) / backup
        backup = candidate if candidate.exists() else backup
    report = backups.restore_backup(backup, args.project)
    if args.json:
        print_json({k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(report).items()})
        return 0
    print(f"Restored {report.project} from {report.restored_from}.")
    if report.set_aside is not None:
        what = "The damaged previous file was moved aside" if report.damaged else \
            "The previous state is kept as a backup"
        print(f"{what}: {report.set_aside}")
    return 0


def cmd_check(args) -> int:
    report = backups.check_file(args.project)
    if args.json:
        print_json({"path": str(report.path), "ok": report.ok, "problems": report.problems,
                    "checks": [asdict(i) for i in report.items]})
        return 0 if report.ok else 1
    print(f"Checking {report.path}")
    for item in report.items:
        mark = {True: "ok     ", False: "PROBLEM", None: "skipped"}[item.ok]
        print(f"  {mark}  {item.name}: {item.detail}")
    if report.ok:
        print("The project file is sound.")
        return 0
    print(f"The project file is damaged or unreadable ({len(report.problems)} problem(s)). "
          f"List its backups with 'framelens backups {args.project}' and restore one with "
          f"'framelens restore {args.project} BACKUP'.")
    return 1
