"""`briefbot store copy`: a whole store from SQLite to PostgreSQL and back, losslessly, as real subprocesses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import msgspec.structs
import pytest

from bot.core.choosing import Choice
from bot.core.digest.ledger import NewSubscription
from bot.core.digest.model import Due
from bot.core.model import Briefing
from bot.core.repository import Change
from bot.store import Store, open_store
from bot.store.database import connect, migrate, migration_files
from bot.store.postgres.copying import _read_sqlite
from tests.briefings_support import OTHER_ID, add_other
from tests.cli_support import briefbot
from tests.conftest import BRIEFING_ID, DATA, fresh_database
from tests.test_store import interrupted_backup
from tests.test_store_failures import zero_filled_revision

NOW = datetime(2026, 2, 1, 12, 0, 30, 123456, tzinfo=UTC)


@pytest.fixture
async def url(postgres_server: str | None) -> AsyncIterator[str]:
    """An empty, migrated PostgreSQL database of this test's own."""
    async with fresh_database(postgres_server) as database:
        yield database


def _retitle(title: str, undoes: int | None = None) -> object:
    """A build function retitling the first timeline event (an undo when `undoes` is given)."""

    def build(current: Briefing) -> Change:
        event = msgspec.structs.replace(current.timeline[0], title=title)
        return Change(
            briefing=msgspec.structs.replace(current, timeline=(event, *current.timeline[1:])), kind="timeline",
            item_id=event.id, action="undo" if undoes else "edit", before={"id": event.id}, after={"id": event.id, "title": title},
            item=event, actor="u1", platform="discord", at=NOW, note="copied too", undoes=undoes,
        )

    return build


async def _busy(store: Store) -> None:
    """A store with what a bot in use holds: edits and an undo, a subscription, sent and claimed deliveries, choices."""
    await store.seed(DATA, BRIEFING_ID)
    await add_other(store)
    await store.choices.archive(OTHER_ID)
    for channel, briefing in (("", OTHER_ID), ("C2", BRIEFING_ID)):  # a space's choice and a channel's
        await store.choices.choose(Choice("slack", "T1", channel, briefing, "U1", NOW.replace(microsecond=0)))
    number, _ = await store.repository.apply(BRIEFING_ID, _retitle("Edited"))  # type: ignore[arg-type]
    await store.repository.apply(BRIEFING_ID, _retitle("Edited back", undoes=number))  # type: ignore[arg-type]
    subscription = await store.digests.subscribe(NewSubscription(
        platform="slack", channel_id="C1", team_id="T1", briefing_id=BRIEFING_ID, time=time(7, 30), zone="America/Bogota",
        quiet=True, alerts=("24h", "1h"), created_by="U1", now=NOW, seen_revision=1,
    ))
    sent = await store.digests.claim(Due(subscription, "digest:2026-02-02", "digest", NOW), "p1", NOW, attempts=3)
    assert sent is not None
    await store.digests.finish(msgspec.structs.replace(sent, covers_revision=3), "sent", NOW + timedelta(seconds=2), message_id="m1")
    await store.digests.claim(Due(subscription, "alert:1h", "alert", NOW + timedelta(hours=1)), "p1", NOW, attempts=3)


async def test_a_store_copied_to_postgresql_and_back_is_the_same_store(tmp_path: Path, url: str) -> None:
    source, back = tmp_path / "source.sqlite3", tmp_path / "back.sqlite3"
    async with open_store(source) as store:
        await _busy(store)
    there = briefbot("store", "copy", source, url)
    assert there.returncode == 0, there.stderr
    assert "4 revisions" in there.stdout and "2 deliveries" in there.stdout and "2 briefing_choices" in there.stdout
    again = briefbot("store", "copy", url, back)
    assert again.returncode == 0, again.stderr
    assert _read_sqlite(back) == _read_sqlite(source)  # every row of every table, ids and instants included
    async with open_store(source) as original, open_store(url) as copied:
        assert await copied.repository.briefing() == await original.repository.briefing()
        assert await copied.repository.revisions(BRIEFING_ID) == await original.repository.revisions(BRIEFING_ID)
        assert await copied.repository.steps(BRIEFING_ID) == await original.repository.steps(BRIEFING_ID)
        assert await copied.digests.subscriptions() == await original.digests.subscriptions()
        assert await copied.repository.briefings() == await original.repository.briefings()  # archived included
        assert await copied.choices.chosen("slack", "T1", "C2") == await original.choices.chosen("slack", "T1", "C2")
        assert (await copied.repository.briefing()).timeline[0].evidence  # the pack's evidence came across
        later = NOW + timedelta(days=1)
        assert await copied.digests.unconfirmed("slack", later) == await original.digests.unconfirmed("slack", later)
        hits = [{(h.kind, h.item_id) for h in (await s.repository.search(BRIEFING_ID, "visa"))[0]} for s in (copied, original)]
        assert hits[0] == hits[1]  # the copy is indexed for search (ranks are each backend's own)
        # New rows number on from the copied ones, in the copy as in the original.
        assert (await copied.repository.apply(BRIEFING_ID, _retitle("Next")))[0] == 5  # type: ignore[arg-type]


