"""The SQLite briefing repository: current snapshots, full-text search, and logged writes.

Reads hand out an immutable Briefing cached per (id, version). SQLite's `PRAGMA data_version`, asked
of a tiny read-only connection on the event loop's thread, changes only when another connection
commits (this process writes on another one too): while it stands still, a read returns the cached
snapshot without a query. Once it moved, the briefing's version is asked, and only when that moved
too is the whole briefing read again, in one read transaction. Every other query (search, history)
goes through aiosqlite, off the event loop's thread.

One connection serves every coroutine, so one lock queues its transactions and reads: a read never
sees a write transaction of this process that is still open. Each edit is one `BEGIN IMMEDIATE`
transaction: built from the briefing as it is then, checked against the editor's base, written
with its revision and committed only into the file the store opened.
"""
from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Mapping
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

import orjson
from msgspec.structs import replace

from bot.core.kept import built_off_loop, collector_paused
from bot.core.kinds import KINDS, PACK_KINDS
from bot.core.model import Briefing, Source
from bot.core.offload import inline, to_thread
from bot.core.recent import Recent
from bot.core.repository import (
    ASKING,
    LOAD_PLATFORM,
    SEARCH_KINDS,
    BriefingSummary,
    Change,
    Part,
    Revision,
    SearchHit,
    SourceText,
    TakenBack,
    TimelineQuery,
)
from bot.core.text import search_groups
from bot.errors import NewerSchema, StoreError, UserError
from bot.store import rows, writes
from bot.store.database import FileIdentity, held_transaction, queue_lock, store_error
from bot.store.fulltext import (
    CANDIDATES,
    briefing_key,
    kind_term,
    may_start_a_scope_term,
    tag_word,
    unsure_terms,
)
from bot.store.history import ITEM_REVISION, RECORD_CHANGED, as_revision, import_changed_item, import_changed_kind, item_states
from bot.store.loads import LISTING, SHOWN_EDITS, TOUCHED_SINCE_LOAD, BriefingListing, taken_back
from bot.store.texts import source_text
from bot.store.writes import WriteSql, logged, packed

if TYPE_CHECKING:
    from bot.store.database import Connection

log = logging.getLogger(__name__)
T = TypeVar("T")

_READS = {
    "head": "SELECT title, summary, zones, evidence, language, translations, version FROM briefings WHERE id = ?",
    "sides": "SELECT id, label, also FROM sides WHERE briefing_id = ? ORDER BY position",
    "items": "SELECT kind, id, data FROM items WHERE briefing_id = ? ORDER BY kind, position",
}
# A part of a briefing (`Part`): the items of some kinds, and the timeline's events begun within some days with
# the last one begun before (each a seek in migration 015's index), in pack order as a whole read gives them.
_PART_ITEMS = "SELECT kind, id, data FROM items WHERE briefing_id = ? AND kind IN (SELECT value FROM json_each(?)) ORDER BY kind, position"
_NEAR_EVENTS = """
SELECT kind, id, data FROM items WHERE rowid IN (
    SELECT rowid FROM items INDEXED BY items_in_timeline_order WHERE briefing_id = :briefing AND kind = 'timeline'
      AND coalesce(first_day, '~') BETWEEN :first AND :last
    UNION ALL
    SELECT rowid FROM (SELECT rowid FROM items INDEXED BY items_in_timeline_order WHERE briefing_id = :briefing AND kind = 'timeline'
      AND coalesce(first_day, '~') < :first ORDER BY coalesce(first_day, '~') DESC, last_day DESC, position DESC LIMIT 1)
) ORDER BY position
"""
# The items a search found (a JSON list of [kind, id]), each by its key: CROSS JOIN keeps the hits outside, else
# SQLite walks the briefing's every item and the hits for each, slow in a large briefing.
_FOUND_ITEMS = """
SELECT item.kind, item.id, item.data FROM json_each(?2) AS hit CROSS JOIN items AS item
WHERE item.briefing_id = ?1 AND item.kind = json_extract(hit.value, '$[0]') AND item.id = json_extract(hit.value, '$[1]')
ORDER BY item.kind, item.position
"""
# A person's part (`Part.person`): the events naming them and the quotes they said, by migration 020's links (the card's
# sessions and agenda come from those sections, read whole: `person`'s `reads`).
_PERSON_ITEMS = """
SELECT kind, id, data FROM items WHERE rowid IN (
    SELECT item FROM item_links WHERE briefing_id = ?1 AND link = 'person' AND value = ?2
) AND kind IN ('timeline', 'quote') ORDER BY kind, position
"""
# An event carrying each tag (`Part.topics`), so the part's tags are every tag of the briefing.
_TAGGED_EVENTS = """
SELECT kind, id, data FROM items WHERE rowid IN (
    SELECT min(item) FROM item_links WHERE briefing_id = ?1 AND link = 'tag' GROUP BY value
) ORDER BY kind, position
"""
_CITATIONS = "SELECT value, count(*) FROM item_links WHERE briefing_id = ? AND link = 'source' GROUP BY value"
# Titles weigh four times bodies; `scope` never counts. Every term carries its briefing's key (migration
# 013), so the query reads that briefing's terms alone. bm25 scores the first CANDIDATES matches in index
# (pack) order: all of them in a briefing of hundreds of items, but in a large briefing a common word's tens
# of thousands of matches would each be ranked, so those beyond are not (issue #18 §2). A
# summary's row is its briefing's negated rowid, which no item has. Rows: score, rowid, kind, id.
_CANDIDATES = f"SELECT rowid, bm25(search_index, 0.0, 0.0, 0.0, 4.0, 1.0) AS score FROM search_index WHERE search_index MATCH ? ORDER BY rowid LIMIT {CANDIDATES}"
# A large briefing's candidates with their kind and id: every one is a hit a page of `search` may show.
_SEARCH_HITS = f"SELECT hit.score, hit.rowid, coalesce(item.kind, 'summary'), coalesce(item.id, 'summary') FROM ({_CANDIDATES}) AS hit LEFT JOIN items AS item ON item.rowid = hit.rowid"
# How many items match, asked only when the candidates are full: it reads every match, as ranking them all would not.
_MATCHES = "SELECT count(*) FROM search_index WHERE search_index MATCH ?"
# A small briefing is searched on the probe by `_CANDIDATES` alone, every candidate ranked in Python (`_ranked`):
# SQLite's ORDER BY … LIMIT builds a temporary b-tree and a sorter per statement, and the join to `items` opens
# their table, for a handful of rows. Their kind and id come from its index rows (`Held.rows`), read once per snapshot.
_INDEXED_ROWS = "SELECT rowid, kind, id FROM items WHERE briefing_id = ?1 UNION ALL SELECT -rowid, 'summary', 'summary' FROM briefings WHERE id = ?1"
READ_CHUNK = 5000  # item rows fetched and decoded at a time when a briefing is read whole
# A briefing of at most this many items is searched (and its revision heads read) on the read-only probe, on the event loop's thread:
# its full-text SQL takes less time there than the hop to aiosqlite's thread and back, which grows under load.
# A larger one could hold the loop, ranking each of its matches, and goes through aiosqlite. Either way it is
# the same SQL over the same committed data.
SMALL_BRIEFING = 1000
# `/why`'s revision heads go on the probe too while the briefing's items times its version is at most this. The bound
# dates from when the statement read each import's whole-pack JSON to find the item;
# each import is now one seek in `revision_items` (migration 024), so it holds the loop still less.
SHORT_HISTORY = 150
# `timeline query:` whole in SQL (issue #18 §2). The page walks the briefing's events in the timeline's
# order (migration 015's index: first and last day, undated last, then pack position) from the range's
# start, keeps those in the set of matching rowids (FTS5 lists them in C) and stops at
# the page's end, so a common word's page reads a few dozen index entries and no row. An event may start
# before `from:` and still reach into it: the walk starts the longest event's span (the span index, one
# seek) before `from:`. A topic reads the rows that matched, until the page is full.
_TIMELINE_WALK = """
FROM items AS item INDEXED BY items_in_timeline_order
WHERE item.briefing_id = :briefing AND item.kind = 'timeline'
  AND coalesce(item.first_day, '~') BETWEEN (CASE WHEN :first IS NULL THEN '' ELSE date(:first, '-' || (
        SELECT max(julianday(span.last_day) - julianday(span.first_day)) FROM items AS span
        WHERE span.briefing_id = :briefing AND span.kind = 'timeline') || ' days') END) AND coalesce(:last, '~')
  AND (:first IS NULL OR item.last_day >= :first)
"""
# The set of matching rowids is listed whole before the walk's first step, a small cost per match that adds up for a
# common prefix in a large briefing. When the matches are dense, the page's walk meets its rows within a few
# entries, and testing each row it meets (reading its title and body and finding the words, `fulltext.holds`) costs
# less, though one row's test costs about DENSE times one match's place in the set. The count comes first (`counted`:
# the n matches among the events the walk may meet) and decides: the
# walk's length, (offset + limit) × walked / n, times a row's test, against the set of the briefing's matches,
# about n × items / walked (the whole briefing's, even for a month's page), i.e. rows are tested when
# n² × items > DENSE × (offset + limit) × walked² (a briefing not held yet: as if the walk were all of it). A row only
# the index can judge (not ASCII) falls back to the set.
DENSE = 30
_MATCHED = "item.rowid IN (SELECT rowid FROM search_index WHERE search_index MATCH :words)"
# With a topic, the row's tag is looked up too (migration 020's links: one seek of their table).
_HOLDS = """briefbot_holds(:text, item.search_title, item.search_body)
    AND (:tag IS NULL OR EXISTS (SELECT 1 FROM item_links AS link
                                 WHERE link.briefing_id = :briefing AND link.link = 'tag' AND link.value = :tag AND link.item = item.rowid))"""
