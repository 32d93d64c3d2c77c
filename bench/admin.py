"""Admin benchmark: what a user notices about the store — reads while a few edits a minute land, and writes.

    python bench/admin.py [--seconds S] [--every E] [--writes N]

Everything goes through `BriefingCore.dispatch_line` (parsed, answered and rendered) against a real
SQLite file, wired as `briefbot run` wires it.
1. Reads alone: `/meeting` and `/timeline`, one after another (the idle baseline).
2. Reads while another process (another bot, or the CLI) edits the briefing every E seconds, and
   separately the first read after each of those edits: that one reads the briefing again.
3. One editor: `set` on a FAQ answer N times, each validated, written and logged; and the read
   right after each write, which reads the briefing again too. Then N/3 each of an added FAQ entry,
   its removal, that removal's undo, and the removal of a person (which checks what still names people).
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
from bot.core.admin.policy import AdminPolicy
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import open_store

OPERATOR = Request(command="", now=datetime(2026, 2, 3, 18, tzinfo=UTC), platform="cli", operator=True, user_id="operator")
READS = ["/meeting", "/timeline"]
BRIEFING = "petro-trump-2026"
CITED = "sources:cubaheadlines-2026-02-03 evidence:'Petro has crafted a diverse agenda in Washington.'"


def row(label: str, samples: list[float]) -> None:
    """p50 and p99 of one kind of call, in microseconds."""
    ordered = sorted(samples)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    print(f"{label:58} p50 {statistics.median(ordered):8.1f} µs   p99 {p99:8.1f} µs   max {ordered[-1]:8.1f} µs   ({len(ordered)} calls)")


async def timed(core: BriefingCore, line: str) -> float:
    """Microseconds from the command line to the rendered reply."""
    start = time.perf_counter_ns()
    reply = await core.dispatch_line(line, OPERATOR)
    assert reply.kind == "answer", (line, reply.text)
    return (time.perf_counter_ns() - start) / 1000


async def reads_for(core: BriefingCore, seconds: float, versions: list[int] | None = None) -> tuple[list[float], list[float]]:
    """Reads for `seconds`: all of them, and those that were the first to see a new version."""
    samples: list[float] = []
    first_after_change: list[float] = []
    deadline, n = time.perf_counter() + seconds, 0
    seen = (await core.repository.briefing()).version
    while time.perf_counter() < deadline:
        took = await timed(core, READS[n % len(READS)])
        samples.append(took)
        version = (await core.repository.briefing()).version  # cached by now: costs no query
        if version != seen:
            first_after_change.append(took)
            seen = version
        n += 1
        await asyncio.sleep(0)  # as separate users would, let anything else waiting run
    return samples, first_after_change


async def main(seconds: float, every: float, writes: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "admin.sqlite3"
        async with open_store(db) as store:
            await store.seed(DATA, BRIEFING)
            core = BriefingCore(store.repository, policy=AdminPolicy())
            for _ in range(50):
                await timed(core, "/meeting")
            idle, _ = await reads_for(core, seconds / 3)
            row("reads alone (/meeting, /timeline)", idle)

            editor = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--edits-in", str(db), "--seconds", str(seconds), "--every", str(every),
                stdout=asyncio.subprocess.PIPE,
            )
            assert editor.stdout is not None
            await editor.stdout.readline()  # connected: the edits start now
            during, first = await reads_for(core, seconds)
            await editor.wait()
            row(f"reads while another process edits every {every:g} s", during)
            row("  of which the first read after each edit", first)

            alone, after_write = [], []
            for n in range(writes):
                alone.append(await timed(core, f'set kind:faq id:significance answer:"Answer {n}."'))
                after_write.append(await timed(core, READS[n % len(READS)]))
            row("one editor: set + revision", alone)
            row("the read right after each of those writes", after_write)

            # The other writes, each after a read as above (a write after a write reads the changed briefing first):
            # each item added, removed or put back is checked as the loader would check it.
            added: list[float] = []
            removed: list[float] = []
            undone: list[float] = []
            person: list[float] = []
            for n in range(writes // 3):
                for samples, line in ((added, f"add kind:faq id:extra-{n} question:Why? answer:Because. {CITED}"),
                                      (removed, f"remove kind:faq id:extra-{n}"),
                                      (undone, "undo"),  # the removal's undo adds the entry back
                                      (person, "remove kind:person id:pedro-sanchez"),  # people can be named: every item's names are checked
                                      (None, "undo")):
                    took = await timed(core, line)
                    if samples is not None:
                        samples.append(took)
                    await timed(core, READS[n % len(READS)])
            row("one editor: add + revision", added)
            row("one editor: remove + revision", removed)
            row("one editor: undo of a removal + revision", undone)
            row("one editor: remove of a person + revision", person)


async def edits_process(db: Path, seconds: float, every: float) -> None:
    """The other process: one edit every `every` seconds for `seconds`, as a newsroom's admins make them."""
    async with open_store(db) as store:
        core = BriefingCore(store.repository, policy=AdminPolicy())
        print("ready", flush=True)
        start = time.perf_counter()
        n = 0
        while (due := start + (n + 0.5) * every) < start + seconds:
            await asyncio.sleep(due - time.perf_counter())
            await timed(core, f'set kind:faq id:main-topics answer:"Edit {n} from another process."')
            n += 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long reads run beside the other process's edits")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between that process's edits (10: six a minute)")
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--edits-in", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.edits_in:
        asyncio.run(edits_process(options.edits_in, options.seconds, options.every))
    else:
        asyncio.run(main(options.seconds, options.every, options.writes))
