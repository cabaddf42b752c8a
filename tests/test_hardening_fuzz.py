"""Hostile and odd input, fuzzed with hypothesis: importers, offsets, datasets, search.

``make test`` runs few, derandomised examples per property; ``make stress`` sets
``HYPOTHESIS_PROFILE=stress`` for many random ones.  Every property is "no crash, no hang (a
per-example deadline), a clear message where the input is refused".
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from framelens import store
from framelens.annotate.ops.importer import import_paths
from framelens.annotate.analysis.ingest import Document, ImportProblem, read_file
from framelens.annotate.analysis.offsets import Utf16Index, fold_line_ends
from framelens.desktop.shell.refcount_guard import keep_none_alive

STRESS = os.environ.get("HYPOTHESIS_PROFILE") == "stress"
keep_none_alive()   # thousands of Qt void calls below; see desktop/shell/refcount_guard.py


def fuzz(ci: int, stress: int, deadline_ms: int = 20_000):
    """Per-test settings: few derandomised examples in CI, many random ones under stress."""
    return settings(max_examples=stress if STRESS else ci, deadline=deadline_ms,
                    derandomize=not STRESS, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture,
                                           HealthCheck.filter_too_much])


HARD = ("\x00", "\r\n", "\r", "\n", "\u2028", "\u2029", "\u200b", "\u200c", "\u200d", "\u200e",
        "\u200f", "\u202e", "\u2066", "\ufeff", "\ufffd", "👍🏽", "👨‍👩‍👧", "𠮷", "𩸽", "東京",
        "Москва", "مرحبا", "שלום", "e\u0301", "\t", "<script>alert(1)</script>", "<b>", "&amp;",
        "\x85", "\x1b[31m", "\ufdd0", "\U0010ffff")
hard_text = st.lists(st.one_of(st.sampled_from(HARD), st.text(max_size=12)), max_size=40).map("".join)
any_text = st.one_of(hard_text, st.text(), st.text(st.characters(codec="utf-8")))
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1251",
             "shift_jis", "gb18030", "euc-kr", "latin-1", "koi8-r", "big5", "cp1252")
SUFFIXES = (".txt", ".md", ".html", ".htm", ".csv", ".tsv", ".jsonl", ".ndjson")


@st.composite
def file_bytes(draw):
    """Bytes of a file: random bytes, or hard text in some encoding, with odd line ends,
    NULs and sometimes one huge line."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=3000))
    text = draw(hard_text)
    ending = draw(st.sampled_from(["\n", "\r\n", "\r", "\u2028", "mixed"]))
    if ending == "mixed":
        text = "".join(line + draw(st.sampled_from(["\n", "\r\n", "\r"]))
                       for line in text.split("\n"))
    else:
        text = text.replace("\n", ending)
    if draw(st.integers(0, 9)) == 0:      # one huge line, or many long ones
        piece = draw(st.sampled_from(["x", "東", "👍", "\u200b", "a b ", "w.w-", "a@b."]))
        if draw(st.booleans()):
            text += piece * (draw(st.integers(10_000, 400_000 if STRESS else 60_000)) // len(piece))
        else:
            text += "\n".join(piece * (draw(st.integers(1000, 4000)) // len(piece))
                              for _ in range(draw(st.integers(1, 60 if STRESS else 5))))
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + "\x00" * draw(st.integers(1, 5)) + text[at:]
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


_SCRATCH: list[Path] = []
_PROJECTS: dict[str, store.Project] = {}


def scratch_dir() -> Path:
    """This module's temporary folder, made on first use and removed by teardown_module, so
    the module can run twice in one process (mutmut reruns the tests in-process)."""
    if not _SCRATCH:
        _SCRATCH.append(Path(tempfile.mkdtemp(prefix="framelens-fuzz-")))
    return _SCRATCH[0]


def scratch_project(name: str) -> store.Project:
    """One project per property, reused across its examples (created on first use)."""
    if name not in _PROJECTS:
        _PROJECTS[name] = store.create_project(scratch_dir() / f"{name}.framelens")
    return _PROJECTS[name]


def teardown_module(_module) -> None:
    import shutil

    for p in _PROJECTS.values():
        p.close()
    _PROJECTS.clear()
    if _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(), ignore_errors=True)


def _article_invariants(project: store.Project) -> None:
    for row in project.query("SELECT id, text, text_sha256, n_chars FROM articles"):
        assert "\x00" not in row["text"]
        assert row["text"].strip()
        assert store.text_sha256(row["text"]) == row["text_sha256"] and len(row["text"]) == row["n_chars"]


# -- importers ----------------------------------------------------------------------------------
@fuzz(ci=40, stress=1500)
@given(data=file_bytes(), suffix=st.sampled_from(SUFFIXES))
def test_importer_never_raises_and_stores_clean_text(data, suffix):
    folder = Path(tempfile.mkdtemp(dir=scratch_dir()))
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    items = read_file(path)
    assert items and all(isinstance(i, (Document, ImportProblem)) for i in items)
    for item in items:
        if isinstance(item, Document):
            assert item.text.strip() and "\x00" not in item.text and "\r" not in item.text
        else:
            assert item.reason and str(path) in item.source
    project = scratch_project("importer")
    report = import_paths(project, [folder])
    assert len(report.imported) + len(report.duplicates) + len(report.problems) >= 1
    _article_invariants(project)


def test_importer_refuses_a_text_over_the_limit(tmp_path):
    from framelens.annotate.analysis.ingest.model import MAX_TEXT_BYTES

    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.write(("a " * (MAX_TEXT_BYTES // 2 + 10)).encode())
    [problem] = read_file(path)
    assert isinstance(problem, ImportProblem) and "too large" in problem.reason


# -- offsets ------------------------------------------------------------------------------------
@fuzz(ci=150, stress=5000, deadline_ms=5000)
@given(text=any_text)
def test_code_points_and_utf16_round_trip(text):
    idx = Utf16Index(text)
    units = text.encode("utf-16-le", "surrogatepass")
    assert idx.utf16_length == len(units) // 2
    for cp in range(len(text) + 1):
        u = idx.to_utf16(cp)
        assert u == len(text[:cp].encode("utf-16-le", "surrogatepass")) // 2
        assert idx.to_cp(u) == cp
    for u in range(idx.utf16_length + 1):
        try:
            cp = idx.to_cp(u)
        except ValueError:
            assert 0 < u and 0xD800 <= int.from_bytes(units[2 * u - 2:2 * u], "little") < 0xDC00
        else:
            assert idx.to_utf16(cp) == u
    for bad in (-1, len(text) + 1):
        with pytest.raises(ValueError):
            idx.to_utf16(bad)


@fuzz(ci=150, stress=5000, deadline_ms=5000)
@given(text=any_text)
def test_line_end_folding_maps_every_offset(text):
    fold = fold_line_ends(text)
    assert "\r" not in fold.text
    assert fold.text == text.replace("\r\n", "\n").replace("\r", "\n")
    previous = 0
    for p in range(len(text) + 1):
        q = fold.map(p)
        assert previous <= q <= len(fold.text)
        previous = q
        if p == len(text) or text[p] != "\n" or p == 0 or text[p - 1] != "\r":
            assert fold.text[q:] == fold_line_ends(text[p:]).text


def _lines(s: str) -> str:
    """Block separators as Qt reports them, and as the stored text spells them (selectedText
    also reports Qt's frame markers U+FDD0/U+FDD1 as separators; they keep one position)."""
    for sep in ("\r\n", "\r", "\u2028", "\u2029", "\ufdd0", "\ufdd1"):
        s = s.replace(sep, "\n")
    return s


@pytest.mark.gui
@fuzz(ci=80, stress=3000, deadline_ms=10_000)
@given(text=any_text)
def test_qt_document_positions_agree_with_the_reader_mapping(qapp, text):
    """For any text: the document the reader builds with setPlainText has the length and, at
    every code-point boundary, the position and selected text the reader's mapping says."""
    from PySide6.QtGui import QTextCursor, QTextDocument

    from framelens.desktop.reading.qt_positions import QtPositions

    doc = QTextDocument()
    doc.setPlainText(text)
    pos = QtPositions(text)
    assert doc.characterCount() - 1 == pos.utf16_length
    boundaries = range(len(text) + 1)
    if len(text) > 120:
        boundaries = sorted(set(range(0, len(text) + 1, max(1, len(text) // 60))) | {len(text)})
    cursor = QTextCursor(doc)
    for cp in boundaries:
        q = pos.to_utf16(cp)
        back = pos.to_cp(q)
        assert back == cp or (text[cp - 1:cp + 1] == "\r\n" and back == cp + 1) or (
            cp == 0 and text.startswith("\ufeff") and back == 1)     # Qt drops a leading BOM
        cursor.setPosition(0)
        cursor.setPosition(q, QTextCursor.KeepAnchor)
        shown = text[1:back] if text.startswith("\ufeff") else text[:back]
        assert _lines(cursor.selectedText()) == _lines(shown)


def _article(text: str) -> store.Article:
    return store.Article(id=1, title="t", outlet=None, country=None, published=None,
                         language=None, author=None, url=None, n_chars=len(text), text=text)


@pytest.mark.gui
@fuzz(ci=40, stress=1500, deadline_ms=10_000)
@given(text=any_text.filter(lambda t: t.strip()), data=st.data())
def test_reader_selection_round_trips_for_any_text(qtbot, text, data):
    from framelens.desktop.reading.reader import Reader

    reader = Reader()
    qtbot.addWidget(reader)
    reader.load(_article(text), [], coder_id=1, shown=None)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assume(text[start - 1:start + 1] != "\r\n" and text[end - 1:end + 1] != "\r\n")
    assume(not (start == 0 and text.startswith("\ufeff")))
    reader.select_cp(start, end)
    assert reader.selection_cp() == (start, end)
    assert _lines(reader.textCursor().selectedText()) == _lines(text[start:end])


@pytest.mark.gui
def test_reader_maps_windows_line_ends_and_astral_characters(qtbot):
    """A text with "\r\n" (a JSONL dataset can bring one) and astral characters: selecting
    and painting land on the same characters the store means."""
    from framelens.desktop.reading.reader import Reader

    text = "First 𠮷 line\r\nsecond 👍🏽 line\r\n\r\nthird line"
    reader = Reader()
    qtbot.addWidget(reader)
    code = store.Annotation(id=9, article_id=1, start=text.index("third"), end=len(text),
                            code_id=1, coder_id=1, quote="third line", memo=None, origin="manual",
                            suggestion_id=None, created_at="", updated_at="", code="C")
    reader.load(_article(text), [code], coder_id=1, shown=None)
    for word in ("second", "third line", "👍🏽", "line"):
        start = text.rindex(word)
        reader.select_cp(start, start + len(word))
        assert reader.textCursor().selectedText() == word
        assert reader.selection_cp() == (start, start + len(word))
    [span] = reader.visible_spans()
    cursor = reader.textCursor()
    cursor.setPosition(span.start)
    cursor.setPosition(span.end, cursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "third line"
    bom = "\ufeffMarked\r\nlines"                      # Qt drops a leading byte-order mark
    reader.load(_article(bom), [], coder_id=1, shown=None)
    reader.select_cp(bom.index("lines"), len(bom))
    assert reader.textCursor().selectedText() == "lines"
    assert reader.selection_cp() == (bom.index("lines"), len(bom))


# -- datasets: JSONL and REFI-QDA readers on mutated valid files -----------------------------------
@pytest.fixture(scope="module")
def valid_datasets(tmp_path_factory) -> dict[str, bytes]:
    import spacy

    from framelens.annotate.ops.exchange import project_to_x
    from framelens.annotate.analysis.formats import jsonl, refi

    folder = tmp_path_factory.mktemp("datasets")
    p = store.create_project(folder / "src.framelens")
    cb = store.ensure_codebook(p, "frames")
    codes = [store.add_code(p, cb, name) for name in ("Security", "Economy <b>", "Ὀδυσσεύς")]
    coder = store.ensure_coder(p, "alice")
    for i, text in enumerate(["Tokyo 👍🏽 talks 𠮷 on security.\nSecond line.", "مرحبا \u200f بالعالم ok",
                              "<script>alert(1)</script> plain <b>text</b> here"]):
        aid = store.add_article(p, text=text, title=f"T{i}", outlet="TASS", country="RU").article_id
        store.add_annotation(p, article_id=aid, start=0, end=5, code_id=codes[i], coder_id=coder.id,
                             memo="m")
        store.set_article_label(p, article_id=aid, coder_id=coder.id, value="1", code_id=codes[0])
    xp = project_to_x(p)
    p.close()
    jsonl.write_jsonl(xp, folder / "x.jsonl", nlp_tokenizer=spacy.blank("en").tokenizer)
    refi.write_qdpx(xp, folder / "x.qdpx")
    return {".jsonl": (folder / "x.jsonl").read_bytes(), ".qdpx": (folder / "x.qdpx").read_bytes()}


@st.composite
def mutations(draw, size: int):
    """A short list of byte edits: flip, delete a range, insert bytes, truncate, duplicate."""
    edits = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate"]))
        at = draw(st.integers(0, max(0, size - 1)))
        edits.append((kind, at, draw(st.integers(1, 64)), draw(st.binary(min_size=1, max_size=40))))
    return edits


def _mutate(data: bytes, edits) -> bytes:
    buf = bytearray(data)
    for kind, at, n, blob in edits:
        at = min(at, len(buf))
        if kind == "flip" and at < len(buf):
            buf[at] ^= blob[0] or 1
        elif kind == "delete":
            del buf[at:at + n]
        elif kind == "insert":
            buf[at:at] = blob
        elif kind == "truncate":
            del buf[at:]
        else:
            buf[at:at] = buf[at:at + n]
    return bytes(buf)


def _rezip_with(data: bytes, edits) -> bytes:
    """A .qdpx whose project.qde XML (not the zip container) carries the edits."""
    import io
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, _mutate(body, edits) if info.filename.endswith(".qde") else body)
    return out.getvalue()


def _read_and_import(path: Path) -> None:
    from framelens.annotate.ops.datasets import read_dataset
    from framelens.annotate.ops.exchange import x_into_project
    from framelens.annotate.analysis.formats.model import FormatError

    try:
        xp = read_dataset(path)
    except FormatError as exc:
        assert str(exc).startswith(str(path)) or str(path) in str(exc)
        return
    project = scratch_project("datasets")
    try:
        x_into_project(project, xp, source=path.name)
    except (FormatError, store.ProjectError):
        pass
    assert not project.conn.in_transaction
    _article_invariants(project)


@fuzz(ci=60, stress=2500)
@given(data=st.data(), suffix=st.sampled_from([".jsonl", ".qdpx", ".qdpx-xml"]))
def test_dataset_readers_on_mutated_files(valid_datasets, data, suffix):
    base = valid_datasets[".qdpx" if suffix.startswith(".qdpx") else ".jsonl"]
    edits = data.draw(mutations(len(base)))
    body = _rezip_with(base, edits) if suffix == ".qdpx-xml" else _mutate(base, edits)
    path = Path(tempfile.mkdtemp(dir=scratch_dir())) / ("in.qdpx" if suffix.startswith(".qdpx") else "in.jsonl")
    path.write_bytes(body)
    _read_and_import(path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12)


@fuzz(ci=60, stress=2500)
@given(data=st.data())
def test_jsonl_reader_on_structurally_mutated_tasks(valid_datasets, data):
    """Replace one value anywhere in a task with any JSON value (wrong types, huge ints, NaN)."""
    import json

    lines = valid_datasets[".jsonl"].decode("utf-8").splitlines()
    n = data.draw(st.integers(0, len(lines) - 1))
    task = json.loads(lines[n])
    node, path = task, []
    while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        path.append((node, key))
        node = node[key]
    if path:
        parent, key = path[-1]
        parent[key] = data.draw(json_values)
    else:
        task = data.draw(json_values)
    lines[n] = json.dumps(task, ensure_ascii=data.draw(st.booleans()))
    file = Path(tempfile.mkdtemp(dir=scratch_dir())) / "in.jsonl"
    file.write_text("\n".join(lines) + "\n", "utf-8", errors="surrogatepass")
    _read_and_import(file)


def test_refi_project_with_an_unknown_xml_encoding_is_refused_clearly(valid_datasets, tmp_path):
    import io
    import zipfile

    from framelens.annotate.analysis.formats import refi
    from framelens.annotate.analysis.formats.model import FormatError

    src, out = zipfile.ZipFile(io.BytesIO(valid_datasets[".qdpx"])), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".qde"):
                data = data.replace(b"encoding='utf-8'", b"encoding='ttf-8'", 1)
            dst.writestr(info.filename, data)
    path = tmp_path / "enc.qdpx"
    path.write_bytes(out.getvalue())
    with pytest.raises(FormatError):
        refi.read_qdpx(path)


def test_refi_archive_with_a_damaged_version_field_is_refused_clearly(valid_datasets, tmp_path):
    from framelens.annotate.analysis.formats import refi
    from framelens.annotate.analysis.formats.model import FormatError

    data = bytearray(valid_datasets[".qdpx"])
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"PK\x05\x06"))
    data[central + 6] = 84                # "version needed to extract" 8.4: not supported
    path = tmp_path / "version.qdpx"
    path.write_bytes(bytes(data))
    with pytest.raises(FormatError):
        refi.read_qdpx(path)


def test_importer_keeps_one_very_long_line_whole(tmp_path):
    """A single 12 000-character line goes through every ingest rule and comes out whole.
    How its cost grows with its length (linear, not quadratic) is a speed figure, measured by
    bench/bench_ingest_long_line.py beside a short line in the same run."""
    line = "Report. " + "x" * 12_000
    path = tmp_path / "long.txt"
    path.write_text(line, "utf-8")
    items = read_file(path)
    assert [type(i) for i in items] == [Document]
    assert items[0].text == line


# -- the search box -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def search_project(tmp_path_factory):
    p = store.create_project(tmp_path_factory.mktemp("search") / "s.framelens")
    for text in ("Lavrov met Kishida in Tokyo.", "Переговоры в Токио 𠮷", "東京で会談 👍🏽",
                 "AND OR NOT NEAR \"quoted\" (paren) prefix* col:umn ^caret"):
        store.add_article(p, text=text, title=text[:10])
    yield p
    p.close()


@fuzz(ci=200, stress=10_000, deadline_ms=5000)
@given(query=st.one_of(any_text, st.text(alphabet='"()*:^-+AND OR NOT NEAR{}[],.\\', max_size=30)))
def test_search_any_string(search_project, query):
    hits = store.search(search_project, query, plain=True)
    assert all(isinstance(h.offset, int) and h.offset >= 0 for h in hits)
    try:
        store.search(search_project, query)
    except store.SearchQueryError as exc:
        assert str(exc)


_WINDOW: dict = {}


@pytest.mark.gui
@fuzz(ci=25, stress=600, deadline_ms=10_000)
@given(query=st.one_of(hard_text, st.text(alphabet='"()*:^<>/=AND OR img src', max_size=30)))
def test_search_box_shows_any_string_as_text(gui_window_factory, gui_demo_template, qtbot, query):
    """Typed into the corpus search box, any string gives hits or a plain-text message; an
    unexpected exception in the search worker would show as "SomethingError: …"."""
    import re
    import shutil

    from PySide6.QtCore import Qt

    key = id(gui_window_factory)
    if key not in _WINDOW:
        folder = Path(tempfile.mkdtemp(dir=scratch_dir()))
        _WINDOW.clear()
        _WINDOW[key] = gui_window_factory(shutil.copy(gui_demo_template, folder / "demo.framelens"))
    window = _WINDOW[key]
    corpus = window.corpus
    corpus.search_box.setText(query)
    if not query.strip():
        corpus.run_search()
        return
    with qtbot.waitSignal(corpus.searchFinished, timeout=10_000):
        corpus.run_search()
    message = corpus.search_message.text()
    assert corpus.search_message.textFormat() == Qt.PlainText
    assert not re.match(r"\w+(Error|Exception):", message), message
    for i in range(corpus.hits.count()):
        tip = corpus.hits.item(i).toolTip()
        assert "<img" not in tip and "<script" not in tip
