"""A briefing pack (plain data, as read from YAML) to a validated Briefing, and back.

`parse_pack` reports every problem at once — unknown keys, wrong types, bad dates and zones,
duplicate and dangling ids — and returns nothing unless the whole pack is valid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from itertools import chain
from typing import Any

import msgspec.structs

from bot.core.catalogue import Catalogue
from bot.core.checker import ACCEPTED_BEFORE, IDENT, ZONE_ABBREVIATION, Checker, kind_of
from bot.core.fields import evidence, evidence_data, translation_blocks
from bot.core.i18n import CLDR_LOCALES, DEFAULT_LANGUAGE
from bot.core.kinds import HEAD_FIELDS, HEAD_LOG, KINDS, MEETING_ID, PACK_KINDS, Kind, item_data, items_of, parse_item, uncited
from bot.core.model import Briefing, Side, Translations, Zone
from bot.core.shapes import Clean, clean_items, references_known
from bot.core.suggest import SUGGESTED_AMONG, closest
from bot.core.text import squeezed
from bot.errors import PackError, PackProblem, key_as_written

PACK_FORMAT = 1
LISTED_IDS = 12  # an unknown reference with no near match lists the ids of its kind when there are no more than this (sides)
# The largest pack file or upload read, in bytes. Packs are a few dozen kilobytes; this leaves ample
# room and keeps reading `/dev/zero` or a runaway upload bounded. Every reader and adapter uses it.
MAX_PACK_BYTES = 1_000_000
# `meeting:` is the older form of `sessions:`, a mapping read as one session with the id "meeting".
LEGACY_MEETING = "meeting"
_SECTIONS = ("format", "briefing", *(kind.section for kind in PACK_KINDS), LEGACY_MEETING, "language")
_SESSION = KINDS["session"]
_HEAD = {f.name: f for f in HEAD_FIELDS}  # the head's one definition: its title and summary are checked by their limits, as forms take them
# The kinds an item's field can name (`Field.refers`): a person, a source, a side.
_NAMED = frozenset(f.refers for kind in KINDS.values() for f in kind.fields_all if f.refers)


def parse_pack(data: Any, file: str, *, plain: bool = False, held: bool = False, abbreviations_kept: bool = False) -> Briefing:
    """Validate a whole pack; raise PackError listing every problem, each with file and path.

    `plain`: the data holds only what a JSON reader gives (dicts, lists, str, int, float, bool, None), so a
    section written clean is checked a column at a time (`shapes.clean_items`), and the rest as always.
    `held`: a pack the store held whole (a revision logged it), so its items may have no passages, as migration 008
    left every item stored before them, logged then without the key; since then nothing else is stored without. Its
    text may hold an invisible character, or a one-line text a line break, that an earlier release accepted (`_held`).
    `abbreviations_kept`: a zone given as a clock abbreviation the tz database also has (EST), which earlier releases
    accepted, is taken as it reads it (a start filling an empty store: `bot.store.packfile.read_pack_data`).
    """
    return _parsed(data, file, plain, held, abbreviations_kept)[0]


def parse_pack_data(data: Any, file: str, *, abbreviations_kept: bool = False) -> tuple[Briefing, dict[str, Any]]:
    """`parse_pack` of plain data, and the briefing's pack data: an item written as `item_data` writes it is taken as it is.

    A load hashes, stores and logs the pack data: made again from a large pack's items, it was a noticeable part of `briefbot load`.
    """
    briefing, written = _parsed(data, file, plain=True, abbreviations_kept=abbreviations_kept)
    return briefing, pack_mapping(briefing, written)


def _parsed(data: Any, file: str, plain: bool, held: bool = False, abbreviations_kept: bool = False) -> tuple[Briefing, dict[str, list[Any]]]:
    """The briefing, and per section each item's data as written where it is already its pack data (else None)."""
    language = data.get("language", DEFAULT_LANGUAGE) if isinstance(data, Mapping) else DEFAULT_LANGUAGE
    ck = Checker(file, language, _held if held else _abbreviation if abbreviations_kept else None)
    root = ck.mapping(data, "", _SECTIONS[:3], _SECTIONS[3:])
    if root is None:
        raise ck.error()
    if type(root.get("format")) is not int or root.get("format") != PACK_FORMAT:
        ck.report("format", "pack.bad_format", supported=PACK_FORMAT)
    if not isinstance(language, str) or language not in CLDR_LOCALES:  # `[es]` is no key of a dict
        ck.report("language", "pack.unknown_language", languages=", ".join(CLDR_LOCALES))
    head = _briefing_head(ck, root.get("briefing"))
    venue_zone = head["zones"][0].zone if head.get("zones") else None
    blocks = {kind.name: _blocks(ck, root, kind, head) for kind in PACK_KINDS}
    read = {kind.section: _section(ck, blocks[kind.name], kind, venue_zone, plain) for kind in PACK_KINDS}
    if not (plain and references_known(blocks, {side.id for side in head.get("sides", ())}, root.get("briefing"))):
        _check_references(ck, root, blocks, head)
    if ck.problems or not head.get("zones"):
        found = ck.error()
        raise PackError(found.problems, found.more, written_ids(chain.from_iterable(blocks.values())))
    sections: dict[str, Any] = {section: items for section, (items, _) in read.items()}
    return Briefing(
        id=head["id"],
        title=head["title"],
        summary=head["summary"],
        zones=head["zones"],
        sides=head["sides"],
        summary_evidence=head.get("evidence", ()),
        language=language,
        translations=head.get("translations", ()),
        **sections,
    ), {section: written for section, (_, written) in read.items()}


