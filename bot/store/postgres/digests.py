"""Subscriptions and the delivery ledger in PostgreSQL; UNIQUE (subscription, key) makes each send happen once.

The statements are the SQLite store's (bot/store/digests.py) in PostgreSQL's dialect: the same
claim with ON CONFLICT … WHERE, the same compare-and-set take-over on the claim's instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import asyncpg

from bot.core.digest.ledger import NewSubscription
from bot.core.digest.model import Delivery, DeliveryState, Due, Subscription
from bot.store.digests import DIGESTED, LATEST_DIGESTS, kept, subscription
from bot.store.postgres.database import pooled

if TYPE_CHECKING:
    from bot.store.postgres.database import Connection

_SUBSCRIPTION_COLUMNS = (
    "id, platform, channel_id, team_id, briefing_id, time, zone, quiet, alerts, active, paused_reason,"
    " created_by, active_since, seen_revision, language"
)
_SUBSCRIBE = f"""
INSERT INTO subscriptions (platform, channel_id, team_id, briefing_id, time, zone, quiet, alerts, active,
                           paused_reason, created_by, active_since, seen_revision, language)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, '', $9, $10, $11, $12)
ON CONFLICT (platform, channel_id, briefing_id) DO UPDATE SET
    team_id = excluded.team_id, active = true, paused_reason = '', unsubscribed = false,
    -- a setting the subscriber did not give stays as it was ($13…$17: keep time, zone, quiet, alerts, language); one
    -- unsubscribed is subscribed anew, with the defaults, by whoever subscribes it now
    time = CASE WHEN $13 AND NOT subscriptions.unsubscribed THEN subscriptions.time ELSE excluded.time END,
    zone = CASE WHEN $14 AND NOT subscriptions.unsubscribed THEN subscriptions.zone ELSE excluded.zone END,
    quiet = CASE WHEN $15 AND NOT subscriptions.unsubscribed THEN subscriptions.quiet ELSE excluded.quiet END,
    alerts = CASE WHEN $16 AND NOT subscriptions.unsubscribed THEN subscriptions.alerts ELSE excluded.alerts END,
    language = CASE WHEN $17 AND NOT subscriptions.unsubscribed THEN subscriptions.language ELSE excluded.language END,
    created_by = CASE WHEN subscriptions.unsubscribed THEN excluded.created_by ELSE subscriptions.created_by END,
    -- a change keeps the instant it became a subscriber: the alerts and digests due since are still its own (reset, a
    -- status change made a minute before `subscribe time:20:00` was never alerted there); one unsubscribed starts again
    active_since = CASE WHEN subscriptions.unsubscribed THEN excluded.active_since ELSE subscriptions.active_since END
    -- a changed or returning subscription keeps its place in its briefing's revision log (seen_revision stays) and
    -- its ledger: a day already sent is not sent again, an edit since its last digest is still told
RETURNING {_SUBSCRIPTION_COLUMNS}
"""
# A failed send may be claimed again once the retry spacing lets it try once more (`attempts`: the tries `tries` allows
# by now); anything else already has its owner. One statement, so two processes never both retry it.
# A claim comes before its message is composed, so it covers no revision yet (0): `finish` records it.
_CLAIM = """
INSERT INTO deliveries (subscription_id, key, kind, due_at, state, owner, claimed_at, covers_revision)
VALUES ($1, $2, $3, $4, 'claimed', $5, $6, 0)
ON CONFLICT (subscription_id, key) DO UPDATE SET
    state = 'claimed', owner = excluded.owner, claimed_at = excluded.claimed_at, error = '',
    covers_revision = 0, attempts = deliveries.attempts + 1
