"""Discord's 3 s deadline, counted from the interaction's creation: defer before it, not after the handler is slow."""

from __future__ import annotations

import asyncio
from datetime import datetime
from types import TracebackType
from typing import Any

import discord

# Discord fails an interaction whose first response has not arrived 3 s after its creation (the time in
# its snowflake id). A first response not started by this age is a defer instead, which leaves the rest of
# the 3 s for that small POST to get through on a loaded host.
ANSWER_BY = 1.5
# An age outside [0, this) means the host's clock and Discord's disagree; then only the handler's own time counts.
BELIEVABLE_AGE = 60.0
# A timer that fires this much after its time means the event loop itself is behind (a burst on too little
# CPU): a defer would then wait its turn like the answer and add a request to the queue, spending CPU the
# bot lacks and getting fewer first responses out in time than answering at once, so the defer is left out.
LOOP_BEHIND = 0.1
# An interaction this old when its handler starts means the bot is behind (Discord delivers in well under
# this): it is deferred before any work, and its work waits until no other defer is still on its way, so
# that under a burst every first response goes out before any answer's work.
BEHIND = 0.5


def defer_delay(interaction: discord.Interaction[Any], now: datetime, defer_after: float) -> float:
    """Seconds from `now` until the interaction must be deferred: the sooner of `defer_after` and its age reaching ANSWER_BY."""
    age = (now - interaction.created_at).total_seconds()
    if not 0 <= age < BELIEVABLE_AGE:
        age = 0.0
    if age >= BEHIND:
        return 0.0
    return min(defer_after, ANSWER_BY - age)


class Deferrals:
    """The defers on their way; work held back under a backlog waits until there are none."""

    def __init__(self) -> None:
        self._pending = 0
        self._none = asyncio.Event()
        self._none.set()

    async def send(self, response: discord.InteractionResponse[Any], *, ephemeral: bool, thinking: bool) -> None:
        """One defer, counted while it is on its way."""
        self._pending += 1
        self._none.clear()
        try:
            await response.defer(ephemeral=ephemeral, thinking=thinking)
        finally:
            self._pending -= 1
            if not self._pending:
                self._none.set()

    async def none_left(self) -> None:
        """Return once no defer is on its way."""
        await self._none.wait()


class Deadline:
    """Defers the interaction if its first response has not started in time; settled when that response starts.

    The timer keeps running while the answer waits for a sending slot, because under a backlog that
    wait, not the core, is what makes an answer late.
    """

    def __init__(
        self, interaction: discord.Interaction[Any], delay: float, deferrals: Deferrals, *, ephemeral: bool, thinking: bool
    ) -> None:
        self._interaction, self._deferrals, self._ephemeral, self._thinking = interaction, deferrals, ephemeral, thinking
        self._deferral: asyncio.Task[Any] | None = None
        # A timer, not a task per interaction: answers are nearly always fast, and this is the hot path.
        self._timer = None if delay <= 0 else asyncio.get_running_loop().call_later(delay, self._due)
        if delay <= 0:
            self._defer()

    def _due(self) -> None:
        """The timer fired: defer, unless it fired so late that the loop is behind (see LOOP_BEHIND)."""
        assert self._timer is not None
        if asyncio.get_running_loop().time() - self._timer.when() < LOOP_BEHIND:
            self._defer()

    def _defer(self) -> None:
        send = self._deferrals.send(self._interaction.response, ephemeral=self._ephemeral, thinking=self._thinking)
        self._deferral = asyncio.get_running_loop().create_task(send)

    async def settle(self) -> None:
        """Stop the timer and wait for a defer already on its way, so that the answer then edits it."""
        if self._timer is not None:
            self._timer.cancel()
        if self._deferral is not None:
            await self._deferral

    async def __aenter__(self) -> Deadline:
        if self._deferral is not None:  # behind: the defer goes out before any work, and every other defer too
            await self._deferral
            await self._deferrals.none_left()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        await self.settle()
