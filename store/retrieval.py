"""Coded-segment retrieval: every span coded with a code (or several) across the whole project.

What QDA researchers call "retrieval of coded segments" (MAXQDA's Retrieved Segments, ATLAS.ti's
quotation manager, QualCoder's code reports): pick codes, get every coded span with where it comes
from and the text around it, whether or not its article is open anywhere.  Read-only, plain SQL,
no Qt; :func:`find_segments` is the one entry point.

Combining codes (``SegmentQuery.mode``):

* ``"any"`` (OR) — every annotation whose code is one of the chosen codes: the union.
* ``"all"`` (AND) — every annotation of one of the chosen codes that, in the same article,
  overlaps (shares at least one code point with) an annotation of *each* other chosen code.
  Every annotation taking part is listed, so a passage coded X by one span and Y by another gives
  both rows; :attr:`Segment.also` names the other codes it overlaps.  The partner spans must pass
  the same coder filter, and with ``same_coder`` (the default) must be the same coder's: "coder A
  coded this passage both X and Y", not "A coded X where B coded Y".  One code with ``"all"`` is
  the same as ``"any"``.

Filters: coders, outlets (``None`` in ``outlet_ids`` stands for articles without an outlet),
countries (ISO codes as the outlets record them) and one story; each is "no filter" when
``None``.  With ``with_subcodes`` a chosen code stands for itself and every code below it in its
codebook's tree (for AND: each chosen code's family is one term).

Context (:attr:`Segment.context`): the sentence(s) holding the span, at most ``context`` code
points either side.  The window is cut by SQLite (``substr`` counts code points of TEXT values,
so no article text is ever read whole into Python); within it the context starts after the last
sentence end before the span and stops after the first sentence end after it.  A sentence ends at
a line break, at ``。！？`` and at ``.!?…`` followed by whitespace and a character that is not a
lower-case letter (so "U.S. officials" does not end one).  ``clipped_left`` / ``clipped_right``
say the window was reached without finding a sentence end (shown as "…").

Speed: the chosen codes are found through the ``annotations_code`` index and AND partners through
``annotations_coverage`` (article, coder, code, start, end), so no new index is needed; see
``docs/retrieval.md`` for the figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .errors import ValidationError
from .project import Project

ANY, ALL = "any", "all"
_CHUNK = 400  # article ids per statement (below SQLite's limit of bound parameters)
MODES = (ANY, ALL)
#: code points of context either side of a span, at most
DEFAULT_CONTEXT = 160


@dataclass(frozen=True)
class SegmentQuery:
    """What to retrieve (see the module docstring for the meaning of each field)."""
    code_ids: tuple[int, ...]
    mode: str = ANY
    coder_ids: tuple[int, ...] | None = None
    outlet_ids: tuple[int | None, ...] | None = None
    countries: tuple[str, ...] | None = None
    story_id: int | None = None
    same_coder: bool = True
    with_subcodes: bool = False
    context: int = DEFAULT_CONTEXT


@dataclass(frozen=True)
class Segment:
    """One coded span with its article, outlet, coder, code and context.

    Offsets are code points into the article text, end exclusive; ``context`` is
    ``text[context_start:context_start + len(context)]``, so the coded part inside it is
    ``context[start - context_start:end - context_start]`` (see :attr:`before`, :attr:`after`).
    """
    annotation_id: int
    article_id: int
    title: str
    outlet_id: int | None
    outlet: str
    country: str
    published: str
    language: str
    coder_id: int
    coder: str
    code_id: int
    code: str
    codebook: str
    color: str
    start: int
    end: int
    quote: str
    memo: str
    context_start: int
    context: str
    clipped_left: bool
    clipped_right: bool
    also: tuple[str, ...] = field(default=())

    @property
    def before(self) -> str:
        return self.context[: self.start - self.context_start]

    @property
    def after(self) -> str:
        return self.context[self.end - self.context_start:]


def _marks(values) -> str:
    return ", ".join("?" for _ in values) or "NULL"


def _families(project: Project, code_ids: Iterable[int], with_subcodes: bool) -> list[set[int]]:
    """Each chosen code as the set of code ids that stand for it."""
    chosen = list(dict.fromkeys(int(c) for c in code_ids))
    if not chosen:
        raise ValidationError("choose at least one code")
    rows = project.query(f"SELECT id, parent_id FROM codes WHERE id IN ({_marks(chosen)})", chosen)
    known = {r["id"] for r in rows}
    missing = [c for c in chosen if c not in known]
    if missing:
        raise ValidationError(f"no code with id {missing[0]}")
    if not with_subcodes:
        return [{c} for c in chosen]
    children: dict[int, list[int]] = {}
    for r in project.query("SELECT id, parent_id FROM codes WHERE parent_id IS NOT NULL"):
        children.setdefault(r["parent_id"], []).append(r["id"])
    families = []
    for c in chosen:
        family, todo = set(), [c]
        while todo:
            x = todo.pop()
            if x not in family:
                family.add(x)
                todo.extend(children.get(x, ()))
        families.append(family)
    return families


def _filters(q: SegmentQuery, params: list, *, an: str = "an", art: str = "a",
             out: str = "o") -> list[str]:
    """WHERE terms for the coder, outlet, country and story filters."""
    where = []
    if q.coder_ids is not None:
        where.append(f"{an}.coder_id IN ({_marks(q.coder_ids)})")
        params.extend(q.coder_ids)
    if q.outlet_ids is not None:
        real = [i for i in q.outlet_ids if i is not None]
        parts = [f"{art}.outlet_id IN ({_marks(real)})"]
        params.extend(real)
        if None in q.outlet_ids:
            parts.append(f"{art}.outlet_id IS NULL")
        where.append("(" + " OR ".join(parts) + ")")
    if q.countries is not None:
        where.append(f"{out}.country IN ({_marks(q.countries)})")
        params.extend(c.upper() for c in q.countries)
    if q.story_id is not None:
        where.append(f"{an}.article_id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
        params.append(q.story_id)
    return where


_SELECT = """
SELECT an.id, an.article_id, coalesce(a.title, '') AS title, a.outlet_id,
       coalesce(o.name, '') AS outlet, coalesce(o.country, '') AS country,
       coalesce(a.published, '') AS published, coalesce(a.language, '') AS language,
       an.coder_id, cd.name AS coder, an.code_id, c.name AS code, cb.key AS codebook, c.color,
       an.start, an."end", an.quote, coalesce(an.memo, '') AS memo,
       a.n_chars, max(0, an.start - :ctx) AS ctx_start,
       substr(a.text, max(0, an.start - :ctx) + 1,
              min(a.n_chars, an."end" + :ctx) - max(0, an.start - :ctx)) AS ctx
