"""Alerts per session (issue #14 §4): the fictional three-session pack, a simulated clock and a real SQLite file.

Each session with a known time gets its own 24 h, 1 h and start alerts, each once; moving one session
re-plans only its alerts (the old ones are never due, the new ones due once); every alert names its session,
in the reader's language, as posted through the real discord.py and slack_sdk to the loopback servers.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from bot.adapters.discord_app.digests import open_sender as discord_sender
from bot.adapters.slack_app.digests import open_sender as slack_sender
from bot.core.catalogue import catalogue_for
from bot.core.digest.ledger import NewSubscription
from bot.core.digest.model import Subscription
from bot.core.digest.preview import preview_digest, preview_subscription
from bot.core.digest.runner import DigestRunner
from bot.core.model import Briefing
from bot.core.pack import pack_mapping, parse_pack
from bot.core.service import BriefingCore
from bot.settings import DiscordSettings, Settings, SlackSettings
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import ask
from tests.digest_support import FakeClock, RecordingPlatform
from tests.discord_fake import TOKEN as DISCORD_TOKEN
from tests.discord_fake import FakeDiscord
from tests.slack_fake import BOT_TOKEN, FakeSlack
from tests.test_digest_runner import runner_for

SUMMIT = Path(__file__).parent / "packs" / "fictional-summit.yaml"
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OPENING = "2026-03-06T09:00Z"  # 10:00 in Lakeside (CET)
MINISTERS = "2026-04-02T13:00Z"  # 15:00 in Lakeside (CEST, after the clocks change on 29 March)
MOVED = "2026-04-03T13:00Z"


async def _run_until(runner: object, clock: FakeClock, end: datetime) -> None:
    while clock.now() < end:
        await runner.tick()  # type: ignore[attr-defined]
        clock.set(min(end, await runner.next_wake()))  # type: ignore[attr-defined]
    await runner.tick()  # type: ignore[attr-defined]


def _alerts(platform: RecordingPlatform) -> list[str]:
    return [key for key in platform.keys() if key.startswith("alert:")]  # noqa: SIM118 - RecordingPlatform.keys()


async def _subscribed(core: BriefingCore, store: Store) -> tuple[FakeClock, RecordingPlatform, object]:
    await store.repository.save(read_pack(SUMMIT))
    clock = FakeClock(START)
    platform = RecordingPlatform(clock)
    reply = await ask(core, "subscribe platform:discord channel:c1 briefing:fictional-summit time:23:59 tz:UTC", now=START)
    assert reply.kind == "answer", reply.text
    return clock, platform, runner_for(core, store, platform, clock, poll=timedelta(days=1))


async def test_each_timed_session_gets_its_alerts_once(core: BriefingCore, store: Store) -> None:
    clock, platform, runner = await _subscribed(core, store)
    await _run_until(runner, clock, datetime(2026, 4, 15, tzinfo=UTC))
    assert _alerts(platform) == [
        f"alert:24h:opening:{OPENING}", f"alert:1h:opening:{OPENING}", f"alert:start:opening:{OPENING}",
        f"alert:24h:ministers:{MINISTERS}", f"alert:1h:ministers:{MINISTERS}", f"alert:start:ministers:{MINISTERS}",
    ]  # the closing vote has only a day: no timed alert
    titles = [p.reply.title for p in platform.posted if p.key.startswith("alert:24h:")]
    assert titles == [
        "In 24 hours: Opening session — Mara Velde & Tomas Ricard",
        "In 24 hours: Ministers' session — Mara Velde & Tomas Ricard",
    ]
    for post in platform.posted:
        if post.key.startswith("alert:24h:ministers"):
            assert post.at == datetime(2026, 4, 1, 13, 0, tzinfo=UTC)


async def test_moving_one_session_replans_only_its_alerts(core: BriefingCore, store: Store) -> None:
    clock, platform, runner = await _subscribed(core, store)
    await _run_until(runner, clock, datetime(2026, 3, 30, tzinfo=UTC))
    assert _alerts(platform) == [f"alert:{name}:opening:{OPENING}" for name in ("24h", "1h", "start")]
    moved = await ask(core, 'set briefing:fictional-summit kind:session id:ministers start:"2026-04-03T15:00"',
                      now=clock.now(), platform="cli", user_id="operator")
    assert moved.kind == "answer", moved.text
    await _run_until(runner, clock, datetime(2026, 4, 15, tzinfo=UTC))
    assert _alerts(platform) == [
        *(f"alert:{name}:opening:{OPENING}" for name in ("24h", "1h", "start")),
        *(f"alert:{name}:ministers:{MOVED}" for name in ("24h", "1h", "start")),
    ]  # never the old time's, each new one once, and the opening's were not sent again


async def test_moving_a_session_to_another_city_replans_its_alerts_at_the_new_instant(core: BriefingCore, store: Store) -> None:
    clock, platform, runner = await _subscribed(core, store)
    await _run_until(runner, clock, datetime(2026, 3, 30, tzinfo=UTC))
    moved = await ask(core, "set briefing:fictional-summit kind:session id:ministers zone:America/New_York", now=clock.now(),
                      platform="cli", user_id="operator")  # 15:00 on New York's clock: 19:00 UTC, six hours later
    assert moved.kind == "answer", moved.text
    await _run_until(runner, clock, datetime(2026, 4, 15, tzinfo=UTC))
    assert _alerts(platform)[3:] == [f"alert:{name}:ministers:2026-04-02T19:00Z" for name in ("24h", "1h", "start")]


async def test_a_session_moved_to_another_city_reads_as_moved_from_its_own_clock(core: BriefingCore, store: Store) -> None:
    await store.repository.save(_summit_with_spanish_titles())
    subscription = await _edited_and_subscribed(
        core,
        "set briefing:fictional-summit kind:session id:ministers zone:America/New_York",  # same wall clock, six hours later
        'set briefing:fictional-summit kind:session id:opening start:"2026-03-07T10:00" zone:Europe/Madrid venue:"Madrid"',
    )
    told = await preview_digest(core, subscription, START, "en")
    assert told.text.split("\n\n") == [
        "The start of “Opening session” moved: it is now Sat 7 March 2026, 10:00 CET (Madrid); it was Fri 6 March 2026, 10:00 CET (Lakeside).",
        "The start of “Ministers' session” moved: it is now Thu 2 April 2026, 15:00 EDT (New York); it was Thu 2 April 2026, 15:00 CEST (Lakeside).",
        "1 change since this channel subscribed:",
    ]
    # The zones are told in the lead: the opening's venue alone is listed, the ministers' session not at all.
    assert [(item.title, item.text) for item in told.items] == [("Session: Opening session", "Venue: now “Madrid”; it was “Harbour Hall, Lakeside”.")]
    spanish = (await preview_digest(core, subscription, START, "es")).text.split("\n\n")
    assert spanish[:2] == [
        "El inicio de «Sesión de apertura» ha cambiado: ahora es sábado, 7 de marzo de 2026, 10:00 hora estándar de Europa central (Madrid); "
        "antes era viernes, 6 de marzo de 2026, 10:00 hora estándar de Europa central (Lakeside).",
        "El inicio de «Sesión de ministros» ha cambiado: ahora es jueves, 2 de abril de 2026, 15:00 hora de verano oriental (Nueva York); "
        "antes era jueves, 2 de abril de 2026, 15:00 hora de verano de Europa central (Lakeside).",
    ]


async def test_a_zone_renamed_on_the_same_instant_is_no_move(core: BriefingCore, store: Store) -> None:
    """A session's zone changed to another on the same clock (Lakeside's Berlin to Paris, New York to its alias US/Eastern)
    starts at the same instant: a zone line, as any other field's, not "moved"; a real move in the same digest reads as moved."""
    data = pack_mapping(_summit_with_spanish_titles())
    closing = next(session for session in data["sessions"] if session["id"] == "closing-vote")
    del closing["date"]
    closing.update(start="2026-04-10T10:00", zone="America/New_York")
    await store.repository.save(parse_pack(data, "fictional-summit.yaml"))
    subscription = await _edited_and_subscribed(
        core,
        "set briefing:fictional-summit kind:session id:ministers zone:Europe/Paris",
        "set briefing:fictional-summit kind:session id:closing-vote zone:US/Eastern",
        "set briefing:fictional-summit kind:session id:opening zone:America/New_York",
    )
    told = await preview_digest(core, subscription, START, "en")
    assert told.text.split("\n\n") == [
        "The start of “Opening session” moved: it is now Fri 6 March 2026, 10:00 EST (New York); it was Fri 6 March 2026, 10:00 CET (Lakeside).",
        "2 changes since this channel subscribed:",
    ]
    assert [(item.title, item.text) for item in told.items] == [
        ("Session: Closing vote", "Time zone: now “US/Eastern”; it was “America/New_York”."),
        ("Session: Ministers' session", "Time zone: now “Europe/Paris”; it was “Europe/Berlin”."),
    ]
    spanish = await preview_digest(core, subscription, START, "es")
    assert [sentence.startswith("El inicio de «Sesión de apertura» ha cambiado") for sentence in spanish.text.split("\n\n")] == [True, False]
    assert [item.text for item in spanish.items] == [
        "Zona horaria: ahora es «US/Eastern»; antes era «America/New_York».", "Zona horaria: ahora es «Europe/Paris»; antes era «Europe/Berlin».",
    ]


