"""Lookups precomputed once per briefing version, so every command answers in microseconds."""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from itertools import chain
from typing import Any, TypeVar, overload

from bot.core.fields import Field
from bot.core.kinds import PACK_KINDS
from bot.core.model import AgendaItem, Briefing, Person, Quote, TimelineEvent, translation
from bot.core.sessions import Moments
from bot.core.text import apostrophes_joined, fold, squeezed

T = TypeVar("T")
# Full-text results kept per version: `search` hits (every ranked match, at most the stores' 200 candidates) and `timeline query:`
# pages (a page of ids and the count), so at most about 13 MB per version in use (200 hits of about 130 bytes each, 512 times),
# nearer a tenth of that in practice (a search of the shipped pack finds a few dozen items at most); the shipped pack's distinct
# searches and queries are about 430, and with 256 kept the two kinds pushed each other out.
SEARCHES_KEPT = 512


class Picked(Sequence[TimelineEvent]):
    """Events at chosen positions of the sorted timeline, looked up when read: a page costs its own size."""

    __slots__ = ("_positions", "_timeline")

    def __init__(self, timeline: Sequence[TimelineEvent], positions: Sequence[int]) -> None:
        self._timeline = timeline
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, key: int) -> TimelineEvent: ...

    @overload
    def __getitem__(self, key: slice) -> list[TimelineEvent]: ...

    def __getitem__(self, key: int | slice) -> TimelineEvent | list[TimelineEvent]:
        if isinstance(key, slice):
            return [self._timeline[i] for i in self._positions[key]]
        return self._timeline[self._positions[key]]


