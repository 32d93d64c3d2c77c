"""Which session alerts are due: pure functions of the sessions, their status changes and an instant.

An alert's ledger key carries its session's id and the start it was planned for
(`alert:24h:<session>:<start>`), so when an admin moves one session its old alerts are simply never due
again, new ones are planned for the new time, and the other sessions' alerts stay as they were. A session moved back
to a start it had, within its alerts' reach, has keys that also carry the revision that moved it back
(`alert:1h:<session>:<start>:<revision>`): the channel, told of the other start meanwhile, hears the one that holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

import msgspec

from bot.core.digest.model import Due, Subscription
from bot.core.model import Session

# How long before the start each alert fires, and until when it is still worth sending.
LEADS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1), "start": timedelta(0)}
START_ALERT_USEFUL_FOR = timedelta(hours=1)
UPCOMING = ("scheduled", "in_progress")


class StatusChange(msgspec.Struct, frozen=True):
    """A revision that changed one session's status (an edit, an undo, or a whole pack loaded)."""

    revision: int
    at: datetime
    before: str
    after: str
    session: str


class StartSet(msgspec.Struct, frozen=True):
    """The revision that set a session's start as it is now: its alerts came into being then (`bot/core/digest/starts.py`)."""

    revision: int
    at: datetime
    # The session had this start before, within its alerts' reach: they may have gone out for it then.
    returned: bool


def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def alert_key(name: str, session: str, planned: str | int) -> str:
    """The ledger key of one alert: its name, its session, and the start (or status revision) it is for."""
    return f"alert:{name}:{session}:{planned}"


def timed_key(name: str, session: str, start: datetime, start_set: StartSet | None) -> str:
    """A timed alert's ledger key: its start, and the revision that set it when the session came back to it."""
    planned = _stamp(start)
    return alert_key(name, session, f"{planned}:{start_set.revision}" if start_set and start_set.returned else planned)


def alert_session(key: str) -> str:
    """The session id an alert's ledger key names."""
    return key.split(":")[2]


def alert_times(session: Session) -> dict[str, tuple[datetime, datetime]]:
    """Each timed alert's (fire, stop) instants; none when the start time is unknown or the session is off."""
    if session.starts_at is None or session.status not in UPCOMING:
        return {}
    start = session.starts_at
    fire = {name: start - lead for name, lead in LEADS.items()}
    stop = {"24h": fire["1h"], "1h": start, "start": start + START_ALERT_USEFUL_FOR}
    return {name: (fire[name], stop[name]) for name in LEADS}


def alerting(sessions: Iterable[Session], now: datetime) -> list[Session]:
    """The sessions with an alert inside its window at `now`: only theirs may be due."""
    return [session for session in sessions if any(fire <= now < stop for fire, stop in alert_times(session).values())]


def due_alerts(
    subscription: Subscription, sessions: Iterable[Session], changes: Iterable[StatusChange], starts: Mapping[str, StartSet | None],
    now: datetime, late: timedelta, noticed: timedelta,
) -> list[Due]:
    """The alerts the subscription should get at `now`: timed ones at most `late` after they fire, or `noticed` after the
    edit that made them (and in their window), status changes at most `noticed` after them; none that came into being
    before the subscription did."""
    due = []
    wanted = set(subscription.alerts)
    for session in sessions:
        start_set = starts.get(session.id)
        for name, (fire, stop) in alert_times(session).items():
            # An alert whose time had passed when the session was moved (earlier) or added came into being with that edit:
            # every subscription there by then gets it, counted late from the edit as a status change is (the loop sees it
            # at its next look), not from its time: a session moved to 16 hours ahead had its 24 h alert's time 8 hours
            # before, past the catch-up window, and got no alert until its 1 h one.
            made = max(fire, start_set.at) if start_set else fire
            until = made + noticed if made > fire else fire + late
            if name in wanted and fire <= now < min(stop, until) and made >= subscription.active_since:
                due.append(Due(subscription, timed_key(name, session.id, session.starts_at or fire, start_set), "alert", fire))
    if "status" in wanted:
        for change in changes:
            if change.at >= subscription.active_since and change.at <= now < change.at + noticed:
                due.append(Due(subscription, alert_key("status", change.session, change.revision), "alert", change.at))
    return due


def still_due(key: str, sessions: Iterable[Session], changes: Iterable[StatusChange], starts: Mapping[str, StartSet | None]) -> bool:
    """Whether an alert claimed earlier still says what holds: its session is there, upcoming and at the start its key
    names; a status change not undone or followed by another."""
    name, session_id = key.split(":")[1], alert_session(key)
    session = next((s for s in sessions if s.id == session_id), None)
    if session is None:
        return False
    if name == "status":
        revision = int(key.rsplit(":", 1)[1])
        return not any(change.session == session_id and change.revision > revision for change in changes)
    start = session.starts_at
    return bool(alert_times(session)) and start is not None and timed_key(name, session_id, start, starts.get(session_id)) == key


def next_alert(subscription: Subscription, sessions: Iterable[Session], now: datetime) -> datetime | None:
    """The next timed alert of any session strictly after `now`, if any."""
    upcoming = [
        fire for session in sessions for name, (fire, _) in alert_times(session).items()
        if name in subscription.alerts and fire > now
    ]
    return min(upcoming, default=None)
