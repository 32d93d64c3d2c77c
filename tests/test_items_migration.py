"""Migrations SQLite 010 and PostgreSQL 005 on a store in use: every item, edit and revision comes through.

The old store is written with the row builders of the schema before them (tests/schema009_rows.py), as
the code of that time wrote it: a load, then admin edits (a person renamed, an event's note added, an
agenda item removed, the meeting's delegation given), each with its revision.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg

from bot.core.kinds import KINDS, item_data, items_of
from bot.core.model import Briefing
from bot.core.pack import pack_mapping
from bot.store import open_store
from bot.store.database import connect, migrate
from bot.store.packfile import read_pack
from bot.store.postgres.database import migrations as pg_migrations
from bot.store.repository import content_hash
from tests.conftest import BRIEFING_ID, PACK, _database_url, require_postgres
from tests.schema009_rows import briefing_row, child_rows, insert_old, storable_before_010

SHIPPED: Briefing = read_pack(PACK)
RENAMED = "Zoltan Quillfeather"  # a name no other item holds, so a hit on it comes from the rename


def _edited(b: Briefing) -> Briefing:
    """The shipped briefing after the edits the old store logged."""
    speaker = b.quotes[0].speaker
    people = tuple(dataclasses.replace(p, name=RENAMED) if p.id == speaker else p for p in b.people)
    timeline = (dataclasses.replace(b.timeline[0], note="Added by an editor."), *b.timeline[1:])
    return dataclasses.replace(
        b, people=people, timeline=timeline, agenda=b.agenda[1:],
        meeting=dataclasses.replace(b.meeting, delegation="over ten officials"),
    )


EDITED = _edited(storable_before_010(SHIPPED))  # an old store held only dated events


def _revisions() -> list[tuple[Any, ...]]:
    """The old store's log: the load, then one revision per edit, with the items as pack data."""
    old, new = pack_mapping(SHIPPED), pack_mapping(EDITED)

    def logged(item: Any, position: int | None) -> str | None:
        return None if item is None else json.dumps({"item": item, "position": position}, ensure_ascii=False)

    person = next(n for n, p in enumerate(SHIPPED.people) if p.name != EDITED.people[n].name)
    at = "2026-02-01T12:00:00+00:00"
    return [
        (1, BRIEFING_ID, "briefing", BRIEFING_ID, "import", "operator", "load", at, None, logged(old, 0)),
        (2, BRIEFING_ID, "person", SHIPPED.people[person].id, "edit", "U1", "discord", at,
         logged(old["people"][person], person), logged(new["people"][person], person)),
        (3, BRIEFING_ID, "timeline", SHIPPED.timeline[0].id, "edit", "U1", "slack", at,
         logged(old["timeline"][0], 0), logged(new["timeline"][0], 0)),
        (4, BRIEFING_ID, "agenda", SHIPPED.agenda[0].id, "remove", "U1", "slack", at, logged(old["agenda"][0], 0), None),
        (5, BRIEFING_ID, "meeting", "meeting", "edit", "U1", "console", at, logged(old["meeting"], 0), logged(new["meeting"], 0)),
    ]


_REVISION = "INSERT INTO revisions (id, briefing_id, kind, item_id, action, actor, platform, at, before, after)" \
    " VALUES ({})"


def _old_rows() -> dict[str, list[tuple[Any, ...]]]:
    """The edited briefing's rows as the old store held them (positions as its edits left them)."""
    found = child_rows(EDITED)
    # The removed agenda item left a gap: the rows kept their positions 1, 2, … and so does the upgrade.
    found["agenda_items"] = [(*row[:2], row[2] + 1, *row[3:]) for row in found["agenda_items"]]
    return found


async def _expect_upgraded(store: Any, stored: list[tuple[str, str, Any]]) -> None:
    """The upgraded store reads, searches, exports and logs exactly as the old one did.

    `stored` is every (kind, id, data) row of `items`: each holds exactly what pack export writes.
    """
    expected = {(kind.name, getattr(item, "id", "meeting")): item_data(kind, item)
                for kind in KINDS.values() for item in items_of(EDITED, kind)}
    assert {(kind, item_id): json.loads(data) for kind, item_id, data in stored} == expected
    got = await store.repository.briefing()
    assert got == EDITED
    assert pack_mapping(got) == pack_mapping(EDITED)
    assert content_hash(got) == content_hash(EDITED)
    assert [(r.id, r.kind, r.item_id, r.action) for r in await store.repository.revisions(BRIEFING_ID)] == [
        (row[0], row[2], row[3], row[4]) for row in reversed(_revisions())
    ]
    person = next(p for p in got.people if p.name == RENAMED)
    assert await store.repository.item_revision(BRIEFING_ID, "person", person.id) == 2
    hits = [(h.kind, h.item_id) for h in await store.repository.search(BRIEFING_ID, "Quillfeather")]
    assert ("person", person.id) in hits
    assert {("quote", q.id) for q in got.quotes if q.speaker == person.id} <= set(hits)  # found by the new name
    assert ("summary", "summary") in [(h.kind, h.item_id) for h in await store.repository.search(BRIEFING_ID, "landed")]
    # The removal left a gap in the positions: the order read back is still the order that was there.
    assert [a.id for a in got.agenda] == [a.id for a in EDITED.agenda]


async def test_sqlite_010_moves_every_item_edit_and_revision(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = await connect(path)
    try:
        assert await migrate(conn, target=9) == 9
        await conn.execute("BEGIN")
        await insert_old(conn, EDITED, "", _old_rows(), "2026-02-01T12:00:00+00:00")  # an edit clears the hash
        await conn.executemany(_REVISION.format(", ".join("?" * 10)), _revisions())
        await conn.execute("COMMIT")
    finally:
        await conn.close()
    async with open_store(path) as store:
        with contextlib.closing(sqlite3.connect(path)) as raw:
            stored = raw.execute("SELECT kind, id, data FROM items").fetchall()
        await _expect_upgraded(store, stored)


async def test_postgres_005_moves_every_item_edit_and_revision(postgres_server: str | None) -> None:
    server = require_postgres(postgres_server)
    name = f"briefbot_items_{os.getpid()}"
    admin = await asyncpg.connect(server)
    await admin.execute(f"CREATE DATABASE {name} TEMPLATE template0")
    url = _database_url(server, name)
    try:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("CREATE TABLE schema_migrations"
                               " (number integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
            for number, file, sql in pg_migrations()[:4]:
                await conn.execute(sql)
                await conn.execute("INSERT INTO schema_migrations (number, name) VALUES ($1, $2)", number, file)
            await conn.execute(
                "INSERT INTO briefings (id, title, summary, venue_zone, venue_label, home_zone, home_label, content_hash,"
                " updated_at, evidence, is_default) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true)",
                *briefing_row(EDITED, "", "2026-02-01T12:00:00+00:00"),
            )
            for table, table_rows in _old_rows().items():
                marks = ", ".join(f"${n}" for n in range(1, len(table_rows[0]) + 1))
                await conn.executemany(f"INSERT INTO {table} VALUES ({marks})", table_rows)
            await conn.executemany(
                _REVISION.format(", ".join(f"${n}" for n in range(1, 11))),
                [(*row[:7], datetime.fromisoformat(row[7]), *row[8:]) for row in _revisions()],
            )
        finally:
            await conn.close()
        async with open_store(url) as store:
            raw = await asyncpg.connect(url)
            try:
                stored = [tuple(row) for row in await raw.fetch("SELECT kind, id, data FROM items")]
            finally:
                await raw.close()
            await _expect_upgraded(store, stored)
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()
