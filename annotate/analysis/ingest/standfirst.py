"""The standfirst (lead, perex, teaser paragraph under the headline) a page declares as such,
put back in front of the main text when the extractor dropped it.

Why: trafilatura keeps the article body but often drops the bold lead paragraph that news
pages set between the headline and the body (WirtschaftsWoche's ``c-leadtext``, Aktuálně.cz's
``article__perex``): on the unseen real pages (tests/data/ingest/unseen) it was missing on 2
of 20.  For a framing study the standfirst matters more than most paragraphs: it is the
outlet's own summary of the story.

The rule, deliberately narrow so that no teaser of another article comes in:

* the element's ``class`` (or ``itemprop``) names it a lead: one of the words in ``_LEAD``
  as a whole token of the class (``c-leadtext``, ``article__perex``, ``standfirst``,
  ``article-lead``…), not a part of one (``leader-board`` is not a lead);
* it stands after the page's headline (its first ``<h1>``, else the ``<h2>`` holding the
  title) and before the first paragraph the extractor kept, in document order;
* it is not inside a link, list, navigation, header, footer, aside or figure, and holds no
  link text of its own beyond a few words (a teaser list is links);
* its text is prose: at least 6 words (or 20 characters in a script without spaces), at most
  1,000 characters, and not already in the extracted text;
* only the first such element is taken.

The lead is added as the first paragraph, and ``meta["standfirst"]`` says so in the import
report.  Nothing else of the extractor's text changes.
"""

from __future__ import annotations

import re

#: class-name words that mark a lead paragraph on news pages
_LEAD = ("lead", "leadtext", "lede", "perex", "standfirst", "intro", "introduction",
         "teaser", "summary", "dek", "deck", "subheadline", "abstract", "chapo", "chapeau",
         "sapo", "entradilla", "bajada", "vorspann", "anons")
_OUTSIDE = {"a", "li", "ul", "ol", "nav", "header", "footer", "aside", "figure", "figcaption",
            "button", "form", "select", "label"}
_SPACE = re.compile(r"\s+")
MAX_CHARS = 1000


def _is_lead_class(value: str) -> bool:
    """True when one class name (or itemprop), or one of its words split at ``-``/``_``,
    is a lead word: ``c-leadtext``, ``article__perex``; not ``leader-board``."""
    for name in value.lower().split():
        if name in _LEAD or any(word in _LEAD for word in re.split(r"[-_]+", name)):
            return True
    return False


def _text(element) -> str:
    return _SPACE.sub(" ", element.text_content()).strip()


def _prose(text: str) -> bool:
    if not text or len(text) > MAX_CHARS:
        return False
    if len(text.split()) >= 6:
        return True
    return len(text) >= 20 and not re.search(r"[A-Za-z\u0400-\u04ff]{3}", text)


def find_standfirst(html: str, body: str, title: str | None = None) -> str | None:
    """The page's lead paragraph when the extracted ``body`` lacks it (rule in the module
    docstring), else None.  Parsing errors give None: this never stops an import."""
    if not body.strip() or "class" not in html:
        return None
    try:
        import lxml.html

        root = lxml.html.document_fromstring(html)
    except (ValueError, TypeError, Exception):     # lxml raises its own parser errors
        return None
    flat_body = _SPACE.sub(" ", body)
    first_para = next((line.strip() for line in body.splitlines() if len(line.strip()) >= 30), "")
    probe = _SPACE.sub(" ", first_para[:40])
    order = {el: i for i, el in enumerate(root.iter())}
    headline = _headline(root, title)
    if headline is None or not probe:
        return None
    start = order[headline]
    end = _first_kept(root, order, start, probe)
    if end is None:
        return None
    for el in root.iter():
        i = order[el]
        if i <= start:
            continue
        if i >= end:
            break
        if not isinstance(el.tag, str):
            continue
        marks = " ".join(v for v in (el.get("class"), el.get("itemprop")) if v)
        if not marks or not _is_lead_class(marks):
            continue
        if any(a.tag in _OUTSIDE for a in el.iterancestors()) or el.tag in _OUTSIDE:
            continue
        text = _text(el)
        links = sum(len(_text(a)) for a in el.iter("a"))
        if links > 40 or not _prose(text) or text in flat_body:
            continue
        return text
    return None


def _first_kept(root, order: dict, start: int, probe: str) -> int | None:
    """Document position of the first paragraph after the headline holding the start of the
    extracted text: a ``<p>`` holding it, else the element whose own text holds it."""
    for el in root.iter("p"):
        if order[el] > start and probe in _SPACE.sub(" ", el.text_content()):
            return order[el]
    for el in root.iter():
        if isinstance(el.tag, str) and order[el] > start and el.text and \
                probe[:20] in _SPACE.sub(" ", el.text):
            return order[el]
    return None


def _headline(root, title: str | None):
    """The page's headline element: the first ``<h1>``, else a heading holding the title."""
    h1 = next(iter(root.iter("h1")), None)
    if h1 is not None:
        return h1
    if not title:
        return None
    probe = _SPACE.sub(" ", title).strip()[:30]
    for el in root.iter("h2", "h3"):
        if probe and probe in _SPACE.sub(" ", el.text_content()):
            return el
    return None
