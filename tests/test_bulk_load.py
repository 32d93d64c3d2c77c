"""A pack load writes its rows in bulk (SQLite: the per-row index trigger off during the load, the index rows
written after the items): the store must hold exactly what the triggers would have written, keep its
triggers for admin edits, and a load that fails midway (bad data late in the pack, a full disk) must
leave the store as it was (issue #18 §2)."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.kinds import PACK_KINDS, items_of
from bot.core.model import Briefing
from bot.core.pack import pack_mapping, parse_pack
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import StoreError
from bot.store import open_store, repository, rows
from bot.store.database import connect, migrate
from bot.store.fulltext import briefing_key, keyed, tag_word
from bot.store.packfile import read_pack
from tests.conftest import BEFORE, BRIEFING_ID, DATA, PACK
from tests.test_scale import answers_as_the_index_filters, dated_pack
from tests.test_store import dump, refused
from tests.test_store_failures import small_disk

OPERATOR = Request(command="", now=BEFORE, platform="cli", operator=True, user_id="operator")
# What the index triggers write for an item row (migration 021's, the same expressions: the kind with its dates and each tag in `scope`).
_AS_THE_TRIGGERS_WRITE = (
    "SELECT rowid, briefbot_scope(briefing_id, kind, data, first_day, last_day), kind, id, briefbot_terms(briefing_id, search_title),"
    " briefbot_terms(briefing_id, search_body) FROM items ORDER BY rowid"
)


def grown(briefing_id: str, events: int) -> Briefing:
    """The shipped pack with `events` generated timeline events and a quote by a person added after them."""
    data = pack_mapping(read_pack(PACK))
    data["briefing"]["id"] = briefing_id
    source = data["sources"][0]["id"]
    data["timeline"] += [
        {"id": f"grown-{n:05d}", "date": f"20{n % 25:02d}-0{1 + n % 9}", "title": f"Grown event {n} harvest",
         "detail": f"Étape {n} of the cocoa talks, {'alpha' if n % 2 else 'beta'} round.", "tags": ["trade"],
         "sources": [source], "evidence": [{"source": source, "passage": "Generated."}]}
        for n in range(events)
    ]
    return parse_pack(data, briefing_id)


def index_rows(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The item rows' index as stored, and as the triggers would have written it for the same items: each row's kind and
    id, then every term with its row, column and offset (the index keeps no copy of its text: migration 016)."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.create_function("briefbot_terms", 2, keyed, deterministic=True)
        conn.create_function("briefbot_scope", 5, rows.scope, deterministic=True)
        conn.execute("CREATE VIRTUAL TABLE temp.expected USING fts5 (scope, kind UNINDEXED, item_id UNINDEXED, title, body,"
                     " tokenize = 'unicode61 remove_diacritics 2')")
        conn.execute(f"INSERT INTO temp.expected (rowid, scope, kind, item_id, title, body) {_AS_THE_TRIGGERS_WRITE}")
        conn.execute("CREATE VIRTUAL TABLE temp.stored_terms USING fts5vocab(main, search_index, instance)")
        conn.execute("CREATE VIRTUAL TABLE temp.expected_terms USING fts5vocab(temp, expected, instance)")
        found = []
        for index, terms in (("search_index", "stored_terms"), ("temp.expected", "expected_terms")):
            found.append(conn.execute(f"SELECT rowid, kind, item_id FROM {index} WHERE rowid > 0 ORDER BY rowid").fetchall()
                         + conn.execute(f"SELECT doc, col, offset, term FROM temp.{terms} WHERE doc > 0 ORDER BY doc, col, offset").fetchall())
        assert len(found[1]) > 2 * indexed(found[1])  # terms, not only rows
        return found[0], found[1]


def indexed(index: list[tuple[object, ...]]) -> int:
    """How many item rows an `index_rows` answer holds (each row's (rowid, kind, id) comes before the terms)."""
    return sum(1 for entry in index if len(entry) == 3)


def triggers(path: Path) -> list[tuple[str, str, str]]:
    """The store's triggers and indexes, as a load drops and recreates them."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') ORDER BY type, name").fetchall()


def links(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The item links as stored, and as migration 020's view (what its triggers write) gives them for the same items."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return (sorted(conn.execute("SELECT briefing_id, link, value, item, place FROM item_links")),
                sorted(conn.execute("SELECT * FROM item_links_in_data")))


async def test_a_load_indexes_every_item_as_the_triggers_would_and_keeps_them(tmp_path: Path) -> None:
    """Three loads (a new briefing, another beside it, the first replaced): rows, rowids, index and links as the triggers write them.

    The first two write most of the store's items (their indexes are rebuilt), the third a minority (kept)."""
    path = tmp_path / "store.sqlite3"
    async with open_store(path) as store:
        schema = triggers(path)
        await store.seed(DATA, BRIEFING_ID)
        await store.repository.save(grown("grown", 300))
        await store.repository.save(grown(BRIEFING_ID, 40))  # replaces the shipped pack's rows: new rowids after the others
        stored, expected = index_rows(path)
        assert stored == expected and indexed(stored) == 2 * (len(rows.item_rows(read_pack(PACK))) + 40) + 260
        assert triggers(path) == schema  # the triggers and the indexes a load rebuilt are back, word for word
        stored_links, expected_links = links(path)
        assert stored_links == expected_links and {link for _, link, *_ in stored_links} == {"person", "tag", "source"}
        with contextlib.closing(sqlite3.connect(path)) as conn:
            found = conn.execute(f"SELECT {', '.join(rows.ITEM_COLUMNS)} FROM items WHERE briefing_id = 'grown' ORDER BY rowid").fetchall()
            numbers = [n for (n,) in conn.execute("SELECT rowid FROM items ORDER BY rowid")]
        assert found == [tuple(row) for row in rows.item_rows(grown("grown", 300))]
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # numbered as SQLite numbers them: each after the last
        hits, total = await store.repository.search("grown", "harvest alpha", kinds=("timeline",))
        assert len(hits) == total == 150
        # An admin edit after a load is indexed by the trigger: a new FAQ entry is found at once.
        core = BriefingCore(store.repository)
        added = await core.dispatch_line('add kind:faq id:bulk-check question:"Zanzibar question?" answer:"Zanzibar answer."'
                                         ' sources:cubaheadlines-2026-02-03 evidence:"Petro"', OPERATOR)
        assert added.kind == "answer", added.text
        assert [(h.kind, h.item_id) for h in (await store.repository.search(BRIEFING_ID, "zanzibar"))[0]] == [("faq", "bulk-check")]
        # An edit and a removal are indexed by the update and delete triggers: the old words leave the index with them.
        # (A renamed person's quotes get their new search text by an UPDATE of their rows.)
        for line in ('set kind:timeline id:visa-revoked title:"Quetzal permit withdrawn"', 'set kind:person id:gustavo-petro name:"Gustavo Okapi"',
                     "remove kind:faq id:significance"):
            assert (await core.dispatch_line(line, OPERATOR)).kind == "answer", line
        assert [(h.kind, h.item_id) for h in (await store.repository.search(BRIEFING_ID, "quetzal"))[0]] == [("timeline", "visa-revoked")]
        stored, expected = index_rows(path)
        assert stored == expected
        stored_links, expected_links = links(path)
        assert stored_links == expected_links


async def test_migration_019_gives_the_index_room_for_a_whole_load(tmp_path: Path) -> None:
    """Migration 019: FTS5 writes a load's terms as one segment at its end, not one per megabyte of terms (a 100 MB pack's fit)."""
    path = tmp_path / "store.sqlite3"
    async with open_store(path):
        pass
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT v FROM search_index_config WHERE k = 'hashsize'").fetchone() == (128 * 1024 * 1024,)


async def test_a_load_refused_late_in_the_pack_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    """A row refused after thousands were written (the last quote): rows, index and triggers as before, and usable."""
    path = tmp_path / "store.sqlite3"
    async with open_store(path) as store:
        await store.seed(DATA, BRIEFING_ID)
        before = dump(path)
        with refused(path, "quote"), pytest.raises(StoreError):
            await store.repository.save(grown(BRIEFING_ID, 3000))
        assert dump(path) == before
        assert await store.repository.save(grown(BRIEFING_ID, 30)) is True
        stored, expected = index_rows(path)
        assert stored == expected


async def test_a_load_whose_links_fail_while_its_index_rows_are_made_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    """The links and index builds run on the connection's thread while the load keys its index rows: a link refused there
    (a trigger another connection made) fails the load and leaves the store as it was, and the next load is whole."""
    path = tmp_path / "store.sqlite3"
    async with open_store(path) as store:
        await store.seed(DATA, BRIEFING_ID)
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
            conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON item_links WHEN NEW.value = 'trade' BEGIN SELECT RAISE(ABORT, 'refused'); END")
            before = dump(path)
            with pytest.raises(StoreError, match="refused"):
                await store.repository.save(grown("grown", 300))
            assert dump(path) == before
            conn.execute("DROP TRIGGER refuse")
        assert await store.repository.save(grown("grown", 300)) is True
        stored, expected = index_rows(path)
        assert stored == expected
        stored_links, expected_links = links(path)
        assert stored_links == expected_links


async def test_a_load_on_a_full_disk_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    """A real full disk (a small tmpfs) midway through a large load: StoreError saying so, the store unchanged."""
    with small_disk(tmp_path / "disk", "3m") as disk:
        path = disk / "store.sqlite3"
        async with open_store(path) as store:
            await store.seed(DATA, BRIEFING_ID)
            before = dump(path)
            with pytest.raises(StoreError, match="the disk is full"):
                await store.repository.save(grown(BRIEFING_ID, 20_000))
            assert dump(path) == before
            assert (await store.repository.search(BRIEFING_ID, "cocoa"))[0]  # the shipped pack still answers


async def test_a_reload_logs_what_it_replaced_and_unindexes_it(tmp_path: Path) -> None:
    """A load over the last one logs that one's pack as its `before` (taken from the last revision, its hash checked) and takes its index rows away."""
    path = tmp_path / "store.sqlite3"
    first, second = grown("grown", 40), grown("grown", 41)
    async with open_store(path) as store:
        await store.seed(DATA, BRIEFING_ID)
        await store.repository.save(first)
        await store.repository.save(second)
        latest = (await store.repository.revisions("grown", limit=1))[0]
        assert latest.before == {"item": pack_mapping(first), "position": 0}
        assert latest.after == {"item": pack_mapping(second), "position": 0}
        stored, expected = index_rows(path)
        assert stored == expected  # the first load's index rows went with its items (the delete trigger was off)
        assert indexed(stored) == 2 * len(rows.item_rows(read_pack(PACK))) + 41  # the shipped pack, and the second load alone


async def test_a_reload_of_most_of_the_index_puts_back_the_other_rows_and_every_summary(tmp_path: Path) -> None:
    """The replaced briefing holds most of the index, so the load empties it and indexes the rest again: every row and
    term, the summaries' too, as the triggers write them, and a search of another briefing still finds its items."""
    path = tmp_path / "store.sqlite3"
    async with open_store(path) as store:
        await store.seed(DATA, BRIEFING_ID)
        await store.repository.save(grown("grown", 300))
        await store.repository.save(grown("grown", 280))  # fewer rows: an old row left in the index would show
        found = whole_index(path)
        assert found == whole_index(path, as_the_triggers_write=True)
        # Every kind the briefings hold has its rows put back (the grown packs hold the shipped pack's kinds): read from
        # the pack, as a kind its story has nothing for is in neither.
        held = {"summary", *(kind.name for kind in PACK_KINDS if items_of(read_pack(PACK), kind))}
        indexed_kinds = {row[1] for row in found if len(row) == 3}
        assert indexed_kinds == held, f"kinds the briefings hold, not in the rebuilt index: {held - indexed_kinds}; in it, held by none: {indexed_kinds - held}"
        assert (await store.repository.search(BRIEFING_ID, "cocoa"))[0]


async def test_a_load_that_writes_the_whole_index_leaves_one_segment_that_the_merge_keeps(tmp_path: Path) -> None:
    """A load into an empty store, beside briefings far smaller than it, or over one holding most of the index writes every
    index row in one batch, in rowid order (summaries first): FTS5 writes them as one segment, which the merge keeps."""
    path = tmp_path / "store.sqlite3"
    async with open_store(path) as store:
        await store.repository.save(read_pack(PACK))
        assert segments(path) == 1
        await store.repository.save(grown("grown", 1000))  # beside the shipped pack's rows, which go in again with it
        assert segments(path) == 1
        assert whole_index(path) == whole_index(path, as_the_triggers_write=True)
        await store.repository.save(grown("small", 0))  # far smaller than the others: its rows go in as a segment of their own
        assert segments(path) > 1
        await store.repository.merge_search_index()
        await store.repository.save(grown("grown", 900))
        assert segments(path) == 1
        stored = index_pages(path)
        await store.repository.merge_search_index()
        assert index_pages(path) == stored
        assert whole_index(path) == whole_index(path, as_the_triggers_write=True)


def segments(path: Path) -> int:
    """How many segments (b-trees of terms) the search index is written as."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(DISTINCT segid) FROM search_index_idx").fetchone()[0])


def index_pages(path: Path) -> list[tuple[int, bytes]]:
    """The search index's stored pages (FTS5's own table): a merge that rewrote the index would change them."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT id, block FROM search_index_data ORDER BY id").fetchall()


