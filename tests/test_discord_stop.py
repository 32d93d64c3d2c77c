"""A Discord client being closed (SIGTERM, Ctrl-C) finishes the answers it has begun and begins no new one."""

from __future__ import annotations

import asyncio

from bot.core.service import BriefingCore
from tests.discord_fake import FakeDiscord
from tests.discord_support import connected


async def test_closing_waits_for_the_answer_in_flight_and_takes_no_new_interaction(fake: FakeDiscord, core: BriefingCore) -> None:
    async with connected(fake, core) as client:
        begun = fake.command("brief")
        fake.held.add(begun["id"])  # its answer reaches Discord but is not answered yet: in flight
        await fake.push("INTERACTION_CREATE", begun)
        await fake.wait_for(lambda r: r.path.startswith(f"/interactions/{begun['id']}/"))
        closing = asyncio.create_task(client.close())
        await asyncio.sleep(0)  # the drain has begun
        late = fake.command("meeting")  # arrives while the client is stopping
        await fake.push("INTERACTION_CREATE", late)
        await client.wait_for("interaction", check=lambda interaction: str(interaction.id) == late["id"], timeout=5)
        assert len(client.inflight) == 1 and not closing.done()  # the late one was not taken; the begun one is waited for
        fake.release.set()
        await asyncio.wait_for(closing, 10)
    assert fake.unanswered() == [late]
