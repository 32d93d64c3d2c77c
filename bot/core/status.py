"""A session's status in words, relative to the request's "now", and its start in each zone that matters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.cldr import city_word
from bot.core.formatting import calendar_months, fuzzy_label, local_time_label, minutes_label, months_label
from bot.core.model import Briefing, Session, Zone
from bot.core.replies import Field
from bot.core.sessions import WAITING, last_moment, on_their_day

# A status that no longer counts down: its line is the status alone.
_SETTLED = ("concluded", "postponed", "cancelled")
# A status whose start will not come: the time announced is what the session was due at.
_CALLED_OFF = ("postponed", "cancelled")
# Stands for the span in a status line written once per language (no catalogue message holds a NUL).
_SPAN = "\0"
_NOTHING, _TICK, _MINUTE, _DAY = timedelta(0), timedelta(microseconds=1), timedelta(minutes=1), timedelta(days=1)
_END = datetime.max.replace(tzinfo=UTC)


def _relative(status: str, ahead: bool, span: str, cat: Catalogue) -> str:
    """The countdown's words around a span already written: before the start (`ahead`), or since it."""
    if ahead:
        return cat("countdown.in", span=span)
    return cat("countdown.started", span=span) if status == "in_progress" else cat("countdown.overdue", span=span)


def zones_for(briefing: Briefing, session: Session, cat: Catalogue) -> list[Zone]:
    """The session's own zone first, then each other distinct zone of the briefing (a zone listed twice, once)."""
    own = zone_named(briefing, session.zone, cat)
    return [own, *(zone for zone in _distinct(briefing).values() if zone.zone != own.zone)]


def zone_named(briefing: Briefing, name: str, cat: Catalogue) -> Zone:
    """An IANA zone with the place readers know it by: the briefing's label for it, else its city as CLDR names it
    in the reader's language (a zone the briefing does not list, or a session's zone before it moved)."""
    return _distinct(briefing).get(name) or city_zone(name, cat)


def city_zone(name: str, cat: Catalogue) -> Zone:
    """An IANA zone named by its city as CLDR names it in the reader's language ("Nueva York" for America/New_York):
    readers know a clock by its place, and a subscription's zone belongs to no briefing that could label it."""
    return Zone(name, city_word(name, cat.cldr))


def _distinct(briefing: Briefing) -> dict[str, Zone]:
    """The briefing's zones by IANA name, each once: the first label given for it."""
    distinct: dict[str, Zone] = {}
    for zone in briefing.zones:
        distinct.setdefault(zone.zone, zone)
    return distinct


# Every `/briefings` page shows each listed briefing's session in its zone, a few Babel lookups a line, page after
# page; the label is a function of the instant, the zone and the catalogue, so each is worked out once.
_start_label = lru_cache(maxsize=1024)(local_time_label)


def start_line(briefing: Briefing, session: Session, cat: Catalogue, inline: bool = False) -> str:
    """A session's start on one line: the time in its own zone, else its day or month, else "Not announced" (`inline`:
    "not announced", within a sentence such as "next session: …", where a field's capital would be wrong)."""
    if session.starts_at is None:
        return fuzzy_label(session.date, cat) if session.date else cat("value.not_announced_inline" if inline else "value.not_announced")
    return _start_label(session.starts_at, zones_for(briefing, session, cat)[0], cat)


def when_field(briefing: Briefing, session: Session, cat: Catalogue) -> Field:
    """The start in each zone that matters, carrying the instant for adapters while that start stands; only the day or
    month when that is all; and under it the sources' hedge on it ("expected to start around 10:00, according to Rio
    Wire"), never hidden in it. A postponed or cancelled session's start is what it "Was due", no longer when it is."""
    note = [cat("value.note", note=session.note)] if session.note else []
    called_off = session.status in _CALLED_OFF and (session.starts_at is not None or session.date is not None)
    name = cat("field.was_due" if called_off else "field.when")
    if session.starts_at is None:
        return Field(name, "\n".join([start_line(briefing, session, cat), *note]))
    lines = [local_time_label(session.starts_at, zone, cat) for zone in zones_for(briefing, session, cat)]
    # No instant for a reader's clock once settled: Discord's and Slack's would count down ("in 2 days") to a start that
    # will not come, or is over, beside a status line that no longer counts; the console shows none either.
    moment = None if session.status in _SETTLED else session.starts_at
    return Field(name, "\n".join([*lines, *note]), moment=moment)


def status_field(session: Session, now: datetime, cat: Catalogue, dated: bool = False) -> Field:
    """Status and countdown on one line: "Scheduled · in 2 days and 3 hours", an honest "not updated" without a start,
    or a settled session's status alone ("Concluded"). `dated`: the line is read without a When field beside it
    (a quiet day's digest), so a session known only to its day names it (one known to its month always does)."""
    return status_until(session, now, cat, dated)[0]


