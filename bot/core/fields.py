"""A field of a kind and what its type means: how it is checked, written as pack data, read back and searched.

`type` names the `Checker` method that validates the value (or one of the few composite types here).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import msgspec

from bot.core.checker import MAX_TEXT, Checker, kind_of
from bot.core.dates import FuzzyDate
from bot.core.i18n import CLDR_LOCALES, UNDETERMINED
from bot.core.model import Evidence, Stake, Translations
from bot.errors import key_as_written

FieldType = Literal[
    "text", "optional_text", "ident", "idents", "texts", "date", "optional_date", "clock", "zone", "boolean",
    "choice", "evidence", "stakes", "start", "url", "language", "translations",
]
# The types whose values are words a reader reads, and so may carry translations (evidence never:
# it is the source's own words).
TRANSLATABLE = frozenset({"text", "optional_text", "texts", "stakes"})


class Field(msgspec.Struct, frozen=True):
    """One field of a kind: its pack key, how it is checked, what it names, and where search and forms use it.

    `required`: the pack key must be there; `empty`: its value may still be empty ("" or []), so no form requires it.
    `default`: the model's value when an optional key is absent. A `zone` left out is the venue's.
    `refers`: the kind of thing its ids name ("person", "source", "side"), checked like any reference.
    `search`: "title" or "body" when its text is searchable. `editable`: False for import-only fields.
    `translate`: False for text that stays as written in every language (a name, a source's title, a path).
    `verbatim`: someone's own words (a quote's): a translation is shown beside them, labelled, never instead.
    `setting`: how the briefing is kept (its venue's clock, the language its text is written in), which no passage states.
    """

    name: str
    type: FieldType
    required: bool = True
    limit: int = MAX_TEXT
    refers: str | None = None
    search: Literal["title", "body"] | None = None
    editable: bool = True
    default: Any = None
    empty: bool = False  # a required value that may be empty: a text "" (an outcome not known yet), a list [] (no aims announced)
    long: bool = False  # paragraphs, which a form shows as such; a text not long is one line (`line`)
    choices: tuple[str, ...] = ()
    attribute: str = ""  # the model's name for it, when it differs from the pack key
    translate: bool = True
    verbatim: bool = False
    setting: bool = False

    @property
    def attested(self) -> bool:
        """True when the item's passages stand behind the value: every field but its id, the sources it cites, the passages
        themselves, their translations and the briefing's settings."""
        return not (self.setting or self.name == "id" or self.refers == "source" or self.type in ("evidence", "translations"))

    @property
    def line(self) -> bool:
        """True for a text of one line (a title, a name, a label, a question): a form's one-line input holds it, and an
        answer shows it on one line, so a line break in it is refused (a list's items are each one line: `Checker.texts`)."""
        return self.type in ("text", "optional_text") and not self.long

    @property
    def attr(self) -> str:
        """The model attribute holding the field's value."""
        return self.attribute or self.name

    @property
    def translatable(self) -> bool:
        """True when a pack may give this field's value in another language."""
        return self.translate and self.type in TRANSLATABLE


TRANSLATIONS = Field("translations", "translations", required=False, editable=False, default=())


def parse_value(ck: Checker, f: Field, block: Mapping[str, Any], path: str, venue_zone: str | None) -> Any:
    """One field's checked value (the field's default when an optional key is absent)."""
    return reader(f)(ck, block, path, venue_zone)


Reader = Callable[[Checker, Mapping[str, Any], str, "str | None"], Any]


@functools.cache
def reader(f: Field) -> Reader:
    """How a field's checked value is read from its item's block, chosen once per field: a load reads 100k items."""
    name, default, limit, line = f.name, f.default, f.limit, f.line
    if f.type == "zone":
        return lambda ck, block, path, venue_zone: ck.zone(block[name], path, limit) if name in block else venue_zone
    if f.type == "boolean":
        return lambda ck, block, path, _: ck.boolean(block.get(name, default), path)
    if f.type == "text" and f.empty:
        return lambda ck, block, path, _: ck.text(block.get(name) or "", path, empty=True, limit=limit, line=line)
    if f.type == "text":
        return lambda ck, block, path, _: ck.text(block.get(name), path, limit=limit, line=line)
    if f.type == "optional_text":
        def optional_text(ck: Checker, block: Mapping[str, Any], path: str, _: str | None) -> Any:
            found = ck.optional_text(block.get(name), path, limit=limit, line=line)
            return found if found is not None else default

        return optional_text
    if f.type == "choice":
        choices = f.choices
        return lambda ck, block, path, _: ck.choice(block.get(name), path, choices) or default
    composite = {"evidence": evidence, "stakes": _stakes, "language": _language}.get(f.type)
    if composite is not None:
        return lambda ck, block, path, _: composite(ck, block.get(name), path)
    # ident, idents, texts, date, optional_date, clock, url: the Checker method of that name
    method = getattr(Checker, f.type)
    return lambda ck, block, path, _: method(ck, block.get(name), path)


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
    """Each {party, text} mapping of a meeting's stakes, its text one line: answers list a stake a line, as an aim."""
    found = []
    for n, item in enumerate(ck.sequence(raw, path)):
        stake = ck.mapping(item, f"{path}[{n}]", ("party", "text"))
        if stake:
            party, text = ck.ident(stake.get("party"), f"{path}[{n}].party"), ck.text(stake.get("text"), f"{path}[{n}].text", line=True)
            if party and text:
                found.append(Stake(party, text))
    return tuple(found)


def _language(ck: Checker, raw: Any, path: str) -> str | None:
    """A language code CLDR knows ("es", "en", "pt"), or `und` (not determined), when given."""
    if raw is None:
        return None
    if isinstance(raw, str) and raw.strip().lower() == UNDETERMINED:
        return UNDETERMINED
    from babel import Locale, UnknownLocaleError  # here: a cold `ask` checks no pack, and Babel's import weighs on it

    try:
        if isinstance(raw, str) and "_" not in raw and "-" not in raw:
            return str(Locale.parse(raw.strip().lower()).language)
    except (ValueError, UnknownLocaleError):
        pass
    ck.report(path, "pack.bad_language", got=str(raw)[:40])
    return None


def translation_blocks(ck: Checker, raw: Any, path: str, allowed: tuple[str, ...]) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """Each (language, its checked block, its path) of `{es: {field: …}}`; an unknown language or key is reported."""
    if raw is None:
        return
    if not isinstance(raw, Mapping):
        ck.report(path, "pack.expected", expected="translations_mapping", got=kind_of(raw))
        return
    for language, block in raw.items():
        where = f"{path}.{key_as_written(language)}"
        if language not in CLDR_LOCALES:
            ck.report(where, "pack.unknown_language", languages=", ".join(CLDR_LOCALES))
            continue
        checked = ck.mapping(block, where, (), allowed)
        if checked:
            yield str(language), checked, where


def parse_translations(ck: Checker, fields: tuple[Field, ...], raw: Any, path: str, venue_zone: str | None) -> Translations:
    """`{es: {field: value, …}}`, each value checked as its field's own type; every problem named by its path."""
    allowed = tuple(f.name for f in fields if f.translatable)
    by_name = {f.name: f for f in fields}
    found = []
    for language, checked, where in translation_blocks(ck, raw, path, allowed):
        values = []
        for name, value in checked.items():
            if name in allowed:
                # A translation stands for a value the reader reads, so it is never empty.
                f = by_name[name]
                strict = Field(f.name, "text" if f.type == "optional_text" else f.type, limit=f.limit, long=f.long)
                parsed = parse_value(ck, strict, {name: value}, f"{where}.{name}", venue_zone)
                if parsed:
                    values.append((name, parsed))
        found.append((language, tuple(values)))
    return tuple(found)


def translations_data(fields: tuple[Field, ...], translations: Translations, item: Any) -> dict[str, dict[str, Any]]:
    """Translations as pack data: `{language: {field: value}}`."""
    by_name = {f.name: f for f in fields}
    return {language: {name: export_value(by_name[name], value, item) for name, value in values} for language, values in translations}


def translations_decoder(fields: tuple[Field, ...]) -> Callable[[Any, Mapping[str, Any]], Any]:
    """How stored translations become the model's value, each through its field's own decoder."""
    converts = {f.name: decoder(f) for f in fields if f.translatable}

    def convert(value: Any, data: Mapping[str, Any]) -> Translations:
        def one(name: str, v: Any) -> Any:
            how = converts[name]
            return v if how is None else how(v, data)

        return tuple((language, tuple((name, one(name, v)) for name, v in values.items())) for language, values in value.items())

    return convert


def evidence_data(pieces: tuple[Evidence, ...]) -> list[dict[str, str]]:
    """Evidence as pack data."""
    return [{"source": piece.source, "passage": piece.passage} for piece in pieces]


def export_value(f: Field, value: Any, item: Any) -> Any:
    """A model value as pack data (a start on the wall clock of the item's zone)."""
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


@functools.lru_cache(maxsize=4096)
def _shared(ids: tuple[str, ...]) -> tuple[str, ...]:
    """The first equal tuple decoded: an id list many items repeat (their sources, a tag pair) is held once."""
    return ids


def decoder(f: Field) -> Callable[[Any, Mapping[str, Any]], Any] | None:
    """How trusted pack data (what `item_data` wrote) becomes the model's value; None: as it is.

    Ids, tags and choices repeat across items: decoded once per item, their copies were a large part of a big
    snapshot's memory, so they are interned.
    """
    if f.type == "idents":
        return lambda value, _: _shared(tuple(map(sys.intern, value)))
    if f.type == "texts":
        return lambda value, _: tuple(value)
    if (f.type == "ident" and f.refers) or f.type in ("choice", "zone", "language"):
        return lambda value, _: sys.intern(value)
    if f.type in ("date", "optional_date"):
        return lambda value, _: FuzzyDate.parse(value)
    if f.type == "evidence":
        return lambda value, _: tuple(Evidence(sys.intern(e["source"]), e["passage"]) for e in value)
    if f.type == "stakes":
        return lambda value, _: tuple(Stake(s["party"], s["text"]) for s in value)
    if f.type == "start":
        return lambda value, data: datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(data["zone"])).astimezone(UTC)
    return None


def search_words(f: Field, value: Any, names: Mapping[str, str]) -> str:
    """The words a value adds to search text, as one text: list items, stakes' texts, a person's name for their id."""
    if value is None:
        return ""
    if f.type == "stakes":
        return " ".join(stake.text for stake in value)
    if isinstance(value, tuple):
        return " ".join(value)
    if f.refers == "person":
        return names.get(value, "")
    return str(value)
