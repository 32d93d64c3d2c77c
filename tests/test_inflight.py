"""Answers that run after their ack are owned: bounded, awaited on shutdown, cancelled when late."""

from __future__ import annotations

import asyncio

from bot.adapters.inflight import Inflight


async def test_drain_waits_for_answers_and_cancels_the_late_ones() -> None:
    inflight = Inflight(concurrency=1)
    done: list[str] = []

    async def quick() -> None:
        done.append("quick")

    async def stuck() -> None:
        await asyncio.Event().wait()

    inflight.spawn(quick())
    inflight.spawn(stuck())
    inflight.spawn(quick())  # queued behind `stuck`: never starts, and is closed without a warning
    await inflight.drain(0.05)
    assert done == ["quick"]
    assert len(inflight) == 0


async def test_concurrency_is_bounded() -> None:
    inflight = Inflight(concurrency=2)
    running, peak = 0, 0
    release = asyncio.Event()

    async def work() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await release.wait()
        running -= 1

    for _ in range(5):
        inflight.spawn(work())
    for _ in range(10):  # let every task that can start do so; no wall-clock wait
        await asyncio.sleep(0)
    assert peak == 2
    release.set()
    await inflight.drain(1)
    assert running == 0 and len(inflight) == 0
