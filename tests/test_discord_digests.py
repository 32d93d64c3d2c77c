"""Daily digests through the real discord.py against the loopback Discord: subscribed with the slash
command, sent once per channel and day however often the loop ticks, found again after a crash,
paused when the channel is gone, and paced inside Discord's rate limits."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from msgspec.structs import replace

from bot.adapters.discord_app.cli import invite_url, run
from bot.adapters.discord_app.digests import DISCORD_MESSAGES_PER_SECOND, DiscordSender, open_sender
from bot.adapters.discord_app.markdown import literal
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.digest.compose import compose_digest
from bot.core.digest.ledger import NewSubscription
from bot.core.digest.model import ALERTS, Delivery, DigestSettings, Due, Subscription
from bot.core.digest.runner import DigestRunner, StartedClock
from bot.core.digest.schedule import digest_key
from bot.core.digest.sending import Pace
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import ConfigError
from bot.settings import DiscordSettings, Settings
from bot.store import Store, open_store
from tests.conftest import BRIEFING_ID, ask
from tests.digest_support import MORE_THAN_LISTED
from tests.discord_fake import (
    APPLICATION_ID,
    CHANNEL_ID,
    EMBED_LINKS,
    GUILD_ID,
    INVITED,
    MANAGE_THREADS,
    OTHER_USER_ID,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    THREAD_ARCHIVED,
    THREAD_LOCKED,
    TOKEN,
    USER_ID,
    VIEW_CHANNEL,
    FakeDiscord,
    Recorded,
)
from tests.discord_support import connected

# The slash command runs at 2026-02-01 12:00 UTC (the fake's first snowflake); the next 08:00 UTC slot:
DUE = datetime(2026, 2, 2, 8, 0, tzinfo=UTC)
SINCE = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


class FakeClock:
    """Simulated time: `now()` is what the test sets, and sleeping moves it on at once."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        self.start = at

    def now(self) -> datetime:
        """The simulated instant."""
        return self.at

    def monotonic(self) -> float:
        """The seconds that passed (the test only moves the clock forward)."""
        return (self.at - self.start).total_seconds()

    async def sleep(self, seconds: float) -> None:
        """Let `seconds` pass at once, letting other tasks run."""
        self.at += timedelta(seconds=max(seconds, 0.0))
        await asyncio.sleep(0)


@pytest.fixture
def core(store: Store) -> BriefingCore:
    """USER_ID is the one configured Discord admin."""
    return BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), digests=store.digests)


@pytest.fixture
def clock(fake: FakeDiscord) -> FakeClock:
    """Half a minute after the digest is due; the fake's message ids carry the same time, as Discord's would."""
    clock = FakeClock(DUE + timedelta(seconds=30))
    fake.clock = clock.now
    return clock


@pytest.fixture
async def sender(fake: FakeDiscord, clock: FakeClock) -> AsyncIterator[tuple[DiscordSender, Pace]]:
    """What `briefbot digest run-once` sends with: a REST-only client logged in to the fake."""
    async with open_sender(settings_for(fake), clock) as opened:
        yield opened


def settings_for(fake: FakeDiscord, token: str = TOKEN) -> Settings:
    return Settings(discord=DiscordSettings(api_base=fake.api_base, gateway=fake.gateway), env={"DISCORD_TOKEN": token})


def runner(
    core: BriefingCore, store: Store, sender: tuple[DiscordSender, Pace], clock: FakeClock, owner: str = "bot-1",
    settings: DigestSettings | None = None,
) -> DigestRunner:
    return DigestRunner(core, store.digests, sender[0], clock, owner=owner, pace=sender[1], settings=settings)


async def subscribe(
    store: Store, channel: int, by: str = str(USER_ID), at: time = time(8, 0), since: datetime = SINCE, zone: str = "UTC",
) -> Subscription:
    return await store.digests.subscribe(
        NewSubscription(
            platform="discord", channel_id=str(channel), team_id=str(GUILD_ID), briefing_id=BRIEFING_ID, time=at, zone=zone,
            quiet=False, alerts=(), created_by=by, now=since, seen_revision=0,
        )
    )


def todays(subscription: Subscription) -> Due:
    """The subscription's digest due at DUE."""
    return Due(subscription, digest_key(subscription.zone, date(2026, 2, 2)), "digest", DUE)


def posts(fake: FakeDiscord, channel: int | str) -> list[Recorded]:
    """Every POST of a message to the channel, answered or not."""
    return [r for r in fake.requests if r.method == "POST" and r.path == f"/channels/{channel}/messages"]


async def left_open(core: BriefingCore, store: Store, due: Due, at: datetime) -> tuple[Delivery, Reply]:
    """A claim a process made before it died, and the digest it was about to send."""
    delivery = await store.digests.claim(due, "dead-process", at, 3)
    assert delivery is not None
    request = Request(command="digest", now=at, platform="discord", user_id="briefbot", channel_id=due.subscription.channel_id, briefing_id=BRIEFING_ID)
    composed = await compose_digest(core.context(request), due)
    assert composed.reply is not None
    return delivery, composed.reply


async def test_subscribed_with_the_slash_command_the_channel_gets_one_digest_however_often_the_loop_ticks(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock
) -> None:
    async with connected(fake, core):
        body = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC", "alerts": "none"}))
    assert body["data"]["embeds"][0]["title"] == "This channel gets the digest daily at 08:00 (UTC)"
    [subscription] = await store.digests.subscriptions("discord")
    assert (subscription.channel_id, subscription.created_by) == (str(CHANNEL_ID), str(USER_ID))

    async with open_sender(settings_for(fake), clock) as sent_with:
        assert (await runner(core, store, sent_with, clock).tick()).sent == 1
        assert (await runner(core, store, sent_with, clock).tick()).sent == 0
    async with open_sender(settings_for(fake), clock) as sent_with:  # another process on the same database
        assert (await runner(core, store, sent_with, clock, owner="bot-2").tick()).sent == 0

    [post] = posts(fake, CHANNEL_ID)
    nonce = todays(subscription).nonce
    assert post.body["nonce"] == nonce and post.body["enforce_nonce"] is True
    assert post.body["allowed_mentions"] == {"parse": []}
    [embed] = fake.embeds_in(CHANNEL_ID)
    assert embed["title"].startswith("Daily digest") and f"ref {nonce}" in embed["footer"]["text"]


