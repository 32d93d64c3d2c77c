"""`ask` and `console`: the core's answers on standard output."""

from __future__ import annotations

import argparse
import json
import os
import sys

from bot import settings_cache
from bot.adapters.console import WIDTH, ConsoleSession, render_text, run_console, terminal_width, utc_now
from bot.cli.exits import EXIT_USER
from bot.cli.wiring import state_dir, with_core
from bot.core import cldr
from bot.core.service import BriefingCore
from bot.settings import Settings
from bot.store import Store


async def ask(args: argparse.Namespace, settings: Settings) -> int:
    """One answer, then exit: a core that reads only what the command reads (`warm_indexes=False`)."""
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
        return await with_core(args, settings, body, warm_indexes=False)
    finally:
        entry = cldr.learned()
        cldr.forget()  # a process that goes on (a test calling `main`) asks Babel again
        if entry is not None and words is not None:
            settings_cache.write(words, json.dumps(entry, ensure_ascii=False))


async def console(args: argparse.Namespace, settings: Settings) -> int:
    """The prompt, or each line of a pipe, answered by one core; its history kept beside the store."""
    async def body(store: Store, core: BriefingCore) -> int:
        clock = (lambda: args.now) if getattr(args, "now", None) else utc_now
        session = ConsoleSession(core, clock, args.briefing, settings.locale)
        await run_console(session, history=state_dir(args, settings) / ".console_history")
        return 0

    return await with_core(args, settings, body)