def whole_index(path: Path, as_the_triggers_write: bool = False) -> list[tuple[object, ...]]:
    """Every index row (summaries too): its kind and id, then its terms by row, column and offset; or the same as the triggers write it."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.create_function("briefbot_terms", 2, keyed, deterministic=True)
        conn.create_function("briefbot_scope", 5, rows.scope, deterministic=True)
        index = "search_index"
        if as_the_triggers_write:
            index = "temp.expected"
            conn.execute("CREATE VIRTUAL TABLE temp.expected USING fts5 (scope, kind UNINDEXED, item_id UNINDEXED, title, body,"
                         " tokenize = 'unicode61 remove_diacritics 2')")
            conn.execute(f"INSERT INTO temp.expected (rowid, scope, kind, item_id, title, body) {_AS_THE_TRIGGERS_WRITE}")
            conn.execute("INSERT INTO temp.expected (rowid, scope, kind, item_id, title, body) SELECT -rowid, briefbot_terms(id, 'summary'),"
                         " 'summary', 'summary', '', briefbot_terms(id, search_translations) FROM briefings")  # migration 025
        schema, table = index.split(".") if "." in index else ("main", index)
        conn.execute(f"CREATE VIRTUAL TABLE temp.terms USING fts5vocab({schema}, {table}, instance)")
        rows_of = conn.execute(f"SELECT rowid, kind, item_id FROM {index} ORDER BY rowid").fetchall()
        return rows_of + conn.execute("SELECT doc, col, offset, term FROM temp.terms ORDER BY doc, col, offset").fetchall()


async def test_a_reload_whose_last_revision_is_not_the_stored_content_logs_the_stored_content(tmp_path: Path) -> None:
    """When the last revision's pack is not what is stored (its hash differs), the stored briefing itself is what `before` logs."""
    path = tmp_path / "store.sqlite3"
    first, second = grown("grown", 40), grown("grown", 41)
    async with open_store(path) as store:
        await store.seed(DATA, BRIEFING_ID)
        await store.repository.save(first)
        with contextlib.closing(sqlite3.connect(path)) as conn:  # as an older store might have logged it: another pack
            conn.execute("UPDATE revisions SET after = ? WHERE id = (SELECT max(id) FROM revisions)",
                         (json.dumps({"item": pack_mapping(grown("grown", 3)), "position": 0}),))
            conn.commit()
        await store.repository.save(second)
        latest = (await store.repository.revisions("grown", limit=1))[0]
        assert latest.before == {"item": pack_mapping(first), "position": 0}

