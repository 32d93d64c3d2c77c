"""Which meeting alerts are due: pure functions of the meeting, its status changes and an instant.

An alert's ledger key carries the start time it was planned for, so when an admin moves the meeting
the old alerts are simply never due again and new ones are planned for the new time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.digest.model import Due, Subscription
from bot.core.model import Meeting

# How long before the start each alert fires, and until when it is still worth sending.
LEADS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1), "start": timedelta(0)}
START_ALERT_USEFUL_FOR = timedelta(hours=1)
UPCOMING = ("scheduled", "in_progress")


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A revision that changed the meeting's status (an edit, an undo, or a whole pack loaded)."""

    revision: int
    at: datetime
    before: str
    after: str


def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def alert_times(meeting: Meeting) -> dict[str, tuple[datetime, datetime]]:
    """Each timed alert's (fire, stop) instants; none when the start is unknown or the meeting is off."""
    if meeting.starts_at is None or meeting.status not in UPCOMING:
        return {}
    start = meeting.starts_at
    fire = {name: start - lead for name, lead in LEADS.items()}
    stop = {"24h": fire["1h"], "1h": start, "start": start + START_ALERT_USEFUL_FOR}
    return {name: (fire[name], stop[name]) for name in LEADS}


def due_alerts(
    subscription: Subscription, meeting: Meeting, changes: Iterable[StatusChange], now: datetime, catch_up: timedelta
) -> list[Due]:
    """The alerts the subscription should get at `now`: timed ones in their window, status changes in `catch_up`."""
    due = []
    wanted = set(subscription.alerts)
    for name, (fire, stop) in alert_times(meeting).items():
        if name in wanted and fire <= now < min(stop, fire + catch_up) and fire >= subscription.active_since:
            due.append(Due(subscription, f"alert:{name}:{_stamp(meeting.starts_at or fire)}", "alert", fire))
    if "status" in wanted:
        for change in changes:
            if change.at >= subscription.active_since and change.at <= now < change.at + catch_up:
                due.append(Due(subscription, f"alert:status:{change.revision}", "alert", change.at))
    return due


def next_alert(subscription: Subscription, meeting: Meeting, now: datetime) -> datetime | None:
    """The next timed alert strictly after `now`, if any."""
    upcoming = [fire for name, (fire, _) in alert_times(meeting).items() if name in subscription.alerts and fire > now]
    return min(upcoming, default=None)
