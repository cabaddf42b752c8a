"""Adjudication: the project's final coding, held by the coder :data:`ADJUDICATED`.

An adjudicator resolves a disagreement between coders by picking one coder's version (a span
or an article label), optionally edited, which is *copied* into the ``adjudicated`` coder; the
coders' own codings are never changed.  A copy records where it came from in its ``origin``:
``adjudicated-from:<id>``, the id of the copied row in the same table (``annotations`` for
spans, ``article_labels`` for labels).

A disagreement can also be resolved by keeping none of the versions ("the code does not apply
here").  Nothing is created in the coding tables for that; the decision is one logged action of
kind ``adjudicate-none`` whose description names the article, the code and the range
(``kept none: article 3, code 17, 120-245``).  Undoing that action (:func:`store.undo`) undoes
the decision, redoing it restores it; :func:`kept_none` reads the decisions that stand.

Every function here is one user action and can be undone with :func:`store.undo`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .annotations import (
    Annotation, ArticleLabel, add_annotation, get_annotation, list_annotations,
    list_article_labels, set_article_label,
)
from .articles import get_text
from .coders import ADJUDICATED, ensure_coder, find_coder
from .errors import ConflictError, ProjectError, ValidationError
from .project import Changes, Project, now

ORIGIN_PREFIX = "adjudicated-from:"
KEPT_NONE_KIND = "adjudicate-none"
_KEPT_NONE = re.compile(r"kept none: article (\d+), code (\d+), (\d+)-(\d+)")


@dataclass
class KeptNone:
    """A standing decision that none of the coders' versions of a code in a range is kept."""

    action_id: int
    article_id: int
    code_id: int
    start: int
    end: int
    created_at: str


@dataclass
class AdjudicationStatus:
    article_id: int
    spans: list[Annotation] = field(default_factory=list)       # the adjudicated coder's spans
    labels: list[ArticleLabel] = field(default_factory=list)    # ... and article labels
    span_sources: dict[int, int] = field(default_factory=dict)  # adjudicated id -> copied id
    label_sources: dict[int, int] = field(default_factory=dict)
    kept_none: list[KeptNone] = field(default_factory=list)

    @property
    def reviewed(self) -> bool:
        """Whether anything of the article has been adjudicated yet."""
        return bool(self.spans or self.labels or self.kept_none)


def source_id(origin: str | None) -> int | None:
    """The id in ``adjudicated-from:<id>``, else None."""
    if origin and origin.startswith(ORIGIN_PREFIX):
        tail = origin[len(ORIGIN_PREFIX):]
        return int(tail) if tail.isdigit() else None
    return None


def _adjudicator(project: Project) -> int:
    # Created in its own action, before the adjudication action, so that undoing an
    # adjudication never tries to delete a coder that later copies refer to.
    return ensure_coder(project, ADJUDICATED).id


def adjudicate_span(project: Project, annotation_id: int, *, by_coder_id: int | None = None,
                    start: int | None = None, end: int | None = None,
                    code_id: int | None = None) -> tuple[int, Changes]:
    """Copy a coder's span (optionally with other bounds or another code) into the adjudicated
    coding, as one action of ``by_coder_id``.  Returns the adjudicated annotation's id.

    When the adjudicated coding already has exactly that span and code, its id is returned with
    empty :class:`Changes` and nothing is written.
    """
    ann = get_annotation(project, annotation_id)
    if ann.coder == ADJUDICATED:
        raise ValidationError(f"annotation {annotation_id} is already part of the adjudicated "
                              "coding; edit it instead")
    s = ann.start if start is None else start
    e = ann.end if end is None else end
    code = ann.code_id if code_id is None else code_id
    text = get_text(project, ann.article_id)
    if not (isinstance(s, int) and isinstance(e, int)) or s < 0 or e > len(text) or e <= s:
        raise ValidationError(f"span {s}–{e} does not fit article {ann.article_id} "
                              f"(its text has {len(text)} characters)")
    adj = find_coder(project, ADJUDICATED)
    if adj is not None:
        row = project.query_one(
            'SELECT id FROM annotations WHERE article_id = ? AND start = ? AND "end" = ?'
            " AND code_id = ? AND coder_id = ?", (ann.article_id, s, e, code, adj.id))
        if row is not None:
            return row[0], Changes()
    adj_id = _adjudicator(project)
    edited = "" if (s, e, code) == (ann.start, ann.end, ann.code_id) else " (edited)"
    with project.action("adjudicate", f"adjudicated {ann.code}: {text[s:e][:40]}{edited}",
                        coder_id=by_coder_id) as changes:
        new_id, _ = add_annotation(project, article_id=ann.article_id, start=s, end=e,
                                   code_id=code, coder_id=adj_id, memo=ann.memo,
                                   origin=f"{ORIGIN_PREFIX}{annotation_id}")
    return new_id, changes


