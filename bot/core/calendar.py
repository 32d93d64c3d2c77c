"""The briefing as an iCalendar file (issue #14 §5): the sessions and the agenda items whose day is known.

A subscribed calendar matches events by UID and keeps the copy with the highest SEQUENCE, so the UID is
built from the briefing and item ids only (never a title or a time, which an admin may change) and the
SEQUENCE is the latest revision that touched the item: revision numbers only grow, so a moved session
always arrives with a larger one. Local times keep their IANA zone (TZID plus a VTIMEZONE), so a reader's
calendar shows 11:00 in Washington on both sides of a DST change.

A calendar that imported an earlier copy keeps every event it was given until a newer copy changes it, so an
event once published is never just left out: an item removed, or no longer placed (its start cleared), stays as
a cancelled event at its last time, with the larger SEQUENCE of the revision that withdrew it. What an item
was comes from the revision log (`BriefingStore.item_states`), which is also how the agenda's copy of a session
stays the session's after the session moves.

An event is read far from the chat that sent it, so its description names its sources, and one in the
reader's language says that it is a translation, as answers do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from msgspec.structs import replace

from bot.core.catalogue import Catalogue
from bot.core.context import source_ref
from bot.core.dates import FuzzyDate
from bot.core.formatting import fuzzy_label
from bot.core.kinds import KINDS, decode_logged
from bot.core.localize import language_name_in, localize
from bot.core.model import AgendaItem, Briefing, Session
from bot.core.repository import BriefingStore
from bot.core.sessions import agenda_start, is_a_session, session_marks

if TYPE_CHECKING:
    import icalendar

PRODID = "-//briefbot//calendar//EN"
# The kinds a calendar holds, as the revision log names them.
SESSION = "session"
AGENDA = "agenda"
# A session's UID says "meeting", as the one meeting's did before sessions, so an upgraded briefing's
# meeting keeps its UID and subscribed calendars update it rather than show it twice.
UID_WORD = {SESSION: "meeting", AGENDA: AGENDA}
# The session statuses a reader's calendar must not show as confirmed: a cancelled session is withdrawn, a postponed
# one's time is in doubt; both say so in their title too, as not every calendar shows STATUS.
CANCELLED = "cancelled"
POSTPONED = "postponed"
EVENT_STATUS = {CANCELLED: "CANCELLED", POSTPONED: "TENTATIVE"}
# The fields that say when an item is: a withdrawn one keeps the last that placed it, so its event is the one readers hold.
WHEN = {SESSION: ("starts_at", "date", "zone"), AGENDA: ("date", "time", "zone")}

Item = Session | AgendaItem
# (kind, item) as the revision log held it, in the order each state was last seen (`BriefingStore.item_states`).
Logged = Sequence[tuple[str, Item]]


def uid(briefing_id: str, kind: str, item_id: str) -> str:
    """The event's identity across exports: only ids, which edits never change."""
    return f"{UID_WORD[kind]}-{item_id}@{briefing_id}.briefbot"


async def history(repository: BriefingStore, briefing: Briefing) -> tuple[Logged, dict[tuple[str, str], int]]:
    """The sessions' and agenda items' logged states, and the SEQUENCE of every item now or once in the briefing: its
    latest revision, which grows with every edit to it, its removal included."""
    venue = briefing.venue.zone  # the clock of a state logged without its zone (`decode_logged`)
    logged = [(kind, decode_logged(KINDS[kind], data, venue)) for kind, _, data in await repository.item_states(briefing.id, (SESSION, AGENDA))]
    wanted = dict.fromkeys([(SESSION, s.id) for s in briefing.sessions] + [(AGENDA, a.id) for a in briefing.agenda] + [(k, i.id) for k, i in logged])
    return logged, {key: await repository.item_revision(briefing.id, *key) for key in wanted}


