"""The corpus panel keeps article titles readable in a narrow dock (issue 18: titles were cut
to "Japa…" because source and date kept their full widths)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from framelens.desktop.panels.corpus_model import ArticleRole


def _article_row(model):
    """The first article row under the first group that has one."""
    for g in range(model.rowCount(QModelIndex())):
        group = model.index(g, 0)
        if model.canFetchMore(group):
            model.fetchMore(group)
        if model.rowCount(group):
            return group, 0
    raise AssertionError("no article row")


def test_the_title_column_keeps_most_of_a_narrow_dock(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path)
    panel = window.corpus
    qtbot.waitUntil(lambda: panel.model.rowCount(QModelIndex()) > 0, timeout=10000)
    tree, header = panel.tree, panel.tree.header()
    natural = dict(panel._natural_widths)
    for width in (300, 360):
        panel.resize(width, 500)
        tree.resize(width, 400)
        qtbot.waitUntil(lambda: header.sectionSize(0) >= 0.5 * tree.viewport().width(), timeout=3000)
        side = header.sectionSize(1) + header.sectionSize(2)
        assert side <= max(0.45 * tree.viewport().width(), 2 * panel.MIN_SIDE_COLUMN) + 1
    # a wide dock gives source and date their natural widths back
    panel.resize(900, 500)
    tree.resize(900, 400)
    qtbot.waitUntil(lambda: header.sectionSize(1) == natural[1], timeout=3000)
    assert header.sectionSize(2) == natural[2]
    # the whole title is in the tooltip of a row, however narrow its cell
    group, row = _article_row(panel.model)
    index = panel.model.index(row, 0, group)
    aid = panel.model.data(index, ArticleRole)
    assert panel.model.title_of(aid) in panel.model.data(index, Qt.ToolTipRole)