async def test_a_start_given_in_another_zone_at_the_same_instant_is_said_so_not_as_a_move(core: BriefingCore, store: Store) -> None:
    """A start and zone changed together to the same instant (15:00 in Lakeside → 09:00 in New York) did not move, but it
    now reads another clock time: said so, with both readings, never as moved nor as a bare "Time zone" line; the same
    when the zone and the start were changed by two edits."""
    await store.repository.save(_summit_with_spanish_titles())
    subscription = await _edited_and_subscribed(
        core,
        'set briefing:fictional-summit kind:session id:ministers start:"2026-04-02T09:00" zone:America/New_York',
        "set briefing:fictional-summit kind:session id:opening zone:America/New_York",  # 10:00 in New York: a move, for now
        'set briefing:fictional-summit kind:session id:opening start:"2026-03-06T04:00"',  # and back: 09:00 UTC as first
    )
    told = await preview_digest(core, subscription, START, "en")
    assert told.text.split("\n\n") == [
        "The start of “Opening session” has not moved; it is now given in another time zone: Fri 6 March 2026, 04:00 EST (New York), "
        "the same moment as Fri 6 March 2026, 10:00 CET (Lakeside).",
        "The start of “Ministers' session” has not moved; it is now given in another time zone: Thu 2 April 2026, 09:00 EDT (New York), "
        "the same moment as Thu 2 April 2026, 15:00 CEST (Lakeside).",
    ] and not told.items  # the zones are told in those sentences: no "Time zone" line, no "2 changes"
    spanish = await preview_digest(core, subscription, START, "es")
    assert spanish.text.split("\n\n")[1] == (
        "El inicio de «Sesión de ministros» no ha cambiado; ahora se indica en otro huso horario: jueves, 2 de abril de 2026, 09:00 "
        "hora de verano oriental (Nueva York), el mismo momento que antes se indicaba como jueves, 2 de abril de 2026, 15:00 "
        "hora de verano de Europa central (Lakeside)."
    ) and not spanish.items


