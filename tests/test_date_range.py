"""Dates the bot accepts are dates it can compute with: years FIRST_YEAR..LAST_YEAR, everywhere.

A date outside the range is refused where it comes in (a pack, an admin edit, a command option) with
a message naming the range; every date inside it works in every command, digest and alert, in every
zone the shipped pack uses (and the two extremes of the tz database).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.catalogue import Catalogue
from bot.core.dates import FIRST_YEAR, LAST_YEAR, DateOutOfRange, FuzzyDate
from bot.core.digest.model import DigestSettings
from bot.core.digest.runner import DigestRunner
from bot.core.digest.sending import Pace
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import read_pack
from tests.cli_support import briefbot
from tests.conftest import PACK, ask
from tests.digest_support import FakeClock, RecordingPlatform

INTERNAL = Catalogue()("error.internal")
RANGE_WORDS = f"{FIRST_YEAR} to {LAST_YEAR}"
_SHIPPED = read_pack(PACK)
# Every zone the shipped pack names, and the furthest east and west offsets of the tz database.
ZONES = sorted(
    {*(z.zone for z in _SHIPPED.zones), _SHIPPED.sessions[0].zone, *(a.zone for a in _SHIPPED.agenda)}
    | {"Pacific/Kiritimati", "Etc/GMT+12"}
)
EVENT = _SHIPPED.timeline[0].id
AGENDA = _SHIPPED.agenda[0].id
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


@pytest.mark.parametrize("text", ["0001", "0001-01", "0002", "0001/9999", "0999-12-31", "9001", "9999-12-31", "2025/9001"])
def test_years_outside_the_range_are_refused_as_out_of_range(text: str) -> None:
    with pytest.raises(DateOutOfRange):
        FuzzyDate.parse(text)


@pytest.mark.parametrize("text", [f"{FIRST_YEAR}", f"{FIRST_YEAR}-01-01", f"{LAST_YEAR}-12-31", f"{FIRST_YEAR}/{LAST_YEAR}"])
def test_the_ends_of_the_range_are_accepted(text: str) -> None:
    parsed = FuzzyDate.parse(text)
    assert FIRST_DAY <= parsed.first <= parsed.last <= LAST_DAY


@pytest.mark.parametrize("value", ["0001", "0001-01", "0002", "0001/9999", "9999"])
@pytest.mark.parametrize("option", ["from", "to"])
async def test_timeline_options_outside_the_range_name_the_range(core: BriefingCore, option: str, value: str) -> None:
    reply = await ask(core, f"timeline {option}:{value}")
    assert reply.kind == "error"
    assert RANGE_WORDS in reply.text and value in reply.text


@pytest.mark.parametrize(
    ("line", "path"),
    [
        ("set kind:meeting start:0001-01-01T00:00", "start"),
        ("set kind:meeting start:9999-12-31T23:59 zone:America/Los_Angeles", "start"),
        ("set kind:meeting start:0999-12-31T23:59 zone:Pacific/Kiritimati", "start"),
        (f"set kind:timeline id:{EVENT} date:0500", "date"),
    ],
)
async def test_admin_edits_outside_the_range_are_refused_and_change_nothing(core: BriefingCore, line: str, path: str) -> None:
    before = await core.repository.briefing()
    reply = await ask(core, line)
    assert reply.kind == "error" and f"{path}: outside the years the bot handles, {RANGE_WORDS}" in reply.text, reply.text
    assert (await core.repository.briefing()).version == before.version
    for command in ("brief", "meeting", "timeline"):
        assert (await ask(core, command)).kind == "answer"


@st.composite
def fuzzy_dates(draw: st.DrawFn) -> str:
    """Any date text the parser accepts: a year, a month, a day, or a range of those, within the range."""
    first, last = sorted((draw(st.dates(FIRST_DAY, LAST_DAY)), draw(st.dates(FIRST_DAY, LAST_DAY))))
    width = {"year": 4, "month": 7, "day": 10}
    start = first.isoformat()[: width[draw(st.sampled_from(list(width)))]]
    end = last.isoformat()[: width[draw(st.sampled_from(list(width)))]]
    return draw(st.sampled_from([start, f"{start}/{end}"]))


local_starts = st.datetimes(datetime(FIRST_YEAR, 1, 1), datetime(LAST_YEAR, 12, 31, 23, 59)).map(lambda t: t.replace(second=0, microsecond=0))
# The clock itself: any instant whose date in any zone stays within the range.
instants = st.datetimes(datetime(FIRST_YEAR, 1, 2), datetime(LAST_YEAR, 12, 30), timezones=st.just(UTC))


def runner_at(core: BriefingCore, store: Store, instant: datetime) -> DigestRunner:
    """The real digest loop, on a clock stopped at `instant`, posting to a recording platform."""
    clock = FakeClock(instant)
    return DigestRunner(core, store.digests, RecordingPlatform(clock), clock, owner="t", pace=Pace(clock, None), settings=DigestSettings())


@given(zone=st.sampled_from(ZONES), start=local_starts, event=fuzzy_dates(), window=st.tuples(fuzzy_dates(), fuzzy_dates()), now=instants)
@example(zone="Pacific/Kiritimati", start=datetime(FIRST_YEAR, 1, 1), event=f"{FIRST_YEAR}/{LAST_YEAR}",
         window=(f"{FIRST_YEAR}", f"{LAST_YEAR}-12-31"), now=datetime(FIRST_YEAR, 1, 2, tzinfo=UTC))
@example(zone="Etc/GMT+12", start=datetime(LAST_YEAR, 12, 31, 23, 59), event=f"{LAST_YEAR}-12-31",
         window=(f"{FIRST_YEAR}-01-01/{LAST_YEAR}", f"{LAST_YEAR}"), now=datetime(LAST_YEAR, 12, 30, tzinfo=UTC))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_every_accepted_date_works_in_every_command_digest_and_alert(
    core: BriefingCore, store: Store, caplog: pytest.LogCaptureFixture,
    zone: str, start: datetime, event: str, window: tuple[str, str], now: datetime,
) -> None:
    caplog.clear()
    edited = await ask(core, f"set kind:meeting start:{start:%Y-%m-%dT%H:%M} zone:{zone} status:scheduled", now=now)
    assert edited.kind == "answer" or "does not exist" in edited.text, edited.text  # only a DST gap may refuse it
    assert (await ask(core, f"set kind:timeline id:{EVENT} date:{event}", now=now)).kind == "answer"
    # An agenda item at the meeting's local day and clock (the digest's "next 24 hours" looks at it).
    agenda = f"set kind:agenda id:{AGENDA} date:{start:%Y-%m-%d} time:{start:%H:%M} zone:{zone}"
    assert (await ask(core, agenda, now=now)).kind == "answer"
    lines = ("brief", "meeting", f"timeline from:{window[0]}", f"timeline to:{window[1]}",
             f"timeline from:{window[0]} to:{window[1]}", "timeline", "agenda", "quotes", "sources", "history")
    for line in lines:
        reply = await ask(core, line, now=now)
        assert reply.text != INTERNAL, (line, caplog.text)
    meeting = (await core.repository.briefing()).sessions[0]
    assert meeting.starts_at is not None
    subscribed = await ask(core, f"subscribe platform:discord channel:c tz:{zone} alerts:all", now=min(now, meeting.starts_at) - timedelta(days=2))
    assert subscribed.kind == "answer", subscribed.text
    # The digest loop at the reader's instant and at each alert's moment: due, composed, sent.
    for instant in (now, meeting.starts_at - timedelta(hours=24), meeting.starts_at - timedelta(hours=1), meeting.starts_at):
        runner = runner_at(core, store, instant)
        report = await runner.tick()
        assert report.why == [], caplog.text
        assert await runner.next_wake() > instant
    assert "Traceback" not in caplog.text


def test_the_cli_clock_takes_the_range_and_refuses_beyond_it(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, "ask", "subscribe platform:discord channel:c1 alerts:all").returncode == 0
    for instant in (f"{FIRST_YEAR}-01-01T00:00Z", f"{LAST_YEAR}-12-31T23:59Z"):
        preview = briefbot("--db", db, "digest", "preview", "--now", instant)
        assert preview.returncode == 0 and "Traceback" not in preview.stderr, preview.stderr
    refused = briefbot("--db", db, "digest", "preview", "--now", "9999-12-31T23:00Z")
    assert refused.returncode == 2 and f"outside the years the bot handles, {RANGE_WORDS}" in refused.stderr
