"""Briefing values to table rows and back, for both stores: the head, its sides, and one generic row per item.

An item's row holds its pack data as JSON, written and read through the kind definitions in
bot/core/kinds.py, so no column list here names a field.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec
import orjson

from bot.core.dates import FuzzyDate
from bot.core.fields import evidence_data
from bot.core.kinds import KINDS, PACK_KINDS, Kind, decode, item_data, items_of, search_text, searched_references
from bot.core.model import Briefing, Evidence, Person, Quote, Side, Zone
from bot.core.pack import head_translations, head_translations_data
from bot.core.text import search_fold
from bot.store.fulltext import date_word, keyed, tag_word

# Item data and the content hash are written with orjson: json took far longer for each of them in a large load.
Row = Sequence[Any]
# The columns of `items`, in the order `item_row` builds them.
ITEM_COLUMNS = ("briefing_id", "kind", "id", "position", "data", "search_title", "search_body", "first_day", "last_day")
# Kinds whose rows carry their date's first and last day (ISO text; NULL when undated): the order
# `timeline query:` sorts by in SQL (migrations 014 and, in PostgreSQL, 008).
DAYS_KINDS = frozenset({"timeline"})
# Each kind's place in the definitions: rows of a load are written by position, then this, so ties in
# search rank come in the order they always have (SQLite breaks them by rowid).
KIND_NUMBERS = {name: number for number, name in enumerate(KINDS)}


def _evidence(evidence: Iterable[Evidence]) -> str:
    return json.dumps(evidence_data(tuple(evidence)), ensure_ascii=False)


def briefing_row(b: Briefing, content_hash: str, now: str) -> tuple[Any, ...]:
    """The `briefings` row, without version and default flag (the writer manages those).

    It ends with the pack's language, the head's translations as JSON and the search text of its summary and their
    summaries (`search_fold`: both stores index it, not the summary as written).
    """
    zones = json.dumps([{"zone": z.zone, "label": z.label} for z in b.zones], ensure_ascii=False)
    summaries = search_fold(" ".join([b.summary, *(str(value) for _, fields in b.translations for name, value in fields if name == "summary")]))
    return (b.id, b.title, b.summary, zones, content_hash, now, _evidence(b.summary_evidence), b.language,
            json.dumps(head_translations_data(b.translations), ensure_ascii=False), summaries)


def side_rows(b: Briefing) -> list[tuple[Any, ...]]:
    """The `sides` rows: (briefing_id, id, position, label, also: its other names as a JSON list)."""
    return [(b.id, s.id, n, s.label, json.dumps(s.also, ensure_ascii=False)) for n, s in enumerate(b.sides)]


def names(b: Briefing) -> dict[str, str]:
    """Each person's name by id: what search shows for a field that names a person."""
    return {p.id: p.name for p in b.people}


def topic_words(b: Briefing) -> dict[str, str]:
    """Each topic's labels in every language the pack gives, by tag: a Spanish reader searches "sanciones" as they read it."""
    found: dict[str, list[str]] = {}
    for _, fields in b.translations:
        for tag, label in dict(fields).get("topics", ()):
            found.setdefault(tag, []).append(label)
    return {tag: " ".join(labels) for tag, labels in found.items()}


def item_row(
    b: Briefing, kind: Kind, item: Any, position: int, known: Mapping[str, str] | None = None, data: Mapping[str, Any] | None = None,
    topics: Mapping[str, str] | None = None,
) -> tuple[Any, ...]:
    """An `items` row: the item's pack data and its search texts (`known`: names by id, `data`: the item's pack data,
    `topics`: `topic_words`, when callers have them)."""
    title, body = search_text(kind, item, names(b) if known is None else known, topic_words(b) if topics is None else topics)
    first, last = _days(kind, item)
    return (b.id, kind.name, item.id, position, orjson.dumps(item_data(kind, item) if data is None else data).decode(), title, body,
            first, last)


def index_row(row: Sequence[Any]) -> tuple[str, str, str, str, str]:
    """The search index's columns for an `items` row (scope, kind, item_id, title, body), as the index triggers write them."""
    briefing_id, kind, item_id, title, body = row[0], row[1], row[2], row[5], row[6]
    return scope(briefing_id, kind, row[4], row[7], row[8]), kind, item_id, keyed(briefing_id, title), keyed(briefing_id, body)


