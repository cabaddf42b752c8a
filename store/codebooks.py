"""Codebooks, their (hierarchical) codes and article-level questions.

Codebooks arrive as data (``assets/codebooks/*.json``, schema described in ``docs/codebooks.md``)
and are loaded with :func:`load_codebook`.  Codes can then be added, renamed, recoloured and
merged; a merge moves every annotation and label of the source code to the target and marks the
source ``merged_into`` (kept, hidden), so nothing is lost and the merge can be undone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Iterable

from .errors import ProjectError, ValidationError
from .project import Changes, Project


@dataclass
class Codebook:
    id: int
    key: str
    name: str
    version: str | None
    description: str | None
    citation: str | None
    applies_to: str
    position: int


@dataclass
class Code:
    id: int
    codebook_id: int
    parent_id: int | None
    name: str
    number: int | None
    description: str | None
    color: str
    shortcut: str | None
    position: int
    merged_into: int | None
    children: list["Code"] = field(default_factory=list)


@dataclass
class Question:
    id: int
    codebook_id: int
    key: str
    text: str
    kind: str
    choices: list[str]
    code_id: int | None
    help: str | None
    position: int


_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


def list_codebooks(project: Project) -> list[Codebook]:
    return [Codebook(**dict(r)) for r in project.query("SELECT * FROM codebooks ORDER BY position, id")]


def get_codebook(project: Project, key_or_name: str | int) -> Codebook:
    for cb in list_codebooks(project):
        if key_or_name in (cb.id, cb.key, cb.name):
            return cb
    names = ", ".join(cb.key for cb in list_codebooks(project)) or "none loaded"
    raise ProjectError(f"no codebook {key_or_name!r} (codebooks: {names})")


def list_codes(project: Project, codebook_id: int | None = None, *,
               include_merged: bool = False) -> list[Code]:
    """Codes in display order (flat list; see :func:`code_tree` for the hierarchy)."""
    sql = "SELECT * FROM codes"
    where, params = [], []
    if codebook_id is not None:
        where.append("codebook_id = ?")
        params.append(codebook_id)
    if not include_merged:
        where.append("merged_into IS NULL")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY codebook_id, position, id"
    return [Code(**dict(r)) for r in project.query(sql, params)]


def code_tree(project: Project, codebook_id: int) -> list[Code]:
    """Top-level codes of a codebook, each with its ``children`` filled in."""
    codes = list_codes(project, codebook_id)
    by_id = {c.id: c for c in codes}
    roots = []
    for c in codes:
        parent = by_id.get(c.parent_id) if c.parent_id else None
        (parent.children if parent else roots).append(c)
    return roots


def get_code(project: Project, code_id: int) -> Code:
    row = project.query_one("SELECT * FROM codes WHERE id = ?", (code_id,))
    if row is None:
        raise ProjectError(f"no code with id {code_id}")
    return Code(**dict(row))


def find_code(project: Project, name: str, codebook: str | int | None = None) -> Code:
    """A code by name (case-insensitive), optionally within one codebook; clear error if absent
    or ambiguous."""
    params: list = [name.strip()]
    sql = "SELECT c.* FROM codes c JOIN codebooks cb ON cb.id = c.codebook_id WHERE c.name = ? COLLATE NOCASE"
    if codebook is not None:
        cb = get_codebook(project, codebook)
        sql += " AND c.codebook_id = ?"
        params.append(cb.id)
    rows = project.query(sql + " AND c.merged_into IS NULL", params)
    if not rows:
        raise ProjectError(f"no code called {name!r}" + (f" in codebook {codebook!r}" if codebook else ""))
    if len(rows) > 1:
        books = ", ".join(get_codebook(project, r["codebook_id"]).key for r in rows)
        raise ProjectError(f"code {name!r} exists in several codebooks ({books}); name the codebook")
    return Code(**dict(rows[0]))


def list_questions(project: Project, codebook_id: int | None = None) -> list[Question]:
    sql = "SELECT * FROM questions"
    params: list = []
    if codebook_id is not None:
        sql += " WHERE codebook_id = ?"
        params.append(codebook_id)
    out = []
    for r in project.query(sql + " ORDER BY codebook_id, position, id", params):
        d = dict(r)
        d["choices"] = json.loads(d.pop("choices_json") or "[]")
        out.append(Question(**d))
    return out


def get_question(project: Project, key: str, codebook: str | int | None = None) -> Question:
    for q in list_questions(project, get_codebook(project, codebook).id if codebook else None):
        if q.key == key:
            return q
    raise ProjectError(f"no question {key!r}")


# -- loading ---------------------------------------------------------------------------------
def load_codebook(project: Project, data: dict) -> int:
    """Load a codebook given as the asset JSON structure; returns its id.

    A codebook whose ``key`` is already in the project is left as it is (the analyst may have
    edited it) and its id returned.
    """
    for required in ("key", "name", "codes"):
        if required not in data:
            raise ValidationError(f"codebook data lacks {required!r}")
    row = project.query_one("SELECT id FROM codebooks WHERE key = ?", (data["key"],))
    if row:
        return row[0]
    with project.action("codebook-load", data["name"]):
        position = project.query_one("SELECT count(*) FROM codebooks")[0]
        cb_id = project.insert_row("codebooks", {
            "key": data["key"], "name": data["name"], "version": data.get("version"),
            "description": data.get("description"), "citation": data.get("citation"),
            "applies_to": data.get("applies_to", "both"), "position": position})
        code_ids: dict[str, int] = {}

        def add(codes: list[dict], parent: int | None) -> None:
            for i, c in enumerate(codes):
                cid = project.insert_row("codes", {
                    "codebook_id": cb_id, "parent_id": parent, "name": c["name"],
                    "number": c.get("number"), "description": c.get("description"),
                    "color": c.get("color") or "#888888", "shortcut": c.get("shortcut"),
                    "position": i})
                code_ids[c["name"]] = cid
                add(c.get("children") or [], cid)

        add(data["codes"], None)
        top_names = [c["name"] for c in data["codes"]]
        for i, q in enumerate(data.get("questions") or []):
            choices = q.get("choices")
            if choices == "codes":
                choices = top_names
            project.insert_row("questions", {
                "codebook_id": cb_id, "key": q["key"], "text": q["text"], "kind": q["kind"],
                "choices_json": json.dumps(choices or [], ensure_ascii=False),
                "code_id": code_ids.get(q.get("code")) if q.get("code") else None,
                "help": q.get("help"), "position": i})
    return cb_id


def ensure_codebook(project: Project, key: str, name: str | None = None, *,
                    applies_to: str = "span") -> int:
    """Id of codebook ``key``, created empty if absent (used for suggesters' own layers)."""
    row = project.query_one("SELECT id FROM codebooks WHERE key = ?", (key,))
    if row:
        return row[0]
    return load_codebook(project, {"key": key, "name": name or key, "codes": [],
                                   "applies_to": applies_to})


# -- editing ---------------------------------------------------------------------------------
def _check_color(color: str) -> str:
    if not _COLOR.fullmatch(color or ""):
        raise ValidationError(f"colour must look like #RRGGBB (got {color!r})")
    return color.upper()


def add_code(project: Project, codebook_id: int, name: str, *, color: str = "#888888",
             description: str | None = None, parent_id: int | None = None,
             shortcut: str | None = None) -> int:
    name = name.strip()
    if not name:
        raise ValidationError("a code needs a name")
    if project.query_one("SELECT 1 FROM codes WHERE codebook_id = ? AND name = ?", (codebook_id, name)):
        raise ValidationError(f"the codebook already has a code called {name!r}")
    with project.action("code-add", name):
        pos = project.query_one("SELECT count(*) FROM codes WHERE codebook_id = ?", (codebook_id,))[0]
        return project.insert_row("codes", {
            "codebook_id": codebook_id, "parent_id": parent_id, "name": name,
            "description": description, "color": _check_color(color), "shortcut": shortcut,
            "position": pos})


def update_code(project: Project, code_id: int, **values) -> Changes:
    """Rename, recolour, re-describe, re-key or move a code; annotations keep pointing at it."""
    allowed = {"name", "color", "description", "shortcut", "parent_id", "position"}
    bad = set(values) - allowed
    if bad:
        raise ValidationError(f"cannot change {', '.join(sorted(bad))} of a code")
    code = get_code(project, code_id)
    if "color" in values:
        values["color"] = _check_color(values["color"])
    if "name" in values:
        values["name"] = values["name"].strip()
        if not values["name"]:
            raise ValidationError("a code needs a name")
        clash = project.query_one("SELECT id FROM codes WHERE codebook_id = ? AND name = ? AND id != ?",
                                  (code.codebook_id, values["name"], code_id))
        if clash:
            raise ValidationError(f"the codebook already has a code called {values['name']!r}; "
                                  "merge the two codes instead")
    with project.action("code-edit", code.name) as changes:
        project.update_row("codes", code_id, values)
    return changes


def merge_codes(project: Project, source_id: int, target_id: int, *, coder_id: int | None = None) -> Changes:
    """Move all annotations, labels and child codes of ``source`` to ``target``; hide ``source``.

    An article label that would clash with the target's own label for the same article and
    coder is kept on the source (visible in the log) rather than overwritten.
    """
    if source_id == target_id:
        raise ValidationError("cannot merge a code into itself")
    source, target = get_code(project, source_id), get_code(project, target_id)
    with project.action("code-merge", f"{source.name} → {target.name}", coder_id=coder_id) as changes:
        for (ann_id,) in project.query("SELECT id FROM annotations WHERE code_id = ?", (source_id,)):
            project.update_row("annotations", ann_id, {"code_id": target_id})
        for row in project.query("SELECT id, article_id, coder_id FROM article_labels WHERE code_id = ?",
                                 (source_id,)):
            clash = project.query_one("SELECT 1 FROM article_labels WHERE code_id = ? AND article_id = ?"
                                      " AND coder_id = ?", (target_id, row["article_id"], row["coder_id"]))
            if not clash:
                project.update_row("article_labels", row["id"], {"code_id": target_id})
        for (child_id,) in project.query("SELECT id FROM codes WHERE parent_id = ?", (source_id,)):
            project.update_row("codes", child_id, {"parent_id": target_id})
        project.update_row("codes", source_id, {"merged_into": target.id})
    return changes


# -- counts ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CodeCount:
    """How much a code is used: ``segments`` coded spans, in ``articles`` distinct articles
    (articles holding a span of the code or marked with it as an article label)."""

    segments: int = 0
    articles: int = 0


def code_counts(project: Project, *, codebook_id: int | None = None,
                coder_ids: Iterable[int] | None = None,
                exclude_coder_ids: Iterable[int] = ()) -> dict[int, CodeCount]:
    """Code frequencies: code id → :class:`CodeCount`, for codes used at least once.

    ``coder_ids`` restricts the count to those coders' codings (``None``: every coder);
    ``exclude_coder_ids`` leaves some out (the window leaves out the adjudicated coder when it
    counts "all coders", whose spans are copies of other coders' spans).  A span counts once
    per coder: two coders coding the same passage make two segments, as in the annotations
    table.  Article-level codes (labels with a ``code_id``) count the articles marked with value
    other than ``"0"``; they add no segments, and an article marked and holding spans of the
    same code counts once.  Codes are counted as they are, without their sub-codes.  One grouped
    scan of the ``annotations_coverage`` index and one of the labels; no action.
    """
    where, params = _coder_filter(coder_ids, exclude_coder_ids)
    book, params_book = "", []
    if codebook_id is not None:
        book, params_book = " AND +code_id IN (SELECT id FROM codes WHERE codebook_id = ?)", [codebook_id]
    # the unary + keeps SQLite off the annotations_code index (a seek, then one row read per
    # span: the rows carry the quotes) and on a scan of the narrow annotations_coverage index
    # (article, coder, code, offsets), which holds every column used here: 3-4x faster on
    # 40,000 spans (bench/bench_code_counts.py)
    counts = {r[0]: [r[1], r[2]] for r in project.query(
        "SELECT code_id, count(*), count(DISTINCT article_id) FROM annotations"
        f" WHERE 1{where}{book} GROUP BY +code_id", params + params_book)}
    # articles marked with a code and holding none of its spans (in the same coder scope)
    span_where = where.replace("coder_id", "a.coder_id")
    for code_id, n in project.query(
            "SELECT code_id, count(DISTINCT article_id) FROM article_labels l"
            f" WHERE code_id IS NOT NULL AND value <> '0'{where}{book}"
            " AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.article_id = l.article_id"
            f" AND a.code_id = l.code_id{span_where}) GROUP BY code_id",
            params + params_book + params):
        counts.setdefault(code_id, [0, 0])[1] += n
    return {code_id: CodeCount(seg, art) for code_id, (seg, art) in counts.items()}


def _coder_filter(coder_ids: Iterable[int] | None,
                  exclude: Iterable[int]) -> tuple[str, list[int]]:
    sql, params = "", []
    if coder_ids is not None:
        ids = sorted({int(i) for i in coder_ids})
        sql += f" AND coder_id IN ({','.join('?' * len(ids))})" if ids else " AND 0"
        params += ids
    skip = sorted({int(i) for i in exclude})
    if skip:
        sql += f" AND coder_id NOT IN ({','.join('?' * len(skip))})"
        params += skip
    return sql, params
