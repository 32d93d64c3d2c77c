"""`/calendar` through the real core and a real SQLite file: what the .ics holds, its zones, UIDs and SEQUENCE."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import icalendar
from msgspec.structs import replace

from bot.core.requests import Request
from bot.core.service import BriefingCore, PackFile
from tests.conftest import BRIEFING_ID, ask

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
READER = Request(command="calendar", now=NOW, platform="discord", user_id="999")
MEETING_UID = f"meeting-meeting@{BRIEFING_ID}.briefbot"
RALLY_UID = f"agenda-plaza-bolivar-rally@{BRIEFING_ID}.briefbot"
WHITE_HOUSE_UID = f"agenda-white-house@{BRIEFING_ID}.briefbot"


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


async def test_a_month_alone_is_not_a_known_day_so_the_rally_placed_before_is_withdrawn_at_its_day(core):
    dated = await ask(core, "set kind:agenda id:mcnamara-meeting date:2026-02", platform="cli", user_id="operator")
    assert dated.kind != "error", dated.text
    assert f"agenda-mcnamara-meeting@{BRIEFING_ID}.briefbot" not in await events(core)  # never placed: never an event
    reply = await ask(core, "set kind:agenda id:plaza-bolivar-rally date:2026-02", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    rally = (await events(core))[RALLY_UID]
    assert str(rally["status"]) == "CANCELLED" and rally.decoded("dtstart") == date(2026, 2, 3)


async def test_a_moved_session_is_one_event_at_its_new_time_not_a_second_beside_the_agenda_copy(core):
    """The agenda's "Private meeting with Donald Trump" (11:00, the White House) is the meeting: moved to 14:00, the meeting
    was one event and the agenda item another at 11:00, as it no longer matched the session's start."""
    before = await events(core)
    reply = await ask(core, "set kind:meeting start:2026-02-03T14:00", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    after = await events(core)
    assert set(after) == set(before) and WHITE_HOUSE_UID not in after
    meeting = after[MEETING_UID]
    assert meeting.decoded("dtstart").hour == 14 and int(meeting["sequence"]) > int(before[MEETING_UID]["sequence"])


async def test_a_session_moved_by_a_reloaded_pack_is_one_event_too(core, store):
    shipped = await store.repository.briefing(BRIEFING_ID)
    moved = replace(shipped.sessions[0], starts_at=shipped.sessions[0].starts_at + timedelta(hours=3))
    assert await store.repository.save(replace(shipped, sessions=(moved,)))
    found = await events(core)
    assert WHITE_HOUSE_UID not in found and found[MEETING_UID].decoded("dtstart").hour == 14


async def test_a_postponed_session_whose_start_is_cleared_is_cancelled_at_its_old_time_under_the_same_uid(core):
    """It vanished from the file, so a calendar that had imported it kept the meeting at 11:00 for ever, and the agenda's
    copy of the meeting came back as an event of its own."""
    before = (await events(core))[MEETING_UID]
    reply = await ask(core, 'set kind:meeting status:postponed start:""', platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    exported = await core.calendar_file(replace(READER, locale="es"))
    assert isinstance(exported, PackFile)
    found = {str(event["uid"]): event for event in icalendar.Calendar.from_ical(exported.text).walk("VEVENT")}
    meeting = found[MEETING_UID]
    assert str(meeting["status"]) == "CANCELLED" and int(meeting["sequence"]) > int(before["sequence"])
    assert meeting.decoded("dtstart") == before.decoded("dtstart")  # where readers' calendars hold it
    assert str(meeting["summary"]).startswith("Aplazada: Petro en Washington")
    assert WHITE_HOUSE_UID not in found


async def test_a_removed_agenda_item_is_cancelled_under_its_uid_and_an_undo_brings_it_back(core):
    before = (await events(core))[RALLY_UID]
    reply = await ask(core, "remove kind:agenda id:plaza-bolivar-rally", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    gone = (await events(core))[RALLY_UID]
    assert str(gone["status"]) == "CANCELLED" and int(gone["sequence"]) > int(before["sequence"])
    assert str(gone["summary"]) == "Off the schedule: Rally in Bogotá's Plaza de Bolívar"
    assert gone.decoded("dtstart") == before.decoded("dtstart")
    reply = await ask(core, "undo", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    back = (await events(core))[RALLY_UID]
    assert "status" not in back and int(back["sequence"]) > int(gone["sequence"])


async def test_a_postponed_session_keeping_its_start_is_tentative_and_says_so(core):
    reply = await ask(core, "set kind:meeting status:postponed", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    meeting = (await events(core))[MEETING_UID]
    assert str(meeting["status"]) == "TENTATIVE"
    assert str(meeting["summary"]) == "Postponed: Petro in Washington: the White House meeting with Trump"


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


def onsets(zone: icalendar.Timezone, name: str) -> list[datetime]:
    """When each of the zone's observances of one kind (STANDARD, DAYLIGHT) begins, as the file lists them."""
    found = []
    for part in zone.walk(name):
        rdates = part.get("rdate", [])  # one property, or a list of them when given on several lines
        found += [part.decoded("dtstart"), *(period.dt for rdate in (rdates if isinstance(rdates, list) else [rdates]) for period in rdate.dts)]
    return found


async def test_zone_definitions_cover_every_events_year_and_come_in_one_order(core):
    """A reader that goes by the file's VTIMEZONE puts a 2040 summer session at its summer offset; the same export is the
    same file each time (the zones sorted, not in a set's order)."""
    lines = ["set kind:meeting start:2040-07-05T11:00", *(
        f"set kind:agenda id:{item} date:2026-02-0{n} time:09:00 zone:{zone}"
        for n, (item, zone) in enumerate((("diaspora-meeting", "Europe/Madrid"), ("georgetown-lecture", "Asia/Tokyo"),
                                          ("cocoa-entrepreneurs", "America/Bogota"), ("congress-members", "Australia/Sydney")), 4)
    )]
    for line in lines:
        reply = await ask(core, line, platform="cli", user_id="operator")
        assert reply.kind != "error", reply.text
    exported = await core.calendar_file(READER)
    assert isinstance(exported, PackFile)
    zones = icalendar.Calendar.from_ical(exported.text).walk("VTIMEZONE")
    assert [str(zone["tzid"]) for zone in zones] == ["America/Bogota", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Europe/Madrid"]
    new_york = zones[1]
    summer = max(when for when in onsets(new_york, "DAYLIGHT") if when < datetime(2040, 7, 5, 11))
    winter = max(when for when in onsets(new_york, "STANDARD") if when < datetime(2040, 7, 5, 11))
    assert summer.year == 2040 and summer > winter  # 5 July 2040 is in the summer the file defines


async def test_a_year_9000_event_gives_its_zone_that_years_rules_not_every_year_up_to_it(core):
    """An admin's typo (9000 for 2026) must not make the file hold 7,000 years of New York's changes (230 KB a zone, seconds
    to build): the zone's rules cover the years its events fall in, and the 9000 meeting is still at its summer offset."""
    lines = ["set kind:meeting start:9000-07-05T11:00", "set kind:agenda id:georgetown-lecture date:2026-02-04 time:09:00 zone:America/New_York"]
    for line in lines:
        reply = await ask(core, line, platform="cli", user_id="operator")
        assert reply.kind != "error", reply.text
    exported = await core.calendar_file(READER)
    assert isinstance(exported, PackFile)
    (new_york,) = icalendar.Calendar.from_ical(exported.text).walk("VTIMEZONE")
    starts = {kind: onsets(new_york, kind) for kind in ("STANDARD", "DAYLIGHT")}
    assert {when.year for found in starts.values() for when in found} == {2026, 9000}
    assert sum(map(len, starts.values())) == 6 and len(new_york.to_ical()) < 1500  # two years of three onsets each
    summer = max(when for when in starts["DAYLIGHT"] if when < datetime(9000, 7, 5, 11))
    winter = max(when for when in starts["STANDARD"] if when < datetime(9000, 7, 5, 11))
    assert summer.year == 9000 and summer > winter


async def test_the_calendar_is_built_off_the_event_loops_thread(core, monkeypatch):
    """Even the shipped pack's file takes milliseconds to build, more than any command may hold the loop."""
    seen: list[str] = []
    to_ical = icalendar.Calendar.to_ical

    def noted(cal: icalendar.Calendar, *args: object) -> bytes:
        seen.append(threading.current_thread().name)
        return to_ical(cal, *args)

    monkeypatch.setattr(icalendar.Calendar, "to_ical", noted)
    assert isinstance(await core.calendar_file(READER), PackFile)
    assert seen and threading.current_thread().name not in seen, seen


async def test_a_surrogate_in_the_request_is_refused_not_exported(core):
    refused = await core.calendar_file(Request(command="calendar", now=NOW, platform="discord", user_id="\ud800"))
    assert not isinstance(refused, PackFile) and refused.kind == "error"


async def test_a_cancelled_session_is_marked_cancelled_not_dropped(core):
    assert "status" not in (await events(core))[MEETING_UID]
    reply = await ask(core, "set kind:meeting status:cancelled", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    meeting = (await events(core))[MEETING_UID]
    assert str(meeting["status"]) == "CANCELLED" and str(meeting["summary"]).startswith("Cancelled: Petro in Washington")


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


async def test_an_agenda_item_on_some_day_of_a_range_is_tentative_free_time_over_it(core):
    reply = await ask(core, "set kind:agenda id:plaza-bolivar-rally date:2026-02-03/2026-02-05", platform="cli", user_id="operator")
    assert reply.kind != "error", reply.text
    rally = (await events(core))[RALLY_UID]
    assert (rally.decoded("dtstart"), rally.decoded("dtend")) == (date(2026, 2, 3), date(2026, 2, 6))
    assert (str(rally["status"]), str(rally["transp"])) == ("TENTATIVE", "TRANSPARENT")
    assert str(rally["summary"]).endswith("(day not announced: 3 February – 5 February 2026)")
