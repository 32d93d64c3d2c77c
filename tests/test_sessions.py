"""A briefing of several sessions (issue #14 §4): the fictional three-session pack under tests/packs/.

`/meeting` before, between and after the sessions (console, the real discord.py and the real bolt),
`/brief`'s countdown, choosing a session by its title, admin edits of one session, and bad packs.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from msgspec.structs import replace

from bot.core.catalogue import catalogue_for
from bot.core.dates import FuzzyDate
from bot.core.digest.preview import preview_digest, preview_subscription
from bot.core.model import Briefing
from bot.core.pack import pack_mapping, parse_pack
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.core.sessions import _day_at, _last_instant
from bot.core.status import status_field, status_until
from bot.errors import PackError
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import ask
from tests.discord_fake import FakeDiscord
from tests.discord_support import connected
from tests.load_support import load_pack
from tests.slack_fake import slash_payload
from tests.test_slack_http import Harness, serving_bot, texts

SUMMIT = Path(__file__).parent / "packs" / "fictional-summit.yaml"
SUMMIT_ID = "fictional-summit"
BEFORE = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BETWEEN = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
AFTER = datetime(2026, 4, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
async def summit(store: Store) -> Store:
    """The seeded store with the fictional summit beside the shipped pack."""
    await store.repository.save(read_pack(SUMMIT))
    return store


def three_zones(summit: Briefing) -> Briefing:
    """The summit as an operator found it (issue: a briefing of several sessions): a time, then a day in another zone
    (7 March in Tokyo begins at 15:00 UTC on the 6th, while it is still the 6th in Berlin), then only a month."""
    opening, ministers, vote = summit.sessions
    ministers = replace(ministers, starts_at=None, date=FuzzyDate.parse("2026-03-07"), zone="Asia/Tokyo")
    return replace(summit, sessions=(opening, ministers, replace(vote, date=FuzzyDate.parse("2026-03"))))


@pytest.fixture
async def three_zoned(store: Store) -> Store:
    """The seeded store with `three_zones`' summit beside the shipped pack."""
    await store.repository.save(three_zones(read_pack(SUMMIT)))
    return store


OPENING_UTC = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
OVERDUE = "Scheduled · was due to start 30 minutes ago; no update recorded since"


def field(reply: Reply, name: str) -> str:
    return next(f.value for f in reply.fields if f.name == name)


async def meeting(core: BriefingCore, now: datetime, options: str = "") -> Reply:
    reply = await ask(core, f"/meeting briefing:{SUMMIT_ID} {options}", now=now)
    assert reply.kind == "answer", reply.text
    return reply


async def test_meeting_shows_the_next_session_then_the_current_one_then_the_last(core: BriefingCore, summit: Store) -> None:
    before = await meeting(core, BEFORE)
    assert before.title == "Session 1 of 3: Opening session"
    assert field(before, "Status") == "Scheduled · in 4 days and 21 hours"
    assert field(before, "Other sessions").splitlines() == [
        "• Ministers' session — Thu 2 April 2026, 15:00 CEST (Lakeside) · Scheduled (session:ministers)",
        "• Closing vote — 10 April 2026 · Scheduled (session:closing-vote)",
    ]
    between = await meeting(core, BETWEEN)
    assert between.title == "Session 2 of 3: Ministers' session"
    # Its own zone first, then each other zone of the briefing; Lakeside has moved to summer time by then.
    assert field(between, "When").splitlines() == [
        "Thu 2 April 2026, 15:00 CEST (Lakeside)",
        "Thu 2 April 2026, 09:00 EDT (New York)",
        "Thu 2 April 2026, 22:00 JST (Tokyo)",
    ]
    after = await meeting(core, AFTER)
    assert after.title == "Session 3 of 3: Closing vote"
    assert field(after, "When") == "10 April 2026"  # only the day is known
    # Ten days after its day, with no update, it no longer reads as if still ahead (it said "start time not announced").
    assert field(after, "Status") == "Scheduled · 10 April 2026 has passed; no update recorded since"
    on_the_day = await meeting(core, datetime(2026, 4, 10, 12, 0, tzinfo=UTC))
    assert field(on_the_day, "Status") == "Scheduled · today, time not announced"  # as /brief says (the When field names the day)


