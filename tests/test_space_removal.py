"""A server or workspace that removes the bot: its subscriptions end and its briefing choices go (Discord's
GUILD_DELETE through the real discord.py, Slack's app_uninstalled and tokens_revoked through the real bolt app, and
`briefbot briefings forget-space` for a space the bot left before it could)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord_app.client import BriefbotClient
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.choosing import Choice
from bot.core.digest.ledger import NewSubscription
from bot.core.digest.model import Due
from bot.store import Store, open_store
from bot.store.choices import BriefingInUse
from tests.briefings_support import OTHER_ID, add_other, chooser_core
from tests.cli_support import briefbot
from tests.conftest import PACK
from tests.discord_fake import CHANNEL_ID, GUILD_ID, USER_ID, FakeDiscord
from tests.discord_support import connected
from tests.slack_fake import BOT_USER, TEAM, USER
from tests.test_slack_briefings import ADMIN, ask
from tests.test_slack_http import Harness, serving_bot, texts

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
ELSEWHERE = "122222222222222222"  # a server (or workspace) that keeps the bot
ELSEWHERE_CHANNEL = "222222222222222222"


async def keeps_the_bot(store: Store, platform: str) -> None:
    """A choice and a subscription of another space, which no removal here may touch."""
    await store.choices.choose(Choice(platform, ELSEWHERE, "", OTHER_ID, "U0THEM", NOW))
    await store.digests.subscribe(NewSubscription(
        platform=platform, channel_id=ELSEWHERE_CHANNEL, team_id=ELSEWHERE, briefing_id=OTHER_ID, time=time(8, 0), zone="UTC",
        quiet=False, alerts=(), created_by="U0THEM", now=NOW, seen_revision=0,
    ))


async def users(store: Store) -> list[tuple[str, str, str, str]]:
    """What still holds the second briefing back from `briefbot briefings remove`: kind, platform, space, channel."""
    with pytest.raises(BriefingInUse) as refused:
        await store.choices.remove(OTHER_ID)
    return sorted(refused.value.users)


ELSEWHERE_ONLY = [("choice", "discord", ELSEWHERE, ""), ("subscription", "discord", "", ELSEWHERE_CHANNEL)]


async def logged(caplog: pytest.LogCaptureFixture, start: str) -> list[str]:
    """The log lines starting with `start`, once there is one (the event is handled in a task of its own)."""
    for _ in range(500):
        found = [record.getMessage() for record in caplog.records if record.getMessage().startswith(start)]
        if found:
            return found
        await asyncio.sleep(0.01)
    raise AssertionError(f"nothing logged starting {start!r}")


@pytest.fixture
async def discord_bot(fake: FakeDiscord, store: Store) -> AsyncIterator[BriefbotClient]:
    await add_other(store)
    core = chooser_core(store, AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}))
    async with connected(fake, core) as client:
        yield client


async def test_a_server_that_removes_the_bot_ends_its_subscriptions_and_forgets_its_choices(
    discord_bot: BriefbotClient, fake: FakeDiscord, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """`briefbot briefings remove` refused for good: "Discord space … (chose it for its channels)", which nobody could change once the bot was gone."""
    caplog.set_level(logging.INFO, logger="bot.core.service")
    await keeps_the_bot(store, "discord")
    for name, options in (("use", {"briefing": OTHER_ID, "for": "space"}), ("use", {"briefing": OTHER_ID}), ("subscribe", {"tz": "UTC"})):
        await fake.interact(fake.command(name, options))  # in the loopback server's #general, by an admin
    held = [("choice", "discord", str(GUILD_ID), str(CHANNEL_ID)), ("choice", "discord", str(GUILD_ID), ""), ("subscription", "discord", "", str(CHANNEL_ID))]
    assert await users(store) == sorted(held + ELSEWHERE_ONLY)

    await fake.push("GUILD_DELETE", {"id": str(GUILD_ID), "unavailable": True})  # an outage: the server comes back
    for _ in range(500):
        guild = discord_bot.get_guild(GUILD_ID)
        if guild is not None and guild.unavailable:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)  # a handler started by the event, were there one, has written by now
    assert await users(store) == sorted(held + ELSEWHERE_ONLY)

    await fake.push("GUILD_DELETE", {"id": str(GUILD_ID)})  # kicked, banned, or the server deleted
    assert await logged(caplog, "left discord") == [f"left discord space {GUILD_ID}: subscriptions ended 1, briefing choices forgotten 2"]
    assert await users(store) == ELSEWHERE_ONLY
    assert await store.choices.chosen("discord", str(GUILD_ID), str(CHANNEL_ID)) == []
    assert [s.channel_id for s in await store.digests.subscriptions("discord")] == [ELSEWHERE_CHANNEL]


@pytest.fixture
async def slack(store: Store) -> AsyncIterator[Harness]:
    await add_other(store)
    core = chooser_core(store, AdminPolicy({"slack": Admins(users=frozenset({ADMIN}))}))
    async with serving_bot(core, workspace_admins=False) as running:
        yield running


def team_event(kind: str, **fields: Any) -> str:
    """An Events API callback of the workspace's, as Slack signs and sends it."""
    return json.dumps({
        "token": "verification-token-unused", "team_id": TEAM, "api_app_id": "A0001", "type": "event_callback",
        "event": {"type": kind, "event_ts": "1700000000.2", **fields}, "event_id": f"Ev{kind}{len(fields)}", "event_time": 1700000000,
    })


