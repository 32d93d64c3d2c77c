"""The answers still running after their ack, owned so shutdown can wait for them."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

# Each answer opens an HTTP session for its response_url; bounding how many run at once keeps a
# burst of thousands of commands from holding thousands of sessions (and their memory) together.
CONCURRENCY = 32


class Inflight:
    """A set of background tasks: referenced until done (asyncio keeps only weak references)."""

    def __init__(self, concurrency: int = CONCURRENCY) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(concurrency)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the listener has returned its ack, once a slot is free."""
        task = asyncio.get_running_loop().create_task(self._bounded(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _bounded(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            async with self._slots:
                await work
        finally:
            work.close()  # a task cancelled while queued never started `work`; close it quietly

    def __len__(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float) -> None:  # noqa: ASYNC109 - waits, then cancels what is left: not a plain timeout
        """Wait up to `timeout` seconds for running answers, then cancel the rest."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
