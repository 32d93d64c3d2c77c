"""A long text reaches a Discord reader whole through the real client: over continued fields and further embeds."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.discord_app.client import BriefbotClient
from bot.core.service import BriefingCore
from bot.store.packfile import dump_pack, read_pack_text
from bot.store.repository import SqliteBriefingRepository
from tests.discord_fake import FakeDiscord
from tests.discord_support import connected
from tests.test_discord_adapter import embeds_within_limits

OUTCOME = " ".join(f"Point {n}: both sides agreed on item {n} of the joint declaration." for n in range(1, 60)) + " FINAL-WORDS-HERE."


@pytest.fixture
async def bot(fake: FakeDiscord, repository: SqliteBriefingRepository) -> AsyncIterator[BriefbotClient]:
    briefing = await repository.briefing()
    text = dump_pack(briefing)
    assert "\n  outcome: ''\n" in text
    text = text.replace("\n  outcome: ''\n", f"\n  outcome: '{OUTCOME}'\n", 1).replace("status: scheduled", "status: concluded", 1)
    await repository.save(read_pack_text(text, "long.yaml"))
    async with connected(fake, BriefingCore(repository)) as client:
        yield client


async def test_a_long_meeting_outcome_is_read_whole_over_continued_fields(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """An outcome of 3,800 characters (a pack allows 4,000): all of it, cut only between sentences, none shortened."""
    body = await fake.interact(fake.command("meeting"))
    embeds_within_limits(body["data"])
    fields = [field for embed in body["data"]["embeds"] for field in embed.get("fields", [])]
    outcome = [field["value"] for field in fields if field["name"] in ("Outcome", "Outcome (continued)")]
    assert len(outcome) == 4 and " ".join(outcome) == OUTCOME and all(value.endswith(".") for value in outcome)
    assert "shortened" not in body["data"]["embeds"][-1].get("footer", {}).get("text", "")
