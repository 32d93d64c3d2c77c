"""A pack section written clean, checked a column at a time, so a large pack validates in far less time (issue #18 §2).

`kinds.parse_item` checks an item field by field in Python, slow over a large pack's items. Most items of a large pack
are written as the checks would leave them, so `clean_items` checks each field down the whole section at
once (every text stripped, within its limit and free of the characters `Checker.text` refuses or rewrites,
by one search of the column joined; every id by one match of the column's distinct ids joined; each
distinct date parsed once) and builds the items with the very values `parse_item` would give. An item
giving a field the columns do not read (a zone, a start, a translation) is left to `parse_item`, and so is
every item of the section when a column holds anything the columns are not sure of: every problem is then
found and worded by the same code, in the same order. Only plain data is read this way (what a JSON reader
gives), so a list is always a `list`. `references_known` does the same for `pack._check_references`.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping, Sequence
from functools import cache
from itertools import chain, filterfalse, islice
from typing import Any, NamedTuple

from bot.core.checker import IDENT, MAX_TEXT, ODD
from bot.core.dates import FuzzyDate
from bot.core.fields import Field
from bot.core.kinds import PACK_KINDS, Kind, uncited
from bot.core.model import Evidence

_MISSING = object()
_SEP = "\x00"  # joins a text column: refused in any text (a control character), so one in a text is seen by its count
# The odd characters an ASCII text can hold, but the separator: tests/test_pack_columns.py checks them against ODD.
_ODD_ASCII = bytes([*range(0x01, 0x09), 0x0B, 0x0C, 0x0D, *range(0x0E, 0x20), 0x7F])
_IDENTS = re.compile(rf"{IDENT.pattern}(?:\n{IDENT.pattern})*")
# What an optional field the columns do not read is when absent (`parse_item` for an absent key; a zone: the venue's).
_ABSENT: dict[str, Any] = {"translations": (), "start": None, "url": None, "clock": None, "language": None}


@cache
def _odd_but_sep() -> re.Pattern[str]:
    """The checker's odd characters but the separator, compiled at the first pack checked (a 64K table, as the checker's)."""
    return re.compile(ODD.replace("\x00-", "\x01-", 1))  # tests/test_pack_columns.py checks it takes out only \x00


def clean_texts(texts: Sequence[Any], limit: int, line: bool = False) -> bool:
    """Whether every value is a str that `Checker.text` returns as it is: non-empty, stripped, at most `limit` long, and
    of one line when `line` (the other breaks are odd characters)."""
    if not texts:
        return True
    if set(map(type, texts)) != {str} or max(map(len, texts)) > limit or min(map(len, texts)) == 0:
        return False
    if not all(map(operator.is_, map(str.strip, texts), texts)):  # CPython's strip gives back the very str when it takes nothing off (else: the slow way, still right)
        return False
    joined = _SEP.join(texts)
    return joined.count(_SEP) == len(texts) - 1 and not (line and "\n" in joined) and _free_of_odd(texts, joined)


def _free_of_odd(texts: Sequence[str], joined: str) -> bool:
    """Whether the texts (and `joined`, the same joined) hold none of the checker's odd characters but the separator.

    The ASCII ones (most texts: CPython knows it without a scan) are checked by deleting those characters from their
    bytes; the pattern's search, for the rest, reads every character, which adds up over a large timeline's details.
    """
    if not joined.isascii():
        if _odd_but_sep().search(_SEP.join(filterfalse(str.isascii, texts))):
            return False
        joined = _SEP.join(filter(str.isascii, texts))
    data = joined.encode("ascii")
    return len(data.translate(None, _ODD_ASCII)) == len(data)


def clean_idents(values: Sequence[Any]) -> bool:
    """Whether every value is a str matching IDENT (each distinct one checked once)."""
    if not values:
        return True
    if set(map(type, values)) != {str}:
        return False
    distinct = set(values)
    joined = "\n".join(distinct)
    return joined.count("\n") == len(distinct) - 1 and _IDENTS.fullmatch(joined) is not None


def _lists(cells: list[Any]) -> list[list[Any]] | None:
    """A list column, an absent or null list empty (as `Checker.sequence` reads it); None if a cell is no list."""
    found = cells if _MISSING not in cells and None not in cells else [[] if cell is _MISSING or cell is None else cell for cell in cells]
    return found if all(type(cell) is list for cell in found) else None


def _dates(cells: list[Any]) -> list[FuzzyDate | None] | None:
    """An optional date column as `Checker.optional_date` reads it; None if any is not a good date."""
    texts: list[str | None] = [None if cell is _MISSING or cell is None else str(cell) if type(cell) is int else cell for cell in cells]
    if not set(map(type, texts)) <= {str, type(None)}:  # before the set of them: a list or mapping is no key
        return None
    parsed: dict[str | None, FuzzyDate | None] = {None: None}
    for text in {text for text in texts if text is not None}:
        try:
            parsed[text] = FuzzyDate.parse(text)
        except ValueError:
            return None
    return [parsed[text] for text in texts]


def _evidence(cells: list[Any]) -> list[tuple[Evidence, ...]] | None:
    """An evidence column: each a list of {source, passage}; None unless every piece is written clean."""
    lists = _lists(cells)
    if lists is None:
        return None
    pieces = list(chain.from_iterable(lists))
    if set(map(type, pieces)) - {dict} or {frozenset(piece) for piece in pieces} - {frozenset(("source", "passage"))}:
        return None
    sources, passages = [p["source"] for p in pieces], [p["passage"] for p in pieces]
    if not clean_idents(sources) or not clean_texts(passages, MAX_TEXT):
        return None
    made = iter(list(map(Evidence, sources, passages)))
    return [tuple(islice(made, len(cell))) for cell in lists]


def _reads(f: Field) -> bool:
    """Whether `_column` reads this field (the rest stay absent from an item read by columns)."""
    return f.type in ("optional_text", "ident", "idents", "texts", "optional_date", "evidence", "boolean") or (f.type == "text" and not f.empty)


def _column(f: Field, cells: list[Any], venue_zone: str | None) -> list[Any] | None:
    """The model's values of one field down a section, as `parse_item` reads them; None when not sure."""
    kind = f.type
    if kind == "text" and not f.empty:
        return cells if clean_texts(cells, f.limit, f.line) else None  # a missing key is _MISSING, no str: refused
    if kind == "optional_text":
        given = [cell for cell in cells if cell is not _MISSING and cell is not None]
        return [f.default if cell is _MISSING or cell is None else cell for cell in cells] if clean_texts(given, f.limit, f.line) else None
    if kind == "ident":
        return cells if clean_idents(cells) else None
    if kind in ("idents", "texts"):
        lists = _lists(cells)
        flat = list(chain.from_iterable(lists or ()))
        fine = lists is not None and (clean_idents(flat) if kind == "idents" else clean_texts(flat, 500, line=True))
        return [tuple(cell) for cell in lists] if fine and lists is not None else None
    if kind == "optional_date":
        return _dates(cells)
    if kind == "evidence":
        return _evidence(cells)
    if kind == "boolean":
        found = [f.default if cell is _MISSING else cell for cell in cells]
        return found if set(map(type, found)) <= {bool} else None
    if kind == "zone" and not f.required:  # a field not read: no item read by columns gives it
        return [venue_zone] * len(cells)
    if kind in _ABSENT and not f.required:
        return [_ABSENT[kind]] * len(cells)
    return None


