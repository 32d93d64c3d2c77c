"""What a search means on both stores: its words and OR groups; and, for SQLite, index terms that carry their briefing."""

from __future__ import annotations

import functools
import re

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


def may_start_a_scope_term(groups: list[list[str]]) -> bool:
    """Whether a word of the search (its `word_groups`) could start a term of the index's `scope` column (a kind's name or a topic's word).

    Only then must SQLite's query name the columns it searches: that filter costs FTS5 a look at every match's
    columns, every match of the word and not only the candidates ranked: tens of thousands for a common word.
    """
    for group in groups:
        for word in group:
            if not word.isascii():  # the index folds it (`Fáq` is `faq`): not worked out here
                return True
            folded = word.lower()
            if folded in _KIND_STARTS or (folded.startswith("t") and _TAG_START.fullmatch(folded)):
                return True
    return False
