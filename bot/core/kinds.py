"""Each kind of item defined once: its fields drive pack parsing and export, storage, search and admin forms.

A field's `type` names the `Checker` method that validates it and says how its value turns into
pack data and back. Adding a field to a kind is one `Field(...)` line here plus the model attribute
(see docs/architecture.md, "One definition per kind"); rules that span fields are small named checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.core.checker import MAX_TEXT, Checker
from bot.core.dates import FuzzyDate
from bot.core.model import (
    STATUSES,
    AgendaItem,
    Evidence,
    FaqEntry,
    Meeting,
    Person,
    Quote,
    Source,
    Stake,
    TimelineEvent,
)
from bot.core.passages import contains

FieldType = Literal[
    "text", "optional_text", "ident", "idents", "texts", "date", "optional_date", "clock", "zone", "boolean",
    "choice", "evidence", "stakes", "start", "url",
]
_UTC = ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a kind: its pack key, how it is checked, what it names, and where search and forms use it.

    `required`: the pack key must be there (its value may still be empty where the type allows).
    `default`: the model's value when an optional key is absent. A `zone` left out is the venue's.
    `refers`: the kind of thing its ids name ("person", "source", "side"), checked like any reference.
    `search`: "title" or "body" when its text is searchable. `editable`: False for import-only fields.
    """

    name: str
    type: FieldType
    required: bool = True
    limit: int = MAX_TEXT
    refers: str | None = None
    search: Literal["title", "body"] | None = None
    editable: bool = True
    default: Any = None
    empty: bool = False  # a required text that may be "" (an outcome not known yet)
    long: bool = False  # a form shows paragraphs, not a line
    choices: tuple[str, ...] = ()
    attribute: str = ""  # the model's name for it, when it differs from the pack key

    @property
    def attr(self) -> str:
        """The model attribute holding the field's value."""
        return self.attribute or self.name


Check = Callable[[Checker, Mapping[str, Any], str], None]


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of item: its name in commands, its pack section, its model class, its fields and checks."""

    name: str
    section: str
    model: type
    fields_all: tuple[Field, ...]
    single: bool = False
    checks: tuple[Check, ...] = ()
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields_all})

    @property
    def required(self) -> tuple[str, ...]:
        """Pack keys an item must have."""
        return tuple(f.name for f in self.fields_all if f.required)

    @property
    def optional(self) -> tuple[str, ...]:
        """Pack keys an item may leave out."""
        return tuple(f.name for f in self.fields_all if not f.required)

    @property
    def fields(self) -> tuple[str, ...]:
        """Fields an edit may set (never the id, never an import-only field): the required ones first, as forms list them."""
        return tuple(name for name in (*self.required, *self.optional) if name != "id" and self.by_name[name].editable)


def _parties_named(ck: Checker, values: Mapping[str, Any], path: str) -> None:
    """A meeting has at least one party."""
    if not values.get("parties"):
        ck.report(f"{path}.parties", "pack.empty")


def _time_needs_day(ck: Checker, values: Mapping[str, Any], path: str) -> None:
    """A time of day means nothing without the day it is on."""
    day = values.get("date")
    if values.get("time") and (day is None or day.precision != "day"):
        ck.report(f"{path}.time", "pack.time_needs_day")


def _words_in_evidence(ck: Checker, values: Mapping[str, Any], path: str) -> None:
    """A quote's words are found in one of its evidence passages."""
    words, evidence = values.get("words"), values.get("evidence")
    if not words or not evidence:
        return
    # A sentence quoted mid-sentence ends in a comma in the source, so the closing stop is not compared.
    trimmed = str(words).rstrip(".,;:")
    if not any(contains(piece.passage, trimmed) for piece in evidence):
        ck.report(f"{path}.words", "pack.words_not_in_evidence")


