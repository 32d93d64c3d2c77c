"""Size-independent behaviour (issue #18 §2): every page reachable, and `timeline query:` as it always answered."""

from __future__ import annotations

import difflib
import gc
import itertools
import re
import sys
import threading
import weakref
from datetime import date
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from bot.core import context as context_module
from bot.core import index as index_module
from bot.core.context import _indexed
from bot.core.index import SORT_STEP, BriefingIndex
from bot.core.kept import build_kept, built_off_loop
from bot.core.model import Briefing, Person
from bot.core.offload import HAND_OVER_INTERVAL, run_inline, to_thread
from bot.core.pack import pack_mapping, parse_pack
from bot.core.recent import Recent
from bot.core.repository import TimelineQuery
from bot.core.service import BriefingCore
from bot.core.settings import CoreSettings
from bot.core.suggest import CUTOFF, closest
from bot.core.text import fold
from bot.store import Store, open_store, rows
from bot.store import repository as repository_module
from bot.store.fulltext import CANDIDATES, _year_prefixes, range_side, tag_word
from bot.store.packfile import read_pack
from bot.store.postgres import reading as postgres_reading
from tests.conftest import BRIEFING_ID, PACK, ask

EVENTS = 10_003  # with one event a page, pages past the old cap of 10,000


async def test_every_page_is_reachable_past_ten_thousand(tmp_path: Path) -> None:
    """Page 10,002 of a long timeline answers; past the last page the reply says how many there are."""
    data = pack_mapping(read_pack(PACK))
    data["briefing"]["id"] = "long"
    source = data["sources"][0]["id"]
    data["timeline"] = [
        {"id": f"e{n:05d}", "date": f"{2000 + n // 400}-{1 + n // 31 % 12:02d}-{1 + n % 28:02d}", "title": f"Event {n}",
         "detail": "Generated.", "sources": [source], "evidence": [{"source": source, "passage": "Generated."}]}
        for n in range(EVENTS)
    ]
    async with open_store(tmp_path / "long.sqlite3") as store:
        await store.repository.save(parse_pack(data, "long"))
        core = BriefingCore(store.repository, CoreSettings(page_size=1))
        index = BriefingIndex(await store.repository.briefing("long"))
        reply = await ask(core, "/timeline page:10002", briefing_id="long")
        assert reply.kind == "answer" and reply.page is not None
        assert (reply.page.number, reply.page.count) == (10_002, EVENTS)
        assert [item.title for item in reply.items] == [index.timeline[10_001].title]
        past = await ask(core, "/timeline page:123456789012", briefing_id="long")
        assert past.kind == "error"
        assert re.fullmatch(r"There are only 10,?003 pages; page 123,?456,?789,?012 does not exist\.", past.text), past.text


# Ranges with words are counted by the index's dated kind terms (migration 021): whole months and years, years across, edges
# within a month; the words' matches among the range's terms, or, past half the briefing's days (`dated_pack`'s 2024-01-01 to
# 2026-01-16), the events' matches less those outside it: one end (from:, to:), either, at a year's end, in a month, with
# a span of months across it; the years named only from the briefing's first starting year to its last (`range_side`).
RANGES = [(None, None), (date(2025, 9, 1), None), (None, date(2025, 10, 31)), (date(2025, 10, 1), date(2026, 1, 31)),
          (date(2026, 1, 15), date(2026, 1, 20)), (date(2025, 3, 5), date(2025, 3, 5)), (date(2025, 1, 1), date(2025, 12, 31)),
          (date(2024, 1, 1), date(2026, 12, 31)), (date(2025, 2, 15), date(2025, 4, 10)), (date(2025, 9, 1), date(2025, 9, 30)),
          (date(2024, 12, 31), date(2025, 1, 1)), (date(2025, 3, 6), date(2025, 4, 30)), (date(2025, 12, 1), date(2025, 12, 30)),
          (date(2027, 1, 1), date(2027, 12, 31)), (date(2024, 6, 10), None), (None, date(2025, 3, 5)), (date(2026, 1, 1), None),
          (None, date(2025, 12, 31)), (date(2025, 1, 1), None)]


