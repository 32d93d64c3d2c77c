"""Processes on one PostgreSQL store pace their Discord sends as one bot: Discord's global limit is the bot's.

Each process's Pace takes its departures in turns held in the database (PostgresDigestStore.shared_turn),
so three processes together keep 48 a second, where three paced alone would send three times that.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.discord_app.digests import DISCORD_MESSAGES_PER_SECOND, discord_pace
from bot.adapters.discord_app.shards import ShardSlice
from bot.core.digest.runner import SystemClock
from bot.core.service import BriefingCore
from bot.store import open_store
from tests.cli_support import briefbot
from tests.conftest import BRIEFING_ID, DATA, ask, fresh_database
from tests.discord_fake import TOKEN, FakeDiscord

PROCESSES = 3
SENDS = 10  # each


@pytest.fixture
async def url(postgres_server: str | None) -> AsyncIterator[str]:
    """A database of this test's own, migrated and empty."""
    async with fresh_database(postgres_server) as database:
        yield database


async def test_processes_sharing_a_store_keep_the_bots_global_rate_together(url: str) -> None:
    departures: list[float] = []
    async with AsyncExitStack() as stack:
        stores = [await stack.enter_async_context(open_store(url)) for _ in range(PROCESSES)]  # one pool each, as processes

        async def fan_out(shard: int) -> None:
            store = stores[shard]
            pace = discord_pace(SystemClock(), ShardSlice((shard,), PROCESSES), store.digests.shared_turn)  # type: ignore[union-attr]
            for n in range(SENDS):
                async with pace.turn(f"{shard}-{n}"):  # a channel each: only the global limit spaces them
                    departures.append(time.monotonic())

        await asyncio.gather(*(fan_out(shard) for shard in range(PROCESSES)))
    gap = 1 / DISCORD_MESSAGES_PER_SECOND
    took = max(departures) - min(departures)
    # Turns in the database: at most the bot's rate, all processes together (alone, each would go at it).
    assert took >= (PROCESSES * SENDS - 1) * gap * 0.9, took


async def test_a_process_sending_alone_may_use_the_bots_whole_rate(url: str) -> None:
    # With turns in the database a slice is not held to its share: while the others are idle (or not yet
    # started), one process sends at the bot's rate, so processes that start apart lose no time.
    departures: list[float] = []
    async with open_store(url) as store:
        pace = discord_pace(SystemClock(), ShardSlice((0,), PROCESSES), store.digests.shared_turn)  # type: ignore[union-attr]
        for n in range(SENDS * 2):
            async with pace.turn(f"channel-{n}"):
                departures.append(time.monotonic())
    gap = 1 / DISCORD_MESSAGES_PER_SECOND
    assert (max(departures) - min(departures)) < (SENDS * 2 - 1) * gap * 2, "held to a third of the rate"


async def test_run_once_on_postgresql_paces_with_the_stores_turns(url: str, tmp_path: Path) -> None:
    # `digest run-once --shards 0 --shard-count 3` alone: its guilds' digests go out at the bot's whole rate
    # (the store's turns), not at a third of it (what a slice without them keeps to).
    due = datetime(2026, 2, 2, 12, 30, tzinfo=UTC)
    channels = [str(950_000_000_000_000_000 + n) for n in range(24)]
    async with open_store(url) as store:
        await store.seed(DATA, BRIEFING_ID)
        core = BriefingCore(store.repository, digests=store.digests)
        for n, channel in enumerate(channels):  # every guild on shard 0 of 3
            reply = await ask(core, f"subscribe platform:discord channel:{channel} alerts:none", now=due - timedelta(days=1),
                              team_id=str((3 * n) << 22))
            assert reply.kind == "answer", reply.text
    arrivals: list[float] = []
    discord = FakeDiscord(global_limit=50)
    discord.clock = lambda: (arrivals.append(time.monotonic()), datetime.now(UTC))[1]
    await discord.start()
    try:
        config = tmp_path / "briefbot.yaml"
        config.write_text(
            f"store: {{packs: {DATA}}}\ndefault_briefing: {BRIEFING_ID}\nlog_level: WARNING\n"
            f"discord: {{api_base: '{discord.api_base}', gateway: '{discord.gateway}'}}\n",
            encoding="utf-8",
        )
        done = await asyncio.to_thread(
            briefbot, "--config", config, "--db", url, "digest", "run-once", "--now", (due + timedelta(seconds=1)).isoformat(),
            "--platform", "discord", "--shards", "0", "--shard-count", str(PROCESSES), env={"DISCORD_TOKEN": TOKEN},
        )
    finally:
        await discord.close()
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Discord: 24 sent" in done.stdout
    gap = 1 / DISCORD_MESSAGES_PER_SECOND
    assert max(arrivals) - min(arrivals) < (len(channels) - 1) * gap * 2, "held to a third of the rate"
