"""A web page's own metadata, and the clean-up of titles and authors, in every script.

:func:`page_metadata` reads what a saved page says about itself, before any text heuristic:

* site name - ``og:site_name``, JSON-LD ``publisher.name`` (NewsArticle, Article, WebPage...),
  ``<meta name="publisher">``, ``application-name``, in that order; values that are addresses
  (``https://www.facebook.com/tagesspiegel``) or ``@handles`` are not names; a slogan after the
  name is dropped (``Aktuálně.cz - Víte, co se právě děje`` -> ``Aktuálně.cz``);
* published - ``article:published_time``, JSON-LD ``datePublished``, ``itemprop=datePublished``,
  ``pubdate``/``publishdate``/``publish-date``/``date``/``DC.date.issued``/``sailthru.date``/
  ``parsely-pub-date``/``OriginalPublicationDate``; else a title segment that is a full date
  (``Una solución… - 07.12.2017 - LA NACION``);
* author - JSON-LD ``author.name``, ``<meta name="author">``, ``article:author`` when not a link;
* url - ``og:url``, else ``<link rel="canonical">`` (``www.…`` without a scheme read as ``http://www.…``).

Only the document head (first 200,000 characters) is read, with regular expressions: no DOM,
no network.

:func:`clean_title` removes what sites add to headlines - the site name before or after a
separator (``… -新华网``, ``… | The Japan Times``, ``NEWS WEB EASY|…``, ``…_教育频道_中国青年网``),
section and site segments (ending 网, 频道, ニュース, News, Online...), date segments
(``… - 07.12.2017 - …``), breadcrumb trails (``Headline » Local » Noticias » Ultima Hora``:
the longest segment, when at either end, is the headline), and a trailing photo credit in
brackets (``（写真＝ロイター）``, ``(Photo: Reuters)``).

:func:`clean_author` refuses what is not a person's byline: placeholders (``No Author``,
``Redaktion``, ``作者``, ``admin``), photo credits and captions (``Фото из Инстаграма…``,
``李尕 摄``, ``写真：…``), editor lines (``责任编辑：…``), and teasers (a sentence, or over
80 characters).
"""

from __future__ import annotations

import html
import json
import re

from .dates import normalise_date

HEAD_CHARS = 200_000

_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_LINK_CANONICAL = re.compile(
    r"""<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*>""", re.IGNORECASE)
_TITLE_TAG = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_JSON_LD = re.compile(
    r"""<script\b[^>]*type\s*=\s*["']application/ld\+json["'][^>]*>(.*?)</script>""",
    re.IGNORECASE | re.DOTALL)

_SITE_KEYS = ("og:site_name", "publisher", "application-name")
_DATE_KEYS = ("article:published_time", "datepublished", "pubdate", "publishdate",
              "publish-date", "publish_date", "dc.date.issued", "dcterms.created",
              "sailthru.date", "parsely-pub-date", "originalpublicationdate", "date")
_ARTICLE_TYPES = re.compile(r"Article|NewsArticle|Report|BlogPosting|WebPage|LiveBlogPosting",
                            re.IGNORECASE)


def page_metadata(page: str) -> dict[str, str]:
    """``site_name``, ``published``, ``author``, ``url``, ``title`` a page declares (see the
    module docstring); only the keys found."""
    head = page[:HEAD_CHARS]
    metas: dict[str, str] = {}
    for tag in _META.finditer(head):
        attrs = {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
                 for m in _ATTR.finditer(tag.group(0))}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        value = (attrs.get("content") or "").strip()
        if key and value and key not in metas:
            metas[key] = value
    found: dict[str, str] = {}
    ld = _json_ld(head)
    for key in _SITE_KEYS:
        if key == "publisher" and ld.get("publisher"):
            candidate = ld["publisher"]
        else:
            candidate = metas.get(key)
        if candidate and is_name(candidate):
            found["site_name"] = without_slogan(candidate)
            break
    if "site_name" not in found and ld.get("publisher") and is_name(ld["publisher"]):
        found["site_name"] = without_slogan(ld["publisher"])
    for key in _DATE_KEYS:
        value = ld.get("datePublished") if key == "datepublished" and ld.get("datePublished") \
            else metas.get(key)
        if value:
            found["published"] = value
            break
    if "published" not in found:
        title_tag = _TITLE_TAG.search(head)
        titles = [html.unescape(title_tag.group(1)) if title_tag else None, metas.get("title"),
                  metas.get("og:title")]
        date = next((d for d in map(date_in_title, titles) if d), None)
        if date:
            found["published"] = date
    author = ld.get("author") or metas.get("author") or metas.get("article:author")
    if author and not re.match(r"https?://", author):
        found["author"] = author
    url = metas.get("og:url")
    if not url:
        link = _LINK_CANONICAL.search(head)
        if link:
            href = re.search(r"""href\s*=\s*["']?([^"'\s>]+)""", link.group(0), re.IGNORECASE)
            url = html.unescape(href.group(1)) if href else None
    if url and re.match(r"www\.[^/\s]+\.[a-z]{2,}(?:/|$)", url, re.IGNORECASE):
        url = "http://" + url       # an address written without its scheme (elmundo.es)
    if url and re.match(r"https?://", url):
        found["url"] = url
    title = ld.get("headline") or metas.get("og:title")
    if title:
        found["title"] = title
    return found


