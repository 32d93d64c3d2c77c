"""The answers still running when the bot is stopped, owned so the stop can wait for them (Discord's and Slack's)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

# How long a stop (SIGTERM, Ctrl-C) waits for the answers in flight before cutting them: well inside the shortest
# grace a platform gives before its SIGKILL (Docker's 10 s), with room left for closing the connections and the store.
DRAIN_SECONDS = 5.0
# Each spawned answer (Slack's, after its ack) opens an HTTP session for its response_url; bounding how many run at
# once keeps a burst of thousands of commands from holding thousands of sessions (and their memory) together.
CONCURRENCY = 32


class Inflight:
    """A set of answering tasks: referenced until done (asyncio keeps only weak references), waited for by `drain`."""

    def __init__(self, concurrency: int = CONCURRENCY) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._slots = asyncio.Semaphore(concurrency)
        self._draining = False

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the listener has returned its ack, once a slot is free."""
        self._keep(asyncio.get_running_loop().create_task(self._bounded(work)))

    def hold(self) -> bool:
        """Count the running task (an answer the platform's library started) until it ends; False once the drain
        has begun, so a stopping bot takes no new interaction it could not finish."""
        if self._draining:
            return False
        task = asyncio.current_task()
        assert task is not None  # called from a handler, which a task runs
        self._keep(task)
        return True

    def _keep(self, task: asyncio.Task[Any]) -> None:
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
        self._draining = True
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