_TESTED = f"CASE WHEN (SELECT n * n * coalesce(:events, walked) > {DENSE} * :reach * walked * walked FROM counted) THEN {_HOLDS} END"
# One statement, one hop to aiosqlite's thread: first the count, then the page. The count is FTS5's alone
# (the words and the kind, `_timeline_scoped`: no item read) with no range, the events walked being the
# briefing's; the index's with a range too (`dated`); the walk's to the range's end for a range without words.
# A topic is a term of the MATCH (its keyed tag token in `scope`, migration 017), so it reads no row either.
_TIMELINE_ORDER = "ORDER BY coalesce(item.first_day, '~'), item.last_day, item.position LIMIT :limit OFFSET :offset"
_TIMELINE_PAGE = (
    f"SELECT n, NULL FROM counted UNION ALL SELECT * FROM (SELECT NULL, item.id {_TIMELINE_WALK}"
    f" AND (:words IS NULL OR coalesce({_TESTED}, {_MATCHED})) {_TIMELINE_ORDER})"
)
# The briefing's first and last starting day, for a range's share of its days (`_TIMELINE_COUNTED["dated"]`): one seek each.
_STARTS = "SELECT item.first_day AS day FROM items AS item INDEXED BY items_in_timeline_order WHERE item.briefing_id = :briefing AND item.kind = 'timeline'"
_TIMELINE_COUNTED = {
    "words": f"WITH counted (n, walked) AS MATERIALIZED (SELECT count(*), :events FROM search_index WHERE search_index MATCH :scoped) {_TIMELINE_PAGE}",
    "range": (
        "WITH counted (n, walked) AS MATERIALIZED"
        f" (SELECT count(*) FILTER (WHERE :words IS NULL OR {_MATCHED}), count(*) {_TIMELINE_WALK}) {_TIMELINE_PAGE}"
    ),
    # Words within a range, counted by the index (migration 021): the words' matches among the range's month and year
    # terms (:dated), or, when the range holds more than half the briefing's days, the events' matches less those
    # wholly outside it (:complement: a range of decades names the fewer years), their terms named only among the years
    # the briefing's events start in, read here with the count (`fulltext.range_side`; none left, none counted); then the events only their days place
    # (:undated, few) tested one by one (a row only the index can judge is sought among the words' matches of those
    # few terms, not among the words' whole set). The walk above probes the words' whole set with each of the range's
    # events, slow for a common word over years of a large timeline. The page's rule takes the range's share of the
    # briefing's days for the walk's length: counting it walks the range.
    "dated": (
        "WITH share (part, earliest, latest) AS MATERIALIZED (SELECT (julianday(coalesce(:last, latest.day)) - julianday(coalesce(:first, earliest.day)) + 1)"
        " / (julianday(latest.day) - julianday(earliest.day) + 1), earliest.day, latest.day"
        f" FROM ({_STARTS} ORDER BY coalesce(item.first_day, '~') LIMIT 1) AS earliest,"
        f" ({_STARTS} AND coalesce(item.first_day, '~') < '~' ORDER BY coalesce(item.first_day, '~') DESC LIMIT 1) AS latest),"
        " matched (terms) AS MATERIALIZED (SELECT CASE WHEN part > 0.5"
        " THEN :complement || briefbot_range_side(:key, :first, :last, 1, earliest, latest) || ')'"
        " ELSE :dated || briefbot_range_side(:key, :first, :last, 0, earliest, latest) || ')' END FROM share),"
        " counted (n, walked) AS MATERIALIZED (SELECT coalesce((SELECT (SELECT count(*) FROM search_index WHERE search_index MATCH terms)"
        " FROM matched WHERE terms IS NOT NULL), 0)"
        " + (SELECT count(*) FROM items AS item WHERE item.rowid IN (SELECT rowid FROM search_index WHERE search_index MATCH :undated)"
        f" AND item.first_day <= coalesce(:last, '~') AND item.last_day >= coalesce(:first, '') AND coalesce({_HOLDS}, item.rowid IN"
        " (SELECT rowid FROM search_index WHERE search_index MATCH :words || ' AND ' || :undated))),"
        f" coalesce((SELECT min(:events, :events * part) FROM share), (SELECT count(*) {_TIMELINE_WALK}))) {_TIMELINE_PAGE}"
    ),
}
# A small briefing's events in the timeline's order (SMALL_BRIEFING, on the probe), read once per held snapshot
# (`Held.events`); a query then lists its matching rowids alone (`_MATCHING`) and its page and count are cut from those
# events in Python: the walk of the index, the set of matches built per statement and the longest span were about
# half of each query's work, the same every time for the snapshot.
_TIMELINE_ORDERED = (
    "SELECT item.rowid, item.id, item.first_day, item.last_day FROM items AS item INDEXED BY items_in_timeline_order"
    f" WHERE item.briefing_id = ? AND item.kind = 'timeline' {_TIMELINE_ORDER.partition(' LIMIT')[0]}"
)
_MATCHING = "SELECT rowid FROM search_index WHERE search_index MATCH ?"
_ITEM_COLUMNS = ", ".join(rows.ITEM_COLUMNS)
# One item's row written whether or not it exists (an edit, an add, an undo of either): an existing row
# is updated in place, so its rowid (its search index row) stays put.
_UPSERT_ITEM = (
    f"INSERT INTO items ({_ITEM_COLUMNS}) VALUES ({', '.join('?' * len(rows.ITEM_COLUMNS))})"
    " ON CONFLICT (briefing_id, kind, id) DO UPDATE SET position = excluded.position, data = excluded.data,"
    " search_title = excluded.search_title, search_body = excluded.search_body,"
    " first_day = excluded.first_day, last_day = excluded.last_day"
)
# A load writes its items with one executemany, the search index's insert trigger dropped for it (in the
# load's transaction, recreated from its own text before commit), and the index rows after them, their
# keyed terms worked out in Python: with the trigger, every statement opens a savepoint at which FTS5
# writes out its pending terms (an index segment per row), and the trigger calls `briefbot_terms` three
# times per row: a large load spent most of its CPU there.
_INSERT_ITEMS = f"INSERT INTO items (rowid, {_ITEM_COLUMNS}) VALUES (?, {', '.join('?' * len(rows.ITEM_COLUMNS))})"
_INDEX_ITEMS = "INSERT INTO search_index (rowid, scope, kind, item_id, title, body) VALUES (?, ?, ?, ?, ?, ?)"
# An item row's index values as the triggers work them out (migration 021): rowid, scope (the kind with its dates, each tag), kind, id, title, body.
_INDEXED = """rowid, briefbot_scope(briefing_id, kind, data, first_day, last_day),
       kind, id, briefbot_terms(briefing_id, search_title), briefbot_terms(briefing_id, search_body)"""
