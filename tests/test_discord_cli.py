"""`briefbot discord run|sync|invite-url` functions against the loopback Discord."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import discord
import pytest
from aiohttp import web
from msgspec.structs import replace

from bot.adapters.discord_app.cli import application_id, invite_url, run, sync
from bot.adapters.discord_app.digests import open_sender
from bot.core.commands import COMMANDS
from bot.core.digest.runner import SystemClock
from bot.core.registry import MAX_PAGE, Option, Registry
from bot.core.service import BriefingCore
from bot.errors import ConfigError
from bot.settings import DiscordSettings, Settings
from tests.cli_support import briefbot
from tests.conftest import fresh_database
from tests.discord_fake import APPLICATION_ID, GUILD_ID, TOKEN, FakeDiscord
from tests.process_support import logged, running, stopped

STRING, INTEGER, BOOLEAN = 3, 4, 5


def settings_for(fake: FakeDiscord, token: str | None = TOKEN) -> Settings:
    env = {} if token is None else {"DISCORD_TOKEN": token}
    return Settings(discord=DiscordSettings(api_base=fake.api_base, gateway=fake.gateway), env=env)


async def test_run_without_a_token_names_the_variable(fake: FakeDiscord, core: BriefingCore, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        await run(settings_for(fake, token=None), core, tmp_path)
    assert fake.requests == []


async def test_run_with_a_wrong_token_says_so_without_echoing_it(fake: FakeDiscord, core: BriefingCore, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DISCORD_TOKEN was rejected") as caught:
        await asyncio.wait_for(run(settings_for(fake, token="not-the-token"), core, tmp_path), 5)
    assert "not-the-token" not in str(caught.value)


async def test_run_registers_changed_commands_then_answers_until_cancelled(fake: FakeDiscord, core: BriefingCore, tmp_path: Path) -> None:
    task = asyncio.create_task(run(settings_for(fake), core, tmp_path))
    try:
        await fake.wait_identified()
        assert puts(fake) == [f"/applications/{APPLICATION_ID}/commands"]
        identify = fake.identifies[0]
        assert identify["intents"] == 1  # guilds only: no privileged intents, no message content
        body = await fake.interact(fake.command("brief"))
        assert body["type"] == 4 and body["data"]["flags"] == 64
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)
    again = asyncio.create_task(run(settings_for(fake), core, tmp_path))  # a restart: same schema, no PUT
    try:
        await fake.wait_identified(2)
        assert len(puts(fake)) == 1
    finally:
        again.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(again, 5)


async def test_run_waits_out_a_long_rate_limit_on_registering_its_commands(fake: FakeDiscord, core: BriefingCore, tmp_path: Path) -> None:
    """The bot's client registers and answers too: a limit longer than a digest send may wait is waited out, not a crash."""
    fake.commands_limited = 60.0
    task = asyncio.create_task(run(settings_for(fake), core, tmp_path))
    try:
        for _ in range(200):  # the registration meets the limit within 10 s
            if fake.limited:
                break
            await asyncio.sleep(0.05)
        assert fake.limited
        await asyncio.sleep(1.0)  # discord.py would have raised RateLimited at once
        assert not task.done()
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


def puts(fake: FakeDiscord) -> list[str]:
    return [r.path for r in fake.requests if r.method == "PUT"]


