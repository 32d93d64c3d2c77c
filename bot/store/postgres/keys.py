"""Keys claimed once among every process on a PostgreSQL store, each until it expires (migration 019's `once_keys`).

A private answer's Post to channel, so a tap that reaches another worker (or this one restarted) posts nothing more:
one statement on a pooled connection, and only on a click. A SQLite file serves one machine, whose process remembers
its posts itself (docs/slack-security.md, "Replays"). Writes record their request's delivery in the same table, in
their own transaction (bot/store/writes.py)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

import asyncpg

from bot.store.postgres.database import pooled

if TYPE_CHECKING:
    from bot.store.postgres.database import Connection

# A key is claimed by inserting it, or by taking over its row once expired (a prune may not have reached it yet): the
# statement returns a row only for the claim that won, whichever process made it.
_CLAIM = """
INSERT INTO once_keys (key, expires) VALUES ($1, $2)
ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE once_keys.expires < $3
RETURNING 1
"""
# Each process deletes expired keys at most once a minute, oldest first and at most PRUNED at a time, so the claim that
# prunes never waits on a large delete: 10,000 a minute is far more than one workspace's clicks.
_PRUNE = "DELETE FROM once_keys WHERE key IN (SELECT key FROM once_keys WHERE expires < $1 ORDER BY expires LIMIT $2)"
PRUNE_EVERY = 60.0
PRUNED = 10_000


class PostgresKeys:
    """The store's keys, each claimed by one process until it expires; every statement is its own transaction."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._prune_at = 0.0  # Unix time of this process's next prune

    async def claim_key(self, key: str, expires: float, now: float) -> bool:
        """True when this call claims `key` until `expires` (Unix time); False while an earlier claim, by any process on
        the database, has not expired. One statement: of two processes claiming at once, the primary key lets one win."""
        async with self._connection() as conn:
            claimed = await conn.fetchval(_CLAIM, key, expires, now)
            if now >= self._prune_at:
                self._prune_at = now + PRUNE_EVERY
                await conn.execute(_PRUNE, now, PRUNED)
        return claimed is not None

    async def release_key(self, key: str) -> None:
        """Let `key` be claimed again: what it guarded did not happen."""
        async with self._connection() as conn:
            await conn.execute("DELETE FROM once_keys WHERE key = $1", key)

    def _connection(self) -> AbstractAsyncContextManager[Connection]:
        """A pooled connection; database and connection errors become StoreError."""
        return pooled(self._pool, "claiming a key")
