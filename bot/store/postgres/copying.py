"""`briefbot store copy SRC DST`: every row of a store, ids and all, from SQLite to PostgreSQL or back.

Rows are copied as they are stored (briefings with their versions, default, archived flag and
evidence, the spaces' and channels' briefing choices, the revision log with its numbers and the items each load changed,
subscriptions, the delivery ledger), so the copy answers, undoes and sends exactly as
the original would. Only the representation changes: PostgreSQL's timestamptz and boolean columns
are SQLite's ISO text and 0/1, written the way each store writes them itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from bot.errors import ConfigError, DamagedStore, DiskFull, NewerSchema, StoreError
from bot.store import open_store
from bot.store.database import migration_files, store_error
from bot.store.fulltext import keyed
from bot.store.postgres.database import connect, is_url, migrate
from bot.store.rows import ITEM_COLUMNS, KIND_NUMBERS, scope

# Tables in foreign-key order, with the columns both stores hold.
TABLES: dict[str, tuple[str, ...]] = {
    "briefings": ("id", "title", "summary", "zones", "content_hash",
                  "updated_at", "is_default", "version", "archived", "evidence", "language", "translations",
                  "search_translations", "pack_folder"),
    "briefing_choices": ("platform", "space_id", "channel_id", "briefing_id", "chosen_by", "chosen_at", "language"),
    "sides": ("briefing_id", "id", "position", "label", "also"),
    "items": ITEM_COLUMNS,
    "revisions": ("id", "briefing_id", "kind", "item_id", "action", "actor", "platform", "at", "before", "after", "source",
                  "note", "undoes"),
    "revision_items": ("briefing_id", "kind", "item_id", "revision_id"),
    "subscriptions": ("id", "platform", "channel_id", "team_id", "briefing_id", "time", "zone", "quiet", "alerts", "active",
                      "paused_reason", "created_by", "active_since", "seen_revision", "language", "unsubscribed"),
    "deliveries": ("id", "subscription_id", "key", "kind", "due_at", "state", "owner", "claimed_at", "attempts",
                   "covers_revision", "message_id", "finished_at", "error"),
}
BOOLEANS = {("briefings", "is_default"), ("briefings", "archived"), ("subscriptions", "quiet"), ("subscriptions", "active"),
            ("subscriptions", "unsubscribed")}
# Revision and choice times are kept to the second; the ledger's to the microsecond (see bot/store/digests.py).
INSTANTS = {("revisions", "at"): "seconds", ("briefing_choices", "chosen_at"): "seconds", ("subscriptions", "active_since"): "microseconds",
            ("deliveries", "due_at"): "microseconds", ("deliveries", "claimed_at"): "microseconds",
            ("deliveries", "finished_at"): "microseconds"}
_IDENTITIES = ("revisions", "subscriptions", "deliveries")
Rows = dict[str, list[tuple[Any, ...]]]
# Items in the order a load writes them (by position, then kind), so SQLite's rowids, which break ties in
# search rank, come out as they would have.
_ORDERS = {
    "sides": "briefing_id, position",
    "items": "briefing_id, position, "
    f"array_position(ARRAY[{', '.join(repr(name) for name in KIND_NUMBERS)}]::text[], kind)",
}


def _same(value: Any) -> Any:
    return value


def _instant(value: str | None) -> datetime | None:
    """SQLite's ISO text as PostgreSQL's timestamptz."""
    return None if value is None else datetime.fromisoformat(value)


def _iso(spec: str) -> Callable[[datetime | None], str | None]:
    """PostgreSQL's timestamptz as the ISO text the SQLite store writes (to the second or the microsecond)."""
    return lambda value: None if value is None else value.astimezone(UTC).isoformat(timespec=spec)


def _converted(rows: Rows, to_postgres: bool) -> Rows:
    """Rows in the other store's representation of booleans and instants."""
    out: Rows = {}
    for table, columns in TABLES.items():
        changers: list[Callable[[Any], Any]] = []
        for column in columns:
            if (table, column) in BOOLEANS:
                changers.append(bool if to_postgres else int)
            elif (table, column) in INSTANTS:
                changers.append(_instant if to_postgres else _iso(INSTANTS[(table, column)]))
            else:
                changers.append(_same)
        out[table] = [tuple(change(v) for change, v in zip(changers, row, strict=True)) for row in rows[table]]
    return out

# A table without rowids (SQLite's migration 024) is read in its key's order.
_SQLITE_ORDERS = {"revision_items": "briefing_id, kind, item_id, revision_id"}


