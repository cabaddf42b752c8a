"""Which of many anchored patterns can match a line, told by the line's first character.

Cleaning tries every line of an import against the furniture patterns (``furniture.json``:
some seventy, each anchored with ``^``) through one alternation.  Python's engine tries the
alternatives one after the other at the line's start, although for almost every line all but
one or two fail on the first character - in the mixed-language import bench that was two
thirds of cleaning.  :class:`FirstCharFilter` gives, for a line, the alternation of only those
patterns that can match a line starting with its first character; the answer (does any
pattern match?) is the same as the full alternation's.

How a pattern's possible first characters are found: its parsed form (the engine's own parser)
is walked from the start through zero-width anchors, groups, alternations and optional or
repeated parts to the single-character items that can consume the first character (a literal,
a class, ``.``, a category such as ``\\d``).  Each such item is compiled on its own, with the
case flags in force where it stands, and asked about the first character: the engine decides,
so case-insensitive matching (``ſ`` for ``s``, the Kelvin sign for ``k``) needs no rules of its
own here.  A pattern whose start cannot be read this way (a look-around, a back reference, a
pattern that can match the empty string) is kept for every character.  The answers are kept
per first character; a filter that cannot be built (an unexpected parsed form, a Python whose
``re`` internals differ) is simply not used.
"""

from __future__ import annotations

import re
from re import _compiler, _constants as C, _parser   # type: ignore[attr-defined]

_CONSUMING = {C.LITERAL, C.NOT_LITERAL, C.IN, C.ANY, C.CATEGORY}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}
_CASE = re.IGNORECASE


class _Unreadable(Exception):
    """The start of a pattern holds something this module does not read."""


def _starts(items, flags: int) -> tuple[list[tuple[object, int]], bool]:
    """(single-character items that can consume the first character, each with its flags;
    whether the sequence can match without consuming anything)."""
    found: list[tuple[object, int]] = []
    for op, av in items:
        if op is C.AT:
            continue                                   # ^, \b: zero width
        if op in _CONSUMING:
            found.append(((op, av), flags))
            return found, False
        if op is C.SUBPATTERN:
            _group, add, remove, sub = av
            inner, empty = _starts(sub, (flags | add) & ~remove)
        elif op is C.BRANCH:
            inner, empty = [], False
            for alternative in av[1]:
                more, can_be_empty = _starts(alternative, flags)
                inner += more
                empty = empty or can_be_empty
        elif op in _REPEATS:
            low, _high, sub = av
            inner, empty = _starts(sub, flags)
            empty = empty or low == 0
        else:
            raise _Unreadable(op)
        found += inner
        if not empty:
            return found, False
    return found, True


def _item_pattern(item, flags: int) -> re.Pattern:
    state = _parser.State()
    state.flags = flags
    return _compiler.compile(_parser.SubPattern(state, [item]), 0)


class FirstCharFilter:
    """``match(line)``: whether any of ``patterns`` matches at the start of ``line`` (a
    non-empty, stripped line), trying only those that can start with its first character."""

    MAX_KEPT = 20_000          # first characters remembered (CJK text brings thousands)

    def __init__(self, patterns: list[re.Pattern]) -> None:
        self._patterns = patterns
        self._tests: list[list[re.Pattern] | None] = []
        for pattern in patterns:
            try:
                items, empty = _starts(_parser.parse(pattern.pattern, pattern.flags),
                                       pattern.flags)
                tests = None if empty else [_item_pattern(i, f) for i, f in items]
            except (_Unreadable, re.error, TypeError, ValueError):
                tests = None
            self._tests.append(tests)
        self._by_char: dict[str, re.Pattern | None] = {}
        self._by_set: dict[tuple[int, ...], re.Pattern | None] = {}

    def match(self, line: str) -> bool:
        first = line[0]
        try:
            pattern = self._by_char[first]
        except KeyError:
            pattern = self._learn(first)
        return pattern is not None and pattern.match(line) is not None

    def _learn(self, first: str) -> re.Pattern | None:
        chosen = tuple(i for i, tests in enumerate(self._tests)
                       if tests is None or any(t.match(first) for t in tests))
        if chosen not in self._by_set:
            self._by_set[chosen] = (re.compile("|".join(
                ("(?i:" if self._patterns[i].flags & _CASE else "(?:")
                + self._patterns[i].pattern + ")" for i in chosen)) if chosen else None)
        if len(self._by_char) >= self.MAX_KEPT:
            self._by_char.clear()
        self._by_char[first] = self._by_set[chosen]
        return self._by_set[chosen]


def first_char_filter(patterns: list[re.Pattern]) -> FirstCharFilter | None:
    """A :class:`FirstCharFilter` for ``patterns``, or ``None`` when this Python's ``re``
    internals cannot be read (then the caller keeps its one alternation)."""
    try:
        return FirstCharFilter(patterns)
    except Exception:                  # any surprise in the engine's internals: no filter
        return None
