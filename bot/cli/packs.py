"""The commands on pack files: `new`, `validate` and `migrate-pack`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.exits import EXIT_USER
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.i18n import language_of, typed_language
from bot.core.kinds import PACK_KINDS
from bot.core.model import Briefing
from bot.core.pack import item_ids, problem_lines, problem_message
from bot.core.skeleton import placeholder
from bot.errors import PackError, UserError
from bot.outputs import write_output
from bot.settings import Settings


async def validate(args: argparse.Namespace, settings: Settings) -> int:
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


async def new(args: argparse.Namespace, settings: Settings) -> int:
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


async def migrate_pack(args: argparse.Namespace, settings: Settings) -> int:
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
