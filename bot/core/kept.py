"""Briefing snapshots and indexes are built once and kept: the cyclic garbage collector need not walk them.

A full collection walks every object the collector tracks, with every thread stopped; a large briefing and
its index are millions of them, and even a bot holding many small briefings stalls noticeably at each one.
So a snapshot or an index is built with the collector paused (a large build would otherwise set off full
collections, each walking the growing heap), and once built, every object then alive is moved out of later
collections (`gc.freeze`).

What it costs: an object frozen is never looked at by the cyclic collector again. That is safe for
what is frozen on purpose: snapshots and indexes hold no reference cycles, so when `Recent` lets one
go, reference counting frees it at once (tests/test_scale.py checks this). Cyclic garbage that
happens to exist at a freeze (made since the last collection, or while a build ran) is kept for
good; the young generations are collected first to keep that small. The rest of the collector's policy:
docs/architecture.md, "Garbage collection".
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from bot.core.offload import handing_over, inline

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

T = TypeVar("T")

_lock = threading.Lock()
_builds = 0  # builds running now, on any thread: the collector resumes when the last one ends
_was_enabled = True
# Snapshots and indexes are built on this one thread, not asyncio's default pool: that pool starts a new
# thread whenever none is idle at the moment of asking (a chunk's decoding is asked for just as the last
# one's thread finishes, before it counts itself idle), and `Thread.start()` waits, on the event loop's
# thread, for the new thread to take the GIL from the thread decoding: a stall at every start, and a large
# briefing's first read started several. Builds share the GIL anyway.
# Made at the first build under a loop: a one-shot `ask` builds in place and never imports concurrent.futures.
_builder: ThreadPoolExecutor | None = None


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector paused while the block runs, on any thread; it resumes when the last such block ends.

    Building a large pack's objects (parsing 100k events, their pack data, their rows) otherwise sets
    off dozens of full collections, each walking the growing heap, a large share of a big `briefbot load`'s
    CPU. What such a build leaves as garbage is acyclic, freed by reference counting as usual.
    """
    global _builds, _was_enabled
    with _lock:
        if _builds == 0:
            _was_enabled = gc.isenabled()
            if _was_enabled:  # a process that runs without the collector (one `ask`) wants no collection
                gc.collect(1)  # the young generations only: cheap, and their garbage is not frozen by build_kept
            gc.disable()
        _builds += 1
    try:
        yield
    finally:
        with _lock:
            _builds -= 1
            if _builds == 0 and _was_enabled:
                gc.enable()


def build_kept(build: Callable[[], T]) -> T:
    """`build()` with the cyclic collector paused; on success, everything alive then is left out of later collections."""
    with collector_paused():
        value = build()
        gc.freeze()
        return value


async def built_off_loop(build: Callable[[], T]) -> T:
    """`build_kept(build)` on the builder thread, so the event loop keeps answering meanwhile; in place under `run_inline`."""
    global _builder
    if inline():  # a one-shot `ask`: no loop, no one else to answer
        return build_kept(build)
    import asyncio  # a running bot has long imported it
    from concurrent.futures import ThreadPoolExecutor

    if _builder is None:  # only the loop's thread gets here: one builder
        _builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefbot-build")
    return await asyncio.get_running_loop().run_in_executor(_builder, _build_handing_over, build)


def off_loop_soon(work: Callable[[], object]) -> None:
    """`work()` on the builder thread after the builds asked for before it, handing over the GIL; nothing waits for it.

    In place where no builder runs (a one-shot `ask`, or before a running bot's first build).
    """
    if inline() or _builder is None:
        work()
    else:
        _builder.submit(_handing_over, work)


def _handing_over(work: Callable[[], object]) -> None:
    with handing_over():
        work()


def _build_handing_over(build: Callable[[], T]) -> T:
    """`build_kept(build)` with the GIL handed over sooner (`handing_over`), so the loop's thread never waits long for it."""
    with handing_over():
        return build_kept(build)
