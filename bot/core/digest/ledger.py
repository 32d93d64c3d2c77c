"""What the digests ask of the store: subscriptions, and a delivery ledger that claims each send once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Protocol

import msgspec

from bot.core.digest.model import Delivery, DeliveryState, Due, Subscription

# A subscription's settings, as NewSubscription names them: what a change may keep.
SETTINGS = ("time", "zone", "quiet", "alerts", "language")


class NewSubscription(msgspec.Struct, frozen=True):
    """A subscribe request, checked by the core; re-subscribing a channel to a briefing changes that subscription."""

    platform: str
    channel_id: str
    team_id: str
    briefing_id: str
    time: time
    zone: str
    quiet: bool
    alerts: tuple[str, ...]
    created_by: str
    now: datetime
    seen_revision: int
    # The channel's fixed language, else the subscriber's: what the channel's readers were reading.
    language: str = ""
    # Settings (of SETTINGS) an existing subscription keeps: those the subscriber did not give. A new one takes these values.
    keep: frozenset[str] = frozenset()


class SubscriptionStore(Protocol):
    """Subscriptions by channel; one per channel, platform and briefing."""

    async def subscribe(self, new: NewSubscription) -> Subscription:
        """Create or change the channel's subscription (a change keeps `new.keep`); a new one, or one back after `unsubscribe`, is active from `new.now`."""
        ...

    async def unsubscribe(self, platform: str, channel_id: str, briefing_id: str) -> Subscription | None:
        """Remove the channel's subscription to one briefing; the removed one, or None if there was none."""
        ...

    async def subscriptions(self, platform: str | None = None, team_id: str | None = None) -> list[Subscription]:
        """Every subscription (of one platform, of one server or workspace), paused ones included."""
        ...

    async def zone_of(self, platform: str, channel_id: str, briefing_id: str) -> str | None:
        """The zone the channel's subscription to the briefing holds, as spelled, an unsubscribed one's too: its days are keyed so."""
        ...


class DeliveryLedger(Protocol):
    """Each send is claimed before it is made and its result recorded: exactly once across processes."""

    async def active(self, platform: str) -> list[Subscription]:
        """The platform's subscriptions that are not paused, to briefings that are not archived."""
        ...

    async def settled(self, dues: Sequence[Due]) -> set[tuple[int, str]]:
        """(subscription id, key) of the dues already sent, skipped or claimed: a failed one is retried while it is due."""
        ...

    async def claim(self, due: Due, owner: str, now: datetime, attempts: int) -> Delivery | None:
        """Claim one send before composing it; None if it is already claimed or done (another process, an earlier run), or
        failed and already tried `attempts` times (the tries its retry spacing allows by now, `tries`)."""
        ...

    async def unconfirmed(self, platform: str, claimed_before: datetime) -> list[Delivery]:
        """Claims older than the lease that never recorded a result: their process died mid-send."""
        ...

    async def take_over(self, delivery: Delivery, owner: str, now: datetime) -> Delivery | None:
        """Move an abandoned claim to this process, unless another one took it first."""
        ...

    async def finish(self, delivery: Delivery, state: DeliveryState, now: datetime, message_id: str = "", error: str = "") -> None:
        """Record the result and `delivery.covers_revision`; a sent digest marks its revisions as reported to the channel."""
        ...

    async def prune(self, before: datetime) -> int:
        """Forget finished sends due before `before`, so the ledger does not grow for ever; how many went."""
        ...

    async def pause(self, subscription: Subscription, reason: str, now: datetime) -> None:
        """Stop sending to a channel the bot can no longer post in, until an admin subscribes it again."""
        ...


class DigestStore(SubscriptionStore, DeliveryLedger, Protocol):
    """Everything digests need from the store."""
