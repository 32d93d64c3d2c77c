"""A load (`save`) and an edit (`apply`), written once for both stores: their steps and their order, over a `Writer`.

Each store opens its write transaction its own way (SQLite's `BEGIN IMMEDIATE` under its lock, PostgreSQL's advisory
locks), runs a step here on a Writer bound to that transaction, and keeps what it wrote after the commit. What differs is
each store's SQL (`WriteSql`, in its dialect) and how it writes many rows at once (`replace_rows`, `record_changed`),
so how a load or an undo decides is fixed, and tested on both stores, here once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import orjson

from bot.core.kept import collector_paused
from bot.core.kinds import HEAD_LOG, KINDS
from bot.core.model import Briefing
from bot.core.pack import changed_items, pack_mapping
from bot.core.repository import Change, StaleEdit, TakenBack
from bot.errors import UserError
from bot.store import rows
from bot.store.loads import EditedSinceLoad

# A signed request can be replayed until its timestamp is 5 minutes old, and it is accepted up to 5 minutes before then:
# its delivery is kept 10 minutes after its write. Each write deletes at most PRUNED expired ones (an index walk), so
# the table holds about the last 10 minutes' writes, however long the bot runs.
DELIVERY_KEPT = 10 * 60
PRUNED = 20
Folders = tuple[dict[str, str | None], dict[str, str | None]]  # what a revision's before and after log of the pack folder


class WriteSql(NamedTuple):
    """The statements the steps run, in one store's dialect; each takes the parameters its comment names, in that order."""

    stored: str  # (briefing): its content hash, pack folder and version; no row when it does not exist
    version: str  # (briefing): its version; no row when it does not exist
    has_default: str  # (): a row when some briefing is the default
    clear_default: str  # (briefing): no other briefing the default
    set_default: str  # (briefing): this one the default
    set_folder: str  # (briefing, folder): its pack's folder, written only when it moves
    undone_folder: str  # (revision, briefing): whether the revision logged a folder before it (NULL if not), that folder, the briefing's now
    latest_whole: str  # (briefing): its latest revision's after, when that revision logged the whole briefing
    item_revision: str  # (briefing, kind, item): the item's latest revision, the imports that changed it counted
    item_state: str  # (briefing, kind, item): that, and the position of the item's row (NULL if none)
    upsert_head: str  # (`rows.briefing_row`): the briefing's own row, updated in place when it exists
    bump: str  # (at, briefing): an edit's new version, the content hash cleared
    delete_item: str  # (briefing, kind, item)
    next_position: str  # (briefing, kind): the position after the kind's last item
    upsert_item: str  # (`rows.item_row`): one item's row, updated in place when it exists
    search_text: str  # (title, body, briefing, kind, item): an item's search text
    once: str  # (key, expires, now): a row when the key is new, or its earlier record expired (`once_keys`)
    prune_once: str  # (now, limit): delete up to `limit` expired keys


