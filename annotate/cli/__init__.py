"""The ``framelens`` command line.

Each module in this package registers its subcommands with :func:`register`.  Every command has
``--help``; commands that print data take ``--json``; long work shows a progress bar on stderr.
Errors are printed as one clear line naming the file and the problem (exit status 2), never as a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from framelens import store

from . import compare, core, dashboard, exchange, history, maintenance, memos, nlp, segments

COMMAND_MODULES = [core, compare, exchange, maintenance, history, dashboard, nlp, memos, segments]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="framelens",
        description="Compare how news outlets of different countries frame the same event.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


class UserError(Exception):
    """A problem the user can fix, reported without a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:         # the reader went away (`framelens ... | head`): stop quietly
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):    # stdout without a descriptor
            pass
        return 141
    except (store.ProjectError, UserError, ValueError, OSError) as exc:
        print(f"framelens {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"framelens {args.command}: interrupted; what was reported done is saved.",
              file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