_SOURCES = Field("sources", "idents", refers="source")
_EVIDENCE = Field("evidence", "evidence", long=True)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("meeting", "meeting", Meeting, (
            Field("parties", "idents", refers="person"),
            Field("start", "start", attribute="starts_at"),
            Field("zone", "zone", required=False),
            Field("venue", "text", limit=300, search="title"),
            Field("format", "text", limit=300, search="body", long=True),
            Field("aims", "texts", search="body"),
            Field("topics", "texts", search="body"),
            Field("stakes", "stakes", refers="person", search="body", editable=False),
            Field("status", "choice", choices=STATUSES, default="scheduled"),
            Field("outcome", "text", empty=True, search="body", long=True),
            _SOURCES,
            _EVIDENCE,
            Field("delegation", "optional_text", required=False, limit=200, default=""),
        ), single=True, checks=(_parties_named,)),
        Kind("timeline", "timeline", TimelineEvent, (
            Field("id", "ident"),
            Field("date", "optional_date", required=False),
            Field("title", "text", limit=200, search="title"),
            Field("detail", "text", search="body", long=True),
            Field("note", "optional_text", required=False, limit=500, search="body", default="", long=True),
            Field("tags", "idents", required=False, search="body", default=()),
            Field("people", "idents", required=False, refers="person", default=()),
            _SOURCES,
            _EVIDENCE,
        )),
        Kind("person", "people", Person, (
            Field("id", "ident"),
            Field("name", "text", limit=120, search="title"),
            Field("role", "text", limit=200, search="body"),
            Field("organisation", "text", limit=200, search="body"),
            Field("side", "ident", refers="side"),
            Field("delegation", "boolean", required=False, default=False),
            _SOURCES,
            _EVIDENCE,
        )),
        Kind("agenda", "agenda", AgendaItem, (
            Field("id", "ident"),
            Field("title", "text", limit=200, search="title"),
            Field("detail", "text", search="body", long=True),
            Field("date", "optional_date", required=False),
            Field("time", "clock", required=False),
            Field("zone", "zone", required=False),
            Field("place", "optional_text", required=False, limit=300, search="body"),
            Field("people", "idents", required=False, refers="person", default=()),
            _SOURCES,
            _EVIDENCE,
        ), checks=(_time_needs_day,)),
        Kind("quote", "quotes", Quote, (
            Field("id", "ident"),
            Field("speaker", "ident", refers="person", search="body"),
            Field("words", "text", limit=1000, search="title", long=True),
            Field("context", "text", limit=500, search="body", long=True),
            Field("date", "optional_date", required=False),
            _SOURCES,
            _EVIDENCE,
        ), checks=(_words_in_evidence,)),
        Kind("faq", "faq", FaqEntry, (
            Field("id", "ident"),
            Field("question", "text", limit=300, search="title"),
            Field("answer", "text", search="body", long=True),
            _SOURCES,
            _EVIDENCE,
        )),
        Kind("source", "sources", Source, (
            Field("id", "ident"),
            Field("publisher", "text", limit=200, search="body"),
            Field("title", "text", limit=300, search="title"),
            Field("author", "optional_text", required=False, limit=200, search="body"),
            Field("published", "optional_date", required=False),
            Field("url", "url", required=False),
            Field("text", "optional_text", required=False, limit=300),
        )),
    )
}
MEETING_ID = "meeting"
# Sources lead a pack (every other section cites them); the rest follow in the order kinds are listed.
PACK_KINDS: tuple[Kind, ...] = (KINDS["source"], *(k for k in KINDS.values() if k.name != "source"))
BY_SECTION: dict[str, Kind] = {kind.section: kind for kind in KINDS.values()}
LIST_KINDS: tuple[Kind, ...] = tuple(k for k in PACK_KINDS if not k.single)


def items_of(briefing: Any, kind: Kind) -> tuple[Any, ...]:
    """A kind's items in a Briefing (whose attributes are named like pack sections)."""
    found = getattr(briefing, kind.section)
    return (found,) if kind.single else tuple(found)


def parse_item(ck: Checker, block: Mapping[str, Any], path: str, kind: Kind, venue_zone: str | None) -> Any:
    """One item of the kind, every problem reported with its path (with any, the pack is refused whole)."""
    values: dict[str, Any] = {}
    for f in kind.fields_all:
        if f.type == "start":
            continue  # read once the zone is known
        values[f.attr] = _parse(ck, f, block, f"{path}.{f.name}", venue_zone)
    for f in kind.fields_all:
        if f.type == "start":
            values[f.attr] = ck.local_datetime(block.get(f.name), f"{path}.{f.name}", values.get("zone"))
    for check in kind.checks:
        check(ck, {f.name: values[f.attr] for f in kind.fields_all}, path)
    return kind.model(**values)


def _parse(ck: Checker, f: Field, block: Mapping[str, Any], path: str, venue_zone: str | None) -> Any:
    """One field's checked value (the field's default when an optional key is absent)."""
    if f.type == "zone":
        return ck.zone(block[f.name], path) if f.name in block else venue_zone
    if f.type == "boolean":
        return ck.boolean(block.get(f.name, f.default), path)
    raw = block.get(f.name)
    if f.type == "text":
        return ck.text(raw or "" if f.empty else raw, path, empty=f.empty, limit=f.limit)
    if f.type == "optional_text":
        found = ck.optional_text(raw, path, limit=f.limit)
        return found if found is not None else f.default
    if f.type == "choice":
        return ck.choice(raw, path, f.choices) or f.default
    if f.type == "evidence":
        return evidence(ck, raw, path)
    if f.type == "stakes":
        return _stakes(ck, raw, path)
    # ident, idents, texts, date, optional_date, clock, url: the Checker method of that name
    return getattr(ck, f.type)(raw, path)


