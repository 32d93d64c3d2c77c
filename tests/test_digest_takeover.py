"""An abandoned claim goes to exactly one process: take_over compares and sets on a real SQLite file.

Two processes that both find the same claim past its lease must not both resend it; the store's
UPDATE moves the claim only while it is still claimed with the claimed_at both of them saw.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.digest.model import Delivery
from bot.core.digest.runner import DigestRunner
from bot.core.digest.sending import Pace
from bot.core.service import BriefingCore
from bot.store import Store, open_store
from tests.conftest import ask
from tests.digest_support import FakeClock, RecordingPlatform

SLOT_BOGOTA = datetime(2026, 2, 2, 12, 30, tzinfo=UTC)  # 07:30 in Bogotá on 2 February
LEASE = timedelta(seconds=60)


async def abandoned(core: BriefingCore, store: Store) -> Delivery:
    """A digest claimed at its slot by a process that died before recording the result."""
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    reply = await ask(core, "subscribe platform:discord channel:lost alerts:none", now=clock.now())
    assert reply.kind == "answer", reply.text
    clock.set(SLOT_BOGOTA)
    dead = DigestRunner(core, store.digests, RecordingPlatform(clock), clock, owner="dead", pace=Pace(clock, None))
    (due,) = await dead.due(clock.now())
    claim = await store.digests.claim(due, "dead", clock.now(), 3)
    assert claim is not None
    return claim


async def test_two_processes_that_saw_the_same_abandoned_claim_cannot_both_take_it(core, store, store_path: Path):
    await abandoned(core, store)
    later = SLOT_BOGOTA + LEASE + timedelta(seconds=1)
    async with open_store(store_path) as other:
        # Both read the claim before either moves it: the race the compare-and-set settles.
        (seen_here,) = await store.digests.unconfirmed("discord", later - LEASE)
        (seen_there,) = await other.digests.unconfirmed("discord", later - LEASE)
        taken = await asyncio.gather(
            store.digests.take_over(seen_here, "one", later), other.digests.take_over(seen_there, "two", later)
        )
    assert [delivery is None for delivery in taken].count(True) == 1
    winner = next(delivery for delivery in taken if delivery is not None)
    assert (winner.claimed_at, winner.attempts) == (later, 2)
    assert await store.digests.unconfirmed("discord", later) == []  # a fresh lease, nobody else's to take


async def test_a_stale_view_of_a_claim_taken_over_since_is_refused_even_after_the_new_lease(core, store):
    first = await abandoned(core, store)
    later = SLOT_BOGOTA + LEASE + timedelta(seconds=1)
    assert await store.digests.take_over(first, "one", later) is not None
    much_later = later + LEASE + timedelta(seconds=1)
    assert await store.digests.take_over(first, "two", much_later) is None  # "one" holds it since `later`
    (current,) = await store.digests.unconfirmed("discord", much_later - LEASE)
    assert (current.claimed_at, current.attempts) == (later, 2)


async def test_a_claim_its_slow_owner_finished_meanwhile_is_not_taken(core, store):
    claim = await abandoned(core, store)
    later = SLOT_BOGOTA + LEASE + timedelta(seconds=1)
    (seen,) = await store.digests.unconfirmed("discord", later - LEASE)
    await store.digests.finish(claim, "sent", later, message_id="42")  # the "dead" process was only slow
    assert await store.digests.take_over(seen, "two", later) is None
