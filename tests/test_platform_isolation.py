"""`briefbot run` with both platforms: one platform refusing its token stops only its own bot, in one line.

A Discord token reset while the bot ran closed the gateway with 4004; the traceback ended the whole process, Slack's
HTTP server with it, and the restart stopped at once on the same token: Slack stayed down until Discord was fixed.
Each test runs the real command in a process of its own against the loopback fakes, as deploy/Dockerfile starts it.
"""

from __future__ import annotations

import asyncio
import re
import signal
from pathlib import Path

import aiohttp

from tests.discord_fake import ROLE_ID, TOKEN, FakeDiscord
from tests.process_support import logged, running, stopped
from tests.slack_fake import BOT_TOKEN, SECRET, FakeSlack
from tests.test_stop_signals import free_port, slash_command

REJECTED = "DISCORD_TOKEN was rejected by Discord{}; copy the bot token again from the developer portal (Bot → Reset Token)."
STOPPED = "ERROR briefbot: discord stopped, the other platform keeps serving: "


def config(fake: FakeDiscord, slack: FakeSlack | None) -> str:
    """The platforms pointed at their loopback fakes."""
    discord = f"discord: {{api_base: '{fake.api_base}', gateway: '{fake.gateway}', admin_role_ids: [{ROLE_ID}]}}\n"
    return discord if slack is None else f"{discord}slack: {{api_base: '{slack.base_url}'}}\n"


async def slack_still_serves(slack: FakeSlack, http: aiohttp.ClientSession, port: int, hook: str) -> None:
    """A signed `/brief meeting` is acked and answered, and /healthz says the process is up."""
    await slash_command(slack, http, port, hook)
    await slack.wait_for(f"hook/{hook}", timeout=15)
    (answer,) = slack.calls(f"hook/{hook}")
    assert answer.body["text"].startswith("Meeting: Gustavo Petro"), answer.body
    async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
        assert health.status == 200 and (await health.json())["ok"] is True


async def test_a_discord_token_reset_while_running_leaves_slack_serving(tmp_path: Path, fake: FakeDiscord) -> None:
    port = free_port()
    async with FakeSlack() as slack, aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http, running(
        tmp_path, config(fake, slack), "run", "--host", "127.0.0.1", "--port", str(port),
        DISCORD_TOKEN=TOKEN, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET,
    ) as (child, log):
        await logged(log, child, "has connected to Gateway")
        await logged(log, child, "serving the Events API")
        await fake.reset_token()  # Discord closes the gateway with 4004
        await logged(log, child, STOPPED)
        await slack_still_serves(slack, http, port, "after")
        child.send_signal(signal.SIGTERM)
        status = await stopped(child)
    text = log.read_text(encoding="utf-8")
    assert status == 0, text
    (line,) = [line for line in text.splitlines() if "DISCORD_TOKEN" in line]
    assert line.endswith(STOPPED + REJECTED.format(" (the gateway closed with 4004)")), line
    assert "Traceback" not in text and "ConnectionClosed" not in text


async def test_a_discord_token_refused_at_start_starts_slack_alone(tmp_path: Path, fake: FakeDiscord) -> None:
    port = free_port()
    async with FakeSlack() as slack, aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http, running(
        tmp_path, config(fake, slack), "run", "--host", "127.0.0.1", "--port", str(port),
        DISCORD_TOKEN="reset-in-the-developer-portal", SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET,
    ) as (child, log):
        await logged(log, child, "serving the Events API")
        await logged(log, child, STOPPED)
        await slack_still_serves(slack, http, port, "start")
        child.send_signal(signal.SIGTERM)
        status = await stopped(child)
    text = log.read_text(encoding="utf-8")
    assert status == 0, text
    assert re.search(f"{re.escape(STOPPED + REJECTED.format(''))}$", text, re.MULTILINE), text
    assert "Traceback" not in text


async def test_discord_alone_with_a_refused_token_still_exits_2(tmp_path: Path, fake: FakeDiscord) -> None:
    async with running(tmp_path, config(fake, None), "run", DISCORD_TOKEN="reset-in-the-developer-portal") as (child, log):
        status = await asyncio.wait_for(child.wait(), 30)
    text = log.read_text(encoding="utf-8")
    assert status == 2, text
    assert text.strip().splitlines()[-1] == "briefbot: " + REJECTED.format("")
    assert "Traceback" not in text and "stopped:" not in text


async def test_a_slack_token_refused_at_start_leaves_discord_serving(tmp_path: Path, fake: FakeDiscord) -> None:
    async with FakeSlack(auth_error="token_revoked") as slack, running(
        tmp_path, config(fake, slack), "run", "--host", "127.0.0.1", "--port", str(free_port()),
        DISCORD_TOKEN=TOKEN, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET,
    ) as (child, log):
        await logged(log, child, "ERROR briefbot: slack stopped, the other platform keeps serving: SLACK_BOT_TOKEN was rejected by Slack")
        await logged(log, child, "has connected to Gateway")
        answer = await fake.interact(fake.command("meeting"), timeout=15)
        assert answer["type"] == 4 and "Gustavo Petro" in str(answer["data"]), answer
        child.send_signal(signal.SIGTERM)
        status = await stopped(child)
    text = log.read_text(encoding="utf-8")
    assert status == 0, text
    assert "Traceback" not in text
