"""`briefing:` autocomplete: the stored briefings' titles folded and indexed once per listing.

Discord asks at every keystroke; folding and scoring a thousand titles each time cost 2-6 ms. The
index answers as `match_score` ranks (the title itself 3, a title starting with the typed text 2, every
typed word starting a word of the title 1; ties in listing order) from a sorted word list.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from bot.core.repository import BriefingSummary
from bot.core.text import fold


class TitleIndex:
    """One listing's titles, folded, with each word's positions: what a keystroke's suggestions are looked up in."""

    def __init__(self, listed: Sequence[BriefingSummary]) -> None:
        self.listed = tuple(listed)
        self._folded = [fold(s.title) for s in self.listed]
        # (word, position) for each distinct word of each title, sorted: the words a typed prefix starts are one run.
        self._words = sorted((word, n) for n, title in enumerate(self._folded) for word in set(title.split()))

    def current(self, listed: Sequence[BriefingSummary]) -> TitleIndex:
        """This index while the listing is the same (a store hands back the same summaries until a change), else a new one."""
        return self if tuple(listed) == self.listed else TitleIndex(listed)

    def suggest(self, typed: str, limit: int) -> list[tuple[str, str]]:
        """Up to `limit` (title, id) pairs, best first, as `match_score` ranks them; none when nothing matches."""
        needle = fold(typed)
        if not needle:
            return [(s.title, s.id) for s in self.listed[:limit]]
        found: set[int] | None = None
        for part in needle.split():
            starts = self._starting(part)
            found = starts if found is None else found & starts
        ranked = sorted(found or (), key=lambda n: (-self._score(needle, n), n))
        return [(self.listed[n].title, self.listed[n].id) for n in ranked[:limit]]

    def _starting(self, part: str) -> set[int]:
        """Positions of the titles with a word starting with `part`."""
        found = set()
        words = self._words
        for at in range(bisect_left(words, (part,)), len(words)):
            word, n = words[at]
            if not word.startswith(part):
                break
            found.add(n)
        return found

    def _score(self, needle: str, n: int) -> int:
        """3 for the title itself, 2 for a title starting with it; 1 otherwise (every word already matched)."""
        title = self._folded[n]
        return 3 if title == needle else 2 if title.startswith(needle) else 1
