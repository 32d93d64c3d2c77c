"""Answers remembered per briefing version (issue #18 §1): asked again they are the same answer, never a stale one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from msgspec.structs import replace

from bot.adapters.console import render_text
from bot.core.dates import FuzzyDate
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store.packfile import read_pack
from tests.conftest import ask
from tests.test_commands import MEETING_UTC
from tests.test_sessions import SUMMIT, three_zones


async def test_a_page_asked_again_is_the_same_answer(core):
    first = await ask(core, "/timeline topic:sanctions")
    assert await ask(core, "/timeline topic:sanctions") is first  # remembered, not built again
    assert await ask(core, "/timeline topic:sanctions page:2") is not first


async def test_an_edit_is_seen_by_the_next_answer(core, repository):
    before = await ask(core, "/timeline")
    briefing = await repository.briefing()
    first = briefing.timeline[0]
    await repository.save(replace(briefing, timeline=(replace(first, title="A title set just now"), *briefing.timeline[1:])))
    after = await ask(core, "/timeline")
    assert after.items[0].title == "A title set just now"
    assert before.items[0].title == first.title != after.items[0].title


async def test_each_language_page_size_and_named_briefing_has_its_own_answer(core):
    english = await ask(core, "/timeline")
    spanish = await ask(core, "/timeline", locale="es")
    assert english.title.startswith("Timeline") and spanish.title.startswith("Cronología"), (english.title, spanish.title)
    longer = await ask(core, "/timeline", page_size=20)
    assert len(longer.items) > len(english.items)
    named = await ask(core, "/timeline briefing:petro-trump-2026")
    # Its page buttons must ask the same briefing again; the unnamed answer's must not name one.
    assert english.page is not None and named.page is not None
    assert ("briefing", "petro-trump-2026") in named.page.options
    assert all(key != "briefing" for key, _ in english.page.options)


async def test_a_refusal_is_not_remembered_in_place_of_an_answer(core):
    refused = await ask(core, "/timeline topic:nosuchtopic")
    assert refused.kind == "error"
    assert (await ask(core, "/timeline topic:nosuchtopic")) is not refused


def field(reply: Reply, name: str) -> str:
    return next(f.value for f in reply.fields if f.name == name)


async def test_the_meeting_follows_the_clock_on_one_core(core):
    """Built once per state of the clock: each instant still gets its own countdown."""
    for now, expected in [
        (MEETING_UTC - timedelta(days=2, hours=3, minutes=10), "Scheduled · in 2 days and 3 hours"),
        (MEETING_UTC - timedelta(days=2, hours=1, minutes=10), "Scheduled · in 2 days and 1 hour"),  # the same latest event
        (MEETING_UTC - timedelta(minutes=40), "Scheduled · in 40 minutes"),
        (MEETING_UTC - timedelta(days=2, hours=3, minutes=10), "Scheduled · in 2 days and 3 hours"),
        (MEETING_UTC + timedelta(hours=3), "Scheduled · was due to start 3 hours ago; no update recorded since"),
    ]:
        assert field(await ask(core, "/meeting", now=now), "Status") == expected
        assert field(await ask(core, "/brief", now=now), "Status") == expected


async def test_the_brief_follows_the_latest_event_on_one_core(core, repository):
    """A concluded meeting's status no longer moves, but the latest event still depends on the day asked."""
    briefing = await repository.briefing()
    await repository.save(replace(briefing, sessions=(replace(briefing.sessions[0], status="concluded"),)))
    october = await ask(core, "/brief", now=datetime(2025, 10, 20, tzinfo=UTC))
    february = await ask(core, "/brief", now=datetime(2026, 2, 2, 20, tzinfo=UTC))
    assert field(october, "Status") == field(february, "Status") == "Concluded"
    assert "Washington" in field(february, "Latest") and "Washington" not in field(october, "Latest")


async def test_each_session_has_its_own_meeting_in_one_state_of_the_clock(core, store):
    """Two sessions whose status reads the same are still two answers."""
    summit = read_pack(SUMMIT)
    await store.repository.save(replace(summit, sessions=tuple(replace(s, status="postponed") for s in summit.sessions)))
    opening = await ask(core, "/meeting briefing:fictional-summit session:opening")
    ministers = await ask(core, "/meeting briefing:fictional-summit session:ministers")
    assert field(opening, "Status") == field(ministers, "Status") == "Postponed"
    assert "Opening session" in opening.title and "Ministers' session" in ministers.title


