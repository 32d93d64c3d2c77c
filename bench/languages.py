"""The same lines in English and Spanish, cached: what a translated answer costs over the original (issue #16 §4).

    python bench/languages.py [--blocks 15] [--calls 100]

Seeds a fresh SQLite store with the shipped pack, then asks each line repeatedly through
`BriefingCore.dispatch_line` as a console reader of each language. Prints, per line, the lowest of the
blocks' p50s in µs: on a shared machine the quietest block is the one that measures the code, not the load.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # see bench/common.py

from bench.common import DATA
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import open_store

LINES = ["/brief", "/meeting", "/timeline", "/quotes", "/faq", "/person Gustavo Petro", "/search visa", "/agenda"]
NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)


async def main(blocks: int, calls: int) -> None:
    """Print one row per language: each line's lowest block p50."""
    with tempfile.TemporaryDirectory() as folder:
        async with open_store(Path(folder) / "bench.sqlite3") as store:
            await store.seed(DATA, "petro-trump-2026")
            core = BriefingCore(store.repository)
            for language in ("en", "es"):
                template = Request(command="", now=NOW, platform="console", operator=True, locale=language)
                row = []
                for line in LINES:
                    for _ in range(50):  # the version's index and this language's view are built once, as in a running bot
                        await core.dispatch_line(line, template)
                    medians = []
                    for _ in range(blocks):
                        times = []
                        for _ in range(calls):
                            start = time.perf_counter_ns()
                            await core.dispatch_line(line, template)
                            times.append(time.perf_counter_ns() - start)
                        medians.append(statistics.median(times))
                    row.append(f"{line.split()[0]} {min(medians) / 1000:.0f}")
                print(f"{language}: " + " · ".join(row))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--blocks", type=int, default=15)
    parser.add_argument("--calls", type=int, default=100)
    options = parser.parse_args()
    asyncio.run(main(options.blocks, options.calls))
