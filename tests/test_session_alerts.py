"""Alerts per session (issue #14 §4): the fictional three-session pack, a simulated clock and a real SQLite file.

Each session with a known time gets its own 24 h, 1 h and start alerts, each once; moving one session
re-plans only its alerts (the old ones are never due, the new ones due once); a status change names its session.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import ask
from tests.digest_support import FakeClock, RecordingPlatform
from tests.test_digest_runner import runner_for

SUMMIT = Path(__file__).parent / "packs" / "fictional-summit.yaml"
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OPENING = "2026-03-06T09:00Z"  # 10:00 in Lakeside (CET)
MINISTERS = "2026-04-02T13:00Z"  # 15:00 in Lakeside (CEST, after the clocks change on 29 March)
MOVED = "2026-04-03T13:00Z"


async def _run_until(runner: object, clock: FakeClock, end: datetime) -> None:
    while clock.now() < end:
        await runner.tick()  # type: ignore[attr-defined]
        clock.set(min(end, await runner.next_wake()))  # type: ignore[attr-defined]
    await runner.tick()  # type: ignore[attr-defined]


def _alerts(platform: RecordingPlatform) -> list[str]:
    return [key for key in platform.keys() if key.startswith("alert:")]  # noqa: SIM118 - RecordingPlatform.keys()


async def _subscribed(core: BriefingCore, store: Store) -> tuple[FakeClock, RecordingPlatform, object]:
    await store.repository.save(read_pack(SUMMIT))
    clock = FakeClock(START)
    platform = RecordingPlatform(clock)
    reply = await ask(core, "subscribe platform:discord channel:c1 briefing:fictional-summit time:23:59 tz:UTC", now=START)
    assert reply.kind == "answer", reply.text
    return clock, platform, runner_for(core, store, platform, clock, poll=timedelta(days=1))


async def test_each_timed_session_gets_its_alerts_once(core: BriefingCore, store: Store) -> None:
    clock, platform, runner = await _subscribed(core, store)
    await _run_until(runner, clock, datetime(2026, 4, 15, tzinfo=UTC))
    assert _alerts(platform) == [
        f"alert:24h:opening:{OPENING}", f"alert:1h:opening:{OPENING}", f"alert:start:opening:{OPENING}",
        f"alert:24h:ministers:{MINISTERS}", f"alert:1h:ministers:{MINISTERS}", f"alert:start:ministers:{MINISTERS}",
    ]  # the closing vote has only a day: no timed alert
    titles = [p.reply.title for p in platform.posted if p.key.startswith("alert:24h:")]
    assert titles == [
        "Opening session — Mara Velde & Tomas Ricard: the meeting is in 24 hours",
        "Ministers' session — Mara Velde & Tomas Ricard: the meeting is in 24 hours",
    ]
    for post in platform.posted:
        if post.key.startswith("alert:24h:ministers"):
            assert post.at == datetime(2026, 4, 1, 13, 0, tzinfo=UTC)


async def test_moving_one_session_replans_only_its_alerts(core: BriefingCore, store: Store) -> None:
    clock, platform, runner = await _subscribed(core, store)
    await _run_until(runner, clock, datetime(2026, 3, 30, tzinfo=UTC))
    assert _alerts(platform) == [f"alert:{name}:opening:{OPENING}" for name in ("24h", "1h", "start")]
    moved = await ask(core, 'set briefing:fictional-summit kind:session id:ministers start:"2026-04-03T15:00"',
                      now=clock.now(), platform="cli", user_id="operator")
    assert moved.kind == "answer", moved.text
    await _run_until(runner, clock, datetime(2026, 4, 15, tzinfo=UTC))
    assert _alerts(platform) == [
        *(f"alert:{name}:opening:{OPENING}" for name in ("24h", "1h", "start")),
        *(f"alert:{name}:ministers:{MOVED}" for name in ("24h", "1h", "start")),
    ]  # never the old time's, each new one once, and the opening's were not sent again


async def test_a_status_change_names_its_session(core: BriefingCore, store: Store) -> None:
    clock, platform, runner = await _subscribed(core, store)
    clock.set(datetime(2026, 4, 8, 12, 0, tzinfo=UTC))
    await ask(core, "set briefing:fictional-summit kind:session id:closing-vote status:postponed", now=clock.now(),
              platform="cli", user_id="operator")
    clock.set(clock.now() + timedelta(minutes=1))
    await runner.tick()  # type: ignore[attr-defined]
    await runner.tick()  # type: ignore[attr-defined]
    [status] = [p for p in platform.posted if p.key.startswith("alert:status:")]
    assert status.key.startswith("alert:status:closing-vote:")
    assert status.reply.title == "Closing vote — Mara Velde & Tomas Ricard: meeting Scheduled → Postponed"