def _json_ld(head: str) -> dict[str, str]:
    """publisher, author, datePublished, headline of the first article-like JSON-LD object."""
    for block in _JSON_LD.finditer(head):
        try:
            data = json.loads(block.group(1).strip())
        except (ValueError, RecursionError):
            continue
        for item in _ld_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                continue
            result = {}
            for key in ("publisher", "author"):
                name = _ld_name(item.get(key))
                if name:
                    result[key] = name
            for key in ("datePublished", "headline"):
                if isinstance(item.get(key), str) and item[key].strip():
                    result[key] = html.unescape(item[key].strip())
            if result:
                return result
    return {}


def _ld_items(data, depth: int = 0):
    if depth > 4:
        return
    if isinstance(data, list):
        for entry in data:
            yield from _ld_items(entry, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _ld_items(data["@graph"], depth + 1)


def _ld_name(value) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip():
        return html.unescape(value.strip())
    return None


def is_name(value: str, title: str | None = None) -> bool:
    """A site or publisher name, not an address, a handle or a stray value; with ``title``,
    not the page's headline either (an extractor that guesses the site name from the
    ``<title>`` can return the headline itself: ``ผล DNA ยืนยัน…`` for prachatai.com)."""
    value = value.strip()
    if title and _fold(value) == _fold(" ".join(title.split())):
        return False
    return (1 < len(value) <= 80 and not re.match(r"(?:https?:|www\.|@)", value, re.IGNORECASE)
            and "/" not in value and any(ch.isalpha() for ch in value))


_SLOGAN_SEPARATOR = re.compile(r"\s+[-–—|:]\s+")


def without_slogan(name: str) -> str:
    """The site name without the slogan some sites write after it (``Aktuálně.cz - Víte, co se
    právě děje`` -> ``Aktuálně.cz``).  Only when the name before the separator is short (at most
    three words) and what follows reads as a phrase (at least three words): ``Frankfurter
    Rundschau - FR`` and ``Mac & i`` stay as they are."""
    parts = _SLOGAN_SEPARATOR.split(name.strip(), maxsplit=1)
    if len(parts) == 2 and len(parts[0].split()) <= 3 and len(parts[1].split()) >= 3 \
            and is_name(parts[0]):
        return parts[0].strip()
    return name.strip()


def date_in_title(title: str | None) -> str | None:
    """The full date (``YYYY-MM-DD``) a title segment consists of (``… - 07.12.2017 - LA
    NACION``, ``… - 21/12/2018 - Esporte - Folha``), else ``None``; day-first unless the
    numbers say otherwise (:func:`normalise_date`)."""
    if not title:
        return None
    for segment, _ in _split_title(" ".join(title.split())):
        date = _full_date(segment)
        if date:
            return date
    return None


def _full_date(segment: str) -> str | None:
    segment = segment.strip()
    if not re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}", segment):
        return None
    date = normalise_date(segment)
    return date if date and len(date) == 10 else None


# ---------------------------------------------------------------- titles

_TITLE_SEPARATOR = re.compile(r"\s+[|｜\-–—»›·:：]\s+|\s*[|｜_]\s*|(?<=\S)[-–—](?=[^-–—\s]{1,20}$)")
_SITE_SEGMENT = re.compile(
    r"(?:网|網|网站|頻道|频道|新闻|新聞|日报|日報|ニュース|新聞社|通信|電子版|"
    r"オンライン|News|NEWS|Times|Online|Post|Daily|Journal|Magazin|Magazine|Zeitung|"
    r"\.com|\.ru|\.cn|\.jp|\.de|\.org|\.net|EASY)\s*$|^(?:NEWS WEB EASY|NHK|Yahoo!)",
    re.IGNORECASE)
_CREDIT_IN_TITLE = re.compile(
    r"\s*[（(]\s*(?:写真|図|画像|Photo|Foto|Фото|图|图片)\s*[＝=:：]\s*[^（）()]{1,40}[）)]\s*$",
    re.IGNORECASE)


