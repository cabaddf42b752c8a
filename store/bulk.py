"""Bulk reads for exports and analyses: whole selections in one query each.

:func:`store.get_article` and :func:`store.list_annotations` are made for views (one article,
rich rows).  An export of 50,000 articles and 500,000 annotations needs the texts in one pass
and the annotations as plain tuples; these helpers give exactly that, read-only, in the same
orders as the per-row functions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .project import Project

#: the columns of :func:`iter_annotation_rows`, in order
ANNOTATION_ROW = ("id", "article_id", "start", "end", "code_id", "coder_id", "quote", "memo")


@dataclass
class ArticleText:
    """An article as an export needs it: its metadata and text (not the raw capture)."""

    id: int
    title: str | None
    outlet: str | None
    country: str | None
    published: str | None
    language: str | None
    author: str | None
    url: str | None
    text: str
    text_sha256: str
    meta: dict = field(default_factory=dict)


def _in(column: str, values: Iterable[int] | None, params: list) -> str | None:
    if values is None:
        return None
    vals = list(values)
    params.extend(vals)
    return f"{column} IN ({', '.join('?' for _ in vals) or 'NULL'})"


def list_article_texts(project: Project, *, story_id: int | None = None) -> list[ArticleText]:
    """Every article (or a story's, in story order) with its text, ordered as
    :func:`store.list_articles` orders them."""
    sql = ("SELECT a.id, a.title, o.name, o.country, a.published, a.language, a.author, a.url,"
           " a.text, a.text_sha256, a.meta_json FROM articles a"
           " LEFT JOIN outlets o ON o.id = a.outlet_id")
    params: list = []
    if story_id is not None:
        sql += (" JOIN story_articles sa ON sa.article_id = a.id AND sa.story_id = ?"
                " ORDER BY sa.position, a.id")
        params.append(story_id)
    else:
        sql += " ORDER BY a.published, a.id"
    cur = project.conn.cursor()
    cur.row_factory = None
    out = []
    for row in cur.execute(sql, params):
        meta = row[10]
        out.append(ArticleText(*row[:10], json.loads(meta) if meta and meta != "{}" else {}))
    return out


def iter_annotation_rows(project: Project, *, coder_ids: Iterable[int] | None = None,
                         code_ids: Iterable[int] | None = None,
                         article_ids: Iterable[int] | None = None) -> Iterator[tuple]:
    """Annotations as plain tuples (see :data:`ANNOTATION_ROW`), ordered by article, start,
    end and id like :func:`store.list_annotations`; streamed, not materialised."""
    params: list = []
    where = [w for w in (_in("coder_id", coder_ids, params), _in("code_id", code_ids, params),
                         _in("article_id", article_ids, params)) if w]
    sql = ('SELECT id, article_id, start, "end", code_id, coder_id, quote, memo FROM annotations'
           + (" WHERE " + " AND ".join(where) if where else "")
           + ' ORDER BY article_id, start, "end", id')
    cur = project.conn.cursor()
    cur.row_factory = None
    yield from cur.execute(sql, params)
