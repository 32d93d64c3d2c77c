"""The delivery ledger's rules, store by store: a send is claimed once, and an abandoned claim is taken over once.

Each test runs on SQLite and on PostgreSQL (the `store_target` fixture), with two stores open on
one database as two bot processes would have.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot.core.digest.ledger import NewSubscription
from bot.core.digest.model import Due, retry_at, tries
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


async def test_a_failed_send_is_retried_once_per_try_its_spacing_allows_and_by_one_process(store: Store, store_target: Path | str) -> None:
    due = await _due(store)
    first = await store.digests.claim(due, "one", due.at, attempts=tries(due.at, due.at))
    assert first is not None and first.attempts == 1
    await store.digests.finish(first, "failed", due.at, error="invalid_auth")
    assert await store.digests.settled([due]) == set()  # a failure is left to retry while it is due
    soon = due.at + timedelta(seconds=59)  # its second try waits a minute: the claim's cap refuses it
    assert await store.digests.claim(due, "one", soon, attempts=tries(due.at, soon)) is None
    then = retry_at(due.at, 1)
    async with open_store(store_target) as other:
        claims = await asyncio.gather(
            store.digests.claim(due, "one", then, attempts=tries(due.at, then)),
            other.digests.claim(due, "two", then, attempts=tries(due.at, then)),
        )
    (second,) = [claim for claim in claims if claim is not None]
    assert second.attempts == 2
    await store.digests.finish(second, "failed", then, error="invalid_auth")
    assert retry_at(due.at, 2) - then == timedelta(minutes=2)  # the spacing grows: 1, 2, 4 … minutes
    assert await store.digests.claim(due, "one", then + timedelta(minutes=1), attempts=tries(due.at, then + timedelta(minutes=1))) is None
    assert await store.digests.claim(due, "one", retry_at(due.at, 2), attempts=tries(due.at, retry_at(due.at, 2))) is not None
