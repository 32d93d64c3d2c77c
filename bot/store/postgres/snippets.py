"""Snippets as SQLite FTS5's snippet() makes them, so a search shows the same passage on either store.

The window of 16 tokens is chosen by FTS5's rule (bot/store's SQLite search calls snippet() with
these settings): each distinct term in it scores 1000 and each repeat 1, a window starting a sentence
(after '.' or ':') gets 100 more, 120 at the very start; matches are centred in the window; '…' says
where text was left out. Tokens are runs of letters and digits, matched folded (no case, no accents).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_TOKEN = re.compile(r"[^\W_]+")
WINDOW = 16
MARK_START, MARK_END, ELLIPSIS = "\x02", "\x03", "…"


def fold(text: str) -> str:
    """Lower case without diacritics, as unicode61 with remove_diacritics compares tokens."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


Hit = tuple[int, int, int]  # (first token, term number, tokens in the term)


def _score(hits: Sequence[Hit], start: int) -> tuple[int, int, int]:
    """A window's score, and the first and last+1 token of its matches (each distinct term 1000, a repeat 1)."""
    score, seen, first, last = 0, set(), -1, 0
    for position, term, size in hits:
        if start <= position < start + WINDOW:
            score += 1 if term in seen else 1000
            seen.add(term)
            first = position if first < 0 else first
            last = position + size
    return score, first, last


def _hits(tokens: Sequence[str], terms: Sequence[str]) -> list[Hit]:
    """Where each term matches: a word is a prefix; one with inner separators ("united_states") is a phrase
    whose last token is a prefix, as FTS5 reads a quoted term."""
    phrases = [_TOKEN.findall(fold(term)) for term in terms]
    found = []
    for n in range(len(tokens)):
        for number, phrase in enumerate(phrases):
            if not phrase or n + len(phrase) > len(tokens):
                continue
            *whole, last = phrase
            if all(tokens[n + k] == word for k, word in enumerate(whole)) and tokens[n + len(whole)].startswith(last):
                found.append((n, number, len(phrase)))
    return found


def _sentence_starts(text: str, tokens: Sequence[re.Match[str]]) -> list[int]:
    """Tokens that begin a sentence: the first, and any after '.' or ':' and white space."""
    starts = []
    for n, token in enumerate(tokens):
        at = token.start() - 1
        while at >= 0 and text[at] in " \t\n\r":
            at -= 1
        if n == 0 or (at != token.start() - 1 and at >= 0 and text[at] in ".:"):
            starts.append(n)
    return starts


def matches(text: str, term: str) -> bool:
    """Whether the term (a prefix, or a phrase whose last word is one) is in the text."""
    return bool(_hits([fold(token) for token in _TOKEN.findall(text)], [term]))


def snippet(text: str, terms: Sequence[str]) -> str:
    """The passage of `text` FTS5 would show for these prefix terms, matches marked with \\x02…\\x03."""
    tokens = list(_TOKEN.finditer(text))
    hits = _hits([fold(token[0]) for token in tokens], terms)
    best, best_start = 0, 0
    sentences = _sentence_starts(text, tokens)
    for position, _, _ in hits:
        score, first, last = _score(hits, position)
        if score > best:
            start = first - (WINDOW - (last - first)) // 2
            best, best_start = score, max(0, min(start, len(tokens) - WINDOW))
        if sentences and len(tokens) > WINDOW:
            sentence = max((s for s in sentences if s <= position), default=sentences[0])
            if sentence < position:
                score = _score(hits, sentence)[0] + (120 if sentence == 0 else 100)
                if score > best:
                    best, best_start = score, sentence
    return _cut(text, tokens, {n + k for n, _, size in hits for k in range(size)}, best_start)


def _cut(text: str, tokens: Sequence[re.Match[str]], marked: set[int], start: int) -> str:
    """The window's text from its first token to its last, matches marked, '…' where text is left out."""
    if not tokens:
        return text
    end = min(start + WINDOW, len(tokens)) - 1
    out = [ELLIPSIS] if start > 0 else []
    offset = 0 if start == 0 else tokens[start].start()
    for n in range(start, end + 1):
        token = tokens[n]
        out.append(text[offset : token.start()])
        out.append(f"{MARK_START}{token[0]}{MARK_END}" if n in marked else token[0])
        offset = token.end()
    out.append(text[offset:] if end >= len(tokens) - 1 else ELLIPSIS)
    return "".join(out)
