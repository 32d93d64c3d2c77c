"""Core benchmark: what a user receives, end to end, per command and renderer; cold start; peak memory.

    python bench/core.py [--calls N] [--passes N] [--rounds N] [--events N] [--only end-to-end|floor] [--language es]

On the shipped pack, times request → rendered output (console text, Discord payload, Slack blocks)
for every public command with varied inputs, uncached and cached apart (see bench/end_to_end.py).
Then `BriefingCore.dispatch_line` alone on a generated pack of 10,000 timeline events (--events), and a
tenth as many people and quotes, and the cold start of `briefbot ask "/brief"` in a fresh process.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from msgspec.structs import replace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # see bench/common.py

from bench.common import ROOT
from bench.end_to_end import RENDERERS, measure, pack_words, platform_requests, report, varied_lines, with_pages
from bot.cli.serving import serving_collector
from bot.core.pack import pack_mapping, parse_pack
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import open_store
from bot.store.packfile import read_pack

NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)
PACK = ROOT / "data" / "petro-trump-2026.yaml"
# Asked once before timing: the version's index parts are built, as in any bot that has answered once;
# none of these lines is among those timed, so no timed line finds its own answer remembered.
WARM_UP = ["/timeline topic:zzzq", "/timeline query:zzzq", "/delegation name:zzzq", "/person zzzq", "/quotes zzzq",
           "/faq zzzq", "/search zzzq", "/help zzzq"]
# Asked at another instant before timing: a brief or meeting is answered anew at every new minute (its countdown),
# and what stays the same across them (the session's time in each zone, the delegation) is worked out once per
# version, as in any bot asked one before; the timed `/brief` and `/meeting` are then what a new minute costs.
CLOCK_WARM_UP, EARLIER = ["/brief", "/meeting"], NOW - timedelta(days=3)
TAGS = ["sanctions", "visa", "drugs", "trade", "military", "diplomacy", "migration", "tariffs"]
SYLLABLES = "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu".split()


def vocabulary(size: int = 3000, seed: int = 3) -> list[str]:
    """Made-up words, most frequent first; text draws them with Zipf's law like real prose."""
    rng, words = random.Random(seed), dict.fromkeys(())
    while len(words) < size:
        words["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


WORDS = vocabulary()
ZIPF = [1 / rank for rank in range(1, len(WORDS) + 1)]
LARGE_LINES = [
    "/brief",
    "/meeting",
    "/timeline",
    "/timeline from:2020-03 to:2020-04",
    "/timeline topic:sanctions page:7",
    f"/timeline query:{WORDS[60]}",
    "/delegation side:colombia role:minister",
    '/person name:"Person 0500"',
    '/quotes speaker:"Person 0007"',
    f"/search {WORDS[60]}",
    f"/search {WORDS[30]} {WORDS[90]}",
]
# The most frequent word sits in 99% of the events (like "the" in English): the full-text worst case.
WORST_LINES = [f"/timeline query:{WORDS[0]}", f"/search {WORDS[0]}"]


def prose(rng: random.Random, count: int) -> str:
    """`count` words drawn by frequency."""
    return " ".join(rng.choices(WORDS, weights=ZIPF, k=count))


def large_pack(events: int, people: int, quotes: int, seed: int = 7) -> dict:
    """The shipped pack grown to the requested size with deterministic generated items."""
    rng = random.Random(seed)
    data = pack_mapping(read_pack(ROOT / "data" / "petro-trump-2026.yaml"))
    data = copy.deepcopy(data)
    data["briefing"]["id"] = "large"
    source = data["sources"][0]["id"]
    for n in range(people):
        data["people"].append({
            "id": f"person-{n:04d}", "name": f"Person {n:04d}", "role": rng.choice(["Minister", "Senator", "Adviser", "Envoy"]),
            "organisation": f"Organisation {n % 50}", "side": rng.choice(["colombia", "united_states"]),
            "delegation": n % 10 == 0, "sources": [source], "evidence": [{"source": source, "passage": "Generated"}],
        })
    for n in range(events):
        year, month, day = rng.randint(2000, 2026), rng.randint(1, 12), rng.randint(1, 28)
        date = rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"])
        data["timeline"].append({
            "id": f"event-{n:05d}", "date": date, "title": f"Event {n}: {prose(rng, 6)}",
            "detail": prose(rng, 30), "tags": rng.sample(TAGS, 2),
            "people": [f"person-{rng.randrange(people):04d}"], "sources": [source],
            "evidence": [{"source": source, "passage": "Generated"}],
        })
    for n in range(quotes):
        words = prose(rng, 15)
        data["quotes"].append({
            "id": f"quote-{n:04d}", "speaker": f"person-{rng.randrange(people):04d}",
            "words": words, "context": "Generated", "sources": [source],
            "evidence": [{"source": source, "passage": f"“{words}”"}],  # a quote's words lie inside quotation marks in its evidence
        })
    return data


async def latency(core: BriefingCore, briefing_id: str | None, lines: list[str], calls: int) -> list[tuple[str, float, float]]:
    """p50 and p99 in microseconds for each line, after a warm-up."""
    rows = []
    for line in lines:
        template = Request(command="", now=NOW, platform="console", operator=True, briefing_id=briefing_id)
        for _ in range(20):
            await core.dispatch_line(line, template)
        samples = []
        for _ in range(calls):
            start = time.perf_counter_ns()
            reply = await core.dispatch_line(line, template)
            samples.append((time.perf_counter_ns() - start) / 1000)
        assert reply.kind == "answer", (line, reply.text)
        samples.sort()
        rows.append((line, statistics.median(samples), samples[int(len(samples) * 0.99) - 1]))
    return rows


async def first_time(core: BriefingCore, briefing_id: str | None, lines: list[str]) -> tuple[float, float]:
    """p50 and p99 in µs of lines each run once: full-text queries not seen before, so nothing is remembered."""
    template = Request(command="", now=NOW, platform="console", operator=True, briefing_id=briefing_id)
    samples = []
    for line in lines:
        start = time.perf_counter_ns()
        await core.dispatch_line(line, template)
        samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def cold_start(db: Path, runs: int = 10) -> tuple[float, float]:
    """Median and max wall time of `python -m bot ask "/brief"` on an already seeded store, in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "--db", str(db), "ask", "/brief"], cwd=ROOT, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def peak_rss(db: Path, briefing: str | None) -> float:
    """Peak resident memory (MB) of a bot process that loads a briefing, indexes it and answers."""
    selector = ["--briefing", briefing] if briefing else []
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child would report this parent's.
    script = (
        "import re, sys\n"
        "from bot.cli import main\n"
        f"code = main(['--db', {str(db)!r}, *{selector!r}, 'ask', '/search {WORDS[60]}'])\n"
        "status = open('/proc/self/status').read()\n"
        "print(re.search(r'VmHWM:\\s+(\\d+) kB', status)[1], file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True)
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def table(title: str, rows: list[tuple[str, float, float]]) -> None:
    print(f"\n{title}\n{'command':45} {'p50 µs':>9} {'p99 µs':>9}")
    for line, p50, p99 in rows:
        print(f"{line:45} {p50:9.1f} {p99:9.1f}")


async def end_to_end(folder: Path, passes: int, rounds: int, language: str) -> None:
    """The shipped pack, every public command, every renderer; lines' pages found on a store then discarded."""
    template = Request(command="", now=NOW, platform="console", operator=True, locale=language)
    families = varied_lines(pack_mapping(read_pack(PACK)), pack_words(PACK))
    async with open_store(folder / "pages.sqlite3") as store:
        await store.seed(ROOT / "data", "petro-trump-2026")
        families = await with_pages(BriefingCore(store.repository), template, families)
    async with open_store(folder / "shipped-e2e.sqlite3") as store:
        await store.seed(ROOT / "data", "petro-trump-2026")

        async def fresh() -> dict[str, BriefingCore]:
            """New cores, wired as `briefbot run` wires one (the channels' choices, digests), one per renderer (see
            `measure`), each asked the warm-up lines: its index built, nothing of the timed lines remembered."""
            cores = {name: BriefingCore(store.repository, choices=store.choices, digests=store.digests) for name in RENDERERS}
            for core, request in zip(cores.values(), platform_requests(template).values(), strict=True):
                for line in WARM_UP:
                    await core.dispatch_line(line, request)
                for line in CLOCK_WARM_UP:
                    await core.dispatch_line(line, replace(request, now=EARLIER))
            return cores

        serving_collector()  # the cyclic collector's thresholds as `briefbot run` sets them
        load = os.getloadavg()[0]
        found = await measure(fresh, template, families, passes, rounds)
        print(f"Load average (1 min) {load:.2f} before the samples, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} CPUs")
        report(found, families)


FLOOR_LINES = ["/sources", "/faq", "/person petro", "/delegation", "/help timeline", "/brief", "/meeting"]


async def floor(folder: Path, calls: int) -> None:
    """The per-request floor: each line asked again `calls` times in a row, dispatch only, as the console and
    as a chat (which also looks up its channel's choices); every answer is a remembered one after the first."""
    async with open_store(folder / "floor.sqlite3") as store:
        await store.seed(ROOT / "data", "petro-trump-2026")
        core = BriefingCore(store.repository, choices=store.choices, digests=store.digests)
        print(f"\nA remembered answer's dispatch, one line asked {calls} times in a row (µs; target: core ≤ 15 p50 quiet)")
        print(f"{'line':20} {'platform':8} {'p50':>7} {'p99':>7} {'cpu mean':>9}")
        for line in FLOOR_LINES:
            for name, request in platform_requests(Request(command="", now=NOW, platform="console", operator=True)).items():
                if name == "slack":
                    continue  # the same request as Discord's for the core
                for _ in range(20):
                    await core.dispatch_line(line, request)
                samples, cpu = [], time.process_time_ns()
                for _ in range(calls):
                    start = time.perf_counter_ns()
                    await core.dispatch_line(line, request)
                    samples.append((time.perf_counter_ns() - start) / 1000)
                cpu_mean = (time.process_time_ns() - cpu) / 1000 / calls
                samples.sort()
                print(f"{line:20} {name:8} {statistics.median(samples):7.1f} {samples[int(calls * 0.99) - 1]:7.1f} {cpu_mean:9.1f}")


async def main(calls: int, passes: int, rounds: int, only: str | None, events: int, language: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if only == "floor":
            await floor(Path(tmp), calls)
            return
        await end_to_end(Path(tmp), passes, rounds, language)
        if only == "end-to-end":
            return
        db = Path(tmp) / "bench.sqlite3"
        async with open_store(db) as store:
            await store.seed(ROOT / "data", "petro-trump-2026")
            core = BriefingCore(store.repository)
            start = time.perf_counter()
            people = max(100, events // 10)
            large = parse_pack(large_pack(events, people, people), "generated")
            await store.repository.save(large)
            print(f"\nGenerated pack validated and loaded in {(time.perf_counter() - start) * 1000:.0f} ms")
            table(f"Generated pack ({events:,} events, {people:,} people, {people:,} quotes), dispatch only, {calls} calls", await latency(core, "large", LARGE_LINES, calls))
            for command in ("/search", "/timeline query:"):
                lines = [f"{command}{'' if command.endswith(':') else ' '}{w}" for w in WORDS[50:550]]
                p50, p99 = await first_time(core, "large", lines)
                print(f"{command + ' <a word seen for the first time>':45} {p50:9.1f} {p99:9.1f}   (500 distinct words, ranks 50-550)")
            table("Worst case: the pack's most frequent word (in 99% of events), 100 calls", await latency(core, "large", WORST_LINES, 100))
        shipped_db = Path(tmp) / "shipped.sqlite3"
        async with open_store(shipped_db) as store:
            await store.seed(ROOT / "data", "petro-trump-2026")
        median, worst = cold_start(shipped_db)
        print(f"\nCold start `briefbot ask \"/brief\"` (seeded store, 10 runs): median {median:.0f} ms, max {worst:.0f} ms")
        print(f"Peak resident memory, `briefbot ask` on the shipped pack: {peak_rss(shipped_db, None):.1f} MB")
        print(f"Peak resident memory, `briefbot ask` on the generated pack: {peak_rss(db, 'large'):.1f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1000, help="calls per line on the generated pack")
    parser.add_argument("--passes", type=int, default=30, help="cached passes over the shipped pack's lines")
    parser.add_argument("--rounds", type=int, default=10, help="uncached rounds over the shipped pack's lines, each on new cores")
    parser.add_argument("--events", type=int, default=10_000, help="timeline events of the generated pack, more than 5,000 (a tenth as many people and quotes; lines name Person 0500)")
    parser.add_argument("--only", choices=["end-to-end", "floor"],
                        help="only the shipped pack's end-to-end tables, or only the per-request floor (--calls per line)")
    parser.add_argument("--language", choices=["en", "es"], default="en", help="the reader's language (issue #16: Spanish no slower)")
    args = parser.parse_args()
    if args.events <= 5000:  # the generated lines ask for Person 0500, who exists from 5,010 events
        parser.error("--events must be more than 5,000")
    asyncio.run(main(args.calls, args.passes, args.rounds, args.only, args.events, args.language))
