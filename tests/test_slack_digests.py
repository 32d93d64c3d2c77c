"""Digests on Slack: the real slack_sdk (and bolt, for subscribe) against a loopback Slack, a simulated clock, a real file.

Every assertion is on what the fake Slack received or holds, and on the ledger's rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_app import digests as slack_digests
from bot.adapters.slack_app.cli import run_http, run_socket_mode
from bot.adapters.slack_app.digests import EVENT_TYPE, GONE, BoundedRateLimitRetryHandler, SlackSender, open_sender, slack_pace
from bot.adapters.slack_app.mrkdwn import entities, escape
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.digest.ledger import NewSubscription
from bot.core.digest.model import DigestSettings, Subscription
from bot.core.digest.runner import DigestRunner, TickReport
from bot.core.digest.sending import Pace
from bot.core.service import BriefingCore
from bot.settings import Settings, SlackSettings
from bot.store import Store, open_store
from tests.conftest import BEFORE, BRIEFING_ID, ask
from tests.digest_support import MORE_THAN_LISTED, FakeClock
from tests.slack_fake import APP_TOKEN, BOT_TOKEN, CHANNEL, SECRET, TEAM, USER, FakeSlack, dm_channel, slash_payload
from tests.test_slack_cli import free_port, running
from tests.test_slack_http import serving_bot

ADMIN = "U0ADMIN"
SLOT = datetime(2026, 2, 1, 12, 30, tzinfo=UTC)  # 07:30 in New York (EST) on 1 February
LEASE = timedelta(seconds=61)  # just past DigestSettings.lease


@pytest.fixture
def core(store: Store) -> BriefingCore:
    return BriefingCore(store.repository, policy=AdminPolicy({"slack": Admins(users=frozenset({ADMIN}))}), digests=store.digests)


def settings_for(slack: FakeSlack, **env: str) -> Settings:
    return Settings(slack=SlackSettings(api_base=slack.base_url), env={"SLACK_BOT_TOKEN": BOT_TOKEN, **env})


@dataclass
class Rig:
    """A loopback Slack whose message timestamps follow the simulated clock, and the sender over it."""

    slack: FakeSlack
    clock: FakeClock
    sender: SlackSender
    pace: Pace
    core: BriefingCore
    store: Store

    def runner(self, owner: str = "one", core: BriefingCore | None = None, store: Store | None = None) -> DigestRunner:
        """A digest loop as one process runs it; another owner (and store) plays a second process."""
        pace = self.pace if owner == "one" else slack_pace(self.clock)
        return DigestRunner(core or self.core, (store or self.store).digests, self.sender, self.clock, owner=owner, pace=pace)

    def posts(self) -> list[dict[str, Any]]:
        """The bodies of every chat.postMessage call, retries included."""
        return [call.body for call in self.slack.calls("chat.postMessage")]


@pytest.fixture
async def rig(core: BriefingCore, store: Store) -> AsyncIterator[Rig]:
    """The sender as `digest run-once` opens it, at BEFORE on the simulated clock."""
    clock = FakeClock(BEFORE)
    async with (
        FakeSlack(clock=lambda: clock.now().timestamp()) as slack,
        open_sender(settings_for(slack), clock) as (sender, pace),
    ):
        yield Rig(slack, clock, sender, pace, core, store)


async def subscribe(store: Store, channel: str = CHANNEL, at: time = time(7, 30), alerts: tuple[str, ...] = ()) -> Subscription:
    """A channel subscribed by ADMIN at BEFORE, for a digest at `at` in New York."""
    return await store.digests.subscribe(
        NewSubscription(
            platform="slack", channel_id=channel, team_id=TEAM, briefing_id=BRIEFING_ID, time=at, zone="America/New_York",
            quiet=False, alerts=alerts, created_by=ADMIN, now=BEFORE, seen_revision=0,
        )
    )


def ledger_rows(store_path: Path) -> list[tuple[str, str, str]]:
    """(key, state, message id) of every delivery, read from the file as another process would."""
    with contextlib.closing(sqlite3.connect(store_path)) as db:
        return [tuple(row) for row in db.execute("SELECT key, state, message_id FROM deliveries ORDER BY id")]


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks", []), ensure_ascii=False) + message.get("text", "")


async def test_only_an_admin_can_subscribe_a_channel_with_a_signed_command(core: BriefingCore, store: Store) -> None:
    async with serving_bot(core, workspace_admins=False) as harness:
        async def slash(user: str, hook: str) -> dict[str, Any]:
            form = urlencode(slash_payload("/brief", "subscribe time:07:30 tz:America/New_York", harness.slack.response_url(hook), user=user))
            assert (await harness.send(form, "application/x-www-form-urlencoded")).status == 200
            (answer,) = await harness.slack.wait_for(f"hook/{hook}")
            return dict(answer.body)

        refused = await slash(USER, "reader")
        assert "subscribe is for briefing admins only" in shown(refused)
        assert await store.digests.subscriptions() == []
        accepted = await slash(ADMIN, "admin")
        assert "This channel gets the digest daily at 07:30 (New York)" in shown(accepted)
        assert accepted["response_type"] == "ephemeral"
    (subscription,) = await store.digests.subscriptions()
    assert (subscription.platform, subscription.channel_id, subscription.team_id) == ("slack", CHANNEL, TEAM)
    assert (subscription.time, subscription.zone, subscription.created_by) == (time(7, 30), "America/New_York", ADMIN)
    assert subscription.active and subscription.active_since == BEFORE


async def test_the_digest_is_posted_once_at_its_minute_with_its_nonce(rig: Rig, store_path: Path) -> None:
    await subscribe(rig.store)
    rig.clock.set(SLOT - timedelta(seconds=1))
    assert (await rig.runner().tick()).sent == 0
    assert rig.posts() == []
    rig.clock.set(SLOT)
    report = await rig.runner().tick()
    assert (report.sent, report.unknown, report.why) == (1, 0, [])
    (message,) = rig.slack.messages[CHANNEL]
    (due,) = await rig.runner().due(SLOT)
    assert message["metadata"] == {"event_type": EVENT_TYPE, "event_payload": {"nonce": due.nonce, "key": "digest:America/New_York:2026-02-01"}}
    assert message["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "Daily digest · 1 February 2026 · Petro in Washington: the White House meeting with Trump"}}
    assert f"ref {due.nonce}" in shown(message)
    assert not any(block["type"] == "actions" for block in message["blocks"])  # no buttons in a channel digest
    assert message["text"].startswith("Daily digest")
    assert ledger_rows(store_path) == [("digest:America/New_York:2026-02-01", "sent", message["ts"])]

    rig.clock.set(SLOT + timedelta(seconds=30))
    assert (await rig.runner().tick()).sent == 0
    async with open_store(store_path) as other:  # a second process on the same file
        other_core = BriefingCore(other.repository, digests=other.digests)
        assert (await rig.runner("two", other_core, other).tick()).sent == 0
        rig.clock.set(SLOT + timedelta(days=1))
        reports = await asyncio.gather(rig.runner().tick(), rig.runner("two", other_core, other).tick())
    assert sorted(r.sent for r in reports) == [0, 1]
    assert [p["metadata"]["event_payload"]["key"] for p in rig.posts()] == ["digest:America/New_York:2026-02-01", "digest:America/New_York:2026-02-02"]


async def test_a_store_restored_from_a_backup_made_before_the_digest_does_not_post_it_again(rig: Rig, store_path: Path, tmp_path: Path) -> None:
    """A restore forgets the sends made after the backup; its late claim looks in the channel first, an on-time one never."""
    await subscribe(rig.store)
    backup = tmp_path / "backup.sqlite3"
    with contextlib.closing(sqlite3.connect(store_path)) as live, contextlib.closing(sqlite3.connect(backup)) as copy:
        live.backup(copy)  # `sqlite3 store .backup backup`, before the digest goes
    rig.clock.set(SLOT)
    assert (await rig.runner().tick()).sent == 1
    assert rig.slack.calls("conversations.history") == []  # on time: no lookup
    rig.clock.set(SLOT + timedelta(minutes=20))  # the operator restores the backup, and the bot starts again
    async with open_store(backup) as restored:
        restored_core = BriefingCore(restored.repository, digests=restored.digests)
        report = await rig.runner("after-restore", restored_core, restored).tick()
    assert (report.sent, report.reconciled) == (1, 1)
    (message,) = rig.slack.messages[CHANNEL]
    assert len(rig.posts()) == 1
    assert ledger_rows(backup) == [("digest:America/New_York:2026-02-01", "sent", message["ts"])]


async def test_the_digest_names_its_zone_by_the_city_in_the_channel_s_language(rig: Rig) -> None:
    """New York's digest says "(Nueva York)" to a Spanish channel and "(New York)" to an English one, as its sessions'
    times name their cities, not "(America/New_York)", whose underscore Slack's mrkdwn needed a token around."""
    await subscribe(rig.store)
    await rig.store.digests.subscribe(
        NewSubscription(
            platform="slack", channel_id="CES", team_id=TEAM, briefing_id=BRIEFING_ID, time=time(7, 30), zone="America/New_York",
            quiet=False, alerts=(), created_by=ADMIN, now=BEFORE, seen_revision=0, language="es",
        )
    )
    rig.clock.set(SLOT)
    assert (await rig.runner().tick()).sent == 2
    (english,), (spanish,) = rig.slack.messages[CHANNEL], rig.slack.messages["CES"]
    assert "Daily at 07:30 (New York) · ref " in shown(english)
    assert "Todos los días a las 07:30 (Nueva York) · ref. " in shown(spanish)
    for message in (english, spanish):
        assert "New_York" not in shown(message) and "<!date^0^" not in shown(message)