@pytest.mark.parametrize("start", ["timed", "dated", "two sessions", "across DST", "overdue", "overdue, next day"])
@pytest.mark.parametrize("clock", [UTC, ZoneInfo("Pacific/Honolulu"), ZoneInfo("Europe/Madrid")])
async def test_a_brief_or_meeting_kept_for_a_span_reads_as_one_built_at_that_instant(core, store, start, clock):
    """Kept while its clock parts stand still: at each edge (a countdown's whole minute, a session's first and
    last moment, the venue's midnight), one core asked in turn answers as a core that never answered before,
    whatever zone the request's clock is given in."""
    tick, minute = timedelta(microseconds=1), timedelta(minutes=1)
    midnight = datetime(2026, 2, 2, 5, tzinfo=UTC)  # in Washington, the venue: the latest event moves on
    edges = [MEETING_UTC - 2 * minute, MEETING_UTC - minute, MEETING_UTC, MEETING_UTC + minute, midnight]
    if start == "dated":  # no countdown: the session's day begins and ends in Bogotá, its zone, five hours after UTC
        briefing = await store.repository.briefing()
        day = replace(briefing.sessions[0], starts_at=None, date=FuzzyDate.parse("2026-02-03"), zone="America/Bogota")
        await store.repository.save(replace(briefing, sessions=(day,)))
        edges = [midnight, datetime(2026, 2, 3, 5, tzinfo=UTC), datetime(2026, 2, 4, 5, tzinfo=UTC)]
    lines = ("/brief", "/meeting")
    if start == "two sessions":  # a day in New York, then a timed session: the brief turns to it when that day ends
        summit = read_pack(SUMMIT)
        opening, ministers, vote = summit.sessions
        vote = replace(vote, zone="America/New_York")  # its day ends at 04:00 UTC, the venue's (Berlin) at 22:00
        ministers = replace(ministers, starts_at=datetime(2026, 4, 12, 13, tzinfo=UTC))
        await store.repository.save(replace(summit, sessions=(opening, vote, ministers)))
        edges = [datetime(2026, 4, 10, 22, tzinfo=UTC), datetime(2026, 4, 11, 4, tzinfo=UTC)]
        lines = ("/brief briefing:fictional-summit", "/meeting briefing:fictional-summit")
    if start in ("overdue", "overdue, next day"):  # a start passed with no update, shown until Berlin's midnight or Tokyo's
        summit = three_zones(read_pack(SUMMIT))
        if start == "overdue":  # the ministers' session back on 2 April: nothing begins before the opening's day ends
            summit = replace(summit, sessions=(summit.sessions[0], read_pack(SUMMIT).sessions[1], summit.sessions[2]))
        await store.repository.save(summit)
        opening = datetime(2026, 3, 6, 9, tzinfo=UTC)
        edges = [opening, opening + minute, datetime(2026, 3, 6, 15, tzinfo=UTC), datetime(2026, 3, 6, 23, tzinfo=UTC)]
        lines = ("/brief briefing:fictional-summit", "/meeting briefing:fictional-summit")
    if start == "across DST":  # New York's clocks go forward on 8 March, Madrid's on 29 March; the latest event moves on the 9th
        briefing = await store.repository.briefing()
        ninth_title = "An event of the ninth of March"
        ninth = replace(briefing.timeline[-1], id="ninth-march", date=FuzzyDate.parse("2026-03-09"), title=ninth_title)
        session = replace(briefing.sessions[0], starts_at=datetime(2026, 3, 29, 9, tzinfo=UTC))
        await store.repository.save(replace(briefing, sessions=(session,), timeline=(*briefing.timeline, ninth)))
        start_at, new_york_change, madrid_change = datetime(2026, 3, 29, 9, tzinfo=UTC), datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 3, 29, 1, tzinfo=UTC)
        # Midnight in New York is 05:00 UTC before its change and 04:00 after: the ninth begins at 04:00.
        edges = [datetime(2026, 3, 8, 5, tzinfo=UTC), new_york_change, datetime(2026, 3, 9, 4, tzinfo=UTC), datetime(2026, 3, 9, 5, tzinfo=UTC), madrid_change, start_at - minute, start_at + minute]
    instants = sorted({edge + shift for edge in edges for shift in (-tick, timedelta(0), tick, timedelta(seconds=30))})
    instants += [datetime(2026, 4, 10, 23, tzinfo=UTC), datetime(2026, 4, 11, 5, tzinfo=UTC)]  # an hour past each
    instants = [instant.astimezone(clock) for instant in instants]
    for order in (instants, instants[::-1]):
        for now in order:
            for line in lines:
                expected = await ask(BriefingCore(store.repository), line, now=now)
                assert render_text(await ask(core, line, now=now)) == render_text(expected), (line, now)
    if start == "across DST":  # the case holds its edge: the latest event is another from New York's first summer midnight
        ninth = datetime(2026, 3, 9, 4, tzinfo=UTC)
        before, after = [field(await ask(BriefingCore(store.repository), "/brief", now=now), "Latest") for now in (ninth - tick, ninth)]
        assert before != after and after.endswith(ninth_title), (before, after)


