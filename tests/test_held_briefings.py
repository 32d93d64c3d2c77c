"""Only the briefings in use stay in memory (issue #14's benchmark): the bound holds, and answers stay current."""

from __future__ import annotations

import asyncio
import gc
import time
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace

from bot.core.choosing import Choice
from bot.core.model import Briefing
from bot.core.recent import BRIEFINGS_HELD, Recent
from bot.core.repository import ASKING, Asking
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import Store, open_store
from bot.store.packfile import dump_pack, read_pack
from tests.cli_support import briefbot
from tests.conftest import BEFORE, PACK, ask

# More briefings than the bound, so a process serving each of them in turn must let some go.
SERVED = BRIEFINGS_HELD + 8


def story(n: int) -> str:
    """The id of the n-th added briefing."""
    return f"story-{n:03d}"


async def add_stories(store: Store, count: int) -> None:
    """The shipped pack stored `count` times, each under its own id and title."""
    shipped = read_pack(PACK)
    for n in range(count):
        await store.repository.save(replace(shipped, id=story(n), title=f"Story {n}"))


def briefings_alive() -> int:
    """Briefing snapshots reachable from anywhere in this process (the store, the core's indexes, their memos)."""
    gc.collect()
    return sum(isinstance(thing, Briefing) for thing in gc.get_objects())


async def test_a_core_that_served_more_briefings_than_the_bound_holds_only_the_bound(store: Store) -> None:
    await add_stories(store, SERVED)
    core = BriefingCore(store.repository, choices=store.choices)
    before = briefings_alive()
    for n in range(SERVED):
        reply = await ask(core, "/timeline", briefing_id=story(n))
        assert reply.kind == "answer", reply.text
    # The default one too, asked for without a name (the SQLite store holds it under None as well).
    assert (await ask(core, "/brief")).kind == "answer"
    assert briefings_alive() - before <= BRIEFINGS_HELD


async def test_answers_stay_current_after_edits_in_another_connection_held_or_let_go(store: Store, store_target: str | Path) -> None:
    await add_stories(store, SERVED)
    core = BriefingCore(store.repository, choices=store.choices)
    for n in range(SERVED):  # story-000 first: let go by the time the last is served
        await ask(core, "/brief", briefing_id=story(n))
    async with open_store(store_target) as other:  # its own connection (or pool): a commit this core never saw
        let_go = await other.repository.briefing(story(0))
        held = await other.repository.briefing(story(SERVED - 1))
        await other.repository.save(replace(let_go, title="Retitled while let go"))
        await other.repository.save(replace(held, title="Retitled while held"))
    assert "Retitled while let go" in await title_soon(core, story(0), "Retitled while let go")
    assert "Retitled while held" in await title_soon(core, story(SERVED - 1), "Retitled while held")


async def title_soon(core: BriefingCore, briefing_id: str, wanted: str) -> str:
    """/brief's title once it says `wanted`, else after 5 s: PostgreSQL tells a process of another's commit by NOTIFY,
    within milliseconds (docs/deploy.md), not before its next read; a busy CI host once answered that read first."""
    for _ in range(50):
        title = (await ask(core, "/brief", briefing_id=briefing_id)).title
        if wanted in title:
            break
        await asyncio.sleep(0.1)
    return title


async def test_a_briefing_named_by_id_or_by_title_answers_and_the_list_includes_one_added_elsewhere(
    store: Store, store_target: str | Path,
) -> None:
    core = BriefingCore(store.repository, choices=store.choices)
    assert [item.title for item in (await ask(core, "/briefings")).items] == [
        "Petro in Washington: the White House meeting with Trump (petro-trump-2026)"]
    async with open_store(store_target) as other:
        await add_stories(other, 1)
    deadline = time.monotonic() + 5  # SQLite sees it at once; PostgreSQL once its change notice arrives (within ~100 ms)
    while "Story 0 (story-000)" not in (titles := [item.title for item in (await ask(core, "/briefings")).items]):
        assert time.monotonic() < deadline, titles
        await asyncio.sleep(0.01)
    by_title = await core.dispatch_line('/brief briefing:"Story 0"', Request(command="", now=BEFORE, platform="console", operator=True))
    assert by_title.kind == "answer" and "Story 0" in by_title.title, by_title.text


