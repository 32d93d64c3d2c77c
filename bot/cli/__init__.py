"""The `briefbot` command line: load settings, open the store, wire one adapter, run.

Exit status: 0 success, 1 a user error (bad command, invalid pack, a full disk) or a failure nobody expected, 2 a configuration error.
A serving command stopped by SIGTERM or Ctrl-C exits 0 once it has finished its answers in flight (docs/deploy.md, "Stopping").
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

import msgspec.structs

from bot.adapters.console_log import log_to_console
from bot.cli.arguments import build_parser
from bot.cli.exits import EXIT_CONFIG, EXIT_USER
from bot.cli.wiring import store_path
from bot.core.catalogue import catalogue_for
from bot.core.offload import run_inline
from bot.core.pack import problem_lines
from bot.core.registry import in_readers_words
from bot.errors import ConfigError, PackError, StoreError, UserError
from bot.settings import Settings, load_settings

log = logging.getLogger("briefbot")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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
        from bot.cli.serving import serving_collector

        serving_collector()  # nor does checking or loading packs, whose millions of objects a collection would walk over and over
    handler = action(args.action)
    try:
        if args.action in ("console", "run") and sys.stdin.isatty() and sys.stdout.isatty():
            from bot.cli.prompt import at_the_prompt

            return at_the_prompt(handler(args, settings), catalogue_for(settings.locale)("console.interrupted"))
        if args.action == "ask" and isinstance(store_path(args, settings), Path):  # not a postgresql:// URL
            # One answer from a SQLite file: its coroutines driven without an event loop, so asyncio, ssl and
            # aiosqlite are never imported (bot/core/offload.py). A PostgreSQL URL needs asyncpg's loop.
            return run_inline(handler(args, settings))
        import asyncio

        from bot.cli.serving import event_loop

        with asyncio.Runner(loop_factory=event_loop(args.action)) as runner:  # asyncio.run, with a choice of loop
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


# Each subcommand's module and function, imported when it runs: a one-shot `ask` loads only its own.
ACTIONS: dict[str, tuple[str, str]] = {
    "ask": ("answers", "ask"),
    "console": ("answers", "console"),
    "run": ("serving", "run"),
    "discord": ("serving", "discord"),
    "slack": ("serving", "slack"),
    "validate": ("packs", "validate"),
    "new": ("packs", "new"),
    "load": ("loading", "load"),
    "briefings": ("briefings", "briefings"),
    "export": ("exporting", "export"),
    "migrate-pack": ("packs", "migrate_pack"),
    "admin": ("admin", "admin"),
    "digest": ("digest", "digest"),
    "store": ("maintenance", "maintain"),
}


def action(name: str) -> Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]:
    """The coroutine function that runs subcommand `name`."""
    module, function = ACTIONS[name]
    handler: Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]] = getattr(importlib.import_module(f"bot.cli.{module}"), function)
    return handler
