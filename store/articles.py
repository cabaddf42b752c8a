"""Outlets, articles and full-text search.

An article's ``text`` is immutable once stored; its SHA-256 (of the UTF-8 text) identifies it, so
re-importing the same text is detected and skipped.  ``raw_text`` keeps the capture as it came
(page furniture included) and ``removed`` lists the furniture lines that cleaning took out.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable

from .errors import ProjectError, SearchQueryError, ValidationError
from .project import Changes, Project, now
from .schema import CJK_CLASS


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Outlet:
    id: int
    name: str
    country: str | None
    language: str | None
    url: str | None
    notes: str | None


@dataclass
class ArticleSummary:
    """What lists show: everything but the text."""

    id: int
    title: str | None
    outlet: str | None
    country: str | None
    published: str | None
    language: str | None
    author: str | None
    url: str | None
    n_chars: int

    @property
    def label(self) -> str:
        return self.title or f"Article {self.id}"


@dataclass
class Article(ArticleSummary):
    text: str = ""
    text_sha256: str = ""
    raw_text: str | None = None
    removed: list[dict] = field(default_factory=list)
    encoding: str | None = None
    import_source: str | None = None
    imported_at: str | None = None
    supersedes_id: int | None = None
    meta: dict = field(default_factory=dict)


_SUMMARY_COLS = ("a.id, a.title, o.name AS outlet, o.country, a.published, a.language, "
                 "a.author, a.url, a.n_chars")


# -- outlets ---------------------------------------------------------------------------------
def get_outlet(project: Project, name: str) -> Outlet | None:
    row = project.query_one("SELECT * FROM outlets WHERE name = ?", (name,))
    return Outlet(**dict(row)) if row else None


def list_outlets(project: Project) -> list[Outlet]:
    return [Outlet(**dict(r)) for r in project.query("SELECT * FROM outlets ORDER BY name")]


def ensure_outlet(project: Project, name: str, *, country: str | None = None,
                  language: str | None = None, url: str | None = None) -> int:
    """Id of the outlet called ``name``, created (inside the current action) if new.

    Missing country/language/url of an existing outlet are filled in; known ones are kept.
    """
    name = name.strip()
    if not name:
        raise ValidationError("an outlet needs a name")
    country = country.strip().upper() if country else None
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise ValidationError(f"country must be an ISO 3166 alpha-2 code such as RU, JP, CN (got {country!r})")
    existing = get_outlet(project, name)
    with project.action("outlet", name) as _:
        if existing is None:
            return project.insert_row("outlets", {"name": name, "country": country,
                                                  "language": language, "url": url})
        fill = {k: v for k, v in (("country", country), ("language", language), ("url", url))
                if v and not getattr(existing, k)}
        if fill:
            project.update_row("outlets", existing.id, fill)
        return existing.id


# -- articles --------------------------------------------------------------------------------
@dataclass
class AddResult:
    article_id: int
    created: bool


def find_by_hash(project: Project, sha256: str) -> int | None:
    row = project.query_one("SELECT id FROM articles WHERE text_sha256 = ?", (sha256,))
    return row[0] if row else None


#: articles per INSERT statement in :func:`add_articles` (see :meth:`Project.insert_rows`):
#: 200, the importer's batch, wrote the mixed-language import bench's rows with 20 % less
#: CPU than 50 (fewer, larger FTS5 segments; 3,600 variables, far under SQLite's limit)
INSERT_CHUNK = 200


def add_article(project: Project, *, text: str, title: str | None = None, outlet: str | None = None,
                country: str | None = None, published: str | None = None, url: str | None = None,
                author: str | None = None, language: str | None = None,
                raw_text: str | None = None, removed: Iterable[dict] = (),
                encoding: str | None = None, import_source: str | None = None,
                supersedes_id: int | None = None, meta: dict | None = None) -> AddResult:
    """Store one article (inside the current action, or as its own ``import`` action).

    Returns the existing article's id with ``created=False`` when the same text is already in
    the project.  The text must be non-empty and free of NUL characters; ``ValidationError``
    otherwise, and for a row the file's constraints refuse (such as a malformed date).
    """
    result = add_articles(project, [dict(
        text=text, title=title, outlet=outlet, country=country, published=published, url=url,
        author=author, language=language, raw_text=raw_text, removed=removed, encoding=encoding,
        import_source=import_source, supersedes_id=supersedes_id, meta=meta)])[0]
    if isinstance(result, ValidationError):
        raise result
    return result


def add_articles(project: Project, articles: Iterable[dict]) -> list[AddResult | ValidationError]:
    """Store many articles, each a dict of :func:`add_article`'s keyword arguments, inside the
    current action (or as one ``import`` action); one result per article, in order.

    An article that cannot be stored gets its ``ValidationError`` as its result and the others
    are stored all the same.  The same text twice (in the project or in ``articles``) gives the
    first one's id with ``created=False``.  Articles are written ``INSERT_CHUNK`` per statement.
    """
    items = list(articles)
    results: list[AddResult | ValidationError | None] = [None] * len(items)
    shas: dict[int, str] = {}
    for index, item in enumerate(items):
        text = item.get("text")
        if not text or not text.strip():
            results[index] = ValidationError("an article needs a non-empty text")
        elif "\x00" in text:
            results[index] = ValidationError("article text contains NUL characters")
        else:
            shas[index] = text_sha256(text)
    known = _known(project, shas.values())
    first_of: dict[str, int] = {}     # sha -> index of the first new article with that text
    new: list[int] = []
    for index, sha in shas.items():
        if sha in known:
            results[index] = AddResult(known[sha], False)
        elif sha not in first_of:
            first_of[sha] = index
            new.append(index)
    if new:                           # (so a re-import of known texts writes no action)
        what = (items[new[0]].get("import_source") or "article") if len(new) == 1 else \
            f"{len(new)} articles"
        with project.action("import", what):
            outlet_ids = _outlet_ids(project)
            for first in range(0, len(new), INSERT_CHUNK):
                _insert_chunk(project, items, new[first:first + INSERT_CHUNK], shas, results,
                              outlet_ids)
    for index, sha in shas.items():
        if results[index] is None:    # the same text as an earlier article of ``articles``
            earlier = results[first_of[sha]]
            results[index] = (AddResult(earlier.article_id, False)
                              if isinstance(earlier, AddResult) else earlier)
    return results  # type: ignore[return-value]


def _outlet_ids(project: Project) -> dict[tuple, int]:
    """(outlet, country, language) -> outlet id, as :func:`ensure_outlet` answered them in the
    current action: an import calls :func:`add_articles` once per chunk inside one action, and
    asking again within it would answer the same (the action holds the write lock, and a
    second call with the same key finds nothing left to fill in).  A new action (also after a
    rollback) starts afresh."""
    action = project._require_action()
    cached = getattr(project, "_article_outlet_ids", None)
    if cached is None or cached[0] is not action:
        cached = (action, {})
        project._article_outlet_ids = cached
    return cached[1]


def _known(project: Project, shas: Iterable[str]) -> dict[str, int]:
    """sha -> id of the project's articles with these texts."""
    shas = list(shas)
    found: dict[str, int] = {}
    for first in range(0, len(shas), 500):
        part = shas[first:first + 500]
        found.update(project.query("SELECT text_sha256, id FROM articles WHERE text_sha256 IN "
                                   f"({', '.join('?' for _ in part)})", tuple(part)))
    return found


