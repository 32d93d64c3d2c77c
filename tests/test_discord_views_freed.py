"""A sent answer's view is not kept: discord.py stores none, and the view and its items hold no cycle."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator

import discord
import pytest

from bot.adapters.discord_app.client import BriefbotClient
from bot.core.service import BriefingCore
from bot.settings import DiscordSettings
from tests.discord_fake import ROLE_ID, FakeDiscord
from tests.discord_support import connected


@pytest.fixture
async def bot(fake: FakeDiscord, core: BriefingCore) -> AsyncIterator[BriefbotClient]:
    settings = DiscordSettings(api_base=fake.api_base, gateway=fake.gateway, admin_role_ids=(ROLE_ID,))
    async with connected(fake, core, settings) as client:
        yield client


def views() -> list[discord.ui.View]:
    return [o for o in gc.get_objects() if isinstance(o, discord.ui.View)]


@pytest.mark.parametrize("public", [False, True])
async def test_a_sent_view_is_freed_by_reference_counting(bot: BriefbotClient, fake: FakeDiscord, public: bool) -> None:
    """A private answer's view was kept 15 minutes by discord.py, and every view was a cycle only the collector freed."""
    await fake.interact(fake.command("timeline", {"public": public}))  # every lookup built once
    gc.collect()
    gc.disable()
    try:
        message = (await fake.interact(fake.command("timeline", {"public": public})))["data"]
        custom_ids = [c["custom_id"] for row in message["components"] for c in row["components"]]
        assert "bb:why" in custom_ids and any(i.startswith("bb:pg:") for i in custom_ids)  # a menu and page buttons were sent
        assert views() == []
    finally:
        gc.enable()


async def test_a_page_button_of_a_sent_answer_still_turns_the_page(bot: BriefbotClient, fake: FakeDiscord) -> None:
    asked = fake.command("timeline", {"public": True})
    await fake.interact(asked)
    stored = fake.message_of(asked)
    following = next(c["custom_id"] for row in stored["components"] for c in row["components"] if c.get("custom_id", "").endswith("page:2"))
    first_page = stored["embeds"][0]["description"]
    body = await fake.interact(fake.click(stored, following))
    assert body["type"] == 7  # the requester's message turns to the page (matched by the DynamicItem, no stored view)
    assert body["data"]["embeds"][0]["description"] != first_page
