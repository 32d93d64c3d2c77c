"""The SQLite store: one file, migrated at open, holding every briefing. All SQL lives in this package."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

from bot.store.checkpoints import FALLBACK_PAGES, background_checkpoints
from bot.store.database import connect, connect_probe, migrate
from bot.store.digests import SqliteDigestStore
from bot.store.packfile import pack_files, read_pack
from bot.store.repository import SqliteBriefingRepository

if TYPE_CHECKING:
    from bot.store.postgres.digests import PostgresDigestStore
    from bot.store.postgres.repository import PostgresBriefingRepository


class Store:
    """An open, migrated database: the briefing repository and the digest store over it."""

    def __init__(
        self, repository: SqliteBriefingRepository | PostgresBriefingRepository, digests: SqliteDigestStore | PostgresDigestStore
    ) -> None:
        self.repository = repository
        self.digests = digests

    async def load_file(self, path: Path, *, make_default: bool = False) -> tuple[str, bool]:
        """Validate and load one pack file atomically; (briefing id, whether anything changed)."""
        briefing = read_pack(path)
        return briefing.id, await self.repository.save(briefing, make_default=make_default)

    async def seed(self, packs_dir: Path, default_briefing: str | None = None) -> list[str]:
        """On first run (an empty store) load every pack in `packs_dir`; returns the ids loaded."""
        if await self.repository.briefings():
            return []
        loaded = []
        for path in pack_files(packs_dir):
            briefing_id, _ = await self.load_file(path)
            loaded.append(briefing_id)
        if default_briefing and default_briefing in loaded:
            await self.repository.set_default(default_briefing)
        return loaded


@contextlib.asynccontextmanager
async def open_store(path: Path | str) -> AsyncIterator[Store]:
    """Open the database file (or the PostgreSQL server a postgresql:// URL names), apply pending migrations, and close it on exit.

    Digests get a connection of their own: their transactions must not interleave with the
    repository's on one connection, and an in-memory database cannot be shared, so it has none.
    """
    if str(path).startswith(("postgresql://", "postgres://")):
        from bot.store.postgres.store import open_postgres  # only a PostgreSQL store needs asyncpg loaded

        async with open_postgres(str(path)) as (repository, digests):
            yield Store(repository, digests)
        return
    conn = await connect(path)
    digest_conn = None
    probe = None
    try:
        await migrate(conn)
        await conn.execute(f"PRAGMA wal_autocheckpoint = {FALLBACK_PAGES}")
        probe = connect_probe(path)
        digest_conn = conn if str(path) == ":memory:" else await connect(path)
        async with background_checkpoints(path):
            yield Store(SqliteBriefingRepository(conn, probe), SqliteDigestStore(digest_conn))
    finally:
        if probe is not None:
            probe.close()
        if digest_conn is not None and digest_conn is not conn:
            await digest_conn.close()
        await conn.close()
