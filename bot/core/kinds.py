"""Each kind of item defined once: its fields drive pack parsing and export, storage, search and admin forms.

A field's `type` names the `Checker` method that validates it and says how its value turns into
pack data and back. Adding a field to a kind is one `Field(...)` line here plus the model attribute
(see docs/architecture.md, "One definition per kind"); rules that span fields are small named checks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import msgspec
import msgspec.structs

from bot.core.checker import Checker
from bot.core.fields import (
    TRANSLATIONS,
    Field,
    Reader,
    decoder,
    export_value,
    parse_translations,
    reader,
    search_words,
    translations_data,
    translations_decoder,
)
from bot.core.i18n import UNDETERMINED
from bot.core.model import STATUSES, AgendaItem, ContextEntry, FaqEntry, Person, Quote, Session, Source, TimelineEvent
from bot.core.passages import contains, quoted
from bot.core.text import search_fold
from bot.core.text import words as text_words

Check = Callable[[Checker, Mapping[str, Any], str], None]


class Kind(msgspec.Struct, frozen=True, dict=True):
    """One kind of item: its name in commands, its pack section (a list), its model class, its fields and checks."""

    name: str
    section: str
    model: type
    fields_all: tuple[Field, ...]
    checks: tuple[Check, ...] = ()

    def __post_init__(self) -> None:
        # Any kind with a field a reader reads may carry `translations` of those fields: no kind asks for it,
        # its model only holds them (`translations: Translations = ()`; tests/test_translations.py checks each kind).
        if (
            any(f.translatable for f in self.fields_all)
            and TRANSLATIONS not in self.fields_all
            and "translations" in getattr(self.model, "__struct_fields__", ())
        ):
            msgspec.structs.force_setattr(self, "fields_all", (*self.fields_all, TRANSLATIONS))

    # Not a field, so equality and hashing stay those of the definition (`dict=True` gives it a place to be kept).
    @functools.cached_property
    def by_name(self) -> dict[str, Field]:
        """The kind's fields by name."""
        return {f.name: f for f in self.fields_all}

    @property
    def required(self) -> tuple[str, ...]:
        """Pack keys an item must have."""
        return tuple(f.name for f in self.fields_all if f.required)

    @property
    def optional(self) -> tuple[str, ...]:
        """Pack keys an item may leave out."""
        return tuple(f.name for f in self.fields_all if not f.required)

    @property
    def added_with(self) -> dict[str, Any]:
        """What an item added from chat starts with: required fields' defaults (a session's status), and the empty value
        of one that may be empty: "" for a text (an outcome not known yet), [] for a list (aims not announced yet, stakes,
        which only imports write). An add form leaves none of them to be made up."""
        start: dict[str, Any] = {}
        for f in self.fields_all:
            if not f.required:
                continue
            if f.default is not None:
                start[f.name] = f.default
            elif f.empty:
                start[f.name] = "" if f.type == "text" else []
        return start

    @property
    def fields(self) -> tuple[str, ...]:
        """Fields an edit may set (never the id, never an import-only field), in the order the kind declares them and
        data-pack.md documents: forms list them so, a session's start, date and zone side by side (the start is read in the zone)."""
        return tuple(f.name for f in self.fields_all if f.name != "id" and f.editable)


def _start_or_date(ck: Checker, values: Mapping[str, Any], path: str) -> None:
    """A session's day is its start's when the time is known; a second date could only disagree with it."""
    if values.get("start") is not None and values.get("date") is not None:
        ck.report(f"{path}.date", "pack.start_and_date")


def _time_needs_day(ck: Checker, values: Mapping[str, Any], path: str) -> None:
    """A time of day means nothing without the day it is on."""
    day = values.get("date")
    if values.get("time") and (day is None or day.precision != "day"):
        ck.report(f"{path}.time", "pack.time_needs_day")


