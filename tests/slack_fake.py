"""A loopback Slack: the Web API, response_url hooks, file uploads and a Socket Mode websocket on 127.0.0.1.

Every request is recorded so tests can assert on exactly what the real slack_sdk sent. Messages
posted with chat.postMessage are kept per channel (with their metadata) and read back by
conversations.history, newest first, as Slack does.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_USER = "UBOT"
TEAM = "T0001"
# What apps.connections.open puts in the Socket Mode URL: a credential for that connection, never to be logged.
SOCKET_TICKET = "ticket-0f5e-secret"
TRIGGER_SECONDS = 3.0  # how long Slack takes a trigger_id to open a modal (api.slack.com/interactivity/handling#modal_responses)


@dataclass(frozen=True)
class Recorded:
    """One request Slack received: which API (or hook), its headers and decoded body."""

    http_method: str
    api: str
    headers: dict[str, str]
    query: dict[str, str]
    body: Any
    at: float


@dataclass
class FakeSlack:
    """Plays Slack for one test; start with `async with FakeSlack() as slack`."""

    users: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # None: users.info fails for them
    # Uploaded files by id: (name, content); served at url_private to a request with a bearer token.
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # Where files.completeUploadExternal shared each file: file id -> channel ids.
    shares: dict[str, list[str]] = field(default_factory=dict)
    # What the upload URL from files.getUploadURLExternal answers; set to 500 to fail uploads.
    upload_status: int = 200
    # Messages by channel id, oldest first; a post to a user id lands in their DM with the app.
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Channels that answer chat.postMessage and conversations.history with this error code.
    channel_errors: dict[str, str] = field(default_factory=dict)
    # When set, conversations.history answers every call with this error (e.g. missing_scope).
    history_error: str = ""
    # When set, conversations.info answers every call with this error (e.g. missing_scope: no channels:read).
    info_error: str = ""
    # When set, auth.test answers with this error (e.g. invalid_auth: a revoked token).
    auth_error: str = ""
    # When not 200, auth.test answers with this HTTP status and a page that is not JSON (Slack down behind its load balancer).
    auth_status: int = 200
    # The bot user's name, as auth.test gives it (what /invite @ finds).
    bot_name: str = "briefbot"
    # When set, a channel takes one message per this many (real) seconds; a faster one gets a 429.
    channel_gap: float | None = None
    # APIs whose every call sees the connection drop unanswered (a network failing).
    dropped: set[str] = field(default_factory=set)
    # Channels whose chat.postMessage is stored, then answered with this HTTP status (a 5xx after posting).
    post_status: dict[str, int] = field(default_factory=dict)
    # The next this many chat.postMessage calls are stored, then the connection drops unanswered.
    lost_posts: int = 0
    # Seconds chat.postMessage takes before it posts and answers, like a real network round trip.
    post_delay: float = 0.0
    # APIs that answer only once their event is set (e.g. users.info), to show what does not wait for them.
    held: dict[str, asyncio.Event] = field(default_factory=dict)
    # When set, the Socket Mode link answers its handshake with this HTTP status instead of a WebSocket (a ticket refused).
    handshake_status: int = 0
    # Seconds since the epoch for message timestamps; tests with a simulated clock replace it.
    clock: Callable[[], float] = time.time
    requests: list[Recorded] = field(default_factory=list)
    acks: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    # trigger_ids handed out by `trigger()`, with when: views.open answers expired_trigger_id once TRIGGER_SECONDS pass.
    triggers: dict[str, float] = field(default_factory=dict)
    _limits: dict[str, list[int]] = field(default_factory=dict)
    _last_post: dict[str, float] = field(default_factory=dict)
    _waiters: list[tuple[Callable[[Recorded], bool], asyncio.Future[Recorded]]] = field(default_factory=list)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _awaiting_upload: dict[str, str] = field(default_factory=dict)
    _file_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    port: int = 0

    async def __aenter__(self) -> FakeSlack:
        app = web.Application()
        app.add_routes(
            [
                web.route("*", "/api/{method}", self._api),
                web.post("/hooks/{name}", self._hook),
                web.get("/files/{file_id}", self._file),
                web.post("/upload/{file_id}", self._upload),
                web.get("/link", self._socket),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, *_: object) -> None:
        for ws in self._sockets:
            await ws.close()
        assert self._runner is not None
        await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """What settings.slack.api_base points at."""
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A response_url to put in a payload; posts to it are recorded as api `hook/<name>`."""
        return f"http://127.0.0.1:{self.port}/hooks/{name}"

    def rate_limit(self, api: str, *retry_after: int) -> None:
        """Answer the next calls of `api` with 429 and these Retry-After values, in order."""
        self._limits.setdefault(api, []).extend(retry_after)

    def trigger(self) -> str:
        """A fresh trigger_id for a payload, which opens a modal only within TRIGGER_SECONDS as Slack's does."""
        trigger_id = f"{len(self.triggers) + 1}.42.fresh"
        self.triggers[trigger_id] = time.monotonic()
        return trigger_id

    def post(self, channel: str, text: str, **fields: Any) -> str:
        """A message in `channel` as if someone (not the app) posted it; its ts."""
        return self._store(channel, {"type": "message", "user": USER, "text": text, **fields})

    def calls(self, api: str) -> list[Recorded]:
        """Every recorded request to `api` (e.g. `chat.postMessage` or `hook/r1`), oldest first."""
        return [r for r in self.requests if r.api == api]

    async def wait_for(self, api: str, count: int = 1, timeout: float = 5.0) -> list[Recorded]:
        """The first `count` requests to `api`, waiting up to `timeout` seconds for them."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.calls(api)) < count:
            future: asyncio.Future[Recorded] = loop.create_future()
            self._waiters.append((lambda r: r.api == api, future))
            await asyncio.wait_for(future, max(0.0, deadline - loop.time()))
        return self.calls(api)[:count]

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to the connected app."""
        await asyncio.wait_for(self.connected.wait(), 5)
        await self._sockets[-1].send_str(json.dumps(envelope))

    def _record(self, request: web.Request, api: str, body: Any) -> None:
        recorded = Recorded(request.method, api, dict(request.headers), dict(request.query), body, time.monotonic())
        self.requests.append(recorded)
        for wanted, future in list(self._waiters):
            if wanted(recorded) and not future.done():
                future.set_result(recorded)
                self._waiters.remove((wanted, future))

    async def _api(self, request: web.Request) -> web.Response:
        api = request.match_info["method"]
        body = await _decode(request)
        self._record(request, api, body)
        if api in self.held:
            await self.held[api].wait()
        if api in self.dropped:
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if api == "auth.test" and self.auth_status != 200:
            return web.Response(status=self.auth_status, text="<html>upstream unavailable</html>", content_type="text/html")
        pending = self._limits.get(api)
        if pending:
            retry_after = pending.pop(0)
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(retry_after)})
        if api == "chat.postMessage":
            if self.post_delay:
                await asyncio.sleep(self.post_delay)
            return self._post_message(request, body)
        return web.json_response(self._answer(api, request, body))

    def _post_message(self, request: web.Request, body: dict[str, Any]) -> web.Response:
        """chat.postMessage: refused, rate limited per channel, or stored (and maybe its answer lost)."""
        channel = dm_channel(str(body.get("channel", "")))
        if channel in self.channel_errors:
            return web.json_response({"ok": False, "error": self.channel_errors[channel]})
        if self.channel_gap is not None:
            now, last = time.monotonic(), self._last_post.get(channel)
            if last is not None and now - last < self.channel_gap:
                wait = max(1, round(self.channel_gap - (now - last)))
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(wait)})
            self._last_post[channel] = now
        fields = {key: body[key] for key in ("text", "blocks", "metadata") if key in body}
        ts = self._store(channel, {"type": "message", "user": BOT_USER, "bot_id": "B0001", "app_id": "A0001", **fields})
        if channel in self.post_status:
            return web.json_response({"ok": False, "error": "internal_error"}, status=self.post_status[channel])
        if self.lost_posts:
            self.lost_posts -= 1
            assert request.transport is not None
            request.transport.close()  # the client sees the server disconnect before any answer
        return web.json_response({"ok": True, "channel": channel, "ts": ts, "message": self.messages[channel][-1]})

    def _store(self, channel: str, message: dict[str, Any]) -> str:
        """Keep a message with a ts unique in its channel and never older than the channel's last one."""
        kept = self.messages.setdefault(channel, [])
        stamp = self.clock()
        if kept:
            stamp = max(stamp, float(kept[-1]["ts"]) + 0.000001)
        ts = f"{stamp:.6f}"
        kept.append({**message, "ts": ts})
        return ts

    def _history(self, request: web.Request, body: Any) -> dict[str, Any]:
        """conversations.history: newest first, after `oldest`, `limit` a page, metadata only when asked for."""
        channel = _arg(request, body, "channel")
        if self.history_error or channel in self.channel_errors:
            return {"ok": False, "error": self.history_error or self.channel_errors[channel]}
        oldest = float(_arg(request, body, "oldest") or 0)
        limit = int(_arg(request, body, "limit") or 100)
        start = int(_arg(request, body, "cursor") or 0)
        with_metadata = _arg(request, body, "include_all_metadata") in ("1", "true")
        found = [m for m in reversed(self.messages.get(channel, [])) if float(m["ts"]) > oldest]
        page = [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in found[start : start + limit]]
        more = start + limit < len(found)
        return {"ok": True, "messages": page, "has_more": more, "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _info(self, request: web.Request, body: Any) -> dict[str, Any]:
        """conversations.info, as a channel with `channel_errors` looks: a channel the app is not in (not_in_channel) is a
        public one it can see but is no member of; one it cannot see at all (channel_not_found) is not found."""
        channel = _arg(request, body, "channel")
        error = self.channel_errors.get(channel, "")
        if self.info_error or error == "channel_not_found":
            return {"ok": False, "error": self.info_error or error}
        archived = error in ("is_archived", "channel_is_archived")
        return {"ok": True, "channel": {"id": channel, "is_channel": True, "is_member": error != "not_in_channel", "is_archived": archived}}

    def _answer(self, api: str, request: web.Request, body: Any) -> dict[str, Any]:
        if api == "auth.test" and self.auth_error:
            return {"ok": False, "error": self.auth_error}
        if api == "auth.test":
            return {"ok": True, "team_id": TEAM, "user_id": BOT_USER, "bot_id": "B0001", "team": "Fake", "user": self.bot_name}
        if api == "conversations.history":
            return self._history(request, body)
        if api == "conversations.info":
            return self._info(request, body)
        if api in ("views.publish", "views.open", "views.update"):
            return self._view(api, request, body)
        if api == "chat.postEphemeral":
            return {"ok": True, "message_ts": "1700000000.000200"}
        if api == "files.info":
            file_id = _arg(request, body, "file")
            if file_id not in self.files:
                return {"ok": False, "error": "file_not_found"}
            name, content = self.files[file_id]
            url = f"http://127.0.0.1:{self.port}/files/{file_id}"
            return {"ok": True, "file": {"id": file_id, "name": name, "size": len(content), "url_private": url}}
        if api == "conversations.open":
            return {"ok": True, "channel": {"id": dm_channel(_arg(request, body, "users"))}}
        if api == "files.getUploadURLExternal":
            file_id = f"FUP{next(self._file_ids)}"
            self._awaiting_upload[file_id] = _arg(request, body, "filename")
            return {"ok": True, "file_id": file_id, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}"}
        if api == "files.completeUploadExternal":
            return self._complete(json.loads(_arg(request, body, "files") or "[]"), _arg(request, body, "channel_id"))
        if api == "users.info":
            user_id = request.query.get("user", "")
            user = self.users.get(user_id, {"id": user_id, "is_admin": False})
            return {"ok": False, "error": "user_not_found"} if user is None else {"ok": True, "user": user}
        if api == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link?ticket={SOCKET_TICKET}"}  # a credential, as Slack's is
        return {"ok": False, "error": "unknown_method"}

    def _view(self, api: str, request: web.Request, body: Any) -> dict[str, Any]:
        """views.*: refused as Slack refuses an input prefilled beyond its max_length, or a trigger_id past its life."""
        issued = self.triggers.get(_arg(request, body, "trigger_id"))
        if api == "views.open" and issued is not None and time.monotonic() - issued > TRIGGER_SECONDS:
            return {"ok": False, "error": "expired_trigger_id"}
        view = body.get("view") if isinstance(body, dict) else None
        view = json.loads(view) if isinstance(view, str) else view or {}
        for n, block in enumerate(view.get("blocks", [])):
            element = block.get("element") or {}
            if len(element.get("initial_value", "")) > element.get("max_length", 3000):
                said = f"[ERROR] must be less than {element['max_length']} characters [json-pointer:/view/blocks/{n}/element/initial_value]"
                return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": [said]}}
        return {"ok": True, "view": {"id": "V0001"}}

    def _complete(self, files: list[dict[str, Any]], channel_id: str) -> dict[str, Any]:
        """files.completeUploadExternal: only files whose bytes arrived; shared to `channel_id` if given."""
        if any(f.get("id") not in self.files for f in files):
            return {"ok": False, "error": "file_not_found"}
        for f in files:
            if channel_id:
                self.shares.setdefault(f["id"], []).append(channel_id)
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title"), "name": self.files[f["id"]][0]} for f in files]}

    async def _hook(self, request: web.Request) -> web.Response:
        self._record(request, f"hook/{request.match_info['name']}", await _decode(request))
        return web.Response(text="ok")

    async def _file(self, request: web.Request) -> web.Response:
        """url_private: the file's bytes, only with a bearer token (as Slack requires)."""
        file_id = request.match_info["file_id"]
        self._record(request, f"file/{file_id}", None)
        if not request.headers.get("Authorization", "").startswith("Bearer ") or file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id][1], content_type="application/octet-stream")

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL: the file's raw bytes, answered in text/plain as files.slack.com does."""
        file_id = request.match_info["file_id"]
        data = await request.read()
        self._record(request, f"upload/{file_id}", data)
        if self.upload_status != 200:
            return web.Response(status=self.upload_status, text="upload failed")
        if file_id not in self._awaiting_upload:
            return web.Response(status=404, text="unknown upload")
        self.files[file_id] = (self._awaiting_upload.pop(file_id), data)
        return web.Response(text=f"OK - {len(data)}")

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        if self.handshake_status:
            self._record(request, "socket", None)
            return web.Response(status=self.handshake_status, text="invalid_ticket")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._record(request, "socket", None)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}}))
        self.connected.set()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                await self.acks.put(json.loads(message.data))
        return ws


