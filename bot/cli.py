"""The `briefbot` command line: load settings, open the store, wire one adapter, run.

Exit status: 0 success, 1 a user error (bad command, invalid pack, a full disk) or a failure nobody expected, 2 a configuration error.
A serving command stopped by SIGTERM or Ctrl-C exits 0 once it has finished its answers in flight (docs/deploy.md, "Stopping").
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import json
import logging
import os
import shlex
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
import msgspec.structs

from bot import settings_cache
from bot.adapters.console import (
    PROMPT,
    WIDTH,
    ConsoleSession,
    render_text,
    run_console,
    terminal_columns,
    terminal_width,
    utc_now,
)
from bot.adapters.console_log import log_to_console
from bot.core import cldr
from bot.core.admin.authors import ERASED, author_words, platform_name
from bot.core.admin.cited import kept_unread, readable_only
from bot.core.admin.imports import overwritten_line, pack_diff, taken_back_lines
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.admin.shown import revision_titles
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.dates import FIRST_YEAR, LAST_YEAR
from bot.core.digest.commands import parse_alerts, parse_clock, parse_zone
from bot.core.digest.model import DigestSettings
from bot.core.digest.sending import Clock, Pace, Sender
from bot.core.formatting import utc_time_label
from bot.core.i18n import language_of, spoken_language, typed_language
from bot.core.kinds import PACK_KINDS
from bot.core.model import Briefing
from bot.core.offload import run_inline
from bot.core.pack import item_ids, problem_lines, problem_message
from bot.core.platforms import USER_IDS
from bot.core.registry import in_readers_words, readers_text
from bot.core.replies import Approval
from bot.core.requests import Request
from bot.core.service import BriefingCore, PackFile
from bot.core.settings import CoreSettings
from bot.core.skeleton import placeholder
from bot.errors import ConfigError, PackError, StoreError, UserError
from bot.outputs import write_output
from bot.settings import NOT_SHOWN, Settings, holds_url, load_settings, store_location
from bot.store import Store, open_store
from bot.store.choices import BriefingInUse
from bot.store.loads import EditedSinceLoad
from bot.store.repository import SqliteBriefingRepository

if TYPE_CHECKING:
    import asyncio

    from bot.adapters.discord_app.shards import ShardSlice
    from bot.core.digest.runner import TickReport

log = logging.getLogger("briefbot")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
EXIT_USER, EXIT_CONFIG = 1, 2
# `admin import`'s answer when the pack holds exactly what the briefing holds: a script tells it from changes listed (0).
EXIT_NOTHING_TO_IMPORT = 3


SUBCOMMANDS = {
    "ask": 'answer one command and exit, e.g. briefbot ask "/meeting"',
    "console": "interactive prompt; answers each line of a pipe",
    "run": "seed the store if needed; start the console, and Discord and Slack when their tokens are set",
    "new": "write a commented pack skeleton for a new story (validate accepts it, load loads it)",
    "validate": "check pack files and report every problem",
    "migrate-pack": "rewrite a pack's one `meeting:` and venue/home zones as `sessions:` and `zones:`",
    "load": "validate and load packs (default: every pack in the packs folder)",
    "briefings": "the stored briefings, and which one answers by default",
    "admin": "change the briefing as the operator: briefbot admin set kind:meeting status:concluded",
    "export": "write a briefing as a pack file that loads back the same",
    "discord": "the Discord bot (needs DISCORD_TOKEN)",
    "store": "the store itself",
    "digest": "daily digests: preview one, or send what is due and exit",
    "slack": "the Slack app (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN or SLACK_SIGNING_SECRET)",
}


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand; `briefbot --help` lists them, and a subcommand's options are added once it is chosen."""
    parser = _Parser(prog="briefbot", description="Briefing bot for Discord, Slack and the console.")
    parser.register("action", "parsers", _Subcommands)
    _general_options(parser, None)
    sub = parser.add_subparsers(dest="action", required=True, metavar="COMMAND")
    for name, help_text in SUBCOMMANDS.items():
        sub.add_parser(name, help=help_text)
    return parser


class _Help(argparse.HelpFormatter):
    """argparse's help at argparse's width, found without `shutil`.

    argparse builds a formatter for every option added (to check its metavar), and each sizes itself with
    `shutil.get_terminal_size`, whose module imports bz2 and lzma: ~7 M instructions of every start.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, terminal_columns(80) - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    """A parser whose help is laid out by `_Help`; its subcommands' parsers are of this class too (argparse's default)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)


class _Subcommands(argparse._SubParsersAction):  # type: ignore[type-arg]  # generic in typeshed only, not at run time
    """Subcommands whose options are added when one is chosen: a start builds one, not all 27 parsers' options (≈ 5 ms)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option_string: str | None = None) -> None:
        chosen = self._name_parser_map.get(values[0]) if values else None
        if chosen is not None and not chosen._actions[1:]:  # only its -h so far (a parser may parse twice)
            _add_options(values[0], chosen)
            for subcommand in [chosen, *_subcommands(chosen)]:
                # `briefbot ask --briefing X …` works as well as `briefbot --briefing X ask …`; the
                # subcommand's copy is set only when given, so it never hides the one given first.
                _general_options(subcommand, argparse.SUPPRESS)
        super().__call__(parser, namespace, values, option_string)


def _http_options(parser: argparse.ArgumentParser) -> None:
    """Where Slack's Events API is served: `slack run --http`, and `run` when Slack has a signing secret but no app token."""
    parser.add_argument("--port", type=int, default=3000, help="HTTP port for Slack (default 3000)")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP address to bind for Slack (default 0.0.0.0; 127.0.0.1 behind a local proxy)")