async def test_a_session_in_progress_known_only_by_its_day_reads_the_next_day_as_on_its_day(core: BriefingCore, summit: Store) -> None:
    """Marked in progress on its day, the closing vote read "In progress · 10 April 2026 has passed; no update recorded
    since" afterwards, denying the update that said so: it reads as on its day, what is known, in English and Spanish."""
    marked = await ask(core, f"set kind:session id:closing-vote status:in_progress briefing:{SUMMIT_ID}",
                       now=datetime(2026, 4, 10, 9, 0, tzinfo=UTC), platform="cli", user_id="operator")
    assert marked.kind == "answer", marked.text
    assert field(await meeting(core, AFTER, "session:closing-vote"), "Status") == "In progress · start time not announced"
    spanish = await ask(core, f"/reunión informe:{SUMMIT_ID} sesión:closing-vote", now=AFTER, locale="es")
    assert field(spanish, "Estado") == "En curso · hora de inicio sin anunciar"
    [vote] = [s for s in (await core.repository.briefing(SUMMIT_ID)).sessions if s.id == "closing-vote"]
    said = {language: status_field(vote, AFTER, catalogue_for(language), dated=True).value for language in ("en", "es")}
    assert said == {"en": "In progress · 10 April 2026, start time not announced", "es": "En curso · 10 de abril de 2026, hora de inicio sin anunciar"}
    assert status_until(vote, AFTER, catalogue_for("en"))[1] > AFTER  # and reads so from then on: kept, not redone at each ask


async def test_a_spanish_reader_reads_the_zones_cities_as_cldr_names_them(core: BriefingCore, summit: Store) -> None:
    """The pack translates no zone label: a city's name is CLDR's (New York → Nueva York), a place CLDR does not know
    (Lakeside) is a name as written, and neither is marked "(sin traducir)"."""
    between = await ask(core, f"/reunión informe:{SUMMIT_ID}", now=BETWEEN, locale="es")
    assert field(between, "Cuándo").splitlines() == [
        "jueves, 2 de abril de 2026, 15:00 hora de verano de Europa central (Lakeside)",
        "jueves, 2 de abril de 2026, 09:00 hora de verano oriental (Nueva York)",
        "jueves, 2 de abril de 2026, 22:00 hora estándar de Japón (Tokio)",
    ]


@pytest.mark.parametrize(("locale", "city"), [("en", "Mexico City"), ("es", "Ciudad de México")])
async def test_a_zone_the_briefing_does_not_list_is_named_by_its_city_in_the_readers_language(
    core: BriefingCore, store: Store, locale: str, city: str
) -> None:
    summit = read_pack(SUMMIT)
    opening, ministers, vote = summit.sessions
    await store.repository.save(replace(summit, sessions=(opening, replace(ministers, zone="America/Mexico_City"), vote)))
    between = await ask(core, f"/meeting briefing:{SUMMIT_ID}", now=BETWEEN, locale=locale)
    assert between.fields[0].value.splitlines()[0].endswith(f"07:00 {'CST' if locale == 'en' else 'hora estándar central'} ({city})")


async def test_a_session_known_only_to_its_month_comes_after_the_sessions_dated_within_it(core: BriefingCore, three_zoned: Store) -> None:
    """It may fall on any day of March: ordered by its first instant (1 March) it came first, took /brief, /meeting and
    the digest for the whole month from the timed opening, and was numbered session 1."""
    for now in (BEFORE, OPENING_UTC - timedelta(minutes=1)):
        shown = await meeting(core, now)
        assert shown.title == "Session 1 of 3: Opening session", now
        assert field(shown, "Other sessions").splitlines() == [
            "• Ministers' session — 7 March 2026 · Scheduled (session:ministers)",
            "• Closing vote — March 2026 · Scheduled (session:closing-vote)",
        ]
    assert field(await ask(core, f"/brief briefing:{SUMMIT_ID}", now=BEFORE), "Status") == "Scheduled · in 4 days and 21 hours"
    assert (await meeting(core, BEFORE, "session:closing-vote")).title == "Session 3 of 3: Closing vote"
    assert (await ask(core, f"/meeting briefing:{SUMMIT_ID}", now=BEFORE, locale="es")).title.startswith("Sesión 1 de 3: Opening session")
    digest = await preview_digest(core, preview_subscription(core.settings.digest, await core.repository.briefing(SUMMIT_ID)), BEFORE, "en")
    assert "“Opening session”: Scheduled · in 4 days and 21 hours" in (digest.text or ""), digest.text
    # Once the days known go by, the month is what is left of the summit.
    later = await meeting(core, datetime(2026, 3, 8, 12, 0, tzinfo=UTC))
    assert later.title == "Session 3 of 3: Closing vote" and field(later, "When") == "March 2026"


