"""Reading each supported format: text, Markdown, HTML, DOCX, PDF, CSV/TSV and JSONL."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from framelens.annotate.analysis.ingest import Document, ImportProblem, SUPPORTED_SUFFIXES, read_file

DATA = Path(__file__).resolve().parent / "data" / "ingest"
PARA_1 = "Japan and Russia resumed on Monday a ministerial security dialogue for the first time."
PARA_2 = "Russia remains wary of U.S. missile defense abilities in the Asia-Pacific region."


def make_pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF drawing ``lines`` in Helvetica (no text: a filled box)."""
    def escape(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    ops += [("" if i == 0 else "T* ") + f"({escape(line)}) Tj" for i, line in enumerate(lines)]
    stream = "\n".join(ops + ["ET"]).encode("latin-1") if lines else b"0 0 100 100 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def only_document(path) -> Document:
    items = read_file(path)
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


def test_supported_suffixes():
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf", ".csv",
            ".jsonl"} <= SUPPORTED_SUFFIXES
    assert all(s.startswith(".") and s == s.lower() for s in SUPPORTED_SUFFIXES)


def test_plain_text_document_fields(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(f"Russia and Japan resume talks\r\n\r\n{PARA_1}\r\n\r\nReuters\r\n{PARA_2}"
                     .encode("utf-8"))
    doc = only_document(path)
    assert doc.source == str(path) and doc.encoding == "utf-8"
    assert doc.title == "Russia and Japan resume talks"
    assert doc.text == f"Russia and Japan resume talks\n\n{PARA_1}\n\n{PARA_2}"
    assert doc.raw_text.count("\r\n") == 5
    assert [(r.line, r.text, r.reason) for r in doc.removed] == [(4, "Reuters", "agency credit")]
    assert doc.language == "en" and doc.meta["format"] == "text"


def test_markdown_keeps_its_text(tmp_path):
    path = tmp_path / "note.md"
    raw = f"# Talks resume\n\n*Tokyo* — {PARA_1}\n\n> {PARA_2}\n"
    path.write_text(raw, encoding="utf-8")
    doc = only_document(path)
    assert doc.text == raw.strip("\n") and doc.meta["format"] == "markdown"


HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Japan and Russia resume security talks | The Japan Times</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2017-03-20T10:00:00Z">
<link rel="canonical" href="https://www.japantimes.co.jp/news/2017/03/20/national/talks/">
<style>body {{ color: red }} .x:after {{ content: "STYLE_SECRET" }}</style>
<script>var SCRIPT_SECRET = 1; fetch("http://tracker.example.com/pixel");</script>
<script src="http://cdn.example.com/app.js"></script>
</head><body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
<article>
<h1>Japan and Russia resume security talks</h1>
<p>{p1}</p>
<img src="http://images.example.com/photo.jpg" alt="IMG_ALT_SECRET">
<p onclick="alert('ONCLICK_SECRET')">{p2}</p>
<p>Analysts said the meeting was symbolic rather than substantial, but both sides welcomed it.</p>
<iframe src="http://ads.example.com/frame"></iframe>
</article>
<noscript>NOSCRIPT_SECRET</noscript>
<footer>Copyright 2017 The Japan Times</footer>
</body></html>
"""


class _NoNetworkSocket(socket.socket):
    def connect(self, *args, **kwargs):
        raise AssertionError("network access attempted")

    connect_ex = connect


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to resolve a name or open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")
    monkeypatch.setattr(socket, "socket", _NoNetworkSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_html_main_text_and_metadata_without_network(tmp_path, no_network):
    path = tmp_path / "page.html"
    source = HTML.format(p1=PARA_1, p2=PARA_2)
    path.write_text(source, encoding="utf-8")
    doc = only_document(path)
    assert doc.raw_text == source
    assert PARA_1 in doc.text and PARA_2 in doc.text
    for secret in ("SECRET", "fetch(", "color: red", "<", "http://", "Home", "Copyright"):
        assert secret not in doc.text, secret
    assert doc.title == "Japan and Russia resume security talks"
    assert doc.author == "Jane Doe" and doc.published == "2017-03-20"
    assert doc.url == "https://www.japantimes.co.jp/news/2017/03/20/national/talks/"
    assert doc.outlet == "The Japan Times" and doc.country == "JP" and doc.language == "en"
    assert doc.meta["format"] == "html"


def test_html_in_a_declared_legacy_encoding(tmp_path, no_network):
    source = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
              'charset=windows-1251"><title>Переговоры</title></head><body><article><p>'
              + (DATA / "ru.txt").read_text(encoding="utf-8").replace("\n", "</p><p>")
              + "</p></article></body></html>")
    path = tmp_path / "page.htm"
    path.write_bytes(source.encode("cp1251"))
    doc = only_document(path)
    assert doc.encoding == "cp1251" and doc.raw_text == source
    assert "Сергей Лавров и Сергей Шойгу" in doc.text and doc.language == "ru"


def test_html_with_xml_declaration(tmp_path, no_network):
    source = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
              f"<body><p>{PARA_1}</p><p>{PARA_2}</p></body></html>")
    path = tmp_path / "page.html"
    path.write_text(source, encoding="utf-8")
    doc = only_document(path)
    assert PARA_1 in doc.text and PARA_2 in doc.text


def test_html_without_text_is_a_problem(tmp_path, no_network):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body></body></html>")
    [problem] = read_file(path)
    assert isinstance(problem, ImportProblem) and "no text" in problem.reason


def test_docx_paragraphs(tmp_path):
    import docx
    document = docx.Document()
    document.core_properties.title = "Draft"
    document.add_paragraph("Russia and Japan resume talks")
    document.add_paragraph(PARA_1)
    document.add_paragraph("")
    document.add_paragraph("Photo: Mid.ru")
    document.add_paragraph(PARA_2)
    path = tmp_path / "article.docx"
    document.save(path)
    doc = only_document(path)
    assert doc.text == f"Russia and Japan resume talks\n\n{PARA_1}\n\n{PARA_2}"
    assert [r.reason for r in doc.removed] == ["photo credit"]
    assert doc.title == "Russia and Japan resume talks" and doc.encoding is None
    assert doc.meta["format"] == "docx" and doc.meta["file_title"] == "Draft"


@pytest.mark.parametrize("content, reason", [
    (b"this is not a zip file at all", "broken .docx file"),
    (b"PK\x03\x04broken zip", "broken .docx file"),
])
def test_broken_docx(tmp_path, content, reason):
    path = tmp_path / "broken.docx"
    path.write_bytes(content)
    [problem] = read_file(path)
    assert isinstance(problem, ImportProblem) and problem.reason.startswith(reason)
    assert problem.source == str(path)


def test_zip_that_is_not_a_word_document(tmp_path):
    import zipfile
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    [problem] = read_file(path)
    assert "not a Word document" in problem.reason


def test_pdf_text_layer(tmp_path):
    path = tmp_path / "article.pdf"
    path.write_bytes(make_pdf(["Russia and Japan resume talks", PARA_1, PARA_2]))
    doc = only_document(path)
    assert doc.text == f"Russia and Japan resume talks\n{PARA_1}\n{PARA_2}"
    assert doc.title == "Russia and Japan resume talks" and doc.meta["pages"] == 1


def test_pdf_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([]))
    assert read_file(path) == [ImportProblem(str(path), "PDF has no text layer (scanned?)")]


def test_broken_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a PDF")
    [problem] = read_file(path)
    assert isinstance(problem, ImportProblem) and problem.reason.startswith("broken .pdf file")


CSV_HEADER = "Text,TITLE, outlet ,country,published,url,author,language,notes\n"


def test_csv_bulk_with_a_bad_row(tmp_path):
    rows = [
        f'"{PARA_1}\n\n{PARA_2}",Talks resume,Kyodo,,20.03.2017,,Taro Yamada,en,first',
        ',No text here,TASS,RU,2017-03-20,,,,second',
        f'"{PARA_2}",,Global Times,,March 2017,,,,third',
        f'"{PARA_1}",,Some Blog,xx-land,sometime,https://tass.com/politics/1,,EN-gb,fourth',
        f'"{PARA_2}",,,uk,,,,jp,fifth',
    ]
    path = tmp_path / "bulk.csv"
    path.write_text(CSV_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    items = read_file(path)
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Document", "ImportProblem", "Document", "Document", "Document"]
    first, problem, third, fourth, fifth = items
    assert first.source == f"{path}#row=2" and first.text == f"{PARA_1}\n\n{PARA_2}"
    assert (first.title, first.outlet, first.country, first.published, first.author) == (
        "Talks resume", "Kyodo News", "JP", "2017-03-20", "Taro Yamada")
    assert first.meta["extra"] == {"notes": "first"} and first.meta["format"] == "csv"
    assert problem == ImportProblem(f"{path}#row=3", "CSV row 3 has no 'text' column value")
    assert (third.outlet, third.country, third.published) == ("Global Times", "CN", "2017-03")
    assert fourth.outlet == "Some Blog" and fourth.country is None and fourth.published is None
    assert fourth.meta["published_raw"] == "sometime" and fourth.meta["country_raw"] == "xx-land"
    assert fourth.language == "en" and fourth.url == "https://tass.com/politics/1"
    assert (fifth.country, fifth.language, fifth.outlet) == ("GB", "ja", None)


def test_csv_in_cp1251_with_semicolons(tmp_path):
    ru = (DATA / "ru.txt").read_text(encoding="utf-8").strip()
    path = tmp_path / "russian.csv"
    path.write_bytes(f'текст;title;outlet\n"{ru}";Переговоры «2+2»;ТАСС\n'
                     .replace("текст", "text").encode("cp1251"))
    [doc] = read_file(path)
    assert isinstance(doc, Document) and doc.encoding == "cp1251"
    assert doc.text == ru and doc.title == "Переговоры «2+2»" and doc.outlet == "TASS"
    assert doc.language == "ru" and doc.country == "RU"


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("headline,date\nTalks,2017-03-20\n", encoding="utf-8")
    [problem] = read_file(path)
    assert problem.reason == "CSV file has no 'text' column (columns: headline, date)"


def test_tsv_bulk(tmp_path):
    path = tmp_path / "bulk.tsv"
    path.write_text(f"title\ttext\nOne\t{PARA_1}\nTwo\t{PARA_2}\n", encoding="utf-8")
    docs = read_file(path)
    assert [d.title for d in docs] == ["One", "Two"] and docs[1].source == f"{path}#row=3"


def test_jsonl_bulk_with_bad_lines(tmp_path):
    lines = [
        json.dumps({"text": PARA_1, "title": "One", "url": "https://www.rbth.com/x",
                    "published": "2017-03-20T10:00:00Z", "section": "politics"}),
        "",
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps(["a", "list"]),
        json.dumps({"TEXT": PARA_2, "Outlet": "xinhua", "Language": "en"}, ensure_ascii=False),
    ]
    path = tmp_path / "bulk.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_file(path)
    assert [type(i).__name__ for i in items] == [
        "Document", "ImportProblem", "ImportProblem", "ImportProblem", "Document"]
    first, bad_json, no_text, not_object, last = items
    assert first.source == f"{path}#line=1" and first.outlet == "Russia Beyond"
    assert first.country == "RU" and first.published == "2017-03-20"
    assert first.meta["extra"] == {"section": "politics"}
    assert bad_json.source == f"{path}#line=3"
    assert bad_json.reason.startswith("invalid JSON on line 3: ")
    assert no_text == ImportProblem(f"{path}#line=4", "JSONL line 4 has no 'text' value")
    assert not_object.reason == "line 5 is not a JSON object"
    assert last.source == f"{path}#line=6" and last.outlet == "Xinhua" and last.country == "CN"
