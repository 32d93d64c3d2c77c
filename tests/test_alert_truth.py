"""Session alerts say what holds: after a crash, a move earlier or a move back (the real runner, store and log).

The fictional summit's opening starts at 09:00 UTC on 6 March 2026; its alerts go to channels subscribed on 1 March.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.digest.alerts import alerting
from bot.core.digest.model import Delivery, Due
from bot.core.digest.starts import PAGE
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import ask
from tests.digest_support import FakeClock, RecordingPlatform
from tests.test_digest_moves import run_until
from tests.test_digest_runner import runner_for
from tests.test_session_alerts import SUMMIT

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OPENING = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
B = "briefing:fictional-summit"


class DroppingPlatform(RecordingPlatform):
    """A platform whose connection drops mid-send while `down`: the outcome unknown, the claim left open."""

    down = False

    async def send(self, delivery: Delivery, reply: Reply) -> str:
        """Post, or drop the connection as a killed process would."""
        if self.down:
            raise ConnectionResetError("process killed")
        return await super().send(delivery, reply)


async def summit(core: BriefingCore, store: Store, **channels: datetime) -> None:
    """The summit loaded, and each channel subscribed to all its alerts at its instant."""
    await store.repository.save(read_pack(SUMMIT))
    for channel, at in channels.items():
        reply = await ask(core, f"subscribe platform:discord channel:{channel} {B} time:23:59 tz:UTC alerts:all", now=at)
        assert reply.kind == "answer", reply.text


async def edit(core: BriefingCore, line: str, now: datetime) -> None:
    reply = await ask(core, f"{line} {B}", now=now, platform="cli", user_id="operator")
    assert reply.kind == "answer", reply.text


def after(platform: RecordingPlatform, instant: datetime) -> list[tuple[str, str]]:
    """(key, title) of each post made at or after `instant`."""
    return [(post.key, post.reply.title) for post in platform.posted if post.at >= instant]


@pytest.mark.parametrize(("change", "told"), [
    ("set kind:session id:opening status:cancelled", ["Status changed to Cancelled (was Scheduled): Opening session — Mara Velde & Tomas Ricard"]),
    ("remove kind:session id:opening", []),  # never titled as another session
    ('set kind:session id:opening start:"2026-03-06T11:00"', ["In 1 hour: Opening session — Mara Velde & Tomas Ricard"]),  # 10:00 UTC: its 1 h alert
    ('set kind:session id:opening venue:"Town Hall, Lakeside"', ["Due to start 10 minutes ago: Opening session — Mara Velde & Tomas Ricard"]),  # still true
])
async def test_a_half_sent_alert_is_sent_after_a_restart_only_if_still_true(core: BriefingCore, store: Store, change: str, told: list[str]) -> None:
    clock = FakeClock(START)
    platform = DroppingPlatform(clock)
    await summit(core, store, c1=START)
    dead = runner_for(core, store, platform, clock, owner="dead", poll=timedelta(days=1))
    await run_until(dead, clock, OPENING - timedelta(minutes=1))
    platform.down = True
    clock.set(OPENING)
    assert (await dead.tick()).unknown == 1  # the start alert's claim is left open, its message not on the platform
    platform.down = False
    clock.set(OPENING + timedelta(seconds=20))
    await edit(core, change, clock.now())
    restarted = runner_for(core, store, platform, clock, owner="b", poll=timedelta(days=1))
    await run_until(restarted, clock, OPENING + timedelta(minutes=10))
    assert [title for _, title in after(platform, OPENING)] == told
    assert (await restarted.tick()).reconciled == 0  # settled: skipped or sent, never looked at again


async def test_an_alert_whose_session_was_removed_is_not_composed_under_another_s_name(core: BriefingCore, store: Store) -> None:
    clock = FakeClock(OPENING)
    await summit(core, store, c1=START)
    await edit(core, "remove kind:session id:opening", OPENING)
    [subscription] = await store.digests.subscriptions()
    runner = runner_for(core, store, RecordingPlatform(clock), clock)
    for key in ("alert:start:opening:2026-03-06T09:00Z", "alert:status:opening:2"):
        assert await runner._compose(Due(subscription, key, "alert", OPENING), OPENING) == (None, 0)


async def test_a_status_change_undone_while_its_alert_was_half_sent_is_not_told_after_the_undo(core: BriefingCore, store: Store) -> None:
    """After two status changes a channel's last alert names the status that holds, across a restart too."""
    clock = FakeClock(START)
    platform = DroppingPlatform(clock)
    await summit(core, store, c1=START)
    changed = datetime(2026, 3, 2, 10, tzinfo=UTC)
    clock.set(changed)
    await edit(core, "set kind:session id:opening status:postponed", changed)
    platform.down = True
    assert (await runner_for(core, store, platform, clock, owner="dead").tick()).unknown == 1
    platform.down = False
    await edit(core, "undo", changed + timedelta(seconds=30))
    clock.set(changed + timedelta(seconds=30))
    restarted = runner_for(core, store, platform, clock, owner="b", poll=timedelta(minutes=1))
    await run_until(restarted, clock, changed + timedelta(minutes=5))
    assert [title for _, title in after(platform, changed)] == [
        "Status changed to Scheduled (was Postponed): Opening session — Mara Velde & Tomas Ricard",
    ]


