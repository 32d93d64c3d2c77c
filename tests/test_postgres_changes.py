"""Every process sees every commit within 100 ms, without a query per read: LISTEN/NOTIFY, and the fall-back when it drops.

bot/store/postgres/changes.py: writers NOTIFY on commit; each process LISTENs on one connection and
serves a warm read from its snapshot until it hears of a commit; while that connection is down, every
read asks the server for the version, as before.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import msgspec.structs
import pytest

from bot.store.postgres.changes import ChangeFeed, listening
from bot.store.postgres.database import connect
from bot.store.postgres.repository import PostgresBriefingRepository
from tests.conftest import BRIEFING_ID

VISIBLE_WITHIN = 0.1  # seconds: issue 17's target, p99 (bench/visibility.py measures it)


@pytest.fixture
def url(seeded_postgres: str) -> str:
    """A database of this test's own, seeded with the shipped pack."""
    return seeded_postgres


@asynccontextmanager
async def reader(url: str, retry: float) -> AsyncIterator[tuple[PostgresBriefingRepository, ChangeFeed, asyncpg.Pool]]:
    """A repository with its own pool and listener, as one bot process has them; `retry` between reconnections."""
    async with connect(url) as pool, listening(url, retry) as feed:
        assert await feed.up(5)
        yield PostgresBriefingRepository(pool, feed), feed, pool


@asynccontextmanager
async def editor(url: str) -> AsyncIterator[PostgresBriefingRepository]:
    """Another process's repository, without a listener of its own (so the only LISTEN is the reader's)."""
    async with connect(url) as pool:
        yield PostgresBriefingRepository(pool)


async def retitle(repository: PostgresBriefingRepository, title: str) -> None:
    """Commit a new title for the briefing, as a load would."""
    current = await repository.briefing(BRIEFING_ID)
    await repository.save(msgspec.structs.replace(current, title=title), discard_edits=True)


async def seen(repository: PostgresBriefingRepository, title: str, briefing_id: str | None = BRIEFING_ID) -> bool:
    """Whether a read of the briefing (None: the default) shows `title` within 100 ms (reading every millisecond)."""
    deadline = time.monotonic() + VISIBLE_WITHIN
    while True:
        if (await repository.briefing(briefing_id)).title == title:
            return True
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.001)


async def kill_listener(url: str) -> None:
    """pg_terminate_backend on the connection that LISTENs (as a server restart or a failover would cut it)."""
    admin = await asyncpg.connect(url)
    try:
        killed = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()
    assert killed == 1


