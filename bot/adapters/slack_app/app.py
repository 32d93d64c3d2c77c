"""The bolt app: every listener acks at once, then the answer runs in an owned background task.

`process_before_response=True` makes bolt send the ack as soon as the listener returns instead of
polling for it every 10 ms; since each listener only acks and spawns, that is well inside Slack's
3-second deadline.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

import aiohttp
from msgspec.structs import replace
from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.inflight import Inflight
from bot.adapters.slack_app.admin import OWN_COMMANDS, AdminFlows, admin_line
from bot.adapters.slack_app.digests import RATE_LIMIT_RETRIES
from bot.adapters.slack_app.gate import DELIVERY
from bot.adapters.slack_app.home import HOME_ACTION, MODAL_PAGE_ACTION, answer_modal, home_commands, home_view
from bot.adapters.slack_app.mrkdwn import unescaped
from bot.adapters.slack_app.passages import WHY_ACTION, picked_line
from bot.adapters.slack_app.people import WorkspaceAdmins
from bot.adapters.slack_app.posting import ChannelAccess
from bot.adapters.slack_app.render import PAGE_ACTION, POST_ACTION, posted_by, render_reply
from bot.adapters.slack_app.respond import is_direct, send, who
from bot.adapters.slack_app.triggers import SlackBusy, deadline, open_modal
from bot.core.catalogue import catalogue_for
from bot.core.i18n import DEFAULT_LANGUAGE, language_of
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import ConfigError, StoreError

log = logging.getLogger(__name__)
UMBRELLA = "brief"
RESPONSE_TIMEOUT = 10
Payload = dict[str, Any]
# slack_sdk's webhook client logs the response_url (a credential for 30 minutes) at INFO on every retry and at
# DEBUG on every send; its logger is pinned at WARNING so no log level setting can let those lines out.
WEBHOOK_LOG = logging.getLogger("bot.adapters.slack_app.webhook")
WEBHOOK_LOG.setLevel(logging.WARNING)
# A double click or a laggy phone's repeat of Post to channel comes within seconds; by half an hour the private copy is
# long deleted. 10,000 posts a half hour is far above one workspace, and about 3 MB.
POSTED_SECONDS = 30 * 60
POSTED_KEPT = 10_000
Posting = tuple[str, str, str]  # a private answer: its channel, its message's ts and its reader


class SharedKeys(Protocol):
    """Keys each claimed by one process of all those on the store until it expires (bot/store/postgres/keys.py)."""

    async def claim_key(self, key: str, expires: float, now: float) -> bool:
        """True when this call claims `key` until `expires` (Unix time); False while an earlier claim holds it."""
        ...

    async def release_key(self, key: str) -> None:
        """Let `key` be claimed again: what it guarded did not happen."""
        ...


class Posted:
    """The private answers whose Post to channel ran (or runs), for `POSTED_SECONDS` and at most `limit` of them, so a
    second click of the same answer (a double click, a laggy phone sending its tap again) posts nothing more.

    This process remembers them (`claim`, before any await), and so does the store (`claim_shared`), for a click that
    reaches another worker or this one restarted; `keys` None (a SQLite store, which records none) leaves this
    process's memory alone.
    """

    def __init__(self, keys: SharedKeys | None = None, clock: Callable[[], float] = time.monotonic, limit: int = POSTED_KEPT) -> None:
        self.keys = keys
        self.clock = clock
        self.limit = limit
        self._at: dict[Posting, float] = {}  # oldest first

    def claim(self, answer: Posting) -> bool:
        """True for an answer's first click (now remembered); False while an earlier click's post is."""
        now = self.clock()
        while self._at and now - next(iter(self._at.values())) >= POSTED_SECONDS:
            del self._at[next(iter(self._at))]
        if answer in self._at:
            return False
        if len(self._at) >= self.limit:  # the oldest, the least likely to be tapped again
            del self._at[next(iter(self._at))]
        self._at[answer] = now
        return True

    async def claim_shared(self, answer: Posting) -> bool:
        """True for an answer's first click among every process on the store (now the store's too), after `claim`."""
        if self.keys is None:
            return True
        now = time.time()
        return await self.keys.claim_key(_posted_key(answer), now + POSTED_SECONDS, now)

    async def release(self, answer: Posting, shared: bool) -> None:
        """A post that failed: its answer's button may be clicked again; `shared`: the store's claim was this click's."""
        self._at.pop(answer, None)
        if shared and self.keys is not None:
            try:
                await self.keys.release_key(_posted_key(answer))
            except StoreError:  # kept until it expires: a click within the half hour is told it is posted
                log.warning("slack: the store did not let go of a post's claim; that answer stays unpostable for %d minutes", POSTED_SECONDS // 60)


def _posted_key(answer: Posting) -> str:
    """The store's key for a private answer's post: a hash, so the store keeps no reader's id."""
    return "slack-post:" + hashlib.sha256("\n".join(answer).encode()).hexdigest()


def build_client(
    token: str, base_url: str, http: aiohttp.ClientSession | None = None, logger: logging.Logger | None = None,
) -> AsyncWebClient:
    """A Web API client for `base_url` (GovSlack, a proxy, a test) that waits out 429s; `logger`: where it logs each call."""
    handlers: list[AsyncRetryHandler] = [
        AsyncConnectionErrorRetryHandler(),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
    ]
    return AsyncWebClient(token=token, base_url=base_url.rstrip("/") + "/", retry_handlers=handlers, session=http, logger=logger)


def command_line(command: str, text: str) -> str:
    """`/brief timeline x` → `timeline x`; `/timeline x` → `timeline x`; a bare `/brief` → `brief`. `text` as Slack sends
    it, `&`, `<` and `>` escaped (a form's values are not: they are read as they come)."""
    name = command.lstrip("/").lower()
    text = unescaped(text).strip()
    if name == UMBRELLA:
        return text or UMBRELLA
    return f"{name} {text}".strip()


class SlackBot:
    """Translates Slack payloads into core requests and replies into Block Kit; its only state is answers in flight."""

    def __init__(
        self,
        core: BriefingCore,
        admins: WorkspaceAdmins,
        clock: Callable[[], datetime],
        http: aiohttp.ClientSession,
        locale: str = DEFAULT_LANGUAGE,
        keys: SharedKeys | None = None,
    ) -> None:
        self.core = core
        self.locale = locale  # the configured language, for users whose own Slack language is unknown
        self.http = http
        self.admins = admins
        self.channels = ChannelAccess()
        self.posted = Posted(keys)  # keys: the store's, so a post is made once by all the workers on it
        self.clock = clock
        self.inflight = Inflight()
        self.commands = tuple(spec.name for spec in core.registry.public())
        self.admin = AdminFlows(self)

    def register(self, app: AsyncApp) -> None:
        """Attach the listeners: `/brief` and each direct command, buttons, and the App Home tab."""
        for name in dict.fromkeys((UMBRELLA, *self.commands)):
            app.command(f"/{name}")(self.on_command)
        app.action(re.compile(f"^{PAGE_ACTION}_"))(self.on_page)
        app.action(POST_ACTION)(self.on_post)
        app.action(WHY_ACTION)(self.on_why)
        app.action(re.compile(f"^{HOME_ACTION}_"))(self.on_home_button)
        app.action(re.compile(f"^{MODAL_PAGE_ACTION}_"))(self.on_modal_page)
        app.event("app_home_opened")(self.on_home_opened)
        app.event("app_uninstalled")(self.on_uninstalled)
        app.event("tokens_revoked")(self.on_tokens_revoked)
        self.admin.register(app)

    async def on_command(self, ack: AsyncAck, command: Payload, client: AsyncWebClient) -> None:
        """A slash command: ack empty, answer privately through the response_url (or open an admin form)."""
        await ack()
        line = command_line(command.get("command", ""), command.get("text", ""))
        admin = admin_line(line, self.core.registry)
        if admin is not None:
            self.inflight.spawn(self.admin.open(client, admin, command, deadline()))
            return
        respond = self.responder(command["response_url"])
        self.inflight.spawn(self._answer(client, respond, line, command, ephemeral=True, replace_original=False))

    async def on_page(self, ack: AsyncAck, body: Payload, action: Payload, client: AsyncWebClient) -> None:
        """Previous/Next: a private answer, or a channel message clicked by its poster, turns in place; anyone else gets the page privately."""
        await ack()
        respond, line, clicker = self.responder(body["response_url"]), action["value"], who(body)
        if body.get("container", {}).get("is_ephemeral") is True:  # only its reader sees it
            answer = self._answer(client, respond, line, clicker, ephemeral=True, replace_original=True)
        # Its poster turns it for everyone: the line run again by itself into the channel, so only one Post would run.
        elif clicker["user_id"] and posted_by(action.get("block_id")) == clicker["user_id"] and self.core.repeatable(line):
            answer = self._answer(client, respond, line, clicker, ephemeral=False, replace_original=True)
        else:  # someone else's channel message, one naming no poster, or a line not posted: never changed for everyone
            answer = self._answer(client, respond, line, clicker, ephemeral=True, replace_original=False)
        self.inflight.spawn(answer)

    async def on_post(self, ack: AsyncAck, body: Payload, action: Payload, client: AsyncWebClient) -> None:
        """Post to channel: the same answer for everyone, then the private copy goes away; once per private answer."""
        await ack()
        respond, clicker = self.responder(body["response_url"]), who(body)
        # The message's ts names the private answer clicked; claimed here, before any await, so two clicks never both pass.
        ts = body.get("container", {}).get("message_ts")
        answer = (str(clicker["channel_id"]), str(ts), str(clicker["user_id"])) if ts else None
        if answer is not None and not self.posted.claim(answer):
            self.inflight.spawn(self._already_posted(respond, clicker))
            return
        self.inflight.spawn(self._post(client, respond, action["value"], clicker, answer))

    async def _already_posted(self, respond: AsyncWebhookClient, clicker: Payload) -> None:
        """Tell the clicker privately that this answer's post was made (or is being made) by an earlier click."""
        text = catalogue_for(self.known_language(clicker["user_id"]))("reply.already_posted")
        await send(respond, text=text, response_type="ephemeral", replace_original=False)

    async def on_why(self, ack: AsyncAck, body: Payload, action: Payload, client: AsyncWebClient) -> None:
        """A "Source passage" pick: the passage behind the item, from the briefing that answered, to the one who picked it only."""
        await ack()
        respond, line = self.responder(body["response_url"]), picked_line(action)
        if line is None:  # a forged value: never a command line
            text = catalogue_for("en")("why.bad_ref")
            self.inflight.spawn(send(respond, text=text, response_type="ephemeral", replace_original=False))
            return
        self.inflight.spawn(self._answer(client, respond, line, who(body), ephemeral=True, replace_original=False))

    async def on_home_button(self, ack: AsyncAck, body: Payload, action: Payload, client: AsyncWebClient) -> None:
        """A command button on the Home tab opens its answer in a modal (a tab has no response_url)."""
        await ack()
        self.inflight.spawn(self._modal(client, body["trigger_id"], action["value"], who(body), deadline()))

    async def on_modal_page(self, ack: AsyncAck, body: Payload, action: Payload, client: AsyncWebClient) -> None:
        """Previous/Next in a modal (a Home button's answer): that page in the same modal, by views.update."""
        await ack()
        self.inflight.spawn(self._turn(client, body["view"]["id"], action["value"], who(body)))

    async def on_home_opened(self, event: Payload, body: Payload, client: AsyncWebClient) -> None:
        """Publish the live status panel each time someone opens the Home tab."""
        if event.get("tab", "home") == "home":
            self.inflight.spawn(self.publish_home(client, event["user"], body.get("team_id")))

    async def on_uninstalled(self, body: Payload) -> None:
        """The workspace uninstalled the app: its subscriptions end and its choices go (bolt asks no auth.test for it)."""
        self._left(body)

    async def on_tokens_revoked(self, event: Payload, body: Payload) -> None:
        """The bot's token was revoked, which leaves the workspace as an uninstall does; a user token's alone changes nothing."""
        if event.get("tokens", {}).get("bot"):
            self._left(body)

    def _left(self, body: Payload) -> None:
        """The store's work after the ack, as every listener's."""
        if body.get("team_id"):
            self.inflight.spawn(self.core.left_space("slack", str(body["team_id"])))

    def responder(self, response_url: str) -> AsyncWebhookClient:
        """A response_url client over the shared session, so answers reuse connections."""
        return AsyncWebhookClient(url=response_url, session=self.http, timeout=RESPONSE_TIMEOUT, logger=WEBHOOK_LOG)

    async def request(self, client: AsyncWebClient, who: Payload) -> Request:
        """The core request for whoever sent a payload: in the answer's language (the channel's fixed one, else Slack's word on
        theirs), and whether they administer the workspace.

        Called in the answer's task, after the ack: the users.info behind both never delays it.
        """
        user_id = str(who.get("user_id") or "unknown")
        return await self.core.in_language_here(Request(
            command="",
            now=self.clock(),
            platform="slack",
            user_id=user_id,
            locale=language_of(await self.admins.locale(client, user_id), self.locale),
            platform_admin=await self.admins.is_admin(client, user_id),
            grant_hint="admin.grant.slack",  # workspace admins may count too
            channel_id=who.get("channel_id"),
            team_id=who.get("team_id"),
            slash_command=UMBRELLA,  # every command follows /brief; not all have a slash command of their own
            direct=is_direct(who.get("channel_name")),
            own_commands=OWN_COMMANDS,  # `/brief edit` and `/brief import`, which help lists and explains
            delivery=DELIVERY.get(),  # the signed request this answers, so a copy of it replayed elsewhere writes nothing
        ))

    async def request_by(self, client: AsyncWebClient, who: Payload, by: float) -> Request:
        """`request` for a payload whose trigger_id opens a modal, if Slack answers the lookup by `by` (loop time); else
        `SlackBusy`, and the lookup finishes in the background, so the next try finds it cached."""
        lookup = asyncio.ensure_future(self.request(client, who))
        try:
            return await asyncio.wait_for(asyncio.shield(lookup), max(0.0, by - asyncio.get_running_loop().time()))
        except TimeoutError:
            self.inflight.spawn(_settle(lookup))
            raise SlackBusy from None

    async def _answer(
        self,
        client: AsyncWebClient,
        respond: AsyncWebhookClient,
        line: str,
        who: Payload,
        *,
        ephemeral: bool,
        replace_original: bool,
    ) -> None:
        try:
            request = await self.request(client, who)
            if self.core.posts_here(line):  # subscribe: only a command that makes the bot post here later asks Slack whether it can
                request = replace(request, cannot_post=await self.channels.cannot_post(client, request.channel_id))
            reply = await self.core.dispatch_line(line, request)
            postable = self.core.repeatable(line)
            message = render_reply(reply, line=line, ephemeral=ephemeral, locale=request.locale, poster=request.user_id, postable=postable)
            if replace_original and (ephemeral or reply.kind != "error"):
                await send(respond, **message, replace_original=True)
            else:  # a refusal goes to the clicker alone, never over the channel's message
                await send(respond, **message, response_type="ephemeral" if ephemeral or reply.kind == "error" else "in_channel", replace_original=False)
        except Exception:  # the command's name only: the words typed after it may name a person or an address
            log.exception("slack answer to %s failed", self.core.command_named(line) or "an unknown command")
            await self.apologise(respond, who.get("user_id"))

    async def _post(self, client: AsyncWebClient, respond: AsyncWebhookClient, line: str, who: Payload, answer: Posting | None) -> None:
        shared = False  # whether the store's claim of `answer` is this click's
        try:
            if answer is not None:
                if not await self.posted.claim_shared(answer):  # another worker's click, or this process's before a restart
                    answer = None  # theirs: nothing here to let go
                    await self._already_posted(respond, who)
                    return
                shared = True
            request = await self.request(client, who)
            reply = await self.core.dispatch_again(line, request)
            if reply.kind == "error":
                await send(respond, **render_reply(reply, locale=request.locale), replace_original=False, response_type="ephemeral")
                return
            message = render_reply(reply, line=line, ephemeral=False, locale=request.locale, poster=request.user_id)
            await send(respond, **message, response_type="in_channel", replace_original=False)
            answer = None  # posted: whatever fails after, another click of it must not post it again
            await send(respond, delete_original=True)
        except Exception:  # the command's name only, as for an answer
            log.exception("slack post of %s failed", self.core.command_named(line) or "an unknown command")
            await self.apologise(respond, who.get("user_id"))
        finally:
            if answer is not None:  # refused or failed before posting: a click once the reader has read why may post it
                await self.posted.release(answer, shared)

    async def _modal(self, client: AsyncWebClient, trigger_id: str, command: str, who: Payload, by: float) -> None:
        try:
            request = await self.request_by(client, who, by)
            reply = await self.core.dispatch(replace(request, command=command))
            await open_modal(client, trigger_id, answer_modal(reply, request.locale))
        except SlackBusy:  # a Home tab has no response_url: the app's DM says so
            await self._busy_dm(client, str(who.get("user_id")))
        except Exception:
            log.exception("slack home button %r failed", command[:40])

    async def _turn(self, client: AsyncWebClient, view_id: str, line: str, who: Payload) -> None:
        try:
            request = await self.request(client, who)
            reply = await self.core.dispatch_line(line, request)
            await client.views_update(view_id=view_id, view=answer_modal(reply, request.locale))
        except Exception:  # the command's name only, as for an answer
            log.exception("turning a modal's page of %s failed", self.core.command_named(line) or "an unknown command")

    async def _busy_dm(self, client: AsyncWebClient, user_id: str) -> None:
        """Slack is busy, in the user's DM with the app: a click in the Home tab has nowhere else to answer."""
        try:
            await client.chat_postMessage(channel=user_id, text=catalogue_for(self.known_language(user_id))("slack.busy"))
        except Exception:
            log.exception("could not tell %s that Slack is busy", user_id)

    async def publish_home(self, client: AsyncWebClient, user_id: str, team_id: str | None) -> None:
        """(Re)publish `user_id`'s Home tab from the briefing as it is now; failures are logged."""
        try:
            request = await self.request(client, {"user_id": user_id, "team_id": team_id})
            status = await self.core.dispatch(replace(request, command=UMBRELLA))
            view = home_view(status, home_commands(self.core.registry.public()), request.locale)
            await client.views_publish(user_id=user_id, view=view)
        except Exception:
            log.exception("publishing the home tab for %s failed", user_id)

    def known_language(self, user_id: object) -> str:
        """The user's language as far as it is known without asking Slack (for the ack path), else the configured one."""
        return language_of(self.admins.cached_locale(str(user_id or "")), self.locale)

    async def apologise(self, respond: AsyncWebhookClient, user_id: object = None, key: str = "error.internal") -> None:
        """The fixed short message for an unexpected failure (or `key`'s, for Slack being busy), in the user's language if
        known; never the exception's text."""
        try:
            text = catalogue_for(self.known_language(user_id))(key)
            await send(respond, text=text, response_type="ephemeral", replace_original=False)
        except Exception:
            log.exception("could not tell the user about the failure")


async def _settle(lookup: asyncio.Future[Request]) -> None:
    """A lookup that outlived its trigger, run to its end (it fills the cache); its failure is logged as any lookup's."""
    try:
        await lookup
    except Exception:
        log.exception("a slow slack user lookup failed")


class _TokenInClient(logging.Filter):
    """Drops bolt's start-up warning that SLACK_BOT_TOKEN goes unused: bolt reads the variable itself, with no argument to
    stop it, and the client it is given carries that same token, so the warning only misleads the operator."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


BOLT_LOG = logging.getLogger("bot.adapters.slack_app.bolt")
BOLT_LOG.addFilter(_TokenInClient())


def build_app(bot: SlackBot, client: AsyncWebClient) -> AsyncApp:
    """The bolt app over `client`; signatures are checked before bolt sees a request (web.py's gate) or not needed (Socket Mode)."""
    if os.environ.get("SLACK_CLIENT_ID") is not None and os.environ.get("SLACK_CLIENT_SECRET") is not None:
        # Both set, bolt turns itself into a multi-workspace OAuth app that ignores the token: every request would fail.
        raise ConfigError(
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set, which makes slack-bolt serve many workspaces by OAuth and ignore"
            " SLACK_BOT_TOKEN; briefbot serves the one workspace its bot token is for: unset them"
        )
    app = AsyncApp(
        name="briefbot",
        client=client,
        signing_secret="",
        request_verification_enabled=False,
        process_before_response=True,
        logger=BOLT_LOG,
    )
    bot.register(app)
    app.error(malformed)
    return app


async def malformed(error: Exception, body: Any) -> BoltResponse:
    """A payload Slack signed but whose shape a listener or bolt cannot read: a 400 and one line, not a 500 and a traceback.

    The listeners only ack and spawn, so what fails here is reading the payload; the work itself runs
    in tasks that log their own tracebacks. Set log_level DEBUG to see this one's.
    """
    kind = (body.get("type") or body.get("command")) if isinstance(body, dict) else None
    log.warning("slack: could not handle a %r payload (%s)", str(kind)[:40], type(error).__name__, exc_info=log.isEnabledFor(logging.DEBUG))
    return BoltResponse(status=400, body="")
