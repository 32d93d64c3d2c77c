"""The digest loop on a real SQLite file with a simulated clock: once per local day, on time, never twice."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from msgspec.structs import replace

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.digest.model import ALERTS, DigestSettings, Due
from bot.core.digest.preview import preview_digest
from bot.core.digest.runner import DigestRunner, loop_beside
from bot.core.digest.schedule import digest_key, local_slot
from bot.core.digest.sending import Pace
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store import Store, open_store
from tests.conftest import ask
from tests.digest_support import FakeClock, RecordingPlatform

START = datetime(2026, 1, 1, tzinfo=UTC)
SLOT_BOGOTA = datetime(2026, 2, 2, 12, 30, tzinfo=UTC)  # 07:30 in Bogotá on 2 February


def runner_for(core: BriefingCore, store: Store, platform: RecordingPlatform, clock: FakeClock, owner: str = "a", **knobs: object) -> DigestRunner:
    settings = DigestSettings(**knobs)  # type: ignore[arg-type]
    return DigestRunner(core, store.digests, platform, clock, owner=owner, pace=Pace(clock, None), settings=settings)


async def subscribe(core: BriefingCore, channel: str, now: datetime, options: str = "") -> None:
    reply = await ask(core, f"subscribe platform:discord channel:{channel} {options}", now=now)
    assert reply.kind == "answer", reply.text


async def test_a_year_in_new_york_and_bogota_gets_one_digest_per_local_day_at_the_minute(core, store):
    clock = FakeClock(START)
    platform = RecordingPlatform(clock)
    await subscribe(core, "ny", START, "time:07:30 tz:America/New_York alerts:none")
    await subscribe(core, "bog", START, "time:07:30 tz:America/Bogota alerts:none")
    await subscribe(core, "gap", START, "time:02:30 tz:America/New_York alerts:none")  # skipped hour in March
    await subscribe(core, "twice", START, "time:01:30 tz:America/New_York alerts:none")  # repeated hour in November
    runner = runner_for(core, store, platform, clock, poll=timedelta(days=1))
    end = START + timedelta(days=365)
    while clock.now() < end:
        await runner.tick()
        clock.set(await runner.next_wake())
    for channel, zone, at in (("ny", "America/New_York", time(7, 30)), ("bog", "America/Bogota", time(7, 30)),
                              ("gap", "America/New_York", time(2, 30)), ("twice", "America/New_York", time(1, 30))):
        posts = [p for p in platform.posted if p.channel == channel]
        days = [p.at.astimezone(ZoneInfo(zone)).date() for p in posts]
        assert len(days) == len(set(days)) == 365, channel
        for post in posts:
            local_day = post.at.astimezone(ZoneInfo(zone)).date()
            assert post.key == digest_key(zone, local_day)
            assert post.at == local_slot(local_day, at, ZoneInfo(zone)), (channel, post.at)
    spring = [p for p in platform.posted if p.channel == "gap" and p.key == "digest:America/New_York:2026-03-08"][0]
    assert spring.at.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") == "03:00"
    autumn = [p for p in platform.posted if p.channel == "twice" and p.key == "digest:America/New_York:2026-11-01"][0]
    assert autumn.at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # the first 01:30 (EDT), not the second


async def test_a_digest_time_in_a_gap_that_runs_past_midnight_still_gets_that_days_digest(core, store):
    # 28 March 2026 in Nuuk: the clocks go from 22:59 (-02) to 00:00 (-01), so 23:30 never comes that day.
    nuuk = ZoneInfo("America/Nuuk")
    start = datetime(2026, 3, 26, 12, 0, tzinfo=UTC)
    clock = FakeClock(start)
    platform = RecordingPlatform(clock)
    await subscribe(core, "nuuk", start, "time:23:30 tz:America/Nuuk alerts:none")
    subscription = (await store.digests.subscriptions())[0]
    previewed = await preview_digest(core, subscription, datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "en")  # 22:30 on the 28th
    runner = runner_for(core, store, platform, clock, poll=timedelta(days=1))
    while clock.now() < datetime(2026, 4, 1, tzinfo=UTC):
        await runner.tick()
        clock.set(await runner.next_wake())
    sent = [(post.key, post.reply.title.split(" · ")[1], f"{post.at.astimezone(nuuk):%d %H:%M}") for post in platform.posted]
    assert sent == [
        ("digest:America/Nuuk:2026-03-26", "26 March 2026", "26 23:30"), ("digest:America/Nuuk:2026-03-27", "27 March 2026", "27 23:30"),
        ("digest:America/Nuuk:2026-03-28", "28 March 2026", "29 00:00"),  # the first valid minute after 23:30 on the 28th
        ("digest:America/Nuuk:2026-03-29", "29 March 2026", "29 23:30"), ("digest:America/Nuuk:2026-03-30", "30 March 2026", "30 23:30"),
    ]
    assert previewed.title == platform.posted[2].reply.title


async def test_a_restart_inside_the_minute_sends_nothing_twice(core, store):
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "c1", clock.now(), "alerts:none")
    clock.set(SLOT_BOGOTA + timedelta(seconds=5))
    assert (await runner_for(core, store, platform, clock, owner="first").tick()).sent == 1
    clock.set(SLOT_BOGOTA + timedelta(seconds=40))
    report = await runner_for(core, store, platform, clock, owner="second").tick()
    assert report.sent == 0 and platform.keys() == ["digest:America/New_York:2026-02-02"]


async def thirty_channels_due(core: BriefingCore) -> tuple[FakeClock, RecordingPlatform]:
    """Thirty channels subscribed a day ahead, the clock now at their digest's slot."""
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    for n in range(30):
        await subscribe(core, f"c{n}", clock.now(), "alerts:none")
    clock.set(SLOT_BOGOTA)
    return clock, RecordingPlatform(clock)


