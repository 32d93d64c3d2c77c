"""Edit-to-visibility across two processes on one PostgreSQL store: p50 and p99.

    python bench/visibility.py [--edits 200] [--url postgresql://…]

This process is the reader: a bot's core over its own store, asking `/meeting` every millisecond, as
a reader would. A second process is the writer: an admin's `set kind:meeting outcome:"Edit N"`
through its own core, every 20-60 ms (random), printing the monotonic instant each edit's commit
returned. An edit's visibility is the first reply that shows it, less that instant (both processes
read the same CLOCK_MONOTONIC). A reply that shows an edit before the writer's call returned counts 0.
PostgreSQL is a throwaway server on 127.0.0.1 (tests/pg_server.py) unless `--url` names one.
Target (issue 17): p99 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # see bench/common.py

from bench.common import DATA, ROOT, cut
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import open_store
from tests import pg_server

BRIEFING = "petro-trump-2026"
NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)
TEMPLATE = Request(command="", now=NOW, platform="console", operator=True)
EDIT = re.compile(r"Edit (\d+)\b")
TARGET_P99_MS = 100.0


async def writer(url: str, edits: int) -> None:
    """The other process: `edits` admin edits, each line `N instant` once its commit returned."""
    async with open_store(url) as store:
        core = BriefingCore(store.repository, digests=store.digests)
        print("ready", flush=True)
        rng = random.Random(3)
        for number in range(edits):
            await asyncio.sleep(rng.uniform(0.02, 0.06))
            reply = await core.dispatch_line(f'set kind:meeting outcome:"Edit {number}"', TEMPLATE)
            if reply.kind != "answer":
                raise SystemExit(f"edit {number} failed: {reply.text}")
            print(number, time.monotonic(), flush=True)


def shown(reply: Reply) -> int | None:
    """The edit number a /meeting reply shows, if any."""
    text = " ".join([reply.title, reply.text, *(f"{field.name} {field.value}" for field in reply.fields)])
    found = EDIT.search(text)
    return int(found[1]) if found else None


async def reader(url: str, edits: int) -> list[float]:
    """Start the writer, read until its last edit shows; each edit's visibility in ms (overtaken edits left out)."""
    async with open_store(url) as store:
        await store.seed(DATA, BRIEFING)
        core = BriefingCore(store.repository, digests=store.digests)
        await core.dispatch_line("/meeting", TEMPLATE)  # warm, as a bot that has answered once
        process = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--writer", url, "--edits", str(edits),
            stdout=asyncio.subprocess.PIPE, cwd=str(ROOT),
        )
        assert process.stdout is not None
        assert (await process.stdout.readline()).strip() == b"ready"
        committed: dict[int, float] = {}

        async def collect() -> None:
            assert process.stdout is not None
            async for line in process.stdout:
                number, instant = line.split()
                committed[int(number)] = float(instant)

        collecting = asyncio.create_task(collect())
        seen: dict[int, float] = {}
        while edits - 1 not in seen:
            number = shown(await core.dispatch_line("/meeting", TEMPLATE))
            if number is not None and number not in seen:
                seen[number] = time.monotonic()
            await asyncio.sleep(0.001)
        await process.wait()
        await collecting
    return [max(0.0, (seen[n] - committed[n]) * 1000) for n in sorted(seen)]


async def main(edits: int, url: str | None) -> None:
    started = None
    if url is None:
        started = Path(tempfile.mkdtemp(prefix="briefbot-bench-pg-"))
        url = pg_server.start(started)
    try:
        delays = await reader(url, edits)
    finally:
        if started is not None:
            pg_server.stop(started)
            shutil.rmtree(started, ignore_errors=True)
    p50, p99 = cut(delays)
    mark = "" if p99 <= TARGET_P99_MS else " ✗"
    print(f"{edits} edits in another process, {len(delays)} seen (the rest overtaken by the next edit before a read)")
    print(f"edit → visible: p50 {p50:.1f} ms, p99 {p99:.1f} ms{mark}, max {max(delays):.1f} ms (target p99 ≤ {TARGET_P99_MS:.0f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--url", help="a PostgreSQL database to use instead of a throwaway server (its briefings are replaced)")
    parser.add_argument("--writer", metavar="URL", help=argparse.SUPPRESS)  # the second process
    arguments = parser.parse_args()
    if arguments.writer:
        asyncio.run(writer(arguments.writer, arguments.edits))
    else:
        asyncio.run(main(arguments.edits, arguments.url))
