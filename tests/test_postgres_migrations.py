"""PostgreSQL migration 003 on a store already in use: subscriptions and the delivery ledger come through."""

from __future__ import annotations

import os

import asyncpg

from bot.store.postgres.database import migrate, migrations
from tests.conftest import _database_url, require_postgres

_BRIEFING = "INSERT INTO briefings (id, title, summary, venue_zone, venue_label, home_zone, home_label, content_hash," \
    " updated_at) VALUES ($1, 'T', 'S', 'UTC', 'U', 'UTC', 'U', '', '2026-01-01T00:00:00+00:00')"
_SUBSCRIPTION = "INSERT INTO subscriptions (id, platform, channel_id, briefing_id, time, zone, created_by, active_since," \
    " seen_revision) VALUES ($1, 'slack', 'C1', $2, '07:30', 'UTC', 'U1', now(), 7)"


async def test_migration_003_keeps_subscriptions_and_the_ledger_and_lets_a_channel_follow_two(postgres_server: str | None) -> None:
    server = require_postgres(postgres_server)
    name = f"briefbot_migrate_{os.getpid()}"
    admin = await asyncpg.connect(server)
    await admin.execute(f"CREATE DATABASE {name} TEMPLATE template0")
    try:
        conn = await asyncpg.connect(_database_url(server, name))
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
            pool = await asyncpg.create_pool(_database_url(server, name), min_size=1, max_size=1)
            try:
                assert await migrate(pool) == len(migrations())
            finally:
                await pool.close()
            assert await conn.fetchval("SELECT seen_revision FROM subscriptions WHERE id = 1") == 7
            assert await conn.fetchval("SELECT key FROM deliveries WHERE subscription_id = 1") == "digest:2026-01-02"
            await conn.execute(_SUBSCRIPTION, 2, "b")  # the same channel, another briefing: allowed now
            assert await conn.fetchval("SELECT archived FROM briefings WHERE id = 'a'") is False
            assert await conn.fetchval("SELECT evidence::text FROM briefings WHERE id = 'a'") == "[]"
        finally:
            await conn.close()
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()
