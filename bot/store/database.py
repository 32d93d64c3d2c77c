"""Opening the SQLite file: pragmas that make it safe to share, and numbered migrations at start."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.errors import StoreError

log = logging.getLogger(__name__)
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every bundled migration, in order; numbers must run 1, 2, 3…"""
    found = []
    for entry in resources.files("bot.store.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    if [number for number, _, _ in found] != list(range(1, len(found) + 1)):
        raise StoreError("migration numbers must run 1, 2, 3… without gaps")
    return found


async def connect(path: Path | str) -> aiosqlite.Connection:
    """Open (creating if needed) the database with WAL, a busy timeout and foreign keys on."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error as error:
        raise StoreError(f"cannot open database {path}: {error}") from error
    return conn


async def migrate(conn: aiosqlite.Connection, target: int | None = None) -> int:
    """Apply every migration above the file's user_version (up to `target`); returns the new version."""
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    current = int(row[0]) if row else 0
    known = migrations()
    if current > len(known):
        raise StoreError(f"database schema {current} is newer than this briefbot ({len(known)}); upgrade briefbot")
    for number, name, sql in known:
        if number <= current or (target is not None and number > target):
            continue
        # One transaction per migration: a failure leaves the previous version intact.
        script = f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
        try:
            await conn.executescript(script)
        except sqlite3.Error as error:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            raise StoreError(f"migration {name} failed: {error}") from error
        current = number
    return current


@contextlib.asynccontextmanager
async def transaction(conn: aiosqlite.Connection, lock: asyncio.Lock, begin: str = "BEGIN IMMEDIATE") -> AsyncIterator[None]:
    """Run the body in one transaction on a shared connection, one at a time; roll back on any exception.

    Coroutines share a connection, and transactions must not interleave on it: the lock queues them.
    """
    async with lock, held_transaction(conn, begin):
        yield


@contextlib.asynccontextmanager
async def held_transaction(conn: aiosqlite.Connection, begin: str = "BEGIN IMMEDIATE") -> AsyncIterator[None]:
    """Run the body in one transaction on a connection the caller already holds alone; roll back on any exception."""
    await conn.execute(begin)
    try:
        yield
    except BaseException:
        await conn.execute("ROLLBACK")
        raise
    await conn.execute("COMMIT")


def connect_probe(path: Path | str) -> sqlite3.Connection | None:
    """A read-only connection for microsecond version checks on the loop thread.

    None (and every read goes through aiosqlite) for an in-memory database or if it cannot open.
    """
    if str(path) == ":memory:":
        return None
    try:
        # as_uri() percent-encodes the path, so '#', '?' or '%' in a folder name stay part of it.
        probe = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
        # Never sleep on the event loop: a busy probe fails at once and the caller uses aiosqlite.
        probe.execute("PRAGMA busy_timeout = 0")
    except sqlite3.Error:
        log.warning("read-only probe unavailable for %s; reads go through aiosqlite", path)
        return None
    return probe
