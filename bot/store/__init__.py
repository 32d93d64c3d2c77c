"""The SQLite store: one file, migrated at open, holding every briefing. All SQL lives in this package."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.model import Briefing
from bot.core.offload import handing_over
from bot.core.skeleton import written
from bot.errors import ConfigError, NewerSchema, StoreError
from bot.store.choices import SqliteChoiceStore
from bot.store.database import (
    FileIdentity,
    connect,
    connect_probe,
    created,
    file_size,
    interrupted,
    migrate,
    store_error,
    use_rollback_journal,
    use_wal,
)
from bot.store.digests import SqliteDigestStore
from bot.store.repository import SqliteBriefingRepository

if TYPE_CHECKING:
    from bot.store.postgres.choices import PostgresChoiceStore
    from bot.store.postgres.digests import PostgresDigestStore
    from bot.store.postgres.keys import PostgresKeys
    from bot.store.postgres.repository import PostgresBriefingRepository

# PostgreSQL connections each process's pool may open (the setting store.pool_size's default), besides the change
# listener's one: the budget docs/deploy.md sizes a server by.
POOL_SIZE = 10
log = logging.getLogger(__name__)


class Store:
    """An open, migrated database: the briefing repository, the digest store and the briefing choices over it, and on
    PostgreSQL the keys its processes claim once (`keys`: a Post to channel's; None on SQLite, bot/store/postgres/keys.py
    says why)."""

    def __init__(
        self,
        repository: SqliteBriefingRepository | PostgresBriefingRepository,
        digests: SqliteDigestStore | PostgresDigestStore,
        choices: SqliteChoiceStore | PostgresChoiceStore,
        keys: PostgresKeys | None = None,
    ) -> None:
        self.repository = repository
        self.digests = digests
        self.choices = choices
        self.keys = keys

    async def check(self) -> None:
        """StoreError unless the store answers a query and its file is the one opened (for /healthz)."""
        await self.repository.check()

    async def load(
        self, briefing: Briefing, path: Path, mapping: dict[str, Any] | None = None, *, make_default: bool = False, discard_edits: bool = False,
        keep_folder: bool = False,
    ) -> tuple[str, bool]:
        """Store a pack read from `path`; (briefing id, whether anything changed).

        The store records the folder of the pack last loaded, which its sources' relative `text:` paths lead from. A
        pack whose texts are the very files the stored ones lead to (an export written elsewhere, loaded back) keeps
        the stored paths and folder, so it is the same briefing (`unchanged`, not refused after edits); one whose
        texts are other files (a release copied to a new folder) is stored as written, from its own folder, unless it
        is unchanged and `keep_folder` (a text the store reads now cannot be read from it: a plain copy elsewhere).
        Refused (EditedSinceLoad) while the briefing has revisions since its last load, unless `discard_edits`.
        """
        from bot.core.repository import Part
        from bot.store.packfile import folder_of

        folder: Path | None = folder_of(path)
        moved, anchor = await self.placed(briefing, path)
        if moved != briefing:
            stored = await self.repository.briefing(briefing.id, Part(frozenset({"sources"})))
            if [s.text for s in moved.sources] == [s.text for s in stored.sources]:
                mapping, briefing, folder = None, moved, anchor
        changed = await self.repository.save(
            briefing, make_default=make_default, discard_edits=discard_edits, mapping=mapping, folder=folder, keep_folder=keep_folder,
        )
        return briefing.id, changed

    async def placed(self, briefing: Briefing, path: Path) -> tuple[Briefing, Path | None]:
        """The pack read from `path` with each relative `text:` path leading to the same file from the folder the store
        keeps for the briefing, and that folder; as read when none is kept or it is the pack's own.

        What a load compares, and what an import stores: an import (one revision, undone as one) never moves the folder.
        """
        from bot.store.packfile import folder_of, texts_moved

        anchor, folder = await self.repository.pack_folder(briefing.id), folder_of(path)
        return (briefing if anchor is None or anchor == folder else texts_moved(briefing, folder, anchor)), anchor

    async def readable_texts(self, briefing_id: str) -> set[str]:
        """The sources of the stored briefing (none if it is not stored) whose text file the store can read now, from the
        folder of its pack: those an admin's new passages are checked against."""
        from bot.core.repository import Part

        if briefing_id not in {summary.id for summary in await self.repository.briefings()}:
            return set()
        stored = await self.repository.briefing(briefing_id, Part(frozenset({"sources"})))
        return {source.id for source in stored.sources if (await self.repository.source_text(briefing_id, source)).text is not None}

    async def seed(
        self, packs_dir: Path, default_briefing: str | None = None, *, needed: bool = True, settings_file: Path | None = None,
    ) -> list[str]:
        """At start: on first run (an empty store) load every pack in `packs_dir`, then honour the configured default.

        Returns the ids loaded. The config's `default_briefing` wins over the stored default; one the
        store does not hold is a ConfigError naming those it does (never a silent fallback), unless the
        command does not `need` a default (it names its briefing): then it is only logged. Either way the
        message starts with the `settings_file` it was read from, as every other problem of the settings does.
        """
        # Every start asks this: one indexed row, where listing every briefing read each one's row, slow in a
        # store of many briefings; the list only when something must change.
        stored = await self.repository.default_id()
        loaded = (await self.fill(packs_dir, default=default_briefing))[0] if stored is None else []
        if default_briefing and default_briefing != stored:
            await self._use_default(default_briefing, needed, "" if settings_file is None else f"{settings_file}: ")
        return loaded

    async def fill(
        self, packs_dir: Path, loading: Sequence[tuple[Path, Briefing]] = (), *, default: str | None = None,
    ) -> tuple[list[str], str | None]:
        """Fill an empty store with every pack in `packs_dir` but those the caller is `loading` (file, briefing).

        So a store is never used without the packs folder's briefings, whether it is first started or first
        loaded into; a pack the caller loads replaces the folder's file, and the folder's pack of its briefing.
        Every pack is read and checked before one is stored. Returns the ids this call wrote: none when the store
        holds a briefing already, nor those another process starting at the same time wrote first (found identical);
        and the briefing that is to be the default (None when the store held one): the settings' `default`, else the
        first of the folder's packs and then the caller's whose summary is written, so that a `briefbot new` skeleton
        left in the folder never answers every reader "Not written yet" (in any language). One of the caller's is its to make the default.
        """
        if await self.repository.default_id() is not None or await self.repository.briefings():
            return [], None
        from bot.store.packfile import folder_of, pack_files, read_packs  # PyYAML: only an empty store loads packs

        files = {path.resolve() for path, _ in loading}
        briefings = {briefing.id for _, briefing in loading}
        paths = [path for path in pack_files(packs_dir) if path.resolve() not in files]
        found = read_packs(paths, listed=True, seeding=True)  # as a start reads them: a zone abbreviation earlier releases took stops no start
        packs = [(path, briefing, mapping) for path, (briefing, mapping) in zip(paths, found, strict=True) if briefing.id not in briefings]
        candidates = [briefing for _, briefing, _ in packs] + [briefing for _, briefing in loading]
        # The first of the lowest: every process starting at once makes the same one the default.
        chosen = min(candidates, key=lambda briefing: (briefing.id != default, not written(briefing.summary)), default=None)
        if chosen is None:
            return [], None
        log.info("default briefing: %s", _seeded_default(chosen, default, len(candidates) > 1, packs_dir))
        packs.sort(key=lambda pack: pack[1].id != chosen.id)  # saved first into a store with no default, it is the default
        return [briefing.id for path, briefing, mapping in packs if await self.repository.save(briefing, mapping=mapping, folder=folder_of(path))], chosen.id

    async def _use_default(self, configured: str, needed: bool, where: str) -> None:
        """Make the configured briefing the stored default, unless it already is; an empty store has none to choose."""
        held = await self.repository.briefings()
        if not held or (held[0].id == configured and held[0].is_default):
            return
        if configured not in {summary.id for summary in held}:
            known = ", ".join(sorted(summary.id for summary in held))
            problem = (f"{where}default_briefing: “{configured}” is not in the store, which holds: {known}. "
                       "Name one of those, or load its pack first (briefbot load PATH).")
            if needed:
                raise ConfigError(problem)
            log.warning("%s", problem)
            return
        await self.repository.set_default(configured)
        log.info("default briefing: %s (from the settings)", configured)


