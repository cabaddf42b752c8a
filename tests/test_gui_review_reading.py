"""Suggestions a reader can live with (issue 18), in a real 1600×1000 window on the demo:
per-suggester toggles (frame cues off by default, remembered), outlines only while the
Suggestions dock is shown, at most two outlines a sentence, a queue with room for at least
eight rows, and a bulk accept that asks first and is one undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QToolButton

from framelens import store
from framelens.desktop.features.review import ReviewPanel
from framelens.desktop.reading.suggestion_layer import MAX_PER_SENTENCE, sentence_spans
from framelens.desktop.shell.refcount_guard import keep_none_alive

pytestmark = pytest.mark.gui
keep_none_alive()
STORY_2017 = "Second Russia–Japan 2+2, Tokyo (resumed after the Crimea crisis)"
SIZE = (1600, 1000)


def _window_with_pass(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, size=SIZE)
    story = next(s for s in store.list_stories(window.session.project) if s.name == STORY_2017)
    window.open_story(story.id, 3)
    qtbot.waitUntil(lambda: len(window.comparison.columns) == 3 and not window.runner.busy,
                    timeout=20000)
    panel = window.features.get(ReviewPanel)
    assert panel.suggest_open() is not None
    qtbot.waitUntil(lambda: panel.suggest_task is None, timeout=120000)
    return window, panel


def _open_review(window, qtbot):
    """Suggestions → Review suggestions, by its shortcut."""
    qtbot.keyClick(window, Qt.Key_R, Qt.ControlModifier | Qt.ShiftModifier)
    panel = window.features.get(ReviewPanel)
    qtbot.waitUntil(lambda: panel.dock.isVisible(), timeout=5000)
    QApplication.processEvents()
    return panel


def _painted(column):
    column.reader.viewport().repaint()
    return column.reader.suggestion_layer.last_paint


def test_outlines_only_while_reviewing_toggles_and_density(gui_demo_path, gui_window_factory,
                                                          gui_settings, qtbot):
    window, panel = _window_with_pass(gui_demo_path, gui_window_factory, qtbot)
    # the pass stored frame cues, but they are off by default: neither queued nor outlined
    assert panel.last_report.new.get("cues", 0) > 0
    assert not panel.toggles.actions["cues"].isChecked()
    assert panel.toggles.shown() == ("actors", "voices", "contested", "learned")
    assert panel.queue and {s.suggester for s in panel.queue} <= {"actors", "voices", "contested"}
    # the dock is closed: no outline in any column
    assert not panel.dock.isVisible()
    assert all(_painted(c) == [] for c in window.comparison.columns)
    panel = _open_review(window, qtbot)
    assert all(_painted(c) for c in window.comparison.columns)
    # density: per sentence at most MAX_PER_SENTENCE outlines, the rest counted in "+n"
    for col in window.comparison.columns:
        layer = col.reader.suggestion_layer
        index, text = col.reader.index, col.article.text
        starts = [a for a, _b in sentence_spans(text)]
        per_sentence: dict[int, set] = {}
        for m in layer.marks:
            cp = index.to_cp(m.start)
            k = max(i for i, a in enumerate(starts) if a <= cp)
            per_sentence.setdefault(k, set()).add((m.start, m.end))
        drawn: dict[int, int] = {}
        for m in layer.drawn:
            k = max(i for i, a in enumerate(starts) if a <= index.to_cp(m.start))
            drawn[k] = drawn.get(k, 0) + 1
        assert drawn == {k: min(len(v), MAX_PER_SENTENCE) for k, v in per_sentence.items()}
        assert layer.hidden_count() == sum(max(0, len(v) - MAX_PER_SENTENCE)
                                           for v in per_sentence.values())
        assert max(len(v) for v in per_sentence.values()) > MAX_PER_SENTENCE   # the rule bites
    # the review queue has room for at least eight rows at 1600×1000
    # and the buttons under it are on screen too (not scrolled away in the dock)
    assert panel.visible_rows() >= 8, panel.visible_rows()
    for widget in (panel.bulk_btn, panel.buttons["a"], panel.buttons["e"], panel.learned_btn,
                   panel.findChild(QToolButton, "show_learned")):
        assert panel.on_screen(widget), widget
    # frame cues on, by their button in the dock: queued and outlined, remembered
    cues_button = panel.findChild(QToolButton, "show_cues")
    qtbot.mouseClick(cues_button, Qt.LeftButton)
    assert panel.toggles.actions["cues"].isChecked()
    assert "cues" in {s.suggester for s in panel.queue}
    cue_ids = {s.id for s in panel.queue if s.suggester == "cues"}
    assert cue_ids & {i for c in window.comparison.columns for i in c.reader.suggestion_layer.ids()}
    assert gui_settings.value("review/show/cues", type=bool) is True
    # actors off: none left in the queue or the layers
    qtbot.mouseClick(panel.findChild(QToolButton, "show_actors"), Qt.LeftButton)
    assert "actors" not in {s.suggester for s in panel.queue}
    actor_ids = {s.id for s in store.open_suggestions(window.session.project,
                                                      coder_id=window.session.coder.id,
                                                      suggesters=["actors"])}
    assert not actor_ids & {i for c in window.comparison.columns
                            for i in c.reader.suggestion_layer.ids()}
    # closing the dock takes the outlines away and gives J back to coding
    panel.dock.toggleViewAction().trigger()
    assert not panel.dock.isVisible()
    assert all(_painted(c) == [] for c in window.comparison.columns)
    reader = window.comparison.columns[0].reader
    assert panel.handle_key(window.comparison.columns[0], "j") is False
    panel.index = -1
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key_J)
    assert panel.index == -1                    # J did not move the queue
    # the choices outlive the window: a second window starts with cues on, actors off
    second = gui_window_factory(gui_demo_path, size=SIZE)
    other = second.features.get(ReviewPanel)
    assert other.toggles.shown() == ("voices", "contested", "cues", "learned")


def _answer_box(qtbot, seen: dict, accept: bool) -> None:
    """When the confirmation opens: read it, then click Accept N or press Escape."""
    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen["text"], seen["details"] = box.text(), box.informativeText()
        seen["default"] = box.defaultButton().text()
        if accept:
            qtbot.mouseClick(box.findChild(QPushButton, "bulkAcceptButton"), Qt.LeftButton)
        else:
            qtbot.keyClick(box, Qt.Key_Escape)
    QTimer.singleShot(0, answer)


def test_bulk_accept_asks_first_and_is_one_undo(gui_demo_path, gui_window_factory, qtbot):
    window, panel = _window_with_pass(gui_demo_path, gui_window_factory, qtbot)
    panel = _open_review(window, qtbot)
    project, coder = window.session.project, window.session.coder
    panel.slider.setValue(85)
    high = [s for s in panel.queue if s.score >= 0.85]
    n, n_articles = len(high), len({s.article_id for s in high})
    assert n > 10 and panel.bulk_btn.text() == f"Accept all ≥ 0.85 ({n})…"
    by = {}
    for s in high:
        by[s.suggester] = by.get(s.suggester, 0) + 1
    # Escape cancels: nothing written
    seen: dict = {}
    _answer_box(qtbot, seen, accept=False)
    qtbot.mouseClick(panel.bulk_btn, Qt.LeftButton)
    assert seen["text"].startswith(f"Accept {n} suggestions (")
    assert f"in {n_articles} articles, every one scoring at least 0.85?" in seen["text"]
    for name, k in by.items():
        assert f"{name} {k}" in seen["text"] and f"{name} {k}" in seen["details"]
    assert "The Japan Times: " in seen["details"] and "PenzaNews: " in seen["details"]
    assert "As codes: " in seen["details"] and seen["default"] == "Cancel"
    assert store.list_annotations(project, coder_ids=[coder.id]) == []
    # Accept N: N codings in one action
    n_actions = project.query_one("SELECT count(*) FROM actions")[0]
    _answer_box(qtbot, seen, accept=True)
    qtbot.mouseClick(panel.bulk_btn, Qt.LeftButton)
    anns = store.list_annotations(project, coder_ids=[coder.id])
    assert sorted(a.suggestion_id for a in anns) == sorted(s.id for s in high)
    assert project.query_one("SELECT count(*) FROM actions")[0] == n_actions + 1
    assert not any(s.score >= 0.85 for s in panel.queue)
    assert window.undo_act.text().startswith(f"&Undo Accept {n} suggestions ≥ 0.85") or \
        f"Accept {n} suggestions" in window.undo_act.text()
    # one Ctrl+Z in a reader: all N gone, the suggestions open again
    reader = window.comparison.columns[0].reader
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key_Z, Qt.ControlModifier)
    assert store.list_annotations(project, coder_ids=[coder.id]) == []
    assert {s.id for s in panel.queue} >= {s.id for s in high}