async def test_a_digest_with_more_changes_than_it_lists_names_history_as_discord_types_it(
    fake: FakeDiscord, core: BriefingCore, store: Store, sender: tuple[DiscordSender, Pace], clock: FakeClock
) -> None:
    """The loop's request knew no platform's command form: "history lists every change" named a word, not the slash
    command a Discord reader types, /history (/historial in a Spanish channel), as Slack's digest names /brief history."""
    await subscribe(store, CHANNEL_ID)
    spanish = CHANNEL_ID + 1
    await store.digests.subscribe(
        NewSubscription(
            platform="discord", channel_id=str(spanish), team_id=str(GUILD_ID), briefing_id=BRIEFING_ID, time=time(8, 0), zone="UTC",
            quiet=False, alerts=(), created_by=str(USER_ID), now=SINCE, seen_revision=0, language="es",
        )
    )
    for line in MORE_THAN_LISTED:
        assert (await ask(core, line, now=SINCE)).kind == "answer"
    assert (await runner(core, store, sender, clock).tick()).sent == 2
    [english], [spanish_embed] = fake.embeds_in(CHANNEL_ID), fake.embeds_in(spanish)
    assert "the 10 items changed last are below; /history lists every change." in english["description"], english
    assert "abajo están los 10 más recientes; /historial los muestra todos." in spanish_embed["description"], spanish_embed


async def test_subscribe_and_subscriptions_name_the_zone_by_its_city_in_the_reader_s_language(
    fake: FakeDiscord, core: BriefingCore, store: Store
) -> None:
    """"(Bogotá)" to a Spanish admin, as the first digest's time names it, and "(New York)" in English; the IANA id only
    where it is typed: the option's value (the operator's console listing shows it too, tests/test_cli_digest.py)."""
    thread = fake.thread()
    async with connected(fake, core):
        spanish = await fake.interact(fake.command("subscribe", {"time": "07:00", "tz": "America/Bogota"}, locale="es-ES"))
        english = await fake.interact(fake.command("subscribe", {"time": "07:30", "tz": "america/new_york"}, channel=thread))
        listed = await fake.interact(fake.command("subscriptions", locale="es-ES"))
    [suscrito] = spanish["data"]["embeds"]
    assert suscrito["title"] == "Este canal recibe el boletín todos los días a las 07:00 (Bogotá)"
    fields = {field["name"]: field["value"] for field in suscrito["fields"]}
    assert fields["Boletín"] == "todos los días a las 07:00 (Bogotá)"
    assert "domingo, 1 de febrero de 2026, 07:00 hora estándar de Colombia (Bogotá)" in fields["Primer boletín"]
    [subscribed] = english["data"]["embeds"]
    assert subscribed["title"] == "This thread gets the digest daily at 07:30 (New York)"
    assert "07:30 EST (New York)" in {field["name"]: field["value"] for field in subscribed["fields"]}["First digest"]
    lines = str(listed["data"]["embeds"])
    assert "todos los días a las 07:00 (Bogotá)" in lines and "todos los días a las 07:30 (Nueva York)" in lines
    assert "America/" not in lines and "America/" not in str(spanish) + str(english)
    assert {s.zone for s in await store.digests.subscriptions()} == {"America/Bogota", "America/New_York"}


async def test_someone_who_is_not_an_admin_cannot_subscribe_a_channel(fake: FakeDiscord, core: BriefingCore, store: Store) -> None:
    async with connected(fake, core):
        body = await fake.interact(fake.command("subscribe", {"time": "08:00"}, user_id=OTHER_USER_ID))
    [refusal] = body["data"]["embeds"]
    assert body["data"]["flags"] & 64 and refusal["description"].startswith("/subscribe is for briefing admins only")
    assert await store.digests.subscriptions() == []


async def test_subscribe_in_a_direct_message_is_refused_saying_where_and_unsubscribe_still_ends_one_made_there(
    fake: FakeDiscord, core: BriefingCore, store: Store
) -> None:
    """An admin's /subscribe sent from a DM subscribed the DM ("This channel gets the digest daily at 07:30 (New York)"):
    Discord's dm_permission hides the command there, but the core decides (docs/discord-security.md)."""
    async with connected(fake, core):
        refused = await fake.interact(fake.command("subscribe", {"time": "07:30", "tz": "America/New_York"}, in_guild=False))
        spanish = await fake.interact(fake.command("subscribe", {}, in_guild=False, locale="es-ES"))
        assert await store.digests.subscriptions() == []
        await subscribe(store, CHANNEL_ID)  # the DM's, by a version that let a DM subscribe
        ended = await fake.interact(fake.command("unsubscribe", {}, in_guild=False))
    assert refused["data"]["flags"] & 64 and refused["data"]["embeds"][0]["description"] == (
        "A direct message gets no digest; nothing was subscribed. Run /subscribe in the channel of a server or workspace that should get it."
    )
    assert spanish["data"]["embeds"][0]["description"].startswith("Un mensaje directo no recibe el boletín; no se ha suscrito nada. Ejecuta /suscribir")
    assert ended["data"]["embeds"][0]["title"].startswith("This channel no longer gets the digest or alerts of")
    assert await store.digests.subscriptions() == []