async def test_a_start_passed_with_no_update_says_so_until_its_day_ends(core: BriefingCore, summit: Store) -> None:
    """As the docs promise and one session did: not the next session the moment the start passes."""
    for line in (f"/brief briefing:{SUMMIT_ID}", f"/meeting briefing:{SUMMIT_ID}"):
        assert field(await ask(core, line, now=OPENING_UTC + timedelta(minutes=30)), "Status") == OVERDUE, line
    berlin_midnight = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)
    assert (await meeting(core, berlin_midnight - timedelta(microseconds=1))).title == "Session 1 of 3: Opening session"
    assert (await meeting(core, berlin_midnight)).title == "Session 2 of 3: Ministers' session"


async def test_a_start_late_in_its_evening_stays_overdue_into_the_next_morning(core: BriefingCore, summit: Store) -> None:
    """A start at 23:30 had half an hour before its day ended: no digest of the next morning said it was due."""
    moved = await ask(core, f"set briefing:{SUMMIT_ID} kind:session id:opening start:2026-03-06T23:30", platform="cli", user_id="operator")
    assert moved.kind == "answer", moved.text
    start = datetime(2026, 3, 6, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    morning = await meeting(core, start + timedelta(hours=8))  # 07:30 the next day in Berlin
    assert morning.title == "Session 1 of 3: Opening session", morning.title
    assert field(morning, "Status").startswith("Scheduled · was due to start 8 hours ago"), field(morning, "Status")
    assert (await meeting(core, start + timedelta(hours=12, minutes=1))).title == "Session 2 of 3: Ministers' session"


async def test_a_start_passed_with_no_update_gives_way_when_another_session_may_begin(core: BriefingCore, three_zoned: Store) -> None:
    assert field(await meeting(core, OPENING_UTC + timedelta(minutes=30)), "Status") == OVERDUE
    tokyo_midnight = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)  # the ministers' day begins there
    assert (await meeting(core, tokyo_midnight - timedelta(microseconds=1))).title == "Session 1 of 3: Opening session"
    ministers = await meeting(core, tokyo_midnight)
    assert ministers.title == "Session 2 of 3: Ministers' session" and field(ministers, "When") == "7 March 2026"


async def test_a_cancelled_session_does_not_end_an_overdue_ones_hold(core: BriefingCore, three_zoned: Store) -> None:
    """Only a session that may still begin gives an overdue one way: a cancelled one cannot begin."""
    edited = await ask(core, f"set briefing:{SUMMIT_ID} kind:session id:ministers status:cancelled", platform="cli", user_id="operator")
    assert edited.kind == "answer", edited.text
    shown = await meeting(core, datetime(2026, 3, 6, 15, 0, tzinfo=UTC))  # the ministers' day would begin in Tokyo
    assert shown.title == "Session 1 of 3: Opening session" and field(shown, "Status").startswith("Scheduled · was due to start 6 hours")


async def set_statuses(core: BriefingCore, **statuses: str) -> None:
    for session, status in statuses.items():
        edited = await ask(core, f"set briefing:{SUMMIT_ID} kind:session id:{session} status:{status}", platform="cli", user_id="operator")
        assert edited.kind == "answer", edited.text


async def test_a_cancelled_or_postponed_session_never_began_so_its_passed_date_changes_nothing(core: BriefingCore, summit: Store) -> None:
    """Weeks after the event the last session, called off, must not become the event's state once its day passes."""
    await set_statuses(core, **{"opening": "concluded", "ministers": "concluded", "closing-vote": "cancelled"})
    for now in (datetime(2026, 4, 5, 12, 0, tzinfo=UTC), AFTER):  # before and after the cancelled vote's day
        for line in (f"/brief briefing:{SUMMIT_ID}", f"/meeting briefing:{SUMMIT_ID}"):
            assert field(await ask(core, line, now=now), "Status") == "Concluded", (line, now)
        assert (await meeting(core, now)).title == "Session 2 of 3: Ministers' session"
    # A postponed session's old day passing does not make it the one that began either.
    await set_statuses(core, ministers="postponed")
    assert (await meeting(core, AFTER)).title == "Session 1 of 3: Opening session"
    # None held: one to be held another time says more than one called off; all called off, the event reads so.
    await set_statuses(core, opening="cancelled")
    assert field(await meeting(core, AFTER), "Status") == "Postponed"
    await set_statuses(core, ministers="cancelled")
    assert (await meeting(core, AFTER)).title == "Session 1 of 3: Opening session" and field(await meeting(core, AFTER), "Status") == "Cancelled"