async def test_two_schedulers_on_one_database_send_each_digest_once(core, store, store_target: Path | str):
    clock, platform = await thirty_channels_due(core)
    async with open_store(store_target) as other:
        other_core = BriefingCore(other.repository, digests=other.digests)
        reports = await asyncio.gather(
            runner_for(core, store, platform, clock, owner="one").tick(),
            runner_for(other_core, other, platform, clock, owner="two").tick(),
        )
    assert sum(r.sent for r in reports) == 30
    assert sorted(p.channel for p in platform.posted) == sorted(f"c{n}" for n in range(30))


async def test_a_due_another_scheduler_claimed_takes_no_turn_of_the_shared_rate(core, store, store_target: Path | str):
    # Processes sharing turns (bot/adapters/discord_app/digests.py): each turn is a departure of the bot's
    # rate, so a process claims before it takes one; a turn taken for a lost claim would go unused.
    clock, platform = await thirty_channels_due(core)
    turns: list[float] = []

    async def shared_turn(gap: float) -> None:
        turns.append(gap)
        await asyncio.sleep(0)

    def paced(core: BriefingCore, store: Store, owner: str) -> DigestRunner:
        return DigestRunner(core, store.digests, platform, clock, owner=owner, pace=Pace(clock, 50, shared=shared_turn))

    async with open_store(store_target) as other:
        other_core = BriefingCore(other.repository, digests=other.digests)
        reports = await asyncio.gather(paced(core, store, "one").tick(), paced(other_core, other, "two").tick())
    assert sum(r.sent for r in reports) == 30 and len(platform.posted) == 30
    assert len(turns) == 30


async def test_a_due_another_scheduler_claimed_is_not_composed(core, store, store_target: Path | str):
    # Composing is most of a fan-out's CPU: processes sharing the dues compose only those they win, so the
    # claim comes first. Composed before it, every due is composed by both schedulers (60).
    clock, platform = await thirty_channels_due(core)
    composed: list[str] = []

    class Counting(DigestRunner):
        """The real runner, noting each composition."""

        async def _compose(self, due: Due, now: datetime) -> tuple[Reply | None, int]:
            composed.append(due.subscription.channel_id)
            return await super()._compose(due, now)

    async with open_store(store_target) as other:
        other_core = BriefingCore(other.repository, digests=other.digests)
        reports = await asyncio.gather(
            Counting(core, store.digests, platform, clock, owner="one", pace=Pace(clock, None)).tick(),
            Counting(other_core, other.digests, platform, clock, owner="two", pace=Pace(clock, None)).tick(),
        )
    assert sum(r.sent for r in reports) == 30 and len(platform.posted) == 30
    assert sorted(composed) == sorted(f"c{n}" for n in range(30))