def build_calendar(
    briefing: Briefing, logged: Logged, sequence: Mapping[tuple[str, str], int], stamp: datetime, cat: Catalogue
) -> str:
    """The .ics text as the catalogue's reader sees the briefing: an event for each item a calendar can place (not "not
    announced", a month, a year), and a cancelled one for each it placed once and no longer does."""
    # Imported here: icalendar (with dateutil) is ~80 modules, a sixth of a cold `ask`, which never exports.
    import icalendar

    single = len(briefing.sessions) == 1
    shown, withdrawn = _on_calendar(briefing, logged)
    shown, translated = localize(shown, cat)
    note = cat("content.translated", language=language_name_in(shown.language, cat)) if translated else ""
    sources = {source.id: source_ref(source, cat) for source in shown.sources}
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", shown.title)

    def add(kind: str, item: Item, title: str, status: str | None) -> icalendar.Event:
        """The event with the fields every one carries (UID, SEQUENCE, DTSTAMP), its title and status: a withdrawn item
        is cancelled, and its title says why when its own status does not."""
        gone = (kind, item.id) in withdrawn
        event = icalendar.Event()
        event.add("uid", uid(briefing.id, kind, item.id))
        event.add("sequence", sequence.get((kind, item.id), 0))
        event.add("dtstamp", stamp)
        some_day = _some_day(item)
        if some_day is not None:  # all-day over the range, which only its title can say is one day of it
            title = cat("calendar.some_day", title=title, dates=fuzzy_label(some_day, cat))
            event.add("transp", "TRANSPARENT")  # three days are not all taken up
        word = cat(f"status.{status}") if status in EVENT_STATUS else cat("calendar.withdrawn") if gone else ""
        _text(event, "summary", cat("calendar.labelled", status=word, title=title) if word else title, cat.locale)
        if gone or status in EVENT_STATUS:
            event.add("status", "CANCELLED" if gone else EVENT_STATUS[str(status)])
        elif some_day is not None:
            event.add("status", "TENTATIVE")
        cal.add_component(event)
        return event

    def describe(event: icalendar.Event, detail: str, place: str | None, cited: tuple[str, ...]) -> None:
        """DESCRIPTION: the detail, the sources that support it and the translation note; LOCATION when the pack has one."""
        refs = [sources[sid] for sid in cited if sid in sources]
        cites = cat("calendar.sources", sources="; ".join(f"{ref.label} {ref.url}" if ref.url else ref.label for ref in refs)) if refs else ""
        _text(event, "description", "\n\n".join(part for part in (detail, cites, note) if part), cat.locale)
        if place:
            _text(event, "location", place, cat.locale)

    for session in shown.sessions:
        event = add(SESSION, session, session.title, session.status)
        days = _known_days(session.date)
        if session.starts_at is not None:
            event.add("dtstart", session.starts_at.astimezone(ZoneInfo(session.zone)))
        elif days is not None:
            event.add("dtstart", days[0])
            event.add("dtend", days[1] + timedelta(days=1))
        # A briefing of one session describes it with its summary, as before sessions; several, each by its format; the
        # sources' hedge on its time or place under it. No venue given: no LOCATION, never an empty one.
        detail = "\n\n".join(part for part in (shown.summary if single else session.format, cat("value.note", note=session.note) if session.note else "") if part)
        describe(event, detail, session.venue, session.sources)
    for item in shown.agenda:
        event = add(AGENDA, item, item.title, None)
        _when(event, item, item.zone or shown.venue.zone)
        describe(event, item.detail, item.place, item.sources)
    _add_zones(cal)
    data: bytes = cal.to_ical()
    return data.decode("utf-8")


def _add_zones(cal: icalendar.Calendar) -> None:
    """A VTIMEZONE per TZID used, so readers need no zone database of their own, true in every year an event falls in.

    Each zone's rules are given for the years its events fall in (a run of years at once), not for a span from 1970:
    icalendar's default span stops at 2038, after which a reader that goes by the file would put a summer event an hour
    off, and a span up to an event in 9000 (an admin's typo) took seconds and 230 KB a zone. Sorted by TZID, since
    icalendar's own order is a set's and an export should be the same each time; first, as icalendar puts them.
    """
    years: dict[str, set[int]] = {}
    for event in cal.walk("VEVENT"):
        for name in ("dtstart", "dtend"):
            when = event.get(name)
            if when is not None and "TZID" in when.params:
                years.setdefault(str(when.params["TZID"]), set()).add(event.decoded(name).year)
    cal.subcomponents[:0] = [_zone(tzid, sorted(years[tzid])) for tzid in sorted(years)]


