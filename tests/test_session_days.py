"""A session known only by its day, on that day, beside a timed one the digest, /brief and /meeting count down.

The fictional summit's closing vote has a day (10 April 2026, in Lakeside) and no time. With the ministers' session
moved to 15:00 that day, the digest and /brief follow the timed session (the next to begin) and used to hide the vote
on the one day it is news: the day after first said "10 April 2026 has passed". /meeting and /briefings say the same
on that day, through each renderer; the digest's "Next 24 hours" names it from the day before, and a timed session
within them on the channel's clock. Real core, real SQLite file, the digest loop on a simulated clock.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from msgspec.structs import replace

from bot.adapters.console import render_text
from bot.adapters.discord_app.render import render_embeds
from bot.adapters.slack_app.render import render_reply
from bot.core.catalogue import catalogue_for
from bot.core.digest.model import Subscription
from bot.core.digest.preview import preview_digest, preview_subscription
from bot.core.pack import pack_mapping, parse_pack
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import ask
from tests.digest_support import FakeClock, RecordingPlatform
from tests.test_digest_runner import runner_for
from tests.test_session_alerts import SPANISH, START, SUMMIT

VOTE_DAY = datetime(2026, 4, 9, 22, 0, tzinfo=UTC)  # 10 April begins in Lakeside (CEST)


async def _summit_with_both_on_the_vote_s_day(core: BriefingCore, store: Store, desk: bool = False) -> None:
    """The summit, its titles in Spanish too, with the ministers' session at 15:00 on the closing vote's day; `desk`: the
    vote cites a source of its own too, which nothing else cites."""
    data = pack_mapping(read_pack(SUMMIT))
    if desk:
        data["sources"].append({"id": "desk", "publisher": "Desk", "title": "Note"})
    for session in data["sessions"]:
        session["translations"] = {"es": {"title": SPANISH[session["id"]]}}
        if session["id"] == "ministers":
            session["start"] = "2026-04-10T15:00"
        if desk and session["id"] == "closing-vote":
            session["sources"].append("desk")
    await store.repository.save(parse_pack(data, "fictional-summit.yaml"))


def _texts(platform: RecordingPlatform, channel: str) -> dict[str, str]:
    """Each digest the channel got, by the day it is for."""
    return {post.key.rsplit(":", 1)[1]: post.reply.text for post in platform.posted if post.channel == channel}


def _field(reply: Reply, name: str) -> str | None:
    return next((field.value for field in reply.fields if field.name == name), None)


async def test_a_session_known_only_by_its_day_is_in_that_day_s_digest_as_today_without_a_time(core: BriefingCore, store: Store) -> None:
    await _summit_with_both_on_the_vote_s_day(core, store)
    channels = {  # channel: (its subscription's options, the subscriber's language)
        "lakeside": ("time:07:30 tz:Europe/Berlin", "en"),
        "es": ("time:07:30 tz:Europe/Berlin", "es"),
        # 20:00 on 9 April in New York is 02:00 on the 10th in Lakeside: the vote's day there, not yet the reader's.
        "ny": ("time:20:00 tz:America/New_York", "en"),
    }
    for channel, (options, language) in channels.items():
        reply = await ask(core, f"subscribe platform:discord channel:{channel} briefing:fictional-summit alerts:none {options}", now=START, locale=language)
        assert reply.kind == "answer", reply.text
    clock = FakeClock(datetime(2026, 4, 8, 12, 0, tzinfo=UTC))
    platform = RecordingPlatform(clock)
    runner = runner_for(core, store, platform, clock, poll=timedelta(days=1))
    while clock.now() < datetime(2026, 4, 11, 12, 0, tzinfo=UTC):
        await runner.tick()
        clock.set(await runner.next_wake())
    lakeside, spanish, new_york = (_texts(platform, channel) for channel in channels)
    assert lakeside["2026-04-10"] == ("Nothing new since the last digest. “Ministers' session”: Scheduled · in 7 hours and 30 minutes. "
                                      "“Closing vote”: Scheduled · today, time not announced.")
    assert spanish["2026-04-10"] == ("Nada nuevo desde el último boletín. «Sesión de ministros»: Programada · en 7 horas y 30 minutos. "
                                     "«Votación final»: Programada · hoy, hora sin anunciar.")
    # Already its day in Lakeside, tomorrow on the reader's clock.
    assert new_york["2026-04-09"] == ("Nothing new since the last digest. “Ministers' session”: Scheduled · in 13 hours. "
                                      "“Closing vote”: Scheduled · tomorrow, 10 April 2026, time not announced.")
    # Before its day, as a digest with news lists it under "Next 24 hours"; not "today" after it: the day after, it has passed.
    assert lakeside["2026-04-09"].endswith("“Closing vote”: Scheduled · tomorrow, 10 April 2026, time not announced.")
    assert new_york["2026-04-08"].endswith("“Closing vote”: Scheduled · 10 April 2026, start time not announced.")  # two days off there
    assert lakeside["2026-04-11"] == "Nothing new since the last digest. “Closing vote”: Scheduled · 10 April 2026 has passed; no update recorded since."


async def test_a_quiet_eve_names_tomorrow_s_session_known_only_by_its_day(core: BriefingCore, store: Store) -> None:
    """The day before the vote, with the ministers' session at 15:00 on its day, a quiet digest named that session alone:
    the vote, which a digest with news lists under "Next 24 hours", went unnamed until its day. It reads as the timed one
    does, beside it: when, never a time the sources do not give; and it is cited, as everything a digest names is."""
    await _summit_with_both_on_the_vote_s_day(core, store, desk=True)
    reply = await ask(core, "subscribe platform:discord channel:c1 briefing:fictional-summit alerts:none time:07:30 tz:Europe/Berlin", now=START)
    assert reply.kind == "answer", reply.text
    [subscription] = await store.digests.subscriptions()
    the_eve = VOTE_DAY - timedelta(hours=23)  # the 07:30 slot of 9 April, in Lakeside
    told = await preview_digest(core, subscription, the_eve, "en")
    assert told.text == ("Nothing new since this channel subscribed. “Ministers' session”: Scheduled · in 1 day and 7 hours. "
                         "“Closing vote”: Scheduled · tomorrow, 10 April 2026, time not announced.")
    assert "Desk, “Note”" in [source.label for source in told.sources]
    spanish = await preview_digest(core, replace(subscription, language="es"), the_eve, "es")
    assert spanish.text.endswith("«Votación final»: Programada · mañana, 10 de abril de 2026, hora sin anunciar.")
    # The vote itself followed (the ministers' session held), its line says tomorrow the same way.
    held = await ask(core, "set briefing:fictional-summit kind:session id:ministers status:concluded", now=START, platform="cli", user_id="operator")
    assert held.kind == "answer", held.text
    [latest] = await store.repository.revisions("fictional-summit", limit=1)
    followed = await preview_digest(core, replace(subscription, seen_revision=latest.id), the_eve, "en")  # the edit seen
    assert followed.text == "Nothing new since this channel subscribed. “Closing vote”: Scheduled · tomorrow, 10 April 2026, time not announced."


async def test_the_session_followed_reads_today_on_its_own_day_too(core: BriefingCore, store: Store) -> None:
    """The summit as shipped: on 10 April the closing vote is itself the session next, and its line says so the same way."""
    await store.repository.save(read_pack(SUMMIT))
    reply = await ask(core, "subscribe platform:discord channel:c1 briefing:fictional-summit alerts:none time:07:30 tz:Europe/Berlin", now=START)
    assert reply.kind == "answer", reply.text
    [subscription] = await store.digests.subscriptions()
    told = await preview_digest(core, subscription, VOTE_DAY + timedelta(hours=7), "en")  # the 07:30 slot ahead, in Lakeside
    assert told.text == "Nothing new since this channel subscribed. “Closing vote”: Scheduled · today, time not announced."


async def test_a_digest_with_news_gives_the_day_s_session_its_own_status_field(core: BriefingCore, store: Store) -> None:
    await _summit_with_both_on_the_vote_s_day(core, store)
    edited = await ask(core, 'set briefing:fictional-summit kind:session id:opening venue:"Lake Pavilion"', now=START, platform="cli", user_id="operator")
    assert edited.kind == "answer", edited.text
    subscription = preview_subscription(core.settings.digest, await core.repository.briefing("fictional-summit"))
    told = await preview_digest(core, subscription, VOTE_DAY + timedelta(hours=1), "en")  # the 07:30 slot of 10 April, in Lakeside
    assert [(field.name, field.value) for field in told.fields[:3]] == [
        ("Status · Ministers' session", "Scheduled · in 7 hours and 30 minutes"),
        ("When · Ministers' session", "Fri 10 April 2026, 15:00 CEST (Lakeside)\nFri 10 April 2026, 09:00 EDT (New York)\nFri 10 April 2026, 22:00 JST (Tokyo)"),
        ("Status · Closing vote", "Scheduled · today, time not announced"),
    ]


async def test_a_digest_with_news_on_the_followed_session_s_day_says_today_and_lists_it_in_the_next_24_hours(core: BriefingCore, store: Store) -> None:
    """The summit as shipped, with news: on 10 April the closing vote, known only by its day, is the session followed. Its
    status read "start time not announced" beside its When field, as on any day before, while /brief said "today"; and
    "Next 24 hours" said "Nothing on the agenda" on the day it is due."""
    data = pack_mapping(read_pack(SUMMIT))
    for session in data["sessions"]:
        session["translations"] = {"es": {"title": SPANISH[session["id"]]}}
    await store.repository.save(parse_pack(data, "fictional-summit.yaml"))
    edited = await ask(core, 'set briefing:fictional-summit kind:session id:opening venue:"Lake Pavilion"', now=START, platform="cli", user_id="operator")
    assert edited.kind == "answer", edited.text
    subscription = preview_subscription(core.settings.digest, await core.repository.briefing("fictional-summit"))

    async def fields(now: datetime, language: str = "en") -> dict[str, str]:
        return {field.name: field.value for field in (await preview_digest(core, subscription, now, language)).fields}

    on_the_day = await fields(VOTE_DAY + timedelta(hours=1))  # the 07:30 slot of 10 April, in Lakeside
    assert (on_the_day["Status · Closing vote"], on_the_day["When · Closing vote"]) == ("Scheduled · today, time not announced", "10 April 2026")
    assert on_the_day["Next 24 hours"] == "• Closing vote — 10 April 2026 · time not announced · Harbour Hall, Lakeside"
    spanish = await fields(VOTE_DAY + timedelta(hours=1), "es")
    assert spanish["Estado · Votación final"] == "Programada · hoy, hora sin anunciar"
    assert spanish["Próximas 24 horas"] == "• Votación final — 10 de abril de 2026 · hora sin anunciar · Harbour Hall, Lakeside (sin traducir)"  # the venue, as the pack gives it
    # The day before, its day falls in the next 24 hours (it said "Nothing on the agenda."): its date alone, no time.
    the_day_before = VOTE_DAY - timedelta(hours=23)  # the 07:30 slot of 9 April, in Lakeside
    assert (await fields(the_day_before))["Next 24 hours"] == "• Closing vote — 10 April 2026 · time not announced · Harbour Hall, Lakeside"
    assert (await fields(the_day_before, "es"))["Próximas 24 horas"] == "• Votación final — 10 de abril de 2026 · hora sin anunciar · Harbour Hall, Lakeside (sin traducir)"
    # Two days before, its day is further than 24 hours off; the day after, its day is over.
    for other_day in (VOTE_DAY - timedelta(hours=47), VOTE_DAY + timedelta(days=1, hours=1)):
        assert (await fields(other_day))["Next 24 hours"] == "Nothing on the agenda.", other_day


async def test_the_brief_names_a_session_due_today_at_a_time_not_announced(core: BriefingCore, store: Store) -> None:
    await _summit_with_both_on_the_vote_s_day(core, store)

    async def brief(now: datetime, language: str = "en") -> Reply:
        return await ask(core, "brief briefing:fictional-summit", now=now, locale=language)

    morning = VOTE_DAY + timedelta(hours=9)  # 09:00 in Lakeside: the ministers' session is counted down, the vote is today too
    assert _field(await brief(morning), "Status") == "Scheduled · in 6 hours"
    assert _field(await brief(morning), "Also today") == "Closing vote, time not announced"
    assert _field(await brief(morning, "es"), "También hoy") == "Votación final, hora sin anunciar"
    assert [field.name for field in (await brief(morning)).fields[:3]] == ["When", "Status", "Also today"]
    # Its day begins and ends in its zone: a brief kept from just before (or asked just after) does not name it.
    for now in (VOTE_DAY - timedelta(microseconds=1), VOTE_DAY + timedelta(days=1)):
        assert _field(await brief(now), "Also today") is None
    assert _field(await brief(VOTE_DAY), "Also today") == "Closing vote, time not announced"
    # A session in progress is the one shown past midnight; the vote's day is over there, and with it its "today".
    marked = await ask(core, "set briefing:fictional-summit kind:session id:ministers status:in_progress", now=morning, platform="cli", user_id="operator")
    assert marked.kind == "answer", marked.text
    assert _field(await brief(VOTE_DAY + timedelta(days=1)), "Status") == "In progress · started 9 hours ago"
    assert _field(await brief(VOTE_DAY + timedelta(days=1)), "Also today") is None


async def test_the_meeting_names_a_session_due_today_at_a_time_not_announced(core: BriefingCore, store: Store) -> None:
    """/meeting said "start time not announced" on the vote's day, as on any day before it, and beside the ministers'
    session did not name the vote at all: now it says what /brief says."""
    await _summit_with_both_on_the_vote_s_day(core, store)

    async def meeting(now: datetime, language: str = "en", session: str = "") -> Reply:
        return await ask(core, f"meeting briefing:fictional-summit {session}", now=now, locale=language)

    morning = VOTE_DAY + timedelta(hours=9)  # 09:00 in Lakeside: the ministers' session is counted down, the vote is today too
    followed = await meeting(morning)
    assert [(field.name, field.value) for field in followed.fields[1:3]] == [("Status", "Scheduled · in 6 hours"), ("Also today", "Closing vote, time not announced")]
    assert _field(await meeting(morning, "es"), "También hoy") == "Votación final, hora sin anunciar"
    vote = await meeting(morning, session="session:closing-vote")
    assert (_field(vote, "When"), _field(vote, "Status"), _field(vote, "Also today")) == ("10 April 2026", "Scheduled · today, time not announced", None)
    assert _field(await meeting(morning, "es", "session:closing-vote"), "Estado") == "Programada · hoy, hora sin anunciar"
    # The meeting kept from the morning is not the answer just before the day began, nor the day after.
    assert _field(await meeting(VOTE_DAY - timedelta(microseconds=1)), "Also today") is None
    assert _field(await meeting(VOTE_DAY - timedelta(microseconds=1), session="session:closing-vote"), "Status") == "Scheduled · start time not announced"
    after = VOTE_DAY + timedelta(days=1)
    assert _field(await meeting(after, session="session:closing-vote"), "Status") == "Scheduled · 10 April 2026 has passed; no update recorded since"


# The summit as shipped, the closing vote (10 April in Lakeside, no time) its next session, read in Tokyo, seven hours
# ahead: 05:00 on the 10th there is still the 9th in Lakeside, 06:00 on the 11th still the 10th. Each instant: /meeting's
# status line and /briefings' line for the summit, in English and Spanish. Never a time or a countdown: the day, or today.
_TOKYO_READINGS = {
    VOTE_DAY - timedelta(hours=2): {  # the day before in Lakeside
        "en": ("Scheduled · start time not announced", "Scheduled · next session: 10 April 2026"),
        "es": ("Programada · hora de inicio sin anunciar", "Programada · próxima sesión: 10 de abril de 2026"),
    },
    VOTE_DAY + timedelta(hours=23): {  # its day in Lakeside, the next in Tokyo: the day stays named beside "today"
        "en": ("Scheduled · today, time not announced", "Scheduled · next session: today, 10 April 2026, time not announced"),
        "es": ("Programada · hoy, hora sin anunciar", "Programada · próxima sesión: hoy, 10 de abril de 2026, hora sin anunciar"),
    },
    VOTE_DAY + timedelta(hours=25): {  # the day after in Lakeside
        "en": ("Scheduled · 10 April 2026 has passed; no update recorded since", "Scheduled · session: 10 April 2026"),
        "es": ("Programada · 10 de abril de 2026 ya pasó; no hay novedades desde entonces", "Programada · sesión: 10 de abril de 2026"),
    },
}


def _rendered(reply: Reply, language: str) -> dict[str, str]:
    """The reply as each renderer sends it: the console's text, Discord's embeds and Slack's blocks."""
    return {
        "console": render_text(reply, language),
        "discord": json.dumps([embed.to_dict() for embed in render_embeds(reply, catalogue_for(language))], ensure_ascii=False),
        "slack": json.dumps(render_reply(reply, locale=language), ensure_ascii=False),
    }