def clean_title(title: str | None, site_names: tuple[str, ...] = ()) -> str | None:
    """The headline without the site's name and sections around it (see the module
    docstring); ``None`` for an empty title.  A title that is only a site name is kept."""
    if not title or not title.strip():
        return None
    title = " ".join(title.split())
    title = _CREDIT_IN_TITLE.sub("", title) or title
    names = {_fold(n) for n in site_names if n}
    parts = _split_title(title)
    if len(parts) < 2:
        return title
    segments = [p for p, _ in parts]

    def is_site(segment: str) -> bool:
        folded = _fold(segment)
        return bool(folded) and (
            folded in names
            or any(len(n) >= 3 and n in folded and len(folded) <= len(n) + 8 for n in names)
            or bool(_SITE_SEGMENT.search(segment.strip()))
            or _full_date(segment) is not None)

    start, end = 0, len(segments)
    while end - start > 1 and is_site(segments[end - 1]):
        end -= 1
    while end - start > 1 and is_site(segments[start]):
        start += 1
    if end - start > 1:
        start, end = _headline_of_breadcrumb(title, parts, start, end)
    if (start, end) == (0, len(segments)):
        return title
    # rebuild from the original text so inner separators stay as written
    first = parts[start][1]
    last = parts[end - 1][1] + len(segments[end - 1])
    return title[first:last].strip() or title


_BREADCRUMB = re.compile(r"\s+[»›]\s+")


def _headline_of_breadcrumb(title: str, parts: list[tuple[str, int]], start: int,
                            end: int) -> tuple[int, int]:
    """(start, end) of the headline when the segments left are a breadcrumb trail: three or
    more segments, every separator between them ``»`` or ``›``, the longest segment at either
    end and the others short (at most four words each, under half its length):
    ``Anticorrupción decidirá… » Local » Noticias » Ultima Hora Mallorca`` -> the first
    segment.  One ``»`` alone is left alone: it as often joins a title and its subtitle
    (``Guerra y paz » una novela…``).  Otherwise unchanged."""
    if end - start < 3:
        return start, end
    for index in range(start, end - 1):
        gap = title[parts[index][1] + len(parts[index][0]):parts[index + 1][1]]
        if not _BREADCRUMB.fullmatch(gap):
            return start, end
    lengths = [len(parts[i][0]) for i in range(start, end)]
    longest = start + lengths.index(max(lengths))
    if longest not in (start, end - 1):
        return start, end
    others = [parts[i][0] for i in range(start, end) if i != longest]
    if any(len(o.split()) > 4 or len(o) * 2 > len(parts[longest][0]) for o in others):
        return start, end
    return longest, longest + 1


def _split_title(title: str) -> list[tuple[str, int]]:
    """Segments of the title between separators, each with its start offset."""
    parts = []
    position = 0
    for match in _TITLE_SEPARATOR.finditer(title):
        if match.start() > position:
            parts.append((title[position:match.start()], position))
        position = match.end()
    if position < len(title):
        parts.append((title[position:], position))
    return [(s, o) for s, o in parts if s.strip()]


def _fold(value: str) -> str:
    return re.sub(r"[\s.'’]+", "", value).casefold().removeprefix("the")


# ---------------------------------------------------------------- authors

_NOT_AUTHOR = re.compile(
    r"^(?:no author|unknown|anonymous|admin(?:istrator)?|staff|editor|editorial( team)?|"
    r"redaktion|redacción|rédaction|newsroom|作者|编辑|記者|记者|редакция|автор|"
    r"none|null|n/?a)$", re.IGNORECASE)
_CREDIT_AUTHOR = re.compile(
    r"^(?:Фото|Photo|Foto|Image|Picture|Bild|写真|图|图片|摄影|图注|Caption)\b|"
    r"(?:摄|撮影)$|^(?:责任编辑|责编|编辑|校对|来源|稿源|出品)\s*[:：︱|]", re.IGNORECASE)
AUTHOR_MAX_CHARS = 80


def clean_author(author: str | None) -> str | None:
    """The byline when it names people, else ``None`` (see the module docstring); a leading
    ``By``/``Von``/``Автор:``/``文/``/``記者：`` is dropped."""
    if not author or not author.strip():
        return None
    value = " ".join(author.split())
    if _CREDIT_AUTHOR.search(value):
        return None
    value = re.sub(r"^(?:By|Von|Par|Por|Автор[:：]?|Текст[:：]|文\s*[/／]|記者[:：]|记者[:：]?)\s*",
                   "", value, flags=re.IGNORECASE).strip()
    if not value or _NOT_AUTHOR.match(value) or len(value) > AUTHOR_MAX_CHARS:
        return None
    if re.search(r"[.!?。！？]\s*\S", value) or value.endswith(("。", "！", "？")):
        return None        # a sentence: a teaser or a caption, not a byline
    return value


# ---------------------------------------------------------------- countries of web domains

_GENERIC_CCTLDS = frozenset({"co", "io", "tv", "me", "fm", "ai", "ly", "to", "cc", "ws", "la",
                             "am", "gg", "eu", "su"})


def country_of_host(host: str | None) -> str | None:
    """The ISO 3166 country of a country-code top-level domain (``t3n.de`` -> ``DE``,
    ``yahoo.co.jp`` -> ``JP``, ``bbc.co.uk`` -> ``GB``); ``None`` for generic domains and the
    ccTLDs used as generic ones (``.io``, ``.tv``, ``.co``, ``.me``...)."""
    if not host:
        return None
    tld = host.lower().rstrip(".").rsplit(".", 1)[-1]
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_CCTLDS:
        return None
    return "GB" if tld == "uk" else tld.upper()
