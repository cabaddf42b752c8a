"""The passages alignment compares: sentence spans (the parser's, the English rule splitter's, or
:func:`split_sentences` for other languages) cut at hard breaks.  Also what the background
embedding pass (annotate/ops/embeddings.py) cuts, so that its vectors are the ones alignment asks for.

Sentence splitting for languages the English parser does not cover: razdel for Russian (and
other Cyrillic/Latin text), terminal punctuation 。！？!? for Chinese and Japanese, line breaks
always."""
from __future__ import annotations

import re
from typing import Iterable

from .lexical import _ABBREV
from .model import LEXICAL_LANGUAGES, AlignArticle, _lang

def _segments(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut sentence spans at hard breaks (blank lines; line ends after terminal
    punctuation or after a short heading-like line), trim, drop empties."""
    cuts, pos, lines, out = [], 0, text.split("\n"), []
    for i, line in enumerate(lines[:-1]):
        pos += len(line) + 1
        cur, nxt = line.strip(), lines[i + 1].strip()
        if not cur or not nxt or cur[-1] in ".!?…:;\"”’)]»" or len(cur.split()) <= 5:
            cuts.append(pos)
    for s, e in spans:
        for a, b in zip([s] + [c for c in cuts if s < c < e], [c for c in cuts if s < c < e] + [e]):
            piece = text[a:b]
            a, b = a + len(piece) - len(piece.lstrip()), b - len(piece) + len(piece.rstrip())
            if b > a and any(ch.isalnum() for ch in text[a:b]):
                out.append((a, b))
    return out


def _rule_sentences(text: str) -> list[tuple[int, int]]:
    spans, s = [], 0
    for m in re.finditer(r"[.!?…]+[\"”’»)\]]*(?=\s+[\"“‘«(\[]?[A-Z0-9])", text):
        last = (text[s:m.start() + 1].split() or [""])[-1].lower().rstrip(".")
        if m.group(0)[0] != "." or (last not in _ABBREV and len(last) != 1):
            spans.append((s, m.end()))
            s = m.end()
    return spans + [(s, len(text))]



def article_spans(art: AlignArticle, doc=None) -> list[tuple[int, int]]:
    """The passages the aligner compares, as spans: English (or any language with a parsed doc)
    by the parser's sentences, else the rule splitter; Russian, Chinese, Japanese and other
    languages by :func:`split_sentences`; all cut at hard breaks."""
    text = art.text
    if doc is not None and doc.has_annotation("SENT_START"):
        base = [(x.start_char, x.end_char) for x in doc.sents]
    elif _lang(art) in LEXICAL_LANGUAGES:
        base = _rule_sentences(text)
    else:
        base = split_sentences(text, _lang(art))
    return _segments(text, base)



_CJK_END = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[」』”’）)]*|\n|$)")


def split_sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Sentence spans (code points, end exclusive, trimmed) of a text in ``language`` (ISO 639-1).
    Russian (and other Cyrillic/Latin text without a parser): razdel; Chinese and Japanese: after
    。！？!? (closing quotes kept with their sentence).  Lines are never joined."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            if language in ("zh", "ja"):
                pieces = [(m.start(), m.end()) for m in _CJK_END.finditer(line) if m.end() > m.start()]
            else:
                pieces = _razdel(line)
            for a, b in pieces:
                chunk = line[a:b]
                a2, b2 = a + len(chunk) - len(chunk.lstrip()), b - len(chunk) + len(chunk.rstrip())
                if b2 > a2:
                    spans.append((pos + a2, pos + b2))
        pos += len(line) + 1
    return spans


def _razdel(line: str) -> list[tuple[int, int]]:
    try:
        from razdel import sentenize  # type: ignore
    except ImportError:                  # without razdel: terminal punctuation before a capital
        out, s = [], 0
        for m in re.finditer(r"[.!?…]+[\"”’»)]*\s+(?=[\"“«(]?[A-ZА-ЯЁ0-9])", line):
            out.append((s, m.end()))
            s = m.end()
        return out + [(s, len(line))]
    return [(s.start, s.stop) for s in sentenize(line)]

