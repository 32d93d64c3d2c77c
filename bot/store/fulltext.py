"""What a search means on both stores: its words and OR groups; and, for SQLite, index terms that carry their briefing."""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from datetime import date, timedelta

from bot.core.repository import SEARCH_KINDS
from bot.core.text import search_groups

# A word is a run of letters and digits, as SQLite's unicode61 tokenizer and PostgreSQL's `briefbot_plain` split text.
_WORD = re.compile(r"[^\W_]+")
# The same split for ASCII text, done by C bytes methods: every ASCII byte that is not a letter or a digit made a space.
_ASCII_SEPARATORS = bytes(code if chr(code).isalnum() else ord(" ") for code in range(256))  # only ASCII text is translated
# Every start of a topic's word in the index's `scope` column (tag_word, lower-cased as the index folds it).
_TAG_START = re.compile(r"t(?:a(?:g[0-9a-f]*)?)?")
# Every start of a kind's name (the index's other `scope` terms): one set lookup per searched word.
_KIND_STARTS = frozenset(kind[:end] for kind in SEARCH_KINDS for end in range(1, len(kind) + 1))
# An event's kind term with its dates (`date_word`): 'timeline' and digits.
_DATED_KIND = re.compile(r"timeline[0-9]+")
# Both stores score only a search's first this many matches in pack order (see bot/store/repository.py's _CANDIDATES).
CANDIDATES = 200


@functools.lru_cache(maxsize=256)  # asked for every title and body a load indexes: 240k times at 100k events
def briefing_key(briefing_id: str) -> str:
    """What starts every index term of one briefing: 'b', its id in hex, 'x' (no key is the start of another)."""
    return f"b{briefing_id.encode('utf-8').hex()}x"


def keyed(briefing_id: str, text: str) -> str:
    """The text's words, each prefixed with its briefing's key (SQLite's `briefbot_terms`, called by the index triggers).

    One FTS5 index serves every briefing; with plain words, a prefix query (and bm25's count of the items
    holding each word) reads every briefing's items. With keyed terms it reads only its own (issue #14).
    """
    key = briefing_key(briefing_id)
    if text.isascii():  # nearly every title and body a load keys (240k at 100k events): split and joined as bytes, in C
        ascii_words = text.encode().translate(_ASCII_SEPARATORS).split()
        return (key.encode() + (" " + key).encode().join(ascii_words)).decode() if ascii_words else ""
    words = _WORD.findall(text)
    return key + (" " + key).join(words) if words else ""


@functools.cache  # built at the first non-ASCII row tested, not at import: a cold `ask` never tests one
def _separators() -> dict[int, str]:
    """What unicode61 surely makes a separator among the non-ASCII characters of most news: Latin-1's and Latin
    Extended-A's punctuation, symbols and spaces, and the general punctuation block's («», ¿, —, “”). Their letters are
    gone from search text (`search_fold`); any other character is left for the index."""
    separators = {}
    for code in (*range(0x80, 0x180), *range(0x2000, 0x2070)):
        category = unicodedata.category(chr(code))
        if category == "Cc" or (category[0] in "PSZ" and category != "Pc"):
            separators[code] = " "
    return separators


def _as_ascii(text: str) -> str | None:
    """The text with `_separators` applied, in C; None when a character is left that only the index can fold."""
    if text.isascii():
        return text
    folded = text.translate(_separators())
    return folded if folded.isascii() else None


@functools.lru_cache(maxsize=64)  # once per search, not once per row tested
def _ascii_words(text: str) -> tuple[tuple[str, ...], ...] | None:
    """The search's word groups (folded, in lower case); None when a word only the index can fold."""
    groups = search_groups(text)
    return None if any(not word.isascii() for group in groups for word in group) else groups


def _starts_a_token(written: str, word: str) -> bool:
    """Whether `word` starts a run of letters and digits in lower-case ASCII `written` (str.find: C, not a regex)."""
    at = written.find(word)
    while at >= 0:
        if at == 0 or not written[at - 1].isalnum():
            return True
        at = written.find(word, at + 1)
    return False


def holds(text: str, title: str, body: str) -> bool | None:
    """Whether an item's title and body hold the search `text` as its index finds it; None when only the index can tell.

    The title and body are search text, folded (`search_fold`). For ASCII the index's tokens are the runs of letters and
    digits, lower-cased (`keyed`, then unicode61), so a word found as a prefix is a token starting with it. The punctuation
    of Spanish text is a separator (`_separators`): a translated briefing's rows are tested here too, not only by the
    index. Other characters go through unicode61's own tables, which only the index applies exactly.
    """
    groups = _ascii_words(text)
    written = _as_ascii(f"{title} {body}")
    if groups is None or written is None:
        return None
    written = written.lower()
    return any(all(_starts_a_token(written, word) for word in group) for group in groups)


def tag_word(tag: str) -> str:
    """A topic as one index word of its item's scope (migration 017): 'tag' and its UTF-8 in hex, whatever the tag holds."""
    return "tag" + tag.encode("utf-8").hex().upper()


def date_word(first_day: str | None, last_day: str | None) -> str:
    """What follows an event's kind in its `scope` term (migration 021): the month or the whole year its days lie in, else nothing.

    '201503' for days within March 2015, '2015' for the year 2015 whole, '' for other spans and undated events. One
    term, the kind's, not one more: bm25 counts every term of a row in its length, `scope`'s too, so a term added
    would change every `/search` score; so a range's matches are counted by the index (`range_side`).
    """
    if first_day is None or last_day is None:
        return ""
    if first_day[:7] == last_day[:7]:
        return first_day[:4] + first_day[5:7]
    if first_day[5:] == "01-01" and last_day == first_day[:4] + "-12-31":
        return first_day[:4]
    return ""


