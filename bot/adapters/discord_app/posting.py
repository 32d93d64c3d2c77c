"""Whether the bot can post in an interaction's channel, from the permissions Discord sends with every interaction: no API call."""

from __future__ import annotations

from typing import Any

import discord

from bot.core.requests import CannotPost

# What posting a digest (an embed) in a channel takes, by discord.py's names, which are the catalogue's (`posting.<name>`);
# in a thread, Send Messages in Threads stands for Send Messages. Read Message History too: without it, after a crash
# past Discord's nonce window, the digest already posted cannot be found and would be posted a second time.
NEEDED = ("view_channel", "send_messages", "embed_links", "read_message_history")
NEEDED_IN_THREADS = ("view_channel", "send_messages_in_threads", "embed_links", "read_message_history")
# What the invite asks for: both sets, so a thread or forum post can be subscribed as its channel can.
POSTING = discord.Permissions(**dict.fromkeys((*NEEDED, *NEEDED_IN_THREADS), True))


def cannot_post(interaction: discord.Interaction[Any]) -> CannotPost | None:
    """The permissions a digest needs that the bot lacks in this channel, named in the catalogue; None when it has them all,
    or outside a server, where Discord sends no channel permissions of the bot's."""
    if interaction.guild_id is None:
        return None
    have = interaction.app_permissions  # Discord's own resolution of the bot's roles and this channel's overwrites
    if have.administrator:
        return None
    thread = interaction.channel if isinstance(interaction.channel, discord.Thread) else None
    # Only those who may manage threads post in a locked one (archived or not): Discord refuses the bot's digest there.
    if thread is not None and thread.locked and not have.manage_threads:
        return CannotPost("posting.discord_thread_locked")
    needed = NEEDED_IN_THREADS if thread is not None else NEEDED
    missing = tuple(f"posting.{name}" for name in needed if not getattr(have, name))
    return CannotPost("posting.discord_missing", missing=missing) if missing else None
