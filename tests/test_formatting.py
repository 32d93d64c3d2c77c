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
from bot.core.formatting import calendar_months, fuzzy_label, local_time_label, minutes_label, months_label, size_label
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
        (timedelta(days=2, hours=3, minutes=59), "2 days and 3 hours"),
        (timedelta(days=1), "1 day"),
        (timedelta(hours=1, minutes=1), "1 hour and 1 minute"),
        (timedelta(minutes=40, seconds=59), "40 minutes"),
        (timedelta(seconds=59), "less than a minute"),
        (-timedelta(minutes=40), "40 minutes"),
        (timedelta(days=40, minutes=5), "40 days"),  # a span's minutes alone say no months: `calendar_months` does
        (timedelta(days=3, hours=2, minutes=5), "3 days and 2 hours"),
    ],
)
def test_duration_shows_the_largest_unit_and_the_next(span, label):
    assert minutes_label(abs(span) // timedelta(minutes=1), CAT.locale) == label


@pytest.mark.parametrize(
    ("now", "label"),
    [
        (datetime(2026, 12, 7, 12, 30, tzinfo=UTC), "was due to start 10 months ago"),  # 10 months and 4 days: 31-day months said 9
        (datetime(2026, 3, 3, 16, 0, tzinfo=UTC), "was due to start 1 month ago"),
        (datetime(2026, 3, 3, 15, 59, tzinfo=UTC), "was due to start 27 days and 23 hours ago"),  # a minute short of the month
        (datetime(2027, 2, 3, 16, 0, tzinfo=UTC), "was due to start 1 year ago"),
        (datetime(2027, 4, 4, 0, 0, tzinfo=UTC), "was due to start 1 year and 2 months ago"),
        (datetime(2025, 4, 7, 12, 0, tzinfo=UTC), "in 9 months"),  # 9 months and 27 days: the days are left out, not rounded up
    ],
)
def test_a_countdown_of_months_counts_the_calendars(now, label):
    session = read_pack(Path(__file__).parent.parent / "data" / "petro-trump-2026.yaml").sessions[0]
    assert status_field(session, now, CAT).value.startswith(f"Scheduled · {label}")


@settings(max_examples=500)
@given(start=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)), minutes=st.integers(1, 10 * 525_960))
def test_a_span_in_months_is_the_calendars(start, minutes):
    """Counted in months, a span says the calendar's whole months; one under 28 days is in days, hours and minutes."""
    earlier = start.replace(tzinfo=UTC)
    later = earlier + timedelta(minutes=minutes)
    calendar = (later.year - earlier.year) * 12 + later.month - earlier.month - ((later.day, later.time()) < (earlier.day, earlier.time()))
    assert calendar_months(earlier, later) == calendar
    label = months_label(calendar, "en") if calendar else minutes_label(minutes, "en")
    years = int(label.split(" year")[0]) if " year" in label else 0
    months = int(label.split(" month")[0].split()[-1]) if " month" in label else 0
    if calendar:
        assert years * 12 + months == calendar and " day" not in label, label
    else:
        assert minutes < 31 * 24 * 60 and " month" not in label, label


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


def test_spanish_local_time_writes_the_weekday_in_full_and_names_the_zone_time():
    winter, summer = datetime(2026, 2, 3, 16, tzinfo=UTC), datetime(2026, 7, 3, 15, tzinfo=UTC)
    assert local_time_label(winter, WASHINGTON, ES) == "martes, 3 de febrero de 2026, 11:00 hora estándar oriental (Washington)"
    assert local_time_label(summer, WASHINGTON, ES) == "viernes, 3 de julio de 2026, 11:00 hora de verano oriental (Washington)"
    assert local_time_label(winter, BOGOTA, ES).endswith("11:00 hora estándar de Colombia (Bogotá)")


@pytest.mark.parametrize(("month", "name"), [(1, "hora del meridiano de Greenwich"), (7, "hora estándar de Irlanda")])
def test_a_zone_whose_tzdata_summer_is_its_standard_time_is_named_as_cldr_names_it(month, name):
    """tzdata gives Dublin's winter a negative DST; CLDR calls its winter GMT and its summer Irish Standard Time."""
    assert local_time_label(datetime(2026, month, 3, 12, tzinfo=UTC), Zone("Europe/Dublin", "Dublín"), ES).endswith(f" {name} (Dublín)")


def test_a_zone_without_a_cldr_name_shows_its_offset_in_spanish():
    assert local_time_label(datetime(2026, 2, 3, 16, tzinfo=UTC), Zone("Etc/GMT+5", "Mar"), ES).endswith("11:00 GMT-05:00 (Mar)")


@pytest.mark.parametrize(
    ("span", "label"),
    [
        (timedelta(days=2, hours=4), "2 días y 4 horas"),
        (timedelta(days=1, minutes=1), "1 día"),
        (timedelta(hours=1, minutes=1), "1 hora y 1 minuto"),
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
        months = calendar_months(*sorted((now, session.starts_at)))
        label = months_label(months, CAT.locale) if months else minutes_label(minutes, CAT.locale)
        if not span:  # the very instant of the start: "now", as the start alert's title says, for that instant only
            assert (field.value, through) == ("Scheduled · due to start now", now)
            continue
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
        (started, before, CAT, "In progress"),  # set before the start: no countdown that says it has not begun
        (session, after, CAT, "Scheduled · was due to start 5 minutes ago; no update recorded since"),
        (session, session.starts_at, CAT, "Scheduled · due to start now"),
        (session, session.starts_at, ES, "Programada · debe empezar ahora"),
        (started, session.starts_at, CAT, "In progress · started less than a minute ago"),
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
    started = msgspec.structs.replace(session, status="in_progress")
    for asked in (session, started):
        for now in [session.starts_at + shift for shift in shifts] + [session.starts_at - shift for shift in shifts]:
            field, through = status_until(asked, now, CAT)
            assert now <= through and status_field(asked, through, CAT) == field, now
            if abs(now - session.starts_at) < timedelta(hours=1):
                assert status_field(asked, through + tick, CAT) != field, now


@pytest.mark.parametrize(("language", "sizes"), [("en", ["40 kB", "1 MB", "1.04 MB", "100 MB"]), ("es", ["40 kB", "1 MB", "1,04 MB", "100 MB"])])
def test_a_size_reads_the_readers_way_and_one_over_a_cap_never_as_the_cap(language: str, sizes: list[str]) -> None:
    assert [size_label(count, language) for count in (40_000, 1_000_000, 1_040_000, 100_000_000)] == sizes
    assert (size_label(1_000_001, "en"), size_label(1_000_000, "en", cap=True)) == ("1.01 MB", "1 MB")
    assert (size_label(10_485_761, "en"), size_label(10_485_760, "en", cap=True)) == ("10.49 MB", "10.48 MB")
