"""Alignment in the reading view: which passages of the open articles report the same thing.

* The alignment's marks on each reader (``Reader.set_overlays("align", …)``) are drawn by the
  paint layer it registers on ``window.features`` (``desktop/reading/overlays.py``): the clicked
  passage and its counterparts framed, "only here" passages hatched.
* ``GutterSplitter`` (desktop/reading/alignment_gutter.py) is the comparison's splitter: while an
  alignment is shown its handles widen into gutters that draw a band from each visible passage to
  its counterpart in the next column, repainted as the columns scroll (passage positions cached
  per layout, only for passages near the visible text).
* ``AlignmentController`` adds "Align passages" (toolbar, View → Align story), has the helper
  process compute the alignment (``annotate.suggest_worker``, job kind ``align``: spaCy and the
  sentence model load there, never in the window's process; a worker thread of the window only
  waits for the answer), and handles clicks:
  a click on a sentence frames it and its counterparts and scrolls the other columns to them.
  Under each column header an "Omits" list names what the others report and it does not; a
  click on an entry scrolls the other columns to the passages that report it.  The button's
  menu (and View → Alignment links) chooses how sure a link must be — strict, balanced or
  generous (``annotate.align.STRICTNESS``); the choice is remembered and recomputes at once.
* ``AlignmentInfo`` is a strip under the columns that stays while the alignment is shown: a legend
  of the link colours and shading, why the clicked passage is linked (the sentence model's
  similarity, shared names, dates and numbers, words) per column, and a note when a column's
  language cannot be linked (no multilingual sentence model installed).  The status bar still gets
  the short form.  The GUI makes no model call: the alignment (spaCy, the sentence model) runs in
  the helper process on its own project connection, and sentence vectors are read from the
  project's cache when the helper's pass after an import already stored them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QFrame, QLabel, QListWidget, QListWidgetItem, QMenu, QToolButton,
    QVBoxLayout,
)

import shiboken6


from framelens.annotate.analysis.align import evidence_summary
from framelens.annotate.ops.suggest_worker import shared_worker

from framelens.desktop.reading.alignment_gutter import (GUTTER, GutterHandle, GutterSplitter, PassageGeometry, _clamp,
                               passage_y)
from framelens.desktop.reading.overlays import COLORS, overlay_layer, paint_overlays
from framelens.desktop.widgets.inert import plain_tooltip

ALIGN_LAYER = "align"
__all__ = ["GUTTER", "GutterHandle", "GutterSplitter", "passage_y", "install_alignment",
           "paint_overlays", "AlignmentController", "AlignmentInfo", "column_notes", "link_why"]
ALIGN_Z = -20          # under the code highlights, under the word diff's marks


# -- omissions under each column header ------------------------------------------------------------
class OmissionsPanel(QFrame):
    """"Omits N passages the others report ▸" and, unfolded, the list of them."""

    def __init__(self, controller: "AlignmentController", column, omissions: list[dict]):
        super().__init__(column)
        self.setObjectName("omissionsPanel")
        self.omissions = omissions
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 2, 8, 4)
        lay.setSpacing(2)
        self.toggle = QToolButton(self)
        self.toggle.setAutoRaise(True)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.RightArrow)
        n = len(omissions)
        self.toggle.setText(f"Omits {n} passage{'s' if n != 1 else ''}" if n else "Omits nothing")
        self.toggle.setEnabled(bool(n))
        self.toggle.setToolTip("What most of the other open articles report and this one does not")
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(150)
        self.list.hide()
        for om in omissions:
            text = " ".join(om["text"].split())
            item = QListWidgetItem(f"Omits: {text[:160]}{'…' if len(text) > 160 else ''}")
            item.setToolTip(plain_tooltip(f"{text}\n\nReported by {len(om['sources'])} passage(s) "
                                          "elsewhere — click to show them"))
            item.setData(Qt.UserRole, om)
            self.list.addItem(item)
        self.list.itemClicked.connect(lambda it: controller.show_sources(it.data(Qt.UserRole)))
        self.toggle.toggled.connect(self._fold)
        lay.addWidget(self.toggle)
        lay.addWidget(self.list)

    def _fold(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.DownArrow if on else Qt.RightArrow)
        self.list.setVisible(on)


# -- the strip under the columns: legend, why, notes ------------------------------------------------
def _swatch(color: str, text: str, style: str = "solid") -> str:
    return (f'<span style="border:2px {style} {color}; background:{color}33">&nbsp;&nbsp;&nbsp;'
            f'</span>&nbsp;{text}')


LEGEND = "&nbsp;&nbsp;&nbsp;".join([
    _swatch(COLORS["selected"], "clicked passage"),
    _swatch(COLORS["counterpart"], "its counterparts; bands between columns: darker = surer link"),
    _swatch(COLORS["only_here"], "hatched: only in this article", "dashed"),
])


class AlignmentInfo(QFrame):
    """Legend, the clicked link's evidence and notes; under the columns while aligned."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("alignmentInfo")
        self.setFrameShape(QFrame.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.setSpacing(2)
        self.legend = QLabel(LEGEND, self)
        self.legend.setTextFormat(Qt.RichText)
        self.why = QLabel("Click a sentence to see why it is linked.", self)
        self.notes = QLabel("", self)
        for label in (self.why, self.notes):
            label.setWordWrap(True)
            label.setTextFormat(Qt.PlainText)
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.notes.setStyleSheet("color: #C92A2A;")
        self.notes.hide()
        for w in (self.legend, self.why, self.notes):
            lay.addWidget(w)

    def set_why(self, lines: list[str]) -> None:
        self.why.setText("\n".join(lines) if lines else "Click a sentence to see why it is linked.")

    def set_notes(self, notes: list[str]) -> None:
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))


