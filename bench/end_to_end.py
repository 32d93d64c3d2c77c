"""What a user receives, timed: request → core → rendered output, for each renderer, with varied inputs.

Used by bench/core.py. Each sample is one command line, asked as each platform asks it (`dispatch_line`
with the request its adapter builds: a chat request names its space and channel, whose briefing and
language the core then looks up) and rendered as that platform shows it: console text (`render_text`),
the Discord message payload (the embed's and page buttons' dicts, what discord.py serialises) and the
Slack message (text and blocks); the samples of a pass, one line on one renderer each, run in a new random order, so
each follows other lines' work as a request follows other users'. A renderer's end-to-end time is its dispatch plus its rendering;
"cpu" is that end to end in the process's CPU time, "core" the dispatch alone and "alone" the rendering alone. Inputs vary (every page of every list, every tag,
month, person, speaker, command, and the pack's words as searches), and each line is timed twice: the
first time it is asked ("uncached": no remembered search or answer helps it) and again in later passes
("cached"), so the report says what caches do rather than hiding the work behind them.

"Uncached" is what a user asking something new gets from a bot that has answered others: the process is warm
(modules imported, Babel's CLDR data read, patterns compiled, the index built), but nothing keyed by the line or
by its answer is: no remembered answer, search result, bound options or parsed line, no rendering of the reply.
It is measured over several rounds (`fresh`; ten by default, so a one-line command's row has ten samples), each on new cores (so every version memo starts empty too) with
the line- and reply-keyed caches below emptied; the caches keyed by the pack's own content (dates' labels,
escaped titles, folded words) stay as warm as any user leaves them. The old single round held the process's
very first asking of each command: for a one-line command (brief, meeting, sources), its one sample.
"""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from bench.common import cut
from bot.adapters.console import render_text
from bot.adapters.discord_app import render as discord_render
from bot.adapters.discord_app.render import render
from bot.adapters.discord_app.views import let_go
from bot.adapters.slack_app import render as slack_render
from bot.adapters.slack_app.render import render_reply
from bot.core import service
from bot.core.catalogue import catalogue_for
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore

TARGET_P50, TARGET_P99 = 50.0, 150.0  # µs, issue #18 §1

# Kept per command line or per reply: a new line or a new answer finds nothing of its own in them.
ASKED_CACHES = (service._parsed, render_text, discord_render._rendered, slack_render._rendered)


def forget_asked() -> None:
    """Empty what is kept per line or per reply, so the next round's first askings find nothing of theirs."""
    for cache in ASKED_CACHES:
        cache.cache_clear()


def discord_payload(reply: Reply, language: str) -> dict[str, Any]:
    """What discord.py would send for this reply: the embeds as dicts and the page buttons as components."""
    embeds, view = render(reply, catalogue_for(language))
    payload = {"embeds": [embed.to_dict() for embed in embeds], "components": view.to_components() if view is not None else []}
    let_go(view)  # as the client does once sent
    return payload


def slack_payload(reply: Reply, line: str, language: str) -> dict[str, Any]:
    """What the Slack adapter posts: fallback text and Block Kit blocks, with page buttons re-asking `line`."""
    return render_reply(reply, line=line, locale=language)


# Each renderer gets the reply, the line that asked for it and the reader's language, as its adapter would.
RENDERERS: dict[str, Callable[[Reply, str, str], object]] = {
    "console": lambda reply, line, language: render_text(reply, language),
    "discord": lambda reply, line, language: discord_payload(reply, language),
    "slack": slack_payload,
}


def varied_lines(pack: dict[str, Any], words: list[str]) -> dict[str, list[str]]:
    """Distinct lines per command: every tag, month, person, speaker and command, and pack words as searches."""
    people = {p["id"]: p["name"] for p in pack["people"]}
    tags = sorted({t for e in pack["timeline"] for t in e.get("tags", ())})
    months = sorted({str(e["date"])[:7] for e in pack["timeline"] if e.get("date")})  # undated events have none
    names = [f'"{name}"' for name in people.values()] + sorted({name.split()[-1] for name in people.values()})
    speakers = sorted({f'"{people[q["speaker"]]}"' for q in pack["quotes"]})
    faq_words = sorted({w for f in pack["faq"] for w in re.findall(r"[a-z]{5,}", f["question"].lower())})
    return {
        "brief": ["/brief"],
        "meeting": ["/meeting"],
        "timeline": ["/timeline", *(f"/timeline topic:{t}" for t in tags), *(f"/timeline from:{m}" for m in months),
                     *(f"/timeline query:{w}" for w in words)],
        "delegation": ["/delegation", "/delegation side:colombia", "/delegation side:united_states",
                       *(f"/delegation name:{n}" for n in names)],
        "person": [f"/person {n}" for n in names],
        "agenda": ["/agenda"],
        "quotes": ["/quotes", *(f"/quotes {s}" for s in speakers)],
        "faq": ["/faq", *(f"/faq {w}" for w in faq_words)],
        "context": ["/context"],
        "search": [f"/search {w}" for w in words],
        "sources": ["/sources"],
        "help": ["/help", *(f"/help {name}" for name in ("brief", "meeting", "timeline", "delegation", "person", "agenda",
                                                         "quotes", "context", "faq", "search", "sources"))],
    }


