"""PostgreSQL migration 003 on a store already in use: subscriptions and the delivery ledger come through."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from bot.store.postgres.database import migrate, migrations
from tests.cli_support import briefbot
from tests.conftest import _SEEDED, fresh_database

_BRIEFING = "INSERT INTO briefings (id, title, summary, venue_zone, venue_label, home_zone, home_label, content_hash," \
    " updated_at) VALUES ($1, 'T', 'S', 'UTC', 'U', 'UTC', 'U', '', '2026-01-01T00:00:00+00:00')"
_SUBSCRIPTION = "INSERT INTO subscriptions (id, platform, channel_id, briefing_id, time, zone, created_by, active_since," \
    " seen_revision) VALUES ($1, 'slack', 'C1', $2, '07:30', 'UTC', 'U1', now(), 7)"


async def test_migration_003_keeps_subscriptions_and_the_ledger_and_lets_a_channel_follow_two(postgres_server: str | None) -> None:
    async with fresh_database(postgres_server, "template0") as url:  # empty: the schema is built below as 002 left it
        conn = await asyncpg.connect(url)
        try:
            # The schema as a store at migration 002 holds it, with a subscription that has sent a digest.
            await conn.execute("CREATE TABLE schema_migrations"
                               " (number integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
            for number, file, sql in migrations()[:2]:
                await conn.execute(sql)
                await conn.execute("INSERT INTO schema_migrations (number, name) VALUES ($1, $2)", number, file)
            for briefing_id in ("a", "b"):
                await conn.execute(_BRIEFING, briefing_id)
            await conn.execute(_SUBSCRIPTION, 1, "a")
            await conn.execute("INSERT INTO deliveries (subscription_id, key, kind, due_at, state, owner, claimed_at)"
                               " VALUES (1, 'digest:2026-01-02', 'digest', now(), 'sent', 'p1', now())")
            pool = await asyncpg.create_pool(url, min_size=1, max_size=1)
            try:
                assert await migrate(pool) == len(migrations())
            finally:
                await pool.close()
            assert await conn.fetchval("SELECT seen_revision FROM subscriptions WHERE id = 1") == 7
            assert await conn.fetchval("SELECT key FROM deliveries WHERE subscription_id = 1") == "digest:UTC:2026-01-02"
            await conn.execute(_SUBSCRIPTION, 2, "b")  # the same channel, another briefing: allowed now
            assert await conn.fetchval("SELECT archived FROM briefings WHERE id = 'a'") is False
            assert await conn.fetchval("SELECT evidence::text FROM briefings WHERE id = 'a'") == "[]"
        finally:
            await conn.close()


ROLE_PASSWORD = "Rp4ssw0rdQ"


@asynccontextmanager
async def plain_role(database_url: str, *grants: str) -> AsyncIterator[str]:
    """A role that may connect to the database and do only what `grants` give it (no CREATE anywhere); its URL."""
    role = f"briefbot_plain_{os.getpid()}"
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{ROLE_PASSWORD}'")
        await conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")  # as PostgreSQL 15 ships it, on any version
        for grant in grants:
            await conn.execute(grant.format(role=role))
        yield re.sub(r"://[^@]*@", f"://{role}:{ROLE_PASSWORD}@", database_url)
    finally:
        await conn.execute(f"DROP OWNED BY {role}")
        await conn.execute(f"DROP ROLE {role}")
        await conn.close()


async def test_a_role_that_may_not_create_is_told_which_grant_it_needs(postgres_server: str | None) -> None:
    async with fresh_database(postgres_server, "template0") as database:  # empty: nothing migrated yet
        async with plain_role(database) as url:
            done = await asyncio.to_thread(briefbot, "--db", url, "ask", "/meeting")
        assert done.returncode == 2, done.stderr
        role = f"briefbot_plain_{os.getpid()}"
        assert done.stderr.strip() == (
            f"briefbot: the database could not be used: PostgreSQL refused user {role}: permission denied for schema public."
            f" Creating or upgrading briefbot's tables needs the database's owner or CREATE on its schema"
            f" (GRANT CREATE ON SCHEMA public TO {role}); once migrated, SELECT, INSERT, UPDATE and DELETE on the tables"
            " and USAGE on their sequences are enough"
        )
        assert ROLE_PASSWORD not in done.stderr


async def test_a_role_that_only_reads_and_writes_runs_on_a_migrated_database(postgres_server: str | None) -> None:
    async with fresh_database(postgres_server, _SEEDED) as database, plain_role(
        database,
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ) as url:
        done = await asyncio.to_thread(briefbot, "--db", url, "ask", "/meeting")
    assert done.returncode == 0, done.stderr
    assert "Where: The White House, Washington" in done.stdout
