"""A `digest run-once` process killed with SIGKILL in the middle of a fan-out, then run again: one digest per channel.

The bot runs in its own process, as in production, against the loopback Discord and Slack served by
this test; the kill leaves claims whose outcome is unknown, which the second run must reconcile.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.service import BriefingCore
from bot.settings import LEAST_LEASE_SECONDS
from bot.store import open_store
from tests.conftest import BRIEFING_ID, DATA, ROOT, ask
from tests.discord_fake import TOKEN, FakeDiscord
from tests.slack_fake import FakeSlack

CHANNELS = 200
DUE = datetime(2026, 2, 2, 12, 30, tzinfo=UTC)  # 07:30 in Bogotá
DISCORD_CHANNELS = [str(910_000_000_000_000_000 + n) for n in range(CHANNELS)]
SLACK_CHANNELS = [f"C{n:06d}" for n in range(CHANNELS)]
LEASE = int(LEAST_LEASE_SECONDS)  # the shortest the settings allow; the runs' --now steps past it


def config(path: Path, discord: FakeDiscord, slack: FakeSlack) -> Path:
    """A settings file that points the bot at the loopback platforms, with the shortest lease allowed."""
    path.write_text(
        f"store: {{packs: {DATA}}}\ndefault_briefing: {BRIEFING_ID}\nlog_level: WARNING\n"
        f"discord: {{api_base: '{discord.api_base}', gateway: '{discord.gateway}'}}\n"
        f"slack: {{api_base: '{slack.base_url}'}}\n"
        f"digests: {{lease_seconds: {LEASE}}}\n",
        encoding="utf-8",
    )
    return path


async def run_once(config_path: Path, db: Path, now: datetime) -> asyncio.subprocess.Process:
    """Start `briefbot digest run-once` for both platforms in a process of its own."""
    env = {**os.environ, "DISCORD_TOKEN": TOKEN, "SLACK_BOT_TOKEN": "xoxb-test", "PYTHONPATH": str(ROOT)}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config_path), "--db", str(db), "digest", "run-once",
        "--now", now.isoformat(), "--platform", "discord", "--platform", "slack",
        env=env, cwd=str(ROOT), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def subscribe_all(db: Path) -> None:
    """200 Discord and 200 Slack channels, subscribed the day before with the defaults (07:30 in the briefing's zone, Washington)."""
    async with open_store(db) as store:
        await store.seed(DATA, BRIEFING_ID)
        core = BriefingCore(store.repository, digests=store.digests)
        for platform, channels in (("discord", DISCORD_CHANNELS), ("slack", SLACK_CHANNELS)):
            for channel in channels:
                reply = await ask(core, f"subscribe platform:{platform} channel:{channel} alerts:none", now=DUE - timedelta(days=1))
                assert reply.kind == "answer", reply.text


def counts(discord: FakeDiscord, slack: FakeSlack) -> tuple[int, int]:
    return sum(len(discord.posted.get(c, [])) for c in DISCORD_CHANNELS), sum(len(slack.messages.get(c, [])) for c in SLACK_CHANNELS)


async def test_sigkill_mid_fanout_then_a_restart_leaves_exactly_one_digest_per_channel(tmp_path: Path):
    db = tmp_path / "briefbot.sqlite3"
    await subscribe_all(db)
    discord = FakeDiscord(global_limit=50, channel_limits=True, post_delay=0.1)
    began = time.monotonic()
    # Message ids follow the bot's clock (run-once --now), so its history lookup after the crash sees them.
    discord.clock = lambda: DUE + timedelta(seconds=time.monotonic() - began)
    await discord.start()
    try:
        async with FakeSlack(post_delay=0.2) as slack:  # slow enough to be mid-fan-out with Discord
            settings_file = config(tmp_path / "briefbot.yaml", discord, slack)
            first = await run_once(settings_file, db, DUE + timedelta(seconds=1))
            deadline = time.monotonic() + 60
            while min(counts(discord, slack)) < 20 and first.returncode is None and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
            first.send_signal(signal.SIGKILL)
            await first.wait()
            at_kill = counts(discord, slack)
            assert first.returncode == -signal.SIGKILL
            assert 0 < at_kill[0] < CHANNELS and 0 < at_kill[1] < CHANNELS, f"not killed mid-fan-out: {at_kill}"
            await asyncio.sleep(0.3)  # posts in flight at the kill land (or not) now

            second = await run_once(settings_file, db, DUE + timedelta(seconds=LEASE + 5))
            out, err = await asyncio.wait_for(second.communicate(), 90)
            assert second.returncode == 0, err.decode()[-2000:]
            reconciled = [int(part.split()[0]) for part in out.decode().split(",") if part.strip().endswith("reconciled")]
            assert all(reconciled) and len(reconciled) == 2, out.decode()  # the kill left claims open on both
            third = await run_once(settings_file, db, DUE + timedelta(seconds=LEASE + 30))
            out3, err3 = await asyncio.wait_for(third.communicate(), 60)
            assert third.returncode == 0, err3.decode()[-2000:]

            assert {c: len(discord.posted.get(c, [])) for c in DISCORD_CHANNELS} == dict.fromkeys(DISCORD_CHANNELS, 1)
            assert {c: len(slack.messages.get(c, [])) for c in SLACK_CHANNELS} == dict.fromkeys(SLACK_CHANNELS, 1)
            assert "Discord: 0 sent" in out3.decode() and "Slack: 0 sent" in out3.decode()
    finally:
        await discord.close()
    with sqlite3.connect(db) as ledger:
        states = ledger.execute("SELECT state, count(*) FROM deliveries GROUP BY state").fetchall()
    assert states == [("sent", 2 * CHANNELS)]
