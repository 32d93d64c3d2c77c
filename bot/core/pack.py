"""A briefing pack (plain data, as read from YAML) to a validated Briefing, and back.

`parse_pack` reports every problem at once — unknown keys, wrong types, bad dates and zones,
duplicate and dangling ids — and returns nothing unless the whole pack is valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.catalogue import Catalogue
from bot.core.checker import IDENT, Checker
from bot.core.fields import evidence, evidence_data
from bot.core.i18n import CLDR_LOCALES, DEFAULT_LANGUAGE
from bot.core.kinds import LIST_KINDS, PACK_KINDS, Kind, item_data, items_of, parse_item
from bot.core.model import Briefing, Side, Translations, Zone
from bot.errors import PackError

PACK_FORMAT = 1
# The largest pack file or upload read, in bytes. Packs are a few dozen kilobytes; this leaves ample
# room and keeps reading `/dev/zero` or a runaway upload bounded. Every reader and adapter uses it.
MAX_PACK_BYTES = 1_000_000
_SECTIONS = ("format", "briefing", *(kind.section for kind in PACK_KINDS), "language")


def parse_pack(data: Any, file: str) -> Briefing:
    """Validate a whole pack; raise PackError listing every problem, each with file and path."""
    ck = Checker(file)
    root = ck.mapping(data, "", _SECTIONS[:4], _SECTIONS[4:])
    if root is None:
        raise PackError(ck.problems)
    if type(root.get("format")) is not int or root.get("format") != PACK_FORMAT:
        ck.report("format", "pack.bad_format", supported=PACK_FORMAT)
    language = root.get("language", DEFAULT_LANGUAGE)
    if language not in CLDR_LOCALES:
        ck.report("language", "pack.unknown_language", languages=", ".join(CLDR_LOCALES))
    head = _briefing_head(ck, root.get("briefing"))
    venue_zone = head["venue"].zone if head.get("venue") else None
    sections = {kind.section: _section(ck, root, kind, venue_zone) for kind in PACK_KINDS}
    _check_references(ck, root, head)
    if ck.problems or sections["meeting"] is None or "venue" not in head or "home" not in head:
        raise PackError(ck.problems)
    return Briefing(
        id=head["id"],
        title=head["title"],
        summary=head["summary"],
        venue=head["venue"],
        home=head["home"],
        sides=head["sides"],
        summary_evidence=head.get("evidence", ()),
        language=language,
        translations=head.get("translations", ()),
        **sections,
    )


def _briefing_head(ck: Checker, raw: Any) -> dict[str, Any]:
    head: dict[str, Any] = {}
    block = ck.mapping(raw, "briefing", ("id", "title", "summary", "zones", "sides", "evidence"), ("translations",))
    if block is None:
        return head
    head["translations"] = _head_translations(ck, block.get("translations"), block)
    head["evidence"] = evidence(ck, block.get("evidence"), "briefing.evidence")
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


def _head_translations(ck: Checker, raw: Any, block: Mapping[str, Any]) -> Translations:
    """`briefing.translations`: per language, the title, summary, and labels of sides and zones by id."""
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        ck.report("briefing.translations", "pack.expected", expected="a mapping of language to translated fields", got=type(raw).__name__)
        return ()
    sides: tuple[str, ...] = tuple(block["sides"]) if isinstance(block.get("sides"), Mapping) else ()
    found = []
    for language, fields in raw.items():
        path = f"briefing.translations.{language}"
        if language not in CLDR_LOCALES:
            ck.report(path, "pack.unknown_language", languages=", ".join(CLDR_LOCALES))
            continue
        checked = ck.mapping(fields, path, (), ("title", "summary", "sides", "zones"))
        if not checked:
            continue
        values: list[tuple[str, Any]] = []
        for name, limit in (("title", 200), ("summary", 4000)):
            if name in checked and (text := ck.text(checked[name], f"{path}.{name}", limit=limit)):
                values.append((name, text))
        for name, known in (("sides", sides), ("zones", ("venue", "home"))):
            if name in checked and known and (labels := ck.mapping(checked[name], f"{path}.{name}", (), known)):
                pairs = ((str(key), ck.text(label, f"{path}.{name}.{key}", limit=80)) for key, label in labels.items() if key in known)
                values.append((name, tuple((key, text) for key, text in pairs if text)))
        found.append((str(language), tuple(values)))
    return tuple(found)


def _section(ck: Checker, root: Mapping[str, Any], kind: Kind, venue_zone: str | None) -> Any:
    """The meeting (None when it is not a mapping), or a list section's items in pack order."""
    if kind.single:
        block = ck.mapping(root.get(kind.section), kind.section, kind.required, kind.optional)
        return None if block is None else parse_item(ck, block, kind.section, kind, venue_zone)
    found = []
    for n, raw in enumerate(ck.sequence(root.get(kind.section), kind.section)):
        path = f"{kind.section}[{n}]"
        block = ck.mapping(raw, path, kind.required, kind.optional)
        if block is not None:
            found.append(parse_item(ck, block, path, kind, venue_zone))
    return tuple(found)


