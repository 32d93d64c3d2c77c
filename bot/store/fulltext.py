"""What a search means on both stores: its words and OR groups; and, for SQLite, index terms that carry their briefing."""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date

from bot.core.repository import SEARCH_KINDS

# A word is a run of letters and digits, as SQLite's unicode61 tokenizer and PostgreSQL's `briefbot_plain` split text.
_WORD = re.compile(r"[^\W_]+")
# The same split for ASCII text, done by C bytes methods: every ASCII byte that is not a letter or a digit made a space.
_ASCII_SEPARATORS = bytes(code if chr(code).isalnum() else ord(" ") for code in range(256))  # only ASCII text is translated
MAX_SEARCH_WORDS = 12
# Every start of a topic's word in the index's `scope` column (tag_word, lower-cased as the index folds it).
_TAG_START = re.compile(r"t(?:a(?:g[0-9a-f]*)?)?")
# Every start of a kind's name (the index's other `scope` terms): one set lookup per searched word.
_KIND_STARTS = frozenset(kind[:end] for kind in SEARCH_KINDS for end in range(1, len(kind) + 1))
# An event's kind term with its dates (`date_word`): 'timeline' and digits.
_DATED_KIND = re.compile(r"timeline[0-9]+")
# A closed range of more years than this is walked (`_TIMELINE_COUNTED["range"]`): its terms would be one per year.
MAX_RANGE_YEARS = 50
# Both stores score only a search's first this many matches in pack order (see bot/store/repository.py's _CANDIDATES).
CANDIDATES = 200


def word_groups(text: str) -> list[list[str]]:
    """The words of a search in groups split by OR (or `or`): every word of a group, any group.

    Only letters and digits reach a query, so FTS and tsquery syntax in the user's text is inert.
    """
    groups: list[list[str]] = [[]]
    for word in _WORD.findall(text)[:MAX_SEARCH_WORDS]:
        if word.lower() == "or":
            groups.append([])
        else:
            groups[-1].append(word)
    return [group for group in groups if group]


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


@functools.lru_cache(maxsize=64)  # once per search, not once per row tested
def _ascii_words(text: str) -> list[list[str]] | None:
    """The search's word groups in lower case; None when a word is not ASCII."""
    groups = word_groups(text)
    if not all(word.isascii() for group in groups for word in group):
        return None
    return [[word.lower() for word in group] for group in groups]


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

    For ASCII the index's tokens are the runs of letters and digits, lower-cased (`keyed`, then unicode61), so a
    word found as a prefix is a token starting with it. Other text goes through unicode61's case and diacritic
    folding, which only the index applies exactly.
    """
    groups = _ascii_words(text)
    written = f"{title} {body}"
    if groups is None or not written.isascii():
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
    would change every `/search` score; so a range's matches are counted by the index (`range_terms`).
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


def range_terms(key: str, first: date, last: date) -> tuple[str, str]:
    """Two FTS5 expressions of a closed range's event terms (`date_word`): those that lie in the range, those that may.

    An event whose term is a month or a year overlaps the range iff that month or year does, and lies in it when
    the range covers its month (a year whole: the year's terms as a prefix). The others are tested by their days:
    the events of a month the range covers in part, and those with no month or year (spanning years, or months of one).
    """
    sure, unsure = [], [f'"{key}timeline"']
    for year in range(first.year, last.year + 1):
        start, end = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            sure.append(f'"{key}timeline{year}"*')
            continue
        sure.append(f'"{key}timeline{year}"')
        for month in range(start.month, end.month + 1):
            whole = (month > start.month or start.day == 1) and (month < end.month or end.day == calendar.monthrange(year, month)[1])
            (sure if whole else unsure).append(f'"{key}timeline{year}{month:02}"')
    return "{scope} : (" + " OR ".join(sure) + ")", "{scope} : (" + " OR ".join(unsure) + ")"


def may_start_a_scope_term(groups: list[list[str]]) -> bool:
    """Whether a word of the search (its `word_groups`) could start a term of the index's `scope` column (a kind's name, with an event's dates, or a topic's word).

    Only then must SQLite's query name the columns it searches: that filter costs FTS5 a look at every match's
    columns, every match of the word and not only the candidates ranked: tens of thousands for a common word.
    """
    for group in groups:
        for word in group:
            if not word.isascii():  # the index folds it (`Fáq` is `faq`): not worked out here
                return True
            folded = word.lower()
            if folded in _KIND_STARTS or (folded.startswith("t") and (_TAG_START.fullmatch(folded) or _DATED_KIND.fullmatch(folded))):
                return True
    return False