async def test_a_status_change_followed_by_many_edits_before_the_next_tick_is_still_alerted(core: BriefingCore, store: Store) -> None:
    """Every change within the catch-up window is read, not the newest 50 revisions: 60 edits after it hid it."""
    clock = FakeClock(START)
    platform = RecordingPlatform(clock)
    await summit(core, store, c1=START)
    runner = runner_for(core, store, platform, clock, poll=timedelta(minutes=1))
    changed = datetime(2026, 3, 2, 10, tzinfo=UTC)
    await run_until(runner, clock, changed)
    await edit(core, "set kind:session id:opening status:postponed", changed)
    for n in range(60):
        await edit(core, f'set kind:session id:ministers venue:"Hall {n}"', changed + timedelta(seconds=n % 50))
    clock.set(changed + timedelta(hours=5))  # the loop was down meanwhile: five hours late, inside the six of catch-up
    await runner.tick()
    assert [title for _, title in after(platform, changed)] == [
        "Status changed to Postponed (was Scheduled): Opening session — Mara Velde & Tomas Ricard",
    ]


async def test_a_session_moved_earlier_alerts_every_channel_subscribed_before_the_move(core: BriefingCore, store: Store) -> None:
    """The 1 h alert of the new start had passed at the move: channels there at the move get it late, others not."""
    clock = FakeClock(START)
    platform = RecordingPlatform(clock)
    moved = OPENING - timedelta(minutes=90)  # 07:30 UTC: to 08:20 UTC, whose 1 h alert was due at 07:20
    await summit(core, store, early=START, late=moved - timedelta(minutes=5))
    runner = runner_for(core, store, platform, clock, poll=timedelta(days=1))
    await run_until(runner, clock, moved)
    await edit(core, 'set kind:session id:opening start:"2026-03-06T09:20"', moved)
    reply = await ask(core, f"subscribe platform:discord channel:after {B} time:23:59 tz:UTC alerts:all", now=moved + timedelta(minutes=5))
    assert reply.kind == "answer", reply.text
    await run_until(runner, clock, OPENING)
    hour, start = "In 50 minutes: Opening session — Mara Velde & Tomas Ricard", "Due to start now: Opening session — Mara Velde & Tomas Ricard"
    heard = {channel: [post.reply.title for post in platform.posted if post.at >= moved and post.channel == channel] for channel in ("early", "late", "after")}
    assert heard == {"early": [hour, start], "late": [hour, start], "after": [start]}  # channels' sends go side by side
    # Sent at the very instant of the start, its status line says "now" too, not "was due to start … ago".
    [at_start] = [post for post in platform.posted if post.channel == "early" and post.reply.title == start]
    assert at_start.at == moved + timedelta(minutes=50)
    assert [field.value for field in at_start.reply.fields if field.name == "Status"] == ["Scheduled · due to start now"]


