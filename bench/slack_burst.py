"""Slack HTTP-mode ack latency: signed slash commands from a separate process, steady and in a burst.

    python bench/slack_burst.py [--rate 500] [--seconds 10] [--burst 2000] [--hog N] [--postgres]

The parent process serves the real app (bolt, the core over a seeded SQLite file) on loopback; a
child process signs and sends the requests and also plays Slack's response_url and Web API, so
the server does all of its real work: ack, answer, render, POST the answer. Prints p50/p99 ack
latency (measured from each request's scheduled send time, so a stalled server cannot hide), how
long the answers took to arrive, how many acks took over 3 s (Slack's deadline), and the server's
resident memory. `--hog N` runs N busy processes beside the server, an overloaded host (issue #18 §3).
`--postgres` puts the store on a throwaway PostgreSQL server on 127.0.0.1 (tests/pg_server.py). The lines sent are
reads, which record nothing in the store (only a write records its request's delivery, bot/store/writes.py).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # see bench/common.py

from bench.common import DATA, children_cpu, memory_mb
from tests import pg_server

SECRET = "bench-signing-secret"
LINES = ("brief", "meeting", "timeline topic:sanctions", "delegation", "search drug", "timeline page:2", "quotes Trump")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# ---- the child: Slack's side -------------------------------------------------------------------


class SlackSide:
    """Sends signed slash commands and receives what the app posts back."""

    def __init__(self) -> None:
        self.answers = 0
        self.answered = asyncio.Event()
        self.expected = 0
        # Every request gets its own response_url, so no two bodies (and signatures) are alike: the app refuses replays.
        self.serial = 0

    async def sink(self, request: web.Request) -> web.Response:
        await request.read()
        if request.path.startswith("/api/auth.test"):
            return web.json_response({"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "B1"})
        if request.path.startswith("/api/users.info"):  # the reader's language and admin flag; not an answer
            return web.json_response({"ok": True, "user": {"id": request.query.get("user", ""), "locale": "en-US"}})
        self.answers += 1
        if self.answers >= self.expected:
            self.answered.set()
        return web.Response(text="ok")

    def bodies(self, count: int, sink_port: int) -> list[tuple[bytes, dict[str, str]]]:
        stamp = str(int(time.time()))
        out = []
        for n in range(count):
            form = urlencode({
                "team_id": "T1", "channel_id": "C1", "user_id": f"U{n % 50}", "command": "/brief",
                "text": LINES[n % len(LINES)], "api_app_id": "A1",
                "response_url": f"http://127.0.0.1:{sink_port}/hooks/{self.serial + n}", "trigger_id": "t",
            })
            digest = hmac.new(SECRET.encode(), f"v0:{stamp}:{form}".encode(), hashlib.sha256).hexdigest()
            headers = {"Content-Type": "application/x-www-form-urlencoded",
                       "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}
            out.append((form.encode(), headers))
        self.serial += count
        return out

    async def send_all(self, http: aiohttp.ClientSession, url: str, bodies: list[tuple[bytes, dict[str, str]]],
                       interval: float) -> tuple[list[float], float, int]:
        """Send each body at start + n*interval; (ack latencies in ms, wall time in s, failures)."""
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.05
        failures = 0

        async def one(n: int, body: bytes, headers: dict[str, str]) -> float:
            nonlocal failures
            due = start + n * interval
            await asyncio.sleep(max(0.0, due - loop.time()))
            async with http.post(url, data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    failures += 1
            return (loop.time() - due) * 1000

        latencies = await asyncio.gather(*(one(n, b, h) for n, (b, h) in enumerate(bodies)))
        return list(latencies), loop.time() - start, failures

    async def run(self, server_port: int, sink_port: int, rate: int, seconds: float, burst: int) -> dict[str, object]:
        url = f"http://127.0.0.1:{server_port}/slack/events"
        results: dict[str, object] = {}
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:
            await self.phase(http, url, self.bodies(50, sink_port), 0.002)  # warm-up: first auth.test, caches
            for name, count, interval in (("steady", int(rate * seconds), 1 / rate), ("burst", burst, 0.0)):
                results[name] = await self.phase(http, url, self.bodies(count, sink_port), interval)
        return results

    async def phase(self, http: aiohttp.ClientSession, url: str, bodies: list[tuple[bytes, dict[str, str]]],
                    interval: float) -> dict[str, float]:
        self.answers, self.expected = 0, len(bodies)
        self.answered.clear()
        began = time.perf_counter()
        latencies, wall, failures = await self.send_all(http, url, bodies, interval)
        await asyncio.wait_for(self.answered.wait(), 60)
        return {
            "requests": len(bodies), "failures": failures, "p50_ms": percentile(latencies, 0.50),
            "p99_ms": percentile(latencies, 0.99), "max_ms": max(latencies), "all_acked_s": wall,
            "over_3s": sum(latency > 3000 for latency in latencies),
            "all_answered_s": time.perf_counter() - began,
        }


async def child(rate: int, seconds: float, burst: int) -> None:
    side = SlackSide()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", side.sink)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, backlog=4096).start()
    print(runner.addresses[0][1], flush=True)
    server_port = int(await asyncio.to_thread(sys.stdin.readline))
    print(json.dumps(await side.run(server_port, int(runner.addresses[0][1]), rate, seconds, burst)), flush=True)
    await runner.cleanup()


# ---- the parent: the app under test ------------------------------------------------------------


async def parent(rate: int, seconds: float, burst: int, hog: int, postgres: bool) -> None:
    from bot.adapters.slack_app.app import SlackBot, build_app, build_client
    from bot.adapters.slack_app.cli import store_probe
    from bot.adapters.slack_app.gate import SlackGate
    from bot.adapters.slack_app.health import Health
    from bot.adapters.slack_app.people import WorkspaceAdmins
    from bot.adapters.slack_app.web import serving, web_app
    from bot.core.service import BriefingCore
    from bot.store import open_store

    load = subprocess.Popen(
        [sys.executable, __file__, "--child", "--rate", str(rate), "--seconds", str(seconds), "--burst", str(burst)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert load.stdin and load.stdout
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(hog)]
    # A folder of its own: the server runs as an unprivileged user, who could not enter a temporary one of ours.
    server = Path(tempfile.mkdtemp(prefix="briefbot-bench-pg-")) if postgres else None
    try:
        sink_port = int(await asyncio.to_thread(load.stdout.readline))
        with tempfile.TemporaryDirectory() as tmp:
            db = pg_server.start(server) if server else Path(tmp) / "bench.sqlite3"
            async with open_store(db) as store, aiohttp.ClientSession() as http:
                await store.seed(DATA, "petro-trump-2026")
                # The store's keys for Post to channel (PostgreSQL's; none in a SQLite file), as `briefbot slack run --http` wires them.
                bot = SlackBot(BriefingCore(store.repository), WorkspaceAdmins(enabled=False), lambda: datetime.now(UTC), http, keys=store.keys)
                client = build_client("xoxb-bench", f"http://127.0.0.1:{sink_port}/api/", http)
                app = web_app(build_app(bot, client), SlackGate(SECRET), Health(store_probe(bot.core), client))
                idle_mb, _ = memory_mb()
                cpu_before = time.process_time()
                async with serving(app, "127.0.0.1", 0) as port:
                    load.stdin.write(f"{port}\n")
                    load.stdin.flush()
                    line = await asyncio.to_thread(load.stdout.readline)
                    await bot.inflight.drain(10)
                cpu_s = time.process_time() - cpu_before
                rss_mb, peak_mb = memory_mb()
        load.wait(10)
        sender_cpu = children_cpu()  # before the hogs are reaped: the sender's alone
    finally:
        for process in hogs:
            process.terminate()
            process.wait(10)
        if server:
            pg_server.stop(server)
            shutil.rmtree(server, ignore_errors=True)
    results = json.loads(line)
    handled = 50 + sum(int(figures["requests"]) for figures in results.values())
    print(f"{hog} CPU hogs beside the server; the store: {'PostgreSQL' if postgres else 'SQLite'}")
    print(f"server RSS: {idle_mb:.1f} MB idle, {rss_mb:.1f} MB after, {peak_mb:.1f} MB peak")
    # CPU per command (ack + answer + POST) does not depend on what else the machine is running.
    print(f"server CPU: {cpu_s:.1f} s for {handled} commands, {1000 * cpu_s / handled:.2f} ms each "
          f"(the sending process used {sender_cpu:.1f} s)")
    for name, figures in results.items():
        print(
            f"{name:>6}: {figures['requests']} requests, {figures['failures']} failed; ack p50 {figures['p50_ms']:.1f} ms, "
            f"p99 {figures['p99_ms']:.1f} ms, max {figures['max_ms']:.1f} ms; all acked in {figures['all_acked_s']:.2f} s, "
            f"all answered in {figures['all_answered_s']:.2f} s; acks over 3 s: {figures['over_3s']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument("--hog", type=int, default=0, metavar="N", help="busy processes beside the server (an overloaded host)")
    parser.add_argument("--postgres", action="store_true", help="the store on a throwaway PostgreSQL server instead of a SQLite file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    asyncio.run(child(args.rate, args.seconds, args.burst) if args.child else parent(args.rate, args.seconds, args.burst, args.hog, args.postgres))


if __name__ == "__main__":
    main()
