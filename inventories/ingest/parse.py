"""Numbers and dates as people type them: the two parsing helpers the validator uses."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

_PLAIN_NUMBER = {
    ".": re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"),
    ",": re.compile(r"[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?"),
}


def _grouped_pattern(decimal):
    other = "," if decimal == "." else "."
    separators = re.escape(" \u00a0\u202f'" + other)
    return re.compile(
        r"([+-]?)(\d{1,3})((?P<sep>[" + separators + r"])\d{3}(?:(?P=sep)\d{3})*)"
        r"(?:" + re.escape(decimal) + r"(\d*))?([eE][+-]?\d+)?"
    )


_GROUPED_NUMBER = {".": _grouped_pattern("."), ",": _grouped_pattern(",")}


def parse_number(text: str, *, decimal: str = ".") -> Decimal:
    """Parse a number typed by a person, with ``decimal`` as the decimal mark.

    Thousands separators (space, no-break spaces, apostrophe and the other of ``,``/``.``) are
    accepted only between valid groups of three digits. Raises ``ValueError``.
    """
    if decimal not in _PLAIN_NUMBER:
        raise ValueError(f"unsupported decimal mark {decimal!r}")
    value = text.strip()
    if _PLAIN_NUMBER[decimal].fullmatch(value):
        if decimal == ",":
            value = value.replace(",", ".")
        try:
            return Decimal(value)
        except InvalidOperation as exc:  # pragma: no cover - the pattern only admits numbers
            raise ValueError(f"not a number: {text!r}") from exc
    match = _GROUPED_NUMBER[decimal].fullmatch(value)
    if match is None:
        raise ValueError(f"not a number: {text!r}")
    sign, head, groups, sep, fraction, exponent = match.groups()
    digits = head + groups.replace(sep, "")
    normalized = f"{sign}{digits}" + (f".{fraction}" if fraction else "") + (exponent or "")
    return Decimal(normalized)


_ISO_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_YEAR_FIRST = re.compile(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})")
_YEAR_LAST = re.compile(
    r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
)


def parse_date(text: str, *, day_first: bool) -> dt.date:
    """Parse an ISO date (or datetime, keeping the date), or D/M/Y (``day_first``) or M/D/Y.

    ``/``, ``.`` and ``-`` separate day, month and year; years must have four digits.
    Raises ``ValueError``.
    """
    value = text.strip()
    match = _ISO_DATE.fullmatch(value)
    if match:
        year, month, day = match.groups()
        return dt.date(int(year), int(month), int(day))
    match = _YEAR_FIRST.fullmatch(value)
    if match:
        year, _sep, month, day = match.groups()
        return dt.date(int(year), int(month), int(day))
    match = _YEAR_LAST.fullmatch(value)
    if match is None:
        raise ValueError(f"not a date: {text!r}")
    first, _sep, second, year = match.groups()
    day, month = (first, second) if day_first else (second, first)
    return dt.date(int(year), int(month), int(day))
