"""Connecting to PostgreSQL: a pool that replaces broken connections, and numbered migrations run once.

asyncpg's pool hands out a connection per query or transaction and drops one the server closed, so
after a restart of the server the next command simply opens a new one: the bot reconnects by itself.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import AsyncIterator, Sequence
from importlib import resources
from typing import TYPE_CHECKING

import asyncpg

from bot.errors import ConfigError, DiskFull, NewerSchema, NoConnections, ReadOnlyStore, StoreError, StoreUnreachable
from bot.store import POOL_SIZE
from bot.store.postgres.folding import fold_search_texts
from bot.store.postgres.refusals import refusal, where

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    # What the pool hands out, and every query here runs on.
    Connection = PoolConnectionProxy[asyncpg.Record]

log = logging.getLogger(__name__)

URL_SCHEMES = ("postgresql://", "postgres://")
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# Any 64-bit number no other program on the database is likely to pick: it guards the migrations.
MIGRATION_LOCK = 0x62726965_66626F74  # "briefbot"
# The schema version, and an advisory lock on each key in the array's order (`write_locks`).
_VERSION_AND_LOCKS = """
SELECT (SELECT max(number) FROM schema_migrations), count(pg_advisory_xact_lock(hashtextextended(key, 0)))
FROM unnest($1::text[]) AS key
"""
CONNECT_TIMEOUT = 10.0  # seconds a server may take to answer at start before it is called unreachable
# Errors that mean the server cannot be used right now (gone, restarting, unreachable).
CONNECTION_ERRORS = (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
                     asyncpg.CannotConnectNowError)
# Of those, the errors that mean the server itself cannot be reached (gone, refusing connections, shutting down):
# every command fails alike until it is back, unlike a misuse of a connection (asyncpg's InterfaceError).
_UNREACHABLE = (OSError, asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError, asyncpg.AdminShutdownError)
# A write the server refused to this user or on this server (a standby, a read-only user): the operator's to fix.
_READ_ONLY = (asyncpg.ReadOnlySQLTransactionError, asyncpg.InsufficientPrivilegeError)


def store_failure(error: BaseException, what: str) -> StoreError:
    """A server or connection error as a StoreError naming it (StoreUnreachable when the server cannot be reached);
    a refused write as a ReadOnlyStore, a full disk (SQLSTATE 53100) as a DiskFull and no connection left for the pool
    to open (53300: the role's CONNECTION LIMIT or max_connections) as a NoConnections, said to whoever asked."""
    if isinstance(error, _READ_ONLY):
        failure: StoreError = ReadOnlyStore(what)
    elif isinstance(error, asyncpg.DiskFullError):  # the server rolled the transaction back
        failure = DiskFull(what)
    elif isinstance(error, asyncpg.TooManyConnectionsError):  # refused before any statement ran
        failure = NoConnections(what)
    else:
        kind = StoreUnreachable if isinstance(error, _UNREACHABLE) else StoreError
        failure = kind(f"{what} failed: {type(error).__name__}: {error}")
    failure.__cause__ = error
    return failure


@contextlib.asynccontextmanager
async def pooled(pool: asyncpg.Pool, what: str) -> AsyncIterator[Connection]:
    """A connection of `pool` for a statement or a transaction; a server that is gone or errs becomes a StoreError
    naming `what` (the generic reply, or the user error `store_failure` makes of it)."""
    try:
        async with pool.acquire() as conn:
            yield conn
    except (asyncpg.PostgresError, *CONNECTION_ERRORS) as error:
        raise store_failure(error, what) from error


def is_url(target: object) -> bool:
    """Whether a configured store names a PostgreSQL server rather than a SQLite file."""
    return str(target).startswith(URL_SCHEMES)


# Migrations that SQL alone cannot write: what Python does after the file, in its transaction.
_PYTHON_HALVES = {15: fold_search_texts}


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every bundled migration, in order; numbers must run 1, 2, 3…"""
    found = []
    for entry in resources.files("bot.store.postgres.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    if [number for number, _, _ in found] != list(range(1, len(found) + 1)):
        raise StoreError("migration numbers must run 1, 2, 3… without gaps")
    return found


@contextlib.asynccontextmanager
async def connect(url: str, max_size: int = POOL_SIZE) -> AsyncIterator[asyncpg.Pool]:
    """A pool on the server at `url`; ConfigError with a plain reason when it cannot be reached or refuses us."""
    where(url)  # a port out of range fails in the socket layer with an OverflowError: refuse the URL first, plainly
    logging.getLogger("asyncpg.pool").addFilter(_outage_in_one_line)  # added once however many pools open
    try:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=max_size, timeout=CONNECT_TIMEOUT, reset=_keep_session)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError, ValueError) as error:
        raise ConfigError(refusal(error, url, CONNECT_TIMEOUT)) from error
    try:
        yield pool
    finally:
        await pool.close()


def _outage_in_one_line(record: logging.LogRecord) -> bool:
    """asyncpg's pool retrying its connection floor while the server is down says why in its line, not a traceback a retry.

    asyncpg logs that warning with `exc_info=True` and offers no setting to quiet it; any other error keeps its traceback.
    """
    error = record.exc_info[1] if record.exc_info else None
    if isinstance(error, _UNREACHABLE):
        record.msg, record.args = f"{record.getMessage()}: {type(error).__name__}: {error}", ()
        record.exc_info = record.exc_text = None
    return True


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Nothing to reset when a connection goes back to the pool: asyncpg still rolls back an open transaction.

    Its default query (unlock advisory locks, close cursors, UNLISTEN, RESET ALL) doubles the round
    trips of a statement run on its own, as the digest ledger's claims and results are, and none of it
    applies here: locks and cursors are the transaction's, LISTEN has its own connection (changes.py)
    and no session setting is ever changed.
    """


async def migrate(pool: asyncpg.Pool) -> int:
    """Apply every pending migration in one transaction; the schema version now.

    A database already at this version is left alone before anything is locked or created, so a role that
    may only read and write the tables runs. Otherwise processes starting together queue on an advisory
    lock held by the transaction, so exactly one migrates and the others find the work done.
    """
    known = migrations()
    async with pool.acquire() as conn:
        try:
            if await _schema_version(conn) == len(known):
                return len(known)
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations"
                    " (number integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
                )
                await _apply(conn, known, await _schema_version(conn) or 0)
        except asyncpg.InsufficientPrivilegeError as error:
            user = await conn.fetchval("SELECT current_user")
            raise StoreError(
                f"PostgreSQL refused user {user}: {error.message}. Creating or upgrading briefbot's tables needs the database's"
                f" owner or CREATE on its schema (GRANT CREATE ON SCHEMA public TO {user}); once migrated, SELECT, INSERT,"
                " UPDATE and DELETE on the tables and USAGE on their sequences are enough"
            ) from error
        return len(known)