class Writer(Protocol):
    """One store inside its open write transaction: its statements, and the writes it does its own way."""

    @property
    def sql(self) -> WriteSql:
        """The statements, in this store's dialect."""

    async def fetch(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """The statement's rows."""

    async def execute(self, sql: str, *params: object) -> None:
        """Run one statement."""

    async def executemany(self, sql: str, params: list[tuple[Any, ...]]) -> None:
        """Run one statement for each row of parameters."""

    async def current(self, briefing_id: str, version: int) -> Briefing:
        """The briefing at that version for an edit to build on: the store's snapshot of it, or read."""

    async def read(self, briefing_id: str, version: int) -> Briefing:
        """The stored briefing, read (at `version`, the one this transaction sees)."""

    async def replace_rows(
        self, briefing: Briefing, digest: str, now: datetime, mapping: dict[str, Any] | None = None, **folder: str | None,
    ) -> bytes | None:
        """Every row of the briefing replaced by this one's; `mapping` (its pack data, if given) as a load logs it, with the `folder`."""

    async def log(
        self, bid: str, kind: str, item_id: str, action: str, actor: str, platform: str, at: datetime,
        before: str | bytes | None, after: str | bytes | None, source: str, note: str, undoes: int | None,
    ) -> int:
        """Insert one revision (its before and after as `logged` writes them); its number."""

    async def record_changed(self, briefing_id: str, number: int, items: list[tuple[str, str]]) -> None:
        """Write which items revision `number`, a whole briefing's, added, removed or changed (`revision_items`)."""

    async def taken_back(self, briefing_id: str, changes: list[tuple[str, str]]) -> TakenBack | None:
        """The revisions since the briefing's last load that changed any of these items, if any did."""


def content_hash(briefing: Briefing) -> str:
    """A digest of the briefing's content, so loading an unchanged pack changes nothing."""
    return rows.content_hash(pack_mapping(briefing))


def entry(item: Any, position: int | None, **folder: str | None) -> bytes:
    """An item as the revision log stores it: its pack data and position, as UTF-8 JSON, which both stores keep as text.

    A load, and an undo or redo of one, logs the `folder` its texts' paths led from on each side, so an undo puts it back too.
    A load logs its whole pack: orjson writes it far faster than json. Whatever wrote an older entry, it is JSON all the same.
    """
    return orjson.dumps({"item": item, "position": position, **folder})


def logged(item: Any, position: int | None, **folder: str | None) -> bytes | None:
    """`entry`, or None when the item is absent (before an add, after a removal)."""
    return None if item is None else entry(item, position, **folder)


def packed(briefing: Briefing, mapping: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
    """A load's pack data (`mapping` when the caller has it) and its hash, worked out before the write transaction takes the lock."""
    with collector_paused():  # worked out once for the hash, the rows and the revision (seconds at 100k events)
        mapping = pack_mapping(briefing) if mapping is None else mapping
        return mapping, rows.content_hash(mapping)


async def save(
    w: Writer, briefing: Briefing, mapping: dict[str, Any], digest: str, now: datetime, *, make_default: bool, actor: str,
    platform: str, discard_edits: bool, only_new: bool, folder: Path | None, keep_folder: bool,
) -> bool:
    """`BriefingRepository.save` inside the store's write transaction: the pack replaces the briefing unless it is what is
    stored already (False then); the default and the pack's folder set either way."""
    stored = await _one(w, w.sql.stored, briefing.id)
    if only_new and stored is not None:  # checked in the write transaction: two creators cannot both win
        raise UserError("briefing.exists", briefing=briefing.id)
    current = None
    if stored is not None and stored[0] == "":  # an edit clears the stored hash: the stored content is read and hashed here
        current = await w.read(briefing.id, int(stored[2]))
    changed = stored is None or (content_hash(current) if current is not None else stored[0]) != digest
    if changed:
        await _load(w, briefing, mapping, digest, now, stored, current, actor=actor, platform=platform,
                    discard_edits=discard_edits, folder=folder)
    if make_default or await _one(w, w.sql.has_default) is None:
        await w.execute(w.sql.clear_default, briefing.id)
        await w.execute(w.sql.set_default, briefing.id)
    if folder is not None and (changed or not keep_folder):  # an unchanged pack from another folder moves it too
        await w.execute(w.sql.set_folder, briefing.id, str(folder))
    return changed


async def _load(
    w: Writer, briefing: Briefing, mapping: dict[str, Any], digest: str, now: datetime, stored: tuple[Any, ...] | None,
    current: Briefing | None, *, actor: str, platform: str, discard_edits: bool, folder: Path | None,
) -> None:
    """Replace the `stored` briefing (hash, folder, version; None if new) by a changed pack, logged as one revision, unless
    revisions since its last load changed what it changes (EditedSinceLoad) and the caller does not `discard_edits`."""
    before, old = None, None
    # A load from a file logs the folder it leaves and the one it records: its undo puts the first back.
    left = {"folder": stored[1]} if folder is not None and stored is not None else {}
    moved = {"folder": str(folder)} if folder is not None else {}
    if stored is not None:
        before, old = await _stored_pack(w, briefing.id, str(stored[0]), int(stored[2]), current, **left)
    with collector_paused():
        items = changed_items(old, mapping)  # before `replace_rows` empties `mapping`
    del old
    if stored is not None and not discard_edits:
        taken = await w.taken_back(briefing.id, items)
        if taken is not None:
            raise EditedSinceLoad(current if current is not None else await w.read(briefing.id, int(stored[2])), briefing, taken)
    after = await w.replace_rows(briefing, digest, now, mapping, **moved)
    number = await w.log(briefing.id, "briefing", briefing.id, "import", actor, platform, now, before, after, "", "", None)
    await w.record_changed(briefing.id, number, items)


async def _stored_pack(
    w: Writer, briefing_id: str, stored_hash: str, version: int, current: Briefing | None, **folder: str | None,
) -> tuple[str | bytes, dict[str, Any]]:
    """The stored briefing as a load's revision logs it (its `before`, with the `folder` given) and as pack data.

    When the briefing's latest revision logged a whole pack whose hash is the stored content hash (the
    common case: a load replacing the last load), its text is the answer: a hash check instead of reading
    and exporting every item, slow for a large briefing; written again only when the folder it logged is not this one (an unchanged
    load from elsewhere moved it since). Otherwise the stored briefing is read and exported.
    """
    if current is None and stored_hash:
        found = await _one(w, w.sql.latest_whole, briefing_id)
        if found is not None and found[0] is not None:
            with collector_paused():
                latest = orjson.loads(found[0])
                stored: dict[str, Any] = latest["item"]
                if rows.content_hash(stored) == stored_hash:
                    if {key: value for key, value in latest.items() if key == "folder"} == folder:
                        return str(found[0]), stored
                    return entry(stored, 0, **folder), stored
    stored = pack_mapping(current if current is not None else await w.read(briefing_id, version))
    return entry(stored, 0, **folder), stored


async def apply(w: Writer, briefing_id: str, build: Callable[[Briefing], Change]) -> tuple[int, Change, int]:
    """`BriefingRepository.apply` inside the store's write transaction: the change built from the briefing as it is now,
    refused if the item moved past the editor's base, written with its revision; its number, the change, the new version."""
    change = build(await w.current(briefing_id, await _version(w, briefing_id)))
    if change.delivery is not None:
        await _once(w, change.delivery, change.at.timestamp())
    revision, old_position = await _item_state(w, change)
    if change.base is not None and change.base != revision:
        raise StaleEdit(revision)
    number = await _write(w, change, old_position)
    return number, change, await _version(w, briefing_id)


async def _once(w: Writer, delivery: str, now: float) -> None:
    """Record the request's delivery with its write, in its transaction; a user error, and nothing written, when a write
    recorded it already: a signed Slack request replayed to another worker, or after a restart (docs/slack-security.md)."""
    if not await w.fetch(w.sql.once, delivery, now + DELIVERY_KEPT, now):
        raise UserError("request.repeated")
    await w.execute(w.sql.prune_once, now, PRUNED)


async def set_default(w: Writer, briefing_id: str) -> None:
    """Make one briefing the default inside the store's write transaction; a user error if it does not exist."""
    await _version(w, briefing_id)
    await w.execute(w.sql.clear_default, briefing_id)
    await w.execute(w.sql.set_default, briefing_id)


async def _version(w: Writer, briefing_id: str) -> int:
    """The briefing's version as the transaction sees it; a user error if it does not exist."""
    found = await _one(w, w.sql.version, briefing_id)
    if found is None:
        raise UserError("briefing.unknown", briefing=briefing_id[:64])
    return int(found[0])


async def _item_state(w: Writer, change: Change) -> tuple[int, int | None]:
    """The item's latest revision and its row's position (None if it has no row), before the write, in one round trip."""
    key = (change.briefing.id, change.kind, change.item_id)
    if change.kind not in KINDS:  # the whole briefing, or its head: no row of its own
        found = await _one(w, w.sql.item_revision, *key)
        return int(found[0]) if found else 0, None
    found = await _one(w, w.sql.item_state, *key)
    return (int(found[0]), None if found[1] is None else int(found[1])) if found else (0, None)


async def _write(w: Writer, change: Change, old_position: int | None) -> int:
    """Write one checked change and its revision; the revision's number."""
    bid = change.briefing.id
    folders: Folders = ({}, {})
    if change.kind == "briefing":  # an import, or an undo or redo of one
        await w.replace_rows(change.briefing, content_hash(change.briefing), change.at)
        positions: tuple[int | None, int | None] = (0, 0)
        if change.undoes is not None:
            folders = await _folder_put_back(w, bid, change.undoes)
    elif change.kind == HEAD_LOG:  # its row alone, content hash cleared as an edit's
        await w.execute(w.sql.upsert_head, *rows.briefing_row(change.briefing, "", change.at.isoformat(timespec="seconds")))
        positions = (None, None)
    else:
        positions = await _write_item(w, change, old_position)
        await w.execute(w.sql.bump, change.at.isoformat(timespec="seconds"), bid)
    number = await w.log(
        bid, change.kind, change.item_id, change.action, change.actor, change.platform, change.at,
        logged(change.before, positions[0], **folders[0]), logged(change.after, positions[1], **folders[1]),
        change.source, change.note, change.undoes,
    )
    if change.kind == "briefing":
        await w.record_changed(bid, number, changed_items(change.before, change.after))
    return number


async def _folder_put_back(w: Writer, briefing_id: str, undoes: int) -> Folders:
    """An undo or redo of a load puts back the pack folder it logged before it, which the texts' paths it puts back lead
    from; the folder it leaves and the one it puts back, as its own revision logs them (for a redo to put back again).

    An import, or a load logged before loads logged their folder, leaves the folder as it is.
    """
    found = await _one(w, w.sql.undone_folder, undoes, briefing_id)
    if found is None or found[0] is None:
        return {}, {}
    await w.execute(w.sql.set_folder, briefing_id, found[1])
    return {"folder": found[2]}, {"folder": found[1]}


async def _write_item(w: Writer, change: Change, old: int | None) -> tuple[int | None, int | None]:
    """Update, add or remove one item's row (now at `old`, if any); its (old, new) positions.

    An edit updates the row in place, so the rows that name the item (a quote its speaker) never
    point at nothing, not even within the transaction.
    """
    b, kind = change.briefing, KINDS[change.kind]
    if change.item is None:
        await w.execute(w.sql.delete_item, b.id, kind.name, change.item_id)
        return old, None
    new = old if old is not None else change.position
    if new is None:
        new = int((await w.fetch(w.sql.next_position, b.id, kind.name))[0][0])
    await w.execute(w.sql.upsert_item, *rows.item_row(b, kind, change.item, new))
    # A renamed person's quotes are found by the new name: their search text shows it.
    dependents = [(title, body, b.id, other, item_id) for title, body, other, item_id in rows.dependent_rows(b, kind, change.item_id)]
    if dependents:
        await w.executemany(w.sql.search_text, dependents)
    return old, new


async def _one(w: Writer, sql: str, *params: object) -> tuple[Any, ...] | None:
    """The statement's first row, or None."""
    found = await w.fetch(sql, *params)
    return found[0] if found else None