async def test_a_due_whose_composition_failed_after_its_claim_is_tried_again_a_minute_later(core, store):
    # The claim now comes before the composition: a failed composition must not hold the claim for a lease.
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "c1", clock.now(), "alerts:none")
    clock.set(SLOT_BOGOTA)

    class FailingOnce(DigestRunner):
        """The real runner, whose first composition fails as a bug or a store outage would make it."""

        failed = False

        async def _compose(self, due: Due, now: datetime) -> tuple[Reply | None, int]:
            if not FailingOnce.failed:
                FailingOnce.failed = True
                raise RuntimeError("composition failed")
            return await super()._compose(due, now)

    runner = FailingOnce(core, store.digests, platform, clock, owner="a", pace=Pace(clock, None))
    failed = await runner.tick()
    assert (failed.failed, [why.key for why in failed.why], platform.posted) == (1, ["digest.failed_unexpectedly"], [])
    clock.set(SLOT_BOGOTA + timedelta(seconds=1))
    assert (await runner.tick()).sent == 0  # its retry waits a minute (the spacing), not a tick
    clock.set(SLOT_BOGOTA + timedelta(minutes=1))  # its first retry; a claim held would be taken over only past the lease
    assert (await runner.tick()).sent == 1 and platform.keys("c1") == ["digest:America/New_York:2026-02-02"]


async def test_downtime_is_caught_up_inside_the_window_and_not_after(core, store):
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "c1", clock.now(), "alerts:none")
    clock.set(SLOT_BOGOTA + timedelta(hours=5, minutes=50))
    await runner_for(core, store, platform, clock).tick()
    clock.set(SLOT_BOGOTA + timedelta(days=1, hours=6, minutes=1))  # the next day's is 6 h 1 min late
    await runner_for(core, store, platform, clock).tick()
    assert platform.keys() == ["digest:America/New_York:2026-02-02"]


async def test_the_digest_reports_changes_since_the_channels_last_digest_with_sources(core, store):
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "c1", clock.now(), "alerts:none")
    runner = runner_for(core, store, platform, clock)
    clock.set(SLOT_BOGOTA)
    await runner.tick()
    first = platform.posted[-1].reply
    assert first.text.startswith("Nothing new since this channel subscribed. “Petro in Washington: the White House meeting with Trump”: Scheduled") and not first.items
    changed = await ask(core, 'set kind:meeting venue:"Oval Office" source:https://example.org/venue', now=clock.now())
    assert changed.kind == "answer", changed.text
    clock.set(SLOT_BOGOTA + timedelta(days=1))
    await runner.tick()
    second = platform.posted[-1].reply
    assert second.text == "1 change since the last digest:"
    assert second.items[0].text == "Venue: now “Oval Office”; it was “The White House, Washington”."
    assert [s.id for s in second.sources] == ["cubaheadlines-2026-02-03", "https://example.org/venue"]  # what it shows, then what the edit cited
    clock.set(SLOT_BOGOTA + timedelta(days=2))
    await runner.tick()
    assert platform.posted[-1].reply.text.startswith("Nothing new")


async def test_a_channels_first_digest_speaks_of_its_subscription_in_its_language_and_the_next_of_the_last_digest(core, store):
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    for channel, locale in (("en", "en"), ("es", "es")):
        reply = await ask(core, f"subscribe platform:discord channel:{channel} alerts:none", now=clock.now(), locale=locale)
        assert reply.kind == "answer", reply.text
    assert (await ask(core, 'set kind:meeting venue:"Oval Office"', now=clock.now())).kind == "answer"
    runner = runner_for(core, store, platform, clock)
    for day in range(2):
        clock.set(SLOT_BOGOTA + timedelta(days=day))
        await runner.tick()
    assert sorted((post.key, post.channel, post.reply.text.split(" “")[0].split(" «")[0]) for post in platform.posted) == [
        ("digest:America/New_York:2026-02-02", "en", "1 change since this channel subscribed:"),
        ("digest:America/New_York:2026-02-02", "es", "1 cambio desde que este canal se suscribió:"),
        ("digest:America/New_York:2026-02-03", "en", "Nothing new since the last digest."), ("digest:America/New_York:2026-02-03", "es", "Nada nuevo desde el último boletín."),
    ]
    # Paused for weeks (its old ledger rows forgotten), then resumed: it still had a last digest.
    english = next(s for s in await store.digests.subscriptions() if s.channel_id == "en")
    await store.digests.pause(english, "paused.discord_not_found", clock.now())
    clock.set(SLOT_BOGOTA + timedelta(days=40))
    await runner.tick()
    assert (await ask(core, "subscribe platform:discord channel:en", now=clock.now())).kind == "answer"
    clock.set(SLOT_BOGOTA + timedelta(days=41))
    await runner.tick()
    resumed = [post for post in platform.posted if post.channel == "en"][-1]
    assert resumed.key == "digest:America/New_York:2026-03-15" and resumed.reply.text.startswith("Nothing new since the last digest.")


