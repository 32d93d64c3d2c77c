"""The PostgreSQL briefing repository: a cached snapshot per (briefing, version), logged writes, search.

Plain by design: each read asks the server for the briefing's version (one indexed row) and reuses
the cached snapshot while it matches, so a read in any process sees every commit as soon as it is
made. Each write is one transaction that first takes a transaction-scoped advisory lock on the
briefing, so editors in many processes serialise and each builds its change on the latest state.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg
from msgspec.structs import replace

from bot.core.kept import collector_paused
from bot.core.model import Briefing, Source
from bot.core.offload import to_thread
from bot.core.recent import Recent
from bot.core.repository import (
    LOAD_PLATFORM,
    BriefingSummary,
    Change,
    Part,
    Revision,
    SearchHit,
    SourceText,
    TakenBack,
    TimelineQuery,
)
from bot.errors import UserError
from bot.store import rows, writes
from bot.store.fulltext import CANDIDATES
from bot.store.history import LogJson, as_revision, import_changed_item, import_changed_kind, item_states
from bot.store.loads import SHOWN_EDITS, BriefingListing, taken_back
from bot.store.postgres.changes import ChangeFeed, announce
from bot.store.postgres.database import pooled, write_locks
from bot.store.postgres.reading import read_briefing
from bot.store.postgres.search import SEARCH, SEARCH_MATCHES, TIMELINE_MATCHES, chosen_kinds, terms, tsquery, word_groups
from bot.store.texts import source_text
from bot.store.writes import WriteSql, logged, packed

if TYPE_CHECKING:
    from bot.store.postgres.database import Connection



# One item's row written whether or not it exists: an existing row is updated in place.
_UPSERT_ITEM = (
    f"INSERT INTO items ({', '.join(rows.ITEM_COLUMNS)}) VALUES ({', '.join(f'${n}' for n in range(1, len(rows.ITEM_COLUMNS) + 1))})"
    " ON CONFLICT (briefing_id, kind, id) DO UPDATE SET position = excluded.position, data = excluded.data,"
    " search_title = excluded.search_title, search_body = excluded.search_body,"
    " first_day = excluded.first_day, last_day = excluded.last_day"
)
# Each briefing with its translated titles only ({"es": "…"}): the head's translations hold its summaries too.
_SUMMARIES = """
SELECT id, title, is_default, archived, updated_at, version,
       (SELECT coalesce(json_object_agg(key, value ->> 'title'), '{}') FROM json_each(translations)
        WHERE value ->> 'title' IS NOT NULL)
FROM briefings ORDER BY is_default DESC, id
"""
_SEARCH_TEXT = "UPDATE items SET search_title = $1, search_body = $2 WHERE briefing_id = $3 AND kind = $4 AND id = $5"
_UPSERT_BRIEFING = """
INSERT INTO briefings (id, title, summary, zones, content_hash, updated_at, evidence, language, translations, search_translations)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (id) DO UPDATE SET
    title = excluded.title, summary = excluded.summary, zones = excluded.zones,
    content_hash = excluded.content_hash, evidence = excluded.evidence, updated_at = excluded.updated_at,
    language = excluded.language, translations = excluded.translations, search_translations = excluded.search_translations,
    version = briefings.version + 1
"""


# The latest revision that touched one item, 0 if none: its own, or a later import that changed it.
# $1 briefing, $2 kind, $3 item id (see bot/store/history.py for the SQLite twin).
_ITEM_REVISION = """
SELECT greatest((SELECT coalesce(max(id), 0) FROM revisions WHERE briefing_id = $1 AND kind = $2 AND item_id = $3),
                (SELECT coalesce(max(revision_id), 0) FROM revision_items WHERE briefing_id = $1 AND kind = $2 AND item_id = $3))
