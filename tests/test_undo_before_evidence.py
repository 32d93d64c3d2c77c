"""Undo and redo of admin edits logged before evidence (SQLite migration 008, PostgreSQL 003), after the upgrade.

The old store is written as the code of that time wrote it (tests/schema009_rows.py): items without passages, and a log
of a load, two edits of the meeting, an undo of the second, and an agenda item's removal, each side logged without an
`evidence` key. The upgrade gives every stored item no passages (`[]`); undo and redo read a logged side the same way,
so they find the item holding what a revision left, and put back the item as it was, without passages.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import msgspec.structs

from bot.core.model import Briefing
from bot.core.pack import pack_mapping
from bot.core.service import BriefingCore
from bot.store import open_store
from bot.store.database import connect, migrate
from bot.store.packfile import read_pack, read_pack_text
from bot.store.postgres.database import migrations as pg_migrations
from tests.conftest import BRIEFING_ID, PACK, fresh_database
from tests.schema009_rows import briefing_row, insert_old, old_pack_mapping, rows_before_008, storable_before_010
from tests.test_admin import POLICY, run

SHIPPED: Briefing = storable_before_010(read_pack(PACK))  # as a store before 010 could hold it
AT = "2026-02-01T12:00:00+00:00"
_REVISION = "INSERT INTO revisions (id, briefing_id, kind, item_id, action, actor, platform, at, before, after, undoes) VALUES ({})"


def _unevidenced(data: dict[str, Any]) -> dict[str, Any]:
    """Pack data as the code before 008 logged it: no passages, no source texts, no meeting's delegation size."""
    def bare(item: dict[str, Any], *dropped: str) -> dict[str, Any]:
        return {key: value for key, value in item.items() if key not in ("evidence", *dropped)}

    return {
        key: bare(value, "delegation") if key == "meeting" else bare(value) if key == "briefing"
        else [bare(item, "text") for item in value] if key == "sources"
        else [bare(item) for item in value] if isinstance(value, list) else value
        for key, value in data.items()
    }


def _with_status(b: Briefing, status: str) -> Briefing:
    return msgspec.structs.replace(b, sessions=(msgspec.structs.replace(b.sessions[0], status=status),))


LOADED = _unevidenced(old_pack_mapping(SHIPPED))
POSTPONED, CANCELLED = (_unevidenced(old_pack_mapping(_with_status(SHIPPED, status))) for status in ("postponed", "cancelled"))
HELD = msgspec.structs.replace(_with_status(SHIPPED, "postponed"), agenda=SHIPPED.agenda[1:])  # what the log left


def _revisions() -> list[tuple[Any, ...]]:
    """The old log: the load, scheduled → postponed (2) → cancelled (3), 3 undone (4), the first agenda item removed (5)."""

    def side(item: Any) -> str | None:
        return None if item is None else json.dumps({"item": item, "position": 0}, ensure_ascii=False)

    agenda = LOADED["agenda"][0]
    return [
        (1, BRIEFING_ID, "briefing", BRIEFING_ID, "import", "operator", "load", AT, None, side(LOADED), None),
        (2, BRIEFING_ID, "meeting", "meeting", "edit", "U1", "slack", AT, side(LOADED["meeting"]), side(POSTPONED["meeting"]), None),
        (3, BRIEFING_ID, "meeting", "meeting", "edit", "U1", "slack", AT, side(POSTPONED["meeting"]), side(CANCELLED["meeting"]), None),
        (4, BRIEFING_ID, "meeting", "meeting", "undo", "U1", "slack", AT, side(CANCELLED["meeting"]), side(POSTPONED["meeting"]), 3),
        (5, BRIEFING_ID, "agenda", agenda["id"], "remove", "U1", "discord", AT, side(agenda), None, None),
    ]


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    """The items as the old store held them after its log: the removed agenda item's gap kept in the positions."""
    found = rows_before_008(HELD)
    found["agenda_items"] = [(*row[:2], row[2] + 1, *row[3:]) for row in found["agenda_items"]]
    return found


