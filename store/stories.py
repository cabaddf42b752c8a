"""Stories: named comparison sets of articles (e.g. one per event), in a reading order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .errors import ProjectError, ValidationError
from .project import Changes, Project, now


@dataclass
class Story:
    id: int
    name: str
    description: str | None
    event_date: str | None
    n_articles: int = 0


def list_stories(project: Project) -> list[Story]:
    rows = project.query(
        "SELECT s.id, s.name, s.description, s.event_date, count(sa.article_id) AS n_articles"
        " FROM stories s LEFT JOIN story_articles sa ON sa.story_id = s.id"
        " GROUP BY s.id ORDER BY coalesce(s.event_date, '9999'), s.name")
    return [Story(**dict(r)) for r in rows]


def get_story(project: Project, story: int | str) -> Story:
    """A story by id or by name (a clear error when there is none)."""
    key = "id" if isinstance(story, int) else "name"
    for s in list_stories(project):
        if getattr(s, key) == story:
            return s
    names = ", ".join(repr(s.name) for s in list_stories(project)) or "none yet"
    raise ProjectError(f"no story {story!r} (stories: {names})")


def create_story(project: Project, name: str, *, description: str | None = None,
                 event_date: str | None = None) -> int:
    name = name.strip()
    if not name:
        raise ValidationError("a story needs a name")
    if project.query_one("SELECT 1 FROM stories WHERE name = ?", (name,)):
        raise ValidationError(f"a story called {name!r} already exists")
    with project.action("story-create", name):
        return project.insert_row("stories", {"name": name, "description": description,
                                              "event_date": event_date, "created_at": now()})


def ensure_story(project: Project, name: str, **kwargs) -> int:
    row = project.query_one("SELECT id FROM stories WHERE name = ?", (name.strip(),))
    return row[0] if row else create_story(project, name, **kwargs)


def add_to_story(project: Project, story_id: int, article_ids: Iterable[int]) -> Changes:
    """Append articles to a story (ones already in it keep their place)."""
    with project.action("story-add", f"story {story_id}") as changes:
        pos = project.query_one("SELECT coalesce(max(position), -1) FROM story_articles"
                                " WHERE story_id = ?", (story_id,))[0]
        for article_id in article_ids:
            cur = project.conn.execute(
                "INSERT OR IGNORE INTO story_articles (story_id, article_id, position)"
                " VALUES (?, ?, ?)", (story_id, article_id, pos + 1))
            if cur.rowcount:
                pos += 1
                changes.add("story_articles", article_id)
        changes.add("stories", story_id)
    return changes


def remove_from_story(project: Project, story_id: int, article_id: int) -> Changes:
    with project.action("story-remove", f"story {story_id}") as changes:
        project.conn.execute("DELETE FROM story_articles WHERE story_id = ? AND article_id = ?",
                             (story_id, article_id))
        changes.add("stories", story_id)
    return changes


def story_article_ids(project: Project, story_id: int) -> list[int]:
    return [r[0] for r in project.query(
        "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY position, article_id",
        (story_id,))]