def _insert_chunk(project: Project, items: list[dict], indexes: list[int], shas: dict[int, str],
                  results: list, outlet_ids: dict[tuple, int]) -> None:
    rows, images, owners = [], [], []
    for index in indexes:
        try:
            row = _article_row(project, items[index], shas[index], outlet_ids)
        except ValidationError as exc:
            results[index] = exc
            continue
        rows.append(row)
        images.append({k: v for k, v in row.items() if k not in ("text", "raw_text", "removed_json")})
        owners.append(index)
    try:
        ids: list[int | None] = list(project.insert_rows("articles", rows, log_images=images))
    except sqlite3.IntegrityError:
        ids = []                      # a row was refused: store them one by one to say which
        for row, image, index in zip(rows, images, owners):
            try:
                ids.append(project.insert_row("articles", row, log_image=image))
            except sqlite3.IntegrityError as exc:
                ids.append(None)
                stored = _known(project, [shas[index]])    # by another process meanwhile
                results[index] = (AddResult(stored[shas[index]], False) if stored
                                  else ValidationError(f"article not stored: {exc}"))
    for row_id, index in zip(ids, owners):
        if row_id is not None:
            results[index] = AddResult(row_id, True)


def _article_row(project: Project, item: dict, sha: str, outlet_ids: dict[tuple, int]) -> dict:
    text, raw_text, outlet = item["text"], item.get("raw_text"), item.get("outlet")
    outlet_id = None
    if outlet:
        key = (outlet, item.get("country"), item.get("language"))
        if key not in outlet_ids:
            outlet_ids[key] = ensure_outlet(project, outlet, country=key[1], language=key[2])
        outlet_id = outlet_ids[key]
    return {
        "outlet_id": outlet_id, "title": item.get("title"), "author": item.get("author"),
        "published": item.get("published"), "url": item.get("url"),
        "language": item.get("language"), "text": text, "n_chars": len(text),
        "text_sha256": sha, "raw_text": raw_text if raw_text != text else None,
        "removed_json": json.dumps(list(item.get("removed") or ()), ensure_ascii=False),
        "encoding": item.get("encoding"), "import_source": item.get("import_source"),
        "imported_at": now(), "supersedes_id": item.get("supersedes_id"),
        "meta_json": json.dumps(item.get("meta") or {}, ensure_ascii=False),
        "has_cjk": has_cjk(text),
    }


