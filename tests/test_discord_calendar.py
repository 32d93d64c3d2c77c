"""`/calendar` through the real discord.py against the loopback Discord: any reader gets the .ics privately, of the
channel's briefing or of the one `briefing:` names."""

from __future__ import annotations

from collections.abc import AsyncIterator

import icalendar
import pytest

from bot.adapters.discord_app.client import BriefbotClient
from bot.adapters.discord_app.files import file_upload
from bot.core.catalogue import catalogue_for
from bot.core.service import BriefingCore, PackFile
from bot.store.packfile import read_pack
from bot.store.repository import SqliteBriefingRepository
from tests.conftest import BRIEFING_ID, ask
from tests.discord_fake import OTHER_USER_ID, FakeDiscord, Json, Recorded
from tests.discord_support import connected
from tests.test_sessions import SUMMIT, SUMMIT_ID

EPHEMERAL = 64
CAT = catalogue_for("en")


@pytest.fixture
async def bot(fake: FakeDiscord, repository: SqliteBriefingRepository) -> AsyncIterator[BriefbotClient]:
    """A bot with no admins configured: `/calendar` needs none."""
    async with connected(fake, BriefingCore(repository)) as client:
        yield client


async def calendar_events(fake: FakeDiscord) -> dict[str, icalendar.Event]:
    """A reader's `/calendar`: the private answer checked, the attached .ics parsed back, its events by UID."""
    payload = fake.command("calendar", user_id=OTHER_USER_ID, roles=())
    body = await fake.interact(payload)
    assert body["type"] == 4 and body["data"]["flags"] & EPHEMERAL, body
    assert body["data"]["embeds"][0]["title"] == CAT("discord.calendar_title")
    (file,) = answer_to(fake, payload).files
    assert file.filename == f"{BRIEFING_ID}.ics"
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(file.content).walk("VEVENT")}


async def test_a_reader_gets_the_calendar_privately_as_an_ics_attachment(bot: BriefbotClient, fake: FakeDiscord) -> None:
    assert f"meeting-meeting@{BRIEFING_ID}.briefbot" in await calendar_events(fake)


async def test_a_removed_item_reaches_the_readers_calendar_as_cancelled_under_its_uid(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    """The answer promises that a newer copy updates the same events: a removed item used to vanish from the file, so
    the calendar that imported it kept it."""
    rally = f"agenda-plaza-bolivar-rally@{BRIEFING_ID}.briefbot"
    before = (await calendar_events(fake))[rally]
    reply = await ask(BriefingCore(repository), "remove kind:agenda id:plaza-bolivar-rally", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    gone = (await calendar_events(fake))[rally]
    assert str(gone["status"]) == "CANCELLED" and int(gone["sequence"]) > int(before["sequence"])


def answer_to(fake: FakeDiscord, payload: Json) -> Recorded:
    """The bot's response to an interaction, with the files it attached."""
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    return next(r for r in fake.requests if r.method == "POST" and r.path == path)


@pytest.mark.parametrize(("locale", "title", "language"), [("en-US", "Calendar", "en"), ("es-ES", "Calendario", "es")])
async def test_a_reader_gets_the_calendar_of_the_briefing_they_name_in_their_language(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository, locale: str, title: str, language: str
) -> None:
    """Discord's /calendar had no `briefing:` (help offered it) and always sent the calendar of the channel's briefing."""
    await repository.save(read_pack(SUMMIT))
    payload = fake.command("calendar", {"briefing": SUMMIT_ID}, user_id=OTHER_USER_ID, roles=(), locale=locale)
    body = await fake.interact(payload)
    assert body["data"]["flags"] & EPHEMERAL and body["data"]["embeds"][0]["title"] == title, body
    (file,) = answer_to(fake, payload).files
    assert file.filename == f"{SUMMIT_ID}.ics"
    events = icalendar.Calendar.from_ical(file.content).walk("VEVENT")
    assert events and all(str(e["uid"]).endswith(f"@{SUMMIT_ID}.briefbot") for e in events)  # none of the channel's briefing
    assert {e["summary"].params["LANGUAGE"] for e in events} == {language}


async def test_an_unknown_briefing_is_refused_as_every_command_refuses_it(bot: BriefbotClient, fake: FakeDiscord) -> None:
    payload = fake.command("calendar", {"briefing": "nope"})
    refused = (await fake.interact(payload))["data"]
    assert refused["flags"] & EPHEMERAL and answer_to(fake, payload).files == ()
    usual = (await fake.interact(fake.command("timeline", {"briefing": "nope"})))["data"]
    assert refused["embeds"] == usual["embeds"] and "“nope”" in refused["embeds"][0]["description"], refused


def test_a_calendar_larger_than_discord_takes_is_refused_without_a_file() -> None:
    limit = 10_485_760  # an interaction's attachment_size_limit, 10 MiB
    ics = PackFile("big.ics", "x" * (limit + 1))
    reply, upload = file_upload(ics, limit, CAT, "discord.calendar", ("", ""))
    assert upload is None and reply.kind == "error"
    # A byte over reads as over: the file's size rounded up, the limit down (not "10.5 MB" both).
    assert reply.text.startswith("The calendar big.ics is 10.49 MB; Discord takes at most 10.48 MB here."), reply.text
    assert file_upload(ics, limit + 1, CAT, "discord.calendar", ("", ""))[1] is not None
