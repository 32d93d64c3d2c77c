"""The console, and a running bot, when its PostgreSQL server goes away: the generic answer and one line saying why, no
library noise."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import open_store
from tests import pg_server
from tests.cli_support import as_operator, briefbot
from tests.conftest import BEFORE, BRIEFING_ID, DATA, ROOT, require_postgres
from tests.test_postgres import GENERIC

UNREACHABLE = "the database cannot be reached; commands that need it fail until it is back"


def answering(store: str) -> subprocess.Popen[str]:
    """A console on `store` that has answered its first command: the store is open and in use."""
    words, env = as_operator(["--db", store], {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")})
    console = subprocess.Popen([sys.executable, "-m", "bot", *words, "console"], cwd=ROOT, env=env, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert console.stdin is not None and console.stdout is not None
    console.stdin.write("/brief\n")
    console.stdin.flush()
    while "Petro in Washington" not in console.stdout.readline():
        pass
    return console


def test_a_console_whose_server_stops_says_so_once(postgres_server: str | None) -> None:
    require_postgres(postgres_server)
    directory = Path(tempfile.mkdtemp(prefix="briefbot-pg-"))  # a server of its own, to stop
    try:
        own = pg_server.start(directory)
        assert briefbot("--db", own, "load").returncode == 0
        console = answering(own)
        pg_server.stop(directory)
        time.sleep(2)  # idle while the server is gone: asyncpg's pool and the change listener try to reconnect
        out, err = console.communicate("/meeting\n", timeout=60)
        assert console.returncode == 0, err
        assert GENERIC in out
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].endswith(UNREACHABLE), err
    finally:
        pg_server.stop(directory)
        shutil.rmtree(directory, ignore_errors=True)


def test_a_console_whose_store_a_newer_release_migrated_says_to_upgrade(tmp_path: Path) -> None:
    """The operator must learn why every write fails and what to do: it said only "command 'set' failed"."""
    db = tmp_path / "live.sqlite3"
    assert briefbot("--db", db, "load").returncode == 0
    console = answering(str(db))
    with sqlite3.connect(db) as newer:  # as the next release's migration leaves it
        newer.execute("PRAGMA user_version = 99")
    out, err = console.communicate("/set kind:meeting status:postponed\n", timeout=60)
    assert console.returncode == 0, err
    assert GENERIC in out
    assert "database schema 99 is newer than this briefbot" in err and "stop and upgrade this process" in err, err


async def test_a_bot_whose_server_stops_logs_each_failure_in_one_line(postgres_server: str | None, caplog) -> None:
    require_postgres(postgres_server)
    operator = Request(command="", now=BEFORE, platform="cli", operator=True, user_id="operator")
    directory = Path(tempfile.mkdtemp(prefix="briefbot-pg-"))  # a server of its own, to stop
    try:
        own = pg_server.start(directory)
        async with open_store(own) as store:
            await store.seed(DATA, BRIEFING_ID)
            core = BriefingCore(store.repository)  # a running bot's: it goes on answering, and logs the failure
            pg_server.stop(directory)
            with caplog.at_level(logging.WARNING):
                reply = await core.dispatch_line('set kind:faq id:significance answer:"Edited."', operator)
                await asyncio.sleep(2)  # asyncpg's pool tries to restore its connection floor meanwhile
    finally:
        pg_server.stop(directory)
    assert reply.text == GENERIC
    [failed] = [r for r in caplog.records if r.name == "bot.core.service"]
    assert failed.levelname == "WARNING" and "command 'set' failed for cli user operator: " in failed.getMessage()
    assert not [r for r in caplog.records if r.exc_info], caplog.text  # an outage, expected: no traceback, asyncpg's neither
