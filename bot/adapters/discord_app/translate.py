"""Interaction → core Request: who asked, where, when, in which language. No decisions beyond translation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from bot.adapters.discord_app.importing import NAME as IMPORT
from bot.adapters.discord_app.posting import cannot_post
from bot.core.i18n import language_of
from bot.core.requests import Request


def reader_language(interaction: discord.Interaction[Any]) -> str:
    """The user's own client language, else the server's (a user on an unsupported one), else English."""
    guild = interaction.guild_locale
    return language_of(str(interaction.locale), None if guild is None else str(guild))


def parent_of(interaction: discord.Interaction[Any]) -> str | None:
    """The channel a thread (a forum's post too) was started in: it follows that channel's choices where it made none."""
    channel = interaction.channel
    return str(channel.parent_id) if isinstance(channel, discord.Thread) else None


def request_for(interaction: discord.Interaction[Any], command: str = "", options: Mapping[str, str] | None = None) -> Request:
    """The core request for an interaction; `now` is Discord's own creation time of the interaction."""
    user = interaction.user
    roles = frozenset(str(role.id) for role in getattr(user, "roles", ()) if not role.is_default())
    return Request(
        command=command,
        now=interaction.created_at,
        options=dict(options or {}),
        platform="discord",
        user_id=str(user.id),
        roles=roles,
        channel_id=None if interaction.channel_id is None else str(interaction.channel_id),
        team_id=None if interaction.guild_id is None else str(interaction.guild_id),
        locale=reader_language(interaction),
        platform_admin=interaction.permissions.manage_guild,
        grant_hint="admin.grant.discord",  # a listed role grants it too
        import_hint="import.apply_hint_discord",  # no Apply button here: /import again with the dry run's options
        # The command names the reader's menu shows are their client's, whatever language a channel fixed for answers.
        command_words=language_of(str(interaction.locale), None),
        options_in_fields=True,  # each option is a field of the command's form, never a line to quote
        cannot_post=cannot_post(interaction),  # free: Discord sends the bot's permissions here with every interaction
        parent_id=parent_of(interaction),
        direct=interaction.guild_id is None,  # a DM or group DM: no server, and so no channel of one
        own_commands=(IMPORT,),  # `/import`, a slash command of its own (a file option), which help lists and explains
    )