EVIDENCE = "The opening session takes place on 6 March 2026 at 10:00 Lakeside time in the Harbour Hall."


@pytest.mark.parametrize(("change", "told"), [
    # 16 hours ahead: its 24 h alert's time was 8 hours before the move, past the catch-up window from that time.
    ('set kind:session id:opening start:"2026-03-03T05:00"', ("Opening session — Mara Velde & Tomas Ricard", "In 16 hours")),
    (f'add kind:session id:extra title:"Extra session" start:"2026-03-02T23:00" venue:"Harbour Hall, Lakeside" source:fictional-wire evidence:"{EVIDENCE}"',
     ("Extra session", "In 10 hours")),
])
async def test_a_session_moved_earlier_or_added_within_a_day_is_alerted_at_the_edit(
    core: BriefingCore, store: Store, change: str, told: tuple[str, str],
) -> None:
    """The alert that came into being with the edit goes at the loop's next look, not only an hour before the start."""
    clock = FakeClock(START)
    platform = RecordingPlatform(clock)
    await summit(core, store, c1=START)
    runner = runner_for(core, store, platform, clock, poll=timedelta(minutes=1))
    edited = datetime(2026, 3, 2, 12, tzinfo=UTC)
    await run_until(runner, clock, edited)
    await edit(core, change, edited)
    await run_until(runner, clock, edited + timedelta(hours=17))
    session, first = told
    alerts = [(post.at, post.reply.title) for post in platform.posted if post.at >= edited and post.key.startswith("alert:")]
    assert [title for _, title in alerts] == [f"{when}: {session}" for when in (first, "In 1 hour", "Due to start now")]
    assert alerts[0][0] == edited


@pytest.mark.parametrize(("change", "told"), [
    ("set kind:session id:opening status:postponed", "Status changed to Postponed (was Scheduled): Opening session — Mara Velde & Tomas Ricard"),
    ('set kind:session id:opening start:"2026-03-02T12:00"', "In 1 hour: Opening session — Mara Velde & Tomas Ricard"),  # 11:00 UTC
])
async def test_an_alert_made_just_before_a_subscription_changed_is_still_the_channels(
    core: BriefingCore, store: Store, change: str, told: str,
) -> None:
    """`subscribe time:20:00` keeps when the channel became a subscriber: an edit 20 seconds before, not yet seen by the
    loop, is still its news. A channel subscribed again after `unsubscribe` starts anew, and gets none of it."""
    clock = FakeClock(START)
    platform = RecordingPlatform(clock)
    await summit(core, store, changed=START, same=START, back=START)
    runner = runner_for(core, store, platform, clock, poll=timedelta(minutes=1))
    edited = datetime(2026, 3, 2, 10, 0, 5, tzinfo=UTC)
    await run_until(runner, clock, edited)
    await edit(core, change, edited)
    clock.set(edited + timedelta(seconds=20))
    for line in ("subscribe channel:changed time:20:00", "unsubscribe channel:back", "subscribe channel:back time:23:59 tz:UTC alerts:all"):
        reply = await ask(core, f"{line} platform:discord {B}", now=clock.now())
        assert reply.kind == "answer", reply.text
    await run_until(runner, clock, edited + timedelta(minutes=5))
    heard = {channel: [post.reply.title for post in platform.posted if post.at >= edited and post.channel == channel] for channel in ("changed", "same", "back")}
    assert heard == {"changed": [told], "same": [told], "back": []}


