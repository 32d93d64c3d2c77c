"""The store as the core sees it: an interface any backend can implement (SQLite is the first)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any, Protocol

import msgspec

from bot.core.kinds import KINDS
from bot.core.model import Briefing, Source

# What search finds: every kind of item, and the briefing's summary (indexed by each store as kind "summary").
SEARCH_KINDS = (*KINDS, "summary")


class SearchHit(msgspec.Struct, frozen=True):
    """A full-text match: which item, and its rank (lower is better); the core finds the passage in the item itself."""

    kind: str
    item_id: str
    rank: float


# The furthest a page may start: any page past the events asks past them all, and the stores' 64-bit SQL integers
# hold it with its limit added (a page typed with 21 digits overflowed them: a logged error, not "page N does not exist").
LAST_OFFSET = 2**62


class TimelineQuery(msgspec.Struct, frozen=True):
    """What `timeline query:` asks a store: events holding every word, within [first, last], with `tag`; one page of them."""

    text: str
    first: date | None = None
    last: date | None = None
    tag: str | None = None
    offset: int = 0
    limit: int = 10


class Part(msgspec.Struct, frozen=True, gc=False):
    """What one command reads of a briefing, for a process that answers only it (`briefbot ask`).

    The head and sides, the items of `sections` (Briefing attributes), when `near` is given the timeline's
    events begun within those days (first, last) with the last one begun before (what a brief may show as its latest
    event), when `found` is given the items `search` finds for that text, the items of `keys`
    (kind, id), when `person` is given the timeline's events naming that person and the quotes they said, and
    with `topics` an event carrying each tag (so the part's tags are the briefing's).
    At 100k events the whole briefing takes seconds to read; a store may still hand back more than asked.
    """

    sections: frozenset[str]
    near: tuple[date, date] | None = None
    found: str | None = None
    keys: tuple[tuple[str, str], ...] = ()
    person: str | None = None
    topics: bool = False


# A load is logged like an import (one revision of the whole pack) but from this "platform", the
# `briefbot load` command (and first-run seeding), so the edits made since the last load can be told
# apart from it: an import from chat or `briefbot admin import` is one of those edits.
LOAD_PLATFORM = "load"
# The platforms the operator's own surfaces log their revisions under (a load, the command line, the console): a
# revision keeps where it came from, not the request's `operator`, so that is how a stored one tells the operator's.
OPERATOR_PLATFORMS = frozenset({LOAD_PLATFORM, "cli", "console"})


class BriefingSummary(msgspec.Struct, frozen=True):
    """A briefing's id and title, whether it is the store's default or archived, when it last changed, and its version."""

    id: str
    title: str
    is_default: bool
    archived: bool = False
    updated_at: datetime | None = None
    version: int = 0  # what a listing keeps the briefings it showed by: any change makes it another listing
    titles: tuple[tuple[str, str], ...] = ()  # (language, title) the pack's head translates it into

    def title_in(self, language: str) -> str:
        """The title a reader of `language` is shown: its translation, else the original (as `localize.title_in`)."""
        return next((title for lang, title in self.titles if lang == language), self.title)


class Asking(msgspec.Struct, gc=False):
    """One request's look at whether the store moved, taken by its first read and shared by the rest (`ASKING`)."""

    stamp: int | None = None  # the store's answer (SQLite's data_version); None: not looked yet


# The request being answered (`BriefingCore.dispatch`). A chat request reads its channel's choices, then its
# briefing: each read asked the store whether another process committed, twice per request for one answer.
# A commit seen by neither is seen by the next request, as before. None outside a request: every read looks.
ASKING: ContextVar[Asking | None] = ContextVar("asking", default=None)


class SourceText(msgspec.Struct, frozen=True):
    """A source's text as the server reads it, or, when `text` is None, why not: `missing`, a catalogue key taking `source`."""

    text: str | None
    missing: str = ""


class BriefingRepository(Protocol):
    """Read access to briefings; implementations must return data current when the request's first read looked (`ASKING`)."""

    def stamp(self) -> int | None:
        """A number that moves with every commit to the store, by any process, as of the request's look (`ASKING`).

        None when the store has no such number: then the core keeps nothing by it (`Stamped`) and asks every time.
        """
        ...

    async def briefing(self, briefing_id: str | None = None, part: Part | None = None) -> Briefing:
        """The briefing (the default one when None); UserError `briefing.unknown` if absent.

        With `part`, at least that part of it (the rest may be left empty): never held as the briefing.
        """
        ...

    async def search(self, briefing_id: str, text: str, kinds: Collection[str] = ()) -> tuple[list[SearchHit], int]:
        """Ranked full-text matches of every word of `text` (prefixes count), best first, and how many items match in all.

        Only a store's first matches in pack order are ranked (past them, ranking a common word's tens of thousands of
        matches at 100k events cost most of a second): the hits are every match up to that bound, which the count then exceeds."""
        ...

    async def timeline_matches(self, briefing_id: str, query: TimelineQuery) -> tuple[list[str], int]:
        """One page of the ids of the events `query` finds, in the timeline's order (dated by first and last
        day, undated last, then pack position), and how many it finds in all (a page past the last is empty).

        An empty `text` finds every event of the range and tag (a one-shot `ask /timeline`'s page)."""
        ...

    async def citations(self, briefing_id: str) -> dict[str, int]:
        """How many items cite each source (a source cited by none is absent)."""
        ...

    async def source_text(self, briefing_id: str, source: Source) -> SourceText:
        """The text of the source's `text:` file, read from the folder of the briefing's pack, or why it cannot be."""
        ...

    async def briefings(self) -> list[BriefingSummary]:
        """Every briefing in the store."""
        ...


