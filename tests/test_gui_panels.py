"""Panels around the reader: article-level coding, codebook editing, columns, table, coders."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu

from framelens import store
from framelens.desktop.widgets import theme
from framelens.desktop.reading.comparison import article_ids_from_mime
from framelens.desktop.panels.corpus_model import BATCH, CorpusData, CorpusModel
from framelens.desktop.shell.help_overlay import HelpOverlay

pytestmark = pytest.mark.gui

STORY_2017 = "Second Russia–Japan 2+2, Tokyo (resumed after the Crimea crisis)"


def open_story(window, qtbot, name: str = STORY_2017):
    story = store.get_story(window.session.project, name)
    with qtbot.waitSignal(window.storyLoaded, timeout=10000):
        window.open_story(story.id)
    return story


def code_phrase(qtbot, reader, phrase: str, key: str):
    cursor = reader.document().find(phrase)
    assert not cursor.isNull()
    reader.setTextCursor(cursor)
    reader.setFocus()
    qtbot.keyClick(reader, key)


def test_article_panel_saves_labels_and_memo_with_undo(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    open_story(window, qtbot)
    col = window.comparison.columns[0]
    window.comparison.set_current(col)
    panel = window.article_panel
    project = window.session.project
    assert panel.article.id == col.article_id
    assert "Japanese" in panel.viewpoint_hint.text()          # The Japan Times is JP

    q_first = store.get_question(project, "conflict_1", "semetko_valkenburg")
    qtbot.mouseClick(panel.questions[q_first.id].yes, Qt.LeftButton)
    primary = store.get_question(project, "primary_frame", "policy_frames")
    combo = panel.questions[primary.id]
    combo.setCurrentIndex(combo.findData("Security and defense"))
    security = store.find_code(project, "Security_and_defense", "semeval2023_frames")
    panel.code_boxes[security.id].setChecked(True)

    labels = {(l.question_id, l.code_id): l.value for l in store.list_article_labels(
        project, article_ids=[col.article_id], coder_ids=[window.session.coder.id])}
    assert labels == {(q_first.id, None): "1", (primary.id, None): "Security and defense",
                      (None, security.id): "1"}

    # typing in the memo types (no coding), and the memo is saved on focus-out
    panel.memo.setFocus()
    qtbot.keyClicks(panel.memo, "8 frames mostly security")
    panel.memo.clearFocus()
    panel.save_memo()
    assert store.get_article_memo(project, col.article_id, window.session.coder.id) == "8 frames mostly security"
    assert store.list_annotations(project) == []

    # "No" after "Yes" answers no; undo twice goes back to yes, then to unanswered
    qtbot.mouseClick(panel.questions[q_first.id].no, Qt.LeftButton)
    window.session.undo()       # memo
    window.session.undo()       # conflict_1 = no
    assert panel.questions[q_first.id].value() == "1"
    window.session.undo()       # semeval label
    window.session.undo()       # primary frame
    window.session.undo()       # conflict_1 = yes
    assert panel.questions[q_first.id].value() is None
    assert store.list_article_labels(project, article_ids=[col.article_id]) == []


def test_codebook_click_rename_recolour_merge_and_undo(gui_demo_path, gui_window_factory, qtbot, monkeypatch):
    window = gui_window_factory(gui_demo_path)
    open_story(window, qtbot)
    col = window.comparison.columns[1]
    window.comparison.set_current(col)
    reader = col.reader
    project = window.session.project
    cursor = reader.document().find("combating terrorism")
    reader.setTextCursor(cursor)
    crime = store.find_code(project, "Crime and punishment", "policy_frames")
    item = next(window.codebook.tree.topLevelItem(i) for i in range(window.codebook.tree.topLevelItemCount())
                if window.codebook.tree.topLevelItem(i).text(0) == crime.name)
    window.codebook.tree.itemClicked.emit(item, 0)
    (ann,) = store.list_annotations(project, article_ids=[col.article_id])
    assert ann.code_id == crime.id and ann.quote == "combating terrorism"

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Crime", True))
    window.codebook.rename(crime.id)
    assert any(window.codebook.tree.topLevelItem(i).text(0) == "Crime"
               for i in range(window.codebook.tree.topLevelItemCount()))
    window.session.update_code(crime.id, color="#112233")
    assert reader.layer.get(ann.id).color == "#112233"

    political = store.find_code(project, "Political", "policy_frames")
    window.session.merge_codes(crime.id, political.id)
    assert store.get_annotation(project, ann.id).code_id == political.id
    assert reader.layer.get(ann.id).code_id == political.id
    assert window.undo_act.text().startswith("&Undo Merge Crime into Political")
    window.session.undo()
    assert store.get_annotation(project, ann.id).code_id == crime.id
    assert reader.layer.get(ann.id).code_id == crime.id


def test_columns_reorder_close_drop_and_scroll_in_step(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path)
    open_story(window, qtbot)
    comp = window.comparison
    outlets = lambda: [c.article.outlet for c in comp.columns]  # noqa: E731
    comp.move_column(comp.columns[2], -1)
    assert outlets() == ["The Japan Times", "Russia Beyond", "PenzaNews"]
    comp.close_column(comp.columns[0])
    assert outlets() == ["Russia Beyond", "PenzaNews"]

    # double-click an article in the corpus tree adds a column
    model = window.corpus.model
    story_row = model.story_index(store.get_story(window.session.project, "Third Russia–Japan 2+2, Moscow").id)
    index = model.index(0, 0, story_row)
    window.corpus.tree.scrollTo(index)
    rect = window.corpus.tree.visualRect(index)
    qtbot.mouseClick(window.corpus.tree.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.corpus.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert outlets() == ["Russia Beyond", "PenzaNews", "Valdai Discussion Club"]

    # a drag from the corpus carries article ids; dropping inserts at the drop position
    mime = model.mimeData([model.index(0, 0, model.story_index(
        store.get_story(window.session.project, "First Russia–Japan 2+2, Tokyo").id))])
    ids = article_ids_from_mime(mime)
    comp.dropRequested.emit(ids, 0)
    assert outlets()[0] == "Global Times" and len(comp.columns) == 4
    # a fifth article replaces the focused column instead of adding one
    comp.set_current(comp.columns[1])
    window.open_article(store.list_articles(window.session.project, outlet="The Japan Times")[0].id)
    assert len(comp.columns) == 4 and outlets()[1] == "The Japan Times"

    window.step_act.setChecked(True)
    QApplication.processEvents()
    first, second = comp.columns[1].reader.verticalScrollBar(), comp.columns[2].reader.verticalScrollBar()
    assert first.maximum() > 0 and second.maximum() > 0
    first.setValue(first.maximum())
    assert second.value() == second.maximum()
    first.setValue(first.maximum() // 2)
    assert abs(second.value() - second.maximum() // 2) <= 2
    window.step_act.setChecked(False)
    first.setValue(0)
    assert second.value() != 0


def test_table_jump_filter_span_menu_and_tooltip(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="Maria Petrova")
    open_story(window, qtbot)
    reader = window.comparison.columns[2].reader
    code_phrase(qtbot, reader, "joint economic activity", "1")
    code_phrase(qtbot, reader, "Southern Kuril Islands", "r")
    table = window.table
    assert table.model.rowCount() == 2
    table.filter.setText("kuril")
    assert table.proxy.rowCount() == 1
    reader.setTextCursor(reader.document().find("Tokyo"))
    table.view.doubleClicked.emit(table.proxy.index(0, 0))
    assert reader.textCursor().selectedText() == "Southern Kuril Islands"
    table.filter.clear()

    ann = next(a for a in reader.annotations.values() if a.code == "Economic")
    assert "Economic" in reader._tooltip([ann]) and "(MP)" in reader._tooltip([ann])

    menu = QMenu()
    window.coding.span_menu(menu, [ann])
    span_menu = menu.actions()[-1].menu()
    recode = next(a for a in span_menu.actions() if a.text() == "Re-code as").menu()
    next(a for a in recode.actions() if a.text() == "Political").trigger()
    assert store.get_annotation(window.session.project, ann.id).code == "Political"
    next(a for a in span_menu.actions() if a.text() == "Delete").trigger()
    assert ann.id not in reader.annotations
    assert table.model.rowCount() == 1
    window.session.undo()
    assert ann.id in reader.annotations


def test_first_start_asks_for_the_coder(gui_demo_path, gui_settings, monkeypatch):
    from framelens.desktop.shell import app as desktop_app

    asked = []
    monkeypatch.setattr(desktop_app, "ask_coder", lambda coders, current, parent=None: asked.append(
        [c.name for c in coders]) or "Dana")
    project = store.open_project(gui_demo_path)
    try:
        coder = desktop_app.resolve_coder(project, None, gui_settings)
        assert coder.name == "Dana" and asked
        assert gui_settings.value("coder/name") == "Dana"
        again = desktop_app.resolve_coder(project, None, gui_settings)   # remembered: no dialog
        assert again.id == coder.id and len(asked) == 1
        assert desktop_app.resolve_coder(project, "Eve", gui_settings).name == "Eve"
    finally:
        project.close()


def test_corpus_model_is_lazy_and_filters(gui_demo_path, gui_window_factory, qtbot):
    n = 5000
    summaries = {i: store.ArticleSummary(i, f"Title {i}", "Outlet", "RU" if i % 2 else "JP",
                                         "2017-03-20", "en", None, None, 100) for i in range(1, n + 1)}
    model = CorpusModel()
    model.set_data(CorpusData([], {}, summaries, list(summaries), {}))
    all_index = model.index(0, 0)
    assert model.rowCount(all_index) == 0 and model.canFetchMore(all_index)
    model.fetchMore(all_index)
    assert model.rowCount(all_index) == BATCH
    model.set_filter(lambda s: s.country == "JP")
    assert model.canFetchMore(model.index(0, 0))
    assert len(model.story_ids(-1)) == n // 2

    window = gui_window_factory(gui_demo_path)
    panel = window.corpus
    panel.country_box.setCurrentIndex(panel.country_box.findData("CN"))
    assert [panel.model.title_of(i) for i in panel.model.story_ids(-1)] and len(panel.model.story_ids(-1)) == 1
    assert "1 match" in panel.status.text()
    panel.country_box.setCurrentIndex(0)
    assert len(panel.model.story_ids(-1)) == 5
    assert panel.model.parent(QModelIndex()) == QModelIndex()


def test_theme_help_overlay_and_status(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path)
    app = QApplication.instance()
    window.set_theme(theme.DARK)
    assert app.palette().color(QPalette.Base).lightness() < 128
    window.set_theme(theme.LIGHT)
    assert app.palette().color(QPalette.Base).lightness() > 128
    window.help_act.trigger()
    sheet = window.features.get(HelpOverlay)
    assert sheet.isVisible() and any("Ctrl+Z" in k for k, _ in sheet.rows)
    qtbot.keyClick(sheet, Qt.Key_Escape)
    assert not sheet.isVisible()
    window.set_nlp_status("spaCy: en_core_web_sm 3.8")
    assert window.nlp_label.text() == "spaCy: en_core_web_sm 3.8"
