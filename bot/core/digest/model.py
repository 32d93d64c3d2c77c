"""Subscriptions and deliveries as the core sees them, and the digest knobs from config/."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Literal

import msgspec

from bot.core.model import Briefing
from bot.core.zones import places_meant

# Alerts a subscription may ask for: a day before the meeting, an hour before, at the start, and
# on every change of its status (postponed, concluded …).
ALERTS = ("24h", "1h", "start", "status")
DeliveryState = Literal["claimed", "sent", "skipped", "failed"]
# A send is on time inside the minute it is due: schedules are to the minute, and the loop wakes at that minute.
ON_TIME = timedelta(minutes=1)
# A send that failed for a passing reason (a token refused, a long rate limit) is tried again 1, 2, 4 … minutes after
# the last try, at most an hour apart, until its catch-up window ends: an outage of minutes costs no day's digest, and
# a long one costs the platform a few calls an hour.
RETRY_FIRST = timedelta(minutes=1)
RETRY_DOUBLINGS = 6  # 1 + 2 + … + 32 = 63 min in; the next gap, 64 min, is held to RETRY_MOST
RETRY_MOST = timedelta(hours=1)


class DigestSettings(msgspec.Struct, frozen=True):
    """Defaults for new subscriptions and the guarantees' time windows."""

    time: time = time(7, 30)
    # Every new subscription's zone, when the operator sets one; None: each briefing's own (`zone_for`).
    zone: str | None = None
    alerts: tuple[str, ...] = ALERTS
    # After downtime a missed digest or alert is still sent if at most this late, never later.
    catch_up: timedelta = timedelta(hours=6)
    # A claim not confirmed within this long is taken to be from a dead process and reconciled.
    lease: timedelta = timedelta(seconds=60)
    # How often the loop looks for new or changed subscriptions when nothing is due sooner.
    poll: timedelta = timedelta(seconds=60)
    # Finished sends are kept this long (far past any catch-up window), then forgotten.
    keep: timedelta = timedelta(days=35)

    def zone_for(self, briefing: Briefing) -> str:
        """A new subscription's zone when it names none: the operator's, else the briefing's first, its sessions' clock;
        for a clock abbreviation an earlier release took in a pack (EST: Panama's clock, no summer time), the place
        `tz:`'s refusal names first for it (America/New_York), whose clock, summer time included, its reader means."""
        return self.zone or next(iter(places_meant(briefing.venue.zone)), briefing.venue.zone)

    @property
    def send_deadline(self) -> timedelta:
        """How long a claim's holder may go on, from the claim (or take-over) to the send's end, before it is cut: half the lease.

        A send still in flight when its lease ends may be taken over by another process, found missing and
        posted again, and then land too; the platforms' SDKs retry 5xx, dropped connections and timeouts for
        far longer (a Discord send up to ~28 min, a Slack one ~150 s). Counted from the claim, it covers the
        composition, the departure, a take-over's lookup and the send; the other half is room for the
        processes' clocks to disagree. The least lease the settings take (twice MAX_RATE_LIMIT_WAIT) keeps
        it at 30 s or more, room for the rate limits' waits.
        """
        return self.lease / 2

    @property
    def late(self) -> timedelta:
        """How late a scheduled digest or alert may still go: `catch_up`, and with none (0), on time only."""
        return max(self.catch_up, ON_TIME)

    @property
    def noticed(self) -> timedelta:
        """How late a status change's alert may still go: a change is seen at the first tick after it, one poll at most."""
        return max(self.catch_up, self.poll + ON_TIME)


def retry_at(due_at: datetime, attempts: int) -> datetime:
    """When a send tried `attempts` times may start its next try: the retry spacing, counted from its due instant so
    the ledger's attempt count alone says it (no column of its own)."""
    doubled = min(attempts, RETRY_DOUBLINGS)
    return due_at + RETRY_FIRST * ((1 << doubled) - 1) + RETRY_MOST * (attempts - doubled)


def tries(due_at: datetime, now: datetime) -> int:
    """How many tries a send due at `due_at` may have had by `now` (at least its first): the claim's atomic cap."""
    late = now - due_at
    doubled = RETRY_FIRST * ((1 << RETRY_DOUBLINGS) - 1)
    if late >= doubled:
        return RETRY_DOUBLINGS + 1 + (late - doubled) // RETRY_MOST
    return 1 + sum(1 for n in range(1, RETRY_DOUBLINGS) if late >= RETRY_FIRST * ((1 << n) - 1))


class Subscription(msgspec.Struct, frozen=True):
    """A channel that gets the daily digest at `time` in `zone`, and the alerts it asked for."""

    id: int
    platform: str
    channel_id: str
    team_id: str
    briefing_id: str
    time: time
    zone: str
    quiet: bool
    alerts: tuple[str, ...]
    active: bool
    paused_reason: str
    created_by: str
    # Nothing scheduled before this instant is sent: set when subscribing, or subscribing again after `unsubscribe`.
    active_since: datetime
    # Revisions up to this one were already reported in an earlier digest (or predate the subscription).
    seen_revision: int
    # The language its digests and alerts are written in, fixed at subscribe time ("": the configured one).
    language: str = ""
    # Whether a digest was already posted to it (a quiet day posts none): only then does the next speak of "the last digest".
    digested: bool = False


class Due(msgspec.Struct, frozen=True):
    """One message the schedule says a subscription should get: a digest or an alert, by its ledger key."""

    subscription: Subscription
    key: str
    kind: Literal["digest", "alert"]
    at: datetime

    @property
    def nonce(self) -> str:
        """A stable id for this one send (≤ 25 characters, Discord's nonce limit), the same after a restart: its key's, so
        a digest of another zone's same day is another message (Discord returned the first for a zone changed minutes after)."""
        return _nonce(self.subscription, self.key)

    @property
    def nonces(self) -> tuple[str, ...]:
        """The nonces its message may carry, for `Sender.find`: its own and, a digest's, the zone-less one earlier versions
        gave it, so a send posted by one that died before noting it is found after the upgrade, not posted again."""
        if self.kind != "digest":
            return (self.nonce,)
        return self.nonce, _nonce(self.subscription, f"digest:{self.key.rsplit(':', 1)[1]}")


def _nonce(subscription: Subscription, key: str) -> str:
    """One send's nonce: one channel may follow several briefings, so each send has its own."""
    text = f"{subscription.platform}:{subscription.channel_id}:{subscription.briefing_id}:{key}"
    import hashlib  # here: its import loads OpenSSL, which a cold `ask`, sending nothing, need not pay for

    return hashlib.sha256(text.encode()).hexdigest()[:20]


def composed_at(due: Due, now: datetime) -> datetime:
    """The one instant a message sent from `now` reads as of: its due instant while it goes on time (inside that minute),
    so the countdown under "In 24 hours" is 24 hours however long after the instant the send left; else `now`, the
    time really left that a late message's title states."""
    return due.at if now < due.at + ON_TIME else now


class Delivery(msgspec.Struct, frozen=True):
    """A claimed send in the ledger: what, for whom, claimed when, and which revisions it reports."""

    id: int
    due: Due
    state: DeliveryState
    claimed_at: datetime
    covers_revision: int  # 0 until its message is composed (after the claim); `finish` records it
    attempts: int
