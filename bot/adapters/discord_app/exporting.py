"""`/export`: the briefing as a pack file, answered privately; a slash command not built from a spec.

It is added by hand, beside `/import`, because its answer is a file, which a core Reply cannot carry. The
core decides who may export and writes the pack; the adapter only turns the text into an attachment.
"""

from __future__ import annotations

import io
from typing import Any, Protocol, cast

import discord
from discord import app_commands

from bot.adapters.discord_app.importing import megabytes
from bot.adapters.discord_app.render import clip, refusal
from bot.adapters.discord_app.translator import described
from bot.core.catalogue import Catalogue
from bot.core.replies import Reply
from bot.core.service import PackFile

NAME = "export"
DESCRIPTION_LIMIT = 100


class Exporter(Protocol):
    """What `/export` asks of `interaction.client`."""

    async def export_pack(self, interaction: discord.Interaction[Any]) -> None: ...


def export_command(cat: Catalogue) -> app_commands.Command[Any, ..., None]:
    """`/export`; `add_commands` makes it admin-only like the spec-built admin commands."""

    @app_commands.command(name=app_commands.locale_str(NAME), description=described(clip(cat("help.export"), DESCRIPTION_LIMIT), "help.export"))
    async def command(interaction: discord.Interaction[Any]) -> None:
        await cast(Exporter, interaction.client).export_pack(interaction)

    return command


def file_upload(file: PackFile, limit: int, cat: Catalogue, keys: str) -> tuple[Reply, discord.File | None]:
    """A private answer with the file attached, made from bytes in memory; a refusal when Discord would reject the size.

    `keys` names the catalogue entries of the command (`{keys}_title`, `_done`, `_too_large`).
    """
    data = file.text.encode("utf-8")
    if len(data) > limit:
        return refusal(cat, f"{keys}_too_large", file=file.name, size=megabytes(len(data)), limit=megabytes(limit)), None
    reply = Reply(title=cat(f"{keys}_title"), text=cat(f"{keys}_done", file=file.name))
    return reply, discord.File(io.BytesIO(data), filename=file.name)