def adjudicate_label(project: Project, label_id: int, *, by_coder_id: int | None = None,
                     value: str | None = None) -> tuple[int, Changes]:
    """Copy a coder's article label (optionally with another value) into the adjudicated
    coding, replacing the adjudicated answer to the same code or question if there is one."""
    row = project.query_one("SELECT * FROM article_labels WHERE id = ?", (label_id,))
    if row is None:
        raise ProjectError(f"no article label with id {label_id}")
    adj = find_coder(project, ADJUDICATED)
    if adj is not None and row["coder_id"] == adj.id:
        raise ValidationError(f"article label {label_id} is already part of the adjudicated "
                              "coding")
    value = row["value"] if value is None else value
    column = "code_id" if row["code_id"] is not None else "question_id"
    origin = f"{ORIGIN_PREFIX}{label_id}"
    if adj is not None:
        current = project.query_one(
            f"SELECT id, value, origin FROM article_labels WHERE article_id = ? AND coder_id = ?"
            f" AND {column} = ?", (row["article_id"], adj.id, row[column]))
        if current is not None and current["value"] == value and current["origin"] == origin:
            return current["id"], Changes()
    adj_id = _adjudicator(project)
    with project.action("adjudicate", f"adjudicated article {row['article_id']} label: {value}",
                        coder_id=by_coder_id) as changes:
        set_article_label(project, article_id=row["article_id"], coder_id=adj_id, value=value,
                          origin=origin, **{column: row[column]})
        new = project.query_one(
            f"SELECT id, origin FROM article_labels WHERE article_id = ? AND coder_id = ?"
            f" AND {column} = ?", (row["article_id"], adj_id, row[column]))
        if new["origin"] != origin:
            project.update_row("article_labels", new["id"], {"origin": origin, "updated_at": now()})
    return new["id"], changes


def reject_in_adjudication(project: Project, *, article_id: int, code_id: int, start: int,
                           end: int, by_coder_id: int | None = None) -> Changes:
    """Resolve a disagreement by keeping none of the versions of ``code_id`` in
    ``[start, end)`` (see the module notes: one logged action, no coding rows)."""
    text = get_text(project, article_id)
    if start < 0 or end > len(text) or end <= start:
        raise ValidationError(f"range {start}–{end} does not fit article {article_id} "
                              f"(its text has {len(text)} characters)")
    code = project.query_one("SELECT name FROM codes WHERE id = ?", (code_id,))
    if code is None:
        raise ValidationError(f"no code with id {code_id}")
    adj = find_coder(project, ADJUDICATED)
    if adj is not None:
        clash = project.query_one(
            'SELECT id FROM annotations WHERE article_id = ? AND coder_id = ? AND code_id = ?'
            ' AND start < ? AND "end" > ?', (article_id, adj.id, code_id, end, start))
        if clash is not None:
            raise ConflictError(f"the adjudicated coding already has {code['name']!r} there "
                                f"(annotation {clash[0]}); delete it first")
    with project.action(KEPT_NONE_KIND, f"kept none: article {article_id}, code {code_id}, "
                        f"{start}-{end}", coder_id=by_coder_id) as changes:
        changes.add("actions", changes.action_id)
    return changes


def _standing(project: Project, action_ids: Iterable[int]) -> set[int]:
    """Those of ``action_ids`` that stand: not undone, or undone and redone."""
    undone_by: dict[int, list[int]] = {}
    for r in project.query("SELECT id, undoes_id FROM actions WHERE undoes_id IS NOT NULL"):
        undone_by.setdefault(r["undoes_id"], []).append(r["id"])
    memo: dict[int, bool] = {}

    def stands(a: int) -> bool:
        if a not in memo:
            memo[a] = True  # provisional; the log has no cycles
            memo[a] = not any(stands(u) for u in undone_by.get(a, ()))
        return memo[a]

    return {a for a in action_ids if stands(a)}


def kept_none(project: Project, article_ids: Iterable[int] | None = None) -> list[KeptNone]:
    """The standing "kept none" decisions, optionally for some articles only."""
    wanted = None if article_ids is None else set(article_ids)
    found = []
    for r in project.query("SELECT id, description, created_at FROM actions WHERE kind = ?"
                           " ORDER BY id", (KEPT_NONE_KIND,)):
        m = _KEPT_NONE.fullmatch(r["description"] or "")
        if m is None:
            continue
        art, code, s, e = map(int, m.groups())
        if wanted is None or art in wanted:
            found.append(KeptNone(r["id"], art, code, s, e, r["created_at"]))
    standing = _standing(project, [k.action_id for k in found])
    return [k for k in found if k.action_id in standing]


def adjudication_status(project: Project, article_id: int) -> AdjudicationStatus:
    """The adjudicated coding of one article and where each piece of it came from."""
    status = AdjudicationStatus(article_id)
    adj = find_coder(project, ADJUDICATED)
    if adj is not None:
        status.spans = list_annotations(project, article_ids=[article_id], coder_ids=[adj.id])
        status.labels = list_article_labels(project, article_ids=[article_id], coder_ids=[adj.id])
        for a in status.spans:
            src = source_id(a.origin)
            if src is not None:
                status.span_sources[a.id] = src
        for lab in status.labels:
            src = source_id(lab.origin)
            if src is not None:
                status.label_sources[lab.id] = src
    status.kept_none = kept_none(project, [article_id])
    return status
