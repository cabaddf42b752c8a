"""Background work: a QRunnable task with progress and a cancel flag, and a runner that tracks them.

A task opens its OWN connection to the project file (``store.open_project(path)``); the UI's
connection never crosses threads.  A task that only waits for the helper process (alignment,
the word diff, export: the helper opens the file itself) is submitted with ``path=None`` and
gets ``project=None`` — no connection is opened for it.  The task function has the signature
``fn(project, progress, cancelled) -> result`` where ``progress(done, total, text)`` reports and
``cancelled()`` says whether the user pressed Cancel.  Results come back to the UI thread through
queued signals.
"""

from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from framelens import store

TaskFn = Callable[[store.Project, Callable[[int, int, str], None], Callable[[], bool]], Any]


class Cancelled(Exception):
    """Raised inside a task function to stop early after a cancel request."""


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()


class Task(QRunnable):
    """One unit of background work on its own project connection."""

    def __init__(self, path: str | None, fn: TaskFn, label: str = ""):
        super().__init__()
        self.setAutoDelete(False)
        self.path = path
        self.fn = fn
        self.label = label
        self.signals = TaskSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self.signals.progress.emit(int(done), int(total), text)

    def run(self) -> None:  # worker thread
        try:
            project = store.open_project(self.path) if self.path is not None else None
            try:
                result = self.fn(project, self._progress, self._cancel.is_set)
            finally:
                if project is not None:
                    project.close()
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.done.emit(result)
        except Cancelled:
            self.signals.cancelled.emit()
        except store.ProjectError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # report, never crash the UI
            traceback.print_exc()
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.signals.finished.emit()


class TaskRunner(QObject):
    """Starts tasks on a private thread pool and tells the status bar what is running."""

    busyChanged = Signal(bool, str)        # running?, label of the latest task
    progress = Signal(int, int, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._tasks: set[Task] = set()
        self._shut_down = False

    def submit(self, path: str | None, fn: TaskFn, *, label: str = "",
               on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[str], None] | None = None) -> Task:
        task = Task(path, fn, label)
        if on_done is not None:
            task.signals.done.connect(on_done)
        if on_error is not None:
            task.signals.failed.connect(on_error)
        task.signals.progress.connect(self.progress)
        task.signals.finished.connect(lambda t=task: self._finished(t))
        self._tasks.add(task)
        self.busyChanged.emit(True, label)
        self.pool.start(task)
        return task

    def _finished(self, task: Task) -> None:
        self._tasks.discard(task)
        if self._shut_down:        # a task outlived shutdown's wait; the window may be gone
            return
        if not self._tasks:
            self.busyChanged.emit(False, "")

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def shutdown(self, msecs: int = 3000) -> None:
        self._shut_down = True
        self.cancel_all()
        self.pool.waitForDone(msecs)
