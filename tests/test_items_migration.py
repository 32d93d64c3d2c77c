"""Migrations SQLite 010–011 and PostgreSQL 005–006 on a store in use: every item, edit, revision and sent alert comes through.

The old store is written with the row builders of the schema before them (tests/schema009_rows.py), as
the code of that time wrote it: a load, then admin edits (a person renamed, an event's note added, an
agenda item removed, the meeting's delegation given), each with its revision, and a channel's ledger of
sent alerts. The upgrade turns the meeting into the session "meeting" (issue #14 §4): its revisions, the
logged packs and the alert keys follow, so history and undo keep working and no alert is sent twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import msgspec.structs

from bot.core.kinds import KINDS, item_data, items_of
from bot.core.model import Briefing
from bot.core.pack import pack_mapping
from bot.store import open_store
from bot.store.database import connect, migrate
from bot.store.packfile import read_pack
from bot.store.postgres.database import migrations as pg_migrations
from bot.store.writes import content_hash
from tests.conftest import BRIEFING_ID, PACK, _database_url, require_postgres
from tests.schema009_rows import briefing_row, child_rows, insert_old, old_pack_mapping, storable_before_010

SHIPPED: Briefing = read_pack(PACK)
RENAMED = "Zoltan Quillfeather"  # a name no other item holds, so a hit on it comes from the rename


def _edited(b: Briefing) -> Briefing:
    """The shipped briefing after the edits the old store logged."""
    speaker = b.quotes[0].speaker
    people = tuple(msgspec.structs.replace(p, name=RENAMED) if p.id == speaker else p for p in b.people)
    timeline = (msgspec.structs.replace(b.timeline[0], note="Added by an editor."), *b.timeline[1:])
    return msgspec.structs.replace(
        b, people=people, timeline=timeline, agenda=b.agenda[1:],
        sessions=(msgspec.structs.replace(b.sessions[0], delegation="over ten officials"),),
    )


EDITED = _edited(storable_before_010(SHIPPED))  # an old store held only dated events


def _revisions() -> list[tuple[Any, ...]]:
    """The old store's log: the load, then one revision per edit, with the items as pack data."""
    old, new = old_pack_mapping(SHIPPED), old_pack_mapping(EDITED)

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


# A channel subscribed before the upgrade, with the meeting's 24-hour alert and a status alert sent (old keys).
_SUBSCRIPTION = ("INSERT INTO subscriptions (id, platform, channel_id, briefing_id, time, zone, created_by, active_since)"
                 " VALUES ({})")
_SUBSCRIPTION_ROW = (1, "discord", "C1", BRIEFING_ID, "07:30", "America/Bogota", "U1", "2026-01-01T00:00:00+00:00")
_DELIVERY = "INSERT INTO deliveries (subscription_id, key, kind, due_at, state, owner, claimed_at) VALUES ({})"
_OLD_KEYS = {"alert:24h:2026-02-03T16:00Z": "alert:24h:meeting:2026-02-03T16:00Z", "alert:status:5": "alert:status:meeting:5",
             "digest:2026-02-01": "digest:America/Bogota:2026-02-01"}
_DELIVERY_ROWS = [(1, key, key.split(":")[0], "2026-02-02T16:00:00+00:00", "sent", "p1", "2026-02-02T16:00:00+00:00")
                  for key in _OLD_KEYS]
_UPGRADED_KINDS = {"meeting": "session"}

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
        (row[0], _UPGRADED_KINDS.get(row[2], row[2]), row[3], row[4]) for row in reversed(_revisions())
    ]
    # The meeting's edit is the session's, and the load (which set it) counts in its history; undo finds both.
    assert await store.repository.item_revision(BRIEFING_ID, "session", "meeting") == 5
    assert [r.id for r in await store.repository.revisions(BRIEFING_ID, "session", "meeting")] == [5, 1]
    edit = await store.repository.revision(BRIEFING_ID, 5)
    assert edit.before["item"] == pack_mapping(SHIPPED)["sessions"][0]
    assert edit.after["item"] == pack_mapping(EDITED)["sessions"][0]
    load = await store.repository.revision(BRIEFING_ID, 1)
    assert load.after["item"] == pack_mapping(SHIPPED)  # the logged pack reads as sessions and zones now
    person = next(p for p in got.people if p.name == RENAMED)
    assert await store.repository.item_revision(BRIEFING_ID, "person", person.id) == 2
    hits = [(h.kind, h.item_id) for h in (await store.repository.search(BRIEFING_ID, "Quillfeather"))[0]]
    assert ("person", person.id) in hits
    assert {("quote", q.id) for q in got.quotes if q.speaker == person.id} <= set(hits)  # found by the new name
    assert ("summary", "summary") in [(h.kind, h.item_id) for h in (await store.repository.search(BRIEFING_ID, "landed"))[0]]
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
        await conn.execute(_SUBSCRIPTION.format(", ".join("?" * 8)), _SUBSCRIPTION_ROW)
        await conn.executemany(_DELIVERY.format(", ".join("?" * 7)), _DELIVERY_ROWS)
        await conn.execute("COMMIT")
    finally:
        await conn.close()
    async with open_store(path) as store:
        with contextlib.closing(sqlite3.connect(path)) as raw:
            stored = raw.execute("SELECT kind, id, data FROM items").fetchall()
            keys = [row[0] for row in raw.execute("SELECT key FROM deliveries ORDER BY id")]
        await _expect_upgraded(store, stored)
        assert keys == list(_OLD_KEYS.values())


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
            await conn.execute(_SUBSCRIPTION.format(", ".join(f"${n}" for n in range(1, 9))),
                               *_SUBSCRIPTION_ROW[:7], datetime.fromisoformat(_SUBSCRIPTION_ROW[7]))
            await conn.executemany(_DELIVERY.format(", ".join(f"${n}" for n in range(1, 8))), [
                (*row[:3], datetime.fromisoformat(row[3]), *row[4:6], datetime.fromisoformat(row[6])) for row in _DELIVERY_ROWS
            ])
        finally:
            await conn.close()
        async with open_store(url) as store:
            raw = await asyncpg.connect(url)
            try:
                stored = [tuple(row) for row in await raw.fetch("SELECT kind, id, data FROM items")]
                keys = [row[0] for row in await raw.fetch("SELECT key FROM deliveries ORDER BY id")]
            finally:
                await raw.close()
            await _expect_upgraded(store, stored)
            assert keys == list(_OLD_KEYS.values())
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()
