"""Digest fan-out benchmark: 1,000 subscriptions due at the same minute, half Discord, half Slack.

    python bench/digest_fanout.py [--subscriptions 1000] [--alerts] [--processes 3 --postgres [--whole] [--stagger 2]]

`briefbot digest run-once` runs in its own process, as under cron, against a loopback Discord that
enforces 50 requests per second overall and 5 messages per 5 s per channel, and a loopback Slack that
takes one message per second per channel; both answer anything faster with 429 and `Retry-After`.
Prints each platform's completion time against the floor its limits allow (Discord: n / 50 s; Slack:
one message per distinct channel, so no limit applies across them), the 429s, duplicates and losses.
Target (issue 6): ≤ 1.2 × the floor, 0 duplicates, 0 losses. With `--alerts` every channel is due its
digest and the meeting's day-before alert in the same minute: two messages per channel, so Slack's
per-channel limit sets a floor of 1 s and Discord's is twice as long.

With `--processes N` that many `run-once` processes start together on one store, as N hosts' cron jobs
would (issue 17): each takes a slice of the Discord shards (`--shards i --shard-count N`: the guilds on
it) and they share the Slack channels through the ledger. Discord's global limit is the bot's, however
many processes send: on PostgreSQL they take their departures in turns held in the database; on SQLite
each keeps to its share. Discord channels belong to guilds spread over the shards.
`--whole` (PostgreSQL) gives each process every Discord channel instead of a slice: they share them
through the ledger as they share Slack's, so a process that starts late finds its guilds' digests
sent already instead of sending them late. `--stagger S` starts process i S × i seconds after the first, as cron jobs on hosts under load do.
`--postgres` puts the store on a throwaway PostgreSQL server on 127.0.0.1 (tests/pg_server.py).
A last line gives what the span depends on: the load average, the run-once processes' CPU time, and
the stalls (gaps between Discord arrivals over twice a departure's), with when the longest came.
`--profile FOLDER` runs each process under cProfile timed by CPU (`time.process_time`), one
`run-once-N.prof` each (`python -m pstats FOLDER/run-once-0.prof`): where a digest's CPU goes.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec.structs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # see bench/common.py

from bench.common import DATA, ROOT, children_cpu
from bot.adapters.discord_app.digests import DISCORD_MESSAGES_PER_SECOND, SHARED_MESSAGES_PER_SECOND
from bot.core.service import BriefingCore
from bot.store import open_store
from tests import pg_server
from tests.discord_fake import TOKEN, FakeDiscord
from tests.slack_fake import FakeSlack

BRIEFING = "petro-trump-2026"
DUE = datetime(2026, 2, 2, 12, 30, tzinfo=UTC)  # 07:30 in Bogotá, the default digest time
# 11:00 in Bogotá on 2 February is 24 hours before the meeting: the digest and the alert coincide.
DUE_WITH_ALERT = datetime(2026, 2, 2, 16, 0, tzinfo=UTC)
DISCORD_PER_SECOND = 50
# `python -m bot` under a CPU-time profiler, its statistics written to argv[1] even when it exits.
PROFILED = ("import cProfile, runpy, sys, time; out = sys.argv.pop(1); profile = cProfile.Profile(time.process_time)\n"
            "try:\n    profile.runcall(runpy.run_module, 'bot', run_name='__main__')\nfinally:\n    profile.dump_stats(out)")


async def subscribe(db: Path | str, discord_channels: list[str], slack_channels: list[str], options: str, due: datetime) -> None:
    """Every channel subscribed the day before, all due at the same minute; Discord channel n in guild n (shard n % N)."""
    from bot.core.requests import Request

    async with open_store(db) as store:
        await store.seed(DATA, BRIEFING)
        core = BriefingCore(store.repository, digests=store.digests)
        template = Request(command="", now=due - timedelta(days=1), platform="console", operator=True)
        for platform, channels in (("discord", discord_channels), ("slack", slack_channels)):
            for n, channel in enumerate(channels):
                asked = msgspec.structs.replace(template, team_id=str((n << 22) + 1) if platform == "discord" else None)
                reply = await core.dispatch_line(f"subscribe platform:{platform} channel:{channel} {options}", asked)
                assert reply.kind == "answer", reply.text


def write_config(path: Path, discord: FakeDiscord, slack: FakeSlack) -> None:
    path.write_text(
        f"store: {{packs: {DATA}}}\ndefault_briefing: {BRIEFING}\nlog_level: WARNING\n"
        f"discord: {{api_base: '{discord.api_base}', gateway: '{discord.gateway}'}}\n"
        f"slack: {{api_base: '{slack.base_url}'}}\n",
        encoding="utf-8",
    )


def span(stamps: list[float]) -> float:
    return max(stamps) - min(stamps) if stamps else 0.0


async def main(subscriptions: int, alerts: bool, processes: int, postgres: bool, whole: bool, stagger: float,
               profile: Path | None) -> None:
    options, due, per_channel = ("time:11:00 alerts:24h", DUE_WITH_ALERT, 2) if alerts else ("alerts:none", DUE, 1)
    half = subscriptions // 2
    discord_channels = [str(920_000_000_000_000_000 + n) for n in range(half)]
    slack_channels = [f"C{n:07d}" for n in range(subscriptions - half)]
    with tempfile.TemporaryDirectory() as folder:
        settings_file = Path(folder) / "briefbot.yaml"
        # A folder of its own: the server runs as an unprivileged user, who could not enter this one.
        server = Path(tempfile.mkdtemp(prefix="briefbot-bench-pg-")) if postgres else None
        db = pg_server.start(server) if server else str(Path(folder) / "bench.sqlite3")
        try:
            await fan_out(db, settings_file, discord_channels, slack_channels, options, due, per_channel, processes, whole, stagger, profile)
        finally:
            if server:
                pg_server.stop(server)
                shutil.rmtree(server, ignore_errors=True)


async def fan_out(db: str, settings_file: Path, discord_channels: list[str], slack_channels: list[str], options: str,
                  due: datetime, per_channel: int, processes: int, whole: bool, stagger: float, profile: Path | None) -> None:
    """Subscribe every channel, start the run-once processes (`stagger` s apart), and report what the loopback servers got."""
    await subscribe(db, discord_channels, slack_channels, options, due)
    arrivals: list[float] = []
    discord = FakeDiscord(global_limit=DISCORD_PER_SECOND, channel_limits=True)
    discord.clock = lambda: (arrivals.append(time.monotonic()), datetime.now(UTC))[1]
    await discord.start()
    try:
        async with FakeSlack(channel_gap=1.0) as slack:
            write_config(settings_file, discord, slack)
            # The store as BRIEFBOT_DB: the server's URL holds its password, which --db refuses (`ps` would show it).
            env = {**os.environ, "DISCORD_TOKEN": TOKEN, "SLACK_BOT_TOKEN": "xoxb-bench", "PYTHONPATH": str(ROOT), "BRIEFBOT_DB": db}
            sliced = processes > 1 and not whole
            slices = [["--shards", str(n), "--shard-count", str(processes)] if sliced else [] for n in range(processes)]
            command = ["--config", str(settings_file), "digest", "run-once", "--now", (due + timedelta(seconds=1)).isoformat()]

            async def start(python: list[str], chosen: list[str]) -> asyncio.subprocess.Process:
                return await asyncio.create_subprocess_exec(
                    sys.executable, *python, *command, *chosen, env=env, cwd=str(ROOT),
                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                )

            load_before, cpu_before, started = os.getloadavg()[0], children_cpu(), time.monotonic()
            running = []
            for n, chosen in enumerate(slices):
                if n and stagger:
                    await asyncio.sleep(stagger)
                running.append(await start(["-c", PROFILED, str(profile / f"run-once-{n}.prof")] if profile else ["-m", "bot"], chosen))
            outputs = await asyncio.gather(*(process.communicate() for process in running))
            wall = time.monotonic() - started
            load = (load_before, os.getloadavg()[0])
            cpu = children_cpu() - cpu_before
            # One more run-once, now that everything is sent: its CPU is what a process costs besides its messages.
            idle_before = children_cpu()
            await (await start(["-m", "bot"], [])).communicate()
            idle = children_cpu() - idle_before
            out = "\n".join(o.decode().strip() for o, _ in outputs)
            err = "\n".join(e.decode().strip() for _, e in outputs)
            code = max(process.returncode or 0 for process in running)
            report(discord, slack, discord_channels, slack_channels, per_channel, arrivals, wall, out, err, code)
            if sliced:
                slices_report(discord, discord_channels, processes)
            causes_report(arrivals, load, cpu, shared=db.startswith("postgresql://"))
            sent = per_channel * (len(discord_channels) + len(slack_channels))
            print(f"  CPU: {cpu:.2f} s for {processes} run-once processes; an idle one (start, login, nothing left to send) "
                  f"{idle:.2f} s; so {(cpu - processes * idle) / sent * 1000:.2f} ms per message sent ({sent} messages)")
            ratio = span(arrivals) / (per_channel * len(discord_channels) / DISCORD_PER_SECOND)
            pace = SHARED_MESSAGES_PER_SECOND if db.startswith("postgresql://") else DISCORD_MESSAGES_PER_SECOND
            print(f"  TARGET Discord span ≤ 1.2 × floor: ratio {ratio:.3f} → {'met' if ratio <= 1.2 else 'missed'}"
                  f" (load {load[0]:.1f} → {load[1]:.1f}; sent at {pace} a second, {DISCORD_PER_SECOND / pace:.3f} at best)")
    finally:
        await discord.close()


def causes_report(arrivals: list[float], load: tuple[float, float], cpu: float, shared: bool) -> None:
    """Where Discord's span went beyond its departures' gaps: the machine's load, the processes' CPU, and when the stalls came."""
    ordered = sorted(arrivals)
    gaps = [(b - a, a - ordered[0]) for a, b in itertools.pairwise(ordered)]
    nominal = 1 / (SHARED_MESSAGES_PER_SECOND if shared else DISCORD_MESSAGES_PER_SECOND)
    stalls = [(gap, at) for gap, at in gaps if gap > 2 * nominal]
    print(f"  causes: load {load[0]:.1f} → {load[1]:.1f}; run-once CPU {cpu:.2f} s in all; departure gaps p50 "
          f"{sorted(gaps)[len(gaps) // 2][0] * 1000:.1f} ms; {len(stalls)} gaps over {2 * nominal * 1000:.0f} ms, "
          f"{sum(g for g, _ in stalls) - len(stalls) * nominal:.2f} s lost in them; the longest: "
          + ", ".join(f"{g * 1000:.0f} ms at {at:.1f} s" for g, at in sorted(stalls, reverse=True)[:4]))


def slices_report(discord: FakeDiscord, channels: list[str], processes: int) -> None:
    """Each process's Discord sends: when its first and last landed, after the first of all (how far apart they started)."""
    # The fake's message ids carry the time it posted them (its clock is the real one here), as Discord's do.
    posted = {c: [(int(m["id"]) >> 22) / 1000 for m in discord.posted.get(c, [])] for c in channels}
    first_of_all = min(t for times in posted.values() for t in times)
    for shard in range(processes):
        times = sorted(t for n, c in enumerate(channels) if n % processes == shard for t in posted[c])
        print(f"  discord shard {shard}: {len(times)} messages; first {times[0] - first_of_all:.2f} s and last "
              f"{times[-1] - first_of_all:.2f} s after the first of all")


