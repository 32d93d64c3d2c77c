"""Where one admin write's time goes, with nothing else running.

    python bench/admin_write_steps.py [--writes N]

Times `set` on a FAQ answer through `BriefingCore.dispatch_line`, with timers wrapped around the
store's own steps (instrumentation only: every call goes through unchanged): building and checking
the edited briefing, writing the edit and its revision, and the transaction around them.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import admin  # noqa: E402
import bot.store.repository as repository  # noqa: E402
from admin_catchup import BRIEFING, step, timed_async_step  # noqa: E402
from bot.core.admin.policy import AdminPolicy  # noqa: E402
from bot.core.service import BriefingCore  # noqa: E402
from bot.store import open_store  # noqa: E402

WARM_UP = 100


def instrument() -> None:
    """Wrap the steps of a write: the whole store call, the transaction, the checks, the writes."""
    store = repository.SqliteBriefingRepository
    store.apply = timed_async_step("store apply in all", store.apply)  # type: ignore[method-assign]
    store._write_together = timed_async_step("transaction in all", store._write_together)  # type: ignore[method-assign]
    store._prepare = timed_async_step("build and check", store._prepare)  # type: ignore[method-assign]
    store._write = timed_async_step("write edit + revision", store._write)  # type: ignore[method-assign]


async def main(writes: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with open_store(Path(tmp) / "admin.sqlite3") as store:
            await store.seed(ROOT / "data", BRIEFING)
            core = BriefingCore(store.repository, policy=AdminPolicy())
            spent: dict[str, list[float]] = {}
            for n in range(WARM_UP + writes):
                step.clear()
                total = await admin.timed(core, f'set kind:faq id:significance answer:"Answer {n}."')
                if n >= WARM_UP:
                    for name, value in {**step, "whole command": total}.items():
                        spent.setdefault(name, []).append(value)
    print(f"{writes} writes, one at a time")
    for name, samples in spent.items():
        print(f"  {name:24} p50 {statistics.median(samples):8.1f} µs")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=500)
    options = parser.parse_args()
    instrument()
    asyncio.run(main(options.writes))
