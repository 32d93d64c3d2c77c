"""The SQLite briefing repository: current snapshots, full-text search, and atomic pack loads.

Reads hand out an immutable Briefing that is cached per version. While no connection has committed
since the snapshot was last found current (SQLite's data_version), a read costs no query. After a
commit, one indexed query returns the version and the revisions logged since the snapshot with
their items' rows (`bot/store/refresh.py`), so only the changed items are decoded; the tables are
read in full only when the log cannot say exactly what changed.

Those queries, and full-text searches, run on a read-only `sqlite3` probe connection on the event
loop's own thread: in WAL mode a reader never waits for a writer, so they answer in microseconds
to a millisecond or two, where a hop through aiosqlite's worker thread costs ~50 µs idle and, under
load, up to the interpreter's 5 ms thread switch interval per query, which queues. If the probe is
ever busy, the query goes through aiosqlite instead. Writes always use aiosqlite.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import UTC, datetime

from typing import Any, NamedTuple

import aiosqlite

from bot.core.model import Briefing
from bot.core.pack import pack_mapping
from bot.core.repository import (
    SEARCH_KINDS,
    BriefingSummary,
    Change,
    Revision,
    SearchHit,
    StaleEdit,
)
from bot.errors import StoreError, UserError
from bot.store import rows
from bot.store.database import held_transaction, transaction
from bot.store.refresh import CHANGES, MAX_CHANGES, NOTHING_SEEN, patched

_READS = {
    "head": "SELECT title, summary, venue_zone, venue_label, home_zone, home_label FROM briefings WHERE id = ?",
    "sides": "SELECT id, label FROM sides WHERE briefing_id = ? ORDER BY position",
    "sources": "SELECT id, publisher, title, author, published, url FROM sources WHERE briefing_id = ? ORDER BY position",
    "meeting": "SELECT parties, starts_at, zone, venue, format, aims, topics, stakes, status, outcome, sources"
    " FROM meetings WHERE briefing_id = ?",
    "people": "SELECT id, name, role, organisation, side, delegation, sources FROM people"
    " WHERE briefing_id = ? ORDER BY position",
    "timeline": "SELECT id, date_text, title, detail, note, tags, people, sources FROM timeline_events"
    " WHERE briefing_id = ? ORDER BY position",
    "agenda": "SELECT id, title, detail, date_text, time, zone, place, people, sources FROM agenda_items"
    " WHERE briefing_id = ? ORDER BY position",
    "quotes": "SELECT id, speaker, words, context, date_text, sources FROM quotes WHERE briefing_id = ? ORDER BY position",
    "faq": "SELECT id, question, answer, sources FROM faq_entries WHERE briefing_id = ? ORDER BY position",
}
# Titles weigh four times bodies; `scope` never counts. Snippets mark matches with \x02…\x03 so the
# one from the column that matched (body or title) is chosen. One pass measured fastest, small or large.
_SEARCH = """
SELECT kind, item_id,
       snippet(search_index, 4, char(2), char(3), '…', 16),
       snippet(search_index, 3, char(2), char(3), '…', 16),
       bm25(search_index, 0.0, 0.0, 0.0, 4.0, 1.0) AS score
