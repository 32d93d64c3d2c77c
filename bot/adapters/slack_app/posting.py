"""Whether the app can post in a command's channel: conversations.info's `is_member` (scopes channels:read, groups:read).

Asked only for a command whose effect is the bot's posts there later (subscribe), in the answer's task after the ack.
A check Slack does not allow (an app installed before it asked for those scopes) or that fails is no answer: the
command runs as if it had not been asked.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_app.manifest import BOT_NAME
from bot.core.requests import CannotPost

log = logging.getLogger(__name__)
# Slack's answer for a channel the app cannot see: the command came from it, so it is there, private and without the app.
UNSEEN = "channel_not_found"


class ChannelAccess:
    """Asks Slack whether the app is in a channel; keeps the bot's own name, which the refusal tells admins to invite."""

    def __init__(self) -> None:
        self._name: str | None = None

    async def cannot_post(self, client: AsyncWebClient, channel_id: str | None) -> CannotPost | None:
        """Known: the app is not in the channel, so the digest could not be posted there. None: it is, or it is not known."""
        if not channel_id:
            return None
        try:
            channel = (await client.conversations_info(channel=channel_id))["channel"]
        except SlackApiError as error:
            code = error.response.get("error")
            if code != UNSEEN:
                log.warning("slack: conversations.info answered %s: whether the app is in %s is not known (the manifest's "
                            "channels:read and groups:read let subscribe check it)", code, channel_id)
                return None
        except Exception:  # the network, a timeout, an answer not shaped as documented: no answer, never a refusal
            log.warning("slack: conversations.info failed for %s; whether the app is in it is not known", channel_id, exc_info=True)
            return None
        else:
            if channel.get("is_member") is not False:  # a member, or a conversation with no members to speak of (a DM with the app)
                return None
        return CannotPost("posting.slack_not_invited", bot=await self._bot_name(client))

    async def _bot_name(self, client: AsyncWebClient) -> str:
        """The bot user's name as /invite finds it (auth.test, once); the manifest's when Slack does not say."""
        if self._name is None:
            try:
                self._name = str((await client.auth_test())["user"])
            except Exception:  # not worth failing the answer over: the manifest's name is right unless the operator changed it
                log.warning("slack: auth.test failed; naming the app %r", BOT_NAME, exc_info=True)
                return BOT_NAME
        return self._name