@pytest.mark.parametrize("removal", [team_event("app_uninstalled"), team_event("tokens_revoked", tokens={"bot": [BOT_USER]})])
async def test_a_workspace_that_uninstalls_the_bot_ends_its_subscriptions_and_forgets_its_choices(
    slack: Harness, store: Store, caplog: pytest.LogCaptureFixture, removal: str
) -> None:
    caplog.set_level(logging.INFO, logger="bot.core.service")
    await keeps_the_bot(store, "slack")
    assert "now reads" in texts(await ask(slack, f"use briefing:{OTHER_ID} for:space", "C0ONE"))
    assert "now reads" in texts(await ask(slack, f"use briefing:{OTHER_ID}", "C0TWO"))
    assert "gets the digest" in texts(await ask(slack, "subscribe tz:UTC", "C0TWO"))
    held = [("choice", "slack", TEAM, "C0TWO"), ("choice", "slack", TEAM, ""), ("subscription", "slack", "", "C0TWO")]
    kept = [("choice", "slack", ELSEWHERE, ""), ("subscription", "slack", "", ELSEWHERE_CHANNEL)]
    assert await users(store) == sorted(held + kept)

    # A user's token revoked (someone who authorised the app for themselves): the bot is still there.
    assert (await slack.send(team_event("tokens_revoked", tokens={"oauth": [USER]}), "application/json")).status == 200
    await slack.bot.inflight.drain(5)
    assert await users(store) == sorted(held + kept)

    assert (await slack.send(removal, "application/json")).status == 200
    await slack.bot.inflight.drain(5)
    assert await logged(caplog, "left slack") == [f"left slack space {TEAM}: subscriptions ended 1, briefing choices forgotten 2"]
    assert await users(store) == sorted(kept)


async def test_forgetting_a_space_ends_its_subscriptions_as_unsubscribe_does(store: Store) -> None:
    """Kept, marked unsubscribed, an open claim settled: a digest half-sent when the bot left is not taken over and posted."""
    await add_other(store)
    await keeps_the_bot(store, "discord")
    gone = await store.digests.subscribe(NewSubscription(
        platform="discord", channel_id=str(CHANNEL_ID), team_id=str(GUILD_ID), briefing_id=OTHER_ID, time=time(8, 0),
        zone="UTC", quiet=False, alerts=(), created_by=str(USER_ID), now=NOW, seen_revision=0,
    ))
    assert await store.digests.claim(Due(gone, "digest:UTC:2026-02-02", "digest", NOW), "bot-1", NOW, 3) is not None
    assert await store.choices.forget_space("discord", str(GUILD_ID)) == (1, 0)
    assert await store.digests.unconfirmed("discord", datetime(2027, 1, 1, tzinfo=UTC)) == []
    assert [s.channel_id for s in await store.digests.active("discord")] == [ELSEWHERE_CHANNEL]
    assert await store.choices.forget_space("discord", str(GUILD_ID)) == (0, 0)  # nothing more to end


def test_the_operator_forgets_a_space_the_bot_left_before_it_could(tmp_path: Path) -> None:
    """A server that removed the bot before it listened for that still held its briefing; `briefings remove` names the way out."""
    db = tmp_path / "b.sqlite3"
    other = tmp_path / "other.yaml"
    other.write_text(PACK.read_text(encoding="utf-8").replace("id: petro-trump-2026", f"id: {OTHER_ID}", 1), encoding="utf-8")
    assert briefbot("--db", db, "load", PACK).returncode == 0
    assert briefbot("--db", db, "load", other).returncode == 0

    async def chosen_there() -> None:
        async with open_store(db) as store:
            await store.choices.choose(Choice("discord", str(GUILD_ID), "", OTHER_ID, str(USER_ID), NOW))
            await store.choices.choose(Choice("discord", str(GUILD_ID), str(CHANNEL_ID), OTHER_ID, str(USER_ID), NOW))
            await keeps_the_bot(store, "slack")

    asyncio.run(chosen_there())
    refused = briefbot("--db", db, "briefings", "remove", OTHER_ID)
    assert refused.returncode == 1, refused.stderr
    assert f"Discord space {GUILD_ID} (chose it for its channels)" in refused.stderr, refused.stderr
    assert f"Discord channel {CHANNEL_ID} (chose it)" in refused.stderr, refused.stderr
    assert "briefbot briefings forget-space PLATFORM SPACE_ID" in refused.stderr
    forgotten = briefbot("--db", db, "briefings", "forget-space", "discord", str(GUILD_ID))
    assert forgotten.returncode == 0, forgotten.stderr
    assert forgotten.stdout == f"Discord space {GUILD_ID} forgotten: 0 subscriptions ended, 2 briefing choices deleted.\n"
    spanish = briefbot("--db", db, "--locale", "es", "briefings", "forget-space", "slack", ELSEWHERE)
    assert spanish.stdout == f"Espacio {ELSEWHERE} de Slack olvidado: 1 suscripción terminada, 1 elección de informe eliminada.\n"
    removed = briefbot("--db", db, "briefings", "remove", OTHER_ID)
    assert removed.returncode == 0, removed.stderr