async def test_subscribe_is_refused_where_the_bot_lacks_a_permission_to_post_and_says_which(
    fake: FakeDiscord, core: BriefingCore, store: Store
) -> None:
    fake.app_permissions = VIEW_CHANNEL | READ_MESSAGE_HISTORY  # a channel whose overwrites take posting away from the bot
    async with connected(fake, core):
        body = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}))
        spanish = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}, locale="es-ES"))
        fake.app_permissions = INVITED  # the admin fixed the channel's permissions
        granted = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}))
    [refusal] = body["data"]["embeds"]
    assert body["data"]["flags"] & 64
    assert refusal["description"] == (
        "The bot cannot post the digest in this channel, so nothing was changed. It lacks these permissions here: Send Messages, "
        "Embed Links. Grant them to the bot in this channel (Edit Channel, then Permissions), then run /subscribe again."
    )
    [negativa] = spanish["data"]["embeds"]
    assert "Aquí le faltan estos permisos: Enviar mensajes, Insertar enlaces." in negativa["description"]
    assert "vuelve a ejecutar /suscribir." in negativa["description"]
    assert granted["data"]["embeds"][0]["title"] == "This channel gets the digest daily at 08:00 (UTC)"
    [subscription] = await store.digests.subscriptions("discord")
    assert subscription.channel_id == str(CHANNEL_ID) and subscription.active


async def test_subscribe_asks_for_read_message_history_which_finds_a_digest_again_after_a_crash(
    fake: FakeDiscord, core: BriefingCore, store: Store
) -> None:
    fake.app_permissions = INVITED & ~READ_MESSAGE_HISTORY  # it could post, but never tell whether it already had
    async with connected(fake, core):
        body = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}))
        spanish = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}, locale="es-ES"))
    assert "It lacks these permissions here: Read Message History." in body["data"]["embeds"][0]["description"]
    assert "Aquí le faltan estos permisos: Leer el historial de mensajes." in spanish["data"]["embeds"][0]["description"]
    assert await store.digests.subscriptions() == []


async def test_in_a_thread_subscribe_asks_for_send_messages_in_threads(fake: FakeDiscord, core: BriefingCore, store: Store) -> None:
    thread = fake.thread()
    fake.app_permissions = INVITED & ~SEND_MESSAGES_IN_THREADS  # a server whose roles took it away from the bot
    async with connected(fake, core):
        refused = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}, channel=thread))
        fake.app_permissions = INVITED  # the server gave it back
        granted = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}, channel=thread))
        fake.app_permissions = 1 << 3  # Administrator alone: every permission, wherever
        admin = await fake.interact(fake.command("subscribe", {"time": "09:00", "tz": "UTC"}, channel=thread))
    assert "It lacks these permissions here: Send Messages in Threads." in refused["data"]["embeds"][0]["description"]
    # The thread itself is subscribed (the digest is posted in it, not in its channel), and its answer says so.
    assert granted["data"]["embeds"][0]["title"] == "This thread gets the digest daily at 08:00 (UTC)"
    assert admin["data"]["embeds"][0]["title"] == "This thread gets the digest daily at 09:00 (UTC)"
    [subscription] = await store.digests.subscriptions("discord")
    assert subscription.channel_id == thread["id"]


async def test_what_the_invite_asks_for_lets_subscribe_post_in_a_channel_and_in_its_threads(
    fake: FakeDiscord, core: BriefingCore, store: Store
) -> None:
    """The invite asked for Send Messages but not Send Messages in Threads, so /subscribe in a thread or forum post of a
    server that granted the bot just that was refused: "It lacks these permissions here: Send Messages in Threads"."""
    fake.app_permissions = int(parse_qs(urlsplit(invite_url(APPLICATION_ID)).query)["permissions"][0])
    thread = fake.thread()
    async with connected(fake, core):
        in_channel = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}))
        in_thread = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}, channel=thread))
    assert in_channel["data"]["embeds"][0]["title"] == "This channel gets the digest daily at 08:00 (UTC)"
    assert in_thread["data"]["embeds"][0]["title"] == "This thread gets the digest daily at 08:00 (UTC)"
    assert len(await store.digests.subscriptions("discord")) == 2


@pytest.mark.parametrize("archived", [False, True], ids=["locked", "archived and locked"])
async def test_subscribe_is_refused_in_a_locked_thread_unless_the_bot_may_manage_threads(
    fake: FakeDiscord, core: BriefingCore, store: Store, archived: bool
) -> None:
    thread = fake.thread(archived=archived, locked=True)
    async with connected(fake, core):
        refused = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}, channel=thread))
        fake.app_permissions |= MANAGE_THREADS  # a moderator's permission: Discord lets it post in a locked thread
        granted = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}, channel=thread))
    assert refused["data"]["embeds"][0]["description"].startswith(
        "This thread is locked, so the bot cannot post the digest in it; nothing was changed. A moderator can unlock it"
    )
    assert granted["data"]["embeds"][0]["title"] == "This thread gets the digest daily at 08:00 (UTC)"
    [subscription] = await store.digests.subscriptions("discord")
    assert subscription.channel_id == thread["id"]


async def test_a_paused_channel_is_not_resumed_while_the_bot_still_cannot_post_in_it(fake: FakeDiscord, core: BriefingCore, store: Store) -> None:
    await store.digests.pause(await subscribe(store, CHANNEL_ID), "paused.discord_forbidden", SINCE)
    fake.app_permissions = INVITED & ~EMBED_LINKS & ~SEND_MESSAGES
    async with connected(fake, core):
        body = await fake.interact(fake.command("subscribe", {}))
    assert "It lacks these permissions here: Send Messages, Embed Links." in body["data"]["embeds"][0]["description"]
    [subscription] = await store.digests.subscriptions("discord")
    assert not subscription.active and subscription.paused_reason == "paused.discord_forbidden"


