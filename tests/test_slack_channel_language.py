"""Through the real Slack sender on the loopback Slack: a digest's own words follow its subscription's language."""

from __future__ import annotations

from msgspec.structs import replace

from bot.adapters.slack_app.digests import open_sender
from bot.core.digest.model import Delivery, Due
from bot.core.replies import Reply, SourceRef
from bot.store import Store
from tests.conftest import BEFORE
from tests.digest_support import FakeClock
from tests.slack_fake import CHANNEL, FakeSlack
from tests.test_slack_digests import settings_for, shown, subscribe


async def test_the_sender_writes_the_message_s_own_words_in_the_subscription_s_language(store: Store) -> None:
    clock = FakeClock(BEFORE)
    subscription = await subscribe(store)
    reply = Reply(title="Resumen", sources=(SourceRef("s1", "Reuters"),), private=False)
    async with FakeSlack(clock=lambda: clock.now().timestamp()) as slack, open_sender(settings_for(slack), clock) as (sender, _):
        for n, language in enumerate(("es", "")):  # "" : a subscription older than migration 008, in `locale:` (English)
            due = Due(replace(subscription, language=language), f"digest:2026-02-0{n + 1}", "digest", BEFORE)
            await sender.send(Delivery(n + 1, due, "claimed", BEFORE, 0, 1), reply)
        spanish, english = slack.messages[CHANNEL]
    assert "Fuentes" in shown(spanish) and "Sources" not in shown(spanish)
    assert "Sources" in shown(english)
