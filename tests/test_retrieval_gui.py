"""The Coded segments view (desktop/features/retrieval.py) with real widgets on the demo project:
segments of articles that are open in no column, AND against OR, Enter and double-click open the
right article with the segment selected, export writes the listed rows, and a coding made in a
column shows up without asking."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt

from framelens import store
from framelens.desktop.features.retrieval import RetrievalView, install_retrieval, kwic_text


def _code(window, name: str, codebook: str = "policy_frames") -> int:
    return store.find_code(window.session.project, name, codebook).id


def _annotate(window, article_id: int, quote: str, code_id: int, coder=None) -> int:
    """Code the first occurrence of ``quote`` as one action of the window's session."""
    s = window.session
    text = store.get_text(s.project, article_id)
    start = text.index(quote)
    result = s.perform("test coding", store.add_annotation, article_id=article_id, start=start,
                       end=start + len(quote), code_id=code_id,
                       coder_id=(coder or s.coder).id)
    assert result is not None
    return result[0]


@pytest.fixture
def coded(gui_window_factory, gui_demo_path, qtbot):
    """A window on the demo with no column open and codings in articles 2, 3 and 4:
    Security + Economic overlapping in 2 (alice), Security alone in 3 (alice), Security by bob
    overlapping alice's Economic in 4."""
    with store.open_project(gui_demo_path) as p:
        store.ensure_coder(p, "bob")
    window = gui_window_factory(gui_demo_path, size=(1600, 1000))
    for col in list(window.comparison.columns):
        window.comparison.close_column(col)
    sec, eco = _code(window, "Security and defense"), _code(window, "Economic")
    bob = store.find_coder(window.session.project, "bob")
    p = window.session.project
    ids = {}
    t2 = store.get_text(p, 2)
    first_sentence = t2[:t2.index(".") + 1]
    ids["sec2"] = _annotate(window, 2, first_sentence, sec)
    words = first_sentence.split()
    ids["eco2"] = _annotate(window, 2, " ".join(words[2:5]), eco)
    t3 = store.get_text(p, 3)
    ids["sec3"] = _annotate(window, 3, t3[:t3.index(" ", 20)], sec)
    t4 = store.get_text(p, 4)
    quote4 = t4[:t4.index(" ", 30)]
    ids["eco4"] = _annotate(window, 4, quote4, eco)
    ids["sec4_bob"] = _annotate(window, 4, quote4.split()[0], sec, coder=bob)
    # installed by the main window; installed here when this tree's window predates it
    view = window.features.find(RetrievalView) or install_retrieval(window)
    window.features.dock("retrievalDock").action.trigger()
    qtbot.waitUntil(lambda: view.isVisible() and view.height() > 300, timeout=3000)
    return window, view, ids, sec, eco


def _listed(view, qtbot, codes, mode="any") -> list[int]:
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.set_codes(codes, mode)
    return sorted(s.annotation_id for s in view.segments)


def test_lists_segments_of_articles_open_in_no_column(coded, qtbot):
    window, view, ids, sec, eco = coded
    assert window.comparison.columns == []
    assert _listed(view, qtbot, [sec]) == sorted([ids["sec2"], ids["sec3"], ids["sec4_bob"]])
    assert view.model.rowCount() == 3
    assert {s.article_id for s in view.segments} == {2, 3, 4}
    assert view.summary.text().startswith("<b>3</b> segment(s) of Security and defense in 3 article(s) from 3 outlet(s), 2 coder(s)")
    # the Segment column shows the coded part marked, in its sentence
    seg = next(s for s in view.segments if s.annotation_id == ids["sec3"])
    row = view.segments.index(seg)
    shown = view.model.index(row, 5).data()
    assert shown == kwic_text(seg) and "»" + " ".join(seg.quote.split()) + "«" in shown
    # the code tree counts every code's segments
    item = next(it for it in view._code_items() if it.data(0, Qt.UserRole) == eco)
    assert item.text(0) == "Economic (2)"


def test_and_against_or(coded, qtbot):
    window, view, ids, sec, eco = coded
    assert _listed(view, qtbot, [sec, eco], "any") == sorted(ids.values())
    # AND, same coder: only article 2 (in 4 the two codes are two coders')
    assert _listed(view, qtbot, [sec, eco], "all") == sorted([ids["sec2"], ids["eco2"]])
    assert {s.also for s in view.segments} == {("Economic",), ("Security and defense",)}
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.same_coder.setChecked(False)
    assert sorted(s.annotation_id for s in view.segments) == sorted(
        [ids["sec2"], ids["eco2"], ids["eco4"], ids["sec4_bob"]])
    # the coder filter
    bob = store.find_coder(window.session.project, "bob").id
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.coder_combo.setCurrentIndex(view.coder_combo.findData(bob))
    assert view.segments == []          # bob's Security overlaps only alice's Economic
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.any_button.setChecked(True)
    assert [s.annotation_id for s in view.segments] == [ids["sec4_bob"]]


