"""Removing page furniture (menus, credits, banners, appeals...) from captured article text.

Cleaning is line based.  A line is furniture when

1. it matches one of the patterns in ``assets/furniture.json`` (each with its reason; lines
   over ``RULE_MAX_CHARS`` are never tried);
2. it is made of image captions of the form ``Caption / Photographer / AGENCY`` - possibly
   several glued together and glued to the paragraph that follows ("...Sergeyev / TASSThe
   Japanese side...").  The captions are removed and the paragraph text kept; each removed
   caption is recorded as its own :class:`RemovedLine` fragment, also when the captions
   make up the whole line;
3. it looks like a section menu: at least 8 capitalised words (5 when it sits next to other
   furniture, 4 when separated by ``|``, ``•``, ``·``, ``»``, ``/``...) with no digits and no
   sentence punctuation;
4. it is a short line (under 300 characters) occurring more than once: if it is the title
   (given, or the first headline-like line of the capture) the first occurrence stays and the
   repeats go ("repeated headline"); any other repeated line of three words or more (eight
   characters for Chinese or Japanese), not ending with a colon, is an image caption and
   every occurrence goes - so repeated speaker labels ("Lavrov:", "Q:") and one-word
   sub-headings stay;
5. it is one of the headline-like lines that follow a "Read also" / "Latest headlines" marker
   up to the end of the text.

Lines opening with a quotation mark (quoted speech) are never furniture, except as repeats of
the title.  After removal, runs of blank lines shrink to one and the text is trimmed of
leading and trailing blank lines.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .assets import assets_dir
from .decoding import normalise_text
from .firstchar import FirstCharFilter, first_char_filter
from .model import RemovedLine
from .scripts import starts_with_quote

REPEAT_MAX_CHARS = 300
TITLE_MAX_CHARS = 200
MENU_MIN_WORDS = 8
MENU_MIN_WORDS_NEAR_FURNITURE = 5
MENU_MIN_SEPARATED_ITEMS = 4
_MENU_SEPARATORS = frozenset("|•·»/>–—")
_MENU_WORD = re.compile(r"(?:[^\W\d_][\w'’-]*|&)")
_MENU_PUNCTUATION = re.compile(r"[.,;:!?\"“”«»()\[\]\d。，：]")
_HEADLINE_END = ".。．,，;；:："
_CLOSERS = "”\"’'»)]」』）"


@dataclass(frozen=True)
class FurnitureRule:
    """One data-driven furniture pattern and the reason recorded when it matches."""

    reason: str
    pattern: re.Pattern
    requires: tuple[str, ...] = ()     # the line must contain one of these to be tried


@dataclass(frozen=True)
class FurnitureRules:
    """Everything loaded from ``furniture.json``."""

    rules: tuple[FurnitureRule, ...]
    agencies: tuple[str, ...]
    caption: re.Pattern
    any_rule: re.Pattern | None  # all rules without "requires" in one alternation (they are all
                                 # anchored with ^), so one match() tells fast that none applies
    gated: tuple[FurnitureRule, ...] = ()   # the rules with "requires", tried after a substring test
    gate: re.Pattern | None = None          # any substring any gated rule requires
    first_char: FirstCharFilter | None = None   # any_rule, trying only the rules that can start
                                                # with the line's first character


def load_furniture_rules(path: str | Path | None = None) -> FurnitureRules:
    """Read and compile the furniture patterns (cached per file path).

    ``path`` defaults to ``assets_dir() / "furniture.json"``.  Raises ``ValueError`` for a
    malformed file or an invalid pattern, naming the rule.
    """
    if path:
        return _load(str(Path(path)))
    return _load(_default_path(os.environ.get("FRAMELENS_ASSETS")))


@lru_cache(maxsize=8)
def _default_path(override: str | None) -> str:
    """The patterns file for a value of ``$FRAMELENS_ASSETS`` (the variable is read on every
    call, so a changed one is honoured; the path is built once per value: building it on every
    call was a twentieth of an import's reading time)."""
    return str(assets_dir() / "furniture.json")


@lru_cache(maxsize=8)
def _load(path: str) -> FurnitureRules:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        agencies = tuple(sorted(data["agencies"], key=len, reverse=True))
        alternation = "|".join(re.escape(a) for a in agencies)
        rules = []
        for number, raw in enumerate(data["rules"], start=1):
            flags = re.IGNORECASE if raw.get("ignorecase") else 0
            pattern = raw["pattern"].replace("{agencies}", alternation)
            rules.append(FurnitureRule(raw["reason"], re.compile(pattern, flags),
                                       tuple(raw.get("requires", ()))))
    except (OSError, KeyError, TypeError, json.JSONDecodeError, re.error) as exc:
        raise ValueError(f"bad furniture file {path}: {exc}") from exc
    caption = re.compile(
        r"[^/\n]{2,300}?(?:\s/\s[^/\n]{2,80}?)?\s/\s(?:" + alternation + r")"
        r"(?=$|[A-ZА-ЯЁ\u3000-\u9fff“\"‘«(])")
    any_rule = None
    plain = [r for r in rules if not r.requires]
    if all(r.pattern.pattern.startswith("^") for r in plain):
        any_rule = re.compile("|".join(
            ("(?i:" if r.pattern.flags & re.IGNORECASE else "(?:") + r.pattern.pattern[1:] + ")"
            for r in plain) or "(?!)")
    gated = tuple(r for r in rules if r.requires)
    gate = re.compile("|".join(re.escape(s) for r in gated for s in r.requires)) if gated else None
    first_char = first_char_filter([r.pattern for r in plain]) if any_rule is not None else None
    return FurnitureRules(tuple(rules), agencies, caption, any_rule, gated, gate, first_char)


def is_headline_like(line: str) -> bool:
    """A short line with letters that does not end like a sentence or a lead-in (closing
    quotes and brackets are looked through: ``…said.”`` ends like a sentence)."""
    stripped = line.strip()
    ending = stripped.rstrip(_CLOSERS)
    return (0 < len(stripped) <= TITLE_MAX_CHARS and bool(ending)
            and ending[-1] not in _HEADLINE_END and any(ch.isalpha() for ch in stripped))


def guess_title(text: str | None) -> str | None:
    """The first non-blank line when it is headline-like (short, no final period, colon or
    comma) and more text follows it; otherwise ``None``."""
    if not text:
        return None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) >= 2 and is_headline_like(lines[0]):
        return lines[0]
    return None


