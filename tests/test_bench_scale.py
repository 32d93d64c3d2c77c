"""bench/scale.py's stall meter counts the event loop's stalls, not its own reads of /proc: a read that keeps the loop's
thread waiting (as one does while it wins the GIL back from a busy builder) stays out of every gap it measures."""

from __future__ import annotations

import asyncio
import time

import pytest

from bench import scale

READ_WAITS = 0.2  # seconds each read keeps the loop's thread: far above any host's lateness of a 0.5 ms sleep


class SlowReads(scale.CpuQueue):
    """The real reads, each kept waiting READ_WAITS first."""

    reads = 0

    def read(self) -> dict[str, float]:
        time.sleep(READ_WAITS)
        SlowReads.reads += 1
        return super().read()


async def test_the_meter_leaves_its_own_reads_out_of_a_stall(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scale, "CpuQueue", SlowReads)
    async with scale.StallMeter(floor=None) as meter:  # type: ignore[arg-type]  # no window is measured: no host floor
        await asyncio.sleep(READ_WAITS * 3)
    assert SlowReads.reads >= 3  # the first read, then at least two wake-ups, each with its read
    assert 0 < meter.longest < READ_WAITS / 2
