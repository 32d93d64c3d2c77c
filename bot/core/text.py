"""Forgiving text matching: accents, case and punctuation never stop a reader finding a name."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Anything but letters and digits of any script separates words ("García-Peña", "Москва").
_NON_WORD = re.compile(r"[\W_]+")
# A sentence whose last quoted value ends its own sentence: "now “Agreed.”." reads as a stutter.
_DOUBLE_STOP = re.compile(r"(?<=[.!?…][”»\"’'])\.$")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case, strip accents, turn punctuation into single spaces: "García-Peña" → "garcia pena"."""
    folded = text.casefold()
    if not folded.isascii():  # ASCII has no accents to strip: most text skips the walk over every character
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", folded).strip()


def words(text: str) -> tuple[str, ...]:
    """The folded words of a text."""
    return tuple(fold(text).split())


# How a reader writes "or" between a search's alternatives, by language, besides the store's own OR (and `or`): in
# upper case only, since lower-case Spanish "o" is also a word a search may hold.
_OR_WORDS = {"es": "O"}


def search_query(text: str, language: str) -> str:
    """The search as the store reads it: the reader's language's word for "or" (Spanish "O") written OR."""
    written = _OR_WORDS.get(language)
    if written is None or written not in text.split():
        return text
    return " ".join("OR" if word == written else word for word in text.split())


def squeezed(name: str) -> str:
    """A name folded, without the spaces between its words: "EE. UU." and "eeuu", "U.S." and "us" are one."""
    return fold(name).replace(" ", "")


def matches_all(needle: str, haystack: str) -> bool:
    """True when every folded word of `needle` starts some word of `haystack`."""
    hay = fold(haystack).split()
    return all(any(word.startswith(part) for word in hay) for part in words(needle))


def match_score(needle: str, haystack: str) -> int:
    """Rank a candidate for autocomplete: exact 3, prefix 2, every word matches 1, else 0."""
    folded_needle, folded_hay = fold(needle), fold(haystack)
    if not folded_needle:
        return 1
    if folded_needle == folded_hay:
        return 3
    if folded_hay.startswith(folded_needle):
        return 2
    return 1 if matches_all(folded_needle, folded_hay) else 0


def shortened(text: str, limit: int) -> str:
    """At most `limit` characters: cut after the last whole word that fits (a word cut in half reads as a typo) and marked…"""
    if len(text) <= limit:
        return text
    room = limit - 1
    shown = _cut(text, room)
    while len(shown) > limit and room > 1:  # the quotation marks it closes take room of their own: cut that much sooner
        room = max(1, room - (len(shown) - limit))
        shown = _cut(text, room)
    return shown


def _cut(text: str, room: int) -> str:
    """The text's first `room` characters, back to a word's end, marked cut, with any quotation it opened closed."""
    cut = text[:room]
    space = cut.rfind(" ")
    # Unless the cut fell at a word's end; a very long word is cut rather than leave half the room empty.
    if not text[room].isspace() and space >= (room + 1) * 2 // 3:
        cut = cut[:space]
    cut = cut.rstrip(" ,;:-–—") + "…"
    # A quotation cut short still ends as one, so the words after it are not read as the speaker's.
    return cut + "".join(close for open_, close in ("«»", "“”") if cut.count(open_) > cut.count(close))


def one_full_stop(sentence: str) -> str:
    """The sentence without its closing full stop when a quoted value just before it already ends one."""
    return _DOUBLE_STOP.sub("", sentence)