async def test_a_start_given_in_another_zone_at_the_same_instant_keeps_its_alerts(core: BriefingCore, store: Store) -> None:
    """Alerts tell no start change: the session's alerts stay those of its instant, each sent once, and read its new clock."""
    clock, platform, runner = await _subscribed(core, store)
    await _run_until(runner, clock, datetime(2026, 4, 1, 13, 30, tzinfo=UTC))  # the ministers' 24 h alert is sent
    given = await ask(core, 'set briefing:fictional-summit kind:session id:ministers start:"2026-04-02T09:00" zone:America/New_York',
                      now=clock.now(), platform="cli", user_id="operator")
    assert given.kind == "answer", given.text
    await _run_until(runner, clock, datetime(2026, 4, 15, tzinfo=UTC))
    assert _alerts(platform)[3:] == [f"alert:{name}:ministers:{MINISTERS}" for name in ("24h", "1h", "start")]
    hour_before = next(post.reply for post in platform.posted if post.key.startswith("alert:1h:ministers"))
    assert hour_before.fields[0].value.startswith("Thu 2 April 2026, 09:00 EDT (New York)")


async def test_a_status_change_names_its_session(core: BriefingCore, store: Store) -> None:
    clock, platform, runner = await _subscribed(core, store)
    clock.set(datetime(2026, 4, 8, 12, 0, tzinfo=UTC))
    await ask(core, "set briefing:fictional-summit kind:session id:closing-vote status:postponed", now=clock.now(),
              platform="cli", user_id="operator")
    clock.set(clock.now() + timedelta(minutes=1))
    await runner.tick()  # type: ignore[attr-defined]
    await runner.tick()  # type: ignore[attr-defined]
    [status] = [p for p in platform.posted if p.key.startswith("alert:status:")]
    assert status.key.startswith("alert:status:closing-vote:")
    assert status.reply.title == "Status changed to Postponed (was Scheduled): Closing vote — Mara Velde & Tomas Ricard"