def link_why(outlet: str, score: float, evidence: dict) -> str:
    """One line of the strip: the column, the link's score, the model's similarity (when the
    alignment had a model) and the shared evidence."""
    return f"{outlet} — score {score:.2f}: {evidence_summary(evidence)}"


def column_notes(result: dict, columns) -> list[str]:
    """The alignment's own notes, and one per column whose language could not be linked."""
    notes = list(result.get("notes", []))
    has_model = "+" in str(result.get("version", ""))
    for col in columns:
        lang = (getattr(col.article, "language", None) or "en").split("-")[0]
        if lang != "en" and not has_model:
            notes.append(f"{col.article.outlet or col.article_id} ({lang}): no multilingual "
                         "sentence model installed — this column cannot be linked to the others")
    return list(dict.fromkeys(notes))


# -- the controller ---------------------------------------------------------------------------------
STRICTNESS_LABELS = {"strict": "Strict — fewer, surer links",
                     "balanced": "Balanced",
                     "generous": "Generous — more links, more of them wrong"}
STRICTNESS_KEY = "align/strictness"


def _compute(path, article_ids: list[int], strictness: str = "balanced"):
    """The worker function: ask the helper process to align the open articles (a story's cached
    alignment when they are exactly one story's articles) at a strictness level, and wait."""

    def work(_project: None, progress, cancelled):       # the helper opens the file
        return shared_worker().run("align", str(path), {"article_ids": list(article_ids),
                                                         "strictness": strictness},
                                   progress=progress, cancelled=cancelled)

    return work


