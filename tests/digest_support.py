"""Test doubles for the digest loop's two edges: a settable clock and a platform that records what it got.

The platform double stands in for Discord or Slack (which the adapter tests play over loopback HTTP);
everything between them — schedule, ledger, composition, the loop — is the real code on a real file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.digest.model import Delivery, Subscription
from bot.core.digest.sending import ChannelGone
from bot.core.replies import Reply


class FakeClock:
    """Time that moves only when told to, or when someone sleeps; like a host's, its wall clock can be set back or forward
    (`step`) while the monotonic clock, which measures sleeps and paces, only moves as time passes."""

    def __init__(self, start: datetime) -> None:
        self.current = start
        self.elapsed = timedelta(0)  # the monotonic clock: the time that passed, whatever the wall clock was set to
        self._meanwhile: list[Callable[[], Awaitable[None]]] = []

    def now(self) -> datetime:
        """The simulated instant."""
        return self.current

    def monotonic(self) -> float:
        """The seconds that passed since the clock was made."""
        return self.elapsed.total_seconds()

    def set(self, instant: datetime) -> None:
        """Let time pass until `instant` (never backwards)."""
        if instant > self.current:
            self._pass(instant - self.current)

    def step(self, by: timedelta) -> None:
        """Set the wall clock `by` later (earlier if negative), as NTP or a VM restored does: no time passes."""
        self.current += by

    def meanwhile(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run `action` halfway through the next sleep: what happens while the loop sleeps (the clock stepped, an edit)."""
        self._meanwhile.append(action)

    async def sleep(self, seconds: float) -> None:
        """Let `seconds` pass, and what was to happen meanwhile, letting other tasks run."""
        left = timedelta(seconds=max(seconds, 0.0))
        if self._meanwhile:
            self._pass(left / 2)
            left -= left / 2
            while self._meanwhile:
                await self._meanwhile.pop(0)()
        self._pass(left)
        await asyncio.sleep(0)

    def _pass(self, span: timedelta) -> None:
        self.current += span
        self.elapsed += span


@dataclass(frozen=True, slots=True)
class Posted:
    """One message the platform received: where, when (simulated), its nonce and the reply."""

    channel: str
    at: datetime
    nonce: str
    key: str
    reply: Reply


@dataclass(slots=True)
class RecordingPlatform:
    """A Sender that records every post; channels in `gone` answer like a removed channel."""

    clock: FakeClock
    platform: str = "discord"
    slash_command: str = ""
    posted: list[Posted] = field(default_factory=list)
    told: list[tuple[str, Reply]] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)

    async def send(self, delivery: Delivery, reply: Reply) -> str:
        """Record the post, refusing channels the bot was removed from."""
        channel = delivery.due.subscription.channel_id
        if channel in self.gone:
            raise ChannelGone("paused.discord_not_found")  # a catalogue key, as the Discord sender gives it
        self.posted.append(Posted(channel, self.clock.now(), delivery.due.nonce, delivery.due.key, reply))
        return str(len(self.posted))

    async def find(self, delivery: Delivery) -> str | None:
        """The post with one of this delivery's nonces (as the real senders look for them), if it was made."""
        for number, post in enumerate(self.posted, 1):
            if post.nonce in delivery.due.nonces:
                return str(number)
        return None

    async def tell_admins(self, subscription: Subscription, reply: Reply) -> None:
        """Record the private notice to the subscription's creator."""
        self.told.append((subscription.created_by, reply))

    def keys(self, channel: str | None = None) -> list[str]:
        """The ledger keys posted (to one channel), in order."""
        return [post.key for post in self.posted if channel in (None, post.channel)]


# More changed items than a digest lists (`CHANGES_SHOWN`): eleven timeline events retitled, each a line of its own.
TIMELINE_IDS = ("deportation-flights-blocked", "tariff-threat", "aragua-train-friends", "decertification", "visa-revoked",
                "treasury-sanctions", "clinton-list", "special-visa", "strike-threats", "maduro-captured", "phone-call")
MORE_THAN_LISTED = tuple(f'set kind:timeline id:{event} title:"Retitled {event}"' for event in TIMELINE_IDS)
