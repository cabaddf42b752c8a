"""Showing article-derived strings (titles, quotes, memos, snippets, code names) as inert text.

Qt guesses per string whether a tooltip or a QLabel in the default text format is rich text
(``Qt::mightBeRichText``: a known tag on the first line is enough), so a title such as
``<img src=http://…>`` would be rendered as HTML.  Labels get ``Qt.PlainText``; tooltips, which
have no format setting, get the text escaped inside a paragraph, which Qt then shows literally.
"""

from __future__ import annotations

import html


def plain_tooltip(text: str | None) -> str | None:
    """A tooltip that shows ``text`` literally, line breaks kept (empty stays empty)."""
    if not text:
        return text
    return "<p>" + html.escape(text, quote=False).replace("\n", "<br>") + "</p>"
