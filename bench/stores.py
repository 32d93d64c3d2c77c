"""The same commands on both stores, warm: SQLite against PostgreSQL, per command and overall.

    python bench/stores.py [--passes 20] [--url postgresql://…]

On the shipped pack, each store is opened and seeded as `briefbot run` does it, every line of every
public command (bench/end_to_end.py's varied lines) is asked once to warm the store, then `--passes`
times in a fresh random order, timing `dispatch_line` (the core's whole answer, store included), each
line of SQLite and of PostgreSQL one right after the other.
PostgreSQL is a throwaway server on 127.0.0.1 (tests/pg_server.py) unless `--url` names one.
Target (issue 17): PostgreSQL's warm p99 within 1.5 × SQLite's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # see bench/common.py

from bench.common import DATA, cut
from bench.end_to_end import pack_words, varied_lines
from bot.core.pack import pack_mapping
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import open_store
from bot.store.packfile import read_pack
from tests import pg_server

PACK = DATA / "petro-trump-2026.yaml"
BRIEFING = "petro-trump-2026"
NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)
TARGET_RATIO = 1.5


async def timings(targets: dict[str, Path | str], families: dict[str, list[str]], passes: int) -> dict[str, dict[str, list[float]]]:
    """Microseconds per store, per command family (and "all"), over `passes` warm passes.

    Both stores are open at once and each line is asked of one right after the other (which goes
    first alternates), so a busy moment of the machine falls on both alike rather than on one run.
    """
    template = Request(command="", now=NOW, platform="console", operator=True)
    order = [(command, line) for command, lines in families.items() for line in lines]
    found: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in targets}
    async with contextlib.AsyncExitStack() as stack:
        cores = {}
        for name, target in targets.items():
            store = await stack.enter_async_context(open_store(target))
            await store.seed(DATA, BRIEFING)
            cores[name] = BriefingCore(store.repository, digests=store.digests)
            for _, line in order:  # warm: every answer's index parts built, every search seen once
                await cores[name].dispatch_line(line, template)
        rng = random.Random(5)
        for number in range(passes):
            rng.shuffle(order)
            for step, (command, line) in enumerate(order):
                names = list(cores) if (number + step) % 2 else list(reversed(cores))
                for name in names:
                    began = time.perf_counter_ns()
                    await cores[name].dispatch_line(line, template)
                    spent = (time.perf_counter_ns() - began) / 1000
                    found[name][command].append(spent)
                    found[name]["all"].append(spent)
    return found


async def main(passes: int, url: str | None) -> None:
    families = varied_lines(pack_mapping(read_pack(PACK)), pack_words(PACK, limit=40))
    started = None
    if url is None:
        started = Path(tempfile.mkdtemp(prefix="briefbot-bench-pg-"))
        url = pg_server.start(started)
    try:
        with tempfile.TemporaryDirectory() as folder:
            found = await timings({"sqlite": Path(folder) / "bench.sqlite3", "postgres": url}, families, passes)
        sqlite, postgres = found["sqlite"], found["postgres"]
    finally:
        if started is not None:
            pg_server.stop(started)
            shutil.rmtree(started, ignore_errors=True)
    print(f"Shipped pack, warm, {passes} passes; dispatch_line µs (p50/p99); target PostgreSQL p99 ≤ {TARGET_RATIO} × SQLite's")
    print(f"{'command':11} {'samples':>7} {'SQLite':>15} {'PostgreSQL':>15} {'p99 ratio':>10}")
    for command in [*families, "all"]:
        s50, s99 = cut(sqlite[command])
        p50, p99 = cut(postgres[command])
        mark = "" if p99 <= TARGET_RATIO * s99 else " ✗"
        print(f"{command:11} {len(sqlite[command]):7} {s50:7.0f}/{s99:7.0f} {p50:7.0f}/{p99:7.0f} {p99 / s99:9.2f}{mark}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=20)
    parser.add_argument("--url", help="a PostgreSQL database to use instead of a throwaway server (its briefings are replaced)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.passes, arguments.url))