WHERE deliveries.state = 'failed' AND deliveries.attempts < $7
RETURNING id, attempts
"""
# The lock first (a materialized CTE is evaluated before the query that reads it), then the sleep; the
# statement's own transaction releases the lock when it ends.
_TURN = """
WITH turn AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtextextended($1, 0)))
SELECT pg_sleep($2) FROM turn
"""
# The result, and with it (a sent or skipped digest: $7 set) the channel's reported revision.
_FINISH = """
WITH finished AS (
    UPDATE deliveries SET state = $1, finished_at = $2, message_id = $3, error = $4, covers_revision = $5 WHERE id = $6
)
UPDATE subscriptions SET seen_revision = greatest(seen_revision, $5) WHERE id = $7
"""
_DELIVERY_COLUMNS = "d.id, d.key, d.kind, d.due_at, d.state, d.claimed_at, d.covers_revision, d.attempts"
_UNCONFIRMED = f"""
SELECT {_DELIVERY_COLUMNS}, {', '.join('s.' + c.strip() for c in _SUBSCRIPTION_COLUMNS.split(','))}, {DIGESTED.format(table="s")}
FROM deliveries AS d JOIN subscriptions AS s ON s.id = d.subscription_id
WHERE d.state = 'claimed' AND d.claimed_at < $1 AND s.platform = $2
ORDER BY d.id
"""
_SETTLED = """
SELECT subscription_id, key FROM deliveries
WHERE (subscription_id, key) IN (SELECT * FROM unnest($1::bigint[], $2::text[]))
  AND state <> 'failed'
