"""The commands that serve (`run`, `discord`, `slack`): the platforms' bots over one store and core, until stopped."""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from bot.adapters.console import ConsoleSession, run_console, utc_now
from bot.cli.wiring import state_dir, with_core
from bot.core.service import BriefingCore
from bot.errors import ConfigError, TokenRejected
from bot.settings import Settings
from bot.store import Store

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger("briefbot")


# The cyclic collector's thresholds in a process that serves. A middle-generation collection walks every object
# that survived the young collections since the last one: after every second young collection rather than Python's
# every tenth, so its pause fits within one request's budget (issue #14). The oldest threshold keeps full collections
# as rare as a Discord burst needs: the interactions in flight are a large young heap, not garbage, and at Python's
# default each burst walked it in full several times. Figures: docs/benchmarks-log.md, "Collector thresholds while serving".
SERVING_THRESHOLDS = (700, 2, 1500)


def serving_collector() -> None:
    """The cyclic collector on, with the thresholds a serving bot needs: short pauses, rare full collections."""
    gc.set_threshold(*SERVING_THRESHOLDS)
    gc.enable()


def event_loop(action: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop for the Discord bot where it is installed (not on Windows), else asyncio's.

    Under a burst it cuts the bot's CPU per first response (docs/benchmarks-log.md, "Less CPU per first response");
    the other commands start sooner without importing it. The Slack bot's HTTP server needs asyncio's own
    transports (slack_app/connections.py).
    """
    if action != "discord":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def platform_bots(settings: Settings) -> list[str]:
    """The platforms whose tokens are in the environment, so `run` starts their bots too."""
    env = settings.env
    bots = ["discord"] if env.get("DISCORD_TOKEN") else []
    if env.get("SLACK_BOT_TOKEN") and (env.get("SLACK_APP_TOKEN") or env.get("SLACK_SIGNING_SECRET")):
        bots.append("slack")
    return bots


async def run(args: argparse.Namespace, settings: Settings) -> int:
    """The console bot, plus Discord and Slack when their tokens are set, over one store and core."""
    import asyncio  # every command but a one-shot `ask` runs on an event loop: `main` has imported it

    bots = platform_bots(settings)

    async def body(store: Store, core: BriefingCore) -> int:
        tasks = [asyncio.create_task(_platform(name, settings, core, args, store), name=name) for name in bots]
        if tasks:
            log.info("starting %s", " and ".join(bots))
        if sys.stdin.isatty() or not tasks:
            session = ConsoleSession(core, utc_now, args.briefing, settings.locale)
            tasks.append(asyncio.create_task(run_console(session, history=state_dir(args, settings) / ".console_history"), name="console"))
        try:
            # Whichever ends first (console quit, a bot's fatal error) ends the run; but a platform that refused its
            # token stops only its own bot, in one line, while another platform still serves (its users, its digests).
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            while _only_refused(done) and any(task.get_name() in bots for task in pending):
                for task in done:
                    log.error("%s stopped, the other platform keeps serving: %s", task.get_name(), task.exception())
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            task.result()  # re-raise a ConfigError from a bot, for the exit status
        return 0

    return await _until_stopped(with_core(args, settings, body), bots)


def _only_refused(done: set[asyncio.Task[None]]) -> bool:
    """Whether every bot that ended did so because its platform refused its token (TokenRejected)."""
    return all(not task.cancelled() and isinstance(task.exception(), TokenRejected) for task in done)


async def _platform(name: str, settings: Settings, core: BriefingCore, args: argparse.Namespace, store: Store) -> None:
    """Run one platform's bot and its digest loop; imported here so the console never loads a platform SDK."""
    ledger = store.digests
    if name == "discord":
        from bot.adapters.discord_app import cli as discord_cli

        await discord_cli.run(
            settings, core, state_dir(args, settings), ledger=ledger, shards=getattr(args, "shard_slice", None),
            shared=store.digests.shared_turn,
        )
    elif _slack_over_http(args, settings):
        from bot.adapters.slack_app import cli as slack_cli

        await slack_cli.run_http(settings, core, args.port, host=args.host, ledger=ledger, store_check=store.check, keys=store.keys)
    else:
        from bot.adapters.slack_app import cli as slack_cli

        await slack_cli.run_socket_mode(settings, core, ledger=ledger, keys=store.keys)


def _slack_over_http(args: argparse.Namespace, settings: Settings) -> bool:
    """`slack run` serves HTTP when told (--http); `run` when there is no app token (platform_bots saw a signing secret)."""
    if args.action == "run":
        return not settings.env.get("SLACK_APP_TOKEN", "").strip()
    return bool(args.http)


async def discord(args: argparse.Namespace, settings: Settings) -> int:
    """`discord run`, `sync` and `invite-url`: discord.py is imported by these alone."""
    from bot.adapters.discord_app import cli as discord_cli
    from bot.core.commands import COMMANDS

    if args.discord_action == "invite-url":
        if args.application_id is None and not settings.env.get("DISCORD_TOKEN", "").strip():
            raise ConfigError(
                "invite-url needs the application id: briefbot discord invite-url APPLICATION_ID (the Developer "
                "Portal shows it under General Information), or DISCORD_TOKEN set so Discord can be asked for it."
            )
        print(discord_cli.invite_url(args.application_id or await discord_cli.application_id(settings)))
        return 0
    if args.discord_action == "sync":
        changed = await discord_cli.sync(settings, COMMANDS, args.guild, state_dir(args, settings), args.force)
        print("slash commands registered" if changed else "slash commands unchanged; nothing sent")
        return 0
    check_shards(args, settings)
    return await _serve("discord", args, settings)


def check_shards(args: argparse.Namespace, settings: Settings) -> None:
    """`--shards A-B --shard-count N` as a slice, kept on `args`; checked before the store opens, so a wrong one stops at once."""
    from bot.adapters.discord_app.shards import shard_slice

    args.shard_slice = shard_slice(args.shards, settings.discord.shard_count if args.shard_count is None else args.shard_count)


async def _serve(name: str, args: argparse.Namespace, settings: Settings) -> int:
    """Open the store and run one platform's bot until it stops."""

    async def body(store: Store, core: BriefingCore) -> int:
        await _platform(name, settings, core, args, store)
        return 0

    return await _until_stopped(with_core(args, settings, body), [name])


async def _until_stopped(serving: Coroutine[Any, Any, int], platforms: list[str]) -> int:
    """Serve until done, or until SIGTERM, which ends it as Ctrl-C does (answers in flight finish), exit status 0.

    SIGTERM is how every platform stops a process (Heroku, Docker, systemd, honcho), SIGKILL following
    after its grace period; as a container's PID 1 a process without a handler never even sees it.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    main_task = asyncio.current_task()
    assert main_task is not None  # a coroutine awaited on a loop runs in a task
    stopping: list[str] = []

    def stop() -> None:
        if not stopping:  # a second SIGTERM does not cut the first one's drain short: the platform's SIGKILL bounds it
            stopping.append(_stopping_line(platforms))
            log.info("%s", stopping[0])
            main_task.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, stop)
    except (NotImplementedError, RuntimeError):  # Windows' loops take no handlers; nor does a loop off the main thread (the prompt's)
        return await serving
    try:
        return await serving
    except asyncio.CancelledError:
        if not stopping:
            raise
        main_task.uncancel()
        return 0
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


def _stopping_line(platforms: list[str]) -> str:
    """What a SIGTERM does, for the log: how long the bots' answers in flight may still take, so the grace can be set above it."""
    if not platforms:  # the console alone: nothing answers in the background
        return "stopping: SIGTERM received; closing the connections"
    from bot.adapters.inflight import DRAIN_SECONDS

    return f"stopping: SIGTERM received; finishing answers in flight (up to {DRAIN_SECONDS:g} s)"


async def slack(args: argparse.Namespace, settings: Settings) -> int:
    """`slack run` and `slack manifest`: slack-bolt is imported by these alone."""
    from bot.adapters.slack_app import cli as slack_cli

    if args.slack_action == "manifest":
        from bot.adapters.slack_app.manifest import UMBRELLA, build_manifest

        # /brief carries every command, so it is the one that cannot be left out.
        known = [c["command"].lstrip("/") for c in build_manifest()["features"]["slash_commands"] if c["command"] != f"/{UMBRELLA}"]
        unknown = [name for name in args.without if name.lstrip("/") not in known]
        if unknown:
            raise ConfigError(f"--without {unknown[0]}: the manifest has no such slash command; it has: {', '.join(known)}")
        sys.stdout.write(slack_cli.manifest_text(request_url=args.request_url, drop=[name.lstrip("/") for name in args.without]))
        return 0
    return await _serve("slack", args, settings)