class Change(msgspec.Struct, frozen=True):
    """One edit, validated by the core, for the store to write atomically with its revision.

    `item` is the new model item (None when removed); `before`/`after` are the item as pack data, for
    the log. `base` is the item revision the editor saw (None: the operator does not ask for the check).
    """

    briefing: Briefing
    kind: str
    item_id: str
    action: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    item: Any
    actor: str
    platform: str
    at: datetime
    base: int | None = None
    source: str = ""
    note: str = ""
    undoes: int | None = None
    position: int | None = None
    delivery: str | None = None  # the request's (`Request.delivery`): the store writes it once, a replay nothing


class Revision(msgspec.Struct, frozen=True):
    """A change as the log holds it; `before`/`after` are pack data ({"item": …, "position": n})."""

    id: int
    briefing_id: str
    kind: str
    item_id: str
    action: str
    actor: str
    platform: str
    at: datetime
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    source: str
    note: str
    undoes: int | None


class TakenBack(msgspec.Struct, frozen=True):
    """What a whole pack would take back of the revisions since the briefing's last load: a load refuses it unless told
    to discard them, and an import's dry run names it.

    `items`: each (kind, id) both those revisions and the pack change; `edits`: the newest of the `total` revisions
    that changed them, newest first.
    """

    items: list[tuple[str, str]]
    edits: list[Revision]
    total: int


class StaleEdit(Exception):
    """The item changed after the editor read it: `current` is its latest revision."""

    def __init__(self, current: int) -> None:
        super().__init__(current)
        self.current = current


class BriefingWriter(Protocol):
    """Writes with a revision log; implementations apply each change in one transaction."""

    async def apply(self, briefing_id: str, build: Callable[[Briefing], Change]) -> tuple[int, Change]:
        """Under the write lock, build the change from the briefing as it is now and write it with its revision.

        `build` is the core's pure check (it may raise a UserError: then nothing is written). Returns
        the revision id and the change. StaleEdit if the item moved past the change's `base`.
        """
        ...

    async def create(self, briefing: Briefing, actor: str, platform: str) -> None:
        """Store a new briefing with its first revision; UserError `briefing.exists` if the id is taken."""
        ...

    async def item_revision(self, briefing_id: str, kind: str, item_id: str) -> int:
        """The latest revision that touched one item (an import that changed it counts), 0 if none."""
        ...

    async def taken_back(self, briefing_id: str, changes: list[tuple[str, str]]) -> TakenBack | None:
        """The revisions since the briefing's last load that a pack changing these items (kind, id) would take back;
        None when it takes back none: the rule `load` refuses by, and an import names."""
        ...

    async def item_states(self, briefing_id: str, kinds: tuple[str, ...]) -> list[tuple[str, str, dict[str, Any]]]:
        """Every state the revision log holds of the kinds' items (each edit's and import's before and after), as
        (kind, item id, pack data), each distinct state once, in the order it was last seen: what an item was before
        it moved or went."""
        ...

    async def revisions(
        self, briefing_id: str, kind: str | None = None, item_id: str | None = None, limit: int | None = 20, before: int | None = None,
        until: datetime | None = None, after: int | None = None, data: bool = True, since: datetime | None = None,
    ) -> list[Revision]:
        """Revisions newest first, of the briefing or of one item (the imports that changed it too), older than
        `before`, newer than `after`, made at or before `until` and at or after `since` when given, at most `limit`
        (None: every one); `data=False` leaves out their `before`/`after` (None), which for a load is the whole pack,
        for a caller that needs only when and what."""
        ...

    async def steps(self, briefing_id: str) -> list[tuple[int, str, int | None]]:
        """Every revision's number, action and the revision it undoes, oldest first."""
        ...

    async def revision(self, briefing_id: str, number: int) -> Revision | None:
        """One revision of the briefing."""
        ...

    async def revision_briefing(self, number: int) -> str | None:
        """The briefing a revision belongs to (revisions are numbered across the store), None if there is no such revision."""
        ...


class BriefingStore(BriefingRepository, BriefingWriter, Protocol):
    """Reads and logged writes: everything the core asks of a store."""
