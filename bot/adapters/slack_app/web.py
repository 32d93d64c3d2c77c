"""HTTP mode: the Events API on `/slack/events` behind the gate, a `/healthz` probe, and a server that
a slow client cannot starve (connections.py; docs/slack-security.md lists each limit and why).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.adapters.slack_app.connections import ConnectionCap, Limits
from bot.adapters.slack_app.gate import DELIVERY, SlackGate, delivery
from bot.adapters.slack_app.health import Health
from bot.adapters.slack_app.throttle import Throttled
from bot.errors import ConfigError

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
# aiohttp's default backlog of 128 makes a burst of connections wait for SYN retries (≥ 1 s).
BACKLOG = 2048


def web_app(app: AsyncApp, gate: SlackGate, health: Health, limits: Limits = Limits()) -> web.Application:
    """The aiohttp application: Slack's requests through the gate to bolt, and the health probe."""
    quiet = Throttled(log)

    async def events(request: web.Request) -> web.StreamResponse:
        try:
            async with asyncio.timeout(limits.body_seconds):
                body = await request.read()
        except TimeoutError:
            quiet.warning("slow-body", "slack: closed a request whose body took over %g s", limits.body_seconds)
            timed_out = web.Response(status=408)
            timed_out.force_close()
            return timed_out
        refusal = gate.refuse(body, request.headers)
        if refusal is not None:
            status, reason = refusal
            quiet.warning(reason, "slack: refused %s (%d)", reason, status)  # reasons are fixed strings from the gate
            return web.Response(status=status)
        DELIVERY.set(delivery(request.headers))  # this handler's task's own context: the listeners it runs see it
        try:
            # bolt parses the body here, and its error handler builds every listener argument from it again, so a
            # payload Slack signed in a shape bolt cannot read raises here instead of reaching a listener.
            bolt_request = AsyncBoltRequest(body=body.decode("utf-8"), query=request.query_string, headers=dict(request.headers))
            answer = await app.async_dispatch(bolt_request)
        except (ValueError, TypeError, AttributeError, LookupError) as error:
            quiet.warning("unreadable", "slack: refused a signed payload bolt cannot read (400, %s)", type(error).__name__)
            return web.Response(status=400)
        return await to_aiohttp_response(answer)

    async def healthz(_: web.Request) -> web.Response:
        report = await health.report()
        return web.json_response(report, status=200 if report["ok"] else 503)

    application = web.Application()
    application.add_routes([web.post(EVENTS_PATH, events), web.get("/healthz", healthz)])
    return application


@contextlib.asynccontextmanager
async def serving(application: web.Application, host: str, port: int, limits: Limits = Limits()) -> AsyncIterator[int]:
    """Serve until the block exits; yields the bound port (useful with port 0)."""
    # In aiohttp ≥ 3.14 the keep-alive timer also runs from the moment a connection opens until its first
    # request's headers are in, so this one setting times out slow headers as well as idle connections.
    # No lingering: aiohttp would otherwise keep reading a refused slow body for another 10 s.
    runner = web.AppRunner(application, access_log=None, keepalive_timeout=limits.header_seconds, lingering_time=0)
    cap = ConnectionCap(limits.connection_cap(), limits.grace_seconds)
    application.middlewares.append(cap.mark_busy)
    await runner.setup()
    assert runner.server is not None
    loop = asyncio.get_running_loop()
    try:
        # aiohttp's own sites cannot cap connections, so the listening socket gets the capped factory directly.
        server = await loop.create_server(cap.factory(runner.server), host, port, backlog=BACKLOG)
    except OSError as error:  # a port in use, an address not this host's: the operator's to fix, no traceback
        await runner.cleanup()
        # asyncio rewrites strerror to repeat the address: the system's own words for errno are the reason
        # (a name that does not resolve is a gaierror, whose negative errno has words of its own).
        reason = os.strerror(error.errno) if error.errno and error.errno > 0 else error.strerror or type(error).__name__
        raise ConfigError(f"cannot listen on {host}:{port}: {reason.lower()}") from None
    previous = loop.get_exception_handler()
    loop.set_exception_handler(quiet_accept_errors(previous))
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        # The quiet handler stays for the loop's life: asyncio's accept retry outlives server.close() by up to a
        # second, and with the previous handler back it and the flood's last accept errors were logged in full.
        server.close()
        await runner.cleanup()


LoopHandler = Callable[[asyncio.AbstractEventLoop, dict[str, Any]], object]


def quiet_accept_errors(previous: LoopHandler | None) -> LoopHandler:
    """asyncio logs a failed accept() (e.g. 'Too many open files') once per waiting connection, thousands a
    second; this lets one through per minute and hands every other loop error on unchanged."""
    quiet = Throttled(logging.getLogger("asyncio"))

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        message = str(context.get("message", ""))
        if message.startswith("socket.accept() out of system resource"):
            quiet.warning("accept", "%s: %s", message, context.get("exception"))
        elif "_start_serving" in repr(context.get("handle")) and isinstance(context.get("exception"), ValueError):
            # asyncio retries a failed accept() a second later, and Python 3.11's server.close() leaves that retry
            # pending: on the closed socket it raises "Invalid file descriptor: -1", a traceback at every shutdown
            # that follows a descriptor shortage. The server is gone; nothing is lost.
            return
        elif previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    return handle
