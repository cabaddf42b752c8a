"""The values the importing layer hands to the rest of FrameLens.

A read file yields :class:`Document` objects (one per article; a CSV or JSONL file yields one
per row) and :class:`ImportProblem` objects (one per file or row that could not be read).
Nothing in this package touches the database; the store turns Documents into articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Largest accepted article text, measured as UTF-8 bytes of the decoded text.
MAX_TEXT_BYTES = 20 * 1024 * 1024

#: Largest .docx / .pdf file opened at all (they may carry images); the text limit still applies.
MAX_CONTAINER_BYTES = 10 * MAX_TEXT_BYTES

#: Largest bulk file (.csv, .tsv, .jsonl, .ndjson) read at all; each row obeys MAX_TEXT_BYTES.
MAX_BULK_BYTES = 10 * MAX_TEXT_BYTES

PLAIN_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
BULK_SUFFIXES = frozenset({".csv", ".tsv", ".jsonl", ".ndjson"})

#: File name suffixes (lower case, with the dot) that :func:`read_file` understands.
SUPPORTED_SUFFIXES: frozenset[str] = (
    PLAIN_SUFFIXES | HTML_SUFFIXES | BULK_SUFFIXES | frozenset({".docx", ".pdf"})
)


@dataclass
class RemovedLine:
    """A piece of page furniture taken out of the analysed text.

    ``line`` is the 0-based line number in the text that was cleaned, after newline
    normalisation (for plain text that is ``raw_text``; for HTML, DOCX and PDF it is the text
    extracted from the file).  ``text`` is the whole line, or one removed image caption when
    captions were glued together or to paragraph text on the same line (one RemovedLine per
    caption, all with the same ``line``).
    """

    line: int
    text: str
    reason: str


@dataclass
class Document:
    """One article as read from a file, ready to be stored."""

    text: str
    raw_text: str
    removed: list[RemovedLine]
    source: str
    encoding: str | None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    country: str | None = None
    language: str | None = None
    meta: dict = field(default_factory=dict)


@dataclass
class ImportProblem:
    """A file (or one row of a bulk file) that could not be imported, and why, in plain words."""

    source: str
    reason: str


def megabytes(size: int) -> str:
    """``31.2 MB`` style size for messages (1 MB = 1024 * 1024 bytes)."""
    return f"{size / (1024 * 1024):.1f} MB"


def limit_text(limit: int) -> str:
    """``20 MB`` style limit for messages."""
    return f"{limit / (1024 * 1024):g} MB"


def too_large_text(size: int) -> str:
    """The reason given for text over :data:`MAX_TEXT_BYTES`."""
    return f"file too large: {megabytes(size)} of text (limit {limit_text(MAX_TEXT_BYTES)})"
