"""Scale benchmark (issue #18 §2): the same commands at 10k and 100k events, and what they cost the event loop.

    python bench/scale.py [--sizes 10000 100000] [--lines 200] [--no-cli] [--only FAMILY…]
    python bench/scale.py --sizes 100000 --load-only [--runs 3]   # (c) alone: `briefbot validate` and `load`
    python bench/scale.py --sizes 100000 --cold-only [--runs 5]   # (c) in process, then (d) alone: cold asks
    python bench/scale.py --sizes 100000 --only "timeline query" search --db postgresql://…/empty_db   # on PostgreSQL

For each size, bench/core.py's generator builds a pack (events, a tenth as many people and quotes),
and then this prints:
  (c) validate + load: `parse_pack` on the pack data and `save` into a fresh SQLite file, in process,
      and the real `briefbot validate` and `briefbot load` of the pack written as JSON (a YAML pack
      this size takes minutes to parse), with their wall and CPU times. Against the 3 s target stands
      `load` alone: it runs every check of the pack that `validate` runs and refuses a bad pack whole
      before it writes; `validate` adds only the search for evidence passages in the sources' texts;
  (a) p50/p99 of each command, uncached: every line distinct (words, months, pages, names), each asked
      once, so no remembered search or memo answers it;
  (b) the longest event-loop stall during each command family, seen by a sampler task that wakes
      every 0.5 ms beside the commands: how late it wakes (from its sleep to its wake-up, its own reads
      of /proc left out) is time no other user was served (wall time; and the loop thread's CPU time in
      that gap, which the OS's preemption on a busy machine does not inflate);
      beside each stall, the host's floor: the longest lateness, in the same window, of an event loop in a
      second process that has nothing to do but sleep TICK (a stall no code of ours can go below);
  the first request after the store is opened (reading the briefing and indexing it), with its stall;
  (d) a cold `briefbot --briefing large ask LINE` in a fresh process for each command (median wall and CPU
      of 5, against 300 ms), beside the shipped pack's `/brief` from the same file (the start-up floor);
  (e) the peak resident memory of such a process answering a search.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # see bench/common.py

from bench.common import DATA, cold_run, cut
from bench.core import NOW, TAGS, WARM_UP, WORDS, large_pack, peak_rss
from bot.core.pack import parse_pack
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import open_store
from bot.store.packfile import MAX_FILE_BYTES

TICK = 0.0005  # the sampler's sleep: stalls shorter than this are not seen
NOTED = 0.001  # the idle loop reports only lateness above this (asyncio's own timer makes every wake-up ≈ 0.55 ms late)


async def idle_loop() -> None:
    """An event loop with nothing to do: each wake-up later than TICK + NOTED is written as `end lateness` (perf_counter s)."""
    out = sys.stdout.buffer
    out.write(b"ready\n")
    out.flush()
    last = time.perf_counter()
    while True:
        await asyncio.sleep(TICK)
        now = time.perf_counter()
        if now - last - TICK > NOTED:
            out.write(f"{now:.6f} {now - last - TICK:.6f}\n".encode())
            out.flush()
        last = now


class HostFloor:
    """The idle loop of a second process (`--idle-loop`): its longest lateness in a window is the host's own stall.

    Both processes read the same monotonic clock (`perf_counter`), so its reports are matched to our windows.
    """

    def __init__(self) -> None:
        self._child = subprocess.Popen([sys.executable, __file__, "--idle-loop"], stdout=subprocess.PIPE)
        assert self._child.stdout is not None
        self._out = self._child.stdout
        self._out.readline()  # "ready": its loop runs from here on
        os.set_blocking(self._out.fileno(), False)
        self._partial = b""
        self._stalls: list[tuple[float, float]] = []  # (start, end) of each reported lateness

    def longest(self, start: float, end: float) -> float:
        """Milliseconds of the idle loop's longest lateness overlapping [start, end] (0: none above NOTED)."""
        self._partial += self._out.read() or b""
        *lines, self._partial = self._partial.split(b"\n")
        for line in lines:
            woke, late = map(float, line.split())
            self._stalls.append((woke - late, woke))
        self._stalls = [s for s in self._stalls if s[1] >= start]
        return max((b - a for a, b in self._stalls if a <= end), default=0.0) * 1000

    def close(self) -> None:
        self._child.kill()
        self._child.wait()


