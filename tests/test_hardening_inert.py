"""Displayed content is inert: imported HTML never runs script or loads remote resources, and
markup inside article text, titles, quotes, memos and code names is shown as text."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtGui import Qt as QtGui

from framelens import store
from framelens.annotate.ops.importer import import_paths
from framelens.desktop.shell.refcount_guard import keep_none_alive

pytestmark = pytest.mark.gui
keep_none_alive()

MARKUP = ('<img src="http://example.invalid/x.png"> <script>alert(1)</script> <b>bold</b> '
          '<font color=red>x</font> <a href="http://example.invalid/">link</a> &amp; &lt;')
TITLE = '<img src="http://example.invalid/t.png"><b>Headline</b> <font color=red>red</font>'


def shown(text: str | None) -> str:
    """What Qt displays for a tooltip / auto-format label string."""
    text = text or ""
    if QtGui.mightBeRichText(text):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText().replace("\u2029", "\n").replace("\u2028", "\n")
    return text


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    attempts: list = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError("network access attempted during an inert-content test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    return attempts


@pytest.fixture
def hostile_project(tmp_path, no_network):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plain.txt").write_text(f"{TITLE}\n\nThe ministers met. {MARKUP}\nSecond paragraph "
                                      "with <qt><h1>Qt rich text</h1></qt> inside.\n", "utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>Page &lt;b&gt;title&lt;/b&gt;</title>"
        '<script>document.write("injected")</script>'
        '<link rel="stylesheet" href="http://example.invalid/s.css">'
        '<style>body { background: url(http://example.invalid/bg.png) }</style></head><body>'
        '<img src="http://example.invalid/hero.png"><iframe src="http://example.invalid/"></iframe>'
        "<article><p>The talks in Tokyo ended with a statement that &lt;b&gt;markup&lt;/b&gt; and "
        "&lt;img src=http://example.invalid/y.png&gt; are text here, said the minister.</p>"
        "<p>A second paragraph about the islands and security in the region.</p>"
        "<script>alert('in body')</script></article></body></html>", "utf-8")
    path = tmp_path / "inert.framelens"
    p = store.create_project(path)
    report = import_paths(p, [folder])
    assert not report.problems, report.problems
    cb = store.ensure_codebook(p, "frames")
    code = store.add_code(p, cb, "<b>Bold</b> code <img src=http://example.invalid/c.png>")
    coder = store.ensure_coder(p, "alice")
    for aid in report.article_ids:
        text = store.get_text(p, aid)
        start = text.index("<") if "<" in text else 0
        store.add_annotation(p, article_id=aid, start=start, end=min(len(text), start + 40),
                             code_id=code, coder_id=coder.id, memo=MARKUP)
    p.close()
    return path, report.article_ids


def test_html_import_drops_script_and_keeps_escaped_markup_as_text(hostile_project, no_network):
    path, ids = hostile_project
    p = store.open_project(path)
    texts = {store.get_article(p, a).import_source.rsplit(".", 1)[-1]: store.get_article(p, a)
             for a in ids}
    p.close()
    html_article = texts["html"]
    assert "alert" not in html_article.text and "injected" not in html_article.text
    assert "<b>markup</b>" in html_article.text and "<img src=http://example.invalid/y.png>" in html_article.text
    assert "<script>alert(1)</script>" in texts["txt"].text        # a .txt is text, kept as written
    assert no_network == []


def _fragments(doc):
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            yield it.fragment()
            it += 1
        block = block.next()


def test_reader_and_every_view_show_markup_literally(hostile_project, gui_window_factory, qtbot,
                                                     monkeypatch, no_network):
    from framelens.desktop.reading.reader import Reader

    asked: list = []
    original = Reader.loadResource

    def record(self, kind, url):
        asked.append(url.toString())
        return original(self, kind, url)

    monkeypatch.setattr(Reader, "loadResource", record)
    monkeypatch.setattr(QTextDocument, "loadResource",
                        lambda self, kind, url: asked.append(url.toString()))
    path, ids = hostile_project
    window = gui_window_factory(path)
    project = window.session.project
    window.session.set_view("all")
    for aid in ids:
        article = store.get_article(project, aid)
        column = window.open_article(aid)
        reader = column.reader
        doc = reader.document()
        assert doc.toPlainText() == article.text.replace("\u2028", "\n")
        assert not any(f.charFormat().isImageFormat() or f.charFormat().isAnchor()
                       for f in _fragments(doc)), "markup in the text became an image or a link"
        assert doc.blockCount() == article.text.count("\n") + 1
        header = column.header
        assert header.title.textFormat() == Qt.PlainText and header.meta.textFormat() == Qt.PlainText
        assert header.when.textFormat() == Qt.PlainText
        full_title = shown(header.title.toolTip()).split("\n")[0]
        assert full_title.startswith((article.title or "")[:30])
        for tip in (reader._tooltip(list(reader.annotations.values())),):
            assert "Bold</b> code <img" in shown(tip)
    qtbot.waitUntil(lambda: window.table.model.rowCount() >= len(ids), timeout=5000)
    model = window.table.model
    for row in range(model.rowCount()):
        ann = model.rows[row]
        quote_tip = model.data(model.index(row, 3), Qt.ToolTipRole)
        memo_tip = model.data(model.index(row, 4), Qt.ToolTipRole)
        assert shown(quote_tip).replace("\n", " ") == ann.quote.replace("\n", " ")
        assert shown(memo_tip) == MARKUP
    corpus = window.corpus.model
    tips = []
    for row in range(corpus.rowCount()):
        story = corpus.index(row, 0)
        while corpus.canFetchMore(story):
            corpus.fetchMore(story)
        for child in range(corpus.rowCount(story)):
            tips.append(shown(corpus.data(corpus.index(child, 0, story), Qt.ToolTipRole)))
    assert any(t.startswith(TITLE) for t in tips) and any("Page <b>title</b>" in t for t in tips), tips
    with qtbot.waitSignal(window.corpus.searchFinished, timeout=10000):
        window.corpus.search_box.setText('<img src="http://example.invalid/q.png"> ministers')
        window.corpus.run_search()
    message = window.corpus.search_message
    assert message.textFormat() == Qt.PlainText and "<img" in message.text()
    for i in range(window.corpus.hits.count()):
        assert "<" not in window.corpus.hits.item(i).toolTip().replace("<p>", "").replace(
            "</p>", "").replace("<br>", "")
    window.codebook.combo.setCurrentIndex(window.codebook.combo.findText("frames"))
    tree = window.codebook.tree
    names = [shown(tree.topLevelItem(i).toolTip(0)) for i in range(tree.topLevelItemCount())]
    assert any(n.startswith("<b>Bold</b> code <img") for n in names), names
    assert asked == [] and no_network == []


def test_plain_tooltip_helper():
    from framelens.desktop.widgets.inert import plain_tooltip

    for text in (MARKUP, TITLE, "a & b", "line 1\nline <2>", "&lt;already&gt;"):
        assert shown(plain_tooltip(text)).replace("\n", " ") == text.replace("\n", " ")
    assert plain_tooltip("") == "" and plain_tooltip(None) is None
