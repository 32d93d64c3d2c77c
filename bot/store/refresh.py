"""Bringing a cached snapshot up to date from the revision log: read only the items that changed.

Every change is logged as a revision, so the revisions after the snapshot's last one name exactly
the items to read again. One statement returns them with each item's current row and the
briefing's version, so the patch is one consistent read with no transaction around it: after
another connection writes, SQLite must read every page again, and each statement saved counts.
Cases where the revisions cannot reproduce the tables' order (a pack import, an undo that puts an
item back at its old place, an item added again after it was removed) or that span MAX_CHANGES
revisions or more return None, and the caller reads everything.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from bot.core.model import Briefing
from bot.store import rows

MAX_CHANGES = 64
# kind → (Briefing field, table, columns of its rows, decoder of rows). JSON columns go through json()
# so that one json.loads of the whole row decodes them too.
_ITEMS: dict[str, tuple[str, str, str, Callable[[Iterable[Any]], Any]]] = {
    "timeline": ("timeline", "timeline_events", "id, date_text, title, detail, note, json(tags), json(people), json(sources)",
                 rows.timeline),
    "person": ("people", "people", "id, name, role, organisation, side, delegation, json(sources)", rows.people),
    "agenda": ("agenda", "agenda_items", "id, title, detail, date_text, time, zone, place, json(people), json(sources)",
               rows.agenda),
    "quote": ("quotes", "quotes", "id, speaker, words, context, date_text, json(sources)", rows.quotes),
    "faq": ("faq", "faq_entries", "id, question, answer, json(sources)", rows.faq),
    "source": ("sources", "sources", "id, publisher, title, author, published, url", rows.sources),
}
_MEETING = ("json(parties), starts_at, zone, venue, format, json(aims), json(topics), json(stakes), status, outcome,"
            " json(sources)")


def _changes_sql() -> str:
    """CHANGES, with a CASE that fetches the row of whichever kind each revision names."""
    rows_of = [
        f"WHEN '{kind}' THEN (SELECT json_array({columns}) FROM {table} WHERE briefing_id = b.id AND id = r.item_id)"
        for kind, (_, table, columns, _) in _ITEMS.items()
    ]
    rows_of.append(f"WHEN 'meeting' THEN (SELECT json_array({_MEETING}) FROM meetings WHERE briefing_id = b.id)")
    return (
        "SELECT b.id, b.version, b.is_default, r.id, r.kind, r.item_id, r.action,"
        f" CASE r.kind {' '.join(rows_of)} END"
        " FROM briefings AS b LEFT JOIN revisions AS r ON r.briefing_id = b.id AND r.id > :seen"
        " WHERE b.id = coalesce(:briefing, (SELECT id FROM briefings WHERE is_default = 1))"
        " ORDER BY r.id LIMIT :limit"
    )


# The briefing asked for (the default when NULL) as (id, version, whether it is the default, revision,
# kind, item id, action, the item's current row as a JSON array or NULL), one row per revision after
# `seen`; a single row with a NULL revision when there is none. A read runs it once some connection
# has committed.
CHANGES = _changes_sql()
NOTHING_SEEN = 2**63 - 1  # as `seen` when no snapshot is cached: no revision is newer


def patched(cached: Briefing, found: Sequence[Sequence[Any]]) -> tuple[Briefing, int] | None:
    """The snapshot with the items named by `found` (rows of CHANGES, at most MAX_CHANGES) in their current form.

    Returns it with the last revision it reflects, or None when only a full read is exact.
    """
    if not found or found[0][3] is None or len(found) >= MAX_CHANGES:
        return None
    # Every revision of one item carries the same row: the item as it is now.
    touched: dict[tuple[str, str], tuple[list[str], str | None]] = {}
    for *_, kind, item_id, action, row in found:
        touched.setdefault((kind, item_id), ([], row))[0].append(action)
    fields: dict[str, Any] = {}
    for (kind, item_id), (actions, row) in touched.items():
        if kind == "briefing" or "undo" in actions:
            return None
        if kind == "meeting":
            if row is None:
                return None
            fields["meeting"] = rows.meeting(json.loads(row))
            continue
        name, _, _, decode = _ITEMS[kind]
        items = list(fields.get(name, getattr(cached, name)))
        at = next((n for n, item in enumerate(items) if item.id == item_id), None)
        if at is not None and "add" in actions:
            return None  # removed and added again: it now sits at the end, not where it was
        current = decode([json.loads(row)] if row is not None else [])
        if at is not None:
            items[at : at + 1] = current  # edited in place, or gone
        else:
            items.extend(current)  # added: new rows go after the others
        fields[name] = tuple(items)
    return replace(cached, **fields, version=int(found[-1][1])), int(found[-1][3])
