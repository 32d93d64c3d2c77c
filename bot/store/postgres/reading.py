"""Reading a whole briefing from PostgreSQL into the model, through the row decoders SQLite uses too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.model import Briefing
from bot.store import rows

if TYPE_CHECKING:
    from bot.store.postgres.database import Connection

READS = {
    "head": "SELECT title, summary, venue_zone, venue_label, home_zone, home_label, evidence FROM briefings WHERE id = $1",
    "sides": "SELECT id, label FROM sides WHERE briefing_id = $1 ORDER BY position",
    "sources": "SELECT id, publisher, title, author, published, url, text FROM sources WHERE briefing_id = $1"
    " ORDER BY position",
    "meeting": "SELECT parties, starts_at, zone, venue, format, aims, topics, stakes, status, outcome, sources, evidence,"
    " delegation FROM meetings WHERE briefing_id = $1",
    "people": "SELECT id, name, role, organisation, side, delegation, sources, evidence FROM people"
    " WHERE briefing_id = $1 ORDER BY position",
    "timeline": "SELECT id, date_text, title, detail, note, tags, people, sources, evidence FROM timeline_events"
    " WHERE briefing_id = $1 ORDER BY position",
    "agenda": "SELECT id, title, detail, date_text, time, zone, place, people, sources, evidence FROM agenda_items"
    " WHERE briefing_id = $1 ORDER BY position",
    "quotes": "SELECT id, speaker, words, context, date_text, sources, evidence FROM quotes WHERE briefing_id = $1"
    " ORDER BY position",
    "faq": "SELECT id, question, answer, sources, evidence FROM faq_entries WHERE briefing_id = $1 ORDER BY position",
}


async def read_briefing(conn: Connection, briefing_id: str, version: int) -> Briefing:
    """Every table of one briefing; call inside a transaction that holds its version, so the parts agree."""
    # Records as tuples: the row decoders take sequences.
    fetched = {name: [tuple(row) for row in await conn.fetch(sql, briefing_id)] for name, sql in READS.items()}
    return rows.briefing(briefing_id, fetched, fetched["head"][0][6], version)
