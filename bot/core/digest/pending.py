"""What the loop really sends: the schedule's dues less what the ledger already holds, for the loop and for what promises it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.core.digest.ledger import DeliveryLedger
from bot.core.digest.model import DigestSettings, Due, Subscription
from bot.core.digest.schedule import due_digest, next_due

EARLIER = timedelta(microseconds=1)  # instants are kept to the microsecond
# Only today's slot can be settled ahead of its time (sent before the hour was moved later), or yesterday's after a gap
# past midnight: of three days ahead, one is the loop's.
DAYS_AHEAD = 3


async def unsettled(ledger: DeliveryLedger, dues: Iterable[Due]) -> list[Due]:
    """The dues the ledger leaves to send, oldest first: what the loop sends, and all `subscribe` or a preview may promise."""
    found = list(dues)
    settled = await ledger.settled(found)
    return sorted((due for due in found if (due.subscription.id, due.key) not in settled), key=lambda due: due.at)


async def coming_digest(ledger: DeliveryLedger, subscription: Subscription, now: datetime, settings: DigestSettings) -> Due:
    """The digest the loop will send from `now` on: the latest slot's if still due, else the next slot's whose day is not done.

    As the loop does, none is before the subscription became active: its slots before then are never sent.
    """
    late = due_digest(subscription, now, settings.late)
    ahead: list[Due] = []
    after = max(now, subscription.active_since - EARLIER)  # the first slot at or after both (next_due is strictly after)
    for _ in range(DAYS_AHEAD):
        ahead.append(next_due(subscription, after))
        after = ahead[-1].at
    found = await unsettled(ledger, [*([late] if late else []), *ahead])
    return found[0] if found else ahead[-1]  # past three settled days: unreachable, but an answer all the same
