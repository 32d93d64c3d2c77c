"""A one-shot `briefbot ask` reads only what its command reads (`CommandSpec.reads`) and answers as a running bot does."""

from __future__ import annotations

import asyncio
import json
import random
import threading
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.kinds import KINDS, PACK_KINDS, decode, item_data
from bot.core.offload import run_inline, to_thread
from bot.core.pack import pack_mapping, parse_pack
from bot.core.repository import Part
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import open_store, rows
from bot.store.packfile import read_pack
from tests.cli_support import briefbot
from tests.conftest import BEFORE, BRIEFING_ID, DATA, PACK

NOW = BEFORE.isoformat().replace("+00:00", "Z")
# Every public command, with its options, a page, a miss and a refusal: what a reader may ask `briefbot ask`.
LINES = (
    "/brief", "/overview", "/meeting", "/meeting session:nowhere", "/timeline", "/timeline from:2025-09 topic:sanctions",
    "/timeline query:visa", "/timeline page:2", "/delegation", "/delegation role:minister", "/delegation side:colombia page:2",
    "/delegation name:petro", "/person garcia pena", "/person nobody at all", "/agenda", "/quotes", "/quotes trump",
    "/quotes speaker:nobody", "/faq", "/faq other activities", "/search cocoa", "/search visa page:2", "/search petro", "/sources",
    "/why timeline/visa-revoked", "/help", "/help timeline", "/briefings",
    # What a one-shot `ask` reads by part, then by key (`Context.more`): pages, filters and misses of each.
    "/timeline topic:visa", "/timeline from:2025-09", "/timeline to:2025-06 page:2", "/timeline page:99", "/timeline topic:nowhere",
    "/timeline topic:visas", "/timeline from:2030", "/timeline query:visa page:9", "/person who is trump?", "/person petro",
    "/person Iván Cepeda", "/sources page:2", "/why visa-revoked", "/why clinton list", "/why timeline/nothing-here",
    "/why summary", "/why person/nobody", "/why sources", "/use",
)
# The lines a one-shot `ask` answers from the whole briefing: `/help`'s examples (the most used tags, the latest tagged
# event, the speakers), and `/why` by words, which a name read by key did not find.
WHOLE = frozenset({"/help", "/help timeline", "/why clinton list", "/why timeline/nothing-here", "/why person/nobody", "/why sources"})