async def test_a_digest_with_more_changes_than_it_lists_names_history_as_slack_types_it(rig: Rig) -> None:
    """"…the 10 items changed last are below; history lists every change": the loop's request knew no platform's command
    form, so a Slack channel was told a bare word it cannot type. It names /brief history, and /brief historial in Spanish."""
    await subscribe(rig.store)
    await rig.store.digests.subscribe(
        NewSubscription(
            platform="slack", channel_id="CES", team_id=TEAM, briefing_id=BRIEFING_ID, time=time(7, 30), zone="America/New_York",
            quiet=False, alerts=(), created_by=ADMIN, now=BEFORE, seen_revision=0, language="es",
        )
    )
    for line in MORE_THAN_LISTED:
        assert (await ask(rig.core, line)).kind == "answer"
    rig.clock.set(SLOT)
    assert (await rig.runner().tick()).sent == 2
    (english,), (spanish,) = rig.slack.messages[CHANNEL], rig.slack.messages["CES"]
    assert "the 10 items changed last are below; /brief history lists every change." in shown(english), shown(english)
    assert "abajo están los 10 más recientes; /brief historial los muestra todos." in shown(spanish), shown(spanish)


def read_in_order(message: dict[str, Any]) -> list[str]:
    """Each block's text as a screen reader meets it, top to bottom (a section's fields as one)."""
    read = []
    for block in message["blocks"]:
        if "text" in block:
            read.append(block["text"]["text"])
        elif "fields" in block:
            read.append("\n".join(field["text"] for field in block["fields"]))
        elif block["type"] == "context":
            read.append("\n".join(element["text"] for element in block["elements"]))
    return read


