"""The coding workflow through real widgets and real key presses, against a real project file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from framelens import store
from framelens.desktop.shell.session import ALL

pytestmark = pytest.mark.gui

STORY_2017 = "Second Russia–Japan 2+2, Tokyo (resumed after the Crimea crisis)"
PHRASE = "missile defense systems in Asia"
OVERLAP = "opposition to US missile defense"


def select_phrase(reader, phrase: str) -> None:
    cursor = reader.document().find(phrase)
    assert not cursor.isNull(), f"{phrase!r} not in the column"
    reader.setTextCursor(cursor)
    reader.setFocus()


def open_story(window, qtbot, name: str = STORY_2017):
    story = store.get_story(window.session.project, name)
    with qtbot.waitSignal(window.storyLoaded, timeout=10000):
        window.open_story(story.id)
    return story


def test_code_span_undo_redo_overlap_and_coders(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    project = window.session.project
    open_story(window, qtbot)
    columns = window.comparison.columns
    assert [c.article.outlet for c in columns] == ["The Japan Times", "PenzaNews", "Russia Beyond"]
    column = columns[1]
    reader = column.reader
    article_id = column.article_id
    text = store.get_text(project, article_id)

    # code a phrase with key 8 (Security and defense in Policy Frames)
    select_phrase(reader, PHRASE)
    qtbot.keyClick(reader, "8")
    anns = store.list_annotations(project, article_ids=[article_id])
    assert len(anns) == 1
    ann = anns[0]
    assert text[ann.start:ann.end] == PHRASE == ann.quote
    assert ann.start == text.index(PHRASE)
    assert (ann.code, ann.coder) == ("Security and defense", "alice")
    assert [s.ann_id for s in reader.visible_spans()] == [ann.id]
    assert window.undo_act.text().startswith("&Undo Security and defense: missile defense")
    assert window.table.model.rowCount() == 1

    # Ctrl+Z removes it, Ctrl+Shift+Z restores it
    qtbot.keyClick(reader, Qt.Key_Z, Qt.ControlModifier)
    assert store.list_annotations(project, article_ids=[article_id]) == []
    assert reader.visible_spans() == []
    assert window.table.model.rowCount() == 0
    qtbot.keyClick(reader, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    restored = store.list_annotations(project, article_ids=[article_id])
    assert [(a.start, a.end, a.code, a.coder) for a in restored] == [
        (ann.start, ann.end, "Security and defense", "alice")]
    assert len(reader.visible_spans()) == 1

    # an overlapping span with another code (r = Political): both saved, both drawn
    select_phrase(reader, OVERLAP)
    qtbot.keyClick(reader, "r")
    anns = store.list_annotations(project, article_ids=[article_id])
    assert sorted(a.code for a in anns) == ["Political", "Security and defense"]
    political = next(a for a in anns if a.code == "Political")
    assert political.quote == OVERLAP
    security = next(a for a in anns if a.code == "Security and defense")
    overlap = (text.index(PHRASE), text.index(OVERLAP) + len(OVERLAP))
    assert text[overlap[0]:overlap[1]] == "missile defense"
    segments = reader.layer.segments()
    both = [seg for seg in segments if set(seg[2]) == {political.id, security.id}]
    assert both and both[0][:2] == overlap          # no astral chars: UTF-16 == code points
    lanes = {s.ann_id: s.lane for s in reader.visible_spans()}
    assert lanes[political.id] != lanes[security.id]  # stacked underline bars
    reader.select_cp(*overlap)
    reader.viewport().repaint()
    covered: dict[int, set[int]] = {}
    for rec in reader.last_paint:           # one record per span per line
        covered.setdefault(rec.ann_id, set()).update(range(rec.start, rec.end))
    assert set(range(*overlap)) <= covered[political.id]
    assert set(range(*overlap)) <= covered[security.id]

    # switching coder hides alice's spans; "all coders" shows them as another coder's
    window.set_coder("bob")
    assert window.session.coder.name == "bob"
    assert reader.visible_spans() == []
    window.session.set_view(ALL)
    visible = reader.visible_spans()
    assert {s.ann_id for s in visible} == {political.id, security.id}
    assert not any(s.mine for s in visible)
    window.session.set_view("me")
    window.set_coder("alice")
    assert {s.ann_id for s in reader.visible_spans()} == {political.id, security.id}


def test_astral_rtl_cjk_offsets_and_literal_markup(tmp_path, gui_window_factory, qtbot):
    from framelens.annotate.resources import asset_path
    import json

    text = ("Thumbs 👍🏽 and 𠮷野家 came before the missile defense clause.\n"
            "שלום עולם, זו פסקה בעברית.\n"
            "مرحبا بالعالم، هذه فقرة عربية.\n"
            "日本語の段落です。ミサイル防衛について。\n"
            "Markup stays literal: <b>bold</b> and <img src=http://x> here.\n")
    path = tmp_path / "astral.framelens"
    project = store.create_project(path)
    store.load_codebook(project, json.loads(asset_path("codebooks", "policy_frames.json").read_text("utf-8")))
    article_id = store.add_article(project, text=text, title="Astral", outlet="Test", country="JP").article_id
    project.close()

    window = gui_window_factory(path, coder="carol")
    column = window.open_article(article_id)
    reader = column.reader
    assert "<b>bold</b>" in reader.toPlainText()
    assert "<img src=http://x>" in reader.toPlainText()
    assert reader.document().characterCount() - 1 == len(text) + 3   # three astral characters

    select_phrase(reader, "missile defense")
    qtbot.keyClick(reader, "8")
    ann = store.list_annotations(window.session.project, article_ids=[article_id])[0]
    assert (ann.start, ann.end) == (text.index("missile defense"), text.index("missile defense") + 15)
    assert ann.quote == "missile defense"

    # right-to-left and Japanese paragraphs lay out and map offsets both ways
    doc = reader.document()
    for phrase, direction in (("שלום עולם", Qt.RightToLeft), ("مرحبا بالعالم", Qt.RightToLeft),
                              ("ミサイル防衛", Qt.LeftToRight)):
        select_phrase(reader, phrase)
        assert reader.selection_cp() == (text.index(phrase), text.index(phrase) + len(phrase))
        block = doc.findBlock(reader.textCursor().selectionStart())
        assert block.textDirection() == direction
        assert block.layout().lineCount() >= 1
    reader.select_cp(text.index("野家"), text.index("野家") + 2)
    assert reader.textCursor().selectedText() == "野家"

    # a Japanese word inside a sentence is found from the search box and opens selected,
    # after an astral character (offsets in code points, the reader in UTF-16 units)
    panel = window.corpus
    for word in ("防衛", "ミサイル防衛"):
        panel.search_box.clear()
        panel.search_box.insert(word)   # as an input method commits it (QTest types only ASCII)
        with qtbot.waitSignal(panel.searchFinished, timeout=5000):
            qtbot.keyClick(panel.search_box, Qt.Key_Return)
        assert panel.hits.count() == 1, word
        item = panel.hits.item(0)
        assert tuple(item.data(Qt.UserRole + 10)) == (article_id, text.index(word), len(word))
        panel.hits.itemActivated.emit(item)
        assert reader.textCursor().selectedText() == word


def test_malformed_search_shows_message_and_hits_open_articles(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path)
    panel = window.corpus
    qtbot.keyClicks(panel.search_box, '"missile defense')
    qtbot.keyClick(panel.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: panel.search_message.isVisible() and "quote" in panel.search_message.text(),
                    timeout=5000)
    assert not panel.hits.isVisible()

    panel.search_box.clear()
    qtbot.keyClicks(panel.search_box, "Shoigu")
    with qtbot.waitSignal(panel.searchFinished, timeout=5000):
        qtbot.keyClick(panel.search_box, Qt.Key_Return)
    assert panel.hits.count() >= 1
    item = panel.hits.item(0)
    aid, offset, length = item.data(Qt.UserRole + 10)
    panel.hits.itemActivated.emit(item)
    column = window.comparison.column_for(aid)
    assert column is not None
    assert column.reader.selection_cp() == (offset, offset + length)
    assert column.reader.textCursor().selectedText().lower() == "shoigu"

    # typing a code key in the search box types, it does not code anything
    panel.search_box.clear()
    qtbot.keyClicks(panel.search_box, "8")
    assert panel.search_box.text() == "8"
    assert store.list_annotations(window.session.project) == []


def test_a_script_without_an_installed_font_is_reported_once(tmp_path, gui_window_factory, monkeypatch):
    from PySide6.QtGui import QFontDatabase

    from framelens.desktop.widgets import theme

    path = tmp_path / "fonts.framelens"
    project = store.create_project(path)
    ja = store.add_article(project, text="日本政府は北方領土問題について協議した。", outlet="NHK",
                           country="JP").article_id
    ja2 = store.add_article(project, text="防衛相はミサイル防衛について説明した。", outlet="NHK",
                            country="JP").article_id
    en = store.add_article(project, text="Plain English only.", outlet="Kyodo", country="JP").article_id
    project.close()
    window = gui_window_factory(path, coder="carol")
    real = QFontDatabase.families
    # as on a machine without CJK fonts: no family for those writing systems
    cjk = {QFontDatabase.WritingSystem.SimplifiedChinese, QFontDatabase.WritingSystem.TraditionalChinese,
           QFontDatabase.WritingSystem.Japanese}
    monkeypatch.setattr(QFontDatabase, "families",
                        staticmethod(lambda ws=QFontDatabase.WritingSystem.Any: [] if ws in cjk else real(ws)))
    assert theme.scripts_without_font("北方領土とロシア") == ["Chinese", "Japanese"]
    assert theme.scripts_without_font("Latin and Кириллица") == []

    window.open_article(en)
    assert "font" not in window.statusBar().currentMessage()
    window.open_article(ja)
    message = window.statusBar().currentMessage()
    assert "Chinese or Japanese characters" in message and "fonts-noto-cjk" in message
    window.statusBar().clearMessage()
    window.open_article(ja2)                         # said once per script, not per article
    assert window.statusBar().currentMessage() == ""