@pytest.mark.parametrize(("language", "said"), [
    ("en", "Status changed to Concluded (was Scheduled): Petro in Washington: the White House meeting with Trump — Gustavo Petro & Donald Trump"),
    ("es", "El estado ahora es Concluida (antes era Programada): Petro en Washington: la reunión con Trump en la Casa Blanca — Gustavo Petro y Donald Trump"),
])
async def test_a_status_alert_says_the_change_in_words_a_screen_reader_reads(
    fake: FakeDiscord, core: BriefingCore, store: Store, sender: tuple[DiscordSender, Pace], clock: FakeClock, language: str, said: str
) -> None:
    """The change was carried by "→" alone, which a screen reader reads as "right arrow"."""
    (seen,) = await store.repository.revisions(BRIEFING_ID, limit=1, data=False)
    await store.digests.subscribe(NewSubscription(
        platform="discord", channel_id=str(CHANNEL_ID), team_id=str(GUILD_ID), briefing_id=BRIEFING_ID, time=time(23, 59), zone="UTC",
        quiet=False, alerts=("status",), created_by=str(USER_ID), now=clock.now(), seen_revision=seen.id, language=language,
    ))
    admin = BriefingCore(store.repository, policy=AdminPolicy())
    edited = await admin.dispatch_line("set kind:meeting status:concluded", Request(command="", now=clock.now(), platform="cli", operator=True, user_id="operator"))
    assert edited.kind == "answer", edited.text
    clock.at += timedelta(minutes=1)
    await runner(core, store, sender, clock).tick()
    assert [embed["title"] for embed in fake.embeds_in(CHANNEL_ID)] == [said]
    # And said in the message's own text, all a push notification and a screen reader's announcement give of it.
    assert [message["content"] for message in fake.posted[str(CHANNEL_ID)]] == [said]


async def subscribed_to_status_alerts(store: Store) -> BriefingCore:
    """The channel subscribed at 08:00 UTC with status alerts, from now on; a core the operator edits through."""
    (seen,) = await store.repository.revisions(BRIEFING_ID, limit=1, data=False)
    await store.digests.subscribe(NewSubscription(
        platform="discord", channel_id=str(CHANNEL_ID), team_id=str(GUILD_ID), briefing_id=BRIEFING_ID, time=time(8, 0), zone="UTC",
        quiet=False, alerts=("status",), created_by=str(USER_ID), now=SINCE, seen_revision=seen.id,
    ))
    return BriefingCore(store.repository, policy=AdminPolicy())


async def test_a_digest_and_an_alert_say_their_title_in_the_message_text_escaped_and_pinging_nobody(
    fake: FakeDiscord, core: BriefingCore, store: Store, sender: tuple[DiscordSender, Pace], clock: FakeClock
) -> None:
    """Embeds alone arrived as a blank push notification, and NVDA announced the bot's name with nothing after it."""
    admin = await subscribed_to_status_alerts(store)
    for line in ('set kind:meeting title:"*Talks* with @everyone"', "set kind:meeting status:postponed"):
        edited = await admin.dispatch_line(line, Request(command="", now=clock.now(), platform="cli", operator=True, user_id="operator"))
        assert edited.kind == "answer", edited.text
    assert (await runner(core, store, sender, clock).tick()).sent == 2
    sent = [(request.body["content"], request.body["allowed_mentions"]) for request in posts(fake, CHANNEL_ID)]
    assert sorted(sent) == [
        ("Daily digest · 2 February 2026 · Petro in Washington: the White House meeting with Trump", {"parse": []}),
        ("Status changed to Postponed (was Scheduled): \\*Talks\\* with \\@everyone — Gustavo Petro & Donald Trump", {"parse": []}),
    ]


async def test_a_status_alert_of_a_session_with_a_long_title_says_the_new_status_before_discord_cuts_the_title(
    fake: FakeDiscord, core: BriefingCore, store: Store, sender: tuple[DiscordSender, Pace], clock: FakeClock
) -> None:
    """Said last, the new status was what a 256-character embed title lost: "…: status changed from Scheduled to…"."""
    (seen,) = await store.repository.revisions(BRIEFING_ID, limit=1, data=False)
    await store.digests.subscribe(NewSubscription(
        platform="discord", channel_id=str(CHANNEL_ID), team_id=str(GUILD_ID), briefing_id=BRIEFING_ID, time=time(23, 59), zone="UTC",
        quiet=False, alerts=("status",), created_by=str(USER_ID), now=clock.now(), seen_revision=seen.id,
    ))
    title = ("White House meeting between the presidents of Colombia and the United States on migration, deportation flights, "
             "anti-drug cooperation, coca crops, tariffs, trade, visas and regional security")
    admin = BriefingCore(store.repository, policy=AdminPolicy())
    for line in (f'set kind:meeting title:"{title}"', "set kind:meeting status:postponed"):
        edited = await admin.dispatch_line(line, Request(command="", now=clock.now(), platform="cli", operator=True, user_id="operator"))
        assert edited.kind == "answer", edited.text
    clock.at += timedelta(minutes=1)
    await runner(core, store, sender, clock).tick()
    [shown] = [embed["title"] for embed in fake.embeds_in(CHANNEL_ID)]
    assert shown.startswith(f"Status changed to Postponed (was Scheduled): {title} — Gustavo Petro") and len(shown) <= 256