async def test_a_quiet_subscription_skips_days_with_nothing_new(core, store):
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "c1", clock.now(), "quiet:yes alerts:none")
    runner = runner_for(core, store, platform, clock)
    clock.set(SLOT_BOGOTA)
    assert (await runner.tick()).skipped == 1
    assert platform.posted == []
    assert (await runner.tick()).skipped == 0  # recorded as skipped: not reconsidered


async def test_alerts_move_with_the_meeting(core, store):
    clock = FakeClock(datetime(2026, 2, 1, 12, 0, tzinfo=UTC))
    platform = RecordingPlatform(clock)
    await subscribe(core, "c1", clock.now(), "time:23:59 tz:UTC alerts:24h,1h,start")
    runner = runner_for(core, store, platform, clock, poll=timedelta(days=1))
    moved = await ask(core, 'set kind:meeting start:"2026-02-03T14:00"', now=clock.now())  # 11:00 → 14:00 EST
    assert moved.kind == "answer", moved.text
    clock.set(datetime(2026, 2, 2, 16, 0, tzinfo=UTC))  # 24 h before the old time: nothing
    await runner.tick()
    assert platform.keys() == []
    assert await runner.next_wake() == datetime(2026, 2, 2, 19, 0, tzinfo=UTC)
    for wake in ("2026-02-02T19:00:00+00:00", "2026-02-03T18:00:00+00:00", "2026-02-03T19:00:00+00:00"):
        clock.set(datetime.fromisoformat(wake))
        await runner.tick()
    alerts = [k for k in platform.keys() if k.startswith("alert:")]  # noqa: SIM118 - RecordingPlatform.keys(), not a dict's
    assert alerts == ["alert:24h:meeting:2026-02-03T19:00Z", "alert:1h:meeting:2026-02-03T19:00Z", "alert:start:meeting:2026-02-03T19:00Z"]
    assert [p.reply.title for p in platform.posted if p.key.startswith("alert:")][0] == "In 24 hours: Petro in Washington: the White House meeting with Trump — Gustavo Petro & Donald Trump"


async def test_a_status_change_sends_an_alert_once(core, store):
    clock = FakeClock(datetime(2026, 2, 3, 17, 0, tzinfo=UTC))
    platform = RecordingPlatform(clock)
    await subscribe(core, "c1", clock.now(), "time:23:59 tz:UTC alerts:status")
    runner = runner_for(core, store, platform, clock)
    await ask(core, 'set kind:meeting status:concluded outcome:"They met for two hours."', now=clock.now())
    clock.set(clock.now() + timedelta(minutes=1))
    await runner.tick()
    await runner.tick()
    [alert] = platform.posted
    assert alert.key.startswith("alert:status:") and alert.reply.title.startswith("Status changed to Concluded (was Scheduled): ")
    assert alert.reply.text == "They met for two hours."


async def test_status_changes_sent_together_arrive_oldest_first_so_the_last_says_what_holds(core, store):
    # Two changes inside one look of the loop (or after downtime): the channel's last message must name the status now.
    clock = FakeClock(datetime(2026, 2, 3, 17, 0, tzinfo=UTC))
    platform = RecordingPlatform(clock)
    await subscribe(core, "c1", clock.now(), "time:23:59 tz:UTC alerts:status")
    runner = runner_for(core, store, platform, clock)
    for status in ("postponed", "cancelled"):
        await ask(core, f"set kind:meeting status:{status}", now=clock.now())
        clock.set(clock.now() + timedelta(seconds=10))
    await runner.tick()
    titles = [p.reply.title.split(": ", 1)[0] for p in platform.posted]
    assert titles == ["Status changed to Postponed (was Scheduled)", "Status changed to Cancelled (was Postponed)"]