def update_article_metadata(project: Project, article_id: int, **values) -> Changes:
    """Change title, author, published, url, language or outlet of an article (never its text)."""
    allowed = {"title", "author", "published", "url", "language", "outlet_id"}
    bad = set(values) - allowed
    if bad:
        raise ValidationError(f"cannot change {', '.join(sorted(bad))} of an article")
    with project.action("article-metadata", f"article {article_id}") as changes:
        project.update_row("articles", article_id, values)
    return changes


def get_article(project: Project, article_id: int) -> Article:
    row = project.query_one(
        f"SELECT {_SUMMARY_COLS}, a.text, a.text_sha256, a.raw_text, a.removed_json, a.encoding,"
        " a.import_source, a.imported_at, a.supersedes_id, a.meta_json"
        " FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?", (article_id,))
    if row is None:
        raise ProjectError(f"no article with id {article_id}")
    d = dict(row)
    d["removed"] = json.loads(d.pop("removed_json") or "[]")
    if d["raw_text"] is None:  # stored only when the capture differs from the analysed text
        d["raw_text"] = d["text"]
    d["meta"] = json.loads(d.pop("meta_json") or "{}")
    return Article(**d)


def get_text(project: Project, article_id: int) -> str:
    row = project.query_one("SELECT text FROM articles WHERE id = ?", (article_id,))
    if row is None:
        raise ProjectError(f"no article with id {article_id}")
    return row[0]