async def test_a_session_moved_back_to_a_start_already_alerted_is_alerted_again_once(core: BriefingCore, store: Store) -> None:
    """The channel's last alert names the start that holds: the one it came back to, told once across a restart."""
    clock = FakeClock(START)
    platform = RecordingPlatform(clock)
    await summit(core, store, c1=START)
    runner = runner_for(core, store, platform, clock, poll=timedelta(days=1))
    moved = OPENING - timedelta(minutes=30)
    await run_until(runner, clock, moved)  # its 1 h alert went at 08:00
    await edit(core, 'set kind:session id:opening start:"2026-03-06T09:40"', moved)
    await run_until(runner, clock, moved + timedelta(minutes=1))
    await edit(core, "undo", clock.now())
    await run_until(runner, clock, OPENING - timedelta(minutes=1))
    restarted = runner_for(core, store, platform, clock, owner="b", poll=timedelta(days=1))
    await run_until(restarted, clock, OPENING + timedelta(minutes=5))
    titles = [title for _, title in after(platform, OPENING - timedelta(hours=1))]
    assert titles == [f"{when}: Opening session — Mara Velde & Tomas Ricard" for when in ("In 1 hour", "In 10 minutes", "In 29 minutes", "Due to start now")]
    back = [key for key, _ in after(platform, moved + timedelta(minutes=1))]
    assert len(back) == 2 and back[0].startswith("alert:1h:opening:2026-03-06T09:00Z:")  # the revision that moved it back


@pytest.mark.sqlite_only("counts the statements run on the SQLite connection")
async def test_alert_starts_are_read_from_the_log_once_per_briefing_version(core: BriefingCore, store: Store) -> None:
    """A tick reads the log for every alerting session's start at once, and a tick after no change reads nothing for them."""
    clock = FakeClock(OPENING - timedelta(hours=3))
    await summit(core, store, c1=START)
    await edit(core, 'set kind:session id:ministers start:"2026-03-06T11:00"', clock.now())  # 10:00 UTC: alerting beside the opening
    runner = runner_for(core, store, RecordingPlatform(clock), clock, poll=timedelta(days=1))
    reads: list[str] = []
    conn = store.repository._conn  # type: ignore[attr-defined]
    await conn.set_trace_callback(lambda sql: reads.append(sql) if "FROM revisions" in sql and f"LIMIT {PAGE}" in sql else None)
    try:
        counted = []
        for step in ("first tick", "a minute on", "an edit", "a minute on"):
            if step == "an edit":
                await edit(core, 'set kind:session id:opening venue:"Town Hall, Lakeside"', clock.now())
            clock.set(clock.now() + timedelta(minutes=1))
            await runner.tick()
            counted.append(len(reads))
    finally:
        await conn.set_trace_callback(None)
    briefing = await store.repository.briefing("fictional-summit")
    assert [s.id for s in alerting(briefing.sessions, clock.now())] == ["opening", "ministers"]
    assert counted == [1, 1, 2, 2]


@pytest.mark.sqlite_only("reads the plan of a statement run on the SQLite connection")
async def test_a_tick_reads_the_status_changes_of_its_window_alone(core: BriefingCore, store: Store) -> None:
    """Every tick reads the window's revisions by their time (migration 028), not the briefing's whole history."""
    clock = FakeClock(OPENING - timedelta(hours=3))
    await summit(core, store, c1=START)
    runner = runner_for(core, store, RecordingPlatform(clock), clock, poll=timedelta(days=1))
    reads: list[str] = []
    conn = store.repository._conn  # type: ignore[attr-defined]
    await conn.set_trace_callback(lambda sql: reads.append(sql) if "FROM revisions" in sql and "at >= '" in sql else None)
    try:
        await runner.tick()
    finally:
        await conn.set_trace_callback(None)
    assert len(reads) == 2  # the sessions' revisions and the whole briefing's (loads)
    for sql in reads:
        plan = " ".join(str(row[3]) for row in await conn.execute_fetchall(f"EXPLAIN QUERY PLAN {sql}"))
        assert "revisions_by_time (briefing_id=? AND at>?)" in plan, plan