async def matched_events(repository: Any, briefing_id: str, words: str) -> set[str]:
    """The events holding the words, as `timeline query:` finds them with no other filter: as many as `search` counts
    (its hits, the first 200 in pack order ranked, among them)."""
    ids, total = await repository.timeline_matches(briefing_id, TimelineQuery(words, None, None, None, 0, 10_000))
    hits, count = await repository.search(briefing_id, words, kinds=("timeline",))
    assert count == total == len(ids) and {hit.item_id for hit in hits} <= set(ids), words
    return set(ids)


async def answers_as_the_index_filters(repository: Any, briefing_id: str, words: list[str], every_page: bool = True) -> int:
    """`timeline query:` in SQL against the snapshot's own filter (range and topic over the sorted timeline) of the
    events the words find (`matched_events`), for every word, topic and range, whole and page by page (or its first two pages); how many answers were not empty."""
    index = BriefingIndex(await repository.briefing(briefing_id))
    found = 0
    for word in words:
        hits = await matched_events(repository, briefing_id, word)
        for tag in (None, *index.topics):
            for first, last in RANGES:
                wanted = [e.id for e in index.timeline_between(first, last, tag) if e.id in hits]
                query = TimelineQuery(word, first, last, tag, 0, 10_000)
                assert await repository.timeline_matches(briefing_id, query) == (wanted, len(wanted)), (word, tag, first, last)
                starts = range(0, len(wanted) if every_page else 6, 3)
                pages = [await repository.timeline_matches(briefing_id, replace(query, offset=n, limit=3)) for n in starts]
                assert [i for ids, _ in pages for i in ids] == wanted[: len(starts) * 3] and {total for _, total in pages} <= {len(wanted)}
                assert await repository.timeline_matches(briefing_id, replace(query, offset=len(wanted) + 3, limit=3)) == ([], len(wanted))
                found += bool(wanted)
    return found


async def test_timeline_query_answers_as_filtering_every_event_did(store: Store) -> None:
    """Every word of the shipped pack, alone and with each topic and range: the events the snapshot's filter keeps, in its order."""
    index = BriefingIndex(await store.repository.briefing(BRIEFING_ID))
    words = sorted({w for e in index.timeline for w in re.findall(r"\w{3,}", f"{e.title} {e.detail}".lower())})
    assert await answers_as_the_index_filters(store.repository, BRIEFING_ID, words)


@given(st.integers(1, 9999), st.integers(1, 9999))
def test_a_run_of_years_is_named_by_prefixes_of_those_years_alone(first: int, last: int) -> None:
    """A run of whole years, an open end's up to the calendar's, is a few decimal prefixes of `date_word`'s four-digit years and no other year."""
    prefixes = _year_prefixes(first, last)
    assert {year for year in range(1, 10_000) if f"{year:04}".startswith(prefixes)} == set(range(first, last + 1))
    assert len(prefixes) <= 4 * 2 * 9


def test_an_open_ends_far_side_names_the_briefings_years_alone() -> None:
    """One end in a briefing whose events start from 2000 to 2026: its far side is that span's prefixes (and the kind alone),
    not the calendar's few dozen up to year 1 or 9999, which FTS5 would each seek; a range past the span names no term."""
    span = ("2000-03-01", "2026-06-30")
    assert range_side("k", None, "2019-12-31", 1, *span) == '"ktimeline202"* OR "ktimeline"'
    assert range_side("k", "2011-01-01", None, 1, *span) == '"ktimeline200"* OR "ktimeline2010"* OR "ktimeline"'
    assert range_side("k", "2011-01-01", None, 0, *span) == " OR ".join(f'"ktimeline{p}"*' for p in [*range(2011, 2020), 202])
    assert range_side("k", "2030-01-01", None, 0, *span) is None