"""
_RECORD_CHANGED = ("briefing_id", "kind", "item_id", "revision_id")  # `revision_items`' columns, as a load copies them in
# The log's JSON as bot/store/history.py `item_states` reads it: as jsonb, which GROUP BY compares (json has no equality).
_LOG_JSON = LogJson("$1", "r.{column}::jsonb -> 'item'", "jsonb_array_elements(r.before::jsonb -> 'item' -> '{section}')",
                    "e.value ->> 'id'", "data::text AS data")
_INSERT_REVISION = """
INSERT INTO revisions (briefing_id, kind, item_id, action, actor, platform, at, before, after, source, note, undoes)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id
"""
_REVISION_COLUMNS = "id, briefing_id, kind, item_id, action, actor, platform, at, before, after, source, note, undoes"
# The same columns with the pack data left out (`revisions(data=False)`).
_REVISION_HEADS = _REVISION_COLUMNS.replace("before, after", "NULL, NULL")
# The briefing's last load: one logged by `save`, or a first load (nothing before it); see bot/store/loads.py.
_LAST_LOAD = (
    "SELECT coalesce(max(id), 0) FROM revisions WHERE briefing_id = $1 AND kind = 'briefing' AND action = 'import'"
    " AND (platform = $2 OR before IS NULL)"
)
# The items each revision since the last load changed, as bot/store/loads.py's TOUCHED_SINCE_LOAD.
_TOUCHED_SINCE_LOAD = (
    f"SELECT id, kind, item_id FROM revisions WHERE briefing_id = $1 AND id > ({_LAST_LOAD}) AND kind <> 'briefing'"
    f" UNION ALL SELECT revision_id, kind, item_id FROM revision_items WHERE briefing_id = $1 AND revision_id > ({_LAST_LOAD})"
)
# Each briefing with its latest revision (NULLs when it has none).
_LISTING = """
SELECT b.id, b.title, b.is_default, b.version, b.updated_at, {columns}
FROM briefings AS b LEFT JOIN revisions AS r ON r.id = (SELECT max(id) FROM revisions WHERE briefing_id = b.id)
ORDER BY b.id
"""
# Default changes take one lock for the whole store: the unique default index allows one at a time.
_DEFAULT_LOCK = "briefbot:default"
# The statements of bot/store/writes.py's steps (`WriteSql` says what each does), in PostgreSQL's words.
_WRITES = WriteSql(
    stored="SELECT content_hash, pack_folder, version FROM briefings WHERE id = $1",
    version="SELECT version FROM briefings WHERE id = $1",
    has_default="SELECT 1 FROM briefings WHERE is_default",
    clear_default="UPDATE briefings SET is_default = false WHERE is_default AND id <> $1",
    set_default="UPDATE briefings SET is_default = true WHERE id = $1",
    set_folder="UPDATE briefings SET pack_folder = $2 WHERE id = $1 AND pack_folder IS DISTINCT FROM $2",
    # json_typeof is NULL when the revision logged no folder: an import, or a load logged before loads logged it.
    undone_folder="SELECT json_typeof(before -> 'folder'), before ->> 'folder', (SELECT pack_folder FROM briefings WHERE id = $2)"
                  " FROM revisions WHERE id = $1",
    latest_whole="SELECT after FROM revisions WHERE id = (SELECT max(id) FROM revisions WHERE briefing_id = $1) AND kind = 'briefing'",
    item_revision=_ITEM_REVISION,
    item_state=f"SELECT ({_ITEM_REVISION}), (SELECT position FROM items WHERE briefing_id = $1 AND kind = $2 AND id = $3)",
    upsert_head=_UPSERT_BRIEFING,
    bump="UPDATE briefings SET version = version + 1, content_hash = '', updated_at = $1 WHERE id = $2",
    delete_item="DELETE FROM items WHERE briefing_id = $1 AND kind = $2 AND id = $3",
    next_position="SELECT coalesce(max(position), -1) + 1 FROM items WHERE briefing_id = $1 AND kind = $2",
    upsert_item=_UPSERT_ITEM,
    search_text=_SEARCH_TEXT,
    # The key's row, new or taken over once expired (a later write's prune may not have reached it): a row back only then.
    once="INSERT INTO once_keys (key, expires) VALUES ($1, $2)"
         " ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE once_keys.expires < $3 RETURNING 1",
    prune_once="DELETE FROM once_keys WHERE key IN (SELECT key FROM once_keys WHERE expires < $1 ORDER BY expires LIMIT $2)",
)


async def _taken_back(conn: Connection, briefing_id: str, changes: list[tuple[str, str]]) -> TakenBack | None:
    """The items revisions since the briefing's last load changed that `changes` changes too, and the newest revisions
    that changed them (on the caller's connection, in its transaction when it has one)."""
    touched = await conn.fetch(_TOUCHED_SINCE_LOAD, briefing_id, LOAD_PLATFORM)
    items, numbers = taken_back(((row[0], row[1], row[2]) for row in touched), changes)
    if not items:
        return None
    found = await conn.fetch(f"SELECT {_REVISION_HEADS} FROM revisions WHERE id = ANY($1::bigint[]) ORDER BY id DESC", numbers[:SHOWN_EDITS])
    return TakenBack(items, [as_revision(tuple(row)) for row in found], len(numbers))


def _second(at: datetime) -> datetime:
    """Revision times are kept to the second, as the SQLite store keeps them."""
    return at.astimezone(UTC).replace(microsecond=0)


class PostgresBriefingRepository:
    """BriefingStore over an asyncpg pool, plus the writes the CLI and admins use."""

    def __init__(self, pool: asyncpg.Pool, changes: ChangeFeed | None = None) -> None:
        self._pool = pool
        self._changes = changes  # with it, a warm read needs no query (bot/store/postgres/changes.py)
        # Recently read briefings' last snapshots, by id (their version says if current); only those in use are kept.
        self._held: Recent[str, Briefing] = Recent()
        # `briefings()` and the change feed's mark it was read at: every write announces the briefing it locks
        # (a title, an archive, a removal, the default), so while nothing was heard since, the listing stands.
        self._listing: tuple[int, tuple[BriefingSummary, ...]] | None = None

    def _connection(self, what: str) -> AbstractAsyncContextManager[Connection]:
        """A pooled connection; a server that is gone or errs becomes a StoreError (the generic reply)."""
        return pooled(self._pool, what)

    def stamp(self) -> int | None:
        """None: no number here moves with every commit (a channel's choice is not announced on the change feed),
        so the core keeps nothing by one, and each read keeps its own rule."""
        return None

    async def briefing(self, briefing_id: str | None = None, part: Part | None = None) -> Briefing:
        """The current briefing (the default when None): the cached snapshot while no commit was heard about it.

        `part` is not read on its own here: the whole briefing holds it (one-shot reads by part are SQLite's).
        """
        feed = self._changes
        if feed is None:
            return await self._asked(briefing_id)
        wanted = briefing_id if briefing_id is not None else feed.default
        held = self._held.get(wanted) if wanted is not None else None
        if held is not None and feed.trusts(held):
            return held
        mark = feed.mark()  # before asking, so a commit heard while the question is out voids the answer
        found = await self._asked(briefing_id)
        feed.confirm(mark, found, default=briefing_id is None)
        return found

    async def _asked(self, briefing_id: str | None) -> Briefing:
        """The current briefing as the server says: its version asked, the snapshot read again if it moved."""
        async with self._connection("reading a briefing") as conn:
            if briefing_id is None:
                found = await conn.fetchrow("SELECT id, version FROM briefings WHERE is_default")
            else:
                found = await conn.fetchrow("SELECT id, version FROM briefings WHERE id = $1", briefing_id)
            if found is None:
                if briefing_id is None:
                    raise UserError("briefing.none")
                raise UserError("briefing.unknown", briefing=briefing_id[:64])
            held = self._held.get(found["id"])
            if held is not None and held.version == found["version"]:
                return held
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                version = await conn.fetchval("SELECT version FROM briefings WHERE id = $1", found["id"])
                if version is None:  # removed between the two statements
                    raise UserError("briefing.unknown", briefing=str(found["id"])[:64])
                fresh = await read_briefing(conn, found["id"], version)
        self._held[fresh.id] = fresh
        return fresh

    async def search(self, briefing_id: str, text: str, kinds: Collection[str] = ()) -> tuple[list[SearchHit], int]:
        """Ranked matches of every word (as a prefix) of `text` within one briefing, best first, and how many items match in all."""
        chosen, query = chosen_kinds(kinds), tsquery(text)
        if chosen is None or query is None:
            return [], 0
        async with self._connection("searching") as conn:
            found = await conn.fetch(SEARCH, briefing_id, terms(text), chosen, query, word_groups(text), CANDIDATES)
            # Every match is a candidate unless the candidates are full.
            total = len(found) if len(found) < CANDIDATES else int(await conn.fetchval(SEARCH_MATCHES, briefing_id, chosen, query))
        return [SearchHit(kind, item_id, -score) for kind, item_id, score in found], total

    async def timeline_matches(self, briefing_id: str, query: TimelineQuery) -> tuple[list[str], int]:
        """One page of the events holding every word of the query (as a prefix), in the timeline's order, and their count."""
        words = tsquery(query.text) if query.text else None
        if words is None and query.text:
            return [], 0  # no words: no event holds them; no text at all: every event of the range and tag
        first, last = (day.isoformat() if day else None for day in (query.first, query.last))
        async with self._connection("searching") as conn:
            found = await conn.fetch(TIMELINE_MATCHES, briefing_id, words, first, last, query.tag, query.limit, query.offset)
        return [str(row[1]) for row in found if row[1] is not None], next(int(row[0]) for row in found if row[1] is None)

    async def citations(self, briefing_id: str) -> dict[str, int]:
        """How many items cite each source."""
        async with self._connection("counting citations") as conn:
            found = await conn.fetch(
                "SELECT source, count(*) FROM items, json_array_elements_text(items.data -> 'sources') AS source"
                " WHERE briefing_id = $1 GROUP BY source", briefing_id,
            )
        return {str(row[0]): int(row[1]) for row in found}

    async def pack_folder(self, briefing_id: str) -> Path | None:
        """The folder of the pack file the briefing was last loaded from; None if unknown (made in a chat, or loaded before 011)."""
        async with self._connection("reading the briefing's pack folder") as conn:
            found: str | None = await conn.fetchval("SELECT pack_folder FROM briefings WHERE id = $1", briefing_id)
        return None if found is None else Path(found)

    async def source_text(self, briefing_id: str, source: Source) -> SourceText:
        """The text of the source's `text:` file, read off the event loop from the folder of the briefing's pack, or why it cannot be."""
        return await to_thread(source_text, source, await self.pack_folder(briefing_id))

    async def default_id(self) -> str | None:
        """The default briefing's id, None if none is: what start-up checks, by the index, not by reading every briefing."""
        async with self._connection("reading the default briefing") as conn:
            found: str | None = await conn.fetchval("SELECT id FROM briefings WHERE is_default")
        return found

    async def briefings(self) -> list[BriefingSummary]:
        """Every briefing, default first, with whether it is archived and when it last changed.

        Kept while the listener heard nothing (a thousand rows cost milliseconds to read and build), as
        the SQLite store keeps its listing while no connection commits; read every time while it is down.
        """
        mark = self._changes.mark() if self._changes is not None else None  # before asking, as for a snapshot
        if mark is not None and self._listing is not None and self._listing[0] == mark:
            return list(self._listing[1])
        async with self._connection("listing briefings") as conn:
            found = await conn.fetch(_SUMMARIES)
        listed = [BriefingSummary(row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4]), row[5], tuple(json.loads(row[6]).items()))
                  for row in found]
        self._listing = (mark, tuple(listed)) if mark is not None else None
        return listed

    @asynccontextmanager
    async def _writing(self, what: str, *locks: str) -> AsyncIterator[Connection]:
        """One write transaction holding advisory locks on `locks` (briefing ids) until it ends; refused (NewerSchema) once a newer briefbot migrated the database."""
        try:
            async with self._connection(what) as conn, conn.transaction():
                await write_locks(conn, locks)
                yield conn
                await announce(conn, locks)  # every process hears of it when this commits
        finally:  # committed (or maybe, if the commit failed): this process's own notice may still be on its way
            if self._changes is not None:
                self._changes.forget(locks)

    async def merge_search_index(self) -> None:
        """Nothing to do: PostgreSQL's GIN index keeps itself (SQLite's FTS5 index is merged after a load)."""

    async def check(self) -> None:
        """StoreError unless the server answers a query (for /healthz)."""
        async with self._connection("checking the store") as conn:
            await conn.fetchval("SELECT count(*) FROM briefings")

    async def listing(self) -> list[BriefingListing]:
        """Every briefing by id: title, default marker, version, last change and the revision that made it."""
        columns = ", ".join(f"r.{c}" for c in _REVISION_COLUMNS.split(", "))
        async with self._connection("listing briefings") as conn:
            found = await conn.fetch(_LISTING.format(columns=columns))
        return [
            BriefingListing(
                row[0], row[1], bool(row[2]), int(row[3]), datetime.fromisoformat(row[4]),
                None if row[5] is None else as_revision(row[5:]),
            )
            for row in found
        ]

    async def save(
        self, briefing: Briefing, *, make_default: bool = False, actor: str = "operator", platform: str = LOAD_PLATFORM,
        discard_edits: bool = False, only_new: bool = False, mapping: dict[str, Any] | None = None, folder: Path | None = None,
        keep_folder: bool = False,
    ) -> bool:
        """Replace a briefing with this pack in one transaction, logged as a load; False if identical (the steps: `writes.save`).

        The transaction holds the briefing's lock and the default's, which a first briefing or `make_default` sets.
        """
        mapping, digest = packed(briefing, mapping)
        now = datetime.now(UTC)
        async with self._writing(f"saving briefing {briefing.id}", briefing.id, _DEFAULT_LOCK) as conn:
            return await writes.save(
                _Writer(conn, self._held), briefing, mapping, digest, now, make_default=make_default, actor=actor, platform=platform,
                discard_edits=discard_edits, only_new=only_new, folder=folder, keep_folder=keep_folder,
            )

    async def create(self, briefing: Briefing, actor: str, platform: str) -> None:
        """Store a new briefing, logged as its first revision; a user error if the id is taken."""
        await self.save(briefing, actor=actor, platform=platform, only_new=True)

    async def taken_back(self, briefing_id: str, changes: list[tuple[str, str]]) -> TakenBack | None:
        """The revisions since the briefing's last load that a pack changing these items would take back, read as one."""
        async with self._connection("reading the edits since the last load") as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            return await _taken_back(conn, briefing_id, changes)

    async def set_default(self, briefing_id: str) -> None:
        """Make one briefing the default; a user error if it does not exist."""
        async with self._writing("setting the default", _DEFAULT_LOCK) as conn:
            await writes.set_default(_Writer(conn, self._held), briefing_id)

    async def apply(self, briefing_id: str, build: Callable[[Briefing], Change]) -> tuple[int, Change]:
        """Under the briefing's lock, build the change from the briefing as it is now, then write it and its revision."""
        async with self._writing(f"applying a change to {briefing_id}", briefing_id) as conn:
            number, change, version = await writes.apply(_Writer(conn, self._held), briefing_id, build)
        if change.position is None:  # kept as SQLite's store keeps it (bot/store/repository.py `apply`), for the same reason
            self._held[briefing_id] = replace(change.briefing, version=version)
        return number, change

    async def item_revision(self, briefing_id: str, kind: str, item_id: str) -> int:
        """The latest revision of one item (an import that changed it counts), 0 if none."""
        async with self._connection("reading revisions") as conn:
            return int(await conn.fetchval(_ITEM_REVISION, briefing_id, kind, item_id))

    async def item_states(self, briefing_id: str, kinds: tuple[str, ...]) -> list[tuple[str, str, dict[str, Any]]]:
        """Every state the log holds of the kinds' items, as (kind, item id, pack data), each once, last seen last."""
        async with self._connection("reading revisions") as conn:
            found = await conn.fetch(item_states(kinds, _LOG_JSON), briefing_id)
        return [(str(row["kind"]), str(row["item"]), json.loads(row["data"])) for row in found]

    async def revisions(
        self, briefing_id: str, kind: str | None = None, item_id: str | None = None, limit: int | None = 20, before: int | None = None,
        until: datetime | None = None, after: int | None = None, data: bool = True, since: datetime | None = None,
    ) -> list[Revision]:
        """Revisions newest first, of the briefing, of one kind or of one item (with the imports that changed it).

        `data=False`: without `before`/`after`, whose JSON (a load's is the whole pack) is neither sent nor decoded.
        """
        params: list[object] = [briefing_id]

        def value(param: object) -> str:
            params.append(param)
            return f"${len(params)}::{'timestamptz' if isinstance(param, datetime) else 'text' if isinstance(param, str) else 'bigint'}"

        sql = f"SELECT {_REVISION_COLUMNS if data else _REVISION_HEADS} FROM revisions AS r WHERE briefing_id = $1"
        if kind is not None and item_id is not None:
            k, i = value(kind), value(item_id)
            sql += f" AND (kind = {k} AND item_id = {i} OR kind = 'briefing' AND {import_changed_item(k, i)})"
        elif kind is not None:
            k = value(kind)
            sql += f" AND (kind = {k} OR kind = 'briefing' AND {import_changed_kind(k)})"
        elif item_id is not None:
            sql += f" AND item_id = {value(item_id)}"
        if before is not None:
            sql += f" AND id < {value(before)}"
        if after is not None:
            sql += f" AND id > {value(after)}"
        if until is not None:
            sql += f" AND at <= {value(until)}"
        if since is not None:  # a time window's: the briefing's revisions by time (migration 018) hold just those
            sql += f" AND at >= {value(since)}"
        sql += " ORDER BY id DESC" if limit is None else f" ORDER BY id DESC LIMIT {value(limit)}"
        async with self._connection("reading revisions") as conn:
            return [as_revision(tuple(row)) for row in await conn.fetch(sql, *params)]

    async def revision(self, briefing_id: str, number: int) -> Revision | None:
        """One revision of the briefing, or None."""
        async with self._connection("reading revisions") as conn:
            found = await conn.fetchrow(
                f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE briefing_id = $1 AND id = $2", briefing_id, number
            )
        return as_revision(tuple(found)) if found else None

    async def revision_briefing(self, number: int) -> str | None:
        """The briefing a revision belongs to, or None."""
        async with self._connection("reading revisions") as conn:
            found = await conn.fetchval("SELECT briefing_id FROM revisions WHERE id = $1", number)
        return None if found is None else str(found)

    async def steps(self, briefing_id: str) -> list[tuple[int, str, int | None]]:
        """Every revision's number, action and the revision it undoes, oldest first: what undo and redo walk."""
        async with self._connection("reading revisions") as conn:
            found = await conn.fetch("SELECT id, action, undoes FROM revisions WHERE briefing_id = $1 ORDER BY id", briefing_id)
        return [(row[0], row[1], row[2]) for row in found]


