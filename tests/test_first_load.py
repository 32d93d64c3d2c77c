"""A load into a store file it creates is written in SQLite's rollback journal, each page once, then the file is
turned to WAL like every store (issue #18 §2); an existing file keeps WAL throughout, and a failed load, a full
disk or a second connection leave a whole store."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot.errors import StoreError
from bot.store import open_store
from bot.store.database import PAGE_SIZE, connect, use_rollback_journal, use_wal
from tests.cli_support import briefbot
from tests.conftest import BRIEFING_ID, DATA, PACK
from tests.load_support import load_pack
from tests.test_bulk_load import grown
from tests.test_store import SHIPPED, dump, refused
from tests.test_store_failures import small_disk


def pragma(path: Path, name: str) -> object:
    """A pragma of the file as another connection (process) sees it."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


async def migrated_and_empty(folder: Path) -> dict[str, object]:
    """What a store file holds once created and migrated, before any load."""
    path = folder / "reference.sqlite3"
    async with open_store(path):
        pass
    return dump(path)


async def test_a_load_into_a_new_file_is_journaled_alone_then_the_file_is_in_wal(tmp_path: Path) -> None:
    path = tmp_path / "new" / "store.sqlite3"
    async with open_store(path, loading=True) as store:
        assert pragma(path, "journal_mode") == "delete"  # no WAL beside it: a digest connection would have turned it on
        assert await load_pack(store, PACK) == (BRIEFING_ID, True)
        await store.repository.merge_search_index()
    assert pragma(path, "journal_mode") == "wal"
    assert pragma(path, "page_size") == PAGE_SIZE
    assert pragma(path, "integrity_check") == "ok"
    assert not Path(f"{path}-journal").exists()
    async with open_store(path) as store:
        assert await store.repository.briefing() == SHIPPED


@pytest.mark.parametrize("existing", ["empty file", "store"])
async def test_a_load_into_an_existing_file_keeps_wal_throughout(tmp_path: Path, existing: str) -> None:
    path = tmp_path / "store.sqlite3"
    if existing == "store":
        async with open_store(path) as store:
            await store.seed(DATA, BRIEFING_ID)
    else:
        path.touch()
    async with open_store(path, loading=True) as store:
        assert pragma(path, "journal_mode") == "wal"
        await store.repository.save(grown("grown", 30))
        assert pragma(path, "journal_mode") == "wal"
    assert pragma(path, "journal_mode") == "wal"


async def test_a_load_into_memory_makes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    async with open_store(":memory:", loading=True) as store:
        assert await load_pack(store, PACK) == (BRIEFING_ID, True)
    assert list(tmp_path.iterdir()) == []


async def test_a_failed_load_into_a_new_file_leaves_it_migrated_and_empty_and_the_next_open_in_wal(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    async with open_store(path, loading=True) as store:
        with refused(path, "quote"), pytest.raises(StoreError, match="refused"):
            await store.repository.save(grown(BRIEFING_ID, 3000))
    assert dump(path) == await migrated_and_empty(tmp_path)
    assert pragma(path, "integrity_check") == "ok"
    async with open_store(path) as store:
        assert pragma(path, "journal_mode") == "wal"
        assert await store.seed(DATA, BRIEFING_ID) == [BRIEFING_ID]


async def test_a_load_into_a_new_file_on_a_full_disk_leaves_it_migrated_and_empty(tmp_path: Path) -> None:
    """The rollback journal holds the empty store's pages: a load that fills the disk midway is rolled back whole."""
    with small_disk(tmp_path / "disk", "3m") as disk:
        path = disk / "store.sqlite3"
        with pytest.raises(StoreError, match="the disk is full"):
            async with open_store(path, loading=True) as store:
                await store.repository.save(grown(BRIEFING_ID, 20_000))
        assert dump(path) == await migrated_and_empty(tmp_path)
        assert pragma(path, "integrity_check") == "ok"
        assert not Path(f"{path}-journal").exists()


async def test_a_second_store_opened_beside_a_first_load_turns_wal_on_and_both_work(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    # `beside`, another process starting once the load has the file in its rollback journal, puts it back in WAL.
    async with open_store(path, loading=True) as store, open_store(path) as beside:
        assert pragma(path, "journal_mode") == "wal"
        assert await load_pack(store, PACK) == (BRIEFING_ID, True)
        assert await beside.repository.briefing() == SHIPPED
    assert pragma(path, "journal_mode") == "wal"
    assert pragma(path, "integrity_check") == "ok"


def test_briefbot_load_into_a_new_file_leaves_it_in_wal_with_large_pages(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    result = briefbot("--db", path, "load", PACK)
    assert (result.returncode, result.stdout) == (0, f"loaded: {BRIEFING_ID}\n"), result.stderr
    assert pragma(path, "journal_mode") == "wal"
    assert pragma(path, "page_size") == PAGE_SIZE


async def test_only_a_connection_alone_on_the_file_leaves_wal_and_it_syncs_in_full(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    conn = await connect(path)
    try:
        with contextlib.closing(sqlite3.connect(path)) as other:
            other.execute("PRAGMA user_version").fetchone()  # another process with the file open
            assert await use_rollback_journal(conn) is False
            assert pragma(path, "journal_mode") == "wal"
        assert await use_rollback_journal(conn) is True
        assert pragma(path, "journal_mode") == "delete"
        async with conn.execute("PRAGMA synchronous") as cursor:
            assert (await cursor.fetchone())[0] == 2  # FULL: a rollback journal synced as it must be to survive a power cut
        await use_wal(conn)
        assert pragma(path, "journal_mode") == "wal"
        async with conn.execute("PRAGMA synchronous") as cursor:
            assert (await cursor.fetchone())[0] == 1  # NORMAL, as in WAL ever
    finally:
        await conn.close()