def list_articles(project: Project, *, story_id: int | None = None, country: str | None = None,
                  outlet: str | None = None, coded_by: int | None = None,
                  coded: bool | None = None, ids: Iterable[int] | None = None,
                  limit: int | None = None) -> list[ArticleSummary]:
    """Articles with their outlet, in story order for a story, else by date then id.

    ``coded=True`` keeps articles with at least one annotation (by ``coded_by`` when given),
    ``coded=False`` those without.
    """
    where, params, join = [], [], ""
    order = "a.published, a.id"
    if story_id is not None:
        join = "JOIN story_articles sa ON sa.article_id = a.id AND sa.story_id = ?"
        params.append(story_id)
        order = "sa.position, a.id"
    if country:
        where.append("o.country = ?")
        params.append(country.upper())
    if outlet:
        where.append("o.name = ?")
        params.append(outlet)
    if ids is not None:
        id_list = list(ids)
        where.append(f"a.id IN ({', '.join('?' for _ in id_list) or 'NULL'})")
        params.extend(id_list)
    if coded is not None:
        sub = "SELECT 1 FROM annotations an WHERE an.article_id = a.id"
        if coded_by is not None:
            sub += " AND an.coder_id = ?"
            params.append(coded_by)
        where.append(("EXISTS" if coded else "NOT EXISTS") + f" ({sub})")
    sql = (f"SELECT {_SUMMARY_COLS} FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id {join}"
           + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {order}")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [ArticleSummary(**dict(r)) for r in project.query(sql, params)]


def count_articles(project: Project) -> int:
    return project.query_one("SELECT count(*) FROM articles")[0]


# -- search ----------------------------------------------------------------------------------
@dataclass
class SearchHit:
    article_id: int
    title: str | None
    outlet: str | None
    country: str | None
    published: str | None
    snippet: str
    offset: int          # code point offset of the first matching term in the text (0 if none)
    length: int          # length of that match


_FTS_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FTS_KEYWORDS = {"AND", "OR", "NOT", "NEAR"}
_FTS_SYNTAX = re.compile(r'["()*]|\b(AND|OR|NOT|NEAR)\b')


def uses_fts_syntax(query: str) -> bool:
    """True when ``query`` uses FTS5 syntax (quotes, parentheses, *, AND / OR / NOT / NEAR)
    rather than being plain words."""
    return bool(_FTS_SYNTAX.search(query))


def _explain_fts_error(query: str, exc: Exception) -> str:
    if query.count('"') % 2:
        return f"Search query {query!r} has an unbalanced double quote."
    if query.count("(") != query.count(")"):
        return f"Search query {query!r} has unbalanced parentheses."
    return (f"Search query {query!r} could not be understood ({exc}). Use words, \"exact "
            "phrases\", AND / OR / NOT, and prefix* searches.")


def plain_query(text: str) -> str:
    """Turn free text into a safe FTS5 query: each word quoted, all required, last one a prefix."""
    words = _FTS_WORD.findall(text)
    if not words:
        return ""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _first_hit(text: str, query: str) -> tuple[int, int]:
    terms = [w for w in _FTS_WORD.findall(query) if w.upper() not in _FTS_KEYWORDS]
    lowered = text.lower()
    best = (0, 0)
    for term in terms:
        pos = lowered.find(term.lower())
        if pos >= 0 and (best == (0, 0) or pos < best[0]):
            m = _FTS_WORD.match(text, pos)
            best = (pos, (m.end() - pos) if m else len(term))
    return best


def search(project: Project, query: str, *, limit: int = 200, plain: bool = False,
           story_id: int | None = None) -> list[SearchHit]:
    """Full-text search over titles and texts, best match first.

    ``query`` uses FTS5 syntax (words, "phrases", AND/OR/NOT, prefix*); ``plain=True`` treats it
    as free text instead (what the search box does).  A malformed query raises
    :class:`SearchQueryError` with a readable message.  A query with Chinese, Japanese or Korean
    characters is searched by substring in the articles written in them (see
    :func:`_search_cjk`).
    """
    if _CJK.search(query):
        return _search_cjk(project, query, limit=limit, plain=plain, story_id=story_id)
    fts = plain_query(query) if plain else query.strip()
    if not fts:
        return []
    params: list = [fts]
    join = ""
    if story_id is not None:
        join = "JOIN story_articles sa ON sa.article_id = a.id AND sa.story_id = ?"
        params.insert(0, story_id)
    sql = (
        "SELECT a.id, a.title, o.name AS outlet, o.country, a.published, a.text,"
        " snippet(articles_fts, 1, '[', ']', '…', 16) AS snip"
        " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        f"{join} LEFT JOIN outlets o ON o.id = a.outlet_id"
        " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?")
    params.append(int(limit))
    hits = []
    for r in _search_rows(project, query, sql, params):
        offset, length = _first_hit(r["text"], query)
        hits.append(SearchHit(r["id"], r["title"], r["outlet"], r["country"], r["published"],
                              r["snip"], offset, length))
    return hits


def _search_rows(project: Project, query: str, sql: str, params: list) -> list[sqlite3.Row]:
    try:
        return project.query(sql, params)
    except sqlite3.OperationalError as exc:
        raise SearchQueryError(_explain_fts_error(query, exc)) from exc


_CJK = re.compile(f"[{CJK_CLASS}]")


def has_cjk(text: str) -> int:
    """1 when ``text`` has Chinese, Japanese or Korean characters (it is then indexed by
    trigrams too, see ``store.schema.MIGRATION_3``), else 0."""
    if text.isascii():     # constant time: CPython knows whether a string is all ASCII
        return 0
    return int(_CJK.search(text) is not None)
_CJK_SNIPPET_CHARS = 24


def _search_cjk(project: Project, query: str, *, limit: int, plain: bool,
                story_id: int | None) -> list[SearchHit]:
    """Search for a query with CJK characters, by substring (those scripts put no spaces between
    words): in the articles whose text has such characters, indexed by trigrams (``articles_cjk``,
    schema version 3).

    Free text (``plain`` or a query without FTS syntax): every word must occur; words of three
    characters or more go through the trigram index, shorter ones are found by a scan of those
    articles.  FTS syntax goes to the trigram index as it is, and there every term needs three
    characters or more; its English terms, too, then match only articles with CJK text.  Ranked
    by the trigram index's bm25 when it was used, else by date.
    """
    syntax = not plain and uses_fts_syntax(query)
    words = [w for w in _FTS_WORD.findall(query) if not (syntax and w.upper() in _FTS_KEYWORDS)]
    if not words:
        return []
    if syntax:
        short = [w for w in words if _CJK.search(w) and len(w) < 3]
        if short:
            raise SearchQueryError(
                f"Search query {query!r}: Chinese, Japanese and Korean terms are matched as "
                f"substrings of at least 3 characters when the query uses quotes, AND / OR / NOT "
                f"or *; {short[0]!r} is shorter. Search it without those operators.")
        match = query.strip()
        scans: list[str] = []
    else:
        long_words = [w for w in words if len(w) >= 3]
        match = " ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        scans = [w for w in words if len(w) < 3]
    # the articles with CJK text: those indexed by trigrams (FTS5 keeps one docsize row for each)
    where, params = ["a.id IN (SELECT id FROM articles_cjk_docsize)"], []
    if story_id is not None:
        where.append("a.id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
        params.append(story_id)
    for word in scans:
        where.append("(instr(lower(a.text), ?) OR instr(lower(coalesce(a.title, '')), ?))")
        params += [word.lower(), word.lower()]
    if match:
        sql = ("SELECT a.id, a.title, o.name AS outlet, o.country, a.published, a.text"
               " FROM articles_cjk JOIN articles a ON a.id = articles_cjk.rowid"
               " LEFT JOIN outlets o ON o.id = a.outlet_id"
               f" WHERE articles_cjk MATCH ? AND {' AND '.join(where)} ORDER BY rank LIMIT ?")
        params = [match, *params, int(limit)]
    else:
        sql = ("SELECT a.id, a.title, o.name AS outlet, o.country, a.published, a.text"
               " FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id"
               f" WHERE {' AND '.join(where)} ORDER BY a.published, a.id LIMIT ?")
        params.append(int(limit))
    hits = []
    for r in _search_rows(project, query, sql, params):
        offset, length = _first_substring(r["text"], words)
        text = r["text"]
        lo, hi = max(0, offset - _CJK_SNIPPET_CHARS), offset + length + _CJK_SNIPPET_CHARS
        snippet = ("…" if lo else "") + text[lo:offset] + "[" + text[offset:offset + length] + "]" \
            + text[offset + length:hi] + ("…" if hi < len(text) else "")
        hits.append(SearchHit(r["id"], r["title"], r["outlet"], r["country"], r["published"],
                              snippet.replace("\n", " "), offset, length))
    return hits


def _first_substring(text: str, words: list[str]) -> tuple[int, int]:
    """Offset and length of the earliest occurrence of any of ``words`` (ignoring case)."""
    lowered = text.lower()
    found = [(pos, len(w)) for w in words if (pos := lowered.find(w.lower())) >= 0]
    return min(found) if found else (0, 0)