def dated_pack(briefing_id: str, events: int = 60) -> Briefing:
    """The shipped pack with a timeline of every precision, ranges, undated events and ties in their days (over 1,000
    events: a large briefing, whose ranges with words are counted by the index, not cut from every match on the probe)."""
    data = pack_mapping(read_pack(PACK))
    data["briefing"]["id"] = briefing_id
    source = data["sources"][0]["id"]
    dates = ["2025", "2025-03", "2025-03-05", "2025-02/2025-04", None, "2024-12/2025-03", "2025-03-05", "2026-01-16/2026-02",
             "2025-09", None, "2025-10-01", "2024", "2025-12/2026-01", "2025-03"]
    data["timeline"] = [
        {"id": f"e{n:03d}", **({"date": dates[n % len(dates)]} if dates[n % len(dates)] else {}),
         "title": f"Event {n} {'alpha' if n % 2 else 'beta'}", "detail": f"{'gamma' if n % 3 else 'delta'} happened.",
         "tags": [["migration"], ["trade", "migration"], []][n % 3], "sources": [source],
         "evidence": [{"source": source, "passage": "Generated."}]}
        for n in range(events)
    ]
    return parse_pack(data, briefing_id)


async def test_timeline_query_orders_every_precision_and_undated_events_as_the_timeline_does(store: Store) -> None:
    """Months, years, ranges, equal days and undated events (last, in pack order): the same order and ranges as the snapshot."""
    await store.repository.save(dated_pack("dated"))
    assert await answers_as_the_index_filters(store.repository, "dated", ["alpha", "beta", "gamma", "delta", "event", "alpha gamma", "alpha or delta"])
    await store.repository.save(dated_pack("many", 1100))
    assert await answers_as_the_index_filters(store.repository, "many", ["alpha", "delta", "alpha or delta"], every_page=False)


def dense_pack(briefing_id: str) -> Briefing:
    """Events nearly all holding `alpha` (as do the other kinds), in pack order, beside token edges and texts only the index folds."""
    data = pack_mapping(read_pack(PACK))
    data["briefing"]["id"] = briefing_id
    source = data["sources"][0]["id"]
    details = ["Alpha-beta met.", "x_alpha and ALPHAbet.", "Bogotá alpha.", "Ålpha naïve.", "xalpha betaalpha 42b."]
    data["timeline"] = [
        {"id": f"e{n:03d}", "date": f"{2000 + n // 12}-{1 + n % 12:02d}",
         "title": f"Event {n}{' alpha' if n % 4 else ''}{' beta' if n % 3 else ''}", "detail": details[n % len(details)],
         "tags": ["trade"] if n % 5 else [], "sources": [source], "evidence": [{"source": source, "passage": "Generated."}]}
        for n in range(1100)  # a large briefing: its count and page come through aiosqlite, not the probe
    ]
    for kind, field in (("people", "role"), ("agenda", "detail"), ("quotes", "context"), ("faq", "answer")):
        for item in data[kind]:  # the words in other kinds too, which no count of events may take in
            item[field] += " alpha 42"
    return parse_pack(data, briefing_id)


# The last, four years of 1,100, is dense in the range but its matches are few: its pages are tested row by row because
# the briefing's set, not the range's, is what listing them would cost. One end counted either way (more or less than
# half the briefing's days), an edge within a month whose event is judged only by the index (`Bogotá`, 2080-03), the
# briefing's first year (2000) and last (2091) each the whole far side of one end (`range_side` names no other year).
DENSE_RANGES = [
    (None, None), (date(2003, 2, 1), None), (None, date(2046, 7, 31)), (date(2001, 6, 1), date(2044, 12, 31)), (date(2010, 1, 1), date(2013, 12, 31)),
    (date(2080, 3, 15), None), (None, date(2004, 5, 20)), (date(2001, 1, 1), None), (None, date(2090, 12, 31)),
]


async def test_a_dense_match_tested_row_by_row_answers_as_the_index_does(store: Store) -> None:
    """Words in most events, whose first pages test each row met instead of listing the index's matches: the same pages and counts."""
    await store.repository.save(dense_pack("dense"))
    index = BriefingIndex(await store.repository.briefing("dense"))
    for words in ["alpha", "ALP", "Ålpha", "alpha beta", "alpha or 42", "bogota", "bogotá", "naive", "betaalpha", "event 1"]:
        hits = await matched_events(store.repository, "dense", words)
        for tag, (first, last) in itertools.product((None, "trade"), DENSE_RANGES):
            wanted = [e.id for e in index.timeline_between(first, last, tag) if e.id in hits]
            for offset in range(0, 30, 3):
                query = TimelineQuery(words, first, last, tag, offset, 3)
                found = await store.repository.timeline_matches("dense", query)
                assert found == (wanted[offset : offset + 3], len(wanted)), (words, tag, first, last, offset)
    tagged = [e.id for e in index.timeline_between(None, None, "trade")]  # a topic alone, no words to test
    assert await store.repository.timeline_matches("dense", TimelineQuery("", None, None, "trade", 3, 3)) == (tagged[3:6], len(tagged))


