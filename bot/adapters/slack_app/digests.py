"""Digests on Slack: the `Sender` the digest loop posts through, its pace, and the loop inside the app.

Each post carries message metadata (`briefbot_delivery`, the delivery's nonce and key), so after a
crash the loop can ask Slack whether a claimed message arrived (conversations.history, which needs
`channels:history` and `groups:history`) instead of guessing and posting it twice.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_app.manifest import UMBRELLA
from bot.adapters.slack_app.mrkdwn import USER_ID
from bot.adapters.slack_app.render import render_reply
from bot.adapters.slack_app.token import TOKEN_REFUSED, slack_code
from bot.core.digest.ledger import DeliveryLedger
from bot.core.digest.model import Delivery, Subscription
from bot.core.digest.runner import DigestRunner, SystemClock, owner_id
from bot.core.digest.sending import MAX_RATE_LIMIT_WAIT, ChannelGone, Clock, Pace, SendRejected, SendUnknown
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.settings import Settings

log = logging.getLogger(__name__)
# 429s waited out before a post fails (the app's own client too). Here, not in app.py: `digest run-once`
# would import slack_bolt and the whole app for one number.
RATE_LIMIT_RETRIES = 3
EVENT_TYPE = "briefbot_delivery"
# Slack allows about one message per second in a channel (chat.postMessage's special tier).
CHANNEL_GAP = timedelta(seconds=1)
# Slack's clock and ours may disagree a little; history is read from this long before the due time.
CLOCK_SKEW = timedelta(minutes=2)
HISTORY_PAGE = 100
# A channel with more messages than this since the due time cannot be searched to the end: the lookup
# fails (and is tried again after another lease) rather than saying "not there" without knowing.
HISTORY_PAGES = 20
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=30)
# Errors that say the bot can no longer post in the channel, with the catalogue key of the reason admins are shown.
GONE = {
    "channel_not_found": "paused.slack_channel_not_found",
    "not_in_channel": "paused.slack_not_in_channel",
    "is_archived": "paused.slack_archived",
    "channel_is_archived": "paused.slack_archived",
    "restricted_action": "paused.slack_restricted",
    "access_denied": "paused.slack_access_denied",
}
# chat.postMessage's answers to a direct message the subscriber cannot get: the user gone or deactivated, the app's
# Messages tab turned off, or the workspace restricting it. Any other failure is not theirs, and is logged in full.
DM_REFUSED = frozenset({
    "channel_not_found", "user_not_found", "user_disabled", "is_archived", "messages_tab_disabled", "restricted_action",
    "cannot_dm_bot",
})
# History errors after which a resend cannot post either, so "not found" is safe: without
# `chat:write.public` (which the manifest never asks for) a bot posts only where it can read.
UNREADABLE_AND_UNPOSTABLE = frozenset({"channel_not_found", "not_in_channel"})
# The request's RetryState.custom_values key holding how long its 429s have been waited out so far.
WAITED = "briefbot_rate_limit_waited"


class BoundedRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, refusing the retry that would take one request's waits past `max_wait` in all.

    A digest's claim stays open while its post waits; waiting out a Retry-After longer than the lease
    would let another process take the claim over, find no message and post it, and then this one too.
    The refused 429 reaches the sender, which fails the send (tried again at the next tick).
    """

    def __init__(self, max_retry_count: int, max_wait: float) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    async def _can_retry_async(
        self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None, error: Exception | None = None,
    ) -> bool:
        if response is None or not await super()._can_retry_async(state=state, request=request, response=response, error=error):
            return False
        values = state.custom_values if state.custom_values is not None else {}
        # slack_sdk sleeps the Retry-After (a second without one) plus up to a second of jitter.
        waited = float(values.get(WAITED, 0.0)) + _retry_after(response) + 1.0
        if waited > self.max_wait:
            return False
        state.custom_values = {**values, WAITED: waited}
        return True


class HistoryTooLong(Exception):
    """The channel had too many messages since the due time to search them all; the lookup is retried later."""


