"""Small read helpers the desktop application needs beyond the main store API.

Plain SQL reads only (no Qt, no writes); each returns plain Python data.
"""

from __future__ import annotations

from typing import Iterable

from .project import Project

_CHUNK = 900  # stay below SQLite's default limit of bound parameters


def article_leads(project: Project, article_ids: Iterable[int], *, n_chars: int = 160) -> dict[int, str]:
    """The first ``n_chars`` characters of each article's text, whitespace folded.

    Lists show these in place of a title for articles that have none.
    """
    ids = list(article_ids)
    out: dict[int, str] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for row in project.query(f"SELECT id, substr(text, 1, ?) FROM articles WHERE id IN ({marks})",
                                 (int(n_chars), *chunk)):
            out[row[0]] = " ".join(row[1].split())
    return out


def coded_article_ids(project: Project, *, coder_id: int | None = None) -> set[int]:
    """Ids of articles with at least one span annotation (by ``coder_id`` when given)."""
    if coder_id is None:
        rows = project.query("SELECT DISTINCT article_id FROM annotations")
    else:
        rows = project.query("SELECT DISTINCT article_id FROM annotations WHERE coder_id = ?",
                             (coder_id,))
    return {r[0] for r in rows}

