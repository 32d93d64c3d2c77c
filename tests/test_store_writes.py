"""The write path is one (bot/store/writes.py) over both stores: what once differed between SQLite's and PostgreSQL's
copies of it now holds on each, checked here on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import orjson

from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import read_pack_text
from tests.test_admin import POLICY, run
from tests.test_revision_items import sql
from tests.test_store import SHIPPED, renamed, retitled_event

OTHER = "other-briefing"


async def test_both_stores_log_a_load_and_an_edit_as_the_same_compact_utf8_json(store: Store, store_target: str | Path) -> None:
    """One writer of the log's text on either store (`writes.entry`): orjson's compact UTF-8, where PostgreSQL's copy
    wrote `json.dumps`'s spaced text. Both read either, so a log written before stays readable (below)."""
    seeded = (await sql(store_target, "SELECT max(id) FROM revisions"))[0][0]
    await store.repository.save(renamed(SHIPPED, OTHER, "Otro informe, año 2026"))
    editor = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
    assert (await run(editor, "set kind:meeting status:concluded")).kind == "answer"
    logged = await sql(store_target, f"SELECT before, after FROM revisions WHERE id > {seeded} ORDER BY id")
    texts = [text for pair in logged for text in pair if text is not None]
    assert len(texts) == 3  # the load's after, the edit's before and after
    assert "año 2026" in texts[0]
    assert texts == [orjson.dumps(orjson.loads(text)).decode() for text in texts]


async def test_a_reload_logs_the_last_loads_pack_as_its_before_as_that_load_logged_it(store: Store, store_target: str | Path) -> None:
    """A load over a load takes its `before` from the last load's logged pack, its hash checked, not from reading the
    briefing back and exporting it (2.6 s at 100k events), on either store (only SQLite's copy did); and a pack an older
    writer logged (any JSON: here indented, its non-ASCII escaped) is taken as it is, decoded, and undone all the same."""
    first = renamed(SHIPPED, OTHER, "Otro informe")
    second = retitled_event(first, "decertification", "Washington grades Colombia's counternarcotics")
    assert await store.repository.save(first)
    loaded = (await store.repository.revisions(OTHER, limit=1))[0]
    older = json.dumps(loaded.after, indent=1)
    quoted = older.replace("'", "''")
    await sql(store_target, f"UPDATE revisions SET after = '{quoted}' WHERE id = {loaded.id}")
    assert await store.repository.save(second)
    reloaded = (await store.repository.revisions(OTHER, limit=1))[0]
    assert await sql(store_target, f"SELECT before FROM revisions WHERE id = {reloaded.id}") == [(older,)]
    assert reloaded.before == loaded.after
    editor = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
    assert (await run(editor, f"undo briefing:{OTHER}")).kind == "answer"
    assert await store.repository.briefing(OTHER) == first