FROM search_index
WHERE search_index MATCH :query
ORDER BY score, rowid
LIMIT :limit
"""
# Item tables by search kind, with the number their index rowids carry (see migration 002).
_KIND_TABLES = {
    "timeline": ("timeline_events", 1),
    "person": ("people", 2),
    "agenda": ("agenda_items", 3),
    "quote": ("quotes", 4),
    "faq": ("faq_entries", 5),
    "source": ("sources", 6),
}
# The rowid leads straight to the item row, whose briefing_id filters: no index column is read.
_MATCHING_IDS = """
SELECT item.id FROM search_index JOIN {table} AS item ON item.rowid = search_index.rowid / 8
WHERE search_index MATCH ? AND search_index.rowid % 8 = {number} AND item.briefing_id = ?
"""
# Each table's columns, in the order of its row builder in `rows`.
_COLUMNS = {
    "sides": "briefing_id, id, position, label",
    "sources": "briefing_id, id, position, publisher, title, author, published, url",
    "meetings": "briefing_id, parties, starts_at, zone, venue, format, aims, topics, stakes, status, outcome, sources",
    "people": "briefing_id, id, position, name, role, organisation, side, delegation, sources",
    "timeline_events": "briefing_id, id, position, date_text, date_first, date_last, title, detail, note, tags, people,"
    " sources",
    "agenda_items": "briefing_id, id, position, title, detail, date_text, time, zone, place, people, sources",
    "quotes": "briefing_id, id, position, speaker, words, context, date_text, sources",
    "faq_entries": "briefing_id, id, position, question, answer, sources",
}
_INSERTS = {
    table: f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(columns.split(', ')))})"
    for table, columns in _COLUMNS.items()
}


def _upsert(table: str) -> str:
    """The insert that updates an existing row in place, so its rowid and whatever names it stay put."""
    keys = ("briefing_id",) if table == "meetings" else ("briefing_id", "id")
    updated = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[table].split(", ") if c not in keys)
    return f"{_INSERTS[table]} ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updated}"


# One item's row written whether or not it exists (an edit, an add, an undo of either).
_UPSERTS = {table: _upsert(table) for table in (*rows.ITEM_TABLES, "meetings")}
# Children are deleted in reverse dependency order (quotes name people, people name sides).
_DELETE_ORDER = ("quotes", "people", "sides", "timeline_events", "agenda_items", "faq_entries", "sources", "meetings")
_UPSERT_BRIEFING = """
INSERT INTO briefings (id, title, summary, venue_zone, venue_label, home_zone, home_label, content_hash, updated_at,
                       write_token)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, random())
ON CONFLICT (id) DO UPDATE SET
    title = excluded.title, summary = excluded.summary, venue_zone = excluded.venue_zone,
    venue_label = excluded.venue_label, home_zone = excluded.home_zone, home_label = excluded.home_label,
    content_hash = excluded.content_hash, updated_at = excluded.updated_at, version = briefings.version + 1,
    write_token = random()