def _words_in_evidence(ck: Checker, values: Mapping[str, Any], path: str) -> None:
    """A quote's words are found inside quotation marks in one of its evidence passages: outside them a passage holds
    the writer's narration or someone else's words, which readers would take for the speaker's."""
    words, evidence = values.get("words"), values.get("evidence")
    if not words or not evidence:
        return
    # A sentence quoted mid-sentence ends in a comma in the source, so the closing stop is not compared.
    trimmed = str(words).rstrip(".,;:")
    if not any(contains(piece.passage, trimmed) for piece in evidence):
        ck.report(f"{path}.words", "pack.words_not_in_evidence")
    elif not any(contains(span, trimmed) for piece in evidence for span in quoted(piece.passage)):
        ck.report(f"{path}.words", "pack.words_not_quoted")


def _translated_from_another(ck: Checker, values: Mapping[str, Any], path: str) -> None:
    """Words translated from the language they are in were not translated: the source gave the speaker's own. Words
    that name no language are in the pack's; `und` names none, so it is never theirs."""
    spoken = values.get("translated_from")
    if spoken is not None and spoken != UNDETERMINED and spoken == (values.get("language") or ck.language):
        ck.report(f"{path}.translated_from", "pack.translated_from_own")


def _words_language_known(ck: Checker, values: Mapping[str, Any], path: str) -> None:
    """The words shown are in a language the pack can name: `und` says only that the language the speaker used is not
    stated, and readers would be told the words were "said in Unknown language"."""
    if values.get("language") == UNDETERMINED:
        ck.report(f"{path}.language", "pack.language_undetermined")


def quotes_in_language(ck: Checker, quotes: Sequence[Quote]) -> None:
    """The quotes checked against the pack's language (`ck.language`) once it changes: words that name none are in it."""
    for n, quote in enumerate(quotes):
        _translated_from_another(ck, {"language": quote.language, "translated_from": quote.translated_from}, f"quotes[{n}]")


_SOURCES = Field("sources", "idents", refers="source")
_EVIDENCE = Field("evidence", "evidence", long=True)
# What the source says of how sure or how precise a date or time is ("the source does not date this", "expected to
# start around 10:00, according to Rio Wire", "moved from 11 November"): shown beside the date or time, never in it.
_NOTE = Field("note", "optional_text", required=False, limit=500, search="body", default="", long=True)


def uncited(item: Mapping[str, Any]) -> list[tuple[int, Any]]:
    """Each (position, source) of an item's passages (as pack data) quoted from a source its `sources` do not name.

    An answer credits the item's sources, so such a passage would stand behind it uncredited, and its source would count
    as cited by nothing (`uses`, /sources). The reference check (`pack._cited`) refuses them where every id is known.
    """
    sources, evidence = item.get(_SOURCES.name), item.get(_EVIDENCE.name)
    if not isinstance(sources, list) or not isinstance(evidence, list):
        return []  # a list's own problem, reported as such
    return [(n, piece.get("source")) for n, piece in enumerate(evidence) if isinstance(piece, Mapping) and piece.get("source") not in sources]


