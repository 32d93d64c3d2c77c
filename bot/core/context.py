"""Everything a command handler may use: the request, its catalogue, the store and settings."""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Protocol, TypeVar

import msgspec
from msgspec.structs import replace

from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.choosing import elsewhere
from bot.core.cldr import babel_locale
from bot.core.formatting import fuzzy_label
from bot.core.index import BriefingIndex
from bot.core.kept import built_off_loop, off_loop_soon
from bot.core.kinds import PACK_KINDS
from bot.core.listing import Listings
from bot.core.localize import language_name_in, localize
from bot.core.model import Briefing, Source
from bot.core.recent import Recent
from bot.core.registry import local_command, local_option, slashed
from bot.core.replies import Item, Page, Reply, SourceRef, quote_word
from bot.core.repository import BriefingStore, Part, SearchHit
from bot.core.requests import Request
from bot.core.settings import CoreSettings
from bot.core.text import search_groups, search_query

if TYPE_CHECKING:
    from bot.core.admin.policy import AdminPolicy
    from bot.core.choosing import ChoiceStore
    from bot.core.digest.ledger import DigestStore
    from bot.core.registry import Registry
from bot.errors import UserError


class Cited(Protocol):
    """An item of a listed section: it names the sources behind it."""

    @property
    def sources(self) -> tuple[str, ...]: ...


CitedT = TypeVar("CitedT", bound=Cited)


class IndexCache:
    """One BriefingIndex per recently used briefing (and reader's language), rebuilt only when the store hands back a new snapshot."""

    def __init__(self, warm: bool = True) -> None:
        # As many as the store holds snapshots: an index keeps its snapshot alive, so more would hold more briefings.
        self._indexes: Recent[tuple[str, str], BriefingIndex] = Recent()
        # Every lookup built ahead, so none is first built on the event loop while others wait. A
        # one-shot `ask` has no one else to serve: it builds only what its command reads, which keeps
        # its peak memory on a large briefing down.
        self.warm = warm

    async def get(
        self, repository: BriefingStore, briefing_id: str | None, cat: Catalogue | None = None, part: Part | None = None,
    ) -> BriefingIndex:
        """The index of the current version of the briefing; with `cat`, of the briefing in the catalogue's language.

        A reader of the pack's own language shares the original's index, so English answers cost what they did.
        `part`: only what one command reads, for a process answering only it (at 100k events, reading every
        section would take seconds); the store never holds a part, so its index is never handed out again.
        """
        briefing = await repository.briefing(briefing_id, part)
        language = "" if cat is None or cat.locale == briefing.language else cat.locale
        cached = self._indexes.get((briefing.id, language))
        if cached is None or cached.source is not briefing:
            # At 100k events the lookups take a few hundred ms of Python: built off the event loop's
            # thread, the other users' commands keep being answered meanwhile (issue #18 §2).
            reader = cat if self.warm else None
            stale = [cached] if cached is not None else []
            cached = await built_off_loop(partial(_indexed, briefing, cat if language else None, self.warm, reader))
            self._indexes[(briefing.id, language)] = cached
            if stale:
                off_loop_soon(partial(_let_go, stale))
        return cached


# Items freed in one step when a replaced version is let go: few enough that no step holds the GIL for long.
LET_GO_STEP = 2_000


def _let_go(held: list[BriefingIndex]) -> None:
    """Free a replaced index, and the briefing only it still holds, a step at a time so no step holds the GIL long.

    Freed at once, a large version is one long deallocation with the GIL held throughout: here each
    lookup goes by itself while the items are still held, then the items LET_GO_STEP at a time.
    """
    index = held.pop()
    if sys.getrefcount(index) > 2:  # this name and the call's argument: an answer under way still reads it
        return
    items = [item for kind in PACK_KINDS for item in getattr(index.briefing, kind.section)]  # as shown: translated, its own
    index.forget()
    del index
    while items:
        del items[-LET_GO_STEP:]


def _indexed(briefing: Briefing, cat: Catalogue | None, warm: bool = True, reader: Catalogue | None = None) -> BriefingIndex:
    """A new index, of the briefing as a reader of the catalogue's language sees it (when `cat` is given), every lookup built when `warm`.

    `reader`: the catalogue the answer is written in, whose CLDR data Babel reads from disk on its first use
    in the process (English's four files, long enough to stall the loop): read here, off the event loop, not in the answer.
    """
    if cat is None:
        index = BriefingIndex(briefing)
    else:
        shown, translated = localize(briefing, cat)
        index = BriefingIndex(shown, source=briefing, translated=translated, reader=cat.locale)
    if warm:
        index.warm()
    if reader is not None:
        babel_locale(reader.cldr).plural_form  # noqa: B018 (the property reads the locale's data files once per process)
    return index


