"""Showing changes that another window or the command line made to the open project file.

Decision (docs/reliability.md): two FrameLens processes may have the same project open.  Writes
serialise in SQLite (``BEGIN IMMEDIATE`` with a busy timeout), and each window shows the other's
changes when it next refreshes: :class:`ExternalChanges` polls SQLite's data_version (a cheap
read) every second and whenever the application becomes active, reads which rows changed from the
append-only change log, and announces them through the session's one operations entry point
(:meth:`Session.perform` with initiator ``"external"``), so views refresh exactly as for the
window's own actions.  When a backup was restored into the file, everything is reloaded and
the undo history is cleared (its action ids now name a different history).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from framelens import store
from framelens.store import watch

from .session import EXTERNAL

POLL_MS = 1000


class ExternalChanges(QObject):
    """Keeps one main window up to date with commits made by other connections."""

    refreshed = Signal(object)      # the store.Changes applied (action_id None after a full reload)

    def __init__(self, window, interval_ms: int = POLL_MS):
        super().__init__(window)
        self.window = window
        self.session = window.session
        project = self.session.project
        self._version = watch.data_version(project)
        self._last = watch.last_action_id(project)
        self._marker = watch.restore_marker(project)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._state_changed)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Close:       # the window is going: stop polling its project
            self.timer.stop()
        return False

    def _state_changed(self, state) -> None:
        if state == Qt.ApplicationActive and self.timer.isActive():
            self.check()

    def check(self) -> bool:
        """Look for other connections' commits now; True when the views were refreshed.

        The window's own background operations commit on their own connections too, so they
        also move ``data_version``: while one is running the check waits (the session announces
        it when it ends), and actions the session already announced are not announced again.
        """
        project = self.session.project
        if project.conn is None:
            self.timer.stop()
            return False
        if self.session.pending_background:
            return False
        try:
            version = watch.data_version(project)
            if version == self._version:
                return False
            self._version = version
            marker, last = watch.restore_marker(project), watch.last_action_id(project)
            if marker != self._marker or last < self._last:
                self._marker, self._last = marker, last
                self._reload_all()
                return True
            since, self._last = self._last, last
            own = self.session.own_action_ids
            if all(i in own for i in range(since + 1, last + 1)):
                self.session.historyChanged.emit()
                return False
            changes, _newest = watch.changes_since(project, since)
        except store.ProjectError as exc:
            self.window.notify(str(exc), error=True)
            return False
        if not changes:
            self.session.historyChanged.emit()     # the shared history moved: Undo/Redo menus
            return False
        self.session.perform("Changes made by another program", lambda _project: changes,
                             initiator=EXTERNAL)
        self.refreshed.emit(changes)
        return True

    def _reload_all(self) -> None:
        s, w = self.session, self.window
        s.historyChanged.emit()          # the history is the restored file's own now
        s.reload_codes()                 # before the columns reload: they colour by code
        for col in list(w.comparison.columns):
            try:
                article = store.get_article(s.project, col.article_id)
            except store.ProjectError:
                w.comparison.close_column(col)
                continue
            col.load(article, store.list_annotations(s.project, article_ids=[article.id]), s)
        everything = store.Changes()
        for table in ("codes", "codebooks", "coders", "annotations", "article_labels",
                      "article_memos", "memos", "articles", "stories"):
            everything.add(table, 0)
        s.perform("The project file was restored", lambda _project: everything,
                  initiator=EXTERNAL)
        w.article_panel.refresh()
        s.message.emit("The project file was restored from a backup by another program: "
                       "everything was reloaded and the undo history cleared.")
        self.refreshed.emit(everything)


def watch_external_changes(window, interval_ms: int = POLL_MS) -> ExternalChanges:
    """Start watching for other connections' commits on behalf of ``window`` (registered on
    ``window.features``)."""
    return window.features.add(ExternalChanges(window, interval_ms))