async def test_the_changes_a_digest_counts_are_read_right_after_the_count(rig: Rig) -> None:
    """"3 changes since this channel subscribed:" is followed by the changes, as Discord's description holds them: a
    VoiceOver reader heard the colon, then the status, the times and the timeline, and had to find the list."""
    await subscribe(rig.store)
    for line in ("set kind:person id:pedro-sanchez delegation:no", "set kind:agenda id:white-house date:2026-02-04"):
        assert (await ask(rig.core, line)).kind == "answer"
    rig.clock.set(SLOT)
    assert (await rig.runner().tick()).sent == 1
    (message,) = rig.slack.messages[CHANNEL]
    read = read_in_order(message)
    (count,) = [n for n, text in enumerate(read) if text.endswith("3 changes since this channel subscribed:")]  # with the pack's load
    assert [text.split("\n")[0] for text in read[count + 1 : count + 4]] == [
        "*Agenda: Private meeting with Donald Trump*", "*Person: Pedro Sánchez*", "*The whole briefing*",
    ]
    assert read[count + 4].startswith("*Status · ")  # the fields after them



async def test_the_digest_s_timeline_lines_name_the_event_before_its_topics_with_its_note_and_cite_their_sources(rig: Rig) -> None:
    """"• 31 January – 1 February 2026 · domestic, mobilization: Historic Pact…" read the topics before what happened;
    `timeline` puts the title first, and the digest now does too. A date the source only implies ("over the weekend")
    has its note under it, as in `timeline`, and the message names the source of what it shows: it named none."""
    await subscribe(rig.store)
    rig.clock.set(SLOT)
    assert (await rig.runner().tick()).sent == 1
    (message,) = rig.slack.messages[CHANNEL]
    read = read_in_order(message)
    (latest,) = [text for text in read if text.startswith("*Latest on the timeline*")]
    assert latest.split("\n")[1:4] == [
        "• 31 January – 1 February 2026: Historic Pact makes a call over the weekend (domestic, mobilization)",
        "Note: The source says \"over the weekend\"; dated here to the weekend before its own date, Tuesday 3 February 2026.",
        "• December 2025 – January 2026: Trump suggests strikes; Petro vows to defend sovereignty (military, drugs, sovereignty)",
    ]
    assert read[-2].split("\n") == [
        "*Sources*", "• CubaHeadlines (Joseph Morales), “Gustavo Petro Arrives in Washington for High-Stakes Meeting with Trump: What's at Stake?”, 3 February 2026",
    ]



@pytest.mark.parametrize(("error", "remedy"), [
    ("channel_not_found", "If it is a private channel the app was removed from, invite the app back (/invite in the channel), then run /brief subscribe there"),
    ("not_in_channel", "Once the app is invited back, run /brief subscribe there to resume it."),
    ("is_archived", "Once the channel is unarchived, run /brief subscribe there to resume it."),
])
async def test_a_channel_the_bot_cannot_post_in_pauses_and_the_creator_is_told(rig: Rig, error: str, remedy: str) -> None:
    await subscribe(rig.store, "CGONE")
    rig.slack.channel_errors["CGONE"] = error
    rig.clock.set(SLOT)
    assert (await rig.runner().tick()).paused == 1
    (paused,) = await rig.store.digests.subscriptions("slack")
    assert (paused.active, paused.paused_reason) == (False, GONE[error])
    assert "CGONE" not in rig.slack.messages
    (notice,) = rig.slack.messages[dm_channel(ADMIN)]
    # The channel is named by its mention, which Slack shows as its name and which notifies nobody: in the notification's
    # text and in the blocks, the title a bold section (a header's plain_text would show the mention's code).
    title, body = (block["text"]["text"] for block in notice["blocks"])
    assert title == "*Digest paused for channel <#CGONE>*"
    reason = catalogue_for("en")(GONE[error])
    assert body.startswith(f"briefbot can no longer post in <#CGONE>: {escape(reason)}. Its digest of {BRIEFING_ID} is paused. {remedy}")
    assert notice["text"].startswith(f"Digest paused for channel <#CGONE>\nbriefbot can no longer post in <#CGONE>: {entities(reason)}.")
    # The remedy for the reason, the command as typed in Slack; a deleted channel cannot be subscribed in again: the
    # notice names the operator's command that removes it, as code (not escaped into backquotes shown as characters).
    assert "Add the bot back" not in shown(notice) and "run subscribe" not in shown(notice)
    assert body.endswith(f"have the operator remove the subscription: `briefbot admin unsubscribe platform:slack channel:CGONE briefing:{BRIEFING_ID}`")
    assert "<!date^0^" not in shown(notice)
    assert [p["channel"] for p in rig.posts()] == ["CGONE", ADMIN]
    rig.clock.set(SLOT + timedelta(days=1))
    assert (await rig.runner().tick()).sent == 0
    assert len(rig.posts()) == 2  # paused: not even tried


async def test_a_refused_message_fails_without_pausing(rig: Rig) -> None:
    await subscribe(rig.store, "CBAD")
    rig.slack.channel_errors["CBAD"] = "invalid_blocks"
    rig.clock.set(SLOT)
    report = await rig.runner().tick()
    assert (report.failed, report.paused, report.unknown) == (1, 0, 0)
    (subscription,) = await rig.store.digests.subscriptions("slack")
    assert subscription.active