def _add_options(name: str, parser: argparse.ArgumentParser) -> None:
    """One subcommand's options, and its own subcommands with theirs."""
    if name == "run":
        _http_options(parser)
    elif name in ("ask", "console"):
        if name == "ask":
            parser.add_argument("line", help="the command line, e.g. '/help timeline'")
        parser.add_argument("--now", type=_instant, help="fix the clock, e.g. 2026-02-01T12:00:00Z")
    elif name == "new":
        parser.add_argument("id", metavar="ID", help="the new briefing's id: lower-case letters, digits, - or _")
        parser.add_argument("--title", required=True, help="its title, one line")
        parser.add_argument("--zone", default="UTC", help="the venue's IANA time zone (default: UTC)")
        parser.add_argument("--language", help="the language its text is written in, en or es (default: the configured locale's)")
        parser.add_argument("-o", "--output", type=Path, help="the file to write (default: PACKS_DIR/ID.yaml); never overwritten")
    elif name == "validate":
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--sources", type=Path, help="folder holding the sources' text files (default: each text path beside the pack)")
    elif name == "migrate-pack":
        parser.add_argument("path", type=Path)
        parser.add_argument("--write", action="store_true", help="replace the file (atomically) instead of printing the new text")
    elif name == "load":
        parser.add_argument("paths", nargs="*", type=Path)
        parser.add_argument("--default", action="store_true", help="make the (last) loaded briefing the default")
        parser.add_argument(
            "--discard-edits", action="store_true",
            help="load even over changes made since the last load (admin edits, imports); one revision that admin undo reverts",
        )

    elif name == "briefings":
        briefings = parser.add_subparsers(dest="briefings_action", required=True, metavar="ACTION")
        briefings.add_parser("list", help="every briefing: id, title, default marker (*), last change")
        default = briefings.add_parser("default", help="make a stored briefing the default (loads no pack)")
        default.add_argument("id", help="the briefing id, as briefbot briefings list shows it")
        archive = briefings.add_parser("archive", help="keep a briefing readable and searchable, but send no digest or alert for it")
        archive.add_argument("id", help="the briefing id")
        archive.add_argument("--undo", action="store_true", help="bring an archived briefing back: its digests and alerts resume")
        remove = briefings.add_parser("remove", help="delete a briefing with its items and history (refused while it is in use)")
        remove.add_argument("id", help="the briefing id")
        forget = briefings.add_parser(
            "forget-space", help="end the subscriptions and forget the briefing choices of a server or workspace the bot has left",
        )
        forget.add_argument("platform", choices=("discord", "slack"))
        forget.add_argument("space", metavar="SPACE_ID", help="the Discord server's id or the Slack workspace's (T…)")
    elif name == "admin":
        parser.description = (
            "Admin commands as the trusted local operator (set, add, remove, history, undo), "
            "`admin import PATH [--apply --version N --changes DIGEST [--discard-edits]]`: a dry run listing what a pack would "
            "change (and the version and digest it was checked against), then the change, which needs both and is refused if "
            "the briefing or the file moved past them, or if it takes back edits made since the last load without --discard-edits; "
            "`admin export`: the briefing as a pack on standard output."
        )
        parser.add_argument("words", nargs=argparse.REMAINDER, help="the admin command and its key:value options")
    elif name == "export":
        parser.add_argument("--output", "-o", type=Path, help="file to write, JSON when named .json (default: standard output, YAML)")
        parser.add_argument("--ics", action="store_true", help="write the sessions and the dated agenda as an iCalendar (.ics) file instead")
    elif name == "discord":
        discord = parser.add_subparsers(dest="discord_action", required=True, metavar="ACTION")
        discord_run = discord.add_parser("run", help="connect to Discord and answer slash commands")
        discord_run.add_argument("--shards", metavar="A-B", help="connect only these shards (e.g. 0-3), and send only their guilds' digests")
        discord_run.add_argument("--shard-count", type=int, metavar="N", help="the bot's shards in all (default: discord.shard_count)")
        sync = discord.add_parser("sync", help="register the slash commands (only when they changed)")
        sync.add_argument("--guild", type=int, help="register in one guild (instant), not globally")
        sync.add_argument("--force", action="store_true", help="register even if nothing changed")
        invite = discord.add_parser("invite-url", help="print the URL that adds the bot to a server")
        invite.add_argument("application_id", type=int, nargs="?", help="the application id (default: asked of Discord with DISCORD_TOKEN)")
    elif name == "store":
        store = parser.add_subparsers(dest="store_action", required=True, metavar="ACTION")
        copy = store.add_parser("copy", help="copy a whole store between a SQLite file and a postgresql:// URL, losslessly")
        copy.add_argument("source", type=_store_argument, help="the store to copy (left unchanged)")
        copy.add_argument("destination", type=_store_argument, help="an empty store (a SQLite file is created)")
        forget = store.add_parser("forget-user", help=f"erase a user wherever briefbot stored them as an author: “{ERASED}” instead, their reasons cleared")
        forget.add_argument("platform", choices=sorted(USER_IDS), help="the platform of the user id")
        forget.add_argument("user_id", metavar="USER_ID", help="their id on it (Discord: digits; Slack: U… or W…)")
        store.add_parser("vacuum", help="rewrite a SQLite file, so what was deleted or replaced no longer lingers in it")
    elif name == "digest":
        digest = parser.add_subparsers(dest="digest_action", required=True, metavar="ACTION")
        preview = digest.add_parser("preview", help="show the digest each subscribed channel would get now, without sending")
        preview.add_argument("--channel", help="only this channel's (its id)")
        preview.add_argument("--now", type=_instant, help="as of this time, e.g. 2026-02-03T12:30:00Z")
        run_once = digest.add_parser("run-once", help="send every digest and alert that is due, then exit (cron-style hosting)")
        run_once.add_argument("--now", type=_instant, help="start the clock at this time instead of the real one")
        run_once.add_argument("--platform", choices=("discord", "slack"), action="append", help="only this platform (default: those whose tokens are set)")
        run_once.add_argument("--shards", metavar="A-B", help="Discord: only the guilds on these shards, at their share of the rate limit")
        run_once.add_argument("--shard-count", type=int, metavar="N", help="Discord: the bot's shards in all (default: discord.shard_count)")
    elif name == "slack":
        slack = parser.add_subparsers(dest="slack_action", required=True, metavar="ACTION")
        slack_run = slack.add_parser("run", help="connect over Socket Mode, or serve the Events API with --http")
        slack_run.add_argument("--http", action="store_true", help="serve /slack/events over HTTP (signatures verified)")
        _http_options(slack_run)
        manifest = slack.add_parser("manifest", help="print the app manifest to paste into api.slack.com/apps")
        manifest.add_argument("--request-url", help="public URL of /slack/events, for HTTP mode instead of Socket Mode")
        manifest.add_argument("--without", action="append", default=[], metavar="COMMAND", help="leave out a slash command the workspace already has")


def _store_argument(text: str) -> Path | str:
    """A SQLite file or a postgresql:// URL; another `scheme://` is refused by argparse without echoing it (a password)."""
    try:
        return store_location(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _language(text: str) -> str:
    """`--locale es-CO` → "es"; a language the bot lacks is refused by argparse, naming the choices."""
    try:
        return spoken_language(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error}") from None
def _general_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--config, --db, --briefing and --locale, accepted before or after the subcommand."""
    parser.add_argument("--config", type=Path, default=default, help="settings file (default: $BRIEFBOT_CONFIG or config/briefbot.yaml)")
    parser.add_argument("--db", type=_store_argument, default=default,
                        help="SQLite file or postgresql:// URL (default: $BRIEFBOT_DB, or store.url or store.path in the config)")
    parser.add_argument("--briefing", default=default, help="briefing id (default: the store's default briefing)")
    parser.add_argument("--locale", type=_language, default=default, help="language of the answers: en or es (default: locale in the config, else en)")


def _subcommands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every subcommand's parser, nested ones (`discord invite-url`) included."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                found += [child, *_subcommands(child)]
    return found


def _instant(text: str) -> datetime:
    """An ISO 8601 instant with its zone: a bare wall clock would be read in a zone nobody chose."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time such as 2026-02-01T12:00:00Z") from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:  # the digest's next 24 hours would overflow near 9999
        raise argparse.ArgumentTypeError(f"{text!r} is outside the years the bot handles, {FIRST_YEAR} to {LAST_YEAR}")
    if parsed.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no time zone; add Z for UTC ({text}Z) or the offset, such as {text}-05:00"
        )
    return parsed