RETURNING write_token
"""
# Whose write a briefing's row holds now (see `apply`), and whether it is the default.
_TOKEN = "SELECT write_token, is_default FROM briefings WHERE id = ?"
# An edit's new version. The content hash only serves to spot an unchanged pack load; `save` works it out then.
_BUMP = """
UPDATE briefings SET version = version + 1, content_hash = '', updated_at = ?, write_token = random() WHERE id = ?
RETURNING write_token
"""
# The table each kind of item lives in (the meeting has one row per briefing).
KIND_TABLES = {
    "timeline": "timeline_events",
    "person": "people",
    "agenda": "agenda_items",
    "quote": "quotes",
    "faq": "faq_entries",
    "source": "sources",
}
# A briefing's version and the last revision logged for it, read together.
_STATE = "SELECT (SELECT version FROM briefings WHERE id = ?), (SELECT coalesce(max(id), 0) FROM revisions WHERE briefing_id = ?)"
_ITEM_REVISION = "SELECT coalesce(max(id), 0) FROM revisions WHERE briefing_id = ? AND kind = ? AND item_id = ?"
# An item's latest revision and its row's position, in one round trip.
_ITEM_STATE = (
    f"SELECT ({_ITEM_REVISION}), (SELECT position FROM {{table}} WHERE briefing_id = ? AND id = ?)"
)
_INSERT_REVISION = """
INSERT INTO revisions (briefing_id, kind, item_id, action, actor, platform, at, before, after, source, note, undoes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_REVISION_COLUMNS = "id, briefing_id, kind, item_id, action, actor, platform, at, before, after, source, note, undoes"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_SEARCH_WORDS = 12


def content_hash(briefing: Briefing) -> str:
    """A digest of the briefing's content, so loading an unchanged pack changes nothing."""
    canonical = json.dumps(pack_mapping(briefing), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def fts_query(briefing_id: str, text: str, kinds: Collection[str] = ()) -> str | None:
    """An FTS5 expression: the briefing's scope token, the kinds, and every word as a quoted prefix.

    Only word characters of the user's text reach the expression, so FTS syntax in it is inert.
    """
    words = fts_words(text)
    if words is None:
        return None
    scope = f'scope : "b{briefing_id.encode("utf-8").hex()}"'
    chosen = [kind for kind in kinds if kind in SEARCH_KINDS]
    if chosen:
        scope += f" AND scope : ({' OR '.join(chosen)})"
    return f"{scope} AND {words}"


def fts_words(text: str) -> str | None:
    """Every word of the text as a quoted prefix term, searched in titles and bodies.

    `visa OR sanctions` (or `or`) finds either side; words side by side must all be there.
    """
    groups: list[list[str]] = [[]]
    for term in _WORD.findall(text)[:MAX_SEARCH_WORDS]:
        if term.lower() == "or":
            groups.append([])
        else:
            groups[-1].append(f'"{term}"*')
    alternatives = [f"({' '.join(group)})" for group in groups if group]
    if not alternatives:
        return None
    return "{title body} : (" + " OR ".join(alternatives) + ")"


def _logged(item: Any, position: int | None) -> str | None:
    """An item as the revision log stores it: pack data and position, or None when absent."""
    if item is None:
        return None
    return json.dumps({"item": item, "position": position}, ensure_ascii=False)


def _revision(row: tuple[object, ...]) -> Revision:
    before, after = (json.loads(str(v)) if v is not None else None for v in (row[8], row[9]))
    return Revision(
        id=int(row[0]), briefing_id=str(row[1]), kind=str(row[2]), item_id=str(row[3]), action=str(row[4]),
        actor=str(row[5]), platform=str(row[6]), at=datetime.fromisoformat(str(row[7])), before=before, after=after,
        source=str(row[10]), note=str(row[11]), undoes=None if row[12] is None else int(row[12]),  # type: ignore[arg-type]
    )


def _best_snippet(body: str, title: str) -> str:
    """The body's passage when the match is there, else the title's; without the match marks."""
    chosen = body if "\x02" in body or "\x02" not in title else title
    return chosen.replace("\x02", "").replace("\x03", "")


class Held(NamedTuple):
    """A cached snapshot, the last revision it reflects, and the data_version it was last found current at."""

    snapshot: Briefing
    seen: int
    stamp: int | None  # None: not checked against the file since it was cached


class _Edit(NamedTuple):
    """An edit waiting for the committer, and where its caller awaits the outcome."""

    briefing_id: str
    build: Callable[[Briefing], Change]
    outcome: asyncio.Future[tuple[int, Change]]


# At most this many queued edits share one transaction: a commit's latency stays bounded, and a
# reader one commit behind can still patch its snapshot from the log (well under MAX_CHANGES).
BATCH_LIMIT = 32


class _WriteFailed(Exception):
    """The writes of the edit at `at` in a batch failed: the whole transaction was rolled back."""

    def __init__(self, at: int, error: Exception) -> None:
        super().__init__(at)
        self.at = at
        self.error = error


def _settle(edit: _Edit, outcome: tuple[int, Change] | Exception) -> None:
    """Hand the edit's caller its outcome, unless the caller is gone."""
    if edit.outcome.done():
        return
    if isinstance(outcome, Exception):
        edit.outcome.set_exception(outcome)
    else:
        edit.outcome.set_result(outcome)


def _store_error(error: Exception, briefing_id: str) -> Exception:
    """A database error as the StoreError callers expect (caused by it); any other error as it is."""
    if not isinstance(error, sqlite3.Error):
        return error
    converted = StoreError(f"applying a change to {briefing_id} failed: {error}")
    converted.__cause__ = error
    return converted


class SqliteBriefingRepository:
    """BriefingRepository over one aiosqlite connection, plus the writes the CLI and admins use."""

    def __init__(self, conn: aiosqlite.Connection, probe: sqlite3.Connection | None = None) -> None:
        self._conn = conn
        self._probe = probe
        # Each briefing's cached snapshot, by id.
        self._held: dict[str, Held] = {}
        self._default: str | None = None  # the default briefing's id when last asked
        # The write token and snapshot of an edit being committed, by briefing (see `apply`).
        self._committing: dict[str, tuple[int, Held]] = {}
        self._queued: list[_Edit] = []  # edits waiting for the committer (see `apply`)
        self._committer: asyncio.Task[None] | None = None
        # One connection serves every coroutine: transactions must not interleave on it.
        self._transaction_lock = asyncio.Lock()

    async def briefing(self, briefing_id: str | None = None) -> Briefing:
        """The current briefing (the default when None): the cached snapshot, patched or read again if it changed."""
        expected = self._default if briefing_id is None else briefing_id
        held = self._held.get(expected) if expected is not None else None
        stamp = self._data_version()  # before reading, so a commit from now on is noticed next time
        if held is not None and stamp is not None and held.stamp == stamp:
            return held.snapshot
        committing = self._committing.get(expected) if expected is not None else None
        if committing is not None:  # this process is committing an edit: if that was the last write, take its snapshot
            state = await self._read_now(_TOKEN, (expected,))
            if state and state[0][0] == committing[0] and (briefing_id is not None or state[0][1]):
                return self._hold(committing[1].snapshot, committing[1].seen, stamp)
        # The default's id once known, so finding it costs no lookup; the row says if it still is the default.
        since = {"seen": held.seen if held else NOTHING_SEEN, "limit": MAX_CHANGES}
        found = await self._read_now(CHANGES, {"briefing": expected, **since})
        if briefing_id is None and expected is not None and not (found and found[0][2]):
            found = await self._read_now(CHANGES, {"briefing": None, **since})  # another default now
        if not found:
            if briefing_id is None:
                raise UserError("briefing.none")
            raise UserError("briefing.unknown", briefing=briefing_id[:64])
        found_id, version = str(found[0][0]), int(found[0][1])  # type: ignore[call-overload]
        if briefing_id is None:
            self._default = found_id
        if found_id != expected:  # another default now: the revisions were read for the old one
            held, found = self._held.get(found_id), []
        if held is not None and held.snapshot.version == version:
            self._held[found_id] = held._replace(stamp=stamp)
            return held.snapshot
        fresh = patched(held.snapshot, found) if held is not None else None
        if fresh is None:
            fresh = self._read_on_probe(found_id)
        if fresh is None:
            async with self._transaction("BEGIN"):
                fresh = await self._read(found_id)
        return self._hold(*fresh, stamp=stamp)

    def _data_version(self) -> int | None:
        """The probe's count of commits by any other connection (SQLite's data_version); None without it.

        While it stays the same nothing was written, so a snapshot checked under it is still current
        and a read costs no query at all.
        """
        if self._probe is None:
            return None
        try:
            return int(self._probe.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.OperationalError:
            return None

    def _hold(self, snapshot: Briefing, seen: int, stamp: int | None = None) -> Briefing:
        """Cache a snapshot with the last revision it reflects and when it was checked, replaced as one.

        A snapshot older than one cached meanwhile by another coroutine is harmless: the next read
        sees a newer version and patches it from its own revision.
        """
        self._held[snapshot.id] = Held(snapshot, seen, stamp)
        return snapshot

    async def _read_now(self, sql: str, params: tuple[object, ...] | dict[str, object]) -> list[tuple[object, ...]]:
        """A read on the probe when it can answer at once, else through aiosqlite (which may wait)."""
        if self._probe is not None:
            try:
                return self._probe.execute(sql, params).fetchall()
            except sqlite3.OperationalError:
                pass  # busy or locked for a moment
        return await self._fetchall(sql, params)

    async def search(self, briefing_id: str, text: str, kinds: Collection[str] = (), limit: int = 50) -> list[SearchHit]:
        """Ranked matches of every word (as a prefix) of `text` within one briefing."""
        if kinds and not any(kind in SEARCH_KINDS for kind in kinds):
            return []
        query = fts_query(briefing_id, text, kinds)
        if query is None:
            return []
        found = await self._read_now(_SEARCH, {"query": query, "limit": limit})
        return [
            SearchHit(kind, item_id, _best_snippet(body, title), rank) for kind, item_id, body, title, rank in found
        ]

    async def matching_ids(self, briefing_id: str, text: str, kind: str) -> frozenset[str]:
        """Ids of one kind's items holding every word of `text` (as a prefix), unranked."""
        words = fts_words(text)
        if words is None or kind not in _KIND_TABLES:
            return frozenset()
        table, number = _KIND_TABLES[kind]
        found = await self._read_now(_MATCHING_IDS.format(table=table, number=number), (words, briefing_id))
        return frozenset(row[0] for row in found)

    async def briefings(self) -> list[BriefingSummary]:
        """Every briefing, default first."""
        found = await self._fetchall("SELECT id, title, is_default FROM briefings ORDER BY is_default DESC, id", ())
        return [BriefingSummary(row[0], row[1], bool(row[2])) for row in found]

    async def save(
        self, briefing: Briefing, *, make_default: bool = False, actor: str = "operator", platform: str = "cli"
    ) -> bool:
        """Replace a briefing with this one in one transaction, logged as an import; False if identical."""
        digest = content_hash(briefing)
        now = datetime.now(UTC)
        try:
            async with self._transaction("BEGIN IMMEDIATE"):
                stored = await self._fetchone("SELECT content_hash FROM briefings WHERE id = ?", (briefing.id,))
                if stored is not None and stored[0] == "":  # edited since the last load: hash it now
                    stored = (content_hash((await self._read(briefing.id))[0]),)
                changed = stored is None or stored[0] != digest
                if changed:
                    before = pack_mapping((await self._read(briefing.id))[0]) if stored is not None else None
                    await self._replace_rows(briefing, digest, now)
                    await self._log(briefing.id, "briefing", briefing.id, "import", actor, platform, now,
                                    _logged(before, 0), _logged(pack_mapping(briefing), 0), "", "", None)
                if make_default or (await self._fetchone("SELECT 1 FROM briefings WHERE is_default = 1", ())) is None:
                    await self._conn.execute("UPDATE briefings SET is_default = 0 WHERE is_default = 1 AND id <> ?", (briefing.id,))
                    await self._conn.execute("UPDATE briefings SET is_default = 1 WHERE id = ?", (briefing.id,))
        except sqlite3.Error as error:
            raise StoreError(f"saving briefing {briefing.id} failed: {error}") from error
        return changed

    async def apply(self, briefing_id: str, build: Callable[[Briefing], Change]) -> tuple[int, Change]:
        """Build the change from the current briefing under the write lock, then write it and its revision.

        Edits wait in a queue for one committer task, which commits all those waiting in one
        transaction (group commit), each built, checked and logged as if it were alone: under many
        editors, readers on other connections catch up once per commit instead of once per edit.
        An edit whose caller is cancelled before the committer takes it is never written.
        """
        edit = _Edit(briefing_id, build, asyncio.get_running_loop().create_future())
        self._queued.append(edit)
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_queued())
        return await edit.outcome

    async def _commit_queued(self) -> None:
        """The committer: while edits wait, commit up to BATCH_LIMIT of them together, oldest first."""
        taken: list[_Edit] = []
        try:
            while self._queued:
                async with self._transaction_lock:  # taken again for each batch, so other writes get their turn
                    taken = [edit for edit in self._queued[:BATCH_LIMIT] if not edit.outcome.cancelled()]
                    del self._queued[:BATCH_LIMIT]
                    await self._commit_together(taken)
        except BaseException as error:  # cancelled at shutdown, or a bug: no caller may wait for ever
            for edit in (*taken, *self._queued):
                if isinstance(error, Exception):
                    _settle(edit, error)
                else:
                    edit.outcome.cancel()  # a no-op once settled
            self._queued.clear()
            raise

    async def _commit_together(self, batch: list[_Edit]) -> None:
        """Commit the batch in one transaction and settle each edit's outcome.

        When an edit's writes fail, the transaction rolls back: that edit gets the error, and the
        others are committed again without it.
        """
        groups = [batch] if batch else []
        while groups:
            group = groups.pop(0)
            try:
                outcomes = await self._write_together(group)
            except _WriteFailed as failed:
                _settle(group[failed.at], failed.error)
                groups[:0] = [rest for rest in (group[: failed.at], group[failed.at + 1 :]) if rest]
                continue
            except Exception as error:  # BEGIN or COMMIT failed: nothing was written
                outcomes = [error] * len(group)
            for edit, outcome in zip(group, outcomes, strict=True):
                _settle(edit, outcome)

    async def _write_together(self, group: list[_Edit]) -> list[tuple[int, Change] | Exception]:
        """Each edit's outcome after one transaction: its revision and change, or why it was refused.

        An edit refused by its checks writes nothing and the others go on; one whose writes fail
        rolls the transaction back (_WriteFailed). The snapshots this transaction made are cached
        once it commits.
        """
        outcomes: list[tuple[int, Change] | Exception] = []
        written: dict[str, Held | None] = {}  # each briefing written here: its snapshot now (None: unknown)
        try:
            async with held_transaction(self._conn, "BEGIN IMMEDIATE"):
                for edit in group:
                    try:
                        change, current, old_position = await self._prepare(edit, written)
                    except Exception as error:  # refused or invalid: nothing of it was written
                        outcomes.append(_store_error(error, edit.briefing_id))
                        continue
                    try:
                        outcomes.append(await self._write(edit.briefing_id, change, current, old_position, written))
                    except Exception as error:
                        raise _WriteFailed(len(outcomes), _store_error(error, edit.briefing_id)) from error
        except sqlite3.Error as error:
            raise _store_error(error, group[0].briefing_id) from error
        finally:
            for briefing_id in written:
                self._committing.pop(briefing_id, None)
        for briefing_id, committed in written.items():
            held = self._held.get(briefing_id)
            if committed is not None and (held is None or held.snapshot.version < committed.snapshot.version):
                self._held[briefing_id] = committed
        return outcomes

    async def _prepare(self, edit: _Edit, written: dict[str, Held | None]) -> tuple[Change, Briefing, int | None]:
        """The edit's change, built on the briefing as this transaction sees it and checked against its base."""
        current = await self._current(edit.briefing_id, written)
        change = edit.build(current)
        revision, old_position = await self._item_state(change, change.briefing.id in written)
        if change.base is not None and change.base != revision:
            raise StaleEdit(revision)
        return change, current, old_position

    async def _write(
        self, briefing_id: str, change: Change, current: Briefing, old_position: int | None, written: dict[str, Held | None]
    ) -> tuple[int, Change]:
        """Write one checked change and its revision; record the snapshot the briefing now holds."""
        bid = change.briefing.id
        if change.kind == "briefing":
            token = await self._replace_rows(change.briefing, content_hash(change.briefing), change.at)
            positions: tuple[int | None, int | None] = (0, 0)
        else:
            positions = await self._write_item(change, old_position)
            token = await self._fetchone(_BUMP, (change.at.isoformat(timespec="seconds"), bid))
        number = await self._log(
            bid, change.kind, change.item_id, change.action, change.actor, change.platform, change.at,
            _logged(change.before, positions[0]), _logged(change.after, positions[1]),
            change.source, change.note, change.undoes,
        )
        written[briefing_id] = None
        self._committing.pop(briefing_id, None)
        if change.position is None and token is not None:
            # The checked briefing is exactly what the tables will hold, so no reader need read
            # them again, not even one that sees the commit before this coroutine resumes: it
            # knows the commit by its token. (An item put back at an old position would sit
            # elsewhere in the list: that is read again.)
            held = Held(replace(change.briefing, version=current.version + 1).sharing(current), number, None)
            written[briefing_id] = held
            self._committing[briefing_id] = (int(token[0]), held)  # type: ignore[call-overload]
        return number, change

    async def _item_state(self, change: Change, briefing_written: bool) -> tuple[int, int | None]:
        """The item's latest revision and its row's position (None if it has no row); before `apply` writes it.

        `briefing_written`: this transaction already wrote the briefing, so only its own connection sees it.
        """
        bid, key = change.briefing.id, (change.briefing.id, change.kind, change.item_id)
        read = self._fetchone if briefing_written else self._committed_row
        table = KIND_TABLES.get(change.kind)
        if table is None:  # the meeting or the whole briefing: one row each, no position
            found = await read(_ITEM_REVISION, key)
            return int(found[0]) if found else 0, None  # type: ignore[arg-type]
        found = await read(_ITEM_STATE.format(table=table), (*key, bid, change.item_id))
        return (int(found[0]), None if found[1] is None else int(found[1])) if found else (0, None)  # type: ignore[arg-type]

    async def _current(self, briefing_id: str, written: dict[str, Held | None]) -> Briefing:
        """The briefing as the open transaction sees it (the cached snapshot when still current)."""
        if briefing_id in written:  # changed by this transaction: never cached before it commits
            return held.snapshot if (held := written[briefing_id]) is not None else (await self._read(briefing_id))[0]
        found = await self._committed_row("SELECT version FROM briefings WHERE id = ?", (briefing_id,))
        if found is None:
            raise UserError("briefing.unknown", briefing=briefing_id[:64])
        held = self._held.get(briefing_id)
        if held is not None and held.snapshot.version == found[0]:
            return held.snapshot
        return self._hold(*await self._read(briefing_id))

    async def item_revision(self, briefing_id: str, kind: str, item_id: str) -> int:
        """The latest revision of one item, 0 if none."""
        found = await self._read_now(_ITEM_REVISION, (briefing_id, kind, item_id))
        return int(found[0][0]) if found else 0  # type: ignore[arg-type]

    async def revisions(
        self, briefing_id: str, kind: str | None = None, item_id: str | None = None, limit: int = 20, before: int | None = None
    ) -> list[Revision]:
        """Revisions newest first, of the briefing or of one item."""
        sql = f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE briefing_id = ?"
        params: list[object] = [briefing_id]
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind)
        if item_id is not None:
            sql += " AND item_id = ?"
            params.append(item_id)
        if before is not None:
            sql += " AND id < ?"
            params.append(before)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        return [_revision(row) for row in await self._read_now(sql, tuple(params))]

    async def revision(self, briefing_id: str, number: int) -> Revision | None:
        """One revision of the briefing, or None."""
        found = await self._read_now(f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE briefing_id = ? AND id = ?", (briefing_id, number))
        return _revision(found[0]) if found else None

    async def _write_item(self, change: Change, old: int | None) -> tuple[int | None, int | None]:
        """Update, add or remove one item's row (now at `old`, if any); its (old, new) positions.

        An edit updates the row in place, so the rows that name the item (a quote its speaker) never
        point at nothing, not even within the transaction.
        """
        bid = change.briefing.id
        if change.kind == "meeting":
            await self._conn.execute(_UPSERTS["meetings"], rows.meeting_row(bid, change.item))
            return 0, 0
        table = KIND_TABLES[change.kind]
        if change.item is None:
            await self._conn.execute(f"DELETE FROM {table} WHERE briefing_id = ? AND id = ?", (bid, change.item_id))
            return old, None
        new = old if old is not None else change.position
        if new is None:
            last = await self._fetchone(f"SELECT coalesce(max(position), -1) FROM {table} WHERE briefing_id = ?", (bid,))
            new = int(last[0]) + 1 if last else 0  # type: ignore[arg-type]
        build = rows.ITEM_TABLES[table][1]
        await self._conn.execute(_UPSERTS[table], build(bid, change.item, new))  # in place when it exists
        return old, new

    async def _replace_rows(self, briefing: Briefing, digest: str, now: datetime) -> tuple[object, ...] | None:
        """Every row of a briefing replaced by this one's, inside the caller's transaction; the write token."""
        token = await self._fetchone(_UPSERT_BRIEFING, rows.briefing_row(briefing, digest, now.isoformat(timespec="seconds")))
        for table in _DELETE_ORDER:
            await self._conn.execute(f"DELETE FROM {table} WHERE briefing_id = ?", (briefing.id,))
        for table, table_rows in rows.child_rows(briefing).items():
            await self._conn.executemany(_INSERTS[table], table_rows)
        return token

    async def _log(
        self, bid: str, kind: str, item_id: str, action: str, actor: str, platform: str, at: datetime,
        before: str | None, after: str | None, source: str, note: str, undoes: int | None,
    ) -> int:
        cursor = await self._conn.execute(
            _INSERT_REVISION,
            (bid, kind, item_id, action, actor, platform, at.isoformat(timespec="seconds"), before, after, source, note, undoes),
        )
        return int(cursor.lastrowid or 0)

    async def set_default(self, briefing_id: str) -> None:
        """Make one briefing the default; a user error if it does not exist."""
        async with self._transaction("BEGIN IMMEDIATE"):
            if await self._fetchone("SELECT 1 FROM briefings WHERE id = ?", (briefing_id,)) is None:
                raise UserError("briefing.unknown", briefing=briefing_id[:64])
            await self._conn.execute("UPDATE briefings SET is_default = 0 WHERE is_default = 1 AND id <> ?", (briefing_id,))
            await self._conn.execute("UPDATE briefings SET is_default = 1 WHERE id = ?", (briefing_id,))

    def _transaction(self, begin: str) -> contextlib.AbstractAsyncContextManager[None]:
        """One transaction on the shared connection (see `database.transaction`)."""
        return transaction(self._conn, self._transaction_lock, begin)

    async def _read(self, briefing_id: str) -> tuple[Briefing, int]:
        """Every table of one briefing, and the last revision it reflects; call inside a transaction so the parts agree."""
        fetched = {name: await self._fetchall(sql, (briefing_id,)) for name, sql in _READS.items()}
        state = await self._fetchone(_STATE, (briefing_id, briefing_id))
        version, seen = (int(state[0]), int(state[1])) if state else (0, 0)  # type: ignore[arg-type]
        return _assemble(briefing_id, fetched, version), seen

    def _read_on_probe(self, briefing_id: str) -> tuple[Briefing, int] | None:
        """`_read` in one read transaction on the probe (no thread hops); None if it is busy or absent."""
        if self._probe is None:
            return None
        try:
            self._probe.execute("BEGIN")
            try:
                state = self._probe.execute(_STATE, (briefing_id, briefing_id)).fetchone()
                fetched = {name: self._probe.execute(sql, (briefing_id,)).fetchall() for name, sql in _READS.items()}
            finally:
                self._probe.execute("COMMIT")
        except sqlite3.OperationalError:
            return None
        if state is None or state[0] is None or not fetched["head"]:
            return None
        return _assemble(briefing_id, fetched, int(state[0])), int(state[1])

    async def _committed_row(self, sql: str, params: tuple[object, ...]) -> tuple[object, ...] | None:
        """The first row of a read inside `apply`'s transaction before it writes, asked of the probe.

        While this connection holds BEGIN IMMEDIATE no other can commit, so the last commit, which
        the probe reads, is what the transaction sees: the answer without a hop to aiosqlite's thread.
        """
        found = await self._read_now(sql, params)
        return tuple(found[0]) if found else None

    async def _fetchone(self, sql: str, params: tuple[object, ...] | dict[str, object]) -> tuple[object, ...] | None:
        found = await self._fetchall(sql, params)
        return tuple(found[0]) if found else None

    async def _fetchall(self, sql: str, params: tuple[object, ...] | dict[str, object]) -> list[tuple[object, ...]]:
        try:
            return list(await self._conn.execute_fetchall(sql, params))
        except sqlite3.OperationalError as error:
            raise StoreError(f"query failed: {error}") from error


def _assemble(briefing_id: str, fetched: dict[str, list[Any]], version: int) -> Briefing:
    """A Briefing from the rows of every table."""
    head = fetched["head"][0]
    venue, home = rows.zones(head[2:6])
    return replace(
        Briefing(
            id=briefing_id,
            title=head[0],
            summary=head[1],
            venue=venue,
            home=home,
            sides=rows.sides(fetched["sides"]),
            sources=rows.sources(fetched["sources"]),
            meeting=rows.meeting(fetched["meeting"][0]),
            timeline=rows.timeline(fetched["timeline"]),
            people=rows.people(fetched["people"]),
            agenda=rows.agenda(fetched["agenda"]),
            quotes=rows.quotes(fetched["quotes"]),
            faq=rows.faq(fetched["faq"]),
        ),
        version=version,
    )
