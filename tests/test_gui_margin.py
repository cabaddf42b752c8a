"""Coding stripes in the reader's margin (issue 18): real key presses code two overlapping
spans; the margin paints two stripes side by side with the codes' names over the lines they
cover; hover and click; the toggle is remembered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from framelens import store
from framelens.desktop.reading.margin import SETTING, StripePreference, stripes_action

pytestmark = pytest.mark.gui

STORY_2017 = "Second Russia–Japan 2+2, Tokyo (resumed after the Crimea crisis)"
LONG = "international security and confidence-building measures in the Asia-Pacific region"
SHORT = "confidence-building measures"


def select_phrase(reader, phrase: str) -> None:
    cursor = reader.document().find(phrase)
    assert not cursor.isNull(), f"{phrase!r} not in the column"
    reader.setTextCursor(cursor)
    reader.setFocus()


def line_top_bottom(reader, cp: int, *, end: bool = False) -> tuple[int, int]:
    """Viewport y of the top and bottom of the line holding code point ``cp`` (``end``: the
    line holding the character before it)."""
    cursor = QTextCursor(reader.document())
    pos = reader.index.to_utf16(cp)
    cursor.setPosition(pos - 1 if end else pos)
    if end:
        cursor.movePosition(QTextCursor.Right)        # caret after that character, same line
    rect = reader.cursorRect(cursor)
    return rect.top(), rect.bottom() + 1


@pytest.fixture
def coded(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice", size=(1600, 1000))
    project = window.session.project
    story = store.get_story(project, STORY_2017)
    with qtbot.waitSignal(window.storyLoaded, timeout=10000):
        window.open_story(story.id)
    column = window.comparison.columns[1]
    reader = column.reader
    select_phrase(reader, LONG)
    qtbot.keyClick(reader, "8")                      # Security and defense
    select_phrase(reader, SHORT)
    qtbot.keyClick(reader, "r")                      # Political
    anns = {a.code: a for a in store.list_annotations(project, article_ids=[column.article_id])}
    assert {c: a.quote for c, a in anns.items()} == {"Security and defense": LONG,
                                                      "Political": SHORT}
    reader.setTextCursor(QTextCursor(reader.document()))
    reader.select_span(anns["Political"].start, anns["Political"].start)   # keep it in view
    reader.ensureCursorVisible()

    def painted_both() -> bool:                   # once Qt has laid out the widened margin
        reader.margin.repaint()
        return len(reader.margin.last_paint) == 2
    qtbot.waitUntil(painted_both, timeout=3000)
    return window, reader, anns


def test_two_overlapping_codings_paint_two_stripes_with_names_and_extents(coded):
    window, reader, anns = coded
    margin = reader.margin
    margin.repaint()
    assert margin.isVisible() and margin.width() > 0
    records = {r.code: r for r in margin.last_paint}
    assert set(records) == {"Security and defense", "Political"}
    security, political = records["Security and defense"], records["Political"]
    assert {security.lane, political.lane} == {0, 1}          # side by side
    assert security.lane == 0                                 # the longer, earlier one inside
    assert political.x < security.x                           # lane 1 further from the text
    assert (security.style, political.style) == ("mine", "mine")
    for rec, ann in ((security, anns["Security and defense"]), (political, anns["Political"])):
        top, _ = line_top_bottom(reader, ann.start)
        _, bottom = line_top_bottom(reader, ann.end, end=True)
        assert (round(rec.top), round(rec.bottom)) == (top, bottom)
        assert rec.label == ann.code or rec.label.endswith("…")
        assert rec.label.rstrip("…") and ann.code.startswith(rec.label.rstrip("…"))
    # the margin stands just left of the text, over the viewport's blank side margin
    text_left = reader.viewport().mapTo(reader, reader.cursorRect(QTextCursor(reader.document())).topLeft()).x()
    assert text_left - 12 <= margin.geometry().right() < text_left
    assert margin.geometry().left() >= reader.viewport().geometry().left()


def test_hover_shows_code_coder_quote_and_click_selects(coded, qtbot):
    window, reader, anns = coded
    margin = reader.margin
    margin.repaint()
    political = next(r for r in margin.last_paint if r.code == "Political")
    point = QPoint(int(political.x + 1), int((political.top + political.bottom) / 2))
    assert margin.stripe_at(point.x(), point.y()) == anns["Political"].id
    tip = QHelpEvent(QEvent.ToolTip, point, margin.mapToGlobal(point))
    QApplication.sendEvent(margin, tip)
    shown = QToolTip.text()
    assert "Political" in shown and "alice" in shown and SHORT in shown
    qtbot.mouseClick(margin, Qt.LeftButton, pos=point)
    assert reader.selection_cp() == (anns["Political"].start, anns["Political"].end)
    assert reader.hasFocus()
    # a point between lanes and below every stripe selects nothing
    assert margin.stripe_at(1, margin.height() - 2) is None


def test_other_coders_are_dashed_and_the_toggle_is_remembered(coded, qtbot, gui_settings):
    window, reader, anns = coded
    window.set_coder("bob")
    from framelens.desktop.shell.session import ALL
    window.session.set_view(ALL)
    reader.margin.repaint()
    assert {r.style for r in reader.margin.last_paint} == {"other"}
    assert {r.label for r in reader.margin.last_paint} == {"Security and defense · A",
                                                           "Political · A"}

    act = stripes_action(window)
    assert act.isChecked()
    act.trigger()                                     # off, for every reader
    assert not StripePreference.instance().enabled()
    from PySide6.QtCore import QSettings
    assert QSettings().value(SETTING) in (False, "false")
    assert not reader.margin.isVisible()
    reader.margin.repaint()
    assert reader.margin.last_paint == []
    act.trigger()                                     # on again
    assert reader.margin.isVisible()


def test_right_to_left_article_has_its_stripes_on_the_right(tmp_path, gui_window_factory, qtbot):
    import json
    from framelens.annotate.resources import asset_path

    text = ("שלום עולם, זו פסקה בעברית על שיחות ביטחון בין רוסיה ליפן.\n"
            "مرحبا بالعالم، هذه فقرة عربية عن الأمن الإقليمي.\n")
    path = tmp_path / "rtl.framelens"
    project = store.create_project(path)
    store.load_codebook(project, json.loads(
        asset_path("codebooks", "policy_frames.json").read_text("utf-8")))
    article_id = store.add_article(project, text=text, title="RTL", outlet="Test",
                                   country="IL", language="he").article_id
    project.close()
    window = gui_window_factory(path, coder="dana")
    reader = window.open_article(article_id).reader
    select_phrase(reader, "שיחות ביטחון")
    qtbot.keyClick(reader, "8")
    margin = reader.margin
    assert margin.trailing

    def painted() -> bool:
        margin.repaint()
        return [r.code for r in margin.last_paint] == ["Security and defense"]
    qtbot.waitUntil(painted, timeout=3000)
    # right of the text: the caret at the end of the first (right-to-left) line's start
    cursor = QTextCursor(reader.document())
    text_right = reader.viewport().mapTo(reader, reader.cursorRect(cursor).topLeft()).x()
    assert text_right < margin.geometry().left() <= text_right + 12
    assert margin.geometry().right() <= reader.viewport().geometry().right()
