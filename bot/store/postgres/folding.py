"""Migration 015's second half: the stored search texts folded by Python's `search_fold`, which SQL cannot run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.text import search_fold

if TYPE_CHECKING:
    from bot.store.postgres.database import Connection

_ITEMS = "SELECT briefing_id, kind, id, search_title, search_body FROM items"
_SET_ITEM = "UPDATE items SET search_title = $1, search_body = $2 WHERE briefing_id = $3 AND kind = $4 AND id = $5"
_SUMMARIES = "SELECT id, summary || ' ' || search_translations FROM briefings"
_SET_SUMMARY = "UPDATE briefings SET search_translations = $1 WHERE id = $2"


async def fold_search_texts(conn: Connection) -> None:
    """Every item's search texts folded, and each briefing's summary with its translations' (`rows.briefing_row`).

    A row not ASCII is written even when folding leaves it as it is: its document was made with unaccent, and
    writing the row makes it again.
    """
    changed = []
    for briefing_id, kind, item_id, title, body in await conn.fetch(_ITEMS):
        folded = (search_fold(title), search_fold(body))
        if folded != (title, body) or not (title.isascii() and body.isascii()):
            changed.append((*folded, briefing_id, kind, item_id))
    await conn.executemany(_SET_ITEM, changed)
    summaries = await conn.fetch(_SUMMARIES)
    await conn.executemany(_SET_SUMMARY, [(search_fold(text), briefing_id) for briefing_id, text in summaries])
