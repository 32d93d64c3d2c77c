"""`load`: packs into the store, refused over edits made since the last load unless --discard-edits."""

from __future__ import annotations

import argparse
import shlex
import sys

from bot.cli.arguments import given_options
from bot.cli.exits import EXIT_USER
from bot.cli.wiring import store_path
from bot.core.admin.cited import kept_unread
from bot.core.admin.imports import overwritten_line, pack_diff, taken_back_lines
from bot.core.catalogue import Catalogue, catalogue_for
from bot.errors import ConfigError, UserError
from bot.settings import Settings
from bot.store import Store, open_store
from bot.store.loads import EditedSinceLoad


async def load(args: argparse.Namespace, settings: Settings) -> int:
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
    async with open_store(store_path(args, settings), loading=True, pool_size=settings.store.pool_size) as store:
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
                # The command loading it anyway keeps the options given, and `--default` for the pack it was to make the default.
                again = given_options(args) + (" --default" if args.default and number == len(packs) else "")
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


async def refusal_lines(store: Store, edited: EditedSinceLoad, file: str, cat: Catalogue, options: str = "") -> list[str]:
    """Why a load was refused: the revisions it would take back, newest first, its dry-run diff, the edited items it changes
    and the text files it keeps unread; then how to load it anyway, with the `options` the operator gave (`given_options`)."""
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
