"""`/import`: a pack from a YAML attachment, a dry run unless `apply`; a slash command not built from a spec.

It is added by hand because its input is a file, which a core CommandSpec (text options) cannot carry.
The adapter only fetches the file, within a size limit, and hands the text to `core.import_text`, which
checks the permission and the pack and answers; nothing here decides anything about the briefing. The
core's gate is asked first, so a file from someone who may not import is never downloaded.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol, cast

import discord
from discord import app_commands

from bot.adapters.discord_app.translator import described
from bot.core.catalogue import Catalogue
from bot.core.commands import BRIEFING
from bot.core.registry import readers_text
from bot.core.replies import Approval, Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore, error_reply
from bot.core.uploads import refuse_size, unreadable, upload_cap, upload_text
from bot.errors import UserError

log = logging.getLogger(__name__)
NAME = "import"


class Importer(Protocol):
    """What `/import` asks of `interaction.client`."""

    async def import_pack(
        self, interaction: discord.Interaction[Any], file: discord.Attachment, apply: bool, approval: Approval | None, briefing: str | None,
    ) -> None: ...

    async def suggest(self, interaction: discord.Interaction[Any], command: str, option: str, current: str) -> list[app_commands.Choice[str]]: ...


def import_command(cat: Catalogue) -> app_commands.Command[Any, ..., None]:
    """`/import file: apply: briefing:`; `add_commands` makes it admin-only like the spec-built admin commands."""

    limit = upload_cap(cat.locale)

    @app_commands.command(name=app_commands.locale_str(NAME), description=described(cat("discord.import_help"), "discord.import_help"))
    @app_commands.describe(
        file=described(cat("import.file", limit=limit), "import.file", limit=limit),
        apply=described(cat("discord.import_apply"), "discord.import_apply"),
        version=described(cat("discord.import_version"), "discord.import_version"),
        changes=described(cat("discord.import_changes"), "discord.import_changes"),
        discard_edits=described(cat("discord.import_discard_edits"), "discord.import_discard_edits"),
        briefing=described(readers_text(cat, "option.import.briefing"), "option.import.briefing"),
    )
    @app_commands.rename(**{name: app_commands.locale_str(name) for name in ("file", "apply", "version", "changes", "discard_edits", "briefing")})
    async def command(
        interaction: discord.Interaction[Any], file: discord.Attachment, apply: bool = False,
        version: app_commands.Range[int, 0] | None = None, changes: app_commands.Range[str, 1, 64] | None = None,
        discard_edits: bool = False, briefing: app_commands.Range[str, 1, BRIEFING.limit] | None = None,
    ) -> None:
        # The dry run's version and changes together say which diff was seen; one without the other shows it again.
        approval = None if version is None or changes is None else Approval(version, changes, discard_edits)
        await cast(Importer, interaction.client).import_pack(interaction, file, apply, approval, briefing)

    @command.autocomplete("briefing")
    async def briefings(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
        # The briefings `/export` offers: the pack it writes is the one imported back.
        return await cast(Importer, interaction.client).suggest(interaction, "export", "briefing", current)

    return command


async def import_reply(
    core: BriefingCore, request: Request, file: discord.Attachment, apply: bool, cat: Catalogue, approval: Approval | None = None
) -> Reply:
    """Fetch the attachment (never one announced over the cap) and let the core compare or apply it."""
    denied = core.refusal(request)  # the core's one gate, asked before a stranger's file costs a download
    if denied is not None:
        return denied
    name = file.filename[:100]
    try:
        refuse_size(request, name, file.size)
        try:
            data = await file.read()
        except discord.HTTPException as error:
            log.warning("could not fetch attachment %s for an import: HTTP %s", file.id, error.status)
            raise unreadable(request, name) from None
        text = upload_text(request, name, data)  # the size Discord announced may be wrong
    except UserError as error:
        return error_reply(cat, error, request)
    return await core.import_text(request, text, name, apply, approval)
