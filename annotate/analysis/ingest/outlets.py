"""The outlet registry (``assets/outlets.json``) and recognising which outlet a capture is from.

Recognition rule (:func:`recognise_outlet`):

1. A URL whose host is, or is a subdomain of, a registry domain names the outlet.
2. Otherwise the text is searched for the outlet naming itself, each signal scored:

   * 5 - an e-mail address or link on a registry domain in the last lines (a reporter's
     address under the article);
   * 4 - a self-reference: a dateline in the first lines (``28 March 2017. PenzaNews.``,
     ``(Xinhua)``, ``/TASS/``), ``<alias> reporter/correspondent``, ``<alias>'s content``,
     ``© <alias>``;
   * 3 - an e-mail address or link on a registry domain elsewhere;
   * 2 - any other mention of an alias in the first 2 or last 2 non-blank lines.

   News agencies (``"agency": true`` in the registry: TASS, RIA Novosti, Interfax, Xinhua,
   Kyodo, Jiji, Reuters, AP, AFP...) are credited inside other outlets' pages in every language,
   so for them a plain mention (score 2) is no signal: an agency is recognised only by its
   dateline, a self-reference or its web domain.  Agency datelines in the first lines:
   ``【モスクワ共同】``, ``【ワシントン時事】``, ``新华社北京10月1日电``, ``中新社东京…电``,
   ``据新华社专电`` / ``据新华社电`` (a reprint naming its wire source),
   ``МОСКВА, 9 мая — РИА Новости.``, ``/ТАСС/``, ``(Xinhua)``.

   Lines longer than ``2 * LINE_END_CHARS`` characters are searched only near their two ends.

   Mentions in photo credits (``/ TASS``, ``Photo: Reuters``, a line that is only an agency
   name) are not signals: they name the picture's source, not the publisher.  Citations
   (``he told Reuters``, ``according to TASS``, ``Kyodo reported``, ``Kyodo and Jiji``,
   ``сообщает ТАСС``, ``по данным Интерфакса``, ``据新华社报道``, ``共同通信によると``,
   ``laut Reuters``, ``ein Reuters-Bericht``, ``selon l'AFP``) and
   mentions deeper in the body are ignored too.  The single best-scoring outlet wins; a tie
   between different outlets gives ``None``.

Aliases of up to five characters or in capitals (``RT``, ``AP``, ``NHK``) match
case-sensitively, longer ones case-insensitively; all match as whole words (for Latin and
Cyrillic; Chinese and Japanese aliases match anywhere).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

from .assets import assets_dir

HEAD_LINES = 8       # datelines are looked for in this many first non-blank lines
EDGE_LINES = 2       # plain mentions count in this many first and last non-blank lines
TAIL_LINES = 4       # e-mail addresses and links count most in this many last lines
_WORD_CHAR = r"0-9A-Za-z\u00C0-\u024F\u0400-\u04FF"
_ADDRESS = re.compile(
    r"(?<![\w.+-])[\w.+-]+@(?P<mail>[\w-]+(?:\.[\w-]+)+)|https?://(?P<link>[\w.-]+)"
    r"|\bwww\.(?P<www>[\w-]+(?:\.[\w-]+)+)")
_SELF_AFTER = re.compile(
    r"\s*(?:reporters?\b|correspondents?\b|staff\b|journalists?\b"
    r"|['’]s\s+(?:content|materials?)\b)",
    re.IGNORECASE)
_SELF_BEFORE = re.compile(r"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:\d{4}\s*)?$", re.IGNORECASE)
_SELF_HINT = re.compile(r"reporter|correspondent|staff|journalist|['’]s\s+(?:content|material)|"
                        r"©|\(c\)|copyright", re.IGNORECASE)
_CITATION_BEFORE = re.compile(
    r"(?:\b(?:told|to|according to|cited by|quoted by|via|in an interview with|speaking to|"
    r"sources? (?:of|for)|and|or|laut|nach Angaben (?:von|der)|gegenüber|berichtet(?:e)?|"
    r"meldet(?:e)?|selon|d'après|cité par|según|informó|"
    r"сообщает|сообщили?|передает|передаёт|пишет|по данным|по словам|со ссылкой на|"
    r"в интервью|заявил[аи]?|рассказал[аи]?|и|или)\s+(?:the\s+|l['’]|агентству\s+|агентства\s+)?"
    r"|(?:据|援引|引述|根据|转引自|引用|和|与|及)\s*)$", re.IGNORECASE)
_CITATION_AFTER = re.compile(
    r"(?:\s*(?:(?:news\s+)?(?:agency\s+)?(?:reported|reports|said|says|quoted|cited|wrote|writes|"
    r"learned|has learned|understands)\b|(?:and|or|und|et|и)\s|zufolge\b|berichtet\w*|"
    r"meldet\w*|сообщ\w+|переда\w+|пиш\w+)"
    r"|-[^\W\d_]"                                          # a compound: Reuters-Bericht
    r"|\s*(?:报道|报导|消息|称|援引|の報道|によると|によれば|が報じ|は報じ|が伝え|の取材|"
    r"と|や|及び))", re.IGNORECASE)
_BYLINE_BEFORE = re.compile(r"^(?:By|Von|Par|Por|Автор:?)\s+[^,.]{2,60},\s*$", re.IGNORECASE)
_AGENCY_DATELINE = re.compile(
    r"^[【\[]\s*[^】\]\s]{0,12}?(?P<ja>共同|時事|新華社|ロイター|ＡＦＰ|AFP|タス|聯合)\s*[】\]]"
    r"|^(?:据|據)?(?P<zh>新华社|中新社|中新网|人民网|央视网|新華社)[^。，,电]{0,30}电"
    r"|^[А-ЯЁ][А-ЯЁ -]{2,30},\s*\d{1,2}\s+[а-яё]+(?:\s+\d{4})?\.?\s*[—–-]\s*"
    r"(?P<ru>РИА Новости|ТАСС|Интерфакс|Спутник|РБК|Известия|RT)\b")
_DATELINE_AGENCIES = {"共同": "Kyodo News", "時事": "Jiji Press", "新華社": "Xinhua",
                      "ロイター": "Reuters", "ＡＦＰ": "Agence France-Presse",
                      "AFP": "Agence France-Presse", "タス": "TASS", "聯合": "Yonhap",
                      "新华社": "Xinhua", "中新社": "China News Service",
                      "中新网": "China News Service", "人民网": "People's Daily", "央视网": "CCTV",
                      "РИА Новости": "RIA Novosti", "ТАСС": "TASS", "Интерфакс": "Interfax",
                      "Спутник": "Sputnik", "РБК": "RBC", "Известия": "Izvestia", "RT": "RT"}
_CREDIT_BEFORE = re.compile(r"(?:(?:^|\s)/\s*|(?:Photo|Фото|Image|Picture)[^:]{0,20}:\s*)$",
                            re.IGNORECASE)


@dataclass(frozen=True)
class Outlet:
    """A news outlet of the registry: canonical name, ISO 3166-1 country, main ISO 639-1
    language, home page, how it names itself in text, and its web domains."""

    name: str
    country: str
    language: str
    url: str | None
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    agency: bool = False


@dataclass(frozen=True)
class _Registry:
    outlets: tuple[Outlet, ...]
    exact: re.Pattern                   # aliases matched case-sensitively, longest first
    folded: re.Pattern                  # aliases matched ignoring case, longest first
    by_alias: dict[str, Outlet]         # alias (exact) or casefolded alias -> outlet
    by_name: dict[str, Outlet]          # normalised name, alias or domain -> outlet (first wins)
    by_domain: dict[str, Outlet]        # web domain -> outlet (first in file order wins)
    path: str                           # the file it was read from

    def outlet_of(self, match: re.Match) -> Outlet | None:
        found = match.group(0)
        return self.by_alias.get(found) or self.by_alias.get(found.casefold())


def load_outlet_registry(path: str | Path | None = None) -> list[Outlet]:
    """The outlets of ``assets/outlets.json`` (or ``path``), in file order.

    Raises ``ValueError`` naming the entry when the file is malformed.
    """
    return list(_registry(path).outlets)


def _registry(path: str | Path | None = None) -> _Registry:
    if path:
        return _load(str(Path(path)))
    return _load(_default_path(os.environ.get("FRAMELENS_ASSETS")))


@lru_cache(maxsize=8)
def _default_path(override: str | None) -> str:
    """The registry file for a value of ``$FRAMELENS_ASSETS`` (read on every call, so a
    changed variable is honoured; the path itself is built once per value)."""
    return str(assets_dir() / "outlets.json")


@lru_cache(maxsize=8)
def _load(path: str) -> _Registry:
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read outlet registry {path}: {exc}") from exc
    outlets = []
    for number, entry in enumerate(entries, start=1):
        try:
            outlet = Outlet(
                name=entry["name"], country=entry["country"].upper(), language=entry["language"],
                url=entry.get("url"), aliases=tuple(entry.get("aliases", ())),
                domains=tuple(d.lower() for d in entry.get("domains", ())),
                agency=bool(entry.get("agency", False)))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(
                f"outlet registry {path}: entry {number} is malformed ({exc})") from exc
        if not re.fullmatch(r"[A-Z]{2}", outlet.country):
            raise ValueError(
                f"outlet registry {path}: {outlet.name} has country {outlet.country!r}")
        outlets.append(outlet)
    exact: list[str] = []
    folded: list[str] = []
    by_alias: dict[str, Outlet] = {}
    for outlet in outlets:
        for alias in (outlet.name, *outlet.aliases):
            sensitive = len(alias) <= 5 or alias.isupper()
            key = alias if sensitive else alias.casefold()
            if key not in by_alias:
                by_alias[key] = outlet
                (exact if sensitive else folded).append(alias)
    by_name: dict[str, Outlet] = {}
    by_domain: dict[str, Outlet] = {}
    for outlet in outlets:
        for n in (outlet.name, *outlet.aliases, *outlet.domains):
            by_name.setdefault(_key(n), outlet)
        for domain in outlet.domains:
            by_domain.setdefault(domain, outlet)
    return _Registry(tuple(outlets), _alternation(exact, 0),
                     _alternation(folded, re.IGNORECASE), by_alias, by_name, by_domain,
                     path)


def _alternation(aliases: list[str], flags: int) -> re.Pattern:
    """One pattern matching any of ``aliases`` as a whole word, longest alias first.

    A word boundary is required only at an alias end that is a word character (CJK names and
    names ending in a quotation mark have none).  The meaning is that of the plain ordered
    alternation :func:`_plain_alternation` (at each position, the first alias in
    longest-first order that matches there with its boundaries), written as a trie so the
    regular-expression engine tests each position against a few first characters instead of
    every alias: aliases that can match at one position share their first character and the
    others, so they lie on one path of the trie, where trying the longer continuation before
    the alias that ends there is longest-first.  Without ``re.IGNORECASE`` the branches open
    with their first character and the start boundary is tested just after it
    (``R(?<![word].)…``), which lets the engine skip to the positions holding one of those
    characters; with it, the start boundary is tested once per position ahead of all branches
    that need it.  Measured on the mixed-language import bench: 40x (case-sensitive) and 5x
    (ignoring case) faster than the plain alternation, the same matches.  When the trie cannot
    guarantee the same matches (two keys of a node equal ignoring case, or boundaries that
    differ between aliases of one path), the plain alternation is used.
    """
    trie = _trie(aliases, flags)
    if trie is None:
        return _plain_alternation(aliases, flags)
    word = _WORD_CHAR
    keys = sorted(k for k in trie if k)
    if flags & re.IGNORECASE:
        starts = [re.escape(k) + _branches(trie[k]) for k in keys if _needs_boundary(k)]
        parts = [f"(?<![{word}])(?:" + "|".join(starts) + ")"] if starts else []
        parts += [re.escape(k) + _branches(trie[k]) for k in keys if not _needs_boundary(k)]
    else:
        parts = [re.escape(k) + (f"(?<![{word}].)" if _needs_boundary(k) else "")
                 + _branches(trie[k]) for k in keys]
    return re.compile("|".join(parts) or "(?!)", flags)


def _needs_boundary(ch: str) -> bool:
    return bool(re.match(f"[{_WORD_CHAR}]", ch))


_END = ""    # trie key of "an alias ends here"; its value: whether it needs an end boundary


def _trie(aliases: list[str], flags: int) -> dict | None:
    """Aliases as nested dicts by character (lowercase ones when ignoring case), or ``None``
    when the trie would not match exactly what the plain alternation matches."""
    ignore = bool(flags & re.IGNORECASE)
    root: dict = {}
    for alias in aliases:
        if not alias:
            continue
        node = root
        for ch in alias:
            key = _ignorecase_key(ch) if ignore else ch
            node = node.setdefault(key, {})
        end = _needs_boundary(alias[-1])
        if node.setdefault(_END, end) != end:
            return None
        if _needs_boundary(alias[0]) != _needs_boundary(_first_key(alias, ignore)):
            return None
    if ignore and not _distinct_ignoring_case(root):
        return None
    return root


def _first_key(alias: str, ignore: bool) -> str:
    return _ignorecase_key(alias[0]) if ignore else alias[0]


def _ignorecase_key(ch: str) -> str:
    """``ch`` in lowercase when that is one character the engine takes as the same letter
    ignoring case, else ``ch`` itself."""
    low = ch.lower()
    if low != ch and len(low) == 1 and re.fullmatch(re.escape(ch), low, re.IGNORECASE) \
            and re.fullmatch(re.escape(low), ch, re.IGNORECASE):
        return low
    return ch


def _distinct_ignoring_case(node: dict) -> bool:
    """No two keys of any node match each other ignoring case (so at most one branch of a
    node can match a character)."""
    keys = [k for k in node if k]
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if re.fullmatch(re.escape(a), b, re.IGNORECASE) \
                    or re.fullmatch(re.escape(b), a, re.IGNORECASE):
                return False
    return all(_distinct_ignoring_case(node[k]) for k in keys)


def _branches(node: dict) -> str:
    """The pattern of a trie node's continuations: longer ones first, then the end."""
    alternatives = [re.escape(k) + _branches(node[k]) for k in sorted(k for k in node if k)]
    if _END in node:
        alternatives.append(f"(?![{_WORD_CHAR}])" if node[_END] else "")
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"


