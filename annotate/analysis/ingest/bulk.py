"""Bulk files: many articles in one CSV/TSV or JSON Lines file.

(Plain ``.json`` is not read: in corpus folders it is usually a metadata side-car, which
would be reported as a bad article file on every folder import.)

Columns (CSV/TSV header) and keys (JSONL) are matched case-insensitively, surrounding spaces
ignored: ``text``, ``title``, ``outlet``, ``country``, ``published``, ``url``, ``author``,
``language``.  Common synonyms are accepted: ``body``/``content`` for text, ``headline`` for
title, ``date``/``pubdate`` for published, ``link`` for url, ``source``/``publication`` for
outlet, ``lang`` for language, ``byline`` for author.  Other columns are kept in
``meta["extra"]``.

Row numbering follows what a person sees: CSV rows are numbered like a spreadsheet (the
header is row 1, so the first article is row 2); JSONL lines are the file's line numbers.
A row without text or with invalid JSON becomes an
ImportProblem naming the row; the other rows still import.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .formats import FIELDS, Capture, decode
from .model import MAX_TEXT_BYTES, ImportProblem

SYNONYMS = {
    "body": "text", "content": "text", "article": "text", "headline": "title",
    "date": "published", "pubdate": "published", "published_at": "published",
    "publication_date": "published", "link": "url", "source": "outlet",
    "publication": "outlet", "lang": "language", "byline": "author",
}
_DELIMITERS = ",;\t|"

# Articles can be longer than the csv module's default field limit (128 KiB).
csv.field_size_limit(max(csv.field_size_limit(), MAX_TEXT_BYTES))

Item = Capture | ImportProblem


def column_name(name: str) -> str:
    """The canonical field a column or key name stands for (or the cleaned name itself)."""
    key = name.strip().lstrip("\ufeff").lower()
    return SYNONYMS.get(key, key)


def _record(source: str, raw: dict, encoding: str | None, kind: str, where: str) -> Item:
    """One row or object as a Capture, or the problem when it has no text."""
    fields: dict[str, str | None] = {}
    extra: dict = {}
    text = None
    for key, value in raw.items():
        if key is None:
            continue
        name = column_name(str(key))
        if name == "text":
            if text is None or (isinstance(value, str) and value.strip()):
                text = value
        elif name in FIELDS and (value is None or isinstance(value, (str, int, float))):
            value = None if value is None else str(value)
            fields[name] = fields.get(name) or (value if value and value.strip() else None)
        else:
            extra[str(key)] = value
    if not isinstance(text, str) or not text.strip():
        column = "column " if kind == "csv" else ""
        return ImportProblem(source, f"{where} has no 'text' {column}value")
    meta: dict = {"format": kind}
    if extra:
        meta["extra"] = extra
    return Capture(source, text, text, encoding, fields, meta)


def read_csv(path: Path, data: bytes) -> list[Item]:
    """Rows of a CSV (or ``.tsv``) file with a header row; the delimiter is ``,`` ``;`` tab or
    ``|``, whichever the header uses most (always tab for ``.tsv``)."""
    text, encoding = decode(data)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(text)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(rows, None)
    except csv.Error as exc:
        return [ImportProblem(str(path), f"CSV error in the header row: {exc}")]
    names = [column_name(h) for h in header or []]
    if "text" not in names:
        shown = ", ".join(h.strip() for h in header or []) or "none"
        return [ImportProblem(str(path), f"CSV file has no 'text' column (columns: {shown})")]
    items: list[Item] = []
    number = 1
    try:
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            raw = {h: v for h, v in zip(header, row)}
            items.append(_record(f"{path}#row={number}", raw, encoding, "csv", f"CSV row {number}"))
    except csv.Error as exc:
        items.append(ImportProblem(f"{path}#row={number + 1}",
                                   f"CSV error on row {number + 1}: {exc}; rest of file skipped"))
    if not items:
        items.append(ImportProblem(str(path), "CSV file has no data rows"))
    return items


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_jsonl(path: Path, data: bytes) -> list[Item]:
    """One JSON object per line; blank lines are skipped."""
    text, encoding = decode(data)
    items: list[Item] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        source = f"{path}#line={number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            items.append(ImportProblem(source, f"invalid JSON on line {number}: {exc.msg} "
                                               f"(column {exc.colno})"))
            continue
        if not isinstance(value, dict):
            items.append(ImportProblem(source, f"line {number} is not a JSON object"))
            continue
        items.append(_record(source, value, encoding, "jsonl", f"JSONL line {number}"))
    if not items:
        items.append(ImportProblem(str(path), "JSONL file has no objects"))
    return items