async def test_a_postponed_meeting_counts_down_nowhere_nor_gets_the_alerts_of_a_start_that_will_not_come(
    fake: FakeDiscord, core: BriefingCore, store: Store, sender: tuple[DiscordSender, Pace], clock: FakeClock
) -> None:
    """After `/set … status postponed`, /meeting, /brief, the digest and the status alert still opened their When field
    with `<t:…:R>`, which Discord shows as a live "in 2 days" above "Status: Postponed"."""
    (seen,) = await store.repository.revisions(BRIEFING_ID, limit=1, data=False)
    await store.digests.subscribe(NewSubscription(
        platform="discord", channel_id=str(CHANNEL_ID), team_id=str(GUILD_ID), briefing_id=BRIEFING_ID, time=time(8, 0), zone="UTC",
        quiet=False, alerts=ALERTS, created_by=str(USER_ID), now=SINCE, seen_revision=seen.id,
    ))
    async with connected(fake, core):
        scheduled = await fake.interact(fake.command("meeting"))
        edited = await fake.interact(fake.command("set", {"kind": "meeting", "field": "status", "value": "postponed"}))
        answers = [await fake.interact(fake.command(name, locale=locale)) for name in ("meeting", "brief") for locale in ("en-US", "es-ES")]
    assert edited["data"]["embeds"][0]["fields"][0]["value"] == "was “scheduled”, now “postponed”", edited
    assert "<t:1770134400:R>" in scheduled["data"]["embeds"][0]["fields"][0]["value"]  # while its start stands
    for answer, name in zip(answers, ("Was due", "Estaba prevista") * 2, strict=True):
        [when] = [field for field in answer["data"]["embeds"][0]["fields"] if field["name"] == name]
        assert when["value"].startswith("Tue 3 February 2026, 11:00 EST (Washington)") or when["value"].startswith("martes, 3 de febrero")
        assert "<t:" not in json.dumps(answer)
    assert (await runner(core, store, sender, clock).tick()).sent == 1  # the day's digest
    cancelled = await BriefingCore(store.repository, policy=AdminPolicy()).dispatch_line(
        "set kind:meeting status:cancelled", Request(command="", now=clock.now(), platform="cli", operator=True, user_id="operator"))
    assert cancelled.kind == "answer", cancelled.text
    # Its status alert, then the instants its 24-hour, 1-hour and start alerts had been due at: none of those goes out.
    for at in (clock.now() + timedelta(minutes=1), *(datetime(2026, 2, 3, 16, 0, 30, tzinfo=UTC) - lead for lead in (timedelta(hours=24), timedelta(hours=1), timedelta(0)))):
        clock.at = at
        await runner(core, store, sender, clock).tick()
    embeds = fake.embeds_in(CHANNEL_ID)
    alerts = [embed["title"] for embed in embeds if not embed["title"].startswith("Daily digest")]
    assert [title.split(": ", 1)[0] for title in alerts] == ["Status changed to Cancelled (was Postponed)"]
    assert "<t:" not in json.dumps(embeds)


async def test_a_send_repeated_with_the_same_nonce_posts_once(
    fake: FakeDiscord, core: BriefingCore, store: Store, sender: tuple[DiscordSender, Pace]
) -> None:
    due = todays(await subscribe(store, CHANNEL_ID))
    delivery, reply = await left_open(core, store, due, DUE)
    first = await sender[0].send(delivery, reply)
    again = await sender[0].send(delivery, reply)
    assert first == again
    assert len(posts(fake, CHANNEL_ID)) == 2 and len(fake.posted[str(CHANNEL_ID)]) == 1


@pytest.mark.parametrize("crashed", [False, True])
async def test_a_digest_of_another_zone_the_same_day_is_posted_not_taken_for_the_first(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace], crashed: bool,
) -> None:
    """Moved to Lisbon's 08:01 just after UTC's 08:00 digest, with an edit between: Lisbon's 2 February is a send of its
    own. Under the nonce of the day alone, Discord answered its POST with the 08:00 message (`enforce_nonce`), and after a
    crash the lookup found that message: either way it was noted as sent, and the channel never heard of the edit."""
    await subscribe(store, CHANNEL_ID)
    assert (await runner(core, store, sender, clock).tick()).sent == 1
    moved = await subscribe(store, CHANNEL_ID, at=time(8, 1), zone="Europe/Lisbon")
    edited = await BriefingCore(store.repository, policy=AdminPolicy()).dispatch_line(
        'set kind:meeting venue:"Oval Office"', Request(command="", now=clock.now(), platform="cli", user_id="operator", operator=True))
    assert edited.kind == "answer", edited.text
    lisbon = Due(moved, digest_key("Europe/Lisbon", date(2026, 2, 2)), "digest", DUE + timedelta(minutes=1))
    clock.at = lisbon.at + timedelta(seconds=30)
    if crashed:  # claimed by a process that died before posting it: looked for after the lease, from 07:59 on
        await left_open(core, store, lisbon, clock.now())
        clock.at += LEASE + timedelta(seconds=1)
    report = await runner(core, store, sender, clock).tick()
    assert (report.sent, report.reconciled) == (1, int(crashed))
    first, second = fake.posted[str(CHANNEL_ID)]
    assert second["embeds"][0]["title"] == first["embeds"][0]["title"]  # "Daily digest · 2 February 2026 · …" twice
    assert second["embeds"][0]["description"].startswith("1 change since the last digest")
    assert f"ref {lisbon.nonce}" in second["embeds"][0]["footer"]["text"]