class AlignmentController(QObject):
    """Alignment of the open columns: computing, drawing, clicks, omissions."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.comparison = window.comparison
        self.result: dict | None = None
        self.selected: tuple[int, int, int] | None = None     # (article, start, end)
        self.panels: dict[int, OmissionsPanel] = {}
        self._watched: set = set()
        self._task = None
        self.geometry = PassageGeometry()
        self.action = QAction("Align passages", window, checkable=True)
        self.action.setToolTip("Link the passages of the open articles that report the same thing "
                               "(click a sentence to see its counterparts)")
        self.action.setStatusTip(self.action.toolTip())
        self.action.toggled.connect(self.set_enabled)
        self.menu_action = QAction("Align story", window, checkable=True)
        self.menu_action.toggled.connect(self.action.setChecked)
        self.action.toggled.connect(self.menu_action.setChecked)
        # how sure a link must be: a radio group, shown as the button's menu and in View
        self.settings = getattr(window, "settings", None) or QSettings()
        saved = self.settings.value(STRICTNESS_KEY, "balanced")
        self.strictness = saved if saved in STRICTNESS_LABELS else "balanced"
        self.strictness_menu = QMenu("Alignment links", window)
        self.strictness_menu.setToolTipsVisible(True)
        self.strictness_group = QActionGroup(self)
        self.strictness_actions: dict[str, QAction] = {}
        for name, label in STRICTNESS_LABELS.items():
            act = QAction(label, self.strictness_menu, checkable=True)
            act.setChecked(name == self.strictness)
            act.triggered.connect(lambda _on=False, n=name: self.set_strictness(n))
            self.strictness_group.addAction(act)
            self.strictness_menu.addAction(act)
            self.strictness_actions[name] = act
        self._retry = QTimer(self, singleShot=True, interval=400, timeout=self.recompute)
        self.comparison.articlesChanged.connect(self._articles_changed)
        self.info = AlignmentInfo(self.comparison)
        self.info.hide()
        if self.comparison.layout() is not None:
            self.comparison.layout().addWidget(self.info)

    # -- switching on and off ----------------------------------------------------------------------
    @property
    def enabled(self) -> bool:
        return self.action.isChecked()

    def set_enabled(self, on: bool) -> None:
        if on:
            self.recompute()
        else:
            if self._task is not None:
                self._task.cancel()
            self.clear()

    def set_strictness(self, name: str) -> None:
        """Choose how sure a link must be; remembered, and recomputed at once when shown."""
        if name not in STRICTNESS_LABELS:
            raise ValueError(name)
        self.strictness_actions[name].setChecked(True)
        if name == self.strictness:
            return
        self.strictness = name
        self.settings.setValue(STRICTNESS_KEY, name)
        if self.enabled:
            self.clear()
            self.recompute()

    def _articles_changed(self) -> None:
        if self.enabled:
            self.clear()
            self._retry.start()

    def recompute(self) -> None:
        ids = self.comparison.article_ids()
        if len(ids) < 2:
            self.window.notify("Open at least two articles to align them")
            return
        if self._task is not None:
            self._task.cancel()
        self.result = None
        self._task = self.window.runner.submit(
            None, _compute(self.window.session.path, ids, self.strictness),
            label="Aligning passages",
            on_done=lambda res, ids=ids: self._done(ids, res),
            on_error=lambda msg: self.window.notify(f"Alignment failed: {msg}", error=True))

    def _done(self, ids: list[int], result: dict) -> None:
        self._task = None
        if not self.enabled or ids != self.comparison.article_ids():
            return
        self.result = result
        self.selected = None
        self._apply()
        self.info.set_why([])
        self.info.set_notes(column_notes(result, self.comparison.columns))
        self.info.show()
        n = sum(1 for lk in result["links"] if lk["a"]["article"] in ids and lk["b"]["article"] in ids)
        self.window.notify(f"Aligned: {n} links between {len(ids)} columns ({self.strictness}) — "
                           "click a sentence to see its counterparts")

    def clear(self) -> None:
        self.result = None
        self.selected = None
        self.info.hide()
        self.geometry.forget(col.reader for col in self.comparison.columns)
        for col in self.comparison.columns:
            col.reader.set_overlays(ALIGN_LAYER, [])
        for panel in self.panels.values():
            if shiboken6.isValid(panel):          # its column may be gone already
                panel.setParent(None)
                panel.deleteLater()
        self.panels = {}
        self.comparison.splitter.set_links(None)

    # -- drawing ----------------------------------------------------------------------------------------
    def _links_of(self, article_id: int) -> list[tuple[tuple[int, int], tuple[int, int, int], float]]:
        """(passage here, (other article, start, end), score) for every link of an article."""
        out = []
        open_ids = set(self.comparison.article_ids())
        for lk in (self.result or {}).get("links", []):
            for here, there in (("a", "b"), ("b", "a")):
                h, t = lk[here], lk[there]
                if h["article"] == article_id and t["article"] in open_ids:
                    out.append(((h["start"], h["end"]), (t["article"], t["start"], t["end"]), lk["score"]))
        return out

    def _apply(self) -> None:
        by_article = {a["article"]: a for a in self.result.get("articles", [])}
        for col in self.comparison.columns:
            self._watch(col)
            info = by_article.get(col.article_id, {})
            self._overlays(col)
            panel = OmissionsPanel(self, col, info.get("omissions", []))
            col.layout().insertWidget(2, panel)
            self.panels[col.article_id] = panel
        self.comparison.splitter.set_links(self)

    def _overlays(self, col) -> None:
        info = next((a for a in self.result.get("articles", []) if a["article"] == col.article_id), {})
        marks = [(p["start"], p["end"], "only_here") for p in info.get("only_here", [])]
        if self.selected is not None:
            art, s, e = self.selected
            if art == col.article_id:
                marks.append((s, e, "selected"))
            for (hs, he), (other, os_, oe), _score in self._links_of(art):
                if other == col.article_id and (hs, he) == (s, e):
                    marks.append((os_, oe, "counterpart"))
        col.reader.set_overlays(ALIGN_LAYER, marks)

    def paint_gutter(self, p: QPainter, handle, left, right) -> int:
        """Bands from passages of ``left`` to their counterparts in ``right`` (called by the
        gutter's paintEvent); returns how many were drawn.  Passage heights come from
        :class:`PassageGeometry` (first and last line only, cached per layout; passages outside
        the visible text are placed above or below it without asking the layout)."""
        if self.result is None or not hasattr(left, "reader") or not hasattr(right, "reader"):
            return 0
        lr, rr = left.reader, right.reader
        top_l = handle.mapFromGlobal(lr.viewport().mapToGlobal(QPoint(0, 0))).y()
        top_r = handle.mapFromGlobal(rr.viewport().mapToGlobal(QPoint(0, 0))).y()
        h_l, h_r = lr.viewport().height(), rr.viewport().height()
        geo_l, geo_r = self.geometry.view(lr), self.geometry.view(rr)
        w = handle.width()
        drawn = 0
        sel = self.selected
        for (s, e), (other, os_, oe), score in self._links_of(left.article_id):
            if other != right.article_id:
                continue
            hot = sel is not None and ((sel == (left.article_id, s, e)) or sel == (right.article_id, os_, oe))
            a, b = geo_l.y(s, e, hot), geo_r.y(os_, oe, hot)
            if a is None or b is None:
                continue
            a, b = _clamp(a, h_l, hot), _clamp(b, h_r, hot)
            if a is None or b is None:
                continue
            a0, a1, b0, b1 = a[0] + top_l, a[1] + top_l, b[0] + top_r, b[1] + top_r
            color = QColor(COLORS["selected" if hot else "counterpart"])
            color.setAlphaF(0.55 if hot else min(0.12 + score * 0.6, 0.4))
            path = QPainterPath(QPointF(0, a0))
            path.cubicTo(QPointF(w / 2, a0), QPointF(w / 2, b0), QPointF(w, b0))
            path.lineTo(QPointF(w, b1))
            path.cubicTo(QPointF(w / 2, b1), QPointF(w / 2, a1), QPointF(0, a1))
            path.closeSubpath()
            p.fillPath(path, color)
            drawn += 1
        return drawn

    # -- clicks --------------------------------------------------------------------------------------
    def _watch(self, col) -> None:
        vp = col.reader.viewport()
        if vp not in self._watched:
            vp.installEventFilter(self)
            col.reader.verticalScrollBar().valueChanged.connect(self._scrolled)
            self._watched.add(vp)
            vp.destroyed.connect(lambda _o=None, v=vp: self._watched.discard(v))

    def _scrolled(self, _value: int) -> None:
        if self.result is not None:
            for i in range(self.comparison.splitter.count()):
                self.comparison.splitter.handle(i).update()

    def eventFilter(self, obj, event) -> bool:
        if (event.type() == QEvent.MouseButtonRelease and event.button() == Qt.LeftButton
                and self.result is not None):
            col = next((c for c in self.comparison.columns if c.reader.viewport() is obj), None)
            if col is not None and not col.reader.textCursor().hasSelection():
                pos = col.reader.cursorForPosition(event.position().toPoint()).position()
                self.select_at(col, col.reader.index.to_cp(pos))
        return False

    def passage_at(self, article_id: int, cp: int) -> tuple[int, int] | None:
        """The smallest linked passage of an article containing code point ``cp``."""
        found = [h for h, _t, _s in self._links_of(article_id) if h[0] <= cp < h[1]]
        return min(found, key=lambda h: h[1] - h[0]) if found else None

    def select_at(self, col, cp: int) -> bool:
        """Frame the passage at ``cp`` and its counterparts; scroll the other columns to them."""
        passage = self.passage_at(col.article_id, cp)
        if passage is None:
            self.selected = None
            for c in self.comparison.columns:
                self._overlays(c)
            self.window.notify("This passage has no counterpart in the other columns")
            self.info.set_why(["This passage has no counterpart in the other columns."])
            self._scrolled(0)
            return False
        self.selected = (col.article_id, *passage)
        best: dict[int, tuple[float, int, int]] = {}
        for h, (other, s, e), score in self._links_of(col.article_id):
            if h == passage and score > best.get(other, (-1.0, 0, 0))[0]:
                best[other] = (score, s, e)
        why, lines = [], []
        for c in self.comparison.columns:
            self._overlays(c)
            if c.article_id in best:
                score, s, e = best[c.article_id]
                self.scroll_to(c, s, e)
                ev = self._evidence(col.article_id, passage, (c.article_id, s, e))
                why.append(f"{c.article.outlet or c.article_id} {score:.2f}: {evidence_summary(ev)}")
                lines.append(link_why(c.article.outlet or str(c.article_id), score, ev))
        self._scrolled(0)
        self.info.set_why(lines)
        self.window.notify("Linked — " + " | ".join(why))
        return True

    def _evidence(self, article_id: int, passage: tuple[int, int],
                  other: tuple[int, int, int]) -> dict:
        """The evidence of the link between a passage and a passage of another article."""
        here = {"article": article_id, "start": passage[0], "end": passage[1]}
        there = dict(zip(("article", "start", "end"), other))
        for lk in (self.result or {}).get("links", []):
            if (lk["a"], lk["b"]) in ((here, there), (there, here)):
                return lk.get("evidence", {})
        return {}

    def show_sources(self, omission: dict) -> None:
        """Scroll the other columns to the passages that report an omitted fact, framed."""
        shown = 0
        self.selected = None
        for c in self.comparison.columns:
            self._overlays(c)
            srcs = [(s["start"], s["end"]) for s in omission["sources"] if s["article"] == c.article_id]
            if srcs:
                marks = c.reader.overlays(ALIGN_LAYER) + [(s, e, "counterpart") for s, e in srcs]
                c.reader.set_overlays(ALIGN_LAYER, marks)
                self.scroll_to(c, *srcs[0])
                shown += 1
        self.window.notify(f"Reported in {shown} other column{'s' if shown != 1 else ''}")

    def scroll_to(self, col, start: int, end: int) -> None:
        """Bring a passage to the upper part of its column (without "Scroll in step" moving
        the other columns along)."""
        y = passage_y(col.reader, start, end)
        if y is None:
            return
        in_step = self.comparison.scroll_in_step
        self.comparison.scroll_in_step = False
        try:
            bar = col.reader.verticalScrollBar()
            bar.setValue(int(bar.value() + y[0] - col.reader.viewport().height() / 4))
        finally:
            self.comparison.scroll_in_step = in_step


def view_menu(window):
    """The main window's View menu (None if it has none)."""
    for act in window.menuBar().actions():
        if act.text().replace("&", "") == "View":
            return act.menu()
    return None


def install_alignment(window) -> AlignmentController:
    """Create the controller and register it on ``window.features`` with its paint layer;
    "Align passages" goes in the toolbar after "Scroll in step" and "Align story" in the View
    menu.  Others find it with ``window.features.get(AlignmentController)``."""
    ctl = window.features.add(AlignmentController(window))
    window.features.add_paint_layer(overlay_layer("alignment", ALIGN_LAYER, ALIGN_Z))
    tb = getattr(window, "toolbar", None)
    if tb is not None:
        acts = tb.actions()
        step = getattr(window, "step_act", None)
        anchor = acts[acts.index(step) + 1] if step in acts and acts.index(step) + 1 < len(acts) else None
        tb.insertAction(anchor, ctl.action)
        button = tb.widgetForAction(ctl.action)
        if isinstance(button, QToolButton):      # click toggles; the arrow opens the levels
            button.setMenu(ctl.strictness_menu)
            button.setPopupMode(QToolButton.MenuButtonPopup)
    menu = view_menu(window)
    if menu is not None:
        acts = menu.actions()
        before = acts[2] if len(acts) > 2 else None
        menu.insertAction(before, ctl.menu_action)
        menu.insertMenu(before, ctl.strictness_menu)
    window.addAction(ctl.menu_action)
    return ctl
