"""One pack file loaded into an open store by the steps `briefbot load PATH` takes, for tests that hold the store open."""

from __future__ import annotations

from pathlib import Path

from bot.store import Store
from bot.store.packfile import read_packs, source_texts


async def load_pack(store: Store, path: Path, *, make_default: bool = False, discard_edits: bool = False) -> tuple[str, bool]:
    """(briefing id, whether anything changed), as bot/cli/loading.py's `load` stores one file: read and checked whole first,
    then stored from its folder, or kept on the stored folder when only that one leads to the texts the pack names."""
    [(briefing, mapping)] = read_packs([path])
    missing = source_texts(briefing, path)[1]
    readable = await store.readable_texts(briefing.id) if missing else set()
    return await store.load(
        briefing, path, mapping, make_default=make_default, discard_edits=discard_edits, keep_folder=bool(readable & missing.keys()),
    )
