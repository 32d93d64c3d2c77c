"""Lookups precomputed once per briefing version, so every command answers in microseconds."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from bot.core.model import Briefing, Person, TimelineEvent
from bot.core.text import fold, match_score


class BriefingIndex:
    """A briefing plus the maps and sorted lists that commands query."""

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self.people = {person.id: person for person in briefing.people}
        self.sources = {source.id: source for source in briefing.sources}
        self.sides = {side.id: side.label for side in briefing.sides}
        self.timeline: tuple[TimelineEvent, ...] = tuple(
            sorted(briefing.timeline, key=lambda e: (e.date.first, e.date.last, e.id))
        )
        self._starts = [event.date.first for event in self.timeline]
        self._longest = max((e.date.last - e.date.first for e in self.timeline), default=timedelta(0))
        positions: defaultdict[str, list[int]] = defaultdict(list)
        for position, event in enumerate(self.timeline):
            for tag in event.tags:
                positions[tag].append(position)
        self._tag_positions = dict(positions)
        self.topics = tuple(sorted(set(self._tag_positions) | set(briefing.meeting.topics)))
        self._folded_names = tuple((fold(p.name), p) for p in briefing.people)
        quoted = {quote.speaker for quote in briefing.quotes}
        self.speakers = tuple(p for p in briefing.people if p.id in quoted)

    def timeline_between(self, first: date | None, last: date | None, tag: str | None) -> list[TimelineEvent]:
        """Events that may overlap [first, last] (open ends allowed), optionally with one tag."""
        lo = 0 if first is None else bisect_left(self._starts, first - self._longest)
        hi = len(self.timeline) if last is None else bisect_right(self._starts, last)
        if tag is None:
            candidates: Iterable[int] = range(lo, hi)
        else:
            positions = self._tag_positions.get(tag, [])
            candidates = positions[bisect_left(positions, lo) : bisect_left(positions, hi)]
        return [
            event
            for event in (self.timeline[i] for i in candidates)
            if first is None or event.date.last >= first
        ]

    def tag_named(self, text: str) -> str | None:
        """The topic tag the reader meant (accent- and case-insensitive), if any."""
        wanted = fold(text)
        return next((tag for tag in self.topics if fold(tag) == wanted), None)

    def people_matching(self, text: str, pool: Sequence[Person] | None = None) -> list[Person]:
        """People whose name matches `text`, best first; an exact name wins outright."""
        names = self._folded_names if pool is None else tuple((fold(p.name), p) for p in pool)
        scored = [(score, person) for folded, person in names if (score := match_score(text, folded))]
        if not scored:
            return []
        best = max(score for score, _ in scored)
        if best == 3:
            return [person for score, person in scored if score == 3]
        return [person for _, person in sorted(scored, key=lambda pair: -pair[0])]

    def person_name(self, person_id: str) -> str:
        """The display name of a person id."""
        return self.people[person_id].name
