"""The ``framelens`` entry point: the command line of ``annotate`` with the desktop behind ``gui``.

``annotate.cli`` holds every subcommand but sits below the desktop room and never imports Qt;
this module, above both, registers how to open the window and runs the command line.  Qt is
imported only when a window is really opened.
"""

from __future__ import annotations

import sys
from typing import Sequence


def _open_gui(path: str | None, coder: str | None) -> int:
    from .app import run

    return run(path, coder=coder)


def main(argv: Sequence[str] | None = None) -> int:
    from annotate.cli import core, main as cli_main

    core.set_gui_launcher(_open_gui)
    return cli_main(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
