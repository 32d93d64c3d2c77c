"""A loopback Discord on 127.0.0.1: just enough REST and gateway for discord.py to log in, connect and answer.

The real library talks to it exactly as it would to Discord, so tests assert on the JSON it sends (and on
the files it uploads, which discord.py sends as multipart: the JSON in `payload_json`, each file a part).
Responses are built by hand because discord.py parses JSON only when the Content-Type is exactly
`application/json` (aiohttp's `json_response` appends a charset).

Channels take messages as Discord does for a bot: a repeated `nonce` with `enforce_nonce` returns the
first message, history comes newest first, some channels answer 403 or 404, and rate limits (global
per second, 5 per 5 s per channel) answer 429 with the headers discord.py reads.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

TOKEN = "fake-bot-token"
APPLICATION_ID = 900_000_000_000_000_001
BOT_USER_ID = 900_000_000_000_000_002
GUILD_ID = 900_000_000_000_000_100
CHANNEL_ID = 900_000_000_000_000_200
ROLE_ID = 900_000_000_000_000_300
USER_ID = 900_000_000_000_000_400
OTHER_USER_ID = 900_000_000_000_000_401
TIMESTAMP = "2026-02-01T12:00:00.000000+00:00"
# Snowflakes carry their creation time and discord.py reads "now" from the interaction's id: start the ids
# at 2026-02-01 12:00 UTC so answers are reproducible (and match conftest's BEFORE).
DISCORD_EPOCH_MS = 1_420_070_400_000
FIRST_ID = (1_769_947_200_000 - DISCORD_EPOCH_MS) << 22
CHAT_INPUT, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
OPTION_TYPES = {"string": 3, "integer": 4, "boolean": 5}
ATTACHMENT = 11
MISSING_PERMISSIONS, UNKNOWN_CHANNEL, INVALID_FORM_BODY = 50013, 10003, 50035
THREAD_ARCHIVED, THREAD_LOCKED = 50083, 160005
# Permission bits, as Discord counts them.
VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, READ_MESSAGE_HISTORY, SEND_MESSAGES_IN_THREADS = 1 << 10, 1 << 11, 1 << 14, 1 << 16, 1 << 38
MANAGE_THREADS = 1 << 34
# What the bot's invite grants: its permissions in every channel unless a test takes some away.
INVITED = VIEW_CHANNEL | SEND_MESSAGES | SEND_MESSAGES_IN_THREADS | EMBED_LINKS | READ_MESSAGE_HISTORY
# Discord's limit on posting in one channel: this many messages per this many seconds.
CHANNEL_LIMIT, CHANNEL_WINDOW = 5, 5.0

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Upload:
    """One file the bot uploaded: its form field (`files[0]`), its name and its bytes."""

    field: str
    filename: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Recorded:
    """One HTTP request the bot made: method, path (no API prefix), query, JSON body and uploaded files."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    files: tuple[Upload, ...] = ()


