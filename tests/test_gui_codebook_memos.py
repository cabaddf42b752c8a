"""The codebook's code counts and code memos, and the project memos dialog, through real widgets
on a real project file (issue 18)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from framelens import store
from framelens.desktop.panels.codebook_panel import ARTICLES, SEGMENTS
from framelens.desktop.shell.session import ALL

pytestmark = pytest.mark.gui

STORY_2017 = "Second Russia–Japan 2+2, Tokyo (resumed after the Crimea crisis)"
PHRASE = "missile defense systems in Asia"
SECURITY = "Security and defense"


def open_story(window, qtbot):
    story = store.get_story(window.session.project, STORY_2017)
    with qtbot.waitSignal(window.storyLoaded, timeout=10000):
        window.open_story(story.id)


def code_item(panel, name):
    return next(item for item in panel.items.values() if item.text(0) == name)


def shown(panel, name):
    item = code_item(panel, name)
    return item.text(SEGMENTS), item.text(ARTICLES)


def test_counts_follow_key_presses_views_and_undo(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    project = window.session.project
    panel = window.codebook
    panel.set_codebook("policy_frames")
    security = store.find_code(project, SECURITY, "policy_frames")
    bob = store.ensure_coder(project, "bob")             # (an action of alice's: made first)
    assert shown(panel, SECURITY) == ("0", "0")            # alice has coded nothing yet
    open_story(window, qtbot)
    column = window.comparison.columns[1]
    cursor = column.reader.document().find(PHRASE)
    column.reader.setTextCursor(cursor)
    column.reader.setFocus()
    item_before = code_item(panel, SECURITY)
    reads = panel.count_reads
    qtbot.keyClick(column.reader, "8")
    assert shown(panel, SECURITY) == ("1", "1")
    assert panel.count_reads == reads + 1
    assert code_item(panel, SECURITY) is item_before       # counts updated, tree not rebuilt

    # a second span in another article of the story: 2 segments in 2 articles
    other = window.comparison.columns[0].reader
    other.setTextCursor(other.document().find("Japan"))
    other.setFocus()
    qtbot.keyClick(other, "8")
    assert shown(panel, SECURITY) == ("2", "2")

    # another coder's segment: not counted for "Me", counted for "Me + bob" and "All coders"
    start = store.get_text(project, column.article_id).index(PHRASE)
    window.session.perform("bob codes", store.add_annotation, article_id=column.article_id,
                           start=start, end=start + len(PHRASE), code_id=security.id,
                           coder_id=bob.id)
    assert shown(panel, SECURITY) == ("2", "2")
    window.session.set_view(bob.id)
    assert shown(panel, SECURITY) == ("3", "2")
    window.session.set_view(ALL)
    assert shown(panel, SECURITY) == ("3", "2")
    window.session.set_view("me")
    assert shown(panel, SECURITY) == ("2", "2")

    # an action that touches no annotation does not read the counts again
    reads = panel.count_reads
    window.session.set_article_memo(column.article_id, "a note on the article")
    assert panel.count_reads == reads

    # undo takes the article memo back (counts untouched), then the last segment
    qtbot.keyClick(other, Qt.Key_Z, Qt.ControlModifier)
    assert panel.count_reads == reads and shown(panel, SECURITY) == ("2", "2")
    qtbot.keyClick(other, Qt.Key_Z, Qt.ControlModifier)
    assert shown(panel, SECURITY) == ("1", "1")

    # the adjudicated scope: nothing adjudicated yet, then one copy
    panel.scope.setCurrentIndex(panel.scope.findData("adjudicated"))
    assert shown(panel, SECURITY) == ("0", "0")
    ann = next(a for a in store.list_annotations(project, article_ids=[column.article_id])
               if a.code_id == security.id and a.coder == "alice")
    window.session.perform("Adjudicate", store.adjudicate_span, ann.id,
                           by_coder_id=window.session.coder.id)
    assert shown(panel, SECURITY) == ("1", "1")
    # back to the shown coders: "All coders" leaves the adjudicated copy out
    panel.scope.setCurrentIndex(panel.scope.findData("shown"))
    window.session.set_view(ALL)
    assert shown(panel, SECURITY) == ("2", "1")


def test_code_memo_typed_saved_undone(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    project = window.session.project
    panel = window.codebook
    panel.set_codebook("policy_frames")
    economic = store.find_code(project, "Economic", "policy_frames")
    panel.tree.setCurrentItem(code_item(panel, "Economic"))
    box = panel.memo
    assert box.code_id == economic.id and box.edit.isEnabled()
    assert box.caption.text() == "Memo on Economic"
    box.edit.setFocus()
    qtbot.keyClicks(box.edit, "Costs and prices only")
    assert store.code_memo(project, economic.id) == ""     # not saved while typing
    # leaving the box saves: selecting another code moves the focus to the tree
    panel.tree.setFocus()
    assert store.code_memo(project, economic.id) == "Costs and prices only"
    memo = store.list_memos(project, code_id=economic.id)[0]
    assert memo.coder == "alice"
    assert window.undo_act.text() == "&Undo Memo on Economic"
    assert code_item(panel, "Economic").toolTip(0).endswith("Memo: Costs and prices only</p>")
    assert box.caption.text().startswith("Memo on Economic — alice, ")

    # another code shows its own (empty) memo; coming back shows the saved one
    panel.tree.setCurrentItem(code_item(panel, "Political"))
    assert box.text() == "" and box.caption.text() == "Memo on Political"
    panel.tree.setCurrentItem(code_item(panel, "Economic"))
    assert box.text() == "Costs and prices only"

    # undo removes it, from the store and from the box
    window.undo_act.trigger()
    assert store.list_memos(project, code_id=economic.id) == []
    assert box.text() == ""
    window.redo_act.trigger()
    assert box.text() == "Costs and prices only"

    # emptying the box deletes the memo (one action); the context menu's Write memo focuses it
    panel.edit_memo(economic.id)
    assert box.edit.hasFocus() and box.code_id == economic.id
    box.edit.selectAll()
    qtbot.keyClick(box.edit, Qt.Key_Delete)
    panel.tree.setFocus()
    assert store.list_memos(project, code_id=economic.id) == []
    assert window.undo_act.text() == "&Undo Delete memo on Economic"


def _memos_dialog(window):
    from framelens.desktop.dialogs.memos_dialog import MemosDialog, install_memos

    act = next((a for a in window.actions() if a.text() == "Project &memos…"), None)
    if act is None:                       # not yet installed by the window itself
        act = install_memos(window)
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    assert act in tools.actions()
    act.trigger()
    dialog = window.features.get(MemosDialog)
    assert dialog.isVisible()
    return dialog


def test_project_memo_added_undone_and_kept_in_the_file(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    project = window.session.project
    dialog = _memos_dialog(window)
    assert dialog.list.topLevelItemCount() == 0 and dialog.count_label.text() == "0 memos"
    assert not dialog.save_button.isEnabled() and not dialog.delete_button.isEnabled()
    qtbot.mouseClick(dialog.new_button, Qt.LeftButton)
    qtbot.keyClicks(dialog.title, "Week 1")
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "Outlets disagree on who asked for the talks.")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    memos = store.list_memos(project, project_only=True)
    assert [(m.title, m.text, m.coder) for m in memos] == [
        ("Week 1", "Outlets disagree on who asked for the talks.", "alice")]
    assert dialog.list.topLevelItemCount() == 1
    item = dialog.list.topLevelItem(0)
    assert (item.text(0), item.text(2), item.text(5)) == (
        "Week 1", "alice", "Outlets disagree on who asked for the talks.")
    assert item.text(3) == memos[0].created_at[:16].replace("T", " ")
    assert window.undo_act.text() == "&Undo Project memo: Week 1"

    # undo removes it from the file and the list; redo brings it back
    window.undo_act.trigger()
    assert store.list_memos(project) == [] and dialog.list.topLevelItemCount() == 0
    assert dialog.memo_id is None and dialog.text.toPlainText() == ""
    window.redo_act.trigger()
    assert dialog.list.topLevelItemCount() == 1

    # edit the selected memo: one action; a code memo stays out of the project list
    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
    dialog.text.setPlainText("Outlets disagree on who asked for the talks; RU says JP.")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert store.list_memos(project)[0].text.endswith("RU says JP.")
    assert window.undo_act.text() == "&Undo Edit memo: Week 1"
    economic = store.find_code(project, "Economic", "policy_frames")
    window.session.perform("code memo", store.set_code_memo, economic.id, "Costs only",
                           coder_id=window.session.coder.id)
    assert dialog.list.topLevelItemCount() == 1
    dialog.scope.setCurrentIndex(dialog.scope.findData("all"))
    assert sorted(dialog.list.topLevelItem(i).text(1) for i in range(2)) == ["", "Economic"]

    # delete, undo the delete
    dialog.scope.setCurrentIndex(dialog.scope.findData("project"))
    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
    qtbot.mouseClick(dialog.delete_button, Qt.LeftButton)
    assert store.list_memos(project, project_only=True) == []
    assert dialog.list.topLevelItemCount() == 0
    dialog.list.setFocus()                     # the window's Ctrl+Z works inside the dialog
    qtbot.keyClick(dialog.list, Qt.Key_Z, Qt.ControlModifier)
    assert dialog.list.topLevelItemCount() == 1

    # the memo is in the file: a new window on the re-opened project lists it
    window.close()
    assert not dialog.isVisible()              # the dialog goes with its window
    window.runner.shutdown()
    project.close()
    again = gui_window_factory(gui_demo_path, coder="bob")
    dialog = _memos_dialog(again)
    item = dialog.list.topLevelItem(0)
    assert dialog.list.topLevelItemCount() == 1
    assert (item.text(0), item.text(2)) == ("Week 1", "alice")
    dialog.list.setCurrentItem(item)
    assert dialog.text.toPlainText() == "Outlets disagree on who asked for the talks; RU says JP."
    assert dialog.heading.text().startswith("Project memo — alice, ")


def test_empty_memo_is_refused_with_a_message(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    dialog = _memos_dialog(window)
    dialog.text.setPlainText("   ")
    assert not dialog.save_button.isEnabled()
    assert dialog.save() is None
    assert dialog.status.text() == "A memo needs some text."
    assert store.list_memos(window.session.project) == []


def test_counts_and_memos_follow_another_process(gui_demo_path, gui_window_factory, qtbot):
    """What the command line (another connection) writes reaches the codebook and the dialog
    through the window's change watcher, like the window's own actions."""
    from framelens.desktop.shell.external_changes import watch_external_changes

    window = gui_window_factory(gui_demo_path, coder="alice")
    watcher = watch_external_changes(window, interval_ms=60_000)
    panel = window.codebook
    panel.set_codebook("policy_frames")
    economic = store.find_code(window.session.project, "Economic", "policy_frames")
    panel.tree.setCurrentItem(code_item(panel, "Economic"))
    dialog = _memos_dialog(window)
    other = store.open_project(gui_demo_path)
    try:
        alice = store.find_coder(other, "alice")
        article = store.list_articles(other)[0]
        text = store.get_text(other, article.id)
        store.add_annotation(other, article_id=article.id, start=0, end=text.index(" "),
                             code_id=economic.id, coder_id=alice.id)
        store.set_code_memo(other, economic.id, "Written from the command line", coder_id=alice.id)
        store.add_memo(other, "A project memo from the command line", coder_id=alice.id)
    finally:
        other.close()
    watcher.check()
    assert shown(panel, "Economic") == ("1", "1")
    assert panel.memo.text() == "Written from the command line"
    assert [dialog.list.topLevelItem(i).text(5) for i in range(dialog.list.topLevelItemCount())] \
        == ["A project memo from the command line"]


def test_a_memo_being_written_is_saved_when_the_window_closes(gui_demo_path, gui_window_factory,
                                                              qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    dialog = _memos_dialog(window)
    qtbot.mouseClick(dialog.new_button, Qt.LeftButton)
    qtbot.keyClicks(dialog.text, "Unsaved thought")
    window.close()
    assert [(m.text, m.coder) for m in store.list_memos(window.session.project)] == [
        ("Unsaved thought", "alice")]
