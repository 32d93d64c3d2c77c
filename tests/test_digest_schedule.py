"""The pure schedule: one slot per local day at the right minute, DST gaps and repeats, the catch-up window."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.digest.model import Subscription
from bot.core.digest.schedule import due_digest, local_slot, next_digest

NEW_YORK, BOGOTA = ZoneInfo("America/New_York"), ZoneInfo("America/Bogota")
SIX_HOURS = timedelta(hours=6)


def subscription(at: time, zone: str, since: datetime = datetime(2000, 1, 1, tzinfo=UTC)) -> Subscription:
    return Subscription(
        id=1, platform="discord", channel_id="c1", team_id="", briefing_id="b", time=at, zone=zone, quiet=False,
        alerts=(), active=True, paused_reason="", created_by="u", active_since=since, seen_revision=0,
    )


def test_spring_forward_gap_fires_at_the_first_valid_minute():
    # 8 March 2026: New York clocks jump from 02:00 EST to 03:00 EDT.
    slot = local_slot(date(2026, 3, 8), time(2, 30), NEW_YORK)
    assert slot == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert slot.astimezone(NEW_YORK).strftime("%H:%M %Z") == "03:00 EDT"


def test_fall_back_repeat_fires_at_the_first_occurrence():
    # 1 November 2026: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    slot = local_slot(date(2026, 11, 1), time(1, 30), NEW_YORK)
    assert slot == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_a_gap_past_midnight_fires_at_the_next_days_first_minute():
    # 28 March 2026 in Nuuk: 22:59 (-02) is followed by 00:00 (-01) on the 29th.
    assert local_slot(date(2026, 3, 28), time(23, 30), ZoneInfo("America/Nuuk")) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_a_day_that_never_happened_has_no_slot():
    assert local_slot(date(2011, 12, 30), time(7, 30), ZoneInfo("Pacific/Apia")) is None


@pytest.mark.parametrize(("zone", "at"), [("America/New_York", time(7, 30)), ("America/New_York", time(2, 30)),
                                          ("America/New_York", time(1, 30)), ("America/Bogota", time(7, 30))])
def test_one_due_slot_per_local_day_for_a_year(zone, at):
    """Walking the year minute by minute around each slot: due exactly from the slot, once per local day."""
    tz = ZoneInfo(zone)
    sub = subscription(at, zone)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    days = []
    for _ in range(365):
        slot = next_digest(sub, now)
        due = due_digest(sub, slot, SIX_HOURS)
        assert due is not None and due.at == slot
        early = due_digest(sub, slot - timedelta(minutes=1), SIX_HOURS)
        assert early is None or early.key != due.key  # a minute early, only yesterday's (caught up) is due
        local = slot.astimezone(tz)
        expected = datetime.combine(local.date(), at)
        # The slot is the wanted wall time, or (in a spring-forward gap) the first minute after it.
        assert local.replace(tzinfo=None) >= expected and local.replace(tzinfo=None) - expected <= timedelta(hours=1)
        days.append(local.date())
        now = slot
    assert days == [days[0] + timedelta(days=n) for n in range(365)]


def test_catch_up_window_sends_late_but_not_too_late():
    sub = subscription(time(7, 30), "America/Bogota")
    slot = datetime(2026, 2, 3, 12, 30, tzinfo=UTC)  # 07:30 in Bogotá
    assert due_digest(sub, slot + timedelta(hours=5, minutes=59), SIX_HOURS).key == "digest:America/Bogota:2026-02-03"
    assert due_digest(sub, slot + SIX_HOURS, SIX_HOURS) is None
    early = due_digest(sub, slot - timedelta(seconds=1), SIX_HOURS)
    assert early is None or early.key != "digest:America/Bogota:2026-02-03"


def test_yesterdays_slot_is_caught_up_after_local_midnight():
    sub = subscription(time(23, 0), "America/Bogota")
    late = datetime(2026, 2, 4, 6, 0, tzinfo=UTC)  # 01:00 on the 4th in Bogotá, two hours after the slot
    assert due_digest(sub, late, SIX_HOURS).key == "digest:America/Bogota:2026-02-03"


def test_nothing_scheduled_before_the_subscription_is_due():
    since = datetime(2026, 2, 3, 12, 35, tzinfo=UTC)  # subscribed five minutes after today's 07:30
    sub = subscription(time(7, 30), "America/Bogota", since)
    assert due_digest(sub, since + timedelta(minutes=1), SIX_HOURS) is None
    assert next_digest(sub, since) == datetime(2026, 2, 4, 12, 30, tzinfo=UTC)


@settings(max_examples=300)
@given(
    st.sampled_from(["America/New_York", "America/Bogota", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"]),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)),
)
def test_next_slot_is_the_first_due_instant(zone, at, naive):
    """next_digest is never in the past, and at it (not a minute before) that local day's digest is due."""
    now = naive.replace(tzinfo=UTC)
    sub = subscription(at, zone)
    slot = next_digest(sub, now)
    assert now < slot <= now + timedelta(days=2)
    due = due_digest(sub, slot, SIX_HOURS)
    assert due is not None and due.at == slot
    before = due_digest(sub, slot - timedelta(minutes=1), SIX_HOURS)
    assert before is None or before.key != due.key