SPANISH = {"opening": "Sesión de apertura", "ministers": "Sesión de ministros", "closing-vote": "Votación final"}


def _summit_with_spanish_titles() -> Briefing:
    """The fictional pack with its sessions' titles translated (a pack's `translations:` blocks)."""
    data = pack_mapping(read_pack(SUMMIT))
    for session in data["sessions"]:
        session["translations"] = {"es": {"title": SPANISH[session["id"]]}}
    return parse_pack(data, "fictional-summit.yaml")


async def _send_alerts(core: BriefingCore, store: Store, channels: dict[str, str], platform: str, sender: Any, clock: FakeClock) -> None:
    """Each channel (→ its language) subscribed to the 24 h and status alerts gets the opening's day-before alert,
    then the closing vote's postponement, through the real sender; the caller reads them from the loopback server."""
    await store.repository.save(_summit_with_spanish_titles())
    for channel, language in channels.items():
        await store.digests.subscribe(NewSubscription(
            platform=platform, channel_id=channel, team_id="T1", briefing_id="fictional-summit", time=time(23, 59), zone="UTC",
            quiet=False, alerts=("24h", "status"), created_by="operator", now=START, seen_revision=0, language=language))
    runner = DigestRunner(core, store.digests, sender[0], clock, owner="a", pace=sender[1])
    clock.set(datetime(2026, 3, 5, 9, 0, 30, tzinfo=UTC))  # a day before the opening (10:00 in Lakeside)
    assert (await runner.tick()).sent == len(channels)
    moved = await ask(core, "set briefing:fictional-summit kind:session id:closing-vote status:postponed", now=clock.now(),
                      platform="cli", user_id="operator")
    assert moved.kind == "answer", moved.text
    clock.set(clock.now() + timedelta(minutes=1))
    assert (await runner.tick()).sent == len(channels)


EXPECTED = {
    "en": ["In 24 hours: Opening session — Mara Velde & Tomas Ricard", "Status changed to Postponed (was Scheduled): Closing vote — Mara Velde & Tomas Ricard"],
    "es": ["Dentro de 24 horas: Sesión de apertura — Mara Velde y Tomas Ricard",
           "El estado ahora es Aplazada (antes era Programada): Votación final — Mara Velde y Tomas Ricard"],
}


async def test_discord_alerts_name_their_session_in_the_channel_s_language(fake: FakeDiscord, core: BriefingCore, store: Store) -> None:
    clock = FakeClock(START)
    fake.clock = clock.now
    channels = {"2001": "en", "2002": "es"}
    settings = Settings(discord=DiscordSettings(api_base=fake.api_base, gateway=fake.gateway), env={"DISCORD_TOKEN": DISCORD_TOKEN})
    async with discord_sender(settings, clock) as sender:
        await _send_alerts(core, store, channels, "discord", sender, clock)
    for channel, language in channels.items():
        embeds = [r.body["embeds"][0] for r in fake.requests if r.method == "POST" and r.path == f"/channels/{channel}/messages"]
        assert [e["title"] for e in embeds] == EXPECTED[language]
        assert embeds[0]["footer"]["text"].startswith(catalogue_for(language)("alert.footer", ref="")[:12])


async def test_slack_alerts_name_their_session_in_the_channel_s_language(core: BriefingCore, store: Store) -> None:
    clock = FakeClock(START)
    channels = {"C0EN": "en", "C0ES": "es"}
    async with (
        FakeSlack(clock=lambda: clock.now().timestamp()) as slack,
        slack_sender(Settings(slack=SlackSettings(api_base=slack.base_url), env={"SLACK_BOT_TOKEN": BOT_TOKEN}), clock) as sender,
    ):
        await _send_alerts(core, store, channels, "slack", sender, clock)
    for channel, language in channels.items():
        headers = [m["blocks"][0]["text"]["text"] for m in slack.messages[channel]]
        assert headers == EXPECTED[language]


async def _edited_and_subscribed(core: BriefingCore, *lines: str) -> Subscription:
    """The operator's edits of fictional-summit, each answered, and a preview's subscription that has seen none of them."""
    for line in lines:
        assert (await ask(core, line, now=START, platform="cli", user_id="operator")).kind == "answer", line
    return preview_subscription(core.settings.digest, await core.repository.briefing("fictional-summit"))


