"""A PostgreSQL role with few connections to give: `digest run-once` says so in words, not "failed unexpectedly", and
store.pool_size keeps each process within them (a subprocess on the loopback Slack, a role with a CONNECTION LIMIT)."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from bot.core.catalogue import Catalogue
from tests.conftest import BRIEFING_ID, DATA, require_postgres
from tests.slack_fake import FakeSlack
from tests.test_digest_crash_postgres import subscribed
from tests.test_digest_full_disk import DUE, LEASE, run_once

CHANNELS = [f"C{n:06d}" for n in range(40)]
ROLE = f"briefbot_few_{os.getpid()}"
LIMIT = 3  # the listener and two pooled connections


@pytest.fixture
async def limited(postgres_server: str | None) -> AsyncIterator[str]:
    """The URL of a role allowed LIMIT connections, on a database of the test's own with every channel subscribed."""
    server = require_postgres(postgres_server)
    admin = await asyncpg.connect(server)
    await admin.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD 'few' CONNECTION LIMIT {LIMIT}")
    try:
        async with subscribed(server, [("slack", channel, "T1") for channel in CHANNELS], DUE) as url:
            owner = await asyncpg.connect(url)
            try:
                await owner.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ROLE};"
                                    f" GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
            finally:
                await owner.close()
            yield re.sub(r"://\w+:\w+@", f"://{ROLE}:few@", url)
    finally:
        await admin.execute(f"DROP ROLE IF EXISTS {ROLE}")
        await admin.close()


def _config(path: Path, slack: FakeSlack, store: str = "") -> Path:
    """A settings file for the loopback Slack; `store`: more of the store section."""
    path.write_text(f"store: {{packs: {DATA}{store}}}\ndefault_briefing: {BRIEFING_ID}\nlog_level: WARNING\n"
                    f"slack: {{api_base: '{slack.base_url}'}}\ndigests: {{lease_seconds: {LEASE}}}\n", encoding="utf-8")
    return path


async def test_no_free_connection_is_said_in_words_and_a_smaller_pool_sends_every_digest(limited: str, tmp_path: Path) -> None:
    async with FakeSlack() as slack:
        status, out, log = await asyncio.to_thread(run_once, _config(tmp_path / "ten.yaml", slack), limited, DUE + timedelta(seconds=1))
        assert status == 1 and re.match(r"Slack: \d+ sent, 0 skipped, [1-9]\d* failed", out), out + log
        assert out.splitlines()[1:] == [f"Slack: {Catalogue()('store.no_connections')}"], out + log
        assert "Traceback" not in log and "unexpectedly" not in out + log, log

        # Two pooled connections and the listener: within the role's three, so every digest goes out once.
        smaller = _config(tmp_path / "two.yaml", slack, ", pool_size: 2")
        status, out, log = await asyncio.to_thread(run_once, smaller, limited, DUE + timedelta(seconds=LEASE + 30))
        assert status == 0, out + log
        assert {c: len(slack.messages.get(c, [])) for c in CHANNELS} == dict.fromkeys(CHANNELS, 1)