async def test_a_removed_channel_pauses_and_its_admin_is_told(core, store, caplog):
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock, gone={"c1"})
    await subscribe(core, "c1", clock.now(), "alerts:none")
    await subscribe(core, "c2", clock.now(), "alerts:none")
    runner = runner_for(core, store, platform, clock)
    clock.set(SLOT_BOGOTA)
    report = await runner.tick()
    assert (report.sent, report.paused) == (1, 1)
    [paused] = [s for s in await store.digests.subscriptions() if s.channel_id == "c1"]
    assert not paused.active and paused.paused_reason == "paused.discord_not_found"
    assert "discord channel c1 paused: channel not found (404)" in caplog.messages  # the log reads English, not the key
    assert platform.told and platform.told[0][0] == "local" and "c1" in platform.told[0][1].title
    clock.set(SLOT_BOGOTA + timedelta(days=1))
    await runner.tick()
    assert platform.keys("c1") == [] and platform.keys("c2") == ["digest:America/New_York:2026-02-02", "digest:America/New_York:2026-02-03"]
    listed = await ask(core, "subscriptions")
    assert "paused: channel not found (404)" in [i.meta for i in listed.items if "c1" in i.title][0]


async def test_an_abandoned_claim_is_sent_once_after_its_lease(core, store):
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "sent", clock.now(), "alerts:none")
    await subscribe(core, "lost", clock.now(), "alerts:none")
    clock.set(SLOT_BOGOTA)
    dead = runner_for(core, store, platform, clock, owner="dead")
    # The dead process claimed both; one message reached the channel before it died, one did not.
    for due in await dead.due(clock.now()):
        delivery = await store.digests.claim(due, "dead", clock.now(), 3)
        if due.subscription.channel_id == "sent":
            await platform.send(delivery, (await dead._compose(due, clock.now()))[0])
    alive = runner_for(core, store, platform, clock, owner="alive")
    clock.set(SLOT_BOGOTA + timedelta(seconds=30))
    assert (await alive.tick()).reconciled == 0  # inside the lease: the claims may still be live
    clock.set(SLOT_BOGOTA + timedelta(seconds=61))
    report = await alive.tick()
    assert (report.reconciled, report.sent) == (2, 2)
    assert sorted(p.channel for p in platform.posted) == ["lost", "sent"]
    assert (await alive.tick()).reconciled == 0


async def claimed_by_a_dead_process(core, store):
    """Channel c1's digest at SLOT_BOGOTA, claimed by a process that then died: the clock, the platform, that runner, the
    due and its claim."""
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "c1", clock.now(), "alerts:none")
    clock.set(SLOT_BOGOTA)
    dead = runner_for(core, store, platform, clock, owner="dead")
    [due] = await dead.due(clock.now())
    return clock, platform, dead, due, await store.digests.claim(due, "dead", clock.now(), 3)


async def test_a_send_posted_before_the_zone_joined_its_key_is_found_after_the_upgrade(core, store):
    """A process posted a digest, then died before noting it; migration 026 then added the zone to its claim's key.
    The reconciling process must find the message it posted, not post that day a second time."""
    clock, platform, dead, due, delivery = await claimed_by_a_dead_process(core, store)
    before_026 = replace(delivery, due=replace(due, key=f"digest:{due.key.rsplit(':', 1)[1]}"))  # as it was posted
    await platform.send(before_026, (await dead._compose(due, clock.now()))[0])
    alive = runner_for(core, store, platform, clock, owner="alive")
    clock.set(SLOT_BOGOTA + timedelta(seconds=61))
    report = await alive.tick()
    assert report.reconciled == 1 and len(platform.posted) == 1  # found: noted as sent, not posted again