async def test_a_digest_names_each_changed_session_in_the_reader_s_language(core: BriefingCore, store: Store) -> None:
    await store.repository.save(_summit_with_spanish_titles())
    subscription = await _edited_and_subscribed(
        core,
        "set briefing:fictional-summit kind:session id:closing-vote status:postponed",
        'set briefing:fictional-summit kind:session id:ministers start:"2026-04-03T15:00"',
    )
    english = (await preview_digest(core, subscription, START, "en")).text.split("\n\n")[:2]
    assert english == [
        "The start of “Ministers' session” moved: it is now Fri 3 April 2026, 15:00 CEST (Lakeside); it was Thu 2 April 2026, 15:00 CEST (Lakeside).",
        "“Closing vote” is now Postponed; it was Scheduled.",
    ]
    spanish = (await preview_digest(core, subscription, START, "es")).text.split("\n\n")[:2]
    assert spanish[0].startswith("El inicio de «Sesión de ministros» ha cambiado: ahora es viernes, 3 de abril de 2026, 15:00")
    assert spanish[1] == "El estado de «Votación final» ahora es «Aplazada»; antes era «Programada»."
    # A day with nothing new says which session the status is of: the next one.
    seen = replace(subscription, seen_revision=10**9, digested=True)
    assert (await preview_digest(core, seen, START, "en")).text.startswith("Nothing new since the last digest. “Opening session”: Scheduled")
    assert (await preview_digest(core, seen, START, "es")).text.startswith("Nada nuevo desde el último boletín. «Sesión de apertura»: Programada")


async def test_a_late_alert_or_one_for_a_session_moved_earlier_says_the_time_really_left(core: BriefingCore, store: Store) -> None:
    clock, platform, runner = await _subscribed(core, store)
    opening = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
    for at in (opening - timedelta(hours=19), opening + timedelta(minutes=55)):  # the bot was down at the 24 h and at the start
        clock.set(at)
        await runner.tick()  # type: ignore[attr-defined]
    ministers = datetime(2026, 4, 2, 13, 0, tzinfo=UTC)
    clock.set(ministers - timedelta(hours=24))  # on time
    await runner.tick()  # type: ignore[attr-defined]
    clock.set(ministers - timedelta(hours=23))
    moved = await ask(core, 'set briefing:fictional-summit kind:session id:ministers start:"2026-04-02T11:00"', now=clock.now(),
                      platform="cli", user_id="operator")  # four hours earlier: 09:00 UTC, 19 hours from now
    assert moved.kind == "answer", moved.text
    await runner.tick()  # type: ignore[attr-defined]
    alerts = [(post.reply.title, post.reply.fields[1].value) for post in platform.posted if post.key.startswith("alert:")]
    assert alerts == [
        ("In 19 hours: Opening session — Mara Velde & Tomas Ricard", "Scheduled · in 19 hours"),
        ("Due to start 55 minutes ago: Opening session — Mara Velde & Tomas Ricard",
         "Scheduled · was due to start 55 minutes ago; no update recorded since"),
        ("In 24 hours: Ministers' session — Mara Velde & Tomas Ricard", "Scheduled · in 1 day"),
        ("In 19 hours: Ministers' session — Mara Velde & Tomas Ricard", "Scheduled · in 19 hours"),
    ]


async def test_a_session_whose_time_became_a_day_or_whose_day_moved_reads_as_a_moved_start(core: BriefingCore, store: Store) -> None:
    await store.repository.save(read_pack(SUMMIT))
    month = await ask(core, "set briefing:fictional-summit kind:session id:ministers start: date:2026-04", now=START, platform="cli",
                      user_id="operator")
    assert month.kind == "answer", month.text
    seen = (await store.repository.revisions("fictional-summit", limit=1))[0].id  # the channel's last digest told of that
    for line in ("set briefing:fictional-summit kind:session id:opening start: date:2026-03-06",
                 "set briefing:fictional-summit kind:session id:closing-vote date:2026-04-11",
                 'set briefing:fictional-summit kind:session id:ministers date: start:"2026-04-03T15:00"'):
        assert (await ask(core, line, now=START, platform="cli", user_id="operator")).kind == "answer"
    subscription = replace(preview_subscription(core.settings.digest, await core.repository.briefing("fictional-summit")), seen_revision=seen)
    told = await preview_digest(core, subscription, START, "en")
    assert told.text.split("\n\n") == [
        "The start of “Opening session” moved: it is now 6 March 2026 (time not announced); it was Fri 6 March 2026, 10:00 CET (Lakeside).",
        "The start of “Ministers' session” moved: it is now Fri 3 April 2026, 15:00 CEST (Lakeside); it was April 2026.",
        "The start of “Closing vote” moved: it is now 11 April 2026 (time not announced); it was 10 April 2026 (time not announced).",
    ] and not told.items  # no raw "Date: now “2026-04-11”" item, no "3 changes" with none listed: the moved starts say it
    spanish = (await preview_digest(core, subscription, START, "es")).text.split("\n\n")
    assert "ha cambiado: ahora es el 6 de marzo de 2026 (hora sin anunciar); antes era viernes, 6 de marzo de 2026, 10:00" in spanish[0]


