"""``framelens memo``: project memos and code memos from the command line (``store.memos``).

``memo list`` prints them (``--code`` one code's, ``--project-only`` the project's); ``memo add``
writes one (``--code`` makes it a code memo); ``memo edit`` changes a memo's text or title;
``memo delete`` removes one.  The text comes from ``--text`` or ``--file`` (``-`` reads standard
input).  Each change is one action of ``--coder``, so ``framelens undo --coder NAME`` takes it
back and an open window shows it at its next refresh.
"""

from __future__ import annotations

import sys

from framelens import store

from .util import add_json_arg, add_project_arg, open_existing, print_json, print_table


def register(sub) -> None:
    p = sub.add_parser("memo", help="list, add, edit or delete project memos and code memos",
                       description="Project memos and code memos. A note on one article is the "
                       "article memo (window), a note on one span the annotation's memo.")
    verbs = p.add_subparsers(dest="memo_command", metavar="VERB", required=True)

    q = verbs.add_parser("list", help="list memos (all, a code's, or the project's)")
    add_project_arg(q)
    _code_args(q)
    q.add_argument("--project-only", action="store_true", help="only project memos")
    add_json_arg(q)
    q.set_defaults(func=cmd_list)

    q = verbs.add_parser("add", help="write a project memo, or with --code a code memo")
    add_project_arg(q)
    _text_args(q, required=True)
    q.add_argument("--title", default="", help="a short title (optional)")
    _code_args(q)
    q.add_argument("--coder", required=True, help="who writes it (created if new)")
    add_json_arg(q)
    q.set_defaults(func=cmd_add)

    q = verbs.add_parser("edit", help="change a memo's text and/or title")
    add_project_arg(q)
    q.add_argument("id", type=int, help="the memo's id (see memo list)")
    _text_args(q, required=False)
    q.add_argument("--title", help="new title ('' clears it)")
    q.add_argument("--coder", required=True, help="who makes the change (created if new)")
    add_json_arg(q)
    q.set_defaults(func=cmd_edit)

    q = verbs.add_parser("delete", help="delete a memo (undoable)")
    add_project_arg(q)
    q.add_argument("id", type=int, help="the memo's id (see memo list)")
    q.add_argument("--coder", required=True, help="who deletes it (created if new)")
    add_json_arg(q)
    q.set_defaults(func=cmd_delete)


def _code_args(p) -> None:
    p.add_argument("--code", help="code name: a memo on this code")
    p.add_argument("--codebook", help="codebook key or name when the code name is ambiguous")


def _text_args(p, *, required: bool) -> None:
    group = p.add_mutually_exclusive_group(required=required)
    group.add_argument("--text", help="the memo's text")
    group.add_argument("--file", help="read the text from this UTF-8 file ('-': standard input)")


def _read_text(args) -> str | None:
    if args.text is not None:
        return args.text
    if args.file is None:
        return None
    if args.file == "-":
        return sys.stdin.read()
    if store.is_open_project_file(args.file) or _same_file(args.file, args.project):
        raise ValueError(f"{args.file} is the project file, not a memo's text")
    try:
        with open(args.file, encoding="utf-8") as fh:
            return fh.read()
    except UnicodeDecodeError:
        raise ValueError(f"{args.file}: not UTF-8 text") from None


def _same_file(a: str, project: str) -> bool:
    """``a`` is the project or its -wal/-shm (compared by path and by file identity)."""
    import os

    for side in ("", "-wal", "-shm"):
        try:
            if os.path.samefile(a, project + side):
                return True
        except OSError:
            continue
    return False


def _row(m: store.Memo) -> dict:
    return {"id": m.id, "code": m.code, "title": m.title, "text": m.text, "coder": m.coder,
            "created_at": m.created_at, "updated_at": m.updated_at}


def cmd_list(args) -> int:
    project = open_existing(args.project)
    try:
        code_id = store.find_code(project, args.code, args.codebook).id if args.code else None
        memos = store.list_memos(project, code_id=code_id,
                                 project_only=args.project_only and code_id is None)
    finally:
        project.close()
    rows = [_row(m) for m in memos]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            r["code"] = r["code"] or "(project)"
            r["text"] = r["text"].replace("\n", " ")
        print_table(rows, ["id", "code", "title", "coder", "updated_at", "text"],
                    widths={"text": 60, "title": 24})
        print(f"{len(rows)} memo(s)")
    return 0


def _report(args, verb: str, memo: store.Memo | None, memo_id: int, changes) -> int:
    if args.json:
        print_json({"verb": verb, "memo": _row(memo) if memo else {"id": memo_id},
                    "action_id": changes.action_id})
    else:
        where = f"code {memo.code!r}" if memo and memo.code else "the project"
        print(f"memo {memo_id} {verb}" + (f" on {where}" if memo else "")
              + ("" if changes else " (nothing changed)"))
    return 0


def cmd_add(args) -> int:
    text = _read_text(args)          # before the project is open: never a file of it open
    project = open_existing(args.project)
    try:
        code_id = store.find_code(project, args.code, args.codebook).id if args.code else None
        coder = store.ensure_coder(project, args.coder)
        project.acting_coder_id = coder.id
        memo_id, changes = store.add_memo(project, text or "", title=args.title,
                                          code_id=code_id, coder_id=coder.id)
        memo = store.get_memo(project, memo_id)
    finally:
        project.close()
    return _report(args, "added", memo, memo_id, changes)


def cmd_edit(args) -> int:
    if args.text is None and args.file is None and args.title is None:
        raise ValueError("memo edit: give --text, --file or --title")
    text = _read_text(args)          # before the project is open: never a file of it open
    project = open_existing(args.project)
    try:
        store.get_memo(project, args.id)           # a clear message for an unknown id
        coder = store.ensure_coder(project, args.coder)
        project.acting_coder_id = coder.id
        changes = store.update_memo(project, args.id, text=text, title=args.title,
                                    coder_id=coder.id)
        memo = store.get_memo(project, args.id)
    finally:
        project.close()
    return _report(args, "edited", memo, args.id, changes)


def cmd_delete(args) -> int:
    project = open_existing(args.project)
    try:
        store.get_memo(project, args.id)
        coder = store.ensure_coder(project, args.coder)
        project.acting_coder_id = coder.id
        changes = store.delete_memo(project, args.id, coder_id=coder.id)
    finally:
        project.close()
    return _report(args, "deleted", None, args.id, changes)
