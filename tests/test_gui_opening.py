"""Opening a story: one article per turn of the event loop, each text laid out once, at the
width its column keeps (desktop/reading/comparison.py ``set_articles``; the UI-thread figure is
bench/bench_ui_responsiveness.py's "opening 3 articles")."""

from __future__ import annotations

import pytest

from framelens import store

pytestmark = pytest.mark.gui


def test_a_story_opens_one_column_per_turn_each_laid_out_at_its_final_width(
        gui_demo_path, gui_window_factory, qtbot, monkeypatch):
    from framelens.desktop.reading.reader import Reader

    window = gui_window_factory(gui_demo_path, coder="alice")
    widths: dict[int, int] = {}
    original = Reader.load

    def load(self, article, annotations, **kw):
        widths[article.id] = self.viewport().width()
        return original(self, article, annotations, **kw)

    monkeypatch.setattr(Reader, "load", load)
    project = window.session.project
    story = max(store.list_stories(project), key=lambda s: s.n_articles)
    ids = store.story_article_ids(project, story.id)[:3]
    loaded = [(store.get_article(project, a), []) for a in ids]
    done = []
    window.comparison.set_articles(loaded, on_loaded=lambda: done.append(True))
    # the first article is shown at once, the others on later turns
    assert [c.article_id for c in window.comparison.columns] == ids[:1]
    assert window.comparison.loading and not done
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    cols = window.comparison.columns
    assert [c.article_id for c in cols] == ids and not window.comparison.loading
    assert window.comparison.current is cols[0]
    assert {c.article_id: c.reader.viewport().width() for c in cols} == widths


def test_a_newer_story_replaces_one_still_loading(gui_demo_path, gui_window_factory, qtbot):
    window = gui_window_factory(gui_demo_path, coder="alice")
    project = window.session.project
    articles = [store.get_article(project, a.id) for a in store.list_articles(project)[:4]]
    first, second = [], []
    window.comparison.set_articles([(a, []) for a in articles[:3]],
                                   on_loaded=lambda: first.append(True))
    window.comparison.set_articles([(a, []) for a in articles[2:4]],
                                   on_loaded=lambda: second.append(True))
    qtbot.waitUntil(lambda: bool(second), timeout=5000)
    qtbot.wait(50)
    assert not first
    assert [c.article_id for c in window.comparison.columns] == [a.id for a in articles[2:4]]
    assert window.comparison.splitter.count() == 2
