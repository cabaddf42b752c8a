"""File → Export dataset…: format, whose coding, which codebooks and story, options, output.

The export runs in the helper process (``annotate.suggest_worker``, job kind ``export``:
:func:`annotate.exchange.project_to_x`, then :func:`annotate.datasets.export_dataset`), waited
for by a worker of the window: the jsonl and spaCy formats tokenise with spaCy, which never
loads in the window's process, and writing thousands of articles is Python that would hold the
GIL the UI thread needs.  The exporters have no progress hook, so the bar is indeterminate.  The dataset is written to a hidden staging name beside the output and moved into
place only when the worker finishes without a cancel, so Cancel leaves no file behind and never
a half-written one.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
    QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QMessageBox, QPushButton, QSpinBox, QVBoxLayout,
)

from framelens import store
from framelens.annotate.ops.datasets import FORMATS, export_dataset
from framelens.annotate.ops.suggest_worker import WorkerError, shared_worker

from framelens.desktop.shell.progress import ProgressPanel, ReportDialog
from framelens.desktop.shell.session import Session
from framelens.desktop.shell.workers import Cancelled, TaskRunner

#: one line per format, shown under the format chooser
DESCRIPTIONS = {
    "jsonl": "Prodigy-style tasks: one JSON object per article with its spans and labels.",
    "spacy": "spaCy training data: train.spacy and dev.spacy DocBins plus a spancat config.cfg "
             "(a folder). Spans are moved to token boundaries.",
    "csv": "Long table: one row per annotation or article-level answer (UTF-8 CSV).",
    "csv-wide": "Wide table: one row per article and coder, a column per code and question.",
    "semeval": "SemEval-2023 Task 3 frame labels (labels.txt) and the article texts (a folder).",
    "qdpx": "REFI-QDA project for MAXQDA, NVivo, ATLAS.ti or QualCoder (texts, codes, codings).",
    "qdc": "REFI-QDA codebook only (codes and their colours, no texts).",
}
SUFFIX = {"jsonl": ".jsonl", "csv": ".csv", "csv-wide": ".csv", "qdpx": ".qdpx", "qdc": ".qdc"}
FOLDER_FORMATS = ("spacy", "semeval")
UNITS = ("article", "paragraph", "sentence")


def has_unit_option() -> bool:
    return "unit" in inspect.signature(export_dataset).parameters


# -- the worker side ------------------------------------------------------------------------------
def refuse_open_project(output: Path) -> None:
    """The window's own check before the helper starts: a dataset under the name of a project
    open in this process (or its -wal) would replace the database when published."""
    if store.is_open_project_file(output):
        raise ValueError(f"{output} is a FrameLens project open in this program; choose "
                         "another name for the dataset")


def summary_rows(report: dict) -> list[tuple[str, str, str, str]]:
    rows = []
    for m in report.get("moved_spans") or []:
        rows.append(("moved to token boundaries", f"article {m.get('article')}",
                     f"{m.get('code')} ({m.get('coder')})",
                     f"{_pair(m.get('old'))} → {_pair(m.get('new'))}"))
    for m in report.get("dropped_spans") or []:
        rows.append(("dropped (no token in it)", f"article {m.get('article')}",
                     f"{m.get('code')} ({m.get('coder')})", _pair(m.get("old"))))
    return rows


def _pair(v) -> str:
    return f"{v[0]}–{v[1]}" if isinstance(v, (list, tuple)) and len(v) == 2 else str(v)


def summary_text(report: dict) -> str:
    text = (f"Exported {report['articles']} articles, {report['spans']} spans and "
            f"{report['labels']} article labels as {report['format']} to {report['output']}.")
    if report.get("format") == "spacy":
        text += (f" {report.get('train_docs')} train / {report.get('dev_docs')} dev docs"
                 f" (one per {report.get('unit', 'article')}).")
    moved = len(report.get("moved_spans") or [])
    if moved:
        text += f" {moved} span(s) moved to token boundaries."
    return text


# -- the dialog ------------------------------------------------------------------------------------
class ExportDialog(QDialog):
    def __init__(self, session: Session, runner: TaskRunner, parent=None):
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.task = None
        self.report: dict | None = None
        self.report_dialog: ReportDialog | None = None
        self.setWindowTitle("Export dataset")
        self.resize(620, 640)
        project = session.project
        lay = QVBoxLayout(self)

        form = QFormLayout()
        self.format = QComboBox()
        for fmt in FORMATS:
            self.format.addItem(fmt, fmt)
            self.format.setItemData(self.format.count() - 1, DESCRIPTIONS.get(fmt, ""), Qt.ToolTipRole)
        self.description = QLabel()
        self.description.setWordWrap(True)
        form.addRow("Format", self.format)
        form.addRow("", self.description)
        lay.addLayout(form)

        who = QGroupBox("Whose coding")
        wl = QVBoxLayout(who)
        self.adjudicated = QCheckBox("Adjudicated coding only")
        self.adjudicated.setToolTip("The final coding made in the Agreement view")
        self.coders = _check_list([(c.name, c.name) for c in store.list_coders(project)
                                   if c.name != store.ADJUDICATED])
        wl.addWidget(self.coders)
        wl.addWidget(self.adjudicated)
        books = QGroupBox("Codebooks")
        cl = QVBoxLayout(books)
        self.codebooks = _check_list([(b.name, b.key) for b in store.list_codebooks(project)])
        cl.addWidget(self.codebooks)
        row = QHBoxLayout()
        row.addWidget(who, 1)
        row.addWidget(books, 1)
        lay.addLayout(row, 1)

        opts = QFormLayout()
        self.story = QComboBox()
        self.story.addItem("Whole project", None)
        for s in store.list_stories(project):
            self.story.addItem(f"{s.name} ({s.n_articles})", s.id)
        opts.addRow("Articles", self.story)
        self.bom = QCheckBox("UTF-8 with BOM (for Excel)")
        opts.addRow("CSV", self.bom)
        spacy_row = QHBoxLayout()
        self.dev_fraction = QDoubleSpinBox()
        self.dev_fraction.setRange(0.0, 0.9)
        self.dev_fraction.setSingleStep(0.05)
        self.dev_fraction.setValue(0.2)
        self.dev_fraction.setToolTip("Share of the documents put in dev.spacy")
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.seed.setToolTip("Seed of the random train/dev split (same seed, same split)")
        self.unit = QComboBox()
        self.unit.addItems(UNITS)
        self.unit.setToolTip("One spaCy Doc per article, paragraph or sentence; article labels "
                             "are only kept per article")
        for label, w in (("dev share", self.dev_fraction), ("seed", self.seed), ("unit", self.unit)):
            caption = QLabel(label)
            spacy_row.addWidget(caption)
            spacy_row.addWidget(w)
            if w is self.unit:         # the exporter may not know units yet
                caption.setVisible(has_unit_option())
                w.setVisible(has_unit_option())
        opts.addRow("spaCy", spacy_row)
        out_row = QHBoxLayout()
        self.output = QLineEdit()
        self.output.setPlaceholderText("Where to write the dataset")
        self.browse = QPushButton("Choose…")
        self.browse.clicked.connect(self.choose_output)
        out_row.addWidget(self.output, 1)
        out_row.addWidget(self.browse)
        opts.addRow("Output", out_row)
        lay.addLayout(opts)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.panel = ProgressPanel()
        self.panel.cancelRequested.connect(self.cancel)
        lay.addWidget(self.panel)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        self.format.currentIndexChanged.connect(self._format_changed)
        self.adjudicated.toggled.connect(lambda on: self.coders.setEnabled(not on))
        self._format_changed()

    # -- fields ---------------------------------------------------------------------------------
    def fmt(self) -> str:
        return self.format.currentData()

    def set_format(self, fmt: str) -> None:
        self.format.setCurrentIndex(self.format.findData(fmt))

    def _format_changed(self) -> None:
        fmt = self.fmt()
        self.description.setText(DESCRIPTIONS.get(fmt, ""))
        self.bom.setEnabled(fmt in ("csv", "csv-wide"))
        for w in (self.dev_fraction, self.seed, self.unit):
            w.setEnabled(fmt == "spacy")
        text = self.output.text().strip()
        if text and fmt in SUFFIX:
            p = Path(text)
            if p.suffix.lower() != SUFFIX[fmt]:
                self.output.setText(str(p.with_suffix(SUFFIX[fmt]) if p.suffix else
                                        p.with_name(p.name + SUFFIX[fmt])))
        self.output.setPlaceholderText("A folder to write into" if fmt in FOLDER_FORMATS
                                       else f"A {SUFFIX.get(fmt, '')} file")

    def choose_output(self) -> None:
        fmt = self.fmt()
        start = str(Path(self.session.path).parent)
        if fmt in FOLDER_FORMATS:
            path = QFileDialog.getExistingDirectory(self, "Export into folder", start)
        else:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export dataset", str(Path(start) / (Path(self.session.path).stem + SUFFIX[fmt])),
                f"{fmt} (*{SUFFIX[fmt]});;All files (*)")
            if path and not path.lower().endswith(SUFFIX[fmt]):
                path += SUFFIX[fmt]
        if path:
            self.output.setText(path)

    def selection(self) -> dict:
        """What :func:`annotate.exchange.project_to_x` is asked for."""
        books = _checked(self.codebooks)
        return {"coders": None if self.adjudicated.isChecked() else _checked(self.coders),
                "adjudicated": self.adjudicated.isChecked(),
                "codebooks": None if len(books) == self.codebooks.count() else books,
                "story": self.story.currentData()}

    def options(self) -> dict:
        fmt = self.fmt()
        opts: dict = {}
        if fmt in ("csv", "csv-wide"):
            opts["bom"] = self.bom.isChecked()
        if fmt == "spacy":
            opts.update(dev_fraction=self.dev_fraction.value(), seed=self.seed.value())
            if has_unit_option():
                opts["unit"] = self.unit.currentText()
        return opts

    def problems(self) -> list[str]:
        out = []
        sel = self.selection()
        if not sel["adjudicated"] and not sel["coders"]:
            out.append("Tick at least one coder (or the adjudicated coding).")
        if not _checked(self.codebooks):
            out.append("Tick at least one codebook.")
        text = self.output.text().strip()
        if not text:
            out.append("Choose where to write the dataset.")
        elif store.is_open_project_file(text):
            out.append(f"{text} is the project file itself; choose another name.")
        elif self.fmt() not in FOLDER_FORMATS and Path(text).is_dir():
            out.append(f"{text} is a folder; {self.fmt()} is written to a file.")
        elif self.fmt() in FOLDER_FORMATS and Path(text).is_file():
            out.append(f"{text} is a file; {self.fmt()} is written into a folder.")
        return out

    # -- running --------------------------------------------------------------------------------
    def start(self):
        problems = self.problems()
        if problems:
            self.message.setText("\n".join(problems))
            return None
        if self.task is not None:
            return None
        self.message.clear()
        sel, opts, fmt = self.selection(), self.options(), self.fmt()
        output = Path(self.output.text().strip())

        path = self.session.path

        def work(_project: None, progress, cancelled):
            # staged once, by the exporter in the helper (annotate/ops/datasets.py): it writes
            # under a hidden name and publishes only if not cancelled meanwhile
            refuse_open_project(output)
            try:
                return shared_worker().run(
                    "export", path, {"selection": sel, "fmt": fmt, "output": str(output),
                                     "options": opts}, progress=progress, cancelled=cancelled)
            except WorkerError:
                if cancelled():
                    raise Cancelled() from None
                raise

        self.export_button.setEnabled(False)
        self.panel.start("Exporting…")
        self.task = self.runner.submit(None, work, label="Exporting a dataset",
                                       on_done=self._done, on_error=self._failed)
        self.task.signals.progress.connect(lambda d, t, text: self.panel.set_progress(d, t, text))
        self.task.signals.cancelled.connect(self._cancelled)
        return self.task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _end(self, text: str) -> None:
        self.task = None
        self.export_button.setEnabled(True)
        self.panel.finish(text)

    def _done(self, report: dict) -> None:
        self.report = report
        self._end(summary_text(report))
        self.report_dialog = ReportDialog("Export finished", summary_text(report),
                                          ["Span", "Article", "Code (coder)", "Characters"],
                                          summary_rows(report), self)
        self.report_dialog.open()

    def _cancelled(self) -> None:
        self._end("Export cancelled; nothing was written.")

    def _failed(self, message: str) -> None:
        self._end("")
        QMessageBox.critical(self, "Export failed", message)

    def reject(self) -> None:
        if self.task is not None:
            self.cancel()
            return
        super().reject()


def _check_list(items: list[tuple[str, str]]) -> QListWidget:
    w = QListWidget()
    w.setSelectionMode(QAbstractItemView.NoSelection)
    for text, data in items:
        item = QListWidgetItem(text)
        item.setData(Qt.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Checked)
        w.addItem(item)
    return w


def _checked(w: QListWidget) -> list[str]:
    return [w.item(i).data(Qt.UserRole) for i in range(w.count())
            if w.item(i).checkState() == Qt.Checked]