@dataclass(slots=True)
class FakeDiscord:
    """Plays Discord's REST API and gateway on a random loopback port; records every request."""

    token: str = TOKEN
    requests: list[Recorded] = field(default_factory=list)
    commands: dict[str, list[Json]] = field(default_factory=dict)
    messages: dict[str, Json] = field(default_factory=dict)
    _original: dict[str, str] = field(default_factory=dict)
    identifies: list[Json] = field(default_factory=list)
    _expected: dict[str, asyncio.Future[float]] = field(default_factory=dict)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _port: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(FIRST_ID))
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    files: dict[str, bytes] = field(default_factory=dict)
    downloads: dict[str, int] = field(default_factory=dict)  # attachment id → times the bot fetched it from the CDN
    pushed: list[Json] = field(default_factory=list)
    # Messages posted with POST /channels/{id}/messages (digests, DMs), oldest first, by channel id.
    posted: dict[str, list[Json]] = field(default_factory=dict)
    forbidden: set[str] = field(default_factory=set)  # channels answering 403 Missing Permissions
    missing: set[str] = field(default_factory=set)  # channels answering 404 Unknown Channel
    # Threads whose message POSTs answer 400 with this JSON error code: 50083 (archived), 160005 (locked).
    closed: dict[str, int] = field(default_factory=dict)
    # Discord's clock: the time in new channel messages' ids (a test's fake clock); None: the id counter's.
    clock: Callable[[], datetime] | None = None
    # Bot requests allowed per sliding second (interactions and webhooks are exempt); None: no limit.
    global_limit: int | None = None
    channel_limits: bool = False  # 5 messages per 5 s per channel, with rate limit headers
    # Seconds a channel message POST takes before it posts and answers, like a real round trip.
    post_delay: float = 0.0
    throttled: dict[str, float] = field(default_factory=dict)  # channels answering 429 with this retry_after
    # The next command registration (PUT …/commands) answers 429 with this retry_after, as Discord's daily limit on
    # creating commands does; 0: none.
    commands_limited: float = 0.0
    # Channels whose next message POSTs, this many, answer 502 without posting (an overloaded edge); discord.py retries them.
    server_errors: dict[str, int] = field(default_factory=dict)
    server_error: int = 502  # their status; discord.py raises a 503 at once rather than retry it
    limited: list[Recorded] = field(default_factory=list)  # requests answered 429
    dms: dict[str, str] = field(default_factory=dict)  # user id → DM channel id
    _nonces: dict[tuple[str, str], Json] = field(default_factory=dict)
    _recent: deque[float] = field(default_factory=deque)
    _recent_in: dict[str, deque[float]] = field(default_factory=dict)
    _last_posted: int = 0
    # Ids at the real time (benchmarks measure an interaction's age from its id); tests keep the fixed start.
    live_ids: bool = False
    # Interaction ids whose callback, and attachment ids whose download, are recorded but not answered until `release`
    # is set (a slow round trip).
    held: set[str] = field(default_factory=set)
    # Edits of an interaction's original message answered 400, as Discord answers an edit it will not take.
    refuse_edits: bool = False
    release: asyncio.Event = field(default_factory=asyncio.Event)
    # The bot's permissions in the interaction's channel, sent with every interaction in a server (`app_permissions`).
    app_permissions: int = INVITED

    @property
    def api_base(self) -> str:
        """What the bot's `discord.api_base` setting points at."""
        return f"http://127.0.0.1:{self._port}/api/v10"

    @property
    def gateway(self) -> str:
        """What the bot's `discord.gateway` setting points at."""
        return f"ws://127.0.0.1:{self._port}/gateway/"

    async def start(self) -> None:
        """Listen on an ephemeral loopback port."""
        app = web.Application()
        app.router.add_get("/gateway/", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_get("/cdn/attachments/{id}/{name}", self._cdn)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        """Drop every socket and stop listening."""
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- test helpers -------------------------------------------------------------------------

    def next_id(self) -> str:
        """A fresh snowflake; with `live_ids`, one carrying the real time, as Discord's do."""
        if self.live_ids:
            self._ids = itertools.count(max(next(self._ids), _snowflake(datetime.now(UTC))))
        return str(next(self._ids))

    async def wait_for(self, predicate: Callable[[Recorded], bool], timeout: float = 5.0) -> Recorded:
        """The first recorded request matching `predicate`, waiting up to `timeout` seconds."""

        async def found() -> Recorded:
            async with self._changed:
                while True:
                    for recorded in self.requests:
                        if predicate(recorded):
                            return recorded
                    await self._changed.wait()

        return await asyncio.wait_for(found(), timeout)

    async def wait_identified(self, count: int = 1, timeout: float = 5.0) -> None:
        """Until `count` IDENTIFY frames have arrived in total."""

        async def done() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.identifies) >= count)

        await asyncio.wait_for(done(), timeout)

    def expect(self, path: str) -> asyncio.Future[float]:
        """A future set to `time.perf_counter()` when a request for `path` arrives (for latency benchmarks)."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._expected[path] = future
        return future

    async def reset_token(self) -> None:
        """The token reset in the developer portal while the bot runs: REST answers 401, the gateway closes with 4004."""
        self.token = "reset-in-the-developer-portal"
        for socket in list(self._sockets):
            await socket.close(code=4004, message=b"Authentication failed.")

    async def push(self, event: str, data: Json) -> None:
        """Send one DISPATCH event down every connected gateway socket."""
        if event == "INTERACTION_CREATE":
            self.pushed.append(data)
        frame = json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data})
        for socket in list(self._sockets):
            if not socket.closed:
                await socket.send_str(frame)

    async def interact(self, payload: Json, timeout: float = 5.0) -> Json:
        """Push an INTERACTION_CREATE and return the JSON the bot POSTs to its callback."""
        await self.push("INTERACTION_CREATE", payload)
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        recorded = await self.wait_for(lambda r: r.method == "POST" and r.path == path, timeout)
        return recorded.body

    async def followups(self, payload: Json, timeout: float = 5.0) -> Recorded:
        """The first webhook request (followup or @original edit) the bot made for an interaction."""
        prefix = f"/webhooks/{APPLICATION_ID}/{payload['token']}"
        return await self.wait_for(lambda r: r.path.startswith(prefix), timeout)

    def unanswered(self) -> list[Json]:
        """Interactions pushed so far that the bot has not answered (Discord would say "This interaction failed")."""
        answered = {r.path for r in self.requests if r.method == "POST"}
        return [p for p in self.pushed if f"/interactions/{p['id']}/{p['token']}/callback" not in answered]

    def embeds_in(self, channel_id: int | str) -> list[Json]:
        """Every embed posted in a channel, oldest first."""
        return [embed for message in self.posted.get(str(channel_id), []) for embed in message["embeds"]]

    def message_of(self, payload: Json) -> Json:
        """The message (as Discord now holds it) that answering the interaction `payload` created."""
        return self.messages[self._original[payload["token"]]]

    def command(self, name: str, options: dict[str, Any] | None = None, **who: Any) -> Json:
        """An INTERACTION_CREATE payload for `/name option:value …` (type 2); an attachment option's value is `attach()`'s."""
        data: Json = {"id": self._command_id(name), "name": name, "type": 1, "options": _options(options or {})}
        uploads = {value["id"]: value for value in (options or {}).values() if isinstance(value, dict)}
        if uploads:
            data["resolved"] = {"attachments": uploads}
        return self._interaction(CHAT_INPUT, data, **who)

    def attach(self, filename: str, content: bytes, *, size: int | None = None) -> Json:
        """An uploaded file served by the fake's CDN route; `size` may lie, as a client could."""
        attachment_id = self.next_id()
        self.files[attachment_id] = content
        url = f"http://127.0.0.1:{self._port}/cdn/attachments/{attachment_id}/{filename}"
        return {"id": attachment_id, "filename": filename, "size": len(content) if size is None else size, "url": url, "proxy_url": url}

    def submit(self, modal: Json, values: dict[str, str], **who: Any) -> Json:
        """A type 5 payload: the user filled in the modal (a type 9 callback's data) and pressed Submit.

        Inputs not named in `values` come back with the text they were opened with, as in Discord. A required input
        (Discord's default) left empty fails here: Discord's client greys out Submit, so the bot would never hear of it.
        """

        def answered(component: Json) -> Json:
            if component["type"] == 4:
                value = values.get(component["custom_id"], component.get("value", ""))
                assert value or not component.get("required", True), f"Discord sends no modal whose required {component['custom_id']!r} is empty"
                return {"type": 4, "custom_id": component["custom_id"], "value": value}
            if component["type"] == 18:
                return {"type": 18, "component": answered(component["component"])}
            return {"type": component["type"], "components": [answered(c) for c in component.get("components", [])]}

        data = {"custom_id": modal["custom_id"], "components": [answered(c) for c in modal["components"]]}
        return self._interaction(MODAL_SUBMIT, data, **who)

    def autocomplete(self, name: str, option: str, current: str, others: dict[str, Any] | None = None, **who: Any) -> Json:
        """A type 4 payload: the user is typing `current` into `option`."""
        options = [*_options(others or {}), {"name": option, "type": 3, "value": current, "focused": True}]
        data = {"id": self._command_id(name), "name": name, "type": 1, "options": options}
        return self._interaction(AUTOCOMPLETE, data, **who)

    def click(self, message: Json, custom_id: str, **who: Any) -> Json:
        """A type 3 payload: the user pressed the button `custom_id` on `message`."""
        payload = self._interaction(COMPONENT, {"custom_id": custom_id, "component_type": 2}, message=message, **who)
        self._original[payload["token"]] = message["id"]
        return payload

    def pick(self, message: Json, custom_id: str, values: list[str], **who: Any) -> Json:
        """A type 3 payload: the user chose `values` in the select menu `custom_id` on `message`."""
        payload = self._interaction(COMPONENT, {"custom_id": custom_id, "component_type": 3, "values": values}, message=message, **who)
        self._original[payload["token"]] = message["id"]
        return payload

    def thread(self, *, archived: bool = False, locked: bool = False) -> Json:
        """A public thread in #general, as an interaction run in it carries its channel (`command(..., channel=…)`)."""
        return {
            "id": self.next_id(), "type": 11, "guild_id": str(GUILD_ID), "parent_id": str(CHANNEL_ID), "owner_id": str(USER_ID),
            "name": "Summit thread", "message_count": 0, "member_count": 1, "rate_limit_per_user": 0, "flags": 0,
            "thread_metadata": {"archived": archived, "auto_archive_duration": 1440, "archive_timestamp": TIMESTAMP, "locked": locked},
        }

    def _command_id(self, name: str) -> str:
        for registered in itertools.chain.from_iterable(self.commands.values()):
            if registered["name"] == name:
                return str(registered["id"])
        return self.next_id()

    def _interaction(
        self,
        kind: int,
        data: Json,
        *,
        user_id: int = USER_ID,
        roles: tuple[int, ...] = (ROLE_ID,),
        permissions: int = 0,
        locale: str = "en-US",
        guild_locale: str = "en-US",
        in_guild: bool = True,
        message: Json | None = None,
        channel: Json | None = None,
    ) -> Json:
        user = _user(user_id)
        payload: Json = {
            "id": self.next_id(),
            "application_id": str(APPLICATION_ID),
            "type": kind,
            "data": data,
            "token": f"tok{self.next_id()}",
            "version": 1,
            "locale": locale,
            "attachment_size_limit": 10_485_760,
            "app_permissions": str(self.app_permissions if in_guild else 0),
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0 if in_guild else 1,
            "channel_id": str(CHANNEL_ID),
        }
        if in_guild:
            payload["guild_id"] = str(GUILD_ID)
            payload["guild_locale"] = guild_locale
            # Another channel of the server (`thread()`), else #general.
            payload["channel"] = channel or {"id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID), "name": "general", "position": 0}
            payload["channel_id"] = payload["channel"]["id"]
            payload["member"] = {
                "user": user,
                "roles": [str(role) for role in roles],
                "joined_at": TIMESTAMP,
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": str(permissions),
            }
        else:
            payload["channel"] = {"id": str(CHANNEL_ID), "type": 1, "recipients": [user]}
            payload["user"] = user
        if message is not None:
            payload["message"] = message
        return payload

    # ---- gateway ------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41_250}}))
        try:
            async for frame in socket:
                if frame.type != WSMsgType.TEXT:
                    continue
                message = json.loads(frame.data)
                if message["op"] == 1:
                    await socket.send_str(json.dumps({"op": 11}))
                elif message["op"] == 2:
                    await self._identify(socket, message["d"])
        finally:
            self._sockets.remove(socket)
        return socket

    async def _identify(self, socket: web.WebSocketResponse, data: Json) -> None:
        if data.get("token") != self.token:
            await socket.close(code=4004, message=b"Authentication failed.")
            return
        shard = data.get("shard") or [0, 1]
        ready = {
            "v": 10,
            "user": _bot_user(),
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}] if (GUILD_ID >> 22) % shard[1] == shard[0] else [],
            "session_id": f"session-{self.next_id()}",
            "resume_gateway_url": self.gateway,
            "shard": shard,
            "application": {"id": str(APPLICATION_ID), "flags": 0},
        }
        await socket.send_str(json.dumps({"op": 0, "t": "READY", "s": next(self._seq), "d": ready}))
        if ready["guilds"]:
            await socket.send_str(json.dumps({"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": _guild()}))
        async with self._changed:
            self.identifies.append(data)
            self._changed.notify_all()

    # ---- REST ---------------------------------------------------------------------------------

    async def _cdn(self, request: web.Request) -> web.Response:
        attachment_id = request.match_info["id"]
        content = self.files.get(attachment_id)
        self.downloads[attachment_id] = self.downloads.get(attachment_id, 0) + 1
        async with self._changed:
            self.requests.append(Recorded(request.method, request.path, dict(request.query), None))
            self._changed.notify_all()
        if attachment_id in self.held:
            await self.release.wait()
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content, headers={"Content-Type": "application/octet-stream"})

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        expected = self._expected.pop(path, None)
        if expected is not None and not expected.done():
            expected.set_result(time.perf_counter())
        body, uploads = await _read_body(request)
        recorded = Recorded(request.method, path, dict(request.query), body, uploads)
        async with self._changed:
            self.requests.append(recorded)
            self._changed.notify_all()
        interaction = path.startswith(("/webhooks/", "/interactions/"))
        if not interaction and request.headers.get("Authorization") != f"Bot {self.token}":
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        refused = None if interaction else self._refusal(recorded)
        if refused is not None:
            return refused
        if self.post_delay and request.method == "POST" and re.fullmatch(r"/channels/\d+/messages", path):
            await asyncio.sleep(self.post_delay)
        if path.startswith("/interactions/") and path.split("/")[2] in self.held:
            await self.release.wait()
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, path)
            if match and request.method == method:
                return handler(recorded, *match.groups())
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _routes(self) -> list[tuple[str, str, Callable[..., web.Response]]]:
        return [
            ("GET", r"/users/@me", lambda r: _json(_bot_user())),
            ("GET", r"/users/(\d+)", lambda r, user: _json(_user(int(user)))),
            ("POST", r"/users/@me/channels", lambda r: self._open_dm(str(r.body["recipient_id"]))),
            ("GET", r"/(?:oauth2/)?applications/@me", lambda r: _json(_application())),
            ("GET", r"/gateway/bot", lambda r: _json({"url": self.gateway, "shards": 1, "session_start_limit": _limit()})),
            ("GET", r"/gateway", lambda r: _json({"url": self.gateway})),
            ("GET", r"/applications/(\d+)/commands", lambda r, app: _json(self.commands.get("global", []))),
            ("PUT", r"/applications/(\d+)/commands", lambda r, app: self._put_commands("global", r.body)),
            ("GET", r"/applications/(\d+)/guilds/(\d+)/commands", lambda r, app, guild: _json(self.commands.get(guild, []))),
            ("PUT", r"/applications/(\d+)/guilds/(\d+)/commands", lambda r, app, guild: self._put_commands(guild, r.body)),
            ("POST", r"/channels/(\d+)/messages", lambda r, channel: self._post(channel, r.body)),
            ("GET", r"/channels/(\d+)/messages", lambda r, channel: self._history(channel, r.query)),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", lambda r, interaction, token: self._callback(r.body, interaction, token)),
            ("POST", r"/webhooks/(\d+)/([^/]+)", lambda r, app, token: self._store_message(token, r.body, ephemeral=False)),
            ("PATCH", r"/webhooks/(\d+)/([^/]+)/messages/@original", lambda r, app, token: self._edit(token, r.body)),
            ("DELETE", r"/webhooks/(\d+)/([^/]+)/messages/@original", lambda r, app, token: web.Response(status=204)),
        ]

    # ---- channels: refusals, rate limits, messages, history, DMs ---------------------------------

    def _refusal(self, recorded: Recorded) -> web.Response | None:
        """A 403, 404, 400 (a closed thread), 5xx or 429 that Discord would answer instead of doing the request; None to go ahead."""
        match = re.fullmatch(r"/channels/(\d+)/messages", recorded.path)
        channel = match.group(1) if match else ""
        if channel in self.forbidden:
            return _json({"message": "Missing Permissions", "code": MISSING_PERMISSIONS}, status=403)
        if channel in self.missing:
            return _json({"message": "Unknown Channel", "code": UNKNOWN_CHANNEL}, status=404)
        posting = bool(channel) and recorded.method == "POST"
        if posting and channel in self.closed:
            code = self.closed[channel]
            return _json({"message": "Thread is archived" if code == THREAD_ARCHIVED else "Thread is locked", "code": code}, status=400)
        if posting and self.server_errors.get(channel):
            self.server_errors[channel] -= 1
            return _json({"message": f"{self.server_error}: Server Error", "code": 0}, status=self.server_error)
        if posting and channel in self.throttled:
            return self._too_many(recorded, self.throttled[channel], scope="user", bucket=channel)
        now = time.monotonic()
        if self.global_limit is not None:
            _forget(self._recent, now - 1.0)
            if len(self._recent) >= self.global_limit:
                return self._too_many(recorded, self._recent[0] + 1.0 - now, scope="global")
        if posting and self.channel_limits:
            recent = _forget(self._recent_in.setdefault(channel, deque()), now - CHANNEL_WINDOW)
            if len(recent) >= CHANNEL_LIMIT:
                return self._too_many(recorded, recent[0] + CHANNEL_WINDOW - now, scope="user", bucket=channel)
            recent.append(now)
        if self.global_limit is not None:
            self._recent.append(now)
        return None

    def _too_many(self, recorded: Recorded, retry_after: float, *, scope: str, bucket: str = "") -> web.Response:
        """A 429 as Discord sends it; without `Via`, discord.py would take it for a Cloudflare ban."""
        self.limited.append(recorded)
        retry_after = round(max(retry_after, 0.001), 3)
        headers = {"Retry-After": str(math.ceil(retry_after)), "X-RateLimit-Scope": scope, "Via": "1.1 google"}
        if scope == "global":
            headers["X-RateLimit-Global"] = "true"
        else:
            headers.update(_bucket_headers(bucket, 0, retry_after))
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": scope == "global"}
        return _json(body, headers=headers, status=429)

    def _post(self, channel: str, body: Json) -> web.Response:
        """A new message, or with `enforce_nonce` the one already posted with that nonce (nothing new).

        Discord forgets a nonce after a few minutes; the fake never does, so tests that must see no
        resend count the POSTs rather than the messages.
        """
        nonce = body.get("nonce")
        key = (channel, str(nonce))
        if nonce is not None and body.get("enforce_nonce") and key in self._nonces:
            return _json(self._nonces[key], headers=self._posted_headers(channel))
        moment = self.clock() if self.clock is not None else None
        self._last_posted = max(self._last_posted + 1, _snowflake(moment) if moment else int(self.next_id()))
        message = {
            **_message_shell(),
            "id": str(self._last_posted),
            "channel_id": channel,
            "author": _bot_user(),
            "content": body.get("content") or "",
            "timestamp": moment.astimezone(UTC).isoformat() if moment else TIMESTAMP,
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "type": 0,
            "flags": 0,
            "nonce": nonce,
        }
        self.posted.setdefault(channel, []).append(message)
        if nonce is not None:
            self._nonces[key] = message
        return _json(message, headers=self._posted_headers(channel))

    def _posted_headers(self, channel: str) -> dict[str, str]:
        """The bucket headers of a post when per-channel limits are on, so discord.py paces itself as with Discord."""
        if not self.channel_limits:
            return {}
        return _bucket_headers(channel, CHANNEL_LIMIT - len(self._recent_in.get(channel, ())), CHANNEL_WINDOW)

    def _history(self, channel: str, query: dict[str, str]) -> web.Response:
        """GET /channels/{id}/messages: with `after`, the oldest `limit` after it; else the newest; newest first."""
        messages = self.posted.get(channel, [])
        limit = int(query.get("limit", 50))
        found = [m for m in messages if int(m["id"]) > int(query["after"])][:limit] if "after" in query else messages[-limit:]
        return _json(found[::-1])

    def _open_dm(self, user_id: str) -> web.Response:
        """POST /users/@me/channels: the DM channel with a user, the same one each time."""
        channel = self.dms.setdefault(user_id, self.next_id())
        return _json({"id": channel, "type": 1, "recipients": [_user(int(user_id))], "last_message_id": None})

    def _put_commands(self, scope: str, body: list[Json]) -> web.Response:
        if self.commands_limited:
            retry_after, self.commands_limited = self.commands_limited, 0.0
            return self._too_many(self.requests[-1], retry_after, scope="user", bucket="commands")
        registered = [{**command, "id": self.next_id(), "application_id": str(APPLICATION_ID), "version": "1"} for command in body]
        self.commands[scope] = registered
        return _json(registered)

    def _callback(self, body: Json, interaction_id: str, token: str) -> web.Response:
        kind = body["type"]
        if kind == 9 and (refusal := _overlong_input(body.get("data") or {})) is not None:
            return refusal
        reply: Json = {"interaction": {"id": interaction_id, "type": 2}}
        if kind in (4, 5):  # a new message, or a "thinking…" placeholder for one
            data = body.get("data") or {}
            message = self._store_message(token, data, ephemeral=bool(data.get("flags", 0) & 64), raw=True)
            reply["interaction"].update(response_message_id=message["id"], response_message_loading=kind == 5)
            reply["resource"] = {"type": kind, "message": message}
        elif kind in (6, 7):  # acknowledge or update the message the component sits on
            original = self.messages.get(self._original.get(token, ""))
            if original is not None and kind == 7:
                original.update({k: v for k, v in (body.get("data") or {}).items() if k in ("content", "embeds", "components")})
            if original is not None:
                reply["interaction"]["response_message_id"] = original["id"]
                reply["resource"] = {"type": kind, "message": original}
        return _json(reply)

    def _store_message(self, token: str, data: Json, *, ephemeral: bool, raw: bool = False) -> Any:
        message = {
            **_message_shell(),
            "id": self.next_id(),
            "channel_id": str(CHANNEL_ID),
            "author": _bot_user(),
            "content": data.get("content") or "",
            "embeds": data.get("embeds") or [],
            "components": data.get("components") or [],
            "type": 20,
            "flags": 64 if ephemeral or data.get("flags", 0) & 64 else 0,
            "interaction_metadata": {"id": self.next_id(), "type": 2, "user": {"id": str(USER_ID), "username": "user", "discriminator": "0", "avatar": None}},
        }
        self.messages[message["id"]] = message
        self._original.setdefault(token, message["id"])
        return message if raw else _json(message)

    def _edit(self, token: str, body: Json) -> web.Response:
        if self.refuse_edits:
            return _json({"message": "Invalid Form Body", "code": INVALID_FORM_BODY}, status=400)
        original = self._original.get(token)
        message = self.messages[original] if original else self._store_message(token, {}, ephemeral=False, raw=True)
        message.update({k: v for k, v in body.items() if k in ("content", "embeds", "components")})
        return _json(message)


