"""Briefing values to table rows and back; the only place that knows both shapes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.core.dates import FuzzyDate
from bot.core.model import (
    AgendaItem,
    Briefing,
    Evidence,
    FaqEntry,
    Meeting,
    Person,
    Quote,
    Side,
    Source,
    Stake,
    TimelineEvent,
    Zone,
)

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
    """The `briefings` row, without version and default flag (the writer manages those)."""
    return (b.id, b.title, b.summary, b.venue.zone, b.venue.label, b.home.zone, b.home.label, content_hash, now,
            _evidence(b.summary_evidence))


def source_row(bid: str, s: Source, n: int) -> tuple[Any, ...]:
    """A `sources` row."""
    return (bid, s.id, n, s.publisher, s.title, s.author, s.published.text if s.published else None, s.url, s.text)


def meeting_row(bid: str, m: Meeting) -> tuple[Any, ...]:
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


def child_rows(b: Briefing) -> dict[str, list[tuple[Any, ...]]]:
    """Every child table's rows for one briefing, keyed by table, in a foreign-key-safe order."""
    found: dict[str, list[tuple[Any, ...]]] = {
        "sides": [(b.id, s.id, n, s.label) for n, s in enumerate(b.sides)],
        "meetings": [meeting_row(b.id, b.meeting)],
    }
    for table, (attribute, build) in ITEM_TABLES.items():
        found[table] = [build(b.id, item, n) for n, item in enumerate(getattr(b, attribute))]
    # sides before people, people before quotes: the order foreign keys need on insert
    order = ("sides", "sources", "meetings", "people", "timeline_events", "agenda_items", "quotes", "faq_entries")
    return {table: found[table] for table in order}


def sides(rows: Iterable[Row]) -> tuple[Side, ...]:
    """(id, label) rows."""
    return tuple(Side(r[0], r[1]) for r in rows)


def sources(rows: Iterable[Row]) -> tuple[Source, ...]:
    """(id, publisher, title, author, published, url, text) rows."""
    return tuple(Source(r[0], r[1], r[2], r[3], _date(r[4]), r[5], r[6]) for r in rows)


def meeting(r: Row) -> Meeting:
    """(parties, starts_at, zone, venue, format, aims, topics, stakes, status, outcome, sources, evidence, delegation)."""
    return Meeting(
        parties=_tuple(r[0]),
        starts_at=datetime.fromisoformat(r[1]) if r[1] else None,
        zone=r[2],
        venue=r[3],
        format=r[4],
        aims=_tuple(r[5]),
        topics=_tuple(r[6]),
        stakes=tuple(Stake(s["party"], s["text"]) for s in _json(r[7])),
        status=r[8],
        outcome=r[9],
        sources=_tuple(r[10]),
        evidence=_pieces(r[11]),
        delegation=r[12],
    )


def people(rows: Iterable[Row]) -> tuple[Person, ...]:
    """(id, name, role, organisation, side, delegation, sources, evidence) rows."""
    return tuple(Person(r[0], r[1], r[2], r[3], r[4], bool(r[5]), _tuple(r[6]), _pieces(r[7])) for r in rows)


def timeline(rows: Iterable[Row]) -> tuple[TimelineEvent, ...]:
    """(id, date_text, title, detail, note, tags, people, sources, evidence) rows."""
    return tuple(
        TimelineEvent(r[0], FuzzyDate.parse(r[1]), r[2], r[3], _tuple(r[5]), _tuple(r[6]), _tuple(r[7]), r[4], _pieces(r[8]))
        for r in rows
    )


def agenda(rows: Iterable[Row]) -> tuple[AgendaItem, ...]:
    """(id, title, detail, date_text, time, zone, place, people, sources, evidence) rows."""
    return tuple(
        AgendaItem(r[0], r[1], r[2], _date(r[3]), r[4], r[5], r[6], _tuple(r[7]), _tuple(r[8]), _pieces(r[9])) for r in rows
    )


def quotes(rows: Iterable[Row]) -> tuple[Quote, ...]:
    """(id, speaker, words, context, date_text, sources, evidence) rows."""
    return tuple(Quote(r[0], r[1], r[2], r[3], _date(r[4]), _tuple(r[5]), _pieces(r[6])) for r in rows)


def faq(rows: Iterable[Row]) -> tuple[FaqEntry, ...]:
    """(id, question, answer, sources, evidence) rows."""
    return tuple(FaqEntry(r[0], r[1], r[2], _tuple(r[3]), _pieces(r[4])) for r in rows)


def zones(r: Row) -> tuple[Zone, Zone]:
    """(venue_zone, venue_label, home_zone, home_label) → (venue, home)."""
    return Zone(r[0], r[1]), Zone(r[2], r[3])


def evidence(value: str | list[Any]) -> tuple[Evidence, ...]:
    """The briefing row's summary evidence (a JSON array)."""
    return _pieces(value)


def briefing(briefing_id: str, fetched: Mapping[str, Sequence[Row]], evidence_value: Any, version: int) -> Briefing:
    """A Briefing from the rows of every table (`head` starts title, summary, then the four zone columns).

    Each store reads the head with its own trailing columns, so it passes the summary's evidence itself.
    """
    head = fetched["head"][0]
    venue, home = zones(head[2:6])
    made = Briefing(
        id=briefing_id,
        title=head[0],
        summary=head[1],
        venue=venue,
        home=home,
        sides=sides(fetched["sides"]),
        sources=sources(fetched["sources"]),
        meeting=meeting(fetched["meeting"][0]),
        timeline=timeline(fetched["timeline"]),
        people=people(fetched["people"]),
        agenda=agenda(fetched["agenda"]),
        quotes=quotes(fetched["quotes"]),
        faq=faq(fetched["faq"]),
        summary_evidence=evidence(evidence_value),
    )
    return replace(made, version=version)
