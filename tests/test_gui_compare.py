"""The comparison views through the real window: the dashboard (its CSV numbers against counts
made directly in SQL), alignment in the reading view, and the diff of shared copy.

With ``FRAMELENS_SCREENSHOTS=1`` the alignment and dashboard tests also save
``docs/screenshots/alignment.png`` and ``docs/screenshots/dashboard.png``.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from framelens import store
from framelens.desktop.features.alignment_view import passage_y
from framelens.desktop.features.dashboard import Dashboard
from test_compare import JT, PN, RB, STORY_2017, demo_codings, sql_prevalence
from framelens.desktop.reading.diff_view import DiffController
from framelens.desktop.features.alignment_view import AlignmentController

pytestmark = pytest.mark.gui

SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
FIRST_SENTENCE = "Japan and Russia resumed on Monday a ministerial security dialogue"


def screenshot(widget, name: str) -> None:
    if os.environ.get("FRAMELENS_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / name))


def open_story(window, qtbot, name: str = STORY_2017) -> store.Story:
    story = store.get_story(window.session.project, name)
    with qtbot.waitSignal(window.storyLoaded, timeout=10000):
        window.open_story(story.id)
    return story


# -- the dashboard -------------------------------------------------------------------------------------
def test_dashboard_renders_and_its_csv_matches_sql(gui_demo_path, gui_window_factory, qtbot, tmp_path):
    project = store.open_project(gui_demo_path)
    coders = demo_codings(project)
    story = store.get_story(project, STORY_2017).id
    project.close()
    window = gui_window_factory(gui_demo_path, coder="alice")
    board = window.features.get(Dashboard)
    entry = window.features.dock("dashboardDock")
    with qtbot.waitSignal(board.computed, timeout=20000):
        entry.action.trigger()                                        # View → Comparison dashboard
    assert entry.dock.isVisible()
    with qtbot.waitSignal(board.computed, timeout=20000):
        board.set_scope(story)
    assert board.raw.story_id == story
    entry.dock.setFloating(True)
    entry.dock.resize(1600, 1000)
    qtbot.wait(50)
    page = board.current_page()
    assert page.name == "frame_prevalence"
    image = board.grab()
    assert not image.isNull() and image.width() > 600
    assert page.chart is page.heatmap and len(page.heatmap.hits) == 3 * 15   # 3 outlets × 15 frames
    assert page.model.rowCount() == 45

    # CSV numbers against counts made directly in SQL (coders pooled: every coder-article pair)
    files = board.export_all_csv(str(tmp_path / "csv"))
    assert len(files) == 12
    with open(tmp_path / "csv" / "frame_prevalence_by_outlet.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    expected = sql_prevalence(gui_demo_path, [coders["alice"], coders["bob"]], story=story)
    assert {r["outlet"] for r in rows} == {JT, PN, RB}
    for r in rows:
        covered, n_with = expected["cells"].get((r["outlet"], r["frame"]), (0, 0))
        n_art, n_chars = expected["totals"][r["outlet"]]
        assert (int(r["covered_chars"]), int(r["articles_with_frame"])) == (covered, n_with)
        assert (int(r["coded_articles"]), int(r["coded_chars"])) == (n_art, n_chars)
        assert float(r["share_chars"]) == pytest.approx(covered / n_chars, abs=1e-6)
        assert float(r["share_articles"]) == pytest.approx(n_with / n_art, abs=1e-6)
    single = board.export_csv(str(tmp_path / "one.csv"))
    whole = tmp_path / "csv" / "frame_prevalence_by_outlet.csv"
    assert Path(single).read_text("utf-8") == whole.read_text("utf-8")

    # PNG and SVG of the chart
    png, svg = board.export_png(str(tmp_path / "chart.png")), board.export_svg(str(tmp_path / "chart.svg"))
    assert Path(png).stat().st_size > 5000
    assert "<svg" in Path(svg).read_text("utf-8") and "Security and defense" in Path(svg).read_text("utf-8")

    # a click on a cell lists the spans behind it; a double-click opens one
    point = page.heatmap.cell_center(JT, "Security and defense")
    qtbot.mouseClick(page.heatmap, Qt.LeftButton, pos=point.toPoint())
    quotes = [page.evidence.topLevelItem(i).text(0) for i in range(page.evidence.topLevelItemCount())]
    assert quotes == ["ministerial security dialogue", "security dialogue for the first time",
                      "Russia remains wary of U.S. missile defense",
                      "North Korea’s growing nuclear missile threat"]
    item = page.evidence.topLevelItem(2)
    page.evidence.itemDoubleClicked.emit(item, 0)
    col = window.comparison.column_for(item.data(0, Qt.UserRole)[0])
    assert col is not None and col.article.outlet == JT
    start, end = col.reader.selection_cp()
    assert col.article.text[start:end] == "Russia remains wary of U.S. missile defense"

    # one coder, by country, as stacked bars
    board.coders.setCurrentIndex(board.coders.findData(f"coder:{coders['bob']}"))
    board.unit.setCurrentIndex(board.unit.findData("country"))
    board.kind.setCurrentIndex(board.kind.findData("bars"))
    board.render()
    qtbot.wait(20)
    board.grab()
    assert page.chart is page.bars and page.bars.units == ["JP", "RU"]
    assert {c for _r, _u, c in page.bars.hits} >= {"Security and defense", "Economic"}
    board.tabs.setCurrentWidget(board.pages["contested_names"])
    board.grab()
    assert board.current_page().bars.hits
    board.unit.setCurrentIndex(board.unit.findData("outlet"))
    board.kind.setCurrentIndex(board.kind.findData("heatmap"))
    board.coders.setCurrentIndex(board.coders.findData("all"))
    board.tabs.setCurrentWidget(board.pages["frame_prevalence"])
    board.render()
    qtbot.wait(20)
    screenshot(entry.dock, "dashboard.png")


# -- alignment in the reading view ----------------------------------------------------------------------
def test_alignment_links_counterparts_shades_only_here_and_lists_omissions(
        gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice", size=(1600, 1000))
    window.table_dock.hide()
    window.article_dock.hide()
    window.codebook_dock.hide()
    open_story(window, qtbot)
    cols = window.comparison.columns
    assert [c.article.outlet for c in cols] == [JT, PN, RB]
    ctl = window.features.get(AlignmentController)
    ctl.menu_action.trigger()                                        # View → Align story
    assert ctl.action.isChecked()
    qtbot.waitUntil(lambda: ctl.result is not None, timeout=120000)
    splitter = window.comparison.splitter
    assert splitter.handleWidth() > 10

    # only-here passages are shaded, and some are painted
    assert all(any(m[2] == "only_here" for m in c.reader.overlays("align")) for c in cols)
    window.grab()
    assert any(r.style == "only_here" for c in cols for r in c.reader.last_overlay_paint)

    # click the sentence reporting the resumption of the talks in the first column
    reader = cols[0].reader
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.index.to_utf16(cols[0].article.text.index(FIRST_SENTENCE) + 20))
    before = [c.reader.verticalScrollBar().value() for c in cols]
    qtbot.mouseClick(reader.viewport(), Qt.LeftButton, pos=reader.cursorRect(cursor).center())
    selected = [m for m in reader.overlays("align") if m[2] == "selected"]
    assert len(selected) == 1
    why = window.statusBar().currentMessage()          # why they are linked, per column
    assert why.startswith("Linked — ") and PN in why and RB in why and "resume" in why, why
    assert cols[0].article.text[selected[0][0]:selected[0][1]].startswith(FIRST_SENTENCE)
    assert [c.reader.verticalScrollBar().value() for c in cols] != before   # scrolled to them
    for col in cols[1:]:
        marks = [m for m in col.reader.overlays("align") if m[2] == "counterpart"]
        assert marks, f"no counterpart framed in {col.article.outlet}"
        vp = col.reader.viewport().height()
        visible = [y for y in (passage_y(col.reader, s, e) for s, e, _ in marks)
                   if y and y[1] > 0 and y[0] < vp]
        assert visible, f"the counterpart is not in view in {col.article.outlet}"
        text = col.article.text
        assert any(w in text[m[0]:m[1]].lower() for m in marks for w in ("first", "resum", "three"))
    window.grab()
    assert any(r.style == "counterpart" for c in cols[1:] for r in c.reader.last_overlay_paint)
    assert getattr(splitter.handle(1), "drawn", 0) >= 1                # the gutter draws the link
    screenshot(window, "alignment.png")

    # the omissions lists: some article leaves out what the others report
    panels = ctl.panels
    with_omissions = [c for c in cols if panels[c.article_id].omissions]
    assert with_omissions
    panel = panels[with_omissions[0].article_id]
    panel.toggle.click()
    qtbot.waitUntil(panel.list.isVisible)
    assert panel.list.count() == len(panel.omissions)
    assert panel.list.item(0).text().startswith("Omits: ")
    omission = panel.omissions[0]
    qtbot.waitUntil(lambda: not panel.list.visualItemRect(panel.list.item(0)).isEmpty())
    rect = panel.list.visualItemRect(panel.list.item(0))
    qtbot.mouseClick(panel.list.viewport(), Qt.LeftButton, pos=rect.center())
    for src in omission["sources"]:
        col = window.comparison.column_for(src["article"])
        assert (src["start"], src["end"], "counterpart") in col.reader.overlays("align"), src

    # switching it off removes everything
    ctl.action.trigger()
    assert not any(c.reader.overlays("align") for c in cols)
    assert splitter.handleWidth() == 1 and not ctl.panels


# -- diff of shared copy ---------------------------------------------------------------------------------
BASE = ("TOKYO (Kyodo) -- The foreign and defense ministers of Japan and Russia met in Tokyo on "
        "Monday for their first security talks in more than three years, officials said. The two "
        "sides quietly agreed to continue the dialogue and to prepare a visit by the prime minister "
        "to Russia in April.\n\nThe talks covered North Korea, maritime security and the disputed "
        "islands off Hokkaido, which both countries claim. Officials described the atmosphere as "
        "constructive but said no breakthrough was expected on the territorial row.")
EDITED = ("TOKYO (Kyodo) -- The foreign and defense ministers of Japan and Russia met in Moscow on "
          "Monday for their first security talks in more than three years, officials said. The two "
          "sides agreed to continue the dialogue and to prepare a visit by the prime minister "
          "to Russia in April.\n\nThe talks covered North Korea, maritime security and the disputed "
          "islands off Hokkaido, which both countries reportedly claim. Officials described the "
          "atmosphere as constructive but said no breakthrough was expected on the territorial row.")


def test_shared_copy_is_offered_and_the_diff_marks_the_changed_words(
        gui_demo_path, gui_window_factory, qtbot):
    project = store.open_project(gui_demo_path)
    a = store.add_article(project, text=BASE, outlet="Kyodo", country="JP", published="2017-03-20").article_id
    b = store.add_article(project, text=EDITED, outlet="Japan Today", country="JP",
                          published="2017-03-20").article_id
    project.close()
    window = gui_window_factory(gui_demo_path, coder="alice")
    ctl = window.features.get(DiffController)
    window.open_article(a)
    window.open_article(b)
    qtbot.waitUntil(lambda: ctl.banner.isVisible(), timeout=20000)
    assert ctl.pair[:2] == (a, b) and ctl.pair[2] > 0.9
    assert "share" in ctl.banner.label.text() and "Kyodo" in ctl.banner.label.text()
    qtbot.mouseClick(ctl.banner.button, Qt.LeftButton)
    qtbot.waitUntil(lambda: ctl.shown, timeout=20000)
    col_a, col_b = window.comparison.column_for(a), window.comparison.column_for(b)
    deleted = [(BASE[s:e], st) for s, e, st in col_a.reader.overlays("diff")]
    inserted = [(EDITED[s:e], st) for s, e, st in col_b.reader.overlays("diff")]
    assert deleted == [("Tokyo", "delete"), ("quietly", "delete")]
    assert inserted == [("Moscow", "insert"), ("reportedly", "insert")]
    window.grab()
    assert {r.style for r in col_a.reader.last_overlay_paint} == {"delete"}
    assert ctl.banner.button.text() == "Hide differences"
    qtbot.mouseClick(ctl.banner.button, Qt.LeftButton)
    assert not col_a.reader.overlays("diff") and not col_b.reader.overlays("diff")
    # an unrelated pair is not offered
    window.comparison.close_column(col_b)
    window.open_article(store.list_articles(window.session.project)[0].id)
    qtbot.wait(1500)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    assert not ctl.banner.isVisible()


def test_alignment_strictness_from_the_button_menu_recomputes_and_is_remembered(
        gui_demo_path, gui_window_factory, gui_settings, qtbot):
    from PySide6.QtWidgets import QToolButton

    from framelens.annotate.analysis.align import STRICTNESS

    window = gui_window_factory(gui_demo_path, coder="alice")
    open_story(window, qtbot)
    ctl = window.features.get(AlignmentController)
    button = window.toolbar.widgetForAction(ctl.action)
    assert isinstance(button, QToolButton) and button.popupMode() == QToolButton.MenuButtonPopup
    assert [a.text().split(" —")[0] for a in button.menu().actions()] == \
        ["Strict", "Balanced", "Generous"]
    assert ctl.strictness_actions["balanced"].isChecked()
    qtbot.mouseClick(button, Qt.LeftButton)            # the button itself toggles alignment
    assert ctl.action.isChecked()
    qtbot.waitUntil(lambda: ctl.result is not None, timeout=120000)
    balanced = ctl.result
    assert balanced["strictness"] == "balanced"

    assert button.menu() is ctl.strictness_menu
    view = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View")
    assert ctl.strictness_menu.menuAction() in view.actions()          # also View → Alignment links
    ctl.strictness_actions["strict"].trigger()         # a level from the menu
    qtbot.waitUntil(lambda: ctl.result is not None and ctl.result["strictness"] == "strict",
                    timeout=120000)
    strict = ctl.result["links"]
    assert 0 < len(strict) < len(balanced["links"])
    assert min(lk["score"] for lk in strict) >= STRICTNESS["strict"]
    assert "(strict)" in window.statusBar().currentMessage()
    assert ctl.strictness_actions["strict"].isChecked()
    assert not ctl.strictness_actions["balanced"].isChecked()
    assert gui_settings.value("align/strictness") == "strict"

    again = gui_window_factory(gui_demo_path, coder="bob")       # remembered
    assert again.features.get(AlignmentController).strictness == "strict"
    assert again.features.get(AlignmentController).strictness_actions["strict"].isChecked()
