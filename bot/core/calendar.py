"""The briefing as an iCalendar file (issue #14 §5): the sessions and the agenda items whose day is known.

A subscribed calendar matches events by UID and keeps the copy with the highest SEQUENCE, so the UID is
built from the briefing and item ids only (never a title or a time, which an admin may change) and the
SEQUENCE is the latest revision that touched the item: revision numbers only grow, so a moved session
always arrives with a larger one. Local times keep their IANA zone (TZID plus a VTIMEZONE), so a reader's
calendar shows 11:00 in Washington on both sides of a DST change.

An event is read far from the chat that sent it, so its description names its sources, and one in the
reader's language says that it is a translation, as answers do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.catalogue import Catalogue
from bot.core.context import source_ref
from bot.core.dates import FuzzyDate
from bot.core.localize import language_name_in, localize
from bot.core.model import AgendaItem, Briefing
from bot.core.repository import BriefingStore
from bot.core.text import fold

if TYPE_CHECKING:
    import icalendar

PRODID = "-//briefbot//calendar//EN"
# The kinds a calendar holds, as the revision log names them.
SESSION = "session"
AGENDA = "agenda"
# A session's UID says "meeting", as the one meeting's did before sessions, so an upgraded briefing's
# meeting keeps its UID and subscribed calendars update it rather than show it twice.
UID_WORD = {SESSION: "meeting", AGENDA: AGENDA}
# What a reader's calendar shows for a cancelled session; any other status leaves it as scheduled.
CANCELLED = "cancelled"


def uid(briefing_id: str, kind: str, item_id: str) -> str:
    """The event's identity across exports: only ids, which edits never change."""
    return f"{UID_WORD[kind]}-{item_id}@{briefing_id}.briefbot"


async def sequences(repository: BriefingStore, briefing: Briefing) -> dict[tuple[str, str], int]:
    """SEQUENCE per (kind, item id): the item's latest revision, which grows with every edit to it."""
    wanted = [(SESSION, s.id) for s in briefing.sessions] + [(AGENDA, item.id) for item in briefing.agenda]
    return {key: await repository.item_revision(briefing.id, *key) for key in wanted}


def build_calendar(briefing: Briefing, sequence: Mapping[tuple[str, str], int], stamp: datetime, cat: Catalogue) -> str:
    """The .ics text as the catalogue's reader sees the briefing; items without a known day ("not announced", a
    month, a year) are left out."""
    # Imported here: icalendar (with dateutil) is ~80 modules, a sixth of a cold `briefbot ask`, which never exports.
    import icalendar

    held = _sessions_themselves(briefing)
    briefing, translated = localize(briefing, cat)
    note = cat("content.translated", language=language_name_in(briefing.language, cat)) if translated else ""
    sources = {source.id: source_ref(source, cat) for source in briefing.sources}

    def describe(event: icalendar.Event, detail: str, place: str | None, cited: tuple[str, ...]) -> None:
        """DESCRIPTION: the detail, the sources that support it and the translation note; LOCATION when the pack has one."""
        refs = [sources[sid] for sid in cited if sid in sources]
        cites = cat("calendar.sources", sources="; ".join(f"{ref.label} {ref.url}" if ref.url else ref.label for ref in refs)) if refs else ""
        _text(event, "description", "\n\n".join(part for part in (detail, cites, note) if part), cat.locale)
        if place:
            _text(event, "location", place, cat.locale)

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", briefing.title)
    for session in briefing.sessions:
        days = _known_days(session.date)
        if session.starts_at is None and days is None:
            continue  # not announced, or only a month: nothing a calendar can place
        event = _event(icalendar.Event(), briefing.id, SESSION, session.id, sequence, stamp)
        _text(event, "summary", session.title, cat.locale)
        if session.starts_at is not None:
            event.add("dtstart", session.starts_at.astimezone(ZoneInfo(session.zone)))
        elif days is not None:
            event.add("dtstart", days[0])
            event.add("dtend", days[1] + timedelta(days=1))
        # A briefing of one session describes it with its summary, as before sessions; several, each by its format.
        describe(event, briefing.summary if len(briefing.sessions) == 1 else session.format, session.venue, session.sources)
        if session.status == CANCELLED:
            event.add("status", "CANCELLED")
        cal.add_component(event)
    for item in briefing.agenda:
        days = _known_days(item.date)
        if days is None or item.id in held:
            continue
        event = _event(icalendar.Event(), briefing.id, AGENDA, item.id, sequence, stamp)
        _text(event, "summary", item.title, cat.locale)
        _when(event, item, days, item.zone or briefing.venue.zone)
        describe(event, item.detail, item.place, item.sources)
        cal.add_component(event)
    cal.add_missing_timezones()  # a VTIMEZONE per TZID used, so readers need no zone database of their own
    data: bytes = cal.to_ical()
    return data.decode("utf-8")


def _event(
    event: icalendar.Event, briefing_id: str, kind: str, item_id: str, sequence: Mapping[tuple[str, str], int], stamp: datetime
) -> icalendar.Event:
    """The event with the fields every one carries: UID, SEQUENCE and DTSTAMP."""
    event.add("uid", uid(briefing_id, kind, item_id))
    event.add("sequence", sequence.get((kind, item_id), 0))
    event.add("dtstamp", stamp)
    return event


def _sessions_themselves(briefing: Briefing) -> frozenset[str]:
    """Agenda items at a session's very start and venue: the session itself, listed among the engagements, which
    a calendar would show twice (the pack's "Private meeting with Donald Trump" beside the meeting)."""
    sessions = {(s.starts_at, fold(s.venue)) for s in briefing.sessions if s.starts_at is not None}
    return frozenset(
        item.id for item in briefing.agenda
        if (days := _known_days(item.date)) is not None and item.place is not None
        and (_start(item, days, item.zone or briefing.venue.zone), fold(item.place)) in sessions
    )


def _start(item: AgendaItem, days: tuple[date, date], zone: str) -> datetime | None:
    """The item's local start in its zone when its day and time are known."""
    if not item.time or days[0] != days[1]:
        return None
    hour, minute = (int(part) for part in item.time.split(":"))
    return datetime.combine(days[0], time(hour, minute), tzinfo=ZoneInfo(zone))


def _when(event: icalendar.Event, item: AgendaItem, days: tuple[date, date], zone: str) -> None:
    """A local start in the item's zone when the time is known, else all-day over its days (DTEND is exclusive)."""
    start = _start(item, days, zone)
    if start is not None:
        event.add("dtstart", start)
        return
    event.add("dtstart", days[0])
    event.add("dtend", days[1] + timedelta(days=1))


def _text(event: icalendar.Event, name: str, value: str, language: str) -> None:
    """A text property in its language (RFC 5545's LANGUAGE), so a calendar can tell Spanish from English; an
    empty one only clutters a reader's calendar."""
    if value:
        event.add(name, value, parameters={"language": language})


def _known_days(when: FuzzyDate | None) -> tuple[date, date] | None:
    """The first and last day when every end is a whole day; None for "not announced", a month or a year."""
    if when is None or any(part.count("-") != 2 for part in when.text.split("/")):
        return None
    return when.first, when.last
