"""Admin benchmark: latency of a write with its revision, and of reads while 20 writers run.

    python bench/admin.py [--writes N] [--seconds S]

Everything goes through `BriefingCore.dispatch_line` against a real SQLite file, as the operator.
1. Reads alone: `/meeting` and `/timeline` as fast as they come (the idle baseline).
2. One writer alone: `set` on FAQ answers, one after another (each validated and logged).
3. 20 writers at once, each editing its own item, while one reader keeps asking: in the reader's own
   process (one event loop for both), and in a separate process (another bot, or the CLI) on the
   same file, which is what the store's design keeps from affecting reads.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.admin.policy import AdminPolicy  # noqa: E402
from bot.core.requests import Request  # noqa: E402
from bot.core.service import BriefingCore  # noqa: E402
from bot.store import open_store  # noqa: E402

OPERATOR = Request(command="", now=datetime(2026, 2, 3, 18, tzinfo=UTC), platform="cli", user_id="operator")
READS = ["/meeting", "/timeline"]
# 20 writers, each on an item of its own, so none waits for another's edit to be refused.
TARGETS = [("faq", "main-topics", "answer"), ("faq", "significance", "answer"), ("faq", "other-activities", "answer")] + [
    ("timeline", event, "detail")
    for event in (
        "deportation-flights-blocked", "tariff-threat", "aragua-train-friends", "decertification", "visa-revoked",
        "treasury-sanctions", "clinton-list", "special-visa", "strike-threats", "maduro-captured", "phone-call",
        "historic-pact-call", "arrival-washington", "white-house-meeting",
    )
] + [("agenda", item, "detail") for item in ("cocoa-entrepreneurs", "congress-members", "oas-secretary-general")]


def percentiles(samples: list[float]) -> tuple[float, float, float, int]:
    ordered = sorted(samples)
    p99, p999 = (ordered[max(0, int(len(ordered) * share) - 1)] for share in (0.99, 0.999))
    return statistics.median(ordered), p99, p999, len(ordered)


async def timed(core: BriefingCore, line: str) -> float:
    start = time.perf_counter_ns()
    reply = await core.dispatch_line(line, OPERATOR)
    assert reply.kind == "answer", (line, reply.text)
    return (time.perf_counter_ns() - start) / 1000


async def reads_for(core: BriefingCore, seconds: float) -> list[float]:
    samples, deadline, n = [], time.perf_counter() + seconds, 0
    while time.perf_counter() < deadline:
        samples.append(await timed(core, READS[n % len(READS)]))
        n += 1
        await asyncio.sleep(0)  # let writers in between reads, as separate users would
    return samples


async def writer(core: BriefingCore, target: tuple[str, str, str], stop: float, writes: list[float]) -> None:
    kind, item, field = target
    n = 0
    while time.perf_counter() < stop:
        writes.append(await timed(core, f'set kind:{kind} id:{item} {field}:"Edited {n} by the benchmark."'))
        n += 1


async def under_load(cores: list[BriefingCore], reader: BriefingCore, seconds: float) -> tuple[list[float], list[float]]:
    writes: list[float] = []
    stop = time.perf_counter() + seconds
    tasks = [asyncio.create_task(writer(cores[n % len(cores)], t, stop, writes)) for n, t in enumerate(TARGETS)]
    reads = await reads_for(reader, seconds)
    await asyncio.gather(*tasks)
    return reads, writes


def row(label: str, samples: list[float]) -> None:
    p50, p99, p999, count = percentiles(samples)
    print(f"{label:54} p50 {p50:8.1f} µs   p99 {p99:8.1f} µs   p99.9 {p999:8.1f} µs   ({count} calls)")


async def main(writes: int, seconds: float) -> None:
    assert len(TARGETS) == 20
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "admin.sqlite3"
        async with open_store(db) as store:
            await store.seed(ROOT / "data", "petro-trump-2026")
            core = BriefingCore(store.repository, policy=AdminPolicy())
            for _ in range(50):
                await timed(core, "/meeting")
            idle = await reads_for(core, seconds)
            row("reads alone (/meeting, /timeline)", idle)
            alone = [await timed(core, f'set kind:faq id:significance answer:"Answer {n}."') for n in range(writes)]
            row("one writer alone: set + revision", alone)
            reads, load = await under_load([core], core, seconds)
            row("20 writers, one connection: each write", load)
            row("20 writers, one connection: reads meanwhile", reads)
            child = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--writers-in", str(db), "--seconds", str(seconds), stdout=asyncio.subprocess.PIPE
            )
            assert child.stdout is not None
            await child.stdout.readline()  # the writers are connected and about to start
            reads = await reads_for(core, seconds)
            report = (await child.stdout.read()).decode()
            await child.wait()
            print(report, end="")
            row("20 writers in another process: reads meanwhile", reads)
            revisions = await store.repository.revisions("petro-trump-2026", limit=1)
            print(f"revisions logged: {revisions[0].id}")


async def writers_process(db: Path, seconds: float) -> None:
    """The child: 20 writers on their own store, reporting their write latency when done."""
    async with open_store(db) as store:
        core = BriefingCore(store.repository, policy=AdminPolicy())
        await timed(core, "/meeting")
        print("ready", flush=True)
        writes: list[float] = []
        stop = time.perf_counter() + seconds
        await asyncio.gather(*(writer(core, target, stop, writes) for target in TARGETS))
    row("20 writers in another process: each write", writes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--writers-in", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.writers_in:
        asyncio.run(writers_process(options.writers_in, options.seconds))
    else:
        asyncio.run(main(options.writes, options.seconds))
