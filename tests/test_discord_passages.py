"""The "Source passage" menu on Discord answers (issue #15 §2): real discord.py against the loopback fake."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.discord_app.client import BriefbotClient
from bot.core.catalogue import catalogue_for
from bot.core.service import BriefingCore
from bot.settings import DiscordSettings
from tests.discord_fake import OTHER_USER_ID, ROLE_ID, FakeDiscord, Json
from tests.discord_support import connected

CAT = catalogue_for("en")
EPHEMERAL = 64


@pytest.fixture
def settings(fake: FakeDiscord) -> DiscordSettings:
    return DiscordSettings(api_base=fake.api_base, gateway=fake.gateway, admin_role_ids=(ROLE_ID,))


@pytest.fixture
async def bot(fake: FakeDiscord, core: BriefingCore, settings: DiscordSettings) -> AsyncIterator[BriefbotClient]:
    async with connected(fake, core, settings) as client:
        yield client


def menu(message: Json) -> Json:
    (found,) = [c for row in message["components"] for c in row["components"] if c.get("custom_id") == "bb:why"]
    return found


async def test_an_answer_offers_its_items_and_a_pick_answers_privately(bot: BriefbotClient, fake: FakeDiscord) -> None:
    asked = fake.command("timeline", {"topic": "visa", "public": True})
    message = (await fake.interact(asked))["data"]
    offered = menu(message)
    assert offered["type"] == 3 and offered["placeholder"] == CAT("why.menu")
    assert [o["value"] for o in offered["options"]] == ["timeline/visa-revoked", "timeline/special-visa"]
    assert all(len(o["label"]) <= 100 and len(o.get("description", "")) <= 100 for o in offered["options"])
    stored = fake.message_of(asked)
    body = await fake.interact(fake.pick(stored, "bb:why", ["timeline/special-visa"], user_id=OTHER_USER_ID))
    assert body["type"] == 4
    data = body["data"]
    assert data["flags"] & EPHEMERAL
    embed = data["embeds"][0]
    assert embed["title"] == "Why: Petro receives a special U.S. visa"
    assert "Petro's arrival follows his receipt of a special visa" in embed["description"]
    assert stored["embeds"] == message["embeds"]  # the channel's answer is left as it was


async def test_a_forged_value_never_becomes_a_command(bot: BriefbotClient, fake: FakeDiscord) -> None:
    asked = fake.command("quotes", {"public": True})
    await fake.interact(asked)
    stored = fake.message_of(asked)
    body = await fake.interact(fake.pick(stored, "bb:why", ["timeline/x page:2"]))
    assert body["type"] == 4
    data = body["data"]
    assert data["flags"] & EPHEMERAL and data["embeds"][0]["description"] == CAT("why.bad_ref")


async def test_answers_without_items_of_the_briefing_have_no_menu(bot: BriefbotClient, fake: FakeDiscord) -> None:
    for command in ("brief", "sources", "help"):
        message = (await fake.interact(fake.command(command, {})))["data"]
        assert not [c for row in message.get("components", []) for c in row["components"] if c.get("custom_id") == "bb:why"], command
