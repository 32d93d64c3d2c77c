"""What a full garbage collection costs with one large briefing and its index held, frozen or not (bot/core/kept.py).

    python bench/full_gc.py [--events 100000] [--no-freeze]

Builds the generated pack of bench/core.py as `build_kept` builds a snapshot and an index, then times five full
collections (`gc.collect()`), CPU and wall, and counts the objects the collector still tracks.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # see bench/common.py

from bench.core import large_pack
from bot.core import kept
from bot.core.context import _indexed
from bot.core.pack import parse_pack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="timeline events (a tenth as many people and quotes)")
    parser.add_argument("--no-freeze", action="store_true", help="build as build_kept does, but freeze nothing")
    args = parser.parse_args()
    if args.no_freeze:
        gc.freeze = lambda: None
    briefing = kept.build_kept(lambda: parse_pack(large_pack(args.events, args.events // 10, args.events // 10), "generated"))
    index = kept.build_kept(lambda: _indexed(briefing, None))
    times = []
    for _ in range(5):
        cpu, wall = time.process_time(), time.perf_counter()
        gc.collect()
        times.append(f"{(time.process_time() - cpu) * 1000:.1f}/{(time.perf_counter() - wall) * 1000:.1f}")
    assert index.briefing is briefing
    print(f"{args.events:,} events, {'no freeze' if args.no_freeze else 'frozen'}: {len(gc.get_objects()):,} objects tracked,"
          f" {gc.get_freeze_count():,} frozen; full collections, CPU/wall ms: {' '.join(times)}")


if __name__ == "__main__":
    main()
