"""A helper process that loads the spaCy pipeline once and runs suggestion passes and learned
training for an interactive front end.

Why a process and not a thread: spaCy spends long stretches in compiled code that holds the
GIL (a batch through the tagger/parser, the attribute ruler's matcher), and every SQLite step
of the UI thread hands the GIL over — so with spaCy in a thread of the UI process the event
loop stalls for hundreds of milliseconds.  In a process of its own — at a lower scheduling
priority, so a busy machine still serves the UI first — it cannot.  The helper is started
with the ``spawn`` method (safe beside Qt's threads), shared by every window of the process,
and stops when its parent does.

Jobs run in threads of the helper (a pass and a training can run side by side), each on its
own project connection; they report ``progress(done, total, text)`` back and stop early when
cancelled (after the article in flight — what is stored stays stored).  Nothing here imports
Qt; nothing in the parent imports spaCy.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing as mp
import os
import queue
import threading
from typing import Any, Callable

import store

KINDS = ("status", "suggest", "train")
NICE = 10          # scheduling priority of the helper relative to the UI process


class WorkerError(store.ProjectError):
    """A job failed in the helper process (the message says why)."""


# --------------------------------------------------------------------------- the helper process

def _serve(conn) -> None:
    """Main loop of the helper: one thread per job, replies tagged with the job id."""
    with contextlib.suppress(OSError, AttributeError):   # background work yields to the UI
        os.nice(NICE)
    from . import suggest_project as sp

    lock = threading.Lock()
    cancels: dict[int, threading.Event] = {}

    def send(msg) -> None:
        with lock:
            conn.send(msg)

    def run(job: int, kind: str, path: str | None, kwargs: dict, cancel: threading.Event) -> None:
        try:
            if kind == "status":
                result: Any = (sp.pipeline_status(), sp.pipeline_details())
            else:
                project = store.open_project(path)
                try:
                    fn = sp.run_suggestions if kind == "suggest" else sp.learned_cycle
                    result = fn(project, should_cancel=cancel.is_set,
                                progress=lambda d, t, text="": send(("progress", job, d, t, text)),
                                **kwargs)
                finally:
                    project.close()
            send(("done", job, result))
        except store.ProjectError as exc:
            send(("failed", job, str(exc)))
        except Exception as exc:  # reported to the window, never a dead helper
            send(("failed", job, f"{type(exc).__name__}: {exc}"))
        finally:
            cancels.pop(job, None)

    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):   # the parent is gone
            break
        if msg[0] == "stop":
            break
        if msg[0] == "cancel":
            event = cancels.get(msg[1])
            if event is not None:
                event.set()
            continue
        _, job, kind, path, kwargs = msg
        cancels[job] = threading.Event()
        threading.Thread(target=run, args=(job, kind, path, kwargs, cancels[job]),
                         name=f"job-{job}", daemon=True).start()


# --------------------------------------------------------------------------- the parent's side

class SuggestWorker:
    """Handle on a helper process; :meth:`run` blocks its calling (worker) thread until done."""

    def __init__(self) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child,), name="framelens-nlp", daemon=True)
        self.process.start()
        child.close()
        self._ids = itertools.count(1)
        self._queues: dict[int, queue.Queue] = {}
        self._send_lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="framelens-nlp-reader", daemon=True)
        self._reader.start()

    @property
    def alive(self) -> bool:
        return self.process.is_alive() and self._reader.is_alive()

    def _send(self, msg) -> None:
        with self._send_lock:
            self._conn.send(msg)

    def _read(self) -> None:
        while True:
            try:
                msg = self._conn.recv()
            except (EOFError, OSError):
                break
            q = self._queues.get(msg[1])
            if q is not None:
                q.put(msg)
        for q in list(self._queues.values()):
            q.put(("failed", None, "the suggestion helper process stopped"))

    def run(self, kind: str, path: str | None = None, kwargs: dict | None = None, *,
            progress: Callable[[int, int, str], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> Any:
        """Run one job and return its result (``SuggestReport``, ``LearnedReport`` or the
        pipeline status pair).  ``progress`` may raise to abort: the job is cancelled, and the
        exception re-raised once the helper has stopped it."""
        if kind not in KINDS:
            raise ValueError(f"unknown job kind {kind!r}")
        job = next(self._ids)
        q: queue.Queue = queue.Queue()
        self._queues[job] = q
        abort: BaseException | None = None
        sent_cancel = False
        try:
            self._send(("job", job, kind, path, dict(kwargs or {})))
            while True:
                try:
                    msg = q.get(timeout=0.1)
                except queue.Empty:
                    msg = None
                if msg is not None and msg[0] == "progress" and progress is not None and abort is None:
                    try:
                        progress(*msg[2:])
                    except BaseException as exc:  # e.g. the task runner's Cancelled
                        abort = exc
                if not sent_cancel and (abort is not None or (cancelled is not None and cancelled())):
                    if kind == "status" and abort is None:
                        return None          # nothing to stop: just stop waiting
                    self._send(("cancel", job))
                    sent_cancel = True
                if msg is None or msg[0] == "progress":
                    continue
                if abort is not None:
                    raise abort
                if msg[0] == "done":
                    return msg[2]
                raise WorkerError(msg[2])
        finally:
            self._queues.pop(job, None)

    def close(self, timeout: float = 5.0) -> None:
        try:
            self._send(("stop",))
        except (OSError, ValueError):
            pass
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
        self._conn.close()


_SHARED: SuggestWorker | None = None
_SHARED_LOCK = threading.Lock()


def shared_worker() -> SuggestWorker:
    """The process-wide helper, started on first use (call from a worker thread: starting a
    process and waiting for spaCy are not for the UI thread)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None or not _SHARED.alive:
            _SHARED = SuggestWorker()
        return _SHARED