def scope(briefing_id: str, kind: str, data: str, first_day: str | None, last_day: str | None) -> str:
    """The index's `scope` of an item row: its kind with its dates (`date_word`) and its tags, keyed (SQLite's `briefbot_scope`, called by the triggers)."""
    tags = tag_words(data)
    return _keyed(briefing_id, kind + date_word(first_day, last_day)) + (" " + _keyed(briefing_id, tags) if tags else "")


@functools.lru_cache(maxsize=1024)
def _keyed(briefing_id: str, words: str) -> str:
    """`keyed` once per briefing and kind with its month, or list of tags (a briefing's events repeat a few of each), not once per row."""
    return keyed(briefing_id, words)


def tag_words(data: str) -> str:
    """The words an item's tags add to its index scope (migration 017): ' tag' and each tag's UTF-8 in hex, as the triggers write them."""
    # Only a key is written `"tags":[` in JSON (a quote inside a string is escaped), and a tag is an id (no `]`):
    # the tags alone are parsed, not the whole row (most of the CPU of this function at 100k events).
    start = data.find('"tags":[')
    if start < 0:
        return ""
    try:
        return _listed_tag_words(data[start + 7 : data.index("]", start) + 1])
    except orjson.JSONDecodeError:  # not ids after all (a tag holding `]`): the whole row, then
        return "".join(" " + tag_word(tag) for tag in orjson.loads(data)["tags"])


@functools.lru_cache(maxsize=1024)
def _listed_tag_words(tags: str) -> str:
    """`tag_words` of a list of tags as JSON text: a briefing's events repeat a few lists of its topics, each worked out once."""
    return "".join(" " + tag_word(tag) for tag in orjson.loads(tags))


def _days(kind: Kind, item: Any) -> tuple[str | None, str | None]:
    """The first and last day of a dated item of a DAYS_KINDS kind, as ISO text; (None, None) otherwise."""
    day = getattr(item, "date", None) if kind.name in DAYS_KINDS else None
    return _iso_days(day.text) if day is not None else (None, None)


@functools.lru_cache(maxsize=16384)
def _iso_days(text: str) -> tuple[str, str]:
    """A date's first and last day as ISO text, by the date as written: worked out once per date (a 100k-event timeline holds about 9,000)."""
    day = FuzzyDate.parse(text)
    return day.first.isoformat(), day.last.isoformat()


def item_rows(b: Briefing, mapping: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Every item's row, by position and then kind; `mapping`: the briefing's pack data, when the caller has it already."""
    known, topics = names(b), topic_words(b)
    found = [
        (n, KIND_NUMBERS[kind.name], item_row(b, kind, item, n, known, None if mapping is None else mapping[kind.section][n], topics))
        for kind in PACK_KINDS for n, item in enumerate(items_of(b, kind))
    ]
    return [row for *_, row in sorted(found, key=operator.itemgetter(0, 1))]


def content_hash(mapping: Mapping[str, Any]) -> str:
    """A digest of a briefing's pack data, so loading an unchanged pack changes nothing.

    orjson writes the canonical text far faster than json, which a large pack's load would feel.
    Hashes stored by the json form differ: an unchanged pack loaded once more after that change is
    stored again, as one load revision, and is unchanged from then on.
    """
    import hashlib  # here: its import loads OpenSSL, which a cold `ask`, never loading a pack, need not pay for

    return hashlib.sha256(orjson.dumps(mapping, option=orjson.OPT_SORT_KEYS)).hexdigest()


def dependent_rows(b: Briefing, kind: Kind, item_id: str) -> list[tuple[str, str, str, str]]:
    """(search_title, search_body, kind, id) of the items whose search text shows this item's name (a person's quotes)."""
    known, topics = names(b), topic_words(b)
    return [
        (*search_text(other, item, known, topics), other.name, item.id)
        for other, f in searched_references(kind) for item in items_of(b, other) if getattr(item, f.attr) == item_id
    ]


class _StoredPerson(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A person's row as `item_data` writes it: msgspec decodes it in C, with no dict per row (issue #18 §2).

    At 100k events a briefing has 10,000 people and 10,000 quotes, and every answer that names people reads them
    all: decoded this way in C, a fraction of the CPU of `json.loads` and `decode`. Not a model class: its
    translations are the stored mapping, made the model's tuples by `_typed`. Its fields are the kind's, and `_typed`
    passes each on (tests/test_stored_rows.py checks both with a value in every field); a row with a field it does not
    know goes through `decode`.
    """

    id: str
    name: str
    role: str
    side: str
    sources: tuple[str, ...]
    organisation: str = ""  # left out: the sources do not say
    delegation: bool = False
    evidence: tuple[Evidence, ...] = ()
    translations: dict[str, dict[str, Any]] = {}


