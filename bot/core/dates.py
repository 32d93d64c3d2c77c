"""Dates exactly as precise as their source: a year, a month, a day, or a range of those."""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta
from typing import Literal

import msgspec

Precision = Literal["year", "month", "day", "range"]

# The years a date may name. datetime stops at years 1 and 9999; the bot adds and subtracts zone
# offsets, alert leads, digest windows and the longest timeline span near every date, so a margin of
# a thousand years on each side keeps all of that arithmetic far from the edge, and still leaves every
# plausible briefing (history behind it, plans ahead of it) inside.
FIRST_YEAR = 1000
LAST_YEAR = 9000

# [0-9], not \d (which takes any script's digits), and fullmatch, so "2025\n" is not a year.
_PART = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


class DateOutOfRange(ValueError):
    """A well-formed date outside FIRST_YEAR..LAST_YEAR, so the message can name the accepted range."""


def check_year(year: int) -> None:
    """Refuse a year outside the range that every command, digest and alert can compute with."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateOutOfRange(f"year outside {FIRST_YEAR}-{LAST_YEAR}")


# `gc=False` (no cycle can pass through two dates and a str): tuples and dicts of dates are then left untracked too.
class FuzzyDate(msgspec.Struct, frozen=True, order=True, gc=False):
    """A span of days [first, last] written the way the source gave it ("2025-09", "2025-12/2026-01")."""

    first: date
    last: date
    text: str

    @property
    def precision(self) -> Precision:
        """How precise the source was, derived from the written form."""
        if "/" in self.text:
            return "range"
        return ("year", "month", "day")[self.text.count("-")]

    def overlaps(self, first: date, last: date) -> bool:
        """True when some day of this date may fall inside [first, last]."""
        return self.first <= last and self.last >= first

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse YYYY, YYYY-MM, YYYY-MM-DD or START/END of those; ValueError when it is none of them.

        DateOutOfRange (a ValueError) when the form is right but a year is outside FIRST_YEAR..LAST_YEAR.
        """
        return _parse(text)


# A pack holds a few dozen distinct dates, parsed again on every edit's validation and every reload;
# the values are immutable, so each text is parsed once. A 100k-event pack holds about 9,000 (every
# day of 27 years is a few): each kept once, they are shared by the events that give them.
@functools.lru_cache(maxsize=16384)
def _parse(text: str) -> FuzzyDate:
    text = text.strip()
    if "/" in text:
        start_text, _, end_text = text.partition("/")
        start, end = parse_part(start_text), parse_part(end_text)
        if end[1] < start[0]:
            raise ValueError("range ends before it starts")
        return FuzzyDate(start[0], end[1], f"{start_text.strip()}/{end_text.strip()}")
    first, last = parse_part(text)
    return FuzzyDate(first, last, text)


def parse_part(text: str) -> tuple[date, date]:
    """The first and last day covered by YYYY, YYYY-MM or YYYY-MM-DD."""
    match = _PART.fullmatch(text.strip())
    if not match:
        raise ValueError("not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match[1])
    check_year(year)
    if match[2] is None:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(match[2])
    if not 1 <= month <= 12:
        raise ValueError("month out of range")
    if match[3] is None:
        # The day before the next month's first (not calendar.monthrange: importing calendar would weigh on a cold `ask`).
        return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    day = date(year, month, int(match[3]))  # raises ValueError for 2025-02-30
    return day, day