async def write_locks(conn: Connection, keys: Sequence[str]) -> None:
    """Take a write transaction's advisory locks on `keys` (briefing ids), in order; first in the transaction.

    Refused (NewerSchema) if a newer briefbot has migrated the database since this process started: its rows would
    miss the newer tables (docs/deploy.md "Upgrades"). The shared lock on the migrations waits for one under way,
    which holds it alone, and keeps the next from starting until this transaction ends. The version is read after
    it, in a statement of its own (a statement sees what was committed when it began), with the keys' locks.
    """
    await conn.execute("SELECT pg_advisory_xact_lock_shared($1)", MIGRATION_LOCK)
    found = await conn.fetchval(_VERSION_AND_LOCKS, list(keys))
    if found > known_schema():
        raise NewerSchema(found, known_schema())


@functools.cache
def known_schema() -> int:
    """The schema version this briefbot knows: its last bundled migration's number."""
    return len(migrations())


async def _schema_version(conn: Connection) -> int | None:
    """The last migration applied, 0 for none; None before the migrations table exists. Creates nothing."""
    if await conn.fetchval("SELECT to_regclass('schema_migrations')") is None:
        return None
    return int(await conn.fetchval("SELECT coalesce(max(number), 0) FROM schema_migrations"))


async def _apply(conn: Connection, known: list[tuple[int, str, str]], current: int) -> None:
    """The migrations after `current`, each recorded; a privilege the role lacks is left for `migrate` to explain."""
    if current > len(known):
        raise NewerSchema(current, len(known))
    for number, name, sql in known[current:]:
        try:
            await conn.execute(sql)
            if number in _PYTHON_HALVES:
                await _PYTHON_HALVES[number](conn)
        except asyncpg.InsufficientPrivilegeError:
            raise
        except asyncpg.PostgresError as error:
            raise StoreError(f"migration {name} failed: {error}") from error
        await conn.execute("INSERT INTO schema_migrations (number, name) VALUES ($1, $2)", number, name)
        log.log(logging.DEBUG if current == 0 else logging.INFO, "applied migration %s", name)
    if current == 0 and known:  # a new database: one line, not one per migration of the project's history
        log.info("made a new store (schema %d)", len(known))
