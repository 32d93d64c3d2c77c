"""The choice store's archive and remove, on both backends: the guards the CLI relies on hold in the store itself."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.core.digest.ledger import NewSubscription
from bot.errors import UserError
from bot.store import Store
from bot.store.choices import BriefingInUse
from tests.briefings_support import OTHER_ID, add_other
from tests.conftest import BRIEFING_ID

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def _new(briefing_id: str) -> NewSubscription:
    return NewSubscription(platform="slack", channel_id="C42", team_id="T1", briefing_id=briefing_id, time=time(7, 30),
                           zone="UTC", quiet=False, alerts=(), created_by="U1", now=NOW, seen_revision=0)


async def test_archive_and_remove_of_an_unknown_briefing_are_user_errors(store: Store) -> None:
    for act in (store.choices.archive, store.choices.remove):
        with pytest.raises(UserError) as refused:
            await act("nope")
        assert refused.value.key == "briefing.unknown"


async def test_the_default_briefing_cannot_be_removed(store: Store) -> None:
    with pytest.raises(UserError) as refused:
        await store.choices.remove(BRIEFING_ID)
    assert refused.value.key == "briefings.remove_default"
    assert BRIEFING_ID in {s.id for s in await store.repository.briefings()}


async def test_remove_waits_for_the_last_subscription_then_takes_the_briefing_away(store: Store) -> None:
    await add_other(store)
    await store.digests.subscribe(_new(OTHER_ID))
    with pytest.raises(BriefingInUse) as refused:
        await store.choices.remove(OTHER_ID)
    assert refused.value.users == [("subscription", "slack", "", "C42")]
    assert await store.digests.unsubscribe("slack", "C42", OTHER_ID) is not None
    await store.choices.remove(OTHER_ID)
    assert [s.id for s in await store.repository.briefings()] == [BRIEFING_ID]
    with pytest.raises(UserError):
        await store.repository.briefing(OTHER_ID)


async def test_one_channel_follows_two_briefings_and_an_archived_one_is_not_active(store: Store) -> None:
    await add_other(store)
    for briefing_id in (BRIEFING_ID, OTHER_ID):
        await store.digests.subscribe(_new(briefing_id))
    assert {s.briefing_id for s in await store.digests.active("slack")} == {BRIEFING_ID, OTHER_ID}
    await store.choices.archive(OTHER_ID)
    assert [s.briefing_id for s in await store.digests.active("slack")] == [BRIEFING_ID]
    listed = {s.id: s.archived for s in await store.repository.briefings()}
    assert listed == {BRIEFING_ID: False, OTHER_ID: True}
    assert await store.digests.unsubscribe("slack", "C42", OTHER_ID) is not None  # only that one goes
    assert [s.briefing_id for s in await store.digests.subscriptions("slack")] == [BRIEFING_ID]