async def test_a_post_whose_answer_was_lost_is_found_and_never_posted_again(rig: Rig, store_path: Path) -> None:
    await subscribe(rig.store)
    rig.slack.lost_posts = 1
    rig.clock.set(SLOT)
    assert (await rig.runner().tick()).unknown == 1
    assert len(rig.posts()) == 1  # a dropped connection after a POST is never retried
    (message,) = rig.slack.messages[CHANNEL]
    for n in range(150):  # the channel moves on: the digest is on the second page of history
        rig.slack.post(CHANNEL, f"chatter {n}")
    rig.clock.set(SLOT + timedelta(seconds=30))
    assert (await rig.runner("two").tick()).reconciled == 0  # inside the lease: the claim may still be live
    rig.clock.set(SLOT + timedelta(minutes=5))  # restarted a while later: the take-over's time is not the post's
    report = await rig.runner("two").tick()
    assert (report.reconciled, report.sent) == (1, 1)
    assert len(rig.posts()) == 1
    assert ledger_rows(store_path) == [("digest:America/New_York:2026-02-01", "sent", message["ts"])]
    first, second = rig.slack.calls("conversations.history")
    assert first.query["oldest"] == f"{(SLOT - timedelta(minutes=2)).timestamp():.6f}"
    assert (first.query["include_all_metadata"], first.query["channel"], "cursor" in first.query) == ("1", CHANNEL, False)
    assert second.query["cursor"] == "100"


async def test_a_post_an_earlier_version_made_is_found_by_its_nonce_without_the_zone(rig: Rig, store_path: Path) -> None:
    """A digest's nonce now names its zone's day; one posted by an earlier version, whose nonce left the zone out, then
    left claimed by its dying process, is found after the upgrade and not posted again."""
    await subscribe(rig.store)
    rig.clock.set(SLOT)
    (due,) = await rig.runner().due(SLOT)
    assert await rig.store.digests.claim(due, "dead", SLOT, 3) is not None
    earlier = due.nonces[1]
    assert earlier != due.nonce
    ts = rig.slack.post(CHANNEL, "Daily digest", bot_id="B1", metadata={"event_type": EVENT_TYPE, "event_payload": {"nonce": earlier}})
    rig.clock.set(SLOT + LEASE)
    report = await rig.runner("two").tick()
    assert (report.reconciled, report.sent) == (1, 1)
    assert rig.posts() == []
    assert ledger_rows(store_path) == [("digest:America/New_York:2026-02-01", "sent", ts)]


async def test_a_claim_that_never_posted_is_sent_once_after_the_lease(rig: Rig, store_path: Path) -> None:
    await subscribe(rig.store)
    rig.clock.set(SLOT)
    (due,) = await rig.runner().due(SLOT)
    assert await rig.store.digests.claim(due, "dead", SLOT, 3) is not None  # then the process died
    rig.clock.set(SLOT + LEASE)
    report = await rig.runner("two").tick()
    assert (report.reconciled, report.sent) == (1, 1)
    (message,) = rig.slack.messages[CHANNEL]
    assert message["metadata"]["event_payload"]["nonce"] == due.nonce
    assert ledger_rows(store_path) == [("digest:America/New_York:2026-02-01", "sent", message["ts"])]
    assert (await rig.runner("two").tick()).reconciled == 0
    assert len(rig.posts()) == 1


async def test_unreadable_history_leaves_the_claim_open_rather_than_posting_twice(rig: Rig, store_path: Path) -> None:
    await subscribe(rig.store)
    rig.slack.lost_posts = 1
    rig.clock.set(SLOT)
    await rig.runner().tick()
    rig.slack.history_error = "missing_scope"
    rig.clock.set(SLOT + LEASE)
    report = await rig.runner("two").tick()
    assert (report.reconciled, report.sent, report.unknown) == (0, 0, 1)  # not reconciled: still waiting to be confirmed
    assert len(rig.posts()) == 1
    assert ledger_rows(store_path) == [("digest:America/New_York:2026-02-01", "claimed", "")]


async def test_a_rate_limited_post_waits_for_retry_after_and_arrives_once(rig: Rig) -> None:
    # At 11:00 in New York on 2 February the digest and the 24-hour alert fall due in one channel;
    # the simulated clock spaces them without real time passing, so Slack limits the second.
    await subscribe(rig.store, at=time(11, 0), alerts=("24h",))
    rig.slack.channel_gap = 1.0
    rig.clock.set(datetime(2026, 2, 2, 16, 0, tzinfo=UTC))
    report = await rig.runner().tick()
    assert (report.sent, report.failed, report.unknown) == (2, 0, 0)
    keys = sorted(m["metadata"]["event_payload"]["key"] for m in rig.slack.messages[CHANNEL])
    assert keys == ["alert:24h:meeting:2026-02-03T16:00Z", "digest:America/New_York:2026-02-02"]
    calls = rig.slack.calls("chat.postMessage")
    assert len(calls) == 3
    nonce = [c.body["metadata"]["event_payload"]["nonce"] for c in calls]
    limited, retried = (c for c in calls if nonce.count(c.body["metadata"]["event_payload"]["nonce"]) == 2)
    assert retried.at - limited.at >= 1.0