def report(discord: FakeDiscord, slack: FakeSlack, discord_channels: list[str], slack_channels: list[str], per_channel: int,
           arrivals: list[float], wall: float, out: str, err: str, code: int | None) -> None:
    d_counts = [len(discord.posted.get(c, [])) for c in discord_channels]
    s_counts = [len(slack.messages.get(c, [])) for c in slack_channels]
    slack_posts = [r.at for r in slack.calls("chat.postMessage")]
    slack_429 = len(slack_posts) - sum(s_counts)
    discord_floor = per_channel * len(discord_channels) / DISCORD_PER_SECOND
    slack_floor = float(per_channel - 1)  # a second between two messages in one channel
    discord_span = span(arrivals)
    print(f"run-once exit {code} in {wall:.2f} s wall (process start, login, fan-out, exit; the last process to end)")
    print(out.strip())
    if code:
        print(err.strip()[-2000:])
    print(f"discord: {per_channel * len(discord_channels)} messages to {len(discord_channels)} channels; first→last "
          f"{discord_span:.2f} s; floor {discord_floor:.2f} s (at {DISCORD_PER_SECOND} per s); ratio {discord_span / discord_floor:.3f}; "
          f"429s {len(discord.limited)}; duplicates {sum(max(0, n - per_channel) for n in d_counts)}; "
          f"losses {sum(max(0, per_channel - n) for n in d_counts)}")
    slack_ratio = f"ratio {span(slack_posts) / slack_floor:.3f}" if slack_floor else "no limit applies across channels"
    print(f"slack:   {per_channel * len(slack_channels)} messages to {len(slack_channels)} channels; first→last "
          f"{span(slack_posts):.2f} s; floor {slack_floor:.2f} s (1 per s per channel); {slack_ratio}; 429s {slack_429}; "
          f"duplicates {sum(max(0, n - per_channel) for n in s_counts)}; losses {sum(max(0, per_channel - n) for n in s_counts)}")
    print(f"whole fan-out: {wall:.2f} s wall against a {discord_floor:.2f} s floor: ratio {wall / discord_floor:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--alerts", action="store_true", help="each channel also due the day-before alert in the same minute")
    parser.add_argument("--processes", type=int, default=1, help="run-once processes started together, each with a slice of the Discord shards")
    parser.add_argument("--postgres", action="store_true", help="the store on a throwaway PostgreSQL server instead of a SQLite file")
    parser.add_argument("--whole", action="store_true", help="every process takes every Discord channel, shared through the ledger (PostgreSQL)")
    parser.add_argument("--stagger", type=float, default=0.0, help="seconds between one process's start and the next's")
    parser.add_argument("--profile", type=Path, metavar="FOLDER", help="profile each run-once process's CPU into FOLDER/run-once-N.prof")
    arguments = parser.parse_args()
    if arguments.profile:
        arguments.profile.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(arguments.subscriptions, arguments.alerts, arguments.processes, arguments.postgres, arguments.whole,
                     arguments.stagger, arguments.profile))