async def test_a_word_that_starts_a_kind_or_a_topic_is_sought_in_event_texts_alone(store: Store) -> None:
    """Every event's kind (with its dates) and topics are terms of the index too (its `scope`): a `timeline query:` word that starts one,
    with a topic or not, finds only events whose text holds it (here none), as `/search` does; the count included."""
    await store.repository.save(dense_pack("dense"))
    await store.repository.briefing("dense")  # held, so its size is known: large, its count through aiosqlite
    topic = tag_word("trade").lower()  # the word of the events tagged "trade"
    for words, tag in itertools.product(["timel", "TIMELINE", "timeline2003", "sessio", "faq", topic, topic[:5], "alpha tag"], (None, "trade")):
        assert await store.repository.timeline_matches("dense", TimelineQuery(words, None, None, tag, 0, 3)) == ([], 0), (words, tag)


def quokka_pack(events: int) -> Briefing:
    """The shipped pack as "wide" with `events` events whose detail holds "quokka" (the titles of two hold it too:
    CANDIDATES // 2 and CANDIDATES + 20, when there are so many), and a FAQ entry asking about it."""
    data = pack_mapping(read_pack(PACK))
    data["briefing"]["id"] = "wide"
    source = data["sources"][0]["id"]
    titled = (CANDIDATES // 2, CANDIDATES + 20)
    data["timeline"] = [
        {"id": f"e{n:04d}", "date": "2025-01-01", "title": "Quokka sighted" if n in titled else f"Event {n}",
         "detail": "A quokka was reported.", "sources": [source], "evidence": [{"source": source, "passage": "Generated."}]}
        for n in range(events)
    ]
    # Pack order is by position, then kind (SQLite's rowids, rows.item_rows): the ninth FAQ entry is among the candidates.
    data["faq"].append({"id": "quokka", "question": "Quokka?", "answer": "A quokka.", "sources": [source],
                        "evidence": [{"source": source, "passage": "Generated."}]})
    return parse_pack(data, "wide")


async def test_search_ranks_the_first_candidates_in_pack_order(store_target: str | Path) -> None:
    """Past CANDIDATES matches, bm25 ranks only the first ones in pack order: a title match beyond them is not
    among the hits, one among them comes first (issue #18 §2: ranking every match of a common word cost ~1 µs each on
    SQLite, and most of a second for all of them at 100k events on PostgreSQL); every match is counted; both stores alike."""
    late, early = CANDIDATES + 20, CANDIDATES // 2
    async with open_store(store_target) as store:
        await store.repository.save(quokka_pack(CANDIDATES + 50))
        hits, total = await store.repository.search("wide", "quokka")
        assert {hit.item_id for hit in hits[:2]} == {f"e{early:04d}", "quokka"} and len(hits) == CANDIDATES
        assert f"e{late:04d}" not in {hit.item_id for hit in hits}
        assert [hit.rank for hit in hits] == sorted(hit.rank for hit in hits)
        assert total == CANDIDATES + 51  # every event and the FAQ entry
        assert await store.repository.search("wide", "quokka", ("faq",)) == ([hits[0] if hits[0].kind == "faq" else hits[1]], 1)
        assert (await store.repository.search("wide", "quokka", ("timeline",)))[1] == CANDIDATES + 50


async def test_search_pages_reach_every_match(store_target: str | Path) -> None:
    """120 matches: the title counts 120 and the pages reach each of them, in English and Spanish; a one-shot `ask`
    answers the same (a cap of 50 once titled them "50 results", its last page the 50th, and nothing said more existed)."""
    async with open_store(store_target) as store:
        await store.repository.save(quokka_pack(119))
        running = BriefingCore(store.repository, CoreSettings(page_size=5))
        one_shot = BriefingCore(store.repository, CoreSettings(page_size=5), warm_indexes=False)
        shown = []
        for number in range(1, 25):
            reply = await ask(running, f"/search quokka page:{number}", briefing_id="wide")
            assert reply.title == "Search “quokka” · 120 results" and reply.page is not None and reply.page.count == 24
            assert not reply.footer
            shown += [item.ref for item in reply.items]
        assert len(set(shown)) == 120 and shown[0] == "faq/quokka"
        assert (await ask(running, "/search quokka page:25", briefing_id="wide")).text == "There are only 24 pages; page 25 does not exist."
        for line in ("/search quokka page:24", "/search quokka page:11"):
            assert await ask(one_shot, line, briefing_id="wide") == await ask(running, line, briefing_id="wide"), line
        spanish = await ask(running, "/buscar quokka página:24", briefing_id="wide", locale="es")
        assert spanish.title == "Búsqueda «quokka» · 120 resultados" and len(spanish.items) == 5


async def test_search_past_the_ranked_matches_counts_them_all(store_target: str | Path) -> None:
    """Past CANDIDATES matches the title still counts every one, and the answer says only the first are listed and how to narrow it."""
    async with open_store(store_target) as store:
        await store.repository.save(quokka_pack(CANDIDATES + 50))
        running = BriefingCore(store.repository, CoreSettings(page_size=5))
        one_shot = BriefingCore(store.repository, CoreSettings(page_size=5), warm_indexes=False)
        last = await ask(running, f"/search quokka page:{CANDIDATES // 5}", briefing_id="wide")
        assert last.title == f"Search “quokka” · {CANDIDATES + 51} results" and len(last.items) == 5
        assert last.footer == (
            f"Only the first {CANDIDATES} matches in the briefing's order are ranked and listed; add a word to narrow the search."
        )
        assert await ask(one_shot, f"/search quokka page:{CANDIDATES // 5}", briefing_id="wide") == last
        spanish = await ask(running, "/buscar quokka", briefing_id="wide", locale="es")
        assert spanish.title == f"Búsqueda «quokka» · {CANDIDATES + 51} resultados"
        assert spanish.footer.splitlines()[0] == (  # then that the briefing is translated from English
            f"Solo las {CANDIDATES} primeras coincidencias en el orden del informe se ordenan por relevancia y se muestran;"
            " añade una palabra para acotar la búsqueda."
        )
        narrowed = await ask(running, "/search quokka sighted", briefing_id="wide")
        assert narrowed.title == "Search “quokka sighted” · 2 results" and not narrowed.footer


async def test_delegation_filters_answer_as_walking_every_person_did(store: Store) -> None:
    """Every side and every prefix of every role word, alone and together: the people the old walk kept, in pack order."""
    index = BriefingIndex(await store.repository.briefing(BRIEFING_ID))
    people = index.briefing.people
    role_words = sorted({w for p in people for w in fold(f"{p.role} {p.organisation}").split()})
    roles = [*sorted({w[:n] for w in role_words for n in (1, 3, len(w))}), "minister foreign", "nobody", ""]
    assert len(roles) > 20
    for side in (None, *index.sides):
        for role in roles:
            wanted = [p for p in people if (side is None or p.side == side)
                      and all(any(w.startswith(part) for w in fold(f"{p.role} {p.organisation}").split()) for part in fold(role).split())]
            assert index.people_with(side, role) == wanted, (side, role)
    assert list(index.delegation) == [p for p in people if p.delegation]
    some = index.people_with(None, "minister")
    assert some and index.people_matching(some[-1].name, some) == [some[-1]]


def test_suggestions_are_those_of_comparing_every_word_in_full() -> None:
    """The pruned "did you mean" picks what difflib's full ratio over every candidate picked, for typos of every kind."""

    def unpruned(typed: str, names: list[str]) -> list[str]:
        wanted, scored = fold(typed), {}
        for name in names:
            parts = fold(name).split()
            candidates = [fold(name), *parts, *(" ".join(parts[i:]) for i in range(1, len(parts)))]
            best = max(difflib.SequenceMatcher(None, wanted, c).ratio() for c in candidates)
            if len(parts) > 1 and wanted.replace(" ", "") == "".join(p[0] for p in parts):
                best = 1.0
            if best >= CUTOFF:
                scored[name] = best
        return sorted(scored, key=lambda name: -scored[name])[:3]

    names = [p.name for p in read_pack(PACK).people] + [f"Person {n:03d}" for n in range(300)] + ["United States", "Sanctions"]
    typos = ["petro", "Gustavo Ptero", "garcia pena", "trmp", "us", "persn 042", "Person 1", "sanction", "zzzq", "donald", "ortega"]
    typos += [name[:-1] for name in names[:40]] + [name[1:] + "x" for name in names[:40]]
    for typed in typos:
        assert closest(typed, names) == unpruned(typed, names), typed


async def test_an_index_let_go_is_freed_by_reference_counting(store: Store) -> None:
    """Indexes are frozen out of the cyclic collector (bot/core/kept.py): one `Recent` lets go must be freed without it."""
    index = build_kept(partial(_indexed, await store.repository.briefing(BRIEFING_ID), None))
    assert index.people_with(None, "minister") and index.timeline_between(None, None, None)
    people = index.briefing.people
    index.memo("names", lambda: [p.name for p in people])
    index.remember_search(("visa",), await store.repository.search(BRIEFING_ID, "visa"))
    gone = weakref.ref(index)
    held: Recent[str, BriefingIndex] = Recent(1)
    held["first"] = index
    del index
    gc.disable()
    try:
        held["second"] = BriefingIndex(await store.repository.briefing(BRIEFING_ID))
        assert gone() is None  # freed by its reference count alone, the collector being off
    finally:
        gc.enable()


def test_a_build_is_kept_out_of_later_collections_and_the_collector_resumes() -> None:
    """What a build leaves alive is frozen; the collector runs again after it, and after one that failed."""
    before = gc.get_freeze_count()
    built = build_kept(lambda: [[n] for n in range(1000)])
    assert gc.get_freeze_count() >= before + len(built) and gc.isenabled()
    with pytest.raises(ValueError, match="bad pack"):
        build_kept(lambda: int("bad pack"))
    assert gc.isenabled()
    gc.disable()  # a host that runs without the collector keeps it off
    try:
        build_kept(list)
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_people_matching_finds_whom_walking_every_name_found(store: Store) -> None:
    """Exact, prefix and every-word matches, alone and within a pool, as the walk over every folded name ranked them."""
    index = BriefingIndex(await store.repository.briefing(BRIEFING_ID))
    people = index.briefing.people

    def walked(text: str, pool: list[Person]) -> list[Person]:
        wanted = fold(text)
        exact = [p for p in pool if fold(p.name) == wanted]
        prefix = [p for p in pool if fold(p.name) != wanted and fold(p.name).startswith(wanted)]
        words = [p for p in pool if p not in exact + prefix
                 and all(any(w.startswith(part) for w in fold(p.name).split()) for part in wanted.split())]
        return exact or prefix + words

    words = sorted({w for p in people for w in fold(p.name).split()})
    texts = [p.name for p in people] + [w[:n] for w in words for n in (1, 2, len(w))]
    texts += ["", "garcia pena", "pena garcia", "Gustavo Petro Urrego", "nobody", "d t", "marco rub"]
    pools = [list(people), [p for p in people if p.side == people[0].side], list(people[::2])]
    for text in texts:
        assert index.people_matching(text) == walked(text, list(people)), text
        for pool in pools:
            assert index.people_matching(text, pool) == walked(text, pool), (text, len(pool))


async def test_a_briefing_read_in_chunks_is_the_pack_saved_with_repeated_ids_held_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Items fetched and decoded a few rows at a time come back whole and in order; equal id lists are one tuple."""
    monkeypatch.setattr(repository_module, "READ_CHUNK", 3)
    saved = read_pack(PACK)
    async with open_store(tmp_path / "chunks.sqlite3") as store:
        await store.repository.save(saved)
    async with open_store(tmp_path / "chunks.sqlite3") as store:  # a new process's first read
        read = await store.repository.briefing(saved.id)
    assert read == saved
    sources = [event.sources for event in read.timeline]
    assert len(set(sources)) < len(sources) and all(s is next(t for t in sources if t == s) for s in sources)


async def test_an_index_for_one_command_builds_only_the_lookups_it_reads(store: Store) -> None:
    """`ask` answers one command: its index builds lookups on first use (memory and time at 100k); a bot's builds them all ahead."""
    briefing = await store.repository.briefing(BRIEFING_ID)
    lookups = {name for name, attribute in vars(BriefingIndex).items() if isinstance(attribute, cached_property)}
    lazy, warm = _indexed(briefing, None, warm=False), _indexed(briefing, None)
    assert lookups & set(vars(lazy)) == set() and lookups <= set(vars(warm))
    assert list(lazy.timeline_between(None, None, "trade")) == list(warm.timeline_between(None, None, "trade"))
    assert lookups & set(vars(lazy)) < lookups  # only what that answer read


async def test_a_briefing_is_decoded_and_indexed_on_the_one_builder_thread(
    store: Store, store_target: str | Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Never on the event loop's thread, nor on a pool thread started there per chunk; the GIL handed over sooner meanwhile."""
    monkeypatch.setattr(repository_module, "READ_CHUNK", 3)  # SQLite: many chunks, each a hand-off to the builder
    seen: list[tuple[str, float]] = []

    def noted(build: Any) -> Any:
        def run(*args: Any) -> Any:
            seen.append((threading.current_thread().name, sys.getswitchinterval()))
            return build(*args)
        return run

    monkeypatch.setattr(rows, "decode_into", noted(rows.decode_into))
    monkeypatch.setattr(BriefingIndex, "warm", noted(BriefingIndex.warm))
    interval = sys.getswitchinterval()
    async with open_store(store_target) as opened:  # a new process's first request
        reply = await ask(BriefingCore(opened.repository), "/brief")
    assert reply.kind == "answer"
    names = {name for name, _ in seen}
    assert len(seen) >= 2 and len(names) == 1 and next(iter(names)).startswith("briefbot-build"), seen
    assert {switch for _, switch in seen} == {HAND_OVER_INTERVAL} and sys.getswitchinterval() == interval


async def test_a_briefings_rows_are_freed_where_they_are_decoded(
    store: Store, store_target: str | Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The rows fetched and the lists that gathered the items are emptied on the builder thread: the loop's thread frees none of them."""
    monkeypatch.setattr(repository_module, "READ_CHUNK", 3)
    left: list[tuple[str, int]] = []  # (thread, what the list still held when the builder was done with it)

    def emptied(build: Any, argument: int) -> Any:
        def run(*args: Any) -> Any:
            built = build(*args)
            left.append((threading.current_thread().name, len(args[argument])))
            return built
        return run

    monkeypatch.setattr(rows, "decode_into", emptied(rows.decode_into, 1))
    monkeypatch.setattr(rows, "briefing", emptied(rows.briefing, 2))
    monkeypatch.setattr(postgres_reading, "_decoded", emptied(postgres_reading._decoded, 2))  # PostgreSQL's fetched records
    async with open_store(store_target) as opened:  # a new process's first request
        reply = await ask(BriefingCore(opened.repository), "/brief")
    assert reply.kind == "answer" and len(left) >= 2
    assert {held for _, held in left} == {0} and all(name.startswith("briefbot-build") for name, _ in left), left


async def test_a_replaced_version_is_let_go_on_the_builder_thread(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A running bot's old index (and the snapshot only it held) is freed off the loop's thread; one still read is left whole."""
    monkeypatch.setattr(context_module, "LET_GO_STEP", 5)
    core = BriefingCore(store.repository)

    async def new_version(title: str) -> BriefingIndex:
        await store.repository.save(replace(dated_pack("dated"), title=title))
        assert (await ask(core, "/brief", briefing_id="dated")).kind == "answer"
        await built_off_loop(list)  # the builder runs in order: what it was given before has run
        return await core._indexes.get(store.repository, "dated")

    read = await new_version("First")
    built = set(vars(read))
    await new_version("Second")
    assert set(vars(read)) == built  # still read (an answer under way): left as it is
    del read
    freed: list[str] = []
    weakref.finalize(await new_version("Third"), lambda: freed.append(threading.current_thread().name))
    await new_version("Fourth")
    assert len(freed) == 1 and freed[0].startswith("briefbot-build"), freed


async def test_the_gil_is_handed_over_sooner_while_a_sqlite_store_is_open_or_a_thread_works(tmp_path: Path) -> None:
    """aiosqlite's thread runs while a store is open; to_thread's while it works: the loop's thread waits one short switch interval for the GIL, the old interval back after."""
    interval = sys.getswitchinterval()
    assert interval != HAND_OVER_INTERVAL
    assert await to_thread(sys.getswitchinterval) == HAND_OVER_INTERVAL and sys.getswitchinterval() == interval
    first = open_store(tmp_path / "first.sqlite3")
    await first.__aenter__()
    async with open_store(tmp_path / "second.sqlite3"):
        assert sys.getswitchinterval() == HAND_OVER_INTERVAL
        await first.__aexit__(None, None, None)  # closed first: the second store's thread still runs
        assert sys.getswitchinterval() == HAND_OVER_INTERVAL
    assert sys.getswitchinterval() == interval


def test_a_one_shot_ask_leaves_the_switch_interval_alone(tmp_path: Path) -> None:
    """Under `run_inline` no other thread runs: nothing to hand over to."""

    async def opened() -> float:
        async with open_store(tmp_path / "store.sqlite3"):
            return await to_thread(sys.getswitchinterval)

    interval = sys.getswitchinterval()
    assert run_inline(opened()) == interval == sys.getswitchinterval()


@given(keys=st.lists(st.integers(0, 40), max_size=3 * SORT_STEP + 5), step=st.sampled_from([1, 3, 4096]))
@settings(max_examples=40)
def test_the_timeline_sorted_in_slices_is_one_stable_sort(keys: list[int], step: int) -> None:
    """The timeline's order sorted a slice at a time and merged (so the builder never holds the GIL long) is `sorted`'s, ties in order."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "SORT_STEP", step)
        assert index_module._sorted_positions(keys) == sorted(range(len(keys)), key=keys.__getitem__)


_VOCABULARY = ["nino", "niño", "NIÑO", "migracion", "migración", "Migración", "soberanía", "sober", "a", "ñu", "nu", "cafe", "café",
               "Àngel", "angel", "pingüino", "pinguino", "ß", "µa", "αβ", "ﬁn", "x²", "œuvre", "ıs", "naïve", "2026"]
_SEPARATORS = [" ", ", ", " «", "» ", " ¿", "? ", " — ", "“", "” ", "·", "'"]


@settings(max_examples=400)
@given(
    st.lists(st.tuples(st.sampled_from(_VOCABULARY), st.sampled_from(_SEPARATORS)), max_size=8),
    st.lists(st.sampled_from(_VOCABULARY), min_size=1, max_size=3),
    st.booleans(),
)
def test_a_rows_test_in_python_agrees_with_the_index_or_leaves_it_to_the_index(written: list[tuple[str, str]], searched: list[str], either: bool) -> None:
    """`fulltext.holds`, which spares `timeline query:` the index's whole set of matches, answers as SQLite's FTS5 (unicode61,
    remove_diacritics 2) answers for the same keyed terms of the same search text (`search_fold`, as items store it),
    accents and Spanish punctuation included, or leaves it to FTS5."""
    import sqlite3

    from bot.core.text import search_fold
    from bot.store.fulltext import holds, keyed
    from bot.store.repository import fts_words

    text = "".join(word + separator for word, separator in written)
    title, body = search_fold(text[: len(text) // 2]), search_fold(text[len(text) // 2 :])
    query = (" OR " if either else " ").join(searched)
    answer = holds(query, title, body)
    if answer is None:
        return
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(scope, title, body, tokenize = 'unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t VALUES ('', ?, ?)", (keyed("b", title), keyed("b", body)))
    words = fts_words("b", query)
    assert words is not None
    assert answer == bool(conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (words,)).fetchone()[0]), (query, title, body)
