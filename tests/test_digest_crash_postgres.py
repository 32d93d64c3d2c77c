"""Three `digest run-once` processes on one PostgreSQL store, one killed with SIGKILL mid-fan-out, then restarted.

tests/test_digest_crash.py on SQLite, across processes: three run at once, each with a third of
the Discord shards (`--shards n --shard-count 3`: its guilds, sent in turns held in the store), and
share the Slack channels through the ledger; 300 channels in all on the loopback Discord and Slack. One
dies holding claims whose outcome is unknown; the other two finish; restarted with its slice, it
reconciles the dead run's claims after their lease. Every channel holds exactly one digest.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from bot.core.service import BriefingCore
from bot.store import open_store
from tests.cli_support import as_operator
from tests.conftest import BRIEFING_ID, DATA, ROOT, ask, fresh_database
from tests.discord_fake import TOKEN, FakeDiscord
from tests.slack_fake import FakeSlack
from tests.test_digest_crash import LEASE, config

PER_PLATFORM = 150  # 300 channels in all
DUE = datetime(2026, 2, 2, 12, 30, tzinfo=UTC)  # 07:30 in Bogotá
PROCESSES = 3
DISCORD_CHANNELS = [str(940_000_000_000_000_000 + n) for n in range(PER_PLATFORM)]
GUILDS = {channel: (n << 22) + 77 for n, channel in enumerate(DISCORD_CHANNELS)}  # channel n's guild is on shard n % 3
SLACK_CHANNELS = [f"C{n:07d}" for n in range(PER_PLATFORM)]


@asynccontextmanager
async def subscribed(server: str | None, channels: Iterable[tuple[str, str, str]], due: datetime) -> AsyncIterator[str]:
    """A database of a test's own, seeded, with each (platform, channel, team) subscribed the day before its digest is `due`."""
    async with fresh_database(server) as database:
        async with open_store(database) as store:
            await store.seed(DATA, BRIEFING_ID)
            core = BriefingCore(store.repository, digests=store.digests)
            for platform, channel, team in channels:
                line = f"subscribe platform:{platform} channel:{channel} alerts:none"
                reply = await ask(core, line, now=due - timedelta(days=1), team_id=team)
                assert reply.kind == "answer", reply.text
        yield database


@pytest.fixture
async def url(postgres_server: str | None) -> AsyncIterator[str]:
    """Every channel of both platforms subscribed the day before."""
    channels = [("discord", c, str(GUILDS[c])) for c in DISCORD_CHANNELS] + [("slack", c, "T1") for c in SLACK_CHANNELS]
    async with subscribed(postgres_server, channels, DUE) as database:
        yield database


async def run_once(config_path: Path, url: str, now: datetime, shard: int) -> asyncio.subprocess.Process:
    """`briefbot digest run-once` for both platforms (Discord: one shard of three) in a process of its own, on PostgreSQL."""
    env = {**os.environ, "DISCORD_TOKEN": TOKEN, "SLACK_BOT_TOKEN": "xoxb-test", "PYTHONPATH": str(ROOT)}
    words, env = as_operator(["--config", config_path, "--db", url], env)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *words, "digest", "run-once",
        "--now", now.isoformat(), "--platform", "discord", "--platform", "slack",
        "--shards", str(shard), "--shard-count", str(PROCESSES), env=env, cwd=str(ROOT), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def claimed_by(url: str, pid: int, state: str | None = None) -> list[int]:
    """The ledger rows (in one state, or any) of one process, per platform: Discord, Slack."""
    conn = await asyncpg.connect(url)
    try:
        found = dict(await conn.fetch(
            "SELECT split_part(owner, ':', 1), count(*) FROM deliveries WHERE split_part(owner, ':', 3) = $1"
            " AND state = coalesce($2, state) GROUP BY 1", str(pid), state,
        ))
    finally:
        await conn.close()
    return [found.get("discord", 0), found.get("slack", 0)]


