"""The delivery ledger's rules, store by store: a send is claimed once, and an abandoned claim is taken over once.

Each test runs on SQLite and on PostgreSQL (the `store_target` fixture), with two stores open on
one database as two bot processes would have.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot.core.digest.ledger import NewSubscription
from bot.core.digest.model import Due
from bot.store import Store, open_store
from tests.conftest import BRIEFING_ID

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


async def _due(store: Store) -> Due:
    subscription = await store.digests.subscribe(NewSubscription(
        platform="discord", channel_id="c1", team_id="g1", briefing_id=BRIEFING_ID, time=time(7, 30),
        zone="America/Bogota", quiet=False, alerts=(), created_by="u1", now=NOW, seen_revision=0,
    ))
    return Due(subscription, "digest:2026-02-02", "digest", NOW + timedelta(hours=1))


async def test_two_processes_claim_one_send_once(store: Store, store_target: Path | str) -> None:
    due = await _due(store)
    async with open_store(store_target) as other:
        claims = await asyncio.gather(
            store.digests.claim(due, "one", NOW, attempts=3), other.digests.claim(due, "two", NOW, attempts=3)
        )
    assert len([claim for claim in claims if claim is not None]) == 1


async def test_an_abandoned_claim_is_taken_over_by_one_process_only(store: Store, store_target: Path | str) -> None:
    due = await _due(store)
    claimed = await store.digests.claim(due, "dead", NOW, attempts=3)
    assert claimed is not None
    later = NOW + timedelta(minutes=5)
    async with open_store(store_target) as other:
        (abandoned,) = await store.digests.unconfirmed("discord", later)
        (seen_by_other,) = await other.digests.unconfirmed("discord", later)
        first = await store.digests.take_over(abandoned, "one", later)
        second = await other.digests.take_over(seen_by_other, "two", later + timedelta(seconds=1))
    assert first is not None and first.attempts == 2 and first.claimed_at == later
    assert second is None  # the claim moved after `two` read it: compare-and-set refuses
    assert await store.digests.unconfirmed("discord", later) == []  # still within the new owner's lease


async def test_a_send_that_failed_its_attempts_is_neither_claimed_again_nor_left_unsettled(store: Store) -> None:
    """The cap on tries holds in the store: after three failed attempts there is no fourth, and the due counts as settled."""
    due = await _due(store)
    for tries in range(1, 4):
        assert await store.digests.settled([due], attempts=3) == set()  # a failure with tries left is retried
        claimed = await store.digests.claim(due, "one", NOW, attempts=3)
        assert claimed is not None and claimed.attempts == tries
        await store.digests.finish(claimed, "failed", NOW, error="boom")
    assert await store.digests.claim(due, "one", NOW, attempts=3) is None
    assert await store.digests.settled([due], attempts=3) == {(due.subscription.id, due.key)}
