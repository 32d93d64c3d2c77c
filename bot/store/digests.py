"""Subscriptions and the delivery ledger in SQLite; the ledger's UNIQUE key makes each send happen once.

It runs on a connection of its own, so its short transactions never interleave with the briefing
repository's on a shared one; WAL lets both work on the one file.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any, cast

from bot.core.digest.ledger import SETTINGS, NewSubscription
from bot.core.digest.model import Delivery, DeliveryState, Due, Subscription
from bot.errors import NewerSchema
from bot.store.database import FileIdentity, queue_lock, store_error, transaction

if TYPE_CHECKING:
    from bot.store.database import Connection

_SUBSCRIPTION_COLUMNS = (
    "id, platform, channel_id, team_id, briefing_id, time, zone, quiet, alerts, active, paused_reason,"
    " created_by, active_since, seen_revision, language"
)
# Whether a digest was already posted to the subscription's channel (a quiet day's skip posts none): its next one
# is not its first. `prune` keeps each subscription's latest such row, so a channel paused for weeks is not told it
# just subscribed.
DIGESTED = (
    "EXISTS (SELECT 1 FROM deliveries AS e WHERE e.subscription_id = {table}.id AND e.kind = 'digest' AND e.state = 'sent')"
)
LATEST_DIGESTS = "SELECT max(id) FROM deliveries WHERE kind = 'digest' AND state = 'sent' GROUP BY subscription_id"
_SUBSCRIBE = f"""
INSERT INTO subscriptions (platform, channel_id, team_id, briefing_id, time, zone, quiet, alerts, active,
                           paused_reason, created_by, active_since, seen_revision, language)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, '', ?, ?, ?, ?)
ON CONFLICT (platform, channel_id, briefing_id) DO UPDATE SET
    team_id = excluded.team_id, active = 1, paused_reason = '', unsubscribed = 0,
    -- a setting the subscriber did not give stays as it was (the last five parameters: keep time, zone, quiet, alerts,
    -- language); one unsubscribed is subscribed anew, with the defaults, by whoever subscribes it now
    time = CASE WHEN ? AND NOT subscriptions.unsubscribed THEN subscriptions.time ELSE excluded.time END,
    zone = CASE WHEN ? AND NOT subscriptions.unsubscribed THEN subscriptions.zone ELSE excluded.zone END,
    quiet = CASE WHEN ? AND NOT subscriptions.unsubscribed THEN subscriptions.quiet ELSE excluded.quiet END,
    alerts = CASE WHEN ? AND NOT subscriptions.unsubscribed THEN subscriptions.alerts ELSE excluded.alerts END,
    language = CASE WHEN ? AND NOT subscriptions.unsubscribed THEN subscriptions.language ELSE excluded.language END,
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
VALUES (?, ?, ?, ?, 'claimed', ?, ?, 0)
ON CONFLICT (subscription_id, key) DO UPDATE SET
    state = 'claimed', owner = excluded.owner, claimed_at = excluded.claimed_at, error = '',
    covers_revision = 0, attempts = deliveries.attempts + 1
WHERE deliveries.state = 'failed' AND deliveries.attempts < ?
RETURNING id, attempts
"""
_DELIVERY_COLUMNS = "d.id, d.key, d.kind, d.due_at, d.state, d.claimed_at, d.covers_revision, d.attempts"
# An unsubscribed channel's open claims are settled as skipped: a claim left by a process that died mid-send would
# otherwise be taken over, found missing and posted to a channel just told it gets nothing more. A send still live
# lands, as it would have a moment before; its `finish` records it.
_DROP_CLAIMS = "UPDATE deliveries SET state = 'skipped', error = 'unsubscribed' WHERE subscription_id = ? AND state = 'claimed'"
_UNCONFIRMED = f"""
SELECT {_DELIVERY_COLUMNS}, {', '.join('s.' + c.strip() for c in _SUBSCRIPTION_COLUMNS.split(','))}, {DIGESTED.format(table="s")}
FROM deliveries AS d JOIN subscriptions AS s ON s.id = d.subscription_id
WHERE d.state = 'claimed' AND d.claimed_at < ? AND s.platform = ?
ORDER BY d.id
"""


def _rows(found: Iterable[sqlite3.Row]) -> list[tuple[Any, ...]]:
    """The rows as a list: aiosqlite declares sqlite3.Row, but with no row_factory set they are plain tuples."""
    return cast(list[tuple[Any, ...]], list(found))


def _subscription(row: tuple[Any, ...]) -> Subscription:
    return subscription(row, datetime.fromisoformat(str(row[12])))


def kept(new: NewSubscription) -> tuple[bool, ...]:
    """For each of SETTINGS in order, whether an existing subscription keeps it: the subscribe statements' last parameters."""
    return tuple(name in new.keep for name in SETTINGS)


