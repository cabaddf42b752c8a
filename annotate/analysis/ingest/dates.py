"""Normalising publication dates to ISO 8601 full or partial dates."""

from __future__ import annotations

import datetime as _dt
import re

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "январь": 1, "января": 1, "февраль": 2, "февраля": 2, "март": 3, "марта": 3, "апрель": 4,
    "апреля": 4, "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июль": 7, "июля": 7, "август": 8,
    "августа": 8, "сентябрь": 9, "сентября": 9, "октябрь": 10, "октября": 10, "ноябрь": 11,
    "ноября": 11, "декабрь": 12, "декабря": 12,
}
_MONTH = r"(?P<month>[A-Za-zА-Яа-яЁё]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})(?:\s*г(?:ода|\.)?)?"
_PREFIX = (r"(?:(?:published|updated|posted|date)(?:\s+on)?\s*:?\s*)?"
           r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?")
_TIME = (r"(?:\s*,?\s*(?:at\s+|в\s+|T)?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[ap]\.?m\.?)?"
         r"\s*(?:Z|UTC|GMT|[A-Z]{3,4}|[+-]\d{2}:?\d{2})?(?:\s*\([^)]{1,30}\))?)?")

_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (kind, re.compile(_PREFIX + body + _TIME + r"\s*$", re.IGNORECASE)) for kind, body in (
        ("ymd", r"(?P<year>\d{4})(?:[-/.](?P<month>\d{1,2})(?:[-/.](?P<day>\d{1,2}))?)?"),
        ("ymd", r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})(?:T\d{4,6}(?:Z|[+-]\d{2}:?\d{2})?)?"),
        ("dotted", r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<year>\d{4})"),
        ("slashed", r"(?P<a>\d{1,2})[/-](?P<b>\d{1,2})[/-](?P<year>\d{4})"),
        ("named", _DAY + r"(?:\s+of)?\s+" + _MONTH + r",?\s+" + _YEAR),
        ("named", _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR),
        ("named", _MONTH + r",?\s+" + _YEAR),
        ("ymd", r"(?P<year>\d{4})\s*[年년]\s*(?:(?P<month>\d{1,2})\s*[月월]\s*"
                r"(?:(?P<day>\d{1,2})\s*[日일])?)?"),
    ))


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 date (``2017-03-20``), month (``2017-03``) or year (``2017``), or ``None``.

    Understood: ISO dates and timestamps (the date part is kept as written, without time-zone
    conversion), ``YYYY/MM/DD``, ``YYYYMMDD`` (also the basic timestamp
    ``20180619T055000+0900``), ``DD.MM.YYYY``, ``DD/MM/YYYY`` or
    ``MM/DD/YYYY`` when the day is over 12 (ambiguous ones give ``None``), English and Russian
    month names (``20 March 2017``, ``March 20, 2017``, ``Mar. 2017``, ``28 марта 2017 г.``,
    with an optional weekday and time - ``at 12:54``, ``в 12:54`` - RFC 2822 included) and
    ``2017年3月20日``.  Impossible dates (``2017-02-30``) and years outside 1800-2100 give ``None``.
    """
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text:
        return None
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            parts = _parts(kind, match)
            return _iso(*parts) if parts else None
    return None


def _parts(kind: str, match: re.Match) -> tuple[int, int | None, int | None] | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if kind == "ymd":
        month = int(groups["month"]) if groups.get("month") else None
        day = int(groups["day"]) if groups.get("day") else None
        return year, month, day
    if kind == "named":
        month = _MONTHS.get(groups["month"].lower())
        if month is None:
            return None
        return year, month, int(groups["day"]) if groups.get("day") else None
    a, b = int(groups["a"]), int(groups["b"])
    if kind == "dotted" or a > 12:
        return year, b, a
    if b > 12 or a == b:
        return year, a, b
    return None


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    if not 1800 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None