class _Writer:
    """The PostgreSQL side of bot/store/writes.py's steps: the connection of the write transaction `_writing` opened."""

    sql = _WRITES

    def __init__(self, conn: Connection, held: Recent[str, Briefing]) -> None:
        self._conn = conn
        self._held = held

    async def fetch(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """The statement's rows."""
        return [tuple(row) for row in await self._conn.fetch(sql, *params)]

    async def execute(self, sql: str, *params: object) -> None:
        """Run one statement."""
        await self._conn.execute(sql, *params)

    async def executemany(self, sql: str, params: list[tuple[Any, ...]]) -> None:
        """Run one statement for each row of parameters."""
        await self._conn.executemany(sql, params)

    async def current(self, briefing_id: str, version: int) -> Briefing:
        """The held snapshot of that version, else the briefing read."""
        held = self._held.get(briefing_id)
        return held if held is not None and held.version == version else await read_briefing(self._conn, briefing_id, version)

    async def read(self, briefing_id: str, version: int) -> Briefing:
        """The stored briefing, read."""
        return await read_briefing(self._conn, briefing_id, version)

    async def replace_rows(
        self, briefing: Briefing, digest: str, now: datetime, mapping: dict[str, Any] | None = None, **folder: str | None,
    ) -> bytes | None:
        """Every row of a briefing replaced by this one's, its items in one COPY; `mapping` (its pack data, if worked out) as a load logs it."""
        conn = self._conn
        await conn.execute(_UPSERT_BRIEFING, *rows.briefing_row(briefing, digest, now.isoformat(timespec="seconds")))
        await conn.execute("DELETE FROM items WHERE briefing_id = $1", briefing.id)
        await conn.execute("DELETE FROM sides WHERE briefing_id = $1", briefing.id)
        if briefing.sides:
            await conn.executemany("INSERT INTO sides (briefing_id, id, position, label, also) VALUES ($1, $2, $3, $4, $5)", rows.side_rows(briefing))
        with collector_paused():  # 100k rows are millions of objects: collections would walk them over and over
            item_rows = rows.item_rows(briefing, mapping)
        # The briefing's rows were deleted above and a pack's ids are unique per kind, so the rows are only
        # inserted: COPY streams them in one command, where an upsert per row took a round of the protocol each.
        await conn.copy_records_to_table("items", records=item_rows, columns=rows.ITEM_COLUMNS)
        return logged(mapping, 0, **folder)

    async def log(
        self, bid: str, kind: str, item_id: str, action: str, actor: str, platform: str, at: datetime,
        before: str | bytes | None, after: str | bytes | None, source: str, note: str, undoes: int | None,
    ) -> int:
        """Insert one revision; its number."""
        return int(await self._conn.fetchval(
            _INSERT_REVISION, bid, kind, item_id, action, actor, platform, _second(at), _text(before), _text(after), source, note, undoes,
        ))

    async def record_changed(self, briefing_id: str, number: int, items: list[tuple[str, str]]) -> None:
        """Write which items revision `number`, a whole briefing's, added, removed or changed (migration 014), in one COPY."""
        if items:
            await self._conn.copy_records_to_table(
                "revision_items", records=[(briefing_id, kind, item_id, number) for kind, item_id in items], columns=_RECORD_CHANGED,
            )

    async def taken_back(self, briefing_id: str, changes: list[tuple[str, str]]) -> TakenBack | None:
        """The revisions since the briefing's last load that changed these items, in this transaction."""
        return await _taken_back(self._conn, briefing_id, changes)


def _text(entry: str | bytes | None) -> str | None:
    """The log's JSON as asyncpg sends a json parameter: text (`writes.entry` makes UTF-8 bytes)."""
    return entry.decode() if isinstance(entry, bytes) else entry
