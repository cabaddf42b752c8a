"""Shared pieces of the long-running dialogs (import, dataset import, merge, export).

* :class:`Throttle` wraps a worker's ``progress(done, total, text)`` so that at most one report
  per interval crosses to the UI thread (a 10,000-file import must not queue 10,000 signals).
* :func:`background_priority` lowers a worker thread's CPU priority for a long job, so the UI
  thread is scheduled first on a busy machine (heavy jobs belong in the helper process).
* :class:`ProgressPanel` is the progress bar, status line and Cancel button of a dialog.
* :class:`ReportDialog` shows what a job did: a summary line and a table of details (problems,
  duplicates, spans moved…) that can be copied as tab-separated text.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from typing import Callable, Iterable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
    QProgressBar, QPushButton, QTableView, QVBoxLayout, QWidget,
)

#: at most this many progress reports per second reach the UI thread
MAX_REPORTS_PER_SECOND = 20
#: how much lower than the UI thread a long background job runs (Linux nice steps)
BACKGROUND_NICENESS = 10


class Throttle:
    """Forward at most one progress report per ``interval`` seconds; the last one always passes."""

    def __init__(self, emit: Callable[[int, int, str], None],
                 interval: float = 1.0 / MAX_REPORTS_PER_SECOND):
        self.emit = emit
        self.interval = interval
        self._last = float("-inf")
        self._lock = threading.Lock()
        self.forwarded = 0

    def __call__(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        with self._lock:
            final = total > 0 and done >= total
            if not final and now - self._last < self.interval:
                return
            self._last = now
            self.forwarded += 1
        self.emit(done, total, text)


@contextlib.contextmanager
def background_priority(niceness: int = BACKGROUND_NICENESS):
    """Run the body with the calling (worker) thread at a lower CPU priority, where the OS
    allows it per thread (Linux).

    A long import is CPU-bound Python: the UI thread then gets the GIL only when the OS
    schedules it, and on a busy machine that can take hundreds of milliseconds.  A niced worker
    lets the UI thread run first.  The priority is put back afterwards when permitted (an
    unprivileged process may not raise it again: the pool thread then stays a background one).

    It is a mitigation, not a cure: a niced thread that holds the GIL can be descheduled by the
    OS while the UI thread waits for that GIL (measured 100–300 ms stalls during an import on a
    loaded machine).  The import and the export therefore run in the helper process
    (``annotate.suggest_worker`` job kinds ``import`` and ``export``); only the dataset import
    and merge still use this.
    """
    tid = getattr(threading, "get_native_id", lambda: None)()
    before = None
    if sys.platform.startswith("linux") and tid is not None:
        try:
            before = os.getpriority(os.PRIO_PROCESS, tid)
            os.setpriority(os.PRIO_PROCESS, tid, min(19, before + niceness))
        except OSError:
            before = None
    try:
        yield
    finally:
        if before is not None:
            try:
                os.setpriority(os.PRIO_PROCESS, tid, before)
            except OSError:
                pass


class ProgressPanel(QWidget):
    """A status line, a progress bar and a Cancel button, hidden while nothing runs."""

    cancelRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        row = QHBoxLayout()
        self.bar = QProgressBar()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop after the current step; what was already saved stays")
        self.cancel_button.clicked.connect(self._cancel)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        lay.addWidget(self.label)
        lay.addLayout(row)
        self.bar.hide()
        self.cancel_button.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)          # indeterminate until the first report
        self.bar.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()

    def set_progress(self, done: int, total: int, text: str = "") -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if text:
            self.label.setText(text)

    def finish(self, text: str = "") -> None:
        self.bar.hide()
        self.cancel_button.hide()
        self.label.setText(text)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling…")
        self.cancelRequested.emit()


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of string rows (cheap for 10,000 rows, unlike items)."""

    def __init__(self, headers: Sequence[str], rows: list[list[str]], parent=None):
        super().__init__(parent)
        self.headers = list(headers)
        self.rows = rows

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index, role=Qt.DisplayRole):
        if index.isValid() and role in (Qt.DisplayRole, Qt.ToolTipRole):
            return self.rows[index.row()][index.column()]
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.headers[section]
        return None


class ReportDialog(QDialog):
    """What a job did: a summary and a copyable table of details."""

    def __init__(self, title: str, summary: str, headers: Sequence[str],
                 rows: Iterable[Sequence[object]], parent=None, *, note: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        f = self.summary.font()
        f.setBold(True)
        self.summary.setFont(f)
        lay.addWidget(self.summary)
        if note:
            extra = QLabel(note)
            extra.setWordWrap(True)
            lay.addWidget(extra)
        self.headers = list(headers)
        self.model = RowsModel(self.headers, [["" if v is None else str(v) for v in r]
                                              for r in rows], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        fm = self.fontMetrics()
        sample = self.model.rows[:200]
        for c in range(len(self.headers) - 1):
            widest = max([fm.horizontalAdvance(self.headers[c])] +
                         [fm.horizontalAdvance(r[c]) for r in sample])
            header.resizeSection(c, min(widest + 24, 420))
        has_rows = bool(self.model.rows)
        self.table.setVisible(has_rows)
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.copy_button = buttons.addButton("Copy table", QDialogButtonBox.ActionRole)
        self.copy_button.setToolTip("Copy the rows as tab-separated text (for a spreadsheet)")
        self.copy_button.setEnabled(has_rows)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        QShortcut(QKeySequence.Copy, self.table, self._copy_selection)
        self.resize(760, 420 if has_rows else 160)

    def rows(self) -> list[list[str]]:
        return self.model.rows

    def as_text(self, rows: list[list[str]] | None = None) -> str:
        rows = self.rows() if rows is None else rows
        clean = [[v.replace("\t", " ").replace("\n", " ") for v in r] for r in rows]
        return "\n".join("\t".join(r) for r in [self.headers] + clean) + "\n"

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())

    def _copy_selection(self) -> None:
        picked = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        rows = self.rows()
        QGuiApplication.clipboard().setText(self.as_text([rows[r] for r in picked] or rows))
