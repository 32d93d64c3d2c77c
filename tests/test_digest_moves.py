"""A channel that changes its zone or hour, or stops and comes back: one digest per local day, the one it is promised."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.core.catalogue import catalogue_for
from bot.core.digest.ledger import NewSubscription
from bot.core.digest.preview import preview_digest, previewed_due, slot_line
from bot.core.digest.runner import DigestRunner
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store import Store
from tests.conftest import BRIEFING_ID, ask
from tests.digest_support import FakeClock, RecordingPlatform
from tests.test_digest_runner import runner_for, subscribe

START = datetime(2026, 2, 1, tzinfo=UTC)


async def run_until(runner: DigestRunner, clock: FakeClock, end: datetime) -> None:
    """The loop as it runs: tick, sleep until its next wake, up to `end`."""
    while clock.now() < end:
        await runner.tick()
        clock.set(min(end, await runner.next_wake()))
    await runner.tick()


async def subscribed(core: BriefingCore, store: Store, options: str) -> tuple[FakeClock, RecordingPlatform, DigestRunner]:
    """Channel c1 subscribed at START with `options`, and a runner polling hourly on the tests' clock."""
    clock = FakeClock(START)
    platform = RecordingPlatform(clock)
    await subscribe(core, "c1", START, options)
    return clock, platform, runner_for(core, store, platform, clock, poll=timedelta(hours=1))


def first_digest(reply: Reply) -> tuple[str, datetime | None]:
    """The answer's "First digest" as shown, and the instant Discord's live timestamp shows."""
    [field] = [field for field in reply.fields if field.name == "First digest"]
    return field.value, field.moment


async def test_a_channel_moved_to_another_zone_gets_its_next_day_there_the_one_it_is_promised(core: BriefingCore, store: Store) -> None:
    """Tokyo's 3 and 4 February, sent, are not Honolulu's: the move at 19:00 on the 3rd in Honolulu gets that day's 20:00."""
    clock, platform, runner = await subscribed(core, store, "time:07:30 tz:Asia/Tokyo alerts:none")
    await run_until(runner, clock, datetime(2026, 2, 4, 5, tzinfo=UTC))  # Tokyo's 4 February digest went at 22:30 UTC on the 3rd
    moved = await ask(core, "subscribe platform:discord channel:c1 time:20:00 tz:Pacific/Honolulu", now=clock.now())
    shown, moment = first_digest(moved)
    assert shown == "Tue 3 February 2026, 20:00 HST (Honolulu)"
    await run_until(runner, clock, datetime(2026, 2, 7, 7, tzinfo=UTC))
    honolulu = [post for post in platform.posted if post.at > datetime(2026, 2, 4, 5, tzinfo=UTC)]
    assert [(post.at, post.reply.title.split(" · ")[1]) for post in honolulu] == [
        (datetime(2026, 2, day, 6, tzinfo=UTC), f"{day - 1} February 2026") for day in (4, 5, 6, 7)
    ]
    assert honolulu[0].at == moment


async def test_a_later_hour_after_todays_digest_starts_tomorrow_and_the_answer_says_so(core: BriefingCore, store: Store) -> None:
    clock, platform, runner = await subscribed(core, store, "time:08:00 tz:Europe/London alerts:none")
    await run_until(runner, clock, datetime(2026, 2, 2, 16, tzinfo=UTC))  # 2 February's 08:00 digest went
    moved = await ask(core, "subscribe platform:discord channel:c1 time:18:00", now=clock.now())
    shown, moment = first_digest(moved)
    assert shown == "Tue 3 February 2026, 18:00 GMT (London)"
    await run_until(runner, clock, datetime(2026, 2, 4, 19, tzinfo=UTC))
    assert [post.at for post in platform.posted] == [
        datetime(2026, 2, 1, 8, tzinfo=UTC), datetime(2026, 2, 2, 8, tzinfo=UTC), moment, datetime(2026, 2, 4, 18, tzinfo=UTC),
    ]


