"""Aggregate reads for the comparison dashboard (``annotate.compare``): plain SQL, no Qt.

Everything is counted per outlet (``outlet_id``, ``None`` for articles without one) and per
coder; ``annotate.compare`` pools coders and outlets (into countries) from these additive sums.
``story_id`` limits every function to one story's articles; ``None`` means the whole project.

Span coverage (:func:`span_coverage`) is the one heavy read: it streams the columns article,
coder, code, start, end of the codebook's annotations in that order from the covering index
``annotations_coverage`` (schema version 2) and merges each coder's spans of one code in one
article into their union, so overlapping spans count their shared characters once.  One pass,
no sort, no table rows read.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import Iterable

from .project import Project

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_STORY = " AND {col} IN (SELECT article_id FROM story_articles WHERE story_id = ?)"


def _marks(values: list) -> str:
    return ", ".join("?" for _ in values) or "NULL"


def _story(col: str, story_id: int | None, params: list) -> str:
    if story_id is None:
        return ""
    params.append(story_id)
    return _STORY.format(col=col)


def _outlet_clause(col: str, outlet_ids: Iterable[int | None], params: list) -> str:
    """``col`` is one of ``outlet_ids`` (``None`` standing for "no outlet")."""
    ids = list(outlet_ids)
    real = [i for i in ids if i is not None]
    params.extend(real)
    parts = [f"{col} IN ({_marks(real)})"]
    if None in ids:
        parts.append(f"{col} IS NULL")
    return "(" + " OR ".join(parts) + ")"


def _cursor(project: Project):
    cur = project.conn.cursor()
    cur.row_factory = None
    return cur


_LOOKUP = "stats_article_outlet"


@contextmanager
def outlet_lookup(project: Project):
    """While open, the reads below that need each row's outlet find it in a small temporary
    table (article id -> outlet id) scanned beside the rows, instead of seeking into the
    articles table, whose rows carry the texts: about half the time on a big project."""
    conn = project.conn
    conn.execute(f"DROP TABLE IF EXISTS temp.{_LOOKUP}")
    conn.execute(f"CREATE TEMP TABLE {_LOOKUP} (id INTEGER PRIMARY KEY, outlet_id INTEGER)")
    conn.execute(f"INSERT INTO temp.{_LOOKUP} SELECT id, outlet_id FROM articles")
    try:
        yield
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{_LOOKUP}")


def _outlet_join(project: Project, col: str) -> str:
    """``JOIN`` giving ``a.outlet_id`` for the article in ``col`` (see :func:`outlet_lookup`)."""
    if project.conn.execute("SELECT 1 FROM sqlite_temp_master WHERE name = ?", (_LOOKUP,)).fetchone():
        return f" CROSS JOIN temp.{_LOOKUP} a ON a.id = {col}"
    return f" JOIN articles a ON a.id = {col}"


# -- outlets and article totals ------------------------------------------------------------------
def outlet_names(project: Project) -> dict[int, tuple[str, str | None]]:
    """outlet id -> (name, country)."""
    return {r[0]: (r[1], r[2]) for r in _cursor(project).execute(
        "SELECT id, name, country FROM outlets ORDER BY name")}


def article_totals(project: Project, *, story_id: int | None = None) -> dict[int | None, tuple[int, int]]:
    """outlet id -> (number of articles, their characters) in scope."""
    params: list = []
    if story_id is None:
        sql = "SELECT outlet_id, count(*), sum(n_chars) FROM articles GROUP BY outlet_id"
    else:
        sql = ("SELECT a.outlet_id, count(*), sum(a.n_chars) FROM story_articles sa"
               " JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? GROUP BY a.outlet_id")
        params.append(story_id)
    return {r[0]: (r[1], r[2] or 0) for r in _cursor(project).execute(sql, params)}


def _article_arrays(np, project: Project, story_id: int | None):
    """Article ids (ascending), outlet ids (0 for none) and lengths in scope, as numpy arrays;
    read from the covering index ``articles_outlet_chars`` for the whole project."""
    if story_id is None:
        sql, params = "SELECT id, coalesce(outlet_id, 0), n_chars FROM articles", []
    else:
        sql = ("SELECT a.id, coalesce(a.outlet_id, 0), a.n_chars FROM story_articles sa"
               " JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ?")
        params = [story_id]
    rows = _cursor(project).execute(sql, params).fetchall()
    table = np.fromiter(chain.from_iterable(rows), np.int64, 3 * len(rows)).reshape(-1, 3)
    table = table[np.argsort(table[:, 0], kind="stable")]
    return table[:, 0], table[:, 1], table[:, 2]


# -- span coverage ---------------------------------------------------------------------------------
@dataclass
class Coverage:
    """Span coverage of one codebook's codes, per outlet and coder.

    ``cells[(outlet, code, coder)] = [covered characters, articles with the code, spans]``:
    covered characters are the union of the coder's spans of the code, per article, summed.
    ``coded[(outlet, coder)] = [articles, characters]`` of the articles in which the coder marked
    at least one span of the codebook (the denominators).  ``dominant[(outlet, code, coder)]``
    counts the coded articles in which the code covers the most characters (ties: lower code id).
    """

    cells: dict = field(default_factory=dict)
    coded: dict = field(default_factory=dict)
    dominant: dict = field(default_factory=dict)


def span_coverage(project: Project, code_ids: Iterable[int], *,
                  story_id: int | None = None) -> Coverage:
    """See :class:`Coverage`.  The codebook's spans are read in the covering index's order
    (article, coder, code, start, end) as two integers each, a group key and start and end packed
    together, in chunks; numpy then takes the union within each (article, coder, code) group
    (a span adds what lies beyond the furthest end of the spans before it) and sums the groups
    per outlet."""
    import numpy as np

    out = Coverage()
    codes = sorted({int(c) for c in code_ids})
    if not codes:
        return out
    top = project.conn.execute("SELECT (SELECT max(id) FROM coders), (SELECT max(id) FROM articles),"
                               " (SELECT max(n_chars) FROM articles)").fetchone()
    k_coder, k_code = (top[0] or 0) + 1, codes[-1] + 1
    if ((top[1] or 0) + 1) * k_coder * k_code >= 1 << 62:
        raise OverflowError("too many articles, coders and codes for one group key")
    bits = max(int(top[2] or 0).bit_length(), 1)       # start and end packed in one integer
    params: list = [codes[0], codes[-1]]
    # a range test first (cheap), the list only when the ids have gaps; "+": never drive this
    # by the code index (that would need a sort of every row)
    where = "+code_id BETWEEN ? AND ?"
    if len(codes) != codes[-1] - codes[0] + 1:
        where += f" AND +code_id IN ({_marks(codes)})"
        params += codes
    sql = (f'SELECT (article_id * {k_coder} + coder_id) * {k_code} + code_id, (start << {bits}) | "end"'
           f" FROM annotations WHERE {where}" + _story("article_id", story_id, params)
           + ' ORDER BY article_id, coder_id, code_id, start, "end"')
    cur = _cursor(project)
    cur.execute(sql, params)
    parts = []
    while True:
        rows = cur.fetchmany(100_000)
        if not rows:
            break
        parts.append(np.fromiter(chain.from_iterable(rows), np.int64, 2 * len(rows)))
    if not parts:
        return out
    flat = np.concatenate(parts).reshape(-1, 2)
    key, start, end = flat[:, 0], flat[:, 1] >> bits, flat[:, 1] & ((1 << bits) - 1)
    new = np.empty(len(key), bool)
    new[0] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    rank = np.cumsum(new) - 1                           # group number of each span
    scale = int(end.max()) + 1
    reach = np.maximum.accumulate(rank * scale + end)   # furthest end so far, within the group
    before = np.empty_like(reach)
    before[0] = 0
    before[1:] = reach[:-1] - rank[1:] * scale          # negative where a group begins
    added = np.maximum(0, end - np.maximum(start, before))
    first = np.flatnonzero(new)
    groups = (key[first], np.add.reduceat(added, first), np.diff(np.append(first, len(key))))
    return _sum_groups(np, out, _article_arrays(np, project, story_id), groups, k_coder, k_code)


def _sum_groups(np, out: Coverage, articles, groups, k_coder: int, k_code: int) -> Coverage:
    """Sum (article, coder, code) groups, in key order, into the per-outlet dicts of ``out``."""
    key, cov, spans = groups
    code, unit = key % k_code, key // k_code               # unit: (article, coder)
    coder, article = unit % k_coder, unit // k_coder
    ids, outlet_of, chars_of = articles
    pos = np.minimum(np.searchsorted(ids, article), len(ids) - 1)
    outlet, n_chars = outlet_of[pos], chars_of[pos]       # every coded article is in scope
    outlets = np.unique(outlet)
    o_idx = np.searchsorted(outlets, outlet)
    codes = np.unique(code)
    c_idx = np.searchsorted(codes, code)
    shape = (len(outlets), len(codes), k_coder)

    def tally(index, weights, size):
        return [np.bincount(index, weights=w, minlength=size) for w in weights]

    def name(o):
        return int(outlets[o]) or None

    size = shape[0] * shape[1] * shape[2]
    cell = (o_idx * shape[1] + c_idx) * shape[2] + coder
    c_cov, c_n, c_spans = tally(cell, [cov, None, spans], size)
    for i in np.flatnonzero(c_n).tolist():
        o, rest = divmod(i, shape[1] * shape[2])
        c, cd = divmod(rest, shape[2])
        out.cells[(name(o), int(codes[c]), cd)] = [int(c_cov[i]), int(c_n[i]), int(c_spans[i])]
    starts = np.empty(len(unit), bool)
    starts[0] = True
    np.not_equal(unit[1:], unit[:-1], out=starts[1:])
    first = np.flatnonzero(starts)                         # each unit's first group
    seg = np.cumsum(starts) - 1
    top = np.flatnonzero(cov == np.maximum.reduceat(cov, first)[seg])
    top = top[np.r_[True, seg[top][1:] != seg[top][:-1]]]   # ties: the lower code id
    (d_n,) = tally(cell[top], [None], size)
    for i in np.flatnonzero(d_n).tolist():
        o, rest = divmod(i, shape[1] * shape[2])
        c, cd = divmod(rest, shape[2])
        out.dominant[(name(o), int(codes[c]), cd)] = int(d_n[i])
    pair = o_idx[first] * k_coder + coder[first]
    u_n, u_chars = tally(pair, [None, n_chars[first]], shape[0] * k_coder)
    for i in np.flatnonzero(u_n).tolist():
        o, cd = divmod(i, k_coder)
        out.coded[(name(o), cd)] = [int(u_n[i]), int(u_chars[i])]
    return out


# -- article-level labels ----------------------------------------------------------------------------
def yesno_scores(project: Project, codebook_id: int, *,
                 story_id: int | None = None) -> list[tuple[int | None, int, int, float, int]]:
    """Frame scores from yes/no questions tied to codes (Semetko & Valkenburg): per article and
    coder, the mean of the answered items of each frame (1 = yes, 0 = no); summed per outlet.

    Rows: (outlet id, coder id, code id, sum of the articles' scores, number of articles).
    """
    params: list = [codebook_id]
    inner = ("SELECT l.article_id, l.coder_id, q.code_id, avg(CAST(l.value AS REAL)) AS score"
             " FROM article_labels l JOIN questions q ON q.id = l.question_id"
             " WHERE q.codebook_id = ? AND q.kind = 'yesno' AND q.code_id IS NOT NULL"
             " AND l.value IN ('0', '1')" + _story("l.article_id", story_id, params)
             + " GROUP BY l.article_id, l.coder_id, q.code_id")
    sql = (f"SELECT a.outlet_id, s.coder_id, s.code_id, sum(s.score), count(*) FROM ({inner}) s"
           + _outlet_join(project, "s.article_id") + " GROUP BY a.outlet_id, s.coder_id, s.code_id")
    return [tuple(r) for r in _cursor(project).execute(sql, params)]


def choice_counts(project: Project, question_id: int, *,
                  story_id: int | None = None) -> list[tuple[int | None, int, str, int]]:
    """Answers to one question: (outlet id, coder id, value, number of articles)."""
    params: list = [question_id]
    sql = ("SELECT a.outlet_id, l.coder_id, l.value, count(*) FROM article_labels l"
           + _outlet_join(project, "l.article_id") + " WHERE l.question_id = ?"
           + _story("l.article_id", story_id, params)
           + " GROUP BY a.outlet_id, l.coder_id, l.value")
    return [tuple(r) for r in _cursor(project).execute(sql, params)]


# -- suggestions and the codings that came from them ------------------------------------------------
def suggester_versions(project: Project) -> dict[str, int]:
    """suggester -> how many versions of it left suggestions in the project."""
    counts: dict[str, int] = {}
    for name, _version in _cursor(project).execute(
            "SELECT DISTINCT suggester, suggester_version FROM suggestions"):
        counts[name] = counts.get(name, 0) + 1
    return counts


def suggestion_counts(project: Project, suggester: str, *, story_id: int | None = None,
                      keys: tuple[str, ...] = (), articles: bool = True,
                      versions: int | None = None) -> list[tuple]:
    """Mentions proposed by one suggester, per outlet and label (and data ``keys``).

    A span proposed by several versions of the suggester counts once; a span + label that any
    coder rejected does not count.  Rows: (outlet id, label, *values of ``keys``, the data of
    one of the mentions as JSON, mentions, articles).  Grouping on ``keys`` reads every
    mention's data; without keys only one mention's data per row is read.  With
    ``articles=False`` the distinct articles are not counted (None in the rows).  ``versions``
    (from :func:`suggester_versions`) saves looking up how many versions left suggestions.
    """
    for key in keys:
        if not _KEY.match(key):
            raise ValueError(f"not a data key: {key!r}")
    cur = _cursor(project)
    if versions is None:
        versions = suggester_versions(project).get(suggester, 0)
    if not versions:
        return []
    params: list = [suggester]
    where = ["s.suggester = ?"]
    if versions > 1:
        # several versions: one row per span + label (the unique index's own order, no sort)
        where.append('s.id IN (SELECT max(id) FROM suggestions WHERE suggester = ?'
                     ' GROUP BY article_id, start, "end", codebook, label)')
        params.append(suggester)
    if cur.execute("SELECT 1 FROM suggestion_decisions d CROSS JOIN suggestions s"
                   " ON s.id = d.suggestion_id WHERE d.decision = 'rejected' AND s.suggester = ?"
                   " LIMIT 1", (suggester,)).fetchone():
        where.append("NOT EXISTS (SELECT 1 FROM suggestion_decisions d JOIN suggestions r"
                     " ON r.id = d.suggestion_id WHERE d.decision = 'rejected'"
                     ' AND r.article_id = s.article_id AND r.start = s.start AND r."end" = s."end"'
                     " AND r.label = s.label AND r.suggester = s.suggester)")
    extract = "".join(f", coalesce(json_extract(s.data_json, '$.{k}'), '')" for k in keys)
    group = "".join(f", {i + 3}" for i in range(len(keys)))
    distinct = "count(DISTINCT s.article_id)" if articles else "NULL"
    sql = (f"SELECT a.outlet_id, s.label{extract}, max(s.id), count(*), {distinct}"
           " FROM suggestions s" + _outlet_join(project, "s.article_id") + " WHERE " + " AND ".join(where)
           + _story("s.article_id", story_id, params) + f" GROUP BY 1, 2{group}")
    rows = cur.execute(sql, params).fetchall()
    samples: dict[int, str] = {}
    ids = [r[-3] for r in rows]
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        samples.update(cur.execute(f"SELECT id, data_json FROM suggestions WHERE id IN ({_marks(chunk)})",
                                   chunk).fetchall())
    return [(*r[:-3], samples.get(r[-3]), r[-2], r[-1]) for r in rows]


def coded_spans(project: Project, codebook_id: int, *,
                story_id: int | None = None) -> list[tuple]:
    """Every span coded in one codebook (actors, voices, viewpoint ...), with the data of the
    suggestion it was accepted from.  Rows: (outlet id, coder id, article id, code name, quote,
    suggestion data as JSON or None)."""
    params: list = [codebook_id]
    # the codebook's codes drive this (by the code index), never a scan of every annotation
    sql = ("SELECT a.outlet_id, an.coder_id, an.article_id, c.name, an.quote, s.data_json"
           " FROM codes c CROSS JOIN annotations an ON an.code_id = c.id"
           " JOIN articles a ON a.id = an.article_id"
           " LEFT JOIN suggestions s ON s.id = an.suggestion_id"
           " WHERE c.codebook_id = ?" + _story("an.article_id", story_id, params))
    return [tuple(r) for r in _cursor(project).execute(sql, params)]


# -- the rows behind one number ----------------------------------------------------------------------
EVIDENCE_COLUMNS = ("article_id", "start", "end", "text", "outlet", "country", "detail")


def _evidence(project: Project, sql: str, params: list) -> list[dict]:
    return [dict(zip(EVIDENCE_COLUMNS, r)) for r in _cursor(project).execute(sql, params)]


_ART_JOIN = " JOIN articles a ON a.id = {col} LEFT JOIN outlets o ON o.id = a.outlet_id"


def span_evidence(project: Project, *, code_ids: Iterable[int], coder_ids: Iterable[int],
                  outlet_ids: Iterable[int | None], story_id: int | None = None,
                  limit: int = 200) -> list[dict]:
    """The spans behind a coverage cell: dicts with :data:`EVIDENCE_COLUMNS` (detail = code and
    coder), in article and text order."""
    codes, coders = list(code_ids), list(coder_ids)
    params: list = [*codes, *coders]
    sql = ('SELECT an.article_id, an.start, an."end", an.quote, o.name, o.country,'
           " c.name || ' — ' || cd.name FROM annotations an"
           + _ART_JOIN.format(col="an.article_id")
           + " JOIN codes c ON c.id = an.code_id JOIN coders cd ON cd.id = an.coder_id"
           f" WHERE an.code_id IN ({_marks(codes)}) AND an.coder_id IN ({_marks(coders)})")
    sql += " AND " + _outlet_clause("a.outlet_id", outlet_ids, params)
    sql += _story("an.article_id", story_id, params) + ' ORDER BY an.article_id, an.start LIMIT ?'
    return _evidence(project, sql, params + [limit])


def label_evidence(project: Project, *, question_ids: Iterable[int], coder_ids: Iterable[int],
                   outlet_ids: Iterable[int | None], value: str | None = None,
                   story_id: int | None = None, limit: int = 200) -> list[dict]:
    """Articles behind an article-level number (a choice, or yes/no items): start = end = 0, the
    first characters of the article as text, its answers as detail."""
    questions, coders = list(question_ids), list(coder_ids)
    params: list = [*questions, *coders]
    sql = ("SELECT l.article_id, 0, 0, substr(a.text, 1, 160), o.name, o.country,"
           " group_concat(q.key || ' = ' || l.value, ', ') FROM article_labels l"
           + _ART_JOIN.format(col="l.article_id") + " JOIN questions q ON q.id = l.question_id"
           f" WHERE l.question_id IN ({_marks(questions)}) AND l.coder_id IN ({_marks(coders)})")
    if value is not None:
        sql += " AND l.value = ?"
        params.append(value)
    sql += " AND " + _outlet_clause("a.outlet_id", outlet_ids, params)
    sql += _story("l.article_id", story_id, params) + " GROUP BY l.article_id ORDER BY l.article_id LIMIT ?"
    return _evidence(project, sql, params + [limit])


def suggestion_evidence(project: Project, suggester: str, *, outlet_ids: Iterable[int | None],
                        labels: Iterable[str] | None = None, data: dict | None = None,
                        story_id: int | None = None, limit: int = 200) -> list[dict]:
    """Suggested spans behind a number (detail = label); ``data`` filters on data keys
    (``""`` matches a missing value)."""
    params: list = [suggester]
    sql = ('SELECT DISTINCT s.article_id, s.start, s."end", substr(a.text, s.start + 1,'
           ' s."end" - s.start), o.name, o.country, s.label FROM suggestions s'
           + _ART_JOIN.format(col="s.article_id") + " WHERE s.suggester = ?")
    if labels is not None:
        vals = list(labels)
        sql += f" AND s.label IN ({_marks(vals)})"
        params.extend(vals)
    for key, val in (data or {}).items():
        if not _KEY.match(key):
            raise ValueError(f"not a data key: {key!r}")
        sql += f" AND coalesce(json_extract(s.data_json, '$.{key}'), '') = ?"
        params.append(val)
    sql += " AND " + _outlet_clause("a.outlet_id", outlet_ids, params)
    sql += _story("s.article_id", story_id, params) + " ORDER BY s.article_id, s.start LIMIT ?"
    return _evidence(project, sql, params + [limit])


def coded_evidence(project: Project, codebook_id: int, *, coder_ids: Iterable[int],
                   outlet_ids: Iterable[int | None], code_names: Iterable[str] | None = None,
                   quotes: Iterable[str] | None = None, story_id: int | None = None,
                   limit: int = 200) -> list[dict]:
    """Coded spans of a codebook behind a number (detail = code and coder); ``quotes`` filters
    case-insensitively on the quoted words."""
    coders = list(coder_ids)
    params: list = [codebook_id, *coders]
    sql = ('SELECT an.article_id, an.start, an."end", an.quote, o.name, o.country,'
           " c.name || ' — ' || cd.name FROM annotations an"
           + _ART_JOIN.format(col="an.article_id")
           + " JOIN codes c ON c.id = an.code_id JOIN coders cd ON cd.id = an.coder_id"
           f" WHERE c.codebook_id = ? AND an.coder_id IN ({_marks(coders)})")
    for column, values in (("c.name", code_names), ("lower(an.quote)", quotes)):
        if values is not None:
            vals = [v.lower() if column.startswith("lower") else v for v in values]
            sql += f" AND {column} IN ({_marks(vals)})"
            params.extend(vals)
    sql += " AND " + _outlet_clause("a.outlet_id", outlet_ids, params)
    sql += _story("an.article_id", story_id, params) + " ORDER BY an.article_id, an.start LIMIT ?"
    return _evidence(project, sql, params + [limit])
