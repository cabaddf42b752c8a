"""Coded-segment retrieval as a use case: codes, coders, outlets and a story given by name,
resolved against a project, then the segments of ``store.retrieval`` as rows, written to CSV or
JSON.  Used by ``framelens segments`` and by the window's retrieval view (its export).

Rows (:data:`COLUMNS`) are keyword-in-context: ``context_before`` + ``quote`` + ``context_after``
is the sentence(s) holding the span (at most ``context`` code points either side, see
``store.retrieval``); ``start``/``end`` are code points into the article text, end exclusive;
``also`` names the other chosen codes a segment overlaps (AND queries), joined by ``; `` in CSV
and a list in JSON.  CSV is UTF-8 with a header row (no byte-order mark, as the other exports).
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from framelens import store
from framelens.store import retrieval as rt

COLUMNS = ["annotation_id", "article_id", "title", "outlet", "country", "published", "language",
           "coder", "codebook", "code", "also", "start", "end", "context_before", "quote",
           "context_after", "memo"]


@dataclass(frozen=True)
class Request:
    """A retrieval in names, as a user types it (see :func:`resolve`)."""
    codes: Sequence[str]
    codebook: str | None = None
    mode: str = rt.ANY
    coders: Sequence[str] = ()
    outlets: Sequence[str] = ()
    countries: Sequence[str] = ()
    story: str | None = None
    same_coder: bool = True
    with_subcodes: bool = False
    context: int = rt.DEFAULT_CONTEXT


def resolve(project: store.Project, request: Request) -> store.SegmentQuery:
    """The query for ``request``; a name that is not in the project is an error naming it and
    what there is."""
    if not request.codes:
        raise store.ValidationError("name at least one code (--code)")
    code_ids = tuple(store.find_code(project, name, request.codebook).id for name in request.codes)
    coder_ids = None
    if request.coders:
        known = {c.name: c.id for c in store.list_coders(project)}
        missing = [n for n in request.coders if n.strip() not in known]
        if missing:
            raise store.ValidationError(f"no coder {missing[0]!r} (coders: "
                                        f"{', '.join(sorted(known)) or 'none'})")
        coder_ids = tuple(known[n.strip()] for n in request.coders)
    outlet_ids = None
    if request.outlets:
        outlets = {o.name.casefold(): o.id for o in store.list_outlets(project)}
        missing = [n for n in request.outlets if n.strip().casefold() not in outlets]
        if missing:
            names = ", ".join(o.name for o in store.list_outlets(project)) or "none"
            raise store.ValidationError(f"no outlet {missing[0]!r} (outlets: {names})")
        outlet_ids = tuple(outlets[n.strip().casefold()] for n in request.outlets)
    countries = tuple(c.strip().upper() for c in request.countries) or None
    story_id = store.get_story(project, request.story).id if request.story else None
    return store.SegmentQuery(code_ids, mode=request.mode, coder_ids=coder_ids,
                              outlet_ids=outlet_ids, countries=countries, story_id=story_id,
                              same_coder=request.same_coder, with_subcodes=request.with_subcodes,
                              context=request.context)


def segment_row(seg: store.Segment) -> dict:
    """One segment as a row of :data:`COLUMNS` (``also`` as a list)."""
    return {"annotation_id": seg.annotation_id, "article_id": seg.article_id, "title": seg.title,
            "outlet": seg.outlet, "country": seg.country, "published": seg.published,
            "language": seg.language, "coder": seg.coder, "codebook": seg.codebook,
            "code": seg.code, "also": list(seg.also), "start": seg.start, "end": seg.end,
            "context_before": seg.before, "quote": seg.quote, "context_after": seg.after,
            "memo": seg.memo}


def _target(path: str | os.PathLike) -> Path:
    """Refuse to write over a project file (or its -wal/-shm) and say which."""
    path = Path(path)
    name = path.name
    if name.endswith(store.PROJECT_SUFFIX) or name.endswith(("-wal", "-shm")) \
            or store.is_open_project_file(path):
        raise store.ValidationError(f"{path}: that is a project file; choose another name "
                                    "for the export")
    if path.is_dir():
        raise store.ValidationError(f"{path} is a folder; give a file name for the export")
    return path


def write_csv(segments: Iterable[store.Segment], path: str | os.PathLike) -> int:
    """Write the segments as CSV (:data:`COLUMNS`); returns the number of rows."""
    path = _target(path)
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for seg in segments:
            row = segment_row(seg)
            row["also"] = "; ".join(row["also"])
            w.writerow([row[c] for c in COLUMNS])
            n += 1
    return n


def write_json(segments: Iterable[store.Segment], path: str | os.PathLike) -> int:
    """Write the segments as a JSON list of rows; returns the number of rows."""
    path = _target(path)
    rows = [segment_row(s) for s in segments]
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(rows, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return len(rows)


def export(segments: Sequence[store.Segment], path: str | os.PathLike) -> int:
    """Write by the file's suffix: ``.json`` as JSON, anything else as CSV."""
    if Path(path).suffix.lower() == ".json":
        return write_json(segments, path)
    return write_csv(segments, path)