def status_today(session: Session, now: datetime, cat: Catalogue, today: date | None = None, dated: bool = False) -> tuple[Field, datetime]:
    """`status_until`, but "Scheduled · today, time not announced" through the day of a session known only by its day, in
    its zone, as /brief names such a session beside another: /brief and /meeting know no reader's clock, and the When
    field above names the day; "start time not announced" alone read as a day still ahead. A digest gives its reader's
    `today` (its title names that day), so on another day there it names the session's day instead, and with `dated`
    (its one line on a quiet day) the day before it "tomorrow, 10 April 2026, time not announced"; that reading is
    the reader's day's, so it holds only at `now`."""
    over = last_moment(session)
    if over is not None and session.date is not None and on_their_day((session,), now) and today in (None, session.date.first):
        return Field(cat("field.status"), _today(session, cat), inline=True), over.astimezone(UTC)
    when = session.date
    if dated and session.status in WAITING and session.starts_at is None and when is not None and when.precision == "day" and today is not None and when.first == today + _DAY:
        # A digest's one line has no When field beside it: "tomorrow" and the day, where a timed session counts down.
        countdown = cat("countdown.tomorrow", when=fuzzy_label(when, cat))
        return Field(cat("field.status"), cat("status.with_countdown", status=cat(f"status.{session.status}"), countdown=countdown), inline=True), now
    return status_until(session, now, cat, dated)


def _today(session: Session, cat: Catalogue) -> str:
    """The line of a session known only by its day, on that day: written once, so the digest, /brief and /meeting read alike."""
    return cat("status.with_countdown", status=cat(f"status.{session.status}"), countdown=cat("countdown.today"))


def status_until(session: Session, now: datetime, cat: Catalogue, dated: bool = False) -> tuple[Field, datetime]:
    """`status_field` at `now`, and the last instant from `now` on at which it reads the same (the end of time if it
    does not count down)."""
    if session.status in _SETTLED:
        return Field(cat("field.status"), cat(f"status.{session.status}"), inline=True), _END
    if session.starts_at is None:
        # A day or month known, and over in the session's zone with no update: saying "not announced" would read as still ahead.
        over = last_moment(session)
        passed = over is not None and session.date is not None and now > over
        # In progress, an admin said: its day over is no news, and "no update recorded since" denied theirs. It reads as
        # on its day, what is known.
        if passed and session.status != "in_progress":
            countdown = cat("countdown.overdue_day", when=fuzzy_label(session.date, cat))
            return Field(cat("field.status"), cat("status.with_countdown", status=cat(f"status.{session.status}"), countdown=countdown), inline=True), _END
        if session.date is not None and session.date.precision != "day":
            # A month (a year, a span of days): "start time not announced" read as a day known, and beside the When
            # field's "April 2026" as under way all month; what is known is when it is expected, and no day.
            no_time = cat("countdown.expected", when=fuzzy_label(session.date, cat))
        else:
            no_time = cat("countdown.no_time_on", when=fuzzy_label(session.date, cat)) if dated and session.date else cat("countdown.no_time")
        value = cat("status.with_countdown", status=cat(f"status.{session.status}"), countdown=no_time)
        return Field(cat("field.status"), value, inline=True), over.astimezone(UTC) if over is not None and not passed else _END
    if session.status == "in_progress" and now < session.starts_at:
        # Started early, an admin says: "In progress · in 4 hours" would contradict it; the start shows under When.
        return Field(cat("field.status"), cat("status.in_progress"), inline=True), session.starts_at - _TICK
    # Every new minute of a brief or meeting writes this line: only its whole minutes are new, read from one
    # subtraction's own fields (dividing timedeltas works through integers of microseconds).
    span = session.starts_at - now
    if not span and session.status == "scheduled":
        # The very instant of the start reads as the start alert's title does ("Due to start now"), not as overdue.
        countdown = cat("countdown.now")
        return Field(cat("field.status"), cat("status.with_countdown", status=cat("status.scheduled"), countdown=countdown), inline=True), now
    ahead = span > _NOTHING
    gap = span if ahead else -span
    minutes = gap.days * 1440 + gap.seconds // 60
    # No month is shorter than 28 days: a shorter span is counted in days and hours alone, from its minutes.
    months = calendar_months(*((now, session.starts_at) if ahead else (session.starts_at, now))) if gap.days >= 28 else 0
    if not months:
        field, last = _countdown(minutes, cat.locale, session.status, ahead)
        return field, session.starts_at + last
    name, pieces = _counting_down(cat.locale, session.status, ahead)
    return Field(name, months_label(months, cat.locale).join(pieces), inline=True), session.starts_at + _last(minutes, ahead)


# A countdown's field and where its minute ends are the same for every session, core and answer showing that many
# minutes: written once, so each new minute's answer takes both in one lookup, the field as the very object the
# renderers' own memories hold.
@lru_cache(maxsize=4096)
def _countdown(minutes: int, language: str, status: str, ahead: bool) -> tuple[Field, timedelta]:
    """The status field `minutes` whole minutes before the start (`ahead`) or after it, and the last instant, from the
    start, that it reads so.

    Before the start, "in N minutes" holds down to N minutes exactly, "in less than a minute" to just before the start;
    from the start on, "N minutes ago" to just before N + 1.
    """
    name, pieces = _counting_down(language, status, ahead)
    return Field(name, minutes_label(minutes, language).join(pieces), inline=True), _last(minutes, ahead)


def _last(minutes: int, ahead: bool) -> timedelta:
    """The last instant, from the start, that a countdown of `minutes` whole minutes reads the same."""
    if ahead:
        return -_MINUTE * minutes if minutes else -_TICK
    return _MINUTE * (minutes + 1) - _TICK


@lru_cache(maxsize=64)
def _counting_down(language: str, status: str, ahead: bool) -> tuple[str, tuple[str, ...]]:
    """The status field's name and its line split where the span goes, for one language, status and side of the start."""
    cat = catalogue_for(language)
    line = cat("status.with_countdown", status=cat(f"status.{status}"), countdown=_relative(status, ahead, _SPAN, cat))
    return cat("field.status"), tuple(line.split(_SPAN))
