"""Discord shards split across processes: `briefbot discord run --shards A-B --shard-count N`.

Two bot processes with disjoint slices run against the loopback Discord on one PostgreSQL store;
each guild's digest goes out once, sent by the process whose slice holds the guild's shard
((guild_id >> 22) % shard_count). Bad slices are refused before anything starts, exit 2.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from bot.adapters.discord_app.digests import DISCORD_MESSAGES_PER_SECOND, discord_pace
from bot.adapters.discord_app.shards import ShardSlice, shard_slice
from bot.core.digest.runner import DigestRunner
from bot.core.digest.sending import Pace
from bot.core.service import BriefingCore
from bot.errors import ConfigError
from bot.store import Store, open_store
from tests.cli_support import as_operator, briefbot
from tests.conftest import BRIEFING_ID, DATA, ROOT, ask, fresh_database
from tests.digest_support import FakeClock, RecordingPlatform
from tests.discord_fake import TOKEN, FakeDiscord
from tests.test_digest_runner import SLOT_BOGOTA, runner_for

SHARDS = 2
GUILDS = [(n << 22) + 4242 for n in range(8)]  # guild n is on shard n % 2
CHANNELS = {guild: str(930_000_000_000_000_000 + n) for n, guild in enumerate(GUILDS)}


def test_a_slice_holds_the_guilds_discord_puts_on_its_shards() -> None:
    chosen = shard_slice("0-3", 8)
    assert chosen == ShardSlice((0, 1, 2, 3), 8)
    assert [chosen.holds(str(n << 22)) for n in range(10)] == [True] * 4 + [False] * 4 + [True] * 2
    assert chosen.holds("")  # subscribed from the command line: shard 0's process sends it
    assert not shard_slice("5", 8).holds("")  # type: ignore[union-attr]
    assert shard_slice(None, None) is None
    assert shard_slice(None, 4) == ShardSlice((0, 1, 2, 3), 4)


@pytest.mark.parametrize(
    ("shards", "count", "message"),
    [
        ("9", 8, "--shards 9: shard ids run from 0 to 7 when --shard-count is 8"),
        ("8", 8, "--shards 8: shard ids run from 0 to 7"),
        ("3-1", 8, "--shards 3-1: the range runs backwards; write 1-3"),
        ("junk", 8, "--shards 'junk': expected one shard id (3) or a range (0-3)"),
        ("0-", 8, "expected one shard id"),
        ("-1", 8, "expected one shard id"),
        ("1", 0, "--shard-count 0: there must be at least one shard"),
        ("1", None, "--shards needs the total number of shards"),
    ],
)
def test_a_slice_that_cannot_be_is_a_config_error(shards: str, count: int | None, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        shard_slice(shards, count)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--shards", "9", "--shard-count", "8"], "briefbot: --shards 9: shard ids run from 0 to 7 when --shard-count is 8"),
        (["--shards", "3-1", "--shard-count", "8"], "briefbot: --shards 3-1: the range runs backwards; write 1-3"),
        (["--shards", "junk", "--shard-count", "8"], "briefbot: --shards 'junk': expected one shard id (3) or a range (0-3)"),
        (["--shards", "0-3"], "briefbot: --shards needs the total number of shards"),
        (["--shards", "0", "--shard-count", "x"], "argument --shard-count: invalid int value: 'x'"),
    ],
)
def test_the_command_line_refuses_a_bad_slice_with_exit_2(tmp_path: Path, options: list[str], message: str) -> None:
    done = briefbot("--db", tmp_path / "db.sqlite3", "discord", "run", *options, env={"DISCORD_TOKEN": TOKEN})
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "db.sqlite3").exists()  # refused before the store was opened


@pytest.fixture
async def url(postgres_server: str | None) -> AsyncIterator[str]:
    """A database of this test's own, migrated and empty."""
    async with fresh_database(postgres_server) as database:
        yield database


async def subscribe_guilds(url: str, now: datetime) -> None:
    """One channel per guild, subscribed yesterday (from the guild, so with its id) to a digest due this minute."""
    async with open_store(url) as store:
        await store.seed(DATA, BRIEFING_ID)
        core = BriefingCore(store.repository, digests=store.digests)
        for guild, channel in CHANNELS.items():
            line = f"subscribe platform:discord channel:{channel} time:{now:%H:%M} tz:UTC alerts:none"
            reply = await ask(core, line, now=now - timedelta(days=1), team_id=str(guild))
            assert reply.kind == "answer", reply.text


