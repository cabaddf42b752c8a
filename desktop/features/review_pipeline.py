"""Loading the language pipelines for the review panel, in the helper process.

At start (a moment after the window paints) the panel asks the helper process
(``annotate.ops.suggest_worker``) to load the English spaCy pipeline, then what runs for each
language of the project; the status bar and the column headers say it.  Nothing here loads a
model in the GUI process.  :class:`PipelineLoading` is mixed into ``review.ReviewPanel``, which
provides ``window``, ``session``, ``loader`` (its own TaskRunner) and ``pipeline_status``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from framelens import store
from framelens.annotate.ops.suggest_worker import shared_worker
from framelens.desktop.shell import languages


class PipelineLoading:
    """The start-up load and the language information (methods of the review panel)."""

    def _load_at_start(self) -> None:
        if not self.window.isHidden():      # closed (or never shown): load on first use instead
            self.load_pipeline()

    def load_pipeline(self):
        """Load the English pipeline in a worker and show its status in the status bar."""
        self.window.set_nlp_status("spaCy: loading…")

        def work(project, progress, cancelled):
            return shared_worker().run("status")

        return self.loader.submit(None, work, label="Loading the spaCy pipeline",
                                  on_done=self._pipeline_loaded, on_error=self._pipeline_failed)

    def _pipeline_loaded(self, result) -> None:
        status, details = result
        self.pipeline_status = status
        self.window.set_nlp_status(status)
        self.window.nlp_label.setToolTip(details)
        if status.startswith("blank"):
            self.window.notify(details)
        self.load_language_info()

    def load_language_info(self):
        """Ask the helper what runs for each language of the project (loads no model); the
        column headers and the status-bar tooltip then say it (desktop/shell/languages.py)."""
        def work(project, progress, cancelled):
            langs = sorted({a.language or "en" for a in store.list_articles(project)} | {"en"})
            return shared_worker().run("languages", None, {"languages": langs})

        return self.loader.submit(self.session.path, work, label="Language pipelines",
                                  on_done=self._languages_known)

    def _languages_known(self, infos) -> None:
        languages.set_info(infos)
        codes = [i["language"] for i in infos]
        self.window.nlp_label.setToolTip("\n\n".join(languages.describe(c) for c in codes))
        self.window.set_nlp_status("NLP: " + ", ".join(languages.short(c) for c in codes))
        for col in self.window.comparison.columns:
            if col.article is not None:
                col.header.show_article(col.article)

    def _pipeline_failed(self, message: str) -> None:
        self.pipeline_status = "spaCy: failed to load"
        self.window.set_nlp_status(self.pipeline_status)
        self.window.nlp_label.setToolTip(message)
        self.window.notify(f"The spaCy pipeline could not be loaded: {message}", error=True)


class CloseWatcher(QObject):
    """Waits for the start-up load when the window closes (it cannot be interrupted)."""

    def __init__(self, panel):
        super().__init__(panel)
        self.panel = panel
        panel.window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.panel.window and event.type() == QEvent.Close:
            self.panel.loader.shutdown(15000)
        return False