async def test_a_claim_left_open_is_not_posted_after_its_channel_unsubscribes(core, store):
    """A process claimed the day's digest and died; the channel then unsubscribed. Kept with its ledger, its subscription
    must not have that claim taken over and posted to a channel just told it gets nothing more."""
    clock, platform, *_ = await claimed_by_a_dead_process(core, store)
    assert (await ask(core, "unsubscribe platform:discord channel:c1", now=clock.now())).kind == "answer"
    clock.set(SLOT_BOGOTA + timedelta(minutes=5))
    alive = runner_for(core, store, platform, clock, owner="alive")
    assert (await alive.tick()).reconciled == 0 and platform.posted == []
    await subscribe(core, "c1", clock.now(), "alerts:none")  # back the same day: that day stays settled
    assert (await alive.tick()).reconciled == 0 and platform.posted == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("time:25:00", "time: “25:00” is not a time of day"),
        # A short value in another form is told the form, not that it is longer than HH:MM; only a huge one is too long.
        ("time:7:30pm", "time: “7:30pm” is not a time of day; write HH:MM on a 24-hour clock, such as 07:30."),
        ('time:"7:30 p.m."', "time: “7:30 p.m.” is not a time of day; write HH:MM on a 24-hour clock, such as 07:30."),
        (f"time:{'7' * 201}", "time: is too long; keep it under 200 characters."),
        ("tz:Mars/Olympus", "tz: “Mars/Olympus” is not a time zone"),
        ("tz:../etc/passwd", "tz: “../etc/passwd” is not a time zone"),
        ("tz:Europe/Brusels", "tz: “Europe/Brusels” is not a time zone this bot knows; did you mean Europe/Brussels?"),
        ("tz:Europe/Geneva", "Europe/Madrid (a city with no zone of its own takes the zone of the city whose clock it keeps)."),
        # A bare city is offered its zone, whatever its region; a zone by its one id, never a link's name.
        *((f"tz:{typed}", f"tz: “{typed}” is not a time zone this bot knows; did you mean {meant}?") for typed, meant in (
            ("Bogota", "America/Bogota"), ("Paris", "Europe/Paris"), ("New_York", "America/New_York"), ("Asia/Calcuta", "Asia/Kolkata"))),
        *((f"tz:{name}", f"tz: “{name}” is not a time zone") for name in ("localtime", "posixrules", "Factory", "right/UTC", "posix/Europe/Madrid", "America")),
        # A clock abbreviation is no place: EST, which the tz database reads as Panama's clock (no summer time), sent a US desk
        # its digest an hour late from March; CET became "(Brussels)". The places it may mean are named instead.
        *((f"tz:{typed}", f"tz: “{typed}” is an abbreviation, not a place, and a digest keeps a place's clock, summer time included; "
                          f"use the zone of the place you mean, such as {meant}.") for typed, meant in (
            ("EST", "America/New_York"), ("pst", "America/Los_Angeles"), ("CET", "Europe/Berlin, Europe/Paris"), ("BST", "Europe/London"),
            ("IST", "Asia/Kolkata, Europe/Dublin, Asia/Jerusalem"))),
        ("alerts:weekly", "alerts: unknown weekly"),
        # none with others was read as the others, and all with none as none: which was meant is not said.
        ("alerts:none,1h", "alerts: none turns every alert off, so it cannot go with 1h; give none alone, or only the alerts you want."),
        ("alerts:all,none", "alerts: none turns every alert off, so it cannot go with all;"),
        ("quiet:maybe", "quiet"),
    ],
)
async def test_bad_subscribe_options_get_a_clear_error_and_change_nothing(core, store, options, message):
    reply = await ask(core, f"subscribe platform:discord channel:c1 {options}")
    assert reply.kind == "error" and message in reply.text
    assert await store.digests.subscriptions() == []


async def test_utc_is_a_clock_meant_as_itself_and_a_spanish_reader_is_told_the_places_an_abbreviation_may_mean(core, store):
    spanish = await ask(core, "suscribir plataforma:discord canal:c1 zona:CST", locale="es")
    assert spanish.text == ("zona: «CST» es una abreviatura, no un lugar, y el boletín sigue la hora de un lugar, con su horario de verano; "
                            "usa la zona del lugar al que te refieres, como America/Chicago, Asia/Shanghai.")
    assert await store.digests.subscriptions() == []
    for zone in ("UTC", "GMT"):
        assert (await ask(core, f"subscribe platform:discord channel:c1 tz:{zone}")).kind == "answer", zone


