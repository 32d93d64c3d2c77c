"""Rows as the store wrote them up to schema 009 (one table per kind): old stores for upgrade tests.

Kept from bot/store/rows.py as it was before migration 010 moved every item into `items`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import aiosqlite
import msgspec.structs

from bot.core.dates import FuzzyDate
from bot.core.model import (
    AgendaItem,
    Briefing,
    Evidence,
    FaqEntry,
    Person,
    Quote,
    Session,
    Source,
    TimelineEvent,
)
from bot.core.pack import pack_mapping

Row = Sequence[Any]


# Each table's columns, in the order of its row builder below; both stores write rows with these.
COLUMNS = {
    "sides": "briefing_id, id, position, label",
    "sources": "briefing_id, id, position, publisher, title, author, published, url, text",
    "meetings": "briefing_id, parties, starts_at, zone, venue, format, aims, topics, stakes, status, outcome, sources,"
    " evidence, delegation",
    "people": "briefing_id, id, position, name, role, organisation, side, delegation, sources, evidence",
    "timeline_events": "briefing_id, id, position, date_text, date_first, date_last, title, detail, note, tags, people,"
    " sources, evidence",
    "agenda_items": "briefing_id, id, position, title, detail, date_text, time, zone, place, people, sources, evidence",
    "quotes": "briefing_id, id, position, speaker, words, context, date_text, sources, evidence",
    "faq_entries": "briefing_id, id, position, question, answer, sources, evidence",
}

def _ids(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _json(value: str | list[Any]) -> Any:
    """A JSON column: text as the table holds it, or already decoded in a row read as one JSON array."""
    return json.loads(value) if isinstance(value, str) else value


def _tuple(value: str | list[Any]) -> tuple[str, ...]:
    return tuple(_json(value))


def _evidence(evidence: Iterable[Evidence]) -> str:
    return json.dumps([{"source": e.source, "passage": e.passage} for e in evidence], ensure_ascii=False)


def _pieces(value: str | list[Any]) -> tuple[Evidence, ...]:
    return tuple(Evidence(e["source"], e["passage"]) for e in _json(value))


def _date(text: str | None) -> FuzzyDate | None:
    return None if text is None else FuzzyDate.parse(text)


def briefing_row(b: Briefing, content_hash: str, now: str) -> tuple[Any, ...]:
    """The `briefings` row, without version and default flag (the writer manages those): the venue and home zones."""
    venue, home = b.zones
    return (b.id, b.title, b.summary, venue.zone, venue.label, home.zone, home.label, content_hash, now,
            _evidence(b.summary_evidence))


def old_pack_mapping(b: Briefing) -> dict[str, Any]:
    """The briefing as pack data the way the code before sessions exported it: one `meeting:`, zones venue and home."""
    data = pack_mapping(b)
    session = dict(data.pop("sessions")[0])
    del session["id"], session["title"]
    session.setdefault("start", None)  # the meeting's start was always written, null until announced
    venue, home = data["briefing"]["zones"]
    data["briefing"]["zones"] = {"venue": venue, "home": home}
    return {**{k: data[k] for k in ("format", "briefing", "sources")}, "meeting": session,
            **{k: v for k, v in data.items() if k not in ("format", "briefing", "sources")}}


def source_row(bid: str, s: Source, n: int) -> tuple[Any, ...]:
    """A `sources` row."""
    return (bid, s.id, n, s.publisher, s.title, s.author, s.published.text if s.published else None, s.url, s.text)


def meeting_row(bid: str, m: Session) -> tuple[Any, ...]:
    """The `meetings` row."""
    stakes = json.dumps([{"party": s.party, "text": s.text} for s in m.stakes], ensure_ascii=False)
    starts_at = m.starts_at.isoformat() if m.starts_at else None
    return (bid, _ids(m.parties), starts_at, m.zone, m.venue, m.format, _ids(m.aims), _ids(m.topics), stakes,
            m.status, m.outcome, _ids(m.sources), _evidence(m.evidence), m.delegation)


def person_row(bid: str, p: Person, n: int) -> tuple[Any, ...]:
    """A `people` row."""
    return (bid, p.id, n, p.name, p.role, p.organisation, p.side, int(p.delegation), _ids(p.sources), _evidence(p.evidence))


def event_row(bid: str, e: TimelineEvent, n: int) -> tuple[Any, ...]:
    """A `timeline_events` row."""
    return (bid, e.id, n, e.date.text, e.date.first.isoformat(), e.date.last.isoformat(), e.title, e.detail,
            e.note, _ids(e.tags), _ids(e.people), _ids(e.sources), _evidence(e.evidence))


def agenda_row(bid: str, a: AgendaItem, n: int) -> tuple[Any, ...]:
    """An `agenda_items` row."""
    return (bid, a.id, n, a.title, a.detail, a.date.text if a.date else None, a.time, a.zone, a.place,
            _ids(a.people), _ids(a.sources), _evidence(a.evidence))


def quote_row(bid: str, q: Quote, n: int) -> tuple[Any, ...]:
    """A `quotes` row."""
    return (bid, q.id, n, q.speaker, q.words, q.context, q.date.text if q.date else None, _ids(q.sources), _evidence(q.evidence))


def faq_row(bid: str, f: FaqEntry, n: int) -> tuple[Any, ...]:
    """A `faq_entries` row."""
    return (bid, f.id, n, f.question, f.answer, _ids(f.sources), _evidence(f.evidence))


# Item tables: the Briefing attribute holding their items and the row builder, by table name.
ITEM_TABLES: dict[str, tuple[str, Callable[[str, Any, int], tuple[Any, ...]]]] = {
    "sources": ("sources", source_row),
    "people": ("people", person_row),
    "timeline_events": ("timeline", event_row),
    "agenda_items": ("agenda", agenda_row),
    "quotes": ("quotes", quote_row),
    "faq_entries": ("faq", faq_row),
}


def storable_before_010(b: Briefing) -> Briefing:
    """The briefing as a store before 010 could hold it: `timeline_events.date_text` was NOT NULL, so no undated
    event; no translations (012), so none anywhere; no side's other names (022); no quote's `translated_from` (the
    rows had no place for it); and a person's organisation was required, so one the sources do not name is written
    as the shipped pack wrote it then."""
    def bare(item: Any) -> Any:
        return msgspec.structs.replace(item, translations=()) if getattr(item, "translations", ()) else item

    return msgspec.structs.replace(
        b, translations=(), sides=tuple(msgspec.structs.replace(side, also=()) for side in b.sides), sessions=tuple(map(bare, b.sessions)), timeline=tuple(bare(e) for e in b.timeline if e.date is not None),
        people=tuple(bare(msgspec.structs.replace(p, organisation=p.organisation or "Not stated by the source")) for p in b.people), agenda=tuple(map(bare, b.agenda)),
        quotes=tuple(msgspec.structs.replace(bare(q), translated_from=None) for q in b.quotes),
        faq=tuple(map(bare, b.faq)), context=(),  # no store before 010 held background entries
    )


def child_rows(b: Briefing) -> dict[str, list[tuple[Any, ...]]]:
    """Every child table's rows for one briefing, keyed by table, in a foreign-key-safe order."""
    found: dict[str, list[tuple[Any, ...]]] = {
        "sides": [(b.id, s.id, n, s.label) for n, s in enumerate(b.sides)],
        "meetings": [meeting_row(b.id, b.sessions[0])],
    }
    for table, (attribute, build) in ITEM_TABLES.items():
        found[table] = [build(b.id, item, n) for n, item in enumerate(getattr(b, attribute))]
    # sides before people, people before quotes: the order foreign keys need on insert
    order = ("sides", "sources", "meetings", "people", "timeline_events", "agenda_items", "quotes", "faq_entries")
    return {table: found[table] for table in order}