async def _decode(request: web.Request) -> Any:
    """JSON bodies as JSON, forms as dicts; slack_sdk sends both."""
    if request.content_type == "application/json":
        return await request.json()
    if request.content_type == "application/x-www-form-urlencoded":
        return dict(await request.post())
    return await request.text()


def dm_channel(channel: str) -> str:
    """Where a post to a user id goes: the user's DM with the app (`U0ADMIN` → `D0ADMIN`); channels stay."""
    return "D" + channel[1:] if channel[:1] in ("U", "W") else channel


def _arg(request: web.Request, body: Any, name: str) -> str:
    """A Web API argument: slack_sdk sends some in the query string, some in a form or JSON body."""
    if name in request.query:
        return request.query[name]
    return str(body.get(name, "")) if isinstance(body, dict) else ""


SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
USER = "U0USER"
CHANNEL = "C0CHAN"


def signature_headers(body: str, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Headers exactly as Slack signs a request: HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def slash_payload(command: str, text: str, response_url: str, user: str = USER) -> dict[str, str]:
    """The fields Slack sends for a slash command, its text with `&`, `<` and `>` escaped as Slack escapes them
    (api.slack.com/reference/surfaces/formatting#escaping); a form's values are sent as typed."""
    return {
        "token": "verification-token-unused",
        "team_id": TEAM,
        "team_domain": "fake",
        "channel_id": CHANNEL,
        "channel_name": "general",
        "user_id": user,
        "user_name": "reader",
        "command": command,
        "text": text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
        "api_app_id": "A0001",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": "1337.42.abcdef",
    }


def action_payload(
    action_id: str, value: str, response_url: str | None, ephemeral: bool = True, user: str = USER, block_id: str = "b1"
) -> dict[str, Any]:
    """A block_actions payload for `user`'s click on one button of a message (or, without response_url, the Home tab)."""
    container: dict[str, Any] = (
        {"type": "message", "message_ts": "1700000000.000100", "channel_id": CHANNEL, "is_ephemeral": ephemeral}
        if response_url
        else {"type": "view", "view_id": "V0001"}
    )
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": user, "username": "reader", "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "verification-token-unused",
        "container": container,
        "trigger_id": "1337.42.abcdef",
        "actions": [
            {"action_id": action_id, "block_id": block_id, "type": "button", "value": value, "action_ts": "1700000001.0"}
        ],
    }
    if response_url:
        payload["channel"] = {"id": CHANNEL, "name": "general"}
        payload["response_url"] = response_url
    return payload


def home_opened_event(user: str = USER) -> dict[str, Any]:
    """The Events API callback Slack sends when someone opens the app's Home tab."""
    return {
        "token": "verification-token-unused",
        "team_id": TEAM,
        "api_app_id": "A0001",
        "event": {"type": "app_home_opened", "user": user, "channel": "D0001", "tab": "home", "event_ts": "1700000000.1"},
        "type": "event_callback",
        "event_id": "Ev0001",
        "event_time": 1700000000,
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }
