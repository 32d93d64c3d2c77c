"""Search words that name a date ("October 2025", "3 de febrero", "2026-02-03"): search looks in the words, so an answer
points to the timeline's `from:` and `to:`, which find events by their dates."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from bot.core.cldr import calendar_words
from bot.core.dates import FuzzyDate, check_year
from bot.core.text import fold

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?")
_DIGITS = re.compile(r"[0-9]")


def named_date(text: str, locale: str, year: int) -> str | None:
    """The day or month the words name, as `from:` and `to:` take it ("2025-10", "2026-02-03"); None when they name
    none. In the locale's words (CLDR's month and weekday names, "de"), or ISO; `year`: that of a day named without one."""
    text = text.strip()
    if _ISO.fullmatch(text):
        try:
            return FuzzyDate.parse(text).text
        except ValueError:  # "2025-13", a year outside the range
            return None
    if _DIGITS.search(text) is None:  # a month alone ("may", "march") is more often a word; and CLDR's names stay unread
        return None
    months, fillers = _words(locale)
    month = day = given = None
    for word in fold(text).split():
        if word in fillers:
            continue
        if word in months and month is None:
            month = months[word]
        elif word.isdigit() and len(word) == 4 and given is None:
            given = int(word)
        elif word.isdigit() and len(word) <= 2 and day is None:
            day = int(word)
        else:  # any other word: not a date alone
            return None
    if month is None or (day is None and given is None):  # "3 2026", or a month and nothing that dates it
        return None
    try:
        named = date(given or year, month, day or 1)
        check_year(named.year)  # a year the timeline's options take
    except ValueError:  # "31 February", "February 3 1"
        return None
    return f"{named:%Y-%m}" if day is None else named.isoformat()


@cache
def _words(locale: str) -> tuple[dict[str, int], frozenset[str]]:
    """The locale's month names, folded, with their numbers; and the other words a written date holds, folded."""
    months, others = calendar_words(locale)
    return {fold(name): number for name, number in months}, frozenset(word for text in others for word in fold(text).split())