#: lines longer than this are article text: no furniture pattern describes such a line
RULE_MAX_CHARS = 600


def match_rule(line: str, rules: FurnitureRules | None = None) -> str | None:
    """The reason of the first furniture pattern matching the stripped line, if any (rules
    with ``requires`` only when the line contains one of those substrings)."""
    stripped = line.strip()
    if not stripped or len(stripped) > RULE_MAX_CHARS or starts_with_quote(stripped):
        return None
    rules = rules or load_furniture_rules()
    if rules.any_rule is not None and not (rules.first_char.match(stripped) if rules.first_char
                                           else rules.any_rule.match(stripped)):
        if rules.gate is None or not rules.gate.search(stripped):
            return None
        for rule in rules.gated:
            if any(s in stripped for s in rule.requires) and rule.pattern.search(stripped):
                return rule.reason
        return None
    for rule in rules.rules:
        if (not rule.requires or any(s in stripped for s in rule.requires)) \
                and rule.pattern.search(stripped):
            return rule.reason
    return None


def split_captions(line: str, rules: FurnitureRules | None = None) -> tuple[list[str], str]:
    """Leading ``Caption / Photographer / AGENCY`` fragments of a line and what follows them."""
    rules = rules or load_furniture_rules()
    fragments: list[str] = []
    rest = line
    # "/" in rest: every caption has one ("Caption / AGENCY"); a cheap test that spares the
    # pattern's slow scan of ordinary paragraphs
    while rest and "/" in rest and not starts_with_quote(rest):
        match = rules.caption.match(rest)
        if not match:
            break
        fragments.append(match.group(0))
        rest = rest[match.end():]
    return fragments, rest


def looks_like_menu(line: str, *, near_furniture: bool = False) -> bool:
    """Rule 3 of the module: a navigation menu rather than a headline or a sentence."""
    stripped = line.strip()
    if not _may_be_menu(stripped):
        return False
    tokens = stripped.split()
    words = [t for t in tokens if not all(ch in _MENU_SEPARATORS for ch in t)]
    separators = len(tokens) - len(words)
    if not words or not all(_MENU_WORD.fullmatch(w) and (w == "&" or w[0].isupper())
                            for w in words):
        return False
    if separators >= MENU_MIN_SEPARATED_ITEMS - 1 and len(words) >= MENU_MIN_SEPARATED_ITEMS:
        return True
    needed = MENU_MIN_WORDS_NEAR_FURNITURE if near_furniture else MENU_MIN_WORDS
    return len(words) >= needed


def _may_be_menu(stripped: str) -> bool:
    """False for what is never a menu, near furniture or not (the test that rejects
    ordinary lines: empty, long, or with digits or sentence punctuation)."""
    return bool(stripped) and len(stripped) <= REPEAT_MAX_CHARS \
        and not _MENU_PUNCTUATION.search(stripped)


def _caption_like(line: str) -> bool:
    """A repeated line that can be a caption: not quoted speech, not a label ending with a
    colon (speaker names, "Q:"), and descriptive - three words or more (eight characters or
    more in scripts written without spaces)."""
    words = line.split()
    return (any(ch.isalpha() for ch in line) and not starts_with_quote(line)
            and line[-1] not in ":："
            and (len(words) >= 3 or (len(words) == 1 and len(line) >= 8 and not line.isascii())))


