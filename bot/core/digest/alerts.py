"""Which session alerts are due: pure functions of the sessions, their status changes and an instant.

An alert's ledger key carries its session's id and the start it was planned for
(`alert:24h:<session>:<start>`), so when an admin moves one session its old alerts are simply never due
again, new ones are planned for the new time, and the other sessions' alerts stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def alert_key(name: str, session: str, planned: str | int) -> str:
    """The ledger key of one alert: its name, its session, and the start (or status revision) it is for."""
    return f"alert:{name}:{session}:{planned}"


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


def due_alerts(
    subscription: Subscription, sessions: Iterable[Session], changes: Iterable[StatusChange], now: datetime, late: timedelta,
    noticed: timedelta,
) -> list[Due]:
    """The alerts the subscription should get at `now`: timed ones at most `late` after they fire (and in their window),
    status changes at most `noticed` after them."""
    due = []
    wanted = set(subscription.alerts)
    for session in sessions:
        for name, (fire, stop) in alert_times(session).items():
            if name in wanted and fire <= now < min(stop, fire + late) and fire >= subscription.active_since:
                due.append(Due(subscription, alert_key(name, session.id, _stamp(session.starts_at or fire)), "alert", fire))
    if "status" in wanted:
        for change in changes:
            if change.at >= subscription.active_since and change.at <= now < change.at + noticed:
                due.append(Due(subscription, alert_key("status", change.session, change.revision), "alert", change.at))
    return due


def next_alert(subscription: Subscription, sessions: Iterable[Session], now: datetime) -> datetime | None:
    """The next timed alert of any session strictly after `now`, if any."""
    upcoming = [
        fire for session in sessions for name, (fire, _) in alert_times(session).items()
        if name in subscription.alerts and fire > now
    ]
    return min(upcoming, default=None)
