"""Word-boundary snapping through real widgets (issue 18): a selection made with the mouse and
the keyboard is coded by a key press or a codebook click; Alt keeps the exact selection."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from framelens import store

pytestmark = pytest.mark.gui

STORY_2017 = "Second Russia–Japan 2+2, Tokyo (resumed after the Crimea crisis)"


def select_by_hand(qtbot, reader, start_cp: int, n_chars: int) -> None:
    """Click just inside the character at ``start_cp``, then Shift+Right ``n_chars`` times."""
    pos = reader.index.to_utf16(start_cp)
    reader.setTextCursor(QTextCursor(reader.document()))       # the click alone places it
    cursor = QTextCursor(reader.document())
    cursor.setPosition(pos)
    bar = reader.verticalScrollBar()
    bar.setValue(bar.value() + reader.cursorRect(cursor).top() - reader.viewport().height() // 3)
    rect = reader.cursorRect(cursor)
    point = QPoint(rect.left() + 1, rect.center().y())
    qtbot.mouseClick(reader.viewport(), Qt.LeftButton, pos=point)
    assert reader.textCursor().position() == pos
    for _ in range(n_chars):
        qtbot.keyClick(reader, Qt.Key_Right, Qt.ShiftModifier)
    assert reader.textCursor().hasSelection()


def quotes(project, article_id):
    return {a.code: a.quote for a in store.list_annotations(project, article_ids=[article_id])}


def test_key_press_snaps_to_words_and_alt_keeps_the_exact_selection(
        gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    project = window.session.project
    story = store.get_story(project, STORY_2017)
    with qtbot.waitSignal(window.storyLoaded, timeout=10000):
        window.open_story(story.id)
    column = window.comparison.columns[1]
    reader = column.reader
    text = reader.article.text
    at = text.index("Asia-Pacific region")

    # "Asia-Pacific r" selected by hand, key 8 (Security and defense): "Asia-Pacific region"
    select_by_hand(qtbot, reader, at, len("Asia-Pacific r"))
    assert text[slice(*reader.selection_cp())] == "Asia-Pacific r"
    qtbot.keyClick(reader, "8")
    assert quotes(project, column.article_id) == {"Security and defense": "Asia-Pacific region"}
    assert "whole words" in window.statusBar().currentMessage()

    # a selection starting inside a word, with Alt held on the key r (Political): exact
    select_by_hand(qtbot, reader, at + 2, len("ia-Pacific"))
    qtbot.keyClick(reader, "r", Qt.AltModifier)
    assert quotes(project, column.article_id)["Political"] == "ia-Pacific"

    # without a selection Alt+R is not claimed (nothing coded, the menus' mnemonics stay)
    reader.setTextCursor(QTextCursor(reader.document()))
    n = len(store.list_annotations(project, article_ids=[column.article_id]))
    qtbot.keyClick(reader, "r", Qt.AltModifier)
    assert len(store.list_annotations(project, article_ids=[column.article_id])) == n


def test_codebook_click_snaps_and_alt_click_is_exact(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    project = window.session.project
    story = store.get_story(project, STORY_2017)
    with qtbot.waitSignal(window.storyLoaded, timeout=10000):
        window.open_story(story.id)
    column = window.comparison.columns[1]
    reader = column.reader
    text = reader.article.text
    at = text.index("confidence-building measures")
    tree = window.codebook.tree

    def click_code(name: str, modifier=Qt.NoModifier) -> None:
        item = next(it for it in tree.findItems(name, Qt.MatchRecursive | Qt.MatchContains))
        tree.scrollToItem(item)
        rect = tree.visualItemRect(item)
        qtbot.mouseClick(tree.viewport(), Qt.LeftButton, modifier, rect.center())

    select_by_hand(qtbot, reader, at + 3, len("fidence-buil"))
    click_code("Security and defense")
    assert quotes(project, column.article_id) == {
        "Security and defense": "confidence-building"}

    select_by_hand(qtbot, reader, at + 3, len("fidence-buil"))
    click_code("Political", Qt.AltModifier)
    assert quotes(project, column.article_id)["Political"] == "fidence-buil"


def _project_with(tmp_path, text: str, language: str):
    from framelens.annotate.resources import asset_path

    path = tmp_path / f"{language}.framelens"
    project = store.create_project(path)
    store.load_codebook(project, json.loads(
        asset_path("codebooks", "policy_frames.json").read_text("utf-8")))
    article_id = store.add_article(project, text=text, title="Snap", outlet="Test",
                                   country="XX", language=language).article_id
    project.close()
    return path, article_id


def test_russian_words_snap_japanese_does_not_and_emoji_stay_whole(
        tmp_path, gui_window_factory, qtbot):
    text = ("Министр иностранных дел России Сергей Лавров встретился с главой МИД Японии.\n"
            "ロシアのラブロフ外相は東京で河野太郎外相と会談した。\n"
            "Reactions 👍🏽 and 𠮷野家 followed.\n")
    path, article_id = _project_with(tmp_path, text, "ru")
    window = gui_window_factory(path, coder="carol")
    reader = window.open_article(article_id).reader
    project = window.session.project

    at = text.index("иностранных")
    select_by_hand(qtbot, reader, at + 2, len("остранных дел Рос"))
    qtbot.keyClick(reader, "8")
    assert quotes(project, article_id) == {"Security and defense": "иностранных дел России"}

    at = text.index("ラブロフ外相")
    select_by_hand(qtbot, reader, at + 1, 4)                     # "ブロフ外": kept as it is
    qtbot.keyClick(reader, "r")
    assert quotes(project, article_id)["Political"] == "ブロフ外"

    # a selection ending between an emoji and its skin tone (set by a program: Qt's own
    # cursor never stops there) and one ending inside the surrogate pair of 𠮷
    thumb = text.index("👍")
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.index.to_utf16(text.index("Reactions")))
    cursor.setPosition(reader.index.to_utf16(thumb) + 2, QTextCursor.KeepAnchor)  # 👍 only
    reader.setTextCursor(cursor)
    qtbot.keyClick(reader, "1")
    anns = {a.code: a for a in store.list_annotations(project, article_ids=[article_id])}
    economic = next(a for code, a in anns.items() if code not in ("Security and defense", "Political"))
    assert economic.quote == "Reactions 👍🏽"

    kichi = reader.index.to_utf16(text.index("𠮷"))
    cursor = QTextCursor(reader.document())
    cursor.setPosition(kichi + 1)                                 # inside the pair
    cursor.setPosition(kichi + 3, QTextCursor.KeepAnchor)
    reader.setTextCursor(cursor)
    assert reader.selection_cp() == (text.index("𠮷"), text.index("𠮷") + 2)
