"""Issue 18, discoverable analysis, through the real window on a real project file: the
dashboard and the agreement view come to the front when asked (even tabbed behind another dock,
or closed), and they are found on the window's feature registry.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QTabBar

from framelens import store
from framelens.desktop.features.agreement_view import AgreementView
from framelens.desktop.features.dashboard import Dashboard

pytestmark = pytest.mark.gui


def tab_group_current(window, title: str) -> str | None:
    """The current tab's title in the window's dock tab bar that holds ``title``."""
    for bar in window.findChildren(QTabBar):
        titles = [bar.tabText(i) for i in range(bar.count())]
        if title in titles and bar.isVisible():
            return bar.tabText(bar.currentIndex())
    return None


def focus_inside(widget) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and (focused is widget or widget.isAncestorOf(focused))


def test_dashboard_comes_to_the_front_from_behind_a_tab_and_when_closed(
        gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice", size=(1600, 1000))
    board = window.features.get(Dashboard)
    entry = window.features.dock("dashboardDock")
    agreement = window.features.dock("agreementDock")
    assert entry.dock.isAncestorOf(board) and entry.action.text() == "Comparison &dashboard"
    assert entry.action.shortcut().toString() == "Ctrl+Shift+D"
    window.activateWindow()

    # open, then hidden behind the agreement tab (both tabbed with the annotations table)
    entry.action.trigger()
    qtbot.waitUntil(lambda: board.raw is not None, timeout=20000)
    agreement.action.trigger()
    qtbot.waitUntil(lambda: tab_group_current(window, "Agreement") == "Agreement")
    assert entry.dock.isVisible() and entry.dock.visibleRegion().isEmpty()   # open but hidden
    assert window.tabifiedDockWidgets(entry.dock)

    entry.action.trigger()                             # View → Comparison dashboard
    qtbot.waitUntil(lambda: tab_group_current(window, "Comparison dashboard")
                    == "Comparison dashboard")
    assert entry.dock.isVisible() and not entry.dock.visibleRegion().isEmpty()
    assert agreement.dock.visibleRegion().isEmpty()
    assert focus_inside(board)
    assert entry.dock.height() >= 420             # room to read a chart, not a 200 px strip
    assert board.minimumSizeHint().width() <= entry.dock.width()    # no sideways scrolling

    # pressed again it stays in front (a toggle would have closed it)
    entry.action.trigger()
    assert entry.dock.isVisible() and not entry.dock.visibleRegion().isEmpty()

    # closed, then asked for again
    entry.dock.close()
    qtbot.waitUntil(lambda: not entry.dock.isVisible())
    entry.action.trigger()
    qtbot.waitUntil(lambda: tab_group_current(window, "Comparison dashboard")
                    == "Comparison dashboard")
    assert entry.dock.isVisible() and not entry.dock.visibleRegion().isEmpty()
    assert focus_inside(board)

    # the agreement view in turn comes in front of the dashboard
    agreement.action.trigger()
    qtbot.waitUntil(lambda: tab_group_current(window, "Agreement") == "Agreement")
    assert entry.dock.visibleRegion().isEmpty()
    assert focus_inside(window.features.get(AgreementView))
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)


def test_features_are_registered_not_window_attributes(gui_demo_path, gui_window_factory):
    window = gui_window_factory(gui_demo_path, coder="alice")
    names = {e.name: e for e in window.features.docks()}
    assert {"dashboardDock", "agreementDock"} <= set(names)
    assert names["dashboardDock"].feature == "dashboard"
    assert names["agreementDock"].action.text() == "&Agreement and adjudication"
    assert isinstance(window.features.get(AgreementView), AgreementView)
    for attr in ("dashboard", "agreement_view", "agreement_act"):
        assert not hasattr(window, attr), attr


# -- every empty chart says what would fill it ----------------------------------------------------
SUGGEST = "run Suggestions → Suggest for story…"


def open_dashboard(window, qtbot) -> Dashboard:
    board = window.features.get(Dashboard)
    with qtbot.waitSignal(board.computed, timeout=20000):
        window.features.dock("dashboardDock").action.trigger()
    return board


def empty_texts(board: Dashboard) -> dict[str, str]:
    """Per tab, what its chart says it is missing ("" for a chart with data); checks the chart
    itself carries the same words (drawn and as its accessible description)."""
    out = {}
    for name, page in board.pages.items():
        chart = page.chart
        assert chart.accessibleDescription() == (page.empty_text or chart.note)
        assert (chart.empty_text if chart.is_empty() else "") == page.empty_text
        out[name] = page.empty_text
    return out


def code(project, coder: str, article_id: int, start: int, end: int, name: str,
         book: str = "policy_frames") -> None:
    cb = store.get_codebook(project, book)
    store.add_annotation(project, article_id=article_id, start=start, end=end,
                         coder_id=store.ensure_coder(project, coder).id,
                         code_id=store.find_code(project, name, cb.id).id)


def test_a_project_without_articles_says_to_import_some(tmp_path, gui_window_factory, qtbot):
    path = tmp_path / "empty.framelens"
    store.create_project(path).close()
    board = open_dashboard(gui_window_factory(path), qtbot)
    texts = empty_texts(board)
    assert set(texts.values()) == {"No articles yet: import some with File → Import articles…"}


def test_the_demo_before_coding_says_per_tab_what_would_fill_it(
        gui_demo_path, gui_window_factory, qtbot):
    board = open_dashboard(gui_window_factory(gui_demo_path), qtbot)
    assert empty_texts(board) == {
        "frame_prevalence": "Nothing coded with Policy Frames yet: select a passage in an "
                            "article and press a frame's key in the Codebook panel.",
        "primary_frames": "Nothing coded with Policy Frames yet: give an article its primary "
                          "frame in the Article panel, or select a passage in an article and "
                          "press a frame's key in the Codebook panel.",
        "frame_scores": "No frame scores yet: answer the yes/no questions of Generic News "
                        "Frames (Semetko & Valkenburg) for an article in the Article panel.",
        "contested_names": f"No contested names yet: {SUGGEST}, or code names with the "
                           "Viewpoint codebook.",
        "voices": f"No voices yet: {SUGGEST}, or code quotations with the Voices codebook.",
        "actors": f"No actors yet: {SUGGEST}, or code people and organisations with the "
                  "Actors codebook.",
    }
    page = board.pages["voices"]
    board.tabs.setCurrentWidget(page)
    assert page.chart.isVisible() and not page.chart.grab().isNull()     # drawn without data
    assert board.tabs.tabToolTip(board.tabs.indexOf(page)).startswith("Whose words")


def test_an_empty_story_and_another_coders_work_are_told_apart(
        gui_demo_path, gui_window_factory, qtbot):
    project = store.open_project(gui_demo_path)
    empty_story = store.create_story(project, "Nothing here yet")
    jt = next(a for a in store.list_articles(project) if a.outlet == "The Japan Times")
    code(project, "alice", jt.id, 0, 40, "Security and defense")
    store.ensure_coder(project, "bob")
    project.close()
    window = gui_window_factory(gui_demo_path, coder="alice")
    board = open_dashboard(window, qtbot)

    texts = empty_texts(board)               # all coders: one outlet has frames, none compared
    assert texts["frame_prevalence"] == "" and texts["primary_frames"] == ""
    note = board.pages["frame_prevalence"].chart.note
    assert note == ("Only The Japan Times has any yet: code or suggest in the other outlets' "
                    "articles to compare.")

    board.coders.setCurrentIndex(board.coders.findText("bob"))          # bob coded nothing
    board.render()
    texts = empty_texts(board)
    assert texts["frame_prevalence"] == (
        "bob has not coded with Policy Frames in this scope yet: choose All coders (pooled) in "
        "Coders above, or switch to bob (Coder → Switch coder…) and code here.")
    assert texts["voices"].startswith("No voices yet")                  # nobody has voices

    with qtbot.waitSignal(board.computed, timeout=20000):
        board.set_scope(empty_story)
    assert set(empty_texts(board).values()) == {
        "The story “Nothing here yet” has no articles: add articles to it in the Corpus panel, "
        "or choose Whole project in Scope above."}


def test_one_outlet_without_the_semetko_valkenburg_codebook(tmp_path, gui_window_factory, qtbot):
    import json

    from framelens.annotate.resources import asset_path

    path = tmp_path / "one-outlet.framelens"
    project = store.create_project(path)
    store.load_codebook(project, json.loads(
        asset_path("codebooks", "policy_frames.json").read_text("utf-8")))
    text = "The ministers met in Tokyo on Monday to discuss security and trade."
    aid = store.add_article(project, text=text, title="Ministers meet", outlet="Kyodo",
                            country="JP").article_id
    code(project, "alice", aid, 0, 28, "Political")
    project.close()
    board = open_dashboard(gui_window_factory(path), qtbot)
    texts = empty_texts(board)
    assert texts["frame_scores"] == (
        "Needs the Generic News Frames codebook (Semetko & Valkenburg), which this project does "
        "not have: add it to the project, then answer its yes/no questions for each article in "
        "the Article panel.")
    assert texts["frame_prevalence"] == ""
    assert board.pages["frame_prevalence"].chart.note == (
        "Only Kyodo here: comparing needs articles from at least two outlets "
        "(File → Import articles…).")
    board.unit.setCurrentIndex(board.unit.findData("country"))
    board.render()
    assert board.pages["frame_prevalence"].chart.note.startswith(
        "Only JP here: comparing needs articles from at least two countries")


# -- agreement: needs a second coder ------------------------------------------------------------------
def test_agreement_says_it_needs_a_second_coder(gui_demo_path, gui_window_factory, qtbot):
    project = store.open_project(gui_demo_path)
    first = store.list_articles(project)[0].id
    project.close()
    window = gui_window_factory(gui_demo_path, coder="alice")
    view = window.features.get(AgreementView)
    with qtbot.waitSignal(view.disagreementsLoaded, timeout=30000):
        window.features.dock("agreementDock").action.trigger()
    assert view.notice.isVisible()
    assert view.notice.text().startswith("Nothing coded in this project yet. Agreement compares")

    p = window.session.project
    code(p, "alice", first, 0, 30, "Economic")
    with qtbot.waitSignal(view.disagreementsLoaded, timeout=30000):
        view.refresh()
    qtbot.waitUntil(lambda: not view._in_flight)
    assert view.notice.text() == (
        "Needs a second coder: only alice has coded in this project. Agreement compares two or "
        "more coders on the same articles: switch coder (Coder → Switch coder…) and code the "
        "same articles, or bring in another coder's copy (File → Merge a coder's project…).")

    code(p, "bob", first, 10, 30, "Economic")
    with qtbot.waitSignal(view.disagreementsLoaded, timeout=30000):
        view.refresh()
    qtbot.waitUntil(lambda: not view._in_flight)
    assert view.notice.isHidden() and view.notice.text() == ""
    assert view.items                                      # bob's shorter span disagrees


# -- no source paths or internal keys anywhere in the window ------------------------------------------
def shown_strings(window) -> list[tuple[str, str]]:
    """(where, text) for every string the window can show people: window and dock titles,
    labels, buttons, group boxes, placeholders, combo box items, tabs, item views' headers and
    cells (display and tooltip), tooltips, status tips, What's This, accessible descriptions,
    menus and actions, and the status bar — on every widget, shown or not yet shown."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import (
        QAbstractButton, QAbstractItemView, QComboBox, QDockWidget, QGroupBox, QLabel,
        QLineEdit, QMenu, QWidget,
    )
    from PySide6.QtCore import Qt

    out: list[tuple[str, str]] = []

    def add(where: str, text) -> None:
        if text:
            out.append((where, str(text)))

    for w in [window, *window.findChildren(QWidget)]:
        name = f"{type(w).__name__} {w.objectName()}"
        for kind, text in (("tooltip", w.toolTip()), ("status tip", w.statusTip()),
                           ("what's this", w.whatsThis()),
                           ("description", w.accessibleDescription())):
            add(f"{name} {kind}", text)
        if w is window or isinstance(w, QDockWidget):
            add(f"{name} title", w.windowTitle())
        if isinstance(w, (QLabel, QAbstractButton)):
            add(f"{name} text", w.text())
        if isinstance(w, QGroupBox):
            add(f"{name} title", w.title())
        if isinstance(w, QMenu):
            add(f"{name} menu", w.title())
        if isinstance(w, QLineEdit):
            add(f"{name} placeholder", w.placeholderText())
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                add(f"{name} item", w.itemText(i))
                add(f"{name} item tip", w.itemData(i, Qt.ToolTipRole))
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                add(f"{name} tab", w.tabText(i))
                add(f"{name} tab tip", w.tabToolTip(i))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            try:
                ncol = m.columnCount()
            except TypeError:                 # list models hide the argument-less overload
                ncol = 1
            for c in range(ncol):
                for role in (Qt.DisplayRole, Qt.ToolTipRole):
                    add(f"{name} header", m.headerData(c, Qt.Horizontal, role))
            for r in range(min(m.rowCount(), 300)):
                for c in range(ncol):
                    index = m.index(r, c)
                    for role in (Qt.DisplayRole, Qt.ToolTipRole):
                        add(f"{name} cell", m.data(index, role))
                    for rr in range(min(m.rowCount(index), 50)):
                        for role in (Qt.DisplayRole, Qt.ToolTipRole):
                            add(f"{name} child", m.data(m.index(rr, 0, index), role))
    for act in window.findChildren(QAction):
        for kind, text in (("text", act.text()), ("tooltip", act.toolTip()),
                           ("status tip", act.statusTip()), ("what's this", act.whatsThis())):
            add(f"action {act.text()!r} {kind}", text)
    add("status bar", window.statusBar().currentMessage())
    return out