FROM annotations an
JOIN articles a ON a.id = an.article_id
LEFT JOIN outlets o ON o.id = a.outlet_id
JOIN codes c ON c.id = an.code_id
JOIN codebooks cb ON cb.id = c.codebook_id
JOIN coders cd ON cd.id = an.coder_id
"""
_ORDER = (' ORDER BY o.country IS NULL, o.country, o.name IS NULL, o.name, a.published IS NULL,'
          ' a.published, an.article_id, an.start, an."end", an.id')


def _partner(family: set[int], q: SegmentQuery, params: list) -> str:
    """SQL: an annotation of ``family`` overlapping ``an`` in its article (coder rules applied)."""
    terms = ["p.article_id = an.article_id", f"p.code_id IN ({_marks(family)})",
             'p.start < an."end"', 'p."end" > an.start']
    params.extend(sorted(family))
    if q.same_coder:
        terms.append("p.coder_id = an.coder_id")
    elif q.coder_ids is not None:
        terms.append(f"p.coder_id IN ({_marks(q.coder_ids)})")
        params.extend(q.coder_ids)
    return "SELECT 1 FROM annotations p WHERE " + " AND ".join(terms)


def find_segments(project: Project, query: SegmentQuery) -> list[Segment]:
    """Every coded segment matching ``query``, ordered by country, outlet, date, article, offset."""
    if query.mode not in MODES:
        raise ValidationError(f"mode must be {' or '.join(MODES)}, not {query.mode!r}")
    if query.context < 0:
        raise ValidationError("context must be zero or more characters")
    families = _families(project, query.code_ids, query.with_subcodes)
    every = sorted(set().union(*families))
    params: list = [*every]
    where = [f"an.code_id IN ({_marks(every)})", *_filters(query, params)]
    if query.mode == ALL and len(families) > 1:
        # the segment's own family needs no partner; each other family does
        for i, family in enumerate(families):
            own = f"an.code_id IN ({_marks(family)})"
            params.extend(sorted(family))
            others = [f for j, f in enumerate(families) if j != i]
            checks = [f"EXISTS ({_partner(f, query, params)})" for f in others]
            where.append(f"(NOT {own} OR ({' AND '.join(checks)}))")
    sql = _SELECT.replace(":ctx", str(int(query.context))) + " WHERE " + " AND ".join(where) + _ORDER
    rows = project.query(sql, params)
    also = _partners(project, rows, families, query) if query.mode == ALL and len(families) > 1 else {}
    return [_segment(r, also.get(r["id"], ())) for r in rows]


def _partners(project: Project, rows, families: list[set[int]],
              q: SegmentQuery) -> dict[int, tuple[str, ...]]:
    """For AND results: annotation id -> names of the other chosen codes' spans it overlaps
    (read again, since a partner need not be a result itself when three or more codes are
    combined)."""
    every = sorted(set().union(*families))
    articles = sorted({r["article_id"] for r in rows})
    spans: dict[int, list] = {}
    for i in range(0, len(articles), _CHUNK):
        chunk = articles[i:i + _CHUNK]
        params: list = [*chunk, *every]
        sql = ('SELECT an.article_id, an.coder_id, an.code_id, an.start, an."end", c.name'
               " FROM annotations an JOIN codes c ON c.id = an.code_id"
               f" WHERE an.article_id IN ({_marks(chunk)}) AND an.code_id IN ({_marks(every)})")
        if q.coder_ids is not None:
            sql += f" AND an.coder_id IN ({_marks(q.coder_ids)})"
            params.extend(q.coder_ids)
        for p in project.query(sql, params):
            spans.setdefault(p[0], []).append(tuple(p))
    family_of = {c: i for i, f in enumerate(families) for c in f}
    out: dict[int, tuple[str, ...]] = {}
    for r in rows:
        mine = family_of[r["code_id"]]
        names = {name for _a, coder, code, s, e, name in spans.get(r["article_id"], ())
                 if family_of[code] != mine and s < r["end"] and e > r["start"]
                 and (not q.same_coder or coder == r["coder_id"])}
        out[r["id"]] = tuple(sorted(names))
    return out


_LATIN_END = re.compile(r"[.!?…]+[\"'»”’)\]]*\s+")
_CJK_END = re.compile(r"[。！？]+[」』”’）)]*")
_LINE_END = re.compile(r"\n")


def sentence_ends(text: str) -> list[int]:
    """Positions (code points) just after each sentence end in ``text``, ascending.

    A line break ends a sentence; so do ``。！？`` (with closing quotes or brackets); so do
    ``.!?…`` followed by whitespace when the next character is not a lower-case letter.
    (Three simple scans: one pattern with alternatives took 1.5 times as long.)
    """
    ends = {m.end() for m in _LINE_END.finditer(text)}
    ends.update(m.end() for m in _CJK_END.finditer(text))
    for m in _LATIN_END.finditer(text):
        if not text[m.end():m.end() + 1].islower():
            ends.add(m.end())
    return sorted(ends)


def sentence_context(window: str, span_start: int, span_end: int) -> tuple[int, int, bool, bool]:
    """Cut ``window`` (the text around a span at ``span_start:span_end`` of the window) to the
    sentence(s) holding the span: returns ``(lo, hi, clipped_left, clipped_right)``."""
    ends = sentence_ends(window)
    lefts = [e for e in ends if e <= span_start]
    rights = [e for e in ends if e >= span_end]
    lo = lefts[-1] if lefts else 0
    hi = rights[0] if rights else len(window)
    while lo < span_start and window[lo].isspace():
        lo += 1
    while hi > span_end and window[hi - 1].isspace():
        hi -= 1
    return lo, hi, not lefts, not rights


def _segment(r, also: tuple[str, ...]) -> Segment:
    window, w0 = r["ctx"] or "", r["ctx_start"]
    s, e = r["start"] - w0, r["end"] - w0
    lo, hi, clip_l, clip_r = sentence_context(window, s, e)
    clip_l = clip_l and w0 > 0
    clip_r = clip_r and w0 + len(window) < r["n_chars"]
    return Segment(
        annotation_id=r["id"], article_id=r["article_id"], title=r["title"],
        outlet_id=r["outlet_id"], outlet=r["outlet"], country=r["country"],
        published=r["published"], language=r["language"], coder_id=r["coder_id"],
        coder=r["coder"], code_id=r["code_id"], code=r["code"], codebook=r["codebook"],
        color=r["color"], start=r["start"], end=r["end"], quote=r["quote"], memo=r["memo"],
        context_start=w0 + lo, context=window[lo:hi], clipped_left=clip_l, clipped_right=clip_r,
        also=also)


def summarize(segments: list[Segment]) -> dict[str, int]:
    """Counts for a list of segments: segments, articles, outlets, coders."""
    return {"segments": len(segments),
            "articles": len({s.article_id for s in segments}),
            "outlets": len({s.outlet_id for s in segments}),
            "coders": len({s.coder_id for s in segments})}


def code_counts(project: Project, query: SegmentQuery) -> dict[int, int]:
    """Span annotations per code id under the query's coder, outlet, country and story filters
    (its codes and mode are ignored): the numbers the retrieval view shows beside each code."""
    params: list = []
    where = _filters(query, params)
    joins = ""
    if query.outlet_ids is not None or query.countries is not None:
        joins = " JOIN articles a ON a.id = an.article_id LEFT JOIN outlets o ON o.id = a.outlet_id"
    sql = ("SELECT an.code_id, count(*) FROM annotations an" + joins
           + (" WHERE " + " AND ".join(where) if where else "") + " GROUP BY an.code_id")
    return {r[0]: r[1] for r in project.query(sql, params)}
