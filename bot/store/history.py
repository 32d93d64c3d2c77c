"""Which revisions touched an item: its own, and the pack imports and loads that changed it.

An import is logged as one revision of kind "briefing" holding the whole pack before and after
(migration 003). It changed an item when the item's pack data differs between the two, which
SQLite's JSON functions tell without decoding the pack in Python. The briefing's head (revision kind
"head") is the pack's `briefing:` mapping.
"""

from __future__ import annotations

from bot.core.kinds import HEAD_LOG, KINDS


def _section(kind: str) -> str:
    """The pack section a kind's items live in, as an SQL expression of the `kind` parameter."""
    cases = " ".join(f"WHEN '{k.name}' THEN '{k.section}'" for k in KINDS.values()) + f" WHEN '{HEAD_LOG}' THEN 'briefing'"
    return f"CASE {kind} {cases} END"


def _item_in(column: str, kind: str, item_id: str) -> str:
    """The item's pack data (JSON text) in an import's `before` or `after` column; NULL when absent."""
    return (
        f"(SELECT value FROM json_each({column}, '$.item.' || {_section(kind)})"
        f" WHERE json_extract(value, '$.id') = {item_id})"
    )


def import_changed_item(kind: str, item_id: str, row: str = "r") -> str:
    """SQL true when the row, a briefing revision, changed that item (parameters named by the caller); the head is one mapping."""
    head = f"json_extract({row}.before, '$.item.briefing') IS NOT json_extract({row}.after, '$.item.briefing')"
    item = f"{_item_in(row + '.before', kind, item_id)} IS NOT {_item_in(row + '.after', kind, item_id)}"
    return f"(CASE WHEN {kind} = '{HEAD_LOG}' THEN {head} ELSE {item} END)"


def import_changed_kind(kind: str, row: str = "r") -> str:
    """SQL true when the row, a briefing revision, changed any item of that kind."""
    path = f"'$.item.' || {_section(kind)}"
    return f"json_extract({row}.before, {path}) IS NOT json_extract({row}.after, {path})"


# The latest revision that touched one item, 0 if none: its own, or a later import that changed it.
# Parameters ?1 briefing, ?2 kind, ?3 item id, so statements may go on with plain `?` after it.
_OWN = "(SELECT coalesce(max(id), 0) FROM revisions WHERE briefing_id = ?1 AND kind = ?2 AND item_id = ?3)"
ITEM_REVISION = (
    f"SELECT max({_OWN}, coalesce((SELECT r.id FROM revisions AS r WHERE r.briefing_id = ?1 AND r.kind = 'briefing'"
    f" AND ?2 <> 'briefing' AND r.id > {_OWN} AND {import_changed_item('?2', '?3')} ORDER BY r.id DESC LIMIT 1), 0))"
)


def item_states(kinds: tuple[str, ...]) -> str:
    """Every state the log holds of the kinds' items, as (kind, item id, pack data JSON), each distinct one once, in the
    order of its last appearance: edits' own before and after, and each import's sections before and after (parameter ?1
    the briefing). An item's earlier states are what a calendar that imported it then still shows (bot/core/calendar.py)."""
    own = ", ".join(f"'{k}'" for k in kinds)
    parts = [
        f"SELECT r.id * 2 + {side} AS seen, r.kind AS kind, r.item_id AS item, json_extract(r.{column}, '$.item') AS data"
        f" FROM revisions AS r WHERE r.briefing_id = ?1 AND r.kind IN ({own}) AND r.{column} IS NOT NULL"
        for side, column in enumerate(("before", "after"))
    ] + [
        f"SELECT r.id * 2 + {side}, '{k}', json_extract(e.value, '$.id'), e.value"
        f" FROM revisions AS r, json_each(r.{column}, '$.item.{KINDS[k].section}') AS e WHERE r.briefing_id = ?1 AND r.kind = 'briefing'"
        for k in kinds for side, column in enumerate(("before", "after"))
    ]
    return f"SELECT kind, item, data FROM ({' UNION ALL '.join(parts)}) GROUP BY kind, item, data ORDER BY max(seen)"
