"""How many connections HTTP mode holds, and for how long: the limits a slow client runs into.

A slow-loris client opens many connections and sends their headers a byte at a time. aiohttp
times out slow headers (its keep-alive timer runs from the moment a connection opens), the events
handler times out slow bodies, and ConnectionCap keeps the open connections below the open-files
limit, so SQLite, calls to Slack and the log always have descriptors left.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from collections.abc import Awaitable, Callable

import msgspec
from aiohttp import web

from bot.adapters.slack_app.throttle import Throttled

log = logging.getLogger(__name__)
# Open connections stay below this share of the open-files limit, leaving the rest for everything else.
CONNECTION_SHARE = 0.75
UNLIMITED_FILES_CAP = 10_000
_REFUSED = b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Limits(msgspec.Struct, frozen=True):
    """HTTP mode's limits; Slack sends a whole request at once, so a client slower than these is not Slack."""

    header_seconds: float = 10.0
    body_seconds: float = 10.0
    # None: CONNECTION_SHARE of this process's open-files limit.
    connections: int | None = None
    # A connection this young may simply not have sent its headers yet, so it is never shed.
    grace_seconds: float = 1.0

    def connection_cap(self) -> int:
        """How many connections to hold open at once."""
        if self.connections is not None:
            return self.connections
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        return UNLIMITED_FILES_CAP if soft == resource.RLIM_INFINITY else max(1, int(soft * CONNECTION_SHARE))


class ConnectionCap:
    """At most `limit` connections: at the limit a new one replaces the oldest idle one, if that one is past its grace.

    Idle means no request is being answered on it: a slow-loris connection still sending headers, or a
    keep-alive connection between requests. Slack's requests arrive whole and are answered in
    milliseconds, so shedding old idle connections keeps room for them; when there is none to shed
    (a burst of fresh connections), the newcomer is turned away with a 503 rather than starving the rest.
    """

    def __init__(self, limit: int, grace_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.grace_seconds = grace_seconds
        self.clock = clock
        self.busy: set[object] = set()
        self.opened: dict[web.RequestHandler, float] = {}
        self.quiet = Throttled(log)

    def factory(self, server: web.Server) -> Callable[[], asyncio.BaseProtocol]:
        """The protocol factory for `loop.create_server`: aiohttp's handler, once there is room for it."""

        def protocol() -> asyncio.BaseProtocol:
            # A shed connection stays listed until its task ends; its socket is already closing.
            live = [h for h in server.connections if h.transport is not None and not h.transport.is_closing()]
            if len(live) >= self.limit and not self._shed_one(live):
                self.quiet.warning("full", "slack: %d connections open and none idle for long; refusing new ones (503)", self.limit)
                return _Refuse()
            handler = server()
            self.opened[handler] = self.clock()
            if len(self.opened) > 2 * self.limit:  # forget closed connections now and then, not on every accept
                self.opened = {h: at for h, at in self.opened.items() if h.transport is not None}
            return handler

        return protocol

    def _shed_one(self, live: list[web.RequestHandler]) -> bool:
        """Close the oldest idle connection if it is past its grace; False when there is none to close."""
        now = self.clock()
        for handler in live:  # oldest first
            if handler.transport is None or handler.transport in self.busy:
                continue
            if now - self.opened.get(handler, now) < self.grace_seconds:
                return False  # the oldest idle connection is still young, and so is every later one
            self.quiet.warning("shed", "slack: %d connections open; closing the oldest idle one", self.limit)
            handler.transport.abort()
            return True
        return False

    @web.middleware
    async def mark_busy(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Marks a connection busy while its request is being answered, so it is never shed mid-answer."""
        transport = request.transport
        self.busy.add(transport)
        try:
            return await handler(request)
        finally:
            self.busy.discard(transport)


class _Refuse(asyncio.Protocol):
    """Answers 503 and hangs up, so a turned-away client learns why instead of waiting."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.write(_REFUSED)
        transport.close()
