"""Which items a load or an import changed comes from `revision_items` (SQLite 024, PostgreSQL 014), written with the
revision, and the migration fills it for a store the older code wrote, so every answer stays the same."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
from msgspec.structs import replace

from bot.core.service import BriefingCore
from bot.store import Store, open_store
from bot.store.packfile import dump_pack, read_pack_text
from tests.conftest import BRIEFING_ID, DATA
from tests.test_admin import POLICY, import_checked, renamed, run
from tests.test_undo import number

RENAMED = ("person", "ivan-cepeda")  # the person `renamed` changes
KEPT = ("person", "donald-trump")  # a person nothing changes after the first load


async def sql(target: str | Path, statement: str) -> list[tuple[Any, ...]]:
    """Run one statement on the store's database directly, as an operator's client would; its rows."""
    if isinstance(target, Path):
        with contextlib.closing(sqlite3.connect(target, isolation_level=None)) as conn:
            return conn.execute(statement).fetchall()
    conn = await asyncpg.connect(str(target))
    try:
        return [tuple(row) for row in await conn.fetch(statement)]
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def seeded(target: str | Path) -> AsyncIterator[Store]:
    """The store at `target`, seeded with the shipped pack (its first load)."""
    async with open_store(target) as store:
        await store.seed(DATA, BRIEFING_ID)
        yield store


async def _history(store: Store) -> tuple[int, int]:
    """An import that renames a person, then a load that changes an agenda item's title: their revision numbers."""
    core = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
    imported = number(await import_checked(core, renamed(dump_pack(await store.repository.briefing()))))
    now = await store.repository.briefing()
    agenda = replace(now.agenda[0], title=now.agenda[0].title + " (moved)")
    assert await store.repository.save(replace(now, agenda=(agenda, *now.agenda[1:])), discard_edits=True)
    loaded = (await store.repository.revisions(BRIEFING_ID, limit=1))[0].id
    return imported, loaded


async def test_an_item_only_an_import_changed_names_the_import_and_the_table_is_what_says_so(store_target):
    async with seeded(store_target) as store:
        repository, core = store.repository, BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
        original = (await repository.briefing()).agenda[0]
        imported, loaded = await _history(store)
        assert await sql(store_target, f"SELECT kind, item_id FROM revision_items WHERE revision_id = {imported}") == [RENAMED]
        first_agenda = original.id
        assert await sql(store_target, f"SELECT kind, item_id FROM revision_items WHERE revision_id = {loaded}") == [("agenda", first_agenda)]
        assert await repository.item_revision(BRIEFING_ID, *RENAMED) == imported
        assert await repository.item_revision(BRIEFING_ID, *KEPT) == 1  # the first load, which added every item
        history = await run(core, "history kind:person id:ivan-cepeda")
        assert [item.title for item in history.items] == [
            f"Revision {imported} · person/ivan-cepeda changed by a pack import", "Revision 1 · person/ivan-cepeda added by a pack load",
        ]
        assert [r.id for r in await repository.revisions(BRIEFING_ID, "person", data=False)] == [imported, 1]
        assert [r.id for r in await repository.revisions(BRIEFING_ID, "agenda", data=False)] == [loaded, 1]
        assert [r.id for r in await repository.revisions(BRIEFING_ID, "faq", data=False)] == [1]
        # The calendar's earlier states: the agenda item's title before the load, read from that load's pack alone.
        states = await repository.item_states(BRIEFING_ID, ("session", "agenda"))
        assert ("agenda", first_agenda, original.title) in [(kind, item, data["title"]) for kind, item, data in states]
        # Without its row, nothing says the import changed the person: the table answers, not the logged pack.
        await sql(store_target, f"DELETE FROM revision_items WHERE revision_id = {imported}")
        assert await repository.item_revision(BRIEFING_ID, *RENAMED) == 1
        assert [r.id for r in await repository.revisions(BRIEFING_ID, "person", "ivan-cepeda", data=False)] == [1]


async def _answers(store: Store, keys: list[tuple[str, str]]) -> dict[str, Any]:
    """Everything the table answers: item revisions, one item's and one kind's history, the calendar's states."""
    repository = store.repository
    return {
        "items": [await repository.item_revision(BRIEFING_ID, *key) for key in keys],
        "item history": [[r.id for r in await repository.revisions(BRIEFING_ID, *key, data=False)] for key in keys],
        "kind history": [[r.id for r in await repository.revisions(BRIEFING_ID, kind, data=False)] for kind, _ in keys],
        "states": await repository.item_states(BRIEFING_ID, ("session", "agenda")),
    }


async def test_the_migration_fills_the_table_of_a_store_the_older_code_wrote_and_every_answer_stays(store_target):
    async with seeded(store_target) as store:
        imported, loaded = await _history(store)
        core = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
        assert (await run(core, "undo")).kind == "answer"  # the load undone: its agenda item back
        assert (await run(core, "set kind:meeting status:concluded")).kind == "answer"
        briefing = await store.repository.briefing()
        keys = [RENAMED, KEPT, ("agenda", briefing.agenda[0].id), ("agenda", briefing.agenda[1].id), ("session", "meeting")]
        written = await _answers(store, keys)
    rows = sorted(await sql(store_target, "SELECT briefing_id, kind, item_id, revision_id FROM revision_items"))
    assert {row[3] for row in rows} == {1, imported, loaded, loaded + 1}  # the first load, the import, the load, its undo
    # The store as the code before the table left it: no table, the schema one migration short; and without what the
    # migrations after it added, which run again (027/017's column, 028/018's index, 029/019's table; 026/016
    # rewrote keys of no digest here).
    await sql(store_target, "DROP TABLE revision_items")
    await sql(store_target, "ALTER TABLE subscriptions DROP COLUMN unsubscribed")
    await sql(store_target, "DROP INDEX revisions_by_time")
    await sql(store_target, "DROP TABLE once_keys")
    if isinstance(store_target, Path):
        await sql(store_target, "PRAGMA user_version = 23")
    else:
        await sql(store_target, "DELETE FROM schema_migrations WHERE number >= 14")  # 14 and those after it
    async with open_store(store_target) as upgraded:
        assert sorted(await sql(store_target, "SELECT briefing_id, kind, item_id, revision_id FROM revision_items")) == rows
        assert await _answers(upgraded, keys) == written
