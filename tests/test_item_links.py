"""An item's links (SQLite migrations 018 and 020): a row for each value of its `people`, speaker, tags and sources, keyed by
what the readers look up. A list may repeat a value (a person named twice, a source cited twice): every link is kept, so the
citations count each as the items say, on both stores, and the links stay the view's through loads, edits and removals."""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from pathlib import Path

from bot.core.index import BriefingIndex
from bot.core.kinds import PACK_KINDS
from bot.core.model import Briefing
from bot.core.pack import pack_mapping, parse_pack
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import Store, open_store
from bot.store.packfile import read_pack
from tests.conftest import BEFORE, BRIEFING_ID, DATA, PACK
from tests.test_bulk_load import written_at

OPERATOR = Request(command="", now=BEFORE, platform="cli", operator=True, user_id="operator")
SOURCE = "cubaheadlines-2026-02-03"


def repeating() -> Briefing:
    """The shipped pack with its first event naming each of its people twice, citing its source twice and carrying
    each tag twice, an agenda item naming its people twice and a quote citing its source twice."""
    data = pack_mapping(read_pack(PACK))
    event, agenda, quote = data["timeline"][0], next(a for a in data["agenda"] if a.get("people")), data["quotes"][0]
    event["people"], event["tags"], event["sources"] = event["people"] * 2, event["tags"] * 2, [SOURCE, SOURCE]
    agenda["people"] = agenda["people"] * 2
    quote["sources"] = [SOURCE, SOURCE]
    return parse_pack(data, BRIEFING_ID)


def cited(briefing: Briefing) -> Counter[str]:
    """Each source's citations as the items list them, a repeat counted again."""
    return Counter(s for kind in PACK_KINDS for item in getattr(briefing, kind.section) for s in getattr(item, "sources", ()))


def links(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The links as stored, and as the view (what the triggers write) gives them for the items as they are."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return sorted(conn.execute("SELECT * FROM item_links")), sorted(conn.execute("SELECT * FROM item_links_in_data"))


async def test_a_repeated_source_is_counted_again_on_both_stores(store: Store) -> None:
    """The count per source counts citations (an item citing one twice, twice), as it did before the links were keyed."""
    briefing = repeating()
    await store.repository.save(briefing)
    counted = await store.repository.citations(BRIEFING_ID)
    assert counted == cited(briefing) and counted[SOURCE] == cited(read_pack(PACK))[SOURCE] + 2


async def test_a_running_bots_index_counts_citations_as_the_store_does(store: Store) -> None:
    """A running bot's `/sources` reads the citations its index counted: each repeat counted again, as the links count them."""
    await store.repository.save(repeating())
    held = await store.repository.briefing(BRIEFING_ID)
    assert BriefingIndex(held).citations == await store.repository.citations(BRIEFING_ID)


async def test_repeated_links_survive_loads_edits_and_removals_and_one_shot_answers_hold(tmp_path: Path) -> None:
    """Loaded, edited (the repeats taken out, then back) and removed: the links are the view's each time, and a one-shot
    `ask` (which reads a person's items, the topics and the citations by the links) answers as the running bot, a repeated tag
    counted once by both."""
    db = tmp_path / "db.sqlite3"
    lines = ["/person Gustavo Petro", "/person Donald Trump", "/quotes speaker:petro", "/sources", "/timeline topic:deportations",
             "/timeline query:petro topic:deportations", "/brief"]
    event = read_pack(PACK).timeline[0]
    edits = [f'set kind:timeline id:{event.id} people:"{event.people[0]}"', f'set kind:timeline id:{event.id} sources:"{SOURCE},{SOURCE}"',
             f"remove kind:timeline id:{event.id}"]
    async with open_store(db) as store, open_store(db) as own:
        await store.seed(DATA, BRIEFING_ID)
        await store.repository.save(repeating())
        running, one_shot = BriefingCore(store.repository), BriefingCore(own.repository, warm_indexes=False)
        for edit in ["", *edits]:
            if edit:
                before = await store.repository.briefing(BRIEFING_ID)
                assert (await running.dispatch_line(edit, OPERATOR)).kind == "answer", edit
            stored, expected = links(db)
            assert stored == expected, edit
            for line in lines:
                assert await one_shot.dispatch_line(line, OPERATOR) == await running.dispatch_line(line, OPERATOR), (edit, line)
            whole = await store.repository.briefing(BRIEFING_ID)
            assert await own.repository.citations(BRIEFING_ID) == cited(whole), edit
        assert [e.sources for e in before.timeline if e.id == event.id] == [(SOURCE, SOURCE)]  # the repeat an edit wrote


async def test_migration_020_keys_the_links_a_store_at_019_holds(tmp_path: Path) -> None:
    """A store written at 019 (018's links, a repeat stored twice): after 020 every link is there once per place, keyed, and the
    table is the only copy of them (no index beside it)."""
    path = tmp_path / "old.sqlite3"
    briefing = repeating()
    await written_at(path, 19, briefing)
    with contextlib.closing(sqlite3.connect(path)) as old:
        before = sorted(old.execute("SELECT briefing_id, link, value, item FROM item_links"))
    async with open_store(path) as store:
        stored, expected = links(path)
        assert stored == expected and sorted(link[:4] for link in stored) == before
        assert await store.repository.citations(BRIEFING_ID) == cited(briefing)
    with contextlib.closing(sqlite3.connect(path)) as new:
        assert new.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'item_links'").fetchall() == []
