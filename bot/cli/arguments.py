"""The command line's words: every subcommand and its options, added once argparse has chosen one."""

from __future__ import annotations

import argparse
import shlex
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.adapters.console import terminal_columns
from bot.core.admin.authors import ERASED
from bot.core.dates import FIRST_YEAR, LAST_YEAR
from bot.core.i18n import spoken_language
from bot.core.platforms import USER_IDS
from bot.settings import store_location

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
    `shutil.get_terminal_size`, whose module imports bz2 and lzma at every start (docs/benchmarks-log.md).
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, terminal_columns(80) - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    """A parser whose help is laid out by `_Help`; its subcommands' parsers are of this class too (argparse's default)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)


class _Subcommands(argparse._SubParsersAction):  # type: ignore[type-arg]  # generic in typeshed only, not at run time
    """Subcommands whose options are added when one is chosen: a start builds one subcommand's options, not every parser's."""

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
        copy.add_argument("source", type=_store_argument, help="the store to copy, read only and left unchanged (a SQLite file at this version's schema)")
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
    """`store copy`'s SOURCE or DESTINATION: a SQLite file, or a postgresql:// URL whose password is in the environment."""
    return _store(text, "set PGPASSWORD in the environment, or keep each server's in a password file (~/.pgpass, or PGPASSFILE's)")


def _db_argument(text: str) -> Path | str:
    """--db: a SQLite file, or a postgresql:// URL whose password is in the environment, or the whole URL in BRIEFBOT_DB."""
    return _store(text, "set PGPASSWORD in the environment (or keep it in ~/.pgpass), or give the whole URL as BRIEFBOT_DB")


def _store(text: str, instead: str) -> Path | str:
    """A SQLite file or a postgresql:// URL; another `scheme://` is refused by argparse without echoing it, and so is a URL
    holding a password, which anyone on the machine could read in the process list (`ps`): `instead` says where it goes."""
    try:
        location = store_location(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if isinstance(location, str):
        from bot.store.postgres.address import holds_password  # imported by store_location's check of the URL already

        if holds_password(location):
            raise argparse.ArgumentTypeError(
                "a password is not accepted on the command line, where anyone on this machine can read it (ps): write the URL"
                f" without it (postgresql://user@host/database) and {instead}"
            )
    return location


def _language(text: str) -> str:
    """`--locale es-CO` → "es"; a language the bot lacks is refused by argparse, naming the choices."""
    try:
        return spoken_language(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error}") from None
def _general_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--config, --db, --briefing and --locale, accepted before or after the subcommand."""
    parser.add_argument("--config", type=Path, default=default, help="settings file (default: $BRIEFBOT_CONFIG or config/briefbot.yaml)")
    parser.add_argument("--db", type=_db_argument, default=default,
                        help="SQLite file or postgresql:// URL, its password in PGPASSWORD (default: $BRIEFBOT_DB, or store.url or store.path in the config)")
    parser.add_argument("--briefing", default=default, help="briefing id (default: the store's default briefing)")
    parser.add_argument("--locale", type=_language, default=default, help="language of the answers: en or es (default: locale in the config, else en)")


def given_options(args: argparse.Namespace, briefing: bool = False) -> str:
    """The general options the operator gave (" --config FILE --db FILE --locale es", and `--briefing` where the command reads
    it), for a command a hint prints to be run next: it acts on the same settings, store and briefing, in the same language.
    A postgresql:// URL is written whole: --db refuses one holding a password."""
    given = {
        "--config": None if args.config is None else shlex.quote(str(args.config)),
        "--db": None if args.db is None else shlex.quote(str(args.db)),
        "--briefing": shlex.quote(args.briefing) if briefing and args.briefing is not None else None, "--locale": args.locale,
    }
    return "".join(f" {name} {value}" for name, value in given.items() if value is not None)


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
