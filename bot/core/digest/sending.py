"""What the loop asks of a platform: send a message, find one after a crash, tell admins; and a pace.

An adapter implements `Sender` with its SDK. Its errors say what is known about the send:
`ChannelGone` and `SendRejected` mean it surely did not post; `SendUnknown` (a known cause, such as the
platform's server error) and any other exception mean the outcome is unknown, so the claim stays open
and is reconciled (`find`, then a resend) once its lease passes.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.catalogue import Catalogue
from bot.core.digest.model import Delivery, Subscription
from bot.core.replies import Reply
from bot.errors import UserError

if TYPE_CHECKING:
    import asyncio


def pause_reason(cat: Catalogue, reason: str) -> str:
    """A pause reason in the reader's language: adapters give a catalogue key; rows older than that hold English."""
    return cat(reason) if cat.has(reason) else reason


# The longest a send waits out the platform's rate limits, in all, before it fails (SendRejected, tried again
# at the next tick): far inside a claim's lease (digests.lease_seconds, which settings refuse below twice this),
# so that no other process takes the claim over and posts while this one still waits to. 30 s is also the
# least discord.py accepts.
MAX_RATE_LIMIT_WAIT = 30.0


class ChannelGone(Exception):
    """The bot can no longer post in the channel (removed, archived, no permission): pause, do not retry."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SendFailed(UserError):
    """A send the platform did not take, for a known reason.

    `reason` is what the ledger or the log records; the catalogue message (key and params) tells the operator what to do.
    """

    def __init__(self, reason: str, key: str, **params: Any) -> None:
        super().__init__(key, **params)
        self.args = (reason,)  # what a log or `str()` shows
        self.reason = reason


class SendRejected(SendFailed):
    """The platform refused the message and did not post it (rate limit exhausted, a revoked token): retry later."""


class SendUnknown(SendFailed):
    """The platform failed after the request reached it (a server error), so it may have posted: reconcile, never resend blind."""


class Sender(Protocol):
    """One platform's side of the digest loop."""

    platform: str
    # The one slash command every command follows on this platform (Slack's "brief"), "" where each is a slash command
    # of its own (Discord): a digest or a notice names a command as its readers type it there (`Request.slash_command`).
    slash_command: str

    async def send(self, delivery: Delivery, reply: Reply) -> str:
        """Post the reply in the subscription's channel, idempotently where the platform allows; the message id."""
        ...

    async def find(self, delivery: Delivery) -> str | None:
        """The id of this delivery's message (carrying one of `due.nonces`) if it reached the channel, looked up after a crash."""
        ...

    async def tell_admins(self, subscription: Subscription, reply: Reply) -> None:
        """Let the subscription's admins know something about it (a paused channel) in private."""
        ...


class Clock(Protocol):
    """The loop's time: real in production, simulated in tests.

    The wall clock (`now`) says what is due; how long to wait is measured on a clock that never steps (`monotonic`,
    `sleep`). A host's wall clock can be set back or forward (NTP correcting it, a VM restored from a snapshot): a
    sleep that waited for the wall clock to reach an instant would then last an hour too long after a step back of an
    hour, and a pace kept in wall time would hold every send that long.
    """

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that only moves forward, as time passes, whatever the wall clock is set to."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Return once `seconds` have passed (at once if none)."""
        ...


# Waits for a turn among every process sending as the same bot, `gap` seconds after the previous one's
# (the store provides it where processes on several machines share one database).
SharedTurn = Callable[[float], Awaitable[None]]
# Turns one process asks for at once (see Pace.__init__).
SHARED_TURNS_ASKED = 2


class Pace:
    """Spaces sends to stay inside a platform's limits: an overall rate and a minimum gap per channel.

    One message at a time holds a channel's turn; the next may start `channel_gap` after the previous
    one was answered, so the platform sees them that far apart however the network delays them. The
    overall rate is kept by letting departures out one at a time, each at least `1 / per_second`
    after the previous one, in the order they asked; with `shared`, the previous one of any process.
    """

    def __init__(
        self, clock: Clock, per_second: float | None, channel_gap: timedelta = timedelta(0), shared: SharedTurn | None = None,
    ) -> None:
        import asyncio  # a pace serves a running loop; a one-shot `ask` imports this module but never runs one

        self._clock = clock
        # Kept on the clock that never steps (`Clock.monotonic`): after the wall clock is set back, a send waits its gap,
        # not until the old time comes round again.
        self._gap = 1 / per_second if per_second else 0.0
        self._channel_gap = channel_gap.total_seconds()
        self._next_any: float | None = None
        self._next_in: dict[str, float] = {}
        self._turns: dict[str, asyncio.Lock] = {}
        self._overall = asyncio.Lock()
        self._shared = shared
        # Two turns asked at once: the next is already waiting when one ends, so the gaps follow each
        # other in the store without a round trip between them, and few of the store's connections wait.
        self._asking = asyncio.Semaphore(SHARED_TURNS_ASKED)

    @contextlib.asynccontextmanager
    async def turn(self, channel: str) -> AsyncIterator[None]:
        """Hold `channel`'s turn and then a departure: one message goes out."""
        async with self.channel(channel):
            await self.depart()
            yield

    @contextlib.asynccontextmanager
    async def channel(self, channel: str) -> AsyncIterator[None]:
        """Hold `channel`'s turn, once its gap has passed; the message inside must still `depart()`."""
        import asyncio

        lock = self._turns.setdefault(channel, asyncio.Lock())
        async with lock:
            ready = self._next_in.get(channel)
            if ready is not None and ready > self._clock.monotonic():
                await self._clock.sleep(ready - self._clock.monotonic())
            try:
                yield
            finally:
                if self._channel_gap:
                    self._next_in[channel] = self._clock.monotonic() + self._channel_gap
                if not lock._waiters:  # nobody queued: forget the channel
                    self._turns.pop(channel, None)

    async def depart(self) -> None:
        """Wait until `1 / per_second` after the previous departure; one at a time, so a stalled loop never releases a burst.

        Only the send may follow: whatever runs between the departure and the request (a claim's round
        trip) would reach the platform later than its turn, by more on a busy host, and bunch with others.
        """
        if not self._gap:
            return
        if self._shared is not None:  # other processes send as the same bot: one turn among all of them
            async with self._asking:
                await self._shared(self._gap)
            return
        async with self._overall:
            if self._next_any is not None and self._next_any > self._clock.monotonic():
                await self._clock.sleep(self._next_any - self._clock.monotonic())
            self._next_any = self._clock.monotonic() + self._gap
