"""Opening the PostgreSQL store: one pool, migrated at start, shared by the repository, the digests, the choices and the
keys claimed once."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from bot.store.postgres.changes import listening
from bot.store.postgres.choices import PostgresChoiceStore
from bot.store.postgres.database import connect, migrate
from bot.store.postgres.digests import PostgresDigestStore
from bot.store.postgres.keys import PostgresKeys
from bot.store.postgres.repository import PostgresBriefingRepository


@contextlib.asynccontextmanager
async def open_postgres(
    url: str, pool_size: int,
) -> AsyncIterator[tuple[PostgresBriefingRepository, PostgresDigestStore, PostgresChoiceStore, PostgresKeys]]:
    """Connect to the server at `url` (at most `pool_size` pooled connections, and the listener's), apply pending
    migrations, and close the pool on exit."""
    async with connect(url, pool_size) as pool:
        await migrate(pool)
        async with listening(url) as changes:
            repository = PostgresBriefingRepository(pool, changes)
            yield repository, PostgresDigestStore(pool), PostgresChoiceStore(repository), PostgresKeys(pool)
