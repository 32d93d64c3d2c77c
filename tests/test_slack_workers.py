"""Slack HTTP workers are stateless: two `briefbot slack run --http` processes behind one balancer, one PostgreSQL store.

An admin's edit answered by one worker is what the next reader sees through the other: each worker
caches its snapshot, and hears of the other's commit through LISTEN/NOTIFY (bot/store/postgres/changes.py).
A copy of that edit's request sent to the other worker writes nothing: the store recorded its delivery with the edit.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from tests.cli_support import as_operator
from tests.conftest import BRIEFING_ID, DATA, ROOT
from tests.slack_fake import BOT_TOKEN, SECRET, USER, FakeSlack, signature_headers, slash_payload

ADMIN = "U0ADMIN"


def free_port() -> int:
    """A port free on 127.0.0.1 now (the worker binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def url(seeded_postgres: str) -> str:
    """A database of this test's own, seeded with the shipped pack."""
    return seeded_postgres


async def start_worker(config: Path, url: str, port: int) -> asyncio.subprocess.Process:
    """One HTTP worker in a process of its own, as the Procfile's `web` type runs it."""
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET, "PYTHONPATH": str(ROOT)}
    env.pop("SLACK_APP_TOKEN", None)
    words, env = as_operator(["--config", config, "--db", url], env)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *words, "slack", "run", "--http",
        "--host", "127.0.0.1", "--port", str(port), env=env, cwd=str(ROOT),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def ready(http: aiohttp.ClientSession, base: str, worker: asyncio.subprocess.Process) -> None:
    """Until the worker answers /healthz."""
    deadline = time.monotonic() + 30
    while True:
        assert worker.returncode is None, (await worker.communicate())[1].decode()[-2000:]
        assert time.monotonic() < deadline, "the worker did not start"
        try:
            async with http.get(f"{base}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)


def signed(slack: FakeSlack, text: str, user: str, hook: str) -> tuple[bytes, dict[str, str]]:
    """`/brief <text>` as Slack sends it: the body and its signed headers."""
    form = urlencode(slash_payload("/brief", text, slack.response_url(hook), user=user))
    return form.encode(), {"Content-Type": "application/x-www-form-urlencoded", **signature_headers(form)}


async def send(http: aiohttp.ClientSession, base: str, request: tuple[bytes, dict[str, str]]) -> int:
    """POST a signed request to one worker; the status it answered."""
    body, headers = request
    async with http.post(f"{base}/slack/events", data=body, headers=headers) as response:
        return response.status


async def brief(http: aiohttp.ClientSession, slack: FakeSlack, base: str, request: tuple[bytes, dict[str, str]], hook: str) -> str:
    """A signed `/brief` sent to one worker; the text of its answer at the response_url (hook/<hook>)."""
    assert await send(http, base, request) == 200
    (answer,) = await slack.wait_for(f"hook/{hook}", timeout=15)
    return str(answer.body)


async def test_an_edit_through_one_worker_is_read_through_the_other(url: str, tmp_path: Path) -> None:
    async with FakeSlack() as slack, aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
        config = tmp_path / "briefbot.yaml"
        config.write_text(
            f"store: {{packs: {DATA}}}\ndefault_briefing: {BRIEFING_ID}\nlog_level: WARNING\n"
            f"slack: {{api_base: '{slack.base_url}', admin_user_ids: [{ADMIN}]}}\n",
            encoding="utf-8",
        )
        ports = [free_port(), free_port()]
        workers = [await start_worker(config, url, port) for port in ports]
        one, other = (f"http://127.0.0.1:{port}" for port in ports)
        try:
            for base, worker in zip((one, other), workers, strict=True):
                await ready(http, base, worker)
            assert "Scheduled" in await brief(http, slack, other, signed(slack, "meeting", USER, "before"), "before")  # cached there now
            edit = signed(slack, "set kind:meeting status:concluded", ADMIN, "edit")
            assert "session/meeting changed" in await brief(http, slack, one, edit, "edit")
            assert "Concluded" in await brief(http, slack, other, signed(slack, "meeting", USER, "after"), "after")
            assert "session/meeting changed" in await brief(http, slack, other, signed(slack, "set kind:meeting status:postponed", ADMIN, "later"), "later")
            # A byte-for-byte copy of the first edit, to the worker whose gate never saw it, would set the status back:
            # let in, and refused by the store's write guard.
            assert await send(http, other, edit) == 200
            _, replayed = await slack.wait_for("hook/edit", count=2, timeout=15)
            assert "This request was already carried out; nothing was changed again." in str(replayed.body)
        finally:
            for worker in workers:
                if worker.returncode is None:
                    worker.send_signal(signal.SIGTERM)
                await worker.wait()
