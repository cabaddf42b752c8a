"""Span annotations, article-level labels and article memos — each recording its coder.

Offsets are code points into the article text, end exclusive.  The store refuses an annotation
whose offsets fall outside the text or whose quote does not equal ``text[start:end]`` (checked here
with a readable message, and again by triggers in the database).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

from .articles import get_text
from .errors import ProjectError, ValidationError
from .project import Changes, Project, now


@dataclass
class Annotation:
    id: int
    article_id: int
    start: int
    end: int
    code_id: int
    coder_id: int
    quote: str
    memo: str | None
    origin: str
    suggestion_id: int | None
    created_at: str
    updated_at: str
    code: str = ""
    codebook_id: int = 0
    color: str = "#888888"
    coder: str = ""


_ANN_SELECT = (
    'SELECT an.id, an.article_id, an.start, an."end", an.code_id, an.coder_id, an.quote, an.memo,'
    " an.origin, an.suggestion_id, an.created_at, an.updated_at, c.name AS code,"
    " c.codebook_id, c.color, cd.name AS coder"
    " FROM annotations an JOIN codes c ON c.id = an.code_id JOIN coders cd ON cd.id = an.coder_id")


def _validate_span(text: str, start: int, end: int, article_id: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValidationError("span offsets must be whole numbers")
    if start < 0 or end > len(text):
        raise ValidationError(f"span {start}–{end} falls outside article {article_id} "
                              f"(its text has {len(text)} characters)")
    if end <= start:
        raise ValidationError(f"span {start}–{end} is empty or reversed")


def add_annotation(project: Project, *, article_id: int, start: int, end: int, code_id: int,
                   coder_id: int, memo: str | None = None, origin: str = "manual",
                   suggestion_id: int | None = None, quote: str | None = None) -> tuple[int, Changes]:
    """Code ``text[start:end]`` of an article with a code, as one action of ``coder_id``.

    ``quote``, when given (as by scripts and importers), must equal the text at the offsets.
    """
    text = get_text(project, article_id)
    _validate_span(text, start, end, article_id)
    actual = text[start:end]
    if quote is not None and quote != actual:
        raise ValidationError(f"quote {quote!r} does not match article {article_id} at "
                              f"{start}–{end}, which reads {actual!r}")
    code = project.query_one("SELECT name, merged_into FROM codes WHERE id = ?", (code_id,))
    if code is None:
        raise ValidationError(f"no code with id {code_id}")
    if code["merged_into"]:
        raise ValidationError(f"code {code['name']!r} was merged into another code")
    stamp = now()
    with project.action("annotate", f"{code['name']}: {actual[:40]}", coder_id=coder_id) as changes:
        ann_id = project.insert_row("annotations", {
            "article_id": article_id, "start": start, "end": end, "code_id": code_id,
            "coder_id": coder_id, "quote": actual, "memo": memo, "origin": origin,
            "suggestion_id": suggestion_id, "created_at": stamp, "updated_at": stamp})
    return ann_id, changes


def get_annotation(project: Project, annotation_id: int) -> Annotation:
    row = project.query_one(_ANN_SELECT + " WHERE an.id = ?", (annotation_id,))
    if row is None:
        raise ProjectError(f"no annotation with id {annotation_id}")
    return Annotation(**dict(row))


def list_annotations(project: Project, *, article_ids: Iterable[int] | None = None,
                     coder_ids: Iterable[int] | None = None, codebook_id: int | None = None,
                     code_ids: Iterable[int] | None = None) -> list[Annotation]:
    where, params = [], []
    for column, values in (("an.article_id", article_ids), ("an.coder_id", coder_ids),
                           ("an.code_id", code_ids)):
        if values is not None:
            vals = list(values)
            where.append(f"{column} IN ({', '.join('?' for _ in vals) or 'NULL'})")
            params.extend(vals)
    if codebook_id is not None:
        where.append("c.codebook_id = ?")
        params.append(codebook_id)
    sql = _ANN_SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += ' ORDER BY an.article_id, an.start, an."end", an.id'
    return [Annotation(**dict(r)) for r in project.query(sql, params)]


def update_annotation(project: Project, annotation_id: int, *, coder_id: int | None = None,
                      code_id: int | None = None, memo: str | None = ...,  # type: ignore[assignment]
                      start: int | None = None, end: int | None = None) -> Changes:
    """Re-code, re-memo or re-bound an annotation (one action)."""
    ann = get_annotation(project, annotation_id)
    values: dict = {}
    if code_id is not None and code_id != ann.code_id:
        values["code_id"] = code_id
    if memo is not ...:
        values["memo"] = memo or None
    if start is not None or end is not None:
        s = ann.start if start is None else start
        e = ann.end if end is None else end
        text = get_text(project, ann.article_id)
        _validate_span(text, s, e, ann.article_id)
        values.update({"start": s, "end": e, "quote": text[s:e]})
    if not values:
        return Changes()
    values["updated_at"] = now()
    with project.action("annotation-edit", f"annotation {annotation_id}",
                        coder_id=coder_id or ann.coder_id) as changes:
        project.update_row("annotations", annotation_id, values)
    return changes


def delete_annotation(project: Project, annotation_id: int, *, coder_id: int | None = None) -> Changes:
    ann = get_annotation(project, annotation_id)
    with project.action("annotation-delete", f"{ann.code}: {ann.quote[:40]}",
                        coder_id=coder_id or ann.coder_id) as changes:
        project.conn.execute("UPDATE suggestion_decisions SET annotation_id = NULL"
                             " WHERE annotation_id = ?", (annotation_id,))
        project.delete_row("annotations", annotation_id)
    return changes


# -- article-level labels --------------------------------------------------------------------
@dataclass
class ArticleLabel:
    id: int
    article_id: int
    coder_id: int
    code_id: int | None
    question_id: int | None
    value: str
    memo: str | None
    origin: str
    created_at: str
    updated_at: str


def set_article_label(project: Project, *, article_id: int, coder_id: int, value: str | None,
                      code_id: int | None = None, question_id: int | None = None,
                      origin: str = "manual") -> Changes:
    """Set (or with ``value=None`` clear) a coder's label for an article: a code (value "1"/"0")
    or an answer to a question (yes/no "1"/"0", a choice, free text)."""
    if (code_id is None) == (question_id is None):
        raise ValidationError("an article label is either for a code or for a question")
    column, key = ("code_id", code_id) if code_id is not None else ("question_id", question_id)
    existing = project.query_one(
        f"SELECT id, value FROM article_labels WHERE article_id = ? AND coder_id = ? AND {column} = ?",
        (article_id, coder_id, key))
    if question_id is not None and value is not None:
        q = project.query_one("SELECT kind, choices_json, key FROM questions WHERE id = ?", (question_id,))
        if q is None:
            raise ValidationError(f"no question with id {question_id}")
        if q["kind"] == "yesno" and value not in ("0", "1"):
            raise ValidationError(f"question {q['key']!r} takes 1 (yes) or 0 (no), not {value!r}")
        choices = json.loads(q["choices_json"] or "[]")
        if q["kind"] == "choice" and value not in choices:
            raise ValidationError(f"{value!r} is not a choice of question {q['key']!r}")
    with project.action("article-label", f"article {article_id}", coder_id=coder_id) as changes:
        stamp = now()
        if value is None:
            if existing:
                project.delete_row("article_labels", existing["id"])
        elif existing:
            if existing["value"] != value:
                project.update_row("article_labels", existing["id"], {"value": value, "updated_at": stamp})
        else:
            project.insert_row("article_labels", {
                "article_id": article_id, "coder_id": coder_id, "code_id": code_id,
                "question_id": question_id, "value": value, "origin": origin,
                "created_at": stamp, "updated_at": stamp})
    return changes


def list_article_labels(project: Project, *, article_ids: Iterable[int] | None = None,
                        coder_ids: Iterable[int] | None = None) -> list[ArticleLabel]:
    where, params = [], []
    for column, values in (("article_id", article_ids), ("coder_id", coder_ids)):
        if values is not None:
            vals = list(values)
            where.append(f"{column} IN ({', '.join('?' for _ in vals) or 'NULL'})")
            params.extend(vals)
    sql = "SELECT * FROM article_labels" + (" WHERE " + " AND ".join(where) if where else "")
    return [ArticleLabel(**dict(r)) for r in project.query(sql + " ORDER BY article_id, id", params)]


def set_article_memo(project: Project, *, article_id: int, coder_id: int, memo: str) -> Changes:
    """A coder's free memo on a whole article (empty text clears it)."""
    existing = project.query_one("SELECT id, memo FROM article_memos WHERE article_id = ?"
                                 " AND coder_id = ?", (article_id, coder_id))
    with project.action("article-memo", f"article {article_id}", coder_id=coder_id) as changes:
        if not memo.strip():
            if existing:
                project.delete_row("article_memos", existing["id"])
        elif existing:
            if existing["memo"] != memo:
                project.update_row("article_memos", existing["id"], {"memo": memo, "updated_at": now()})
        else:
            project.insert_row("article_memos", {"article_id": article_id, "coder_id": coder_id,
                                                 "memo": memo, "updated_at": now()})
    return changes


def get_article_memo(project: Project, article_id: int, coder_id: int) -> str:
    row = project.query_one("SELECT memo FROM article_memos WHERE article_id = ? AND coder_id = ?",
                            (article_id, coder_id))
    return row[0] if row else ""
