"""Project memos and code memos (table ``memos``, schema version 5).

A memo is the analyst's written note that is not about one span: a **project memo** (no code)
or a **code memo** (attached to one code; a code may carry several, as a REFI-QDA code may carry
several notes).  Each has a title (may be empty), its text, the coder who wrote it and when it
was written and last changed.  A note about one article is that coder's article memo
(:func:`store.set_article_memo`); a note about one coded span is the annotation's ``memo``.

Every change is one action (logged in ``actions``/``changes``), so ``store.undo_last`` and
``framelens undo`` take it back like any other edit.  ``created_at`` / ``updated_at`` may be given
by importers so that a file's dates survive a round trip; otherwise they are now.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ProjectError, ValidationError
from .project import Changes, Project, now


@dataclass
class Memo:
    id: int
    code_id: int | None
    title: str
    text: str
    created_by: int | None
    created_at: str
    updated_at: str
    code: str | None = None        # the code's name, for code memos
    coder: str | None = None       # the author's name

    @property
    def is_project_memo(self) -> bool:
        return self.code_id is None


_SELECT = ("SELECT m.id, m.code_id, m.title, m.text, m.created_by, m.created_at, m.updated_at,"
           " c.name AS code, cd.name AS coder FROM memos m"
           " LEFT JOIN codes c ON c.id = m.code_id LEFT JOIN coders cd ON cd.id = m.created_by")


def _check_text(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("a memo needs some text")
    return text


def _check_code(project: Project, code_id: int) -> str:
    row = project.query_one("SELECT name FROM codes WHERE id = ?", (code_id,))
    if row is None:
        raise ValidationError(f"no code with id {code_id}")
    return row["name"]


def _check_coder(project: Project, coder_id: int | None) -> None:
    if coder_id is not None and project.query_one("SELECT 1 FROM coders WHERE id = ?",
                                                  (coder_id,)) is None:
        raise ValidationError(f"no coder with id {coder_id}")


def get_memo(project: Project, memo_id: int) -> Memo:
    row = project.query_one(_SELECT + " WHERE m.id = ?", (memo_id,))
    if row is None:
        raise ProjectError(f"no memo with id {memo_id}")
    return Memo(**dict(row))


def list_memos(project: Project, *, code_id: int | None = None, project_only: bool = False,
               codes_only: bool = False) -> list[Memo]:
    """Memos in the order they were written (id): all, a code's (``code_id``), the project's
    (``project_only``) or every code memo (``codes_only``)."""
    if project_only and (codes_only or code_id is not None):
        raise ValueError("project_only excludes code memos")
    where, params = [], []
    if code_id is not None:
        where.append("m.code_id = ?")
        params.append(code_id)
    elif project_only:
        where.append("m.code_id IS NULL")
    elif codes_only:
        where.append("m.code_id IS NOT NULL")
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY m.id"
    return [Memo(**dict(r)) for r in project.query(sql, params)]


def add_memo(project: Project, text: str, *, title: str = "", code_id: int | None = None,
             coder_id: int | None = None, created_at: str | None = None,
             updated_at: str | None = None) -> tuple[int, Changes]:
    """Write a project memo (``code_id`` None) or a memo on a code, as one action."""
    text = _check_text(text)
    what = f"code {_check_code(project, code_id)!r}" if code_id is not None else "project"
    _check_coder(project, coder_id)
    if coder_id is None:
        coder_id = project.acting_coder_id
    stamp = now()
    created = created_at or stamp
    with project.action("memo", f"memo on {what}: {(title or text)[:40]}",
                        coder_id=coder_id) as changes:
        memo_id = project.insert_row("memos", {
            "code_id": code_id, "title": (title or "").strip(), "text": text,
            "created_by": coder_id, "created_at": created,
            "updated_at": updated_at or created})
    return memo_id, changes


def update_memo(project: Project, memo_id: int, *, text: str | None = None,
                title: str | None = None, coder_id: int | None = None) -> Changes:
    """Change a memo's text and/or title (one action; nothing when neither changes)."""
    memo = get_memo(project, memo_id)
    values: dict = {}
    if text is not None and text != memo.text:
        values["text"] = _check_text(text)
    if title is not None and title.strip() != memo.title:
        values["title"] = title.strip()
    if not values:
        return Changes()
    _check_coder(project, coder_id)
    values["updated_at"] = now()
    with project.action("memo-edit", f"memo {memo_id}: {(values.get('title') or memo.title or memo.text)[:40]}",
                        coder_id=coder_id if coder_id is not None else project.acting_coder_id
                        ) as changes:
        project.update_row("memos", memo_id, values)
    return changes


def delete_memo(project: Project, memo_id: int, *, coder_id: int | None = None) -> Changes:
    memo = get_memo(project, memo_id)
    with project.action("memo-delete", f"memo {memo_id}: {(memo.title or memo.text)[:40]}",
                        coder_id=coder_id if coder_id is not None else project.acting_coder_id
                        ) as changes:
        project.delete_row("memos", memo_id)
    return changes


def code_memo(project: Project, code_id: int) -> str:
    """The text of a code's first memo ("" when it has none): what a code's memo field shows."""
    row = project.query_one("SELECT text FROM memos WHERE code_id = ? ORDER BY id LIMIT 1",
                            (code_id,))
    return row[0] if row else ""


def set_code_memo(project: Project, code_id: int, text: str, *,
                  coder_id: int | None = None) -> Changes:
    """Set the text of a code's first memo: created when the code has none, deleted when
    ``text`` is blank, unchanged (no action) when equal."""
    _check_code(project, code_id)
    row = project.query_one("SELECT id, text FROM memos WHERE code_id = ? ORDER BY id LIMIT 1",
                            (code_id,))
    if row is None:
        if not text.strip():
            return Changes()
        return add_memo(project, text, code_id=code_id, coder_id=coder_id)[1]
    if not text.strip():
        return delete_memo(project, row["id"], coder_id=coder_id)
    return update_memo(project, row["id"], text=text, coder_id=coder_id)