def _large_pack(events: int, seed: int = 3) -> dict[str, Any]:
    """The shipped pack grown with generated people, quotes and events (some around NOW, some undated)."""
    rng = random.Random(seed)
    data = pack_mapping(read_pack(PACK))
    data["briefing"]["id"] = "large"
    source = data["sources"][0]["id"]
    evidence = [{"source": source, "passage": "Generated"}]
    people = [f"person-{n:03d}" for n in range(events // 10)]
    for n, pid in enumerate(people):
        data["people"].append({"id": pid, "name": f"Person {n:03d}", "role": rng.choice(["Minister", "Senator"]),
                               "organisation": f"Organisation {n % 7}", "side": rng.choice(["colombia", "united_states"]),
                               "delegation": n % 3 == 0, "sources": [source], "evidence": evidence})
        words = f"Words {n} of cocoa and visas"
        data["quotes"].append({"id": f"quote-{n:03d}", "speaker": pid, "words": words, "context": "Generated", "sources": [source],
                               "evidence": [{"source": source, "passage": f"“{words}”"}]})
    for n in range(events):
        day = BEFORE.date() + timedelta(days=rng.randint(-4000, 30))
        date = rng.choice([f"{day.year}", f"{day:%Y-%m}", day.isoformat(), f"{day.isoformat()}/{day + timedelta(days=3)}"])
        event = {"id": f"event-{n:05d}", "date": date, "title": f"Event {n} on visas", "detail": "Generated cocoa trade",
                 "tags": rng.sample(["sanctions", "visa", "trade", "migration"], 2), "people": [rng.choice(people)],
                 "sources": [source], "evidence": evidence}
        if n % 97 == 0:
            del event["date"]  # undated: listed last, never the latest
        data["timeline"].append(event)
    return data


# What a one-shot `ask` from a SQLite file never imports: its coroutines are driven without an event loop
# (bot/core/offload.py), and asyncio with ssl, socket and subprocess is about a sixth of a cold start.
LOOP_MODULES = frozenset({"asyncio", "aiosqlite", "ssl", "socket", "subprocess", "selectors", "concurrent.futures"})


def imported(stderr: str) -> set[str]:
    """The modules a process imported, from its `-X importtime` lines (PYTHONPROFILEIMPORTTIME)."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:") and "|" in line}


def _answers(db: Path, briefing: str, lines: tuple[str, ...], locale: str = "en") -> tuple[list[str], str]:
    """Each line's answer from its own `briefbot ask` (which never imports asyncio), and every answer from one running console fed them all."""
    named = ["--locale", locale, *(["--briefing", briefing] if briefing else [])]
    one_shot = []
    for line in lines:
        result = briefbot("--db", db, *named, "ask", line, "--now", NOW, env={"PYTHONPROFILEIMPORTTIME": "1"})
        assert result.returncode in (0, 1), result.stderr
        loaded = imported(result.stderr)
        assert "bot.core.service" in loaded and not loaded & LOOP_MODULES, (line, sorted(loaded & LOOP_MODULES))
        one_shot.append(result.stdout)
    console = briefbot("--db", db, *named, "console", "--now", NOW, stdin="\n".join(lines) + "\n")
    assert console.returncode == 0, console.stderr
    return one_shot, console.stdout


def test_a_coroutine_that_waits_is_refused_by_the_loop_free_driver() -> None:
    """`run_inline` finishes a coroutine that never waits, runs `to_thread`'s work in place, and refuses one that waits."""

    async def near() -> tuple[int, str]:
        return await to_thread(lambda n: (n, threading.current_thread().name), 7)

    assert run_inline(near()) == (7, threading.current_thread().name)
    waits = asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="waited"):
        run_inline(waits)
    assert waits.cr_frame is None  # closed, not left pending


async def test_under_a_loop_the_same_hand_off_runs_on_a_worker_thread() -> None:
    """What a running bot does is unchanged: `to_thread` leaves the event loop's thread."""
    assert await to_thread(lambda: threading.current_thread().name) != threading.current_thread().name


@pytest.mark.parametrize("locale", ["en", "es"])
def test_a_one_shot_ask_answers_every_command_as_a_running_bot_on_the_shipped_pack(tmp_path: Path, locale: str) -> None:
    """In the pack's language and translated (a part is localized as the whole briefing is)."""
    one_shot, running = _answers(tmp_path / "db.sqlite3", "", LINES, locale)
    assert "".join(answer + "\n" for answer in one_shot) == running
    assert ("Latest:" if locale == "en" else "Petro en Washington") in one_shot[0]


def test_a_one_shot_ask_answers_every_command_as_a_running_bot_on_a_large_pack(tmp_path: Path) -> None:
    pack = tmp_path / "large.json"
    pack.write_text(json.dumps(_large_pack(3000)), encoding="utf-8")
    db = tmp_path / "db.sqlite3"
    assert briefbot("--db", db, "load", PACK).returncode == 0  # the configured default, checked at every start
    assert briefbot("--db", db, "load", pack).returncode == 0
    lines = (*LINES, "/person Person 007", "/quotes Person 012", "/timeline query:visas page:30", "/delegation page:50",
             "/timeline page:250", "/timeline page:301", "/timeline topic:trade page:40", "/timeline from:2020 to:2021 topic:visa page:2",
             "/timeline to:2016", "/timeline from:2026-02", "/person Person 042", "/why event-00042", "/why timeline/event-00097",
             "/why Event 1234 on", "/sources")
    one_shot, running = _answers(db, "large", lines)
    assert "".join(answer + "\n" for answer in one_shot) == running
    assert one_shot[len(LINES)].startswith("Person 007") and "Latest:" in one_shot[0]


def _zoned(venue: str, session_zone: str) -> dict[str, Any]:
    """The shipped pack with its venue and its session in other zones, and an event on each day around the session."""
    data = pack_mapping(read_pack(PACK))
    data["briefing"]["zones"] = [{"zone": venue, "label": "Venue"}, *data["briefing"]["zones"]]
    for session in data["sessions"]:
        # At 20:00 in UTC−12 the session starts the next UTC day: before it, today is two days before now's UTC date.
        session["zone"], session["start"] = session_zone, "2026-02-03T20:00"
    source = data["sources"][0]["id"]
    for n, day in enumerate(BEFORE.date() + timedelta(days=offset) for offset in range(-6, 6)):
        for m, date in enumerate((day.isoformat(), f"{day.isoformat()}/{day + timedelta(days=2)}")):
            data["timeline"].append({"id": f"around-{n}-{m}", "date": date, "title": f"Around {n} {m}", "detail": "Generated",
                                     "tags": ["visa"], "people": [], "sources": [source],
                                     "evidence": [{"source": source, "passage": "Generated"}]})
    return data


@pytest.mark.parametrize(("venue", "session_zone"), [("Pacific/Kiritimati", "Etc/GMT+12"), ("Etc/GMT+12", "Pacific/Kiritimati")])
async def test_the_latest_event_read_for_a_one_shot_brief_is_the_running_bots_at_every_hour(
    tmp_path: Path, venue: str, session_zone: str,
) -> None:
    """`Part.near` holds every day a brief's latest event may take as today, from zones a day apart, sessions near or not."""
    briefing = parse_pack(_zoned(venue, session_zone), "zoned")
    db = tmp_path / "db.sqlite3"
    # Two processes' worth of stores: the one-shot core's never holds the whole briefing the running one reads.
    async with open_store(db) as store, open_store(db) as own:
        await store.seed(DATA, BRIEFING_ID)
        await store.repository.save(briefing, make_default=True)
        running, one_shot = BriefingCore(store.repository), BriefingCore(own.repository, warm_indexes=False)
        start = datetime(2026, 1, 29, tzinfo=BEFORE.tzinfo)
        for hour in range(0, 9 * 24, 2):
            template = Request(command="", now=start + timedelta(hours=hour), platform="console", operator=True)
            assert await one_shot.dispatch_line("/brief", template) == await running.dispatch_line("/brief", template), hour
        assert len((await own.repository.briefing(None, Part(frozenset()))).timeline) < 30  # the events near, not all


async def test_a_part_is_never_held_as_the_briefing(tmp_path: Path) -> None:
    """What a running bot holds stays the whole briefing: a part read before it is not handed out again."""
    async with open_store(tmp_path / "db.sqlite3") as store:
        await store.seed(DATA, BRIEFING_ID)
        part = await store.repository.briefing(BRIEFING_ID, Part(frozenset({"people"})))
        assert part.people and not part.timeline and not part.quotes
        whole = await store.repository.briefing(BRIEFING_ID)
        assert len(whole.timeline) == len(read_pack(PACK).timeline) and whole.quotes
        assert await store.repository.briefing(BRIEFING_ID, Part(frozenset())) is whole  # held: a part of it


async def test_a_running_bot_reads_and_indexes_the_whole_briefing(tmp_path: Path) -> None:
    """Only a core built for one command (`warm_indexes=False`, `briefbot ask`) reads by part."""
    async with open_store(tmp_path / "db.sqlite3") as store:
        await store.seed(DATA, BRIEFING_ID)
        core = BriefingCore(store.repository)
        await core.dispatch_line("/brief", Request(command="", now=BEFORE, platform="console", operator=True))
        held = await store.repository.briefing(None)
        index = await core.context(Request(command="", now=BEFORE, platform="console", operator=True)).index()
        assert index.briefing is held and len(held.timeline) == len(read_pack(PACK).timeline)


async def test_a_search_part_holds_each_item_found_once(tmp_path: Path) -> None:
    """`/search`'s part: people and sources whole, and the items found, each once (a person found is among the people)."""
    async with open_store(tmp_path / "db.sqlite3") as store:
        await store.seed(DATA, BRIEFING_ID)
        part = await store.repository.briefing(BRIEFING_ID, Part(frozenset({"people", "sources"}), found="petro"))
        hits, _ = await store.repository.search(BRIEFING_ID, "petro")
        assert {hit.kind for hit in hits} >= {"person", "timeline", "quote"}
        assert [p.id for p in part.people] == [p.id for p in read_pack(PACK).people]
        assert {e.id for e in part.timeline} == {hit.item_id for hit in hits if hit.kind == "timeline"}
        assert 0 < len(part.timeline) < len(read_pack(PACK).timeline)


async def test_what_a_part_reads_by_the_items_links_follows_every_edit(tmp_path: Path) -> None:
    """A person's events, the topics and the citations a one-shot `ask` reads by migration 018's links, after edits and a removal."""
    db = tmp_path / "db.sqlite3"
    lines = ("/person Iván Cepeda", "/timeline topic:newtopic", "/timeline topic:visa", "/timeline topic:accusations",
             "/timeline topic:drugs", "/sources", "/quotes", "/person petro")
    # An event given a new tag and person, then losing its others; an event removed; the links follow each.
    edits = ('set kind:timeline id:visa-revoked tags:"newtopic, visa" people:"ivan-cepeda, gustavo-petro"',
             'set kind:timeline id:visa-revoked tags:"newtopic" people:"ivan-cepeda"', "remove kind:timeline id:clinton-list")
    async with open_store(db) as store, open_store(db) as own:
        await store.seed(DATA, BRIEFING_ID)
        running, one_shot = BriefingCore(store.repository), BriefingCore(own.repository, warm_indexes=False)
        template = Request(command="", now=BEFORE, platform="console", operator=True)
        for edit in edits:
            assert (await running.dispatch_line(edit, template)).kind != "error", edit
            for line in lines:
                assert await one_shot.dispatch_line(line, template) == await running.dispatch_line(line, template), (edit, line)
            whole = await store.repository.briefing(BRIEFING_ID)  # the citations counted by the links, as the items say
            cited = Counter(s for kind in PACK_KINDS for item in getattr(whole, kind.section) for s in getattr(item, "sources", ()))
            assert await own.repository.citations(BRIEFING_ID) == cited, edit
        shown = await one_shot.dispatch_line("/person Iván Cepeda", template)
        assert "Trump revokes Petro's visa" in str(shown.fields)
        part = await own.repository.briefing(BRIEFING_ID, Part(frozenset(), person="ivan-cepeda"))
        assert [e.id for e in part.timeline] == ["visa-revoked"] and not part.people


async def test_a_part_reads_an_event_of_each_tag_and_a_page_by_key(tmp_path: Path) -> None:
    """`Part.topics` gives the part every tag of the briefing (each event read once); `Part.keys` just the items named."""
    async with open_store(tmp_path / "db.sqlite3") as store:
        await store.seed(DATA, BRIEFING_ID)
        whole = read_pack(PACK)
        part = await store.repository.briefing(BRIEFING_ID, Part(frozenset(), topics=True))
        assert {t for e in part.timeline for t in e.tags} == {t for e in whole.timeline for t in e.tags}
        assert len(part.timeline) == len({e.id for e in part.timeline}) < len(whole.timeline)
        keyed = await store.repository.briefing(BRIEFING_ID, Part(frozenset(), keys=(("timeline", "visa-revoked"), ("quote", "nope"))))
        assert [e.id for e in keyed.timeline] == ["visa-revoked"] and not keyed.quotes and not keyed.people


@pytest.mark.parametrize("changed", [{}, {"delegation": None}, {"translations": {}}, {"organisation": None}, {"sources": None},
                                     {"extra": 1}, {"evidence": [{"source": "s", "passage": "p", "more": 2}]}, {"date": None},
                                     {"date": "2025-02/2025-03"}, {"language": "es"}, {"context": None}])
@pytest.mark.parametrize("kind", ["person", "quote"])
def test_a_person_or_quote_row_decodes_as_the_kinds_decoder_decodes_it(kind: str, changed: dict[str, Any]) -> None:
    """msgspec's typed decoders of people and quotes give `decode`'s item for every stored one, and `decode` reads what they cannot."""
    pack = read_pack(PACK)
    for item in getattr(pack, KINDS[kind].section):
        data = {**item_data(KINDS[kind], item), **changed}
        text = json.dumps({key: value for key, value in data.items() if value is not None or key != "sources"})
        assert rows.decode_into({}, [(kind, item.id, text)])[KINDS[kind].section] == [decode(KINDS[kind], json.loads(text))]


async def test_a_one_shot_ask_reads_the_whole_briefing_only_for_help_and_why_by_words(tmp_path: Path) -> None:
    """Every other public command reads by part (a whole read would be held, and a part asked after it would be whole)."""
    db = tmp_path / "db.sqlite3"
    async with open_store(db) as store:
        await store.seed(DATA, BRIEFING_ID)
    template = Request(command="", now=BEFORE, platform="console", operator=True)
    for line in LINES:
        async with open_store(db) as own:
            await BriefingCore(own.repository, warm_indexes=False).dispatch_line(line, template)
            after = await own.repository.briefing(BRIEFING_ID, Part(frozenset()))
            assert bool(after.timeline) is (line in WHOLE), line