@pytest.mark.parametrize(
    ("gone", "reason", "remedy"), [
        ("forbidden", "paused.discord_forbidden", "Give the bot View Channel, Send Messages, Embed Links and Read Message History there"
         " (Edit Channel, then Permissions), then run /subscribe in the channel to resume it."),
        ("missing", "paused.discord_not_found", "If the channel still exists, run /subscribe in it once the bot can see it again."),
        # A thread closed by its moderators answers 400 with its own code, every day alike: paused, not retried in vain.
        (THREAD_ARCHIVED, "paused.discord_thread_archived", "Once a moderator reopens the thread, run /subscribe in it to resume it."),
        (THREAD_LOCKED, "paused.discord_thread_locked", "Once a moderator unlocks the thread, run /subscribe in it to resume it."),
    ],
)
async def test_a_channel_the_bot_cannot_post_in_is_paused_and_its_subscriber_told_privately(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace], gone: str | int, reason: str,
    remedy: str,
) -> None:
    if isinstance(gone, int):
        fake.closed[str(CHANNEL_ID)] = gone
    else:
        getattr(fake, gone).add(str(CHANNEL_ID))
    await subscribe(store, CHANNEL_ID)
    report = await runner(core, store, sender, clock).tick()
    assert (report.paused, report.sent) == (1, 0)
    [subscription] = await store.digests.subscriptions("discord")
    assert not subscription.active and subscription.paused_reason == reason
    [notice] = fake.embeds_in(fake.dms[str(USER_ID)])
    # The channel is named by its mention, which Discord shows as its name and which notifies nobody: in the message's
    # text and the embed's description, which the title leads in bold (an embed's title would show the mention's code).
    [told] = fake.posted[fake.dms[str(USER_ID)]]
    assert told["content"] == f"Digest paused for channel <#{CHANNEL_ID}>"
    assert "title" not in notice
    said = f"briefbot can no longer post in <#{CHANNEL_ID}>: {literal(catalogue_for('en')(reason))}. Its digest of {BRIEFING_ID} is paused."
    assert notice["description"].startswith(f"**Digest paused for channel <#{CHANNEL_ID}>**\n{said} {remedy}")
    # The command to type as Discord types it; the operator's command as code (not escaped into backquotes shown as such).
    assert notice["description"].endswith(
        f"have the operator remove the subscription: `briefbot admin unsubscribe platform:discord channel:{CHANNEL_ID} briefing:{BRIEFING_ID}`"
    )
    assert str(CHANNEL_ID) not in fake.posted
    assert (await runner(core, store, sender, clock).tick()).paused == 0  # paused: not tried again


async def test_a_digest_and_an_alert_due_together_in_a_lost_channel_pause_it_once(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace]
) -> None:
    admin = await subscribed_to_status_alerts(store)
    edited = await admin.dispatch_line("set kind:meeting status:postponed", Request(command="", now=clock.now(), platform="cli", operator=True, user_id="operator"))
    assert edited.kind == "answer", edited.text
    fake.forbidden.add(str(CHANNEL_ID))
    report = await runner(core, store, sender, clock).tick()  # today's digest and the status alert, both due now
    assert (report.paused, report.sent) == (1, 0)
    assert len(posts(fake, CHANNEL_ID)) == 1  # the second was not tried once the first had paused the channel
    assert len(fake.embeds_in(fake.dms[str(USER_ID)])) == 1


async def test_a_subscriber_whose_direct_messages_are_closed_is_said_not_told_in_one_line(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace],
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake.forbidden.add(str(CHANNEL_ID))
    fake.dms[str(USER_ID)] = fake.next_id()
    fake.forbidden.add(fake.dms[str(USER_ID)])  # the admin accepts no direct messages from the bot
    await subscribe(store, CHANNEL_ID)
    with caplog.at_level(logging.INFO, logger="bot"):
        assert (await runner(core, store, sender, clock).tick()).paused == 1
    said = [(r.levelno, r.getMessage(), r.exc_info) for r in caplog.records if r.levelno >= logging.WARNING]
    assert said == [
        (logging.WARNING, f"discord channel {CHANNEL_ID} paused: no permission to post (403)", None),
        (logging.WARNING, f"discord channel {CHANNEL_ID} paused, but its subscriber could not be told: Discord refused the direct message to "
         "the subscriber (HTTP 403, code 50013): they may not accept direct messages from the bot, or have left.", None),
    ]


async def test_the_paused_notice_to_the_admin_can_ping_nobody(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace]
) -> None:
    # The run-once sender is a plain client with no default allowed_mentions: the DM's own is all there is.
    fake.forbidden.add(str(CHANNEL_ID))
    await subscribe(store, CHANNEL_ID)
    assert (await runner(core, store, sender, clock).tick()).paused == 1
    [dm] = posts(fake, fake.dms[str(USER_ID)])
    assert dm.body["allowed_mentions"] == {"parse": []}


async def test_a_channel_subscribed_by_the_operator_is_paused_without_a_message(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace]
) -> None:
    fake.forbidden.add(str(CHANNEL_ID))
    await subscribe(store, CHANNEL_ID, by="operator")
    assert (await runner(core, store, sender, clock).tick()).paused == 1
    assert fake.dms == {} and not [r for r in fake.requests if r.path.startswith("/users/") and r.path != "/users/@me"]


async def test_a_rate_limit_longer_than_the_wait_allowed_fails_the_send_without_posting(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace]
) -> None:
    fake.throttled[str(CHANNEL_ID)] = 120.0
    await subscribe(store, CHANNEL_ID)
    report = await runner(core, store, sender, clock).tick()
    assert (report.failed, report.paused, report.unknown) == (1, 0, 0)
    assert [r.path for r in fake.limited] == [f"/channels/{CHANNEL_ID}/messages"]
    assert str(CHANNEL_ID) not in fake.posted
    [subscription] = await store.digests.subscriptions("discord")
    assert subscription.active


async def test_a_send_refused_is_tried_again_with_growing_spacing_and_given_up_only_as_its_window_ends(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace]
) -> None:
    fake.throttled[str(CHANNEL_ID)] = 120.0
    await subscribe(store, CHANNEL_ID)
    said = []
    # A tick every minute for the whole catch-up window (6 h): the tries come 0, 1, 3, 7 … min after the due
    # minute, then hourly; the last one that fits in the window says it was the last, and none comes after.
    for minute in range(6 * 60 + 2):
        clock.at = DUE + timedelta(minutes=minute, seconds=30)
        report = await runner(core, store, sender, clock).tick()
        if report.why:
            said.append((minute, [catalogue_for("en")(why.key, **why.params) for why in report.why]))
    rate_limited = ("Discord rate-limited the bot for longer than a send may wait (30 s); those digests are tried again 1, 2, 4 … minutes "
                    "after each try (at most an hour apart) while their catch-up window lasts.")
    last = ("Some of those digests failed on their last try (11 tries in 303 min since they were due): their catch-up window ends "
            "before the next one, so they are given up and those messages are not sent.")
    tried = [0, 1, 3, 7, 15, 31, 63, 123, 183, 243, 303]
    assert said == [(minute, [rate_limited]) for minute in tried[:-1]] + [(303, [rate_limited, last])]
    assert len(fake.limited) == len(tried)


