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

Besides suggestions and training the helper runs the window's other long jobs that are heavy
Python or need a language pipeline, so that the window's process only waits for them:

* ``import`` — :func:`annotate.importer.import_paths` (reading, cleaning, language
  identification of thousands of files is CPU-bound Python; in a thread of the window's process
  it holds the GIL the UI thread needs, and on a busy machine a worker thread holding the GIL
  while the OS runs something else stalls the event loop for 100–300 ms).  Progress is
  throttled here, the report comes back whole (also after a cancel: exactly what was committed).
* ``export`` — :func:`annotate.exchange.project_to_x` then
  :func:`annotate.datasets.export_dataset` into the path the dialog gives (its staging name):
  the jsonl and spaCy formats tokenise with spaCy, which must never load in the window.
* ``align`` — :func:`annotate.story_align.align_articles`, the alignment of the open columns
  (spaCy's parse and the sentence model: in a thread of the window's process spaCy's attribute
  ruler held the GIL ~100 ms at a time and the UI thread stalled 100–200 ms).  The result is the
  JSON-ready dict the window draws.
* ``shared-copy`` and ``word-diff`` — the shared-text ratio of every pair of open articles and
  the word diff of one pair (:mod:`annotate.textdiff`, diff-match-patch: pure Python that holds
  the GIL for as long as a diff runs).
* ``embed`` — :func:`annotate.embeddings.embed_story_articles`, sentence vectors for alignment.
  Every import that adds articles also starts this pass for them in a background thread of the
  helper, on its own connection, without a window waiting for it (it stops with the helper;
  what was stored stays stored, and alignment encodes whatever is missing).
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing as mp
import os
import queue
import threading
import time
from typing import Any, Callable

from framelens import store

KINDS = ("status", "languages", "suggest", "train", "import", "export", "align", "shared-copy",
         "word-diff", "embed")
NICE = 10          # scheduling priority of the helper relative to the UI process


class WorkerError(store.ProjectError):
    """A job failed in the helper process (the message says why)."""


# --------------------------------------------------------------------------- jobs besides suggestions

REPORTS_PER_SECOND = 20     # progress messages of an import sent to the window at most


