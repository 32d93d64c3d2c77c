"""`digest run-once` when the store's disk fills mid-fan-out: what went out unrecorded is unconfirmed, the rest failed,
one line says why, and the next run leaves exactly one digest per channel (a subprocess on the loopback Slack)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from bot.core.catalogue import Catalogue
from bot.settings import LEAST_LEASE_SECONDS
from tests.cli_support import briefbot
from tests.conftest import BRIEFING_ID, DATA
from tests.slack_fake import FakeSlack
from tests.test_digest_crash_postgres import subscribed

DUE = datetime(2026, 2, 2, 12, 30, tzinfo=UTC)  # 07:30 in Washington, the digests' default slot
CHANNELS = [f"C{n:06d}" for n in range(12)]
UNRECORDED, UNCLAIMED = CHANNELS[:3], CHANNELS[3:8]  # their send recorded, their claim taken, on a full disk
LEASE = int(LEAST_LEASE_SECONDS)  # the shortest the settings allow; the runs' --now steps past it
# The server's own refusal when its disk is full (SQLSTATE 53100), raised by the ledger's writes for those channels.
FULL_FOR = """
CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'INSERT' OR NEW.state = 'sent')
     AND (SELECT channel_id FROM subscriptions WHERE id = NEW.subscription_id) = ANY(TG_ARGV[0]::text[]) THEN
    RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER full_sent BEFORE UPDATE ON deliveries FOR EACH ROW EXECUTE FUNCTION disk_full('{unrecorded}');
CREATE TRIGGER full_claim BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION disk_full('{unclaimed}');
"""


@pytest.fixture
async def url(postgres_server: str | None) -> AsyncIterator[str]:
    """Every channel subscribed the day before."""
    async with subscribed(postgres_server, [("slack", channel, "T1") for channel in CHANNELS], DUE) as database:
        yield database


def run_once(config: Path, url: str, now: datetime) -> tuple[int, str, str]:
    """`briefbot digest run-once` for Slack at `now`: its exit status, output and log."""
    done = briefbot("--config", config, "--db", url, "digest", "run-once", "--now", now.isoformat(), "--platform", "slack",
                    env={"SLACK_BOT_TOKEN": "xoxb-test", "DISCORD_TOKEN": ""})
    return done.returncode, done.stdout, done.stderr


async def test_a_full_disk_mid_fanout_counts_unrecorded_sends_as_unconfirmed_and_says_why(url: str, tmp_path: Path) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(FULL_FOR.format(unrecorded="{" + ",".join(UNRECORDED) + "}", unclaimed="{" + ",".join(UNCLAIMED) + "}"))
        async with FakeSlack() as slack:
            config = tmp_path / "briefbot.yaml"
            config.write_text(f"store: {{packs: {DATA}}}\ndefault_briefing: {BRIEFING_ID}\nlog_level: WARNING\n"
                              f"slack: {{api_base: '{slack.base_url}'}}\ndigests: {{lease_seconds: {LEASE}}}\n", encoding="utf-8")
            status, out, log = await asyncio.to_thread(run_once, config, url, DUE + timedelta(seconds=1))
            went = len(CHANNELS) - len(UNCLAIMED)
            assert (status, out) == (1, f"Slack: {went - len(UNRECORDED)} sent, 0 skipped, {len(UNCLAIMED)} failed, 0 paused, "
                                        f"0 reconciled, {len(UNRECORDED)} unconfirmed\nSlack: {Catalogue()('digest.disk_full')}\n"), out + log
            assert "Traceback" not in log and log.count("the disk that holds the database is full") == 1, log  # once, not per send
            assert sorted(c for c in CHANNELS if slack.messages.get(c)) == sorted(set(CHANNELS) - set(UNCLAIMED))

            await conn.execute("DROP TRIGGER full_sent ON deliveries; DROP TRIGGER full_claim ON deliveries")  # room again
            status, out, log = await asyncio.to_thread(run_once, config, url, DUE + timedelta(seconds=LEASE + 30))
            assert (status, out) == (0, f"Slack: {len(UNCLAIMED) + len(UNRECORDED)} sent, 0 skipped, 0 failed, 0 paused, {len(UNRECORDED)} reconciled, "
                                        "0 unconfirmed\n"), out + log
            # The unrecorded sends were found, not sent again; the unclaimed ones went out now: one digest each.
            assert {c: len(slack.messages.get(c, [])) for c in CHANNELS} == dict.fromkeys(CHANNELS, 1)
        assert [tuple(row) for row in await conn.fetch("SELECT state, count(*) FROM deliveries GROUP BY state")] == [("sent", len(CHANNELS))]
    finally:
        await conn.close()
