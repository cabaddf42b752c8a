"""Model suggestions: a layer separate from annotations, with provenance, and coders' decisions.

A suggestion is unique per (article, span, codebook, label, suggester, suggester version), so
re-running a suggester is idempotent and a new suggester version suggests afresh.  Accepting
creates an annotation that remembers its suggestion; rejecting is stored, and a span + label a
coder rejected is never offered to that coder again, whatever suggester or version proposes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable

from .annotations import add_annotation
from .codebooks import ensure_codebook
from .errors import ProjectError, ValidationError
from .project import Changes, Project, now


@dataclass
class Suggestion:
    id: int
    article_id: int
    start: int
    end: int
    codebook: str
    label: str
    code_id: int | None
    score: float
    suggester: str
    suggester_version: str
    rationale: str | None
    created_at: str
    data: dict = field(default_factory=dict)


def _row_to_suggestion(row) -> Suggestion:
    d = dict(row)
    d["data"] = json.loads(d.pop("data_json") or "{}")
    return Suggestion(**d)


def add_suggestions(project: Project, article_id: int, items: Iterable[dict]) -> int:
    """Store suggestions for one article (inside the current action, or as one action).

    Each item has start, end, codebook, label, score, suggester, suggester_version, rationale and
    optionally data (dict).  Returns how many were new.
    """
    text_len = project.query_one("SELECT n_chars FROM articles WHERE id = ?", (article_id,))
    if text_len is None:
        raise ProjectError(f"no article with id {article_id}")
    new = 0
    with project.action("suggest", f"article {article_id}", log=False) as changes:
        code_ids = {(r["key"], r["name"]): r["id"] for r in project.query(
            "SELECT cb.key, c.name, c.id FROM codes c JOIN codebooks cb ON cb.id = c.codebook_id"
            " WHERE c.merged_into IS NULL")}
        stamp = now()
        for it in items:
            start, end = int(it["start"]), int(it["end"])
            if not (0 <= start < end <= text_len[0]):
                raise ValidationError(f"suggestion {start}–{end} falls outside article {article_id}")
            cur = project.conn.execute(
                'INSERT OR IGNORE INTO suggestions (article_id, start, "end", codebook, label, code_id,'
                " score, suggester, suggester_version, rationale, data_json, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, start, end, it["codebook"], it["label"],
                 code_ids.get((it["codebook"], it["label"])), float(it.get("score", 0.0)),
                 it["suggester"], str(it["suggester_version"]), it.get("rationale"),
                 json.dumps(it.get("data") or {}, ensure_ascii=False), stamp))
            if cur.rowcount:
                new += 1
                changes.add("suggestions", cur.lastrowid)
    return new


def has_suggestions(project: Project, article_id: int, suggester: str, version: str) -> bool:
    return project.query_one("SELECT 1 FROM suggestions WHERE article_id = ? AND suggester = ?"
                             " AND suggester_version = ? LIMIT 1",
                             (article_id, suggester, version)) is not None


def open_suggestions(project: Project, *, coder_id: int, article_ids: Iterable[int] | None = None,
                     suggesters: Iterable[str] | None = None, min_score: float = 0.0) -> list[Suggestion]:
    """Suggestions this coder has not accepted or rejected (skips are offered again), minus any span + label the coder rejected, and
    minus spans the coder already coded with that label; best score first within each article."""
    where = ["s.score >= ?"]
    params: list = [coder_id, coder_id, coder_id, min_score]
    for column, values in (("s.article_id", article_ids), ("s.suggester", suggesters)):
        if values is not None:
            vals = list(values)
            where.append(f"{column} IN ({', '.join('?' for _ in vals) or 'NULL'})")
            params.extend(vals)
    sql = (
        "SELECT s.* FROM suggestions s WHERE NOT EXISTS ("
        "  SELECT 1 FROM suggestion_decisions d WHERE d.suggestion_id = s.id AND d.coder_id = ?"
        "  AND d.decision != 'skipped')"
        " AND NOT EXISTS ("
        "  SELECT 1 FROM suggestion_decisions d JOIN suggestions s2 ON s2.id = d.suggestion_id"
        '  WHERE d.coder_id = ? AND d.decision = \'rejected\' AND s2.article_id = s.article_id'
        '  AND s2.start = s.start AND s2."end" = s."end" AND s2.codebook = s.codebook'
        "  AND s2.label = s.label)"
        " AND NOT EXISTS ("
        "  SELECT 1 FROM annotations an WHERE an.coder_id = ? AND an.article_id = s.article_id"
        '  AND an.start = s.start AND an."end" = s."end" AND an.code_id = s.code_id)'
        " AND " + " AND ".join(where) +
        " ORDER BY s.article_id, s.start, s.score DESC")
    return [_row_to_suggestion(r) for r in project.query(sql, params)]


def get_suggestion(project: Project, suggestion_id: int) -> Suggestion:
    row = project.query_one("SELECT * FROM suggestions WHERE id = ?", (suggestion_id,))
    if row is None:
        raise ProjectError(f"no suggestion with id {suggestion_id}")
    return _row_to_suggestion(row)


def _code_for(project: Project, s: Suggestion) -> int:
    if s.code_id is not None:
        merged = project.query_one("SELECT merged_into FROM codes WHERE id = ?", (s.code_id,))
        if merged and merged[0]:
            return merged[0]
        return s.code_id
    cb_id = ensure_codebook(project, s.codebook, s.codebook.replace("_", " ").title())
    row = project.query_one("SELECT id FROM codes WHERE codebook_id = ? AND name = ?", (cb_id, s.label))
    if row:
        return row[0]
    pos = project.query_one("SELECT count(*) FROM codes WHERE codebook_id = ?", (cb_id,))[0]
    return project.insert_row("codes", {"codebook_id": cb_id, "name": s.label, "color": "#7F7F7F",
                                        "position": pos})


def accept_suggestion(project: Project, suggestion_id: int, *, coder_id: int,
                      start: int | None = None, end: int | None = None) -> tuple[int, Changes]:
    """Turn a suggestion into an annotation of ``coder_id`` (optionally with edited bounds)."""
    s = get_suggestion(project, suggestion_id)
    with project.action("suggestion-accept", f"{s.label} ({s.suggester})", coder_id=coder_id) as changes:
        code_id = _code_for(project, s)
        ann_id, _ = add_annotation(
            project, article_id=s.article_id, start=s.start if start is None else start,
            end=s.end if end is None else end, code_id=code_id, coder_id=coder_id,
            origin=f"suggestion:{s.suggester}@{s.suggester_version}", suggestion_id=s.id)
        project.insert_row("suggestion_decisions", {
            "suggestion_id": s.id, "coder_id": coder_id, "decision": "accepted",
            "annotation_id": ann_id, "decided_at": now()})
    return ann_id, changes


def accept_suggestions(project: Project, suggestion_ids: Iterable[int], *, coder_id: int,
                       what: str = "") -> tuple[list[int], Changes]:
    """Accept several suggestions as ONE action (bulk accept): one ``actions`` row, so one undo
    removes every annotation it made and every ``accepted`` decision, which puts the
    suggestions back in the coder's open queue.  All or nothing: a suggestion that is missing
    or already accepted by this coder refuses the whole batch and nothing is written.
    ``what`` is the action's description (the history and the Edit menu show it).  Returns the
    new annotation ids (in the order of ``suggestion_ids``) and the changes."""
    ids = list(dict.fromkeys(int(i) for i in suggestion_ids))
    if not ids:
        raise ValidationError("no suggestions to accept")
    marks = ", ".join("?" for _ in ids)
    taken = [r[0] for r in project.query(
        f"SELECT suggestion_id FROM suggestion_decisions WHERE coder_id = ? AND decision = 'accepted'"
        f" AND suggestion_id IN ({marks})", [coder_id, *ids])]
    if taken:
        raise ValidationError(f"suggestion {taken[0]} is already accepted by this coder; "
                              "re-read the queue and try again")
    made: list[int] = []
    with project.action("suggestion-accept", what or f"{len(ids)} suggestions",
                        coder_id=coder_id) as changes:
        for sid in ids:
            ann_id, _ = accept_suggestion(project, sid, coder_id=coder_id)
            made.append(ann_id)
    return made, changes


def decide_suggestion(project: Project, suggestion_id: int, *, coder_id: int, decision: str) -> Changes:
    """Record a ``rejected`` or ``skipped`` decision (kept for training and never re-offered)."""
    if decision not in ("rejected", "skipped"):
        raise ValidationError("decision must be 'rejected' or 'skipped' (accept with accept_suggestion)")
    s = get_suggestion(project, suggestion_id)
    with project.action(f"suggestion-{decision}", f"{s.label} ({s.suggester})",
                        coder_id=coder_id) as changes:
        project.insert_row("suggestion_decisions", {
            "suggestion_id": suggestion_id, "coder_id": coder_id, "decision": decision,
            "decided_at": now()})
    return changes


def decisions(project: Project, *, coder_id: int | None = None) -> list[dict]:
    """All decisions with their suggestion's span and label (training data for the learned model)."""
    sql = ('SELECT d.id, d.decision, d.coder_id, d.annotation_id, d.decided_at, s.article_id,'
           ' s.start, s."end", s.codebook, s.label, s.suggester FROM suggestion_decisions d'
           " JOIN suggestions s ON s.id = d.suggestion_id")
    params: list = []
    if coder_id is not None:
        sql += " WHERE d.coder_id = ?"
        params.append(coder_id)
    return [dict(r) for r in project.query(sql + " ORDER BY d.id", params)]