async def test_subscribe_is_for_admins_in_the_channel_itself(core, store):
    stranger = await ask(core, "subscribe", platform="discord", user_id="999", channel_id="c1")
    assert stranger.kind == "error" and "admins only" in stranger.text
    assert (await ask(core, "subscribe")).text.startswith("Name the channel")
    assert await store.digests.subscriptions() == []


async def test_subscribe_again_changes_the_subscription_and_unsubscribe_removes_it(core, store):
    await subscribe(core, "c1", START, "time:07:30 tz:America/Bogota")
    changed = await ask(core, "subscribe platform:discord channel:c1 time:6:05 tz:Europe/London alerts:1h,status quiet:yes")
    assert changed.title == "This channel gets the digest daily at 06:05 (London)"
    # London's 06:05 passed six hours ago, unsent (and Bogotá's 07:30 is not London's day): sent at the loop's next look.
    assert [f.value for f in changed.fields if f.name == "First digest"] == ["Sun 1 February 2026, 12:00 GMT (London)"]
    [only] = await store.digests.subscriptions()
    assert (only.time, only.zone, only.alerts, only.quiet) == (time(6, 5), "Europe/London", ("1h", "status"), True)
    assert (await ask(core, "unsubscribe platform:discord channel:c1")).kind == "answer"
    assert (await ask(core, "unsubscribe platform:discord channel:c1")).text == "This channel has no digest subscription."
    assert (await ask(core, "subscriptions")).text.startswith("No channel gets the digest")


async def test_a_fixed_offset_zone_is_named_by_its_offset_with_the_right_sign(core, store):
    """Etc/GMT+5 is five hours behind UTC: it reads "(GMT-05:00)", CLDR's name for a zone without a city, where its
    last part, Babel's fallback, said "(GMT+5)" beside a clock reading -05."""
    made = await ask(core, "subscribe platform:slack channel:c1 time:07:00 tz:etc/gmt+5 alerts:none")
    assert made.title == "This channel gets the digest daily at 07:00 (GMT-05:00)", made.text
    assert {f.name: f.value for f in made.fields}["First digest"] == "Sun 1 February 2026, 07:00 UTC-5 (GMT-05:00)"
    spanish = await ask(core, "suscribir plataforma:slack canal:c2 hora:07:00 zona:Etc/GMT-14", locale="es")
    assert spanish.title == "Este canal recibe el boletín todos los días a las 07:00 (GMT+14:00)", spanish.text
    assert [s.zone for s in await store.digests.subscriptions()] == ["Etc/GMT+5", "Etc/GMT-14"]


async def test_subscribe_again_changes_only_what_it_gives_and_a_new_one_takes_the_defaults(core, store):
    made = await ask(core, "subscribe platform:slack channel:c1 time:06:00 tz:Asia/Tokyo alerts:none quiet:yes", locale="es-419")
    assert made.kind == "answer", made.text
    # Another admin, reading English, moves the digest: the zone, alerts, quiet days and language stay.
    moved = await ask(core, "subscribe platform:slack channel:c1 time:08:00", locale="en-GB")
    assert moved.title == "This channel gets the digest daily at 08:00 (Tokyo)"
    shown = {f.name: f.value for f in moved.fields}
    assert (shown["Alerts"], shown["Days with nothing new"], shown["Language"]) == ("none", "nothing is sent", "español")
    assert shown["First digest"] == "Mon 2 February 2026, 08:00 JST (Tokyo)"
    [only] = await store.digests.subscriptions()
    assert (only.time, only.zone, only.alerts, only.quiet, only.language) == (time(8), "Asia/Tokyo", (), True, "es")
    await ask(core, "subscribe platform:slack channel:c1 quiet:no alerts:1h")
    [only] = await store.digests.subscriptions()
    assert (only.time, only.zone, only.alerts, only.quiet, only.language) == (time(8), "Asia/Tokyo", ("1h",), False, "es")
    await ask(core, "unsubscribe platform:slack channel:c1")
    await ask(core, "subscribe platform:slack channel:c1", locale="en-GB")
    [fresh] = await store.digests.subscriptions()
    # No tz: and none in config/: the briefing's own first zone, Washington's.
    assert (fresh.time, fresh.zone, fresh.alerts, fresh.quiet, fresh.language) == (time(7, 30), "America/New_York", ALERTS, False, "en")


