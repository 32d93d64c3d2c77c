"""The briefing as immutable values: what a pack holds and what the store hands back."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import msgspec
import msgspec.structs

from bot.core.dates import FuzzyDate

Status = Literal["scheduled", "in_progress", "concluded", "postponed", "cancelled"]
STATUSES: tuple[Status, ...] = ("scheduled", "in_progress", "concluded", "postponed", "cancelled")
# An item's translations: (language, ((field, value), ...)) pairs, values typed as the field's own
# (a str, a tuple of str, a tuple of Stake). Tuples, so items stay hashable values.
Translations = tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]

# The items and the briefing are `gc=False`: a snapshot held is thousands of objects (millions at 100k events) that
# the cyclic collector would otherwise walk at every full collection. Safe because none can be part of a reference
# cycle: each is frozen and holds only immutable values (str, bool, int, dates, tuples of those and of these
# classes; a translation's values are a field's own type, a str or a tuple), so nothing in a briefing can refer back
# to what holds it. A briefing is hashed (a list anywhere would fail), and tests/test_untracked.py checks the
# declared types. Even the classes holding only scalars, which msgspec leaves untracked anyway, are `gc=False`: only
# then is a tuple or dict of them untracked too (else every item's `(Evidence,)` tuple stayed tracked).


class Source(msgspec.Struct, frozen=True, gc=False):
    """Where a fact comes from; every item names at least one."""

    id: str
    publisher: str
    title: str
    author: str | None = None
    published: FuzzyDate | None = None
    url: str | None = None
    # The source's full text: a file path relative to the pack, so `validate` can find every passage.
    text: str | None = None


class Evidence(msgspec.Struct, frozen=True, gc=False):
    """A passage copied verbatim from a named source: what an item's claim rests on."""

    source: str
    passage: str


class Zone(msgspec.Struct, frozen=True, gc=False):
    """An IANA zone that matters to the briefing, with the place name readers know it by."""

    zone: str
    label: str


class Side(msgspec.Struct, frozen=True, gc=False):
    """A party to the story (a country, an organisation) that people belong to."""

    id: str
    label: str
    # Other names a reader may type for it ("US", "EE. UU."): `side:` matches them too, never shows them.
    also: tuple[str, ...] = ()


class Stake(msgspec.Struct, frozen=True, gc=False):
    """What one party hopes to gain or fears to lose."""

    party: str
    text: str


class Session(msgspec.Struct, frozen=True, gc=False):
    """One sitting of the story (a meeting, a hearing, a vote); `starts_at` is UTC, `zone` its wall clock.

    The start is a full time (`starts_at`), only a day or month (`date`), or neither: "not announced"; so are the
    parties (none), venue and format ("") where no source gives them. `note` hedges the time or place as the sources do.
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
    note: str = ""
    translations: Translations = ()


class TimelineEvent(msgspec.Struct, frozen=True, gc=False):
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
    translations: Translations = ()


class Person(msgspec.Struct, frozen=True, gc=False):
    """Someone the sources name; `delegation` marks the visiting party's members."""

    id: str
    name: str
    role: str
    organisation: str  # "" when the sources do not say
    side: str
    delegation: bool
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()
    translations: Translations = ()


class AgendaItem(msgspec.Struct, frozen=True, gc=False):
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
    translations: Translations = ()


class Quote(msgspec.Struct, frozen=True, gc=False):
    """Words a named person said, with when and why."""

    id: str
    speaker: str
    words: str
    context: str
    date: FuzzyDate | None
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()
    # The language the words are in (a language code), when it is not the pack's or the source says so.
    language: str | None = None
    # The language the speaker said them in, when the source gives them translated (into `language`): the words
    # are then the source's translation, never shown as the speaker's own (a Spanish paper giving Trump in Spanish).
    translated_from: str | None = None
    translations: Translations = ()


class FaqEntry(msgspec.Struct, frozen=True, gc=False):
    """A question readers ask, answered from the sources."""

    id: str
    question: str
    answer: str
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()
    translations: Translations = ()


class ContextEntry(msgspec.Struct, frozen=True, gc=False):
    """Background a reader needs to follow the story: how it got here and why it matters."""

    id: str
    title: str
    body: str
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()
    translations: Translations = ()


class Briefing(msgspec.Struct, frozen=True, gc=False):
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
    context: tuple[ContextEntry, ...] = ()
    summary_evidence: tuple[Evidence, ...] = ()
    # The language the pack's own text is written in, and its head's translations (title, summary,
    # side and zone labels) in the items' form.
    language: str = "en"
    translations: Translations = ()
    # A reader's view only (`bot/core/localize.py`): each timeline topic's label in the reader's language, by tag. Tags stay
    # the topics' identity (filters, the store's index); a tag without a label reads as itself.
    topic_labels: tuple[tuple[str, str], ...] = ()
    version: int = 0  # the store's count of changes: not part of what the briefing says, so not compared

    def __eq__(self, other: object) -> bool:
        if type(other) is not Briefing:
            return NotImplemented
        return msgspec.structs.astuple(self)[:-1] == msgspec.structs.astuple(other)[:-1]  # all but the version, the last

    def __hash__(self) -> int:
        return hash(msgspec.structs.astuple(self)[:-1])

    @property
    def venue(self) -> Zone:
        """The first zone: the clock of every item that names none."""
        return self.zones[0]


def translation(translations: Translations, language: str) -> dict[str, Any]:
    """One language's translated fields by name (empty when there are none)."""
    return next((dict(fields) for lang, fields in translations if lang == language), {})
