"""Which briefing answers a request (named, else its channel's choice, its space's, the default), and in which language.

A conversation inside a channel (a Discord thread or forum post: the request's `parent_id`) is a channel too, whose
own choices come first; where it made none, the channel it belongs to answers, then the space.

A space is a Discord server or a Slack workspace (the request's `team_id`); the core never asks which
platform it is, only where the request came from.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal, NamedTuple, Protocol

import msgspec

from bot.core.index import BriefingIndex
from bot.core.repository import BriefingRepository, BriefingSummary, Part
from bot.core.requests import Request
from bot.core.text import fold
from bot.errors import UserError

Why = Literal["named", "channel", "parent", "space", "default"]


class Choice(msgspec.Struct, frozen=True):
    """A briefing and/or a language chosen for a space (`channel_id` "") or for one channel of it, by whom and when.

    `briefing_id` None: no briefing chosen here (the space's or the default answers); `language` "": none fixed.
    """

    platform: str
    space_id: str
    channel_id: str
    briefing_id: str | None
    chosen_by: str
    chosen_at: datetime
    language: str = ""


class ChoiceStore(Protocol):
    """Where the spaces' and channels' choices are kept."""

    async def chosen(self, platform: str, space_id: str, channel_id: str) -> list[Choice]:
        """The channel's choice and the space's, whichever exist, the channel's first."""
        ...

    async def choose(self, choice: Choice) -> None:
        """Record the choice for its space or channel; a None briefing or "" language keeps the one already chosen."""
        ...

    async def forget_space(self, platform: str, space_id: str) -> Forgotten:
        """The bot left the space: its subscriptions end as `unsubscribe` ends one, its choices (space and channels) go."""
        ...


class Forgotten(NamedTuple):
    """What forgetting a space the bot left did: subscriptions ended, briefing choices deleted."""

    subscriptions: int
    choices: int


class Resolved(msgspec.Struct, frozen=True):
    """The briefing that answers (None: the store's default) and why; the channel's fixed language, if any."""

    briefing_id: str | None
    why: Why
    choice: Choice | None = None
    # The choice that fixed this channel's language, for `/use` to say who fixed it (None: the reader's own applies).
    language_choice: Choice | None = None


def find_briefing(held: Sequence[BriefingSummary], named: str, language: str) -> BriefingSummary:
    """The stored briefing whose id is `named`, else the only one whose title in any language is (typed by hand).

    An id is unique, so it wins over another briefing's title. A title may be shared (two desks name their stories
    alike; copies of a pack keep its translated titles): then the candidates are listed, titled as a reader of
    `language` reads them, rather than one guessed. A user error listing the ids when nothing matches.
    """
    ident = named.strip().lower()
    by_id = next((summary for summary in held if summary.id == ident), None)
    if by_id is not None:
        return by_id
    wanted = fold(named)
    titled = [s for s in held if wanted in (fold(title) for title in (s.title, *(t for _, t in s.titles)))]
    if len(titled) > 1:
        candidates = "; ".join(f"{summary.title_in(language)} ({summary.id})" for summary in titled)
        raise UserError("briefing.ambiguous", briefing=named[:64], candidates=candidates)
    if titled:
        return titled[0]
    raise UserError("briefing.unknown_of", briefing=named[:64], known=", ".join(s.id for s in held) or "—")


HEAD = Part(frozenset())  # a briefing's head and sides: enough to know it exists


async def named_id(repository: BriefingRepository, named: str, language: str) -> str:
    """The id `named` stands for: asked by id first (a snapshot the store holds), else sought among every title.

    With a thousand briefings, listing them all costs milliseconds; a briefing: option almost always
    names an id (autocomplete sends one), so the list is read only for a title typed by hand. Only the head
    need be read when no snapshot is held: at 100k events the whole briefing takes seconds (`briefbot ask`).
    """
    try:
        return (await repository.briefing(named, HEAD)).id
    except UserError:
        return find_briefing(await repository.briefings(), named, language).id


async def choices_here(request: Request, choices: ChoiceStore | None) -> list[Choice]:
    """The request's channel's choice, its parent channel's and its space's, whichever exist, in that order (none outside a space)."""
    if choices is None or not request.team_id:
        return []
    found = await choices.chosen(request.platform, request.team_id, request.channel_id or "")
    if not request.parent_id:
        return found
    # A thread's own choice (never its space's, which its parent's read brings) before its parent channel's.
    own = [choice for choice in found if choice.channel_id]
    return own + await choices.chosen(request.platform, request.team_id, request.parent_id)


def channel_language(found: Sequence[Choice]) -> str:
    """The language an admin fixed for the channel among `found` (see `choices_here`), "" when none was."""
    # The channel's own choice comes first (a thread's, then its parent's); only a channel fixes a language.
    return next((choice.language for choice in found if choice.channel_id and choice.language), "")


def chosen_here(found: Sequence[Choice]) -> Choice | None:
    """The choice that names the briefing answering here among `found`: the channel's, else the space's; None: the default's."""
    for choice in found:
        if choice.briefing_id is not None:
            return choice
    return None


async def resolve(
    request: Request, named: str, repository: BriefingRepository, choices: ChoiceStore | None, found: Sequence[Choice] | None = None
) -> Resolved:
    """Named (option, or the console's --briefing) > this channel's choice > its parent channel's > this space's > the default.

    The channel's fixed language comes back with it, whichever briefing answers, for `/use` to explain.
    `found`: the choices already read for this request (`choices_here`), so a command reads them once.
    """
    if found is None:
        found = await choices_here(request, choices)
    # Only a channel fixes a language: a space's language is the reader's platform's (see docs/languages.md).
    fixed = next((c for c in found if c.channel_id and c.language), None)
    named = named or request.briefing_id or ""
    if named:
        return Resolved(await named_id(repository, named, request.locale), "named", language_choice=fixed)
    chosen = chosen_here(found)
    if chosen is not None:
        return Resolved(chosen.briefing_id, _why(chosen, request), chosen, fixed)
    return Resolved(None, "default", language_choice=fixed)


async def elsewhere(repository: BriefingRepository, briefing_id: str, here: str | None) -> bool:
    """Whether `briefing_id` is not the briefing read where `here` was chosen (None: the default): an edit there, or its
    form, names it, as the channel's briefing may hold an item of the same id."""
    return briefing_id != (here or next((b.id for b in await repository.briefings() if b.is_default), None))


def _why(chosen: Choice, request: Request) -> Why:
    """Whose choice `chosen` is: the space's, the request's channel's, or the channel a thread of it belongs to."""
    if not chosen.channel_id:
        return "space"
    return "channel" if chosen.channel_id == (request.channel_id or "") else "parent"


class Here(NamedTuple):
    """What a request's channel and space decide at one look at the store, kept per place (`BriefingCore.dispatch`).

    The choices (`choices_here`), the channel's fixed language ("" none), the briefing chosen (None: the default's)
    and `read`, the index of that briefing in the reader's language once a command has read it here (else None): a
    weak reference, so the indexes a core keeps alive stay those its `IndexCache` holds.
    """

    choices: tuple[Choice, ...]
    language: str
    briefing_id: str | None
    read: Callable[[], BriefingIndex | None] = lambda: None

    @classmethod
    def of(cls, found: Sequence[Choice]) -> Here:
        """What `found` decides, no index read yet."""
        chosen = chosen_here(found)
        return cls(tuple(found), channel_language(found), None if chosen is None else chosen.briefing_id)

    def showing(self, index: BriefingIndex) -> Here:
        """The same, with the index a command read here."""
        return self._replace(read=weakref.ref(index))