async def start_bot(config: Path, url: str, shards: str, folder: Path) -> asyncio.subprocess.Process:
    """`briefbot discord run --shards … --shard-count 2` in a process of its own (its state under `folder`)."""
    folder.mkdir()
    words, env = as_operator(["--config", config, "--db", url], {**os.environ, "DISCORD_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)})
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *words, "discord", "run",
        "--shards", shards, "--shard-count", str(SHARDS), env=env, cwd=str(folder),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def test_two_processes_with_disjoint_slices_send_each_guilds_digest_once_from_its_shard(
    url: str, fake: FakeDiscord, tmp_path: Path
) -> None:
    now = datetime.now(UTC)  # the bots' loops run on the real clock
    await subscribe_guilds(url, now)
    config = tmp_path / "briefbot.yaml"
    config.write_text(
        f"store: {{packs: {DATA}}}\ndefault_briefing: {BRIEFING_ID}\nlog_level: WARNING\n"
        f"discord: {{api_base: '{fake.api_base}', gateway: '{fake.gateway}'}}\n",
        encoding="utf-8",
    )
    bots = [await start_bot(config, url, str(shard), tmp_path / f"shard-{shard}") for shard in range(SHARDS)]
    try:
        deadline = time.monotonic() + 60
        while sum(len(fake.posted.get(c, [])) for c in CHANNELS.values()) < len(CHANNELS):
            assert time.monotonic() < deadline and all(bot.returncode is None for bot in bots), [
                (await bot.communicate())[1].decode()[-2000:] for bot in bots if bot.returncode is not None
            ]
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)  # a second send, had there been one, lands now
        assert sorted(i["shard"] for i in fake.identifies) == [[0, SHARDS], [1, SHARDS]]  # each process its slice
    finally:
        for bot in bots:
            if bot.returncode is None:
                bot.send_signal(signal.SIGTERM)
            await bot.wait()
    assert {c: len(fake.posted.get(c, [])) for c in CHANNELS.values()} == dict.fromkeys(CHANNELS.values(), 1)
    conn = await asyncpg.connect(url)
    try:
        sent = await conn.fetch(
            "SELECT s.team_id, d.owner FROM deliveries AS d JOIN subscriptions AS s ON s.id = d.subscription_id WHERE d.state = 'sent'"
        )
    finally:
        await conn.close()
    pids = {str(bot.pid): shard for shard, bot in enumerate(bots)}
    senders = {int(team): pids[owner.split(":")[2]] for team, owner in sent}
    assert senders == {guild: (guild >> 22) % SHARDS for guild in GUILDS}


async def test_a_claim_abandoned_in_a_guild_is_finished_by_the_process_holding_its_shard(core: BriefingCore, store: Store) -> None:
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    for guild in GUILDS[:2]:  # shards 0 and 1
        reply = await ask(core, f"subscribe platform:discord channel:{CHANNELS[guild]} alerts:none", now=clock.now(), team_id=str(guild))
        assert reply.kind == "answer", reply.text
    clock.set(SLOT_BOGOTA)
    dead = runner_for(core, store, platform, clock, owner="dead")
    for due in await dead.due(clock.now()):  # a process died holding both claims, neither sent
        assert await store.digests.claim(due, "dead", clock.now(), 3) is not None
    clock.set(SLOT_BOGOTA + timedelta(seconds=61))  # past the lease
    runners = [
        DigestRunner(core, store.digests, platform, clock, owner=f"shard-{n}", pace=Pace(clock, None),
                     owns=lambda s, n=n: ShardSlice((n,), SHARDS).holds(s.team_id))
        for n in range(SHARDS)
    ]
    assert (await runners[0].tick()).reconciled == 1
    assert [p.channel for p in platform.posted] == [CHANNELS[GUILDS[0]]]
    assert (await runners[1].tick()).reconciled == 1
    assert [p.channel for p in platform.posted] == [CHANNELS[GUILDS[0]], CHANNELS[GUILDS[1]]]


async def test_a_slice_paces_its_sends_at_its_share_of_the_bots_global_limit() -> None:
    # Discord's global limit is the bot's, not a process's: half the shards may use half of it.
    for shards, seconds in ((None, 1.0), (ShardSlice((0, 1, 2, 3), 8), 2.0)):
        clock = FakeClock(SLOT_BOGOTA)
        pace = discord_pace(clock, shards)
        for n in range(DISCORD_MESSAGES_PER_SECOND + 1):  # one channel each: only the global limit spaces them
            async with pace.turn(f"channel-{n}"):
                pass
        assert (clock.now() - SLOT_BOGOTA).total_seconds() == pytest.approx(seconds, abs=0.001)