async def with_pages(core: BriefingCore, template: Request, families: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each family plus every further page of each of its lines (asked of a core that is then discarded)."""
    paged: dict[str, list[str]] = {}
    for command, lines in families.items():
        paged[command] = list(lines)
        for line in lines:
            page = (await core.dispatch_line(line, template)).page
            if page is not None:
                paged[command] += [page.line_for(n) for n in range(2, page.count + 1)]
    return paged


def platform_requests(template: Request) -> dict[str, Request]:
    """Per renderer, the request its adapter builds: a chat's names its user, space and channel, so the core
    looks up that channel's briefing and language as it does for every Discord or Slack command."""
    return {
        "console": template,
        "discord": replace(template, platform="discord", operator=False, user_id="1001", team_id="2001", channel_id="3001"),
        "slack": replace(template, platform="slack", operator=False, user_id="U1001", team_id="T2001", channel_id="C3001"),
    }


async def sample(core: BriefingCore, request: Request, name: str, line: str) -> tuple[float, float, float]:
    """Microseconds of one platform's dispatch of `line`, of its renderer's rendering of that reply, and the CPU time of both.

    CPU time is the process's (every thread's, so aiosqlite's work counts): on a loaded machine the wall
    time also holds the slices lost to other processes, the CPU time only the work done.
    """
    cpu = time.process_time_ns()
    start = time.perf_counter_ns()
    reply = await core.dispatch_line(line, request)
    dispatched = time.perf_counter_ns()
    RENDERERS[name](reply, line, request.locale)
    done = time.perf_counter_ns()
    return (dispatched - start) / 1000, (done - dispatched) / 1000, (time.process_time_ns() - cpu) / 1000


async def measure(
    fresh: Callable[[], Awaitable[dict[str, BriefingCore]]], template: Request, families: dict[str, list[str]],
    passes: int, rounds: int = 10, seed: int = 5,
) -> dict[str, dict[str, list[float]]]:
    """Samples per mode ("uncached", "cached") → per "command/column".

    Uncached: `rounds` rounds of every line's first asking, each on new cores from `fresh` (one per renderer,
    over the same store, so each platform's first asking is its own) with the line- and reply-keyed caches
    emptied. Cached: `passes` more passes on the last round's cores.
    """
    rng = random.Random(seed)
    requests = platform_requests(template)
    steps = [(command, line, name) for command, lines in families.items() for line in lines for name in RENDERERS]
    found: dict[str, dict[str, list[float]]] = {"uncached": defaultdict(list), "cached": defaultdict(list)}
    cores: dict[str, BriefingCore] = {}
    for number in range(rounds + passes):
        mode = "uncached" if number < rounds else "cached"
        if mode == "uncached":
            forget_asked()
            cores = await fresh()
        # Every line on every renderer is a step of its own, in a new order each pass: a sample follows another
        # line's work, as a request follows other users', never the same line on another renderer, whose work
        # (its parse, its statement, the CPU's caches) it would find warm.
        rng.shuffle(steps)
        for command, line, name in steps:
            core_us, render_us, cpu_us = await sample(cores[name], requests[name], name, line)
            found[mode][f"{command}/{name} core"].append(core_us)
            found[mode][f"{command}/{name}"].append(core_us + render_us)
            found[mode][f"{command}/{name} alone"].append(render_us)
            found[mode][f"{command}/{name} cpu"].append(cpu_us)
    return found


def report(found: dict[str, dict[str, list[float]]], families: dict[str, list[str]]) -> None:
    """One table per mode; ✗ marks an end-to-end figure over the target (wall time, and CPU time apart)."""
    for mode, columns in found.items():
        print(f"\nEnd to end, {mode} (µs, p50/p99; target p50 ≤ {TARGET_P50:.0f}, p99 ≤ {TARGET_P99:.0f}; ✗ = missed;"
              " cpu = the same end to end in CPU time)")
        parts = [f"{name} {part}" for part in ("", "cpu", "core", "alone") for name in RENDERERS]
        print(f"{'command':11} {'lines':>5} {'samples':>7} " + " ".join(f"{part.strip():>15}" for part in parts))
        met: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # per clock: rows, p50 met, p99 met
        for command, lines in families.items():
            cells = []
            for part in parts:
                p50, p99 = cut(columns[f"{command}/{part}".strip()])
                judged = part.endswith((" ", "cpu"))  # end to end only, in wall and in CPU time
                missed = judged and not (p50 <= TARGET_P50 and p99 <= TARGET_P99)
                if judged:
                    counts = met["cpu" if part.endswith("cpu") else "wall"]
                    counts[0], counts[1], counts[2] = counts[0] + 1, counts[1] + (p50 <= TARGET_P50), counts[2] + (p99 <= TARGET_P99)
                cells.append(f"{p50:6.0f}/{p99:5.0f}{' ✗' if missed else '  '}")
            print(f"{command:11} {len(lines):5} {len(columns[f'{command}/console']):7} " + " ".join(f"{c:>15}" for c in cells))
        for clock, (rows, p50s, p99s) in met.items():
            print(f"{mode}, {clock} time: p50 ≤ {TARGET_P50:.0f} µs met by {p50s} of {rows} command × renderer rows, p99 ≤ {TARGET_P99:.0f} µs by {p99s} of {rows}")


def pack_words(pack_file: Path, limit: int = 200, seed: int = 11) -> list[str]:
    """Distinct words of the pack's text (a seeded sample), for searches never seen before."""
    text = pack_file.read_text(encoding="utf-8")
    words = sorted(set(re.findall(r"[^\W\d_]{4,}", text.lower())))
    return sorted(random.Random(seed).sample(words, min(limit, len(words))))
