"""Late digests and alerts say what they are for: the day of their slot, the time really left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.digest.preview import preview_digest
from bot.core.service import BriefingCore
from bot.store import Store
from tests.conftest import ask
from tests.digest_support import FakeClock, RecordingPlatform
from tests.test_digest_runner import runner_for, subscribe

SLOT = datetime(2026, 2, 1, 4, 30, tzinfo=UTC)  # 23:30 in Bogotá on 31 January


async def test_a_late_digest_is_titled_with_the_day_it_is_for_and_a_preview_with_the_slot_it_would_send(core: BriefingCore, store: Store) -> None:
    clock = FakeClock(SLOT - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "bog", clock.now(), "alerts:none time:23:30 tz:America/Bogota")
    runner = runner_for(core, store, platform, clock)
    # On time for 31 January; 1.5 h late for 1 February (01:00 on the 2nd in Bogotá); on time for 2 February.
    for at in (SLOT, SLOT + timedelta(days=1, hours=1, minutes=30), SLOT + timedelta(days=2)):
        clock.set(at)
        await runner.tick()
    assert [(post.key, post.reply.title.split(" · ")[1]) for post in platform.posted] == [
        ("digest:America/Bogota:2026-01-31", "31 January 2026"), ("digest:America/Bogota:2026-02-01", "1 February 2026"), ("digest:America/Bogota:2026-02-02", "2 February 2026"),
    ]
    # At 23:30 in Bogotá (already the 4th in UTC) the preview is the 3 February digest the loop sends then, nonce and all.
    subscription = (await store.digests.subscriptions())[0]
    # At noon in Bogotá on 3 February, past the 2nd's catch-up window, the next digest to go out is the 3rd's.
    ahead = await preview_digest(core, subscription, SLOT + timedelta(days=2, hours=12), "en")
    assert ahead.title.split(" · ")[1] == "3 February 2026"
    preview = await preview_digest(core, subscription, SLOT + timedelta(days=3), "en")
    clock.set(SLOT + timedelta(days=3))
    await runner.tick()
    sent = platform.posted[-1]
    assert sent.key == "digest:America/Bogota:2026-02-03" and sent.reply.title == preview.title and preview.footer.startswith(sent.reply.footer)


async def test_no_catch_up_sends_on_time_and_never_late(core: BriefingCore, store: Store) -> None:
    """`digests.catch_up_hours: 0`: each digest and status alert at the loop's tick for it, none after downtime."""
    start = SLOT - timedelta(hours=23)
    clock = FakeClock(start)
    platform = RecordingPlatform(clock)
    await subscribe(core, "bog", start, "alerts:status time:23:30 tz:America/Bogota")
    runner = runner_for(core, store, platform, clock, catch_up=timedelta(0), poll=timedelta(hours=1))
    changed = False
    while clock.now() < SLOT + timedelta(days=2, hours=1):  # the loop: tick, sleep until the next wake
        await runner.tick()
        if not changed and clock.now() >= SLOT + timedelta(hours=1):  # seen at the next poll, an hour later
            changed = (await ask(core, "set kind:meeting status:postponed", now=clock.now())).kind == "answer"
        clock.set(await runner.next_wake())
    assert [post.key.replace("America/Bogota:", "").split(":")[:2] for post in platform.posted] == [
        ["digest", "2026-01-31"], ["alert", "status"], ["digest", "2026-02-01"], ["digest", "2026-02-02"],
    ]
    clock.set(SLOT + timedelta(days=3, minutes=1))  # down at the 3 February slot: a minute late is late
    await runner.tick()
    assert len(platform.posted) == 4


async def test_a_preview_shows_the_digest_the_loop_sends_not_one_from_before_the_subscription(core: BriefingCore, store: Store) -> None:
    """Subscribed at 08:00 in Bogotá, after that day's 07:30 slot: the loop never sends that day's digest, so neither does the preview."""
    subscribed = datetime(2026, 2, 2, 13, 0, tzinfo=UTC)  # 08:00 on 2 February in Bogotá
    clock = FakeClock(subscribed)
    platform = RecordingPlatform(clock)
    assert (await ask(core, "set kind:meeting venue:\"Oval Office\"", now=subscribed - timedelta(hours=1))).kind == "answer"
    await subscribe(core, "bog", subscribed, "alerts:none time:07:30 tz:America/Bogota")
    subscription = (await store.digests.subscriptions())[0]
    runner = runner_for(core, store, platform, clock)
    # Before it subscribed, and half an hour after (inside the 07:30 slot's catch-up window): the next digest is 3 February's.
    for at in (subscribed - timedelta(days=3), subscribed + timedelta(minutes=30)):
        assert (await preview_digest(core, subscription, at, "en")).title.split(" · ")[1] == "3 February 2026"
    clock.set(subscribed + timedelta(minutes=30))
    await runner.tick()
    assert platform.posted == []
    due = datetime(2026, 2, 3, 12, 30, tzinfo=UTC)
    preview = await preview_digest(core, subscription, due, "en")
    clock.set(due)
    await runner.tick()
    [sent] = platform.posted
    assert (sent.key, sent.reply.title, sent.reply.text) == ("digest:America/Bogota:2026-02-03", preview.title, preview.text)
    assert sent.reply.text.startswith("Nothing new since this channel subscribed.")  # the edit before it subscribed is not news to it


async def test_a_preview_of_a_later_slot_is_the_digest_sent_at_it_not_one_told_as_of_now(core: BriefingCore, store: Store) -> None:
    """Tokyo's 07:00 slot of 2 February is 22:00 UTC on the 1st: previewed that morning, or before the channel subscribed,
    its countdown to the meeting (16:00 UTC on the 3rd) is the one the loop sends then, 1 day and 18 hours, not the morning's."""
    subscribed = datetime(2026, 2, 1, 0, 0, tzinfo=UTC)
    slot = datetime(2026, 2, 1, 22, 0, tzinfo=UTC)
    clock = FakeClock(subscribed)
    platform = RecordingPlatform(clock)
    await subscribe(core, "tokyo", subscribed, "alerts:none time:07:00 tz:Asia/Tokyo")
    subscription = (await store.digests.subscriptions())[0]
    previews = [await preview_digest(core, subscription, at, "en") for at in (slot - timedelta(hours=16), subscribed - timedelta(days=120))]
    clock.set(slot)
    await runner_for(core, store, platform, clock).tick()
    [sent] = platform.posted
    assert sent.reply.text == "Nothing new since this channel subscribed. “Petro in Washington: the White House meeting with Trump”: Scheduled · in 1 day and 18 hours."
    for preview in previews:
        assert (preview.title, preview.text, preview.fields, preview.footer) == (sent.reply.title, sent.reply.text, sent.reply.fields, sent.reply.footer)
