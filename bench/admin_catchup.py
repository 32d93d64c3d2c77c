"""Where a catching-up read's time goes while 20 writers commit from another process.

    python bench/admin_catchup.py [--seconds S]

The tail of `bench/admin.py`'s reads under writers in another process is the first read after each
commit, which brings the cached snapshot up to date. This runs the same load and times each step of
those reads with timers wrapped around the store's own functions (instrumentation only: every call
goes through unchanged), against the reads that found no commit since the last.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import admin  # noqa: E402
import bot.store.repository as repository  # noqa: E402
from bot.core import context  # noqa: E402
from bot.core.admin.policy import AdminPolicy  # noqa: E402
from bot.core.service import BriefingCore  # noqa: E402
from bot.store import open_store  # noqa: E402

BRIEFING = "petro-trump-2026"
step: dict[str, float] = {}  # µs spent in each step by the read being timed


def timed_step(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, adding the µs each call takes to `step[name]`."""

    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter_ns()
        try:
            return function(*args, **kwargs)
        finally:
            step[name] = step.get(name, 0.0) + (time.perf_counter_ns() - start) / 1000

    return run


def timed_async_step(name: str, function: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """The coroutine function `function`, adding the µs each call takes to `step[name]`."""

    @wraps(function)
    async def run(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter_ns()
        try:
            return await function(*args, **kwargs)
        finally:
            step[name] = step.get(name, 0.0) + (time.perf_counter_ns() - start) / 1000

    return run


def instrument() -> None:
    """Wrap the steps of a read: the data_version check, the query, the patch, the next index."""
    store = repository.SqliteBriefingRepository
    store._data_version = timed_step("data_version check", store._data_version)  # type: ignore[method-assign]
    store._read_now = timed_async_step("CHANGES statement", store._read_now)  # type: ignore[method-assign]
    repository.patched = timed_step("decode and replace", repository.patched)
    store.briefing = timed_async_step("store read in all", store.briefing)  # type: ignore[method-assign]
    context.BriefingIndex = timed_step("next index", context.BriefingIndex)  # type: ignore[misc]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * share) - 1)]


async def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "admin.sqlite3"
        async with open_store(db) as store:
            await store.seed(ROOT / "data", BRIEFING)
            core = BriefingCore(store.repository, policy=AdminPolicy())
            for _ in range(50):
                await admin.timed(core, "/meeting")
            child = await asyncio.create_subprocess_exec(
                sys.executable, str(ROOT / "bench" / "admin.py"), "--writers-in", str(db), "--seconds", str(seconds),
                stdout=asyncio.subprocess.PIPE,
            )
            assert child.stdout is not None
            await child.stdout.readline()
            caught_up: dict[str, list[float]] = {}
            others: list[float] = []
            deadline, n = time.perf_counter() + seconds, 0
            while time.perf_counter() < deadline:
                step.clear()
                total = await admin.timed(core, admin.READS[n % len(admin.READS)])
                n += 1
                if "CHANGES statement" in step:
                    for name, spent in {**step, "whole read": total}.items():
                        caught_up.setdefault(name, []).append(spent)
                else:
                    others.append(total)
                await asyncio.sleep(0)
            await child.stdout.read()
            await child.wait()
    reads = len(others) + len(caught_up.get("whole read", []))
    print(f"{reads} reads, {len(caught_up.get('whole read', []))} of them caught up with another process's commit")
    for name, samples in caught_up.items():
        print(f"  caught up: {name:20} p50 {percentile(samples, 0.5):7.1f} µs   p70 {percentile(samples, 0.7):7.1f} µs")
    print(f"  no commit since:  {'whole read':20} p50 {percentile(others, 0.5):7.1f} µs   p99 {percentile(others, 0.99):7.1f} µs")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    instrument()
    asyncio.run(main(parser.parse_args().seconds))