def _held(path: str, key: str) -> bool:
    """What a state the store held may hold though a rule made since refuses it: an item, or the head, without passages,
    held so before migration 008 (no `evidence` key) or since (`[]`); text with an invisible character, or a one-line text
    (a title) with a line break, which releases before those were refused accepted (U+200B typed in chat, a title `set`
    with "\n"). Put back as it was, so an undo, or the undo of a load that replaced it, loses nothing."""
    return key in ACCEPTED_BEFORE or (path.endswith(".evidence") and key in ("pack.missing", "pack.no_evidence"))


def _abbreviation(path: str, key: str) -> bool:
    """What a pack read with `abbreviations_kept` lets pass: a zone given as a clock abbreviation the tz database has."""
    return key == ZONE_ABBREVIATION


def _excused(held: bool, path: str, setting: Collection[str] | None) -> Callable[[str, str], bool] | None:
    """What the check of one item (or the head) at `path` lets pass: all `_held` does for a state the store held (`held`);
    for an edit setting the fields `setting`, an invisible character or a line break in another field, which the store holds
    as it was (a role set on a person whose name an earlier release took with U+200B); nothing for an item added."""
    if held:
        return _held
    if setting is None:
        return None
    typed = tuple(f"{path}.{name}" for name in setting)

    def kept(at: str, key: str) -> bool:
        return key in ACCEPTED_BEFORE and not any(at == field or at.startswith((f"{field}.", f"{field}[")) for field in typed)

    return kept


def with_item(
    briefing: Briefing, kind: Kind, position: int, raw: Any, file: str, *, held: bool = False, setting: Collection[str] | None = None,
) -> Briefing:
    """The briefing with the item at `position` of its kind's section set to `raw` (at the section's length: added), checked
    as `parse_pack` checks it within the whole pack, problems and paths alike.

    `held`: `raw` is a state the store held the item in (an undo puts it back), so it may have no passages, as migration
    008 left every item stored before them; since then no add, edit, import or load stores one without, so no other comes back.
    Nor is its text refused for an invisible character or a line break an earlier release accepted (`_held`). `setting`: an edit's fields;
    the others are as the store holds them, so their text is not refused for that either.

    An item added or changed can break only itself and what it names: the rest of a stored briefing was checked when it
    was stored, and checking all of it again was most of an edit's cost once most items carried a translation.
    """
    items = items_of(briefing, kind)
    if position < len(items) and (not isinstance(raw, Mapping) or raw.get("id") != items[position].id):
        # Without its id, what named the item may name nothing now: only the whole pack shows that.
        data = pack_mapping(briefing)
        data[kind.section][position] = raw
        return parse_pack(data, file)
    path = f"{kind.section}[{position}]"
    ck = Checker(file, briefing.language, _excused(held, path, setting))
    block = ck.mapping(raw, path, kind.required, kind.optional)
    if block is None:
        raise ck.error()
    item = parse_item(ck, block, path, kind, briefing.venue.zone)
    known = {other.name: {i.id for i in items_of(briefing, other)} for other in PACK_KINDS if other is not kind}
    known[kind.name] = {other.id for n, other in enumerate(items) if n != position}
    if isinstance(item_id := block.get("id"), str):
        if item_id in known[kind.name]:
            ck.report(f"{path}.id", "pack.duplicate_id", ref=item_id)
        known[kind.name].add(item_id)
    known["side"] = {side.id for side in briefing.sides}
    _item_references(ck, known, path, block, kind, _names(briefing.sides, briefing.people))
    if ck.problems:
        raise ck.error()
    return msgspec.structs.replace(briefing, **{kind.section: (*items[:position], item, *items[position + 1 :])})


