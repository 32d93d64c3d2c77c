"""Digests per story (issue #14 §2): a channel follows several briefings, each digest once; archiving stops one."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.digest.model import DigestSettings, Due
from bot.core.service import BriefingCore
from bot.core.settings import CoreSettings
from bot.store import open_store
from bot.store.database import connect, migrate
from bot.store.packfile import read_pack
from tests.briefings_support import BRUSSELS_ID, OTHER_ID, OTHER_TITLE, add_brussels, add_other, chooser_core
from tests.conftest import BRIEFING_ID, PACK, ask
from tests.digest_support import FakeClock, RecordingPlatform
from tests.schema009_rows import insert_old, rows_before_008, storable_before_010
from tests.test_digest_runner import SLOT_BOGOTA, runner_for


@pytest.fixture
async def core(store):
    await add_other(store)
    return chooser_core(store)


async def follow_both(core, now: datetime) -> None:
    for named in (BRIEFING_ID, OTHER_ID):
        reply = await ask(core, f"subscribe platform:discord channel:c1 alerts:none briefing:{named}", now=now)
        assert reply.kind == "answer", reply.text
        assert reply.fields[0].name == "Briefing" and reply.fields[0].value.endswith(f"({named})")


def titles(platform: RecordingPlatform) -> list[tuple[str, str]]:
    """(day key, which briefing) of every post, in order."""
    return [(post.key, "other" if OTHER_TITLE in post.reply.title else "shipped") for post in platform.posted]


async def test_a_channel_following_two_briefings_gets_each_digest_once_and_archiving_stops_one(core, store):
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await follow_both(core, clock.now())
    assert len(await store.digests.subscriptions()) == 2
    for owner in ("a", "b"):  # a second scheduler (or a restart) in the same minute sends nothing again
        clock.set(SLOT_BOGOTA + timedelta(seconds=5))
        await runner_for(core, store, platform, clock, owner=owner).tick()
    assert sorted(titles(platform)) == [("digest:America/New_York:2026-02-02", "other"), ("digest:America/New_York:2026-02-02", "shipped")]
    assert len({post.nonce for post in platform.posted}) == 2

    await store.choices.archive(OTHER_ID)
    clock.set(SLOT_BOGOTA + timedelta(days=1, seconds=5))
    await runner_for(core, store, platform, clock).tick()
    assert titles(platform)[2:] == [("digest:America/New_York:2026-02-03", "shipped")]
    assert (await ask(core, f"brief briefing:{OTHER_ID}")).title.startswith(OTHER_TITLE)  # still readable

    await store.choices.archive(OTHER_ID, archived=False)
    clock.set(SLOT_BOGOTA + timedelta(days=2, seconds=5))
    await runner_for(core, store, platform, clock).tick()
    assert sorted(titles(platform)[3:]) == [("digest:America/New_York:2026-02-04", "other"), ("digest:America/New_York:2026-02-04", "shipped")]


async def test_unsubscribing_one_briefing_keeps_the_other(core, store):
    await follow_both(core, SLOT_BOGOTA - timedelta(days=1))
    reply = await ask(core, f"unsubscribe platform:discord channel:c1 briefing:{OTHER_ID}")
    assert reply.kind == "answer", reply.text
    assert [s.briefing_id for s in await store.digests.subscriptions()] == [BRIEFING_ID]


async def test_two_briefings_in_one_channel_never_share_a_nonce(core, store):
    """A restart finds an unconfirmed send by its nonce: one briefing's post must not pass for the other's."""
    await follow_both(core, SLOT_BOGOTA - timedelta(days=1))
    first, second = await store.digests.subscriptions()
    assert Due(first, "digest:2026-02-02", "digest", SLOT_BOGOTA).nonce != Due(second, "digest:2026-02-02", "digest", SLOT_BOGOTA).nonce


async def test_migration_007_keeps_subscriptions_and_the_ledger(tmp_path: Path):
    path = tmp_path / "v6.sqlite3"
    # Schema 6, as the last release left it, with the shipped briefing and one sent digest in the ledger.
    conn = await connect(path)
    try:
        assert await migrate(conn, target=6) == 6
        await conn.execute("BEGIN")
        shipped = storable_before_010(read_pack(PACK))  # an old store held only dated events
        await insert_old(conn, shipped, "", rows_before_008(shipped))
        await conn.execute(
            "INSERT INTO subscriptions (id, platform, channel_id, briefing_id, time, zone, created_by, active_since)"
            " VALUES (7, 'discord', 'c1', 'petro-trump-2026', '07:30', 'America/Bogota', 'u', '2026-02-01T00:00:00+00:00')"
        )
        await conn.execute(
            "INSERT INTO deliveries (subscription_id, key, kind, due_at, state, owner, claimed_at, message_id) VALUES"
            " (7, 'digest:2026-02-02', 'digest', '2026-02-02T12:30:00+00:00', 'sent', 'a', '2026-02-02T12:30:00+00:00', 'm1')"
        )
        await conn.execute("COMMIT")
    finally:
        await conn.close()
    async with open_store(path) as store:
        (subscription,) = await store.digests.subscriptions()
        assert (subscription.id, subscription.channel_id) == (7, "c1")
        core = chooser_core(store)
        clock = FakeClock(SLOT_BOGOTA + timedelta(seconds=5))
        platform = RecordingPlatform(clock)
        await runner_for(core, store, platform, clock).tick()
        assert platform.posted == []  # the ledger came through: the day's digest is not sent again
        await add_other(store)
        await follow_both(core, SLOT_BOGOTA)
        assert len(await store.digests.subscriptions()) == 2
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("SELECT message_id FROM deliveries").fetchall() == [("m1",)]
    conn.close()


async def test_unsubscribing_a_channel_from_one_briefing_says_which_and_what_it_still_gets(core, store):
    await follow_both(core, datetime(2026, 2, 1, tzinfo=UTC))
    listed = await ask(core, "subscriptions", now=datetime(2026, 2, 1, tzinfo=UTC))
    assert listed.title == "Digest subscriptions · 1 channel" and len(listed.items) == 2  # one channel, two briefings
    reply = await ask(core, "unsubscribe platform:discord channel:c1", now=datetime(2026, 2, 1, tzinfo=UTC))
    gone = (await ask(core, "brief", now=datetime(2026, 2, 1, tzinfo=UTC))).title  # the briefing a command without briefing: reads
    assert reply.title.startswith("This channel no longer gets the digest or alerts of ") and reply.title.endswith(").")
    assert gone.split(" · ")[0] in reply.title
    [kept] = await store.digests.subscriptions()
    assert reply.text == f"It still gets those of: {OTHER_TITLE} ({kept.briefing_id})."
    last = await ask(core, f"unsubscribe platform:discord channel:c1 briefing:{kept.briefing_id}", now=datetime(2026, 2, 1, tzinfo=UTC))
    assert last.title.endswith(f"({kept.briefing_id}).") and last.text == ""


async def test_unsubscribing_leaves_an_archived_briefing_out_of_what_the_channel_still_gets(core, store):
    """An archived briefing sends nothing, yet "It still gets those of:" named it, unlike /use's like line."""
    now = datetime(2026, 2, 1, tzinfo=UTC)
    await add_brussels(store)
    await follow_both(core, now)
    assert (await ask(core, f"subscribe platform:discord channel:c1 alerts:none briefing:{BRUSSELS_ID}", now=now)).kind == "answer"
    await store.choices.archive(OTHER_ID)
    reply = await ask(core, f"unsubscribe platform:discord channel:c1 briefing:{BRIEFING_ID}", now=now)
    assert reply.text == f"It still gets those of: A summit in Brussels ({BRUSSELS_ID}).", reply.text
    last = await ask(core, f"unsubscribe platform:discord channel:c1 briefing:{BRUSSELS_ID}", now=now)
    assert last.kind == "answer" and last.text == ""  # the archived one's subscription remains, sending nothing


async def test_an_operator_s_zone_is_every_new_subscription_s_whatever_its_briefing(store):
    """`digests.zone` set in config/: a subscription without tz: to the Brussels summit is on it too, not on Brussels time."""
    await add_brussels(store)
    pinned = BriefingCore(store.repository, settings=CoreSettings(digest=DigestSettings(zone="America/Bogota")), digests=store.digests)
    for named in (BRIEFING_ID, BRUSSELS_ID):
        reply = await ask(pinned, f"subscribe platform:discord channel:c1 briefing:{named}")
        assert reply.title == "This channel gets the digest daily at 07:30 (Bogotá)", reply.text
    unpinned = BriefingCore(store.repository, digests=store.digests)
    reply = await ask(unpinned, f"subscribe platform:discord channel:c2 briefing:{BRUSSELS_ID}")
    assert reply.title == "This channel gets the digest daily at 07:30 (Brussels)", reply.text
    zones = {(s.channel_id, s.briefing_id, s.zone) for s in await store.digests.subscriptions()}
    assert zones == {("c1", BRIEFING_ID, "America/Bogota"), ("c1", BRUSSELS_ID, "America/Bogota"), ("c2", BRUSSELS_ID, "Europe/Brussels")}