def evidence(ck: Checker, raw: Any, path: str) -> tuple[Evidence, ...]:
    """One or more {source, passage} mappings; the source ids are checked with the other references."""
    found = []
    for n, item in enumerate(ck.sequence(raw, path)):
        block = ck.mapping(item, f"{path}[{n}]", ("source", "passage"))
        if block:
            source = ck.ident(block.get("source"), f"{path}[{n}].source")
            passage = ck.text(block.get("passage"), f"{path}[{n}].passage")
            if source and passage:
                found.append(Evidence(source, passage))
    return tuple(found)


def _stakes(ck: Checker, raw: Any, path: str) -> tuple[Stake, ...]:
    found = []
    for n, item in enumerate(ck.sequence(raw, path)):
        stake = ck.mapping(item, f"{path}[{n}]", ("party", "text"))
        if stake:
            party, text = ck.ident(stake.get("party"), f"{path}[{n}].party"), ck.text(stake.get("text"), f"{path}[{n}].text")
            if party and text:
                found.append(Stake(party, text))
    return tuple(found)


def item_data(kind: Kind, item: Any) -> dict[str, Any]:
    """An item as pack data, keys in field order: an optional field that is None or "" is left out."""
    data: dict[str, Any] = {}
    for f in kind.fields_all:
        value = getattr(item, f.attr)
        if not f.required and (value is None or value == ""):
            continue
        data[f.name] = _export(f, value, item)
    return data


def evidence_data(pieces: tuple[Evidence, ...]) -> list[dict[str, str]]:
    """Evidence as pack data."""
    return [{"source": piece.source, "passage": piece.passage} for piece in pieces]


def _export(f: Field, value: Any, item: Any) -> Any:
    if value is None:
        return None
    if f.type in ("idents", "texts"):
        return list(value)
    if f.type in ("date", "optional_date"):
        return value.text
    if f.type == "evidence":
        return evidence_data(value)
    if f.type == "stakes":
        return [{"party": s.party, "text": s.text} for s in value]
    if f.type == "start":
        return value.astimezone(ZoneInfo(item.zone)).strftime("%Y-%m-%dT%H:%M")
    return value


def _decoder(f: Field) -> Callable[[Any, Mapping[str, Any]], Any] | None:
    """How trusted pack data (what `item_data` wrote) becomes the model's value; None: as it is."""
    if f.type in ("idents", "texts"):
        return lambda value, _: tuple(value)
    if f.type in ("date", "optional_date"):
        return lambda value, _: FuzzyDate.parse(value)
    if f.type == "evidence":
        return lambda value, _: tuple(Evidence(e["source"], e["passage"]) for e in value)
    if f.type == "stakes":
        return lambda value, _: tuple(Stake(s["party"], s["text"]) for s in value)
    if f.type == "start":
        return lambda value, data: datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(data["zone"])).astimezone(_UTC)
    return None


# Per kind: (attribute, pack key, decoder, value when absent) for each field, worked out once.
_DECODERS = {
    kind.name: tuple((f.attr, f.name, _decoder(f), f.default) for f in kind.fields_all) for kind in KINDS.values()
}


def decode(kind: Kind, data: Mapping[str, Any]) -> Any:
    """The model item from pack data the store wrote itself: no checks, so 100k items decode in about a second."""
    values = {}
    for attr, key, convert, absent in _DECODERS[kind.name]:
        value = data.get(key)
        if value is None:
            values[attr] = absent
        else:
            values[attr] = value if convert is None else convert(value, data)
    return kind.model(**values)


def search_text(kind: Kind, item: Any, names: Mapping[str, str]) -> tuple[str, str]:
    """The item's searchable (title, body): its fields marked for search, a person named by their name."""
    title: list[str] = []
    body: list[str] = []
    for f in kind.fields_all:
        if f.search is not None:
            (title if f.search == "title" else body).append(" ".join(_words(f, getattr(item, f.attr), names)))
    return " ".join(title), " ".join(body)


def _words(f: Field, value: Any, names: Mapping[str, str]) -> Iterator[str]:
    if value is None:
        return
    if f.type == "stakes":
        yield from (stake.text for stake in value)
    elif isinstance(value, tuple):
        yield from value
    elif f.refers == "person":
        yield names.get(value, "")
    else:
        yield str(value)


def naming(named: str) -> frozenset[str]:
    """The fields whose ids name an item of that kind ("person", "source") or a side, stakes apart."""
    return frozenset(f.name for kind in KINDS.values() for f in kind.fields_all if f.refers == named and f.type in ("ident", "idents"))


def searched_references(kind: Kind) -> tuple[tuple[Kind, Field], ...]:
    """The (kind, field) pairs whose search text shows a name of an item of `kind` (a quote's speaker for a person)."""
    return tuple(
        (other, f) for other in KINDS.values() for f in other.fields_all
        if f.search is not None and f.refers == kind.name and f.type == "ident"
    )
