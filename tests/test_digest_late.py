"""Late digests and alerts say what they are for: the day of their slot, the time really left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.digest.preview import preview_digest
from bot.core.service import BriefingCore
from bot.store import Store
from tests.digest_support import FakeClock, RecordingPlatform
from tests.test_digest_runner import runner_for, subscribe

SLOT = datetime(2026, 2, 1, 4, 30, tzinfo=UTC)  # 23:30 in Bogotá on 31 January


async def test_a_late_digest_is_titled_with_the_day_it_is_for_and_a_preview_with_the_slot_it_would_send(core: BriefingCore, store: Store) -> None:
    clock = FakeClock(SLOT - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "bog", clock.now(), "alerts:none time:23:30 tz:America/Bogota")
    runner = runner_for(core, store, platform, clock)
    # On time for 31 January; 1.5 h late for 1 February (01:00 on the 2nd in Bogotá); on time for 2 February.
    for at in (SLOT, SLOT + timedelta(days=1, hours=1, minutes=30), SLOT + timedelta(days=2)):
        clock.set(at)
        await runner.tick()
    assert [(post.key, post.reply.title.split(" · ")[1]) for post in platform.posted] == [
        ("digest:2026-01-31", "31 January 2026"), ("digest:2026-02-01", "1 February 2026"), ("digest:2026-02-02", "2 February 2026"),
    ]
    # At 23:30 in Bogotá (already the 4th in UTC) the preview is the 3 February digest the loop sends then, nonce and all.
    subscription = (await store.digests.subscriptions())[0]
    preview = await preview_digest(core, subscription, SLOT + timedelta(days=3), "en")
    clock.set(SLOT + timedelta(days=3))
    await runner.tick()
    sent = platform.posted[-1]
    assert sent.key == "digest:2026-02-03" and sent.reply.title == preview.title and preview.footer.startswith(sent.reply.footer)