"""


def _subscription(row: Sequence[Any]) -> Subscription:
    return subscription(row, row[12])  # asyncpg decodes timestamptz itself


def _delivery(row: Sequence[object]) -> Delivery:
    due = Due(_subscription(row[8:]), str(row[1]), str(row[2]), row[3])  # type: ignore[arg-type]
    return Delivery(
        id=int(row[0]),  # type: ignore[call-overload]
        due=due,
        state=str(row[4]),  # type: ignore[arg-type]
        claimed_at=row[5],  # type: ignore[arg-type]
        covers_revision=int(row[6]),  # type: ignore[call-overload]
        attempts=int(row[7]),  # type: ignore[call-overload]
    )


class PostgresDigestStore:
    """DigestStore over an asyncpg pool; every statement is its own transaction unless said otherwise."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    def _connection(self) -> AbstractAsyncContextManager[Connection]:
        """A pooled connection; database and connection errors become StoreError."""
        return pooled(self._pool, "digest store")

    async def shared_turn(self, key: str, gap: float) -> None:
        """Wait for a turn among every process pacing `key` on this database, `gap` s after the previous one's.

        The turn is an advisory lock held for `gap` seconds: the next process gets it only once this
        one's gap is over, so departures of all processes together keep the bot's rate limit, however
        many run and whenever each started. One
        statement, sleeping in the server: the next waiter's gap starts the moment this one's ends,
        not a round trip later.
        """
        async with self._connection() as conn:
            await conn.execute(_TURN, f"briefbot:pace:{key}", gap)

    async def subscribe(self, new: NewSubscription) -> Subscription:
        """Create or change the channel's subscription, active from `new.now` unless it already was (`_SUBSCRIBE`)."""
        async with self._connection() as conn:
            row = await conn.fetchrow(
                _SUBSCRIBE, new.platform, new.channel_id, new.team_id, new.briefing_id, new.time.strftime("%H:%M"),
                new.zone, new.quiet, ",".join(new.alerts), new.created_by, new.now, new.seen_revision, new.language,
                *kept(new),
            )
        return _subscription(tuple(row))  # type: ignore[arg-type]

    async def unsubscribe(self, platform: str, channel_id: str, briefing_id: str) -> Subscription | None:
        """Stop the channel's subscription to one briefing; kept, with its ledger, for `subscribe` to take up again."""
        async with self._connection() as conn, conn.transaction():
            row = await conn.fetchrow(
                "UPDATE subscriptions SET active = false, paused_reason = '', unsubscribed = true"
                " WHERE platform = $1 AND channel_id = $2 AND briefing_id = $3 AND NOT unsubscribed"
                f" RETURNING {_SUBSCRIPTION_COLUMNS}",
                platform, channel_id, briefing_id,
            )
            if row is not None:  # its open claims settled, as the SQLite store's `_DROP_CLAIMS` says why
                await conn.execute(
                    "UPDATE deliveries SET state = 'skipped', error = 'unsubscribed' WHERE subscription_id = $1 AND state = 'claimed'",
                    row[0],
                )
        return _subscription(tuple(row)) if row else None

    async def subscriptions(self, platform: str | None = None, team_id: str | None = None) -> list[Subscription]:
        """Every subscription, of one platform and one server or workspace when given, oldest first."""
        async with self._connection() as conn:
            found = await conn.fetch(
                f"SELECT {_SUBSCRIPTION_COLUMNS}, {DIGESTED.format(table='subscriptions')} FROM subscriptions"
                " WHERE coalesce($1, platform) = platform AND coalesce($2, team_id) = team_id AND NOT unsubscribed ORDER BY id",
                platform, team_id,
            )
        return [_subscription(tuple(row)) for row in found]

    async def zone_of(self, platform: str, channel_id: str, briefing_id: str) -> str | None:
        """The zone the channel's subscription to the briefing holds, as spelled, an unsubscribed one's too."""
        async with self._connection() as conn:
            zone = await conn.fetchval(
                "SELECT zone FROM subscriptions WHERE platform = $1 AND channel_id = $2 AND briefing_id = $3", platform, channel_id, briefing_id
            )
        return None if zone is None else str(zone)

    async def active(self, platform: str) -> list[Subscription]:
        """The platform's subscriptions that are not paused, to briefings that are not archived."""
        async with self._connection() as conn:
            found = await conn.fetch(
                f"SELECT {_SUBSCRIPTION_COLUMNS}, {DIGESTED.format(table='subscriptions')} FROM subscriptions WHERE platform = $1 AND active"
                " AND briefing_id NOT IN (SELECT id FROM briefings WHERE archived) ORDER BY id",
                platform,
            )
        return [_subscription(tuple(row)) for row in found]

    async def settled(self, dues: Sequence[Due]) -> set[tuple[int, str]]:
        """Which dues already have a ledger row that is not a failure (a failure is retried while it is due)."""
        pairs = sorted({(due.subscription.id, due.key) for due in dues})
        if not pairs:
            return set()
        async with self._connection() as conn:
            found = await conn.fetch(_SETTLED, [p[0] for p in pairs], [p[1] for p in pairs])
        return {(int(row[0]), str(row[1])) for row in found}

    async def claim(self, due: Due, owner: str, now: datetime, attempts: int) -> Delivery | None:
        """Claim one send in one statement; None if it is someone else's, done, or a failure with no try left by `attempts`."""
        async with self._connection() as conn:
            row = await conn.fetchrow(_CLAIM, due.subscription.id, due.key, due.kind, due.at, owner, now, attempts)
        if row is None:
            return None
        return Delivery(int(row[0]), due, "claimed", now, 0, int(row[1]))

    async def unconfirmed(self, platform: str, claimed_before: datetime) -> list[Delivery]:
        """Claims older than `claimed_before` that never recorded a result."""
        async with self._connection() as conn:
            found = await conn.fetch(_UNCONFIRMED, claimed_before, platform)
        return [_delivery(tuple(row)) for row in found]

    async def take_over(self, delivery: Delivery, owner: str, now: datetime) -> Delivery | None:
        """Move an abandoned claim to `owner`, unless another process took it first (compare-and-set on its instant)."""
        async with self._connection() as conn:
            status = await conn.execute(
                "UPDATE deliveries SET owner = $1, claimed_at = $2, attempts = attempts + 1"
                " WHERE id = $3 AND state = 'claimed' AND claimed_at = $4",
                owner, now, delivery.id, delivery.claimed_at,
            )
        if status != "UPDATE 1":
            return None
        return Delivery(delivery.id, delivery.due, "claimed", now, delivery.covers_revision, delivery.attempts + 1)

    async def finish(self, delivery: Delivery, state: DeliveryState, now: datetime, message_id: str = "", error: str = "") -> None:
        """Record the result; a sent (or skipped) digest moves the channel's reported revision forward.

        One statement, so one round trip and atomic by itself: a transaction around two would take four.
        """
        moves = delivery.due.kind == "digest" and state in ("sent", "skipped")
        async with self._connection() as conn:
            await conn.execute(
                _FINISH, state, now, message_id, error[:500], delivery.covers_revision, delivery.id,
                delivery.due.subscription.id if moves else None,
            )

    async def prune(self, before: datetime) -> int:
        """Forget finished sends due before `before` (long past any catch-up window); how many went."""
        async with self._connection() as conn:
            status = await conn.execute(
                f"DELETE FROM deliveries WHERE due_at < $1 AND state <> 'claimed' AND id NOT IN ({LATEST_DIGESTS})", before
            )
        return int(status.split()[-1])

    async def pause(self, subscription: Subscription, reason: str, now: datetime) -> None:
        """Mark the subscription paused with the reason admins will see."""
        async with self._connection() as conn:
            await conn.execute(
                "UPDATE subscriptions SET active = false, paused_reason = $1 WHERE id = $2", reason[:200], subscription.id
            )
