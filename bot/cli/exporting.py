"""`export`: the briefing as a pack file that loads back the same, or as a calendar."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.adapters.console import render_text, utc_now
from bot.cli.exits import EXIT_USER
from bot.cli.wiring import with_core
from bot.core.admin.cited import readable_only
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.requests import Request
from bot.core.service import BriefingCore, PackFile
from bot.outputs import write_output
from bot.settings import Settings
from bot.store import Store


async def export(args: argparse.Namespace, settings: Settings) -> int:
    """The briefing as a pack (or with --ics a calendar), from a store a first start fills as `ask` and `admin` do."""

    async def body(store: Store, core: BriefingCore) -> int:
        if args.ics:
            return await _export_ics(args, settings, core)
        text = await pack_text(store, args.briefing, args.output, catalogue_for(settings.locale))
        if args.output:
            write_output(args.output, text.encode("utf-8"))
        else:
            sys.stdout.write(text)
        return 0

    return await with_core(args, settings, body)


async def pack_text(store: Store, briefing_id: str | None, output: Path | None, cat: Catalogue) -> str:
    """The briefing as pack text (JSON for a `.json` output), its sources' `text:` paths leading from the output's folder (standard
    output: the current one); a path the store does not read is left out, and named on standard error."""
    from bot.store.packfile import dump_pack, folder_of, is_json, texts_moved

    briefing, left_out = await readable_only(store.repository, await store.repository.briefing(briefing_id))
    for source in left_out:
        print(cat("export.text_left_out", source=source.id, text=source.text), file=sys.stderr)
    folder = Path.cwd() if output is None else folder_of(output)
    # A file named .json is read back as JSON (docs/data-pack.md, "JSON packs"), so it is written as JSON.
    return dump_pack(texts_moved(briefing, await store.repository.pack_folder(briefing.id), folder), output is not None and is_json(output))


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