async def until_sent(url: str, process: asyncio.subprocess.Process, least: int) -> None:
    """Wait until the process has sent `least` messages on each platform (by the ledger)."""
    deadline = time.monotonic() + 60
    while min(await claimed_by(url, process.pid, state="sent")) < least:
        assert process.returncode is None and time.monotonic() < deadline, "the process ended or stalled before that"
        await asyncio.sleep(0.01)


def counts(discord: FakeDiscord, slack: FakeSlack) -> tuple[int, int]:
    return sum(len(discord.posted.get(c, [])) for c in DISCORD_CHANNELS), sum(len(slack.messages.get(c, [])) for c in SLACK_CHANNELS)


async def test_three_processes_one_killed_mid_fanout_then_restarted_leave_exactly_one_digest_per_channel(url: str, tmp_path: Path) -> None:
    discord = FakeDiscord(global_limit=50, channel_limits=True, post_delay=0.1)
    began = time.monotonic()
    # Message ids follow the bots' clock (run-once --now), so the restarted one's history lookup sees them.
    discord.clock = lambda: DUE + timedelta(seconds=time.monotonic() - began)
    await discord.start()
    try:
        async with FakeSlack(post_delay=0.5) as slack:  # slow enough to be mid-fan-out with Discord
            settings_file = config(tmp_path / "briefbot.yaml", discord, slack)
            # The victim starts first, so a slow start on a busy machine cannot leave it nothing to claim;
            # the others join once it is sending, and all three share the rest of the fan-out.
            victim = await run_once(settings_file, url, DUE + timedelta(seconds=1), 0)
            await until_sent(url, victim, 3)
            others = [await run_once(settings_file, url, DUE + timedelta(seconds=1), shard) for shard in range(1, PROCESSES)]
            await until_sent(url, victim, 10)  # well into its fan-out on both platforms, claims in flight
            victim.send_signal(signal.SIGKILL)
            await victim.wait()
            at_kill = counts(discord, slack)
            assert victim.returncode == -signal.SIGKILL
            assert 0 < at_kill[0] < PER_PLATFORM and 0 < at_kill[1] < PER_PLATFORM, f"not killed mid-fan-out: {at_kill}"
            left_open = await claimed_by(url, victim.pid, state="claimed")
            for other in others:  # the survivors finish everything not left claimed by the dead one
                _, err = await asyncio.wait_for(other.communicate(), 90)
                assert other.returncode == 0, err.decode()[-2000:]

            restarted = await run_once(settings_file, url, DUE + timedelta(seconds=LEASE + 5), 0)
            out, err = await asyncio.wait_for(restarted.communicate(), 90)
            assert restarted.returncode == 0, err.decode()[-2000:]
            reconciled = [int(part.split()[0]) for part in out.decode().split(",") if part.strip().endswith("reconciled")]
            assert reconciled == left_open and min(left_open) > 0, (left_open, out.decode())  # the kill left claims open on both
            last = await run_once(settings_file, url, DUE + timedelta(seconds=LEASE + 30), 0)
            out3, err3 = await asyncio.wait_for(last.communicate(), 60)
            assert last.returncode == 0, err3.decode()[-2000:]

            assert {c: len(discord.posted.get(c, [])) for c in DISCORD_CHANNELS} == dict.fromkeys(DISCORD_CHANNELS, 1)
            assert {c: len(slack.messages.get(c, [])) for c in SLACK_CHANNELS} == dict.fromkeys(SLACK_CHANNELS, 1)
            assert "Discord: 0 sent" in out3.decode() and "Slack: 0 sent" in out3.decode()
    finally:
        await discord.close()
    conn = await asyncpg.connect(url)
    try:
        states = [tuple(row) for row in await conn.fetch("SELECT state, count(*) FROM deliveries GROUP BY state")]
        owners = await conn.fetchval("SELECT count(DISTINCT split_part(owner, ':', 3)) FROM deliveries")
    finally:
        await conn.close()
    assert states == [("sent", 2 * PER_PLATFORM)]
    assert owners >= 3  # the fan-out was shared: the two survivors and the restarted process all finished sends
