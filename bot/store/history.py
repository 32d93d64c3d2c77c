"""Which revisions touched an item: its own, and the pack imports and loads that changed it.

An import is logged as one revision of kind "briefing" holding the whole pack before and after
(migration 003). Which items it added, removed or changed is written beside it, in the same
transaction, to `revision_items` (migration 024): so whether a load changed an item is an index
seek, never a search through the pack it logged (55 MB at 100k events, half a second each). The
briefing's head (edits logged as kind "head") is one item there, named by the briefing's id.
"""

from __future__ import annotations

from bot.core.kinds import KINDS

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


_ID = "json_extract(e.value, '$.id')"  # an item's id in an import's pack section


def item_states(kinds: tuple[str, ...]) -> str:
    """The states the log holds of the kinds' items, as (kind, item id, pack data JSON), each distinct one once, in the
    order of its last appearance (parameter ?1 the briefing): edits' own before and after, and each item's state before
    an import that changed it. An item's earlier states are what a calendar that imported it then still shows (bot/core/calendar.py).

    An import's after is not read: each item's state there is the briefing's now, or the before of the next revision
    that changed it. Only the imports `revision_items` names are read, each once per kind, so a first load (no before)
    and the loads that changed none of the kinds are not parsed at all."""
    own = ", ".join(f"'{k}'" for k in kinds)
    parts = [
        f"SELECT r.id * 2 + {side} AS seen, r.kind AS kind, r.item_id AS item, json_extract(r.{column}, '$.item') AS data"
        f" FROM revisions AS r WHERE r.briefing_id = ?1 AND r.kind IN ({own}) AND r.{column} IS NOT NULL"
        for side, column in enumerate(("before", "after"))
    ] + [
        f"SELECT r.id * 2, '{k}', {_ID}, e.value"
        f" FROM revisions AS r, json_each(r.before, '$.item.{KINDS[k].section}') AS e"
        f" WHERE r.id IN (SELECT revision_id FROM revision_items WHERE briefing_id = ?1 AND kind = '{k}')"
        f" AND {import_changed_item(repr(k), _ID)}"
        for k in kinds
    ]
    return f"SELECT kind, item, data FROM ({' UNION ALL '.join(parts)}) GROUP BY kind, item, data ORDER BY max(seen)"
