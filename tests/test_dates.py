"""FuzzyDate: a date exactly as precise as its source (year, month, day or a range of those)."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.dates import FIRST_YEAR, LAST_YEAR, FuzzyDate, parse_part

# FuzzyDate.parse accepts the years every computation can handle (tests/test_date_range.py).
YEARS = st.integers(min_value=FIRST_YEAR, max_value=LAST_YEAR)
DAYS = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31))
# Same examples on every run, and no example database written into the work tree.
DETERMINISTIC = settings(derandomize=True, database=None, max_examples=200)


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "year"),
        ("2025-09", date(2025, 9, 1), date(2025, 9, 30), "month"),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31), "month"),
        ("2025-02", date(2025, 2, 1), date(2025, 2, 28), "month"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),  # leap year
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29), "month"),  # divisible by 400: leap
        ("1900-02", date(1900, 2, 1), date(1900, 2, 28), "month"),  # divisible by 100: not leap
        ("2026-02-03", date(2026, 2, 3), date(2026, 2, 3), "day"),
        ("2024-02-29", date(2024, 2, 29), date(2024, 2, 29), "day"),
        ("2025-12/2026-01", date(2025, 12, 1), date(2026, 1, 31), "range"),
        ("2025-01/2026-02", date(2025, 1, 1), date(2026, 2, 28), "range"),
        ("2026-01-31/2026-02-01", date(2026, 1, 31), date(2026, 2, 1), "range"),
        ("2025/2026-01-15", date(2025, 1, 1), date(2026, 1, 15), "range"),
        ("2025-01/2025-01", date(2025, 1, 1), date(2025, 1, 31), "range"),
        ("2025/2025", date(2025, 1, 1), date(2025, 12, 31), "range"),
    ],
)
def test_parse_gives_span_and_precision(text: str, first: date, last: date, precision: str) -> None:
    parsed = FuzzyDate.parse(text)
    assert (parsed.first, parsed.last, parsed.precision) == (first, last, precision)
    assert parsed.text == text  # the written form is kept, never normalised to a datetime


def test_surrounding_whitespace_is_ignored_and_range_text_normalised() -> None:
    assert FuzzyDate.parse("  2025-09 \n") == FuzzyDate.parse("2025-09")
    spaced = FuzzyDate.parse("2025-12 / 2026-01")
    assert spaced.text == "2025-12/2026-01"
    assert spaced.precision == "range"
    assert (spaced.first, spaced.last) == (date(2025, 12, 1), date(2026, 1, 31))


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "tomorrow",
        "2025-13",
        "2025-00",
        "2025-02-30",
        "2025-02-29",  # not a leap year
        "2025-04-31",
        "2025-09-00",
        "0000",  # year 0 does not exist
        "25",
        "20250",
        "2025-9",
        "2025-09-3",
        "2025/09/03",
        "2025-09-03T11:00",
        "09-2025",
        "2025-",
        "2025/",
        "/2025",
        "2025/2024",  # reversed range
        "2025-02/2025-01",
        "2026-02-03/2026-02-02",
        "2025/2026/2027",
        "2025-09 2025-10",
        "-2025",
        "+2025",
    ],
)
def test_garbage_is_rejected(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any ValueError is the parser's "not a date"
        FuzzyDate.parse(text)


def test_parse_part_rejects_what_parse_rejects() -> None:
    assert parse_part("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    with pytest.raises(ValueError):  # noqa: PT011 - any ValueError is the parser's "not a date"
        parse_part("2024-02/2024-03")  # a range is not a part


@pytest.mark.parametrize(
    ("text", "first", "last", "expected"),
    [
        # A month overlaps every window that touches any of its days…
        ("2025-09", date(2025, 9, 30), date(2025, 10, 5), True),
        ("2025-09", date(2025, 8, 1), date(2025, 9, 1), True),
        ("2025-09", date(2025, 9, 10), date(2025, 9, 12), True),  # window inside the month
        ("2025-09", date(2025, 1, 1), date(2025, 12, 31), True),  # month inside the window
        # …and no window that ends the day before or starts the day after.
        ("2025-09", date(2025, 8, 1), date(2025, 8, 31), False),
        ("2025-09", date(2025, 10, 1), date(2025, 10, 31), False),
        ("2026-02-03", date(2026, 2, 3), date(2026, 2, 3), True),
        ("2026-02-03", date(2026, 2, 4), date(2026, 2, 10), False),
        ("2026-02-03", date(2026, 1, 1), date(2026, 2, 2), False),
        ("2025", date(2025, 12, 31), date(2026, 1, 1), True),
        ("2025", date(2026, 1, 1), date(2026, 12, 31), False),
        ("2025-12/2026-01", date(2026, 1, 31), date(2026, 3, 1), True),
        ("2025-12/2026-01", date(2025, 11, 1), date(2025, 11, 30), False),
        ("2025-12/2026-01", date(2026, 2, 1), date(2026, 2, 28), False),
    ],
)
def test_overlaps(text: str, first: date, last: date, expected: bool) -> None:
    assert FuzzyDate.parse(text).overlaps(first, last) is expected


def test_dates_order_by_first_day() -> None:
    written = ["2026-02-03", "2025", "2025-12/2026-01", "2025-09", "2025-01-15"]
    ordered = [d.text for d in sorted(FuzzyDate.parse(t) for t in written)]
    assert ordered == ["2025", "2025-01-15", "2025-09", "2025-12/2026-01", "2026-02-03"]


@DETERMINISTIC
@given(DAYS)
def test_any_day_round_trips_to_itself(day: date) -> None:
    parsed = FuzzyDate.parse(day.isoformat())
    assert parsed.first == parsed.last == day
    assert parsed.precision == "day"
    assert parsed.text == day.isoformat()


@DETERMINISTIC
@given(YEARS, st.integers(min_value=1, max_value=12))
def test_any_month_spans_exactly_its_days(year: int, month: int) -> None:
    parsed = FuzzyDate.parse(f"{year:04d}-{month:02d}")
    assert parsed.precision == "month"
    assert parsed.first == date(year, month, 1)
    assert parsed.first <= parsed.last
    assert (parsed.last - parsed.first).days + 1 == calendar.monthrange(year, month)[1]
    # Independently of the calendar module: February has 29 days exactly in leap years.
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        assert parsed.last.day == (29 if leap else 28)


@DETERMINISTIC
@given(YEARS)
def test_any_year_spans_the_whole_year(year: int) -> None:
    parsed = FuzzyDate.parse(f"{year:04d}")
    assert parsed.precision == "year"
    assert (parsed.first, parsed.last) == (date(year, 1, 1), date(year, 12, 31))
    assert (parsed.last - parsed.first).days + 1 == (366 if calendar.isleap(year) else 365)


@DETERMINISTIC
@given(DAYS, DAYS)
def test_any_range_is_accepted_only_in_order(a: date, b: date) -> None:
    text = f"{a.isoformat()}/{b.isoformat()}"
    if b < a:
        with pytest.raises(ValueError):  # noqa: PT011 - any ValueError is the parser's "not a date"
            FuzzyDate.parse(text)
    else:
        parsed = FuzzyDate.parse(text)
        assert (parsed.first, parsed.last, parsed.precision) == (a, b, "range")
        assert parsed.overlaps(a, a) and parsed.overlaps(b, b)


@DETERMINISTIC
@given(st.text(max_size=30))
def test_arbitrary_text_parses_or_raises_value_error(text: str) -> None:
    try:
        parsed = FuzzyDate.parse(text)
    except ValueError:
        return
    assert parsed.first <= parsed.last
    assert parsed.precision in ("year", "month", "day", "range")


@pytest.mark.parametrize("text", ["２０２５", "٢٠٢٥-٠٩"])
def test_non_ascii_digits_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any ValueError is the parser's "not a date"
        FuzzyDate.parse(text)
