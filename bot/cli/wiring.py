"""What every command stands on: the store it opens (--db or the settings'), and a core over it as the settings configure it."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.digest.commands import parse_alerts, parse_clock, parse_zone
from bot.core.digest.model import DigestSettings
from bot.core.model import Briefing
from bot.core.registry import in_readers_words
from bot.core.service import BriefingCore
from bot.core.settings import CoreSettings
from bot.errors import ConfigError, UserError
from bot.settings import NOT_SHOWN, Settings, holds_url
from bot.store import Store, open_store

log = logging.getLogger("briefbot")


def store_path(args: argparse.Namespace, settings: Settings) -> Path | str:
    """The store a command opens: --db, as an explicit argument beats the settings and the environment."""
    return args.db or settings.store_path


def state_dir(args: argparse.Namespace, settings: Settings) -> Path:
    """Where local state (console history, Discord's sync stamp) lives: beside the SQLite file, else var/."""
    store = store_path(args, settings)
    return store.parent if isinstance(store, Path) else Path("var")


async def with_core(
    args: argparse.Namespace, settings: Settings, body: Callable[[Store, BriefingCore], Awaitable[int]], warm_indexes: bool = True,
) -> int:
    """Open the store, seed it on first run, make the configured default the stored one, and hand a core over it to `body`."""
    async with open_store(store_path(args, settings), pool_size=settings.store.pool_size) as store:
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


# bot.store.packfile imports PyYAML, a large part of a cold `ask` (docs/benchmarks-log.md): the commands that read or
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