def test_recent_keeps_the_most_recently_used_entries() -> None:
    recent: Recent[str, int] = Recent(2)
    recent["a"], recent["b"] = 1, 2
    assert recent.get("a") == 1  # now the most recently used: "b" goes first
    recent["c"] = 3
    assert (recent.get("a"), recent.get("b"), recent.get("c"), len(recent)) == (1, None, 3, 2)


async def test_a_briefing_let_go_is_current_after_another_process_loads_it(store: Store, store_path: Path, tmp_path: Path) -> None:
    await add_stories(store, SERVED)
    core = BriefingCore(store.repository, choices=store.choices)
    for n in range(SERVED):
        await ask(core, "/brief", briefing_id=story(n))
    pack = tmp_path / "story-000.yaml"
    pack.write_text(dump_pack(replace(await store.repository.briefing(story(0)), title="Retitled by another process")), encoding="utf-8")
    for n in range(1, SERVED):  # story-000 let go again (reading it for the pack held it)
        await ask(core, "/brief", briefing_id=story(n))
    done = briefbot("--db", store_path, "load", pack)
    assert done.returncode == 0, done.stderr
    assert "Retitled by another process" in (await ask(core, "/brief", briefing_id=story(0))).title


async def test_a_channel_answers_from_a_choice_made_in_another_connection_at_once(store: Store, store_target: str | Path) -> None:
    await add_stories(store, 1)
    core = BriefingCore(store.repository, choices=store.choices)
    here, there = ({"platform": "discord", "team_id": "T1", "channel_id": channel} for channel in ("C1", "C2"))
    for channel in (here, there):  # the default; both channels' choices are now remembered
        assert "Petro" in (await ask(core, "/brief", **channel)).title
    async with open_store(store_target) as other:
        await other.choices.choose(Choice("discord", "T1", "C2", story(0), "admin", BEFORE))
    assert "Petro" in (await ask(core, "/brief", **here)).title  # asked again after the commit: nothing kept from before it
    assert "Story 0" in (await ask(core, "/brief", **there)).title


@pytest.mark.sqlite_only("the read-only probe is the SQLite store's")
async def test_a_chat_request_asks_once_whether_another_connection_committed(
    store: Store, store_target: str | Path,
) -> None:
    """Its channel's choices and its briefing are read as of one look (`ASKING`): one `PRAGMA data_version` per
    request, however many reads it makes; the next request looks again and sees another process's commit."""
    core = BriefingCore(store.repository, choices=store.choices)
    chat = {"platform": "discord", "team_id": "T1", "channel_id": "C1"}
    assert "Petro" in (await ask(core, "/brief", **chat)).title  # held, its index built
    probe: Any = store.repository
    looked: list[str] = []
    probe._probe.connection.set_trace_callback(looked.append)
    assert (await ask(core, "/timeline", **chat)).kind == "answer"
    assert looked.count("PRAGMA data_version") == 1  # choices and briefing, one look
    keystroke = Request(command="person", now=BEFORE, platform="discord", team_id="T1", channel_id="C1")
    assert await core.complete(keystroke, "name", "pet")  # an autocomplete reads them both too
    assert looked.count("PRAGMA data_version") == 2
    await add_stories(store, 1)
    async with open_store(store_target) as other:
        await other.choices.choose(Choice("discord", "T1", "C1", story(0), "admin", BEFORE))
    assert "Story 0" in (await ask(core, "/brief", **chat)).title  # another process's choice, seen at the next look
    assert looked.count("PRAGMA data_version") == 3


@pytest.mark.sqlite_only("the read-only probe is the SQLite store's")
async def test_a_request_that_writes_reads_what_it_wrote(store: Store) -> None:
    """Its own commit moves the store under the look its first read took: the next read looks again."""
    token = ASKING.set(Asking())
    try:
        before = await store.repository.briefing()
        await store.repository.save(replace(before, title="Retitled within the request"))
        assert (await store.repository.briefing()).title == "Retitled within the request"
    finally:
        ASKING.reset(token)
