"""The host's wall clock set back or forward (NTP correcting it, a VM restored) while the digest loop runs.

What is due follows the wall clock; how long the loop sleeps and how far apart it sends follows the monotonic clock, so
a step is noticed at the next poll and a pace never waits for an old time to come round again. The fictional summit's
opening starts at 09:00 UTC on 6 March 2026; the tests' clock steps as a host's does (`FakeClock.step`).
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

from bot.core.digest.runner import DigestRunner
from bot.core.digest.sending import Pace
from bot.core.service import BriefingCore
from bot.store import Store
from tests.conftest import ask
from tests.digest_support import FakeClock, RecordingPlatform
from tests.test_alert_truth import START, B, edit, summit
from tests.test_digest_runner import runner_for

HOUR = timedelta(hours=1)
OPENING = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)


async def run_loop_for(runner: DigestRunner, clock: FakeClock, span: timedelta) -> None:
    """The loop itself (`run`: tick, sleep, tick…) until `span` has passed, however the wall clock was set, then cancelled."""
    task = asyncio.create_task(runner.run())
    try:
        async with asyncio.timeout(60):
            while clock.elapsed < span and not task.done():
                await asyncio.sleep(0)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_a_session_moved_while_the_loop_sleeps_across_a_step_back_gets_its_alerts_on_time(core: BriefingCore, store: Store) -> None:
    """The host's clock set back an hour while the loop sleeps, then the opening moved to start within that hour: the loop
    sees the move at its next poll. Sleeping until the wall clock read its wake, it slept an hour more: no 1 h alert (its
    window closes at the start) and a start alert 11 minutes late."""
    clock = FakeClock(OPENING - 3 * HOUR)  # 06:00 UTC
    platform = RecordingPlatform(clock)
    await summit(core, store)
    subscribed = await ask(core, f"subscribe platform:discord channel:c1 {B} time:12:00 tz:UTC alerts:1h,start", now=START)
    assert subscribed.kind == "answer", subscribed.text
    runner = runner_for(core, store, platform, clock)  # polls every minute

    async def stepped_back_then_moved() -> None:
        clock.step(-HOUR)  # 06:00:30 becomes 05:00:30
        await edit(core, 'set kind:session id:opening start:"2026-03-06T06:50"', clock.now())  # 05:50 UTC (CET)

    clock.meanwhile(stepped_back_then_moved)  # during the loop's first sleep, after its first tick at 06:00
    moved = datetime(2026, 3, 6, 5, 50, tzinfo=UTC)
    await run_loop_for(runner, clock, timedelta(minutes=51))  # until 05:51 on the clock as set back
    assert [(post.at, post.reply.title) for post in platform.posted] == [
        (datetime(2026, 3, 6, 5, 1, tzinfo=UTC), "In 49 minutes: Opening session — Mara Velde & Tomas Ricard"),  # at the next poll
        (moved, "Due to start now: Opening session — Mara Velde & Tomas Ricard"),
    ]


async def test_a_pace_set_back_an_hour_waits_its_gaps_not_the_hour() -> None:
    """A channel's gap and the overall rate are measured as time passes: after the wall clock is set back an hour, the
    next send to the channel waits its second, not an hour and a second (when half the lease would have cut it)."""
    clock = FakeClock(OPENING)
    pace = Pace(clock, per_second=1.0, channel_gap=timedelta(seconds=1))
    async with pace.turn("c1"):
        pass
    clock.step(-HOUR)
    for channel in ("c1", "c2"):  # the channel's gap, then the overall rate's
        started = clock.monotonic()
        async with pace.turn(channel):
            assert clock.monotonic() - started <= 1.0
    assert clock.now() == OPENING - HOUR + timedelta(seconds=2)


async def test_a_clock_stepped_forward_past_the_ledgers_keep_and_back_sends_no_alert_again(core: BriefingCore, store: Store) -> None:
    """The wall clock stepped 40 days forward for two minutes (a bad NTP answer, corrected) just as the loop's daily prune
    came round: the ledger is pruned by the time that passed, not by the clock as stepped, so the day-before alert sent an
    hour before is still in it once the clock is back, and is not sent again (it was, with a countdown an hour short)."""
    clock = FakeClock(datetime(2026, 3, 4, 10, 0, tzinfo=UTC))  # the loop's first tick prunes, the next a day later
    platform = RecordingPlatform(clock)
    await summit(core, store)
    subscribed = await ask(core, f"subscribe platform:discord channel:c1 {B} time:23:59 tz:UTC alerts:all", now=START)
    assert subscribed.kind == "answer", subscribed.text
    runner = runner_for(core, store, platform, clock)  # polls every minute
    day = timedelta(days=1)
    await run_loop_for(runner, clock, day - timedelta(minutes=1))  # to 09:59 on 5 March: its 09:00 day-before alert went

    async def forward() -> None:
        clock.step(40 * day)  # at 09:59:30: the prune at 10:00 reads 14 April

    async def back() -> None:
        clock.step(-40 * day)

    clock.meanwhile(forward)
    await run_loop_for(runner, clock, day + timedelta(minutes=1))
    clock.meanwhile(back)
    await run_loop_for(runner, clock, day + timedelta(minutes=10))
    assert clock.now() == datetime(2026, 3, 5, 10, 10, tzinfo=UTC)
    assert [post.key for post in platform.posted if post.key.startswith("alert:")] == ["alert:24h:opening:2026-03-06T09:00Z"]