async def test_a_session_in_progress_comes_first(core: BriefingCore, summit: Store) -> None:
    edited = await ask(core, f"set briefing:{SUMMIT_ID} kind:session id:opening status:in_progress", platform="cli", user_id="operator")
    assert edited.kind == "answer", edited.text
    assert (await meeting(core, BETWEEN)).title == "Session 1 of 3: Opening session"


async def test_a_session_is_chosen_by_id_or_title_words(core: BriefingCore, summit: Store) -> None:
    assert (await meeting(core, BEFORE, "session:closing-vote")).title == "Session 3 of 3: Closing vote"
    assert (await meeting(core, BEFORE, 'session:"ministers"')).title == "Session 2 of 3: Ministers' session"
    unknown = await ask(core, f"/meeting briefing:{SUMMIT_ID} session:gala", now=BEFORE)
    assert unknown.kind == "error"
    assert unknown.text == "There is no session “gala”. The sessions: Opening session, Ministers' session, Closing vote."
    ambiguous = await ask(core, f"/meeting briefing:{SUMMIT_ID} session:session", now=BEFORE)  # two titles say "session"
    assert ambiguous.kind == "error" and ambiguous.text.startswith("No single session is called “session”")


async def test_brief_counts_down_to_the_next_session(core: BriefingCore, summit: Store) -> None:
    before = await ask(core, f"/brief briefing:{SUMMIT_ID}", now=BEFORE)
    between = await ask(core, f"/brief briefing:{SUMMIT_ID}", now=BETWEEN)
    assert field(before, "Status") == "Scheduled · in 4 days and 21 hours"
    assert field(between, "Status") == "Scheduled · in 13 days and 1 hour"
    assert field(between, "When").startswith("Thu 2 April 2026, 15:00 CEST (Lakeside)")


async def test_a_single_session_briefing_answers_as_before(core: BriefingCore) -> None:
    reply = await ask(core, "/meeting")
    assert reply.title == "Meeting: Gustavo Petro & Donald Trump"
    assert "Other sessions" not in [f.name for f in reply.fields]


async def test_a_single_session_is_headed_by_its_own_title(core: BriefingCore, store: Store) -> None:
    """The shipped pack's one `meeting:` repeats the briefing's title, so its parties head it (above); a title of its own does."""
    summit = read_pack(SUMMIT)
    opening = summit.sessions[0]
    await store.repository.save(replace(summit, sessions=(opening,)))
    assert (await ask(core, f"/meeting briefing:{SUMMIT_ID}", now=BEFORE)).title == f"Meeting: {opening.title}"
    assert (await ask(core, f"/reunión briefing:{SUMMIT_ID}", now=BEFORE, locale="es")).title == f"Reunión: {opening.title} (sin traducir)"


async def test_an_admin_adds_a_session_from_chat(core: BriefingCore, summit: Store) -> None:
    """Only the fields a chat can set: the status starts scheduled, the outcome unknown and the stakes empty (imports write them)."""
    added = await ask(core, f'add briefing:{SUMMIT_ID} kind:session id:gala title:"Gala dinner" parties:mara-velde '
                            'date:2026-04-11 venue:"Lakeside hall" format:Dinner aims:Thanks topics:culture '
                            'sources:fictional-wire evidence:"The summit closes on 10 April."', platform="cli", user_id="operator")
    assert added.kind == "answer", added.text
    gala = next(s for s in (await summit.repository.briefing(SUMMIT_ID)).sessions if s.id == "gala")
    assert (gala.status, gala.outcome, gala.stakes) == ("scheduled", "", ())
    shown = await meeting(core, BEFORE, "session:gala")
    assert shown.title == "Session 4 of 4: Gala dinner" and field(shown, "Outcome") == "No outcome announced yet"
    assert (await ask(core, f"undo briefing:{SUMMIT_ID}", platform="cli", user_id="operator")).kind == "answer"
    assert await summit.repository.briefing(SUMMIT_ID) == read_pack(SUMMIT)