def internal_keys(project) -> set[str]:
    """Keys that are the program's, not the user's: codebook and question keys, code keys
    ("codebook/name"), agreement measure keys, the dashboard's table and column keys."""
    from framelens.annotate.analysis.agreement import MEASURE_LABELS
    from framelens.annotate.ops import compare

    books = store.list_codebooks(project)
    keys = {b.key for b in books} | {q.key for q in store.list_questions(project)}
    keys |= {f"{b.key}/{c.name}" for b in books for c in store.list_codes(project, b.id)}
    keys |= set(MEASURE_LABELS) | set(compare.TABLES)
    raw = compare.collect(project)
    for unit in ("outlet", "country"):
        for table in compare.build_tables(raw, "all", unit).values():
            keys |= set(table.columns)
    return {k for k in keys if "_" in k or "/" in k}      # a plain word ("frame") is a word


def test_no_source_paths_or_internal_keys_in_the_window(gui_demo_path, gui_window_factory, qtbot):
    import re

    from test_compare import STORY_2017, demo_codings

    project = store.open_project(gui_demo_path)
    demo_codings(project)               # two coders, answers, stored suggestions: no NLP pass
    keys = internal_keys(project)
    project.close()
    assert {"policy_frames", "primary_frame", "alpha_u", "share_chars",
            "policy_frames/Economic"} <= keys
    window = gui_window_factory(gui_demo_path, coder="alice", size=(1600, 1000))
    story = store.get_story(window.session.project, STORY_2017)
    with qtbot.waitSignal(window.storyLoaded, timeout=10000):
        window.open_story(story.id)
    view = window.features.get(AgreementView)
    with qtbot.waitSignal(view.disagreementsLoaded, timeout=30000):
        window.features.dock("agreementDock").action.trigger()
    qtbot.waitUntil(lambda: bool(view.rows) and not view._in_flight, timeout=30000)
    item = view.select_item(0)
    assert item is not None and not item.title            # the demo's articles have no title
    words = " ".join(store.get_text(window.session.project, item.article_id).split()[:4])
    assert view.item_table.item(0, 0).text().startswith(f"{item.outlet} · {item.country} · {words}")
    assert words in view.panel.title.text()
    board = open_dashboard(window, qtbot)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    for name in ("frame_scores", "primary_frames"):     # evidence read by question key
        page = board.pages[name]
        board.tabs.setCurrentWidget(page)
        units, cats, values = page.table.matrix()
        unit, cat = next((u, c) for i, u in enumerate(units) for j, c in enumerate(cats)
                         if values[i][j])
        assert board.show_evidence(page, unit, cat)
    scores = board.pages["frame_scores"].evidence.topLevelItem(0)
    assert re.fullmatch(r"\d+ yes, \d+ no", scores.text(2)), scores.text(2)
    assert "Does the article" in scores.toolTip(2)
    primary = board.pages["primary_frames"].evidence.topLevelItem(0)
    assert "Which frame dominates the article? — " in primary.toolTip(2)

    strings = shown_strings(window)
    assert len(strings) > 1000          # the walk reaches the tables' cells
    shown = "\n".join(t for _w, t in strings)
    assert "Economic" in shown and "Which frame dominates the article?" in shown
    assert "Share of characters" in shown and "α_u, coded spans" in shown
    token = re.compile(r"[\w/]+")
    found = [(where, text) for where, text in strings
             if ".py" in text or "annotate/" in text or "store/" in text
             or keys & set(token.findall(text))]
    assert found == []
    assert board.status.text().endswith("hover a tab to see how its figures are counted")
