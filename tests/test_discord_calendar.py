"""`/calendar` through the real discord.py against the loopback Discord: any reader gets the .ics privately."""

from __future__ import annotations

from collections.abc import AsyncIterator

import icalendar
import pytest

from bot.adapters.discord_app.calendar import calendar_upload
from bot.adapters.discord_app.client import BriefbotClient
from bot.core.catalogue import catalogue_for
from bot.core.service import BriefingCore, PackFile
from bot.store.repository import SqliteBriefingRepository
from tests.conftest import BRIEFING_ID
from tests.discord_fake import OTHER_USER_ID, FakeDiscord
from tests.discord_support import connected

EPHEMERAL = 64
CAT = catalogue_for("en")


@pytest.fixture
async def bot(fake: FakeDiscord, repository: SqliteBriefingRepository) -> AsyncIterator[BriefbotClient]:
    """A bot with no admins configured: `/calendar` needs none."""
    async with connected(fake, BriefingCore(repository)) as client:
        yield client


async def test_a_reader_gets_the_calendar_privately_as_an_ics_attachment(bot: BriefbotClient, fake: FakeDiscord) -> None:
    payload = fake.command("calendar", user_id=OTHER_USER_ID, roles=())
    body = await fake.interact(payload)
    assert body["type"] == 4 and body["data"]["flags"] & EPHEMERAL, body
    assert body["data"]["embeds"][0]["title"] == CAT("discord.calendar_title")
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    (file,) = next(r for r in fake.requests if r.method == "POST" and r.path == path).files
    assert file.filename == f"{BRIEFING_ID}.ics"
    uids = {str(e["uid"]) for e in icalendar.Calendar.from_ical(file.content).walk("VEVENT")}
    assert f"meeting-meeting@{BRIEFING_ID}.briefbot" in uids


def test_a_calendar_larger_than_discord_takes_is_refused_without_a_file() -> None:
    ics = PackFile("big.ics", "x" * 101)
    reply, upload = calendar_upload(ics, 100, CAT)
    assert upload is None and reply.kind == "error" and "big.ics" in reply.text
    assert calendar_upload(ics, 101, CAT)[1] is not None