class CpuQueue:
    """Seconds each thread of this process has spent runnable but given no CPU (Linux's schedstat run_delay; none elsewhere).

    A loop stall less its own thread's such wait, and less the other threads' (a thread holding the GIL that the OS
    does not run keeps the loop waiting), is our own: the loop's work and its waits for the GIL.
    """

    def __init__(self) -> None:
        self._files: dict[str, int] = {}

    def read(self) -> dict[str, float]:
        """Each live thread's wait so far, by its task id."""
        try:
            tasks = os.listdir("/proc/self/task")
        except OSError:
            return {}
        for gone in self._files.keys() - set(tasks):
            os.close(self._files.pop(gone))
        waits = {}
        for task in tasks:
            try:
                if task not in self._files:
                    self._files[task] = os.open(f"/proc/self/task/{task}/schedstat", os.O_RDONLY)
                waits[task] = int(os.pread(self._files[task], 64, 0).split()[1]) / 1e9
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
        return waits


class StallMeter:
    """A task that wakes every TICK and remembers the longest gap between wake-ups since the last reset.

    It also notes the longest garbage collection of the oldest generation, which walks every object
    (a 100k-event snapshot is millions): a stall that no command's own code explains.
    """

    def __init__(self, floor: HostFloor) -> None:
        self.floor = floor
        self.host = 0.0  # the host's floor in the last window measured (HostFloor)
        self.longest_ours = 0.0  # the longest stall less the time our threads were runnable but given no CPU (CpuQueue)
        self.longest = 0.0
        self.longest_cpu = 0.0  # the loop thread's CPU time between wake-ups: the stall, less time the OS took away
        self.longest_gc = 0.0
        self.took_cpu = 0.0
        self._gc_started = 0.0
        self._task: asyncio.Task[None] | None = None

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.longest_gc = max(self.longest_gc, time.perf_counter() - self._gc_started)

    async def _run(self) -> None:
        queue = CpuQueue()
        last_queued = queue.read()
        while True:
            # A gap runs from the sampler's sleep to its wake-up: its own reads of /proc stay out of it. Each read lets
            # go of the GIL, and winning it back from a busy builder can take a switch interval: counted, six reads a
            # wake-up made the sampler's own cost look like a stall of the loop (docs/benchmarks-log.md, "Round 10").
            slept, slept_cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(TICK)
            now, now_cpu, now_queued = time.perf_counter(), time.thread_time(), queue.read()
            self.longest = max(self.longest, now - slept - TICK)
            self.longest_cpu = max(self.longest_cpu, now_cpu - slept_cpu)
            waited = sum(wait - last_queued[task] for task, wait in now_queued.items() if task in last_queued)
            self.longest_ours = max(self.longest_ours, now_cpu - slept_cpu, now - slept - TICK - waited)
            last_queued = now_queued

    async def __aenter__(self) -> StallMeter:
        self._task = asyncio.create_task(self._run())
        gc.callbacks.append(self._on_gc)
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        gc.callbacks.remove(self._on_gc)

    async def measure(self, work: Callable[[], Awaitable[object]]) -> tuple[float, float, float, float]:
        """Milliseconds of `work`, of the longest stall while it ran (wall, then CPU: the sampler gets one last turn), of the longest full GC.

        `self.took_cpu` is left holding the process's CPU milliseconds for `work` (every thread: SQLite's worker too),
        `self.host` the host's floor in the same window, `self.longest_ours` the longest stall less our threads'
        waits for a CPU: the loop's own work plus its waits for the GIL.
        """
        await asyncio.sleep(TICK * 2)
        self.longest = self.longest_cpu = self.longest_ours = self.longest_gc = 0.0
        start, cpu = time.perf_counter(), time.process_time()
        await work()
        took, self.took_cpu = time.perf_counter() - start, (time.process_time() - cpu) * 1000
        await asyncio.sleep(TICK * 2)
        await asyncio.sleep(0.005)  # the idle loop's report of a stall ending now is written after it wakes
        self.host = self.floor.longest(start, start + took)
        return took * 1000, self.longest * 1000, self.longest_cpu * 1000, self.longest_gc * 1000


