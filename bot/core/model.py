"""The briefing as immutable values: what a pack holds and what the store hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.core.dates import FuzzyDate

Status = Literal["scheduled", "in_progress", "concluded", "postponed", "cancelled"]
STATUSES: tuple[Status, ...] = ("scheduled", "in_progress", "concluded", "postponed", "cancelled")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from; every item names at least one."""

    id: str
    publisher: str
    title: str
    author: str | None = None
    published: FuzzyDate | None = None
    url: str | None = None
    # The source's full text: a file path relative to the pack, so `validate` can find every passage.
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A passage copied verbatim from a named source: what an item's claim rests on."""

    source: str
    passage: str


@dataclass(frozen=True, slots=True)
class Zone:
    """An IANA zone that matters to the briefing, with the place name readers know it by."""

    zone: str
    label: str


@dataclass(frozen=True, slots=True)
class Side:
    """A party to the story (a country, an organisation) that people belong to."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Stake:
    """What one party hopes to gain or fears to lose."""

    party: str
    text: str


@dataclass(frozen=True, slots=True)
class Session:
    """One sitting of the story (a meeting, a hearing, a vote); `starts_at` is UTC, `zone` its wall clock.

    The start is a full time (`starts_at`), only a day or month (`date`), or neither: "not announced".
    """

    id: str
    title: str
    parties: tuple[str, ...]
    starts_at: datetime | None
    zone: str
    venue: str
    format: str
    aims: tuple[str, ...]
    topics: tuple[str, ...]
    stakes: tuple[Stake, ...]
    status: Status
    outcome: str
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()
    # The delegation's size as the source gives it ("over ten high-ranking officials"); "" when it does not.
    delegation: str = ""
    date: FuzzyDate | None = None


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """An event that led to the meeting; `date` is None when the source gives none."""

    id: str
    date: FuzzyDate | None
    title: str
    detail: str
    tags: tuple[str, ...]
    people: tuple[str, ...]
    sources: tuple[str, ...]
    note: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Person:
    """Someone the sources name; `delegation` marks the visiting party's members."""

    id: str
    name: str
    role: str
    organisation: str
    side: str
    delegation: bool
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """An engagement around the meeting; unknown date, time or place stay None ("not announced")."""

    id: str
    title: str
    detail: str
    date: FuzzyDate | None
    time: str | None
    zone: str
    place: str | None
    people: tuple[str, ...]
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """Words a named person said, with when and why."""

    id: str
    speaker: str
    words: str
    context: str
    date: FuzzyDate | None
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """A question readers ask, answered from the sources."""

    id: str
    question: str
    answer: str
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Briefing:
    """One briefing pack: its sessions and everything around them."""

    id: str
    title: str
    summary: str
    zones: tuple[Zone, ...]
    sides: tuple[Side, ...]
    sources: tuple[Source, ...]
    sessions: tuple[Session, ...]
    timeline: tuple[TimelineEvent, ...] = ()
    people: tuple[Person, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    quotes: tuple[Quote, ...] = ()
    faq: tuple[FaqEntry, ...] = ()
    summary_evidence: tuple[Evidence, ...] = ()
    version: int = field(default=0, compare=False)

    @property
    def venue(self) -> Zone:
        """The first zone: the clock of every item that names none."""
        return self.zones[0]

