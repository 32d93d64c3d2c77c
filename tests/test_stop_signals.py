"""SIGTERM, the signal every platform stops a process with, ends each serving command as Ctrl-C does.

Heroku, Docker, systemd and honcho send SIGTERM, then SIGKILL after their grace period. A process
without a handler died at once (exit -15), dropping the answers it had acked; as a container's PID 1
it ignored the signal and waited for the SIGKILL. Each test runs the real command in a process of its
own against the loopback fakes, as the Procfile starts it.
"""

from __future__ import annotations

import asyncio
import signal
import socket
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from tests.conftest import BRIEFING_ID, DATA
from tests.discord_fake import ROLE_ID, TOKEN, FakeDiscord
from tests.process_support import logged, running, stopped
from tests.slack_fake import APP_TOKEN, BOT_TOKEN, SECRET, FakeSlack, signature_headers, slash_payload

STOPPING = "stopping: SIGTERM received;"
EPHEMERAL = 64


def free_port() -> int:
    """A port free on 127.0.0.1 now (the process binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def slash_command(slack: FakeSlack, http: aiohttp.ClientSession, port: int | None, hook: str) -> None:
    """`/brief meeting` as Slack sends it: over the socket (Socket Mode), else signed to the Events API; acked."""
    payload = slash_payload("/brief", "meeting", slack.response_url(hook))
    if port is None:
        await slack.push({"envelope_id": "e1", "type": "slash_commands", "accepts_response_payload": True, "payload": payload})
        assert (await asyncio.wait_for(slack.acks.get(), 15))["envelope_id"] == "e1"
        return
    form = urlencode(payload)
    async with http.post(f"http://127.0.0.1:{port}/slack/events", data=form.encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded", **signature_headers(form)}) as ack:
        assert ack.status == 200


@pytest.mark.parametrize("command", [
    pytest.param(["slack", "run", "--http"], id="web"),  # the Procfile's `web`
    pytest.param(["slack", "run"], id="socket-mode"),  # the Procfile's `slack`
    pytest.param(["run"], id="run"),  # deploy/Dockerfile's CMD, Slack over HTTP (a signing secret, no app token)
])
async def test_sigterm_with_an_answer_in_flight_posts_it_then_exits_0(tmp_path: Path, command: list[str]) -> None:
    socket_mode = command == ["slack", "run"]
    port = None if socket_mode else free_port()
    async with FakeSlack() as slack, aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
        secret = {"SLACK_APP_TOKEN": APP_TOKEN} if socket_mode else {"SLACK_SIGNING_SECRET": SECRET}
        async with running(
            tmp_path, f"slack: {{api_base: '{slack.base_url}'}}\n", *command,
            *([] if port is None else ["--host", "127.0.0.1", "--port", str(port)]), SLACK_BOT_TOKEN=BOT_TOKEN, **secret,
        ) as (child, log):
            await logged(log, child, "connected over Socket Mode" if socket_mode else "serving the Events API")
            slack.held["users.info"] = asyncio.Event()  # the answer waits on Slack: acked, still in flight
            await slash_command(slack, http, port, "inflight")
            await slack.wait_for("users.info", timeout=15)
            child.send_signal(signal.SIGTERM)
            await logged(log, child, STOPPING)
            slack.held.pop("users.info").set()
            status = await stopped(child)
        text = log.read_text(encoding="utf-8")
        assert status == 0, text
        assert f"{STOPPING} finishing answers in flight (up to 5 s)" in text
        (answer,) = slack.calls("hook/inflight")
        assert answer.body["text"].startswith("Meeting: Gustavo Petro"), answer.body
        assert "Traceback" not in text


@pytest.mark.parametrize("shards", [
    pytest.param([], id="one-connection"),
    pytest.param(["--shards", "0-1", "--shard-count", "2"], id="sharded"),  # discord.py's other client, its own closing
])
async def test_sigterm_with_a_discord_answer_in_flight_posts_it_then_exits_0(tmp_path: Path, fake: FakeDiscord, shards: list[str]) -> None:
    """The gateway was closed at once, so a command acknowledged just before the stop never got its answer."""
    config = f"discord: {{api_base: '{fake.api_base}', gateway: '{fake.gateway}', admin_role_ids: [{ROLE_ID}]}}\n"
    async with running(tmp_path, config, "discord", "run", *shards, DISCORD_TOKEN=TOKEN) as (child, log):
        # Connected, not connecting: on Python 3.11 a cancel landing as discord.py's `wait_for` around the
        # handshake completes is lost (fixed in 3.12's wait_for), by Ctrl-C as by SIGTERM.
        await logged(log, child, "has connected to Gateway")
        if shards:
            await fake.wait_identified(2, timeout=30)
        upload = fake.attach("pack.yaml", (DATA / f"{BRIEFING_ID}.yaml").read_bytes())
        fake.held.add(upload["id"])  # `/import` acknowledges, then its download waits on Discord: in flight
        payload = fake.command("import", {"file": upload})
        assert await fake.interact(payload, timeout=15) == {"type": 5, "data": {"flags": EPHEMERAL}}
        await fake.wait_for(lambda r: r.path.startswith(f"/cdn/attachments/{upload['id']}/"), timeout=15)
        child.send_signal(signal.SIGTERM)
        await logged(log, child, STOPPING)
        fake.release.set()
        status = await stopped(child)
    text = log.read_text(encoding="utf-8")
    assert status == 0, text
    assert f"{STOPPING} finishing answers in flight (up to 5 s)" in text
    answer = await fake.followups(payload)
    assert answer.method == "PATCH" and answer.body["embeds"][0]["title"].endswith("nothing to import."), answer.body
    assert "Traceback" not in text