async def test_a_token_reset_while_the_bot_runs_fails_every_digest_and_says_why_once(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace],
    caplog: pytest.LogCaptureFixture,
) -> None:
    channels = (CHANNEL_ID, CHANNEL_ID + 1, CHANNEL_ID + 2)
    for channel in channels:
        await subscribe(store, channel)
    fake.token = "reset-in-the-developer-portal"  # the logged-in client's token is refused from now on (401)
    with caplog.at_level(logging.INFO):
        report = await runner(core, store, sender, clock).tick()
    assert (report.sent, report.failed, report.paused, [why.key for why in report.why]) == (0, 3, 0, ["digest.discord_token_refused"])
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "Put the bot's current token in DISCORD_TOKEN" in warnings[0], warnings
    assert all(s.active for s in await store.digests.subscriptions("discord"))


async def test_a_discord_outage_is_said_in_one_line_and_its_sends_are_reconciled(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace],
    caplog: pytest.LogCaptureFixture,
) -> None:
    channels = (CHANNEL_ID, CHANNEL_ID + 1)
    for channel in channels:
        await subscribe(store, channel)
        fake.server_errors[str(channel)] = 1
    fake.server_error = 503  # Discord's edge unavailable: a 5xx after which nobody knows whether the message posted
    with caplog.at_level(logging.INFO):
        report = await runner(core, store, sender, clock).tick()
    assert (report.sent, report.failed, report.unknown) == (0, 0, 2)
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.exc_info is None and line.getMessage().startswith(
        "discord digests: Discord answered some digest sends with a server error, even after retrying: whether they arrived is unknown"
    )
    clock.at += LEASE + timedelta(seconds=1)
    assert (await runner(core, store, sender, clock).tick()).sent == 2
    assert [len(fake.posted[str(channel)]) for channel in channels] == [1, 1]


@pytest.mark.parametrize("restart_after", [LEASE + timedelta(seconds=1), timedelta(minutes=30)], ids=["lease", "later"])
@pytest.mark.parametrize("earlier", [False, True], ids=["now", "earlier-version"])
async def test_a_digest_posted_just_before_a_crash_is_found_and_not_sent_again(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace], restart_after: timedelta,
    earlier: bool,
) -> None:
    due = todays(await subscribe(store, CHANNEL_ID))
    delivery, reply = await left_open(core, store, due, clock.now())
    if earlier:  # posted by an earlier version, whose digest nonce left the zone out (`Due.nonces`), then upgraded
        posted = replace(due, key="digest:2026-02-02")
        delivery, reply = replace(delivery, due=posted), replace(reply, footer=reply.footer.replace(due.nonce, posted.nonce))
    message_id = await sender[0].send(delivery, reply)  # posted, but the process died before recording it
    assert fake.posted[str(CHANNEL_ID)][0]["content"] == reply.title  # found by its footer's ref, whatever its text

    clock.at += restart_after  # the takeover's claim carries this time, long after the message
    report = await runner(core, store, sender, clock, owner="after-restart").tick()
    assert (report.reconciled, report.sent) == (1, 1)
    assert len(posts(fake, CHANNEL_ID)) == 1  # found in the history: not even a deduplicated resend
    assert [m["id"] for m in fake.posted[str(CHANNEL_ID)]] == [message_id]
    assert await store.digests.unconfirmed("discord", clock.now() + LEASE) == []


async def test_a_store_restored_from_a_backup_made_before_the_digest_does_not_post_it_again(
    fake: FakeDiscord, core: BriefingCore, store: Store, store_path: Path, clock: FakeClock, sender: tuple[DiscordSender, Pace],
) -> None:
    """A restore forgets the sends made after the backup; its late claim looks in the channel first, an on-time one never."""
    await subscribe(store, CHANNEL_ID)
    backup = store_path.with_name("backup.sqlite3")
    with contextlib.closing(sqlite3.connect(store_path)) as live, contextlib.closing(sqlite3.connect(backup)) as copy:
        live.backup(copy)  # `sqlite3 store .backup backup`, before the digest goes
    assert (await runner(core, store, sender, clock).tick()).sent == 1
    assert [r for r in fake.requests if r.method == "GET" and r.path.endswith("/messages")] == []  # on time: no lookup
    clock.at += timedelta(minutes=20)  # the operator restores the backup, and the bot starts again
    async with open_store(backup) as restored:
        restored_core = BriefingCore(restored.repository, digests=restored.digests)
        report = await runner(restored_core, restored, sender, clock, owner="after-restore").tick()
    assert (report.sent, report.reconciled) == (1, 1)
    assert len(posts(fake, CHANNEL_ID)) == 1  # found in the history: not even a deduplicated resend


async def test_a_digest_claimed_but_never_posted_is_sent_once_after_the_lease(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace]
) -> None:
    due = todays(await subscribe(store, CHANNEL_ID))
    await left_open(core, store, due, clock.now())
    clock.at += LEASE / 2
    assert (await runner(core, store, sender, clock).tick()).sent == 0  # the claim may still be alive
    clock.at += LEASE
    report = await runner(core, store, sender, clock).tick()
    assert (report.reconciled, report.sent) == (1, 1)
    [message] = fake.posted[str(CHANNEL_ID)]
    assert f"ref {due.nonce}" in message["embeds"][0]["footer"]["text"]


