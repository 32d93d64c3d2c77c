"""Forgiving text matching: accents, case and punctuation never stop a reader finding a name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# Anything but letters and digits of any script separates words ("García-Peña", "Москва").
_NON_WORD = re.compile(r"[\W_]+")
# A sentence whose last quoted value ends its own sentence: "now “Agreed.”." reads as a stutter.
_DOUBLE_STOP = re.compile(r"(?<=[.!?…][”»\"’'])\.$")


# Letters that NFKD leaves whole, as the bare letters a reader types for them ("Lodz" for "Łódź", "Oresund" for "Øresund").
_BARE_LETTERS = str.maketrans({"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ı": "i", "þ": "th", "ħ": "h", "ŧ": "t"})
# A dotted abbreviation, from its first stop on (a pattern that starts with a literal is searched for in C: most text
# holds none, and one tried at every letter slowed every text of a load): single letters each with its stop ("U.S.",
# "a.m."), or pairs of letters each with its stop and maybe a space, as Spanish writes plurals ("EE. UU.", "FF.AA.",
# `_squeeze` keeps only doubled letters); not one glued to the word that follows.
_LETTER = r"[^\W\d_]"
_DOTTED = re.compile(
    rf"\.(?:(?<=(?<![^\W_]){_LETTER}\.)(?:{_LETTER}\.)+|(?<=(?<![^\W_]){_LETTER}{_LETTER}\.)(?:[ \xa0]?{_LETTER}{_LETTER}\.)+)(?![^\W_])"
)
_DOTS = re.compile(r"[.\s]")
# An apostrophe between two letters: straight, typographic, or the modifier letter ʼ that `fold` keeps inside a word.
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’ʼ](?=[^\W\d_])")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
# A word of a search, and of the text it searches: a run of letters and digits, as both stores' indexes split text.
_SEARCH_WORD = re.compile(r"[^\W_]+")
MAX_SEARCH_WORDS = 12  # words a search reads: each is a term every candidate's score reads


def _bare(text: str) -> str:
    """The text's non-ASCII characters case-folded, compatibility forms and accents gone: "Straße" "Strasse", "ﬁ" "fi",
    "Ｗ" "w", "Łódź" "lodz". Each run of them alone (none of these looks past it): a long English body with one
    translated topic's "Migración" walks that word, not every character of the body, in every body of a large load."""
    return _NOT_ASCII.sub(_bare_run, text)


