"""Lookups precomputed once per briefing version, so every command answers in microseconds."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import date, timedelta
from typing import TypeVar

from bot.core.model import Briefing, Person, Quote, TimelineEvent
from bot.core.text import fold

T = TypeVar("T")
SEARCHES_KEPT = 256
# The briefing's fields a derived value can depend on (everything but its id and version).
SECTIONS = tuple(f.name for f in fields(Briefing) if f.name not in ("id", "version"))


class BriefingIndex:
    """A briefing plus the maps and sorted lists that commands query."""

    def __init__(self, briefing: Briefing, previous: BriefingIndex | None = None) -> None:
        """Index `briefing`; parts whose inputs are the very objects `previous` indexed are taken from it.

        A change of one item leaves the other sections of the next snapshot identical (see
        `Briefing.sharing`), so after an edit only what depends on the edited section is rebuilt.
        """
        self.briefing = briefing
        old = previous if previous is not None and previous.briefing.id == briefing.id else None

        def same(*sections: str) -> bool:
            return old is not None and all(getattr(briefing, s) is getattr(old.briefing, s) for s in sections)

        if same("people"):
            assert old is not None
            self.people, self._names, self._exact_names = old.people, old._names, old._exact_names
            self._spaced_roles = old._spaced_roles
        else:
            self._index_people(briefing)
        self.sources = old.sources if same("sources") and old else {source.id: source for source in briefing.sources}
        self.sides = old.sides if same("sides") and old else {side.id: side.label for side in briefing.sides}
        if same("timeline") and old:
            self.timeline, self._starts, self._longest = old.timeline, old._starts, old._longest
            self._tag_positions, self.events_by_person = old._tag_positions, old.events_by_person
        else:
            self._index_timeline(briefing)
        self.topics = old.topics if same("timeline", "meeting") and old else tuple(
            sorted(set(self._tag_positions) | set(briefing.meeting.topics))
        )
        self.items = {
            kind: old.items[kind] if same(section) and old else {item.id: item for item in getattr(briefing, section)}
            for kind, section in (("timeline", "timeline"), ("agenda", "agenda"), ("quote", "quotes"), ("faq", "faq"))
        }
        if same("quotes") and old:
            self.quotes_by_speaker = old.quotes_by_speaker
        else:
            quotes: defaultdict[str, list[Quote]] = defaultdict(list)
            for quote in briefing.quotes:
                quotes[quote.speaker].append(quote)
            self.quotes_by_speaker = dict(quotes)
        self.speakers = old.speakers if same("people", "quotes") and old else tuple(
            p for p in briefing.people if p.id in self.quotes_by_speaker
        )
        # Memos say which sections they were derived from; those still identical carry over.
        self._memo: dict[object, tuple[object, tuple[str, ...]]] = (
            {key: entry for key, entry in old._memo.items() if same(*entry[1])} if old else {}
        )
        # Full-text results of this version, most recent last: paging through results repeats a search.
        self.searches: OrderedDict[tuple[object, ...], object] = OrderedDict()

    def _index_people(self, briefing: Briefing) -> None:
        self.people = {person.id: person for person in briefing.people}
        # Folded texts padded with spaces: " word" in text means some word starts with "word".
        self._names = tuple((fold(p.name), f" {fold(p.name)}", p) for p in briefing.people)
        exact_names: defaultdict[str, list[Person]] = defaultdict(list)
        for folded, _, person in self._names:
            exact_names[folded].append(person)
        self._exact_names = dict(exact_names)
        self._spaced_roles = {p.id: f" {fold(f'{p.role} {p.organisation}')}" for p in briefing.people}

    def _index_timeline(self, briefing: Briefing) -> None:
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
        appearances: defaultdict[str, list[TimelineEvent]] = defaultdict(list)
        for event in self.timeline:
            for person_id in event.people:
                appearances[person_id].append(event)
        self.events_by_person = dict(appearances)

    def memo(self, key: object, build: Callable[[], T], depends: tuple[str, ...] = tuple(SECTIONS)) -> T:
        """A value derived from the briefing's `depends` sections (e.g. a rendering per locale), built once.

        It is kept for later versions while those sections stay the same objects.
        """
        try:
            return self._memo[key][0]  # type: ignore[return-value]
        except KeyError:
            value = build()
            self._memo[key] = (value, depends)
            return value

    def remember_search(self, key: tuple[object, ...], hits: T) -> T:
        """Keep a full-text result for this version; the oldest goes once SEARCHES_KEPT are held."""
        self.searches[key] = hits
        if len(self.searches) > SEARCHES_KEPT:
            self.searches.popitem(last=False)
        return hits

    def recalled_search(self, key: tuple[object, ...]) -> object | None:
        """A kept full-text result, marked as recently used."""
        hits = self.searches.get(key)
        if hits is not None:
            self.searches.move_to_end(key)
        return hits

    def timeline_between(self, first: date | None, last: date | None, tag: str | None) -> Sequence[TimelineEvent]:
        """Events that may overlap [first, last] (open ends allowed), optionally with one tag."""
        # Events sorted by first day; one that starts before `first` can still reach it only if it
        # starts within the longest span of any event, so only that stretch needs checking.
        lo = 0 if first is None else bisect_left(self._starts, first - self._longest)
        mid = lo if first is None else bisect_left(self._starts, first)
        hi = len(self.timeline) if last is None else bisect_right(self._starts, last)
        mid = min(mid, hi)
        if tag is None:
            head = [e for e in self.timeline[lo:mid] if first is not None and e.date.last >= first]
            return head + list(self.timeline[mid:hi]) if head else self.timeline[mid:hi]
        tagged = self._tag_positions.get(tag, [])
        chosen = tagged[bisect_left(tagged, lo) : bisect_left(tagged, hi)]
        return [
            self.timeline[i] for i in chosen if i >= mid or (first is not None and self.timeline[i].date.last >= first)
        ]

    def latest_started(self, today: date) -> TimelineEvent | None:
        """The last event (by first day) that had begun by `today`."""
        position = bisect_right(self._starts, today)
        return self.timeline[position - 1] if position else None

    def latest_events(self, today: date, count: int) -> Sequence[TimelineEvent]:
        """The last `count` events (by first day) that had begun by `today`, newest first."""
        position = bisect_right(self._starts, today)
        return self.timeline[max(0, position - count) : position][::-1]

    def tag_named(self, text: str) -> str | None:
        """The topic tag the reader meant (accent- and case-insensitive), if any."""
        wanted = fold(text)
        return next((tag for tag in self.topics if fold(tag) == wanted), None)

    def people_matching(self, text: str, pool: Sequence[Person] | None = None) -> list[Person]:
        """People whose name matches `text`, best first; exact names win outright.

        Ranking: exact folded name, then names starting with the text, then names in which every
        word of the text starts some word.
        """
        wanted = fold(text)
        if pool is None and wanted in self._exact_names:
            return list(self._exact_names[wanted])
        starts = [f" {part}" for part in wanted.split()]
        names = self._names if pool is None else tuple((fold(p.name), f" {fold(p.name)}", p) for p in pool)
        exact, prefix, words = [], [], []
        for folded, spaced, person in names:
            if folded == wanted:
                exact.append(person)
            elif folded.startswith(wanted):
                prefix.append(person)
            elif all(start in spaced for start in starts):
                words.append(person)
        return exact or prefix + words

    def role_matches(self, person: Person, text: str) -> bool:
        """True when every folded word of `text` starts a word of the person's role or organisation."""
        spaced = self._spaced_roles[person.id]
        return all(f" {part}" in spaced for part in fold(text).split())

    def person_name(self, person_id: str) -> str:
        """The display name of a person id."""
        return self.people[person_id].name