class _Cleaning:
    """The state of one :func:`clean_text` run: lines, what is removed and what is edited."""

    def __init__(self, text: str, title: str | None, rules: FurnitureRules) -> None:
        self.lines = text.split("\n")
        self.rules = rules
        self.title = title.strip() if title and title.strip() else None
        self.removed: dict[int, list[RemovedLine]] = {}
        self.fragments: dict[int, list[RemovedLine]] = {}
        self.edited: dict[int, str] = {}
        self._nonblank: list[int] | None = None

    def current(self, index: int) -> str:
        return self.edited.get(index, self.lines[index])

    def live(self) -> list[int]:
        """Indexes of non-blank lines not removed yet.  (A line's text is only ever edited
        into a non-blank rest, ``apply_captions``, so the non-blank lines are found once.)"""
        if self._nonblank is None:
            self._nonblank = [i for i, line in enumerate(self.lines) if line.strip()]
        removed = self.removed
        return [i for i in self._nonblank if i not in removed]

    def remove(self, index: int, reason: str) -> None:
        self.removed[index] = [RemovedLine(index, self.lines[index], reason)]

    def apply_patterns(self) -> None:
        for index in self.live():
            reason = match_rule(self.lines[index], self.rules)
            if reason:
                self.remove(index, reason)

    def apply_captions(self) -> None:
        for index in self.live():
            fragments, rest = split_captions(self.lines[index], self.rules)
            if not fragments:
                continue
            captions = [RemovedLine(index, fragment, "image caption") for fragment in fragments]
            if rest.strip():
                self.fragments[index] = captions
                self.edited[index] = rest
            else:
                self.removed[index] = captions

    def _probable_headline(self) -> str | None:
        """Without a given title: the capture's first line when it reads as a headline over
        its article - no menu separators, and the next line is a sentence of the text - so a
        title-case headline ("Russia And Japan Agree To Hold More Security Talks") is not taken
        for a section menu.  A site menu is followed by more furniture or by the headline."""
        if self.title is not None:
            return self.title
        live = self.live()
        if len(live) < 2:
            return None
        first, following = self.lines[live[0]].strip(), self.lines[live[1]].strip()
        if set(first) & set("|•·»>/"):       # dashes are headline punctuation too
            return None
        if len(following) >= 60 and re.search(r"[.!?。！？]\s*$|[.!?。！？]\s", following):
            return first
        return None

    def apply_menus(self) -> None:
        spared = self._probable_headline()
        for index in self.live():
            line = self.current(index).strip()
            if line == spared or not _may_be_menu(line):
                continue
            near = any(self._furniture_neighbour(index, step) for step in (-1, 1))
            if looks_like_menu(line, near_furniture=near):
                self.remove(index, "section menu")

    def _furniture_neighbour(self, index: int, step: int) -> bool:
        other = index + step
        while 0 <= other < len(self.lines) and not self.lines[other].strip():
            other += step
        return other in self.removed

    def apply_repeats(self) -> None:
        live = self.live()
        headline = self.title
        if headline is None and live and is_headline_like(self.current(live[0])):
            headline = self.current(live[0]).strip()
        seen: dict[str, list[int]] = {}
        for index in live:
            key = self.lines[index].strip()
            if index not in self.edited and len(key) < REPEAT_MAX_CHARS:
                seen.setdefault(key, []).append(index)
        for key, indexes in seen.items():
            if len(indexes) < 2:
                continue
            if key == headline:
                for index in indexes[1:]:
                    self.remove(index, "repeated headline")
            elif _caption_like(key):
                for index in indexes:
                    self.remove(index, "image caption")

    def apply_trailing_links(self) -> None:
        """Rule 5: headline-like lines between a 'read also' marker and the end."""
        pending: list[int] = []
        for index in range(len(self.lines) - 1, -1, -1):
            if index in self.removed:
                if self.removed[index][0].reason == "read also":
                    for line in pending:
                        self.remove(line, "read also")
                    return
                continue
            line = self.current(index)
            if not line.strip():
                continue
            if not is_headline_like(line) or starts_with_quote(line):
                return
            pending.append(index)

    def result(self) -> tuple[str, list[RemovedLine]]:
        out: list[str] = []
        removed: list[RemovedLine] = []
        for index in range(len(self.lines)):
            removed.extend(self.fragments.get(index, ()))
            if index in self.removed:
                removed.extend(self.removed[index])
                continue
            line = self.current(index)
            if not line.strip():
                if out and out[-1] != "":
                    out.append("")
                continue
            out.append(line)
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out), removed


def clean_text(raw_text: str, *, title: str | None = None,
               rules: FurnitureRules | None = None,
               normalised: bool = False) -> tuple[str, list[RemovedLine]]:
    """Remove page furniture from a capture; see the module docstring for the rules.

    Returns the cleaned text (newline-normalised, control characters removed, see
    :func:`decoding.normalise_text`) and the removed lines in line order, with 0-based line
    numbers of the normalised ``raw_text``.  ``title``, when known, is kept once and its
    repeats removed.  ``normalised=True`` says ``raw_text`` has been through
    :func:`decoding.normalise_text` already (a second pass changes nothing, so the reader
    skips it).
    """
    text = raw_text if normalised else normalise_text(raw_text)
    cleaning = _Cleaning(text, title, rules or load_furniture_rules())
    cleaning.apply_patterns()
    cleaning.apply_captions()
    cleaning.apply_menus()
    cleaning.apply_repeats()
    cleaning.apply_trailing_links()
    return cleaning.result()
