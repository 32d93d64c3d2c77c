"""Briefing values to table rows and back; the only place that knows both shapes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.core.dates import FuzzyDate
from bot.core.model import (
    AgendaItem,
    Briefing,
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


def _ids(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _tuple(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def _date(text: str | None) -> FuzzyDate | None:
    return None if text is None else FuzzyDate.parse(text)


def briefing_row(b: Briefing, content_hash: str, now: str) -> tuple[Any, ...]:
    """The `briefings` row, without version and default flag (the writer manages those)."""
    return (b.id, b.title, b.summary, b.venue.zone, b.venue.label, b.home.zone, b.home.label, content_hash, now)


def child_rows(b: Briefing) -> dict[str, list[tuple[Any, ...]]]:
    """Every child table's rows for one briefing, keyed by table, in a foreign-key-safe order."""
    m = b.meeting
    return {
        "sides": [(b.id, s.id, n, s.label) for n, s in enumerate(b.sides)],
        "sources": [
            (b.id, s.id, n, s.publisher, s.title, s.author, s.published.text if s.published else None, s.url)
            for n, s in enumerate(b.sources)
        ],
        "meetings": [(
            b.id, _ids(m.parties), m.starts_at.isoformat() if m.starts_at else None, m.zone, m.venue, m.format,
            _ids(m.aims), _ids(m.topics), json.dumps([{"party": s.party, "text": s.text} for s in m.stakes], ensure_ascii=False),
            m.status, m.outcome, _ids(m.sources),
        )],
        "people": [
            (b.id, p.id, n, p.name, p.role, p.organisation, p.side, int(p.delegation), _ids(p.sources))
            for n, p in enumerate(b.people)
        ],
        "timeline_events": [
            (b.id, e.id, n, e.date.text, e.date.first.isoformat(), e.date.last.isoformat(), e.title, e.detail,
             e.note, _ids(e.tags), _ids(e.people), _ids(e.sources))
            for n, e in enumerate(b.timeline)
        ],
        "agenda_items": [
            (b.id, a.id, n, a.title, a.detail, a.date.text if a.date else None, a.time, a.zone, a.place,
             _ids(a.people), _ids(a.sources))
            for n, a in enumerate(b.agenda)
        ],
        "quotes": [
            (b.id, q.id, n, q.speaker, q.words, q.context, q.date.text if q.date else None, _ids(q.sources))
            for n, q in enumerate(b.quotes)
        ],
        "faq_entries": [(b.id, f.id, n, f.question, f.answer, _ids(f.sources)) for n, f in enumerate(b.faq)],
    }


def sides(rows: Iterable[Row]) -> tuple[Side, ...]:
    """(id, label) rows."""
    return tuple(Side(r[0], r[1]) for r in rows)


def sources(rows: Iterable[Row]) -> tuple[Source, ...]:
    """(id, publisher, title, author, published, url) rows."""
    return tuple(Source(r[0], r[1], r[2], r[3], _date(r[4]), r[5]) for r in rows)


def meeting(r: Row) -> Meeting:
    """(parties, starts_at, zone, venue, format, aims, topics, stakes, status, outcome, sources)."""
    return Meeting(
        parties=_tuple(r[0]),
        starts_at=datetime.fromisoformat(r[1]) if r[1] else None,
        zone=r[2],
        venue=r[3],
        format=r[4],
        aims=_tuple(r[5]),
        topics=_tuple(r[6]),
        stakes=tuple(Stake(s["party"], s["text"]) for s in json.loads(r[7])),
        status=r[8],
        outcome=r[9],
        sources=_tuple(r[10]),
    )


def people(rows: Iterable[Row]) -> tuple[Person, ...]:
    """(id, name, role, organisation, side, delegation, sources) rows."""
    return tuple(Person(r[0], r[1], r[2], r[3], r[4], bool(r[5]), _tuple(r[6])) for r in rows)


def timeline(rows: Iterable[Row]) -> tuple[TimelineEvent, ...]:
    """(id, date_text, title, detail, note, tags, people, sources) rows."""
    return tuple(
        TimelineEvent(r[0], FuzzyDate.parse(r[1]), r[2], r[3], _tuple(r[5]), _tuple(r[6]), _tuple(r[7]), r[4])
        for r in rows
    )


def agenda(rows: Iterable[Row]) -> tuple[AgendaItem, ...]:
    """(id, title, detail, date_text, time, zone, place, people, sources) rows."""
    return tuple(
        AgendaItem(r[0], r[1], r[2], _date(r[3]), r[4], r[5], r[6], _tuple(r[7]), _tuple(r[8])) for r in rows
    )


def quotes(rows: Iterable[Row]) -> tuple[Quote, ...]:
    """(id, speaker, words, context, date_text, sources) rows."""
    return tuple(Quote(r[0], r[1], r[2], r[3], _date(r[4]), _tuple(r[5])) for r in rows)


def faq(rows: Iterable[Row]) -> tuple[FaqEntry, ...]:
    """(id, question, answer, sources) rows."""
    return tuple(FaqEntry(r[0], r[1], r[2], _tuple(r[3])) for r in rows)


def zones(r: Row) -> tuple[Zone, Zone]:
    """(venue_zone, venue_label, home_zone, home_label) → (venue, home)."""
    return Zone(r[0], r[1]), Zone(r[2], r[3])