def kind_term(key: str, kind: str) -> str:
    """A kind's term of one briefing's `scope`, as FTS5 finds it: an event's with its dates after it (`date_word`), so as a prefix."""
    return f'"{key}{kind}"*' if kind == "timeline" else f'"{key}{kind}"'


@functools.lru_cache(maxsize=256)  # a range's far side runs to year 1 or 9999: a few dozen steps, the same for every ask of its year
def _year_prefixes(first: int, last: int) -> tuple[str, ...]:
    """The fewest decimal prefixes of four-digit years (as `date_word` writes them) that name first..last and no other year."""
    prefixes = []
    year = 0 if first == 1 else first  # there is no year 0: from year 1 is from 0, named by fewer prefixes ('0', '1', …)
    while year <= last:
        size = 1
        while year % (size * 10) == 0 and year + size * 10 - 1 <= last:
            size *= 10
        prefixes.append(f"{year:04}"[: 5 - len(str(size))])
        year += size
    return tuple(prefixes)


@functools.lru_cache(maxsize=256)  # asked by Python for the unsure terms, then by the statement for a side (`range_side`)
def _dated_terms(key: str, first: date, last: date) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A closed range's event terms (`date_word`): the runs of whole years in it, the months lying wholly in it, the terms reaching into it, those only their days can place.

    An event whose term is a month or a year overlaps the range iff that month or year does, and lies in it when
    the range covers its month, or its year whole (the year's terms as a prefix, runs of whole years as decimal
    prefixes: a range of decades is a few terms). The events of a month the range covers in part are tested by
    their days, and so are those with no month or year (spanning years, or months of one).
    """
    within: list[str] = []
    reaching: list[str] = []
    unsure = [f'"{key}timeline"']
    whole_first = first.year if (first.month, first.day) == (1, 1) else first.year + 1
    whole_last = last.year if (last.month, last.day) == (12, 31) else last.year - 1
    for year in sorted({year for year in (first.year, last.year) if not whole_first <= year <= whole_last}):
        start, end = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
        reaching.append(f'"{key}timeline{year}"')
        for month in range(start.month, end.month + 1):
            whole = (month > start.month or start.day == 1) and (month < end.month or end.day == calendar.monthrange(year, month)[1])
            (within if whole else unsure).append(f'"{key}timeline{year}{month:02}"')
    return _year_prefixes(whole_first, whole_last), tuple(within), tuple(reaching), tuple(unsure)


def _lying_in(key: str, first: date, last: date, years: range) -> list[str]:
    """The terms of the events lying wholly in a closed range: its whole years' prefixes, those naming none of `years` left out, and its whole months."""
    prefixes, within, _, _ = _dated_terms(key, first, last)
    named = [p for p in prefixes if int(p.ljust(4, "0")) < years.stop and int(p.ljust(4, "9")) >= years.start]
    return [f'"{key}timeline{prefix}"*' for prefix in named] + list(within)


def unsure_terms(key: str, first: date | None, last: date | None) -> str:
    """The terms of a range's events only their days can place (an open end is the calendar's), in the index's `scope`."""
    return "{scope} : (" + " OR ".join(_dated_terms(key, first or date.min, last or date.max)[3]) + ")"


def range_side(key: str, first: str | None, last: str | None, outside: int, earliest: str | None, latest: str | None) -> str | None:
    """SQLite's `briefbot_range_side`: a range's event terms (an open end is the calendar's) joined by OR: those in it, or (`outside`) those wholly outside it and the unsure; None when none is left.

    A range's matches are the words' matches among the first (`words AND …`), or, the same events, the events'
    matches less the second (`… NOT …`): whichever names fewer events, as a one-ended range of many years may
    (FTS5 reads every entry of the terms it is given); either way the unsure are then tested by their days. Only
    years from the briefing's first starting day to its last are named (a dated term's year is its event's first
    day's), which the same statement reads, so that the terms and the count see one store: an open end's far side
    would otherwise name a few dozen decimal prefixes up to year 1 or 9999, nearly all empty, and FTS5 seeks each.
    """
    years = range(int(earliest[:4]), int(latest[:4]) + 1) if earliest and latest else range(1, 10_000)
    start, end = date.fromisoformat(first) if first else date.min, date.fromisoformat(last) if last else date.max
    if not outside:
        terms = _lying_in(key, start, end, years) + list(_dated_terms(key, start, end)[2])
    else:
        terms = _lying_in(key, date.min, start - timedelta(days=1), years) if start > date.min else []
        terms += _lying_in(key, end + timedelta(days=1), date.max, years) if end < date.max else []
        terms += _dated_terms(key, start, end)[3]
    return " OR ".join(terms) or None


def may_start_a_scope_term(groups: tuple[tuple[str, ...], ...]) -> bool:
    """Whether a word of the search (its `search_groups`) could start a term of the index's `scope` column (a kind's name, with an event's dates, or a topic's word).

    Only then must SQLite's query name the columns it searches: that filter costs FTS5 a look at every match's
    columns, every match of the word and not only the candidates ranked: tens of thousands for a common word.
    """
    for group in groups:
        for word in group:
            if not word.isascii():  # folded already (`Fáq` is `faq`), yet unicode61 has tables of its own: not worked out here
                return True
            if word in _KIND_STARTS or (word.startswith("t") and (_TAG_START.fullmatch(word) or _DATED_KIND.fullmatch(word))):
                return True
    return False