async def test_a_send_still_retrying_at_half_its_lease_is_cut_and_the_next_process_posts_it_once(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace]
) -> None:
    # discord.py retries a 502 after 1 s, then after 3 s more: a send that outlasts a 2 s lease unless cut at 1 s.
    short = DigestSettings(lease=timedelta(seconds=2))
    due = todays(await subscribe(store, CHANNEL_ID))
    fake.server_errors[str(CHANNEL_ID)] = 2
    first = asyncio.create_task(runner(core, store, sender, clock, owner="one", settings=short).tick())
    await asyncio.wait({first}, timeout=2.5)  # cut after 1 s; uncut, it would post at about 4 s
    fake.server_errors.clear()  # Discord answers again
    assert await store.digests.unconfirmed("discord", clock.now() + short.lease) != []  # the claim stays open
    clock.at += short.lease + timedelta(seconds=1)
    async with open_sender(settings_for(fake), clock) as other:  # another process, with a client of its own
        report = await runner(core, store, other, clock, owner="two", settings=short).tick()
    assert (report.reconciled, report.sent) == (1, 1)
    posted = len(posts(fake, CHANNEL_ID))
    cut = await first
    await asyncio.sleep(0.1)  # a retry of the cut send would reach the fake now, at the latest
    # Counted in POSTs: the fake, unlike Discord after a few minutes, never forgets a nonce, so a retry posts nothing new.
    assert len(posts(fake, CHANNEL_ID)) == posted  # the cut send was never tried again
    [message] = fake.posted[str(CHANNEL_ID)]
    assert f"ref {due.nonce}" in message["embeds"][0]["footer"]["text"]
    assert (cut.sent, cut.unknown, [(why.key, why.params) for why in cut.why]) == (0, 1, [("digest.send_cut", {"platform": "Discord", "seconds": 1})])
    assert await store.digests.unconfirmed("discord", clock.now() + 10 * short.lease) == []


async def test_an_unreadable_history_keeps_the_claim_rather_than_risk_a_second_post(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace]
) -> None:
    due = todays(await subscribe(store, CHANNEL_ID))
    await left_open(core, store, due, clock.now())
    fake.forbidden.add(str(CHANNEL_ID))
    clock.at += LEASE + timedelta(seconds=1)
    report = await runner(core, store, sender, clock).tick()
    assert (report.reconciled, report.sent, report.paused, report.unknown) == (0, 0, 0, 1)  # still waiting to be confirmed
    assert posts(fake, CHANNEL_ID) == [] and [r.method for r in fake.requests if r.path == f"/channels/{CHANNEL_ID}/messages"] == ["GET"]
    assert len(await store.digests.unconfirmed("discord", clock.now() + LEASE)) == 1


async def test_a_claim_left_open_in_a_channel_deleted_since_pauses_the_subscription(
    fake: FakeDiscord, core: BriefingCore, store: Store, clock: FakeClock, sender: tuple[DiscordSender, Pace]
) -> None:
    due = todays(await subscribe(store, CHANNEL_ID))
    await left_open(core, store, due, clock.now())
    fake.missing.add(str(CHANNEL_ID))
    clock.at += LEASE + timedelta(seconds=1)
    report = await runner(core, store, sender, clock).tick()
    assert (report.reconciled, report.paused) == (1, 1)
    [subscription] = await store.digests.subscriptions("discord")
    assert subscription.paused_reason == "paused.discord_not_found"
    assert await store.digests.unconfirmed("discord", clock.now() + LEASE) == []


async def test_a_fan_out_to_120_channels_stays_inside_the_global_rate_limit(fake: FakeDiscord, core: BriefingCore, store: Store) -> None:
    # Real time here: the fake measures its 50 per second on the wall clock, as Discord does.
    assert DISCORD_MESSAGES_PER_SECOND < 50
    fake.global_limit, fake.channel_limits = 50, True
    channels = [CHANNEL_ID + 1 + n for n in range(120)]
    for channel in channels:
        await subscribe(store, channel)
    clock = StartedClock(DUE)
    fake.clock = clock.now
    async with open_sender(settings_for(fake), clock) as (sender, pace):
        report = await DigestRunner(core, store.digests, sender, clock, owner="bot-1", pace=pace).tick()
    assert report.sent == 120 and report.why == []
    assert sorted(len(fake.posted[str(channel)]) for channel in channels) == [1] * 120
    # Paced, none meets a 429 (unpaced, about 50 of the 120 do). The pace spaces the sends' starts, so an
    # event loop starved on a loaded machine can still bunch a stray one, which discord.py waits out and retries.
    assert len(fake.limited) <= 2


async def test_the_bot_sends_digests_while_it_runs_and_stops_the_loop_when_it_stops(
    fake: FakeDiscord, core: BriefingCore, store: Store, tmp_path: Path
) -> None:
    now = datetime.now(UTC)  # the bot's loop runs on the real clock: a digest due this minute
    await subscribe(store, CHANNEL_ID, at=time(now.hour, now.minute), since=now - timedelta(minutes=1))
    bot = asyncio.create_task(run(settings_for(fake), core, tmp_path, store.digests))
    try:
        await fake.wait_for(lambda r: r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages")
        # Seen while the bot runs, so the check below looks for the loop's real name.
        assert len(digest_loops()) == 1
    finally:
        bot.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(bot, 5)
    assert digest_loops() == []
    assert len(fake.posted[str(CHANNEL_ID)]) == 1


def digest_loops() -> list[asyncio.Task[object]]:
    """The bot's digest loop tasks still alive in this event loop."""
    return [t for t in asyncio.all_tasks() if t.get_name() == "discord digest loop" and not t.done()]


async def test_open_sender_with_a_wrong_token_is_a_config_error(fake: FakeDiscord, clock: FakeClock) -> None:
    with pytest.raises(ConfigError, match="DISCORD_TOKEN was rejected"):
        async with open_sender(settings_for(fake, token="wrong"), clock):
            pass