def _plain_alternation(aliases: list[str], flags: int) -> re.Pattern:
    """The ordered alternation :func:`_alternation` stands for: longest alias first;
    consecutive aliases needing the same boundaries share one group,
    ``(?<!w)(?:A|B)(?!w)`` (the same matches as one alternative per alias)."""
    groups = []
    ordered = sorted(aliases, key=len, reverse=True)
    for (start, end), run in groupby(ordered, key=lambda a: (_needs_boundary(a[0]),
                                                             _needs_boundary(a[-1]))):
        body = "(?:" + "|".join(re.escape(alias) for alias in run) + ")"
        groups.append((f"(?<![{_WORD_CHAR}])" if start else "") + body
                      + (f"(?![{_WORD_CHAR}])" if end else ""))
    return re.compile("|".join(groups) or "(?!)", flags)


def lookup_outlet(name: str | None) -> Outlet | None:
    """The registry outlet whose name, alias or domain equals ``name`` (ignoring case and a
    leading "The"), or ``None``."""
    if not name or not name.strip():
        return None
    return _registry().by_name.get(_key(name))


def _key(name: str) -> str:
    key = " ".join(name.replace("’", "'").split()).casefold()
    return key[4:] if key.startswith("the ") else key


def outlet_for_url(url: str | None) -> Outlet | None:
    """The outlet owning the URL's host (exact domain or a subdomain; the longest domain wins)."""
    if not url or not url.strip():
        return None
    url = url.strip()
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    return _outlet_for_host(host) if host else None