class Clean(NamedTuple):
    """A section's items read by columns, by position; `as_exported`: each one's data is what `item_data` gives for it."""

    items: dict[int, Any]
    as_exported: bool


def clean_items(blocks: list[tuple[str, Any]], kind: Kind, venue_zone: str | None) -> Clean:
    """The items of a section written clean, by position, as `parse_item` gives them; the rest (or all) left to it.

    An item giving a field the columns do not read is left out; when any column holds a value they are not
    sure of, every item is (a problem is then reported by `parse_item`, in order).
    """
    unread = {f.name for f in kind.fields_all if not _reads(f)}
    allowed, required = frozenset((*kind.required, *kind.optional)), frozenset(kind.required)
    chosen = [n for n, (_, raw) in enumerate(blocks) if type(raw) is dict and unread.isdisjoint(raw)]
    raws = [blocks[n][1] for n in chosen]
    key_orders = set(map(tuple, raws))
    if not raws or any(not required <= frozenset(keys) <= allowed for keys in key_orders):
        return Clean({}, False)
    place = {f.name: n for n, f in enumerate(kind.fields_all)}
    as_exported = all(list(keys) == sorted(keys, key=place.__getitem__) for keys in key_orders)
    columns: dict[str, list[Any]] = {}
    for f in kind.fields_all:
        cells = [raw.get(f.name, _MISSING) for raw in raws]
        found = _column(f, cells, venue_zone)
        if found is None:
            return Clean({}, False)
        columns[f.attr] = found
        as_exported = as_exported and _exported_as_written(f, cells)
    order: tuple[str, ...] = getattr(kind.model, "__struct_fields__", ())
    if set(order) != set(columns):
        return Clean({}, False)
    return Clean(dict(zip(chosen, map(kind.model, *(columns[attr] for attr in order)), strict=True)), as_exported)


