"""`/calendar` through the real core and a real SQLite file: what the .ics holds, its zones, UIDs and SEQUENCE."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
from msgspec.structs import replace

from bot.core.requests import Request
from bot.core.service import BriefingCore, PackFile
from tests.conftest import BRIEFING_ID, ask

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
READER = Request(command="calendar", now=NOW, platform="discord", user_id="999")
MEETING_UID = f"meeting-meeting@{BRIEFING_ID}.briefbot"


async def events(core: BriefingCore) -> dict[str, icalendar.Event]:
    """The calendar a reader gets, parsed back with icalendar, by UID."""
    exported = await core.calendar_file(READER)
    assert isinstance(exported, PackFile) and exported.name == f"{BRIEFING_ID}.ics"
    cal = icalendar.Calendar.from_ical(exported.text)
    return {str(event["uid"]): event for event in cal.walk("VEVENT")}


async def test_the_session_keeps_its_wall_clock_and_iana_zone(core):
    meeting = (await events(core))[MEETING_UID]
    start = meeting.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (11, 0, "America/New_York")
    assert start.astimezone(UTC) == datetime(2026, 2, 3, 16, 0, tzinfo=UTC)


async def test_a_timed_item_is_local_a_dated_one_all_day_and_a_not_announced_one_absent(core):
    reply = await ask(core, "set kind:agenda id:diaspora-meeting date:2026-02-04 time:18:30", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    found = await events(core)
    timed = found[f"agenda-diaspora-meeting@{BRIEFING_ID}.briefbot"].decoded("dtstart")
    assert (timed.hour, timed.minute, str(timed.tzinfo)) == (18, 30, "America/New_York")
    rally = found[f"agenda-plaza-bolivar-rally@{BRIEFING_ID}.briefbot"]
    assert rally.decoded("dtstart") == date(2026, 2, 3) and rally.decoded("dtend") == date(2026, 2, 4)
    assert f"agenda-mcnamara-meeting@{BRIEFING_ID}.briefbot" not in found  # no date: "not announced"


async def test_the_agenda_item_at_the_sessions_start_and_venue_is_the_session_itself_and_shown_once(core):
    """The pack lists "Private meeting with Donald Trump" among the engagements: at 11:00 at the White House, it is
    the meeting, which a reader's calendar showed twice."""
    found = await events(core)
    assert [uid for uid, event in found.items() if event.decoded("dtstart") == found[MEETING_UID].decoded("dtstart")] == [MEETING_UID]
    reply = await ask(core, "set kind:agenda id:white-house time:12:00", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    assert f"agenda-white-house@{BRIEFING_ID}.briefbot" in await events(core)  # another hour: an engagement of its own


async def test_a_month_alone_is_not_a_known_day(core):
    reply = await ask(core, "set kind:agenda id:plaza-bolivar-rally date:2026-02", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    assert f"agenda-plaza-bolivar-rally@{BRIEFING_ID}.briefbot" not in await events(core)


async def test_a_moved_session_keeps_its_uid_grows_its_sequence_and_crosses_dst(core):
    before = (await events(core))[MEETING_UID]
    # US summer time starts on 8 March 2026: the same wall clock is an hour earlier in UTC after it.
    reply = await ask(core, "set kind:meeting start:2026-03-09T11:00", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    after = (await events(core))[MEETING_UID]
    assert int(after["sequence"]) > int(before["sequence"])
    start = after.decoded("dtstart")
    assert (start.hour, str(start.tzinfo), start.utcoffset()) == (11, "America/New_York", timedelta(hours=-4))
    assert before.decoded("dtstart").utcoffset() == timedelta(hours=-5)


async def test_every_zone_used_ships_its_definition(core):
    exported = await core.calendar_file(READER)
    assert isinstance(exported, PackFile)
    cal = icalendar.Calendar.from_ical(exported.text)
    assert {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")} >= {"America/New_York"}


async def test_a_surrogate_in_the_request_is_refused_not_exported(core):
    refused = await core.calendar_file(Request(command="calendar", now=NOW, platform="discord", user_id="\ud800"))
    assert not isinstance(refused, PackFile) and refused.kind == "error"


async def test_a_cancelled_session_is_marked_cancelled_not_dropped(core):
    assert "status" not in (await events(core))[MEETING_UID]
    reply = await ask(core, "set kind:meeting status:cancelled", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    assert str((await events(core))[MEETING_UID]["status"]) == "CANCELLED"


async def test_each_event_names_its_sources_and_a_spanish_readers_calendar_is_spanish_and_says_it_is_translated(core):
    rally = f"agenda-plaza-bolivar-rally@{BRIEFING_ID}.briefbot"
    english = (await events(core))[rally]
    assert "Sources: CubaHeadlines (Joseph Morales), “Gustavo Petro Arrives" in str(english["description"])
    assert "Translated" not in str(english["description"]) and english["summary"].params["LANGUAGE"] == "en"

    exported = await core.calendar_file(replace(READER, locale="es"))
    assert isinstance(exported, PackFile)
    cal = icalendar.Calendar.from_ical(exported.text)
    assert str(cal["x-wr-calname"]).startswith("Petro en Washington")
    spanish = {str(event["uid"]): event for event in cal.walk("VEVENT")}[rally]
    assert str(spanish["summary"]) == "Concentración en la plaza de Bolívar de Bogotá"
    assert spanish["summary"].params["LANGUAGE"] == "es"
    description = str(spanish["description"])
    assert "Fuentes: CubaHeadlines (Joseph Morales), «Gustavo Petro Arrives" in description
    assert description.endswith("Traducido del inglés; las citas y los pasajes de la fuente conservan las palabras originales.")
