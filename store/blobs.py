"""Derived data cached in the project file (alignments, trained models): key → bytes + meta.

Blobs are caches and model snapshots, not analyst work: writing one is not a user action and
is not logged in the history; it is still one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .project import Project, now


@dataclass
class Blob:
    key: str
    data: bytes
    meta: dict
    updated_at: str


def put_blob(project: Project, key: str, data: bytes, meta: dict | None = None) -> None:
    with project.action("cache", key, log=False):
        project.conn.execute(
            "INSERT INTO blobs (key, data, meta_json, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET data = excluded.data, meta_json = excluded.meta_json,"
            " updated_at = excluded.updated_at",
            (key, data, json.dumps(meta or {}, ensure_ascii=False), now()))


def get_blob(project: Project, key: str) -> Blob | None:
    row = project.query_one("SELECT * FROM blobs WHERE key = ?", (key,))
    if row is None:
        return None
    return Blob(row["key"], bytes(row["data"]), json.loads(row["meta_json"] or "{}"), row["updated_at"])


def delete_blob(project: Project, key: str) -> None:
    with project.action("cache", key, log=False):
        project.conn.execute("DELETE FROM blobs WHERE key = ?", (key,))
