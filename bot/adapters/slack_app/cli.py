"""What `briefbot slack …` calls: Socket Mode, HTTP mode (each with the digest loop beside it), and the manifest text."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from bot.adapters.inflight import DRAIN_SECONDS
from bot.adapters.slack_app.app import SharedKeys, SlackBot, build_app, build_client
from bot.adapters.slack_app.digests import run_digests
from bot.adapters.slack_app.gate import SlackGate
from bot.adapters.slack_app.health import Health, StoreProbe
from bot.adapters.slack_app.manifest import manifest_text
from bot.adapters.slack_app.people import WorkspaceAdmins
from bot.adapters.slack_app.token import check_token
from bot.adapters.slack_app.web import serving, web_app
from bot.core.digest.ledger import DeliveryLedger
from bot.core.digest.runner import loop_beside
from bot.core.service import BriefingCore
from bot.errors import ConfigError
from bot.settings import Settings

__all__ = ["manifest_text", "run_http", "run_socket_mode", "secrets"]
log = logging.getLogger(__name__)
# slack_sdk's Socket Mode client logs every envelope it receives (response_urls included) at DEBUG, and its Web API
# client every answer, apps.connections.open's (the connection's ticket) too: their logger stays at INFO.
SOCKET_LOG = logging.getLogger("bot.adapters.slack_app.socket")
SOCKET_LOG.setLevel(logging.INFO)
TICKET = re.compile(r"ticket=[^&\s'\")]+")  # in a Socket Mode URL: a credential for that connection


def without_ticket(record: logging.LogRecord) -> bool:
    """Hides the ticket of the Socket Mode URL in a record's message and traceback: slack_sdk logs a failed handshake
    (a connection, a reconnection) at ERROR with aiohttp's error, which names the whole URL."""
    message = record.getMessage()
    if TICKET.search(message):
        record.msg, record.args = TICKET.sub("ticket=(hidden)", message), ()
    if record.exc_info is not None and TICKET.search(trace := logging.Formatter().formatException(record.exc_info)):
        # The text every handler then writes in its place: the exception itself names the URL too.
        record.exc_info, record.exc_text = None, TICKET.sub("ticket=(hidden)", trace)
    return True


SOCKET_LOG.addFilter(without_ticket)


def secrets(settings: Settings, *names: str) -> list[str]:
    """The named secrets' values; one ConfigError naming every one that is missing."""
    values, missing = [], []
    for name in names:
        try:
            values.append(settings.secret(name).reveal())
        except ConfigError:
            missing.append(name)
    if missing:
        verb, pronoun = ("is", "it") if len(missing) == 1 else ("are", "them")
        raise ConfigError(f"{' and '.join(missing)} {verb} not set; export {pronoun} in the environment (see README).")
    return values


def slack_bot(settings: Settings, core: BriefingCore, http: aiohttp.ClientSession, keys: SharedKeys | None) -> SlackBot:
    """The adapter with the real clock; workspace admins are looked up only if settings count them."""
    admins = WorkspaceAdmins(settings.slack.workspace_admins)
    return SlackBot(core, admins, clock=lambda: datetime.now(UTC), http=http, locale=settings.locale, keys=keys)


async def run_socket_mode(
    settings: Settings, core: BriefingCore, ledger: DeliveryLedger | None = None, keys: SharedKeys | None = None,
) -> None:
    """Connect over Socket Mode (no public URL) and answer until cancelled; with a ledger, send digests too; `keys`: the
    store's, so an answer is posted to its channel once whatever process its clicks reach."""
    bot_token, app_token = secrets(settings, "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    async with aiohttp.ClientSession() as http:
        client = build_client(bot_token, settings.slack.api_base, http)
        await check_token(client)
        bot = slack_bot(settings, core, http, keys)
        # Its own client, which asks only apps.connections.open (with the app token), so the ticket is logged nowhere.
        opener = build_client(app_token, settings.slack.api_base, http, logger=SOCKET_LOG)
        handler = AsyncSocketModeHandler(build_app(bot, client), app_token, logger=SOCKET_LOG, web_client=opener)
        try:  # closed even when stopped while its handshakes fail: its own aiohttp session is then closed too
            await handler.connect_async()  # type: ignore[no-untyped-call]  # slack_sdk leaves it unannotated
            log.info("slack: connected over Socket Mode")
            async with loop_beside(_digests(settings, core, ledger, http), "slack digest loop"):
                await asyncio.Event().wait()
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]  # slack_sdk leaves it unannotated
            await bot.inflight.drain(DRAIN_SECONDS)


async def run_http(
    settings: Settings, core: BriefingCore, port: int, host: str = "0.0.0.0", ledger: DeliveryLedger | None = None,
    store_check: StoreProbe | None = None, keys: SharedKeys | None = None,
) -> None:
    """Serve the Events API (signatures verified) on `/slack/events`, plus `/healthz`, until cancelled; with a ledger, send
    digests too; `keys`: the store's, so a private answer is posted once whatever worker on the store its taps reach."""
    bot_token, signing_secret = secrets(settings, "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    async with aiohttp.ClientSession() as http:
        bot = slack_bot(settings, core, http, keys)
        client = build_client(bot_token, settings.slack.api_base, http)
        await check_token(client)
        health = Health(store_check or store_probe(core), client)
        async with serving(web_app(build_app(bot, client), SlackGate(signing_secret), health), host, port) as bound:
            log.info("slack: serving the Events API on %s:%d/slack/events", host, bound)
            try:
                async with loop_beside(_digests(settings, core, ledger, http), "slack digest loop"):
                    await asyncio.Event().wait()
            finally:
                await bot.inflight.drain(DRAIN_SECONDS)


def store_probe(core: BriefingCore) -> StoreProbe:
    """What /healthz asks a store that cannot check itself: a real query (`run` passes `Store.check`, which also sees a deleted file)."""

    async def probe() -> None:
        await core.repository.briefings()

    return probe


def _digests(settings: Settings, core: BriefingCore, ledger: DeliveryLedger | None, http: aiohttp.ClientSession) -> Coroutine[Any, Any, None] | None:
    """The digest loop over the app's HTTP session (cancelled before it closes), when there is a ledger."""
    return run_digests(settings, core, ledger, http) if ledger is not None else None