def _bare_run(run: re.Match[str]) -> str:
    decomposed = unicodedata.normalize("NFKD", run[0].casefold()).translate(_BARE_LETTERS)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case, strip accents, turn punctuation into single spaces: "García-Peña" → "garcia pena"."""
    folded = (text if text.isascii() else _bare(text)).casefold()  # ASCII has no accents: most text skips the walk over every character
    return _NON_WORD.sub(" ", folded).strip()


def search_fold(text: str) -> str:
    """Text as full-text search reads it, the words either store indexes and the words searched alike: folded as `fold`
    folds letters (so "Αθήνα" is "αθηνα" and "ﬁnance" "finance" on both stores), dotted abbreviations squeezed ("U.S." is
    "US", "EE. UU." "EEUU", as `squeezed` makes names one). ASCII keeps its case, which both indexes fold: most text a
    load indexes is ASCII, told so in C, and handed back as it is when it holds no full stop.
    """
    if not text.isascii():
        text = _bare(text)
    return _DOTTED.sub(_squeeze, text) if "." in text else text


def _squeeze(abbreviation: re.Match[str]) -> str:
    """The abbreviation's stops and spaces taken out; pairs of letters only when each is one letter twice ("EE. UU.",
    not "in. Do.")."""
    found, at = abbreviation[0], abbreviation.start()
    if at >= 2 and abbreviation.string[at - 2].isalpha():
        letters = abbreviation.string[at - 2 : at] + _DOTS.sub("", found)
        if any(letters[n] != letters[n + 1] for n in range(0, len(letters), 2)):
            return found
    return _DOTS.sub("", found)


@lru_cache(maxsize=256)  # asked by the remembered searches' key, then by the store's query: once per search
def search_groups(text: str) -> tuple[tuple[str, ...], ...]:
    """The words of a search, folded (`search_fold`) and in lower case, in groups split by OR (or `or`): every word
    of a group, any group. Only the first MAX_SEARCH_WORDS words are read (`search_cut`).

    Only letters and digits reach a query, so FTS and tsquery syntax in the user's text is inert.
    """
    found = tuple(_SEARCH_WORD.findall(search_fold(text).lower())[:MAX_SEARCH_WORDS])
    if "or" not in found:  # most searches: one group
        return (found,) if found else ()
    groups: list[list[str]] = [[]]
    for word in found:
        if word == "or":
            groups.append([])
        else:
            groups[-1].append(word)
    return tuple(tuple(group) for group in groups if group)


@lru_cache(maxsize=256)  # a remembered search's answer asks it again
def search_cut(text: str) -> str | None:
    """The words a search reads when it holds more than MAX_SEARCH_WORDS, as the reader wrote them; None when it reads them all."""
    written = _SEARCH_WORD.findall(search_fold(text))
    return " ".join(written[:MAX_SEARCH_WORDS]) if len(written) > MAX_SEARCH_WORDS else None


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


def or_in_capitals(text: str, language: str) -> str | None:
    """The search with the reader's word for "or" written in lower case between words ("visa o aranceles") in capitals,
    as it means OR only so; None when it holds none (or the reader's language has no such word: English "or" is OR in
    any case)."""
    written, typed = _OR_WORDS.get(language), text.split()
    if written is None or written.lower() not in typed[1:-1]:
        return None
    return " ".join(written if word == written.lower() else word for word in typed)


def apostrophes_joined(name: str) -> tuple[str, ...]:
    """The folded words an apostrophe joins in a name ("O'Brien", "D’Alema": "obrien", "dalema"); none without one."""
    if not _APOSTROPHE.search(name):  # most names: no second fold
        return ()
    apart = fold(name).split()
    return tuple(word for word in fold(_APOSTROPHE.sub("", name)).split() if word not in apart)


def squeezed(name: str) -> str:
    """A name folded, without the spaces between its words: "EE. UU." and "eeuu", "U.S." and "us" are one."""
    return fold(name).replace(" ", "")


def matches_all(needle: str, haystack: str) -> bool:
    """True when every folded word of `needle` starts some word of `haystack` (words an apostrophe joins count as one too)."""
    hay = [*fold(haystack).split(), *apostrophes_joined(haystack)]
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
    return 1 if matches_all(folded_needle, haystack) else 0  # the words as written: an apostrophe joins some


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


# Where a long text is best cut, best first: between paragraphs, lines, sentences, clauses, words.
PROSE_BREAKS = ("\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ")
# A full stop that closes a dotted abbreviation, after which the sentence goes on ("11:00 a.m. EST", "U.S. troops", either
# stop of "EE. UU."): the letters `_DOTTED` reads as one word, seen from the stop back, as a window may end within them.
_ABBREVIATION_STOP = re.compile(rf"(?<![^\W_])(?:(?:{_LETTER}\.){{2,}}|({_LETTER})\1\.)\Z")


def prose_break(window: str, breaks: Sequence[str] = PROSE_BREAKS) -> int:
    """Where to cut `window`, the start of a text too long for its place, so the reader reads on from one piece to the
    next: at the best break in its second half (else in the first), after a sentence's mark (not an abbreviation's: a
    piece ending "EE." leaves the next to begin "UU."), before the space; 0 where it holds none (a word longer than the
    window)."""
    for start in (len(window) // 2, 1):
        for mark in breaks:
            at = window.rfind(mark, start)
            # A dozen characters back hold any abbreviation's last letters and what stands before them.
            while at > 0 and mark[0] == "." and _ABBREVIATION_STOP.search(window, max(0, at - 12), at + 1):
                at = window.rfind(mark, start, at)
            if at > 0:
                return at + len(mark.rstrip())
    return 0