async def test_the_meeting_and_the_briefings_list_say_today_on_its_day_alone_in_every_renderer(core: BriefingCore, store: Store) -> None:
    """On its day /briefings called the vote "session: 10 April 2026", as if it had begun, and /meeting "start time not
    announced", as on the days before."""
    await store.repository.save(read_pack(SUMMIT))
    for now, languages in _TOKYO_READINGS.items():
        for language, (status, line) in languages.items():
            meeting = await ask(core, "meeting briefing:fictional-summit", now=now, locale=language)
            assert meeting.fields[1].value == status, (now, language)
            brief = await ask(core, "brief briefing:fictional-summit", now=now, locale=language)
            assert brief.fields[1].value == status, (now, language)  # what /brief says at that instant
            listed = await ask(core, "briefings", now=now, locale=language)
            [summit] = [item for item in listed.items if item.title.endswith("(fictional-summit)")]
            assert summit.text == line, (now, language)
            meetings, lists = _rendered(meeting, language), _rendered(listed, language)
            for renderer, shown in meetings.items():
                assert status in shown and line in lists[renderer], (now, language, renderer)
                # No instant for a reader's clock (Discord's <t:…:R>, Slack's <!date…>): it would count down to a made-up time.
                assert "<t:" not in shown + lists[renderer] and "<!date" not in shown + lists[renderer], (now, language, renderer)


