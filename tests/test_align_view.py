"""The reading view's alignment strip (desktop/features/alignment_view.py): legend, why a clicked passage
is linked (similarity, shared names and numbers) in a place that stays, and the note for a column
whose language cannot be linked."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from framelens.desktop.features.alignment_view import AlignmentInfo, column_notes, link_why
from test_gui_compare import FIRST_SENTENCE, open_story
from framelens.desktop.features.alignment_view import AlignmentController

pytestmark = pytest.mark.gui


def test_link_why_names_similarity_names_and_numbers():
    ev = {"semantic": 0.8123, "entities": ["Sergei Lavrov"], "numbers": ["17"], "lemmas": [],
          "synonyms": []}
    assert link_why("TASS", 0.21, ev) == ("TASS — score 0.21: similarity 0.81 · names Sergei Lavrov"
                                          " · dates/numbers 17")
    assert link_why("JT", 0.3, {"lemmas": ["talk"]}) == "JT — score 0.30: words talk"


def test_column_notes_for_a_language_without_a_model(qtbot):
    cols = [SimpleNamespace(article=SimpleNamespace(language="en", outlet="JT"), article_id=1),
            SimpleNamespace(article=SimpleNamespace(language="ru", outlet="TASS"), article_id=2)]
    assert column_notes({"version": "align-2.0+use", "notes": []}, cols) == []
    notes = column_notes({"version": "align-2.0", "notes": ["articles in en, ru: …"]}, cols)
    assert notes[0] == "articles in en, ru: …"
    assert notes[1].startswith("TASS (ru): no multilingual sentence model installed")
    info = AlignmentInfo()
    qtbot.addWidget(info)
    info.set_notes(notes)
    assert not info.notes.isHidden() and "TASS (ru)" in info.notes.text()
    info.set_notes([])
    assert info.notes.isHidden()
    assert "only in this article" in info.legend.text() and "clicked passage" in info.legend.text()


def test_the_strip_under_the_columns_keeps_why_a_passage_is_linked(
        gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice", size=(1600, 1000))
    open_story(window, qtbot)
    ctl = window.features.get(AlignmentController)
    assert ctl.info.isHidden()
    ctl.action.trigger()
    qtbot.waitUntil(lambda: ctl.result is not None, timeout=120000)
    assert not ctl.info.isHidden() and ctl.info.parent() is window.comparison
    cols = window.comparison.columns
    reader = cols[0].reader
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.index.to_utf16(cols[0].article.text.index(FIRST_SENTENCE) + 20))
    qtbot.mouseClick(reader.viewport(), Qt.LeftButton, pos=reader.cursorRect(cursor).center())
    why = ctl.info.why.text()
    assert why.count("\n") >= 1 and cols[1].article.outlet in why and "score" in why, why
    if "+" in ctl.result["version"]:
        assert "similarity" in why
    window.statusBar().showMessage("something else")            # the strip stays
    assert ctl.info.why.text() == why
    ctl.action.trigger()                                         # off: the strip goes
    assert ctl.info.isHidden()


def test_gutter_geometry_matches_the_painted_lines_and_is_cached(
        gui_demo_path, gui_window_factory, qtbot):
    """The gutters place a passage by its first and last line only (desktop/reading/alignment_gutter.py):
    the same top and bottom as the line rectangles the overlays paint, looked up once per layout,
    and not at all for passages far outside the visible text."""
    from framelens.desktop.reading.alignment_gutter import PassageGeometry, passage_y
    from framelens.desktop.reading.highlight import line_rects

    window = gui_window_factory(gui_demo_path, coder="alice", size=(1600, 1000))
    open_story(window, qtbot)
    reader = window.comparison.columns[0].reader
    text = window.comparison.columns[0].article.text
    reader.setFixedHeight(120)                         # so that the end is screens away
    qtbot.waitUntil(lambda: reader.viewport().height() < 130)
    spans, pos = [], 0
    for piece in text.split(". "):
        spans.append((pos, pos + len(piece)))
        pos += len(piece) + 2
    spans = [(s, e) for s, e in spans if e > s]
    off = reader.verticalScrollBar().value()
    for s, e in spans:
        rects = line_rects(reader.document(), reader.index.to_utf16(s), reader.index.to_utf16(e))
        assert passage_y(reader, s, e) == (rects[0][0].top() - off, rects[-1][0].bottom() - off)

    geometry = PassageGeometry()
    view = geometry.view(reader)
    first = [view.y(s, e) for s, e in spans]
    looked_up = geometry.computed
    assert 0 < looked_up <= len(spans)
    again = geometry.view(reader)                      # the next repaint: from the cache
    assert [again.y(s, e) for s, e in spans] == first and geometry.computed == looked_up
    far_below = (len(text) - 1, len(text))
    height = reader.viewport().height()
    assert view.near_last < reader.index.to_utf16(far_below[0])
    assert again.y(*far_below) == (height + 4.0, height + 8.0)
    assert geometry.computed == looked_up
    reader.setFixedWidth(reader.width() - 120)         # reflowed text: a new cache
    qtbot.waitUntil(lambda: geometry.view(reader).y(*spans[0]) is not None)
    assert geometry.computed > looked_up
