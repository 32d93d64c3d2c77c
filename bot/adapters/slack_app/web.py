"""HTTP mode: the Events API on `/slack/events` (bolt verifies signatures) and a `/healthz` probe."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

EVENTS_PATH = "/slack/events"
# aiohttp's default backlog of 128 makes a burst of connections wait for SYN retries (≥ 1 s).
BACKLOG = 2048


def web_app(app: AsyncApp) -> web.Application:
    """The aiohttp application serving Slack's requests through bolt."""

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    application = web.Application()
    application.add_routes([web.post(EVENTS_PATH, events), web.get("/healthz", healthz)])
    return application


@contextlib.asynccontextmanager
async def serving(application: web.Application, host: str, port: int) -> AsyncIterator[int]:
    """Serve until the block exits; yields the bound port (useful with port 0)."""
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, backlog=BACKLOG)
        await site.start()
        yield int(runner.addresses[0][1])
    finally:
        await runner.cleanup()
