"""Which briefing answers a request: the one it names, else its channel's choice, its space's, the default.

A space is a Discord server or a Slack workspace (the request's `team_id`); the core never asks which
platform it is, only where the request came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from bot.core.repository import BriefingRepository, BriefingSummary
from bot.core.requests import Request
from bot.core.text import fold
from bot.errors import UserError

Why = Literal["named", "channel", "space", "default"]


@dataclass(frozen=True, slots=True)
class Choice:
    """A briefing chosen for a space (`channel_id` "") or for one channel of it, by whom and when."""

    platform: str
    space_id: str
    channel_id: str
    briefing_id: str
    chosen_by: str
    chosen_at: datetime


class ChoiceStore(Protocol):
    """Where the spaces' and channels' choices are kept."""

    async def chosen(self, platform: str, space_id: str, channel_id: str) -> list[Choice]:
        """The channel's choice and the space's, whichever exist, the channel's first."""
        ...

    async def choose(self, choice: Choice) -> None:
        """Record (or replace) the choice for its space or channel."""
        ...


@dataclass(frozen=True, slots=True)
class Resolved:
    """The briefing that answers (None: the store's default) and why it is that one."""

    briefing_id: str | None
    why: Why
    choice: Choice | None = None


def find_briefing(held: list[BriefingSummary], named: str) -> BriefingSummary:
    """The stored briefing whose id (or, typed by hand, title) is `named`; a user error listing the ids otherwise."""
    wanted = fold(named)
    for summary in held:
        if summary.id == named or fold(summary.title) == wanted:
            return summary
    raise UserError("briefing.unknown_of", briefing=named[:64], known=", ".join(s.id for s in held) or "—")


async def resolve(request: Request, named: str, repository: BriefingRepository, choices: ChoiceStore | None) -> Resolved:
    """Named (option, or the console's --briefing) > this channel's choice > this space's > the default."""
    named = named or request.briefing_id or ""
    if named:
        return Resolved(find_briefing(await repository.briefings(), named).id, "named")
    if choices is not None and request.team_id:
        found = await choices.chosen(request.platform, request.team_id, request.channel_id or "")
        if found:
            return Resolved(found[0].briefing_id, "channel" if found[0].channel_id else "space", found[0])
    return Resolved(None, "default")
