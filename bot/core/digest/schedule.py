"""When is a subscription's digest due: pure functions of the subscription and an instant, DST-correct.

A local time that does not exist on a spring-forward day fires at the first valid minute after it; a
time that happens twice on a fall-back day fires at its first occurrence (and the ledger, keyed by
local day, makes sure of once).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.digest.model import Due, Subscription

MINUTE = timedelta(minutes=1)
# A gap in local time is at most a day (Samoa skipped 30 December 2011); past that the day is skipped.
MAX_GAP_MINUTES = 24 * 60


def local_slot(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of `at` on local `day`, or the first valid minute after it; None if the day never happened."""
    wall = datetime.combine(day, at)
    for step in range(MAX_GAP_MINUTES + 1):
        candidate = (wall + step * MINUTE).replace(tzinfo=zone)  # fold=0: the first of a repeated time
        instant = candidate.astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == candidate.replace(tzinfo=None):
            return instant if candidate.date() == day else None
    return None


def digest_key(day: date) -> str:
    """The ledger key of a subscription's digest for one local day."""
    return f"digest:{day.isoformat()}"


def passed_slots(subscription: Subscription, now: datetime) -> list[tuple[date, datetime]]:
    """The (local) digest slots of the last three days that have come by `now`, the latest first, each with its day.

    Three, so one is there even after a day that never happened (Samoa's 30 December 2011).
    """
    zone = ZoneInfo(subscription.zone)
    today = now.astimezone(zone).date()
    slots = ((day, local_slot(day, subscription.time, zone)) for day in (today - timedelta(days=back) for back in range(3)))
    return [(day, slot) for day, slot in slots if slot is not None and slot <= now]


def due_digest(subscription: Subscription, now: datetime, catch_up: timedelta) -> Due | None:
    """The digest that should go out at `now`: the latest slot, if it passed less than `catch_up` ago."""
    for day, slot in passed_slots(subscription, now):
        if now < slot + catch_up and slot >= subscription.active_since:
            return Due(subscription, digest_key(day), "digest", slot)
    return None


def next_digest(subscription: Subscription, now: datetime) -> datetime:
    """The first digest slot strictly after `now`."""
    zone = ZoneInfo(subscription.zone)
    day = now.astimezone(zone).date()
    for offset in range(3):
        slot = local_slot(day + timedelta(days=offset), subscription.time, zone)
        if slot is not None and slot > now:
            return slot
    return now + timedelta(days=1)  # unreachable for real zones; keeps the loop bounded
