"""The SQLite store on a real file: migrations (fresh and old files), pragmas, atomic and idempotent
loads, freshness across connections, default briefing, export round trip and search ranking."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import msgspec.structs
import pytest

from bot.core.digest.ledger import NewSubscription
from bot.core.index import BriefingIndex
from bot.core.model import Briefing
from bot.core.repository import SEARCH_KINDS, Change, TimelineQuery
from bot.core.service import BriefingCore
from bot.core.text import search_fold, search_groups
from bot.errors import NewerSchema, PackError, StoreError, UserError
from bot.store import Store, open_store, rows
from bot.store.database import BUSY_TIMEOUT_MS, PAGE_SIZE, connect, migrate, migration_files
from bot.store.fulltext import may_start_a_scope_term, tag_word
from bot.store.packfile import dump_pack, read_pack, read_pack_text, texts_moved
from bot.store.postgres.database import migrations as postgres_migrations
from bot.store.writes import content_hash
from tests.cli_support import briefbot, opened_together
from tests.conftest import BRIEFING_ID, DATA, PACK, ROOT
from tests.load_support import load_pack
from tests.schema009_rows import insert_old, rows_before_008, storable_before_010
from tests.test_admin import POLICY, run
from tests.test_revision_items import sql
from tests.test_scale import dated_pack

SHIPPED: Briefing = read_pack(PACK)


def _without_evidence(briefing: Briefing) -> Briefing:
    """The briefing as a store from before migration 008 holds it: no evidence, no source texts."""
    bare = {section: tuple(msgspec.structs.replace(item, evidence=()) for item in getattr(briefing, section))
            for section in ("timeline", "people", "agenda", "quotes", "faq")}
    return msgspec.structs.replace(
        briefing, summary_evidence=(), sessions=(msgspec.structs.replace(briefing.sessions[0], evidence=(), delegation=""),),
        sources=tuple(msgspec.structs.replace(s, text=None) for s in briefing.sources), **bare,
    )


# The shipped pack as version 1 could hold it (rows as before 008: see tests/schema009_rows.py).
V1: Briefing = _without_evidence(storable_before_010(SHIPPED))
MIGRATION_FILES = sorted((ROOT / "bot" / "store" / "migrations").glob("[0-9][0-9][0-9]_*.sql"))
# Every item the search index should hold for the shipped pack: one row per item, one for the meeting,
# one for the summary.
ITEMS = 1 + len(V1.timeline) + len(V1.people) + len(V1.agenda) + len(V1.quotes) + len(V1.faq) + len(V1.sources)
INDEXED = ITEMS + 1


def dump(path: Path) -> dict[str, Any]:
    """Schema, user_version and every row (with rowid where there is one) of every table, via a
    separate plain sqlite3 connection — what another process would see."""
    conn = sqlite3.connect(path)
    try:
        state: dict[str, Any] = {"user_version": conn.execute("PRAGMA user_version").fetchone()[0]}
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        state["schema"] = schema
        for _, name, _ in (s for s in schema if s[0] == "table"):
            try:
                rows = conn.execute(f'SELECT rowid, * FROM "{name}" ORDER BY rowid').fetchall()
            except sqlite3.OperationalError:  # WITHOUT ROWID tables (FTS5's config)
                rows = sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            state[name] = rows
        return state
    finally:
        conn.close()


def renamed(briefing: Briefing, new_id: str, title: str) -> Briefing:
    return msgspec.structs.replace(briefing, id=new_id, title=title)


def retitled_event(briefing: Briefing, event_id: str, title: str) -> Briefing:
    timeline = tuple(msgspec.structs.replace(e, title=title) if e.id == event_id else e for e in briefing.timeline)
    return msgspec.structs.replace(briefing, timeline=timeline)


async def ids(store: Store, text: str, **options: Any) -> list[tuple[str, str]]:
    return [(h.kind, h.item_id) for h in (await store.repository.search(BRIEFING_ID, text, **options))[0]]


# ---------------------------------------------------------------------------------------------
# Migrations


def test_migration_files_are_numbered_without_gaps() -> None:
    assert MIGRATION_FILES, "no migration files found"
    assert [int(p.name[:3]) for p in MIGRATION_FILES] == list(range(1, len(MIGRATION_FILES) + 1))
    assert [name for _, name in migration_files()] == [p.name for p in MIGRATION_FILES]


def test_a_gap_in_the_migration_numbers_is_refused_on_both_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing 002 would leave its tables unmade while the store records the schema as current: refused instead."""
    for name in ("001_first.sql", "003_third.sql"):
        (tmp_path / name).write_text("SELECT 1;\n", encoding="utf-8")
    monkeypatch.setattr("bot.store.database.MIGRATIONS", tmp_path)
    with pytest.raises(StoreError, match="without gaps"):
        migration_files()
    # PostgreSQL's are read as package resources: the folder stands in for the package's.
    monkeypatch.setattr("bot.store.postgres.database.resources", SimpleNamespace(files=lambda _package: tmp_path))
    with pytest.raises(StoreError, match="without gaps"):
        postgres_migrations()


