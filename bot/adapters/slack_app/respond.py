"""Answering a user privately: through a response_url, or (after a modal) in the channel or a DM."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack_app.render import render_reply
from bot.core.replies import Reply

log = logging.getLogger(__name__)
Payload = dict[str, Any]


def who(body: Payload) -> Payload:
    """User, team and channel of an interaction payload, shaped like a slash command's."""
    return {
        "user_id": body.get("user", {}).get("id"),
        "team_id": body.get("team", {}).get("id") or body.get("user", {}).get("team_id"),
        "channel_id": body.get("channel", {}).get("id") or body.get("container", {}).get("channel_id"),
        "channel_name": body.get("channel", {}).get("name"),
    }


def is_direct(channel_name: object) -> bool:
    """Whether a payload's channel is a direct message, as Slack names it: "directmessage" (one person with the app or
    another), "mpdm-…" (a group of people); a channel's own name otherwise."""
    return isinstance(channel_name, str) and (channel_name == "directmessage" or channel_name.startswith("mpdm-"))


async def send(respond: AsyncWebhookClient, **message: Any) -> None:
    """Send through the response_url; Slack answers 404 once it has expired (30 minutes, 5 uses)."""
    response = await respond.send_dict(message)
    if response.status_code >= 400:
        log.warning("response_url answered %s: %s", response.status_code, response.body[:200])


async def private(respond: AsyncWebhookClient, reply: Reply, locale: str = "en") -> None:
    """A reply only the user who typed the command sees, without buttons (it is an outcome, not a page)."""
    await send(respond, **render_reply(reply, interactive=False, locale=locale), response_type="ephemeral", replace_original=False)


async def tell(client: AsyncWebClient, user_id: str, channel_id: str | None, reply: Reply, locale: str = "en") -> None:
    """A private message where no response_url exists (after a modal): ephemeral in the channel, else a DM."""
    message = render_reply(reply, interactive=False, locale=locale)
    if channel_id:
        try:
            await client.chat_postEphemeral(channel=channel_id, user=user_id, **message)
            return
        except SlackApiError:
            log.info("chat.postEphemeral in %s failed; sending a DM instead", channel_id, exc_info=True)
    await client.chat_postMessage(channel=user_id, **message)
