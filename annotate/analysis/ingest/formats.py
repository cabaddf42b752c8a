"""Readers for single-article files: plain text and Markdown, saved HTML pages, DOCX and PDF.

Each reader turns a file into a :class:`Capture` - the captured text plus whatever metadata the
file itself carries - or raises :class:`ReadError` with the reason to report.  Cleaning,
metadata normalisation and outlet recognition happen afterwards, the same for every format
(see :mod:`annotate.ingest.reader`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .decoding import DecodeError, declared_html_encoding, decode_bytes
from .dates import normalise_date
from .metadata import is_name, page_metadata
from .standfirst import find_standfirst
from .model import MAX_CONTAINER_BYTES, megabytes

FIELDS = ("title", "author", "published", "url", "outlet", "country", "language")
_HTML_LANG = re.compile(rb"<html\b[^>]{0,500}?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3})\b",
                        re.IGNORECASE)


class ReadError(ValueError):
    """A file that cannot be read; the message is the human reason."""


@dataclass
class Capture:
    """What a reader got out of a file, before cleaning.

    ``raw_text`` is kept by the store as the capture (decoded bytes, only a BOM dropped; for
    DOCX and PDF the extracted text).  ``body`` is the text that gets cleaned: the same as
    ``raw_text`` for plain text, the extracted main text for HTML.  ``fields`` holds the
    metadata named in :data:`FIELDS` as the file gave it, not yet normalised.
    """

    source: str
    raw_text: str
    body: str
    encoding: str | None
    fields: dict[str, str | None] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)


def decode(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """:func:`decode_bytes` with its error turned into a :class:`ReadError`."""
    try:
        return decode_bytes(data, declared=declared)
    except DecodeError as exc:
        raise ReadError(str(exc)) from exc


def read_plain(path: Path, data: bytes) -> Capture:
    """A ``.txt`` or Markdown file: the whole decoded text is the capture (Markdown syntax is
    kept as written)."""
    text, encoding = decode(data)
    kind = "text" if path.suffix.lower() == ".txt" else "markdown"
    return Capture(str(path), text, text, encoding, meta={"format": kind})


def read_html(path: Path, data: bytes) -> Capture:
    """A saved web page: ``raw_text`` is the decoded HTML source, ``body`` the main text found
    by trafilatura (scripts, styles, images, comments and navigation are dropped; nothing is
    fetched).  Title, author, date and URL come from the page's metadata (its own declarations,
    :func:`metadata.page_metadata`, before trafilatura's inferences); the site name goes to
    ``meta["site_name"]``; the language from ``<html lang>``.  Pages where trafilatura finds no article fall back to all visible text.
    """
    html, encoding = decode(data, declared=declared_html_encoding(data))
    body, fields, meta = extract_html(html)
    own = page_metadata(html)
    # the page's own declarations win over what the extractor inferred
    if own.get("published") and (normalise_date(own["published"]) or not fields.get("published")):
        fields["published"] = own["published"]
    if own.get("url"):      # og:url, the page itself, before a canonical link to a syndicator
        fields["url"] = own["url"]
    if own.get("author") and not fields.get("author"):
        fields["author"] = own["author"]
    if own.get("site_name"):
        meta["site_name"] = own["site_name"]
    elif meta.get("sitename") and is_name(meta["sitename"], fields.get("title")):
        meta["site_name"] = meta["sitename"]
    lang = _HTML_LANG.search(data[:8192])
    if lang:
        fields["language"] = declared_or_text_language(lang.group(1).decode("ascii").lower(),
                                                       body, meta)
    meta["format"] = "html"
    return Capture(str(path), html, body, encoding, fields, meta)


def declared_or_text_language(declared: str, body: str, meta: dict) -> str | None:
    """The page's ``<html lang>`` unless its own text says otherwise.

    A site template's ``lang`` is often not the article's (Libération's pages declare ``en``
    inside conditional comments over French text).  When the main text is long enough to be
    identified (200 characters) and identification names another language, the text wins and
    the declaration is kept in ``meta["language_declared"]``.  Chinese against Japanese is the
    exception: a kanji-heavy Japanese text can read as Chinese (docs/ingest.md, Language
    identification), so there the declaration stands.  On the 37 real pages of the tests the
    two disagreed once (Libération)."""
    from .scripts import guess_language

    code = declared.split("-")[0].split("_")[0]
    if len(body) < 200:
        return declared
    found = guess_language(body)
    if found is None or found == code or {found, code} == {"zh", "ja"}:
        return declared
    meta["language_declared"] = declared
    return None


def extract_html(html: str) -> tuple[str, dict[str, str | None], dict]:
    """Main text, metadata fields and extra metadata of an HTML document (no network)."""
    import trafilatura
    from trafilatura.settings import set_date_params

    try:
        result = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_images=False,
            include_links=False, include_tables=True, include_formatting=False,
            date_extraction_params=set_date_params(False))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ReadError(f"cannot parse HTML ({exc})") from exc
    meta: dict = {"extractor": "trafilatura"}
    fields: dict[str, str | None] = {}
    body = ""
    if result is not None:
        body = result.text or ""
        fields = {"title": result.title, "author": result.author, "published": result.date,
                  "url": result.url}
        for key in ("sitename", "hostname", "description"):
            value = getattr(result, key, None)
            if value:
                meta[key] = value
    if not body.strip():
        body = trafilatura.html2txt(html)
        meta["extractor"] = "html2txt"
    else:
        lead = find_standfirst(html, body, fields.get("title"))
        if lead:        # the lead paragraph the extractor dropped (ingest/standfirst.py)
            body = f"{lead}\n{body}"
            meta["standfirst"] = "restored"
    return body, fields, meta


def read_docx(path: Path) -> Capture:
    """A Word document: the text of its body in reading order, one paragraph per line with a
    blank line between paragraphs.

    Reading order: body paragraphs and tables as they come; a table row by row, each cell's
    paragraphs in turn (nested tables inside the cell where they stand); a text box right after
    the paragraph that anchors it (its ``mc:Fallback`` VML copy is skipped, so each box is read
    once); content controls (``w:sdt``) in place.  Deleted revisions (``w:delText``) are not
    text.  File properties (title, author, created) go to ``meta`` as ``file_title``,
    ``file_author``, ``file_created``: they describe the file, not necessarily the article."""
    _check_docx_container(path)
    import docx

    try:
        document = docx.Document(str(path))
        paragraphs = list(_docx_paragraphs(document.element.body))
        props = document.core_properties
        meta = {"format": "docx", "file_title": props.title or None,
                "file_author": props.author or None,
                "file_created": props.created.isoformat() if props.created else None}
    except Exception as exc:   # python-docx raises many kinds on damaged packages
        raise ReadError(f"broken .docx file ({_short(exc)})") from exc
    text = "\n\n".join(p for p in paragraphs if p.strip())
    return Capture(str(path), text, text, None, meta={k: v for k, v in meta.items() if v})


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_VML_TEXTBOX = "{urn:schemas-microsoft-com:vml}textbox"


def _docx_paragraphs(container):
    """Paragraph texts of a body, table cell, text box or content control, in reading order."""
    for child in container:
        tag = child.tag
        if tag == _W + "p":
            yield from _docx_paragraph(child)
        elif tag == _W + "tbl":
            for row in child.iter(_W + "tr"):
                if _enclosing_table(row) is not child:
                    continue        # a row of a nested table: read inside its cell
                for cell in row:
                    if cell.tag == _W + "tc":
                        yield from _docx_paragraphs(cell)
        elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins"):
            yield from _docx_paragraphs(child)


def _enclosing_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != _W + "tbl":
        parent = parent.getparent()
    return parent


def _docx_paragraph(paragraph):
    """The paragraph's own text, then the paragraphs of the text boxes it anchors."""
    parts: list[str] = []
    boxes = []
    stack = [iter(paragraph)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        tag = element.tag
        if tag == _W + "txbxContent":
            boxes.append(element)
        elif tag in (_MC_FALLBACK, _VML_TEXTBOX, _W + "delText", _W + "pPr", _W + "rPr"):
            continue
        elif tag == _W + "t":
            parts.append(element.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        else:
            stack.append(iter(element))
    yield "".join(parts)
    for box in boxes:
        yield from _docx_paragraphs(box)


def _check_docx_container(path: Path) -> None:
    """Refuse damaged ZIPs and decompression bombs before python-docx inflates them."""
    try:
        with zipfile.ZipFile(path) as package:
            names = {info.filename: info.file_size for info in package.infolist()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ReadError(f"broken .docx file ({_short(exc)})") from exc
    if "word/document.xml" not in names:
        raise ReadError("broken .docx file (no word/document.xml: not a Word document)")
    inflated = names["word/document.xml"]
    if inflated > MAX_CONTAINER_BYTES:
        raise ReadError(f"file too large: document part inflates to {megabytes(inflated)}")


def read_pdf(path: Path) -> Capture:
    """A PDF's text layer, page by page (pages separated by a blank line).  A PDF whose pages
    carry no text is refused as scanned; password-protected PDFs are refused.  Document
    information (title, author, creation date) goes to ``meta`` like for DOCX."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("PDF is password-protected")
        pages = [(page.extract_text() or "") for page in reader.pages]
        info = reader.metadata
        meta = {"format": "pdf", "pages": len(pages)}
        if info is not None:
            meta.update({"file_title": info.title or None, "file_author": info.author or None})
    except ReadError:
        raise
    except Exception as exc:   # pypdf raises many kinds on damaged files
        raise ReadError(f"broken .pdf file ({_short(exc)})") from exc
    if not "".join(pages).strip():
        raise ReadError("PDF has no text layer (scanned?)")
    text = "\n\n".join(page.strip("\n") for page in pages if page.strip())
    return Capture(str(path), text, text, None, meta={k: v for k, v in meta.items() if v})


def _short(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message[:160]