@pytest.mark.parametrize("mode", ["socket", "http"])
async def test_the_running_app_sends_due_digests_and_stops_them_on_exit(core: BriefingCore, store: Store, mode: str) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    await store.digests.subscribe(
        NewSubscription(
            platform="slack", channel_id=CHANNEL, team_id=TEAM, briefing_id=BRIEFING_ID, time=now.time(), zone="UTC",
            quiet=False, alerts=(), created_by=ADMIN, now=now - timedelta(minutes=1), seen_revision=0,
        )
    )
    async with FakeSlack() as slack:
        if mode == "socket":
            work = run_socket_mode(settings_for(slack, SLACK_APP_TOKEN=APP_TOKEN), core, ledger=store.digests)
        else:
            work = run_http(settings_for(slack, SLACK_SIGNING_SECRET=SECRET), core, free_port(), host="127.0.0.1", ledger=store.digests)
        async with running(work):
            (posted,) = await slack.wait_for("chat.postMessage")
            assert posted.body["channel"] == CHANNEL
            assert posted.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
            # Seen while the app runs, so the check below looks for the loop's real name.
            assert len(digest_loops()) == 1
        assert digest_loops() == []


async def test_the_running_apps_digest_post_gives_up_after_its_request_timeout(
    core: BriefingCore, store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    """The app's own session keeps aiohttp's 5 minutes a request; a digest post must give up after HTTP_TIMEOUT, as
    `digest run-once`'s does, or it may still be waiting when its claim's lease ends and another process posts it."""
    monkeypatch.setattr(slack_digests, "HTTP_TIMEOUT", aiohttp.ClientTimeout(total=0.3))
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    await store.digests.subscribe(
        NewSubscription(
            platform="slack", channel_id=CHANNEL, team_id=TEAM, briefing_id=BRIEFING_ID, time=now.time(), zone="UTC",
            quiet=False, alerts=(), created_by=ADMIN, now=now - timedelta(minutes=1), seen_revision=0,
        )
    )
    caplog.set_level(logging.ERROR, logger="bot.core.digest.runner")
    async with FakeSlack(post_delay=5.0) as slack, running(run_socket_mode(settings_for(slack, SLACK_APP_TOKEN=APP_TOKEN), core, ledger=store.digests)):
        await slack.wait_for("chat.postMessage")
        for _ in range(40):  # the answer is 5 s away; the timeout, 0.3 s
            if any("outcome unknown" in record.getMessage() for record in caplog.records):
                break
            await asyncio.sleep(0.05)
        assert any("outcome unknown" in record.getMessage() for record in caplog.records), caplog.text


def digest_loops() -> list[asyncio.Task[object]]:
    """The app's digest loop tasks still alive in this event loop."""
    return [t for t in asyncio.all_tasks() if t.get_name() == "slack digest loop" and not t.done()]


async def test_a_retry_after_longer_than_a_claim_may_wait_fails_the_send_and_the_digest_is_posted_once(rig: Rig, store_path: Path) -> None:
    # Waited out, a Retry-After past the claim's lease lets another process take the claim over, find no message
    # and post it, and then the waiting one posts too. Past MAX_RATE_LIMIT_WAIT the send fails at once instead.
    await subscribe(rig.store)
    rig.slack.rate_limit("chat.postMessage", 61)
    rig.clock.set(SLOT)
    report = await asyncio.wait_for(rig.runner().tick(), 10)  # not 61 s: the 429 is not waited out
    assert (report.sent, report.failed, report.unknown) == (0, 1, 0)
    assert [(why.key, why.params) for why in report.why] == [("digest.rate_limited", {"platform": "Slack", "seconds": 30})]
    assert CHANNEL not in rig.slack.messages
    rig.clock.set(SLOT + timedelta(seconds=90))  # the other process's tick, past the lease the wait would have outlasted
    assert (await rig.runner("two").tick()).sent == 1
    (message,) = rig.slack.messages[CHANNEL]
    assert ledger_rows(store_path) == [("digest:America/New_York:2026-02-01", "sent", message["ts"])]
    assert len(rig.posts()) == 2  # the refused one and the one that posted


async def test_a_send_still_waiting_at_half_its_lease_is_cut_and_the_next_process_posts_it_once(rig: Rig, store_path: Path) -> None:
    # A 4 s Retry-After fits the rate limits' 30 s, yet the send it holds up would outlast a 2 s lease unless cut at 1 s.
    short = DigestSettings(lease=timedelta(seconds=2))
    await subscribe(rig.store)
    rig.slack.rate_limit("chat.postMessage", 4)
    rig.clock.set(SLOT)
    one = DigestRunner(rig.core, rig.store.digests, rig.sender, rig.clock, owner="one", pace=rig.pace, settings=short)
    first = asyncio.create_task(one.tick())
    await asyncio.wait({first}, timeout=2.5)  # cut after 1 s; uncut, it would post at 4 to 5 s
    assert ledger_rows(store_path) == [("digest:America/New_York:2026-02-01", "claimed", "")]
    rig.clock.set(SLOT + short.lease + timedelta(seconds=1))
    async with open_sender(settings_for(rig.slack), rig.clock) as (sender, pace):  # another process, with a session of its own
        two = DigestRunner(rig.core, rig.store.digests, sender, rig.clock, owner="two", pace=pace, settings=short)
        report = await two.tick()
    assert (report.reconciled, report.sent) == (1, 1)
    cut = await first
    await asyncio.sleep(0.1)  # a retry of the cut send would reach the fake now, at the latest
    (message,) = rig.slack.messages[CHANNEL]
    assert ledger_rows(store_path) == [("digest:America/New_York:2026-02-01", "sent", message["ts"])]
    assert len(rig.posts()) == 2  # the one answered 429, never tried again, and the one that posted
    assert (cut.sent, cut.unknown, [(why.key, why.params) for why in cut.why]) == (0, 1, [("digest.send_cut", {"platform": "Slack", "seconds": 1})])
    assert (await rig.runner().tick()) == TickReport()  # nothing is left to send or reconcile
    history = await rig.sender.client.conversations_history(channel=CHANNEL)  # the cut left the first session usable
    assert [m["ts"] for m in history["messages"]] == [message["ts"]]


async def test_a_takeover_whose_lookup_outlasts_half_the_lease_is_cut_and_sends_nothing(rig: Rig, store_path: Path) -> None:
    # A lookup waiting out a 4 s Retry-After would answer "not there" past a 2 s lease, when a third process may
    # already have taken the claim over and posted: cut at 1 s, the claim stays open and nothing is sent.
    short = DigestSettings(lease=timedelta(seconds=2))
    await subscribe(rig.store)
    rig.clock.set(SLOT)
    (due,) = await rig.runner().due(SLOT)
    assert await rig.store.digests.claim(due, "dead", SLOT, 3) is not None  # then the process died
    rig.slack.rate_limit("conversations.history", 4)
    rig.clock.set(SLOT + short.lease + timedelta(seconds=1))
    two = DigestRunner(rig.core, rig.store.digests, rig.sender, rig.clock, owner="two", pace=slack_pace(rig.clock), settings=short)
    report = await asyncio.wait_for(two.tick(), timeout=3)  # cut after 1 s; uncut, it would post at 4 to 5 s
    assert (report.reconciled, report.sent, report.unknown) == (0, 0, 1)
    assert rig.posts() == []
    assert ledger_rows(store_path) == [("digest:America/New_York:2026-02-01", "claimed", "")]
    rig.clock.set(SLOT + 2 * short.lease + timedelta(seconds=2))
    report = await DigestRunner(rig.core, rig.store.digests, rig.sender, rig.clock, owner="three", pace=slack_pace(rig.clock), settings=short).tick()
    assert (report.reconciled, report.sent) == (1, 1)
    assert len(rig.posts()) == 1


async def test_429s_are_waited_out_only_up_to_the_wait_allowed_in_all(rig: Rig) -> None:
    # Two Retry-After: 1 each fit a 30 s cap; a 3 s cap takes the first (1 s and a second of jitter at most), not both.
    client = AsyncWebClient(token=BOT_TOKEN, base_url=rig.slack.base_url, retry_handlers=[BoundedRateLimitRetryHandler(3, 3.0)])
    rig.slack.rate_limit("chat.postMessage", 1, 1)
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel=CHANNEL, text="hello")
    assert refused.value.response.status_code == 429
    assert len(rig.posts()) == 2 and CHANNEL not in rig.slack.messages


