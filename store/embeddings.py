"""Sentence embeddings cached in the project file (table ``sentence_embeddings``, schema 4).

A row is one sentence's vector under one model: keyed by the model's version string, the
SHA-256 of the article text, and the sentence span (code points, end exclusive).  The key holds
no article id, so the same text imported twice, or into another story, shares its vectors, and
an edited text (another hash) never gets stale ones.  Vectors are float32 little-endian bytes
(``dim`` values); this module takes and returns bytes and never needs numpy.

Like blobs, embeddings are derived data, not analyst work: writes are one transaction in a
``cache`` action that is not logged in the history.
"""

from __future__ import annotations

from typing import Iterable

from .project import Project, now

#: at most this many host parameters per statement (SQLite's default limit is 32766)
_CHUNK = 500


def get_embeddings(project: Project, model: str, text_sha256: str) -> dict[tuple[int, int], bytes]:
    """Every stored vector of one text under one model: {(start, end): float32 bytes}."""
    rows = project.query(
        'SELECT start, "end", vector FROM sentence_embeddings WHERE model = ? AND text_sha256 = ?',
        (model, text_sha256))
    return {(r["start"], r["end"]): bytes(r["vector"]) for r in rows}


def put_embeddings(project: Project, model: str, text_sha256: str,
                   rows: Iterable[tuple[int, int, bytes]]) -> int:
    """Store vectors of one text, (start, end, float32 bytes) each; an existing row of the same key
    is replaced.  Returns how many were written.  ValueError for a vector whose length is not a
    positive multiple of 4 or a span that is empty or negative."""
    batch = []
    stamp = now()
    for start, end, vector in rows:
        vector = bytes(vector)
        if not vector or len(vector) % 4 or not 0 <= start < end:
            raise ValueError(f"bad sentence embedding ({start}, {end}, {len(vector)} bytes)")
        batch.append((model, text_sha256, int(start), int(end), len(vector) // 4, vector, stamp))
    if not batch:
        return 0
    with project.action("cache", f"embeddings {model}", log=False):
        for lo in range(0, len(batch), _CHUNK):
            part = batch[lo:lo + _CHUNK]
            project.conn.execute(
                'INSERT OR REPLACE INTO sentence_embeddings (model, text_sha256, start, "end", dim,'
                ' vector, created_at) VALUES ' + ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(part)),
                [x for row in part for x in row])
    return len(batch)


def embedded_texts(project: Project, model: str) -> set[str]:
    """The text hashes that have at least one vector under this model."""
    return {r[0] for r in project.query(
        "SELECT DISTINCT text_sha256 FROM sentence_embeddings WHERE model = ?", (model,))}


def count_embeddings(project: Project, model: str | None = None) -> int:
    """How many sentence vectors are stored (under one model, or all)."""
    if model is None:
        return project.query_one("SELECT count(*) FROM sentence_embeddings")[0]
    return project.query_one("SELECT count(*) FROM sentence_embeddings WHERE model = ?",
                             (model,))[0]


def delete_embeddings(project: Project, model: str | None = None) -> None:
    """Drop stored vectors (of one model, or all): a cache, recomputed when needed."""
    with project.action("cache", "delete embeddings", log=False):
        if model is None:
            project.conn.execute("DELETE FROM sentence_embeddings")
        else:
            project.conn.execute("DELETE FROM sentence_embeddings WHERE model = ?", (model,))
