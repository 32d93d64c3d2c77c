"""No interaction token or webhook URL reaches the logs: the real client at DEBUG against the loopback Discord."""

from __future__ import annotations

import logging

import pytest

from bot.adapters.discord_app.logs import REDACTED, keep_tokens_out_of_logs, redact
from bot.core.service import BriefingCore
from tests.discord_fake import APPLICATION_ID, TOKEN, FakeDiscord
from tests.discord_support import connected


async def test_no_interaction_token_is_logged_at_debug(fake: FakeDiscord, core: BriefingCore, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="discord"):
        # Acknowledging first sends every answer to /webhooks/{app}/{token}/messages/@original.
        async with connected(fake, core, defer_after=0):
            payloads = [fake.command("meeting"), fake.command("timeline", {"query": "visa"})]
            for payload in payloads:
                await fake.interact(payload)
                await fake.followups(payload)
    logged = caplog.text + "".join(record.exc_text or "" for record in caplog.records)
    # The calls and events that carry the tokens were logged, with the tokens taken out.
    assert f"/webhooks/{APPLICATION_ID}/{REDACTED}/messages/@original" in logged
    assert f"'token': '{REDACTED}'" in logged  # the INTERACTION_CREATE event
    for payload in payloads:
        assert payload["token"] not in logged
    assert TOKEN not in logged


def test_tokens_are_redacted_in_every_shape_discord_py_logs_them() -> None:
    token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OmFiY2RlZg.x-y_z"
    lines = {
        f"POST https://discord.com/api/v10/interactions/123/{token}/callback with None has returned 204": f"/interactions/123/{REDACTED}/callback",
        f"We are being rate limited. PATCH https://discord.com/api/v10/webhooks/9/{token}/messages/@original responded with 429.": f"/webhooks/9/{REDACTED}/",
        f"Webhook ID 9 with POST https://discord.com/api/webhooks/9/{token}?wait=1 has returned status code 200": f"/webhooks/9/{REDACTED}?",
        f"WebSocket Event: {{'t': 'INTERACTION_CREATE', 'd': {{'id': '5', 'token': '{token}'}}}}": f"'token': '{REDACTED}'",
        f'{{"type": 5, "token": "{token}"}}': f'"token": "{REDACTED}"',
        f"Rate limit is being handled by bucket hash abc with '9+{token}' major parameters": f"'9+{REDACTED}'",
    }
    for line, expected in lines.items():
        assert token not in redact(line) and expected in redact(line), line
    assert redact("GET /channels/1/messages major parameters '1+2'") == "GET /channels/1/messages major parameters '1+2'"


def test_a_traceback_holding_a_webhook_url_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    keep_tokens_out_of_logs()
    url = "https://discord.com/api/webhooks/9/secret-token-value"
    with caplog.at_level(logging.DEBUG, logger="discord"):
        try:
            raise RuntimeError(f"could not reach {url}")
        except RuntimeError:
            logging.getLogger("discord.webhook.async_").exception("failed: %s", url)
    (record,) = [r for r in caplog.records if r.name == "discord.webhook.async_"]
    assert "secret-token-value" not in record.getMessage() and "secret-token-value" not in (record.exc_text or "")
    assert "secret-token-value" not in caplog.text
