"""Dates, times and spans in words: as precise as the source, in each zone's own clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.catalogue import Catalogue
from bot.core.dates import FuzzyDate
from bot.core.formatting import fuzzy_label, local_time_label, minutes_label
from bot.core.model import Zone
from bot.core.status import status_field, status_until
from bot.store.packfile import read_pack

CAT = Catalogue()
WASHINGTON = Zone("America/New_York", "Washington")
BOGOTA = Zone("America/Bogota", "Bogotá")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2025", "2025"),
        ("2025-09", "September 2025"),
        ("2026-01-03", "3 January 2026"),
        ("2025-12/2026-01", "December 2025 – January 2026"),
        ("2026-01-31/2026-02-01", "31 January – 1 February 2026"),
        ("2025-09/2025-10", "September – October 2025"),
        ("2025/2026", "2025 – 2026"),
        ("2025-09/2026-02-02", "September 2025 – 2 February 2026"),
    ],
)
def test_fuzzy_labels_keep_the_source_precision(text, label):
    assert fuzzy_label(FuzzyDate.parse(text), CAT) == label


def test_local_times_follow_daylight_saving():
    winter = datetime(2026, 2, 3, 16, tzinfo=UTC)
    summer = datetime(2026, 7, 3, 15, tzinfo=UTC)
    assert local_time_label(winter, WASHINGTON, CAT) == "Tue 3 February 2026, 11:00 EST (Washington)"
    assert local_time_label(summer, WASHINGTON, CAT) == "Fri 3 July 2026, 11:00 EDT (Washington)"
    # Bogotá keeps UTC-5 all year, and tzdata has no letters for it.
    assert local_time_label(summer, BOGOTA, CAT) == "Fri 3 July 2026, 10:00 UTC-5 (Bogotá)"


def test_half_hour_offsets_are_shown_in_full():
    zone = Zone("Asia/Kolkata", "Delhi")
    assert local_time_label(datetime(2026, 2, 3, 16, tzinfo=UTC), zone, CAT).endswith("21:30 IST (Delhi)")
    kathmandu = Zone("Asia/Kathmandu", "Kathmandu")
    assert "21:45 UTC+5:45 (Kathmandu)" in local_time_label(datetime(2026, 2, 3, 16, tzinfo=UTC), kathmandu, CAT)


@pytest.mark.parametrize(
    ("span", "label"),
    [
        (timedelta(days=2, hours=3, minutes=59), "2 days 3 hours"),
        (timedelta(days=1), "1 day"),
        (timedelta(hours=1, minutes=1), "1 hour 1 minute"),
        (timedelta(minutes=40, seconds=59), "40 minutes"),
        (timedelta(seconds=59), "less than a minute"),
        (-timedelta(minutes=40), "40 minutes"),
        (timedelta(days=294, minutes=5), "9 months"),  # months alone: their days would be a guess
        (timedelta(days=302), "9 months"),  # 7 April to 3 February: 9 months 27 days, where 30-day months said 10 months 2 days
        (timedelta(days=400), "1 year 1 month"),
        (timedelta(days=3, hours=2, minutes=5), "3 days 2 hours"),
    ],
)
def test_duration_shows_the_largest_unit_and_the_next(span, label):
    assert minutes_label(abs(span) // timedelta(minutes=1), CAT.locale) == label


@settings(max_examples=500, deadline=None)
@given(start=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)), minutes=st.integers(1, 10 * 525_960))
def test_a_span_in_months_is_never_more_than_the_calendars(start, minutes):
    """Counted in months, a span says the calendar's months or one fewer, never one more; shorter ones are exact."""
    end = start + timedelta(minutes=minutes)
    calendar = (end.year - start.year) * 12 + end.month - start.month - ((end.day, end.time()) < (start.day, start.time()))
    label = minutes_label(minutes, "en")
    years = int(label.split(" year")[0]) if " year" in label else 0
    months = int(label.split(" month")[0].split()[-1]) if " month" in label else 0
    if " day" in label or " hour" in label or " minute" in label:
        assert not years and not months and minutes < 31 * 24 * 60, label
    else:
        assert calendar - 1 <= years * 12 + months <= calendar, (label, calendar)


ES = Catalogue("es-419")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2025-09", "septiembre de 2025"),
        ("2026-02-03", "3 de febrero de 2026"),
        ("2026-01-31/2026-02-01", "31 de enero – 1 de febrero de 2026"),
        ("2025-09/2025-10", "septiembre – octubre de 2025"),
    ],
)
def test_spanish_dates_come_from_cldr(text, label):
    assert fuzzy_label(FuzzyDate.parse(text), ES) == label


