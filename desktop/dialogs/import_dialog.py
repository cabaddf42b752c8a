"""File → Import articles…: files or folders, batch metadata, progress, Cancel and a report.

The import itself is :func:`annotate.importer.import_paths`, run in the helper process
(``annotate.suggest_worker``, job kind ``import``, at a lower CPU priority) and waited for by
:class:`ImportJob` in the window's :class:`~desktop.workers.TaskRunner`: reading and cleaning
thousands of files is CPU-bound Python, and in a thread of the window's process it would hold
the GIL the UI thread needs (measured: 150–300 ms stalls on a busy machine; see
bench/bench_ui_responsiveness.py).  Articles are committed in batches and reported done only
after their batch committed, so a cancelled import leaves exactly the reported articles in the
project.  Progress reaches the UI thread at most 20 times a second, and the corpus is reloaded
once, when the import ends.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QLocale, QObject, QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton, QVBoxLayout,
)

from framelens import store
from framelens.annotate.ops.importer import ImportReport, Overrides
from framelens.annotate.analysis.ingest import load_outlet_registry
from framelens.annotate.ops.suggest_worker import shared_worker

from framelens.desktop.shell.progress import ProgressPanel, ReportDialog, Throttle
from framelens.desktop.shell.session import Session
from framelens.desktop.shell.workers import Cancelled, TaskRunner

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_MAX_DUPLICATE_TITLES = 500


def iso_countries() -> set[str]:
    """The two-letter territory codes Qt knows (ISO 3166-1 alpha-2, plus a few reserved ones)."""
    codes = set()
    for territory in QLocale.Country:
        code = QLocale.territoryToCode(territory)
        if len(code) == 2 and code.isalpha():
            codes.add(code.upper())
    return codes


def check_date(text: str) -> str | None:
    """Why ``text`` is not a usable publication date (None when it is, or is empty)."""
    import datetime as dt

    if not text:
        return None
    if not _DATE.fullmatch(text):
        return "Published must look like 2017-03-20 (or 2017-03, or 2017)."
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return f"{text} is not a calendar date."
    return None


# -- the job (the bench drives it through the dialog: bench/bench_ui_responsiveness.py) ------------
@dataclass
class ImportOutcome:
    """What the UI thread gets back from an import, finished or cancelled."""

    report: ImportReport
    duplicate_titles: dict[int, str] = field(default_factory=dict)
    progress_reports: int = 0


class ImportJob(QObject):
    """One running import: progress, cancel and the outcome, on the UI thread."""

    progress = Signal(int, int, str)
    finished = Signal(object)      # ImportOutcome (also after a cancel)
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, path: str, paths: list[str], overrides: Overrides,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.runner = runner
        self.path = path
        self.paths = [str(p) for p in paths]
        self.overrides = overrides
        self._stop = threading.Event()
        self._report: ImportReport | None = None     # the helper's, kept for a cancel
        self.task = None
        self.outcome: ImportOutcome | None = None
        self.running = False

    def start(self) -> "ImportJob":
        self.running = True
        self.task = self.runner.submit(self.path, self._work, label="Importing articles",
                                       on_done=self._done, on_error=self._failed)
        # only the status bar's Cancel (a UI event, so later than this line) cancels the task
        self.task.signals.cancelled.connect(self._cancelled_from_outside)
        return self

    def cancel(self) -> None:
        """Stop between files; what was committed stays and is reported."""
        self._stop.set()

    # worker thread
    def _work(self, project: store.Project, progress, cancelled) -> ImportOutcome:
        """Wait for the helper process to import (it throttles the progress it sends); the
        report it returns — also after a cancel — lists exactly the committed articles."""
        def forward(done: int, total: int, text: str) -> None:
            self.progress.emit(done, total, text)      # queued to the dialog
            try:
                progress(done, total, text)            # the status bar
            except Cancelled:                          # its Cancel: stop the helper's job, and
                pass                                   # keep the report it sends back

        throttle = Throttle(forward)
        report = shared_worker().run(
            "import", self.path, {"paths": self.paths, "overrides": asdict(self.overrides)},
            progress=throttle, cancelled=lambda: self._stop.is_set() or cancelled())
        self._report = report
        titles = {}
        for _, aid in report.duplicates[:_MAX_DUPLICATE_TITLES]:
            if aid not in titles:
                titles[aid] = _describe(project, aid)
        return ImportOutcome(report, titles, throttle.forwarded)

    # UI thread
    def _done(self, outcome: ImportOutcome) -> None:
        self.running = False
        self.outcome = outcome
        self.finished.emit(outcome)

    def _cancelled_from_outside(self) -> None:
        # the status bar's Cancel stops the task itself: the helper stops its job, and its
        # report lists what had been committed
        self.running = False
        report = self._report or ImportReport()
        report.cancelled = True
        self.outcome = ImportOutcome(report)
        self.finished.emit(self.outcome)

    def _failed(self, message: str) -> None:
        self.running = False
        self.failed.emit(message)


def _describe(project: store.Project, article_id: int) -> str:
    try:
        a = store.get_article(project, article_id)
    except store.ProjectError:
        return f"article {article_id}"
    title = a.title or " ".join(a.text.split()[:8])
    return f"article {article_id}: {a.outlet or '—'} · {title}"


def report_rows(outcome: ImportOutcome) -> list[tuple[str, str, str]]:
    rows = [("could not be imported", p.source, p.reason) for p in outcome.report.problems]
    rows += [("already in the project", source,
              outcome.duplicate_titles.get(aid, f"article {aid}"))
             for source, aid in outcome.report.duplicates]
    return rows


def summary_text(report: ImportReport) -> str:
    n = len(report.imported)
    parts = [f"{n} article{'s' if n != 1 else ''} imported"]
    if report.duplicates:
        parts.append(f"{len(report.duplicates)} duplicate(s) skipped")
    if report.problems:
        parts.append(f"{len(report.problems)} file(s) could not be imported")
    text = ", ".join(parts) + "."
    if report.cancelled:
        text = "Import cancelled. " + text + " The imported articles are saved."
    return text


# -- the dialog ------------------------------------------------------------------------------------
class ImportDialog(QDialog):
    """Choose files/folders and batch metadata, run the import, show the report."""

    imported = Signal(object)       # ImportOutcome
    job_started = Signal(object)    # ImportJob, connected and about to start

    def __init__(self, session: Session, runner: TaskRunner, *,
                 on_imported: Callable[[ImportOutcome], None] | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.on_imported = on_imported
        self.job: ImportJob | None = None
        self.report_dialog: ReportDialog | None = None
        self._countries = iso_countries()
        self._registry = {o.name: o for o in _registry()}
        self.setWindowTitle("Import articles")
        self.resize(640, 560)
        lay = QVBoxLayout(self)

        box = QGroupBox("Files and folders")
        bl = QVBoxLayout(box)
        self.sources = QListWidget()
        self.sources.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.sources.setUniformItemSizes(True)      # 10,000 chosen files lay out at once
        self.sources.setToolTip("Folders are read with their sub-folders; hidden files are skipped")
        bl.addWidget(self.sources)
        row = QHBoxLayout()
        self.add_files_button = QPushButton("Add files…")
        self.add_folder_button = QPushButton("Add folder…")
        self.remove_button = QPushButton("Remove")
        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self._remove_selected)
        for b in (self.add_files_button, self.add_folder_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        bl.addLayout(row)
        lay.addWidget(box, 1)

        meta = QGroupBox("For every article of this import (leave empty to use what the files say)")
        form = QFormLayout(meta)
        self.outlet = QComboBox()
        self.outlet.setEditable(True)
        self.outlet.addItem("")
        self.outlet.addItems(sorted(self._registry, key=str.casefold))
        self.outlet.lineEdit().setPlaceholderText("From the files (or the outlet registry)")
        self.outlet.setToolTip("Outlets of the registry fill in their country and language")
        self.country = QLineEdit()
        self.country.setMaxLength(2)
        self.country.setPlaceholderText("e.g. RU, JP, CN")
        self.country.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z]{0,2}"), self))
        self.country.setToolTip("Two-letter ISO 3166 country code of the outlet")
        self.story = QComboBox()
        self.story.setEditable(True)
        self.story.addItem("")
        for s in store.list_stories(session.project):
            self.story.addItem(s.name)
        self.story.lineEdit().setPlaceholderText("No story (or type a new one)")
        self.published = QLineEdit()
        self.published.setPlaceholderText("Optional: 2017-03-20")
        form.addRow("Outlet", self.outlet)
        form.addRow("Country", self.country)
        form.addRow("Story", self.story)
        form.addRow("Published", self.published)
        lay.addWidget(meta)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("importMessage")
        lay.addWidget(self.message)
        self.panel = ProgressPanel()
        self.panel.cancelRequested.connect(self.cancel)
        lay.addWidget(self.panel)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.AcceptRole)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        self.outlet.currentTextChanged.connect(self._outlet_changed)
        self.country.textEdited.connect(self._country_edited)
        for w in (self.country, self.published):
            w.textChanged.connect(lambda _t: self.validate())
        self.sources.model().rowsInserted.connect(lambda *_: self.validate())
        self.sources.model().rowsRemoved.connect(lambda *_: self.validate())
        self.validate()

    # -- sources --------------------------------------------------------------------------------
    def add_paths(self, paths) -> None:
        present = set(self.paths())
        new = [p for p in dict.fromkeys(str(p) for p in paths) if p and p not in present]
        self.sources.addItems(new)          # one insertion (and one validation) for them all

    def paths(self) -> list[str]:
        return [self.sources.item(i).text() for i in range(self.sources.count())]

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Articles to import", "",
            "Articles (*.txt *.html *.htm *.md *.csv *.tsv *.jsonl *.json *.docx *.pdf *.xml);;"
            "All files (*)")
        self.add_paths(files)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder of articles to import")
        if folder:
            self.add_paths([folder])

    def _remove_selected(self) -> None:
        for item in self.sources.selectedItems():
            self.sources.takeItem(self.sources.row(item))

    # -- fields ---------------------------------------------------------------------------------
    def _outlet_changed(self, name: str) -> None:
        known = self._registry.get(name.strip())
        if known is not None and not self.country.text():
            self.country.setText(known.country)

    def _country_edited(self, text: str) -> None:
        if text != text.upper():
            pos = self.country.cursorPosition()
            self.country.setText(text.upper())
            self.country.setCursorPosition(pos)

    def problems(self) -> list[str]:
        out = []
        if not self.paths():
            out.append("Add files or a folder to import.")
        country = self.country.text().strip().upper()
        if country and (len(country) != 2 or country not in self._countries):
            out.append(f"{country!r} is not a two-letter ISO country code.")
        bad_date = check_date(self.published.text().strip())
        if bad_date:
            out.append(bad_date)
        return out

    def validate(self) -> bool:
        problems = self.problems()
        running = self.job is not None and self.job.running
        self.import_button.setEnabled(not problems and not running)
        # "add files" is the normal first step, not an error worth colouring
        shown = [p for p in problems if not p.startswith("Add files")]
        self.message.setText("\n".join(shown))
        self.message.setStyleSheet("color: #C0392B;" if shown else "")
        return not problems

    def overrides(self) -> Overrides:
        return Overrides(outlet=self.outlet.currentText().strip() or None,
                         country=self.country.text().strip().upper() or None,
                         published=self.published.text().strip() or None,
                         story=self.story.currentText().strip() or None)

    # -- running --------------------------------------------------------------------------------
    def start(self) -> ImportJob | None:
        if (self.job is not None and self.job.running) or not self.validate():
            return None
        self._set_inputs_enabled(False)
        self.panel.start("Reading the files…")
        self.job = ImportJob(self.runner, self.session.path, self.paths(), self.overrides(), self)
        self.job.progress.connect(self._progress)
        self.job.finished.connect(self._finished)
        self.job.failed.connect(self._failed)
        self.job_started.emit(self.job)
        self.job.start()
        self.validate()
        return self.job

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()

    def _progress(self, done: int, total: int, text: str) -> None:
        self.panel.set_progress(done, total, f"File {done:,} of {total:,}: {Path(text).name}"
                                if text else "")

    def _finished(self, outcome: ImportOutcome) -> None:
        self._set_inputs_enabled(True)
        self.panel.finish(summary_text(outcome.report))
        self.validate()
        if self.on_imported is not None:
            self.on_imported(outcome)
        self.imported.emit(outcome)
        self.report_dialog = ReportDialog("Import report", summary_text(outcome.report),
                                          ["Result", "File", "Reason or existing article"],
                                          report_rows(outcome), self)
        self.report_dialog.open()

    def _failed(self, message: str) -> None:
        self._set_inputs_enabled(True)
        self.panel.finish(f"The import stopped: {message}")
        self.validate()

    def _set_inputs_enabled(self, on: bool) -> None:
        for w in (self.sources, self.add_files_button, self.add_folder_button, self.remove_button,
                  self.outlet, self.country, self.story, self.published):
            w.setEnabled(on)

    def reject(self) -> None:
        if self.job is not None and self.job.running:
            self.cancel()       # the report still comes; the dialog stays until then
            return
        super().reject()


def _registry():
    try:
        return load_outlet_registry()
    except ValueError:
        return []
