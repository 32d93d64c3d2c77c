"""A briefing pack (plain data, as read from YAML) to a validated Briefing, and back.

`parse_pack` reports every problem at once — unknown keys, wrong types, bad dates and zones,
duplicate and dangling ids — and returns nothing unless the whole pack is valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.catalogue import Catalogue
from bot.core.checker import IDENT, Checker
from bot.core.evidence import contains
from bot.core.model import (
    STATUSES,
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
from bot.errors import PackError

PACK_FORMAT = 1
# The largest pack file or upload read, in bytes. Packs are a few dozen kilobytes; this leaves ample
# room and keeps reading `/dev/zero` or a runaway upload bounded. Every reader and adapter uses it.
MAX_PACK_BYTES = 1_000_000
# (required, optional) keys of a source and of the meeting; item sections are in ITEM_KEYS below.
SOURCE_KEYS = (("id", "publisher", "title"), ("author", "published", "url", "text"))
MEETING_KEYS = (
    ("parties", "start", "venue", "format", "aims", "topics", "stakes", "status", "outcome", "sources", "evidence"),
    ("zone", "delegation"),
)
EVIDENCE_KEYS = ("source", "passage")
_SECTIONS = ("format", "briefing", "sources", "meeting", "timeline", "people", "agenda", "quotes", "faq")


def parse_pack(data: Any, file: str) -> Briefing:
    """Validate a whole pack; raise PackError listing every problem, each with file and path."""
    ck = Checker(file)
    root = ck.mapping(data, "", ("format", "briefing", "sources", "meeting"), _SECTIONS[4:])
    if root is None:
        raise PackError(ck.problems)
    if type(root.get("format")) is not int or root.get("format") != PACK_FORMAT:
        ck.report("format", "pack.bad_format", supported=PACK_FORMAT)
    head = _briefing_head(ck, root.get("briefing"))
    venue_zone = head["venue"].zone if head.get("venue") else None
    sources = tuple(s for n, raw in enumerate(ck.sequence(root.get("sources"), "sources")) if (s := _source(ck, raw, f"sources[{n}]")))
    meeting = _meeting(ck, root.get("meeting"), venue_zone)
    sections = {
        "timeline": _items(ck, root, "timeline", _event),
        "people": _items(ck, root, "people", _person),
        "agenda": _items(ck, root, "agenda", lambda c, r, p: _agenda_item(c, r, p, venue_zone)),
        "quotes": _items(ck, root, "quotes", _quote),
        "faq": _items(ck, root, "faq", _faq),
    }
    _check_references(ck, root, head)
    if ck.problems or meeting is None or "venue" not in head or "home" not in head:
        raise PackError(ck.problems)
    return Briefing(
        id=head["id"],
        title=head["title"],
        summary=head["summary"],
        venue=head["venue"],
        home=head["home"],
        sides=head["sides"],
        sources=sources,
        meeting=meeting,
        timeline=sections["timeline"],
        people=sections["people"],
        agenda=sections["agenda"],
        quotes=sections["quotes"],
        faq=sections["faq"],
        summary_evidence=head.get("evidence", ()),
    )


def _briefing_head(ck: Checker, raw: Any) -> dict[str, Any]:
    head: dict[str, Any] = {}
    block = ck.mapping(raw, "briefing", ("id", "title", "summary", "zones", "sides", "evidence"))
    if block is None:
        return head
    head["evidence"] = _evidence(ck, block.get("evidence"), "briefing.evidence")
    head["id"] = ck.ident(block.get("id"), "briefing.id")
    head["title"] = ck.text(block.get("title"), "briefing.title", limit=200)
    head["summary"] = ck.text(block.get("summary"), "briefing.summary")
    zones = ck.mapping(block.get("zones"), "briefing.zones", ("venue", "home"))
    for which in ("venue", "home"):
        path = f"briefing.zones.{which}"
        zone_block = ck.mapping(zones.get(which), path, ("zone", "label")) if zones else None
        if zone_block:
            zone, label = ck.zone(zone_block.get("zone"), f"{path}.zone"), ck.text(zone_block.get("label"), f"{path}.label", limit=80)
            if zone and label:
                head[which] = Zone(zone, label)
    sides = block.get("sides")
    if not isinstance(sides, Mapping) or not sides:
        ck.report("briefing.sides", "pack.expected", expected="a mapping of side id to name", got=type(sides).__name__)
        head["sides"] = ()
    else:
        head["sides"] = tuple(
            Side(side_id, label)
            for key, value in sides.items()
            if (side_id := ck.ident(key, f"briefing.sides.{key}")) and (label := ck.text(value, f"briefing.sides.{key}", limit=80))
        )
    return head


def _source(ck: Checker, raw: Any, path: str) -> Source | None:
    block = ck.mapping(raw, path, *SOURCE_KEYS)
    if block is None:
        return None
    values = (
        ck.ident(block.get("id"), f"{path}.id"),
        ck.text(block.get("publisher"), f"{path}.publisher", limit=200),
        ck.text(block.get("title"), f"{path}.title", limit=300),
    )
    author = ck.optional_text(block.get("author"), f"{path}.author", limit=200)
    published = ck.optional_date(block.get("published"), f"{path}.published")
    url = ck.url(block.get("url"), f"{path}.url")
    text = ck.optional_text(block.get("text"), f"{path}.text", limit=300)
    if None in values:
        return None
    return Source(values[0], values[1], values[2], author, published, url, text)  # type: ignore[arg-type]


def _evidence(ck: Checker, raw: Any, path: str) -> tuple[Evidence, ...]:
    """One or more {source, passage} mappings; the source ids are checked with the other references."""
    found = []
    for n, item in enumerate(ck.sequence(raw, path)):
        block = ck.mapping(item, f"{path}[{n}]", EVIDENCE_KEYS)
        if block:
            source = ck.ident(block.get("source"), f"{path}[{n}].source")
            passage = ck.text(block.get("passage"), f"{path}[{n}].passage")
            if source and passage:
                found.append(Evidence(source, passage))
    return tuple(found)


def _meeting(ck: Checker, raw: Any, venue_zone: str | None) -> Meeting | None:
    block = ck.mapping(raw, "meeting", *MEETING_KEYS)
    if block is None:
        return None
    zone = ck.zone(block["zone"], "meeting.zone") if "zone" in block else venue_zone
    stakes = []
    for n, item in enumerate(ck.sequence(block.get("stakes"), "meeting.stakes")):
        stake = ck.mapping(item, f"meeting.stakes[{n}]", ("party", "text"))
        if stake:
            party, text = ck.ident(stake.get("party"), f"meeting.stakes[{n}].party"), ck.text(stake.get("text"), f"meeting.stakes[{n}].text")
            if party and text:
                stakes.append(Stake(party, text))
    meeting = Meeting(
        parties=ck.idents(block.get("parties"), "meeting.parties"),
        starts_at=ck.local_datetime(block.get("start"), "meeting.start", zone),
        zone=zone or "",
        venue=ck.text(block.get("venue"), "meeting.venue", limit=300) or "",
        format=ck.text(block.get("format"), "meeting.format", limit=300) or "",
        aims=ck.texts(block.get("aims"), "meeting.aims"),
        topics=ck.texts(block.get("topics"), "meeting.topics"),
        stakes=tuple(stakes),
        status=ck.choice(block.get("status"), "meeting.status", STATUSES) or "scheduled",  # type: ignore[arg-type]
        outcome=ck.text(block.get("outcome") or "", "meeting.outcome", empty=True) or "",
        sources=ck.idents(block.get("sources"), "meeting.sources"),
        evidence=_evidence(ck, block.get("evidence"), "meeting.evidence"),
        delegation=ck.optional_text(block.get("delegation"), "meeting.delegation", limit=200) or "",
    )
    if not meeting.parties:
        ck.report("meeting.parties", "pack.empty")
    return meeting


def _event(ck: Checker, block: Mapping[str, Any], path: str) -> TimelineEvent | None:
    values = dict(
        id=ck.ident(block.get("id"), f"{path}.id"),
        date=ck.date(block.get("date"), f"{path}.date"),
        title=ck.text(block.get("title"), f"{path}.title", limit=200),
        detail=ck.text(block.get("detail"), f"{path}.detail"),
    )
    note = ck.optional_text(block.get("note"), f"{path}.note", limit=500) or ""
    tags = ck.idents(block.get("tags"), f"{path}.tags")
    people = ck.idents(block.get("people"), f"{path}.people")
    sources = ck.idents(block.get("sources"), f"{path}.sources")
    evidence = _evidence(ck, block.get("evidence"), f"{path}.evidence")
    if None in values.values():
        return None
    return TimelineEvent(tags=tags, people=people, sources=sources, note=note, evidence=evidence, **values)  # type: ignore[arg-type]


def _person(ck: Checker, block: Mapping[str, Any], path: str) -> Person | None:
    values = dict(
        id=ck.ident(block.get("id"), f"{path}.id"),
        name=ck.text(block.get("name"), f"{path}.name", limit=120),
        role=ck.text(block.get("role"), f"{path}.role", limit=200),
        organisation=ck.text(block.get("organisation"), f"{path}.organisation", limit=200),
        side=ck.ident(block.get("side"), f"{path}.side"),
    )
    delegation = ck.boolean(block.get("delegation", False), f"{path}.delegation")
    sources = ck.idents(block.get("sources"), f"{path}.sources")
    evidence = _evidence(ck, block.get("evidence"), f"{path}.evidence")
    if None in values.values():
        return None
    return Person(delegation=delegation, sources=sources, evidence=evidence, **values)  # type: ignore[arg-type]


def _agenda_item(ck: Checker, block: Mapping[str, Any], path: str, venue_zone: str | None) -> AgendaItem | None:
    values = dict(
        id=ck.ident(block.get("id"), f"{path}.id"),
        title=ck.text(block.get("title"), f"{path}.title", limit=200),
        detail=ck.text(block.get("detail"), f"{path}.detail"),
    )
    zone = ck.zone(block["zone"], f"{path}.zone") if "zone" in block else venue_zone
    item_date = ck.optional_date(block.get("date"), f"{path}.date")
    clock = ck.clock(block.get("time"), f"{path}.time")
    if clock and (item_date is None or item_date.precision != "day"):
        ck.report(f"{path}.time", "pack.time_needs_day")
    place = ck.optional_text(block.get("place"), f"{path}.place", limit=300)
    people = ck.idents(block.get("people"), f"{path}.people")
    sources = ck.idents(block.get("sources"), f"{path}.sources")
    evidence = _evidence(ck, block.get("evidence"), f"{path}.evidence")
    if None in values.values() or zone is None:
        return None
    return AgendaItem(date=item_date, time=clock, zone=zone, place=place, people=people, sources=sources,
                      evidence=evidence, **values)  # type: ignore[arg-type]


def _quote(ck: Checker, block: Mapping[str, Any], path: str) -> Quote | None:
    values = dict(
        id=ck.ident(block.get("id"), f"{path}.id"),
        speaker=ck.ident(block.get("speaker"), f"{path}.speaker"),
        words=ck.text(block.get("words"), f"{path}.words", limit=1000),
        context=ck.text(block.get("context"), f"{path}.context", limit=500),
    )
    quote_date = ck.optional_date(block.get("date"), f"{path}.date")
    sources = ck.idents(block.get("sources"), f"{path}.sources")
    evidence = _evidence(ck, block.get("evidence"), f"{path}.evidence")
    if None in values.values():
        return None
    # A sentence quoted mid-sentence ends in a comma in the source, so the closing stop is not compared.
    words = str(values["words"]).rstrip(".,;:")
    if evidence and not any(contains(piece.passage, words) for piece in evidence):
        ck.report(f"{path}.words", "pack.words_not_in_evidence")
    return Quote(date=quote_date, sources=sources, evidence=evidence, **values)  # type: ignore[arg-type]


def _faq(ck: Checker, block: Mapping[str, Any], path: str) -> FaqEntry | None:
    values = dict(
        id=ck.ident(block.get("id"), f"{path}.id"),
        question=ck.text(block.get("question"), f"{path}.question", limit=300),
        answer=ck.text(block.get("answer"), f"{path}.answer"),
    )
    sources = ck.idents(block.get("sources"), f"{path}.sources")
    evidence = _evidence(ck, block.get("evidence"), f"{path}.evidence")
    if None in values.values():
        return None
    return FaqEntry(sources=sources, evidence=evidence, **values)  # type: ignore[arg-type]


ITEM_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "timeline": (("id", "date", "title", "detail", "sources", "evidence"), ("tags", "people", "note")),
    "people": (("id", "name", "role", "organisation", "side", "sources", "evidence"), ("delegation",)),
    "agenda": (("id", "title", "detail", "sources", "evidence"), ("date", "time", "zone", "place", "people")),
    "quotes": (("id", "speaker", "words", "context", "sources", "evidence"), ("date",)),
    "faq": (("id", "question", "answer", "sources", "evidence"), ()),
}


def _items(ck: Checker, root: Mapping[str, Any], section: str, parse: Any) -> tuple[Any, ...]:
    required, optional = ITEM_KEYS[section]
    found = []
    for n, raw in enumerate(ck.sequence(root.get(section), section)):
        path = f"{section}[{n}]"
        block = ck.mapping(raw, path, required, optional)
        if block is not None and (item := parse(ck, block, path)) is not None:
            found.append(item)
    return tuple(found)


def _check_references(ck: Checker, root: Mapping[str, Any], head: dict[str, Any]) -> None:
    """Duplicate ids, and ids that point at no source, person or side, each reported with its path.

    Works on the items as written, so an item with another problem still has its references checked
    and every path names the entry's own position in the file.
    """
    source_ids = _unique(ck, "sources", root.get("sources"))
    person_ids = _unique(ck, "people", root.get("people"))
    side_ids = {side.id for side in head.get("sides", ())}
    for section in ("timeline", "agenda", "quotes", "faq"):
        _unique(ck, section, root.get(section))

    def refs(path: str, value: Any, known: set[str], kind: str) -> None:
        for n, ref in enumerate(value if isinstance(value, list) else ()):
            if isinstance(ref, str) and IDENT.fullmatch(ref) and ref not in known:
                ck.report(f"{path}[{n}]", "pack.unknown_ref", kind=kind, ref=ref)

    def ref(path: str, value: Any, known: set[str], kind: str) -> None:
        if isinstance(value, str) and IDENT.fullmatch(value) and value not in known:
            ck.report(path, "pack.unknown_ref", kind=kind, ref=value)

    def cited(path: str, block: Mapping[str, Any]) -> None:
        if isinstance(block.get("sources"), list) and not block["sources"]:
            ck.report(f"{path}.sources", "pack.no_sources")
        refs(f"{path}.sources", block.get("sources"), source_ids, "source")
        evidence = block.get("evidence")
        if isinstance(evidence, list) and not evidence:
            ck.report(f"{path}.evidence", "pack.no_evidence")
        for n, piece in enumerate(evidence if isinstance(evidence, list) else ()):
            if isinstance(piece, Mapping):
                ref(f"{path}.evidence[{n}].source", piece.get("source"), source_ids, "source")

    if isinstance(root.get("briefing"), Mapping):
        cited("briefing", {"evidence": root["briefing"].get("evidence")})
    meeting = root.get("meeting")
    if isinstance(meeting, Mapping):
        cited("meeting", meeting)
        refs("meeting.parties", meeting.get("parties"), person_ids, "person")
        stakes = meeting.get("stakes")
        for n, stake in enumerate(stakes if isinstance(stakes, list) else ()):
            if isinstance(stake, Mapping):
                ref(f"meeting.stakes[{n}].party", stake.get("party"), person_ids, "person")
    for section in ITEM_KEYS:
        blocks = root.get(section)
        for n, block in enumerate(blocks if isinstance(blocks, list) else ()):
            if not isinstance(block, Mapping):
                continue
            path = f"{section}[{n}]"
            cited(path, block)
            if section in ("timeline", "agenda"):
                refs(f"{path}.people", block.get("people"), person_ids, "person")
            elif section == "quotes":
                ref(f"{path}.speaker", block.get("speaker"), person_ids, "person")
            elif section == "people":
                ref(f"{path}.side", block.get("side"), side_ids, "side")


def _unique(ck: Checker, section: str, raw_items: Any) -> set[str]:
    """The ids of a section as written; the second and later uses of an id are reported."""
    seen: set[str] = set()
    for n, raw in enumerate(raw_items if isinstance(raw_items, list) else ()):
        item_id = raw.get("id") if isinstance(raw, Mapping) else None
        if not isinstance(item_id, str):
            continue
        if item_id in seen:
            ck.report(f"{section}[{n}].id", "pack.duplicate_id", ref=item_id)
        seen.add(item_id)
    return seen


def pack_mapping(briefing: Briefing) -> dict[str, Any]:
    """The briefing as plain pack data, in the order the format documents; parses back equal."""
    meeting = briefing.meeting
    start = None
    if meeting.starts_at is not None:
        start = meeting.starts_at.astimezone(ZoneInfo(meeting.zone)).strftime("%Y-%m-%dT%H:%M")
    return {
        "format": PACK_FORMAT,
        "briefing": {
            "id": briefing.id,
            "title": briefing.title,
            "summary": briefing.summary,
            "zones": {
                "venue": {"zone": briefing.venue.zone, "label": briefing.venue.label},
                "home": {"zone": briefing.home.zone, "label": briefing.home.label},
            },
            "sides": {side.id: side.label for side in briefing.sides},
            "evidence": _evidence_data(briefing.summary_evidence),
        },
        "sources": [
            _drop_none({"id": s.id, "publisher": s.publisher, "title": s.title, "author": s.author,
                        "published": s.published.text if s.published else None, "url": s.url,
                        "text": s.text})
            for s in briefing.sources
        ],
        "meeting": {
            "parties": list(meeting.parties),
            "start": start,
            "zone": meeting.zone,
            "venue": meeting.venue,
            "format": meeting.format,
            "aims": list(meeting.aims),
            "topics": list(meeting.topics),
            "stakes": [{"party": s.party, "text": s.text} for s in meeting.stakes],
            "status": meeting.status,
            "outcome": meeting.outcome,
            "sources": list(meeting.sources),
            "evidence": _evidence_data(meeting.evidence),
            **({"delegation": meeting.delegation} if meeting.delegation else {}),
        },
        "timeline": [
            _drop_none({"id": e.id, "date": e.date.text, "title": e.title, "detail": e.detail,
                        "note": e.note or None, "tags": list(e.tags), "people": list(e.people),
                        "sources": list(e.sources), "evidence": _evidence_data(e.evidence)})
            for e in briefing.timeline
        ],
        "people": [
            {"id": p.id, "name": p.name, "role": p.role, "organisation": p.organisation, "side": p.side,
             "delegation": p.delegation, "sources": list(p.sources), "evidence": _evidence_data(p.evidence)}
            for p in briefing.people
        ],
        "agenda": [
            _drop_none({"id": a.id, "title": a.title, "detail": a.detail,
                        "date": a.date.text if a.date else None, "time": a.time, "zone": a.zone,
                        "place": a.place, "people": list(a.people), "sources": list(a.sources),
                        "evidence": _evidence_data(a.evidence)})
            for a in briefing.agenda
        ],
        "quotes": [
            _drop_none({"id": q.id, "speaker": q.speaker, "words": q.words, "context": q.context,
                        "date": q.date.text if q.date else None, "sources": list(q.sources),
                        "evidence": _evidence_data(q.evidence)})
            for q in briefing.quotes
        ],
        "faq": [
            {"id": f.id, "question": f.question, "answer": f.answer, "sources": list(f.sources),
             "evidence": _evidence_data(f.evidence)}
            for f in briefing.faq
        ],
    }


def _evidence_data(evidence: tuple[Evidence, ...]) -> list[dict[str, str]]:
    return [{"source": piece.source, "passage": piece.passage} for piece in evidence]


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def problem_lines(error: PackError, cat: Catalogue) -> list[str]:
    """Each problem as `file: path: message`, in the order found."""
    return [
        cat("pack.problem", file=p.file, path=p.path or "(top)", message=cat(p.key, **dict(p.params)))
        for p in error.problems
    ]