async def test_a_kept_brief_or_meeting_lasts_as_long_as_it_reads_the_same(core, repository):
    """From a whole minute after the start to just before the next, down to a whole minute before it, and (a meeting,
    which shows no latest event) across the venue's midnight: asked again then, the same answer, not built again."""
    minute, half = timedelta(minutes=1), timedelta(seconds=30)
    for line in ("/brief", "/meeting"):
        after = await ask(core, line, now=MEETING_UTC + 2 * minute)
        assert await ask(core, line, now=MEETING_UTC + 3 * minute - timedelta(microseconds=1)) is after
        before = await ask(core, line, now=MEETING_UTC - 2 * minute - half)
        assert await ask(core, line, now=MEETING_UTC - 2 * minute) is before
    briefing = await repository.briefing()
    day = replace(briefing.sessions[0], starts_at=None, date=FuzzyDate.parse("2026-02-03"))  # no countdown
    await repository.save(replace(briefing, sessions=(day,)))
    midnight = datetime(2026, 2, 2, 5, tzinfo=UTC)  # in Washington, the day before: the brief's latest event moves on
    meeting, brief = [await ask(core, line, now=midnight - half) for line in ("/meeting", "/brief")]
    assert await ask(core, "/meeting", now=midnight + half) is meeting
    assert field(await ask(core, "/brief", now=midnight + half), "Latest") != field(brief, "Latest")


async def test_the_meetings_own_day_is_not_yet_the_latest_event_before_it_starts(core):
    """Washington's date is already the meeting's, but its event counts only once the meeting has begun."""
    morning = await ask(core, "/brief", now=MEETING_UTC - timedelta(hours=1))
    begun = await ask(core, "/brief", now=MEETING_UTC)
    assert field(morning, "Latest") != field(begun, "Latest")
    assert field(morning, "Latest") == field(await ask(core, "/brief", now=MEETING_UTC - timedelta(hours=12)), "Latest")


async def test_the_latest_events_field_shows_its_date_as_edited(core, repository):
    """The latest event's field is written once per date, title and language for every version and core: a new
    version that changes the date alone shows the new date."""
    now = MEETING_UTC - timedelta(hours=12)  # the evening of 2 February in Washington
    before = field(await ask(core, "/brief", now=now), "Latest")
    briefing = await repository.briefing()
    day, days = FuzzyDate.parse("2026-02-02"), FuzzyDate.parse("2026-02-01/2026-02-02")  # still the latest begun
    await repository.save(replace(briefing, timeline=tuple(replace(e, date=days) if e.date == day else e for e in briefing.timeline)))
    after = field(await ask(core, "/brief", now=now), "Latest")
    assert after == field(await ask(BriefingCore(repository), "/brief", now=now), "Latest")
    assert after != before and after.split(": ", 1)[1] == before.split(": ", 1)[1], (before, after)  # the same title


async def test_a_brief_moves_on_at_its_own_venues_midnight(core, repository):
    """A day's last instant is kept per zone and date for the whole process: a venue in Tokyo ends 1 February at
    15:00 UTC, though Washington's 1 February, asked first, ends at 05:00 UTC on the 2nd."""
    briefing = await repository.briefing()
    tokyo = replace(briefing, id="in-tokyo", zones=(replace(briefing.zones[0], zone="Asia/Tokyo"), *briefing.zones[1:]))
    await repository.save(tokyo)
    await ask(core, "/brief", now=datetime(2026, 2, 1, 12, tzinfo=UTC))  # Washington's 1 February
    half = timedelta(seconds=30)
    evening, morning = [await ask(core, "/brief briefing:in-tokyo", now=datetime(2026, 2, 1, 15, tzinfo=UTC) + shift) for shift in (-half, half)]
    assert field(evening, "Latest") != field(morning, "Latest")
    assert field(morning, "Latest") == field(await ask(BriefingCore(repository), "/brief briefing:in-tokyo", now=datetime(2026, 2, 1, 15, tzinfo=UTC) + half), "Latest")