def without_item(briefing: Briefing, kind: Kind, position: int, file: str) -> Briefing:
    """The briefing without the item at `position` of its kind's section, checked as `parse_pack` checks the whole pack.

    What is left was checked when stored, and only people, sources and sides are named by other items, and only
    sessions may not run out: so a removal checks those rules, and the names only when it removes a kind items name.
    """
    items = items_of(briefing, kind)
    rest = msgspec.structs.replace(briefing, **{kind.section: (*items[:position], *items[position + 1 :])})
    ck = Checker(file)
    if kind is _SESSION and len(items) == 1:
        ck.report(kind.section, "pack.empty")
    if kind.name in _NAMED:
        known = {other.name: {i.id for i in items_of(rest, other)} for other in PACK_KINDS}
        known["side"] = {side.id for side in rest.sides}
        _cited(ck, known, "briefing", {"evidence": evidence_data(rest.summary_evidence)})
        names = _names(rest.sides, rest.people)
        for other in PACK_KINDS:
            for n, item in enumerate(items_of(rest, other)):
                _item_references(ck, known, f"{other.section}[{n}]", item_data(other, item), other, names)
    if ck.problems:
        raise ck.error()
    return rest


def _briefing_head(ck: Checker, raw: Any) -> dict[str, Any]:
    head: dict[str, Any] = {}
    block = ck.mapping(raw, "briefing", ("id", "title", "summary", "zones", "sides", "evidence"), ("translations",))
    if block is None:
        return head
    head["evidence"] = evidence(ck, block.get("evidence"), "briefing.evidence")
    head["id"] = ck.ident(block.get("id"), "briefing.id")
    head["title"] = ck.text(block.get("title"), "briefing.title", limit=_HEAD["title"].limit, line=True)
    head["summary"] = ck.text(block.get("summary"), "briefing.summary")
    head["zones"] = _zones(ck, block.get("zones"))
    head["translations"] = _head_translations(ck, block.get("translations"), block)
    sides = block.get("sides")
    if not isinstance(sides, Mapping) or not sides:
        ck.report("briefing.sides", "pack.expected", expected="side_mapping", got=kind_of(sides))
        head["sides"] = ()
    else:
        head["sides"] = tuple(side for key, value in sides.items() if (side := _side(ck, key, value, f"briefing.sides.{key_as_written(key)}", ident=True)))
        _side_names_apart(ck, head["sides"], head["translations"])
    return head


def _side_names_apart(ck: Checker, sides: tuple[Side, ...], translations: Translations) -> None:
    """Every name a reader may type for a side (`side:us`, as `squeezed`) names one side only."""
    named: dict[str, str] = {}
    translated = ((f"briefing.translations.{language}.sides", side) for language, fields in translations
                  for name, pairs in fields if name == "sides" for _, side in pairs)
    for path, side in chain((("briefing.sides", side) for side in sides), translated):
        for name in (side.id, side.label, *side.also):
            other = named.setdefault(squeezed(name), side.id)
            if other != side.id:
                ck.report(f"{path}.{side.id}", "pack.side_name_taken", name=name, other=other)