@pytest.mark.parametrize(("error", "key", "says"), [
    ("invalid_auth", "digest.slack_token_refused", "Reinstall the app to the workspace and put its new Bot User OAuth Token in SLACK_BOT_TOKEN"),
    ("token_revoked", "digest.slack_token_refused", "Reinstall the app"),
    ("account_inactive", "digest.slack_token_refused", "Reinstall the app"),
    ("missing_scope", "digest.slack_missing_scope", "lacks a permission it needs (chat:write)"),
])
async def test_a_refused_token_fails_every_digest_and_the_tick_says_why_once(
    rig: Rig, caplog: pytest.LogCaptureFixture, error: str, key: str, says: str,
) -> None:
    channels = ("C1", "C2", "C3")
    for channel in channels:
        await subscribe(rig.store, channel)
        rig.slack.channel_errors[channel] = error
    rig.clock.set(SLOT)
    with caplog.at_level(logging.INFO):
        report = await rig.runner().tick()
    assert (report.sent, report.failed, report.paused, [why.key for why in report.why]) == (0, 3, 0, [key])
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith("slack digests: Slack refused") and says in warnings[0], warnings
    assert all(s.active for s in await rig.store.digests.subscriptions("slack"))  # the channels are fine: not paused


async def test_an_unreachable_slack_is_said_once_a_tick_and_only_confirmed_claims_count_as_reconciled(
    rig: Rig, caplog: pytest.LogCaptureFixture,
) -> None:
    channels = ("C1", "C2", "C3")
    for channel in channels:
        await subscribe(rig.store, channel)
    rig.clock.set(SLOT)
    for due in await rig.runner().due(SLOT):
        assert await rig.store.digests.claim(due, "dead", SLOT, 3) is not None  # then the process died
    reachable = rig.sender.client.base_url
    rig.sender.client.base_url = f"http://127.0.0.1:{free_port()}/api/"  # nobody listens: connection refused
    rig.clock.set(SLOT + LEASE)
    with caplog.at_level(logging.INFO):
        report = await rig.runner("two").tick()
    assert (report.reconciled, report.sent, report.unknown) == (0, 0, 3)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        "slack digests: Slack could not be asked whether 3 interrupted digests arrived (unreachable, or it refused the lookup): "
        "they stay waiting to be confirmed and are looked for again after their lease."
    ]
    assert not any(r.exc_info for r in caplog.records if r.levelno >= logging.INFO)  # tracebacks at DEBUG only
    rig.sender.client.base_url = reachable
    rig.clock.set(SLOT + 2 * LEASE)
    report = await rig.runner("two").tick()
    assert (report.reconciled, report.sent, report.unknown) == (3, 3, 0)
    assert {c: len(rig.slack.messages[c]) for c in channels} == dict.fromkeys(channels, 1)