class Window(msgspec.Struct, frozen=True):
    """The slice of a list answer that one page shows."""

    number: int
    count: int
    start: int
    stop: int


class Context(msgspec.Struct):
    """Per-request state handed to each command handler."""

    request: Request
    cat: Catalogue
    repository: BriefingStore
    settings: CoreSettings
    indexes: IndexCache
    registry: Registry
    policy: AdminPolicy | None = None  # who passes the admin gate (`administers`); None: nobody
    digests: DigestStore | None = None
    choices: ChoiceStore | None = None
    # The briefing the request named with `briefing:`; its page buttons must name it too.
    named: str = ""
    # The briefing read here when none is named (the console's --briefing, the channel's or space's choice; None: the store's
    # default), so an edit of another named one can say which, and what it tells to type next names it.
    chosen_here: str | None = None
    # The language the answer's content was translated from, when it was ("" otherwise).
    translated_from: str = ""
    # The briefing in the reader's language, once looked up for this request (by the core, or by `localized`).
    shown: BriefingIndex | None = None
    # The listing of briefings last seen and what was built from it (`/briefings` pages, title autocomplete).
    listings: Listings = msgspec.field(default_factory=Listings)
    # What a one-shot `ask` reads of the briefing for this command (None: all of it).
    part: Part | None = None

    @property
    def administers(self) -> bool:
        """The requester passes the admin gate (help lists admin commands then): asked by the few answers that show it."""
        return self.policy is not None and self.policy.allows(self.request)

    def denied(self, command: str, rest: str = "") -> UserError:
        """The admin gate's refusal: the command as this reader types it here (`/brief set`, `/briefing action:new`), and who
        can make them an admin: only the bot's operator, in the config's lists, as the catalogue words it for their platform
        (`Request.grant_hint`: user ids, Discord's roles, Slack's workspace admins)."""
        return UserError("admin.denied", command=self.slash(command, rest), grant=self.cat(self.request.grant_hint))

    async def index(self) -> BriefingIndex:
        """The requested briefing as stored, indexed: what admin commands read and write."""
        return await self.indexes.get(self.repository, self.request.briefing_id, part=self.part)

    async def localized(self) -> BriefingIndex:
        """The requested briefing in the reader's language, indexed: what answers show.

        When any of it is translated, the answer says from which language (`translated_from`).
        """
        index = self.shown
        if index is None:
            index = self.shown = await self.indexes.get(self.repository, self.request.briefing_id, self.cat, self.part)
        if index.translated:
            self.translated_from = index.briefing.language
        return index

    async def more(self, index: BriefingIndex, part: Part | None) -> BriefingIndex:
        """What a one-shot `ask` reads next, once its command knows what it shows (None: the whole briefing), in the reader's language.

        A running bot's index holds the whole briefing already: it is the answer, so both answer from the same code.
        """
        if self.part is None:
            return index
        return await self.indexes.get(self.repository, self.request.briefing_id, self.cat, part)

    async def search(self, index: BriefingIndex, text: str, kinds: tuple[str, ...] = ()) -> tuple[list[SearchHit], int]:
        """Ranked full-text hits in this version of the briefing and how many items match; a repeated search is answered from memory."""
        text = self.search_query(text)
        # Remembered by the words both stores search for: two searches alike in them find the same, however written.
        key = ("search", search_groups(text), kinds)
        hits = index.recalled_search(key)
        if hits is None:
            found = await self.repository.search(index.briefing.id, text, kinds)
            hits = index.remember_search(key, found)
        return hits  # type: ignore[return-value]

    def search_query(self, text: str) -> str:
        """The reader's search words as the store reads them (a Spanish reader's "O" is OR)."""
        return search_query(text, self.cat.locale)

    @property
    def answered(self) -> str:
        """The briefing that answers this request, which an answer's buttons and menu name."""
        return self.shown.briefing.id if self.shown is not None else self.request.briefing_id or ""

    def noted(self, reply: Reply) -> Reply:
        """The answer as sent: one with items of the briefing names the briefing that answered (its passage menu's picks
        ask that one, whatever the channel chooses later); one that shows translated content says so, under anything
        else its footer says. An answer without such items is handed back as it is: one a command keeps stays the same object."""
        if not reply.briefing and any(item.ref for item in reply.items):
            reply = replace(reply, briefing=self.answered)
        if not self.translated_from:
            return reply
        note = _translated_note(self.cat.locale, self.translated_from)
        return replace(reply, footer=f"{reply.footer}\n{note}" if reply.footer else note)

    def source_refs(self, index: BriefingIndex, ids: Collection[str]) -> tuple[SourceRef, ...]:
        """The sources behind an answer, in pack order, each once."""
        wanted = frozenset(ids)
        locale = self.cat.locale
        return index.memo(
            ("sources", locale, wanted),
            lambda: tuple(source_ref(s, self.cat) for s in index.briefing.sources if s.id in wanted),
        )

    def word(self, command: str) -> str:
        """A command's word as this reader types it ("cronología"), without the slash."""
        return local_command(command, self.request.command_words or self.cat.locale)

    def slash(self, command: str, rest: str = "") -> str:
        """A command as this reader types it here: "/cronología" on a Spanish Discord, "/brief cronología" on Slack; then `rest`."""
        typed = slashed(command, self.cat.locale, self.request.command_naming)
        return f"{typed} {rest}" if rest else typed

    def typed(self, value: str) -> str:
        """A value the reader entered, as they enter it here: as it is in an option's own field, quoted as a line reads it back."""
        return value if self.request.options_in_fields else quote_word(value)

    def typed_options(self, options: Mapping[str, str]) -> str:
        """Options the reader gave, named in the answer's language and entered as here (`topic:visa query:"two words"` in a line)."""
        return " ".join(f"{local_option(name, self.cat.locale)}:{self.typed(value)}" for name, value in options.items())

    async def pinned(self) -> dict[str, str]:
        """`briefing:` with the briefing the request named when this place reads another unnamed: a command an answer tells
        the reader to type next must name it too, or it acts on that other one. Empty when it reads this one."""
        if self.named and await elsewhere(self.repository, self.named, self.chosen_here):
            return {"briefing": self.named}
        return {}

    def line(self, command: str, rest: str = "", options: Mapping[str, str] | None = None, *, slash: bool = False) -> str:
        """A command line an answer tells the reader to type, without the slash unless `slash`: its words as their menu shows
        them, values entered as here ("deshacer 7 informe:alps", `uses kind:person id:"two words"` in a line)."""
        words = self.request.command_words or self.cat.locale
        typed = (f"{local_option(name, words)}:{self.typed(value)}" for name, value in (options or {}).items())
        head = self.slash(command) if slash else local_command(command, words)
        return " ".join(filter(None, (head, rest, *typed)))

    @property
    def page_size(self) -> int:
        """How many items a page of a list answer shows."""
        return self.request.page_size or self.settings.page_size

    def window(self, total: int, number: int) -> Window:
        """Which items page `number` shows; a user error past the last page."""
        size = self.page_size
        count = max(1, -(-total // size))
        if number > count:
            raise UserError("page.out_of_range", page=number, count=count, n=count)
        start = (number - 1) * size
        return Window(number, count, start, min(start + size, total))

    def section(
        self, index: BriefingIndex, command: str, entries: Sequence[CitedT], number: int, entry: Callable[[CitedT], Item], text: str = "",
    ) -> Reply:
        """One page of a section listed whole (`agenda`, `context`, `faq`): its count, its entries and their sources; an empty
        section says so, as an answer and not a mistake of the reader's. Its words are the catalogue's `<command>.title` and `.empty`."""
        if not entries:
            return Reply(title=self.cat(f"{command}.title", n=0), text=self.cat(f"{command}.empty"))
        window = self.window(len(entries), number)
        shown = entries[window.start : window.stop]
        return Reply(
            title=self.cat(f"{command}.title", n=len(entries)),
            items=tuple(entry(item) for item in shown),
            sources=self.source_refs(index, {sid for item in shown for sid in item.sources}),
            page=self.page(window, command, {}, text),
        )

    def page(self, window: Window, command: str, options: dict[str, str], text: str = "") -> Page | None:
        """Paging info for the reply, or None when everything fits on one page."""
        if window.count == 1:
            return None
        if self.named:
            options = {**options, "briefing": self.named}
        # Only a command that takes briefing: can be asked for another page of the one that answered.
        spec = self.registry.resolve(command)
        answered = self.answered if "briefing" in spec.options_by_name else ""
        choices = frozenset(key for key in options if key in spec.options_by_name and spec.options_by_name[key].kind == "choice")
        return Page(window.number, window.count, command, tuple(options.items()), text, first=window.start + 1, briefing=answered, choices=choices)


@lru_cache(maxsize=64)
def _translated_note(locale: str, original: str) -> str:
    """"Translated from English…" in the reader's language: the same few sentences on every translated answer."""
    cat = catalogue_for(locale)
    return cat("content.translated", language=language_name_in(original, cat))


def source_ref(source: Source, cat: Catalogue) -> SourceRef:
    """"CubaHeadlines (Joseph Morales), "Title", 3 February 2026" with its URL when there is one."""
    byline = f"{source.publisher} ({source.author})" if source.author else source.publisher
    label = cat("source.label", byline=byline, title=source.title)
    if source.published:
        label = cat("source.label_dated", label=label, date=fuzzy_label(source.published, cat))
    return SourceRef(source.id, label, source.url)