class _EventsById(Mapping[str, TimelineEvent]):
    """The events by id, looked up through their positions in the sorted timeline."""

    __slots__ = ("_positions", "_timeline")

    def __init__(self, timeline: Sequence[TimelineEvent], positions: Mapping[str, int]) -> None:
        self._timeline = timeline
        self._positions = positions

    def __getitem__(self, event_id: str) -> TimelineEvent:
        return self._timeline[self._positions[event_id]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


class BriefingIndex:
    """A briefing plus the maps and sorted lists that commands query."""

    def __init__(self, briefing: Briefing, source: Briefing | None = None, translated: bool = False, reader: str | None = None) -> None:
        """Index `briefing`; each lookup is built on first use, or all at once by `warm`.

        `source`: the stored briefing when `briefing` is its view in a reader's language (`translated`: some of it is).
        `reader`: that language (None: the pack's own), whose translations of someone's words are shown beside them.
        """
        self.briefing = briefing
        self.source = briefing if source is None else source
        self.translated = translated
        self.reader = reader or briefing.language
        self._memo: dict[object, object] = {}
        # Full-text results of this version, most recent last: paging through results repeats a search.
        self.searches: OrderedDict[tuple[object, ...], object] = OrderedDict()

    @cached_property
    def people(self) -> dict[str, Person]:
        return {person.id: person for person in self.briefing.people}

    @cached_property
    def _names(self) -> tuple[str, ...]:
        """Each person's folded name, in pack order."""
        return tuple(fold(p.name) for p in self.briefing.people)

    @cached_property
    def titles(self) -> tuple[tuple[str, str, str], ...]:
        """(kind, id, folded title) of the summary and of each item with evidence, in pack order: `why` finds an item by
        words of its title, and help's example checks that its words name one item, without reading every item again.

        A quote's words are followed by their translation into the reader's language (`names_of`) as a title of their own,
        right after them: the reader finds a quote by either, as its answers show both, and never by half of each."""
        briefing = self.briefing
        found = [("summary", "summary", fold(briefing.title))]
        for kind in PACK_KINDS:
            if "evidence" in kind.by_name:
                title = next(field for field in kind.fields_all if field.search == "title")
                items = getattr(briefing, kind.section)
                if title.verbatim:
                    found.extend((kind.name, item.id, fold(text)) for item in items for text in self.names_of(item, title))
                else:
                    attr = title.attr
                    found.extend((kind.name, item.id, fold(str(getattr(item, attr)))) for item in items)
        return tuple(found)

    def names_of(self, item: Any, title: Field) -> tuple[str, ...]:
        """What a reader names an item by: its title; someone's words (a quote's) also by the pack's translation of them
        into the reader's language, which answers show beside them."""
        text = str(getattr(item, title.attr))
        if not title.verbatim:
            return (text,)
        words = translation(item.translations, self.reader).get(title.name)
        return (text, str(words)) if words and words != text else (text,)

    @cached_property
    def _exact_names(self) -> dict[str, list[Person]]:
        exact_names: defaultdict[str, list[Person]] = defaultdict(list)
        for folded, person in zip(self._names, self.briefing.people, strict=True):
            exact_names[folded].append(person)
        return dict(exact_names)

    @cached_property
    def _role_words(self) -> dict[str, list[int]]:
        """Each folded word of a role or organisation, and the positions of the people whose role or organisation has it."""
        found: defaultdict[str, list[int]] = defaultdict(list)
        for position, p in enumerate(self.briefing.people):
            for word in dict.fromkeys(fold(f"{p.role} {p.organisation}").split()):
                found[word].append(position)
        return dict(found)

    @cached_property
    def _side_positions(self) -> dict[str, list[int]]:
        found: defaultdict[str, list[int]] = defaultdict(list)
        for position, p in enumerate(self.briefing.people):
            found[p.side].append(position)
        return dict(found)

    @cached_property
    def delegation(self) -> tuple[Person, ...]:
        """The people marked as members of the delegation, in pack order."""
        return tuple(p for p in self.briefing.people if p.delegation)

    @cached_property
    def sources(self) -> dict[str, Any]:
        return {source.id: source for source in self.briefing.sources}

    @cached_property
    def sides(self) -> dict[str, str]:
        return {side.id: side.label for side in self.briefing.sides}

    @cached_property
    def _side_names(self) -> dict[str, str]:
        """Every way a side is typed, squeezed (`squeezed`): its id, its names and other names in every language."""
        found: dict[str, str] = {}
        translated = (side for _, fields in self.briefing.translations for name, pairs in fields if name == "sides" for _, side in pairs)
        for side in chain(self.briefing.sides, translated):
            for name in (side.id, side.label, *side.also):
                found.setdefault(squeezed(name), side.id)
        return found

    def sides_starting(self, text: str) -> set[str]:
        """The ids of the sides a name of which starts as typed ("ee" → united_states, by "EE. UU."): what `side:` offers."""
        typed = squeezed(text)
        return {side_id for name, side_id in self._side_names.items() if name.startswith(typed)}

    def side_named(self, text: str) -> str | None:
        """The id of the side a reader typed, however cased, accented, dotted or spaced ("eeuu", "U.S.", "united states")."""
        return self._side_names.get(squeezed(text))

    @cached_property
    def timeline(self) -> tuple[TimelineEvent, ...]:
        # Ties (the same range: loosely dated events) keep the pack's order, which follows the source's
        # telling; ordering them by id would invent a sequence the source does not give.
        # Undated events follow the dated ones, in pack order: no date is invented for them.
        # One int per event orders by (first, last) with ties in pack order (no key tuple per event, which would
        # raise a cold `ask`'s peak memory), sorted a slice at a time so the builder never holds the GIL long.
        dated = [e for e in self.briefing.timeline if e.date]
        keys = [e.date.first.toordinal() << 22 | e.date.last.toordinal() for e in dated]  # type: ignore[union-attr]
        return (*(dated[n] for n in _sorted_positions(keys)), *(e for e in self.briefing.timeline if e.date is None))

    @cached_property
    def _dated(self) -> int:
        """How many events have a date (they come first in `timeline`)."""
        return sum(1 for event in self.briefing.timeline if event.date is not None)

    @cached_property
    def quotes(self) -> tuple[Quote, ...]:
        """Dated quotes in date order (ties in pack order), then the undated ones in pack order."""
        dated = sorted((q for q in self.briefing.quotes if q.date), key=lambda q: (q.date.first, q.date.last))  # type: ignore[union-attr]
        return (*dated, *(q for q in self.briefing.quotes if q.date is None))

    @cached_property
    def agenda(self) -> tuple[AgendaItem, ...]:
        """Engagements by date and time, the undated ones last; ties in pack order (the sort keeps it)."""
        return tuple(sorted(self.briefing.agenda, key=lambda a: (a.date.first if a.date else date.max, a.time or "99:99")))

    @cached_property
    def _starts(self) -> list[date]:
        # An undated event sorts after every date, so no range and no "latest" reaches it.
        return [event.date.first if event.date else date.max for event in self.timeline]

    @cached_property
    def _longest(self) -> timedelta:
        return max((e.date.last - e.date.first for e in self.timeline if e.date), default=timedelta(0))

    @cached_property
    def _tag_positions(self) -> dict[str, array[int]]:
        # Machine integers (4 bytes each), not a list of int objects (36): 200,000 positions at 100k events.
        positions: defaultdict[str, array[int]] = defaultdict(lambda: array("i"))
        for position, event in enumerate(self.timeline):
            for tag in event.tags:
                tagged = positions[tag]
                if not tagged or tagged[-1] != position:  # a tag listed twice is one topic of the event, as the store counts it
                    tagged.append(position)
        return dict(positions)

    @cached_property
    def tag_counts(self) -> dict[str, int]:
        """How many events carry each tag: help's examples name the most used (bot/core/commands/hints.py)."""
        return {tag: len(positions) for tag, positions in self._tag_positions.items()}

    @cached_property
    def events_by_person(self) -> dict[str, list[TimelineEvent]]:
        appearances: defaultdict[str, list[TimelineEvent]] = defaultdict(list)
        for event in self.timeline:
            for person_id in event.people:
                appearances[person_id].append(event)
        return dict(appearances)

    @cached_property
    def _topic_labels(self) -> dict[str, str]:
        return dict(self.briefing.topic_labels)

    def topic_label(self, tag: str) -> str:
        """A timeline topic as the reader reads it: its label in their language where the pack gives one, else the tag."""
        return self._topic_labels.get(tag, tag) if self._topic_labels else tag

    @cached_property
    def topics(self) -> tuple[str, ...]:
        """The timeline's topics as the reader reads them (by label): what `topic:` filters by, so all it offers finds events.

        A session's topics ("regional security") are words of its aims, not tags: offered here, they found nothing."""
        return tuple(sorted({self.topic_label(tag) for tag in self._tag_positions}))

    @cached_property
    def _tags_by_word(self) -> dict[str, str]:
        """Each tag by its folded label and its folded self: `topic:` takes either, and a tag's own name always means it."""
        found = {fold(self.topic_label(tag)): tag for tag in self._tag_positions}
        found.update((fold(tag), tag) for tag in self._tag_positions)
        return found

    @cached_property
    def _positions(self) -> dict[str, int]:
        """Each event's position in the sorted timeline, by id."""
        return {event.id: position for position, event in enumerate(self.timeline)}

    @cached_property
    def items(self) -> dict[str, Mapping[str, Any]]:
        """Each kind's items by id; events through the positions map timeline queries use too (one 100k-entry map, not two)."""
        return {
            kind.name: _EventsById(self.timeline, self._positions) if kind.model is TimelineEvent
            else {item.id: item for item in getattr(self.briefing, kind.section)}
            for kind in PACK_KINDS
        }

    @cached_property
    def quotes_by_speaker(self) -> dict[str, list[Quote]]:
        quotes: defaultdict[str, list[Quote]] = defaultdict(list)
        for quote in self.quotes:
            quotes[quote.speaker].append(quote)
        return dict(quotes)

    @cached_property
    def citations(self) -> dict[str, int]:
        """How many items cite each source, as the store's links count them (an item citing one twice counts twice)."""
        cited = (item.sources for kind in PACK_KINDS if kind.name != "source" for item in getattr(self.briefing, kind.section))
        return dict(Counter(chain.from_iterable(cited)))

    @cached_property
    def speakers(self) -> tuple[Person, ...]:
        return tuple(p for p in self.briefing.people if p.id in self.quotes_by_speaker)

    def warm(self) -> None:
        """Build every lookup now; called on a worker thread, so a large briefing never stalls the event loop."""
        for name, attribute in vars(BriefingIndex).items():
            if isinstance(attribute, cached_property):
                getattr(self, name)

    def forget(self) -> None:
        """Drop every built lookup, one at a time: each is freed by itself (a later read builds it again)."""
        for name, attribute in vars(BriefingIndex).items():
            if isinstance(attribute, cached_property):
                vars(self).pop(name, None)

    def memo(self, key: object, build: Callable[[], T]) -> T:
        """A value derived from this version of the briefing (e.g. a rendering per locale), built once."""
        try:
            return self._memo[key]  # type: ignore[return-value]
        except KeyError:
            value = self._memo[key] = build()
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

    def _bounds(self, first: date | None, last: date | None) -> tuple[int, int, int]:
        """Positions lo ≤ mid ≤ hi: events in [mid, hi) start within [first, last]; those in [lo, mid) may reach `first`."""
        # Events sorted by first day; one that starts before `first` can still reach it only if it
        # starts within the longest span of any event, so only that stretch needs checking.
        # When the longest span reaches back to date.min, subtracting it would overflow: check them all.
        lo = 0 if first is None or first - date.min <= self._longest else bisect_left(self._starts, first - self._longest)
        mid = lo if first is None else bisect_left(self._starts, first)
        # A range leaves undated events out; only the whole timeline shows them, last.
        everything = len(self.timeline) if first is None else self._dated
        hi = everything if last is None else bisect_right(self._starts, last)
        return lo, min(mid, hi), hi

    def timeline_between(self, first: date | None, last: date | None, tag: str | None) -> Sequence[TimelineEvent]:
        """Events that may overlap [first, last] (open ends allowed), optionally with one tag."""
        lo, mid, hi = self._bounds(first, last)
        if tag is None:
            head = [e for e in self.timeline[lo:mid] if first is not None and e.date is not None and e.date.last >= first]
            return head + list(self.timeline[mid:hi]) if head else self.timeline[mid:hi]
        tagged = self._tag_positions.get(tag, array("i"))
        start, middle, stop = (bisect_left(tagged, bound) for bound in (lo, mid, hi))
        # Only events that start before `first` need a look; the rest are taken as positions, so a
        # topic of 25,000 events costs a list copy, and each page looks up just the events it shows.
        early = array("i", (i for i in tagged[start:middle] if first is not None and _reaches(self.timeline[i], first)))
        return Picked(self.timeline, early + tagged[middle:stop])

    def latest_started(self, today: date) -> TimelineEvent | None:
        """The last event (by first day) that had begun by `today`."""
        position = bisect_right(self._starts, today)
        return self.timeline[position - 1] if position else None

    @cached_property
    def moments(self) -> Moments:
        """The sessions' instants in UTC, for the clock parts of a brief or meeting."""
        return Moments(self.briefing)

    @staticmethod
    def latest_near(now: datetime) -> tuple[date, date]:
        """The days a brief's latest event at `now` may take as today: what a one-shot `ask /brief` reads of the timeline (`Part.near`).

        Today is the venue's date, or a day before a session's local date once that session is still to start
        (so on or after now's): a zone is less than a day from UTC, so today lies within two days before now's
        UTC date and one after. The answer is an event begun within those days, or else the last one before.
        """
        day = now.astimezone(UTC).date()
        return day - timedelta(days=2), day + timedelta(days=1)

    def latest_events(self, today: date, count: int) -> Sequence[TimelineEvent]:
        """The last `count` events (by first day) that had begun by `today`, newest first."""
        position = bisect_right(self._starts, today)
        return self.timeline[max(0, position - count) : position][::-1]

    def tag_named(self, text: str) -> str | None:
        """The topic tag the reader meant, by the tag or its label in their language (accent- and case-insensitive), if any."""
        return self._tags_by_word.get(fold(text))

    def people_matching(self, text: str, pool: Sequence[Person] | None = None) -> list[Person]:
        """People whose name matches `text`, best first; exact names win outright.

        Ranking: exact folded name, then names starting with the text, then names in which every
        word of the text starts some word; each in pack order. Found by bisection in sorted names
        and words, not by walking every name, which held the event loop in a briefing naming many people.
        """
        wanted = fold(text)
        allowed = None if pool is None else {p.id for p in pool}
        people = self.briefing.people

        def kept(positions: Collection[int]) -> list[Person]:
            return [people[i] for i in sorted(positions) if allowed is None or people[i].id in allowed]

        exact = [p for p in self._exact_names.get(wanted, ()) if allowed is None or p.id in allowed]
        if exact:
            return exact
        names, positions = self._sorted_names
        prefix = set(positions[_starting(names, wanted)])
        vocabulary = self._name_vocabulary
        words: set[int] | None = None
        for part in wanted.split():
            having = {i for word in vocabulary[_starting(vocabulary, part)] for i in self._name_words[word]}
            words = having if words is None else words & having
        return kept(prefix) + kept((words or set()) - prefix)

    @cached_property
    def _sorted_names(self) -> tuple[list[str], list[int]]:
        """Every folded name, sorted, beside its person's position: names starting with a text are one range."""
        ordered = sorted((folded, position) for position, folded in enumerate(self._names))
        return [folded for folded, _ in ordered], [position for _, position in ordered]

    @cached_property
    def _name_words(self) -> dict[str, list[int]]:
        """Each word of a folded name, and the positions of the people whose name has it; a name's words an apostrophe
        joins count as one word too ("O'Brien" is "o", "brien" and "obrien"), as a reader types them either way."""
        found: defaultdict[str, list[int]] = defaultdict(list)
        for position, (folded, person) in enumerate(zip(self._names, self.briefing.people, strict=True)):
            for word in dict.fromkeys((*folded.split(), *apostrophes_joined(person.name))):
                found[word].append(position)
        return dict(found)

    @cached_property
    def _name_vocabulary(self) -> list[str]:
        """Every word of every name, sorted: the words starting with a text are one range."""
        return sorted(self._name_words)

    def people_with(self, side: str | None, role: str | None) -> list[Person]:
        """People on `side` whose role or organisation has a word starting with each word of `role`, in pack order.

        Looked up in per-word position lists, so the cost follows the vocabulary and the answer, not
        every person: walking them all in Python held the event loop in a briefing naming many people.
        """
        chosen: set[int] | None = None
        if side is not None:
            chosen = set(self._side_positions.get(side, ()))
        for part in fold(role or "").split():
            having = {i for word, positions in self._role_words.items() if word.startswith(part) for i in positions}
            chosen = having if chosen is None else chosen & having
        people = self.briefing.people
        return list(people) if chosen is None else [people[i] for i in sorted(chosen)]

    def person_name(self, person_id: str) -> str:
        """The display name of a person id."""
        return self.people[person_id].name


def _starting(keys: list[str], prefix: str) -> slice:
    """Where the sorted keys that start with `prefix` are (all of them for an empty prefix)."""
    # Every key starting with the prefix sorts before the prefix followed by the last code point,
    # which no folded name holds (it is a noncharacter).
    return slice(bisect_left(keys, prefix), bisect_left(keys, prefix + "\U0010ffff"))


def _reaches(event: TimelineEvent, first: date) -> bool:
    """Whether a dated event lasts until `first` or later (an undated one never does)."""
    return event.date is not None and event.date.last >= first


# `list.sort` is one C call that holds the GIL throughout: sorting a large timeline's days in one call stalled the
# event loop while the builder thread built the index. A slice this long sorts within the switch interval of a build
# (offload.HAND_OVER_INTERVAL).
SORT_STEP = 2048


def _sorted_positions(keys: Sequence[Any]) -> list[int]:
    """The positions of `keys` in sorted order, ties in their order: slices sorted in C, merged in Python (the GIL passes meanwhile)."""
    get = keys.__getitem__
    runs = [sorted(range(start, min(start + SORT_STEP, len(keys))), key=get) for start in range(0, len(keys), SORT_STEP)]
    if len(runs) <= 1:
        return runs[0] if runs else []
    return list(heapq.merge(*runs, key=get))  # stable: a tie comes from the earlier run first, as the runs follow the keys' order