async def test_a_slack_server_error_is_said_in_one_line_and_the_post_is_found_after_the_lease(
    rig: Rig, caplog: pytest.LogCaptureFixture,
) -> None:
    await subscribe(rig.store, "C5XX")
    rig.slack.post_status["C5XX"] = 503  # Slack posted, then failed its answer
    rig.clock.set(SLOT)
    with caplog.at_level(logging.INFO):
        report = await rig.runner().tick()
    assert (report.sent, report.failed, report.unknown) == (0, 0, 1)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == ["slack digests: " + catalogue_for("en")("digest.server_error", platform="Slack")]
    assert not any(r.exc_info for r in warnings)
    del rig.slack.post_status["C5XX"]
    rig.clock.set(SLOT + LEASE)
    report = await rig.runner("two").tick()
    assert (report.reconciled, report.sent) == (1, 1)  # found where it landed, as sent
    assert len(rig.posts()) == 1 and len(rig.slack.messages["C5XX"]) == 1  # never posted twice


async def test_a_subscriber_slack_will_not_take_a_direct_message_from_is_said_not_told_in_one_line(
    rig: Rig, caplog: pytest.LogCaptureFixture,
) -> None:
    await subscribe(rig.store, "CGONE")
    rig.slack.channel_errors["CGONE"] = "channel_not_found"
    rig.slack.channel_errors[dm_channel(ADMIN)] = "user_not_found"
    rig.clock.set(SLOT)
    with caplog.at_level(logging.INFO):
        assert (await rig.runner().tick()).paused == 1
    told = [r.getMessage() for r in caplog.records if "could not be told" in r.getMessage()]
    assert told == [
        "slack channel CGONE paused, but its subscriber could not be told: "
        + catalogue_for("en")("digest.notice_refused", platform="Slack", detail="user_not_found")
    ]
    assert not any(r.exc_info for r in caplog.records if r.levelno >= logging.WARNING)


async def test_a_notice_slack_refuses_for_a_reason_not_the_subscriber_s_is_not_blamed_on_them(
    rig: Rig, caplog: pytest.LogCaptureFixture,
) -> None:
    await subscribe(rig.store, "CGONE")
    rig.slack.channel_errors["CGONE"] = "channel_not_found"
    rig.slack.channel_errors[dm_channel(ADMIN)] = "invalid_blocks"  # ours to fix, not the subscriber's DMs
    rig.clock.set(SLOT)
    with caplog.at_level(logging.INFO):
        assert (await rig.runner().tick()).paused == 1
    assert not [r for r in caplog.records if "could not be told" in r.getMessage()]
    (failed,) = [r for r in caplog.records if r.getMessage().startswith("could not tell the admins")]
    assert failed.exc_info is not None


async def slash_subscribe(harness: Any, line: str, hook: str, **where: str) -> dict[str, Any]:
    """ADMIN's `/brief <line>` through the real bolt app (in #general, or the `channel` and `channel_name` given): the
    answer posted to its response_url."""
    form = urlencode(slash_payload("/brief", line, harness.slack.response_url(hook), user=ADMIN, **where))
    assert (await harness.send(form, "application/x-www-form-urlencoded")).status == 200
    (answer,) = await harness.slack.wait_for(f"hook/{hook}")
    return dict(answer.body)


async def test_subscribe_is_refused_in_a_channel_the_app_was_not_invited_to_until_it_is(core: BriefingCore, store: Store) -> None:
    async with serving_bot(core, workspace_admins=False) as harness:
        harness.slack.channel_errors[CHANNEL] = "not_in_channel"  # a public channel the app is no member of
        harness.slack.bot_name = "newsdesk"  # renamed by the operator: /invite names the bot as Slack knows it
        refused = await slash_subscribe(harness, "subscribe time:07:30 tz:America/New_York", "refused")
        assert "The app is not in this channel, so it cannot post the digest here; nothing was changed." in shown(refused)
        assert "Invite it first with /invite @newsdesk, then run /brief subscribe again." in shown(refused)
        assert refused["response_type"] == "ephemeral" and "This channel gets the digest" not in shown(refused)
        assert await store.digests.subscriptions() == []
        assert [call.body.get("channel") or call.query.get("channel") for call in harness.slack.calls("conversations.info")] == [CHANNEL]

        del harness.slack.channel_errors[CHANNEL]  # /invite @newsdesk
        accepted = await slash_subscribe(harness, "subscribe time:07:30 tz:America/New_York", "invited")
        assert "This channel gets the digest daily at 07:30 (New York)" in shown(accepted)
    (subscription,) = await store.digests.subscriptions()
    assert subscription.channel_id == CHANNEL and subscription.active


async def test_subscribe_in_a_direct_message_is_refused_saying_where_and_unsubscribe_still_ends_one_made_there(
    core: BriefingCore, store: Store
) -> None:
    """`/brief subscribe` typed in the app's DM, or a DM among people, subscribed it: a digest is a channel's."""
    made_before = await subscribe(store, "D0OLD")  # by a version that let a DM subscribe
    async with serving_bot(core, workspace_admins=False) as harness:
        alone = await slash_subscribe(harness, "subscribe time:07:30", "dm", channel=dm_channel(ADMIN), channel_name="directmessage")
        group = await slash_subscribe(harness, "subscribe", "group", channel="C0GROUP", channel_name="mpdm-admin--reader-1")
        ended = await slash_subscribe(harness, "unsubscribe", "old", channel=made_before.channel_id, channel_name="directmessage")
    for refused in (alone, group):
        assert refused["response_type"] == "ephemeral" and "This channel gets the digest" not in shown(refused)
        assert ("A direct message gets no digest; nothing was subscribed. Run /brief subscribe in the channel of a server or "
                "workspace that should get it.") in shown(refused)
    assert "This channel no longer gets the digest or alerts of" in shown(ended), shown(ended)
    assert [s.channel_id for s in await store.digests.subscriptions()] == []


