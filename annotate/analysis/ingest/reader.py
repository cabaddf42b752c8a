"""Reading files and folders into Documents: the entry points of the importing layer.

For every article, whatever the format: the captured text is cleaned of page furniture
(:func:`clean_text`), the title is the file's own (HTML metadata, CSV column) or else the
first headline-like line, the date is normalised to ISO (an unreadable date is kept in
``meta["published_raw"]``; a plain-text capture without a date gets the one in its
date-and-rubric line or dateline, noted as ``meta["published_from"] = "dateline"``), the outlet
is the file's own (canonical registry name when the registry knows it) or else the one
:func:`recognise_outlet` finds, the country is the file's own or the outlet's, and the
language is the file's own, else guessed from the script, else the outlet's.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from framelens import store

from . import bulk, formats
from .dates import normalise_date
from .decoding import normalise_text
from .formats import Capture, ReadError
from .furniture import clean_text, guess_title
from .model import (BULK_SUFFIXES, HTML_SUFFIXES, MAX_BULK_BYTES, MAX_CONTAINER_BYTES,
                    MAX_TEXT_BYTES, SUPPORTED_SUFFIXES, Document, ImportProblem, RemovedLine,
                    limit_text, megabytes, too_large_text)
from .metadata import clean_author, clean_title, country_of_host
from .outlets import Outlet, agency_dateline, lookup_outlet, outlet_for_url, recognise_outlet
from .scripts import guess_language

Item = Document | ImportProblem

_DATELINE = re.compile(
    r"^(\d{1,2}\s+[A-Za-zА-Яа-яё]+\.?\s+\d{4}|[A-Za-z]+\.?\s+\d{1,2},\s+\d{4})\.\s")
_LANGUAGE_MISTAKES = {"jp": "ja", "cn": "zh", "kr": "ko", "ua": "uk", "gr": "el"}
_NUMERIC_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{4}")
_BOMS_WIDE = ((b"\xff\xfe\x00\x00", 4), (b"\x00\x00\xfe\xff", 4),
              (b"\xff\xfe", 2), (b"\xfe\xff", 2))


def iter_documents(paths: Iterable[str | Path], *, recursive: bool = True) -> Iterator[Item]:
    """Documents and ImportProblems of the given files and folders, in order (the files of
    :func:`list_files`, each read with :func:`read_file`).  Never raises for a bad file or
    folder: it becomes an ImportProblem."""
    for item in list_files(paths, recursive=recursive):
        if isinstance(item, ImportProblem):
            yield item
        else:
            yield from read_file(item)


def list_files(paths: Iterable[str | Path], *, recursive: bool = True) -> Iterator[Path | ImportProblem]:
    """The files to read for the given files and folders, in order.

    Folders are walked in name order (into sub-folders when ``recursive``), skipping hidden
    entries (``.name``), Office lock files (``~$name``) and files whose suffix is not in
    ``SUPPORTED_SUFFIXES``; a file given explicitly is always listed, so an unsupported one is
    reported when read.  A folder that cannot be listed, or a path that does not exist, is an
    ImportProblem.
    """
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, recursive, seen)
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield ImportProblem(str(path), "no such file or folder")


def _walk(folder: Path, recursive: bool, seen: set[Path]) -> Iterator[Path | ImportProblem]:
    real = folder.resolve()
    if real in seen:        # a symbolic link back to a folder already walked
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield ImportProblem(str(folder), f"cannot list folder: {_os_reason(exc)}")
        return
    for entry in entries:
        if entry.name.startswith((".", "~$")):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if recursive:
                yield from _walk(path, recursive, seen)
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path


def read_file(path: str | Path) -> list[Item]:
    """Every Document and ImportProblem of one file (one item, or one per row of a bulk file).

    Never raises: missing, unreadable, empty, binary, undecodable, oversized, damaged and
    unsupported files become an ImportProblem whose reason says which; so does a defect of
    the reader, and then it is the file's only item.
    """
    path = Path(path)
    try:
        return list(_read(path))
    except Exception as exc:
        return [_problem(path, exc)]


def iter_file(path: str | Path) -> Iterator[Item]:
    """:func:`read_file`, one item at a time: a bulk file's rows are cleaned as they are
    asked for, so an importer can store the first rows while the next ones are read.

    The items are those of :func:`read_file`, with one difference, for a defect of the reader
    only (an unexpected exception while cleaning a row): the rows before it have been
    handed out already, so the problem follows them and ends the file.
    """
    path = Path(path)
    try:
        yield from _read(path)
    except Exception as exc:
        yield _problem(path, exc)


def _problem(path: Path, exc: Exception) -> ImportProblem:
    if isinstance(exc, ReadError):
        return ImportProblem(str(path), str(exc))
    if isinstance(exc, OSError):
        return ImportProblem(str(path), _os_reason(exc))
    # a reader defect must not stop a bulk import
    return ImportProblem(str(path), f"unexpected error while reading: {type(exc).__name__}: {exc}")


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "cannot read: permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    return f"cannot read: {exc.strerror or exc}"


def _read(path: Path) -> Iterator[Item]:
    """The items of a file, lazily (a bulk file is decoded and split at once, its rows
    cleaned one by one); raises for what :func:`read_file` reports."""
    stat = path.stat()
    if store.is_open_project_file(path):
        # never open() it: closing that descriptor would drop this process's SQLite locks
        yield ImportProblem(str(path), "is a FrameLens project file open in this program, "
                                       "not an article")
        return
    if path.is_dir():
        yield ImportProblem(str(path), "is a folder, not a file")
        return
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield ImportProblem(str(path), f"unsupported file type {suffix or '(no suffix)'}")
        return
    if not path.is_file():
        yield ImportProblem(str(path), "not a regular file")
        return
    if stat.st_size == 0:
        yield ImportProblem(str(path), "empty file")
        return
    if suffix == ".docx":
        yield _finish(formats.read_docx(_checked_size(path, stat.st_size, MAX_CONTAINER_BYTES)))
        return
    if suffix == ".pdf":
        yield _finish(formats.read_pdf(_checked_size(path, stat.st_size, MAX_CONTAINER_BYTES)))
        return
    if suffix in BULK_SUFFIXES:
        _checked_size(path, stat.st_size, MAX_BULK_BYTES)
        for item in _read_bulk(path, suffix, path.read_bytes()):
            yield _finish(item) if isinstance(item, Capture) else item
        return
    data = _read_text_bytes(path, stat.st_size)
    if suffix in HTML_SUFFIXES:
        capture = formats.read_html(path, data)
    else:
        capture = formats.read_plain(path, data)
    if not capture.raw_text.strip():
        yield ImportProblem(str(path), "empty file (only whitespace)")
        return
    yield _finish(capture)


def _read_bulk(path: Path, suffix: str, data: bytes) -> list[Capture | ImportProblem]:
    if not data.strip():
        return [ImportProblem(str(path), "empty file (only whitespace)")]
    if suffix in (".csv", ".tsv"):
        return bulk.read_csv(path, data)
    return bulk.read_jsonl(path, data)


def _checked_size(path: Path, size: int, limit: int) -> Path:
    if size > limit:
        raise ReadError(f"file too large: {megabytes(size)} (limit {limit_text(limit)} "
                        f"for {path.suffix.lower()} files)")
    return path


def _read_text_bytes(path: Path, size: int) -> bytes:
    """The bytes of a text file, refusing before reading when they must exceed the text limit.

    Decoded to UTF-8, 8-bit and multi-byte legacy encodings never shrink, so a file over
    MAX_TEXT_BYTES (plus a UTF-8 BOM) is too large; UTF-16/32 files may shrink by 2 or 4.
    """
    with path.open("rb") as handle:
        head = handle.read(4)
        factor = next((f for bom, f in _BOMS_WIDE if head.startswith(bom)), 1)
        limit = MAX_TEXT_BYTES * factor
        if size > limit + 3:
            raise ReadError(too_large_text(size) if factor == 1 else
                            f"file too large: {megabytes(size)} (limit {limit_text(limit)} "
                            f"for UTF-{8 * factor} files)")
        return head + handle.read()


def _finish(capture: Capture) -> Item:
    """Clean a capture and complete its metadata (see the module docstring)."""
    fields = {k: (v.strip() if isinstance(v, str) and v.strip() else None)
              for k, v in capture.fields.items()}
    body = normalise_text(capture.body)
    if not body.strip():
        return ImportProblem(capture.source, "no text found in the file")
    text, removed = clean_text(body, title=fields.get("title"), normalised=True)
    if not text.strip():
        return ImportProblem(capture.source, "no article text left after removing page furniture")
    for value in (text, capture.raw_text):
        size = len(value.encode("utf-8", "surrogatepass"))
        if size > MAX_TEXT_BYTES:
            return ImportProblem(capture.source, too_large_text(size))
    meta = dict(capture.meta)
    published = _published(fields.get("published"), text, removed, capture, meta)
    outlet_name, outlet = _outlet(fields.get("outlet"), body, fields.get("url"), meta,
                                  fields.get("title"))
    site_names = tuple(n for n in (meta.get("site_name"), outlet_name, meta.get("hostname"),
                                   *(outlet.aliases if outlet else ())) if n)
    title = clean_title(fields.get("title"), site_names) or guess_title(text)
    author = clean_author(fields.get("author"))
    if author and _folded(author) in {_folded(n) for n in site_names}:
        author = None       # the publisher named as author (JSON-LD Organization)
    if fields.get("author") and author is None:
        meta["author_refused"] = fields["author"]
    return Document(
        text=text, raw_text=capture.raw_text, removed=removed, source=capture.source,
        encoding=capture.encoding, title=title,
        author=author, published=published, url=fields.get("url"),
        outlet=outlet_name, country=_country(fields.get("country"), outlet, meta),
        language=_language(fields.get("language"), text, outlet, meta), meta=meta)


def _published(given: str | None, text: str, removed: list[RemovedLine], capture: Capture,
               meta: dict) -> str | None:
    if given:
        published = normalise_date(given)
        if published is None:
            meta["published_raw"] = given
        return published
    if capture.meta.get("format") not in ("text", "markdown"):
        return None
    candidates = [m.group(0) for r in removed if r.reason == "date and rubric line"
                  for m in [_NUMERIC_DATE.search(r.text)] if m]
    head = text.lstrip().split("\n", 3)[:3]
    candidates += [m.group(1) for line in head for m in [_DATELINE.match(line)] if m]
    for candidate in candidates:
        published = normalise_date(candidate)
        if published:
            meta["published_from"] = "dateline"
            return published
    return None


def _folded(name: str) -> str:
    return re.sub(r"[\s.'’]+", "", name).casefold().removeprefix("the")


def _outlet(given: str | None, body: str, url: str | None, meta: dict,
            title: str | None = None) -> tuple[str | None, Outlet | None]:
    """(outlet name, registry Outlet or None), in this order: the file's own outlet field
    (CSV/JSONL column); the page's own site name (``og:site_name``, JSON-LD publisher...)
    when the registry knows it; the registry outlet of the URL or host name; the site name as
    the page writes it; a registry outlet named at either end of the page's title
    (``…-新华网``); the page's host name (``tagesspiegel.de``); only then how the text names its
    publisher (:func:`recognise_outlet`).  A page that names itself is never filed under an agency it
    cites; a wire dateline (``【モスクワ共同】``) in such a page is kept as ``meta["wire"]``."""
    if given:
        known = lookup_outlet(given)
        return (known.name if known else given), known
    site = meta.get("site_name")
    host = (urlsplit(url).hostname if url and "//" in url else None) or meta.get("hostname")
    known = lookup_outlet(site) if site else None
    if known is None:
        known = outlet_for_url(url) or (outlet_for_url(host) if host else None)
    if known is None and site is None and title and meta.get("format") == "html":
        known = _outlet_in_title(title)
    if known is None and site is None and host and meta.get("format") == "html":
        site = host.lower().removeprefix("www.")
    if known is not None or site:
        wire = next((a for a in map(agency_dateline, body.lstrip().split("\n", 8)[:8]) if a), None)
        if wire is not None and (known is None or wire.name != known.name):
            meta["wire"] = wire.name
        if known is None and host:
            meta.setdefault("country_from_domain", country_of_host(host))
        return (known.name if known else site), known
    known = recognise_outlet(body, url)
    return (known.name if known else None), known


def _outlet_in_title(title: str) -> Outlet | None:
    """A registry outlet named by the first or last segment of a page title."""
    parts = [p.strip() for p in re.split(r"\s+[|｜\-–—»·]\s+|[|｜_]|-(?=[^-\s]{1,20}$)", title)
             if p.strip()]
    if len(parts) < 2:
        return None
    return lookup_outlet(parts[-1]) or lookup_outlet(parts[0])


def _country(given: str | None, outlet: Outlet | None, meta: dict) -> str | None:
    """The file's two-letter country code (``UK`` read as ``GB``), else the registry
    outlet's, else the country-code domain of a page that names itself (``t3n.de`` -> ``DE``);
    other values are kept in ``meta["country_raw"]``."""
    if given:
        if re.fullmatch(r"[A-Za-z]{2}", given):
            code = given.upper()
            return "GB" if code == "UK" else code
        meta["country_raw"] = given
    if outlet:
        return outlet.country
    return meta.pop("country_from_domain", None) or None


def _language(given: str | None, text: str, outlet: Outlet | None, meta: dict) -> str | None:
    """The file's language tag reduced to ISO 639-1 (``en-GB`` -> ``en``; the country codes
    people write by mistake ``jp cn kr ua gr`` -> ``ja zh ko uk el``), else the language guessed
    from the text, else the outlet's; other values are kept in ``meta["language_raw"]``."""
    if given:
        match = re.fullmatch(r"([A-Za-z]{2})(?:[-_][A-Za-z0-9]{2,8})*", given)
        if match:
            code = match.group(1).lower()
            return _LANGUAGE_MISTAKES.get(code, code)
        meta["language_raw"] = given
    return guess_language(text) or (outlet.language if outlet else None)
