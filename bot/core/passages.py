"""Passages compared as copied text: equal up to spacing, quote marks and dashes.

The comparison forgives only what copying from a web page changes by itself (line breaks and runs of
spaces, typographic quotes, dash variants), so a changed word, letter or digit is always a miss.
"""

from __future__ import annotations

import re

_MARKS = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The text with quote marks and dashes made plain and every run of whitespace one space."""
    return _SPACE.sub(" ", text.translate(_MARKS)).strip()


def contains(haystack: str, needle: str) -> bool:
    """True when `needle` lies in `haystack`, up to whitespace, quote marks and dashes.

    A needle found as it is is found normalised too (normalising a text normalises each part of it alike), so
    the exact search, most quotes' case, spares normalising both (10,000 quotes: 80 ms of a pack's checks).
    """
    return needle in haystack or normalise(needle) in normalise(haystack)


def departure(haystack: str, needle: str) -> str:
    """The part of `needle` that `haystack` lacks: its words from the first one after the longest start of it found.

    What an admin reads to find where a cited passage stopped following the source. A start of the needle
    found means each shorter start is found too, so halving finds the longest in a few searches.
    """
    plain, words = normalise(haystack), normalise(needle).split(" ")
    low, high = 0, len(words)  # the first `low` words are found; more than `high` are not
    while low < high:
        middle = (low + high + 1) // 2
        if " ".join(words[:middle]) in plain:
            low = middle
        else:
            high = middle - 1
    return " ".join(words[low:])
