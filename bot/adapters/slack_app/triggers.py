"""A trigger_id opens a modal only within 3 seconds of the click or command that brought it: what runs before
views.open is bounded by that, and a trigger that died anyway is Slack's delay, told as such.

The lookup before a modal (users.info, for the user's language and admin status) waits out Slack's 429s; rate
limited, it would outlive the trigger and end in views.open's expired_trigger_id. So it is given until
`deadline()`, after which nothing opens and the user is asked to try again (`SlackBusy`): the admin gate
is never skipped for want of an answer, and the lookup goes on, so the next try finds it cached.
"""

from __future__ import annotations

import asyncio
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

TRIGGER_SECONDS = 3.0  # api.slack.com/interactivity/handling#modal_responses
# Of those, what the lookups before a modal may take: the rest is for the core's form and views.open's round trip.
LOOKUP_SECONDS = 2.0


class SlackBusy(Exception):
    """Slack was too slow for a trigger's life; the user is told to try again, never the generic error."""


def deadline() -> float:
    """When the lookups for a payload arriving now must be done (loop time), taken as its listener acks."""
    return asyncio.get_running_loop().time() + LOOKUP_SECONDS


async def open_modal(client: AsyncWebClient, trigger_id: str, view: dict[str, Any]) -> None:
    """views.open; a trigger Slack says has expired raises `SlackBusy`."""
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        if error.response.get("error") == "expired_trigger_id":
            raise SlackBusy from None
        raise
