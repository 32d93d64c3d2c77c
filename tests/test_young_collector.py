"""A serving core collects the young generations every YOUNG_EVERY requests (bot/core/collector.py).

Once a bot's caches are full, CPython's own trigger (allocations minus deallocations) stops firing, so
the count of collections seen here comes from the core alone: the thresholds are set out of reach.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.core.collector import YOUNG_EVERY
from bot.core.service import BriefingCore
from tests.conftest import ask

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def young_collections() -> Iterator[list[int]]:
    """The generations collected while the test runs, with no collection CPython would start by itself."""
    seen: list[int] = []

    def noted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(10**9, 10**9, 10**9)
    gc.enable()
    gc.callbacks.append(noted)
    try:
        yield seen
    finally:
        gc.callbacks.remove(noted)
        gc.set_threshold(*thresholds)
        if enabled:  # a test may have turned it off: the tests after it run with the collector as they found it
            gc.enable()
        else:
            gc.disable()


async def test_every_young_every_requests_collect_the_young_generations(core: BriefingCore, young_collections: list[int]) -> None:
    await ask(core, "/brief")  # whatever a first answer builds (and collects as it pauses the collector) is done
    young_collections.clear()
    for n in range(3 * YOUNG_EVERY):
        await ask(core, "/timeline" if n % 2 else "/brief")
    assert young_collections == [1, 1, 1]


async def test_a_process_without_the_collector_collects_nothing(core: BriefingCore, young_collections: list[int]) -> None:
    gc.disable()  # as a one-shot `briefbot ask` runs
    for _ in range(2 * YOUNG_EVERY):
        await ask(core, "/brief")
    assert young_collections == []
