"""Work handed off the event loop's thread, or done in place where no loop runs: a one-shot `briefbot ask`.

A running bot hands slow work (an index built, 10,000 names compared) to a worker thread so its event
loop keeps answering others. A one-shot `ask` has no one else to serve: `run_inline` drives its
coroutines with no event loop at all (every await of a coroutine that never waits for anything
finishes at once), so it never imports asyncio, whose import with ssl, socket and subprocess is a large
share of a cold start. Modules on the
ask's path therefore reach asyncio only through this module, or import it inside the function that
runs under a loop (tests/test_one_shot.py checks that one `ask` never loads it).
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

# While another thread runs Python, the event loop's thread waits for the GIL up to the switch interval each time
# it wakes (by default as long as a request may stall the loop at all); while off-loop work may run, it is asked to
# hand over sooner. The loop's own steps being short, that wait is most of its stall while a build runs.
HAND_OVER_INTERVAL = 0.0005
_handing = threading.Lock()
_holders = 0  # `handing_over` blocks open now: the interval is restored when the last one ends
_restored = sys.getswitchinterval()

# True while `run_inline` drives a coroutine: nothing else runs meanwhile, so nothing need be handed off or queued.
_INLINE: ContextVar[bool] = ContextVar("briefbot_inline", default=False)


def inline() -> bool:
    """Whether the running coroutine is driven by `run_inline` (no event loop, nothing else running)."""
    return _INLINE.get()


def run_inline(coro: Coroutine[Any, Any, T]) -> T:
    """The coroutine's result, driven without an event loop; RuntimeError if it ever waits for something.

    A coroutine whose awaits all finish at once completes on its first step. Under `run_inline`,
    `to_thread` runs its function in place and the store's connection is a plain `sqlite3` one
    (bot/store/database.py), so nothing on a one-shot `ask`'s path waits.
    """
    token = _INLINE.set(True)
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]  # StopIteration.value is Any; it is the coroutine's T
    finally:
        _INLINE.reset(token)
    coro.close()
    raise RuntimeError("a coroutine driven without an event loop waited for something")


@contextlib.contextmanager
def handing_over() -> Iterator[None]:
    """The GIL passed between threads every HAND_OVER_INTERVAL while the block runs, so the loop's thread never waits long for it.

    Process-wide, so counted: the previous interval comes back when the last open block ends. Under
    `run_inline` nothing else runs, and nothing changes.
    """
    global _holders, _restored
    if inline():
        yield
        return
    with _handing:
        if _holders == 0:
            _restored = sys.getswitchinterval()
            sys.setswitchinterval(HAND_OVER_INTERVAL)
        _holders += 1
    try:
        yield
    finally:
        with _handing:
            _holders -= 1
            if _holders == 0:
                sys.setswitchinterval(_restored)


async def to_thread(function: Callable[..., T], /, *args: Any) -> T:
    """`function(*args)` on a worker thread under an event loop (asyncio.to_thread), handing over; in place under `run_inline`."""
    if inline():
        return function(*args)
    import asyncio  # a running bot has long imported it: a dictionary lookup

    with handing_over():
        return await asyncio.to_thread(function, *args)
