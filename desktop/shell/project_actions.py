"""The File menu: new / open / recent projects, importing articles and datasets, merging a
coder's project file, exporting a dataset.

A window shows one project for its whole life (its :class:`~desktop.session.Session` is fixed),
so a new or opened project comes up in a new main window.  Store errors (not a project, written
by a newer version, read-only, damaged) are shown as the store words them, in a message box
whose title says which case it is.  Imports and merges run in the window's worker pool on their
own connection; a refused file (``FormatError``/``ValueError``: the message names the file and
the problem) changes nothing and is shown as it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from framelens import store

from . import opening
from framelens.desktop.dialogs.import_dialog import ImportDialog, ImportOutcome
from .progress import ReportDialog, background_priority

RECENT_KEY = "project/recent"
MAX_RECENT = 10
DATASET_FILTER = "Labelled datasets (*.qdpx *.qdc *.jsonl *.json);;All files (*)"
PROJECT_FILTER = f"FrameLens projects (*{store.PROJECT_SUFFIX});;All files (*)"



def error_title(exc: Exception) -> str:
    """A message box title naming the kind of store error."""
    if isinstance(exc, store.NotAProjectError):
        return "Not a FrameLens project"
    if isinstance(exc, store.NewerVersionError):
        return "Project made by a newer FrameLens"
    if isinstance(exc, store.ReadOnlyError):
        return "Project is read-only"
    return "Cannot open the project"


def recent_projects(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, []) or []
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value if v]


def remember_project(settings: QSettings, path: str | os.PathLike) -> list[str]:
    """Put ``path`` first in the recent list (at most :data:`MAX_RECENT`)."""
    path = str(Path(path).resolve())
    paths = [path] + [p for p in recent_projects(settings) if p != path]
    settings.setValue(RECENT_KEY, paths[:MAX_RECENT])
    settings.setValue("project/last", path)
    return paths[:MAX_RECENT]


@dataclass
class DatasetOutcome:
    """Result of a dataset import or merge worker: a refusal message, or the report."""

    source: str
    error: str | None = None
    report: object | None = None                    # annotate.exchange.XImportReport
    changes: store.Changes = field(default_factory=store.Changes)


class ProjectActions(QObject):
    """Builds the File menu's project and dataset actions for one main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.settings: QSettings = window.settings
        self.import_dialog: ImportDialog | None = None
        self.export_dialog = None
        self.report_dialog: ReportDialog | None = None
        self.last_dataset: DatasetOutcome | None = None
        self.new_act = self._make("&New project…", self.new_project_dialog, QKeySequence.New,
                                  "Create an empty project with the default codebooks")
        self.recent_menu = QMenu("Open &recent", window)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.import_act = self._make("&Import articles…", self.import_articles, "Ctrl+I",
                                     "Import text, HTML, CSV, JSONL… files or whole folders")
        self.dataset_act = self._make("Import &dataset…", self.import_dataset_dialog, None,
                                      "Import coded data: REFI-QDA .qdpx/.qdc, FrameLens or "
                                      "Prodigy .jsonl")
        self.merge_act = self._make("&Merge a coder's project…", self.merge_dialog, None,
                                    "Bring another coder's copy of the project into this one")
        self.export_act = self._make("&Export dataset…", self.export_dataset_dialog, "Ctrl+E",
                                     "Write the codings as JSONL, spaCy, CSV, SemEval or REFI-QDA")
        self._install_menu()
        remember_project(self.settings, self.session.path)

    def _make(self, text: str, slot, shortcut, tip: str) -> QAction:
        act = QAction(text, self.window)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setToolTip(tip)
        act.setStatusTip(tip)
        act.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(act)
        return act

    def _install_menu(self) -> None:
        menu = next((o for o in self.window.open_act.associatedObjects() if isinstance(o, QMenu)),
                    None)
        if menu is None:
            menu = self.window.menuBar().addMenu("&Project")
            menu.addAction(self.window.open_act)
        menu.insertAction(self.window.open_act, self.new_act)
        after = _action_after(menu, self.window.open_act)
        menu.insertMenu(after, self.recent_menu)
        menu.insertSeparator(after)
        for act in (self.import_act, self.dataset_act, self.merge_act):
            menu.insertAction(after, act)
        menu.insertSeparator(after)
        menu.insertAction(after, self.export_act)
        self.file_menu = menu

    # -- projects -------------------------------------------------------------------------------
    def new_project_dialog(self, path: str | None = None):
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self.window, "New FrameLens project", "", PROJECT_FILTER,
                options=QFileDialog.DontConfirmOverwrite)
            if not path:
                return None
        path = Path(path)
        if path.suffix.lower() != store.PROJECT_SUFFIX:
            path = path.with_name(path.name + store.PROJECT_SUFFIX)
        from framelens.annotate.ops.demo import init_project

        try:
            init_project(path).close()
        except store.ProjectError as exc:
            QMessageBox.critical(self.window, "Cannot create the project", str(exc))
            return None
        return self.open_path(path)

    def open_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self.window, "Open a FrameLens project", "",
                                              PROJECT_FILTER)
        return self.open_path(path) if path else None

    def open_path(self, path: str | os.PathLike):
        """Open ``path`` in a new main window; store errors in a message box.  The window or None."""
        path = Path(path)
        if path.resolve() == Path(self.session.path).resolve():
            self.window.raise_()
            self.window.activateWindow()
            self.window.notify(f"{path.name} is already open in this window")
            return self.window
        read_only = False
        try:
            project = store.open_project(path)
        except store.ReadOnlyError as exc:
            answer = QMessageBox.question(
                self.window, error_title(exc), f"{exc}\n\nOpen it read-only to browse?",
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
            if answer != QMessageBox.Yes:
                return None
            try:
                project = store.open_project(path, read_only=True)
                read_only = True
            except store.ProjectError as again:
                QMessageBox.critical(self.window, error_title(again), str(again))
                return None
        except store.ProjectError as exc:
            QMessageBox.critical(self.window, error_title(exc), str(exc))
            return None
        name = self.session.coder.name
        if not read_only:
            project.close()
            window = opening.open_window(path, coder=name, settings=self.settings)
            if window is not None:
                remember_project(self.settings, path)
            return window
        coder = store.find_coder(project, name) or next(iter(store.list_coders(project)), None)
        if coder is None:
            project.close()
            QMessageBox.critical(self.window, "Project is read-only",
                                 f"{path} has no coder yet and cannot be written, so there is "
                                 "no coding to browse.")
            return None
        remember_project(self.settings, path)
        return opening.show_read_only(project, coder, self.settings)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        current = str(Path(self.session.path).resolve())
        paths = [p for p in recent_projects(self.settings) if p != current]
        for p in paths:
            act = self.recent_menu.addAction(Path(p).name)
            act.setToolTip(p)
            act.setStatusTip(p)
            act.setEnabled(Path(p).exists())
            act.triggered.connect(lambda _c=False, target=p: self.open_path(target))
        if not paths:
            self.recent_menu.addAction("No other project yet").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear the list", self._clear_recent)

    def _clear_recent(self) -> None:
        self.settings.setValue(RECENT_KEY, [str(Path(self.session.path).resolve())])

    # -- importing articles ---------------------------------------------------------------------
    def import_articles(self) -> ImportDialog:
        if self.import_dialog is None or not self.import_dialog.isVisible():
            self.import_dialog = ImportDialog(self.session, self.window.runner,
                                              on_imported=self._articles_imported,
                                              parent=self.window)
        self.import_dialog.show()
        self.import_dialog.raise_()
        return self.import_dialog

    def _articles_imported(self, outcome: ImportOutcome) -> None:
        ids = outcome.report.article_ids
        if ids:         # committed by the helper process; announced as this window's import
            self.session.perform("Import articles", _imported_articles, ids, initiator="import")
        self.window.notify("Import: " + outcome.report.summary())

    # -- datasets and merges --------------------------------------------------------------------
    def import_dataset_dialog(self, path: str | None = None):
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, "Import a labelled dataset", "",
                                                  DATASET_FILTER)
            if not path:
                return None
        return self._run_dataset(str(path), merge=False)

    def merge_dialog(self, path: str | None = None):
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, "Merge another coder's project",
                                                  "", PROJECT_FILTER)
            if not path:
                return None
        if Path(path).resolve() == Path(self.session.path).resolve():
            QMessageBox.warning(self.window, "Merge a coder's project",
                                f"{path} is this project; choose another coder's copy.")
            return None
        return self._run_dataset(str(path), merge=True)

    def _run_dataset(self, source: str, *, merge: bool):
        verb = "Merging" if merge else "Importing"

        def work(project, progress, cancelled):
            from framelens.annotate.ops.datasets import read_dataset
            from framelens.annotate.ops.exchange import merge_project_file, x_into_project

            progress(0, 0, f"{verb} {Path(source).name}")
            try:
                # one action around the importer's own (which joins it) to learn what changed
                with background_priority(), \
                        project.action("import", f"{'merge' if merge else 'dataset'} {source}") as ch:
                    if merge:
                        report = merge_project_file(project, source)
                    else:
                        report = x_into_project(project, read_dataset(source), source=source)
                    if cancelled():
                        raise _Discard()
            except _Discard:
                return None
            except (ValueError, OSError) as exc:     # FormatError is a ValueError
                return DatasetOutcome(source, error=str(exc))
            except store.ProjectError as exc:
                return DatasetOutcome(source, error=str(exc))
            return DatasetOutcome(source, report=report, changes=ch)

        title = "Merge a coder's project" if merge else "Import a dataset"
        task = self.session.perform_in_background(
            f"{title}: {Path(source).name}", work, label=f"{verb} {Path(source).name}",
            initiator="merge" if merge else "dataset",
            on_done=lambda outcome: self._dataset_done(title, outcome),
            on_error=lambda msg: QMessageBox.critical(self.window, title, msg))
        task.signals.cancelled.connect(lambda: self._dataset_done(title, None))
        return task

    def _dataset_done(self, title: str, outcome: DatasetOutcome | None) -> None:
        self.last_dataset = outcome
        if outcome is None:
            self.window.notify(f"{title}: cancelled, nothing was changed")
            return
        if outcome.error is not None:
            QMessageBox.critical(self.window, title,
                                 f"Nothing was imported.\n\n{outcome.error}")
            return
        report, changes = outcome.report, outcome.changes     # announced by the session
        rows = [("not placed", line) for line in report.not_placed]
        rows += [("conflict (kept the project's answer)", line) for line in report.conflicts]
        self.report_dialog = ReportDialog(title, f"{Path(outcome.source).name}: {report.summary()}.",
                                          ["What", "Detail"], rows, self.window)
        self.report_dialog.open()
        self.window.notify(f"{title}: {report.summary()}")

    # -- exporting ------------------------------------------------------------------------------
    def export_dataset_dialog(self):
        from framelens.desktop.dialogs.export_dialog import ExportDialog

        if self.export_dialog is None or not self.export_dialog.isVisible():
            self.export_dialog = ExportDialog(self.session, self.window.runner, parent=self.window)
        self.export_dialog.show()
        self.export_dialog.raise_()
        return self.export_dialog


def _imported_articles(project: store.Project, ids: list[int]) -> store.Changes:
    """What an import in the helper process committed, as the session announces it (the
    helper's report lists exactly the committed articles)."""
    changes = store.Changes()
    for aid in ids:
        changes.add("articles", aid)
    return changes


class _Discard(Exception):
    """Cancelled after the importer ran: roll its action back."""


def _action_after(menu: QMenu, action: QAction) -> QAction | None:
    acts = menu.actions()
    i = acts.index(action)
    return acts[i + 1] if i + 1 < len(acts) else None
