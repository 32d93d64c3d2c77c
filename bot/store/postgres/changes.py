"""Hearing every process's commits: LISTEN on one dedicated connection, so a warm read needs no query.

Why: asking the server for the briefing's version on every read costs a round trip that made
PostgreSQL's warm reads several times slower than SQLite's. Instead each
write transaction announces the briefings it locked with NOTIFY, which the server delivers when it
commits, and every process LISTENs on one connection of its own. While that connection is up, a
snapshot confirmed current since the last notice about its briefing is served without a query.
When it drops (a server restart, a failover, `pg_terminate_backend`), nothing is trusted any more and
every read asks for the version again, as before, until the listener has reconnected.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING

import asyncpg

from bot.core.model import Briefing
from bot.errors import SERVER_DOWN, SERVER_UP
from bot.store.postgres.database import CONNECTION_ERRORS

if TYPE_CHECKING:
    from bot.store.postgres.database import Connection

log = logging.getLogger(__name__)
CHANNEL = "briefbot_changes"
# Sent inside the writer's transaction, so it is delivered at its commit and never for a rollback.
# The payload is "<version> <key>": the briefing's version after the write, or -1 when it is gone
# (or the key is not a briefing: the default's lock, which means the default may have moved).
_ANNOUNCE = f"SELECT pg_notify('{CHANNEL}', coalesce((SELECT version FROM briefings WHERE id = $1), -1) || ' ' || $1)"
# How long a start waits for the listener before serving reads the slow way; and between reconnections.
FIRST_CONNECT = 5.0
RETRY = 0.5


async def announce(conn: Connection, keys: Iterable[str]) -> None:
    """NOTIFY every listening process that these briefings (or the default) change when this transaction commits."""
    for key in keys:
        await conn.execute(_ANNOUNCE, key)


class ChangeFeed:
    """What this process has heard of commits; which cached snapshots may be served without asking the server."""

    def __init__(self, url: str, retry: float = RETRY) -> None:
        self._url = url
        self._retry = retry
        self._live = asyncio.Event()
        self._heard = 0  # notices, local writes and listener drops so far: any of them voids a read in flight
        self._trusted: dict[str, int] = {}  # briefing id → the version confirmed current since its last notice
        self.default: str | None = None  # the default briefing's id, while no notice may have moved it

    def trusts(self, snapshot: Briefing) -> bool:
        """Whether `snapshot` is current without asking: confirmed since the listener came up, and nothing heard since."""
        return self._trusted.get(snapshot.id) == snapshot.version

    def mark(self) -> int | None:
        """Taken before a read asks the server: `confirm` trusts the answer only if nothing was heard in between."""
        return self._heard if self._live.is_set() else None

    def confirm(self, mark: int | None, snapshot: Briefing, *, default: bool) -> None:
        """Trust a snapshot the server just said is current (and, if asked as the default, that it is the default)."""
        if mark is None or mark != self._heard or not self._live.is_set():
            return  # a notice, a write or a drop came between the question and now: the answer may be old
        self._trusted[snapshot.id] = snapshot.version
        if default:
            self.default = snapshot.id

    def forget(self, keys: Iterable[str]) -> None:
        """This process committed a write to these: its own notice may still be on the way, so stop trusting now."""
        for key in keys:
            self._void(key, -1)

    def _void(self, key: str, version: int) -> None:
        """A notice about `key` at `version`: a snapshot older than that, or of a briefing gone, is no longer current."""
        self._heard += 1
        if version < 0 or self._trusted.get(key, -1) < version:
            self._trusted.pop(key, None)
        if version < 0 or key == self.default:  # gone, or the default's lock was taken: it may have moved
            self.default = None

    def _notice(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        """asyncpg's listener callback for one NOTIFY."""
        version, _, key = str(payload).partition(" ")
        self._void(key, int(version))

    def _set_live(self, live: bool) -> None:
        """The listener came up or went down; either way nothing heard before is trusted any more."""
        self._heard += 1
        self._trusted.clear()
        self.default = None
        if live:
            self._live.set()
        else:
            self._live.clear()

    async def up(self, within: float) -> bool:
        """Wait until the listener is up, at most `within` seconds; whether it is."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._live.wait(), within)
        return self._live.is_set()

    async def run(self) -> None:
        """Keep one connection LISTENing, reconnecting after a drop, until cancelled."""
        failing = False  # an outage is logged once, not at every retry
        dropped = False  # the connection was lost: said with what reconnecting found, in one line
        while True:
            try:
                conn = await asyncpg.connect(self._url, timeout=10)
            except (asyncpg.PostgresError, *CONNECTION_ERRORS, TimeoutError) as error:
                if not failing:
                    what = "the change listener's connection dropped and cannot be opened again" if dropped else "cannot listen for changes"
                    log.warning("%s (%s); reads ask the server until it can", what, type(error).__name__, extra=SERVER_DOWN)
                failing, dropped = True, False
                await asyncio.sleep(self._retry)
                continue
            if failing:
                log.info("listening for changes again", extra=SERVER_UP)
            elif dropped:  # the server was there all along: only this connection was cut
                log.info("the change listener's connection dropped; listening again on a new one")
            failing = dropped = False
            lost = asyncio.Event()
            conn.add_termination_listener(lambda _conn, lost=lost: lost.set())
            try:
                await conn.add_listener(CHANNEL, self._notice)
                self._set_live(True)
                await lost.wait()
                dropped = True
            except (asyncpg.PostgresError, *CONNECTION_ERRORS) as error:
                log.warning("listening for changes failed (%s); reads ask the server meanwhile", type(error).__name__)
            finally:
                self._set_live(False)
                conn.terminate()  # synchronous, so it also runs when the task is being cancelled
            await asyncio.sleep(self._retry)


@contextlib.asynccontextmanager
async def listening(url: str, retry: float = RETRY) -> AsyncIterator[ChangeFeed]:
    """A ChangeFeed whose listener runs for as long as the block; reads are served once it is up (or go slow until)."""
    feed = ChangeFeed(url, retry)
    task = asyncio.create_task(feed.run(), name="postgres change listener")
    try:
        await feed.up(FIRST_CONNECT)
        yield feed
    finally:
        task.cancel()
        await asyncio.wait({task})
