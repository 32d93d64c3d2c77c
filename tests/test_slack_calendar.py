"""`/brief calendar` through the real bolt app against the loopback Slack: any reader gets the .ics in a DM."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import icalendar
import pytest

from bot.core.service import BriefingCore
from bot.store.repository import SqliteBriefingRepository
from tests.conftest import BRIEFING_ID
from tests.slack_fake import CHANNEL, USER
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
