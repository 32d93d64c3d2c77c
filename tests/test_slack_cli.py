"""The functions `briefbot slack …` calls: Socket Mode and HTTP mode end to end, tokens, the manifest."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml

from bot.adapters.slack_app.cli import manifest_text, run_http, run_socket_mode
from bot.adapters.slack_app.manifest import SLACK_BUILTINS, build_manifest
from bot.core.commands import COMMANDS
from bot.core.service import BriefingCore
from bot.errors import ConfigError
from bot.settings import Settings, SlackSettings
from tests.cli_support import briefbot
from tests.slack_fake import (
    APP_TOKEN,
    BOT_TOKEN,
    SECRET,
    FakeSlack,
    action_payload,
    home_opened_event,
    slash_payload,
)

ROOT = Path(__file__).resolve().parent.parent


def settings_for(slack: FakeSlack | None = None, **env: str) -> Settings:
    api_base = slack.base_url if slack else SlackSettings().api_base
    return Settings(slack=SlackSettings(api_base=api_base), env=env)


@contextlib.asynccontextmanager
async def running(work: Coroutine[Any, Any, None]) -> AsyncIterator[asyncio.Task[None]]:
    """Run a serve-forever coroutine for the block, then cancel it as the CLI's Ctrl-C would."""
    task = asyncio.create_task(work)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)


async def test_socket_mode_round_trip(core: BriefingCore) -> None:
    async with FakeSlack() as slack:
        settings = settings_for(slack, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN)
        async with running(run_socket_mode(settings, core)):
            await asyncio.wait_for(slack.connected.wait(), 5)
            (opened,) = slack.calls("apps.connections.open")
            assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"

            # Over Socket Mode a slash command's payload is JSON inside the envelope, not a form.
            payload = slash_payload("/timeline", "topic:sanctions", slack.response_url("s1"))
            await slack.push({"envelope_id": "e1", "type": "slash_commands", "accepts_response_payload": True, "payload": payload})
            ack = await asyncio.wait_for(slack.acks.get(), 5)
            assert ack["envelope_id"] == "e1"
            (answer,) = await slack.wait_for("hook/s1")
            assert answer.body["response_type"] == "ephemeral"
            assert answer.body["blocks"][0]["text"]["text"].startswith("Timeline")

            click = action_payload("briefbot_page_next", "timeline page:2", slack.response_url("s2"))
            await slack.push({"envelope_id": "e2", "type": "interactive", "accepts_response_payload": False, "payload": click})
            assert (await asyncio.wait_for(slack.acks.get(), 5))["envelope_id"] == "e2"
            (paged,) = await slack.wait_for("hook/s2")
            assert paged.body["replace_original"] is True

            await slack.push({"envelope_id": "e3", "type": "events_api", "accepts_response_payload": False, "payload": home_opened_event()})
            assert (await asyncio.wait_for(slack.acks.get(), 5))["envelope_id"] == "e3"
            (published,) = await slack.wait_for("views.publish")
            assert published.body["view"]["type"] == "home"
            assert published.headers["Authorization"] == f"Bearer {BOT_TOKEN}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_http_mode_serves_events_and_healthz(core: BriefingCore) -> None:
    port = free_port()
    async with FakeSlack() as slack, aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
        settings = settings_for(slack, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET)
        async with running(run_http(settings, core, port, host="127.0.0.1")):
            for _ in range(200):
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        assert response.status == 200
                        break
                await asyncio.sleep(0.01)
            else:
                pytest.fail("the HTTP server did not come up")
            async with http.post(f"http://127.0.0.1:{port}/slack/events", data="command=%2Fbrief") as response:
                assert response.status == 401  # unsigned


