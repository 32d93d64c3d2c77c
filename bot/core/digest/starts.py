"""When each session's start, as it is now, was set: read from the revision log for the alerts' keys and subscribers.

Only the revisions within the alerts' reach are read (made at most 24 hours before the start): no alert of that start
could go out earlier, so nothing older changes which alerts a channel may already have had.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.digest.alerts import LEADS, StartSet
from bot.core.model import Session
from bot.core.repository import BriefingStore, Revision

REACH = max(LEADS.values())  # the earliest an alert goes out before its start
PAGE = 20  # revisions read at a time: a session's edits within a day are few


def session_data(revision: Revision, side: str, session_id: str) -> Mapping[str, Any]:
    """One session's pack data before or after an edit of it or a whole-pack import; empty when absent."""
    held = revision.before if side == "before" else revision.after
    data = (held or {}).get("item") or {}
    if revision.kind == "briefing":
        return next((s for s in data.get("sessions", []) if s.get("id") == session_id), {})
    return data if revision.item_id == session_id else {}


def start_instant(data: Mapping[str, Any], venue: str) -> datetime | None:
    """The instant a session's pack data starts at: its start on its zone's clock (the venue's when it names none)."""
    start = data.get("start") or None
    return datetime.fromisoformat(start).replace(tzinfo=ZoneInfo(str(data.get("zone") or venue))) if start else None


async def start_sets(repository: BriefingStore, briefing_id: str, venue: str, sessions: Iterable[Session]) -> dict[str, StartSet]:
    """The revision that set each timed session's start, by session id, when it was made within the alerts' reach."""
    found = {}
    for session in sessions:
        if session.starts_at is not None:
            start_set = await _start_set(repository, briefing_id, venue, session.id, session.starts_at - REACH)
            if start_set is not None:
                found[session.id] = start_set
    return found


async def _start_set(repository: BriefingStore, briefing_id: str, venue: str, session_id: str, reach: datetime) -> StartSet | None:
    """The newest revision since `reach` that changed the session's start, and whether the start it set held before it."""
    newest: Revision | None = None
    start: datetime | None = None
    before: int | None = None
    while True:
        page = await repository.revisions(briefing_id, "session", session_id, limit=PAGE, before=before)
        for revision in page:
            if revision.at < reach:
                return None if newest is None else StartSet(newest.id, newest.at, returned=False)
            was, now = (start_instant(session_data(revision, side, session_id), venue) for side in ("before", "after"))
            if newest is None:
                if was != now:
                    newest, start = revision, now
            elif start in (was, now):
                return StartSet(newest.id, newest.at, returned=True)
        if len(page) < PAGE:
            return None if newest is None else StartSet(newest.id, newest.at, returned=False)
        before = page[-1].id
