"""`store`: copying the store, forgetting a user, rewriting a SQLite file (docs/privacy.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.wiring import store_path
from bot.core.admin.authors import ERASED, platform_name
from bot.core.catalogue import catalogue_for
from bot.core.platforms import USER_IDS
from bot.errors import UserError
from bot.settings import Settings
from bot.store import open_store
from bot.store.repository import SqliteBriefingRepository


async def maintain(args: argparse.Namespace, settings: Settings) -> int:
    """`store copy`, `store forget-user PLATFORM USER_ID` and `store vacuum` (docs/privacy.md)."""
    if args.store_action == "copy":
        from bot.store.postgres.copying import copy_store  # loads asyncpg, which only this and a PostgreSQL store need

        counts = await copy_store(args.source, args.destination)
        print("copied: " + ", ".join(f"{count} {table}" for table, count in counts.items()))
        return 0
    cat = catalogue_for(settings.locale)
    if args.store_action == "forget-user" and not USER_IDS[args.platform].fullmatch(args.user_id):
        raise UserError("store.not_a_user", user=args.user_id[:64], platform=platform_name(cat, args.platform))
    path = store_path(args, settings)
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