async def test_subscriptions_lists_only_this_servers_channels(core, store):
    core.policy = AdminPolicy({"discord": Admins(users=frozenset({"7"}))})
    for guild, channel in (("g1", "c1"), ("g2", "c2")):
        reply = await ask(core, "subscribe", platform="discord", user_id="7", channel_id=channel, team_id=guild)
        assert reply.kind == "answer", reply.text
    listed = await ask(core, "subscriptions", platform="discord", user_id="7", channel_id="c1", team_id="g1")
    assert [str(item.title) for item in listed.items] == ["Channel c1 · petro-trump-2026"]
    assert [str(item.title) for item in (await ask(core, "subscriptions")).items] == ["Channel c1 · petro-trump-2026", "Channel c2 · petro-trump-2026"]


async def test_a_chat_admin_subscribes_and_unsubscribes_only_the_channel_they_are_in(core, store):
    """Naming a channel is the operator's alone: a Discord admin's `platform:slack channel:…` would start or stop a Slack
    channel's digest from Discord, and a request that calls itself the console without coming from it is nobody's."""
    core.policy = AdminPolicy({"discord": Admins(users=frozenset({"7"}))})
    assert (await ask(core, "subscribe platform:slack channel:C9")).kind == "answer"  # the operator's, from the console
    [kept] = await store.digests.subscriptions()
    here = {"platform": "discord", "user_id": "7", "channel_id": "c1", "team_id": "g1"}
    for line in ("subscribe platform:slack channel:C8", "subscribe channel:c2", "unsubscribe platform:slack channel:C9"):
        refused = await ask(core, line, **here)
        assert refused.kind == "error" and refused.text.startswith("Run this in the channel itself"), (line, refused.text)
    posing = await ask(core, "subscribe platform:slack channel:C8", operator=False)  # platform "console", not its surface
    assert posing.kind == "error" and "admins only" in posing.text
    assert await store.digests.subscriptions() == [kept]


async def test_the_ledger_forgets_finished_sends_long_after_their_day(core, store, store_path: Path):
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "c1", clock.now(), "alerts:none")
    runner = runner_for(core, store, platform, clock, poll=timedelta(days=1))
    for day in range(40):
        clock.set(SLOT_BOGOTA + timedelta(days=day))
        await runner.tick()
    assert len(platform.posted) == 40
    with sqlite3.connect(store_path) as db:
        kept = [row[0] for row in db.execute("SELECT key FROM deliveries ORDER BY due_at")]
    # The last tick forgot what was due more than 35 days before it: 2 to 5 February.
    assert kept[0] == "digest:America/New_York:2026-02-06" and kept[-1] == "digest:America/New_York:2026-03-13" and len(kept) == 36


async def test_a_status_alert_whose_revision_left_the_recent_log_still_says_what_holds(core, store):
    clock = FakeClock(datetime(2026, 2, 3, 17, 0, tzinfo=UTC))
    runner = runner_for(core, store, RecordingPlatform(clock), clock)
    await subscribe(core, "c1", clock.now(), "alerts:status")
    [subscription] = await store.digests.subscriptions()
    reply, _ = await runner._compose(Due(subscription, "alert:status:meeting:999999", "alert", clock.now()), clock.now())
    assert reply is not None and reply.title == "Status is now Scheduled: Petro in Washington: the White House meeting with Trump — Gustavo Petro & Donald Trump"


async def test_a_loop_beside_the_bot_is_cancelled_after_and_a_failure_is_logged(caplog):
    async def forever() -> None:
        await asyncio.Event().wait()

    async def broken() -> None:
        raise RuntimeError("boom")

    async with loop_beside(forever(), "test loop"):
        [running] = [t for t in asyncio.all_tasks() if t.get_name() == "test loop"]
    assert running.cancelled()
    async with loop_beside(broken(), "broken loop"):
        await asyncio.sleep(0.01)
    assert "broken loop stopped; no digests are sent until the bot restarts" in caplog.text
    async with loop_beside(None, "no loop"):
        assert not [t for t in asyncio.all_tasks() if t.get_name() == "no loop"]