def test_spanish_local_time_writes_the_weekday_in_full():
    winter = datetime(2026, 2, 3, 16, tzinfo=UTC)
    assert local_time_label(winter, WASHINGTON, ES) == "martes, 3 de febrero de 2026, 11:00 (Washington)"


@pytest.mark.parametrize(
    ("span", "label"),
    [
        (timedelta(days=2, hours=4), "2 días 4 horas"),
        (timedelta(days=1, minutes=1), "1 día"),
        (timedelta(hours=1, minutes=1), "1 hora 1 minuto"),
        (timedelta(minutes=40), "40 minutos"),
        (timedelta(seconds=5), "menos de un minuto"),
    ],
)
def test_spanish_durations_come_from_cldr(span, label):
    assert minutes_label(abs(span) // timedelta(minutes=1), ES.locale) == label


def test_a_countdown_counts_the_whole_minutes_dividing_the_timedeltas_gives():
    """The countdown's minutes, read from the span's fields, and its last instant, from the start, for spans either side
    of the start, to the microsecond: what dividing the timedeltas gives."""
    pack = read_pack(Path(__file__).parent.parent / "data" / "petro-trump-2026.yaml")
    session, tick, minute = pack.sessions[0], timedelta(microseconds=1), timedelta(minutes=1)
    assert session.starts_at is not None
    rng = random.Random(24)
    spans = [timedelta(microseconds=rng.randrange(-10**15, 10**15)) for _ in range(2000)]
    spans += [timedelta(0), tick, -tick, minute, -minute, minute - tick, tick - minute, timedelta(days=1), -timedelta(days=1)]
    for span in spans:
        now = session.starts_at - span
        minutes, beyond = divmod(abs(span), minute)
        field, through = status_until(session, now, CAT)
        label = minutes_label(minutes, CAT.locale)
        countdown = f"in {label}" if span > timedelta(0) else f"was due to start {label} ago; no update recorded since"
        assert field.value == f"Scheduled · {countdown}", span
        last = (beyond if minutes else beyond - tick) if span > timedelta(0) else minute - tick - beyond
        assert through == now + last, span


def test_a_countdown_kept_for_its_minutes_follows_the_status_the_side_of_the_start_and_the_language():
    """Each minute's countdown is written once: the same minutes before and after the start, for another status or in
    another language, is another line, and each asking gets its own."""
    pack = read_pack(Path(__file__).parent.parent / "data" / "petro-trump-2026.yaml")
    session = pack.sessions[0]
    assert session.starts_at is not None and session.status == "scheduled"
    started = msgspec.structs.replace(session, status="in_progress")
    before, after = session.starts_at - timedelta(minutes=5), session.starts_at + timedelta(minutes=5, seconds=1)
    asked = [
        (session, before, CAT, "Scheduled · in 5 minutes"),
        (started, before, CAT, "In progress · in 5 minutes"),
        (session, after, CAT, "Scheduled · was due to start 5 minutes ago; no update recorded since"),
        (started, after, CAT, "In progress · started 5 minutes ago"),
        (session, before, ES, "Programada · en 5 minutos"),
    ]
    for _ in range(2):  # written, then kept
        for asked_session, now, cat, line in asked:
            assert status_field(asked_session, now, cat).value == line, (asked_session.status, now, cat.locale)


def test_a_status_reads_the_same_through_its_last_instant_and_no_further():
    """Before, at and after a start, `status_until`'s last instant still reads the same line; within an hour of the
    start, where the line counts minutes, the next instant does not."""
    pack = read_pack(Path(__file__).parent.parent / "data" / "petro-trump-2026.yaml")
    session, tick = pack.sessions[0], timedelta(microseconds=1)
    assert session.starts_at is not None and session.status == "scheduled"
    shifts = [timedelta(0), tick, timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=1, seconds=59, microseconds=7), timedelta(days=3, hours=2)]
    for now in [session.starts_at + shift for shift in shifts] + [session.starts_at - shift for shift in shifts]:
        field, through = status_until(session, now, CAT)
        assert now <= through and status_field(session, through, CAT) == field, now
        if abs(now - session.starts_at) < timedelta(hours=1):
            assert status_field(session, through + tick, CAT) != field, now