async def _read_body(request: web.Request) -> tuple[Any, tuple[Upload, ...]]:
    """The JSON body, or for a multipart request (files) the JSON in `payload_json` and every other part as a file."""
    if not request.can_read_body:
        return None, ()
    if request.content_type != "multipart/form-data":
        return await request.json(), ()
    body: Any = None
    uploads = []
    async for part in await request.multipart():
        if not isinstance(part, BodyPartReader):
            continue  # discord.py never nests multiparts
        if part.name == "payload_json":
            body = json.loads(await part.text())
        else:
            uploads.append(Upload(part.name or "", part.filename or "", bytes(await part.read())))
    return body, tuple(uploads)


def _overlong_input(modal: Json) -> web.Response | None:
    """A 400 as Discord answers a modal whose text input opens with a value beyond its max_length; None if all fit."""
    for n, label in enumerate(modal.get("components", [])):
        component = label.get("component") or {}
        limit = component.get("max_length", 4000)
        if component.get("type") == 4 and len(component.get("value") or "") > limit:
            bad = {"_errors": [{"code": "BASE_TYPE_BAD_LENGTH", "message": f"Must be between 0 and {limit} in length."}]}
            errors = {"data": {"components": {str(n): {"component": {"value": bad}}}}}
            return _json({"message": "Invalid Form Body", "code": INVALID_FORM_BODY, "errors": errors}, status=400)
    return None


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON response whose Content-Type is exactly what discord.py checks for."""
    return web.Response(body=json.dumps(data).encode(), status=status, headers={**(headers or {}), "Content-Type": "application/json"})


def _forget(stamps: deque[float], before: float) -> deque[float]:
    """Drop the times that left the sliding window."""
    while stamps and stamps[0] <= before:
        stamps.popleft()
    return stamps


def _bucket_headers(channel: str, remaining: int, reset_after: float) -> dict[str, str]:
    """The per-route rate limit headers Discord sends with a channel's messages."""
    return {
        "X-RateLimit-Limit": str(CHANNEL_LIMIT),
        "X-RateLimit-Remaining": str(max(remaining, 0)),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": f"channel-messages-{channel}",
    }