# Replacing a briefing takes its old index rows out in one statement too, the delete trigger off meanwhile: through
# the trigger each row's removal was its own statement, and FTS5 flushed at each, slow for a large briefing. The index
# holds no copy of the text (migration 016), so FTS5's 'delete' is given the values indexed, as the trigger gives them.
_UNINDEX_ITEMS = f"INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body) SELECT 'delete', {_INDEXED} FROM items WHERE briefing_id = ?"
# When the others' rows are few beside those a load writes and replaces (`_replace_rows`), emptying the index and indexing
# them again is cheaper than working out every old row's values for 'delete' (much of a large briefing's reload) and
# merging: every summary row goes with it and comes back as the briefing triggers write it (migration 016). Read here and
# written with the load's rows, in rowid order, by one `executemany`: FTS5 then writes the whole index as one segment at
# commit, which `merge_search_index` keeps, where an `INSERT … SELECT` writes a segment of its own and the merge rewrites all.
_EMPTY_INDEX = "INSERT INTO search_index (search_index) VALUES ('delete-all')"
_OTHERS_INDEXED = f"""
SELECT -rowid, briefbot_terms(id, 'summary'), 'summary', 'summary', '', briefbot_terms(id, search_translations) FROM briefings
UNION ALL
SELECT {_INDEXED} FROM items WHERE briefing_id <> ?
ORDER BY 1
"""
_INDEX_TRIGGERS = ("items_search_insert", "items_search_delete", "items_links_insert", "items_links_delete")
# The tables a load rewrites whose indexes are dropped and built again after it when the load writes most of their rows
# (`_drop_for_bulk_write`): CREATE INDEX sorts the rows once where each insert would walk every index's b-tree. The links
# have no index: their table is kept in their key's order (migration 020), and the load writes them sorted.
_REWRITTEN_TABLES = ("items",)
# A load's links (migration 020) in one statement after its rows, as its index rows: through the triggers, each row's
# links were a statement of their own, which made a large load's CPU twice what it needs. The same rows as the view
# `item_links_in_data` gives (tests/test_bulk_load.py compares them), from one walk of each item's JSON where the
# view's four branches parse it three times: a scalar (a quote's speaker) is quoted so `json_each` gives it as one row
# (its key NULL). Sorted in the table's key order, each row goes in beside the last rather than into a page anywhere.
_LINK_ITEMS = """
INSERT INTO item_links (briefing_id, link, value, item, place)
SELECT briefing_id, CASE field.key WHEN 'tags' THEN 'tag' WHEN 'sources' THEN 'source' ELSE 'person' END, linked.value, items.rowid,
       coalesce(linked.key, -1)
FROM items, json_each(items.data) AS field,
     json_each(CASE field.type WHEN 'array' THEN field.value ELSE json_quote(field.value) END) AS linked
WHERE briefing_id = ? AND (field.key IN ('people', 'sources') OR (field.key = 'speaker' AND kind = 'quote')
                           OR (field.key = 'tags' AND kind = 'timeline'))
ORDER BY 1, 2, 3, 4, 5
"""
# Each briefing with its translated titles only ({"es": "…"}): the head's translations hold its summaries too.
_SUMMARIES = """
SELECT id, title, is_default, archived, updated_at, version,
       (SELECT json_group_object(key, json_extract(value, '$.title')) FROM json_each(translations)
        WHERE json_extract(value, '$.title') IS NOT NULL)
FROM briefings ORDER BY is_default DESC, id
"""
_SEARCH_TEXT = "UPDATE items SET search_title = ?, search_body = ? WHERE briefing_id = ? AND kind = ? AND id = ?"
_UPSERT_BRIEFING = """
INSERT INTO briefings (id, title, summary, zones, content_hash, updated_at, evidence, language, translations, search_translations)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
    title = excluded.title, summary = excluded.summary, zones = excluded.zones,
    content_hash = excluded.content_hash, evidence = excluded.evidence, updated_at = excluded.updated_at,
    language = excluded.language, translations = excluded.translations, search_translations = excluded.search_translations,
    version = briefings.version + 1
"""
# The briefing asked for (the default when NULL): its id and version.
_VERSION = "SELECT id, version FROM briefings WHERE id = coalesce(?, (SELECT id FROM briefings WHERE is_default = 1))"
# Counts the imports that changed the item too, so a stale base and an undo see them (see bot/store/history.py).
_ITEM_REVISION = ITEM_REVISION
_INSERT_REVISION = """
INSERT INTO revisions (briefing_id, kind, item_id, action, actor, platform, at, before, after, source, note, undoes)
VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT), CAST(? AS TEXT), ?, ?, ?)
"""
_REVISION_COLUMNS = "id, briefing_id, kind, item_id, action, actor, platform, at, before, after, source, note, undoes"
# The same columns with the pack data left out (`revisions(data=False)`).
_REVISION_HEADS = _REVISION_COLUMNS.replace("before, after", "NULL, NULL")
# The statements of bot/store/writes.py's steps (`WriteSql` says what each does), in SQLite's words.
_WRITES = WriteSql(
    stored="SELECT content_hash, pack_folder, version FROM briefings WHERE id = ?",
    version="SELECT version FROM briefings WHERE id = ?",
    has_default="SELECT 1 FROM briefings WHERE is_default = 1",
    clear_default="UPDATE briefings SET is_default = 0 WHERE is_default = 1 AND id <> ?",
    set_default="UPDATE briefings SET is_default = 1 WHERE id = ?",
    set_folder="UPDATE briefings SET pack_folder = ?2 WHERE id = ?1 AND pack_folder IS NOT ?2",
    # json_type is NULL when the revision logged no folder: an import, or a load logged before loads logged it.
    undone_folder="SELECT json_type(before, '$.folder'), json_extract(before, '$.folder'),"
                  " (SELECT pack_folder FROM briefings WHERE id = ?2) FROM revisions WHERE id = ?1",
    latest_whole="SELECT after FROM revisions WHERE id = (SELECT max(id) FROM revisions WHERE briefing_id = ?1) AND kind = 'briefing'",
    item_revision=_ITEM_REVISION,
    item_state=f"SELECT ({_ITEM_REVISION}), (SELECT position FROM items WHERE briefing_id = ?1 AND kind = ?2 AND id = ?3)",
    upsert_head=_UPSERT_BRIEFING,  # the triggers index its summary
    # The content hash only serves to spot an unchanged pack load; `save` works it out then.
    bump="UPDATE briefings SET version = version + 1, content_hash = '', updated_at = ? WHERE id = ?",
    delete_item="DELETE FROM items WHERE briefing_id = ? AND kind = ? AND id = ?",
    next_position="SELECT coalesce(max(position), -1) + 1 FROM items WHERE briefing_id = ? AND kind = ?",
    upsert_item=_UPSERT_ITEM,
    search_text=_SEARCH_TEXT,
    # The key's row, new or taken over once expired (a later write's prune may not have reached it): a row back only then.
    once="INSERT INTO once_keys (key, expires) VALUES (?1, ?2)"
         " ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE once_keys.expires < ?3 RETURNING 1",
    prune_once="DELETE FROM once_keys WHERE key IN (SELECT key FROM once_keys WHERE expires < ?1 ORDER BY expires LIMIT ?2)",
)


