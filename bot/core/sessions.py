"""Which session a reader means: the one in progress, else the next, else the last; and sessions in time order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.core.model import Briefing, Session
from bot.core.text import fold
from bot.errors import UserError

# A session waiting for its start: what "the next session" can be.
WAITING = ("scheduled",)


def first_moment(session: Session) -> datetime | None:
    """When the session begins as far as known: its start, else the first instant of its date; None if not announced."""
    if session.starts_at is not None:
        return session.starts_at
    if session.date is not None:
        return datetime.combine(session.date.first, time(0), tzinfo=ZoneInfo(session.zone))
    return None


def last_moment(session: Session) -> datetime | None:
    """The latest instant the session may still begin: its start, else the end of its date's last day."""
    if session.starts_at is not None or session.date is None:
        return session.starts_at
    return datetime.combine(session.date.last, time.max, tzinfo=ZoneInfo(session.zone))


def in_order(sessions: Iterable[Session]) -> list[Session]:
    """Earliest first; sessions whose time is not announced last, in pack order."""
    listed = list(sessions)
    return sorted(listed, key=lambda s: (first_moment(s) is None, first_moment(s) or datetime.min.replace(tzinfo=ZoneInfo("UTC"))))


def current(briefing: Briefing, now: datetime) -> Session:
    """The session in progress, else the next one waiting to start, else the last one that began."""
    ordered = in_order(briefing.sessions)
    for session in ordered:
        if session.status == "in_progress":
            return session
    for session in ordered:
        end = last_moment(session)
        if session.status in WAITING and (end is None or end >= now):
            return session
    begun = [s for s in ordered if (moment := first_moment(s)) is not None and moment <= now]
    return begun[-1] if begun else ordered[0]


def named(briefing: Briefing, wanted: str) -> Session:
    """The session a reader names by id or by its title (accents and case aside); a clear error when none is."""
    text = wanted.strip()
    for session in briefing.sessions:
        if text == session.id:
            return session
    folded = fold(text)
    found = [s for s in briefing.sessions if folded and folded in fold(s.title)]
    if len(found) == 1:
        return found[0]
    choices = ", ".join(s.title for s in in_order(briefing.sessions))
    raise UserError("meeting.no_session", session=text[:80], choices=choices[:400])


def only(briefing: Briefing) -> Session:
    """The briefing's one session, for the admin word `meeting`; with several, say how to name one."""
    if len(briefing.sessions) == 1:
        return briefing.sessions[0]
    raise UserError("admin.which_session", n=len(briefing.sessions), ids=", ".join(s.id for s in briefing.sessions)[:400])