async def test_sync_registers_only_when_the_schema_changed(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = settings_for(fake)
    assert await sync(settings, COMMANDS, state_dir=tmp_path) is True
    assert await sync(settings, COMMANDS, state_dir=tmp_path) is False
    assert puts(fake) == [f"/applications/{APPLICATION_ID}/commands"]

    dev = replace(settings, discord=replace(settings.discord, dev_guild_id=GUILD_ID))  # the dev guild by default
    assert await sync(dev, COMMANDS, state_dir=tmp_path) is True
    assert await sync(settings, COMMANDS, guild_id=GUILD_ID, state_dir=tmp_path) is False
    assert puts(fake)[-1] == f"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands"
    # /import takes an attachment, so the adapter registers it beside the core's commands.
    assert {c["name"] for c in fake.commands[str(GUILD_ID)]} == {s.name for s in COMMANDS.specs} | {"import"}

    timeline = COMMANDS.resolve("timeline")
    changed = Registry(tuple(s if s is not timeline else type(s)(s.name, s.handler, s.options[:-1], s.positional) for s in COMMANDS.specs))
    assert await sync(settings, changed, state_dir=tmp_path) is True
    assert await sync(settings, COMMANDS, state_dir=tmp_path, force=True) is True
    assert len(puts(fake)) == 4


async def test_sync_and_run_register_one_schema_whatever_the_configured_locale(fake: FakeDiscord, core: BriefingCore, tmp_path: Path) -> None:
    """With `locale: es`, sync built its commands in Spanish and run in English: two hashes, so each registered again
    over the other, and after a sync a client in English read Spanish. Both are English with Spanish localizations."""
    spanish = replace(settings_for(fake), locale="es")
    assert await sync(spanish, COMMANDS, state_dir=tmp_path) is True
    for state, started in ((tmp_path / "fresh", 1), (tmp_path, 2)):
        task = asyncio.create_task(run(spanish, core, state))
        try:
            await fake.wait_identified(started)
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(task, 5)
    sent = [r.body for r in fake.requests if r.method == "PUT"]
    assert len(sent) == 2, "the run beside sync's marker registered again: another hash"
    synced, ran = sent
    assert ran == synced  # the fresh run's own registration sent sync's payload
    timeline = {c["name"]: c for c in synced}["timeline"]
    assert timeline["description"] == "The events of the story, oldest first; filter by dates, topic or words."
    assert timeline["description_localizations"]["es-ES"].startswith("Los hechos de la historia")


async def test_synced_schema_has_every_command_and_option_typed_and_described(fake: FakeDiscord, tmp_path: Path) -> None:
    await sync(settings_for(fake), COMMANDS, state_dir=tmp_path)
    registered = {c["name"]: c for c in fake.commands["global"]}
    assert set(registered) == {spec.name for spec in COMMANDS.specs} | {"import"}
    for spec in COMMANDS.specs:
        command = registered[spec.name]
        assert 0 < len(command["description"]) <= 100
        options = {o["name"]: o for o in command["options"]}
        if spec.file:  # /calendar and /export attach a file, always privately: their options are the spec's alone
            assert set(options) == {o.name for o in spec.options} and options, spec.name
        else:
            assert set(options) == {o.name for o in spec.options} | {"public"}
            assert options["public"]["type"] == BOOLEAN and options["public"]["required"] is False
        for option in spec.options:
            sent = options[option.name]
            assert 0 < len(sent["description"]) <= 100 and sent["required"] is option.required
            assert sent.get("autocomplete", False) is (option.complete is not None)
            if option.kind == "page":
                assert (sent["type"], sent["min_value"], sent["max_value"]) == (INTEGER, 1, MAX_PAGE)
            elif option.kind == "number":
                assert (sent["type"], sent["min_value"]) == (INTEGER, 0) and "max_value" not in sent
            else:
                expect_string(sent, option)


def expect_string(sent: dict, option: Option) -> None:
    assert (sent["type"], sent["min_length"], sent["max_length"]) == (STRING, 1, option.limit)
    if option.choices:
        assert [c["value"] for c in sent["choices"]] == list(option.choices)


async def test_sync_with_a_wrong_token_is_a_config_error(fake: FakeDiscord, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="rejected"):
        await sync(settings_for(fake, token="nope"), COMMANDS, state_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


async def test_application_id_is_asked_of_discord_with_the_token(fake: FakeDiscord) -> None:
    assert await application_id(settings_for(fake)) == APPLICATION_ID
    with pytest.raises(ConfigError, match="DISCORD_TOKEN was rejected"):
        await application_id(settings_for(fake, token="wrong"))
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        await application_id(settings_for(fake, token=None))


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def discord_down(status: int) -> AsyncIterator[int]:
    """A loopback server answering every request with `status`, as an overloaded Discord edge does; yields its port."""
    async def answer(_: web.Request) -> web.Response:
        return web.json_response({"message": "Service Unavailable", "code": 0}, status=status)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield int(runner.addresses[0][1])
    finally:
        await runner.cleanup()


def unreachable(port: int) -> Settings:
    return Settings(discord=DiscordSettings(api_base=f"http://127.0.0.1:{port}/api/v10"), env={"DISCORD_TOKEN": TOKEN})


async def test_a_discord_that_cannot_be_reached_at_start_is_said_in_one_line(core: BriefingCore, tmp_path: Path) -> None:
    port = closed_port()
    said = (f"Discord at 127.0.0.1:{port} could not check DISCORD_TOKEN (could not connect); check the network and"
            " discord.api_base, then start again")
    for start in (run(unreachable(port), core, tmp_path), sync(unreachable(port), COMMANDS, state_dir=tmp_path), application_id(unreachable(port))):
        with pytest.raises(ConfigError) as raised:
            await asyncio.wait_for(start, 10)
        assert str(raised.value) == said
    with pytest.raises(ConfigError) as raised:  # `digest run-once`'s sender logs in the same way
        async with open_sender(unreachable(port), SystemClock()):
            pass
    assert str(raised.value) == said
    async with discord_down(503) as down:  # discord.py raises a 503 at once (502s it retries for ~16 s first)
        with pytest.raises(ConfigError) as raised:
            await asyncio.wait_for(application_id(unreachable(down)), 10)
    assert str(raised.value).startswith(f"Discord at 127.0.0.1:{down} could not check DISCORD_TOKEN (HTTP 503);")


def test_invite_url_from_an_unreachable_discord_exits_2_without_a_traceback(tmp_path: Path) -> None:
    """The same line and status as a Slack that cannot be reached (docs/deploy.md), not "failed unexpectedly"."""
    config = tmp_path / "briefbot.yaml"
    port = closed_port()
    config.write_text(f"discord: {{api_base: 'http://127.0.0.1:{port}/api/v10'}}\n", encoding="utf-8")
    shown = briefbot("--config", config, "--db", tmp_path / "b.sqlite3", "discord", "invite-url", env={"DISCORD_TOKEN": TOKEN})
    assert shown.returncode == 2 and "Traceback" not in shown.stderr, shown.stderr
    assert shown.stderr.splitlines()[-1] == (f"briefbot: Discord at 127.0.0.1:{port} could not check DISCORD_TOKEN (could not"
                                             " connect); check the network and discord.api_base, then start again")


def test_invite_url_asks_for_both_scopes_and_only_what_digests_post_with() -> None:
    url = urlsplit(invite_url(APPLICATION_ID))
    query = parse_qs(url.query)
    assert url.netloc == "discord.com" and query["client_id"] == [str(APPLICATION_ID)]
    assert query["scope"] == ["bot applications.commands"]
    wanted = discord.Permissions(
        view_channel=True, send_messages=True, send_messages_in_threads=True, embed_links=True, read_message_history=True
    )
    assert discord.Permissions(int(query["permissions"][0])) == wanted


async def test_run_on_postgresql_serves_on_when_var_cannot_be_written(fake: FakeDiscord, postgres_server: str | None, tmp_path: Path) -> None:
    # With a postgresql:// store the hash lives in var/ under the working directory, which a PaaS or a
    # container may keep read-only: the process registered, crashed writing it, restarted, registered again.
    (tmp_path / "var").write_text("not a folder", encoding="utf-8")  # so var/ cannot be made, even by root
    config = f"discord: {{api_base: '{fake.api_base}', gateway: '{fake.gateway}'}}\n"
    async with (
        fresh_database(postgres_server) as url,
        running(tmp_path, config, "discord", "run", db=url, DISCORD_TOKEN=TOKEN) as (child, log),
    ):
        await logged(log, child, "has connected to Gateway")
        body = await fake.interact(fake.command("brief"))
        assert body["type"] == 4
        child.send_signal(signal.SIGTERM)
        status = await stopped(child)
    text = log.read_text(encoding="utf-8")
    assert status == 0, text
    assert puts(fake) == [f"/applications/{APPLICATION_ID}/commands"]
    (warning,) = [line for line in text.splitlines() if "WARNING bot.adapters.discord_app.cli" in line]
    assert warning.endswith(
        "cannot write var (File exists): the slash commands are registered again at every start, one request each "
        'against Discord\'s rate limit; give the bot a writable folder there (docs/deploy.md, "Discord")'
    )
    assert "Traceback" not in text