def _snowflake(moment: datetime) -> int:
    """The first id Discord could give at `moment`."""
    return (int(moment.timestamp() * 1000) - DISCORD_EPOCH_MS) << 22


def _message_shell() -> Json:
    """The fields every message has that the tests never vary."""
    return {
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "pinned": False,
    }


def _options(options: dict[str, Any]) -> list[Json]:
    """Slash-command options with the type Discord would send for each Python value."""
    kinds = {bool: 5, int: 4, str: 3}
    return [
        {"name": name, "type": ATTACHMENT, "value": value["id"]} if isinstance(value, dict) else {"name": name, "type": kinds[type(value)], "value": value}
        for name, value in options.items()
    ]


def _user(user_id: int) -> Json:
    return {"id": str(user_id), "username": f"user{user_id % 1000}", "discriminator": "0", "avatar": None, "global_name": None}


def _bot_user() -> Json:
    return {"id": str(BOT_USER_ID), "username": "briefbot", "discriminator": "0", "avatar": None, "bot": True, "global_name": None, "flags": 0}


def _application() -> Json:
    return {
        "id": str(APPLICATION_ID),
        "name": "briefbot",
        "icon": None,
        "description": "",
        "rpc_origins": [],
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": {"id": str(USER_ID), "username": "owner", "discriminator": "0", "avatar": None},
        "summary": "",
        "verify_key": "0" * 64,
        "team": None,
        "flags": 0,
    }


def _limit() -> Json:
    return {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}


def _guild() -> Json:
    everyone = {"id": str(GUILD_ID), "name": "@everyone", "permissions": "0", "position": 0, "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}
    member_role = {**everyone, "id": str(ROLE_ID), "name": "briefers", "position": 1}
    return {
        "id": str(GUILD_ID),
        "name": "Loopback guild",
        "icon": None,
        "owner_id": str(OTHER_USER_ID),
        "roles": [everyone, member_role],
        "channels": [{"id": str(CHANNEL_ID), "type": 0, "name": "general", "position": 0, "permission_overwrites": []}],
        "members": [],
        "member_count": 2,
        "features": [],
        "emojis": [],
        "stickers": [],
        "threads": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "voice_states": [],
        "presences": [],
        "unavailable": False,
        "large": False,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "premium_tier": 0,
        "system_channel_flags": 0,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
        "joined_at": TIMESTAMP,
    }