# A store whose whole pack an import replaced before the upgrade: the load (1), an import postponing the meeting (2),
# then an edit cancelling it (3), undone (4). The store holds what 2 left, as 4 left it again.
IMPORTED = _with_status(SHIPPED, "postponed")


def _pack_revisions() -> list[tuple[Any, ...]]:
    """The old log of a load, an import over it, and an edit of the meeting undone."""
    def side(item: Any) -> str:
        return json.dumps({"item": item, "position": 0}, ensure_ascii=False)

    return [
        (1, BRIEFING_ID, "briefing", BRIEFING_ID, "import", "operator", "load", AT, None, side(LOADED), None),
        (2, BRIEFING_ID, "briefing", BRIEFING_ID, "import", "U1", "slack", AT, side(LOADED), side(POSTPONED), None),
        (3, BRIEFING_ID, "meeting", "meeting", "edit", "U1", "slack", AT, side(POSTPONED["meeting"]), side(CANCELLED["meeting"]), None),
        (4, BRIEFING_ID, "meeting", "meeting", "undo", "U1", "slack", AT, side(CANCELLED["meeting"]), side(POSTPONED["meeting"]), 3),
    ]


class _Old(msgspec.Struct, frozen=True):
    """What the old store holds: the briefing, its rows and its log."""

    held: Briefing
    rows: dict[str, list[tuple[Any, ...]]]
    revisions: list[tuple[Any, ...]]


EDITS = _Old(HELD, _rows(), _revisions())
PACKS = _Old(IMPORTED, rows_before_008(IMPORTED), _pack_revisions())


@contextlib.asynccontextmanager
async def _old_sqlite(tmp_path: Path, old: _Old = EDITS) -> AsyncIterator[Path]:
    path = tmp_path / "old.sqlite3"
    conn = await connect(path)
    try:
        assert await migrate(conn, target=7) == 7  # the schema before 008_evidence
        await conn.execute("BEGIN")
        await insert_old(conn, old.held, "", old.rows, AT)
        await conn.executemany(_REVISION.format(", ".join("?" * 11)), old.revisions)
        await conn.execute("COMMIT")
    finally:
        await conn.close()
    yield path