def subscription(row: Sequence[Any], active_since: datetime) -> Subscription:
    """A subscription from its row (the columns of _SUBSCRIPTION_COLUMNS); each store decodes its own instants."""
    alerts = str(row[8])
    return Subscription(
        id=int(row[0]),
        platform=str(row[1]),
        channel_id=str(row[2]),
        team_id=str(row[3]),
        briefing_id=str(row[4]),
        time=time.fromisoformat(str(row[5])),
        zone=str(row[6]),
        quiet=bool(row[7]),
        alerts=tuple(alerts.split(",")) if alerts else (),
        active=bool(row[9]),
        paused_reason=str(row[10]),
        created_by=str(row[11]),
        active_since=active_since,
        seen_revision=int(row[13]),
        language=str(row[14]),
        digested=bool(row[15]) if len(row) > 15 else False,  # read where a digest is composed, not in a subscribe's answer
    )


class SqliteDigestStore:
    """DigestStore over its own connection (aiosqlite's; a plain one under `run_inline`)."""

    # The turns every process on one database takes to pace sends as one bot (PostgresDigestStore.shared_turn): a
    # SQLite file serves one machine's processes, which pace alone.
    shared_turn: Callable[[str, float], Awaitable[None]] | None = None

    def __init__(self, conn: Connection, file: FileIdentity = FileIdentity(None, None)) -> None:
        self._conn = conn
        self._file = file
        self._lock = queue_lock()

    async def subscribe(self, new: NewSubscription) -> Subscription:
        """Create or change the channel's subscription, active from `new.now` unless it already was (`_SUBSCRIBE`)."""
        params = (
            new.platform, new.channel_id, new.team_id, new.briefing_id, new.time.strftime("%H:%M"), new.zone,
            int(new.quiet), ",".join(new.alerts), new.created_by, _utc(new.now), new.seen_revision,
            new.language, *kept(new),
        )
        async with self._transaction():
            rows = _rows(await self._conn.execute_fetchall(_SUBSCRIBE, params))
        (row,) = rows  # the upsert returns exactly the one row it wrote
        return _subscription(row)

    async def unsubscribe(self, platform: str, channel_id: str, briefing_id: str) -> Subscription | None:
        """Stop the channel's subscription to one briefing; kept, with its ledger, for `subscribe` to take up again."""
        async with self._transaction():
            rows = _rows(await self._conn.execute_fetchall(
                "UPDATE subscriptions SET active = 0, paused_reason = '', unsubscribed = 1"
                " WHERE platform = ? AND channel_id = ? AND briefing_id = ? AND NOT unsubscribed"
                f" RETURNING {_SUBSCRIPTION_COLUMNS}",
                (platform, channel_id, briefing_id),
            ))
            if rows:
                await self._conn.execute(_DROP_CLAIMS, (rows[0][0],))
        return _subscription(rows[0]) if rows else None

    async def subscriptions(self, platform: str | None = None, team_id: str | None = None) -> list[Subscription]:
        """Every subscription, of one platform and one server or workspace when given, oldest first."""
        sql = f"SELECT {_SUBSCRIPTION_COLUMNS}, {DIGESTED.format(table='subscriptions')} FROM subscriptions WHERE coalesce(?, platform) = platform AND coalesce(?, team_id) = team_id AND NOT unsubscribed"
        rows = await self._fetch(sql + " ORDER BY id", (platform, team_id))
        return [_subscription(row) for row in rows]

    async def zone_of(self, platform: str, channel_id: str, briefing_id: str) -> str | None:
        """The zone the channel's subscription to the briefing holds, as spelled, an unsubscribed one's too."""
        rows = await self._fetch(
            "SELECT zone FROM subscriptions WHERE platform = ? AND channel_id = ? AND briefing_id = ?", (platform, channel_id, briefing_id)
        )
        return str(rows[0][0]) if rows else None

    async def active(self, platform: str) -> list[Subscription]:
        """The platform's subscriptions that are not paused, to briefings that are not archived."""
        rows = await self._fetch(
            f"SELECT {_SUBSCRIPTION_COLUMNS}, {DIGESTED.format(table='subscriptions')} FROM subscriptions WHERE platform = ? AND active = 1"
            " AND briefing_id NOT IN (SELECT id FROM briefings WHERE archived = 1) ORDER BY id",
            (platform,),
        )
        return [_subscription(row) for row in rows]

    async def settled(self, dues: Sequence[Due]) -> set[tuple[int, str]]:
        """Which dues already have a ledger row that is not a failure (a failure is retried while it is due)."""
        found: set[tuple[int, str]] = set()
        pairs = sorted({(due.subscription.id, due.key) for due in dues})
        for start in range(0, len(pairs), 400):  # stay far below SQLite's parameter limit
            chunk = pairs[start : start + 400]
            # Row values keep to the UNIQUE (subscription_id, key) index: one lookup per due, however long the ledger.
            rows = await self._fetch(
                f"SELECT subscription_id, key FROM deliveries WHERE (subscription_id, key) IN (VALUES {','.join(['(?, ?)'] * len(chunk))})"
                " AND state <> 'failed'",
                tuple(value for pair in chunk for value in pair),
            )
            found.update((int(row[0]), str(row[1])) for row in rows)
        return found

    async def claim(self, due: Due, owner: str, now: datetime, attempts: int) -> Delivery | None:
        """Claim one send in one statement; None if it is someone else's, done, or a failure with no try left by `attempts`."""
        params = (due.subscription.id, due.key, due.kind, _utc(due.at), owner, _utc(now), attempts)
        async with self._transaction():
            rows = list(await self._conn.execute_fetchall(_CLAIM, params))
        if not rows:
            return None
        return Delivery(int(rows[0][0]), due, "claimed", now, 0, int(rows[0][1]))

    async def unconfirmed(self, platform: str, claimed_before: datetime) -> list[Delivery]:
        """Claims older than `claimed_before` that never recorded a result."""
        rows = await self._fetch(_UNCONFIRMED, (_utc(claimed_before), platform))
        return [_delivery(row) for row in rows]

    async def take_over(self, delivery: Delivery, owner: str, now: datetime) -> Delivery | None:
        """Move an abandoned claim to `owner`, unless another process took it first."""
        async with self._transaction():
            cursor = await self._conn.execute(
                "UPDATE deliveries SET owner = ?, claimed_at = ?, attempts = attempts + 1"
                " WHERE id = ? AND state = 'claimed' AND claimed_at = ?",
                (owner, _utc(now), delivery.id, _utc(delivery.claimed_at)),
            )
            taken = cursor.rowcount == 1
        if not taken:
            return None
        return Delivery(delivery.id, delivery.due, "claimed", now, delivery.covers_revision, delivery.attempts + 1)

    async def finish(self, delivery: Delivery, state: DeliveryState, now: datetime, message_id: str = "", error: str = "") -> None:
        """Record the result; a sent (or skipped) digest moves the channel's reported revision forward."""
        async with self._transaction():
            await self._conn.execute(
                "UPDATE deliveries SET state = ?, finished_at = ?, message_id = ?, error = ?, covers_revision = ? WHERE id = ?",
                (state, _utc(now), message_id, error[:500], delivery.covers_revision, delivery.id),
            )
            if delivery.due.kind == "digest" and state in ("sent", "skipped"):
                await self._conn.execute(
                    "UPDATE subscriptions SET seen_revision = max(seen_revision, ?) WHERE id = ?",
                    (delivery.covers_revision, delivery.due.subscription.id),
                )

    async def prune(self, before: datetime) -> int:
        """Forget finished sends due before `before` (long past any catch-up window); how many went."""
        async with self._transaction():
            cursor = await self._conn.execute(f"DELETE FROM deliveries WHERE due_at < ? AND state <> 'claimed' AND id NOT IN ({LATEST_DIGESTS})", (_utc(before),)
            )
            return int(cursor.rowcount)

    async def pause(self, subscription: Subscription, reason: str, now: datetime) -> None:
        """Mark the subscription paused with the reason admins will see."""
        async with self._transaction():
            await self._conn.execute(
                "UPDATE subscriptions SET active = 0, paused_reason = ? WHERE id = ?", (reason[:200], subscription.id)
            )

    async def _fetch(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        try:
            return _rows(await self._conn.execute_fetchall(sql, params))
        except sqlite3.Error as error:
            raise store_error(error, f"a digest read on {self._file.named} failed", self._file.path) from error

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[None]:
        """One write transaction at a time on this connection; SQLite errors become StoreError.

        A ledger row committed into a deleted file would be gone at the next start, and the send
        repeated: the write rolls back instead.
        """
        try:
            async with transaction(self._conn, self._lock):
                yield
                self._file.check()
        except sqlite3.Error as error:
            raise store_error(error, f"a digest write on {self._file.named} failed", self._file.path) from error
        except NewerSchema as error:
            raise error.at(f"a digest write to {self._file.named} was refused") from None


def _utc(instant: datetime) -> str:
    """ISO 8601 in UTC with microseconds: text order is time order."""
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def _delivery(row: tuple[Any, ...]) -> Delivery:
    subscription = _subscription(row[8:])
    due = Due(subscription, str(row[1]), str(row[2]), datetime.fromisoformat(str(row[3])))  # type: ignore[arg-type]
    return Delivery(
        id=int(row[0]),
        due=due,
        state=str(row[4]),  # type: ignore[arg-type]
        claimed_at=datetime.fromisoformat(str(row[5])),
        covers_revision=int(row[6]),
        attempts=int(row[7]),
    )