async def test_an_hour_moved_to_one_passed_before_todays_digest_sends_todays_at_once_and_the_answer_says_so(core: BriefingCore, store: Store) -> None:
    """A change keeps when the channel became a subscriber: moved from 18:00 to 08:00 at 10:00, today's digest goes late at
    once, as after downtime, and the day is not left without one (the change counted as subscribing anew)."""
    clock, platform, runner = await subscribed(core, store, "time:18:00 tz:Europe/London alerts:none")
    await run_until(runner, clock, datetime(2026, 2, 2, 10, tzinfo=UTC))  # 1 February's 18:00 digest went
    moved = await ask(core, "subscribe platform:discord channel:c1 time:08:00", now=clock.now())
    assert first_digest(moved) == ("Mon 2 February 2026, 10:00 GMT (London)", clock.now())  # the loop's next look, not 08:00
    await run_until(runner, clock, datetime(2026, 2, 3, 9, tzinfo=UTC))
    assert [(post.at, post.key) for post in platform.posted] == [
        (datetime(2026, 2, 1, 18, tzinfo=UTC), "digest:Europe/London:2026-02-01"),
        (datetime(2026, 2, 2, 10, tzinfo=UTC), "digest:Europe/London:2026-02-02"),
        (datetime(2026, 2, 3, 8, tzinfo=UTC), "digest:Europe/London:2026-02-03"),
    ]


async def test_a_preview_after_the_slot_was_sent_shows_the_next_the_loop_sends(core: BriefingCore, store: Store) -> None:
    """Inside the catch-up window of a slot already sent, the preview is tomorrow's, not that one "as it would be sent late"."""
    clock, platform, runner = await subscribed(core, store, "time:07:30 tz:America/Bogota alerts:none")
    sent = datetime(2026, 2, 2, 12, 30, tzinfo=UTC)
    await run_until(runner, clock, sent + timedelta(hours=1))
    assert platform.posted[-1].at == sent
    [subscription] = await store.digests.subscriptions()
    now = clock.now()
    shown = slot_line(catalogue_for("en"), await previewed_due(core, subscription, now), now)
    assert shown == "Slot: Tue 3 February 2026, 07:30 UTC-5 (Bogotá, America/Bogota). The digest as it would be sent then:"
    preview = await preview_digest(core, subscription, now, "en")
    await run_until(runner, clock, sent + timedelta(days=1))
    assert (platform.posted[-1].at, platform.posted[-1].reply.title) == (sent + timedelta(days=1), preview.title)


async def test_a_channel_that_unsubscribes_and_comes_back_gets_no_day_twice_and_hears_of_every_edit(core: BriefingCore, store: Store) -> None:
    """Its subscription is kept, with its ledger and its place in the revision log: the same day, or weeks later."""
    clock, platform, runner = await subscribed(core, store, "time:08:00 tz:Europe/Madrid alerts:none")
    await run_until(runner, clock, datetime(2026, 2, 2, 9, tzinfo=UTC))  # 2 February's 08:00 digest went
    assert (await ask(core, 'set kind:meeting venue:"Oval Office"', now=clock.now())).kind == "answer"
    assert (await ask(core, "unsubscribe platform:discord channel:c1", now=clock.now())).kind == "answer"
    assert await store.digests.subscriptions() == []
    back = await ask(core, "subscribe platform:discord channel:c1 time:20:00 tz:Europe/Madrid alerts:none", now=clock.now())
    assert first_digest(back)[0] == "Tue 3 February 2026, 20:00 CET (Madrid)"
    await run_until(runner, clock, datetime(2026, 2, 3, 20, tzinfo=UTC))
    returned = platform.posted[2:]
    assert [(post.at, post.reply.title.split(" · ")[1]) for post in returned] == [(datetime(2026, 2, 3, 19, tzinfo=UTC), "3 February 2026")]
    assert returned[0].reply.text.startswith("1 change since the last digest:")
    # Weeks later (the ledger pruned meanwhile, its last digest kept): the edits since that digest, and nothing twice.
    assert (await ask(core, "unsubscribe platform:discord channel:c1", now=clock.now())).kind == "answer"
    assert (await ask(core, 'set kind:meeting venue:"The White House"', now=clock.now())).kind == "answer"
    await run_until(runner, clock, datetime(2026, 3, 20, tzinfo=UTC))
    await ask(core, "subscribe platform:discord channel:c1 time:08:00 tz:Europe/Madrid alerts:none", now=clock.now())
    await run_until(runner, clock, datetime(2026, 3, 20, 8, tzinfo=UTC))
    [weeks_later] = platform.posted[3:]
    assert weeks_later.reply.title.split(" · ")[1] == "20 March 2026"
    assert weeks_later.reply.text.startswith("1 change since the last digest:")