@contextlib.asynccontextmanager
async def _old_postgres(server: str | None, old: _Old = EDITS) -> AsyncIterator[str]:
    async with fresh_database(server, "template0") as url:  # empty: the schema is built below as 002 left it
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("CREATE TABLE schema_migrations"
                               " (number integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
            for number, file, sql in pg_migrations()[:2]:  # the schema before 003, which brought evidence
                await conn.execute(sql)
                await conn.execute("INSERT INTO schema_migrations (number, name) VALUES ($1, $2)", number, file)
            head = briefing_row(old.held, "", AT)[:-1]  # no summary passages before 003
            await conn.execute("INSERT INTO briefings (id, title, summary, venue_zone, venue_label, home_zone, home_label,"
                               " content_hash, updated_at, is_default) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true)", *head)
            for table, rows in old.rows.items():
                marks = ", ".join(f"${n}" for n in range(1, len(rows[0]) + 1))
                await conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            await conn.executemany(_REVISION.format(", ".join(f"${n}" for n in range(1, 12))),
                                   [(*row[:7], datetime.fromisoformat(row[7]), *row[8:]) for row in old.revisions])
            # The old code let the identity number its revisions: the next one follows them.
            await conn.execute("SELECT setval(pg_get_serial_sequence('revisions', 'id'), max(id)) FROM revisions")
        finally:
            await conn.close()
        yield url


async def _undo_and_redo_the_old_edits(target: str | Path) -> None:
    async with open_store(target) as store:
        core = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
        upgraded = pack_mapping(await store.repository.briefing())
        assert upgraded["sessions"][0]["evidence"] == [] and upgraded["sessions"][0]["status"] == "postponed"
        # An edit still asks for passages: the item was stored without, and an undo is no way around that.
        refused = await run(core, "set kind:meeting status:concluded")
        assert refused.kind == "error" and "evidence: missing" in refused.text, refused

        # The removal (5) undone: the agenda item back where it was, as it was, without passages.
        undone = await run(core, "undo")
        assert undone.kind == "answer" and undone.title.startswith("Revision 6:"), undone
        back = pack_mapping(await store.repository.briefing())["agenda"]
        assert back[0] == {**LOADED["agenda"][0], "evidence": []}
        # 3 was undone (4): plain undo walks back to 2, though 4 logged the meeting without passages.
        undone = await run(core, "undo")
        assert undone.kind == "answer" and undone.title.startswith("Revision 7:") and "revision 2" in undone.title, undone
        session = pack_mapping(await store.repository.briefing())["sessions"][0]
        assert session["status"] == "scheduled" and session["evidence"] == []
        # redo takes that undo back; `undo 4` takes back the old code's undo: a redo of 3.
        redone = await run(core, "redo")
        assert redone.kind == "answer" and redone.title.startswith("Revision 8:"), redone
        assert pack_mapping(await store.repository.briefing())["sessions"][0]["status"] == "postponed"
        redone = await run(core, "undo 4")
        assert redone.kind == "answer" and redone.title.startswith("Revision 9:"), redone
        now = pack_mapping(await store.repository.briefing())
        assert now["sessions"][0] == {**upgraded["sessions"][0], "status": "cancelled"}
        assert {key: value for key, value in now.items() if key != "sessions"} == {
            **{key: value for key, value in upgraded.items() if key != "sessions"}, "agenda": back,
        }


async def test_sqlite_edits_logged_before_evidence_undo_and_redo_after_the_upgrade(tmp_path: Path) -> None:
    async with _old_sqlite(tmp_path) as path:
        await _undo_and_redo_the_old_edits(path)


async def test_postgres_edits_logged_before_evidence_undo_and_redo_after_the_upgrade(postgres_server: str | None) -> None:
    async with _old_postgres(postgres_server) as url:
        await _undo_and_redo_the_old_edits(url)


async def _undo_and_redo_the_old_import(target: str | Path) -> None:
    async with open_store(target) as store:
        core = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
        upgraded = pack_mapping(await store.repository.briefing())
        assert upgraded["sessions"][0]["status"] == "postponed"
        # Plain undo walks past the edit undone (3, 4) to the import (2): the briefing holds what 2 left, read as today.
        undone = await run(core, "undo")
        assert undone.kind == "answer" and undone.title.startswith("Revision 5:") and "revision 2" in undone.title, undone
        assert [(f.name, f.value) for f in undone.fields] == [("meeting", "changed: status")]  # not every item's passages
        loaded = pack_mapping(await store.repository.briefing())
        assert loaded == {**upgraded, "sessions": [{**upgraded["sessions"][0], "status": "scheduled"}]}  # no passages, as held
        # redo puts the import back; undo takes it out again, each reading what the last one logged.
        redone = await run(core, "redo")
        assert redone.kind == "answer" and redone.title.startswith("Revision 6:"), redone
        assert pack_mapping(await store.repository.briefing()) == upgraded
        undone = await run(core, "undo")
        assert undone.kind == "answer" and undone.title.startswith("Revision 7:"), undone
        assert pack_mapping(await store.repository.briefing()) == loaded
        # The load (1) made the briefing: nothing before it to put back.
        refused = await run(core, "undo 1")
        assert refused.kind == "error" and "evidence" not in refused.text, refused


async def test_sqlite_an_import_logged_before_evidence_undoes_and_redoes_after_the_upgrade(tmp_path: Path) -> None:
    async with _old_sqlite(tmp_path, PACKS) as path:
        await _undo_and_redo_the_old_import(path)


async def test_postgres_an_import_logged_before_evidence_undoes_and_redoes_after_the_upgrade(postgres_server: str | None) -> None:
    async with _old_postgres(postgres_server, PACKS) as url:
        await _undo_and_redo_the_old_import(url)
