"""Turning dates, instants and durations into words from the catalogue, in the reader's locale."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.cldr import date_word, duration_word, pair_word, size_word, skeleton_word, zone_word
from bot.core.dates import FuzzyDate
from bot.core.model import Zone
from bot.core.replies import ITEMS_KEPT


@lru_cache(maxsize=ITEMS_KEPT)  # under list after list, on every platform: each written once per language
def page_position(number: int, count: int, cat: Catalogue) -> str:
    """"Page 1 of 2", "Página 1 de 2": where a paged answer stands."""
    return cat("page.position", number=number, count=count)


def day_label(day: date, cat: Catalogue) -> str:
    """"3 February 2026", "3 de febrero de 2026": CLDR's long date of the reader's language."""
    return date_word(day, "long", cat.cldr)


def fuzzy_label(when: FuzzyDate | None, cat: Catalogue) -> str:
    """A date in words, exactly as precise as it is: "2025", "September 2025", "Dec 2025 – Jan 2026"; or that there is none."""
    return cat("timeline.undated") if when is None else _fuzzy_label(when, cat.locale)


@lru_cache(maxsize=8192)
def _fuzzy_label(when: FuzzyDate, locale: str) -> str:
    """Cached: a pack has few distinct dates, and every list answer labels them again."""
    cat = catalogue_for(locale)
    if when.precision == "range":
        start_text, _, end_text = when.text.partition("/")
        start, end = FuzzyDate.parse(start_text), FuzzyDate.parse(end_text)
        same_year = start.precision == end.precision != "year" and start.first.year == end.last.year
        start_label = _without_year(start, cat) if same_year else fuzzy_label(start, cat)
        return cat("date.range", start=start_label, end=fuzzy_label(end, cat))
    if when.precision == "year":
        return str(when.first.year)
    if when.precision == "month":
        return skeleton_word("yMMMM", when.first, cat.cldr)
    return day_label(when.first, cat)


def _without_year(when: FuzzyDate, cat: Catalogue) -> str:
    """"31 January" or "September": the first half of a range that ends in the same year."""
    if when.precision == "day":
        return skeleton_word("MMMMd", when.first, cat.cldr)
    return date_word(when.first, "LLLL", cat.cldr)  # the stand-alone month name


def local_time_label(at: datetime, zone: Zone, cat: Catalogue) -> str:
    """"Tue 3 February 2026, 11:00 EST (Washington)" — the wall clock of one zone that matters, and which zone time it
    reads: tzdata's abbreviation, or CLDR's name of it for a language that writes none ("hora estándar oriental"). A zone
    labelled by that abbreviation ("UTC", a subscription's `tz:UTC`) names no place: "07:30 UTC", not "07:30 UTC (UTC)"."""
    local = at.astimezone(ZoneInfo(zone.zone))
    abbrev = zone_abbreviation(local)
    return cat(
        "time.local_unplaced" if zone.label == abbrev else "time.local",
        weekday=date_word(local.date(), "EEE", cat.cldr),
        weekday_full=date_word(local.date(), "EEEE", cat.cldr),
        day=day_label(local.date(), cat),
        clock=f"{local:%H:%M}",
        abbrev=abbrev,
        zone_name=zone_word(local, cat.cldr),
        place=zone.label,
    )


def utc_time_label(at: datetime, cat: Catalogue) -> str:
    """"7 December 2026, 06:19 UTC": an instant that belongs to no place (a revision, a change) in the reader's words,
    with its zone stated, where a bare ISO stamp read as digits and dashes."""
    instant = at.astimezone(UTC)
    return cat("time.utc", day=day_label(instant.date(), cat), clock=f"{instant:%H:%M}")


# Units of a fixed length, largest first, in minutes. Months and years are the calendar's (`calendar_months`): a count
# of fixed-length months is a day or more off on one side or the other ("9 months" for 3 February to 7 December).
_UNITS = (("day", 24 * 60), ("hour", 60), ("minute", 1))


def minutes_label(minutes: int, language: str) -> str:
    """A span of `minutes` whole minutes in its largest unit and the next one ("2 days and 3 hours")."""
    cat = catalogue_for(language)
    rest = minutes
    units = []
    for name, size in _UNITS:
        value, rest = divmod(rest, size)
        units.append((name, value))
    first = next((n for n, (_, value) in enumerate(units) if value), None)
    if first is None:
        return cat("unit.less_than_minute")
    shown = [units[first]] + [unit for unit in units[first + 1 : first + 2] if unit[1]]
    return _joined([_unit_label(value, name, cat.locale) for name, value in shown], language)


def calendar_months(earlier: datetime, later: datetime) -> int:
    """Whole calendar months from one instant to a later one, in UTC: 3 February to 7 December is 10."""
    start, end = earlier.astimezone(UTC), later.astimezone(UTC)
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - ((end.day, end.time()) < (start.day, start.time()))


def months_label(months: int, language: str) -> str:
    """A span of whole calendar months, in years and months ("1 year and 2 months", "10 months"), without its days: months
    of 28 to 31 days would make them a guess."""
    years, rest = divmod(months, 12)
    shown = [(years, "year"), (rest, "month")] if years else [(rest, "month")]
    return _joined([_unit_label(value, name, language) for value, name in shown if value], language)


def _joined(units: list[str], language: str) -> str:
    """One or two units of a span as the language lists two things ("2 days and 3 hours", "2 días y 3 horas"): two
    numbers side by side read as one ("2 días 2 horas")."""
    return units[0] if len(units) == 1 else pair_word(catalogue_for(language).cldr).format(*units)


# `minutes_label` runs for each count of minutes a countdown first shows (`status._countdown` keeps the field), and
# Babel's unit formatting is most of that label's work; the values are few (under 60 for most units), so each (value,
# unit, language) is formatted once.
@lru_cache(maxsize=4096)
def _unit_label(value: int, unit: str, language: str) -> str:
    """"3 hours", "1 día": CLDR's long form of a whole number of one unit."""
    return duration_word(value, unit, catalogue_for(language).cldr)


def size_label(count: int, language: str, *, cap: bool = False) -> str:
    """A size in bytes as people read it ("40 kB", "1 MB", "1.04 MB"): a file's rounded up and a `cap`'s down, so a
    file over a cap never reads as within it ("is 10.49 MB; … at most 10.48 MB")."""
    cldr = catalogue_for(language).cldr
    kilobytes = _rounded(count, 1000, cap)
    if kilobytes < 1000:
        return size_word(kilobytes, "kilobyte", cldr)
    return size_word(_rounded(count, 10_000, cap) / 100, "megabyte", cldr)


def _rounded(count: int, step: int, down: bool) -> int:
    """`count` in whole `step`s, rounded down or up."""
    return count // step if down else -(-count // step)


def zone_abbreviation(local: datetime) -> str:
    """"EST" where the zone has a name for it, else "UTC-5" rather than tzdata's bare "-05"."""
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = local.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
    hours, rest = divmod(minutes, 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