async def written_at(path: Path, version: int, briefing: Briefing) -> None:
    """A store migrated up to `version` holding the briefing's rows, as that version's triggers wrote them."""
    conn = await connect(path)
    try:
        assert await migrate(conn, target=version) == version
        await conn.execute("BEGIN")
        await conn.execute("INSERT INTO briefings (id, title, summary, zones, content_hash, updated_at, evidence, language, translations,"
                           " search_translations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows.briefing_row(briefing, "", "2026-02-01T12:00:00"))
        await conn.executemany(f"INSERT INTO items ({', '.join(rows.ITEM_COLUMNS)}) VALUES ({', '.join('?' * len(rows.ITEM_COLUMNS))})",
                               rows.item_rows(briefing))
        await conn.execute("COMMIT")
    finally:
        await conn.close()


async def test_migration_017_puts_the_topics_of_stored_events_in_the_index(tmp_path: Path) -> None:
    """A store written before 017 (its triggers keyed the kind alone): after it, the index is what 017's triggers write, and
    `timeline query:` with a topic answers as the snapshot's filter does."""
    path = tmp_path / "old.sqlite3"
    await written_at(path, 16, read_pack(PACK))
    async with open_store(path) as store:
        stored, expected = index_rows(path)
        assert stored == expected and any(term[3].endswith(tag_word("visa").lower()) for term in stored if len(term) == 4)
        assert await answers_as_the_index_filters(store.repository, BRIEFING_ID, ["visa", "petro", "trump", "tariffs", "colombia"])


async def test_migration_021_puts_the_dates_of_stored_events_in_the_index(tmp_path: Path) -> None:
    """A store written at 020 (an event's kind term without its dates): after 021, the index is what 021's triggers write, and
    closed ranges of whole months and years, edges within a month, spans and undated events answer as the snapshot's filter."""
    path = tmp_path / "old.sqlite3"
    await written_at(path, 20, dated_pack("dated"))
    async with open_store(path) as store:
        stored, expected = index_rows(path)
        assert stored == expected and any(str(term[3]).endswith("timeline202503") for term in stored if len(term) == 4)
        assert await answers_as_the_index_filters(store.repository, "dated", ["alpha", "gamma", "event", "alpha or delta"])


def test_an_items_tag_words_are_those_of_its_whole_data() -> None:
    """The load reads only the tags' slice of a row's JSON; a tag holding `]` or a quote, or a text quoting `"tags":[`, reads the same."""
    for tags in (["trade", "visa"], [], ["a]b", 'q"u\\o', "é"]):
        data = orjson.dumps({"detail": 'say "tags":["x"] here ]', "tags": tags, "evidence": [{"passage": "tags"}]}).decode()
        assert rows.tag_words(data) == "".join(" " + tag_word(tag) for tag in tags)
    assert rows.tag_words('{"id":"p"}') == ""


@given(text=st.text(max_size=60) | st.text(st.characters(max_codepoint=127), max_size=60))
def test_keyed_terms_are_the_words_of_any_text_each_with_its_key(text: str) -> None:
    """ASCII text is split by string methods, other text by the word pattern: the same words either way, each keyed."""
    assert keyed("b1", text) == " ".join(briefing_key("b1") + word for word in re.findall(r"[^\W_]+", text))


def test_a_loads_index_rows_let_go_of_the_pack_data_first_then_of_each_item_row_as_its_index_row_is_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What comes next takes the memory of what is let go (a load's page faults): each input is emptied as soon as it has been used."""
    briefing = grown("memory", 5)
    mapping = pack_mapping(briefing)
    item_rows = rows.item_rows(briefing, mapping)
    expected = [(10 + n, *rows.index_row(row)) for n, row in enumerate(item_rows)]
    text = orjson.dumps({"item": mapping, "position": 0})
    left: list[tuple[int, int]] = []
    index_row = rows.index_row

    def watched(row: tuple[object, ...]) -> tuple[str, str, str, str, str]:
        left.append((len(mapping), len(item_rows)))
        return index_row(row)

    monkeypatch.setattr(rows, "index_row", watched)
    indexed, logged = repository._index_rows(10, item_rows, mapping)
    assert (indexed, logged) == (expected, text)
    assert left == [(0, len(expected) - 1 - n) for n in range(len(expected))]
    assert item_rows == [] and mapping == {}