async def until(condition: object, timeout: float = 5.0) -> None:
    """Wait until `condition()` holds (the event loop runs meanwhile)."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


async def test_a_warm_read_asks_the_server_nothing(url: str) -> None:
    async with reader(url, retry=0.5) as (repository, _, pool):
        first = await repository.briefing()
        await pool.close()  # any query from now on would fail
        assert await repository.briefing() is first
        assert await repository.briefing(BRIEFING_ID) is first


async def test_an_edit_in_another_process_is_seen_within_100_ms(url: str) -> None:
    async with reader(url, retry=0.5) as (repository, _, _), editor(url) as other:
        await repository.briefing()  # warm: from now on served without a query
        for n in range(5):
            await retitle(other, f"Title {n}")
            assert await seen(repository, f"Title {n}")


async def test_a_new_default_set_in_another_process_is_seen_within_100_ms(url: str) -> None:
    async with reader(url, retry=0.5) as (repository, feed, _), editor(url) as other:
        current = await repository.briefing()
        assert feed.default == current.id  # the default's id is known: reading it asks nothing
        await other.save(msgspec.structs.replace(current, id="second-briefing", title="Second"), make_default=True)
        assert await seen(repository, "Second", briefing_id=None)


async def test_the_listing_is_kept_until_a_commit_is_heard(url: str) -> None:
    """`briefings()` (for /briefings and autocomplete) asks nothing while nothing was heard; a new briefing shows within 100 ms."""
    async with reader(url, retry=0.5) as (repository, _, pool), editor(url) as other:
        assert [s.id for s in await repository.briefings()] == [BRIEFING_ID]
        current = await repository.briefing()
        await other.save(msgspec.structs.replace(current, id="second-briefing", title="Second"))
        deadline = time.monotonic() + VISIBLE_WITHIN
        while [s.id for s in await repository.briefings()] != [BRIEFING_ID, "second-briefing"]:
            assert time.monotonic() < deadline, "the new briefing was not listed within 100 ms"
            await asyncio.sleep(0.001)
        listed = await repository.briefings()
        await pool.close()  # any query from now on would fail
        assert await repository.briefings() == listed


async def test_this_process_reads_its_own_edit_at_once(url: str, postgres_server: str) -> None:
    # The listener is on another database, so its own notices never arrive: only the write itself tells the feed.
    async with connect(url) as pool, listening(postgres_server) as deaf:
        assert await deaf.up(5)
        repository = PostgresBriefingRepository(pool, deaf)
        for n in range(3):
            assert deaf.trusts(await repository.briefing())
            await retitle(repository, f"Mine {n}")
            assert (await repository.briefing()).title == f"Mine {n}"  # the very next read


async def test_while_the_listener_is_down_reads_ask_the_server(url: str) -> None:
    async with reader(url, retry=60) as (repository, feed, _), editor(url) as other:
        await repository.briefing()
        await kill_listener(url)
        await until(lambda: feed.mark() is None)  # it noticed; it will not try again for a minute
        await retitle(other, "Edited while nobody listened")
        assert (await repository.briefing()).title == "Edited while nobody listened"
        assert feed.mark() is None  # still down: the read above asked the server


async def test_the_listener_reconnects_and_warm_reads_need_no_query_again(url: str) -> None:
    async with reader(url, retry=0.05) as (repository, feed, _), editor(url) as other:
        await kill_listener(url)
        await until(lambda: feed.mark() is None)
        await until(lambda: feed.mark() is not None)  # back
        await retitle(other, "After the reconnection")
        assert await seen(repository, "After the reconnection")
        assert feed.trusts(await repository.briefing())



async def test_a_read_whose_answer_a_commit_overtook_is_not_trusted(url: str) -> None:
    # A cold read takes a dozen round trips; an edit committed while it runs reaches the listener before the read
    # ends. The read's (older) answer is returned, but must not be trusted: the next read asks again.
    async with reader(url, retry=0.5) as (_, feed, pool), editor(url) as other:
        base = await other.briefing(BRIEFING_ID)
        for n in range(30):
            cold = PostgresBriefingRepository(pool, feed)  # nothing cached: the read takes every table
            write = asyncio.create_task(other.save(msgspec.structs.replace(base, title=f"T{n}"), discard_edits=True))
            await asyncio.sleep(0.0005 * (n % 10))  # sweep the read's start across the write's transaction
            await cold.briefing(BRIEFING_ID)
            await write
            # Once the write's notice arrives, the next read asks again: an answer trusted in spite of it stays stale for
            # good. Under a loaded CI host the notice can take longer than the 20 ms once waited here (the target is 100 ms).
            titles = []
            for _ in range(100):
                titles.append((await cold.briefing(BRIEFING_ID)).title)
                if titles[-1] == f"T{n}":
                    break
                await asyncio.sleep(0.02)
            assert titles[-1] == f"T{n}", (n, titles[-3:])


async def test_a_cut_listener_is_logged_once_with_what_reconnecting_found(url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Cut while the server is there: one INFO line. Cut and refused: one warning marked as an outage, then one marked as its end."""
    caplog.set_level(logging.INFO, logger="bot.store.postgres.changes")
    server, name = url.rsplit("/", 1)
    admin = await asyncpg.connect(f"{server}/postgres")
    async with reader(url, retry=0.05) as (_, feed, _):
        await kill_listener(url)
        await until(lambda: feed.mark() is None)
        await until(lambda: feed.mark() is not None)
        await admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        assert await admin.fetchval("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                    " WHERE datname = $1 AND query LIKE 'LISTEN%'", name) == 1
        await until(lambda: len(caplog.records) == 2)
        await asyncio.sleep(0.3)  # several more refused reconnections: none logged
        await admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
        await admin.close()
        await until(lambda: feed.mark() is not None)
    said = [(record.levelname, record.getMessage(), getattr(record, "server", None)) for record in caplog.records]
    assert said == [
        ("INFO", "the change listener's connection dropped; listening again on a new one", None),
        ("WARNING", "the change listener's connection dropped and cannot be opened again (ObjectNotInPrerequisiteStateError);"
                    " reads ask the server until it can", "down"),
        ("INFO", "listening for changes again", "up"),
    ]
