"""What is worked out once per listing of the stored briefings: `briefing:` autocomplete's title index, `/briefings` pages.

With a thousand briefings, Discord's autocomplete asked at every keystroke folded and scored every
title, too slow for a keystroke. The title index answers as `match_score` ranks (the title or id itself 3, a title or id starting
with the typed text 2, every typed word starting a word of the title or id 1; ties in listing order) from a
sorted word list. A store hands back the same summaries while nothing changed (the SQLite store keeps
its listing while no connection commits), so a listing is recognised at the cost of comparing identities.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

from bot.core.model import Briefing
from bot.core.recent import Recent
from bot.core.replies import Reply
from bot.core.repository import BriefingSummary
from bot.core.text import fold

# `/briefings` answers kept per listing: a page for each language, place and set of versions asked lately.
PAGES_KEPT = 64


class Listing:
    """One listing of the stored briefings, and what is built from it once: the title index, the `/briefings` pages."""

    def __init__(self, listed: Sequence[BriefingSummary]) -> None:
        self.listed = tuple(listed)
        # A page's key names every input its answer follows from besides the listing (see commands/briefings.py).
        self.pages: Recent[tuple[object, ...], Reply] = Recent(PAGES_KEPT)
        # The briefings pages showed, by id. Each summary names its version, so a change makes another listing;
        # meanwhile a page asked after channels have read other briefings (and the store let these go) is
        # answered without reading its briefings again, one read each, slow in a store of many briefings.
        self.shown: Recent[str, Briefing] = Recent(PAGES_KEPT)
        self._titles: dict[str, TitleIndex] = {}

    def titles(self, language: str) -> TitleIndex:
        """The titles a reader of `language` is offered, indexed at that language's first keystroke after a change."""
        if language not in self._titles:
            self._titles[language] = TitleIndex(self.listed, language)
        return self._titles[language]


class Listings:
    """The listing last seen, kept while the store lists the same summaries (equal, and usually the same objects)."""

    def __init__(self) -> None:
        self._last = Listing(())

    def current(self, listed: Sequence[BriefingSummary]) -> Listing:
        """The listing of these summaries: the one kept when they are the same, else a new one, kept from now on."""
        if tuple(listed) != self._last.listed:
            self._last = Listing(listed)
        return self._last


def id_tag(briefing_id: str) -> str:
    """What follows a title another briefing shares, where it is offered: its id, which tells the two apart."""
    return f" ({briefing_id})"


class TitleIndex:
    """One listing's titles in one language and ids, folded, with each word's positions: what a keystroke is looked up in.
    The id is what a reader types by hand (`cumbre-bogota`), so it finds its briefing as the title's words do."""

    def __init__(self, listed: Sequence[BriefingSummary], language: str) -> None:
        self.listed = tuple(listed)
        titles = [s.title_in(language) for s in self.listed]
        self._folded = [fold(title) for title in titles]
        # A title two briefings share (two desks' "Election night", copies of a pack) is offered with its id, so the
        # reader sees which is which; the value sent is the id either way.
        shared = Counter(self._folded)
        self._shown = [title + id_tag(s.id) if shared[folded] > 1 else title
                       for title, folded, s in zip(titles, self._folded, self.listed, strict=True)]
        self._ids = [fold(s.id) for s in self.listed]  # "cumbre bogota": folding reads its hyphens as spaces
        # (word, position) for each distinct word of each title and id, sorted: the words a typed prefix starts are one run.
        self._words = sorted((word, n) for n, (title, ident) in enumerate(zip(self._folded, self._ids, strict=True))
                             for word in {*title.split(), *ident.split()})

    def suggest(self, typed: str, limit: int) -> list[tuple[str, str]]:
        """Up to `limit` (title, id) pairs, best first, as `match_score` ranks them; none when nothing matches."""
        needle = fold(typed)
        if not needle:
            return [(self._shown[n], s.id) for n, s in enumerate(self.listed[:limit])]
        found: set[int] | None = None
        for part in needle.split():
            starts = self._starting(part)
            found = starts if found is None else found & starts
        folded, ids = self._folded, self._ids

        def rank(n: int) -> tuple[int, int]:
            """3 for the title or id itself, 2 for one starting with it; 1 otherwise (every word already matched); ties
            in listing order. Written out, not a method: it runs for every title a keystroke matches."""
            title, ident = folded[n], ids[n]
            if title.startswith(needle) or ident.startswith(needle):
                return (-3 if needle in (title, ident) else -2, n)
            return (-1, n)

        ranked = sorted(found or (), key=rank)
        return [(self._shown[n], self.listed[n].id) for n in ranked[:limit]]

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