class _StoredQuote(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A quote's row as `item_data` writes it (see `_StoredPerson`); its date is parsed as `decode` parses it."""

    id: str
    speaker: str
    words: str
    context: str
    sources: tuple[str, ...]
    date: str | None = None
    evidence: tuple[Evidence, ...] = ()
    language: str | None = None
    translated_from: str | None = None
    translations: dict[str, dict[str, Any]] = {}


_TYPED: dict[str, msgspec.json.Decoder[Any]] = {"person": msgspec.json.Decoder(_StoredPerson), "quote": msgspec.json.Decoder(_StoredQuote)}


def _typed(kind: Kind, data: str) -> Any:
    """The item `decode` would give for a person's or a quote's JSON; a row msgspec does not read (a null, say) goes through `decode`."""
    try:
        p = _TYPED[kind.name].decode(data)
    except msgspec.ValidationError:
        return decode(kind, json.loads(data))
    translations = tuple((language, tuple(values.items())) for language, values in p.translations.items()) if p.translations else ()
    # Not interned as `decode` interns the ids many items repeat: it would save little memory, and cost more than the decoding.
    # By keyword, never by position: a field added to the model elsewhere than last took its neighbour's value (an item's
    # translations landed in a new `nickname`); now it is its default, or an error. About 16 ns more per item.
    if isinstance(p, _StoredPerson):
        return Person(id=p.id, name=p.name, role=p.role, organisation=p.organisation, side=p.side, delegation=p.delegation,
                      sources=p.sources, evidence=p.evidence, translations=translations)
    date = None if p.date is None else FuzzyDate.parse(p.date)
    return Quote(id=p.id, speaker=p.speaker, words=p.words, context=p.context, date=date, sources=p.sources, evidence=p.evidence,
                 language=p.language, translated_from=p.translated_from, translations=translations)


def decode_into(sections: dict[str, list[Any]], rows: list[Row]) -> dict[str, list[Any]]:
    """`sections` (new ones when empty) with the model items of item rows (kind, id, data) appended, and `rows` emptied; data is JSON text, or already decoded.

    Each row is freed as it is decoded, on the thread that decodes (the builder): left to the caller, a chunk's rows
    were freed at once on the event loop's thread when it let go of the list, the GIL held throughout.
    """
    rows.reverse()  # taken from the end, in their order
    while rows:
        kind_name, _, data = rows.pop()
        kind = KINDS[kind_name]
        if kind_name in _TYPED and isinstance(data, str):
            item = _typed(kind, data)
        else:
            item = decode(kind, json.loads(data) if isinstance(data, str) else data)
        sections.setdefault(kind.section, []).append(item)
    return sections


def briefing(head: Row, side_rows: Iterable[Row], sections: dict[str, list[Any]], briefing_id: str, version: int) -> Briefing:
    """A Briefing from its head (title, summary, zones and the summary's evidence as JSON, language, translations), sides and items.

    `sections`: each section's model items in order, as `decode_into` gives them; taken out of it, so their lists are
    freed here (on the builder thread), not on the event loop's with the caller's dictionary.
    """
    zones, evidence = (json.loads(value) if isinstance(value, str) else value for value in head[2:4])
    parts: dict[str, Any] = {kind.section: tuple(sections.pop(kind.section, ())) for kind in PACK_KINDS}
    return Briefing(
        id=briefing_id,
        title=head[0],
        summary=head[1],
        zones=tuple(Zone(z["zone"], z["label"]) for z in zones),
        sides=tuple(Side(r[0], r[1], tuple(json.loads(r[2]))) for r in side_rows),
        summary_evidence=tuple(Evidence(e["source"], e["passage"]) for e in evidence),
        language=head[4],
        translations=head_translations(json.loads(head[5]) if isinstance(head[5], str) else head[5]),
        version=version,
        **parts,
    )

