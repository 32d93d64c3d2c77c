"""An item's links (SQLite migrations 018 and 020): a row for each value of its `people`, speaker, tags and sources, keyed by
what the readers look up. A list may repeat a value (a person named twice, a source cited twice): every link is kept, so the
citations count each as the items say, on both stores, and the links stay the view's through loads, edits and removals."""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from pathlib import Path

from bot.core.index import BriefingIndex
from bot.core.kinds import KINDS, PACK_KINDS, items_of
from bot.core.model import Briefing
from bot.core.pack import pack_mapping, parse_pack
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import Store, open_store
from bot.store.packfile import read_pack
from tests.conftest import BEFORE, BRIEFING_ID, DATA, PACK
from tests.test_bulk_load import written_at

# The link a field naming an item of each kind is stored as (migration 020).
LINKED = {"person": "person", "source": "source"}
# The fields naming an item that are not linked, and why no answer reads them by link. `uses` and a removal's refusal
# find every reference in the briefing itself (`kinds.naming`), these included.
UNLINKED = {
    ("session", "parties"): "a person's card reads every session (`person` reads the sessions whole), as /meeting does",
    ("session", "stakes"): "as the parties; and only an import changes stakes",
    ("person", "side"): "the sides are a table of their own, read whole with the briefing's head",
}
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


def placed(value: object) -> list[tuple[int, object]]:
    """A field's values with their places in its list, as the links hold them (-1: a field of one value)."""
    if isinstance(value, tuple):
        return list(enumerate(value))
    return [(-1, value)] if value else []


async def test_every_field_naming_an_item_is_linked_or_named_with_why_not(tmp_path: Path) -> None:
    """Only the fields migration 020's view and `_LINK_ITEMS` name are read by link (a person's events and quotes in a
    one-shot answer, `/sources`' citations): a field added with `refers=` would be missed by those reads without a word.
    Each is linked, at its place in its list, or named in UNLINKED with the reason no answer needs it to be."""
    db = tmp_path / "db.sqlite3"
    briefing = read_pack(PACK)
    async with open_store(db) as store:
        await store.repository.save(briefing)
    expected, unseen = set(), []
    for kind in KINDS.values():
        for f in kind.fields_all:
            if f.refers is None or (kind.name, f.name) in UNLINKED:
                continue
            assert f.refers in LINKED, (
                f"{kind.name}.{f.name} names a {f.refers}, which no link holds: link it (the view item_links_in_data in a new"
                f" migration, and bot/store/repository.py _LINK_ITEMS) or add it to UNLINKED in {__file__} with why no answer needs it"
            )
            links = {(kind.name, item.id, LINKED[f.refers], value, place) for item in items_of(briefing, kind) for place, value in placed(getattr(item, f.attr))}
            if not links:
                unseen.append(f"{kind.name}.{f.name}")
            expected |= links
    assert not unseen, f"give the shipped pack, or this test, a value in {unseen} so its links are seen"
    assert all(KINDS[kind].by_name[field].refers for kind, field in UNLINKED), "UNLINKED names a field that names no item"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        for table in ("item_links", "item_links_in_data"):  # as a load writes them, and as the triggers do on an edit
            rows = set(conn.execute(f"SELECT kind, id, link, value, place FROM {table} JOIN items ON items.rowid = item WHERE link <> 'tag'"))
            assert rows == expected, f"{table}: not linked {sorted(expected - rows)[:5]}; linked from no field {sorted(rows - expected)[:5]}"
