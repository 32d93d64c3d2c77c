"""Reading a whole briefing from PostgreSQL into the model, through the row decoders SQLite uses too."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from bot.core.kept import built_off_loop
from bot.core.model import Briefing
from bot.store import rows

if TYPE_CHECKING:
    from bot.store.postgres.database import Connection

READS = {
    "head": "SELECT title, summary, zones, evidence, language, translations FROM briefings WHERE id = $1",
    "sides": "SELECT id, label, also FROM sides WHERE briefing_id = $1 ORDER BY position",
    "items": "SELECT kind, id, data FROM items WHERE briefing_id = $1 ORDER BY kind, position",
}


async def read_briefing(conn: Connection, briefing_id: str, version: int) -> Briefing:
    """Every row of one briefing; call inside a transaction that holds its version, so the parts agree."""
    # Records as tuples: the row decoders take sequences.
    fetched = {name: [tuple(row) for row in await conn.fetch(sql, briefing_id)] for name, sql in READS.items() if name != "items"}
    items = await conn.fetch(READS["items"], briefing_id)
    # Decoding 100k events holds the GIL about a second: on the builder thread, as SQLite's are (issue #18 §2).
    return await built_off_loop(partial(_decoded, fetched["head"][0], fetched["sides"], items, briefing_id, version))


def _decoded(head: tuple[Any, ...], sides: list[tuple[Any, ...]], items: list[Any], briefing_id: str, version: int) -> Briefing:
    """The briefing from its fetched rows, off the event loop: `decode_into` empties `items`, so the records are freed here too."""
    return rows.briefing(head, sides, rows.decode_into({}, items), briefing_id, version)