@pytest.mark.parametrize(
    ("runner", "env", "named"),
    [
        ("socket", {}, "SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set"),
        ("socket", {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN is not set"),
        ("http", {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": " "}, "SLACK_SIGNING_SECRET is not set"),
        ("http", {"SLACK_SIGNING_SECRET": SECRET}, "SLACK_BOT_TOKEN is not set"),
    ],
)
async def test_missing_tokens_are_named(core: BriefingCore, runner: str, env: dict[str, str], named: str) -> None:
    settings = settings_for(None, **env)
    work = run_socket_mode(settings, core) if runner == "socket" else run_http(settings, core, free_port())
    with pytest.raises(ConfigError, match=named) as raised:
        await asyncio.wait_for(work, 5)
    assert BOT_TOKEN not in str(raised.value) and SECRET not in str(raised.value)


def rejected_line(code: str) -> str:
    return (f"SLACK_BOT_TOKEN was rejected by Slack ({code}): the app was uninstalled, its token revoked or mistyped, or its installer"
            " deactivated; reinstall the app (api.slack.com/apps → Install App) and put its Bot User OAuth Token in SLACK_BOT_TOKEN")


@pytest.mark.parametrize("runner", ["socket", "http"])
@pytest.mark.parametrize("code", ["invalid_auth", "token_revoked", "account_inactive", "not_authed"])
async def test_a_token_slack_refuses_stops_the_start_naming_it(core: BriefingCore, runner: str, code: str) -> None:
    """One auth.test, through the app's own client and base_url, before anything is served or connected."""
    port = free_port()
    async with FakeSlack(auth_error=code) as slack:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_SIGNING_SECRET": SECRET}
        work = run_socket_mode(settings_for(slack, **env), core) if runner == "socket" else run_http(settings_for(slack, **env), core, port, host="127.0.0.1")
        with pytest.raises(ConfigError) as raised:
            await asyncio.wait_for(work, 10)
        (asked,) = slack.calls("auth.test")
        assert asked.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
        assert not slack.calls("apps.connections.open")  # Socket Mode never connected
    assert str(raised.value) == rejected_line(code)
    with pytest.raises(ConnectionRefusedError):  # HTTP mode never served
        await asyncio.open_connection("127.0.0.1", port)


@pytest.mark.parametrize("runner", ["socket", "http"])
async def test_a_slack_down_at_start_is_not_called_a_token_problem(core: BriefingCore, runner: str) -> None:
    async with FakeSlack(auth_status=503) as slack:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_SIGNING_SECRET": SECRET}
        work = run_socket_mode(settings_for(slack, **env), core) if runner == "socket" else run_http(settings_for(slack, **env), core, free_port())
        with pytest.raises(ConfigError) as raised:
            await asyncio.wait_for(work, 10)
    assert str(raised.value) == (f"Slack at 127.0.0.1:{slack.port} could not check SLACK_BOT_TOKEN (HTTP 503);"
                                 " check the network and slack.api_base, then start again")


async def test_a_slack_that_cannot_be_reached_at_start_is_said_so(core: BriefingCore) -> None:
    port = free_port()
    settings = Settings(slack=SlackSettings(api_base=f"http://127.0.0.1:{port}/api/"), env={"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET})
    with pytest.raises(ConfigError) as raised:
        await asyncio.wait_for(run_http(settings, core, free_port()), 10)
    assert str(raised.value) == (f"Slack at 127.0.0.1:{port} could not check SLACK_BOT_TOKEN (could not connect);"
                                 " check the network and slack.api_base, then start again")


async def serving_on(port: int) -> None:
    """Once something accepts connections on 127.0.0.1:`port` (within 10 s)."""
    for _ in range(200):
        with contextlib.suppress(ConnectionRefusedError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"nothing served on port {port}")


@pytest.mark.parametrize("runner", ["socket", "http"])
async def test_slack_starts_without_bolt_warning_that_the_token_goes_unused(
    core: BriefingCore, runner: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)  # where the operator puts it, and where bolt looks for it itself
    port = free_port()
    async with FakeSlack() as slack:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_SIGNING_SECRET": SECRET}
        settings = settings_for(slack, **env)
        work = run_socket_mode(settings, core) if runner == "socket" else run_http(settings, core, port, host="127.0.0.1")
        with caplog.at_level(logging.INFO):
            started = asyncio.ensure_future(work)
            if runner == "socket":
                await slack.wait_for("apps.connections.open")  # the app was built before it connects
            else:
                await serving_on(port)  # and before it serves
            started.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await started
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith(("bot.", "slack"))]


async def test_slack_oauth_variables_in_the_environment_stop_the_start_naming_them(
    core: BriefingCore, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With both set, bolt would serve by OAuth and ignore the bot token: every command unanswered."""
    monkeypatch.setenv("SLACK_CLIENT_ID", "123.456")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "shh")
    port = free_port()
    async with FakeSlack() as slack:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET}
        with pytest.raises(ConfigError) as raised:
            await asyncio.wait_for(run_http(settings_for(slack, **env), core, port, host="127.0.0.1"), 10)
    assert str(raised.value).startswith("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set")
    with pytest.raises(ConnectionRefusedError):  # never served
        await asyncio.open_connection("127.0.0.1", port)


async def test_the_command_line_says_a_refused_token_in_one_line_and_exits_2(tmp_path: Path) -> None:
    async with FakeSlack(auth_error="invalid_auth") as slack:
        config = tmp_path / "briefbot.yaml"
        config.write_text(f"slack:\n  api_base: {slack.base_url}\n", encoding="utf-8")
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET}
        done = await asyncio.to_thread(
            briefbot, "--config", config, "--db", tmp_path / "db.sqlite3", "slack", "run", "--http", "--port", "0", env=env,
        )
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == f"briefbot: {rejected_line('invalid_auth')}"
    assert "Traceback" not in done.stderr and BOT_TOKEN not in done.stderr


def test_checked_in_manifest_is_the_generated_one() -> None:
    assert (ROOT / "manifest.yml").read_text(encoding="utf-8") == manifest_text(), (
        "manifest.yml is not what the commands make: run `briefbot slack manifest > manifest.yml` and commit it"
    )


def test_manifest_commands_come_from_the_specs() -> None:
    manifest = yaml.safe_load(manifest_text())
    assert manifest == build_manifest()
    names = [c["command"] for c in manifest["features"]["slash_commands"]]
    expected = ["/brief"] + [f"/{s.name}" for s in COMMANDS.public() if s.name != "brief" and s.name not in SLACK_BUILTINS]
    assert names == expected
    assert "/search" not in names  # Slack's own /search always wins
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened", "app_uninstalled", "tokens_revoked"]
    # Digests post, DM a paused channel's admin, and after a crash read their own recent messages.
    assert {"commands", "chat:write", "im:write", "channels:history", "groups:history"} <= set(manifest["oauth_config"]["scopes"]["bot"])
    for command in manifest["features"]["slash_commands"]:
        assert len(command["description"]) <= 100 and len(command.get("usage_hint", "")) <= 100


def test_manifest_for_http_mode_and_dropped_names() -> None:
    url = "https://briefbot.example/slack/events"
    manifest = yaml.safe_load(manifest_text(request_url=url, drop={"faq", "help"}))
    commands = manifest["features"]["slash_commands"]
    assert all(c["url"] == url for c in commands)
    assert not {"/faq", "/help"} & {c["command"] for c in commands}
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
