"""Which session a reader means: the one in progress, else the next, else the last; and sessions in time order."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.core.model import AgendaItem, Briefing, Session
from bot.core.text import fold
from bot.errors import UserError

# A session waiting for its start: what "the next session" can be.
WAITING = ("scheduled",)
# A session that never began, whatever its date says: not "the last one that began" once that date is past.
NEVER_HELD = ("cancelled", "postponed")
_TICK, _DAY = timedelta(microseconds=1), timedelta(days=1)
_START, _END = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)


def first_moment(session: Session) -> datetime | None:
    """When the session begins as far as known: its start, else the first instant of its date; None if not announced."""
    if session.starts_at is not None:
        return session.starts_at
    if session.date is not None:
        return datetime.combine(session.date.first, time(0), tzinfo=ZoneInfo(session.zone))
    return None


def last_moment(session: Session) -> datetime | None:
    """The latest instant the session may still begin: its start, else the end of its date's last day."""
    if session.starts_at is not None or session.date is None:
        return session.starts_at
    return datetime.combine(session.date.last, time.max, tzinfo=ZoneInfo(session.zone))


def on_their_day(sessions: Iterable[Session], now: datetime) -> list[Session]:
    """The scheduled sessions known only by their day whose day it is in their zone at `now`, in the order given: each
    may begin at any moment, and the session in progress or next, timed, would otherwise hide it all day."""
    return [
        s for s in sessions if s.status in WAITING and s.starts_at is None and s.date is not None and s.date.precision == "day"
        and datetime.combine(s.date.first, time(0), tzinfo=ZoneInfo(s.zone)) <= now <= datetime.combine(s.date.first, time.max, tzinfo=ZoneInfo(s.zone))
    ]


def session_marks(sessions: Iterable[Session]) -> frozenset[tuple[datetime, str]]:
    """Each timed session's start and folded venue: an engagement at one of them is that session (`is_a_session`)."""
    return frozenset((s.starts_at, fold(s.venue)) for s in sessions if s.starts_at is not None)


def agenda_start(item: AgendaItem, zone: str) -> datetime | None:
    """An engagement's start on `zone`'s clock when its time and its one day are known; None otherwise."""
    when = item.date
    if not item.time or when is None or when.first != when.last or any(part.count("-") != 2 for part in when.text.split("/")):
        return None
    hour, minute = (int(part) for part in item.time.split(":"))
    return datetime.combine(when.first, time(hour, minute), tzinfo=ZoneInfo(zone))


def is_a_session(item: AgendaItem, zone: str, marks: frozenset[tuple[datetime, str]]) -> bool:
    """Whether an engagement is a session itself, listed among the agenda at its start and venue (the shipped pack's
    "Private meeting with Donald Trump"): the calendar and the digest show it once, as the session."""
    start = agenda_start(item, zone)
    return start is not None and item.place is not None and (start, fold(item.place)) in marks


def in_order(sessions: Iterable[Session]) -> list[Session]:
    """By the latest instant each may begin, then the earliest; sessions whose time is not announced last, in pack order.

    Never more precise than the data: a session known only to its month may fall on any of its days, so it comes
    after every session dated or timed within that month (ordered by its first day, it would come before them all).
    """
    return sorted(sessions, key=_place)


def _place(session: Session) -> tuple[bool, datetime, datetime]:
    """`in_order`'s key: not announced last, then the latest instant the session may begin, then the earliest."""
    return last_moment(session) is None, last_moment(session) or _START, first_moment(session) or _START


# How long at least a session past its start with no update stays the one shown: a start at 23:30 gave it half an hour
# before its day ended, and no digest of the next morning, in any zone, said it was due.
OVERDUE_HELD = timedelta(hours=12)


def holds(ordered: list[Session]) -> list[datetime | None]:
    """For each session in order, the last instant (UTC) it can be the next one while it stays scheduled; None: always.

    A day or month holds until it is over in the session's zone: the session may begin at any instant of it. A
    session whose start time passed with no update recorded stays the one shown, saying so, until its own day ends
    in its zone but at least OVERDUE_HELD after its start, or until another session may begin (a later start, or the
    first instant of a later day), whichever is first: long enough for an operator to record that it began, and for
    the next morning's digests to say it was due, not so long that it hides the next one.
    """
    # The instants the sessions may begin from, sorted: the first after a start is bisected for, not scanned for.
    # Only a session that may still begin can end another's hold: a cancelled or concluded one cannot.
    firsts = sorted(moment.astimezone(UTC) for s in ordered if s.status in WAITING and (moment := first_moment(s)) is not None)
    found: list[datetime | None] = []
    for session in ordered:
        if session.starts_at is None:
            found.append(_in_utc(last_moment(session)))
            continue
        zone = ZoneInfo(session.zone)
        until = max(_last_instant(zone, session.starts_at.astimezone(zone).date()), session.starts_at + OVERDUE_HELD)
        later = bisect_right(firsts, session.starts_at)
        found.append(min(until, firsts[later] - _TICK) if later < len(firsts) else until)
    return found


def current(briefing: Briefing, now: datetime) -> Session:
    """The session in progress, else the next one waiting to start (`holds`), else the last one that began (a
    cancelled or postponed one never did), else the first postponed one, else the first: all were called off."""
    ordered = in_order(briefing.sessions)
    return _current(ordered, [first_moment(s) for s in ordered], holds(ordered), now)


