"""Which revisions touched an item: its own, and the pack imports and loads that changed it.

An import is logged as one revision of kind "briefing" holding the whole pack before and after
(migration 003). Which items it added, removed or changed is written beside it, in the same
transaction, to `revision_items` (migration 024): so whether a load changed an item is an index
seek, never a search through the whole pack it logged, slow for a large briefing. The
briefing's head (edits logged as kind "head") is one item there, named by the briefing's id.

Both stores read the log through here: the same statements (the few JSON words that differ are each store's `LogJson`)
and one decoding of a revision's row (`as_revision`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from bot.core.kinds import KINDS
from bot.core.repository import Revision
from bot.errors import DamagedStore

# One item a whole-briefing revision changed: briefing, kind, item id, revision.
RECORD_CHANGED = "INSERT INTO revision_items (briefing_id, kind, item_id, revision_id) VALUES (?, ?, ?, ?)"


def import_changed_item(kind: str, item_id: str, row: str = "r") -> str:
    """SQL true when the row, a briefing revision, changed that item (parameters named by the caller)."""
    return (f"EXISTS (SELECT 1 FROM revision_items AS c WHERE c.briefing_id = {row}.briefing_id AND c.kind = {kind}"
            f" AND c.item_id = {item_id} AND c.revision_id = {row}.id)")


def import_changed_kind(kind: str, row: str = "r") -> str:
    """SQL true when the row, a briefing revision, changed any item of that kind."""
    return f"EXISTS (SELECT 1 FROM revision_items AS c WHERE c.revision_id = {row}.id AND c.kind = {kind})"


# The latest revision that touched one item, 0 if none: its own, or a later import that changed it.
# Parameters ?1 briefing, ?2 kind, ?3 item id, so statements may go on with plain `?` after it.
_OWN = "(SELECT coalesce(max(id), 0) FROM revisions WHERE briefing_id = ?1 AND kind = ?2 AND item_id = ?3)"
_BY_IMPORT = "(SELECT coalesce(max(revision_id), 0) FROM revision_items WHERE briefing_id = ?1 AND kind = ?2 AND item_id = ?3)"
ITEM_REVISION = f"SELECT max({_OWN}, {_BY_IMPORT})"


class LogJson(NamedTuple):
    """How one store's SQL reads the revision log's JSON, for `item_states`, written once here for both."""

    briefing: str  # the briefing's parameter
    item: str  # a revision column's (`{column}`) item, in a form GROUP BY compares
    section: str  # an import's before's pack section (`{section}`) as rows whose `value` is one item
    item_id: str  # the item id of such a row, `e`
    text: str  # the grouped `data`, as JSON text


SQLITE_JSON = LogJson("?1", "json_extract(r.{column}, '$.item')", "json_each(r.before, '$.item.{section}')",
                      "json_extract(e.value, '$.id')", "data")


def item_states(kinds: tuple[str, ...], dialect: LogJson = SQLITE_JSON) -> str:
    """The states the log holds of the kinds' items, as (kind, item id, pack data JSON), each distinct one once, in the
    order of its last appearance (parameter 1 the briefing): edits' own before and after, and each item's state before
    an import that changed it. An item's earlier states are what a calendar that imported it then still shows (bot/core/calendar.py).

    An import's after is not read: each item's state there is the briefing's now, or the before of the next revision
    that changed it. Only the imports `revision_items` names are read, each once per kind, so a first load (no before)
    and the loads that changed none of the kinds are not parsed at all."""
    own = ", ".join(f"'{k}'" for k in kinds)
    parts = [
        f"SELECT r.id * 2 + {side} AS seen, r.kind AS kind, r.item_id AS item, {dialect.item.format(column=column)} AS data"
        f" FROM revisions AS r WHERE r.briefing_id = {dialect.briefing} AND r.kind IN ({own}) AND r.{column} IS NOT NULL"
        for side, column in enumerate(("before", "after"))
    ] + [
        f"SELECT r.id * 2, '{k}', {dialect.item_id}, e.value"
        f" FROM revisions AS r, {dialect.section.format(section=KINDS[k].section)} AS e"
        f" WHERE r.id IN (SELECT revision_id FROM revision_items WHERE briefing_id = {dialect.briefing} AND kind = '{k}')"
        f" AND {import_changed_item(repr(k), dialect.item_id)}"
        for k in kinds
    ]
    return f"SELECT kind, item, {dialect.text} FROM ({' UNION ALL '.join(parts)}) AS s GROUP BY kind, item, data ORDER BY max(seen)"


def as_revision(row: Sequence[Any]) -> Revision:
    """A row of the revisions' columns, in their table's order, as a Revision, from either store: one decoding of the log.

    PostgreSQL hands `at` over as a datetime, SQLite as the ISO text it stored; each side's JSON, whoever wrote it, is JSON.
    """
    try:
        before, after = (None if value is None else json.loads(value) for value in (row[8], row[9]))
        at = row[7] if isinstance(row[7], datetime) else datetime.fromisoformat(str(row[7]))
    except ValueError as error:  # a page lost or zero-filled (a backup missing its end) that SQLite's own checks pass
        raise DamagedStore(f"revision {row[0]} cannot be read: the database file is corrupt or truncated (its stored JSON or time is damaged)") from error
    return Revision(
        id=int(row[0]), briefing_id=str(row[1]), kind=str(row[2]), item_id=str(row[3]), action=str(row[4]),
        actor=str(row[5]), platform=str(row[6]), at=at, before=before, after=after,
        source=str(row[10]), note=str(row[11]), undoes=None if row[12] is None else int(row[12]),
    )
