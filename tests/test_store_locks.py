"""A process with the store open keeps SQLite's own locks on the WAL index (`-shm`) for as long as it holds it open.

Those fcntl locks tell every other process that the index is in use. POSIX drops all of a process's locks on a file
when any of its descriptors for that file closes: a `-shm` opened and closed beside SQLite (as a read-only map of
its header once was) let the next `briefbot admin …` take itself for the index's first user and rebuild it under
the running bot, which died of SIGBUS.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.core.service import BriefingCore
from bot.store import open_store
from tests.conftest import ask

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads Linux's /proc/locks")


def shm_locks(database: Path) -> list[str]:
    """This process's locks on the database's `-shm`, as the kernel lists them."""
    inode = os.stat(f"{database}-shm").st_ino
    with open("/proc/locks") as listed:
        return [line for line in listed if f":{inode} " in line and f" {os.getpid()} " in line]


async def test_a_running_store_holds_sqlites_lock_on_the_wal_index(seeded_file: Path, tmp_path: Path) -> None:
    database = tmp_path / "briefbot.sqlite3"
    shutil.copyfile(seeded_file, database)
    async with open_store(database) as store:  # as `briefbot run` opens it
        core = BriefingCore(store.repository, choices=store.choices)
        assert (await ask(core, "/brief", platform="discord", team_id="T1", channel_id="C1")).kind == "answer"
        assert shm_locks(database), "no lock of this process on the -shm: another process may rebuild it under this one"
