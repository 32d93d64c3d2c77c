"""When is a subscription's digest due: pure functions of the subscription and an instant, DST-correct.

A local time that does not exist on a spring-forward day fires at the first valid minute after it; a
time that happens twice on a fall-back day fires at its first occurrence (and the ledger, keyed by
zone and local day, makes sure of once).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.digest.model import Due, Subscription

MINUTE = timedelta(minutes=1)
# A gap in local time is at most a day (Samoa skipped 30 December 2011); past that the day is skipped.
MAX_GAP_MINUTES = 24 * 60


def local_slot(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of `at` on local `day`, or the first valid minute after it; None if the day never happened.

    A gap may run past midnight (Nuuk's clocks go from 22:59 to 00:00): that day's digest still goes, at the
    next day's first minute, rather than the day having none.
    """
    found = _first_valid(datetime.combine(day, at), zone)
    if found is None:
        return None
    wall, instant = found
    if wall.date() == day:
        return instant
    start = _first_valid(datetime.combine(day, time(0)), zone)  # did any minute of the day happen (not Samoa's 30 December 2011)?
    return instant if start is not None and start[0].date() == day else None


def _first_valid(wall: datetime, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The first local time at or after the naive `wall` that exists in `zone`, with its UTC instant."""
    for step in range(MAX_GAP_MINUTES + 1):
        candidate = (wall + step * MINUTE).replace(tzinfo=zone)  # fold=0: the first of a repeated time
        instant = candidate.astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == candidate.replace(tzinfo=None):
            return candidate.replace(tzinfo=None), instant
    return None


def digest_key(zone: str, day: date) -> str:
    """The ledger key of a subscription's digest for one local day of one zone.

    The zone is part of it: after a change of zone, the new zone's days are not taken for the old one's (Tokyo's 10
    March, sent, is not Honolulu's, still to come), and a change back finds the days it sent.
    """
    return f"digest:{zone}:{day.isoformat()}"


def digest_day(key: str) -> date:
    """The local day a digest's ledger key is for: its title's day (not always its slot's, after a gap past midnight)."""
    return date.fromisoformat(key.rsplit(":", 1)[1])


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
            return Due(subscription, digest_key(subscription.zone, day), "digest", slot)
    return None


def next_digest(subscription: Subscription, now: datetime) -> datetime:
    """The first digest slot strictly after `now`."""
    return next_due(subscription, now).at


def next_due(subscription: Subscription, now: datetime) -> Due:
    """The first digest strictly after `now`, keyed by the local day it is for."""
    zone = ZoneInfo(subscription.zone)
    day = now.astimezone(zone).date()
    for offset in range(-1, 3):  # yesterday's slot may come today, after a gap past midnight
        slot_day = day + timedelta(days=offset)
        slot = local_slot(slot_day, subscription.time, zone)
        if slot is not None and slot > now:
            return Due(subscription, digest_key(subscription.zone, slot_day), "digest", slot)
    return Due(subscription, digest_key(subscription.zone, day + timedelta(days=1)), "digest", now + timedelta(days=1))  # unreachable for real zones; keeps the loop bounded