# The field of an item's topics: tags, which `briefing.translations.*.topics` labels per language.
TOPICS = "tags"
# The most a zone and a language may hold wherever one is typed: the head's fields, a session's and an agenda item's
# zone, `subscribe tz:`, `use language:`. A zone is checked against the names known, a language against CLDR's: these
# limits are what an input for one takes, well past the longest zone name (32 characters) and language code typed (es-419).
ZONE_LIMIT, LANGUAGE_LIMIT = 64, 32

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("session", "sessions", Session, (
            Field("id", "ident"),
            Field("title", "text", limit=200, search="title"),
            # Principals, venue and format are left out where no source gives them: answers say "not announced".
            Field("parties", "idents", required=False, refers="person", default=()),
            # A full local time; `date` instead when only the day (or month) is known; neither: not announced.
            Field("start", "start", required=False, attribute="starts_at"),
            Field("date", "optional_date", required=False),
            Field("zone", "zone", required=False, limit=ZONE_LIMIT),
            _NOTE,
            Field("venue", "optional_text", required=False, limit=300, search="title", default=""),
            Field("format", "optional_text", required=False, limit=300, search="body", long=True, default=""),
            Field("aims", "texts", empty=True, search="body"),
            Field("topics", "texts", empty=True, search="body"),
            Field("stakes", "stakes", empty=True, refers="person", search="body", editable=False),
            Field("status", "choice", choices=STATUSES, default="scheduled"),
            Field("outcome", "text", empty=True, search="body", long=True),
            _SOURCES,
            _EVIDENCE,
            Field("delegation", "optional_text", required=False, limit=200, default=""),
        ), checks=(_start_or_date,)),
        Kind("timeline", "timeline", TimelineEvent, (
            Field("id", "ident"),
            Field("date", "optional_date", required=False),
            Field("title", "text", limit=200, search="title"),
            Field("detail", "text", search="body", long=True),
            _NOTE,
            Field(TOPICS, "idents", required=False, search="body", default=()),
            Field("people", "idents", required=False, refers="person", default=()),
            _SOURCES,
            _EVIDENCE,
        )),
        Kind("person", "people", Person, (
            Field("id", "ident"),
            Field("name", "text", limit=120, search="title", translate=False),
            Field("role", "text", limit=200, search="body"),
            # Left out when the sources do not say: shown as not stated on the person's card, and not at all beside the role.
            Field("organisation", "optional_text", required=False, limit=200, search="body", default=""),
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
            Field("zone", "zone", required=False, limit=ZONE_LIMIT),
            Field("place", "optional_text", required=False, limit=300, search="body"),
            Field("people", "idents", required=False, refers="person", default=()),
            _SOURCES,
            _EVIDENCE,
        ), checks=(_time_needs_day,)),
        Kind("quote", "quotes", Quote, (
            Field("id", "ident"),
            Field("speaker", "ident", refers="person", search="body"),
            Field("words", "text", limit=1000, search="title", long=True, verbatim=True),
            Field("context", "text", limit=500, search="body", long=True),
            Field("date", "optional_date", required=False),
            Field("language", "language", required=False),
            Field("translated_from", "language", required=False),
            _SOURCES,
            _EVIDENCE,
        ), checks=(_words_in_evidence, _translated_from_another, _words_language_known)),
        Kind("faq", "faq", FaqEntry, (
            Field("id", "ident"),
            Field("question", "text", limit=300, search="title"),
            Field("answer", "text", search="body", long=True),
            _SOURCES,
            _EVIDENCE,
        )),
        Kind("context", "context", ContextEntry, (
            Field("id", "ident"),
            Field("title", "text", limit=200, search="title"),
            Field("body", "text", search="body", long=True),
            _SOURCES,
            _EVIDENCE,
        )),
        Kind("source", "sources", Source, (
            Field("id", "ident"),
            # A source is cited as it was published: its publisher, title and author are never translated.
            Field("publisher", "text", limit=200, search="body", translate=False),
            Field("title", "text", limit=300, search="title", translate=False),
            Field("author", "optional_text", required=False, limit=200, search="body", translate=False),
            Field("published", "optional_date", required=False),
            Field("url", "url", required=False),
            Field("text", "optional_text", required=False, limit=300, translate=False),
        )),
    )
}
# The briefing's own head, which `set kind:briefing` edits like an item: "briefing" is the admin's word, and "head" the
# kind its revisions are logged under, since a revision of kind "briefing" logs a whole pack (a load or an import).
HEAD, HEAD_LOG = "briefing", "head"
HEAD_FIELDS: tuple[Field, ...] = (
    Field("title", "text", limit=200),
    Field("summary", "text", long=True),
    _EVIDENCE,
    # The venue's clock, the briefing's first zone (`zones[0]`): its IANA name and the place readers know it by.
    # Settings, not claims: no passage states the venue's clock or the language the pack is written in.
    Field("zone", "zone", setting=True, limit=ZONE_LIMIT),
    Field("label", "text", limit=80, setting=True),  # every zone's label, and its translations (`pack._zones`)
    # The language the pack's own text is written in (the pack's top-level `language:`): readers of another see it
    # marked untranslated where no translation is given. Last, so the forms' fields keep their numbers.
    Field("language", "language", setting=True, limit=LANGUAGE_LIMIT),
)
# The id of the one session an old pack's `meeting:` mapping holds, and the admin's word for a briefing's only session.
MEETING_ID = "meeting"
# Sources lead a pack (every other section cites them); the rest follow in the order kinds are listed.
PACK_KINDS: tuple[Kind, ...] = (KINDS["source"], *(k for k in KINDS.values() if k.name != "source"))


