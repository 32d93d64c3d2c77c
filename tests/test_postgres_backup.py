"""The PostgreSQL backup docs/deploy.md gives: a pg_dump restores into an empty database and over the original."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store import open_store
from bot.store.packfile import read_pack_text
from tests import pg_server
from tests.conftest import _SEEDED, fresh_database
from tests.test_admin import POLICY, run

EDIT = 'set kind:faq id:significance answer:"Restored from the dump, word for word."'
# What a user reads: answers, search (the stored documents and sizes rank it), and the edit's history.
LINES = ("/meeting", "/search restored", "/search visa", "/search petro", "history")


def _tool(name: str, *args: str | Path) -> None:
    """Run a PostgreSQL client program of the server's version; it must succeed and say nothing."""
    tools = pg_server.bindir()
    assert tools is not None
    done = subprocess.run([str(tools / name), *map(str, args)], capture_output=True, text=True, check=False, timeout=120)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr


async def _answers(core: BriefingCore) -> list[Reply]:
    """Each line's reply, every field of it."""
    return [await run(core, line) for line in LINES]


async def test_a_dump_restores_into_an_empty_database_and_over_the_original(postgres_server: str | None, tmp_path: Path) -> None:
    dump = tmp_path / "briefbot.dump"
    async with fresh_database(postgres_server, _SEEDED) as original, fresh_database(postgres_server, "template0") as empty:
        async with open_store(original) as store:
            core = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
            shipped = (await store.repository.briefing()).faq
            assert (await run(core, EDIT)).kind == "answer"
            before = await _answers(core)
        assert [item.ref for item in before[1].items] == ["faq/significance"]
        # The commands of docs/deploy.md "Backups", with the test's databases for `briefbot`.
        _tool("pg_dump", "--format=custom", "--file", dump, original)
        _tool("pg_restore", "--single-transaction", "--dbname", empty, dump)
        _tool("pg_restore", "--clean", "--if-exists", "--single-transaction", "--dbname", original, dump)
        for restored in (empty, original):
            async with open_store(restored) as store:
                core = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
                assert await _answers(core) == before
                assert (await run(core, "undo")).kind == "answer"
                assert (await store.repository.briefing()).faq == shipped
                assert not (await run(core, "/search restored")).items
