"""`admin`: the chat's admin commands as the trusted local operator, and `admin import` of a pack file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.adapters.console import render_text, utc_now
from bot.cli.arguments import given_options
from bot.cli.exits import EXIT_NOTHING_TO_IMPORT, EXIT_USER
from bot.cli.exporting import pack_text
from bot.cli.wiring import with_core
from bot.core.catalogue import catalogue_for
from bot.core.model import Briefing
from bot.core.replies import Approval
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import ConfigError, UserError
from bot.settings import Settings
from bot.store import Store


async def admin(args: argparse.Namespace, settings: Settings) -> int:
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
            given_options=given_options(args, briefing=True),
        )
        if words[0] == "export":
            sys.stdout.write(await pack_text(store, args.briefing, None, cat))
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

    return await with_core(args, settings, body)


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