def _side(ck: Checker, key: Any, value: Any, path: str, *, ident: bool = False) -> Side | None:
    """A side as `id: Name` or `id: {name: Name, also: [other names]}`; the head's ids are checked (`ident`), a translation's are the head's."""
    side_id = ck.ident(key, path) if ident else str(key)
    if isinstance(value, Mapping):
        block = ck.mapping(value, path, ("name",), ("also",))
        if block is None:
            return None
        name, also = ck.text(block.get("name"), f"{path}.name", limit=80, line=True), ck.texts(block.get("also"), f"{path}.also")
    else:
        name, also = ck.text(value, path, limit=80, line=True), ()
    return Side(side_id, name, tuple(dict.fromkeys(also))) if side_id and name else None


def side_data(side: Side) -> str | dict[str, Any]:
    """A side as pack data: `Name`, or `{name: Name, also: [...]}` when it has other names."""
    return {"name": side.label, "also": list(side.also)} if side.also else side.label


def _head_translations(ck: Checker, raw: Any, block: Mapping[str, Any]) -> Translations:
    """`briefing.translations`: per language, the title, summary, and labels of sides (by id), of zones (by the label)
    and of the timeline's topics (by tag). A topic no event carries is kept unused, so an edit that drops a tag's last use
    never makes the pack it exports fail to load."""
    sides: tuple[str, ...] = tuple(block["sides"]) if isinstance(block.get("sides"), Mapping) else ()
    # Labels as written, so a zone reported wrong elsewhere does not also make its translation unknown.
    written = block.get("zones")
    entries = written.values() if isinstance(written, Mapping) else written if isinstance(written, list) else ()
    zone_labels = tuple(str(entry["label"]) for entry in entries if isinstance(entry, Mapping) and "label" in entry)
    found = []
    for language, checked, path in translation_blocks(ck, raw, "briefing.translations", ("title", "summary", "sides", "zones", "topics")):
        values: list[tuple[str, Any]] = []
        for name in ("title", "summary"):
            if name in checked and (text := ck.text(checked[name], f"{path}.{name}", limit=_HEAD[name].limit, line=_HEAD[name].line)):
                values.append((name, text))
        if "sides" in checked and sides and (named := ck.mapping(checked["sides"], f"{path}.sides", (), sides)):
            found_sides = (_side(ck, key, value, f"{path}.sides.{key_as_written(key)}") for key, value in named.items() if key in sides)
            values.append(("sides", tuple((side.id, side) for side in found_sides if side)))
        for name, known in (("zones", zone_labels),):
            if name in checked and known and (labels := ck.mapping(checked[name], f"{path}.{name}", (), known)):
                pairs = ((str(key), ck.text(label, f"{path}.{name}.{key}", limit=_HEAD["label"].limit, line=True)) for key, label in labels.items() if key in known)
                values.append((name, tuple((key, text) for key, text in pairs if text)))
        topics = checked.get("topics")
        if topics is not None and not isinstance(topics, Mapping):
            ck.report(f"{path}.topics", "pack.expected", expected="topic_mapping", got=kind_of(topics))
        elif topics:
            at = {tag: f"{path}.topics.{key_as_written(tag)}" for tag in topics}
            tagged = ((ck.ident(tag, at[tag]), ck.text(label, at[tag], limit=80, line=True)) for tag, label in topics.items())
            values.append(("topics", tuple((tag, label) for tag, label in tagged if tag and label)))
        found.append((language, tuple(values)))
    return tuple(found)


