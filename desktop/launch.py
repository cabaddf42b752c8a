"""The ``framelens`` entry point: the command line of ``annotate`` with the desktop behind ``gui``.

``annotate.cli`` holds every subcommand but sits below the desktop room and never imports Qt;
this module, above both, registers how to open the window and runs the command line.  Qt is
imported only when a window is really opened.

``FRAMELENS_SMOKE_SECONDS=N`` (used by ``.ci/dist-smoke`` on the standalone application): the
window opens as usual, then closes itself once the NLP helper process has answered (the status
bar no longer says "loading") or after N seconds, whichever comes first; one line starting with
``smoke:`` says what was shown, and ``FRAMELENS_SMOKE_SCREENSHOT=file.png`` saves a picture of
the window.  The exit status is 0 when a main window was shown, 3 when none was.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Sequence


def _open_gui(path: str | None, coder: str | None) -> int:
    from .shell.app import run

    seconds = os.environ.get("FRAMELENS_SMOKE_SECONDS")
    if seconds:
        _close_when_shown(float(seconds), os.environ.get("FRAMELENS_SMOKE_SCREENSHOT"))
    return run(path, coder=coder)


def _close_when_shown(seconds: float, screenshot: str | None) -> None:
    """The FRAMELENS_SMOKE_SECONDS hook (module docstring): poll, report, quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from .shell.app import ensure_app

    app, deadline, timer = ensure_app(), time.monotonic() + seconds, QTimer()

    def check() -> None:
        shown = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMainWindow) and w.isVisible()]
        label = getattr(shown[0], "nlp_label", None) if shown else None
        status = label.text() if label is not None else ""
        if time.monotonic() < deadline and (not shown or "loading" in status or "not loaded" in status):
            return
        timer.stop()
        if screenshot and shown:
            shown[0].grab().save(screenshot)
        size = f"{shown[0].width()}x{shown[0].height()}" if shown else "none"
        title = shown[0].windowTitle() if shown else ""
        print(f"smoke: window {title!r} {size}; status: {status or '-'}", flush=True)
        app.exit(0 if shown else 3)

    timer.timeout.connect(check)
    timer.start(200)
    app._framelens_smoke_timer = timer     # kept alive as long as the application


def main(argv: Sequence[str] | None = None) -> int:
    from framelens.annotate.cli import core, main as cli_main

    core.set_gui_launcher(_open_gui)
    return cli_main(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