async def test_fresh_file_is_created_and_fully_migrated(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "fresh.sqlite3"  # parent folders are created
    async with open_store(path) as store:
        assert await store.repository.briefings() == []
        with pytest.raises(UserError) as caught:
            await store.repository.briefing()
        assert caught.value.key == "briefing.none"
    state = dump(path)
    assert state["user_version"] == len(MIGRATION_FILES)
    for table in ("briefings", "sides", "items", "search_index"):
        assert table in state, table


async def test_reopening_a_migrated_file_changes_nothing(store: Store, store_path: Path) -> None:
    before = dump(store_path)
    async with open_store(store_path) as again:
        assert await again.seed(DATA, BRIEFING_ID) == []  # not empty: no second seeding
        assert await again.repository.briefing() == SHIPPED
    assert dump(store_path) == before


async def _write_v1_with_sql(path: Path) -> None:
    """Rows as a version-1 briefbot would have written them, with plain SQL and no repository."""
    conn = await connect(path)
    try:
        assert await migrate(conn, target=1) == 1
        await conn.execute("BEGIN")
        await insert_old(conn, V1, content_hash(V1), rows_before_008(V1))
        await conn.execute("COMMIT")
    finally:
        await conn.close()


async def test_migration_014_gives_stored_events_the_days_a_save_writes(tmp_path: Path) -> None:
    """Rows stored before 014 get the first and last day `timeline query:` sorts by, as `rows.item_row` writes them."""
    pack = dated_pack("dated")
    written = rows.item_rows(pack)
    conn = await connect(tmp_path / "v13.sqlite3")
    try:
        assert await migrate(conn, target=13) == 13
        await conn.execute("BEGIN")
        await conn.execute("INSERT INTO briefings (id, title, summary, zones, content_hash, updated_at, evidence, language, translations,"
                           " search_translations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows.briefing_row(pack, "", "2026-01-01T00:00:00+00:00"))
        await conn.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?)", [row[:7] for row in written])
        await conn.execute("COMMIT")
        assert await migrate(conn) == len(MIGRATION_FILES)
        found = await conn.execute_fetchall("SELECT kind, id, first_day, last_day FROM items")
    finally:
        await conn.close()
    assert sorted(found) == sorted((row[1], row[2], row[7], row[8]) for row in written)
    assert any(row[7] is None for row in written if row[1] == "timeline") and any(row[7] != row[8] for row in written)


async def test_old_database_is_migrated_and_search_backfilled(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    await _write_v1_with_sql(path)
    old = dump(path)
    assert old["user_version"] == 1
    assert "search_index" not in old  # 001 has no index: the data predates search

    async with open_store(path) as store:
        assert await store.repository.briefing() == V1  # data intact
        assert (await store.repository.briefing()).version == 1
        # 002 indexed what 001 already held.
        assert (await ids(store, "visa"))[:2] == [("timeline", "visa-revoked"), ("timeline", "special-visa")]
        assert ("person", "daniel-garcia-pena") in await ids(store, "garcia pena")
        assert ("source", "cubaheadlines-2026-02-03") in await ids(store, "cubaheadlines")
        assert ("session", "meeting") in await ids(store, "closed-door")
        # Loading the same pack now is a no-op: the migrated data is recognised as identical.
        assert await store.repository.save(V1) is False

    new = dump(path)
    assert new["user_version"] == len(MIGRATION_FILES)
    assert len(new["search_index"]) == INDEXED
    # 022 appended the folder of each briefing's pack: unknown for one loaded before it (the save above named none).
    assert [row[-1] for row in new["briefings"]] == [None] * len(old["briefings"])
    new["briefings"] = [row[:-1] for row in new["briefings"]]
    # 010 moved every item into `items` (the briefing read above is V1, so nothing was lost) and dropped the old tables.
    assert len(new["items"]) == ITEMS
    assert new["sides"] == [(*row, "[]") for row in old["sides"]]  # 022 appended `also`: no other names
    assert not {"sources", "meetings", "people", "timeline_events", "agenda_items", "quotes", "faq_entries"} & new.keys()
    # 005's write_token came and went (006); 007 appended `archived` (0 for every briefing there was), 008 `evidence`.
    # 011 turned the four zone columns (after rowid, id, title, summary) into `zones`, appended: venue then home.
    width = len(old["briefings"][0])
    assert [row[: width - 4] for row in new["briefings"]] == [row[:4] + row[8:] for row in old["briefings"]]
    assert [json.loads(row[-4]) for row in new["briefings"]] == [
        [{"zone": row[4], "label": row[5]}, {"zone": row[6], "label": row[7]}] for row in old["briefings"]
    ]
    # 012 appended the pack's language (English, as every pack was), its head's translations and their words: none;
    # 025 made those words the summary's search text (`search_fold`) with theirs.
    assert [tuple(row[-3:]) for row in new["briefings"]] == [("en", "{}", search_fold(row[3] + " ")) for row in old["briefings"]]
    assert [row[width - 4] for row in new["briefings"]] == [0] * len(old["briefings"])  # archived


async def test_index_stays_in_step_after_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    await _write_v1_with_sql(path)
    async with open_store(path) as store:
        # "lands" is only in this event's title ("Petro lands in Washington"; its detail says "landed").
        assert ("timeline", "arrival-washington") in await ids(store, "lands", kinds=["timeline"])
        changed = retitled_event(V1, "arrival-washington", "Zebra summit at the residence")
        assert await store.repository.save(changed) is True
        assert await ids(store, "zebra") == [("timeline", "arrival-washington")]
        assert ("timeline", "arrival-washington") not in await ids(store, "lands", kinds=["timeline"])
    assert len(dump(path)["search_index"]) == INDEXED  # replaced, not duplicated


def _applied(outputs: list[str]) -> list[str]:
    """The migrations the processes' logs say they applied, by name (the processes took turns)."""
    return sorted(line.removeprefix("applied migration ") for output in outputs for line in output.splitlines()
                  if line.startswith("applied migration "))


async def test_processes_starting_together_on_an_old_file_migrate_it_once(tmp_path: Path) -> None:
    """Each migration reads the version again under the write lock: a process that waited for it skips what another applied."""
    path, alone = tmp_path / "old.sqlite3", tmp_path / "alone.sqlite3"
    await _write_v1_with_sql(path)
    shutil.copy(path, alone)
    ended = opened_together(path)
    assert [status for status, _ in ended] == [0] * 4, ended
    assert _applied([output for _, output in ended]) == [p.name for p in MIGRATION_FILES[1:]]  # each once, logged
    async with open_store(alone):
        pass
    assert dump(path) == dump(alone)  # as one process alone leaves it


async def test_a_new_file_is_made_in_one_line_of_the_log_an_old_one_names_each_migration(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.store.database")
    async with open_store(tmp_path / "new.sqlite3"):
        pass
    assert caplog.messages == [f"made a new store (schema {len(MIGRATION_FILES)})"]
    await _write_v1_with_sql(old := tmp_path / "old.sqlite3")
    caplog.clear()
    async with open_store(old):
        pass
    assert caplog.messages == [f"applied migration {p.name}" for p in MIGRATION_FILES[1:]]


async def test_an_empty_file_is_taken_as_a_new_store_with_a_warning_naming_it(tmp_path: Path, caplog) -> None:
    """A store truncated to 0 bytes reads to SQLite as a new database: its history's loss is said, not only 'made a new store'."""
    warned = "was an empty file (0 bytes) and was taken as a new store"
    for loading in (False, True):  # `loading` makes the file itself when there is none: not to be taken for an emptied one
        caplog.clear()
        async with open_store(tmp_path / f"new-{loading}.sqlite3", loading=loading):
            pass
        assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []
        (emptied := tmp_path / f"emptied-{loading}.sqlite3").write_bytes(b"")
        async with open_store(emptied, loading=loading):
            pass
        assert [(r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING] == [
            ("WARNING", f"{emptied} {warned}; if it held briefbot's store, stop and restore the last backup"
                        ' (docs/deploy.md, "Backups")')]
    (emptied := tmp_path / "emptied-cli.sqlite3").write_bytes(b"")
    for command in (["ask", "/meeting"], ["load"]):  # a one-shot command says it on standard error too
        emptied.write_bytes(b"")
        ended = briefbot("--db", emptied, *command)
        assert ended.returncode == 0, ended.stderr
        assert f"WARNING bot.store: {emptied} {warned}" in ended.stderr
        assert f"{warned}" not in briefbot("--db", emptied, *command).stderr  # once it holds the store


def interrupted_backup(source: Path, backup: Path) -> None:
    """`sqlite3 store ".backup backup"` killed mid-way: the file part-written, its `-journal` beside it."""
    copying = f"""
import os, sqlite3
def progress(status, remaining, total):
    if total - remaining > 5:
        os._exit(9)
backup = sqlite3.connect({str(backup)!r})
backup.execute("PRAGMA cache_size = 2")  # pages reach the file, and the journal, as they are copied
sqlite3.connect({str(source)!r}).backup(backup, pages=1, progress=progress)
"""
    assert subprocess.run([sys.executable, "-c", copying], check=False).returncode == 9
    assert backup.stat().st_size > 0 and backup.with_name(backup.name + "-journal").exists()


async def test_an_interrupted_backup_is_refused_not_taken_as_a_new_store(tmp_path: Path) -> None:
    """Its journal rolls it back to a database with no table: once made into a new, seeded store, the operator's restore
    seemed to work and every briefing's history and subscription was gone."""
    async with open_store(source := tmp_path / "store.sqlite3"):
        pass
    interrupted_backup(source, backup := tmp_path / "backup.sqlite3")
    ended = briefbot("--db", backup, "ask", "/meeting")
    assert ended.returncode != 0
    assert f"briefbot: the database could not be used: cannot open database {backup}: the file is not empty" in ended.stderr
    assert "holds no briefbot store, as an interrupted copy or backup" in ended.stderr and "Traceback" not in ended.stderr
    assert "made a new store" not in ended.stderr and "seeded" not in ended.stderr
    with contextlib.closing(sqlite3.connect(backup)) as db:
        assert db.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)  # left as it was: nothing written in


async def test_connections_migrating_one_old_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    await _write_v1_with_sql(path)
    conns = [await connect(path) for _ in range(3)]
    try:
        assert await asyncio.gather(*(migrate(conn) for conn in conns)) == [len(MIGRATION_FILES)] * 3
    finally:
        for conn in conns:
            await conn.close()
    async with open_store(path) as store:
        assert await store.repository.briefing() == V1


async def test_a_connection_opened_before_another_migrated_part_of_the_file_applies_the_rest(tmp_path: Path) -> None:
    """Its cached schema is from before 005: 006's `DROP COLUMN write_token` must be checked against the file's, not that."""
    path = tmp_path / "old.sqlite3"
    await _write_v1_with_sql(path)
    first, second = await connect(path), await connect(path)
    try:
        assert await migrate(first, target=5) == 5
        assert await migrate(second) == len(MIGRATION_FILES)
    finally:
        await first.close()
        await second.close()


async def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE briefings (id TEXT)")
    conn.execute(f"PRAGMA user_version = {len(MIGRATION_FILES) + 5}")
    conn.commit()
    conn.close()
    before = dump(path)
    with pytest.raises(NewerSchema) as refused:
        async with open_store(path):
            pytest.fail("a newer schema must not be opened")
    assert str(refused.value).startswith(f"cannot open database {path}: database schema {len(MIGRATION_FILES) + 5} is newer")
    assert dump(path) == before
    ended = briefbot("--db", path, "ask", "/meeting")  # the operator's one line names the file to act on
    assert (ended.returncode, ended.stdout) == (2, "")
    assert f"cannot open database {path}: database schema {len(MIGRATION_FILES) + 5} is newer" in ended.stderr
    assert "Traceback" not in ended.stderr
    assert dump(path) == before


async def test_a_running_process_refuses_to_write_once_a_newer_briefbot_migrated_the_store(
    store: Store, store_target: Path | str, caplog: pytest.LogCaptureFixture,
) -> None:
    """A rolling deploy: a process started before the upgrade would write revisions without the newer tables' rows."""
    known = len(MIGRATION_FILES) if isinstance(store_target, Path) else len(postgres_migrations())
    newer = known + 1
    before = await store.repository.revisions(BRIEFING_ID, limit=50), await store.repository.briefing()
    # What a newer release's migration leaves, written by another connection while this store is open.
    if isinstance(store_target, Path):
        await sql(store_target, f"PRAGMA user_version = {newer}")
    else:
        await sql(store_target, f"INSERT INTO schema_migrations (number, name) VALUES ({newer}, '{newer:03}_newer.sql')")
    said = f"database schema {newer} is newer than this briefbot ({known}): a newer briefbot has migrated it; nothing was written; stop and upgrade this process"
    if isinstance(store_target, Path):  # the file the operator must act on (a PostgreSQL server has its URL in the settings)
        said = f"a write to {store_target} was refused: {said}"
    core = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
    edit = await run(core, "set kind:meeting status:concluded")  # an admin's edit: the generic answer, the reason logged
    assert (edit.kind, edit.text) == ("error", "Sorry, that did not work. The problem has been logged; please try again later.")
    logged = [record.exc_info[1] for record in caplog.records if record.exc_info]
    with pytest.raises(NewerSchema) as load:
        await store.repository.save(retitled_event(SHIPPED, SHIPPED.timeline[0].id, "Zebra summit"))
    assert [str(error) for error in logged] == [str(load.value)] == [said]
    assert (await store.repository.revisions(BRIEFING_ID, limit=50), await store.repository.briefing()) == before
    if isinstance(store_target, Path):  # the digests' own connection says so too
        with pytest.raises(NewerSchema) as subscribe:
            await store.digests.subscribe(NewSubscription(
                platform="slack", channel_id="C42", team_id="T1", briefing_id=BRIEFING_ID, time=time(7, 30), zone="UTC",
                quiet=False, alerts=(), created_by="U1", now=datetime(2026, 2, 1, 12, 0, tzinfo=UTC), seen_revision=0))
        assert str(subscribe.value) == said.replace("a write to", "a digest write to")


async def test_failed_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    """Each migration is one transaction: a file where 001 cannot apply keeps version 0 and no half schema."""
    path = tmp_path / "clash.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (name TEXT)")  # 001 creates `people` too, after other tables
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="001_"):
        async with open_store(path):
            pytest.fail("a failed migration must not open the store")
    state = dump(path)
    assert state["user_version"] == 0
    assert [row[1] for row in state["schema"] if row[0] == "table"] == ["people"]


async def test_connection_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "pragmas.sqlite3"
    conn = await connect(path)
    try:
        async def pragma(name: str) -> Any:
            async with conn.execute(f"PRAGMA {name}") as cursor:
                return (await cursor.fetchone())[0]

        assert await pragma("journal_mode") == "wal"
        assert await pragma("foreign_keys") == 1
        assert await pragma("busy_timeout") == BUSY_TIMEOUT_MS > 0
    finally:
        await conn.close()


async def test_store_file_is_in_wal_mode_with_large_pages(store: Store, store_path: Path) -> None:
    # WAL and the page size are properties of the file: any other connection (process) sees them.
    conn = sqlite3.connect(store_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE != 4096
    finally:
        conn.close()


async def test_a_store_made_with_small_pages_keeps_them_and_serves(tmp_path: Path) -> None:
    path = tmp_path / "small-pages.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as old:
        old.execute("PRAGMA page_size = 4096")
        old.execute("PRAGMA journal_mode = WAL")
    async with open_store(path) as store:
        assert await store.seed(DATA, BRIEFING_ID) != []
    async with open_store(path) as store:
        assert await store.repository.briefing() == SHIPPED
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.sqlite_only("a pragma of the SQLite connection")
async def test_foreign_keys_are_enforced_on_the_store_connection(store: Store) -> None:
    # References between items are the validator's (migration 010); an item's briefing is still a foreign key.
    conn = store.repository._conn  # the store's own connection: the pragma is per connection
    with pytest.raises(sqlite3.IntegrityError, match=r"(?i)foreign key"):
        await conn.execute("INSERT INTO items (briefing_id, kind, id, position, data) VALUES ('nowhere', 'faq', 'x', 0, '{}')")


# ---------------------------------------------------------------------------------------------
# Atomic load


def _broken_pack(tmp_path: Path) -> Path:
    """A pack whose title changed (so a partial load would show) and with one invalid date."""
    text = PACK.read_text(encoding="utf-8")
    text = text.replace("Petro in Washington: the White House meeting", "CHANGED TITLE", 1)
    text = text.replace('date: "2025-10"', 'date: "2025-13"', 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_invalid_pack_leaves_store_byte_for_byte_unchanged(store: Store, store_path: Path, tmp_path: Path) -> None:
    files = [store_path, store_path.with_name(store_path.name + "-wal")]
    bytes_before = [f.read_bytes() if f.exists() else None for f in files]
    before = dump(store_path)
    with pytest.raises(PackError) as caught:
        await load_pack(store, _broken_pack(tmp_path))
    assert [(p.path, p.key) for p in caught.value.problems] == [("timeline[5].date", "pack.bad_date")]
    assert dump(store_path) == before
    assert [f.read_bytes() if f.exists() else None for f in files] == bytes_before
    assert (await store.repository.briefing()).title == SHIPPED.title


async def test_missing_pack_file_is_a_pack_error(store: Store, store_path: Path, tmp_path: Path) -> None:
    before = dump(store_path)
    with pytest.raises(PackError) as caught:
        await load_pack(store, tmp_path / "absent.yaml")
    assert [p.key for p in caught.value.problems] == ["pack.not_found"]
    assert dump(store_path) == before


@contextlib.contextmanager
def refused(store_path: Path, kind: str) -> Iterator[None]:
    """Inserting an item of this kind fails inside the store's transaction (a trigger another connection made)."""
    with contextlib.closing(sqlite3.connect(store_path, isolation_level=None)) as conn:
        conn.execute(f"CREATE TRIGGER refuse BEFORE INSERT ON items WHEN NEW.kind = '{kind}' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        try:
            yield
        finally:
            conn.execute("DROP TRIGGER refuse")


# A session is written first of its position, a quote among the last: a failure early and late in the save.
@pytest.mark.parametrize("kind", ["session", "quote"])
async def test_failure_inside_save_of_an_existing_briefing_rolls_back(store: Store, store_path: Path, kind: str) -> None:
    loaded = await store.repository.briefing()  # cache it: a failed save must not leave it stale either
    with refused(store_path, kind):
        before = dump(store_path)
        # The title changes too, so the briefings row would be updated before the failing insert.
        with pytest.raises(StoreError):
            await store.repository.save(renamed(SHIPPED, BRIEFING_ID, "A changed title"), make_default=True)
        assert dump(store_path) == before
    again = await store.repository.briefing()
    assert again == SHIPPED and again.version == loaded.version
    # The connection is usable afterwards: not stuck inside the failed transaction.
    assert await store.repository.save(renamed(SHIPPED, BRIEFING_ID, "A changed title")) is True
    assert (await store.repository.briefing()).title == "A changed title"


@pytest.mark.parametrize("kind", ["session", "quote"])
async def test_failure_inside_save_of_a_new_briefing_rolls_back(store: Store, store_path: Path, kind: str) -> None:
    with refused(store_path, kind):
        before = dump(store_path)
        with pytest.raises(StoreError):
            await store.repository.save(renamed(SHIPPED, "other-briefing", "Other"), make_default=True)
        assert dump(store_path) == before
    assert [b.id for b in await store.repository.briefings()] == [BRIEFING_ID]
    with pytest.raises(UserError):
        await store.repository.briefing("other-briefing")


# ---------------------------------------------------------------------------------------------
# Idempotent load, versions and freshness


async def test_loading_the_same_pack_twice_changes_nothing(store: Store, store_path: Path) -> None:
    first = await store.repository.briefing()
    assert first.version == 1
    before = dump(store_path)
    assert await load_pack(store, PACK) == (BRIEFING_ID, False)
    assert await load_pack(store, PACK, make_default=True) == (BRIEFING_ID, False)
    assert await store.repository.save(SHIPPED) is False
    assert dump(store_path) == before
    assert (await store.repository.briefing()).version == 1


async def test_first_load_reports_a_change(tmp_path: Path) -> None:
    async with open_store(tmp_path / "s.sqlite3") as store:
        assert await load_pack(store, PACK) == (BRIEFING_ID, True)
        assert await load_pack(store, PACK) == (BRIEFING_ID, False)
        assert [(b.id, b.is_default) for b in await store.repository.briefings()] == [(BRIEFING_ID, True)]


async def test_changed_pack_bumps_version_and_invalidates_the_cache(store: Store) -> None:
    cached = await store.repository.briefing()
    assert cached.sessions[0].status == "scheduled"
    concluded = msgspec.structs.replace(
        SHIPPED, sessions=(msgspec.structs.replace(SHIPPED.sessions[0], status="concluded", outcome="They agreed to talk again."),)
    )
    assert await store.repository.save(concluded) is True
    fresh = await store.repository.briefing()
    assert fresh.version == cached.version + 1
    assert (fresh.sessions[0].status, fresh.sessions[0].outcome) == ("concluded", "They agreed to talk again.")
    assert fresh == concluded
    assert ("session", "meeting") in await ids(store, "agreed")  # the index followed too
    # Saving the original back is a change again.
    assert await store.repository.save(SHIPPED) is True
    assert (await store.repository.briefing()).version == cached.version + 2
    assert await ids(store, "agreed") == []


async def _seen(store: Store, wanted: Briefing, briefing_id: str | None = None) -> Briefing:
    """The briefing as read within about a second: on PostgreSQL another process's commit reaches this one's
    listener within milliseconds, not before its next statement (docs/deploy.md); on SQLite the first read has it."""
    for _ in range(100):
        found = await store.repository.briefing(briefing_id)
        if found == wanted:
            break
        await asyncio.sleep(0.01)
    return found


async def test_changes_through_another_connection_are_seen(store: Store, store_target: Path | str) -> None:
    """Two processes on one store: what one writes, the other reads (on PostgreSQL, once it hears of the commit)."""
    cached = await store.repository.briefing()
    changed = retitled_event(SHIPPED, "decertification", "Washington grades Colombia's counternarcotics")
    async with open_store(store_target) as other:
        assert await other.repository.save(changed) is True
    fresh = await _seen(store, changed)
    assert fresh.version == cached.version + 1
    assert fresh == changed
    assert ("timeline", "decertification") in await ids(store, "counternarcotics")
    # …and the other way round, with both open at once.
    async with open_store(store_target) as other:
        assert (await other.repository.briefing()) == changed
        assert await store.repository.save(SHIPPED) is True
        assert (await _seen(other, SHIPPED)) == SHIPPED


async def test_each_snapshot_is_checked_against_the_file_on_its_own(store: Store, store_target: Path | str) -> None:
    """After another connection writes, finding one briefing current says nothing of another's snapshot."""
    other = renamed(SHIPPED, "other-briefing", "Another briefing")
    await store.repository.save(other)
    assert await store.repository.briefing("other-briefing") == other  # both cached now
    changed = retitled_event(other, "decertification", "Edited in another process")
    async with open_store(store_target) as elsewhere:
        assert await elsewhere.repository.save(changed) is True
    assert await store.repository.briefing(BRIEFING_ID) == SHIPPED  # unchanged, and found so
    assert await _seen(store, changed, "other-briefing") == changed
    assert await store.repository.briefing("other-briefing") == changed  # and now it is the one cached


async def test_a_default_moved_by_another_connection_is_followed(store: Store, store_target: Path | str) -> None:
    other = renamed(SHIPPED, "other-briefing", "Another briefing")
    await store.repository.save(other)
    assert await store.repository.briefing("other-briefing") == other
    assert (await store.repository.briefing()).id == BRIEFING_ID
    async with open_store(store_target) as elsewhere:
        await elsewhere.repository.set_default("other-briefing")
    assert await _seen(store, other) == other
    async with open_store(store_target) as elsewhere:
        await elsewhere.repository.set_default(BRIEFING_ID)
    assert await _seen(store, SHIPPED) == SHIPPED


async def test_a_commit_during_a_read_is_not_half_seen_and_the_next_read_sees_it(store: Store, store_path: Path) -> None:
    """Another connection commits while a read is under way (SQLite's trace hook makes it happen mid-read).

    The read is one transaction, so it returns the briefing wholly as it was; it noted data_version
    before reading, so the next read notices the commit and returns the briefing as it is now.
    """
    # The hook runs on aiosqlite's worker thread, hence check_same_thread=False.
    with contextlib.closing(sqlite3.connect(store_path, isolation_level=None, check_same_thread=False)) as other:
        committed: list[str] = []

        def commit_meanwhile(statement: str) -> None:
            if "FROM sides" in statement and not committed:  # the read's second statement
                committed.append(statement)
                other.execute("UPDATE items SET data = json_set(data, '$.answer', 'Changed meanwhile.') WHERE briefing_id = ? AND kind = 'faq'",
                              (BRIEFING_ID,))
                other.execute("UPDATE briefings SET version = version + 1 WHERE id = ?", (BRIEFING_ID,))

        await store.repository._conn.set_trace_callback(commit_meanwhile)
        during = await store.repository.briefing()
        await store.repository._conn.set_trace_callback(None)
        after = await store.repository.briefing()
    assert committed
    assert during == SHIPPED and during.version == 1
    assert {f.answer for f in after.faq} == {"Changed meanwhile."} and after.version == 2


# ---------------------------------------------------------------------------------------------
# Several briefings, one default


async def test_default_briefing_selection(store: Store) -> None:
    other = renamed(SHIPPED, "other-briefing", "Another briefing")
    assert await store.repository.save(other) is True
    # The first briefing stays the default until told otherwise.
    assert (await store.repository.briefing()).id == BRIEFING_ID
    assert await store.repository.briefing("other-briefing") == other
    assert [(b.id, b.is_default) for b in await store.repository.briefings()] == [
        (BRIEFING_ID, True),
        ("other-briefing", False),
    ]
    await store.repository.set_default("other-briefing")
    assert (await store.repository.briefing()).id == "other-briefing"
    assert [(b.id, b.is_default) for b in await store.repository.briefings()] == [
        ("other-briefing", True),
        (BRIEFING_ID, False),
    ]
    # Saving with make_default moves it back, even when the content is unchanged.
    assert await store.repository.save(SHIPPED, make_default=True) is False
    assert (await store.repository.briefing()).id == BRIEFING_ID
    assert sum(b.is_default for b in await store.repository.briefings()) == 1


async def test_briefings_are_kept_apart(store: Store) -> None:
    other = retitled_event(renamed(SHIPPED, "other-briefing", "Another briefing"), "decertification", "Zebra crossing")
    await store.repository.save(other)
    assert ("timeline", "decertification") not in await ids(store, "zebra")
    assert [(h.kind, h.item_id) for h in (await store.repository.search("other-briefing", "zebra"))[0]] == [("timeline", "decertification")]
    assert (await store.repository.search(BRIEFING_ID, "visa"))[1] == 3  # not doubled by the copy
    assert (await store.repository.briefing(BRIEFING_ID)) == SHIPPED


async def test_seed_sets_the_configured_default(tmp_path: Path) -> None:
    async with open_store(tmp_path / "s.sqlite3") as store:
        assert await store.seed(DATA, BRIEFING_ID) == [BRIEFING_ID]
        assert await store.seed(DATA, BRIEFING_ID) == []
        assert (await store.repository.briefing()).id == BRIEFING_ID


@pytest.mark.parametrize("unknown", ["nope", "PETRO-TRUMP-2026", "x" * 500])
async def test_unknown_briefing_id_is_a_user_error(store: Store, unknown: str) -> None:
    with pytest.raises(UserError) as caught:
        await store.repository.briefing(unknown)
    assert caught.value.key == "briefing.unknown"
    assert caught.value.params == {"briefing": unknown[:64]}
    with pytest.raises(UserError) as caught:
        await store.repository.set_default(unknown)
    assert caught.value.key == "briefing.unknown"
    assert (await store.repository.briefing()).id == BRIEFING_ID  # the default did not move
    with pytest.raises(UserError) as caught:  # an edit's too, before anything is built
        await store.repository.apply(unknown, _never_built)
    assert caught.value.key == "briefing.unknown"
    assert caught.value.params == {"briefing": unknown[:64]}


def _never_built(briefing: Briefing) -> Change:
    """An edit's `build` that must not run."""
    raise AssertionError(f"built from {briefing.id}")


# ---------------------------------------------------------------------------------------------
# Export round trip


async def test_export_reads_back_equal(store: Store) -> None:
    exported = dump_pack(await store.repository.briefing())
    assert read_pack_text(exported, "export.yaml") == SHIPPED


async def test_export_load_export_is_byte_identical(store: Store, tmp_path: Path) -> None:
    # Written elsewhere, as `briefbot export -o` writes it: its texts' paths lead from there to the same files.
    briefing = await store.repository.briefing()
    first = dump_pack(texts_moved(briefing, await store.repository.pack_folder(briefing.id), tmp_path))
    path = tmp_path / "exported.yaml"
    path.write_text(first, encoding="utf-8")
    # Loading the export into the same store is no change at all…
    assert await load_pack(store, path) == (BRIEFING_ID, False)
    # …and into a fresh store it exports the very same bytes.
    async with open_store(tmp_path / "second.sqlite3") as second:
        assert await load_pack(second, path) == (BRIEFING_ID, True)
        again = dump_pack(await second.repository.briefing())
    assert again == first
    assert "García-Peña" in first and "Bogotá" in first  # Unicode kept readable, not \u-escaped


async def test_export_of_a_changed_briefing_round_trips(store: Store, tmp_path: Path) -> None:
    changed = msgspec.structs.replace(
        SHIPPED,
        sessions=(msgspec.structs.replace(SHIPPED.sessions[0], status="postponed", outcome="Postponed: \"weather\" — 'yes'"),),
        title="yes",  # a YAML 1.1 boolean word must stay text
    )
    await store.repository.save(changed)
    exported = dump_pack(await store.repository.briefing())
    assert read_pack_text(exported, "export.yaml") == changed


# ---------------------------------------------------------------------------------------------
# Search


async def test_title_matches_outrank_body_matches(store: Store) -> None:
    hits, _ = await store.repository.search(BRIEFING_ID, "maduro")
    # The person and the event with "Maduro" in the title come before the quote that names him in its context.
    assert {(h.kind, h.item_id) for h in hits[:2]} == {("person", "nicolas-maduro"), ("timeline", "maduro-captured")}
    assert ("quote", "trump-colombia-very-sick") in [(h.kind, h.item_id) for h in hits[2:]]
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)


async def test_title_outranks_body_for_a_person(store: Store) -> None:
    # "McNamara" is the title (name) of a person, and only body text of the agenda item and quote.
    assert (await ids(store, "mcnamara"))[0] == ("person", "john-mcnamara")


async def test_a_word_that_starts_a_kind_or_a_topic_is_searched_in_the_text_alone(store: Store) -> None:
    """The index also holds each item's kind and topics as terms (its `scope`): a word that starts one, whatever its
    case or accents, finds only items whose text holds it, as every other word does (here: none)."""
    topic = tag_word("trade").lower()  # the word of the events tagged "trade"
    for word in ["sessio", "SESSIO", "séssio", "summ", topic, topic[:6]]:
        assert await ids(store, word) == [], word
    assert await ids(store, "sessio", kinds=("session",)) == []


def test_a_search_splits_into_groups_at_each_or_in_any_case_and_nowhere_else() -> None:
    """`or` as a word of its own, any case, splits the groups (most searches hold none: one group, told at once); the words
    are folded as the index's are, in lower case."""
    assert search_groups("visa OR cocoa") == (("visa",), ("cocoa",))
    assert search_groups("Visa oR cocoa petro, or") == (("visa",), ("cocoa", "petro"))
    assert search_groups("oro for Orinoco") == (("oro", "for", "orinoco"),) and search_groups("visa or_else") == (("visa",), ("else",))
    assert search_groups("or OR") == () and search_groups(" ,; ") == ()
    assert search_groups(" ".join(["w"] * 12 + ["or", "x"])) == (("w",) * 12,)  # the 13th word on is never read


def test_every_start_of_a_kind_or_a_topic_word_is_told_apart_from_other_words() -> None:
    """Any start of a kind's name or of a topic's term, whole names included, in any case, and among other words,
    may be a `scope` term; a word that starts none is searched without the column filter."""
    for kind in SEARCH_KINDS:
        for end in range(1, len(kind) + 1):
            assert may_start_a_scope_term(search_groups(f"visa {kind[:end].upper()}")), kind[:end]
    for word in ["t", "ta", "tag", tag_word("trade").lower(), "séssion"]:
        assert may_start_a_scope_term(search_groups(word)), word
    for text in ["visa", "sessions", "summaryx", "tagz", "tariffs OR visa", "", "   "]:
        assert not may_start_a_scope_term(search_groups(text)), text


ACCENT_AND_CASE = [
    ("Bolivar", ("agenda", "plaza-bolivar-rally")),
    ("Bolívar", ("agenda", "plaza-bolivar-rally")),
    ("BOLIVAR", ("quote", "petro-plaza-bolivar")),
    ("garcia pena", ("person", "daniel-garcia-pena")),
    ("García-Peña", ("person", "daniel-garcia-pena")),
    ("Nicolas Maduro", ("person", "nicolas-maduro")),
    ("Bogota", ("agenda", "plaza-bolivar-rally")),
]


async def test_search_is_accent_and_case_insensitive(store: Store) -> None:
    for query, expected in ACCENT_AND_CASE:
        assert expected in await ids(store, query), query


async def test_garcia_pena_finds_exactly_the_person(store: Store) -> None:
    assert await ids(store, "garcia pena") == [("person", "daniel-garcia-pena")]


PREFIXES = [
    ("deport", ("timeline", "deportation-flights-blocked")),
    ("sanct", ("timeline", "treasury-sanctions")),
    ("georget", ("agenda", "georgetown-lecture")),
    ("Villavic", ("person", "rosa-yolanda-villavicencio")),
    ("decert colomb", ("timeline", "decertification")),
]


async def test_search_matches_prefixes(store: Store) -> None:
    for query, expected in PREFIXES:
        assert expected in await ids(store, query), query


async def test_every_word_must_match(store: Store) -> None:
    assert await ids(store, "visa zebra") == []
    assert await ids(store, "revokes visa") == [("timeline", "visa-revoked")]


FTS_SYNTAX = [
    '"', '""', "*", "visa*", '"visa', "AND", "visa AND", "OR visa", "NOT", "NEAR(", "NEAR(visa petro, 2)",
    "-", "-visa", ":", "title:visa", "body:", "^visa", "(visa", ")", "{visa}", "[", "'", "visa; DROP TABLE people",
    "\x00", "\\", "+", "%", "_", "a" * 5000, "é" * 100, "🇨🇴 visa", "visa " * 100,
]


async def test_fts_syntax_in_user_text_is_inert(store: Store, store_path: Path) -> None:
    before = dump(store_path)
    for query in FTS_SYNTAX:  # one store for all: each query only reads
        hits, total = await store.repository.search(BRIEFING_ID, query)
        assert isinstance(hits, list) and total == len(hits), query
        assert all(h.kind and h.item_id for h in hits), query
    assert dump(store_path) == before  # "DROP TABLE" stayed a word


@pytest.mark.parametrize("query", ['"visa"', "visa*", "-visa", "(visa)", "visa:", "^visa", "NOT visa", "visa!"])
async def test_operators_are_read_as_plain_words(store: Store, query: str) -> None:
    plain = await ids(store, "visa")
    found = await ids(store, query)
    if "NOT" in query:
        # NOT is a word to look for, not an operator: nothing says "not…" near "visa" except where it does.
        assert set(found) <= set(plain)
    else:
        assert found == plain


async def test_text_without_words_finds_nothing(store: Store) -> None:
    for query in ("", "   ", "?!", "—"):
        assert await store.repository.search(BRIEFING_ID, query) == ([], 0)


async def test_kinds_filter(store: Store) -> None:
    everything = await ids(store, "petro")
    assert {kind for kind, _ in everything} >= {"person", "timeline", "quote", "agenda"}
    people = await ids(store, "petro", kinds=["person"])
    assert people and {kind for kind, _ in people} == {"person"}
    assert ("person", "gustavo-petro") in people
    some = await ids(store, "petro", kinds=["timeline", "quote"])
    assert some and {kind for kind, _ in some} == {"timeline", "quote"}
    assert set(some) <= set(everything)
    assert await ids(store, "visa", kinds=["faq"]) == []


async def test_a_search_counts_every_match_it_ranks(store: Store) -> None:
    hits, total = await store.repository.search(BRIEFING_ID, "petro")
    assert total == len(hits) > 2


async def test_search_in_an_unknown_briefing_finds_nothing(store: Store) -> None:
    assert await store.repository.search("nope", "visa") == ([], 0)


async def matched(repo: Any, briefing_id: str, text: str) -> set[str]:
    """Every event `timeline query:` finds for `text`, in one page."""
    found, total = await repo.timeline_matches(briefing_id, TimelineQuery(text, limit=1000))
    assert total == len(found)
    return set(found)


@pytest.mark.sqlite_only("the read-only probe is the SQLite store's")
async def test_a_small_briefing_is_searched_and_counted_on_the_probe_and_a_large_one_through_aiosqlite(
    store: Store, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same SQL and answers either way; only a briefing of at most SMALL_BRIEFING items skips the hop to aiosqlite's thread."""
    repo: Any = store.repository
    await repo.briefing(BRIEFING_ID)  # held: its size is known
    on_probe: list[str] = []
    repo._probe.connection.set_trace_callback(on_probe.append)
    lines = [("visa", TimelineQuery("visa")), ("petro trump", TimelineQuery("petro", tag="sanctions", limit=2)), ("visa OR cocoa", TimelineQuery("zzz"))]

    async def answers() -> list[object]:
        found: list[object] = [await repo.citations(BRIEFING_ID)]  # what /sources counts
        return found + [(await repo.search(BRIEFING_ID, text), await repo.timeline_matches(BRIEFING_ID, query)) for text, query in lines]

    small = await answers()
    assert sum("MATCH" in sql for sql in on_probe) == 2 * len(lines)  # a search, and a timeline page with its count
    assert sum("item_links" in sql and "MATCH" not in sql for sql in on_probe) == 1  # the citations' count
    on_probe.clear()
    monkeypatch.setattr("bot.store.repository.SMALL_BRIEFING", 0)
    assert await answers() == small
    assert not any("MATCH" in sql or "item_links" in sql for sql in on_probe)
    assert small[0] and small[1][0] and small[1][1] == (["visa-revoked", "special-visa"], 2)


@pytest.mark.sqlite_only("the probe is the SQLite file's read-only connection")
async def test_a_search_on_the_probe_leaves_out_rows_written_after_the_snapshot_it_answers_for(store: Store, store_target: Path) -> None:
    """An item another connection adds between a request's snapshot and its search is not among the hits (the version
    the answer shows has no such item); the next request holds the version that has it, and finds it."""
    repo: Any = store.repository
    await repo.briefing(BRIEFING_ID)  # held, as by a request
    assert await repo.search(BRIEFING_ID, "zebra") == ([], 0)
    async with open_store(store_target) as other:
        briefing = await other.repository.briefing(BRIEFING_ID)
        added = msgspec.structs.replace(briefing.timeline[0], id="zebra-talks", title="Zebra talks")
        await other.repository.save(msgspec.structs.replace(briefing, timeline=(*briefing.timeline, added)))
    assert await repo.search(BRIEFING_ID, "zebra") == ([], 0)
    await repo.briefing(BRIEFING_ID)
    assert [(hit.kind, hit.item_id) for hit in (await repo.search(BRIEFING_ID, "zebra"))[0]] == [("timeline", "zebra-talks")]


@pytest.mark.sqlite_only("the probe is the SQLite file's read-only connection")
async def test_a_timeline_query_on_the_probe_answers_for_the_snapshot_it_holds_the_events_of(store: Store, store_target: Path) -> None:
    """A small briefing's events are read in the timeline's order once per held snapshot: an event another connection adds
    or moves between a request's snapshot and its query is not shown out of place; the next snapshot's order has it."""
    repo: Any = store.repository
    briefing = await repo.briefing(BRIEFING_ID)  # held, as by a request
    assert await repo.timeline_matches(BRIEFING_ID, TimelineQuery("zebra")) == ([], 0)
    visa = await repo.timeline_matches(BRIEFING_ID, TimelineQuery("visa"))
    async with open_store(store_target) as other:
        added = msgspec.structs.replace(briefing.timeline[0], id="zebra-talks", title="Zebra talks")
        latest = next(e.date for e in reversed(BriefingIndex(briefing).timeline) if e.date)
        moved = tuple(msgspec.structs.replace(e, date=latest) if e.id == visa[0][0] else e for e in briefing.timeline)
        await other.repository.save(msgspec.structs.replace(briefing, timeline=(*moved, added)))
    assert await repo.timeline_matches(BRIEFING_ID, TimelineQuery("zebra")) == ([], 0)
    assert await repo.timeline_matches(BRIEFING_ID, TimelineQuery("visa")) == visa
    await repo.briefing(BRIEFING_ID)
    assert await repo.timeline_matches(BRIEFING_ID, TimelineQuery("zebra")) == (["zebra-talks"], 1)
    assert await repo.timeline_matches(BRIEFING_ID, TimelineQuery("visa")) == (visa[0][::-1], 2)


async def test_timeline_matches_in_one_briefing(store: Store) -> None:
    repo = store.repository
    assert await matched(repo, BRIEFING_ID, "visa") == {"visa-revoked", "special-visa"}
    assert await matched(repo, BRIEFING_ID, "garcia pena") == set()  # a person, not an event
    assert await matched(repo, "nope", "visa") == set()
    for query in FTS_SYNTAX:
        assert isinstance(await matched(repo, BRIEFING_ID, query), set), query
    # Another briefing's items never leak in.
    other = retitled_event(renamed(SHIPPED, "other-briefing", "Another"), "decertification", "Zebra crossing")
    await repo.save(other)
    assert await matched(repo, BRIEFING_ID, "zebra") == set()
    assert await matched(repo, "other-briefing", "zebra") == {"decertification"}


async def test_a_briefing_never_reads_the_terms_of_one_whose_id_extends_its_own(store: Store) -> None:
    """Index terms carry their briefing's key (b, the id in hex, x): 'ab' (6162) must not read 'abc' (616263)."""
    repo = store.repository
    await repo.save(renamed(SHIPPED, "ab", "Short"))
    await repo.save(retitled_event(renamed(SHIPPED, "abc", "Longer"), "decertification", "Zebra crossing"))
    assert [(h.kind, h.item_id) for h in (await repo.search("abc", "zebra"))[0]] == [("timeline", "decertification")]
    assert await repo.search("ab", "zebra") == ([], 0)
    assert await repo.search("ab", "63") == ([], 0)  # "63" continues the hex of 'ab' into that of 'abc'
    assert await matched(repo, "ab", "63zebra") == set()
    assert [(h.kind, h.item_id) for h in (await repo.search("ab", "visa"))[0]] == await ids(store, "visa")


# ---------------------------------------------------------------------------------------------
# Paths the probe must survive.

@pytest.mark.parametrize("folder", ["a#b", "what?", "100%20x"])
async def test_database_path_with_uri_characters(tmp_path: Path, folder: str) -> None:
    path = tmp_path / folder / "briefbot.sqlite3"
    async with open_store(path) as store:
        await store.seed(DATA, BRIEFING_ID)
        assert (await store.repository.briefing()).id == BRIEFING_ID
    # Nothing but the database's own folder appears beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]