def _zone(tzid: str, years: list[int]) -> icalendar.Timezone:
    """The zone's VTIMEZONE over those years only: icalendar's definition of each run of consecutive years, one after another.

    A reader finds an event's offset in the latest onset before it, and each run starts with the offset in force on its
    first 1 January, so the years between runs, which hold no event of the zone, need nothing.
    """
    import icalendar

    runs = [[year for _, year in run] for _, run in groupby(enumerate(years), lambda pair: pair[1] - pair[0])]
    zone, *later = (icalendar.Timezone.from_tzid(tzid, first_date=date(run[0], 1, 1), last_date=date(run[-1] + 1, 1, 1)) for run in runs)
    for more in later:
        zone.add("comment", more["comment"])  # "This timezone only works from … to …", one a run
        zone.subcomponents += more.subcomponents
    return zone


def _on_calendar(briefing: Briefing, logged: Logged) -> tuple[Briefing, frozenset[tuple[str, str]]]:
    """The briefing with only the items its calendar has an event for, and which of them are withdrawn.

    An item has an event when a calendar can place it, except an agenda item at a start and venue any session has had:
    that is the session itself, listed among the engagements (the pack's "Private meeting with Donald Trump"), which
    stays the session's when the session moves. An item placed once (in any logged state) that is now removed or no
    longer placed is withdrawn: its event stays, at the last time it placed, for a calendar that imported it to cancel.
    """
    sessions = [*briefing.sessions, *(item for _, item in logged if isinstance(item, Session))]
    marks = session_marks(sessions)

    def placed(item: Item) -> bool:
        """Whether a calendar shows the item as an event of its own."""
        days = _known_days(item.date)
        if isinstance(item, Session):
            return item.starts_at is not None or days is not None
        zone = item.zone or briefing.venue.zone
        return days is not None and not is_a_session(item, zone, marks)

    last = {(kind, item.id): item for kind, item in logged if placed(item)}  # later states replace earlier ones
    withdrawn: set[tuple[str, str]] = set()

    def events(kind: str, items: tuple[Item, ...]) -> list[Item]:
        """The kind's items with an event: the placed ones as they are, the withdrawn at their last placed time."""
        kept: list[Item] = []
        for item in items:
            before = last.pop((kind, item.id), None)
            if placed(item):
                kept.append(item)
            elif before is not None:
                kept.append(replace(item, **{name: getattr(before, name) for name in WHEN[kind]}))
                withdrawn.add((kind, item.id))
        gone = [(key, item) for key, item in last.items() if key[0] == kind]  # removed: as it last was
        withdrawn.update(key for key, _ in gone)
        return kept + [item for _, item in gone]

    shown = replace(briefing, sessions=tuple(events(SESSION, briefing.sessions)), agenda=tuple(events(AGENDA, briefing.agenda)))
    return shown, frozenset(withdrawn)


def _when(event: icalendar.Event, item: AgendaItem, zone: str) -> None:
    """A local start in the item's zone when the time is known, else all-day over its days (DTEND is exclusive)."""
    days = _known_days(item.date)
    assert days is not None  # only placed items have an event
    start = agenda_start(item, zone)
    if start is not None:
        event.add("dtstart", start)
        return
    event.add("dtstart", days[0])
    event.add("dtend", days[1] + timedelta(days=1))


def _some_day(item: Item) -> FuzzyDate | None:
    """The item's day range when its event is all-day over it: a range is some one day between its ends (docs/data-pack.md),
    never all of them; None when the event is at a time or on one day."""
    days = _known_days(item.date)
    if days is None or days[0] == days[1] or (isinstance(item, Session) and item.starts_at is not None):
        return None
    return item.date


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