# The cyclic collector's thresholds in a process that serves. A middle-generation collection walks every object
# that survived the young collections since the last one: at Python's default (700, 10, 10) about 7,000 objects,
# 1–1.5 ms inside one request (issue #14 allows 1 ms per request); after every second young collection, about
# 1,400: 0.3 ms. The oldest threshold keeps full collections as rare as a Discord burst needs (one per ~2 million
# objects allocated and kept): 2,000 interactions in flight are a young heap of a million objects, not garbage,
# and at the default each burst ran two or three full collections of 0.2 s. docs/benchmarks-log.md, "Collector thresholds while serving".
SERVING_THRESHOLDS = (700, 2, 1500)


def serving_collector() -> None:
    """The cyclic collector on, with the thresholds a serving bot needs: short pauses, rare full collections."""
    gc.set_threshold(*SERVING_THRESHOLDS)
    gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `briefbot` script."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
        if args.locale is not None:  # an explicit argument beats the config file
            settings = msgspec.structs.replace(settings, locale=args.locale)
    except ConfigError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except Exception:  # noqa: BLE001 - the settings' reading failed unexpectedly: said in one line, not a traceback alone
        return _unexpected(args.action, args.locale or Settings().locale)
    level = getattr(logging, settings.log_level, logging.INFO)
    if args.action == "console" and level > logging.DEBUG:  # a person reads it beside the answers: one line each
        log_to_console(level, LOG_FORMAT)
    else:
        logging.basicConfig(level=level, format=LOG_FORMAT)
    if args.action not in ("ask", "validate", "load"):  # started (`python -m bot` starts with it off); one answer, then exit, needs none,
        serving_collector()  # nor does checking or loading packs, whose millions of objects a collection would walk over and over
    handler = ACTIONS[args.action]
    try:
        if args.action in ("console", "run") and sys.stdin.isatty() and sys.stdout.isatty():
            return _at_the_prompt(handler(args, settings), catalogue_for(settings.locale)("console.interrupted"))
        if args.action == "ask" and isinstance(_store_path(args, settings), Path):  # not a postgresql:// URL
            # One answer from a SQLite file: its coroutines driven without an event loop, so asyncio, ssl and
            # aiosqlite are never imported (bot/core/offload.py). A PostgreSQL URL needs asyncpg's loop.
            return run_inline(handler(args, settings))
        import asyncio

        with asyncio.Runner(loop_factory=_event_loop(args.action)) as runner:  # asyncio.run, with a choice of loop
            return runner.run(handler(args, settings))
    except ConfigError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except PackError as error:
        print("\n".join(problem_lines(error, catalogue_for(settings.locale))), file=sys.stderr)
        print(catalogue_for(settings.locale)(error.key, **error.params), file=sys.stderr)
        return EXIT_USER
    except UserError as error:
        cat = catalogue_for(settings.locale)
        print(f"briefbot: {cat(error.key, **in_readers_words(error.key, error.params, cat.locale))}", file=sys.stderr)
        return EXIT_USER
    except StoreError as error:
        # The store's message names the cause (a full disk, a damaged file) and SQLite's own words: no traceback.
        print(f"briefbot: the database could not be used: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:  # whatever read the output went away (`briefbot export | head`): nothing is wrong, nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's own flush cannot fail again
        return EXIT_USER
    except Exception:  # noqa: BLE001 - outside any command's own handling (BriefingCore.dispatch's): the last place to catch it
        return _unexpected(args.action, settings.locale)


def _unexpected(action: str, locale: str) -> int:
    """A failure nobody expected: its traceback in the log, for whoever runs briefbot; one line for the operator."""
    log.exception("briefbot %s failed", action)
    print(f"briefbot: {catalogue_for(locale)('cli.failed')}", file=sys.stderr)
    return EXIT_USER


def _event_loop(action: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop for the Discord bot where it is installed (not on Windows), else asyncio's.

    Under a burst of 2,000 interactions beside a CPU hog it cut the bot's CPU per first response by about a
    fifth (docs/benchmarks-log.md); the other commands start sooner without importing it. The Slack bot's
    HTTP server needs asyncio's own transports (slack_app/connections.py).
    """
    if action != "discord":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _at_the_prompt(bot: Coroutine[Any, Any, int], hint: str) -> int:
    """Run the bot on a second thread while this, the main thread, reads the prompt (Ctrl-C reaches only it)."""
    import asyncio

    from bot.adapters.terminal import PROMPT_READER, PromptReader

    reader = PromptReader()
    outcome: list[int | BaseException] = []

    def run_bot() -> None:
        if hasattr(signal, "pthread_sigmask"):
            # Ctrl-C must reach the main thread: the kernel may hand a signal to any thread that does not
            # block it, and this thread's mask is inherited by every thread it starts (aiosqlite's, executors).
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        PROMPT_READER.set(reader)  # asyncio.run's tasks copy this thread's context, so run_console finds it
        try:
            outcome.append(asyncio.run(bot))
        except BaseException as error:  # noqa: BLE001 - re-raised on the main thread, for the exit status
            outcome.append(error)
        finally:
            reader.finished()

    # The prompt owns Ctrl-C, even when started with SIGINT ignored (as a shell does for background jobs).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # readline sets itself up on import: here, not on the bot's thread, where SIGINT is blocked. Windows
    # without pyreadline has none: the prompt still works, without line editing.
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401
    thread = threading.Thread(target=run_bot, name="briefbot")
    thread.start()
    try:
        reader.serve(PROMPT, hint)
    finally:
        # The reader has left and the bot is shutting down: a Ctrl-C more must not cut that short
        # (an interrupted join or `leave` would leave the bot's thread running, and the process with it).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            reader.leave()
        finally:
            _join(thread)
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _join(thread: threading.Thread) -> None:
    """Wait for the thread; a Ctrl-C that came just before SIGINT was ignored interrupts one wait at most."""
    try:
        thread.join()
    except KeyboardInterrupt:
        thread.join()


def _store_path(args: argparse.Namespace, settings: Settings) -> Path | str:
    return args.db or settings.store_path


def _state_dir(args: argparse.Namespace, settings: Settings) -> Path:
    """Where local state (console history, Discord's sync stamp) lives: beside the SQLite file, else var/."""
    store = _store_path(args, settings)
    return store.parent if isinstance(store, Path) else Path("var")


async def _with_core(
    args: argparse.Namespace, settings: Settings, body: Callable[[Store, BriefingCore], Awaitable[int]], warm_indexes: bool = True,
) -> int:
    """Open the store, seed it on first run, make the configured default the stored one, and hand a core over it to `body`."""
    async with open_store(_store_path(args, settings), pool_size=settings.store.pool_size) as store:
        # A command whose --briefing names all it reads or changes works whatever the settings' default is.
        needed = args.briefing is None or args.action not in _ONE_BRIEFING
        seeded = await store.seed(settings.packs_dir, settings.default_briefing, needed=needed, settings_file=settings.file)
        if seeded:
            log.info("seeded the store with %s", ", ".join(seeded))
        core = BriefingCore(
            store.repository, CoreSettings(page_size=settings.page_size, digest=digest_settings(settings)),
            policy=admin_policy(settings), pack_reader=_read_pack_text, pack_writer=_dump_pack, digests=store.digests,
            choices=store.choices, warm_indexes=warm_indexes, ends_on_store_errors=args.action in _ONE_COMMAND,
        )
        return await body(store, core)


# The commands that answer one command and exit: a store failure (a damaged file) ends them in one line, exit status 2.
_ONE_COMMAND = ("ask", "admin")
# The commands whose --briefing is the only briefing they answer with (the platform bots' channels need the default).
_ONE_BRIEFING = ("ask", "console", "admin", "export")


# bot.store.packfile imports PyYAML (~99 M instructions, 12 % of a cold `ask`): the commands that read or
# write a pack import it when they run, so a start whose settings come from their cache never loads YAML.
def _read_pack_text(text: str, file: str) -> Briefing:
    """The core's pack reader (an admin's import): bot.store.packfile, imported at the first pack read."""
    from bot.store.packfile import read_pack_text

    return read_pack_text(text, file)


def _dump_pack(briefing: Briefing) -> str:
    """The core's pack writer (an export): bot.store.packfile, imported at the first pack written."""
    from bot.store.packfile import dump_pack

    return dump_pack(briefing)


def digest_settings(settings: Settings) -> DigestSettings:
    """The digest defaults from config/, checked like a subscribe command's options (no zone: each briefing's own)."""
    defaults = settings.digests
    try:
        return DigestSettings(
            time=parse_clock(defaults.time),
            zone=None if defaults.zone is None else parse_zone(defaults.zone),
            alerts=parse_alerts(",".join(defaults.alerts) or "none"),
            catch_up=timedelta(hours=defaults.catch_up_hours),
            lease=timedelta(seconds=defaults.lease_seconds),
        )
    except UserError as error:
        where = "" if settings.file is None else f"{settings.file}: "  # as the settings' other problems are named
        cat = catalogue_for(settings.locale)
        params = in_readers_words(error.key, error.params, cat.locale)  # `alerts:`'s message names an option and values
        hidden = holds_url(params.get("value"))  # as the settings' first check hides it: a URL may hold a password
        if hidden:
            params["value"] = "…"
        raise ConfigError(f"{where}digests: {cat(error.key, **params)}" + (f" {NOT_SHOWN}" if hidden else "")) from None


def admin_policy(settings: Settings) -> AdminPolicy:
    """Who may run admin commands on each platform, from config/: each platform's section names its own."""
    return AdminPolicy({
        "discord": Admins(users=frozenset(str(i) for i in settings.discord.admin_user_ids), roles=frozenset(str(i) for i in settings.discord.admin_role_ids)),
        "slack": Admins(users=frozenset(settings.slack.admin_user_ids), platform_admins=settings.slack.workspace_admins),
    })


async def _admin(args: argparse.Namespace, settings: Settings) -> int:
    """An admin command as the operator; `import PATH [--apply]` reads a pack file.

    Its answer goes to standard output, a refusal or problem to standard error (as validate's and load's do).
    """
    words = list(args.words)
    if not words:
        raise UserError("args.empty")
    if any(word in ("--help", "-h") for word in words):  # `admin set --help`: the command's own help, not an error
        words = ["help", *words[:1]] if words[0] not in ("--help", "-h") else ["help"]
    cat = catalogue_for(settings.locale)
    if words[:2] == ["help", "import"]:  # the command line's own, which reads a file: chat's import is an upload
        print(cat("import.cli_help", nothing=EXIT_NOTHING_TO_IMPORT))
        return 0

    async def body(store: Store, core: BriefingCore) -> int:
        operator = Request(
            command="", now=utc_now(), platform="cli", operator=True, user_id="operator", briefing_id=args.briefing, locale=settings.locale,
            import_hint="import.apply_hint_cli", choose_hint="briefing_new.choose_cli", briefing_stays=False,
        )
        if words[0] == "export":
            sys.stdout.write(await _exported(store, args.briefing, None, cat))
            return 0
        if words[0] == "import":
            path_text, apply, approval = _import_arguments(words[1:])
            path = Path(path_text)
            from bot.store.packfile import read_pack

            incoming = read_pack(path)  # as `load` reads it: JSON or YAML by its name, up to load's size, its problems said alike

            async def placed() -> Briefing:
                """The pack's texts as the store finds them: an export written elsewhere imports unchanged."""
                return (await store.placed(incoming, path))[0]

            reply = await core.import_file(operator, str(path), placed, apply, approval)
        else:
            reply = await core.dispatch_line(words, operator)  # each argument one word as typed: the shell has read its quotes
        (sys.stderr if reply.kind == "error" else sys.stdout).write(render_text(reply, settings.locale))
        if reply.kind == "error":
            return EXIT_USER
        return EXIT_NOTHING_TO_IMPORT if words[0] == "import" and reply.title == cat("import.same") else 0

    return await _with_core(args, settings, body)


def _import_arguments(words: list[str]) -> tuple[str, bool, Approval | None]:
    """PATH, whether to apply, and what the dry run showed, from `import PATH [--apply --version N --changes D [--discard-edits]]`."""
    usage = ConfigError("usage: briefbot admin import PATH [--apply --version N --changes DIGEST [--discard-edits]]")
    rest = [w for w in words if w not in ("--apply", "--discard-edits")]
    given: dict[str, str] = {}
    for flag in ("--version", "--changes"):
        if flag in rest:
            at = rest.index(flag)
            if at + 1 >= len(rest):
                raise usage
            given[flag] = rest[at + 1]
            del rest[at : at + 2]
    if len(rest) != 1 or not given.get("--version", "0").isdigit():
        raise usage
    approval = None
    if "--version" in given and "--changes" in given:  # one without the other shows the dry run again, with both
        approval = Approval(int(given["--version"]), given["--changes"], discard_edits="--discard-edits" in words)
    return rest[0], "--apply" in words, approval


async def _ask(args: argparse.Namespace, settings: Settings) -> int:
    async def body(store: Store, core: BriefingCore) -> int:
        clock = (lambda: args.now) if args.now else utc_now
        reply = await ConsoleSession(core, clock, args.briefing, settings.locale).answer(args.line)
        # As wide as the terminal it is read on, as the console's prompt answers; a pipe's reader has no width to fit.
        sys.stdout.write(render_text(reply, settings.locale, terminal_width() if sys.stdout.isatty() else WIDTH))
        return EXIT_USER if reply.kind == "error" else 0

    # One answer needs few of CLDR's words, and the last ask's are on disk: Babel's data is read only for a new one.
    words = settings_cache.cache_file(os.environ, "cldr.json")
    cldr.remember(settings_cache.read(words))
    try:
        return await _with_core(args, settings, body, warm_indexes=False)
    finally:
        entry = cldr.learned()
        cldr.forget()  # a process that goes on (a test calling `main`) asks Babel again
        if entry is not None and words is not None:
            settings_cache.write(words, json.dumps(entry, ensure_ascii=False))


async def _console(args: argparse.Namespace, settings: Settings) -> int:
    async def body(store: Store, core: BriefingCore) -> int:
        clock = (lambda: args.now) if getattr(args, "now", None) else utc_now
        session = ConsoleSession(core, clock, args.briefing, settings.locale)
        await run_console(session, history=_state_dir(args, settings) / ".console_history")
        return 0

    return await _with_core(args, settings, body)


def platform_bots(settings: Settings) -> list[str]:
    """The platforms whose tokens are in the environment, so `run` starts their bots too."""
    env = settings.env
    bots = ["discord"] if env.get("DISCORD_TOKEN") else []
    if env.get("SLACK_BOT_TOKEN") and (env.get("SLACK_APP_TOKEN") or env.get("SLACK_SIGNING_SECRET")):
        bots.append("slack")
    return bots


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    """The console bot, plus Discord and Slack when their tokens are set, over one store and core."""
    import asyncio  # every command but a one-shot `ask` runs on an event loop: `main` has imported it

    bots = platform_bots(settings)

    async def body(store: Store, core: BriefingCore) -> int:
        tasks = [asyncio.create_task(_platform(name, settings, core, args, store), name=name) for name in bots]
        if tasks:
            log.info("starting %s", " and ".join(bots))
        if sys.stdin.isatty() or not tasks:
            session = ConsoleSession(core, utc_now, args.briefing, settings.locale)
            tasks.append(asyncio.create_task(run_console(session, history=_state_dir(args, settings) / ".console_history"), name="console"))
        try:
            # Whichever ends first (console quit, a bot's fatal error) ends the run.
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            task.result()  # re-raise a ConfigError from a bot, for the exit status
        return 0

    return await _until_stopped(_with_core(args, settings, body), bots)


async def _platform(name: str, settings: Settings, core: BriefingCore, args: argparse.Namespace, store: Store) -> None:
    """Run one platform's bot and its digest loop; imported here so the console never loads a platform SDK."""
    ledger = store.digests
    if name == "discord":
        from bot.adapters.discord_app import cli as discord_cli

        await discord_cli.run(
            settings, core, _state_dir(args, settings), ledger=ledger, shards=getattr(args, "shard_slice", None),
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


async def _discord(args: argparse.Namespace, settings: Settings) -> int:
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
        state_dir = _state_dir(args, settings)
        changed = await discord_cli.sync(settings, COMMANDS, args.guild, state_dir, args.force)
        print("slash commands registered" if changed else "slash commands unchanged; nothing sent")
        return 0
    _check_shards(args, settings)
    return await _serve("discord", args, settings)


def _check_shards(args: argparse.Namespace, settings: Settings) -> None:
    """`--shards A-B --shard-count N` as a slice, kept on `args`; checked before the store opens, so a wrong one stops at once."""
    from bot.adapters.discord_app.shards import shard_slice

    args.shard_slice = shard_slice(args.shards, settings.discord.shard_count if args.shard_count is None else args.shard_count)


async def _serve(name: str, args: argparse.Namespace, settings: Settings) -> int:
    """Open the store and run one platform's bot until it stops."""

    async def body(store: Store, core: BriefingCore) -> int:
        await _platform(name, settings, core, args, store)
        return 0

    return await _until_stopped(_with_core(args, settings, body), [name])


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


async def _slack(args: argparse.Namespace, settings: Settings) -> int:
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


async def _digest(args: argparse.Namespace, settings: Settings) -> int:
    if args.digest_action == "preview":
        return await _with_core(args, settings, lambda store, core: _preview(args, settings, store, core))
    _check_shards(args, settings)
    return await _with_core(args, settings, lambda store, core: _run_once(args, settings, store, core))


async def _preview(args: argparse.Namespace, settings: Settings, store: Store, core: BriefingCore) -> int:
    """Each subscription's next digest, after its slot, as it would read when sent (a new channel's, when none is subscribed).

    What the loop would not send (a paused subscription, an archived briefing's) is named with the reason, not shown.
    """
    from bot.core.digest.preview import (  # only here: ~4 ms of every other start
        preview_digest,
        preview_subscription,
        previewed_due,
        slot_line,
    )
    from bot.core.digest.sending import pause_reason

    now = args.now or utc_now()
    found = [s for s in await store.digests.subscriptions() if args.channel in (None, s.channel_id)]
    if args.channel and not found:
        raise UserError("digest.not_subscribed")
    briefing = await store.repository.briefing(args.briefing)
    archived = {summary.id for summary in await store.repository.briefings() if summary.archived}
    cat = catalogue_for(settings.locale)
    subscriptions = found or [preview_subscription(core.settings.digest, briefing)]
    for subscription in subscriptions:
        print(f"== {subscription.platform} {subscription.channel_id} ==")
        slash = _slash_command(subscription.platform)
        if subscription.briefing_id in archived:
            print(cat("digest.preview_archived", briefing=subscription.briefing_id))
        elif not subscription.active:
            print(readers_text(cat, "digest.preview_paused", ("", slash), reason=pause_reason(cat, subscription.paused_reason)))
        else:  # which slot it is first: a slot ahead is shown as it will read then, not as of `now`
            print(slot_line(cat, await previewed_due(core, subscription, now), now))
            language = subscription.language or settings.locale  # the digest's, so its headings are in its words too
            sys.stdout.write(render_text(await preview_digest(core, subscription, now, language, slash), language))
    return 0


def _slash_command(platform: str) -> str:
    """The one slash command every command follows on a subscription's platform, as its sender says (`Sender.slash_command`):
    Slack's /brief; "" where each command is a slash command of its own (Discord, and a preview's imagined channel)."""
    from bot.adapters.slack_app.manifest import UMBRELLA  # SlackSender's own, without the Slack SDK's import

    return UMBRELLA if platform == "slack" else ""


async def _run_once(args: argparse.Namespace, settings: Settings, store: Store, core: BriefingCore) -> int:
    """Send what is due on each platform (whose token is set), then exit; 1 if anything failed."""
    import asyncio

    from bot.core.digest.runner import StartedClock, SystemClock  # the digest loop: not on every other command's start

    env = settings.env
    tokens = [name for name, token in (("discord", "DISCORD_TOKEN"), ("slack", "SLACK_BOT_TOKEN")) if env.get(token)]
    platforms = list(dict.fromkeys(args.platform or tokens))
    if not platforms:
        raise ConfigError("no platform to send to: set DISCORD_TOKEN or SLACK_BOT_TOKEN (see README)")
    clock = StartedClock(args.now) if args.now else SystemClock()
    # The platforms' limits are separate, so their fan-outs run side by side.
    reports = await asyncio.gather(*(_send_due(platform, settings, store, core, clock, args.shard_slice, args.now) for platform in platforms))
    failed = 0
    cat = catalogue_for(settings.locale)
    for platform, report in zip(platforms, reports, strict=True):
        print(f"{platform}: {report.sent} sent, {report.skipped} skipped, {report.failed} failed, "
              f"{report.paused} paused, {report.reconciled} reconciled, {report.unknown} unconfirmed")
        for reason in report.why:  # what the operator can act on, once, whatever number it stopped
            print(f"{platform}: {cat(reason.key, **reason.params)}")
        failed += report.failed + report.unknown
    return EXIT_USER if failed else 0


async def _send_due(
    platform: str, settings: Settings, store: Store, core: BriefingCore, clock: Clock, shards: ShardSlice | None, now: datetime | None,
) -> TickReport:
    """One tick of the platform's digest loop at `now` (else the clock's) over a REST-only connection (on Discord, for a
    slice of the shards if given)."""
    from bot.core.digest.runner import DigestRunner, owner_id
    # Imported here so a run for one platform never loads the other's SDK.
    open_sender: Callable[[Settings, Clock], AbstractAsyncContextManager[tuple[Sender, Pace]]]
    owns = None
    if platform == "discord":
        from bot.adapters.discord_app import digests as discord_digests
        open_sender = functools.partial(discord_digests.open_sender, shards=shards, shared=store.digests.shared_turn)
        owns = None if shards is None else shards.owns
    else:
        from bot.adapters.slack_app import digests as slack_digests
        open_sender = slack_digests.open_sender
    async with open_sender(settings, clock) as (sender, pace):
        runner = DigestRunner(core, store.digests, sender, clock, owner=owner_id(platform), pace=pace, locale=settings.locale, owns=owns)
        return await runner.tick(now)


async def _validate(args: argparse.Namespace, settings: Settings) -> int:
    """Check each pack file, and every pack of each folder named, reporting every problem."""
    from bot.store.packfile import pack_files, read_pack, same_briefing

    cat = catalogue_for(settings.locale)
    failed = 0
    first: dict[str, Path] = {}  # each briefing id's first file: loading two files of one id would keep only the last
    for given in args.paths:
        listed = given.is_dir()  # a folder's files are read only when regular; a path named alone may be a pipe (`<(…)`)
        paths = pack_files(given) if listed else [given]
        if not paths:
            failed += 1
            print(cat("validate.empty_folder", path=given), file=sys.stderr)
        for path in paths:
            try:
                briefing = read_pack(path, listed=listed)
            except PackError as error:
                failed += 1
                print("\n".join(problem_lines(error, cat)), file=sys.stderr)
                continue
            if problem := same_briefing(first, path, briefing.id):
                failed += 1
                print("\n".join(problem_lines(PackError([problem]), cat)), file=sys.stderr)
                continue
            if not _evidence_found(path, briefing, args.sources, cat):
                failed += 1
                continue
            sections = (kind.section for kind in PACK_KINDS if kind.name != "source")
            counts = ", ".join(cat(f"validate.{name}", n=len(getattr(briefing, name))) for name in sections)
            print(cat("validate.ok", path=path, briefing=briefing.id, counts=counts))
    return EXIT_USER if failed else 0


def _evidence_found(path: Path, briefing: Briefing, sources_dir: Path | None, cat: Catalogue) -> bool:
    """Find every evidence passage in its source's text; say plainly which sources had no text to check."""
    from bot.core.evidence import evidence_paths, unfound
    from bot.store.packfile import source_texts, written_with_meeting
    from bot.store.texts import not_utf8

    texts, missing = source_texts(briefing, path, sources_dir)
    problems = unfound(briefing, texts, str(path), False)
    if problems:  # named by the form the file uses; finding that out parses the file again (seconds for a large one)
        problems = unfound(briefing, texts, str(path), written_with_meeting(path))
    if problems:
        print("\n".join(problem_lines(PackError(problems, ids=item_ids(briefing)), cat)), file=sys.stderr)
        return False
    if texts:
        checked = sum(1 for _, piece in evidence_paths(briefing) if piece.source in texts)
        print(cat("validate.evidence_checked", file=path, count=checked, sources=", ".join(texts)))
    for source, text in missing.items():
        print(cat("validate.evidence_not_utf8" if not_utf8(text) else "validate.evidence_unreadable", file=path, source=source, text=text))
    unchecked = [s.id for s in briefing.sources if s.id not in texts and s.id not in missing]
    if unchecked:
        print(cat("validate.evidence_unchecked", file=path, sources=", ".join(unchecked)))
    return True


async def _load(args: argparse.Namespace, settings: Settings) -> int:
    """Load packs; one with revisions since its last load is refused (with what it would overwrite) unless --discard-edits."""
    from bot.store.packfile import pack_files, read_packs, source_texts
    from bot.store.texts import not_utf8

    paths = args.paths or pack_files(settings.packs_dir)
    if not paths:
        raise ConfigError(f"no pack files in {settings.packs_dir}")
    packs = read_packs(paths, listed=not args.paths)  # validate every file before touching the store
    configured = settings.default_briefing
    if args.default and configured and configured != packs[-1][0].id:  # the settings would undo it at the next start
        raise UserError("default.config_wins", configured=configured)
    cat = catalogue_for(settings.locale)
    refused = 0
    async with open_store(_store_path(args, settings), loading=True, pool_size=settings.store.pool_size) as store:
        # A first load fills the store from the packs folder too, as a first start would: the packs named here
        # are then beside the shipped ones (a pack named here replaces the folder's pack of its briefing).
        seeded, chosen = await store.fill(settings.packs_dir, [(path, briefing) for path, (briefing, _) in zip(paths, packs, strict=True)], default=configured)
        for briefing_id in seeded:
            print(f"loaded: {briefing_id} ({cat('load.seeded', folder=settings.packs_dir)})")
        loaded = bool(seeded)
        for number, (path, (briefing, mapping)) in enumerate(zip(paths, packs, strict=True), 1):
            make_default = (args.default and number == len(packs)) or briefing.id == chosen
            # Read from the pack's folder, as the store reads them once it is loaded (from that folder, or the stored one
            # when the paths lead to the same files): the texts an admin's new passages will be checked against.
            missing = source_texts(briefing, path)[1]
            readable = await store.readable_texts(briefing.id) if missing else set()
            try:
                _, changed = await store.load(briefing, path, mapping, make_default=make_default, discard_edits=args.discard_edits,
                                              keep_folder=bool(readable & missing.keys()))
            except EditedSinceLoad as edited:
                refused += 1
                again = _given_options(args, args.default and number == len(packs))
                print(f"refused: {briefing.id}", *await refusal_lines(store, edited, str(path), cat, again), sep="\n")
                continue
            print(f"{'loaded' if changed else 'unchanged'}: {briefing.id}")
            loaded = loaded or changed
            # Said as validate says it, with how to get back a text the store read before; an unchanged pack kept the folder.
            still = await store.readable_texts(briefing.id) if missing else set()
            for source, text in missing.items():
                if source not in still:
                    print(cat("load.text_not_utf8" if not_utf8(text) else "load.text_unreadable", file=path, source=source, text=text), file=sys.stderr)
                    if source in readable:
                        print(cat("load.text_lost", source=source), file=sys.stderr)
        if loaded:  # a refused or unchanged load writes nothing, not even a merge of the index
            await store.repository.merge_search_index()
    return EXIT_USER if refused else 0


def _given_options(args: argparse.Namespace, default: bool) -> str:
    """The options the operator gave `load` that the command loading a refused pack anyway must keep: the settings and store
    it loads into, the language it answers in, and `--default` for the pack it was to make the default. A postgresql://
    URL is written URL, as FILE is in the same hint: it may hold a password, which is never printed."""
    db = None if args.db is None else shlex.quote(str(args.db)) if isinstance(args.db, Path) else "URL"
    given = {"--config": None if args.config is None else shlex.quote(str(args.config)), "--db": db, "--locale": args.locale}
    words = [f"{name} {value}" for name, value in given.items() if value is not None]
    return "".join(f" {word}" for word in (*words, *(("--default",) if default else ())))


async def refusal_lines(store: Store, edited: EditedSinceLoad, file: str, cat: Catalogue, options: str = "") -> list[str]:
    """Why a load was refused: the revisions it would take back, newest first, its dry-run diff, the edited items it changes
    and the text files it keeps unread; then how to load it anyway, with the `options` the operator gave (`_given_options`)."""
    lines = [cat("load.refused", briefing=edited.incoming.id, n=edited.taken.total, file=file)]
    lines.extend(await taken_back_lines(store.repository, edited.taken, cat))
    lines.append(cat("load.diff"))
    # The pack as the load would store it: its `text:` paths lead from the stored folder, not the file's.
    for field in pack_diff(edited.current, edited.incoming, cat):
        lines.extend(f"  {field.name}: {line}" for line in field.value.splitlines())
    lines.append(overwritten_line(edited.taken, cat))
    kept = await kept_unread(store.repository, edited.current, edited.incoming)
    if kept:  # an export holds a chat's path as it holds any edit: the operator sees that loading it reads no file
        lines.append(cat("load.texts_kept"))
        lines.extend(f"  {source.id}: {source.text}" for source in kept)
    lines.append(cat("load.hint", file=shlex.quote(file), options=options))
    return lines


async def _briefings(args: argparse.Namespace, settings: Settings) -> int:
    """`briefings list`; `default ID`, which changes the default and never loads a pack; archive; remove; forget-space."""
    configured = settings.default_briefing
    async with open_store(_store_path(args, settings), pool_size=settings.store.pool_size) as store:
        listing = await store.repository.listing()
        if args.briefings_action == "default":
            if all(row.id != args.id for row in listing):
                raise UserError("briefing.unknown_of", briefing=args.id[:64], known=", ".join(row.id for row in listing) or "—")
            if configured and configured != args.id:
                raise UserError("default.config_wins", configured=configured)
            await store.repository.set_default(args.id)
            print(f"default: {args.id}")
            return 0
        if args.briefings_action in ("archive", "remove"):
            return await _archive_or_remove(store, args, configured, catalogue_for(settings.locale))
        if args.briefings_action == "forget-space":  # what the bot does when it is removed, for one it left before it could
            forgotten = await store.choices.forget_space(args.platform, args.space)
            cat = catalogue_for(settings.locale)
            print(cat("briefings.space_forgotten", platform=platform_name(cat, args.platform), space=args.space,
                      subscriptions=cat("briefings.subscriptions_ended", n=forgotten.subscriptions),
                      choices=cat("briefings.choices_forgotten", n=forgotten.choices)))
            return 0
        archived = {summary.id for summary in await store.repository.briefings() if summary.archived}
        cat = catalogue_for(settings.locale)
        lasts = [row.last for row in listing if row.last is not None]
        titles = dict(zip((last.briefing_id for last in lasts), await revision_titles(store.repository, lasts, cat), strict=True))
    for row in listing:
        print(f"{'*' if row.is_default else ' '} {row.id} — {row.title}" + (" (archived)" if row.id in archived else ""))
        changed = utc_time_label(row.updated_at, cat)  # as history and chat's `briefings` say an instant
        if row.last is not None:
            at = utc_time_label(row.last.at, cat)
            changed = f"{titles[row.id]} · {cat('admin.history_meta', at=at, **author_words(cat, row.last.actor, row.last.platform))}"
        print(f"    last change: {changed} (version {row.version})")
    if not listing:
        print(cat("briefing.none"))
    if configured:
        held = any(row.id == configured for row in listing)
        print(f"default_briefing in the settings: {configured}; it wins at every start"
              + ("" if held or not listing else ", but the store does not hold it, so starting fails"))
    return 0


async def _archive_or_remove(store: Store, args: argparse.Namespace, configured: str | None, cat: Catalogue) -> int:
    """`briefings archive ID [--undo]`, and `briefings remove ID`, refused while a subscription or choice names it."""
    if args.briefings_action == "archive":
        await store.choices.archive(args.id, archived=not args.undo)
        print(cat("briefings.unarchive_done" if args.undo else "briefings.archive_done", briefing=args.id))
        return 0
    if args.id == configured:  # the next start would fail on it
        raise UserError("briefings.remove_configured", briefing=args.id[:64])
    try:
        await store.choices.remove(args.id)
    except BriefingInUse as in_use:
        users = "; ".join(f"{kind} {platform} {where}" for kind, platform, where in in_use.users)
        raise UserError("briefings.in_use", briefing=args.id[:64], users=users) from None
    print(cat("briefings.removed", briefing=args.id))
    return 0


async def _new(args: argparse.Namespace, settings: Settings) -> int:
    """`new ID --title T`: the skeleton file, refused rather than written over an existing one."""
    from bot.store.packfile import is_json
    from bot.store.skeleton import skeleton_text  # PyYAML writes it: only `new` needs it

    language = typed_language(args.language) if args.language else language_of(settings.locale)
    try:
        text = skeleton_text(args.id, args.title, args.zone, language, settings.locale)
    except PackError as error:  # a bad id, title or zone: said as the options typed, not as a pack's paths
        cat = catalogue_for(settings.locale)
        for problem in error.problems:
            option = _NEW_OPTIONS.get(problem.path, problem.path)
            print(f"briefbot: {cat('new.problem', option=option, message=problem_message(problem, cat))}", file=sys.stderr)
        print(f"briefbot: {cat('new.invalid', n=len(error.problems))}", file=sys.stderr)
        return EXIT_USER
    path: Path = args.output or settings.packs_dir / f"{args.id}.yaml"
    if is_json(path):  # its guidance is comments, which JSON cannot hold; a .json name would be read as JSON
        raise UserError("new.not_json", path=str(path))
    try:
        write_output(path, text.encode("utf-8"), replace=False)
    except FileExistsError:
        raise UserError("new.exists", path=str(path)) from None
    # The placeholder as the file says it (the pack's language), so the operator can search for each one.
    print(catalogue_for(settings.locale)("new.written", path=str(path), placeholder=placeholder(language)))
    return 0


# Where `new`'s arguments land in the skeleton pack: its problems name what the operator typed.
_NEW_OPTIONS = {"briefing.id": "ID", "briefing.title": "--title", "briefing.zones[0].zone": "--zone", "language": "--language"}


async def _export(args: argparse.Namespace, settings: Settings) -> int:
    """The briefing as a pack (or with --ics a calendar), from a store a first start fills as `ask` and `admin` do."""

    async def body(store: Store, core: BriefingCore) -> int:
        if args.ics:
            return await _export_ics(args, settings, core)
        text = await _exported(store, args.briefing, args.output, catalogue_for(settings.locale))
        if args.output:
            write_output(args.output, text.encode("utf-8"))
        else:
            sys.stdout.write(text)
        return 0

    return await _with_core(args, settings, body)


async def _exported(store: Store, briefing_id: str | None, output: Path | None, cat: Catalogue) -> str:
    """The briefing as pack text (JSON for a `.json` output), its sources' `text:` paths leading from the output's folder (standard
    output: the current one); a path the store does not read is left out, and named on standard error."""
    from bot.store.packfile import dump_pack, folder_of, is_json, texts_moved

    briefing, left_out = await readable_only(store.repository, await store.repository.briefing(briefing_id))
    for source in left_out:
        print(cat("export.text_left_out", source=source.id, text=source.text), file=sys.stderr)
    folder = Path.cwd() if output is None else folder_of(output)
    # A file named .json is read back as JSON (docs/data-pack.md, "JSON packs"), so it is written as JSON.
    return dump_pack(texts_moved(briefing, await store.repository.pack_folder(briefing.id), folder), output is not None and is_json(output))


async def _migrate_pack(args: argparse.Namespace, settings: Settings) -> int:
    """The pack in today's form (sessions, zones), printed or written in place; it loads back the same briefing."""
    from bot.store.packfile import dump_pack, in_older_form, read_pack

    cat = catalogue_for(settings.locale)
    try:
        text = dump_pack(read_pack(args.path))
    except PackError as error:
        print("\n".join(problem_lines(error, cat)), file=sys.stderr)
        return EXIT_USER
    if not in_older_form(args.path):  # a rewrite would only drop its comments (a `new` skeleton's guidance)
        print(cat("migrate.current", file=args.path), file=sys.stdout if args.write else sys.stderr)
        return 0
    if args.write:
        write_output(args.path, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return 0


async def _store(args: argparse.Namespace, settings: Settings) -> int:
    """`store copy`, `store forget-user PLATFORM USER_ID` and `store vacuum` (docs/privacy.md)."""
    if args.store_action == "copy":
        from bot.store.postgres.copying import copy_store  # loads asyncpg, which only this and a PostgreSQL store need

        counts = await copy_store(args.source, args.destination)
        print("copied: " + ", ".join(f"{count} {table}" for table, count in counts.items()))
        return 0
    cat = catalogue_for(settings.locale)
    if args.store_action == "forget-user" and not USER_IDS[args.platform].fullmatch(args.user_id):
        raise UserError("store.not_a_user", user=args.user_id[:64], platform=platform_name(cat, args.platform))
    path = _store_path(args, settings)
    if args.store_action == "vacuum" and not isinstance(path, Path):
        raise UserError("store.vacuum_sqlite")
    async with open_store(path, pool_size=settings.store.pool_size) as store:
        if args.store_action == "vacuum":
            assert isinstance(store.repository, SqliteBriefingRepository)  # a SQLite file's store, checked above
            if not await store.repository.vacuum():
                raise UserError("store.vacuum_busy", file=str(path))
            print(cat("store.vacuumed", file=path))
            return 0
        counts = await store.choices.forget(args.platform, args.user_id)
    print(cat("store.forgot", platform=platform_name(cat, args.platform), user=args.user_id, erased=ERASED, **counts))
    if isinstance(path, Path):
        print(cat("store.vacuum_hint"))
    return 0


async def _export_ics(args: argparse.Namespace, settings: Settings, core: BriefingCore) -> int:
    """`export --ics`: the calendar `/calendar` sends, as bytes, so its CRLF line ends survive on every OS."""
    request = Request(command="calendar", now=utc_now(), platform="cli", operator=True, user_id="operator", briefing_id=args.briefing, locale=settings.locale)
    exported = await core.calendar_file(request)
    if not isinstance(exported, PackFile):
        sys.stderr.write(render_text(exported, settings.locale))
        return EXIT_USER
    data = exported.text.encode("utf-8")
    if args.output:
        write_output(args.output, data)
    else:
        sys.stdout.buffer.write(data)
    return 0


ACTIONS: dict[str, Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]] = {
    "ask": _ask,
    "console": _console,
    "run": _run,
    "discord": _discord,
    "slack": _slack,
    "validate": _validate,
    "new": _new,
    "load": _load,
    "briefings": _briefings,
    "export": _export,
    "migrate-pack": _migrate_pack,
    "admin": _admin,
    "digest": _digest,
    "store": _store,
}