async def test_a_zone_named_by_another_of_its_names_is_the_same_zone_and_its_day_is_not_sent_again(core: BriefingCore, store: Store) -> None:
    """Asia/Calcutta is the tz database's link to Asia/Kolkata: a change of hour with it keeps Kolkata's days, and the
    subscription keeps the one id (CLDR's), however the zone was typed."""
    clock, platform, runner = await subscribed(core, store, "time:07:30 tz:Asia/Kolkata alerts:none")
    await run_until(runner, clock, datetime(2026, 2, 2, 12, tzinfo=UTC))  # 17:30 in Kolkata: 2 February's digest went
    moved = await ask(core, "subscribe platform:discord channel:c1 time:20:00 tz:Asia/Calcutta", now=clock.now())
    assert moved.title == "This channel gets the digest daily at 20:00 (Kolkata)"
    assert first_digest(moved)[0] == "Tue 3 February 2026, 20:00 IST (Kolkata)"  # not tonight's: 2 February was sent
    await run_until(runner, clock, datetime(2026, 2, 4, tzinfo=UTC))
    assert [post.reply.title.split(" · ")[1] for post in platform.posted] == [f"{day} February 2026" for day in (1, 2, 3)]
    assert [s.zone for s in await store.digests.subscriptions()] == ["Asia/Kolkata"]
    await ask(core, "subscribe platform:discord channel:c2 tz:US/Eastern alerts:none", now=clock.now())
    assert [s.zone for s in await store.digests.subscriptions()] == ["Asia/Kolkata", "America/New_York"]


async def kept_as(core: BriefingCore, store: Store, zone: str) -> tuple[FakeClock, RecordingPlatform, DigestRunner]:
    """Channel c1 subscribed at 07:30 under `zone` as spelled before zones had one id, and the loop that serves it."""
    clock = FakeClock(START)
    platform = RecordingPlatform(clock)
    await store.digests.subscribe(NewSubscription(
        platform="discord", channel_id="c1", team_id="", briefing_id=BRIEFING_ID, time=time(7, 30), zone=zone,
        quiet=False, alerts=(), created_by="operator", now=START, seen_revision=0,
    ))
    return clock, platform, runner_for(core, store, platform, clock, poll=timedelta(hours=1))


async def test_a_subscription_kept_under_a_zones_other_name_keeps_it_when_given_the_zone_again(core: BriefingCore, store: Store) -> None:
    """Subscribed as US/Eastern before zones had one id: its days are keyed so, and a change of hour given as
    America/New_York (or US/Eastern again) keeps that spelling, so today's digest is not sent twice."""
    clock, platform, runner = await kept_as(core, store, "US/Eastern")
    await run_until(runner, clock, datetime(2026, 2, 2, 14, tzinfo=UTC))  # 09:00 in New York: 2 February's digest went
    for typed in ("America/New_York", "US/Eastern"):
        moved = await ask(core, f"subscribe platform:discord channel:c1 time:20:00 tz:{typed}", now=clock.now())
        assert first_digest(moved)[0] == "Tue 3 February 2026, 20:00 EST (New York)"
    await run_until(runner, clock, datetime(2026, 2, 4, 2, tzinfo=UTC))
    assert [post.key for post in platform.posted] == [f"digest:US/Eastern:2026-02-0{day}" for day in (1, 2, 3)]


async def test_a_subscription_kept_under_a_zones_other_name_keeps_it_when_it_unsubscribes_and_comes_back(core: BriefingCore, store: Store) -> None:
    """Subscribed as UTC before zones had one id, then unsubscribed (or its server removed the bot) after today's digest:
    subscribed again that day, its kept subscription keeps the spelling its ledger keys days by, so today is not sent twice."""
    clock, platform, runner = await kept_as(core, store, "UTC")
    await run_until(runner, clock, datetime(2026, 2, 2, 9, tzinfo=UTC))  # 2 February's digest went
    assert (await ask(core, "unsubscribe platform:discord channel:c1", now=clock.now())).kind == "answer"
    back = await ask(core, "subscribe platform:discord channel:c1 time:20:00 tz:UTC alerts:none", now=clock.now())
    assert first_digest(back)[0] == "Tue 3 February 2026, 20:00 UTC"
    await run_until(runner, clock, datetime(2026, 2, 3, 21, tzinfo=UTC))
    assert [post.key for post in platform.posted] == [f"digest:UTC:2026-02-0{day}" for day in (1, 2, 3)]


