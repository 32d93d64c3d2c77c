"""WAL checkpoints off the request path: a background task on its own connection copies the log back.

A checkpoint fsyncs the database file; left to SQLite it happens inside whichever commit crosses the
threshold, which then takes ~10 ms instead of ~3. Here a PASSIVE checkpoint runs every few seconds on
a separate connection (its own thread), never waiting for readers or writers. Automatic checkpoints
stay on at a high threshold, so the log is still bounded if this task ever stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

from bot.store.database import connect

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 2.0
FALLBACK_PAGES = 10_000  # ≈ 40 MB of log before a commit checkpoints by itself


@contextlib.asynccontextmanager
async def background_checkpoints(path: Path | str, interval: float = INTERVAL_SECONDS) -> AsyncIterator[None]:
    """Checkpoint `path`'s WAL every `interval` seconds until the block exits (nothing in memory)."""
    if str(path) == ":memory:":
        yield
        return
    conn = await connect(path)
    task = asyncio.create_task(_loop(conn, interval), name="wal-checkpoints")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await conn.close()


async def _loop(conn: object, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[attr-defined]
        except sqlite3.Error:
            log.warning("background WAL checkpoint failed; SQLite's own checkpoints still bound the log", exc_info=True)
