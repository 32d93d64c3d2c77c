"""The calendar of a briefing of several sessions (issue #14 §5): one VEVENT per session, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar

from bot.core.requests import Request
from bot.core.service import BriefingCore, PackFile
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import ask

SUMMIT = Path(__file__).parent / "packs" / "fictional-summit.yaml"
SUMMIT_ID = "fictional-summit"
READER = Request(command="calendar", now=datetime(2026, 3, 1, tzinfo=UTC), platform="discord", user_id="999", briefing_id=SUMMIT_ID)


def uid(session: str) -> str:
    return f"meeting-{session}@{SUMMIT_ID}.briefbot"


async def events(core: BriefingCore) -> dict[str, icalendar.Event]:
    exported = await core.calendar_file(READER)
    assert isinstance(exported, PackFile), exported
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(exported.text).walk("VEVENT")}


async def edit(core: BriefingCore, line: str) -> None:
    reply = await ask(core, f"set briefing:{SUMMIT_ID} {line}", platform="cli", user_id="operator")
    assert reply.kind == "answer", reply.text


async def test_one_event_per_session_timed_or_all_day_in_its_zone_across_dst(core: BriefingCore, store: Store) -> None:
    await store.repository.save(read_pack(SUMMIT))
    found = await events(core)
    assert set(found) == {uid("opening"), uid("ministers"), uid("closing-vote")}
    opening, ministers = (found[uid(s)].decoded("dtstart") for s in ("opening", "ministers"))
    # The same wall clock zone on both sides of Europe's change to summer time (29 March 2026).
    assert (opening.hour, str(opening.tzinfo), opening.utcoffset()) == (10, "Europe/Berlin", timedelta(hours=1))
    assert (ministers.hour, str(ministers.tzinfo), ministers.utcoffset()) == (15, "Europe/Berlin", timedelta(hours=2))
    assert ministers.astimezone(UTC) == datetime(2026, 4, 2, 13, 0, tzinfo=UTC)
    vote = found[uid("closing-vote")]
    assert vote.decoded("dtstart") == date(2026, 4, 10) and vote.decoded("dtend") == date(2026, 4, 11)
    assert str(found[uid("ministers")]["summary"]) == "Ministers' session"


async def test_a_moved_session_keeps_its_uid_and_grows_its_sequence_and_one_no_longer_announced_is_cancelled(
    core: BriefingCore, store: Store
) -> None:
    await store.repository.save(read_pack(SUMMIT))
    before = await events(core)
    await edit(core, 'kind:session id:ministers start:"2026-03-27T15:00"')  # moved before the change: winter time
    after = await events(core)
    moved = after[uid("ministers")]
    assert int(moved["sequence"]) > int(before[uid("ministers")]["sequence"])
    assert int(after[uid("opening")]["sequence"]) == int(before[uid("opening")]["sequence"])  # the others unchanged
    start = moved.decoded("dtstart")
    assert (start.hour, start.utcoffset()) == (15, timedelta(hours=1))
    await edit(core, 'kind:session id:closing-vote date:""')  # neither start nor date: not announced
    # Readers' calendars hold the vote on 10 April: it stays there, cancelled, rather than vanish from the file.
    vote = (await events(core))[uid("closing-vote")]
    assert str(vote["status"]) == "CANCELLED" and vote.decoded("dtstart") == date(2026, 4, 10)
    assert int(vote["sequence"]) > int(after[uid("closing-vote")]["sequence"])


async def test_a_session_on_some_day_of_a_range_is_tentative_free_time_over_it_and_says_so(core: BriefingCore, store: Store) -> None:
    """`date: 2026-04-10/2026-04-12` is one day between the two: all-day over the range, as a calendar can show it, but
    tentative, not taking up the reader's time, and titled as one day not announced, never as three days of voting."""
    await store.repository.save(read_pack(SUMMIT))
    await edit(core, "kind:session id:closing-vote date:2026-04-10/2026-04-12")
    vote = (await events(core))[uid("closing-vote")]
    assert (vote.decoded("dtstart"), vote.decoded("dtend")) == (date(2026, 4, 10), date(2026, 4, 13))
    assert (str(vote["status"]), str(vote["transp"])) == ("TENTATIVE", "TRANSPARENT")
    assert str(vote["summary"]) == "Closing vote (day not announced: 10 April – 12 April 2026)"
    # A day known, it is that day's event again, confirmed.
    await edit(core, "kind:session id:closing-vote date:2026-04-11")
    vote = (await events(core))[uid("closing-vote")]
    assert (str(vote["summary"]), "status" in vote, "transp" in vote) == ("Closing vote", False, False)
