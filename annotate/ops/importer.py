"""Importing files into a project: reading (``annotate.ingest``) glued to the store.

Behaviour, as documented in the README:

* Paths may be files or folders (folders are walked recursively, hidden files skipped).
* Outlet and country come from the caller (command line / dialog) first, then from the file's own
  metadata (CSV/JSONL columns, HTML meta), then from the outlet registry (URL domain or the
  outlet naming itself in the text).  An outlet's known country fills a missing country.
* The same text already in the project is skipped with a message (matched by SHA-256).
* A bad file is reported by name with its reason and the batch goes on; nothing of a bad file is
  written (a bulk file's rows are read as they are stored, :func:`annotate.ingest.iter_file`:
  its bad rows are reported one by one, and a defect of the reader itself ends the file after
  the rows stored before it).  Articles are committed in small batches; ``on_done`` is told about an article only
  after the transaction holding it has committed, so what was reported done survives a crash.
* ``should_cancel`` is polled between files; a cancelled import keeps what was committed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from framelens import store
from framelens.store import Project

from framelens.annotate.analysis.ingest import Document, ImportProblem, iter_file, list_files, lookup_outlet, recognise_outlet

Progress = Callable[[int, int, str], None]


@dataclass
class ImportReport:
    imported: list[tuple[str, int]] = field(default_factory=list)   # (source, article id)
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (source, existing id)
    problems: list[ImportProblem] = field(default_factory=list)
    cancelled: bool = False

    @property
    def article_ids(self) -> list[int]:
        return [a for _, a in self.imported]

    def summary(self) -> str:
        parts = [f"{len(self.imported)} imported"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} already in the project (skipped)")
        if self.problems:
            parts.append(f"{len(self.problems)} could not be imported")
        if self.cancelled:
            parts.append("cancelled")
        return ", ".join(parts)

    def to_json(self) -> dict:
        return {
            "imported": [{"source": s, "article_id": a} for s, a in self.imported],
            "duplicates": [{"source": s, "article_id": a} for s, a in self.duplicates],
            "problems": [{"source": p.source, "reason": p.reason} for p in self.problems],
            "cancelled": self.cancelled,
        }


@dataclass
class Overrides:
    """Metadata the user gives for a whole batch; it wins over what the files say."""

    outlet: str | None = None
    country: str | None = None
    published: str | None = None
    language: str | None = None
    story: str | None = None


def _resolve(doc: Document, ov: Overrides) -> dict:
    """Outlet, country, language and date: the user's overrides first, then what the reader
    found in the file, then the outlet registry (a known outlet's country and language fill
    gaps; an unnamed outlet is recognised from the URL or how the raw capture names itself —
    the raw capture, because outlets often name themselves only in the furniture; not for
    saved web pages, whose raw capture is HTML source full of other sites' names)."""
    outlet = ov.outlet or doc.outlet
    if outlet:
        known = lookup_outlet(outlet)
    elif doc.meta.get("format") == "html":
        known = None        # the reader looked at the page's metadata and its main text
    else:
        known = recognise_outlet(doc.raw_text, doc.url)
    if known is not None:
        outlet = outlet or known.name
    country = ov.country or doc.country or (known.country if known else None)
    language = ov.language or doc.language or (known.language if known else None)
    return {"outlet": outlet, "country": country, "language": language,
            "published": ov.published or doc.published}


def article_fields(doc: Document, ov: Overrides) -> dict:
    """A read document as :func:`store.add_articles` takes it."""
    return dict(text=doc.text, title=doc.title, author=doc.author, url=doc.url,
                raw_text=doc.raw_text, removed=[vars(r) for r in doc.removed],
                encoding=doc.encoding, import_source=doc.source, meta=doc.meta, **_resolve(doc, ov))


def import_paths(project: Project, paths: Iterable[str | Path], *, overrides: Overrides | None = None,
                 progress: Progress | None = None, should_cancel: Callable[[], bool] | None = None,
                 on_done: Callable[[str, int], None] | None = None,
                 batch_seconds: float = 0.5, batch_size: int = 200) -> ImportReport:
    """Import files and folders into ``project``; see the module docstring for the behaviour."""
    ov = overrides or Overrides()
    report = ImportReport()
    files = []
    for item in list_files(paths):
        (report.problems if isinstance(item, ImportProblem) else files).append(item)
    story_id = store.ensure_story(project, ov.story) if ov.story else None
    total = len(files)

    def items():
        """Every read document (with its article fields, see :func:`article_fields`) or
        problem, file after file (a bulk file's rows one by one), with the progress calls in
        between as ``_Progress`` markers.  Runs on the reading thread, so the writing thread
        does nothing but store."""
        for index, path in enumerate(files, start=1):
            yield _Progress(index - 1, total, str(path))
            for item in iter_file(path):
                yield item if isinstance(item, ImportProblem) else (item, article_fields(item, ov))
            yield _Progress(index, total, str(path), ends_file=True)

    reading = _ReadAhead(items())
    stream = reading.items(progress)
    try:
        finished = False
        while not finished:
            if should_cancel and should_cancel():
                report.cancelled = True
                break
            pending: list[tuple[str, int]] = []
            started = time.monotonic()
            # one transaction per batch of records (by count or time), whatever file they come from
            with project.action("import", f"{total} file(s)"):
                finished = True
                waiting: list[tuple[Document, dict]] = []

                def flush() -> None:
                    """Store the waiting documents (``store.add_articles`` writes many per statement)."""
                    results = store.add_articles(project, [fields for _, fields in waiting])
                    for (doc, _), result in zip(waiting, results):
                        if isinstance(result, store.ProjectError):
                            report.problems.append(ImportProblem(doc.source, str(result)))
                        elif result.created:
                            pending.append((doc.source, result.article_id))
                        else:
                            report.duplicates.append((doc.source, result.article_id))
                    waiting.clear()

                for item in stream:
                    if isinstance(item, ImportProblem):
                        report.problems.append(item)
                    else:
                        waiting.append(item)
                        if len(waiting) >= store.INSERT_CHUNK:
                            flush()
                    if (len(pending) + len(waiting) >= batch_size
                            or time.monotonic() - started > batch_seconds
                            or (should_cancel and should_cancel())):
                        finished = False
                        break
                flush()
                if story_id is not None and pending:
                    store.add_to_story(project, story_id, [a for _, a in pending])
            # committed: only now are these articles reported done
            report.imported.extend(pending)
            if on_done:
                for source, article_id in pending:
                    on_done(source, article_id)
    finally:
        reading.stop()
    return report


@dataclass
class _Progress:
    done: int
    total: int
    path: str
    ends_file: bool = False


class _ReadAhead:
    """Reads (decoding, cleaning, metadata, language identification) in a background thread
    while the calling thread writes to SQLite, which releases the GIL while it works: on two
    cores the import takes about the longer of the two instead of their sum.

    Items travel in lists of up to ``HANDOVER`` (a list is handed over early when a file ends,
    so a folder of single articles is not held back): each hand-over takes the queue's lock
    and wakes the other thread, and while the reading thread is busy the writing thread waits
    up to the interpreter's switch interval to run again, so one hand-over per item made the
    writer wait more often than it wrote (mixed-language bench: see ``docs/ingest.md``).  At
    most ``AHEAD`` lists wait in the queue.  Progress markers and a reader defect travel
    through the queue too, so the caller's ``progress`` callback runs in the caller's thread
    and a defect is raised there."""

    HANDOVER = 32
    AHEAD = 8
    _END = object()

    def __init__(self, source) -> None:
        import queue
        import threading

        self._queue: queue.Queue = queue.Queue(maxsize=self.AHEAD)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(source,), daemon=True,
                                        name="framelens-import-reader")
        self._thread.start()

    def _run(self, source) -> None:
        batch: list = []
        try:
            for item in source:
                batch.append(item)
                if len(batch) >= self.HANDOVER or (isinstance(item, _Progress) and item.ends_file):
                    if not self._put(batch):
                        return
                    batch = []
        except BaseException as exc:     # handed to the calling thread, raised there
            batch.append(_Failure(exc))
        batch.append(self._END)
        self._put(batch)

    def _put(self, item) -> bool:
        import queue

        while not self._stopped.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def items(self, progress: Progress | None):
        while True:
            for item in self._queue.get():
                if item is self._END:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                if isinstance(item, _Progress):
                    if progress:
                        progress(item.done, item.total, item.path)
                    continue
                yield item

    def stop(self) -> None:
        """End the reading thread (after a cancel, or when everything was read)."""
        self._stopped.set()
        self._thread.join(timeout=5)


@dataclass
class _Failure:
    error: BaseException