async def test_an_admin_who_reads_spanish_is_told_in_spanish_by_subscribe_s_spanish_name(core: BriefingCore, store: Store) -> None:
    async with serving_bot(core, workspace_admins=False) as harness:
        harness.slack.channel_errors[CHANNEL] = "not_in_channel"
        harness.slack.users[ADMIN] = {"id": ADMIN, "is_admin": False, "locale": "es-ES"}
        spanish = await slash_subscribe(harness, "suscribir hora:07:30", "spanish")
    assert "La app no está en este canal, así que no puede publicar aquí el boletín; no se ha cambiado nada." in shown(spanish)
    assert "Invítala primero con /invite @briefbot y vuelve a ejecutar /brief suscribir." in shown(spanish)
    assert await store.digests.subscriptions() == []


async def test_a_paused_channel_is_not_resumed_before_the_app_is_back_in_it(core: BriefingCore, store: Store) -> None:
    subscription = await subscribe(store)
    await store.digests.pause(subscription, "paused.slack_not_in_channel", BEFORE)
    async with serving_bot(core, workspace_admins=False) as harness:
        harness.slack.channel_errors[CHANNEL] = "channel_not_found"  # a private channel the app was removed from
        refused = await slash_subscribe(harness, "subscribe", "again")
        assert "Invite it first with /invite @briefbot, then run /brief subscribe again." in shown(refused)
    (still,) = await store.digests.subscriptions()
    assert not still.active and still.paused_reason == "paused.slack_not_in_channel"


@pytest.mark.parametrize("failing", ["scope", "network"])
async def test_subscribe_goes_ahead_where_slack_does_not_let_the_app_check(core: BriefingCore, store: Store, failing: str) -> None:
    """An app installed before the manifest asked for channels:read, or a network failing: the check is no answer, and
    subscribing works as before."""
    async with serving_bot(core, workspace_admins=False) as harness:
        if failing == "scope":
            harness.slack.info_error = "missing_scope"
        else:
            harness.slack.dropped.add("conversations.info")
        accepted = await slash_subscribe(harness, "subscribe time:07:30 tz:America/New_York", "unchecked")
        assert "This channel gets the digest daily at 07:30 (New York)" in shown(accepted)
        assert harness.slack.calls("conversations.info")
    (subscription,) = await store.digests.subscriptions()
    assert subscription.active


async def test_only_subscribe_asks_slack_whether_the_app_is_in_the_channel(core: BriefingCore, store: Store) -> None:
    async with serving_bot(core, workspace_admins=False) as harness:
        harness.slack.channel_errors[CHANNEL] = "not_in_channel"
        for number, line in enumerate(("subscriptions", "unsubscribe", "agenda", "meeting")):
            await slash_subscribe(harness, line, f"other{number}")
        assert harness.slack.calls("conversations.info") == []


async def test_a_ten_minute_outage_of_the_token_costs_no_digest_it_is_sent_once_after(rig: Rig, store_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Every channel's digest failed at 07:30, 07:31 and 07:32 and was never tried again (3 attempts, then dropped):
    # that day's digests were lost although the token worked again minutes later, well inside the catch-up window.
    channels = (CHANNEL, "C0SECOND", "C0THIRD")
    for channel in channels:
        await subscribe(rig.store, channel)
        rig.slack.channel_errors[channel] = "invalid_auth"  # the token refused on every call
    sent = []
    with caplog.at_level(logging.WARNING):
        for minute in range(20):
            if minute == 10:
                rig.slack.channel_errors.clear()  # the token works again
            rig.clock.set(SLOT + timedelta(minutes=minute))
            sent.append((await rig.runner().tick()).sent)  # a new runner each minute: a restart changes nothing
    assert sent == [0] * 15 + [3] + [0] * 4  # tried at 0, 1, 3 and 7 min, then at 15: sent then, once
    assert sorted(rig.slack.messages) == sorted(channels) and all(len(rig.slack.messages[c]) == 1 for c in channels)
    assert [state for _, state, _ in ledger_rows(store_path)] == ["sent"] * 3
    assert not [r for r in caplog.records if "last try" in r.getMessage()]


async def test_an_outage_past_the_catch_up_window_gives_the_digest_up_saying_for_how_long(
    rig: Rig, store_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await subscribe(rig.store)
    rig.slack.channel_errors[CHANNEL] = "invalid_auth"
    with caplog.at_level(logging.WARNING):
        for minute in range(0, 6 * 60 + 30, 5):  # a tick every 5 minutes, past the 6-hour window
            rig.clock.set(SLOT + timedelta(minutes=minute, seconds=10))
            await rig.runner().tick()
        rig.slack.channel_errors.clear()
        rig.clock.set(SLOT + timedelta(hours=6, minutes=31))
        assert (await rig.runner().tick()).sent == 0  # late news is not sent
    given_up = [r.getMessage() for r in caplog.records if "last try" in r.getMessage()]
    assert given_up == [
        "slack digests: Some of those digests failed on their last try (11 tries in 305 min since they were due): their "
        "catch-up window ends before the next one, so they are given up and those messages are not sent."
    ]
    assert len(rig.posts()) == 11 and CHANNEL not in rig.slack.messages
    assert ledger_rows(store_path) == [("digest:America/New_York:2026-02-01", "failed", "")]