async def test_session_titles_autocomplete(core: BriefingCore, summit: Store) -> None:
    request = Request(command="meeting", now=BEFORE, platform="discord", user_id="1", options={"briefing": SUMMIT_ID})
    choices = await core.complete(request, "session", "min")
    assert [(c.label, c.value) for c in choices] == [("Ministers' session", "ministers")]


async def test_admin_edits_name_a_session_and_meeting_names_only_the_only_one(core: BriefingCore, summit: Store) -> None:
    moved = await ask(core, f'set briefing:{SUMMIT_ID} kind:session id:ministers start:"2026-04-03T15:00"', platform="cli", user_id="operator")
    assert moved.kind == "answer", moved.text
    briefing = await summit.repository.briefing(SUMMIT_ID)
    assert next(s for s in briefing.sessions if s.id == "ministers").starts_at == datetime(2026, 4, 3, 13, 0, tzinfo=UTC)
    history = await ask(core, f"history briefing:{SUMMIT_ID} kind:session id:ministers", platform="cli", user_id="operator")
    assert history.items[0].title.endswith("session/ministers changed")
    undone = await ask(core, f"undo briefing:{SUMMIT_ID}", platform="cli", user_id="operator")
    assert undone.kind == "answer", undone.text
    assert await summit.repository.briefing(SUMMIT_ID) == read_pack(SUMMIT)
    several = await ask(core, f"set briefing:{SUMMIT_ID} kind:meeting status:postponed", platform="cli", user_id="operator")
    assert several.kind == "error"
    assert several.text == "This briefing has 3 sessions (opening, ministers, closing-vote): name one with kind:session id:…"
    added = await ask(core, f'add briefing:{SUMMIT_ID} kind:session id:gala title:"Gala dinner" parties:mara-velde venue:"Harbour Hall"'
                      ' format:Dinner outcome:"" sources:fictional-wire', platform="cli", user_id="operator")
    assert added.kind == "error" and "evidence" in added.text  # a session needs its passage, like any item
    assert await summit.repository.briefing(SUMMIT_ID) == read_pack(SUMMIT)


def _summit_data() -> dict[str, Any]:
    return copy.deepcopy(pack_mapping(read_pack(SUMMIT)))


def _problems(data: dict[str, Any]) -> set[tuple[str, str]]:
    with pytest.raises(PackError) as raised:
        parse_pack(data, "summit.yaml")
    return {(p.path, p.key) for p in raised.value.problems}


async def test_a_start_is_held_in_datetimes_own_utc(summit: Store) -> None:
    """As a request's clock is, read from a pack or from the store: two instants with the same zone object compare and
    subtract field by field, where a zone object of another kind (`ZoneInfo("UTC")`) is asked its offset at every step."""
    for briefing in (read_pack(SUMMIT), await summit.repository.briefing(SUMMIT_ID)):
        starts = [s.starts_at for s in briefing.sessions if s.starts_at is not None]
        assert starts and all(start.tzinfo is UTC for start in starts)


def test_two_sessions_with_one_id_are_refused() -> None:
    data = _summit_data()
    data["sessions"][2]["id"] = "opening"
    assert _problems(data) == {("sessions[2].id", "pack.duplicate_id")}


def test_a_start_and_a_date_together_are_refused() -> None:
    data = _summit_data()
    data["sessions"][0]["date"] = "2026-03-06"
    assert _problems(data) == {("sessions[0].date", "pack.start_and_date")}


def test_sessions_and_meeting_together_are_refused_and_no_sessions_is_empty() -> None:
    data = _summit_data()
    data["meeting"] = dict(data["sessions"][0])
    assert ("meeting", "pack.meeting_and_sessions") in _problems(data)
    empty = _summit_data()
    empty["sessions"] = []
    assert _problems(empty) == {("sessions", "pack.empty")}
    no_zones = _summit_data()
    no_zones["briefing"]["zones"] = []
    assert ("briefing.zones", "pack.empty") in _problems(no_zones)


async def test_a_pack_with_a_duplicate_session_changes_nothing_when_loaded(summit: Store, tmp_path: Path) -> None:
    bad = tmp_path / "summit.yaml"
    bad.write_text(SUMMIT.read_text(encoding="utf-8").replace("  - id: closing-vote", "  - id: opening"), encoding="utf-8")
    with pytest.raises(PackError):
        await load_pack(summit, bad)
    assert await summit.repository.briefing(SUMMIT_ID) == read_pack(SUMMIT)