async def test_the_briefings_list_names_a_session_due_today_beside_the_timed_one(core: BriefingCore, store: Store) -> None:
    """With the ministers' session at 15:00 on the vote's day, /briefings named that session alone all day, as /brief
    and /meeting did before their "Also today"."""
    await _summit_with_both_on_the_vote_s_day(core, store)

    async def line(now: datetime, language: str = "en") -> str:
        listed = await ask(core, "briefings", now=now, locale=language)
        [summit] = [item for item in listed.items if item.title.endswith("(fictional-summit)")]
        return summit.text

    morning = VOTE_DAY + timedelta(hours=9)  # 09:00 in Lakeside
    assert await line(morning) == ("Scheduled · next session: Fri 10 April 2026, 15:00 CEST (Lakeside) · "
                                   "also today, 10 April 2026: Closing vote, time not announced")
    assert (await line(morning, "es")).endswith(" · también hoy, 10 de abril de 2026: Votación final, hora sin anunciar")
    # Its day begins and ends in its zone: the page remembered from the morning is not the answer just before or after it.
    for now in (VOTE_DAY - timedelta(microseconds=1), VOTE_DAY + timedelta(days=1)):
        assert "Closing vote" not in await line(now), now
    assert (await line(VOTE_DAY)).endswith(" · also today, 10 April 2026: Closing vote, time not announced")