def _zones(ck: Checker, raw: Any) -> tuple[Zone, ...]:
    """`zones:` a list of {zone, label}, the first the default clock; the older {venue:…, home:…} reads as venue, home."""
    if isinstance(raw, Mapping):
        old = ck.mapping(raw, "briefing.zones", ("venue", "home"))
        entries = [(f"briefing.zones.{which}", old[which]) for which in ("venue", "home") if old and which in old]
    else:
        entries = [(f"briefing.zones[{n}]", entry) for n, entry in enumerate(ck.sequence(raw, "briefing.zones"))]
        if isinstance(raw, list) and not raw:
            ck.report("briefing.zones", "pack.empty")
    found = []
    for path, entry in entries:
        zone_block = ck.mapping(entry, path, ("zone", "label"))
        if zone_block:
            zone, label = ck.zone(zone_block.get("zone"), f"{path}.zone", _HEAD["zone"].limit), ck.text(zone_block.get("label"), f"{path}.label", limit=_HEAD["label"].limit, line=True)
            if zone and label:
                found.append(Zone(zone, label))
    return tuple(found)


def _blocks(ck: Checker, root: Mapping[str, Any], kind: Kind, head: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """A section's entries as written, each with its pack path; an old pack's `meeting:` is one session."""
    if kind is not _SESSION:
        return [(f"{kind.section}[{n}]", raw) for n, raw in enumerate(ck.sequence(root.get(kind.section), kind.section))]
    if LEGACY_MEETING in root:
        if kind.section in root:
            ck.report(LEGACY_MEETING, "pack.meeting_and_sessions")
        raw = root[LEGACY_MEETING]
        if not isinstance(raw, Mapping):
            ck.report(LEGACY_MEETING, "pack.expected", expected="mapping", got=kind_of(raw))
            return []
        # Its title is the briefing's (and so are its translations): an old pack's one meeting is what the briefing is about.
        block = {"id": MEETING_ID, "title": head.get("title") or MEETING_ID, **raw}
        titles = {language: title for language, fields in head.get("translations", ()) if (title := dict(fields).get("title"))}
        given = raw.get("translations")
        if titles and (given is None or isinstance(given, Mapping)):
            block["translations"] = {**{lang: {"title": t} for lang, t in titles.items()}, **{
                lang: {"title": titles[lang], **fields} if lang in titles and isinstance(fields, Mapping) else fields
                for lang, fields in (given or {}).items()
            }}
        return [(LEGACY_MEETING, block)]
    if kind.section not in root:
        ck.report(kind.section, "pack.missing")
        return []
    found = [(f"{kind.section}[{n}]", raw) for n, raw in enumerate(ck.sequence(root.get(kind.section), kind.section))]
    if not found and isinstance(root.get(kind.section), list):
        ck.report(kind.section, "pack.empty")
    return found


def _section(
    ck: Checker, blocks: list[tuple[str, Any]], kind: Kind, venue_zone: str | None, plain: bool,
) -> tuple[tuple[Any, ...], list[Any]]:
    """A section's items in pack order: those written clean checked a column at a time (with plain data), the rest one by one.

    With them, each item's data as written where it is already what `item_data` gives (else None).
    """
    clean = clean_items(blocks, kind, venue_zone) if plain else Clean({}, False)
    found = []
    written: list[Any] = []
    required, optional = kind.required, kind.optional
    for n, (path, raw) in enumerate(blocks):
        item = clean.items.get(n)
        if item is not None:
            if kind.checks:  # the rules across fields, as `parse_item` runs them (a clean item has no translations to match)
                named = {f.name: getattr(item, f.attr) for f in kind.fields_all}
                for check in kind.checks:
                    check(ck, named, path)
            found.append(item)
            written.append(raw if clean.as_exported else None)
            continue
        block = ck.mapping(raw, path, required, optional)
        if block is not None:
            found.append(parse_item(ck, block, path, kind, venue_zone))
            written.append(None)
    return tuple(found), written


def _check_references(ck: Checker, root: Mapping[str, Any], blocks: Mapping[str, list[tuple[str, Any]]], head: dict[str, Any]) -> None:
    """Duplicate ids, and ids that point at no source, person or side, each reported with its path.

    Works on the items as written, so an item with another problem still has its references checked
    and every path names the entry's own position in the file. What a field names is its `refers`.
    """
    known = {kind.name: _unique(ck, blocks[kind.name]) for kind in PACK_KINDS}
    known["side"] = {side.id for side in head.get("sides", ())}
    if isinstance(root.get("briefing"), Mapping):
        _cited(ck, known, "briefing", {"evidence": root["briefing"].get("evidence")})
    names = _names(head.get("sides", ()), [raw for _, raw in blocks["person"]])
    for kind in PACK_KINDS:
        for path, block in blocks[kind.name]:
            if isinstance(block, Mapping):
                _item_references(ck, known, path, block, kind, names)


# What a writer may give where an id belongs, by the kind it names: each (name, id) of a person or side.
Names = Callable[[str], Iterable[tuple[str, str]]]


def _names(sides: Iterable[Side], people: Iterable[Any]) -> Names:
    """The names of the sides (their labels and other names) and of the people (Person, or an item as written), read only
    once a reference names none: it is matched against them too, as a reader's names are (`side:"united states"`)."""

    def named(kind: str) -> Iterator[tuple[str, str]]:
        if kind == "side":
            yield from ((name, side.id) for side in sides for name in (side.label, *side.also))
        elif kind == "person":
            for person in people:
                name, person_id = (person.get("name"), person.get("id")) if isinstance(person, Mapping) else (person.name, person.id)
                if isinstance(name, str) and isinstance(person_id, str):
                    yield name, person_id

    return named


def _item_references(ck: Checker, known: Mapping[str, set[str]], path: str, block: Mapping[str, Any], kind: Kind, names: Names) -> None:
    """What one item names: the sources it cites (a source is what is cited) and every person or side a field names."""
    if kind.name != "source":
        _cited(ck, known, path, block)
    for f in kind.fields_all:
        if f.refers is None or f.refers == "source":
            continue
        value = block.get(f.name)
        if f.type == "ident":
            _ref(ck, known, f"{path}.{f.name}", value, f.refers, names)
        elif f.type == "stakes":
            for n, stake in enumerate(_listed(value)):
                if isinstance(stake, Mapping):
                    _ref(ck, known, f"{path}.{f.name}[{n}].party", stake.get("party"), f.refers, names)
        else:
            for n, one in enumerate(_listed(value)):
                _ref(ck, known, f"{path}.{f.name}[{n}]", one, f.refers, names)


def _cited(ck: Checker, known: Mapping[str, set[str]], path: str, block: Mapping[str, Any]) -> None:
    """An item's sources and its evidence's sources: each known, neither list given empty, and each passage from one of
    the item's sources (`kinds.uncited`)."""
    if isinstance(block.get("sources"), list) and not block["sources"]:
        ck.report(f"{path}.sources", "pack.no_sources")
    for n, source in enumerate(_listed(block.get("sources"))):
        _ref(ck, known, f"{path}.sources[{n}]", source, "source")
    evidence = block.get("evidence")
    if isinstance(evidence, list) and not evidence:
        ck.report(f"{path}.evidence", "pack.no_evidence")
    for n, piece in enumerate(_listed(evidence)):
        if isinstance(piece, Mapping):
            _ref(ck, known, f"{path}.evidence[{n}].source", piece.get("source"), "source")
    if ck.reported_under(f"{path}.sources") or ck.reported_under(f"{path}.evidence"):
        return  # an unknown id is the problem to fix: that a list lacks it follows from it
    for n, source in uncited(block):
        ck.report(f"{path}.evidence[{n}].source", "pack.evidence_not_cited", source=source, item=block.get("id", path), sources=", ".join(block["sources"]))


def _ref(ck: Checker, known: Mapping[str, set[str]], path: str, value: Any, kind: str, names: Names | None = None) -> None:
    """An id that names nothing of its kind, with the ids meant (`suggest.closest` of the ids and names), or the few there are.

    A value that is no id at all is its field's own problem (`Checker.ident`), said again with the id meant when it is
    a name (`side: Sweden`) or near one: the writer learns the id from the message, not by searching the file."""
    if not isinstance(value, str) or value in known[kind]:  # known ones first: most are
        return
    ids, near = known[kind], ""
    if len(ids) <= SUGGESTED_AMONG:
        meant = dict(names(kind) if names else ()) | {item_id: item_id for item_id in ids}
        near = ", ".join(dict.fromkeys(meant[name] for name in closest(value, meant)))
    listed = ", ".join(sorted(ids)) if len(ids) <= LISTED_IDS else ""
    if IDENT.fullmatch(value):
        if near:
            ck.report(path, "pack.unknown_ref_near", kind=kind, ref=value, near=near)
        elif listed:
            ck.report(path, "pack.unknown_ref_among", kind=kind, ref=value, known=listed)
        else:
            ck.report(path, "pack.unknown_ref", kind=kind, ref=value)
    elif near:
        ck.reword(path, "pack.bad_id", "pack.bad_ref_near", near=near)
    elif listed:
        ck.reword(path, "pack.bad_id", "pack.bad_ref_among", kind=kind, known=listed)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _unique(ck: Checker, blocks: list[tuple[str, Any]]) -> set[str]:
    """The ids of a section as written; the second and later uses of an id are reported."""
    seen: set[str] = set()
    for path, raw in blocks:
        item_id = raw.get("id") if isinstance(raw, Mapping) else None
        if not isinstance(item_id, str):
            continue
        if item_id in seen:
            ck.report(f"{path}.id", "pack.duplicate_id", ref=item_id)
        seen.add(item_id)
    return seen


def pack_mapping(briefing: Briefing, written: Mapping[str, list[Any]] | None = None) -> dict[str, Any]:
    """The briefing as plain pack data, in the order the format documents; parses back equal.

    `written`: per section, each item's data as its pack gave it where that is already this form (else None), taken as it is.
    """
    data: dict[str, Any] = {"format": PACK_FORMAT}
    if briefing.language != DEFAULT_LANGUAGE:
        data["language"] = briefing.language
    data["briefing"] = head_data(briefing)
    for kind in PACK_KINDS:
        given = written.get(kind.section) if written else None
        items = items_of(briefing, kind)
        data[kind.section] = [item_data(kind, item) for item in items] if given is None else [
            item_data(kind, item) if raw is None else raw for raw, item in zip(given, items, strict=True)
        ]
    return data


def head_data(briefing: Briefing) -> dict[str, Any]:
    """The pack's `briefing:` mapping: id, title, summary, zones, sides, the summary's evidence and the head's translations."""
    head: dict[str, Any] = {
        "id": briefing.id,
        "title": briefing.title,
        "summary": briefing.summary,
        "zones": [{"zone": zone.zone, "label": zone.label} for zone in briefing.zones],
        "sides": {side.id: side_data(side) for side in briefing.sides},
        "evidence": evidence_data(briefing.summary_evidence),
    }
    if briefing.translations:
        head["translations"] = head_translations_data(briefing.translations)
    return head


def with_head(briefing: Briefing, raw: Any, file: str, *, held: bool = False, setting: Collection[str] | None = None) -> Briefing:
    """The briefing with its `briefing:` mapping set to `raw` (as `head_data` writes it), checked as `parse_pack` checks it
    (`held` and `setting` as `with_item` takes them).

    The head names only sources (its evidence) and sides; items that name no zone hold the venue's as their own, so a new
    venue zone leaves them as they are and is the zone of items added after it.
    """
    ck = Checker(file, excused=_excused(held, "briefing", setting))
    head = _briefing_head(ck, raw)
    known = {"source": {source.id for source in briefing.sources}}
    _cited(ck, known, "briefing", {"evidence": raw.get("evidence") if isinstance(raw, Mapping) else None})
    if ck.problems or not head.get("zones"):
        raise ck.error()
    return msgspec.structs.replace(
        briefing, title=head["title"], summary=head["summary"], zones=head["zones"], sides=head["sides"],
        summary_evidence=head.get("evidence", ()), translations=head.get("translations", ()),
    )


def section_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, section: str) -> tuple[list[str], list[str], list[str]]:
    """The ids one list section of two packs' data added, removed and changed (pack data compared as it is):
    what an import's dry run lists and which items the revision log records a load as changing."""
    was = {item["id"]: item for item in (old or {}).get(section) or []}
    now = {item["id"]: item for item in (new or {}).get(section) or []}
    return [i for i in now if i not in was], [i for i in was if i not in now], [i for i in now if i in was and was[i] != now[i]]