async def test_copying_into_a_store_that_holds_briefings_is_refused(tmp_path: Path, url: str) -> None:
    source = tmp_path / "source.sqlite3"
    async with open_store(source) as store:
        await store.seed(DATA, BRIEFING_ID)
    assert briefbot("store", "copy", source, url).returncode == 0
    refused = briefbot("store", "copy", source, url)
    assert refused.returncode == 2
    assert "already holds briefings" in refused.stderr and "Traceback" not in refused.stderr
    same_kind = briefbot("store", "copy", source, tmp_path / "other.sqlite3")
    assert same_kind.returncode == 2 and "from a SQLite file to a postgresql:// URL or back" in same_kind.stderr


async def test_an_older_source_is_left_unchanged_and_the_upgrade_of_a_copy_is_said(tmp_path: Path, url: str) -> None:
    """Migrated in place, the operator's rollback backup was gone: no older version opened it after the copy."""
    older = tmp_path / "pre-upgrade.sqlite3"
    conn = await connect(older)
    try:
        assert await migrate(conn, target=len(migration_files()) - 1) == len(migration_files()) - 1
    finally:
        await conn.close()
    before = older.read_bytes()
    refused = briefbot("store", "copy", older, url)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert f"older than this briefbot's {len(migration_files())}, and store copy does not change its source" in refused.stderr
    assert "briefbot --db upgraded.sqlite3 briefings" in refused.stderr
    assert older.read_bytes() == before


async def test_a_source_without_briefings_is_refused_not_copied_as_zero_rows(tmp_path: Path, url: str) -> None:
    """"copied: 0 briefings" and exit 0 told the operator an interrupted backup had been moved to PostgreSQL."""
    async with open_store(source := tmp_path / "store.sqlite3"):
        pass
    empty = briefbot("store", "copy", source, url)
    assert empty.returncode == 2 and f"{source} holds no briefings: nothing was copied" in empty.stderr
    back = briefbot("store", "copy", url, tmp_path / "back.sqlite3")  # the PostgreSQL store holds none either
    assert back.returncode == 2 and "holds no briefings: nothing was copied" in back.stderr
    interrupted_backup(source, backup := tmp_path / "backup.sqlite3")
    stopped = briefbot("store", "copy", backup, url)
    assert stopped.returncode == 2 and f"{backup} was left mid-write, its -journal beside it" in stopped.stderr, stopped.stderr


async def test_a_source_with_a_zero_filled_revision_is_said_to_be_damaged(tmp_path: Path, url: str) -> None:
    """PostgreSQL refuses its NUL bytes: the copy ended with asyncpg's CharacterNotInRepertoireError traceback."""
    source, _ = zero_filled_revision(tmp_path)
    refused = briefbot("store", "copy", source, url)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
    assert f"cannot copy {source}: the database file is corrupt or truncated" in refused.stderr
    async with open_store(url) as copied:
        assert await copied.repository.briefings() == []  # nothing was copied


async def test_a_full_disk_while_building_a_sqlite_destination_says_so_and_that_it_is_incomplete(tmp_path: Path, url: str) -> None:
    """It said "migration 010_items.sql failed: the disk could not be read or written": the migration, not the room, seemed at fault."""
    source = tmp_path / "source.sqlite3"
    async with open_store(source) as store:
        await store.seed(DATA, BRIEFING_ID)
    assert briefbot("store", "copy", source, url).returncode == 0
    for limit in (200_000, 1_300_000):  # full at the new file's first migration, and at 010_items.sql (its WAL's pages)
        full = briefbot("store", "copy", url, destination := tmp_path / f"back-{limit}.sqlite3", file_limit=limit)
        assert full.returncode == 2 and "Traceback" not in full.stderr, full.stderr
        assert full.stderr.endswith(
            f"cannot write {destination}: the disk is full or the file may grow no larger (or the disk failed), so {destination}"
            " is incomplete: delete it, with its -wal and -shm, make room, and copy again\n"
        ), full.stderr
        assert "migration" not in full.stderr