async def test_a_channel_moved_to_another_zone_on_the_same_clock_gets_that_zones_day_too(core: BriefingCore, store: Store) -> None:
    """Toronto is another zone than New York, though its clock and days are the same: a day of New York, sent, is not
    Toronto's (docs/digests.md), so moved to a later hour after today's digest, the channel gets Toronto's today."""
    clock, platform, runner = await subscribed(core, store, "time:07:30 tz:America/New_York alerts:none")
    await run_until(runner, clock, datetime(2026, 2, 2, 13, tzinfo=UTC))  # 08:00 in New York: 2 February's digest went
    moved = await ask(core, "subscribe platform:discord channel:c1 time:09:00 tz:America/Toronto", now=clock.now())
    assert first_digest(moved)[0] == "Mon 2 February 2026, 09:00 EST (Toronto)"
    assert (await ask(core, 'set kind:meeting venue:"Oval Office"', now=clock.now())).kind == "answer"
    await run_until(runner, clock, datetime(2026, 2, 2, 15, tzinfo=UTC))
    new_york, toronto = platform.posted[-2:]
    assert (new_york.key, toronto.key) == ("digest:America/New_York:2026-02-02", "digest:America/Toronto:2026-02-02")
    assert toronto.reply.title == new_york.reply.title  # "Daily digest · 2 February 2026 · …" twice that day
    assert toronto.reply.text.startswith("1 change since the last digest:")  # only what changed since the morning's


async def test_utc_is_named_utc_once_to_the_channel_and_to_the_operator_in_english_and_spanish(core: BriefingCore, store: Store) -> None:
    """`tz:UTC` is stored as Etc/UTC, CLDR's one id (the ledger keys its days by it), yet read "(UTC, Etc/UTC)" to the operator
    and "07:30 UTC (UTC)" to all, one clock named twice: "UTC" names it, as typed in `tz:` or `digests.zone`. Etc/GMT is "GMT"
    alike; a fixed offset keeps its id beside its name, which is no zone's."""
    made = await ask(core, "subscribe platform:discord channel:c1 time:07:30 tz:UTC alerts:none")
    assert made.title == "This channel gets the digest daily at 07:30 (UTC)"
    assert first_digest(made)[0] == "Mon 2 February 2026, 07:30 UTC"
    spanish = await ask(core, "suscribir plataforma:discord canal:c2 hora:07:30 zona:GMT avisos:ninguno", locale="es")
    assert spanish.title == "Este canal recibe el boletín todos los días a las 07:30 (GMT)"
    assert {f.name: f.value for f in spanish.fields}["Primer boletín"] == "lunes, 2 de febrero de 2026, 07:30 hora del meridiano de Greenwich"
    assert (await ask(core, "subscribe platform:discord channel:c3 time:07:30 tz:Etc/GMT+5 alerts:none")).kind == "answer"
    subscriptions = await store.digests.subscriptions()
    assert [s.zone for s in subscriptions] == ["Etc/UTC", "Etc/GMT", "Etc/GMT+5"]  # stored by the one id, as before
    listed = await ask(core, "subscriptions")  # the operator's console: the id where the name is none of the zone's
    assert [item.text.split(" · ")[0] for item in listed.items] == [
        "daily at 07:30 (UTC)", "daily at 07:30 (GMT)", "daily at 07:30 (GMT-05:00, Etc/GMT+5)",
    ]
    listado = await ask(core, "suscripciones", locale="es")
    assert [item.text.split(" · ")[0] for item in listado.items] == [
        "todos los días a las 07:30 (UTC)", "todos los días a las 07:30 (GMT)", "todos los días a las 07:30 (GMT-05:00, Etc/GMT+5)",
    ]
    due = await previewed_due(core, subscriptions[0], START)
    assert slot_line(catalogue_for("en"), due, START) == "Slot: Mon 2 February 2026, 07:30 UTC. The digest as it would be sent then:"
    assert slot_line(catalogue_for("es"), due, START).startswith("Hora de envío: lunes, 2 de febrero de 2026, 07:30 tiempo universal coordinado.")