def _check_references(ck: Checker, root: Mapping[str, Any], head: dict[str, Any]) -> None:
    """Duplicate ids, and ids that point at no source, person or side, each reported with its path.

    Works on the items as written, so an item with another problem still has its references checked
    and every path names the entry's own position in the file. What a field names is its `refers`.
    """
    known = {kind.name: _unique(ck, kind.section, root.get(kind.section)) for kind in LIST_KINDS}
    known["side"] = {side.id for side in head.get("sides", ())}

    def ref(path: str, value: Any, kind: str) -> None:
        if isinstance(value, str) and IDENT.fullmatch(value) and value not in known[kind]:
            ck.report(path, "pack.unknown_ref", kind=kind, ref=value)

    def listed(value: Any) -> list[Any]:
        return value if isinstance(value, list) else []

    def cited(path: str, block: Mapping[str, Any]) -> None:
        if isinstance(block.get("sources"), list) and not block["sources"]:
            ck.report(f"{path}.sources", "pack.no_sources")
        for n, source in enumerate(listed(block.get("sources"))):
            ref(f"{path}.sources[{n}]", source, "source")
        evidence = block.get("evidence")
        if isinstance(evidence, list) and not evidence:
            ck.report(f"{path}.evidence", "pack.no_evidence")
        for n, piece in enumerate(listed(evidence)):
            if isinstance(piece, Mapping):
                ref(f"{path}.evidence[{n}].source", piece.get("source"), "source")

    def named(path: str, block: Mapping[str, Any], kind: Kind) -> None:
        """Every field that names a person or a side (sources and evidence are `cited`)."""
        for f in kind.fields_all:
            if f.refers is None or f.refers == "source":
                continue
            value = block.get(f.name)
            if f.type == "ident":
                ref(f"{path}.{f.name}", value, f.refers)
            elif f.type == "stakes":
                for n, stake in enumerate(listed(value)):
                    if isinstance(stake, Mapping):
                        ref(f"{path}.{f.name}[{n}].party", stake.get("party"), f.refers)
            else:
                for n, one in enumerate(listed(value)):
                    ref(f"{path}.{f.name}[{n}]", one, f.refers)

    if isinstance(root.get("briefing"), Mapping):
        cited("briefing", {"evidence": root["briefing"].get("evidence")})
    for kind in PACK_KINDS:
        blocks = [root.get(kind.section)] if kind.single else listed(root.get(kind.section))
        for n, block in enumerate(blocks):
            if not isinstance(block, Mapping):
                continue
            path = kind.section if kind.single else f"{kind.section}[{n}]"
            if kind.name != "source":  # a source is what is cited
                cited(path, block)
            named(path, block, kind)


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
    data: dict[str, Any] = {"format": PACK_FORMAT}
    if briefing.language != DEFAULT_LANGUAGE:
        data["language"] = briefing.language
    data |= {
        "briefing": {
            "id": briefing.id,
            "title": briefing.title,
            "summary": briefing.summary,
            "zones": {
                "venue": {"zone": briefing.venue.zone, "label": briefing.venue.label},
                "home": {"zone": briefing.home.zone, "label": briefing.home.label},
            },
            "sides": {side.id: side.label for side in briefing.sides},
            "evidence": evidence_data(briefing.summary_evidence),
        },
    }
    if briefing.translations:
        data["briefing"]["translations"] = head_translations_data(briefing.translations)
    for kind in PACK_KINDS:
        items = [item_data(kind, item) for item in items_of(briefing, kind)]
        data[kind.section] = items[0] if kind.single else items
    return data


def head_translations_data(translations: Translations) -> dict[str, dict[str, Any]]:
    """The head's translations as pack data (labels of sides and zones as mappings by id)."""
    return {
        language: {name: dict(value) if isinstance(value, tuple) else value for name, value in fields}
        for language, fields in translations
    }


def head_translations(data: Mapping[str, Mapping[str, Any]]) -> Translations:
    """The head's translations from what `head_translations_data` wrote (trusted: the store's own)."""
    return tuple(
        (language, tuple((name, tuple(value.items()) if isinstance(value, Mapping) else value) for name, value in fields.items()))
        for language, fields in data.items()
    )


def problem_lines(error: PackError, cat: Catalogue) -> list[str]:
    """Each problem as `file: path: message`, in the order found."""
    return [
        cat("pack.problem", file=p.file, path=p.path or "(top)", message=cat(p.key, **dict(p.params)))
        for p in error.problems
    ]
