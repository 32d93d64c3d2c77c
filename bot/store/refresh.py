"""Bringing a cached snapshot up to date from the revision log: read only the items that changed.

Every change is logged as a revision, so the revisions after the snapshot's last one name exactly
the items to read again. Cases where that cannot reproduce the tables' order (a pack import, an
undo that puts an item back at its old place, an item added again after it was removed) or that
touch many items return None, and the caller reads everything.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from bot.core.model import Briefing
from bot.store import rows

MAX_PATCHED = 32
_CHANGES = "SELECT id, kind, item_id, action FROM revisions WHERE briefing_id = ? AND id > ? ORDER BY id"
# kind → (Briefing field, query of one item's row, decoder of rows)
_ITEMS: dict[str, tuple[str, str, Callable[[Iterable[Any]], tuple[Any, ...]]]] = {
    "timeline": ("timeline", "SELECT id, date_text, title, detail, note, tags, people, sources FROM timeline_events"
                 " WHERE briefing_id = ? AND id = ?", rows.timeline),
    "person": ("people", "SELECT id, name, role, organisation, side, delegation, sources FROM people"
               " WHERE briefing_id = ? AND id = ?", rows.people),
    "agenda": ("agenda", "SELECT id, title, detail, date_text, time, zone, place, people, sources FROM agenda_items"
               " WHERE briefing_id = ? AND id = ?", rows.agenda),
    "quote": ("quotes", "SELECT id, speaker, words, context, date_text, sources FROM quotes"
              " WHERE briefing_id = ? AND id = ?", rows.quotes),
    "faq": ("faq", "SELECT id, question, answer, sources FROM faq_entries WHERE briefing_id = ? AND id = ?", rows.faq),
    "source": ("sources", "SELECT id, publisher, title, author, published, url FROM sources"
               " WHERE briefing_id = ? AND id = ?", rows.sources),
}
_MEETING = ("SELECT parties, starts_at, zone, venue, format, aims, topics, stakes, status, outcome, sources"
            " FROM meetings WHERE briefing_id = ?")


def patched(probe: sqlite3.Connection, cached: Briefing, seen: int, version: int) -> tuple[Briefing, int] | None:
    """The snapshot with the items changed after revision `seen` read again, inside the caller's read transaction."""
    changes = probe.execute(_CHANGES, (cached.id, seen)).fetchall()
    if not changes:
        return None
    touched: dict[tuple[str, str], list[str]] = {}
    for _, kind, item_id, action in changes:
        touched.setdefault((kind, item_id), []).append(action)
    if len(touched) > MAX_PATCHED or any(kind == "briefing" or "undo" in actions for (kind, _), actions in touched.items()):
        return None
    fields: dict[str, Any] = {}
    for (kind, item_id), actions in touched.items():
        if kind == "meeting":
            fields["meeting"] = rows.meeting(probe.execute(_MEETING, (cached.id,)).fetchone())
            continue
        name, query, decode = _ITEMS[kind]
        items = list(fields.get(name, getattr(cached, name)))
        at = next((n for n, item in enumerate(items) if item.id == item_id), None)
        if at is not None and "add" in actions:
            return None  # removed and added again: it now sits at the end, not where it was
        found = decode(probe.execute(query, (cached.id, item_id)).fetchall())
        if at is not None:
            items[at : at + 1] = found  # edited in place, or gone
        else:
            items.extend(found)  # added: new rows go after the others
        fields[name] = tuple(items)
    return replace(cached, **fields, version=version), int(changes[-1][0])
