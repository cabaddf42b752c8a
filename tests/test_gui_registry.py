"""Features on the window's registry (desktop/shell/registry.py): found by type, their paint
layers painted by every reader, in z order, under or over the text, and only when active."""

from __future__ import annotations

import pytest

from framelens.desktop.shell.registry import PaintLayer

pytestmark = pytest.mark.gui


def test_the_window_s_features_are_found_by_type(gui_demo_path, gui_window_factory):
    from framelens.desktop.features.alignment_view import AlignmentController
    from framelens.desktop.reading.diff_view import DiffController
    from framelens.desktop.shell.help_overlay import HelpOverlay
    from framelens.desktop.shell.project_actions import ProjectActions

    window = gui_window_factory(gui_demo_path, coder="alice")
    for kind in (AlignmentController, DiffController, HelpOverlay, ProjectActions):
        assert type(window.features.get(kind)) is kind
    for attr in ("alignment", "shared_copy", "help", "project_actions"):
        assert not hasattr(window, attr)
    assert [(l.name, l.z) for l in window.features.paint_layers()][:2] == [("align", -20),
                                                                          ("diff", -10)]


def test_every_reader_paints_the_registered_layers_in_order(gui_demo_path, gui_window_factory,
                                                            qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    calls = []

    def painter_of(name):
        def paint(reader, painter, clip):
            calls.append((name, reader.article.id))
            return [name]
        return paint

    window.features.add_paint_layer(PaintLayer("test", "over", painter_of("over"), z=30))
    window.features.add_paint_layer(PaintLayer("test", "under", painter_of("under"), z=-5))
    window.features.add_paint_layer(PaintLayer("test", "idle", painter_of("idle"), z=40,
                                               active=lambda reader: False))
    col = window.open_article(2)
    calls.clear()
    col.reader.viewport().repaint()
    assert calls == [("under", 2), ("over", 2)]
    assert col.reader.last_overlay_paint == ["under"]      # what was painted under the text
