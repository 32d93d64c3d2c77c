"""Discord's 3 s deadline counts from the interaction's creation: the bot defers by its age, not by its own time."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

import pytest

from bot.adapters.discord_app.client import DEFER_AFTER, MAX_CONNECTIONS, MAX_SENDING
from bot.adapters.discord_app.deadline import ANSWER_BY, BEHIND, LOOP_BEHIND
from bot.core.service import BriefingCore
from tests.conftest import BEFORE
from tests.discord_fake import FakeDiscord
from tests.discord_support import connected

EPHEMERAL = 64


def aged(seconds: float) -> datetime:
    """A clock reading for which the fake's interactions (ids at BEFORE) are `seconds` old."""
    return BEFORE + timedelta(seconds=seconds)


async def test_an_interaction_already_2_6_s_old_when_its_handler_starts_is_deferred_at_once(fake: FakeDiscord, core: BriefingCore) -> None:
    async with connected(fake, core, clock=lambda: aged(2.6)):  # the default 1 s timer would come too late
        payload = fake.command("brief")
        assert await fake.interact(payload) == {"type": 5, "data": {"flags": EPHEMERAL}}
        edit = await fake.followups(payload)
    assert edit.method == "PATCH" and edit.body["embeds"][0]["title"]


async def test_an_answer_queued_for_a_sending_slot_is_deferred_before_its_deadline(fake: FakeDiscord, core: BriefingCore) -> None:
    async with connected(fake, core, clock=lambda: aged(BEHIND - 0.1)) as client:  # young: the timer defers it
        for _ in range(MAX_SENDING):  # every slot busy, as under a burst: the answer is ready but must wait
            await client._sending.acquire()
        payload = fake.command("brief")
        assert await fake.interact(payload, timeout=3) == {"type": 5, "data": {"flags": EPHEMERAL}}
        for _ in range(MAX_SENDING):
            client._sending.release()
        edit = await fake.followups(payload)
    assert edit.method == "PATCH" and edit.body["embeds"][0]["title"]


async def test_an_interaction_already_behind_when_its_handler_starts_is_deferred_though_its_answer_is_ready(
    fake: FakeDiscord, core: BriefingCore
) -> None:
    """Half a second old at the start means a backlog: the defer goes first, whatever the answer would cost."""
    async with connected(fake, core, clock=lambda: aged(BEHIND)):
        payload = fake.command("brief")
        assert await fake.interact(payload) == {"type": 5, "data": {"flags": EPHEMERAL}}
        edit = await fake.followups(payload)
    assert edit.method == "PATCH" and edit.body["embeds"][0]["title"]


async def test_under_a_backlog_no_answer_is_worked_on_while_another_defer_is_on_its_way(fake: FakeDiscord, core: BriefingCore) -> None:
    """Every first response before any answer's work: the answers have 15 minutes, the first responses 3 s."""
    async with connected(fake, core, clock=lambda: aged(BEHIND)):
        first, second = fake.command("brief"), fake.command("meeting")
        fake.held.add(first["id"])  # its defer reaches Discord but is not answered yet
        await fake.push("INTERACTION_CREATE", first)
        await fake.wait_for(lambda r: r.path.startswith(f"/interactions/{first['id']}/"))
        assert (await fake.interact(second))["type"] == 5
        with pytest.raises(TimeoutError):  # deferred, but its answer waits for the first's defer
            await fake.followups(second, timeout=1)
        fake.release.set()
        assert (await fake.followups(first)).method == "PATCH"
        assert (await fake.followups(second)).method == "PATCH"
    assert fake.unanswered() == []


async def test_a_burst_of_defers_shares_a_bounded_number_of_connections(fake: FakeDiscord, core: BriefingCore) -> None:
    """Defers take no sending slot, and discord.py's own connector would open a connection for each."""
    async with connected(fake, core, clock=lambda: aged(BEHIND)):
        burst = [fake.command("brief") for _ in range(MAX_CONNECTIONS + 20)]
        fake.held.update(str(payload["id"]) for payload in burst)  # every defer keeps its connection busy

        def callbacks() -> int:
            return sum(r.path.endswith("/callback") for r in fake.requests)

        for payload in burst:
            await fake.push("INTERACTION_CREATE", payload)
        await fake.wait_for(lambda _: callbacks() >= MAX_CONNECTIONS - 1)  # the gateway's socket holds one
        with pytest.raises(TimeoutError):
            await fake.wait_for(lambda _: callbacks() >= MAX_CONNECTIONS, timeout=1)
        fake.release.set()
        for payload in burst:
            assert (await fake.followups(payload, timeout=10)).method == "PATCH"


async def test_a_young_interaction_is_answered_directly(fake: FakeDiscord, core: BriefingCore) -> None:
    async with connected(fake, core, clock=lambda: aged(0.01)):
        assert (await fake.interact(fake.command("brief")))["type"] == 4


async def test_a_host_clock_an_hour_off_discords_falls_back_to_the_handlers_own_timer(fake: FakeDiscord, core: BriefingCore) -> None:
    async with connected(fake, core, clock=lambda: aged(3600)):  # an hour "old": the clocks disagree, not a backlog
        assert (await fake.interact(fake.command("brief")))["type"] == 4


async def test_no_defer_when_the_event_loop_itself_is_behind(fake: FakeDiscord, core: BriefingCore) -> None:
    """A timer firing late means the bot is out of CPU: a defer would queue like the answer, so the answer goes first."""
    started = asyncio.Event()

    age = BEHIND - 0.1  # young enough to get a timer rather than a defer at once
    due = min(DEFER_AFTER, ANSWER_BY - age)

    def clock() -> datetime:  # read once, as the handler starts its deadline: `due` s before the defer is due
        started.set()
        return aged(age)

    async with connected(fake, core, clock=clock) as client:
        for _ in range(MAX_SENDING):  # the answer waits for a sending slot, as in the test above
            await client._sending.acquire()
        answered = asyncio.create_task(fake.interact(fake.command("brief"), timeout=5))
        await started.wait()
        # The loop is busy across the timer's time, so it fires late: a CPU-starved bot, on purpose.
        time.sleep(due + LOOP_BEHIND + 0.2)  # noqa: ASYNC251
        for _ in range(MAX_SENDING):
            client._sending.release()
        assert (await answered)["type"] == 4
    assert fake.unanswered() == []
