"""Undo and redo from the command line: the project's own history (``store.history``).

The same history the window's Edit → Undo uses, so ``framelens undo`` takes back what the last
``framelens annotate`` did, and an open window shows it at its next refresh.
"""

from __future__ import annotations

from framelens import store

from .util import add_json_arg, add_project_arg, open_existing, print_json


def register(sub) -> None:
    for verb, fn, what in (("undo", cmd_undo, "take back the most recent action"),
                           ("redo", cmd_redo, "do again the most recently undone action")):
        p = sub.add_parser(verb, help=f"{what} (the project's own history, shared with windows)",
                           description=f"{what[0].upper()}{what[1:]} as a new action; nothing "
                           "is ever deleted from the history. With --coder, that coder's most "
                           "recent one (what their window's Edit menu would do). Refused, changing "
                           "nothing, when its rows were changed again since.")
        add_project_arg(p)
        p.add_argument("--coder", help="only this coder's actions (default: anyone's)")
        add_json_arg(p)
        p.set_defaults(func=fn)


def _run(args, fn, verb: str) -> int:
    project = open_existing(args.project)
    try:
        coder_id = None
        if args.coder:
            coder = store.find_coder(project, args.coder)
            if coder is None:
                raise store.ProjectError(f"{args.project}: no coder called {args.coder!r}")
            coder_id = coder.id
            project.acting_coder_id = coder_id
        step, changes = fn(project, coder_id=coder_id)
    finally:
        project.close()
    rows = {table: sorted(ids) for table, ids in changes.rows.items()}
    if args.json:
        print_json({"verb": verb, "action_id": changes.action_id, "target": step.action_id,
                    "description": step.description, "changed": rows})
    else:
        what = ", ".join(f"{len(ids)} {table}" for table, ids in rows.items()) or "nothing"
        print(f"{verb}: {step.description} (action {changes.action_id}; changed {what})")
    return 0


def cmd_undo(args) -> int:
    return _run(args, store.undo_last, "undone")


def cmd_redo(args) -> int:
    return _run(args, store.redo_last, "redone")