def _read_sqlite(path: Path) -> Rows:
    """Every row of a SQLite store at this version's schema, read only: the copy never changes its source (a rollback's backup)."""
    with contextlib.closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
        try:
            version = conn.execute("SELECT user_version FROM pragma_user_version").fetchone()[0]
        except sqlite3.Error as error:
            if getattr(error, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":  # a hot journal only a writer rolls back
                raise ConfigError(
                    f"{path} was left mid-write, its -journal beside it, as a backup or copy stopped mid-way leaves it;"
                    " nothing was copied: restore a complete backup and copy that"
                ) from error
            raise store_error(error, f"cannot read {path}") from error
        known = len(migration_files())
        if version > known:
            raise NewerSchema(version, known).at(f"cannot copy {path}")
        if version == 0:
            raise ConfigError(f"{path} holds no briefbot store: nothing was copied; check that it is the store you meant (a backup stopped mid-way holds none)")
        if version < known:  # migrated here it would be changed in place, and no older version would open it again
            raise ConfigError(
                f"{path} is at schema {version}, older than this briefbot's {known}, and store copy does not change its"
                f" source; upgrade a copy of it and copy that: cp {path} upgraded.sqlite3 (with no process using it),"
                " briefbot --db upgraded.sqlite3 briefings (which migrates the copy), then store copy upgraded.sqlite3 …"
            )
        try:
            return {table: conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {_SQLITE_ORDERS.get(table, 'rowid')}").fetchall()
                    for table, columns in TABLES.items()}
        except sqlite3.Error as error:
            raise store_error(error, f"cannot read {path}") from error


def _write_sqlite(path: Path, rows: Rows) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.create_function("briefbot_terms", 2, keyed, deterministic=True)  # the search index's triggers
        conn.create_function("briefbot_scope", 5, scope, deterministic=True)
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT count(*) FROM briefings").fetchone()[0]:
                raise ConfigError(f"{path} already holds briefings; copy into an empty store")
            for table, columns in TABLES.items():
                marks = ", ".join("?" * len(columns))
                conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows[table])
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


async def _read_postgres(pool: asyncpg.Pool) -> Rows:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        return {table: [tuple(r) for r in await conn.fetch(
            f"SELECT {', '.join(columns)} FROM {table} ORDER BY {_ORDERS.get(table, columns[0])}"
        )] for table, columns in TABLES.items()}


async def _write_postgres(pool: asyncpg.Pool, rows: Rows) -> None:
    async with pool.acquire() as conn, conn.transaction():
        if await conn.fetchval("SELECT count(*) FROM briefings"):
            raise ConfigError("the PostgreSQL store already holds briefings; copy into an empty store")
        for table, columns in TABLES.items():
            if rows[table]:
                await conn.copy_records_to_table(table, records=rows[table], columns=columns)
        for table in _IDENTITIES:  # later inserts must number on from the copied ids
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
            )


@contextlib.asynccontextmanager
async def _postgres(url: str) -> AsyncIterator[asyncpg.Pool]:
    async with connect(url, max_size=2) as pool:
        await migrate(pool)
        yield pool


def _no_room(error: StoreError | sqlite3.Error) -> bool:
    """Whether a write failed for want of room: a full disk (SQLITE_FULL), or one the file's size limit or the disk
    refused (SQLITE_IOERR, said only as "disk I/O error" in a migration's name, which led the operator to the migration)."""
    cause = error if isinstance(error, sqlite3.Error) else error.__cause__
    return isinstance(error, DiskFull) or str(getattr(cause, "sqlite_errorname", "")).startswith(("SQLITE_FULL", "SQLITE_IOERR"))


def _refuse_empty(source: Path | str, rows: Rows) -> None:
    """A source without a briefing is no store worth copying: an interrupted backup, a wrong path; "copied: 0 briefings" hid it."""
    if not rows["briefings"]:
        raise ConfigError(f"{source} holds no briefings: nothing was copied; check that it is the store you meant (a backup stopped mid-way holds none)")


async def copy_store(source: Path | str, destination: Path | str) -> dict[str, int]:
    """Copy every row from `source` into the empty store `destination` in one transaction; rows copied per table."""
    if is_url(source) == is_url(destination):
        raise ConfigError("store copy goes from a SQLite file to a postgresql:// URL or back")
    if is_url(source):
        async with _postgres(str(source)) as pool:
            rows = await _read_postgres(pool)
        _refuse_empty(source, rows)
        try:
            async with open_store(Path(destination)):  # creates and migrates the file
                pass
            await asyncio.to_thread(_write_sqlite, Path(destination), _converted(rows, to_postgres=False))
        except (StoreError, sqlite3.Error) as error:
            if not _no_room(error):
                raise
            raise StoreError(
                f"cannot write {destination}: the disk is full or the file may grow no larger (or the disk failed), so"
                f" {destination} is incomplete: delete it, with its -wal and -shm, make room, and copy again"
            ) from error
    else:
        if not await asyncio.to_thread(Path(source).exists):
            raise ConfigError(f"no store at {source}")
        rows = await asyncio.to_thread(_read_sqlite, Path(source))
        _refuse_empty(source, rows)
        async with _postgres(str(destination)) as pool:
            try:
                await _write_postgres(pool, _converted(rows, to_postgres=True))
            except asyncpg.DataError as error:  # a NUL byte (0x00), JSON that is not: zero-filled pages SQLite's checks pass
                raise DamagedStore(
                    f"cannot copy {source}: the database file is corrupt or truncated (a stored text PostgreSQL refuses);"
                    " nothing was copied"
                ) from error
    return {table: len(table_rows) for table, table_rows in rows.items()}