def _exported_as_written(f: Field, cells: list[Any]) -> bool:
    """Whether `item_data` writes this field of each clean item as its cell holds it: the key there exactly when written, the value unchanged.

    `item_data` leaves out an optional field that is None or "" and writes the rest, defaults included (`tags: []`).
    """
    if f.type == "optional_date":  # a year given as a number, or a range written loosely, is written as the date's text
        return None not in cells and all(type(cell) is str and FuzzyDate.parse(cell).text == cell for cell in set(cells) - {_MISSING})
    if f.type == "evidence":
        return None not in cells and set(map(tuple, chain.from_iterable(cells))) <= {("source", "passage")}
    if f.type in ("idents", "texts", "boolean"):
        return None not in cells and _MISSING not in cells
    if f.type == "optional_text":
        return None not in cells
    return f.type != "zone"  # a field the columns do not read is absent: written only when it is a zone (the venue's)


def references_known(blocks: Mapping[str, list[tuple[str, Any]]], sides: set[str], briefing: Any) -> bool:
    """Whether `pack._check_references` would find nothing: ids unique, every reference known, no list of sources
    or evidence empty. Checked a column at a time; False when not sure (that check then runs and reports)."""
    raws = {kind.name: [raw for _, raw in blocks[kind.name] if type(raw) is dict] for kind in PACK_KINDS}
    known: dict[str, set[Any]] = {"side": sides}
    for kind in PACK_KINDS:
        ids = [item_id for raw in raws[kind.name] if type(item_id := raw.get("id")) is str]
        known[kind.name] = set(ids)
        if len(known[kind.name]) < len(ids):
            return False
    try:
        if type(briefing) is dict and not _cited([{"evidence": briefing.get("evidence")}], known["source"]):
            return False
        for kind in PACK_KINDS:
            if kind.name != "source" and not _cited(raws[kind.name], known["source"]):
                return False
            for f in kind.fields_all:
                if f.refers is None or f.refers == "source":
                    continue
                cells = [raw.get(f.name) for raw in raws[kind.name]]
                if f.type == "ident":
                    named: set[Any] = set(cells)
                elif f.type == "stakes":
                    named = {stake.get("party") for stake in chain.from_iterable(_listed(cells)) if type(stake) is dict}
                else:
                    named = set(chain.from_iterable(_listed(cells)))
                if not named <= known[f.refers]:
                    return False
    except TypeError:  # an unhashable value where an id belongs
        return False
    return True


def _listed(cells: list[Any]) -> list[list[Any]]:
    """The cells that are lists (the reference check passes over the rest)."""
    return [cell for cell in cells if type(cell) is list]


def _cited(raws: list[dict[str, Any]], sources: set[Any]) -> bool:
    """Whether every item's sources and evidence lists are non-empty and name known sources, each passage one of its item's."""
    listed = _listed([raw.get("sources") for raw in raws])
    evidence = _listed([raw.get("evidence") for raw in raws])
    if not all(listed) or not all(evidence):
        return False
    pieces = {piece.get("source") for piece in chain.from_iterable(evidence) if type(piece) is dict}
    return set(chain.from_iterable(listed)) <= sources and pieces <= sources and not any(map(uncited, raws))