def digest_client(token: str, base_url: str, http: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """A Web API client that waits out 429s but never retries after a connection error.

    `build_client` (app.py) also retries on a dropped connection, which is right for reads but not
    for chat.postMessage: when the connection drops after Slack accepted the POST, a retry posts the
    digest a second time. Here such an error reaches the loop as an unknown outcome, and the loop
    reconciles it with `find`. A 429 is always safe to retry (Slack posted nothing), for as long
    as the claim allows: MAX_RATE_LIMIT_WAIT in all.
    """
    handlers: list[AsyncRetryHandler] = [BoundedRateLimitRetryHandler(RATE_LIMIT_RETRIES, MAX_RATE_LIMIT_WAIT)]
    return AsyncWebClient(token=token, base_url=base_url.rstrip("/") + "/", retry_handlers=handlers, session=http)


def slack_pace(clock: Clock) -> Pace:
    """Slack's pace for chat.postMessage: no overall cap, about one message per second per channel."""
    return Pace(clock, per_second=None, channel_gap=CHANNEL_GAP)


def slack_ts(instant: datetime) -> str:
    """An instant as a Slack message timestamp (seconds since the epoch, six decimals)."""
    return f"{instant.timestamp():.6f}"


class SlackSender:
    """Posts digests and alerts with chat.postMessage and finds them again in the channel's history."""

    platform = "slack"
    slash_command = UMBRELLA  # every command follows /brief, as the app's own requests say

    def __init__(self, client: AsyncWebClient, locale: str = "en") -> None:
        self.client = client
        self.locale = locale

    async def send(self, delivery: Delivery, reply: Reply) -> str:
        """Post the reply in the subscription's channel with the delivery's nonce as metadata; the message ts."""
        # The message's own words (sources, page) in the subscription's language, like the digest it carries.
        message = render_reply(reply, interactive=False, locale=delivery.due.subscription.language or self.locale)
        due = delivery.due
        try:
            response = await self.client.chat_postMessage(
                channel=due.subscription.channel_id,
                **message,
                metadata={"event_type": EVENT_TYPE, "event_payload": {"nonce": due.nonce, "key": due.key}},
                # A digest cites several sources; a preview card for each would bury the digest itself.
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as error:
            _raise_known(error)
            raise
        return str(response["ts"])

    async def find(self, delivery: Delivery) -> str | None:
        """The ts of this delivery's message if it is in the channel; None only when Slack says it is not.

        Reads the history from shortly before the due time, not from `claimed_at`: a claim taken over
        from a dead process carries the time of the take-over, and the message (if any) is older. Any
        failure to read (a missing history scope, a 5xx) raises instead of answering None, because
        None makes the loop post again, and the message may well be there.
        """
        channel, nonces = delivery.due.subscription.channel_id, delivery.due.nonces
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            try:
                page = await self.client.conversations_history(
                    channel=channel, oldest=slack_ts(delivery.due.at - CLOCK_SKEW), include_all_metadata=True,
                    limit=HISTORY_PAGE, cursor=cursor,
                )
            except SlackApiError as error:
                if slack_code(error) in UNREADABLE_AND_UNPOSTABLE:
                    return None  # the resend fails with ChannelGone and pauses the subscription
                raise
            for message in page.get("messages") or []:
                if any(_is_delivery(message, nonce) for nonce in nonces):
                    return str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not page.get("has_more") or cursor is None:
                return None
        raise HistoryTooLong(f"more than {HISTORY_PAGES * HISTORY_PAGE} messages in {channel} since {delivery.due.at:%Y-%m-%d %H:%M}")

    async def tell_admins(self, subscription: Subscription, reply: Reply) -> None:
        """DM the admin who subscribed the channel (in the app's Messages tab)."""
        if not USER_ID.fullmatch(subscription.created_by):
            # Subscribed from the operator's command line: there is no Slack user to tell.
            log.warning("slack channel %s: %s (subscribed by %s, not a Slack user)", subscription.channel_id, reply.title, subscription.created_by)
            return
        message = render_reply(reply, interactive=False, locale=self.locale)
        try:
            await self.client.chat_postMessage(channel=subscription.created_by, **message)
        except SlackApiError as error:
            code = slack_code(error)
            if code not in DM_REFUSED:
                raise
            raise SendRejected(f"direct message refused ({code})", "digest.notice_refused", platform="Slack", detail=code) from error


@contextlib.asynccontextmanager
async def open_sender(settings: Settings, clock: Clock) -> AsyncIterator[tuple[SlackSender, Pace]]:
    """A sender over an HTTP session of its own, closed on exit (`briefbot digest run-once`)."""
    token = settings.secret("SLACK_BOT_TOKEN").reveal()
    async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as http:
        yield SlackSender(digest_client(token, settings.slack.api_base, http), settings.locale), slack_pace(clock)


async def run_digests(settings: Settings, core: BriefingCore, ledger: DeliveryLedger, http: aiohttp.ClientSession) -> None:
    """The digest loop inside the long-running app, over the app's connections; runs until cancelled."""
    token = settings.secret("SLACK_BOT_TOKEN").reveal()
    clock = SystemClock()
    # The app's connections, but each request timed out as `digest run-once`'s are: the app's session keeps aiohttp's
    # 5 minutes, and a post still waiting for its answer past the claim's lease could be found missing and posted again.
    async with aiohttp.ClientSession(connector=http.connector, connector_owner=False, timeout=HTTP_TIMEOUT) as timed:
        sender = SlackSender(digest_client(token, settings.slack.api_base, timed), settings.locale)
        runner = DigestRunner(core, ledger, sender, clock, owner=owner_id("slack"), pace=slack_pace(clock), locale=settings.locale)
        log.info("slack: digest loop started")
        await runner.run()


def _raise_known(error: SlackApiError) -> None:
    """Raise ChannelGone or SendRejected when Slack surely did not post, SendUnknown for its server error; return when
    the outcome is unknown for another reason."""
    status, code = error.response.status_code, slack_code(error)
    if status >= 500:  # Slack may have posted before failing: unknown, reconciled later
        raise SendUnknown(f"Slack server error ({status})", "digest.server_error", platform="Slack") from error
    if code in GONE:
        raise ChannelGone(GONE[code]) from error
    # Before the 403s: a refused token stops every channel alike, and pausing them all would hide why.
    if code in TOKEN_REFUSED:
        raise SendRejected(f"Slack refused the bot token: {code}", "digest.slack_token_refused", code=code) from error
    if code == "missing_scope":
        needed = slack_code(error, "needed") or "chat:write"  # Slack names the scopes it wanted
        raise SendRejected(f"Slack refused the message: missing_scope {needed}", "digest.slack_missing_scope", needed=needed) from error
    if status in (403, 404):
        log.warning("Slack answered HTTP %s for the channel (%s)", status, code or "no error code")
        raise ChannelGone("paused.slack_refused") from error
    if status == 429 or code == "ratelimited":
        raise SendRejected(
            "rate limited by Slack past the wait allowed", "digest.rate_limited", platform="Slack", seconds=int(MAX_RATE_LIMIT_WAIT),
        ) from error
    if code:
        raise SendRejected(f"Slack refused the message: {code}", "digest.refused", platform="Slack", detail=code) from error


def _retry_after(response: HttpResponse) -> float:
    """The 429's Retry-After in seconds, as slack_sdk reads it; 1 without one, infinite when unreadable (not waited for)."""
    value = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        return 1.0
    try:
        return float(int(value[0]))
    except (ValueError, IndexError):
        return float("inf")


def _is_delivery(message: dict[str, Any], nonce: str) -> bool:
    """Our message for this nonce: by its metadata, or (metadata stripped) by the `ref` in a bot's message."""
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") == EVENT_TYPE:
        return bool((metadata.get("event_payload") or {}).get("nonce") == nonce)
    needle = f"ref {nonce}"
    return "bot_id" in message and (needle in str(message.get("text", "")) or needle in json.dumps(message.get("blocks") or []))
