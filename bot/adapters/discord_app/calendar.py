"""`/calendar`: the briefing's sessions and dated agenda as an .ics attachment, for any reader.

Added by hand like `/export`, because its answer is a file. The core builds the calendar and decides what
it holds; the adapter only attaches the text. The answer is private: a reader imports or subscribes to
it for themselves, and a channel need not see one file per request.
"""

from __future__ import annotations

from typing import Any, Protocol, cast

import discord
from discord import app_commands

from bot.adapters.discord_app.render import clip
from bot.adapters.discord_app.translator import described
from bot.core.catalogue import Catalogue

NAME = "calendar"
DESCRIPTION_LIMIT = 100


class CalendarSender(Protocol):
    """What `/calendar` asks of `interaction.client`."""

    async def send_calendar(self, interaction: discord.Interaction[Any]) -> None: ...


def calendar_command(cat: Catalogue) -> app_commands.Command[Any, ..., None]:
    """`/calendar`, open to everyone who can read the briefing."""

    @app_commands.command(name=app_commands.locale_str(NAME), description=described(clip(cat("help.calendar"), DESCRIPTION_LIMIT), "help.calendar"))
    async def command(interaction: discord.Interaction[Any]) -> None:
        await cast(CalendarSender, interaction.client).send_calendar(interaction)

    return command