def _outlet_for_host(host: str, registry: _Registry | None = None) -> Outlet | None:
    """The outlet of the longest registry domain that is ``host`` or a parent domain of it
    (the host itself, then each suffix after a dot, longest first)."""
    host = host.lower().rstrip(".")
    by_domain = (registry or _registry()).by_domain
    while host:
        found = by_domain.get(host)
        if found is not None:
            return found
        _, dot, host = host.partition(".")
        if not dot:
            return None
    return None


def recognise_outlet(text: str | None = None, url: str | None = None) -> Outlet | None:
    """The registry outlet a capture comes from, by URL first, then by how the text names its
    publisher; see the module docstring for the rule.  ``None`` when unsure.

    The last ``RECOGNISED_KEPT`` answers are kept (per registry file): an import asks twice
    about most captures without an outlet (the reader about the normalised text, the
    importer about the raw capture, usually equal), and the importer's question comes at
    most a read-ahead queue later."""
    outlet = outlet_for_url(url)
    if outlet is not None or not text:
        return outlet
    registry = _registry()
    return _recognised(text, registry.path)


#: answers of :func:`recognise_outlet` kept (texts are kept alive that long)
RECOGNISED_KEPT = 1024


@lru_cache(maxsize=RECOGNISED_KEPT)
def _recognised(text: str, registry_path: str) -> Outlet | None:
    """:func:`recognise_outlet` of a text, the URL having named no outlet."""
    registry = _load(registry_path)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    scores: dict[str, tuple[int, Outlet]] = {}

    def signal(found: Outlet | None, score: int) -> None:
        if found is not None and score > scores.get(found.name, (0, found))[0]:
            scores[found.name] = (score, found)

    tail_start = max(0, len(lines) - TAIL_LINES)
    for line in lines[:HEAD_LINES]:
        agency = agency_dateline(line)
        if agency is not None:
            signal(agency, 4)
    for number, line in enumerate(lines):
        # the pattern is slow on long runs of word characters (CJK text has no spaces): only
        # lines that can hold an address are searched
        has_address = "@" in line or "://" in line or "www." in line
        for match in (_ADDRESS.finditer(line) if has_address else ()):
            host = match.group("mail") or match.group("link") or match.group("www")
            signal(_outlet_for_host(host, registry), 5 if number >= tail_start else 3)
        edge = number < EDGE_LINES or number >= len(lines) - EDGE_LINES
        if not (edge or number < HEAD_LINES or _SELF_HINT.search(line)):
            continue        # deeper lines only count for self-references
        for piece in _ends(line):
            for pattern in (registry.exact, registry.folded):
                for match in pattern.finditer(piece):
                    found = registry.outlet_of(match)
                    signal(found, _mention_score(piece, match, head=number < HEAD_LINES,
                                                 edge=edge, agency=bool(found and found.agency)))
    if not scores:
        return None
    ranked = sorted(scores.values(), key=lambda item: item[0], reverse=True)
    if ranked[0][0] < 2 or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][1]


