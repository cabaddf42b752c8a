"""Automatic rolling backups while a window is open, and a damage check at start.

At start a worker checks the file (SQLite quick_check) and backs it up if it changed since the
last backup; then every minute a worker backs it up if there were changes and ``every_minutes``
passed since the last backup (:func:`store.backup.maybe_backup`).  Backups use SQLite's online
backup on the worker's own connection, never a file copy of the open file.  Settings (QSettings):
``backup/every_minutes`` (default 10) and ``backup/keep`` (default 10).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox

from framelens.store import backup

CHECK_EVERY_MS = 60_000


class AutoBackup(QObject):
    """Runs :func:`store.backup.maybe_backup` for one window in its task runner."""

    written = Signal(str)     # path of a new backup
    failed = Signal(str)

    def __init__(self, window, *, every_minutes: float | None = None, keep: int | None = None,
                 check_every_ms: int = CHECK_EVERY_MS):
        super().__init__(window)
        self.window = window
        settings = window.settings
        self.every_minutes = float(every_minutes if every_minutes is not None else
                                   settings.value("backup/every_minutes", backup.DEFAULT_EVERY_MINUTES))
        self.keep = int(keep if keep is not None else settings.value("backup/keep", backup.DEFAULT_KEEP))
        self.last_path: str | None = None
        self.last_error: str | None = None
        self.warning: QMessageBox | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(min(check_every_ms, int(self.every_minutes * 60_000) or check_every_ms))
        self.timer.timeout.connect(lambda: self.run(at_start=False))
        window.installEventFilter(self)
        self.run(at_start=True)
        self.timer.start()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Close:       # no new backup work once the window closes
            self.timer.stop()
        return False

    def run(self, *, at_start: bool) -> None:
        every, keep = (0.0 if at_start else self.every_minutes), self.keep
        if self.window.session.project.conn is None:
            self.timer.stop()
            return

        def work(project, _progress, _cancelled):
            if at_start:
                problems = backup.quick_check(project)
                if problems:
                    raise backup.BackupError(
                        f"{project.path} is damaged ({'; '.join(problems[:2])}). Your backups "
                        f"were kept: list them with 'framelens backups' and restore one with "
                        f"'framelens restore'.")
            path = backup.maybe_backup(project, every_minutes=every, keep=keep)
            return None if path is None else str(path)

        self.window.runner.submit(self.window.session.path, work, label="Backing up the project",
                                  on_done=self._done, on_error=self._failed)

    def _done(self, path: str | None) -> None:
        if path:
            self.last_path = path
            self.window.notify(f"Backup written: {Path(path).name}")
            self.written.emit(path)

    def _failed(self, message: str) -> None:
        self.last_error = message
        self.window.notify(message, error=True)
        if "damaged" in message:
            box = QMessageBox(QMessageBox.Warning, "FrameLens", message, QMessageBox.Ok, self.window)
            box.setTextFormat(Qt.PlainText)
            box.open()                  # not modal for the whole application; no nested loop
            self.warning = box
        self.failed.emit(message)


def install_backups(window, **options) -> AutoBackup:
    """Start automatic backups for ``window`` (kept as ``window.auto_backup``)."""
    window.auto_backup = AutoBackup(window, **options)
    return window.auto_backup