# 008 appended the last column of every row builder (two to meetings, none to sides): a row written
# before it is this long, counted from the end.
WIDTH_008: dict[str, int | None] = {"sides": None, "meetings": -2}


def rows_before_008(b: Briefing) -> dict[str, list[tuple[Any, ...]]]:
    """Every child table's rows as a store before migration 008 held them (no evidence, no source texts)."""
    return {table: [row[:WIDTH_008.get(table, -1)] for row in found] for table, found in child_rows(b).items()}


async def insert_old(conn: aiosqlite.Connection, b: Briefing, content_hash: str, tables: dict[str, list[tuple[Any, ...]]],
                     at: str = "2026-01-01T00:00:00+00:00") -> None:
    """The briefing (the default) and these child rows, inside the caller's transaction; the head has evidence from 008 on."""
    row = briefing_row(b, content_hash, at)
    evidence = any(column[1] == "evidence" for column in await conn.execute_fetchall("PRAGMA table_info(briefings)"))
    columns = "id, title, summary, venue_zone, venue_label, home_zone, home_label, content_hash, updated_at"
    columns, values = (f"{columns}, evidence", row) if evidence else (columns, row[:-1])
    await conn.execute(f"INSERT INTO briefings ({columns}, is_default) VALUES ({', '.join('?' * len(values))}, 1)", values)
    for table, table_rows in tables.items():
        await conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(table_rows[0]))})", table_rows)