# Through the real discord.py against the loopback Discord (its interactions are made on 1 February
# 2026, before the summit) and the real bolt against the loopback Slack.


@pytest.fixture
async def discord_bot(fake: FakeDiscord, summit: Store) -> AsyncIterator[FakeDiscord]:
    async with connected(fake, BriefingCore(summit.repository, digests=summit.digests)):
        yield fake


async def test_meeting_through_discord(discord_bot: FakeDiscord) -> None:
    fake = discord_bot
    body = await fake.interact(fake.command("meeting", {"briefing": SUMMIT_ID}))
    assert body["data"]["embeds"][0]["title"] == "Session 1 of 3: Opening session"
    body = await fake.interact(fake.command("meeting", {"briefing": SUMMIT_ID, "session": "closing-vote"}))
    assert body["data"]["embeds"][0]["title"] == "Session 3 of 3: Closing vote"
    completed = await fake.interact(fake.autocomplete("meeting", "session", "vote", {"briefing": SUMMIT_ID}))
    assert completed["data"]["choices"] == [{"name": "Closing vote", "value": "closing-vote"}]


async def test_a_spanish_discord_reader_reads_the_zones_cities_as_cldr_names_them(discord_bot: FakeDiscord) -> None:
    fake = discord_bot
    body = await fake.interact(fake.command("meeting", {"briefing": SUMMIT_ID, "public": True}, locale="es-419"))
    when = body["data"]["embeds"][0]["fields"][0]
    assert when["name"] == "Cuándo" and "sin traducir" not in when["value"]
    # After Discord's own timestamp line, the wall clock of each zone.
    assert [line.rsplit(" (", 1)[1] for line in when["value"].splitlines()[1:]] == ["Lakeside)", "Nueva York)", "Tokio)"]


@pytest.fixture
async def slack_bot(summit: Store) -> AsyncIterator[Harness]:
    async with serving_bot(BriefingCore(summit.repository, digests=summit.digests), workspace_admins=False) as running:
        yield running


async def test_meeting_through_slack(slack_bot: Harness) -> None:
    h = slack_bot
    fields = slash_payload("/brief", f'meeting briefing:{SUMMIT_ID} session:"ministers"', h.slack.response_url("s1"))
    assert (await h.send(urlencode(fields), "application/x-www-form-urlencoded")).status == 200
    (answer,) = await h.slack.wait_for("hook/s1")
    assert "Session 2 of 3: Ministers' session" in texts(answer.body)
    assert "Closing vote" in texts(answer.body)  # the others, briefly


# Zones whose clocks jump at or across midnight, skip a whole day (Apia, December 2011), move by half an hour (Lord Howe),
# sit 14 hours from UTC or 45 minutes off the hour, beside the venues the packs use.
DAY_ZONES = (
    "America/New_York", "Europe/Madrid", "Europe/Berlin", "America/Bogota", "America/Santiago", "America/Havana",
    "Asia/Beirut", "America/Asuncion", "Pacific/Apia", "Australia/Lord_Howe", "Pacific/Kiritimati", "Pacific/Pago_Pago",
    "Asia/Kathmandu", "Pacific/Chatham", "UTC",
)


def test_a_venues_day_is_the_date_its_wall_clock_reads() -> None:
    """The venue's date found among kept last instants is the one converting the clock gives, through every clock change."""
    rng, tick = Random(25), timedelta(microseconds=1)
    start, end = datetime(2011, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    for name in DAY_ZONES:
        zone = ZoneInfo(name)
        instants = [start + timedelta(seconds=rng.randrange(int((end - start).total_seconds()))) for _ in range(300)]
        # Each change of offset, found hour by hour, and the local midnights beside it.
        hour, moment = timedelta(hours=1), start
        while moment < end:
            if moment.astimezone(zone).utcoffset() != (moment + hour).astimezone(zone).utcoffset():
                instants += [moment + k * timedelta(minutes=15) for k in range(-8, 13)]
            moment += hour
        for day in {i.astimezone(zone).date() for i in instants}:
            last = _last_instant(zone, day)
            instants += [last - tick, last, last + tick]
        for now in instants:
            day = now.astimezone(zone).date()
            assert _day_at(zone, now) == (day, _last_instant(zone, day)), (name, now)