def _seeded_default(first: Briefing, configured: str | None, others: bool, packs_dir: Path) -> str:
    """Which briefing a seeding made the default, and why: the log is where an operator finds out, and how to change it."""
    if first.id == configured:
        return f"{first.id} (from the settings)"
    why = f"the first pack in {packs_dir} whose summary is written" if written(first.summary) else f"the first pack in {packs_dir}"
    change = "; briefbot briefings default ID makes another one the default" if others else ""
    return f"{first.id} ({why}){change}"


@contextlib.asynccontextmanager
async def open_store(path: Path | str, *, loading: bool = False, pool_size: int = POOL_SIZE) -> AsyncIterator[Store]:
    """Open the database file (or the PostgreSQL server a postgresql:// URL names), apply pending migrations, and close it on exit.

    Digests get a connection of their own: their transactions must not interleave with the
    repository's on one connection, and an in-memory database cannot be shared, so it has none.
    `loading` (a body that only loads packs): a file this call creates, once migrated, has one connection, in
    SQLite's rollback journal, turned back to WAL once the body is done. No one reads it meanwhile, so its pages
    are written once, not into the WAL and again at the checkpoint; a failed body leaves it migrated and empty,
    and any next open turns WAL on.
    `pool_size`: PostgreSQL's most pooled connections (store.pool_size); a SQLite file has its own two.
    """
    if str(path).startswith(("postgresql://", "postgres://")):
        from bot.store.postgres.store import open_postgres  # only a PostgreSQL store needs asyncpg loaded

        async with open_postgres(str(path), pool_size) as (repository, digests, choices, keys):
            yield Store(repository, digests, choices, keys)
        return
    # aiosqlite's worker thread runs every query, taking and dropping the GIL at each row: while it does, the loop's
    # thread would wait up to the switch interval whenever it wakes, by default longer than a request may stall it.
    size = file_size(path)  # read before `created` makes an empty file of its own
    was_empty = size == 0
    alone = loading and created(path)
    with handing_over():
        conn = await connect(path)
        digest_conn = None
        probe = None
        try:
            if size and await interrupted(conn, size):  # never made into a new store: the operator meant a store, and it is not one
                raise StoreError(
                    f"cannot open database {path}: the file is not empty ({size} bytes) but holds no briefbot store, as an"
                    " interrupted copy or backup (a `.backup` stopped mid-way) leaves it; restore a complete backup"
                    ' (docs/deploy.md, "Backups"), or delete the file to start a new store'
                )
            try:
                await migrate(conn)  # in WAL still: a rollback journal would sync each migration's commit
            except NewerSchema as error:
                raise error.at(f"cannot open database {path}") from None
            if was_empty:  # SQLite takes an empty file for a new database: a truncated store's history would go unnoticed
                log.warning("%s was an empty file (0 bytes) and was taken as a new store; if it held briefbot's store, stop"
                            " and restore the last backup (docs/deploy.md, \"Backups\")", path)
            alone = alone and await use_rollback_journal(conn)
            file = FileIdentity.of(path)  # after connect created it
            # Nothing reads beside the load; a connection `connect` opened would put the file back in WAL.
            probe = None if alone else connect_probe(path)
            digest_conn = conn if alone or str(path) == ":memory:" else await connect(path)
            sqlite = SqliteBriefingRepository(conn, probe, file)
            yield Store(sqlite, SqliteDigestStore(digest_conn, file), SqliteChoiceStore(sqlite))
            if alone:
                try:
                    await use_wal(conn)
                except sqlite3.Error as error:  # the load is in: the next open turns WAL on
                    raise store_error(error, f"cannot turn WAL on in {path}") from error
        finally:
            if probe is not None:
                probe.close()
            if digest_conn is not None and digest_conn is not conn:
                await digest_conn.close()
            await conn.close()