def items_of(briefing: Any, kind: Kind) -> tuple[Any, ...]:
    """A kind's items in a Briefing (whose attributes are named like pack sections)."""
    found: tuple[Any, ...] = getattr(briefing, kind.section)
    return found


def parse_item(ck: Checker, block: Mapping[str, Any], path: str, kind: Kind, venue_zone: str | None) -> Any:
    """One item of the kind, every problem reported with its path (with any, the pack is refused whole)."""
    values: dict[str, Any] = {}
    planned = _PLANS.get(id(kind))
    if planned is None or planned[0] is not kind:
        planned = _PLANS[id(kind)] = (kind, *_plan(kind))
    _, fields, starts = planned
    for attr, suffix, read in fields:
        values[attr] = read(ck, block, path + suffix, venue_zone)
    for f in starts:  # read once the zone is known
        values[f.attr] = ck.local_datetime(block.get(f.name), f"{path}.{f.name}", values.get("zone"))
    if kind.checks or values.get("translations"):  # with neither, no check has anything to look at
        named = {f.name: values[f.attr] for f in kind.fields_all}
        for check in (*kind.checks, _translations_match):
            check(ck, named, path)
    return kind.model(**values)


def _plan(kind: Kind) -> tuple[tuple[tuple[str, str, Reader], ...], tuple[Field, ...]]:
    """Per kind, worked out once: (attribute, path suffix, reader) of each field in order, and the fields read after the zone."""
    fields: list[tuple[str, str, Reader]] = []
    for f in kind.fields_all:
        if f.type == "translations":
            fields.append((f.attr, f".{f.name}", functools.partial(_translations_reader, kind.fields_all, f.name)))
        elif f.type != "start":
            fields.append((f.attr, f".{f.name}", reader(f)))
    return tuple(fields), tuple(f for f in kind.fields_all if f.type == "start")


def _translations_reader(fields: tuple[Field, ...], name: str, ck: Checker, block: Mapping[str, Any], path: str, venue_zone: str | None) -> Any:
    """An item's translations, each value checked as its field's own type (most items have none)."""
    raw = block.get(name)
    return () if raw is None else parse_translations(ck, fields, raw, path, venue_zone)


# Each kind's plan by the kind's identity (hashing a Kind hashes every field): worked out at its first item.
_PLANS: dict[int, tuple[Kind, tuple[tuple[str, str, Reader], ...], tuple[Field, ...]]] = {}


def _translations_match(ck: Checker, values: Mapping[str, Any], path: str) -> None:
    """A translation has an original; a translated list has its length, and translated stakes its parties in order."""
    for language, fields in values.get("translations") or ():
        for name, value in fields:
            where = f"{path}.{name}"
            if ck.reported_under(where):
                continue  # the original's own problem is reported; comparing with it would say nothing new
            original = values.get(name)
            if original is None or original == "":
                # A translation of nothing would show readers of that language a field no one else sees.
                ck.report(f"{path}.translations.{language}.{name}", "pack.translation_without_original")
            elif isinstance(original, tuple) and (
                len(value) != len(original) or any(getattr(a, "party", None) != getattr(b, "party", None) for a, b in zip(value, original, strict=False))
            ):
                # What to write instead: the parties in order where the entries have them (stakes), else how many.
                parties = [str(party) for party in (getattr(entry, "party", None) for entry in original) if party]
                where = f"{path}.translations.{language}.{name}"
                if parties:
                    ck.report(where, "pack.translation_parties", parties=", ".join(parties))
                else:
                    ck.report(where, "pack.translation_mismatch", count=len(original), given=len(value))


def item_data(kind: Kind, item: Any) -> dict[str, Any]:
    """An item as pack data, keys in field order: an optional field that is None or "" is left out."""
    data: dict[str, Any] = {}
    for f, attr, required, translations in _EXPORTS[kind.name]:  # worked out once: a load exports 100k items
        value = getattr(item, attr)
        if not required and (value is None or value == "" or (translations and not value)):
            continue
        data[f.name] = translations_data(kind.fields_all, value, item) if translations else export_value(f, value, item)
    return data


