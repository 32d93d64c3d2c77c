"""A loopback Discord on 127.0.0.1: just enough REST and gateway for discord.py to log in, connect and answer.

The real library talks to it exactly as it would to Discord, so tests assert on the JSON it sends (and on
the files it uploads, which discord.py sends as multipart: the JSON in `payload_json`, each file a part).
Responses are built by hand because discord.py parses JSON only when the Content-Type is exactly
`application/json` (aiohttp's `json_response` appends a charset).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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
FIRST_ID = (1_769_947_200_000 - 1_420_070_400_000) << 22
CHAT_INPUT, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
OPTION_TYPES = {"string": 3, "integer": 4, "boolean": 5}
ATTACHMENT = 11

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
    pushed: list[Json] = field(default_factory=list)

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
        """A fresh snowflake."""
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

        Inputs not named in `values` come back with the text they were opened with, as in Discord.
        """

        def answered(component: Json) -> Json:
            if component["type"] == 4:
                return {"type": 4, "custom_id": component["custom_id"], "value": values.get(component["custom_id"], component.get("value", ""))}
            if component["type"] == 18:
                return {"type": 18, "component": answered(component["component"])}
            return {"type": component["type"], "components": [answered(c) for c in component.get("components", [])]}

        data = {"custom_id": modal["custom_id"], "components": [answered(c) for c in modal["components"]]}
        return self._interaction(MODAL_SUBMIT, data, **who)

    def autocomplete(self, name: str, option: str, current: str, others: dict[str, Any] | None = None, **who: Any) -> Json:
        """A type 4 payload: the user is typing `current` into `option`."""
        options = _options(others or {}) + [{"name": option, "type": 3, "value": current, "focused": True}]
        data = {"id": self._command_id(name), "name": name, "type": 1, "options": options}
        return self._interaction(AUTOCOMPLETE, data, **who)

    def click(self, message: Json, custom_id: str, **who: Any) -> Json:
        """A type 3 payload: the user pressed the button `custom_id` on `message`."""
        payload = self._interaction(COMPONENT, {"custom_id": custom_id, "component_type": 2}, message=message, **who)
        self._original[payload["token"]] = message["id"]
        return payload

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
        in_guild: bool = True,
        message: Json | None = None,
    ) -> Json:
        user = {"id": str(user_id), "username": f"user{user_id % 1000}", "discriminator": "0", "avatar": None, "global_name": None}
        payload: Json = {
            "id": self.next_id(),
            "application_id": str(APPLICATION_ID),
            "type": kind,
            "data": data,
            "token": f"tok{self.next_id()}",
            "version": 1,
            "locale": locale,
            "attachment_size_limit": 10_485_760,
            "app_permissions": "0",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0 if in_guild else 1,
            "channel_id": str(CHANNEL_ID),
        }
        if in_guild:
            payload["guild_id"] = str(GUILD_ID)
            payload["guild_locale"] = "en-US"
            payload["channel"] = {"id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID), "name": "general", "position": 0}
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
        content = self.files.get(request.match_info["id"])
        async with self._changed:
            self.requests.append(Recorded(request.method, request.path, dict(request.query), None))
            self._changed.notify_all()
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content, headers={"Content-Type": "application/octet-stream"})

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        expected = self._expected.pop(path, None)
        if expected is not None and not expected.done():
            expected.set_result(time.perf_counter())
        body, uploads = await _read_body(request)
        async with self._changed:
            self.requests.append(Recorded(request.method, path, dict(request.query), body, uploads))
            self._changed.notify_all()
        if not path.startswith(("/webhooks/", "/interactions/")) and request.headers.get("Authorization") != f"Bot {self.token}":
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, path)
            if match and request.method == method:
                return handler(body, *match.groups())
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _routes(self) -> list[tuple[str, str, Callable[..., web.Response]]]:
        return [
            ("GET", r"/users/@me", lambda body: _json(_bot_user())),
            ("GET", r"/(?:oauth2/)?applications/@me", lambda body: _json(_application())),
            ("GET", r"/gateway/bot", lambda body: _json({"url": self.gateway, "shards": 1, "session_start_limit": _limit()})),
            ("GET", r"/gateway", lambda body: _json({"url": self.gateway})),
            ("GET", r"/applications/(\d+)/commands", lambda body, app: _json(self.commands.get("global", []))),
            ("PUT", r"/applications/(\d+)/commands", lambda body, app: self._put_commands("global", body)),
            ("GET", r"/applications/(\d+)/guilds/(\d+)/commands", lambda body, app, guild: _json(self.commands.get(guild, []))),
            ("PUT", r"/applications/(\d+)/guilds/(\d+)/commands", lambda body, app, guild: self._put_commands(guild, body)),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback),
            ("POST", r"/webhooks/(\d+)/([^/]+)", lambda body, app, token: self._store_message(token, body, ephemeral=False)),
            ("PATCH", r"/webhooks/(\d+)/([^/]+)/messages/@original", lambda body, app, token: self._edit(token, body)),
            ("DELETE", r"/webhooks/(\d+)/([^/]+)/messages/@original", lambda body, app, token: web.Response(status=204)),
        ]

    def _put_commands(self, scope: str, body: list[Json]) -> web.Response:
        registered = [{**command, "id": self.next_id(), "application_id": str(APPLICATION_ID), "version": "1"} for command in body]
        self.commands[scope] = registered
        return _json(registered)

    def _callback(self, body: Json, interaction_id: str, token: str) -> web.Response:
        kind = body["type"]
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
            "id": self.next_id(),
            "channel_id": str(CHANNEL_ID),
            "author": _bot_user(),
            "content": data.get("content") or "",
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": data.get("embeds") or [],
            "components": data.get("components") or [],
            "pinned": False,
            "type": 20,
            "flags": 64 if ephemeral or data.get("flags", 0) & 64 else 0,
            "interaction_metadata": {"id": self.next_id(), "type": 2, "user": {"id": str(USER_ID), "username": "user", "discriminator": "0", "avatar": None}},
        }
        self.messages[message["id"]] = message
        self._original.setdefault(token, message["id"])
        return message if raw else _json(message)

    def _edit(self, token: str, body: Json) -> web.Response:
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


def _json(data: Any, status: int = 200) -> web.Response:
    """A JSON response whose Content-Type is exactly what discord.py checks for."""
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


def _options(options: dict[str, Any]) -> list[Json]:
    """Slash-command options with the type Discord would send for each Python value."""
    kinds = {bool: 5, int: 4, str: 3}
    return [
        {"name": name, "type": ATTACHMENT, "value": value["id"]} if isinstance(value, dict) else {"name": name, "type": kinds[type(value)], "value": value}
        for name, value in options.items()
    ]


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