def _current(ordered: list[Session], firsts: list[datetime | None], held: list[datetime | None], now: datetime) -> Session:
    """`current` among sessions in order, given each one's first moment and the last instant it holds as the next."""
    for session in ordered:
        if session.status == "in_progress":
            return session
    for session, until in zip(ordered, held, strict=True):
        if session.status in WAITING and (until is None or until >= now):
            return session
    # A cancelled last session whose date passes weeks later does not become the event's state.
    begun = [s for s, moment in zip(ordered, firsts, strict=True) if moment is not None and moment <= now and s.status not in NEVER_HELD]
    if begun:
        return begun[-1]
    # None was held: one still to be held another time says more than one called off.
    return next((s for s in ordered if s.status == "postponed"), ordered[0])


class Moments:
    """A briefing's sessions and the instants its clock parts turn on, in UTC, worked out once per version.

    A new minute's brief or meeting then compares instants in one zone: two aware datetimes in different
    zones compare, subtract or convert only after asking each zone for its offset.
    """

    __slots__ = ("_day", "_eves", "_firsts", "_holds", "_moments", "_phase", "ordered", "venue")

    def __init__(self, briefing: Briefing) -> None:
        self.ordered = in_order(briefing.sessions)
        self.venue = ZoneInfo(briefing.venue.zone)
        self._firsts = [_in_utc(first_moment(s)) for s in self.ordered]
        self._holds = holds(self.ordered)
        # Each first moment and each session's last instant as the next, in time order: the answer may read otherwise from each on.
        self._moments = sorted(m for m in (*self._firsts, *self._holds) if m is not None)
        # Until a timed session starts, the latest event is one begun by the day before its local date.
        self._eves = [(s.starts_at.astimezone(UTC), s.starts_at.astimezone(ZoneInfo(s.zone)).date() - _DAY) for s in briefing.sessions if s.starts_at is not None]
        self._day = (_END, date.min, _START)  # no day seen yet
        self._phase = (_END, _START, self.ordered[0], date.max)  # no phase seen yet

    def today(self, now: datetime) -> tuple[datetime, date, datetime]:
        """From the first instant asked of the venue's date at `now` (UTC): that instant, the date and its last instant."""
        kept = self._day
        if not kept[0] <= now <= kept[2]:
            kept = self._day = (now, *_day_at(self.venue, now))
        return kept

    def phase(self, now: datetime) -> tuple[datetime, datetime, Session, date]:
        """From the first instant asked between two session moments (UTC): that instant, the last before the next moment,
        the current session (`current`) and the latest eve still ahead (`date.max` if none), all kept until that moment.

        Between two moments no session begins or ends, so neither the session nor the eves ahead change. At a moment
        itself the kept span is empty (its last instant comes before it), so each request there works them out again.
        """
        kept = self._phase
        if not kept[0] <= now <= kept[1]:
            position = bisect_left(self._moments, now)
            edge = self._moments[position] - _TICK if position < len(self._moments) else _END
            eve = min((eve for start, eve in self._eves if now < start), default=date.max)
            kept = self._phase = (now, edge, _current(self.ordered, self._firsts, self._holds, now), eve)
        return kept


# A day's last instant is asked again by each new core and version: worked out once per zone and day.
@lru_cache(maxsize=1024)
def _last_instant(zone: ZoneInfo, day: date) -> datetime:
    """The last instant (UTC) of `day` on `zone`'s wall clock."""
    return datetime.combine(day + _DAY, time.min, zone).astimezone(UTC) - _TICK


def _day_at(zone: ZoneInfo, now: datetime) -> tuple[date, datetime]:
    """The date on `zone`'s wall clock at `now` (UTC) and that date's last instant, without converting `now`.

    A zone is less than a day from UTC, so the date is `now`'s UTC date or a day either side: the one whose last
    instant is the first not before `now`. Those instants are kept per zone and day, so a new day's brief compares
    two of them where a conversion would look the instant up among the zone's transitions.
    """
    day = now.date()
    last = _last_instant(zone, day)
    if now > last:
        day += _DAY
        return day, _last_instant(zone, day)
    before = day - _DAY
    last_before = _last_instant(zone, before)
    return (before, last_before) if now <= last_before else (day, last)


def _in_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def named(briefing: Briefing, wanted: str) -> Session:
    """The session a reader names by id or by its title (accents and case aside); a clear error when none is."""
    text = wanted.strip()
    for session in briefing.sessions:
        if text == session.id:
            return session
    folded = fold(text)
    found = [s for s in briefing.sessions if folded and folded in fold(s.title)]
    if len(found) == 1:
        return found[0]
    choices = ", ".join(s.title for s in in_order(briefing.sessions))
    raise UserError("meeting.no_session" if found else "meeting.unknown_session", session=text[:80], choices=choices[:400])


def only(briefing: Briefing) -> Session:
    """The briefing's one session, for the admin word `meeting`; with several, say how to name one."""
    if len(briefing.sessions) == 1:
        return briefing.sessions[0]
    raise UserError("admin.which_session", n=len(briefing.sessions), ids=", ".join(s.id for s in briefing.sessions)[:400])
