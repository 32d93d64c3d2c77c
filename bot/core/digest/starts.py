"""When each session's start, as it is now, was set: read from the revision log for the alerts' keys and subscribers.

Only the revisions within the alerts' reach are read (made at most 24 hours before the start): no alert of that start
could go out earlier, so nothing older changes which alerts a channel may already have had. They are read once for all
the sessions asked about, and once per briefing version (`StartLog`): a tick that follows no change reads nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.digest.alerts import LEADS, StartSet
from bot.core.model import Briefing, Session
from bot.core.repository import BriefingStore, Revision

REACH = max(LEADS.values())  # the earliest an alert goes out before its start
PAGE = 100  # revisions read at a time: a briefing's session edits and imports within a day are few


def session_data(revision: Revision, side: str, session_id: str) -> Mapping[str, Any]:
    """One session's pack data before or after an edit of it or a whole-pack import; empty when absent."""
    return _sessions(revision, side).get(session_id, {})


def _sessions(revision: Revision, side: str) -> dict[str, Mapping[str, Any]]:
    """Every session's pack data on one side of a revision, by id: an import holds them all, an edit its own."""
    held = revision.before if side == "before" else revision.after
    data = (held or {}).get("item") or {}
    if revision.kind == "briefing":
        return {s.get("id"): s for s in data.get("sessions", [])}
    return {revision.item_id: data} if data else {}


def start_instant(data: Mapping[str, Any], venue: str) -> datetime | None:
    """The instant a session's pack data starts at: its start on its zone's clock (the venue's when it names none)."""
    start = data.get("start") or None
    return datetime.fromisoformat(start).replace(tzinfo=ZoneInfo(str(data.get("zone") or venue))) if start else None


class StartLog:
    """Each session's StartSet, kept per briefing version: within one none can change, as each depends only on the
    log up to that version and the session's start."""

    def __init__(self, repository: BriefingStore) -> None:
        self._repository = repository
        self._held: dict[str, tuple[int, dict[str, StartSet | None]]] = {}  # by briefing: its version, the sets found

    async def of(self, briefing: Briefing, sessions: Iterable[Session]) -> Mapping[str, StartSet | None]:
        """The StartSet of each timed session of `sessions` (None: no revision within its reach set its start)."""
        version, known = self._held.get(briefing.id, (None, {}))
        if version != briefing.version:
            known = {}
            self._held[briefing.id] = (briefing.version, known)
        missing = [session for session in sessions if session.starts_at is not None and session.id not in known]
        if missing:
            known.update(await start_sets(self._repository, briefing.id, briefing.venue.zone, missing))
        return known


async def start_sets(repository: BriefingStore, briefing_id: str, venue: str, sessions: Iterable[Session]) -> dict[str, StartSet | None]:
    """The revision that set each timed session's start, by session id, when it was made within the alerts' reach."""
    reaches = {session.id: session.starts_at - REACH for session in sessions if session.starts_at is not None}
    if not reaches:
        return {}
    changes = [(r, _sessions(r, "before"), _sessions(r, "after")) for r in await _since(repository, briefing_id, min(reaches.values()))]
    return {session_id: _start_set(changes, venue, session_id, reach) for session_id, reach in reaches.items()}


async def _since(repository: BriefingStore, briefing_id: str, reach: datetime) -> list[Revision]:
    """The briefing's session edits and the imports that changed sessions, newest first, back to the first made before `reach`."""
    found: list[Revision] = []
    before: int | None = None
    while True:
        page = await repository.revisions(briefing_id, "session", limit=PAGE, before=before)
        found.extend(page)
        if len(page) < PAGE or page[-1].at < reach:
            return found
        before = page[-1].id


def _start_set(
    changes: list[tuple[Revision, dict[str, Mapping[str, Any]], dict[str, Mapping[str, Any]]]], venue: str, session_id: str, reach: datetime,
) -> StartSet | None:
    """The newest revision since `reach` that changed the session's start, and whether the start it set held before it.

    An import that left this session alone (it changed others) counts for nothing: its start is the same on both sides,
    and a start that held before the newest change is met first where the session moved away from it.
    """
    newest: Revision | None = None
    start: datetime | None = None
    for revision, before, after in changes:
        if revision.kind == "session" and revision.item_id != session_id:
            continue
        if revision.at < reach:
            break
        was, now = (start_instant(side.get(session_id, {}), venue) for side in (before, after))
        if newest is None:
            if was != now:
                newest, start = revision, now
        elif start in (was, now):
            return StartSet(newest.id, newest.at, returned=True)
    return None if newest is None else StartSet(newest.id, newest.at, returned=False)
