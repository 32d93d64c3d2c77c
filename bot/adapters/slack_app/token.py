"""Whether Slack takes the bot token: asked once at start, so a wrong or revoked one stops the start in one line naming it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import ConfigError, TokenRejected

TOKEN = "SLACK_BOT_TOKEN"
# Errors that say the bot's token no longer works (the app uninstalled, the token revoked, its user deactivated).
TOKEN_REFUSED = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"})
# Slack's error codes are short snake_case words; anything else from a proxy or a stranger is not repeated.
_CODE = re.compile(r"[a-z0-9_]{1,60}")


def slack_code(error: SlackApiError, field: str = "error") -> str:
    """Slack's error code (or another field) from an `ok: false` answer; empty when it had none (a 5xx page, a timeout)."""
    data = error.response.data
    return str(data.get(field) or "") if isinstance(data, dict) else ""


def rejected(error: BaseException) -> str | None:
    """The line naming SLACK_BOT_TOKEN when `error` is Slack refusing it, else None."""
    code = slack_code(error) if isinstance(error, SlackApiError) else ""
    if code not in TOKEN_REFUSED:
        return None
    return (f"{TOKEN} was rejected by Slack ({code}): the app was uninstalled, its token revoked or mistyped, or its installer"
            f" deactivated; reinstall the app (api.slack.com/apps → Install App) and put its Bot User OAuth Token in {TOKEN}")


async def check_token(client: AsyncWebClient) -> None:
    """One auth.test through the client the app uses; ConfigError naming the token it refuses, or saying Slack did not answer.

    A Slack that cannot be reached at start stops the start too, as Discord's does: the process manager
    starts it again, and a bot that serves without Slack only acks commands it can never answer.
    """
    try:
        await client.auth_test()
    except SlackApiError as error:
        code, status = slack_code(error), error.response.status_code
        refused = rejected(error)
        if refused:
            raise TokenRejected(refused) from None
        why = code if status < 500 and _CODE.fullmatch(code) else f"HTTP {status}"
        raise ConfigError(_unanswered(client, why)) from None
    except TimeoutError:
        raise ConfigError(_unanswered(client, f"no answer within {client.timeout} s")) from None
    except aiohttp.ClientError:
        raise ConfigError(_unanswered(client, "could not connect")) from None


def _unanswered(client: AsyncWebClient, why: str) -> str:
    """The line for a Slack that did not say whether it takes the token: where it was asked (never a URL's password), and why."""
    host = urlsplit(client.base_url).netloc.rpartition("@")[2]
    return f"Slack at {host} could not check {TOKEN} ({why}); check the network and slack.api_base, then start again"