def test_enter_and_double_click_open_the_article_with_the_segment_selected(coded, qtbot):
    window, view, ids, sec, eco = coded
    _listed(view, qtbot, [eco])
    row = next(i for i, s in enumerate(view.segments) if s.annotation_id == ids["eco4"])
    seg = view.segments[row]
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(row, 0))
    qtbot.keyClick(view.table, Qt.Key_Return)
    col = window.comparison.column_for(4)
    assert col is not None and window.comparison.current is col
    assert col.reader.selection_cp() == (seg.start, seg.end)
    # a double-click on the other row opens article 2 beside it
    other = 1 - row
    rect = view.table.visualRect(view.model.index(other, 2))
    qtbot.mouseClick(view.table.viewport(), Qt.LeftButton, pos=rect.center())   # press, as a hand does
    qtbot.mouseDClick(view.table.viewport(), Qt.LeftButton, pos=rect.center())
    col2 = window.comparison.column_for(2)
    assert col2 is not None and window.comparison.current is col2
    s2 = view.segments[other]
    assert col2.reader.selection_cp() == (s2.start, s2.end)
    assert len(window.comparison.columns) == 2


def test_export_writes_the_listed_rows(coded, qtbot, tmp_path):
    window, view, ids, sec, eco = coded
    _listed(view, qtbot, [sec, eco], "all")
    out = tmp_path / "segments.csv"
    assert view.export_to(out) == 2
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(int(r["annotation_id"]) for r in rows) == sorted([ids["sec2"], ids["eco2"]])
    text = store.get_text(window.session.project, 2)
    for r in rows:
        assert text[int(r["start"]):int(r["end"])] == r["quote"]
        assert r["outlet"] == view.segments[0].outlet
    # a bad target is reported in the status bar, not raised
    assert view.export_to(window.session.project.path) == 0
    assert "that is a project file" in window.statusBar().currentMessage()


def test_a_new_coding_and_its_undo_show_up(coded, qtbot):
    window, view, ids, sec, eco = coded
    _listed(view, qtbot, [eco])
    t5 = store.get_text(window.session.project, 5)
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        new = _annotate(window, 5, t5[:t5.index(" ", 15)], eco)
    assert new in {s.annotation_id for s in view.segments}
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        window.session.undo()
    assert new not in {s.annotation_id for s in view.segments}
    # a change of a table the view does not show reads nothing
    before = view._generation
    window.session.changed.emit(store.Changes())
    qtbot.wait(150)
    assert view._generation == before


def test_outlet_country_and_story_filters_and_the_counts_follow(coded, qtbot):
    window, view, ids, sec, eco = coded
    p = window.session.project
    assert view.summary.text().startswith("Tick one or several codes")
    t5 = store.get_text(p, 5)                      # Global Times, CN
    cn = _annotate(window, 5, t5[:t5.index(" ", 25)], sec)
    _listed(view, qtbot, [sec])
    assert {s.article_id for s in view.segments} == {2, 3, 4, 5}
    outlet4 = store.get_outlet(p, store.get_article(p, 4).outlet).id
    country4 = store.get_article(p, 4).country
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.outlet_combo.setCurrentIndex(view.outlet_combo.findData(f"outlet:{outlet4}"))
    assert [s.annotation_id for s in view.segments] == [ids["sec4_bob"]]
    item = next(it for it in view._code_items() if it.data(0, Qt.UserRole) == eco)
    assert item.text(0) == "Economic (1)"          # counts under the outlet filter
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.outlet_combo.setCurrentIndex(view.outlet_combo.findData(f"country:{country4}"))
    assert country4 == "RU"
    assert {s.article_id for s in view.segments} == {2, 3, 4}
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.outlet_combo.setCurrentIndex(view.outlet_combo.findData("country:CN"))
    assert [s.annotation_id for s in view.segments] == [cn]
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.outlet_combo.setCurrentIndex(0)
    story = store.get_story(p, "Third Russia–Japan 2+2, Moscow")      # article 4 alone
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.story_combo.setCurrentIndex(view.story_combo.findData(story.id))
    assert [s.annotation_id for s in view.segments] == [ids["sec4_bob"]]