def fts_query(briefing_id: str, text: str, kinds: Collection[str] = ()) -> str | None:
    """An FTS5 expression over one briefing's terms: the kinds, if any are asked for, and the words."""
    words = fts_words(briefing_id, text)
    if words is None or not kinds:
        return words
    key = briefing_key(briefing_id)
    chosen = [kind_term(key, kind) for kind in kinds if kind in SEARCH_KINDS]
    return f"scope : ({' OR '.join(chosen)}) AND {words}" if chosen else words


def _ranked(candidates: list[tuple[Any, ...]]) -> list[SearchHit]:
    """A search's rows by score, ties in pack order (the rowid), as PostgreSQL's statement ranks."""
    return [SearchHit(kind, item_id, score) for score, _, kind, item_id in sorted(candidates)]


def fts_words(briefing_id: str, text: str) -> str | None:
    """Every word of the text as a prefix of the briefing's terms, searched in titles and bodies.

    `visa OR sanctions` (or `or`) finds either side; words side by side must all be there. The filter to titles and
    bodies is named only when a word could start a `scope` term: any other word matches only there anyway, and
    the filter costs FTS5 a look at every match's columns (`may_start_a_scope_term`).
    """
    groups = search_groups(text)
    if not groups:
        return None
    key = briefing_key(briefing_id)
    # (("KEYw1"* "KEYw2"*) OR ("KEYw3"*)): one join per group, no generator.
    words = "((" + ") OR (".join(['"' + key + ('"* "' + key).join(group) + '"*' for group in groups]) + "))"
    return "{title body} : " + words if may_start_a_scope_term(groups) else words


def _timeline_scoped(key: str, words: str, tagged: bool) -> str:
    """The events holding the words, as an FTS5 expression for their count.

    With a topic, the words alone: they hold its tag term, which only events have (`TimelineEvent.tags`), so naming
    the kind would only cost FTS5 more doclists to step through.
    Otherwise the words less every other kind: the other kinds' rows are far fewer than the events, and the kind's
    own term is a prefix of every dated event's (`kind_term`, migration 021), which FTS5 would merge whole, slow in
    a large briefing (a small briefing's count is cut from its matching rowids on the probe, `_timeline_on_probe`).
    """
    return words if tagged else f"{words} NOT {{scope}} : ({_other_kinds(key)})"


def _other_kinds(key: str) -> str:
    """The terms of every kind but events, joined by OR."""
    return " OR ".join(kind_term(key, kind) for kind in SEARCH_KINDS if kind != "timeline")


class Held(NamedTuple):
    """A cached snapshot and the data_version it was last found current at (None: not checked since cached)."""

    snapshot: Briefing
    stamp: int | None
    size: int  # its items, counted once: every full-text read asks whether the briefing is small
    # A small briefing's index rows by rowid, as the kind and id of what each indexes (`_indexed_rows`).
    rows: dict[int, tuple[str, str]]
    # A small briefing's events by rowid: their place in the timeline's order, id, first and last day (`_timeline_rows`).
    events: dict[int, tuple[int, str, str | None, str | None]]

    @classmethod
    def of(cls, snapshot: Briefing, stamp: int | None) -> Held:
        """The snapshot held, with its size."""
        return cls(snapshot, stamp, _size(snapshot), {}, {})


