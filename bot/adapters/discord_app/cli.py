"""What `briefbot discord run|sync|invite-url` calls: plain functions, errors as ConfigError for the CLI."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord_app.client import TOKEN, login, make_client, point_at, rejected
from bot.adapters.discord_app.commands import add_commands
from bot.adapters.discord_app.digests import SharedTurns, run_digests
from bot.adapters.discord_app.posting import POSTING
from bot.adapters.discord_app.shards import ShardSlice
from bot.core.digest.ledger import DeliveryLedger
from bot.core.digest.runner import loop_beside
from bot.core.registry import Registry
from bot.core.service import BriefingCore
from bot.errors import ConfigError, TokenRejected
from bot.settings import Settings

log = logging.getLogger(__name__)
STATE_DIR = Path("var")
SCOPES = ("bot", "applications.commands")
# Slash-command answers, followups and their edits are interaction webhooks, which need no channel
# permission. Only the daily digests post as the bot, so the invite asks for exactly what they use:
# see the channel, post embeds in it or in its threads and forum posts, and read its history (after a
# crash, to find out whether a digest already went out before sending it again). Nothing more, so an
# invite never grants more.
PERMISSIONS = POSTING
# The gateway's close code for a token it no longer takes (reset in the developer portal while the bot ran).
REJECTED_CLOSE = 4004


async def run(
    settings: Settings, core: BriefingCore, state_dir: Path = STATE_DIR, ledger: DeliveryLedger | None = None,
    shards: ShardSlice | None = None, shared: SharedTurns | None = None,
) -> None:
    """Register changed commands, then connect and answer until stopped; with a ledger, send the daily digests too.

    With `shards`, only that slice of the shards is connected, and only its guilds' digests are sent;
    `shared`, the store's turns, paces them together with every other process of the bot.
    ConfigError for a missing token; TokenRejected when Discord refuses it, at login or later (gateway close 4004).
    """
    token = settings.secret(TOKEN).reveal()
    client = make_client(core, settings.discord, shards)
    async with client:
        await login(client, token, settings.discord)
        await register(client.tree, client.application_id, settings.discord.dev_guild_id, state_dir)
        digests = run_digests(client, core, ledger, settings.locale, shards, shared) if ledger is not None else None
        async with loop_beside(digests, "discord digest loop"):
            try:
                await client.connect()
            except discord.ConnectionClosed as closed:
                if closed.code != REJECTED_CLOSE:
                    raise
                raise TokenRejected(rejected(f" (the gateway closed with {REJECTED_CLOSE})")) from None


async def sync(
    settings: Settings, registry: Registry, guild_id: int | None = None, state_dir: Path = STATE_DIR, force: bool = False
) -> bool:
    """Register the slash commands (in `guild_id`, else the dev guild, else globally) if they changed; True if sent."""
    token = settings.secret(TOKEN).reveal()
    point_at(settings.discord)
    client = discord.Client(intents=discord.Intents.none())
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    await add_commands(tree, registry.specs)
    async with client:
        await login(client, token, settings.discord)
        return await register(tree, client.application_id, guild_id or settings.discord.dev_guild_id, state_dir, force)


async def register(
    tree: app_commands.CommandTree[Any], application_id: int | None, guild_id: int | None, state_dir: Path, force: bool = False
) -> bool:
    """PUT the command schema only when its hash differs from the last one sent: no rate limits at every start."""
    guild = None if guild_id is None else discord.Object(guild_id)
    if guild is not None:
        tree.copy_global_to(guild=guild)
    commands = tree.get_commands(guild=guild)
    translator = tree.translator
    # The schema as sync sends it, translations included, so a changed translation is registered too.
    payload = [await c.get_translated_payload(tree, translator) if translator else c.to_dict(tree) for c in commands]
    schema = json.dumps(payload, sort_keys=True)
    digest = hashlib.sha256(schema.encode()).hexdigest()
    marker = state_dir / f"discord-commands-{application_id}-{'global' if guild_id is None else guild_id}.sha256"
    if not force and marker.is_file() and marker.read_text(encoding="utf-8").strip() == digest:
        return False
    await tree.sync(guild=guild)
    log.info("registered %d slash commands (%s)", len(tree.get_commands(guild=guild)), "global" if guild_id is None else f"guild {guild_id}")
    _keep_marker(marker, digest)
    return True


def _keep_marker(marker: Path, digest: str) -> None:
    """Remember what was registered; best effort: a read-only or ephemeral folder only costs a registration per start."""
    try:
        # One small folder and file written once at start, before any event is served: blocking costs nothing.
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(digest + "\n", encoding="utf-8")
    except OSError as error:
        log.warning(
            "cannot write %s (%s): the slash commands are registered again at every start, one request each "
            "against Discord's rate limit; give the bot a writable folder there (docs/deploy.md, \"Discord\")",
            marker.parent, error.strerror or type(error).__name__,
        )


async def application_id(settings: Settings) -> int:
    """The bot's application id, asked of Discord with the token, so `invite-url` needs no argument."""
    token = settings.secret(TOKEN).reveal()
    point_at(settings.discord)
    client = discord.Client(intents=discord.Intents.none())
    async with client:
        await login(client, token, settings.discord)
        found = client.application_id
    if found is None:
        raise ConfigError("Discord did not report an application id; pass it: briefbot discord invite-url ID")
    return found


def invite_url(application_id: int) -> str:
    """The OAuth2 URL that adds the bot with its slash commands and the channel permissions the digests use."""
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES)