def changed_items(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(kind, id) of every item one pack's data adds, removes or changes against another's (None: no pack, as before a
    first load); the briefing's head, its `briefing:` mapping and `language:`, is one item of kind `head` named by the briefing's id."""
    was, now = (old or {}).get("briefing"), (new or {}).get("briefing")
    # The pack's `language:` is the head's too (`set kind:briefing language:` edits it); absent is English.
    relabelled = old is not None and new is not None and old.get("language", DEFAULT_LANGUAGE) != new.get("language", DEFAULT_LANGUAGE)
    head = [(HEAD_LOG, str((now or was or {})["id"]))] if was != now or relabelled else []
    return head + [(kind.name, item_id) for kind in PACK_KINDS for ids in section_changes(old, new, kind.section) for item_id in ids]


def head_translations_data(translations: Translations) -> dict[str, dict[str, Any]]:
    """The head's translations as pack data (sides by id, as `side_data` writes them; labels of zones by the label)."""
    return {
        language: {
            name: {key: side_data(side) for key, side in value} if name == "sides" else dict(value) if isinstance(value, tuple) else value
            for name, value in fields
        }
        for language, fields in translations
    }


def head_translations(data: Mapping[str, Mapping[str, Any]]) -> Translations:
    """The head's translations from what `head_translations_data` wrote (trusted: the store's own)."""
    return tuple(
        (language, tuple((name, _stored_sides(value) if name == "sides" else tuple(value.items()) if isinstance(value, Mapping) else value)
                         for name, value in fields.items()))
        for language, fields in data.items()
    )


def _stored_sides(data: Mapping[str, Any]) -> tuple[tuple[str, Side], ...]:
    """A translation's sides from `side_data`'s form, by id."""
    return tuple(
        (key, Side(key, value["name"], tuple(value["also"])) if isinstance(value, Mapping) else Side(key, value)) for key, value in data.items()
    )


# An item's own path at the start of a problem's (`timeline[4]` of `timeline[4].date`): where its id is named.
_ITEM_PATH = re.compile(r"[a-z_]+\[[0-9]+\]")


def written_ids(blocks: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Each item's id by its path, of the items as written (path, data) that give a valid one (PackError's `ids`)."""
    return {path: raw["id"] for path, raw in blocks
            if isinstance(raw, Mapping) and isinstance(raw.get("id"), str) and IDENT.fullmatch(raw["id"]) and path.endswith("]")}


def item_ids(briefing: Briefing) -> dict[str, str]:
    """Each item's id by its pack path (PackError's `ids`), for problems found in a valid briefing (validate's passages)."""
    return {f"{kind.section}[{n}]": item.id for kind in PACK_KINDS for n, item in enumerate(items_of(briefing, kind))}


def problem_lines(error: PackError, cat: Catalogue) -> list[str]:
    """Each problem as `file: path: message`, in the order found; a problem of the whole file at the reader's word for its top;
    then how many more there were past those listed (MAX_PROBLEMS).

    A path into an item the pack gives an id names it too (`timeline[4] (id visa-row).date`): a position alone sends the
    reader counting entries in a long file.
    """
    lines = [cat("pack.problem", file=p.file, path=_where(p.path, error.ids, cat), message=problem_message(p, cat)) for p in error.problems]
    return [*lines, cat("pack.more_problems", n=error.more)] if error.more else lines


def _where(path: str, ids: Mapping[str, str], cat: Catalogue) -> str:
    """A problem's path as its line shows it: the file's top in words, an item's with its id when it has one."""
    if not path:
        return cat("pack.top")
    item = _ITEM_PATH.match(path) if ids else None
    if item is None or item.group() not in ids:
        return path
    return cat("pack.item_path", path=item.group(), id=ids[item.group()]) + path[item.end():]


def problem_message(problem: PackProblem, cat: Catalogue) -> str:
    """A problem's message in the reader's language, the kinds of value it names (`expected`, `got`) in their words too."""
    params = {
        name: cat(f"value_kind.{value}") if name in ("expected", "got") and cat.has(f"value_kind.{value}") else value
        for name, value in problem.params
    }
    return cat(problem.key, **params)
