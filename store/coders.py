"""Coders: every annotation and article label records who made it."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ProjectError, ValidationError
from .project import Project, now

#: the coder that holds a project's adjudicated (final) coding
ADJUDICATED = "adjudicated"


@dataclass
class Coder:
    id: int
    name: str


def list_coders(project: Project) -> list[Coder]:
    return [Coder(r["id"], r["name"]) for r in project.query("SELECT id, name FROM coders ORDER BY name")]


def find_coder(project: Project, name: str) -> Coder | None:
    row = project.query_one("SELECT id, name FROM coders WHERE name = ?", (name.strip(),))
    return Coder(row["id"], row["name"]) if row else None


def get_coder(project: Project, coder_id: int) -> Coder:
    row = project.query_one("SELECT id, name FROM coders WHERE id = ?", (coder_id,))
    if row is None:
        raise ProjectError(f"no coder with id {coder_id}")
    return Coder(row["id"], row["name"])


def ensure_coder(project: Project, name: str) -> Coder:
    """The coder called ``name``, created if new (names are trimmed; empty names refused)."""
    name = name.strip()
    if not name:
        raise ValidationError("a coder needs a name")
    found = find_coder(project, name)
    if found:
        return found
    with project.action("coder", name):
        coder_id = project.insert_row("coders", {"name": name, "created_at": now()})
    return Coder(coder_id, name)
