"""Opening another project in a new window, for views that live inside a window.

``desktop.app`` builds windows (a ``MainWindow`` with its backups and external-change watch),
and the window's File menu must be able to ask for a new one.  To keep the import graph without
a circle (app → main_window → project_actions ↛ app), the window side asks through this module
and ``desktop.app`` registers the real opener here when it is imported - the same inversion
napari uses for its viewer factory.  Every entry point (``framelens gui``, the tests' window
fixtures) imports ``desktop.app`` first.
"""

from __future__ import annotations

import os
from typing import Any, Callable

Opener = Callable[..., Any]
_openers: dict[str, Opener] = {}


def set_openers(**openers: Opener) -> None:
    """Register ``open_window`` and ``show_read_only`` (``desktop.app`` does, on import)."""
    _openers.update(openers)


def _get(name: str) -> Opener:
    if name not in _openers:
        raise RuntimeError(f"no {name} registered: import desktop.app first")
    return _openers[name]


def open_window(path: str | os.PathLike, **kwargs: Any) -> Any:
    """Open ``path`` in a new main window (``desktop.app.open_window``); the window or None."""
    return _get("open_window")(path, **kwargs)


def show_read_only(project: Any, coder: Any, settings: Any) -> Any:
    """A window on a project opened read-only (``desktop.app.show_read_only``)."""
    return _get("show_read_only")(project, coder, settings)