class _Throttle:
    """At most one progress report per interval reaches the window; the final one always."""

    def __init__(self, emit: Callable[..., None], interval: float = 1.0 / REPORTS_PER_SECOND):
        self.emit, self.interval, self._last = emit, interval, float("-inf")

    def __call__(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if (total > 0 and done >= total) or now - self._last >= self.interval:
            self._last = now
            self.emit(done, total, text)


def import_job(project: store.Project, *, should_cancel: Callable[[], bool],
               progress: Callable[..., None], paths: list[str],
               overrides: dict | None = None) -> Any:
    """Import ``paths`` (files and folders) into ``project``; the ``ImportReport``.
    ``overrides`` holds the fields of :class:`annotate.importer.Overrides`."""
    from .importer import Overrides, import_paths

    return import_paths(project, paths, overrides=Overrides(**(overrides or {})),
                        progress=_Throttle(progress), should_cancel=should_cancel)


def export_job(project: store.Project, *, should_cancel: Callable[[], bool],
               progress: Callable[..., None], selection: dict, fmt: str, output: str,
               options: dict | None = None) -> dict:
    """Select the codings (``selection``: the keywords of ``project_to_x``) and write them as
    ``fmt`` to ``output``; the report of :func:`annotate.datasets.export_dataset`.  The
    exporters cannot stop half-way: a cancel received meanwhile discards the staging copy
    instead of publishing it (the job fails with ``ExportCancelled``)."""
    from .datasets import export_dataset
    from .exchange import project_to_x

    progress(0, 0, "Selecting the articles and codings…")
    xp = project_to_x(project, **selection)
    progress(0, 0, f"Writing {len(xp.articles)} articles and {len(xp.spans)} spans…")
    return export_dataset(project, xp, fmt, output, cancelled=should_cancel, **(options or {}))


def align_job(project: store.Project, *, should_cancel: Callable[[], bool],
              progress: Callable[..., None], article_ids: list[int],
              strictness: str = "balanced") -> dict:
    """The alignment of ``article_ids`` at a strictness level (a story's cached alignment when
    they are exactly one story's articles): the dict of
    :func:`annotate.story_align.align_articles`."""
    from .story_align import align_articles

    return align_articles(project, list(article_ids), strictness=strictness, progress=progress)


def shared_copy_job(project: store.Project, *, should_cancel: Callable[[], bool],
                    progress: Callable[..., None], article_ids: list[int],
                    threshold: float) -> tuple[int, int, float] | None:
    """The pair of articles sharing the most text, ``(a, b, ratio)``, if that ratio reaches
    ``threshold``; pairs whose lengths alone rule the threshold out are not compared."""
    from itertools import combinations

    from framelens.annotate.analysis.textdiff import shared_text_ratio

    texts = {a: store.get_text(project, a) for a in article_ids}
    pairs = list(combinations(article_ids, 2))
    best = None
    for i, (a, b) in enumerate(pairs):
        if should_cancel():
            break
        progress(i, len(pairs), "Looking for shared copy")
        la, lb = len(texts[a]), len(texts[b])
        if la + lb == 0 or 2 * min(la, lb) / (la + lb) < threshold:
            continue                    # the ratio can never reach the threshold
        ratio = shared_text_ratio(texts[a], texts[b])
        if ratio >= threshold and (best is None or ratio > best[2]):
            best = (a, b, ratio)
    return best


def word_diff_job(project: store.Project, *, should_cancel: Callable[[], bool],
                  progress: Callable[..., None], a: int, b: int,
                  timeout: float | None = None) -> Any:
    """The word diff of article ``a`` against article ``b`` (``annotate.textdiff.WordDiff``);
    ``timeout`` as in :func:`annotate.textdiff.word_diff` (0: no limit, the exact diff)."""
    from framelens.annotate.analysis.textdiff import DIFF_TIMEOUT, word_diff

    progress(0, 1, "Comparing the shared copy word by word")
    return word_diff(store.get_text(project, a), store.get_text(project, b),
                     timeout=DIFF_TIMEOUT if timeout is None else timeout)


def embed_job(project: store.Project, *, should_cancel: Callable[[], bool],
              progress: Callable[..., None], article_ids: list[int] | None = None) -> int:
    """Store the sentence vectors alignment will ask for (all articles when ``article_ids`` is
    None); how many sentences were encoded (0 without a sentence model)."""
    from .embeddings import embed_story_articles

    return embed_story_articles(project, article_ids, progress=_Throttle(progress),
                                cancelled=should_cancel)


_JOBS: dict[str, Callable[..., Any]] = {"import": import_job, "export": export_job,
                                        "align": align_job, "shared-copy": shared_copy_job,
                                        "word-diff": word_diff_job, "embed": embed_job}


def _embed_after_import(path: str, report: Any, stop: threading.Event) -> threading.Thread | None:
    """Start the ``embed`` pass for the articles an import added, in a background thread of the
    helper (its own project connection); None when the import added none."""
    ids = list(getattr(report, "article_ids", []) or [])
    if not ids:
        return None

    def work() -> None:
        try:
            project = store.open_project(path)
        except store.ProjectError:
            return
        try:
            embed_job(project, should_cancel=stop.is_set, progress=lambda *_a: None,
                      article_ids=ids)
        except Exception:   # noqa: BLE001 — a cache: alignment encodes what is missing itself
            pass
        finally:
            project.close()

    thread = threading.Thread(target=work, name="embed-after-import", daemon=True)
    thread.start()
    return thread


# --------------------------------------------------------------------------- the helper process

def _serve(conn) -> None:
    """Main loop of the helper: one thread per job, replies tagged with the job id."""
    with contextlib.suppress(OSError, AttributeError):   # background work yields to the UI
        os.nice(NICE)
    from . import suggest_project as sp

    lock = threading.Lock()
    cancels: dict[int, threading.Event] = {}
    stopping = threading.Event()          # set when the helper is asked to stop

    def send(msg) -> None:
        with lock:
            conn.send(msg)

    def run(job: int, kind: str, path: str | None, kwargs: dict, cancel: threading.Event) -> None:
        try:
            if kind == "status":
                result: Any = (sp.pipeline_status(), sp.pipeline_details())
            elif kind == "languages":       # what runs for each language; loads no model
                result = sp.language_pipelines(kwargs.get("languages") or ["en"])
            else:
                project = store.open_project(path)
                try:
                    fn = (_JOBS.get(kind) or
                          (sp.run_suggestions if kind == "suggest" else sp.learned_cycle))
                    result = fn(project, should_cancel=cancel.is_set,
                                progress=lambda d, t, text="": send(("progress", job, d, t, text)),
                                **kwargs)
                finally:
                    project.close()
                if kind == "import":
                    _embed_after_import(path, result, stopping)
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
            stopping.set()
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
        self._dead = False
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
        self._dead = True               # a job registered from now on fails at once (run)
        for q in list(self._queues.values()):
            q.put(("failed", None, "the suggestion helper process stopped"))

    def run(self, kind: str, path: str | None = None, kwargs: dict | None = None, *,
            progress: Callable[[int, int, str], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> Any:
        """Run one job and return its result (``SuggestReport``, ``LearnedReport``, the
        pipeline status pair, an ``ImportReport``, an export's report dict, an alignment dict, a
        shared-copy pair, a ``WordDiff`` or the number of sentences embedded).  ``progress`` may raise to abort: the job is cancelled, and the
        exception re-raised once the helper has stopped it."""
        if kind not in KINDS:
            raise ValueError(f"unknown job kind {kind!r}")
        job = next(self._ids)
        q: queue.Queue = queue.Queue()
        self._queues[job] = q
        abort: BaseException | None = None
        sent_cancel = False
        try:
            try:
                self._send(("job", job, kind, path, dict(kwargs or {})))
            except (OSError, ValueError) as exc:        # the pipe is gone with the helper
                raise WorkerError(f"the suggestion helper process stopped ({exc})") from exc
            while True:
                try:
                    msg = q.get(timeout=0.1)
                except queue.Empty:
                    msg = None
                    if self._dead and q.empty():     # it died after this job was queued
                        raise WorkerError("the suggestion helper process stopped")
                if msg is not None and msg[0] == "progress" and progress is not None and abort is None:
                    try:
                        progress(*msg[2:])
                    except BaseException as exc:  # e.g. the task runner's Cancelled
                        abort = exc
                if not sent_cancel and (abort is not None or (cancelled is not None and cancelled())):
                    if kind == "status" and abort is None:
                        return None          # nothing to stop: just stop waiting
                    try:
                        self._send(("cancel", job))
                    except (OSError, ValueError) as exc:
                        raise WorkerError("the suggestion helper process stopped") from exc
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
