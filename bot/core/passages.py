"""Passages compared as copied text: equal up to Unicode normal form, spacing, quote marks and dashes.

The comparison forgives only what copying from a web page or saving a file changes by itself (an accent
stored composed or decomposed, line breaks and runs of spaces, typographic quotes, dash variants, and in the
source's text a word split at a line's end by a hyphen, as a PDF's text is), so a changed word, letter or digit is
always a miss. Only the comparison normalises: passages are kept and shown
as written.
"""

from __future__ import annotations

import re
import unicodedata

_MARKS = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})
_SPACE = re.compile(r"\s+")
# A word a text splits at a line's end with a hyphen ("educa-\ntion", as pdftotext writes a PDF's columns), soft or not.
_SPLIT_WORD = re.compile(r"(?<=[^\W\d_])[-\u00ad\u2010][ \t]*\r?\n\s*(?=[^\W\d_])")
# Words left out, as a writer marks them: "[…]", "(...)", "…" or "...": no source holds such a passage as one run.
_ELISION = re.compile(r"…|\.\.\.")


def normalise(text: str) -> str:
    """The text composed (NFC), its quote marks and dashes made plain and every run of whitespace one space.

    Composed first: a macOS editor saves "á" as "a" and a combining accent (NFD), a web page copies it as one
    character, and the two must read as the same letter.
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_MARKS)).strip()


def rejoined(text: str) -> tuple[str, ...]:
    """The text normalised with each word it splits at a line's end put back together, as a reader reads it: whole
    ("education"), and with its hyphen where the word has one ("well-known"); none when it splits no word.

    So the passage shown to readers is the source's words, not the line break's "educa- tion"."""
    if not _SPLIT_WORD.search(text):
        return ()
    return normalise(_SPLIT_WORD.sub("", text)), normalise(_SPLIT_WORD.sub("-", text))


def elided(passage: str) -> bool:
    """Whether the passage marks words left out ("[…]", "..."): what a miss of it must say to do instead."""
    return _ELISION.search(passage) is not None


def contains(haystack: str, needle: str) -> bool:
    """True when `needle` lies in `haystack`, up to Unicode normal form, whitespace, quote marks and dashes.

    A needle found as it is in a composed haystack is found normalised too (normalising a text normalises each part
    of it alike), so the exact search, most quotes' case, spares normalising both, most of a large pack's quote
    checks. In a decomposed one it is not: "Bogota" lies in "Bogota" + a combining accent, a changed letter.
    """
    return (needle in haystack and composed(haystack)) or normalise(needle) in normalise(haystack)


def composed(text: str) -> bool:
    """Whether the text is in NFC already, where finding a passage as it is finds it as `normalise` compares it."""
    return unicodedata.is_normalized("NFC", text)


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


# Each opening quotation mark and the mark that closes it: curly double and single quotes and guillemets (Spanish and
# French use « »). A straight double quote opens or closes by where it stands (`_straight_opens`).
_CLOSING = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u2018": "\u2019", '"': '"'}
_CLOSERS = frozenset(_CLOSING.values())
# Closing marks that only a quotation uses: met with none open, the passage was cut after the quote began. A lone
# right single quote is far more often an apostrophe (Colombians’ rights) than a cut quotation.
_CUT_CLOSERS = frozenset({"\u201d", "\u00bb", '"'})
# Any quotation mark: a passage is searched for them rather than walked letter by letter.
_MARK = re.compile("[" + re.escape("".join(sorted({*_CLOSING, *_CLOSERS}))) + "]")
# What a quotation mark that opens follows: nothing, a space, a bracket, a dash or slash, or another opening mark.
_BEFORE_OPENING = frozenset("([{\u2014\u2013-/") | frozenset(_CLOSING)


def quoted(text: str) -> list[str]:
    """The spans of `text` inside quotation marks (each nested span too), so a quote's words can be told from narration.

    A passage is an excerpt: a mark it opens and does not close quotes to its end (cut before the quote closed), and a
    double closing mark with none open quotes from its start (cut after the quote opened). A right single quote
    followed by a letter is an apostrophe (the country’s), never a closing mark.
    """
    spans: list[str] = []
    opened: list[tuple[str, int]] = []  # (the mark that closes it, where the quoted text starts), innermost last
    for found in _MARK.finditer(text):
        at, mark = found.start(), found.group()
        if (mark == '"' and _straight_opens(text, at)) or (mark != '"' and mark in _CLOSING):
            opened.append((_CLOSING[mark], at + 1))
            continue
        if mark == "\u2019" and text[at + 1 : at + 2].isalpha():
            continue
        inner = next((n for n in range(len(opened) - 1, -1, -1) if opened[n][0] == mark), None)
        if inner is not None:
            spans.extend(text[start:at] for _, start in opened[inner:])  # marks left open inside close with it
            del opened[inner:]
        elif mark in _CUT_CLOSERS:
            spans.append(text[:at])
    spans.extend(text[start:] for _, start in opened)
    return spans


def _straight_opens(text: str, at: int) -> bool:
    """Whether the straight double quote at `at` opens a quotation: it starts the text or follows a space, a bracket, a
    dash or an opening mark (`"No," he said` opens; `said "no."` closes after the stop)."""
    return at == 0 or text[at - 1].isspace() or text[at - 1] in _BEFORE_OPENING