async def test_a_start_first_announced_or_withdrawn_reads_as_such_not_as_a_move(core: BriefingCore, store: Store) -> None:
    await store.repository.save(_summit_with_spanish_titles())
    hidden = await ask(core, "set briefing:fictional-summit kind:session id:ministers start:", now=START, platform="cli", user_id="operator")
    assert hidden.kind == "answer", hidden.text
    seen = (await store.repository.revisions("fictional-summit", limit=1))[0].id  # the channel's last digest told of that
    for line in ('set briefing:fictional-summit kind:session id:ministers start:"2026-04-03T15:00"',
                 "set briefing:fictional-summit kind:session id:closing-vote date:"):
        assert (await ask(core, line, now=START, platform="cli", user_id="operator")).kind == "answer"
    subscription = replace(preview_subscription(core.settings.digest, await core.repository.briefing("fictional-summit")), seen_revision=seen)
    assert (await preview_digest(core, subscription, START, "en")).text.split("\n\n") == [
        "The start of “Ministers' session” is now announced: Fri 3 April 2026, 15:00 CEST (Lakeside).",
        "The start of “Closing vote” is no longer announced; it was 10 April 2026 (time not announced).",
    ]
    assert (await preview_digest(core, subscription, START, "es")).text.split("\n\n") == [
        "Ya se ha anunciado el inicio de «Sesión de ministros»: viernes, 3 de abril de 2026, 15:00 hora de verano de Europa central (Lakeside).",
        "El inicio de «Votación final» ya no está anunciado; antes era el 10 de abril de 2026 (hora sin anunciar).",
    ]


async def test_a_quiet_day_names_the_day_of_a_session_known_only_to_its_day(core: BriefingCore, store: Store) -> None:
    """The one-line digest has no When field: "start time not announced" alone would hide the day that is known."""
    await store.repository.save(_summit_with_spanish_titles())
    dated = await ask(core, "set briefing:fictional-summit kind:session id:opening start: date:2026-03-06", now=START, platform="cli",
                      user_id="operator")
    assert dated.kind == "answer", dated.text
    subscription = replace(preview_subscription(core.settings.digest, await core.repository.briefing("fictional-summit")),
                           seen_revision=10**9, digested=True)
    assert (await preview_digest(core, subscription, START, "en")).text == (
        "Nothing new since the last digest. “Opening session”: Scheduled · 6 March 2026, start time not announced.")
    assert (await preview_digest(core, subscription, START, "es")).text == (
        "Nada nuevo desde el último boletín. «Sesión de apertura»: Programada · 6 de marzo de 2026, hora de inicio sin anunciar.")


async def test_a_digest_says_which_session_its_status_and_start_are_of(core: BriefingCore, store: Store) -> None:
    await store.repository.save(read_pack(SUMMIT))
    for line in ("set briefing:fictional-summit kind:session id:opening status:cancelled",
                 'set briefing:fictional-summit kind:person id:mara-velde role:"Chair"'):
        assert (await ask(core, line, now=START, platform="cli", user_id="operator")).kind == "answer"
    subscription = preview_subscription(core.settings.digest, await core.repository.briefing("fictional-summit"))
    told = await preview_digest(core, subscription, START, "en")
    assert told.text.split("\n\n") == ["“Opening session” is now Cancelled; it was Scheduled.", "1 change since this channel subscribed:"]
    assert [item.title for item in told.items] == ["Person: Mara Velde"]  # the status is not counted again
    # The next session is another one: its status and start say so.
    assert [(field.name, field.value.split("\n")[0]) for field in told.fields[:2]] == [
        ("Status · Ministers' session", "Scheduled · in 1 month"), ("When · Ministers' session", "Thu 2 April 2026, 15:00 CEST (Lakeside)"),
    ]
