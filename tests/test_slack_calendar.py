"""`/brief calendar` through the real bolt app against the loopback Slack: any reader gets the .ics in a DM."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import icalendar
import pytest

from bot.core.service import BriefingCore
from bot.store.packfile import read_pack
from bot.store.repository import SqliteBriefingRepository
from tests.conftest import BRIEFING_ID
from tests.slack_fake import CHANNEL, USER, slash_payload
from tests.test_sessions import SUMMIT, SUMMIT_ID
from tests.test_slack_admin import arg, slash, uploads
from tests.test_slack_http import Harness, serving_bot, texts


@pytest.fixture
async def harness(repository: SqliteBriefingRepository) -> AsyncIterator[Harness]:
    """A bot with no admins configured: the calendar needs none."""
    async with serving_bot(BriefingCore(repository), workspace_admins=False) as running:
        yield running


async def test_a_reader_gets_the_calendar_in_their_dm_and_a_private_note(harness: Harness) -> None:
    await slash(harness, "calendar", user=USER)
    (answer,) = await harness.slack.wait_for("hook/r1")
    assert answer.body["response_type"] == "ephemeral"
    assert f"{BRIEFING_ID}.ics is in your direct messages" in texts(answer.body)
    (opened,) = harness.slack.calls("conversations.open")
    assert arg(opened, "users") == USER
    (upload,) = uploads(harness)
    uids = {str(e["uid"]) for e in icalendar.Calendar.from_ical(upload.body).walk("VEVENT")}
    assert f"meeting-meeting@{BRIEFING_ID}.briefbot" in uids
    (completed,) = harness.slack.calls("files.completeUploadExternal")
    (shared,) = json.loads(arg(completed, "files"))
    assert harness.slack.shares[shared["id"]] and CHANNEL not in harness.slack.shares[shared["id"]]  # the DM, never the channel


async def test_the_calendar_of_a_briefing_named_in_the_readers_words(harness: Harness, repository: SqliteBriefingRepository) -> None:
    """`/brief calendario informe:…` sent the channel's briefing's calendar, or none: the file commands were matched by
    their English name alone and their options dropped."""
    await repository.save(read_pack(SUMMIT))
    await slash(harness, f"calendario informe:{SUMMIT_ID}", user=USER)
    (answer,) = await harness.slack.wait_for("hook/r1")
    assert f"{SUMMIT_ID}.ics" in texts(answer.body)
    (upload,) = uploads(harness)
    uids = {str(e["uid"]) for e in icalendar.Calendar.from_ical(upload.body).walk("VEVENT")}
    assert uids and all(uid.endswith(f"@{SUMMIT_ID}.briefbot") for uid in uids)


async def test_slacks_own_calendar_command_sends_the_file_too(harness: Harness) -> None:
    """The manifest now lists /calendar: its listener must send the file, not the console's words about one."""
    form = urlencode(slash_payload("/calendar", "", harness.slack.response_url("r1"), user=USER))
    assert (await harness.send(form, "application/x-www-form-urlencoded")).status == 200
    (answer,) = await harness.slack.wait_for("hook/r1")
    assert f"{BRIEFING_ID}.ics is in your direct messages" in texts(answer.body)
    assert len(uploads(harness)) == 1