def families(events: int, people: int, count: int, seed: int = 11) -> dict[str, list[str]]:
    """`count` distinct lines per command family, so every line is asked for the first time."""
    rng = random.Random(seed)
    words = WORDS[20 : 20 + count]
    months = [f"{y}-{m:02d}" for y in range(2000, 2027) for m in range(1, 13)]
    rng.shuffle(months)
    pages = max(2, events // 5 // len(TAGS) // 2)  # about half way through a topic's pages
    return {
        "timeline range": [f"/timeline from:{m} to:{m}" for m in months[:count]],
        "timeline topic": [f"/timeline topic:{TAGS[n % len(TAGS)]} page:{1 + rng.randrange(pages)}" for n in range(count)],
        "timeline query": [f"/timeline query:{w}" for w in words],
        "timeline query+range": [f"/timeline query:{w} from:2010 to:2015" for w in words],
        "timeline query+month": [f"/timeline query:{w} from:{m} to:{m}" for w, m in zip(words, months, strict=False)],
        "timeline query+topic": [f"/timeline query:{w} topic:{TAGS[n % len(TAGS)]}" for n, w in enumerate(words)],
        "timeline query, pages 2-20": [f"/timeline query:{w} page:{2 + rng.randrange(19)}" for w in words],
        "search": [f"/search {w}" for w in words],
        "search two words": [f"/search {w} {v}" for w, v in zip(words, reversed(words), strict=True)],
        "person": [f'/person name:"Person {rng.randrange(people):04d}"' for _ in range(count)],
        "quotes": [f'/quotes speaker:"Person {rng.randrange(people):04d}"' for _ in range(count)],
        "delegation": [f"/delegation role:{r} page:{1 + n % 5}" for n, r in enumerate(["minister", "senator", "adviser", "envoy"] * count)][:count],
        # drawn after the others: their lines stay those earlier rounds measured
        "timeline query, one end": [
            f"/timeline query:{w} {('from', 'to')[n % 2]}:{rng.randrange(2000, 2027)}" for n, w in enumerate(words)
        ],
        "brief": ["/brief"] * 5,
        "worst: most frequent word": [f"/timeline query:{WORDS[0]} page:{n + 1}" for n in range(5)] + [f"/search {WORDS[0]}"],
    }


def cli_load(folder: Path, data: dict[str, Any]) -> str:
    """What the real `briefbot validate` and `load` say of the pack written as JSON, with their wall and CPU times."""
    path = folder / "generated.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    said = [f"{path.stat().st_size / 1e6:.1f} MB of JSON (cap {MAX_FILE_BYTES / 1e6:.0f} MB)"]
    total = total_cpu = 0.0
    for command in (["validate", str(path)], ["--db", str(folder / "cli.sqlite3"), "load", str(path)]):
        done, took, used = cold_run([sys.executable, "-m", "bot", *command])
        took, used = took / 1000, used / 1000
        total, total_cpu = total + took, total_cpu + used
        lines = (done.stdout + done.stderr).strip().splitlines()
        said.append(f"{command[-2]}: exit {done.returncode} in {took:.1f} s wall, {used:.1f} s CPU: {lines[-1][:100] if lines else ''}")
    # `load` checks the pack as `validate` does, so it alone is what validating and loading costs; `validate` first adds the evidence search.
    said.append(f"load alone (checks the pack, then loads it): {took:.1f} s wall, {used:.1f} s CPU (target ≤ 3 s);"
                f" with `validate` first (the evidence found in the sources' texts too): {total:.1f} s wall, {total_cpu:.1f} s CPU")
    stored = folder / "cli.sqlite3"  # the items' data, the load's revision, the index (and its WAL until checkpointed)
    said.append(f"store after the load: {sum(p.stat().st_size for p in folder.glob(stored.name + '*')) / 1e6:.0f} MB")
    return "\n    ".join(said)


# What (d) asks a fresh process: every public command, each read by part (`CommandSpec.reads`), with the pages and
# filters that read differently ("/why" words read the whole briefing). "shipped " + line: the shipped pack (the
# store's default) from the same file.
COLD_LINES = ("/brief", "/meeting", "/delegation", "/delegation role:minister page:3", "/quotes", "/quotes Person 0042", "/agenda",
              "/faq", "/timeline", "/timeline page:5000", "/timeline topic:trade page:40", "/timeline from:2020 to:2021",
              f"/timeline query:{WORDS[60]}", f"/search {WORDS[60]}", '/person "Person 0042"', "/sources", "/why timeline/event-04242",
              "/why event-04242", "shipped /brief")


def cold_ask(db: Path, line: str, runs: int = 5) -> tuple[float, float, float, bool]:
    """Median and max wall time and median CPU time (ms) of `python -m bot --briefing large ask LINE` in a fresh process,
    and whether it answered with a user error (exit 1: at 10k events the generator may give "Person 0042" no quote)."""
    named = [] if line.startswith("shipped ") else ["--briefing", "large"]
    times, used, refused = [], [], False
    for _ in range(runs):
        done, wall, cpu = cold_run([sys.executable, "-m", "bot", "--db", str(db), *named, "ask", line.removeprefix("shipped "), "--now", NOW.isoformat()])
        times.append(wall)
        used.append(cpu)
        if done.returncode not in (0, 1):  # 2 and up: it could not start or answer at all, which no figure should hide
            raise RuntimeError(f"`ask {line}` exited {done.returncode}: {done.stderr.strip()[-300:]}")
        refused = refused or done.returncode == 1
    return statistics.median(times), max(times), statistics.median(used), refused


def cold_asks(db: Path, runs: int) -> None:
    """(d): each line of COLD_LINES asked of a fresh process `runs` times, against the 300 ms target."""
    print(f"(d) cold `briefbot --briefing large ask LINE`, {runs} runs each (target ≤ 300 ms; load average {os.getloadavg()[0]:.1f}):")
    for line in COLD_LINES:
        median, worst, cpu, refused = cold_ask(db, line, runs)
        verdict = "" if line.startswith("shipped") else "met" if median <= 300 else "MISSED" if cpu > 300 else "missed in wall time only"
        said = " (answered with a user error)" if refused else ""
        print(f"    {line:24} wall median {median:6.0f} ms, max {worst:6.0f} ms, CPU median {cpu:6.0f} ms  {verdict}{said}")


async def at_size(
    events: int, count: int, folder: Path, with_cli: bool, only: list[str], load_only: bool = False, runs: int = 1, cold_only: bool = False,
    url: str | None = None,
) -> None:
    """Every figure for one pack size (`url`: load into and query that store instead of a fresh SQLite file)."""
    people = max(100, events // 10)
    data = large_pack(events, people, people)
    print(f"\n=== {events:,} events, {people:,} people, {people:,} quotes{' on ' + url.split('@')[-1] if url else ''} ===")
    db: Path | str = url or folder / f"scale-{events}.sqlite3"
    for _ in range(runs if load_only else 1):
        for old in folder.glob("*.sqlite3*"):  # every run loads into fresh files: a pack loaded before is "unchanged"
            old.unlink()
        if url:
            await emptied(url)
        start, cpu = time.perf_counter(), time.process_time()
        briefing = parse_pack(data, "generated", plain=True)  # plain data, as the JSON reader gives
        validated, validated_cpu = time.perf_counter() - start, time.process_time() - cpu
        async with open_store(db, loading=True) as store:  # as `briefbot load` opens it: a new file, in a rollback journal
            await store.seed(DATA, "petro-trump-2026")  # the configured default, which `briefbot` checks at start
            start, cpu = time.perf_counter(), time.process_time()
            await store.repository.save(briefing)
            loaded, loaded_cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"(c) validate {validated:.2f} s + load {loaded:.2f} s = {validated + loaded:.2f} s wall"
              f" ({validated_cpu:.2f} + {loaded_cpu:.2f} s CPU of this process; target ≤ 3 s)  (parse_pack + Store.save, in process)")
        if with_cli:
            print(f"    briefbot: {cli_load(folder, data)}")
    if load_only:
        return
    if cold_only:
        assert isinstance(db, Path)
        cold_asks(db, runs)
        return
    floor = HostFloor()
    try:
        async with open_store(db) as store, StallMeter(floor) as meter:
            await stalls_and_times(store, meter, events, people, count, only)
    finally:
        floor.close()
    if only or url:
        return
    assert isinstance(db, Path)
    cold_asks(db, 5)
    print(f"(e) peak RSS of `briefbot ask /search …` on it: {peak_rss(db, 'large'):.1f} MB (target ≤ 150 MB)")


async def stalls_and_times(store: Any, meter: StallMeter, events: int, people: int, count: int, only: list[str]) -> None:
    """(a) and (b): the first request after opening, the warm-ups, then every family, with their stalls beside the host's."""
    core = BriefingCore(store.repository)
    template = Request(command="", now=NOW, platform="console", operator=True, briefing_id="large")
    took, stall, cpu, full_gc = await meter.measure(lambda: core.dispatch_line("/brief", template))
    print(f"first request after opening (read + decode + index): {took:.0f} ms, longest loop stall {stall:.1f} ms"
          f" (CPU {cpu:.1f} ms; host floor {meter.host:.1f} ms; ours {meter.longest_ours * 1000:.1f} ms), longest full GC {full_gc:.1f} ms (target: stall ≤ 5 ms){'  met' if stall <= 5 else '  MISSED' if cpu > 5 else '  missed in wall time only'}")
    for line in WARM_UP:
        took, stall, cpu, full_gc = await meter.measure(lambda line=line: core.dispatch_line(line, template))
        print(f"  warm-up {line:28} {took:7.1f} ms, stall {stall:6.1f} ms (CPU {cpu:6.1f}, host {meter.host:6.1f}, ours {meter.longest_ours * 1000:6.1f}), full GC {full_gc:6.1f} ms")
    print("(a)+(b) uncached, each line asked once: ms p50/p99 wall (target p99 ≤ 5 ms) and in process CPU (every thread),"
          " and the longest loop stall (target ≤ 5 ms), wall and the loop thread's CPU, beside the host's floor in the same windows"
          " and the longest stall less our threads' waits for a CPU (ours: the loop's work and its waits for the GIL)")
    print(f"{'family':28} {'lines':>5} {'p50 ms':>8} {'p99 ms':>8} {'CPU p50':>8} {'CPU p99':>8} {'stall ms':>9} {'CPU ms':>8} {'host ms':>8} {'ours ms':>8} {'full GC ms':>10}")
    for family, lines in families(events, people, count).items():
        if only and not any(family.startswith(name) for name in only):
            continue
        samples, used, stalls, cpus, hosts, ours, collections = [], [], [], [], [], [], []
        for line in lines:
            took, stall, cpu, full_gc = await meter.measure(lambda line=line: core.dispatch_line(line, template))
            samples.append(took)
            used.append(meter.took_cpu)
            stalls.append(stall)
            cpus.append(cpu)
            hosts.append(meter.host)
            ours.append(meter.longest_ours * 1000)
            collections.append(full_gc)
        (p50, p99), (cpu50, cpu99) = cut(samples), cut(used)
        verdict = "" if family == "brief" or "worst" in family else ("  met" if p99 <= 5 else "  MISSED" if cpu99 > 5 else "  missed in wall time only")
        print(f"{family:28} {len(lines):5} {p50:8.2f} {p99:8.2f} {cpu50:8.2f} {cpu99:8.2f} {max(stalls):9.2f} {max(cpus):8.2f} {max(hosts):8.2f} {max(ours):8.2f}"
              f" {max(collections):10.2f}{verdict}")


async def emptied(url: str) -> None:
    """Drop every table of the PostgreSQL database (the store migrates it again): each run loads into an empty one."""
    import asyncpg  # only with --db

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()


async def main(
    sizes: list[int], count: int, with_cli: bool, only: list[str], load_only: bool, runs: int, cold_only: bool, url: str | None,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            await at_size(size, count, Path(tmp), with_cli and not cold_only and not url, only, load_only, runs, cold_only, url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="timeline events per pack")
    parser.add_argument("--lines", type=int, default=200, help="distinct lines per command family")
    parser.add_argument("--no-cli", action="store_true", help="skip writing the pack as JSON for `briefbot validate` and `load`")
    parser.add_argument("--only", nargs="+", default=[], metavar="FAMILY",
                        help="time only the families whose names start with these (e.g. 'timeline query' search); skips (d) and (e)")
    parser.add_argument("--load-only", action="store_true", help="only (c): validate and load, in process and with the real CLI")
    parser.add_argument("--cold-only", action="store_true", help="only (c) in process and (d): the cold asks, --runs times each")
    parser.add_argument("--runs", type=int, default=1, help="with --load-only: repeat (c) this many times; with --cold-only: runs per line")
    parser.add_argument("--db", metavar="URL", help="a PostgreSQL database to load into and query (emptied first: give a throwaway one);"
                        " skips the CLI, (d) and (e)")
    parser.add_argument("--idle-loop", action="store_true", help=argparse.SUPPRESS)  # HostFloor's second process
    args = parser.parse_args()
    if args.idle_loop:
        asyncio.run(idle_loop())
    else:
        asyncio.run(main(args.sizes, args.lines, not args.no_cli, args.only, args.load_only, args.runs, args.cold_only, args.db))
