"""Application entry: ``run(path, coder=...)`` as called by ``framelens gui`` and ``framelens demo``.

Creates the QApplication (Fusion, light/dark palette following the system unless overridden in
the View menu), opens the project, asks for the coder name at first start, and shows the window.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from framelens import store

from . import opening
from framelens.desktop.widgets import theme
from framelens.desktop.dialogs.backups import install_backups
from framelens.desktop.dialogs.coder_dialog import ask_coder
from .external_changes import watch_external_changes
from .main_window import MainWindow
from .refcount_guard import keep_none_alive
from .session import Session

ORG, APP = "FrameLens", "FrameLens"
_windows: list[MainWindow] = []


def ensure_app() -> QApplication:
    """The running QApplication, created (and themed) if there is none yet."""
    keep_none_alive()                    # PySide6 6.12 + CPython 3.11: see refcount_guard
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setOrganizationName(ORG)
        app.setApplicationName(APP)
        app.setApplicationDisplayName(APP)
        theme.apply_theme(app, QSettings().value("view/theme", theme.SYSTEM))
        app.styleHints().colorSchemeChanged.connect(
            lambda _s: QSettings().value("view/theme", theme.SYSTEM) == theme.SYSTEM
            and theme.apply_theme(app, theme.SYSTEM))
    return app


def resolve_coder(project: store.Project, coder: str | None, settings: QSettings,
                  parent=None) -> store.Coder | None:
    """The coder from ``--coder``, else the remembered one, else asked for in a dialog."""
    name = coder or settings.value("coder/name") or None
    if not name:
        name = ask_coder(store.list_coders(project), None, parent)
        if not name:
            return None
    found = store.ensure_coder(project, name)
    settings.setValue("coder/name", found.name)
    return found


def open_window(path: str | os.PathLike, *, coder: str | None = None,
                settings: QSettings | None = None) -> MainWindow | None:
    """Open a project in a new main window (errors are shown in a message box)."""
    ensure_app()
    settings = settings or QSettings()
    try:
        project = store.open_project(path)
    except store.ProjectError as exc:
        QMessageBox.critical(None, "FrameLens", str(exc))
        return None
    who = resolve_coder(project, coder, settings)
    if who is None:
        project.close()
        return None
    settings.setValue("project/last", str(Path(path).resolve()))
    window = MainWindow(Session(project, who), settings)
    install_backups(window)          # backup at start, then every N minutes of changes
    watch_external_changes(window)   # show other windows' / the CLI's commits
    _windows.append(window)
    window.destroyed.connect(lambda *_: _windows.remove(window) if window in _windows else None)
    window.show()
    return window


def show_read_only(project: store.Project, coder: store.Coder, settings: QSettings) -> MainWindow:
    """A window on a project opened read-only; the connection closes with the window."""
    window = MainWindow(Session(project, coder), settings)
    window.setWindowTitle(window.windowTitle() + " (read-only)")
    window.setAttribute(Qt.WA_DeleteOnClose)
    _windows.append(window)
    window.destroyed.connect(lambda *_: (project.close(),
                                         window in _windows and _windows.remove(window)))
    window.show()
    return window


# the File menu of any window opens others through these (desktop/shell/opening.py)
opening.set_openers(open_window=open_window, show_read_only=show_read_only)


def run(path: str | None, *, coder: str | None = None) -> int:
    """Run the desktop application on ``path`` (or the last/chosen project); exit status."""
    app = ensure_app()
    if path is None:
        last = QSettings().value("project/last")
        if last and Path(last).exists():
            path = last
        else:
            path, _ = QFileDialog.getOpenFileName(
                None, "Open a FrameLens project", "",
                f"FrameLens projects (*{store.PROJECT_SUFFIX});;All files (*)")
            if not path:
                return 1
    window = open_window(path, coder=coder)
    if window is None:
        return 1
    status = app.exec()
    for win in list(_windows):
        win.close()                      # saves layout and the memo being typed
        win.session.project.close()
    return status