async def test_the_next_24_hours_name_a_timed_session_on_the_channel_s_clock_and_a_day_s_session_the_day_before(core: BriefingCore, store: Store) -> None:
    """A New York digest at 20:00 on 9 April, 13 hours before the ministers' session (15:00 in Lakeside) on the vote's day:
    "Next 24 hours" said "Nothing on the agenda."; the session showed only in its Status and When fields."""
    await _summit_with_both_on_the_vote_s_day(core, store, desk=True)
    edited = await ask(core, 'set briefing:fictional-summit kind:session id:opening venue:"Lake Pavilion"', now=START, platform="cli", user_id="operator")
    assert edited.kind == "answer", edited.text
    subscription = preview_subscription(core.settings.digest, await core.repository.briefing("fictional-summit"))
    new_york = replace(subscription, zone="America/New_York", time=time(20, 0))

    async def next_24_hours(subscription: Subscription, now: datetime, language: str = "en") -> str:
        told = await preview_digest(core, subscription, now, language)
        return next(field.value for field in told.fields if field.name in ("Next 24 hours", "Próximas 24 horas"))

    evening = datetime(2026, 4, 9, 23, 0, tzinfo=UTC)  # 19:00 in New York: its 20:00 slot ahead
    assert (await next_24_hours(new_york, evening)).splitlines() == [
        "• Ministers' session — Fri 10 April 2026, 09:00 EDT (New York) · Harbour Hall, Lakeside",  # the channel's clock
        "• Closing vote — 10 April 2026 · time not announced · Harbour Hall, Lakeside",  # already its day in Lakeside
    ]
    assert (await next_24_hours(new_york, evening, "es")).splitlines()[0] == (
        "• Sesión de ministros — viernes, 10 de abril de 2026, 09:00 hora de verano oriental (Nueva York) · Harbour Hall, Lakeside (sin traducir)")
    # Lakeside's 07:30 digest of 9 April: the ministers' session is 31 and a half hours off, not in the next 24; the vote,
    # named there alone, is cited as everything a digest shows is.
    assert (await next_24_hours(subscription, VOTE_DAY - timedelta(hours=23))).splitlines() == [
        "• Closing vote — 10 April 2026 · time not announced · Harbour Hall, Lakeside",
    ]
    assert "Desk, “Note”" in [source.label for source in (await preview_digest(core, subscription, VOTE_DAY - timedelta(hours=23), "en")).sources]
    # Once begun (marked in progress), a session is not "coming" in the next 24 hours.
    marked = await ask(core, "set briefing:fictional-summit kind:session id:ministers status:in_progress", now=evening, platform="cli", user_id="operator")
    assert marked.kind == "answer", marked.text
    assert "Ministers' session" not in await next_24_hours(new_york, evening)
