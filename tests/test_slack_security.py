"""HTTP mode's defences through the real bolt app and aiohttp server on 127.0.0.1: malformed and replayed
requests, slow clients, the connection cap, /healthz, and what never reaches the log."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.adapters.slack_app.app import SlackBot, build_app, build_client
from bot.adapters.slack_app.cli import run_socket_mode, store_probe
from bot.adapters.slack_app.connections import Limits
from bot.adapters.slack_app.gate import WINDOW, SlackGate
from bot.adapters.slack_app.health import FRESH, Health
from bot.adapters.slack_app.people import WorkspaceAdmins
from bot.adapters.slack_app.web import quiet_accept_errors, serving, web_app
from bot.core.service import BriefingCore
from bot.settings import Settings, SlackSettings
from bot.store import open_store
from tests.conftest import BEFORE, BRIEFING_ID, DATA, ROOT
from tests.slack_fake import APP_TOKEN, BOT_TOKEN, SECRET, SOCKET_TICKET, FakeSlack, signature_headers, slash_payload
from tests.test_slack_http import Harness, serving_bot

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
async def harness(core: BriefingCore) -> AsyncIterator[Harness]:
    async with serving_bot(core, workspace_admins=False) as running:
        yield running


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Records at ERROR or above, or carrying a traceback: what a junk request must never cause."""
    return [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("stamp", ["abc", "", "1e3", "١٢٣", "9" * 30, " 12", "-1"])
async def test_a_malformed_timestamp_is_401_without_a_traceback(harness: Harness, caplog: pytest.LogCaptureFixture, stamp: str) -> None:
    form = urlencode(slash_payload("/brief", "", harness.slack.response_url()))
    headers = {**signature_headers(form), "X-Slack-Request-Timestamp": stamp}
    assert (await harness.send(form, FORM, headers)).status == 401
    assert tracebacks(caplog) == []


SIGNED_JUNK = [
    ("{", "application/json"),
    ("[1,2]", "application/json"),
    ("1", "application/json"),
    ('{"type": "event_callback", "event": "x"}', "application/json"),
    ('{"type": "event_callback", "event": {"type": "app_home_opened"}}', "application/json"),
    ("payload=notjson", FORM),
    ("payload=%5B1%5D", FORM),
    ("payload=" + json.dumps({"type": "block_actions", "actions": 5}), FORM),
    ("payload=" + json.dumps({"type": "view_submission", "view": 5}), FORM),
    ("command=%2Fbrief&text=meeting", FORM),
]


@pytest.mark.parametrize(("body", "content_type"), SIGNED_JUNK)
async def test_signed_junk_is_400_without_a_traceback(
    harness: Harness, caplog: pytest.LogCaptureFixture, body: str, content_type: str
) -> None:
    assert (await harness.send(body, content_type)).status == 400
    await harness.bot.inflight.drain(5)
    assert tracebacks(caplog) == []


async def test_a_body_that_is_not_utf8_is_400(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    body = b"text=\xff\xfe"
    stamp = str(int(time.time()))
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + "0" * 64}
    async with harness.http.post(f"{harness.url}/slack/events", data=body, headers=headers) as response:
        assert response.status == 400
    assert tracebacks(caplog) == []


async def test_a_replayed_request_is_refused(harness: Harness) -> None:
    form = urlencode(slash_payload("/brief", "meeting", harness.slack.response_url()))
    headers = signature_headers(form)
    assert (await harness.send(form, FORM, headers)).status == 200
    assert (await harness.send(form, FORM, headers)).status == 401
    await harness.bot.inflight.drain(5)
    assert len(harness.slack.calls("hook/r1")) == 1


def signed(body: str, at: float) -> dict[str, str]:
    return {"Content-Type": FORM, **signature_headers(body, timestamp=int(at))}


def test_the_replay_memory_forgets_a_signature_once_its_timestamp_is_out_of_the_window() -> None:
    now = [1_800_000_000.0]
    gate = SlackGate(SECRET, clock=lambda: now[0])
    headers = signed("a=1", now[0])
    assert gate.refuse(b"a=1", headers) is None
    assert gate.refuse(b"a=1", headers) == (401, "a replayed request")
    now[0] += WINDOW + 1
    assert gate.refuse(b"a=2", signed("a=2", now[0])) is None
    assert len(gate.seen) == 1  # the first signature was dropped: Slack's window refuses it now anyway
    assert gate.refuse(b"a=1", headers) == (401, "a bad signature or a timestamp outside the window")


def test_the_replay_memory_is_one_processs_and_only_the_window_bounds_a_copy_elsewhere() -> None:
    """What docs/slack-security.md says of replays: a sibling worker (or this one restarted) accepts a copy, until the
    original's timestamp leaves the window. A store-backed memory would change this, and that doc with it."""
    now = [1_800_000_000.0]
    worker, sibling = SlackGate(SECRET, clock=lambda: now[0]), SlackGate(SECRET, clock=lambda: now[0])
    headers = signed("a=1", now[0])
    assert worker.refuse(b"a=1", headers) is None
    assert worker.refuse(b"a=1", headers) == (401, "a replayed request")
    now[0] += WINDOW
    assert sibling.refuse(b"a=1", headers) is None
    now[0] += 1
    assert SlackGate(SECRET, clock=lambda: now[0]).refuse(b"a=1", headers) == (401, "a bad signature or a timestamp outside the window")


def test_the_replay_memory_is_bounded_and_fails_closed() -> None:
    now = [1_800_000_000.0]
    gate = SlackGate(SECRET, clock=lambda: now[0], limit=2)
    assert gate.refuse(b"a=1", signed("a=1", now[0])) is None
    assert gate.refuse(b"a=2", signed("a=2", now[0])) is None
    assert gate.refuse(b"a=3", signed("a=3", now[0])) == (503, "the replay memory is full")
    now[0] += WINDOW + 1
    assert gate.refuse(b"a=3", signed("a=3", now[0])) is None
    assert len(gate.seen) == 1


def test_only_verified_signatures_are_remembered() -> None:
    gate = SlackGate(SECRET)
    forged = {"Content-Type": FORM, **signature_headers("a=1", secret="not-the-secret")}
    for _ in range(3):
        assert gate.refuse(b"a=1", forged) == (401, "a bad signature or a timestamp outside the window")
    assert len(gate.seen) == 0


async def test_repeated_refusals_are_logged_once_a_minute(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    form = urlencode(slash_payload("/brief", "", harness.slack.response_url()))
    for _ in range(20):
        assert (await harness.send(form, FORM, {}) ).status == 401
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 1


# ---- /healthz ------------------------------------------------------------------------------------


async def healthz(h: Harness) -> tuple[int, dict[str, Any]]:
    async with h.http.get(f"{h.url}/healthz") as response:
        return response.status, await response.json()


async def test_healthz_asks_the_store_and_slack(harness: Harness) -> None:
    assert await healthz(harness) == (200, {"ok": True, "store": True, "slack": True})
    (auth,) = harness.slack.calls("auth.test")
    assert auth.headers["Authorization"] == f"Bearer {BOT_TOKEN}"


async def test_healthz_reports_slack_refusing_the_token(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    harness.slack.auth_error = "invalid_auth"
    assert await healthz(harness) == (503, {"ok": False, "store": True, "slack": False})
    assert await healthz(harness) == (503, {"ok": False, "store": True, "slack": False})
    flips = [r for r in caplog.records if r.name == "bot.adapters.slack_app.health"]
    # Once, not per probe; naming the token to fix, in words and without a traceback.
    assert [r.getMessage() for r in flips] == [
        "healthz: SLACK_BOT_TOKEN was rejected by Slack (invalid_auth): the app was uninstalled, its token revoked or mistyped,"
        " or its installer deactivated; reinstall the app (api.slack.com/apps → Install App) and put its Bot User OAuth Token in SLACK_BOT_TOKEN"
    ]
    assert flips[0].exc_info is None


async def test_healthz_reports_a_store_that_cannot_answer(tmp_path: Path) -> None:
    async with open_store(tmp_path / "closed.sqlite3") as store:
        await store.seed(DATA, BRIEFING_ID)
        core = BriefingCore(store.repository)
    async with serving_bot(core, workspace_admins=False) as h:
        assert await healthz(h) == (503, {"ok": False, "store": False, "slack": True})


async def test_a_recent_auth_test_is_reused_then_asked_again(core: BriefingCore) -> None:
    now = [0.0]
    async with FakeSlack() as slack:
        health = Health(store_probe(core), build_client(BOT_TOKEN, slack.base_url), clock=lambda: now[0])
        assert (await health.report())["ok"]
        now[0] += FRESH - 1
        assert (await health.report())["ok"]
        assert len(slack.calls("auth.test")) == 1
        now[0] += 2
        slack.auth_error = "account_inactive"
        assert (await health.report()) == {"ok": False, "store": True, "slack": False}
        assert len(slack.calls("auth.test")) == 2


# ---- slow clients and the connection cap ---------------------------------------------------------


@asynccontextmanager
async def open_app(core: BriefingCore, limits: Limits) -> AsyncIterator[tuple[int, FakeSlack]]:
    """The real app on a loopback port with tighter limits."""
    async with FakeSlack() as slack, aiohttp.ClientSession() as http:
        bot = SlackBot(core, WorkspaceAdmins(enabled=False), clock=lambda: BEFORE, http=http)
        client = build_client(BOT_TOKEN, slack.base_url, http)
        application = web_app(build_app(bot, client), SlackGate(SECRET), Health(store_probe(core), client), limits)
        async with serving(application, "127.0.0.1", 0, limits) as port:
            yield port, slack
            await bot.inflight.drain(5)


async def test_slow_headers_are_cut_off(core: BriefingCore) -> None:
    async with open_app(core, Limits(header_seconds=0.3)) as (port, _):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
        loop = asyncio.get_running_loop()
        began = loop.time()
        async with asyncio.timeout(5):
            while not await _closed(reader, wait=0.05):
                writer.write(b"X-Slow: 1\r\n")  # a header line now and then, never the blank line that ends them
        assert loop.time() - began < 2
        writer.close()


async def test_a_slow_body_is_cut_off(core: BriefingCore) -> None:
    async with open_app(core, Limits(body_seconds=0.3)) as (port, _):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nabc")
        async with asyncio.timeout(5):
            status = await reader.readline()
        assert status.startswith(b"HTTP/1.1 408")
        writer.close()


async def test_at_the_cap_the_oldest_idle_connection_makes_room(core: BriefingCore, caplog: pytest.LogCaptureFixture) -> None:
    async with open_app(core, Limits(connections=4, grace_seconds=0.2)) as (port, slack):
        idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(4)]
        fresh = [await asyncio.open_connection("127.0.0.1", port) for _ in range(2)]
        for reader, _ in fresh:  # at the cap with none old enough to shed, newcomers are told 503 and let go
            assert (await asyncio.wait_for(reader.read(), 1)).startswith(b"HTTP/1.1 503")
        await asyncio.sleep(0.3)  # the four idle ones are past their grace now
        form = urlencode(slash_payload("/brief", "meeting", slack.response_url()))
        async with aiohttp.ClientSession() as http, http.post(
            f"http://127.0.0.1:{port}/slack/events", data=form.encode(), headers={"Content-Type": FORM, **signature_headers(form)}
        ) as response:
            assert response.status == 200
        await slack.wait_for("hook/r1")
        assert [await _closed(reader) for reader, _ in idle] == [True, False, False, False]  # only the oldest went
        for _, writer in idle + fresh:
            writer.close()
    assert len([r for r in caplog.records if "closing the oldest idle one" in r.getMessage()]) == 1


async def test_a_connection_being_answered_is_never_shed(core: BriefingCore) -> None:
    async with open_app(core, Limits(connections=1, grace_seconds=0)) as (port, _):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\na=")  # its handler is reading
        await asyncio.sleep(0.1)
        newcomer, other = await asyncio.open_connection("127.0.0.1", port)
        assert (await asyncio.wait_for(newcomer.read(), 1)).startswith(b"HTTP/1.1 503")
        writer.write(b"1234")
        assert (await asyncio.wait_for(reader.readline(), 1)).startswith(b"HTTP/1.1 401")  # unsigned, but answered
        writer.close()
        other.close()


async def _closed(reader: asyncio.StreamReader, wait: float = 0.2) -> bool:
    """True once the server has hung up on this connection."""
    try:
        return await asyncio.wait_for(reader.read(1024), wait) == b""
    except ConnectionError:
        return True
    except TimeoutError:
        return False


def test_accept_failures_are_logged_once_a_minute(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.new_event_loop()
    try:
        handle = quiet_accept_errors(None)
        for _ in range(1000):
            handle(loop, {"message": "socket.accept() out of system resource", "exception": OSError(24, "Too many open files")})
        handle(loop, {"message": "something else"})
    finally:
        loop.close()
    accepts = [r for r in caplog.records if "socket.accept()" in r.getMessage()]
    assert len(accepts) == 1 and accepts[0].levelno == logging.WARNING
    assert any(r.getMessage() == "something else" for r in caplog.records)  # other loop errors pass unchanged


# ---- what never reaches the log ------------------------------------------------------------------


async def test_response_urls_never_reach_the_log(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    form = urlencode(slash_payload("/brief", "meeting", "http://127.0.0.1:9/hooks/T0001/B0001/secret"))
    assert (await harness.send(form, FORM)).status == 200
    await harness.bot.inflight.drain(10)
    assert any(r.name == "bot.adapters.slack_app.app" for r in caplog.records)  # the failure itself is logged
    assert "/hooks/" not in caplog.text


# ---- the real command under a slow-loris flood ---------------------------------------------------

OPEN_FILES = 256  # a low open-files limit (so a few hundred sockets exhaust it), and a cap of 192 connections
TRICKLERS = 250


def _low_open_files() -> None:
    """Runs in the child before exec: its open-files limit, as a small host would have."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, hard))


async def _serving_port(log_file: Path, child: subprocess.Popen[bytes]) -> int:
    """The port the child logged once it listens; fails if it exits first or takes over 30 s."""
    async with asyncio.timeout(30):
        while True:
            found = re.search(r"serving the Events API on 127\.0\.0\.1:(\d+)/", log_file.read_text(errors="replace"))
            if found:
                return int(found.group(1))
            assert child.poll() is None, log_file.read_text(errors="replace")
            await asyncio.sleep(0.05)


async def test_the_real_command_answers_slack_through_a_slow_loris_flood(tmp_path: Path) -> None:
    async with FakeSlack() as slack:
        config = tmp_path / "briefbot.yaml"
        config.write_text(f"slack:\n  api_base: {slack.base_url}\n", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_"))}
        env |= {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET}
        log_file = tmp_path / "briefbot.log"
        command = [sys.executable, "-m", "bot", "--config", str(config), "--db", str(tmp_path / "db.sqlite3"),
                   "slack", "run", "--http", "--host", "127.0.0.1", "--port", "0"]
        with log_file.open("wb") as log_out:
            child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_out, stderr=subprocess.STDOUT, preexec_fn=_low_open_files)
        writers: list[asyncio.StreamWriter] = []
        try:
            port = await _serving_port(log_file, child)
            for _ in range(TRICKLERS):
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n")  # and never the end of the headers
                writers.append(writer)
            await asyncio.sleep(Limits().grace_seconds + 0.5)  # a slow-loris connection is an old one
            form = urlencode(slash_payload("/brief", "meeting", slack.response_url()))
            headers = {"Content-Type": FORM, **signature_headers(form)}
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http,
                http.post(f"http://127.0.0.1:{port}/slack/events", data=form.encode(), headers=headers) as response,
            ):
                assert response.status == 200
            (answer,) = await slack.wait_for("hook/r1", timeout=10)
            assert answer.body["blocks"][0]["text"]["text"].startswith("Meeting")
            # --host 127.0.0.1 binds that address only: another loopback address finds nothing listening.
            with pytest.raises(ConnectionRefusedError):
                await asyncio.open_connection("127.0.0.2", port)
        finally:
            for writer in writers:
                writer.close()
            child.terminate()
            child.wait(10)
        lines = log_file.read_text(errors="replace").splitlines()
        # asyncio accepts a whole burst before any connection can be shed, so one burst larger than the spare
        # descriptors may still hit the limit once; the line is then written once, not once per waiting socket.
        shown = "\n".join(line[:300] for line in lines[:20])
        assert sum("Too many open files" in line for line in lines) <= 1, shown
        assert len(lines) < 20, shown


async def test_socket_mode_envelopes_never_put_response_urls_in_the_log(core: BriefingCore, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakeSlack() as slack:
        settings = Settings(slack=SlackSettings(api_base=slack.base_url), env={"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN})
        task = asyncio.create_task(run_socket_mode(settings, core))
        try:
            payload = slash_payload("/brief", "meeting", slack.response_url("s1"))
            await slack.push({"envelope_id": "e1", "type": "slash_commands", "accepts_response_payload": True, "payload": payload})
            await slack.wait_for("hook/s1")
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 10)
    assert any(r.name == "bot.adapters.slack_app.socket" for r in caplog.records)  # its INFO lines still arrive
    assert "/hooks/" not in caplog.text
    # apps.connections.open's answer holds the connection's ticket; slack_sdk's Web API client logs every answer at DEBUG.
    assert SOCKET_TICKET not in caplog.text
    assert "Received the following response" in caplog.text  # the bot's own Web API calls are still logged at DEBUG


async def test_a_refused_socket_mode_handshake_never_puts_the_ticket_in_the_log(core: BriefingCore, caplog: pytest.LogCaptureFixture) -> None:
    """Slack refuses the WebSocket handshake (a ticket gone stale, say): slack_sdk logs the failure at ERROR with
    aiohttp's error, whose message and traceback named the whole wss:// URL, the connection's ticket included."""
    caplog.set_level(logging.DEBUG)
    async with FakeSlack(handshake_status=400) as slack:
        settings = Settings(slack=SlackSettings(api_base=slack.base_url), env={"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN})
        task = asyncio.create_task(run_socket_mode(settings, core))
        try:
            await slack.wait_for("socket")
            async with asyncio.timeout(10):  # the client logs the refusal once the fake's answer reaches it
                while not any(record.levelno == logging.ERROR for record in caplog.records):
                    await asyncio.sleep(0.01)
        finally:  # stopped while its handshakes fail: it closes, and logs that too
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 10)
    refused = next(record for record in caplog.records if record.levelno == logging.ERROR)
    assert refused.name == "bot.adapters.slack_app.socket" and "url='ws://127.0.0.1:" in refused.getMessage(), refused.getMessage()
    assert "ticket=(hidden)" in caplog.text
    assert SOCKET_TICKET not in caplog.text
    assert all(SOCKET_TICKET not in repr(vars(record)) for record in caplog.records)  # nor in what a record keeps (its exception)
    assert "has been abandoned by disconnect() method call" in caplog.text  # closed, its aiohttp session with it