class SqliteBriefingRepository:
    """BriefingRepository over one connection (aiosqlite's; a plain one under `run_inline`), plus the writes the CLI and admins use."""

    def __init__(self, conn: Connection, probe: sqlite3.Connection | None = None, file: FileIdentity = FileIdentity(None, None)) -> None:
        self._conn = conn
        # Asked for PRAGMA data_version once per request, through one cursor (a new one per ask is work on every
        # request); its connection also answers a small briefing's full-text reads (SMALL_BRIEFING).
        self._probe = None if probe is None else probe.cursor()
        self._file = file
        self._file_lost = False  # logged once when first noticed
        # Cached snapshots by the id they were asked for (None is the default briefing); only the most
        # recently used are kept, so a store of a thousand briefings does not end up all in memory.
        self._held: Recent[str | None, Held] = Recent()
        self._listing: tuple[int | None, tuple[BriefingSummary, ...]] | None = None  # `briefings()` and its data_version
        # One connection serves every coroutine: transactions and reads must not interleave on it.
        self._transaction_lock = queue_lock()

    async def briefing(self, briefing_id: str | None = None, part: Part | None = None) -> Briefing:
        """The current briefing (the default when None): the cached snapshot, read again if its version moved.

        With `part`, only that part is read when no snapshot of this version is held, and it is not held.
        """
        stamp = self.stamp()  # before asking, so a commit from now on is noticed next time
        held = self._held.get(briefing_id)
        if held is not None and stamp is not None and held.stamp == stamp:
            return held.snapshot
        found = await self._read_now(_VERSION, (briefing_id,))
        if not found:
            if briefing_id is None:
                raise UserError("briefing.none")
            raise UserError("briefing.unknown", briefing=briefing_id[:64])
        found_id, version = str(found[0][0]), int(found[0][1])
        snapshot = self._cached(found_id, version)
        if snapshot is None:
            async with self._transaction("BEGIN"):
                snapshot = await self._read(found_id, part)
            if part is not None:
                return snapshot  # a part answers one command; held, it would answer others with sections missing
        self._held[found_id] = self._held[briefing_id] = Held.of(snapshot, stamp)
        return snapshot

    def _cached(self, briefing_id: str, version: int) -> Briefing | None:
        """A cached snapshot of this briefing at this version, if any (asked by id or as the default)."""
        for held in (self._held.get(briefing_id), self._held.get(None)):
            if held is not None and held.snapshot.id == briefing_id and held.snapshot.version == version:
                return held.snapshot
        return None

    def stamp(self) -> int | None:
        """The probe's count of commits by any other connection (SQLite's data_version); None without it.

        Asked once per request (`ASKING`): its choices and its briefing are read as of the same look.
        """
        asking = ASKING.get()
        if asking is not None and asking.stamp is not None:
            return asking.stamp
        if self._probe is None:
            return None
        try:
            stamp = int(self._probe.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None  # busy for a moment: the version is asked instead
        if asking is not None:
            asking.stamp = stamp
        return stamp

    async def check(self) -> None:
        """StoreError unless the database answers a query and is still the file that was opened (for /healthz)."""
        self._check_file()
        try:
            await self._read_now("SELECT count(*) FROM briefings", ())
        except StoreError:
            raise
        except Exception as error:  # a closed connection, for one: unhealthy all the same
            raise StoreError(f"the database does not answer ({error!r})") from error

    def _check_file(self) -> None:
        """StoreError (logged the first time) if the database file was deleted or replaced since it was opened."""
        try:
            self._file.check()
        except StoreError as error:
            if not self._file_lost:
                self._file_lost = True
                log.error("%s; writes are refused", error)
            raise

    async def _read_now(self, sql: str, params: tuple[object, ...] | Mapping[str, object]) -> list[tuple[Any, ...]]:
        """One read through aiosqlite, never inside another coroutine's open transaction."""
        async with self._transaction_lock:
            return await self._fetchall(sql, params)

    def _on_probe(self, briefing_id: str, sql: str, params: tuple[object, ...] | Mapping[str, object]) -> list[tuple[Any, ...]] | None:
        """A read within a briefing known to be small (SMALL_BRIEFING), on the probe; None when it is not, or the probe is busy."""
        held = self._held.get(briefing_id)
        if self._probe is None or held is None or held.size > SMALL_BRIEFING:
            return None
        try:
            return self._probe.execute(sql, params).fetchall()  # its one cursor: fetched before anything else runs
        except sqlite3.Error:
            return None  # busy for a moment, or closed: aiosqlite answers, or says what is wrong

    async def _read_small(
        self, briefing_id: str, sql: str, params: tuple[object, ...] | Mapping[str, object]
    ) -> list[tuple[Any, ...]]:
        """A read within one briefing: on the probe when the briefing is known to be small (SMALL_BRIEFING), else through aiosqlite."""
        found = self._on_probe(briefing_id, sql, params)
        return found if found is not None else await self._read_now(sql, params)

    async def search(self, briefing_id: str, text: str, kinds: Collection[str] = ()) -> tuple[list[SearchHit], int]:
        """Ranked matches of every word (as a prefix) of `text` within one briefing, and how many items match in all."""
        if kinds and not any(kind in SEARCH_KINDS for kind in kinds):
            return [], 0
        query = fts_query(briefing_id, text, kinds)
        if query is None:
            return [], 0
        rows = self._indexed_rows(briefing_id)
        found = None if rows is None else self._on_probe(briefing_id, _CANDIDATES, (query,))
        if rows is None or found is None:
            candidates = await self._read_now(_SEARCH_HITS, (query,))
            hits = _ranked(candidates)
        else:
            candidates = found
            # A row the snapshot's do not hold was written since (an edit committed meanwhile): its item is not in the
            # version the answer shows either.
            hits = _ranked([(score, rowid, *rows[rowid]) for rowid, score in found if rowid in rows])
        if len(candidates) < CANDIDATES:  # every match is a candidate (and one written since this snapshot is not counted)
            return hits, len(hits)
        return hits, int((await self._read_small(briefing_id, _MATCHES, (query,)))[0][0])

    def _indexed_rows(self, briefing_id: str) -> dict[int, tuple[str, str]] | None:
        """The held snapshot's index rows, read on the probe at its first search; None when not held or the probe cannot read them."""
        held = self._held.get(briefing_id)
        if held is None:
            return None
        if not held.rows:
            found = self._on_probe(briefing_id, _INDEXED_ROWS, (briefing_id,))
            if not found:  # the summary's row is always there: none means not small, or the probe busy
                return None
            held.rows.update((int(row[0]), (str(row[1]), str(row[2]))) for row in found)
        return held.rows

    async def timeline_matches(self, briefing_id: str, query: TimelineQuery) -> tuple[list[str], int]:
        """One page of the events holding every word of the query (as a prefix), in the timeline's order, and their count.

        No text: every event of the range and tag, counted by the walk (what a one-shot `ask /timeline` pages).
        """
        words = fts_words(briefing_id, query.text) if query.text else None
        if words is None and query.text:
            return [], 0
        key, held = briefing_key(briefing_id), self._held.get(briefing_id)
        if query.tag is not None:  # a topic is a term of the MATCH: its keyed tag token in `scope` (migration 017)
            tag = f'{{scope}} : "{key}{tag_word(query.tag)}"'
            words = f"{tag} AND {words}" if words else tag
        every = self._timeline_on_probe(briefing_id, words, query)
        if every is not None:
            return every[query.offset : query.offset + query.limit], len(every)
        params = {
            "words": words, "briefing": briefing_id, "limit": query.limit, "offset": query.offset,
            "first": query.first.isoformat() if query.first else None, "last": query.last.isoformat() if query.last else None,
            "scoped": _timeline_scoped(key, words, query.tag is not None) if words else None,
            # Rows are tested for words (a topic alone is the index's); a held snapshot's items are the events walked
            # without a range, and scale a range's density up to the briefing's matches.
            "text": query.text, "tag": query.tag, "reach": query.offset + query.limit if query.text else None,
            "events": held.size if held else None,
        }
        counted = "range" if words is None or query.first or query.last else "words"
        if words and query.text and (query.first or query.last) and not (query.first and query.last and query.first > query.last):
            # The statement writes the range's terms after either head (`range_side`): the complement takes the other kinds
            # out in the same NOT as the events outside, one pass over the words' matches.
            others = "" if query.tag is not None else f"{_other_kinds(key)} OR "
            counted, params = "dated", params | {
                "key": key, "dated": f"{words} AND {{scope}} : (", "complement": f"{words} NOT {{scope}} : ({others}",
                "undated": unsure_terms(key, query.first, query.last),
            }
        found = await self._read_now(_TIMELINE_COUNTED[counted], params)
        return [str(row[1]) for row in found if row[1] is not None], next(int(row[0]) for row in found if row[1] is None)

    def _timeline_on_probe(self, briefing_id: str, words: str | None, query: TimelineQuery) -> list[str] | None:
        """A small briefing's every event matching `words` (all without) within the query's range, in the timeline's order,
        from the held snapshot's events and one full-text list of rowids on the probe; None when not held or not small.

        The range is `_TIMELINE_WALK`'s: begun by `last` (undated events only with no range), ended on or after `first`.
        """
        events = self._timeline_rows(briefing_id)
        if events is None:
            return None
        if words is None:
            matched: Iterable[tuple[int, str, str | None, str | None]] = events.values()
        else:
            found = self._on_probe(briefing_id, _MATCHING, (words,))
            if found is None:
                return None
            # A row the snapshot's do not hold was written since (an edit committed meanwhile): not in the version shown.
            matched = [events[row[0]] for row in found if row[0] in events]
        first = query.first.isoformat() if query.first else None
        last = query.last.isoformat() if query.last else "~"
        return [
            event_id for _, event_id, first_day, last_day in sorted(matched)
            if (first_day or "~") <= last and (first is None or (last_day is not None and last_day >= first))
        ]

    def _timeline_rows(self, briefing_id: str) -> dict[int, tuple[int, str, str | None, str | None]] | None:
        """The held snapshot's events (`Held.events`), read on the probe at its first `timeline query:`; None when not held or not small."""
        held = self._held.get(briefing_id)
        if held is None:
            return None
        if not held.events:
            found = self._on_probe(briefing_id, _TIMELINE_ORDERED, (briefing_id,))
            if found is None:
                return None
            held.events.update((int(row[0]), (n, str(row[1]), row[2], row[3])) for n, row in enumerate(found))
        return held.events

    async def citations(self, briefing_id: str) -> dict[str, int]:
        """How many items cite each source: one GROUP BY over migration 020's links, not a walk of every item.

        A small briefing's is counted on the probe, as its searches are: the hop to aiosqlite's thread and back
        cost more than the count itself.
        """
        return {str(source): int(count) for source, count in await self._read_small(briefing_id, _CITATIONS, (briefing_id,))}

    async def pack_folder(self, briefing_id: str) -> Path | None:
        """The folder of the pack file the briefing was last loaded from; None if unknown (made in a chat, or loaded before 022)."""
        found = await self._read_now("SELECT pack_folder FROM briefings WHERE id = ?", (briefing_id,))
        return Path(found[0][0]) if found and found[0][0] is not None else None

    async def source_text(self, briefing_id: str, source: Source) -> SourceText:
        """The text of the source's `text:` file, read off the event loop from the folder of the briefing's pack, or why it cannot be."""
        return await to_thread(source_text, source, await self.pack_folder(briefing_id))

    async def default_id(self) -> str | None:
        """The default briefing's id, None if none is: what start-up checks, by the index, not by reading every briefing."""
        found = await self._read_now("SELECT id FROM briefings WHERE is_default = 1", ())
        return str(found[0][0]) if found else None

    async def briefings(self) -> list[BriefingSummary]:
        """Every briefing, default first; kept while no connection commits (a thousand rows cost milliseconds to read)."""
        stamp = self.stamp()  # before asking, as for a snapshot
        if stamp is not None and self._listing is not None and self._listing[0] == stamp:
            return list(self._listing[1])
        found = await self._read_now(_SUMMARIES, ())
        listed = [
            BriefingSummary(str(row[0]), str(row[1]), bool(row[2]), bool(row[3]), datetime.fromisoformat(str(row[4])), int(row[5]),
                            tuple(json.loads(row[6]).items()))
            for row in found
        ]
        self._listing = (stamp, tuple(listed))
        return listed

    async def save(
        self, briefing: Briefing, *, make_default: bool = False, actor: str = "operator", platform: str = LOAD_PLATFORM,
        discard_edits: bool = False, only_new: bool = False, mapping: dict[str, Any] | None = None, folder: Path | None = None,
        keep_folder: bool = False,
    ) -> bool:
        """Replace a briefing with this pack in one transaction, logged as a load (platform "load"); False if identical.

        Revisions made since the briefing's last load (admin edits, imports, undos) would be lost
        unseen, so they refuse the load (EditedSinceLoad) unless `discard_edits`; either way the
        load is one revision, which `undo` reverts. `mapping`: the briefing's pack data, when the caller has it (a
        load that writes empties it). `folder`: the pack file's, which its sources' `text:` paths start from, recorded
        even when the pack is unchanged unless `keep_folder` (a move no revision logs, which no undo could put back).
        """
        mapping, digest = packed(briefing, mapping)
        now = datetime.now(UTC)
        try:
            async with self._transaction("BEGIN IMMEDIATE"):
                return await writes.save(
                    _Writer(self), briefing, mapping, digest, now, make_default=make_default, actor=actor, platform=platform,
                    discard_edits=discard_edits, only_new=only_new, folder=folder, keep_folder=keep_folder,
                )
        except sqlite3.Error as error:
            raise StoreError(f"saving briefing {briefing.id} failed: {error}") from error

    async def create(self, briefing: Briefing, actor: str, platform: str) -> None:
        """Store a new briefing, logged as its first revision; a user error if the id is taken."""
        await self.save(briefing, actor=actor, platform=platform, only_new=True)

    async def taken_back(self, briefing_id: str, changes: list[tuple[str, str]]) -> TakenBack | None:
        """The revisions since the briefing's last load that a pack changing these items would take back, read as one."""
        async with self._transaction("BEGIN"):
            return await self._taken_back(briefing_id, changes)

    async def _taken_back(self, briefing_id: str, changes: list[tuple[str, str]]) -> TakenBack | None:
        """`taken_back` inside the caller's transaction: the items and the newest revisions that changed them."""
        touched = await self._fetchall(TOUCHED_SINCE_LOAD, {"briefing": briefing_id, "load": LOAD_PLATFORM})
        items, numbers = taken_back(touched, changes)
        if not items:
            return None
        shown = numbers[:SHOWN_EDITS]
        found = await self._fetchall(
            f"SELECT {_REVISION_HEADS} FROM revisions WHERE id IN ({', '.join('?' * len(shown))}) ORDER BY id DESC", tuple(shown),
        )
        return TakenBack(items, [as_revision(row) for row in found], len(numbers))

    async def listing(self) -> list[BriefingListing]:
        """Every briefing by id: title, default marker, version, last change and the revision that made it."""
        columns = ", ".join(f"r.{c}" for c in _REVISION_COLUMNS.split(", "))
        found = await self._fetchall(LISTING.format(columns=columns), ())
        return [
            BriefingListing(
                str(row[0]), str(row[1]), bool(row[2]), int(row[3]),
                datetime.fromisoformat(str(row[4])), None if row[5] is None else as_revision(row[5:]),
            )
            for row in found
        ]

    async def apply(self, briefing_id: str, build: Callable[[Briefing], Change]) -> tuple[int, Change]:
        """Build the change from the current briefing under the write lock, then write it and its revision.

        One `BEGIN IMMEDIATE` transaction: no other connection can commit between the check against
        the editor's base and the write, so concurrent editors in other processes queue on SQLite's
        write lock and none is lost.
        """
        async with self._transaction("BEGIN IMMEDIATE"):
            number, change, version = await writes.apply(_Writer(self), briefing_id, build)
        # What the change built is what the store now holds (tests/test_written_snapshot.py): kept, this process's next
        # answer does not read the whole briefing back (at 100k events, seconds of each edit). Not an item put back at
        # its old place (an undo): the change built it last.
        if change.position is None:
            self._held[briefing_id] = Held.of(replace(change.briefing, version=version), None)
        return number, change

    async def item_revision(self, briefing_id: str, kind: str, item_id: str) -> int:
        """The latest revision of one item, 0 if none."""
        found = await self._read_now(_ITEM_REVISION, (briefing_id, kind, item_id))
        return int(found[0][0]) if found else 0

    async def item_states(self, briefing_id: str, kinds: tuple[str, ...]) -> list[tuple[str, str, dict[str, Any]]]:
        """Every state the log holds of the kinds' items, as (kind, item id, pack data), each once, last seen last."""
        found = await self._read_now(item_states(kinds), (briefing_id,))
        return [(str(kind), str(item), orjson.loads(data)) for kind, item, data in found]

    async def revisions(
        self, briefing_id: str, kind: str | None = None, item_id: str | None = None, limit: int | None = 20, before: int | None = None,
        until: datetime | None = None, after: int | None = None, data: bool = True, since: datetime | None = None,
    ) -> list[Revision]:
        """Revisions newest first, of the briefing, of one kind or of one item (with the imports that changed it).

        `data=False`: without `before`/`after`, whose JSON (a load's is the whole pack) is neither sent nor decoded.
        """
        sql = f"SELECT {_REVISION_COLUMNS if data else _REVISION_HEADS} FROM revisions AS r WHERE briefing_id = :briefing"
        params: dict[str, object] = {"briefing": briefing_id, "kind": kind, "item": item_id, "limit": limit}
        if kind is not None and item_id is not None:
            sql += f" AND (kind = :kind AND item_id = :item OR kind = 'briefing' AND {import_changed_item(':kind', ':item')})"
        elif kind is not None:
            sql += f" AND (kind = :kind OR kind = 'briefing' AND {import_changed_kind(':kind')})"
        elif item_id is not None:
            sql += " AND item_id = :item"
        if before is not None:
            sql += " AND id < :before"
            params["before"] = before
        if after is not None:
            sql += " AND id > :after"
            params["after"] = after
        if until is not None:  # stored as UTC ISO text, which sorts as time does
            sql += " AND at <= :until"
            params["until"] = until.astimezone(UTC).isoformat(timespec="seconds")
        if since is not None:  # a time window's: the briefing's revisions by time (migration 028) hold just those
            sql += " AND at >= :since"
            params["since"] = since.astimezone(UTC).isoformat(timespec="seconds")
        sql += " ORDER BY id DESC" if limit is None else " ORDER BY id DESC LIMIT :limit"
        # Without the data (what `/why` asks on its first asking), a short history's revision heads are read on the probe:
        # their SQL takes less time than the hop to aiosqlite's thread and back.
        held = self._held.get(briefing_id)
        short = not data and held is not None and held.size * held.snapshot.version <= SHORT_HISTORY
        found = await (self._read_small(briefing_id, sql, params) if short else self._read_now(sql, params))
        return [as_revision(row) for row in found]

    async def revision(self, briefing_id: str, number: int) -> Revision | None:
        """One revision of the briefing, or None."""
        found = await self._read_now(f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE briefing_id = ? AND id = ?", (briefing_id, number))
        return as_revision(found[0]) if found else None

    async def revision_briefing(self, number: int) -> str | None:
        """The briefing a revision belongs to, or None."""
        found = await self._read_now("SELECT briefing_id FROM revisions WHERE id = ?", (number,))
        return str(found[0][0]) if found else None

    async def steps(self, briefing_id: str) -> list[tuple[int, str, int | None]]:
        """Every revision's number, action and the revision it undoes, oldest first: what undo and redo walk."""
        found = await self._read_now("SELECT id, action, undoes FROM revisions WHERE briefing_id = ? ORDER BY id", (briefing_id,))
        return [(int(row[0]), str(row[1]), None if row[2] is None else int(row[2])) for row in found]

    async def _replace_rows(
        self, briefing: Briefing, digest: str, now: datetime, mapping: dict[str, Any] | None = None, **folder: str | None,
    ) -> bytes | None:
        """Every row of a briefing replaced by this one's, inside the caller's transaction; `mapping`'s text as a load's revision logs it.

        `mapping`: the briefing's pack data, if worked out (its text is then worked out while SQLite builds indexes, and it is emptied),
        logged with the `folder` given.
        """
        await self._conn.execute(_UPSERT_BRIEFING, rows.briefing_row(briefing, digest, now.isoformat(timespec="seconds")))
        await self._conn.execute("DELETE FROM sides WHERE briefing_id = ?", (briefing.id,))
        await self._conn.executemany("INSERT INTO sides (briefing_id, id, position, label, also) VALUES (?, ?, ?, ?, ?)", rows.side_rows(briefing))
        with collector_paused():  # 100k rows are millions of objects: collections would walk them over and over
            item_rows = rows.item_rows(briefing, mapping)
        counted = await self._fetchone("SELECT count(*) FILTER (WHERE briefing_id = ?1), count(*) FILTER (WHERE briefing_id <> ?1) FROM items",
                                       (briefing.id,))
        old, others = counted if counted else (0, 0)
        restore = await self._drop_for_bulk_write(rebuild_indexes=len(item_rows) > others)
        # Writing the index whole re-indexes the others' rows (keyed terms worked out in SQL, FTS5's insert); otherwise each
        # old row's 'delete' costs as much, and the merge after the load copies every row, about a tenth of that each.
        reindex = 10 * others <= 10 * old + len(item_rows)
        if reindex:
            await self._conn.execute(_EMPTY_INDEX)
        else:
            await self._conn.execute(_UNINDEX_ITEMS, (briefing.id,))
        await self._conn.execute("DELETE FROM item_links WHERE briefing_id = ?", (briefing.id,))
        await self._conn.execute("DELETE FROM items WHERE briefing_id = ?", (briefing.id,))
        kept = await self._fetchall(_OTHERS_INDEXED, (briefing.id,)) if reindex else []
        return await self._insert_items(briefing.id, item_rows, restore, mapping, kept, **folder)

    async def _drop_for_bulk_write(self, rebuild_indexes: bool) -> list[str]:
        """Drop the items' index and link triggers for a bulk write (with `rebuild_indexes`, its tables' indexes too); the SQL that restores them.

        Each is recreated from its own text in the schema, so what a load rebuilds cannot drift from the migrations.

        Inside the caller's transaction: a load that fails rolls their removal back with its rows, and
        other connections only ever see the schema with them (an admin edit is indexed by the triggers).
        Rebuilding an index reads the whole table, so it pays only when the write is most of it.
        """
        marks = ", ".join("?" * len(_INDEX_TRIGGERS))
        tables = ", ".join("?" * len(_REWRITTEN_TABLES))
        found = await self._fetchall(
            f"SELECT type, name, sql FROM sqlite_master WHERE (type = 'trigger' AND name IN ({marks}))"
            f" OR (? AND type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables}))",  # a UNIQUE's own index has no SQL
            (*_INDEX_TRIGGERS, rebuild_indexes, *_REWRITTEN_TABLES),
        )
        for kind, name, _ in found:
            await self._conn.execute(f"DROP {kind.upper()} {name}")
        return [str(sql) for _, _, sql in found]

    async def _insert_items(
        self, briefing_id: str, item_rows: list[tuple[Any, ...]], restore: list[str], mapping: dict[str, Any] | None, kept: list[tuple[Any, ...]],
        **folder: str | None,
    ) -> bytes | None:
        """Insert a load's item rows, their links and their search index rows (the triggers off), `restore` the schema; `mapping` logged
        (with the `folder` given).

        `kept`: index rows written again before the load's, in one batch with them (an index emptied for the load).

        The links and the rebuilt indexes are SQLite's work alone, which releases the GIL: while the connection's
        thread does it, this one works out the index rows' keyed terms and the revision's text, off the load's wall time.
        """
        last = await self._fetchone("SELECT max(rowid) FROM items", ())
        first = int(last[0]) + 1 if last and last[0] is not None else 1  # the rowids SQLite would have given
        # Numbered as SQLite takes them, not copied into a second list of every row for as long as the insert.
        await self._conn.executemany(_INSERT_ITEMS, ((first + n, *row) for n, row in enumerate(item_rows)))
        statements: list[tuple[str, tuple[object, ...]]] = [(_LINK_ITEMS, (briefing_id,)), *((sql, ()) for sql in restore)]
        indexed, logged = await self._while_executing(statements, partial(_index_rows, first, item_rows, mapping, **folder))
        indexed[:0] = kept
        await self._conn.executemany(_INDEX_ITEMS, indexed)
        return logged

    async def _while_executing(self, statements: list[tuple[str, tuple[object, ...]]], work: Callable[[], T]) -> T:
        """`work()` on this thread while the connection's thread executes the statements, in order; one after the other under `run_inline`.

        Every statement is queued before `work` starts, so the connection's thread goes from one to the next without
        waiting for this one. It pays when they are SQLite's work alone, which releases the GIL (an index built).
        """
        if inline():
            for sql, params in statements:
                await self._conn.execute(sql, params)
            return work()
        import asyncio  # only here: a one-shot `ask` runs inline (above) and never imports it

        executing = [asyncio.ensure_future(self._conn.execute(sql, params)) for sql, params in statements]
        try:
            await asyncio.sleep(0)  # each task's first step queues its statement on the connection's thread
            return work()
        finally:  # the statements run on even if `work` fails: the transaction ends after them
            for outcome in await asyncio.gather(*executing, return_exceptions=True):
                if isinstance(outcome, BaseException):
                    raise outcome

    async def set_default(self, briefing_id: str) -> None:
        """Make one briefing the default; a user error if it does not exist."""
        async with self._transaction("BEGIN IMMEDIATE"):
            await writes.set_default(_Writer(self), briefing_id)

    async def merge_search_index(self) -> None:
        """The full-text index merged whole, as `briefbot load` leaves it: a search then reads one b-tree, not one per load.

        Each load adds segments that FTS5 merges only a level at a time; among many briefings loaded one by one a
        search's SQL did far more work than over the merged index. The merge rewrites the whole index (once per
        `briefbot load` that changed anything), and costs nothing once merged.
        """
        async with self._transaction("BEGIN IMMEDIATE"):
            await self._conn.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")

    async def vacuum(self) -> bool:
        """Rewrite the file and empty its write-ahead log, so what was deleted or replaced is in neither (docs/privacy.md);
        False when another process was reading, and the log keeps old pages until a later checkpoint.

        SQLite leaves a deleted or replaced row's bytes in free space, and FTS5 a removed item's words in the index's
        older segments until they are merged: both are gone only once the index is merged and the file rewritten.
        """
        await self.merge_search_index()
        try:
            async with self._transaction_lock:  # VACUUM cannot run inside a transaction: none of this connection's is open
                await self._conn.execute("VACUUM")
                busy = await self._fetchall("PRAGMA wal_checkpoint(TRUNCATE)", ())
        except sqlite3.Error as error:
            raise store_error(error, f"rewriting {self._file.named} failed", self._file.path) from error
        return not busy[0][0]

    @contextlib.asynccontextmanager
    async def _transaction(self, begin: str) -> AsyncIterator[None]:
        """One transaction on the shared connection, one at a time; a write commits only into the file opened.

        Database errors leave as StoreError, saying what the operator can do (see `store_error`).
        """
        try:
            async with self._transaction_lock, held_transaction(self._conn, begin):
                yield
                if begin != "BEGIN":
                    self._check_file()  # a deleted file would take the edit with it: roll back instead
        except sqlite3.Error as error:
            raise store_error(error, f"a transaction on {self._file.named} failed", self._file.path) from error
        except NewerSchema as error:
            raise error.at(f"a write to {self._file.named} was refused") from None
        finally:
            if begin != "BEGIN" and (asking := ASKING.get()) is not None:
                asking.stamp = None  # the request's own write: its next read looks again, and sees it

    async def _read(self, briefing_id: str, part: Part | None = None) -> Briefing:
        """Every table of one briefing (or, with `part`, the head, sides and that part); call inside a transaction so the parts agree.

        Decoding 100k events takes about a second of Python: on a worker thread, not the event loop's.
        The items are fetched and decoded READ_CHUNK rows at a time, so their JSON text is never held
        whole beside the decoded items, which would raise a large read's peak memory.
        """
        head = (await self._fetchall(_READS["head"], (briefing_id,)))[0]
        sides = await self._fetchall(_READS["sides"], (briefing_id,))
        sections: dict[str, list[Any]] = {}
        reads: list[tuple[str, tuple[object, ...] | dict[str, object]]] = [(_READS["items"], (briefing_id,))]
        if part is not None:
            kinds = [kind.name for kind in PACK_KINDS if kind.section in part.sections]
            reads = [(_PART_ITEMS, (briefing_id, json.dumps(kinds)))]
            if part.near is not None:
                first, last = (day.isoformat() for day in part.near)
                reads.append((_NEAR_EVENTS, {"briefing": briefing_id, "first": first, "last": last}))
            query = None if part.found is None else fts_query(briefing_id, part.found)
            if query is not None:  # the search `search` runs next, its hits read by key
                hits = _ranked(await self._fetchall(_SEARCH_HITS, (query,)))
                wanted = [[hit.kind, hit.item_id] for hit in hits if hit.kind in KINDS and hit.kind not in kinds]
                reads.append((_FOUND_ITEMS, (briefing_id, json.dumps(wanted))))
            if part.keys:
                reads.append((_FOUND_ITEMS, (briefing_id, json.dumps([key for key in part.keys if key[0] not in kinds]))))
            if part.person is not None:
                reads.append((_PERSON_ITEMS, (briefing_id, part.person)))
            if part.topics:
                reads.append((_TAGGED_EVENTS, (briefing_id,)))
        try:
            for sql, params in reads:
                async with self._conn.execute(sql, params) as cursor:
                    while chunk := await cursor.fetchmany(READ_CHUNK):
                        # aiosqlite declares an Iterable; sqlite3 hands back a list, which the builder empties as it decodes.
                        await built_off_loop(partial(rows.decode_into, sections, cast(list[rows.Row], chunk)))
        except sqlite3.Error as error:
            raise store_error(error, f"a query on {self._file.named} failed", self._file.path) from error
        return await built_off_loop(partial(rows.briefing, head, sides, sections, briefing_id, int(head[6])))

    async def _fetchone(self, sql: str, params: tuple[object, ...] | Mapping[str, object]) -> tuple[Any, ...] | None:
        found = await self._fetchall(sql, params)
        return tuple(found[0]) if found else None

    async def _fetchall(self, sql: str, params: tuple[object, ...] | Mapping[str, object]) -> list[tuple[Any, ...]]:
        try:
            # aiosqlite declares sqlite3.Row, but with no row_factory set SQLite hands back plain tuples.
            return cast(list[tuple[Any, ...]], list(await self._conn.execute_fetchall(sql, params)))
        except sqlite3.Error as error:
            raise store_error(error, f"a query on {self._file.named} failed", self._file.path) from error


class _Writer:
    """The SQLite side of bot/store/writes.py's steps: the repository's connection, inside its open write transaction."""

    sql = _WRITES

    def __init__(self, repository: SqliteBriefingRepository) -> None:
        self._repository = repository
        self._conn = repository._conn

    async def fetch(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """The statement's rows."""
        return await self._repository._fetchall(sql, params)

    async def execute(self, sql: str, *params: object) -> None:
        """Run one statement."""
        await self._conn.execute(sql, params)

    async def executemany(self, sql: str, params: list[tuple[Any, ...]]) -> None:
        """Run one statement for each row of parameters."""
        await self._conn.executemany(sql, params)

    async def current(self, briefing_id: str, version: int) -> Briefing:
        """The cached snapshot of that version, else the briefing read and held (committed state: nothing is written yet)."""
        cached = self._repository._cached(briefing_id, version)
        if cached is not None:
            return cached
        snapshot = await self._repository._read(briefing_id)
        self._repository._held[briefing_id] = Held.of(snapshot, None)
        return snapshot

    async def read(self, briefing_id: str, version: int) -> Briefing:
        """The stored briefing, read: the transaction's, whose version `version` is."""
        return await self._repository._read(briefing_id)

    async def replace_rows(
        self, briefing: Briefing, digest: str, now: datetime, mapping: dict[str, Any] | None = None, **folder: str | None,
    ) -> bytes | None:
        """Every row replaced, as a bulk load writes them (`_replace_rows`); `mapping` as a load logs it."""
        return await self._repository._replace_rows(briefing, digest, now, mapping, **folder)

    async def log(
        self, bid: str, kind: str, item_id: str, action: str, actor: str, platform: str, at: datetime,
        before: str | bytes | None, after: str | bytes | None, source: str, note: str, undoes: int | None,
    ) -> int:
        """Insert one revision (its JSON's bytes go to SQLite as they are: `_INSERT_REVISION` stores them as text); its number."""
        cursor = await self._conn.execute(
            _INSERT_REVISION,
            (bid, kind, item_id, action, actor, platform, at.isoformat(timespec="seconds"), before, after, source, note, undoes),
        )
        return int(cursor.lastrowid or 0)

    async def record_changed(self, briefing_id: str, number: int, items: list[tuple[str, str]]) -> None:
        """Write which items revision `number`, a whole briefing's, added, removed or changed (migration 024)."""
        # In the key's order, each row goes in beside the last (a first load names every item).
        await self._conn.executemany(RECORD_CHANGED, [(briefing_id, kind, item_id, number) for kind, item_id in sorted(items)])

    async def taken_back(self, briefing_id: str, changes: list[tuple[str, str]]) -> TakenBack | None:
        """The revisions since the briefing's last load that changed these items, in this transaction."""
        return await self._repository._taken_back(briefing_id, changes)


def _index_rows(
    first: int, item_rows: list[tuple[Any, ...]], mapping: dict[str, Any] | None, **folder: str | None,
) -> tuple[list[tuple[Any, ...]], bytes | None]:
    """The search index's rows of item rows numbered from rowid `first`, and `mapping` as a load's revision logs it (with the
    `folder` given); both inputs emptied.

    Each input is let go as soon as what is made of it is made, so that what comes next is built in the memory it gives
    back rather than in fresh pages, each of which the load pays for: the revision's text first, then the pack data,
    then each item row (written by then) as its index row is made.
    """
    with collector_paused():
        text = logged(mapping, 0, **folder)
        if mapping is not None:
            mapping.clear()
        item_rows.reverse()  # taken from the end, in their order
        indexed: list[tuple[Any, ...]] = []
        while item_rows:
            indexed.append((first + len(indexed), *rows.index_row(item_rows.pop())))
        return indexed, text


def _size(briefing: Briefing) -> int:
    """How many items a briefing holds."""
    return sum(len(getattr(briefing, kind.section)) for kind in PACK_KINDS)