# Per kind: (field, attribute, required, whether it is the translations) of each field, in order.
_EXPORTS = {kind.name: tuple((f, f.attr, f.required, f.type == "translations") for f in kind.fields_all) for kind in KINDS.values()}


def _model_defaults(kind: Kind) -> dict[str, Any]:
    """The model's default of each attribute that has one, read from the Struct's own tuples: msgspec.structs.fields
    evaluates every annotation, which every process's start would pay for all kinds."""
    model = cast("type[msgspec.Struct]", kind.model)  # every kind's model is a Struct
    names, defaults = model.__struct_fields__, model.__struct_defaults__
    return dict(zip(names[len(names) - len(defaults):], defaults, strict=True))


def _absent(f: Field, model: Mapping[str, Any]) -> Any:
    """A field's value when its key is absent: its default, else the model's (an item logged before a migration added
    the field reads as the migration left the stored items: no passages before 008's evidence, the model's `()`)."""
    return f.default if f.default is not None else model.get(f.attr)


# Per kind: (attribute, pack key, decoder, value when absent) for each field, worked out once.
_DECODERS = {
    kind.name: tuple(
        (f.attr, f.name, translations_decoder(kind.fields_all) if f.type == "translations" else decoder(f), _absent(f, defaults))
        for f in kind.fields_all
    )
    for kind in KINDS.values()
    for defaults in (_model_defaults(kind),)
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


def decode_logged(kind: Kind, data: Mapping[str, Any], venue_zone: str) -> Any:
    """The model item from pack data the revision log holds, which may lack what the store gave the item: an add once
    logged only the fields typed, and a session or agenda item typed without a zone was stored on the venue's clock,
    the loader's rule (`fields.reader`). Such a state reads back on `venue_zone`, the briefing's first zone."""
    if "zone" not in data and "zone" in kind.by_name:
        data = {**data, "zone": venue_zone}
    return decode(kind, data)


def search_text(kind: Kind, item: Any, names: Mapping[str, str], topics: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The item's searchable (title, body), folded as a search is (`search_fold`), so both stores index the same words:
    its fields marked for search, a person named by their name, a topic by its tag and its labels in every language
    (`topics`, by tag: `briefing.translations.*.topics`)."""
    title: list[str] = []
    body: list[str] = []
    translated = [dict(fields) for _, fields in getattr(item, "translations", ())]
    for f, attr, in_title in _SEARCHED[kind.name]:
        words = title if in_title else body
        original = search_words(f, getattr(item, attr), names)
        words.append(original)
        if topics and f.name == TOPICS:  # only words the tags lack: a label that is its tag ("visa") weighs as before
            tagged = set(text_words(original))
            words.extend(w for tag in getattr(item, attr) if tag in topics for w in topics[tag].split() if not tagged.intersection(text_words(w)))
        # Translations are found by their own words: a Spanish reader searches in Spanish. Only words the
        # original lacks are added, so a name in both is counted once and ranks as before; a translation
        # of someone's words is not their words, so it weighs as body text.
        if not translated:
            continue  # folding the words costs most of a load's row building; only translations need them
        known = set(text_words(original))
        for fields in translated:
            if f.name in fields:
                added = [w for w in search_words(f, fields[f.name], names).split() if not known.intersection(text_words(w))]
                if added:
                    (body if f.verbatim else words).append(" ".join(added))
    return search_fold(" ".join(title)), search_fold(" ".join(body))


# Per kind: (field, attribute, whether its words are the title's) of each searched field, in order.
_SEARCHED = {
    kind.name: tuple((f, f.attr, f.search == "title") for f in kind.fields_all if f.search is not None) for kind in KINDS.values()
}


def naming(named: str) -> frozenset[str]:
    """The fields whose ids name an item of that kind ("person", "source") or a side, stakes apart."""
    return frozenset(f.name for kind in KINDS.values() for f in kind.fields_all if f.refers == named and f.type in ("ident", "idents"))


def searched_references(kind: Kind) -> tuple[tuple[Kind, Field], ...]:
    """The (kind, field) pairs whose search text shows a name of an item of `kind` (a quote's speaker for a person)."""
    return tuple(
        (other, f) for other in KINDS.values() for f in other.fields_all
        if f.search is not None and f.refers == kind.name and f.type == "ident"
    )
