"""What the Discord tests share: a bot connected to the loopback Discord (the `fake` fixture is in conftest)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.adapters.discord_app.client import BriefbotClient, make_client
from bot.core.service import BriefingCore
from bot.settings import DiscordSettings
from tests.discord_fake import TOKEN, FakeDiscord


@asynccontextmanager
async def connected(
    fake: FakeDiscord, core: BriefingCore, settings: DiscordSettings | None = None, **options: Any
) -> AsyncIterator[BriefbotClient]:
    """A client logged in and connected to the fake until the block ends (a second one is the bot after a restart)."""
    settings = settings or DiscordSettings(api_base=fake.api_base, gateway=fake.gateway)
    client = make_client(core, settings, guild_ready_timeout=0.05, **options)
    identified = len(fake.identifies)
    task = asyncio.create_task(client.start(TOKEN))
    try:
        await fake.wait_identified(identified + 1)
        await asyncio.wait_for(client.wait_until_ready(), 5)
        yield client
    finally:
        await client.close()
        await asyncio.wait_for(task, 5)