#: a long line (a whole article on one line) is searched for names only this near its ends:
#: datelines, bylines and sign-offs sit there, and the alias patterns are slow on long text
LINE_END_CHARS = 200


def _ends(line: str) -> tuple[str, ...]:
    if len(line) <= 2 * LINE_END_CHARS:
        return (line,)
    return line[:LINE_END_CHARS], line[-LINE_END_CHARS:]


def agency_dateline(line: str) -> Outlet | None:
    """The agency of a wire dateline opening the line (``【モスクワ共同】``, ``新华社北京…电``,
    ``МОСКВА, 9 мая — РИА Новости.``), or ``None``."""
    match = _AGENCY_DATELINE.match(line.strip())
    if not match:
        return None
    found = match.group("ja") or match.group("zh") or match.group("ru")
    return lookup_outlet(_DATELINE_AGENCIES.get(found, found))


def _mention_score(line: str, match: re.Match, *, head: bool, edge: bool,
                   agency: bool = False) -> int:
    """Score of one alias mention (see the module docstring); 0 when it is no signal."""
    before, after = line[:match.start()], line[match.end():]
    if not (before.strip(" ([—–-") or after.strip(" )].—–-")):
        return 0        # a line that is only the name: a photo or agency credit
    if head and _is_dateline(before, after):
        return 4
    if _CREDIT_BEFORE.search(before):
        return 0
    if _SELF_AFTER.match(after) or _SELF_BEFORE.search(before) or _BYLINE_BEFORE.match(before):
        return 4
    if _CITATION_BEFORE.search(before) or _CITATION_AFTER.match(after):
        return 0
    return 2 if edge and not agency else 0


def _is_dateline(before: str, after: str) -> bool:
    """``(ALIAS)``, ``/ALIAS/`` or ``[date.] ALIAS.`` at the start of a line."""
    if before.endswith("(") and after.startswith(")"):
        return True
    if before.endswith("/") and after.startswith("/"):
        return True
    return bool(re.fullmatch(r"(?:[^.]{0,40}\.\s*)?", before) and re.match(r"\s*[.,:—–-]", after))
