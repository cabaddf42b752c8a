"""Diff of shared copy: when two open articles share most of their text (agency copy republished
and edited), a banner above the columns offers a word-level diff; shown, the words the left
article has and the right one dropped are struck through in red in the left column, and the
words the right one added are underlined in green in the right column (reader overlay layer
"diff").

The shared-text ratio of every pair of open articles and the word diff are computed in the
helper process (``annotate.suggest_worker`` job kinds ``shared-copy`` and ``word-diff``:
``annotate.textdiff``, diff-match-patch with semantic clean-up, bounded by a timeout — pure
Python that would hold the GIL the UI thread needs); a worker thread of the window waits.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from framelens.annotate.ops.suggest_worker import shared_worker

from .overlays import overlay_layer

DIFF_LAYER = "diff"
DIFF_Z = -10          # under the text, over the alignment's frames
THRESHOLD = 0.6        # shared-text ratio from which the diff is offered


def _best_pair(path, article_ids: list[int], threshold: float):
    """Worker function: the pair of open articles sharing the most text, if above threshold
    (computed in the helper process, job kind ``shared-copy``)."""

    def work(_project: None, progress, cancelled):       # the helper opens the file
        return shared_worker().run("shared-copy", str(path),
                                   {"article_ids": list(article_ids), "threshold": threshold},
                                   progress=progress, cancelled=cancelled)

    return work


def _diff(path, a: int, b: int):
    """Worker function: the word diff of two articles (helper process, job kind ``word-diff``)."""

    def work(_project: None, progress, cancelled):       # the helper opens the file
        return shared_worker().run("word-diff", str(path), {"a": a, "b": b},
                                   progress=progress, cancelled=cancelled)

    return work


class DiffBanner(QFrame):
    """"These two articles share 84% of their text — Show differences  ✕"."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("diffBanner")
        self.setFrameShape(QFrame.StyledPanel)
        self.setStyleSheet("#diffBanner { background: palette(alternate-base); }")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 6, 4)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.PlainText)
        self.label.setWordWrap(True)
        self.button = QPushButton("Show differences", self)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        lay.addWidget(self.close_button)
        self.hide()


class DiffController(QObject):
    """Offers and shows the word diff of the pair of open articles that share copy."""

    def __init__(self, window, threshold: float = THRESHOLD):
        super().__init__(window)
        self.window = window
        self.comparison = window.comparison
        self.threshold = threshold
        self.pair: tuple[int, int, float] | None = None
        self.diff = None
        self.shown = False
        self.dismissed: set[tuple[int, int]] = set()
        self._task = None
        self.banner = DiffBanner(self.comparison)
        self.comparison.layout().insertWidget(0, self.banner)
        self.banner.button.clicked.connect(self.toggle)
        self.banner.close_button.clicked.connect(self.dismiss)
        self._timer = QTimer(self, singleShot=True, interval=300, timeout=self.check)
        self.comparison.articlesChanged.connect(self._timer.start)

    def check(self) -> None:
        """Look (in a worker) for a pair of open articles sharing enough text."""
        self.hide_diff()
        self.pair = None
        self.banner.hide()
        ids = self.comparison.article_ids()
        if len(ids) < 2:
            return
        if self._task is not None:
            self._task.cancel()
        self._task = self.window.runner.submit(
            None, _best_pair(self.window.session.path, ids, self.threshold),
            label="Looking for shared copy",
            on_done=lambda best, ids=ids: self._found(ids, best))

    def _found(self, ids: list[int], best) -> None:
        self._task = None
        if ids != self.comparison.article_ids() or best is None:
            return
        a, b, ratio = best
        if (a, b) in self.dismissed:
            return
        self.pair = best
        names = [self._name(x) for x in (a, b)]
        self.banner.label.setText(f"{names[0]} and {names[1]} share {ratio:.0%} of their text "
                                  "(agency copy, republished and edited?)")
        self.banner.button.setText("Show differences")
        self.banner.show()

    def _name(self, article_id: int) -> str:
        col = self.comparison.column_for(article_id)
        return (col.article.outlet if col and col.article and col.article.outlet else f"Article {article_id}")

    def toggle(self) -> None:
        if self.shown:
            self.hide_diff()
        else:
            self.show_diff()

    def show_diff(self) -> None:
        if self.pair is None:
            return
        a, b, _ratio = self.pair
        self.banner.button.setEnabled(False)
        self.window.runner.submit(None, _diff(self.window.session.path, a, b),
                                  label="Word diff",
                                  on_done=lambda d, a=a, b=b: self._diffed(a, b, d),
                                  on_error=lambda msg: self.window.notify(msg, error=True))

    def _diffed(self, a: int, b: int, diff) -> None:
        self.banner.button.setEnabled(True)
        col_a, col_b = self.comparison.column_for(a), self.comparison.column_for(b)
        if col_a is None or col_b is None or self.pair is None:
            return
        self.diff = diff
        self.shown = True
        col_a.reader.set_overlays(DIFF_LAYER, [(s, e, "delete") for s, e, _k in diff.a_marks])
        col_b.reader.set_overlays(DIFF_LAYER, [(s, e, "insert") for s, e, _k in diff.b_marks])
        if diff.a_marks:
            col_a.reader.select_cp(diff.a_marks[0][0], diff.a_marks[0][0])
        if diff.b_marks:
            col_b.reader.select_cp(diff.b_marks[0][0], diff.b_marks[0][0])
        self.banner.button.setText("Hide differences")
        self.banner.label.setText(
            f"{self._name(a)} → {self._name(b)}: {len(diff.a_marks)} passage(s) dropped "
            f"(struck through, left) and {len(diff.b_marks)} added (underlined, right) "
            f"of {self.pair[2]:.0%} shared text")

    def hide_diff(self) -> None:
        for col in self.comparison.columns:
            col.reader.set_overlays(DIFF_LAYER, [])
        self.shown = False
        self.diff = None
        if self.pair is not None:
            self.banner.button.setText("Show differences")

    def dismiss(self) -> None:
        if self.pair is not None:
            self.dismissed.add(self.pair[:2])
        self.hide_diff()
        self.banner.hide()


def install_diff(window) -> DiffController:
    """Create the controller and register it on ``window.features`` with its paint layer
    (``window.features.get(DiffController)``)."""
    ctl = window.features.add(DiffController(window))
    window.features.add_paint_layer(overlay_layer("diff", DIFF_LAYER, DIFF_Z))
    return ctl
