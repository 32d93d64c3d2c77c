"""Opening the SQLite file: pragmas that make it safe to share, numbered migrations, and the file's identity.

The one place that chooses the connection: aiosqlite's, whose queries run on its worker thread, under an
event loop; a plain `sqlite3` one behind the same async method names where coroutines are driven without
a loop (`run_inline`, a one-shot `ask`), so the store's SQL and code are the same for both.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

import msgspec

from bot.core.offload import inline
from bot.core.text import search_fold
from bot.errors import DamagedStore, DiskFull, NewerSchema, ReadOnlyStore, StoreBusy, StoreError
from bot.store.fulltext import holds, keyed, range_side
from bot.store.rows import scope

if TYPE_CHECKING:
    from typing import TypeAlias

    import aiosqlite

    Connection: TypeAlias = "aiosqlite.Connection | InlineConnection"

T = TypeVar("T")

log = logging.getLogger(__name__)
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000
# A new store's page size (an existing file keeps its own). Every page a write transaction changes is written
# twice, into the WAL and at the checkpoint, with a system call each: four times SQLite's 4 KB default means a
# quarter of the calls for a large load.
PAGE_SIZE = 16384
# What an operator can act on, by SQLite's error name; anything else keeps SQLite's own words.
_REASONS = {
    "SQLITE_NOTADB": "the file is not a SQLite database",
    "SQLITE_CORRUPT": "the database file is corrupt or truncated",
    "SQLITE_READONLY": "the database or its folder is read-only",
    "SQLITE_CANTOPEN": "the database file cannot be opened or created there (is its folder writable?)",
    "SQLITE_IOERR": "the disk could not be read or written",
    "SQLITE_PERM": "permission to the database file was denied",
}


# Python's words when a stored text is not UTF-8; its message goes on to quote the text, which is never shown.
_UNDECODABLE = "Could not decode to UTF-8"


def store_error(error: sqlite3.Error, doing: str, path: Path | None = None) -> StoreError:
    """A database error as a StoreError whose text says, first, what the operator can do about it.

    A refused write to a read-only file is a ReadOnlyStore (so is an I/O error on a file at `path` made read-only under
    a running briefbot, `chattr +i`: SQLite, its file open for writing, can only call that an I/O error), a full disk a DiskFull and a lock another process held
    past the busy timeout a StoreBusy: their catalogue messages reach whoever asked. A damaged file is a DamagedStore. `doing` names the file, for the operator to act on.
    """
    name = getattr(error, "sqlite_errorname", "")
    reason = next((text for prefix, text in _REASONS.items() if name.startswith(prefix)), None)
    if name == "SQLITE_READONLY_DIRECTORY":  # no `-wal` or `-shm` can be made beside the file: even a read cannot start
        converted: StoreError = StoreError(f"{doing}: {_REASONS['SQLITE_CANTOPEN']} ({error})")
    elif (name.startswith("SQLITE_READONLY") and name != "SQLITE_READONLY_DBMOVED") or (name.startswith("SQLITE_IOERR") and _unwritable(path)):
        converted = ReadOnlyStore(doing)  # not DBMOVED: a moved file is no permission to grant
    elif name.startswith("SQLITE_BUSY"):  # another process's transaction outlasted BUSY_TIMEOUT_MS: nothing was done
        converted = StoreBusy(doing)
    elif name in ("SQLITE_FULL", "SQLITE_IOERR_SHMSIZE"):
        # The disk, or the file's `max_page_count`: the transaction is rolled back, nothing written. No room for the
        # `-shm` file's pages: even a read cannot start.
        converted = DiskFull(doing)
    elif name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        converted = DamagedStore(f"{doing}: {reason} ({error})")
    elif str(error).startswith(_UNDECODABLE):
        converted = DamagedStore(f"{doing}: {_REASONS['SQLITE_CORRUPT']} (a stored text is not UTF-8)")
    else:
        converted = StoreError(f"{doing}: {reason} ({error})" if reason else f"{doing}: {error}")
    converted.__cause__ = error
    return converted


def _unwritable(path: Path | None) -> bool:
    """Whether the database file or its `-wal` exists and may not be written now: an I/O error is then no failing disk."""
    files = () if path is None else (path, path.with_name(path.name + "-wal"))
    return any(file.exists() and not os.access(file, os.W_OK) for file in files)


MIGRATIONS = Path(__file__).parent / "migrations"


def migration_files() -> list[tuple[int, str]]:
    """(number, file name) of every bundled migration, in order; numbers must run 1, 2, 3…"""
    found = sorted((int(match[1]), name) for name in os.listdir(MIGRATIONS) if (match := _MIGRATION_NAME.match(name)))
    if [number for number, _ in found] != list(range(1, len(found) + 1)):
        raise StoreError("migration numbers must run 1, 2, 3… without gaps")
    return found


def created(path: Path | str) -> bool:
    """Create the database file if there is none; whether this call did (`open_store`'s `loading` journals only such a file)."""
    if str(path) == ":memory:":
        return False
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    except OSError:  # it exists, or cannot be made: `connect` says why when it cannot open it
        return False
    return True


def file_size(path: Path | str) -> int | None:
    """The database file's size in bytes, None when there is none: SQLite takes an empty file for a new database, whatever it held."""
    if str(path) == ":memory:":
        return None
    try:
        return os.stat(path).st_size
    except OSError:  # none yet, or not to be read: `connect` says why when it cannot open it
        return None


async def interrupted(conn: Connection, size: int) -> bool:
    """Whether a file of `size` bytes before it was opened now holds no table, yet was more than one page: what SQLite leaves
    of a copy or backup stopped mid-way, once its journal is rolled back. A file of one page with no table is new: a
    connection that turned WAL on (another process about to migrate it, one stopped before it did, an operator's pragmas)."""
    ((tables, page),) = await conn.execute_fetchall(
        "SELECT (SELECT count(*) FROM sqlite_master), (SELECT page_size FROM pragma_page_size)"
    )
    return int(tables) == 0 and size > int(page)


def refuse_folder(path: Path | str) -> None:
    """StoreError when the path names a folder: SQLite would blame the folder's permissions ("unable to open database file")."""
    if Path(path).is_dir():
        raise StoreError(f"cannot open database {path}: it is a folder; name the database file, such as {Path(path) / 'briefbot.sqlite3'}")


async def connect(path: Path | str) -> Connection:
    """Open (creating if needed) the database with WAL, a busy timeout and foreign keys on.

    aiosqlite's connection under an event loop; under `run_inline` (no loop), a plain one (`InlineConnection`).
    A connection whose set-up fails is closed before the error leaves: its worker thread would
    otherwise keep the interpreter alive after the CLI has reported the failure.
    """
    refuse_folder(path)
    try:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot open database {path}: its folder cannot be created ({error})") from error
    try:
        # A file that cannot be opened is found here first: after a failed connect, aiosqlite's worker
        # thread reports to an event loop the CLI may already have closed (a stray traceback).
        sqlite3.connect(path).close()
        conn: Connection
        if inline():
            conn = InlineConnection(sqlite3.connect(str(path), isolation_level=None))
        else:
            import aiosqlite  # imports asyncio: only where a loop runs

            conn = await aiosqlite.connect(str(path), isolation_level=None)
    except sqlite3.Error as error:
        raise store_error(error, f"cannot open database {path}") from error
    try:
        # Takes effect only in a file with no page yet, so it must come before WAL (which writes the header).
        await conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        await use_wal(conn)
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.create_function("briefbot_wall_clock", 2, wall_clock, deterministic=True)  # for migration 010
        await conn.create_function("briefbot_terms", 2, keyed, deterministic=True)  # the search index's triggers (013)
        await conn.create_function("briefbot_scope", 5, scope, deterministic=True)  # their `scope` (021)
        await conn.create_function("briefbot_holds", 3, holds, deterministic=True)  # a dense `timeline query:`'s page
        await conn.create_function("briefbot_range_side", 6, range_side, deterministic=True)  # a range's terms (`timeline query:`)
        await conn.create_function("briefbot_search_fold", 1, search_fold, deterministic=True)  # for migration 025
    except Exception as error:  # a damaged file can fail in other ways too (an undecodable message)
        await conn.close()
        if isinstance(error, sqlite3.Error):
            raise store_error(error, f"cannot open database {path}") from error
        raise StoreError(f"cannot open database {path}: the file cannot be read as a SQLite database ({error!r})") from error
    return conn


async def use_wal(conn: Connection) -> None:
    """Put the file in WAL mode, where readers go on beside a writer, synced at checkpoints only (safe in WAL, as SQLite documents)."""
    await conn.execute_fetchall("PRAGMA journal_mode = WAL")  # its row read: a statement left half read keeps its lock
    await conn.execute("PRAGMA synchronous = NORMAL")


async def use_rollback_journal(conn: Connection) -> bool:
    """Leave WAL for SQLite's rollback journal, synced in full as it must be to survive a power cut; False if another connection has the file open.

    Only the connection alone on the file may leave WAL (SQLite checkpoints the WAL and deletes it).
    """
    try:
        await conn.execute_fetchall("PRAGMA journal_mode = DELETE")  # its row read: in a rollback journal, a half-read statement blocks commits
    except sqlite3.OperationalError:  # "database is locked" (another process has the file open), a full disk: WAL as ever
        return False
    await conn.execute("PRAGMA synchronous = FULL")
    return True


def wall_clock(utc: str | None, zone: str) -> str | None:
    """A stored UTC instant as pack data gives a start: YYYY-MM-DDTHH:MM on the zone's wall clock."""
    return None if utc is None else datetime.fromisoformat(utc).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


async def migrate(conn: Connection, target: int | None = None) -> int:
    """Apply every migration above the file's user_version (up to `target`), each logged; returns the new version.

    Processes started together after an upgrade all find the same migrations pending: each migration's
    transaction reads the version again once it holds the write lock, so a migration another process
    applied meanwhile is skipped, never applied twice nor its number written over a newer one.
    """
    current = await schema_version(conn)  # outside a transaction: an up-to-date file, as at nearly every start, is never locked for writing
    known = migration_files()  # names only: an up-to-date file, as at nearly every start, needs no SQL read
    if current > len(known):
        raise NewerSchema(current, len(known))
    new, applied = current == 0, False
    for number, name in known:
        if number <= current or (target is not None and number > target):
            continue
        current, here = await _migrated(conn, number, name, logging.DEBUG if new else logging.INFO)
        applied |= here
    if new and applied:  # a new file: one line, not one per migration of the project's history
        log.info("made a new store (schema %d)", current)
    return current


async def _migrated(conn: Connection, number: int, name: str, level: int) -> tuple[int, bool]:
    """Apply one migration in a transaction of its own, unless another process already did; the file's version after
    it, and whether this process applied it (logged at `level`).

    One transaction per migration: a failure leaves the previous version intact. Its statements run one by
    one, since Python's `executescript` would commit the transaction that read the version first.
    """
    sql = (MIGRATIONS / name).read_text(encoding="utf-8")
    try:
        async with held_transaction(conn) as found:
            if found >= number:  # applied by another process while this one waited for the lock
                return found, False
            for statement in statements(sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {number}")
    except sqlite3.Error as error:
        raise store_error(error, f"migration {name} failed") from error
    log.log(level, "applied migration %s", name)
    return number, True


def statements(script: str) -> list[str]:
    """A script's statements, each whole as SQLite parses it (a trigger's body keeps its semicolons)."""
    found, start = [], 0
    for end, char in enumerate(script):
        if char == ";" and sqlite3.complete_statement(script[start:end + 1]):
            found.append(script[start:end + 1])
            start = end + 1
    if script[start:].strip():  # a last statement without its semicolon, or a comment
        found.append(script[start:])
    return found


async def schema_version(conn: Connection) -> int:
    """The file's schema version: the last migration applied (SQLite's user_version, in the file's header).

    Read as a table, not with a bare PRAGMA: a statement on a table checks the connection's cached schema against
    the file's, and loads it again if another process changed it. A bare PRAGMA does not, and an `ALTER TABLE`
    checks names against the cached schema as it is prepared: a migration after one another process applied
    then failed ("no such column").
    """
    ((version,),) = await conn.execute_fetchall("SELECT user_version FROM pragma_user_version")  # one call to aiosqlite's thread, not three
    return int(version)


@functools.cache
def known_schema() -> int:
    """The schema version this briefbot knows: its last bundled migration's number."""
    return len(migration_files())


async def _roll_back(conn: Connection) -> None:
    """Roll back the open transaction, if SQLite has not already (it has after SQLITE_FULL, for one)."""
    if conn.in_transaction:
        await conn.execute("ROLLBACK")


@contextlib.asynccontextmanager
async def transaction(conn: Connection, lock: AbstractAsyncContextManager[Any], begin: str = "BEGIN IMMEDIATE") -> AsyncIterator[None]:
    """Run the body in one transaction on a shared connection, one at a time; roll back on any exception.

    Coroutines share a connection, and transactions must not interleave on it: the lock queues them.
    """
    async with lock, held_transaction(conn, begin):
        yield


@contextlib.asynccontextmanager
async def held_transaction(conn: Connection, begin: str = "BEGIN IMMEDIATE") -> AsyncIterator[int]:
    """Run the body in one transaction on a connection the caller already holds alone; roll back on any exception.

    A write transaction yields the file's schema version, and is refused (NewerSchema) when a newer briefbot has
    migrated the file since this process started: its rows would miss the newer tables (docs/deploy.md "Upgrades").
    Read under the write lock, no migration can commit before the transaction ends; a read yields 0.
    A failed COMMIT rolls back too; the rollback is skipped when SQLite already did it, so the
    real error is the only one raised (no "cannot rollback - no transaction is active" on top).
    """
    await conn.execute(begin)
    try:
        found = 0 if begin == "BEGIN" else await schema_version(conn)
        if found > known_schema():
            raise NewerSchema(found, known_schema())
        yield found
        await conn.execute("COMMIT")
    except BaseException:
        await _roll_back(conn)
        raise


def queue_lock() -> AbstractAsyncContextManager[Any]:
    """What queues the coroutines sharing one connection: an asyncio lock under a loop; nothing under `run_inline`, where one runs."""
    if inline():
        return contextlib.nullcontext()
    import asyncio  # a running bot has long imported it

    return asyncio.Lock()


class _Result(Generic[T]):
    """A call's result, awaited or entered as aiosqlite's is (`await conn.execute(…)`, `async with conn.execute(…) as cursor`)."""

    def __init__(self, call: Coroutine[Any, Any, T]) -> None:
        self._call = call
        self._value: T | None = None

    def __await__(self) -> Generator[Any, None, T]:
        return self._call.__await__()

    async def __aenter__(self) -> T:
        self._value = await self._call
        return self._value

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if isinstance(self._value, InlineCursor):
            await self._value.close()


class InlineCursor:
    """A `sqlite3` cursor behind aiosqlite's async names (`InlineConnection`)."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def lastrowid(self) -> int | None:
        """The rowid of the last row inserted."""
        return self._cursor.lastrowid

    @property
    def rowcount(self) -> int:
        """How many rows the last statement changed."""
        return self._cursor.rowcount

    async def fetchone(self) -> Any:
        """The next row, or None."""
        return self._cursor.fetchone()

    async def fetchmany(self, size: int) -> list[Any]:
        """Up to `size` more rows."""
        return self._cursor.fetchmany(size)

    async def fetchall(self) -> list[Any]:
        """Every row left."""
        return self._cursor.fetchall()

    async def close(self) -> None:
        """Close the cursor."""
        self._cursor.close()


class InlineConnection:
    """A `sqlite3` connection behind the async method names the store uses of aiosqlite's, for coroutines driven without a loop.

    Each call runs its SQL at once on the calling thread, so the store's code and SQL are the same as
    over aiosqlite; it is chosen only under `run_inline` (one `ask`), where nothing else runs meanwhile.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open."""
        return self._conn.in_transaction

    def execute(self, sql: str, parameters: Any = ()) -> _Result[InlineCursor]:
        """Run one statement; its cursor."""
        return _Result(self._run(self._conn.execute, sql, parameters))

    def executemany(self, sql: str, parameters: Iterable[Any]) -> _Result[InlineCursor]:
        """Run one statement for each set of parameters."""
        return _Result(self._run(self._conn.executemany, sql, parameters))

    def executescript(self, script: str) -> _Result[InlineCursor]:
        """Run a script of statements."""
        return _Result(self._run(self._conn.executescript, script))

    def execute_fetchall(self, sql: str, parameters: Any = ()) -> _Result[list[Any]]:
        """Run one statement and fetch every row."""
        return _Result(self._fetchall(sql, parameters))

    async def create_function(self, name: str, num_params: int, func: Callable[..., Any], deterministic: bool = False) -> None:
        """Register a SQL function written in Python."""
        self._conn.create_function(name, num_params, func, deterministic=deterministic)

    async def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    @staticmethod
    async def _run(call: Callable[..., sqlite3.Cursor], *args: Any) -> InlineCursor:
        return InlineCursor(call(*args))

    async def _fetchall(self, sql: str, parameters: Any) -> list[Any]:
        return self._conn.execute(sql, parameters).fetchall()


def connect_probe(path: Path | str) -> sqlite3.Connection | None:
    """A read-only connection for `PRAGMA data_version` and a small briefing's full-text reads, on the loop thread: quicker than a hop to aiosqlite's.

    None (and every read asks aiosqlite for the version) for an in-memory database or if it cannot open.
    """
    if str(path) == ":memory:":
        return None
    try:
        # as_uri() percent-encodes the path, so '#', '?' or '%' in a folder name stay part of it.
        probe = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
        # Never sleep on the event loop: a busy probe answers at once, and the version is asked instead.
        probe.execute("PRAGMA busy_timeout = 0")
        probe.create_function("briefbot_holds", 3, holds, deterministic=True)  # a small briefing's full-text reads run here
    except sqlite3.Error:
        log.warning("read-only probe unavailable for %s; every read asks for the version", path)
        return None
    return probe


class FileIdentity(msgspec.Struct, frozen=True):
    """The database file as it was opened (device and inode), so its deletion or replacement shows."""

    path: Path | None  # None: in memory, nothing to lose
    device_inode: tuple[int, int] | None

    @classmethod
    def of(cls, path: Path | str) -> FileIdentity:
        """The identity of the file at `path` now."""
        if str(path) == ":memory:":
            return cls(None, None)
        found = os.stat(path)
        return cls(Path(path), (found.st_dev, found.st_ino))

    @property
    def named(self) -> str:
        """The file as an error names it, so the operator knows which one to act on."""
        return "the in-memory database" if self.path is None else str(self.path)

    def check(self) -> None:
        """StoreError if the file at the path is gone or another file: writes would go to no file anyone reads."""
        if self.path is None:
            return
        try:
            found = os.stat(self.path)
        except OSError:
            raise StoreError(f"the database file {self.path} was deleted while briefbot ran; restart briefbot") from None
        if (found.st_dev, found.st_ino) != self.device_inode:
            raise StoreError(f"the database file {self.path} was replaced while briefbot ran; restart briefbot")
