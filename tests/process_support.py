"""A `briefbot` command run as a process of its own, as the Procfile starts it, with its log in a file: for the tests of
what a real process does (a stop signal, a folder it cannot write)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from tests.cli_support import as_operator
from tests.conftest import BRIEFING_ID, DATA, ROOT

Running = tuple[asyncio.subprocess.Process, Path]


async def start(tmp_path: Path, config: str, *command: str, db: str | None = None, **env: str) -> tuple[asyncio.subprocess.Process, Path]:
    """`briefbot …` in a process of its own (its working directory `tmp_path`, its store `db` or a SQLite file there), its log in a file."""
    (tmp_path / "briefbot.yaml").write_text(f"store: {{packs: {DATA}}}\ndefault_briefing: {BRIEFING_ID}\n{config}", encoding="utf-8")
    log = tmp_path / "briefbot.log"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_"))}
    words, environment = as_operator(["--db", db or str(tmp_path / "db.sqlite3")], {**base, "PYTHONPATH": str(ROOT), **env})
    with log.open("wb") as out:
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(tmp_path / "briefbot.yaml"), *words, *command,
            env=environment, cwd=str(tmp_path), stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out,
        )
    return child, log


async def logged(log: Path, child: asyncio.subprocess.Process, text: str) -> None:
    """Until the process's log says `text` (it must not exit before)."""
    deadline = time.monotonic() + 60
    while text not in log.read_text(encoding="utf-8"):
        assert child.returncode is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def running(tmp_path: Path, config: str, *command: str, db: str | None = None, **env: str) -> AsyncIterator[Running]:
    """`start`, and the process killed on the way out if a test left it running (a failed assertion, say)."""
    child, log = await start(tmp_path, config, *command, db=db, **env)
    try:
        yield child, log
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()


async def stopped(child: asyncio.subprocess.Process) -> int:
    """SIGTERM's end: the process's exit status, within 30 s."""
    return await asyncio.wait_for(child.wait(), 30)


def read_without_a_writer(fifo: Path, read: Callable[[], object], what: str) -> None:
    """`read` in a thread, which must end without anyone writing to `fifo`: one still waiting after 10 s gets a writer, so
    the thread ends, and the test fails naming `what` (a hang would stop the whole run instead)."""
    reading = threading.Thread(target=read, daemon=True)
    reading.start()
    reading.join(10)
    if reading.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reading.join()
        pytest.fail(f"{what} waited for a writer to its FIFO")
