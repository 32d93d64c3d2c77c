"""Plain data (a JSON pack's) is checked a column at a time (bot/core/shapes.py): the same briefing, the same problems in
the same order, as item by item, for every bad pack the other pack tests build and for each way an item of a large,
clean section can be wrong (or written loosely but right)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench.core import large_pack
from bot.core.checker import ODD
from bot.core.model import Briefing
from bot.core.pack import pack_mapping, parse_pack, parse_pack_data
from bot.core.shapes import _ODD_ASCII, _SEP, _odd_but_sep
from bot.errors import PackError, PackProblem
from bot.store.packfile import read_pack
from tests.test_pack_validation import CASES, pack

LARGE = large_pack(200, 40, 40)
# Items of the generated sections, which are written clean: one bad one must not pass with its section.
EVENT, PERSON, QUOTE = 150, 30, 30


def outcome(data: Any, plain: bool) -> Briefing | tuple[PackProblem, ...]:
    """What parse_pack makes of the data: the briefing, or every problem in order."""
    try:
        return parse_pack(copy.deepcopy(data), "x.json", plain=plain)
    except PackError as error:
        return tuple(error.problems)


def same_either_way(data: Any) -> Briefing | tuple[PackProblem, ...]:
    """The outcome, checked equal read by columns and item by item."""
    by_columns, one_by_one = outcome(data, plain=True), outcome(data, plain=False)
    assert by_columns == one_by_one
    return by_columns


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_every_bad_pack_case_reports_the_same_problems_in_the_same_order(case: str) -> None:
    data = pack()
    CASES[case][0](data)
    assert not isinstance(same_either_way(data), Briefing)


def test_the_shipped_and_a_large_pack_give_the_same_briefing() -> None:
    assert isinstance(same_either_way(pack()), Briefing)
    assert len(same_either_way(LARGE).timeline) == 214  # type: ignore[union-attr]


def _set(section: str, n: int, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        data[section][n][key] = value

    return mutate


def _drop(section: str, n: int, key: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        del data[section][n][key]

    return mutate


EVIDENCE = [{"source": "cubaheadlines-2026-02-03", "passage": "Generated"}]
# Each is wrong, or right only once `Checker` has tidied it (stripped, line breaks made "\n", a year given as a number).
MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "title padded": _set("timeline", EVENT, "title", "  Padded title \n"),
    "title with a carriage return": _set("timeline", EVENT, "title", "one\r\ntwo"),
    "title with a carriage return, another's with an accent": lambda data: (
        _set("timeline", EVENT, "title", "one\r\ntwo")(data), _set("timeline", EVENT + 1, "title", "Título")(data)),
    "title with a line separator": _set("timeline", EVENT, "title", "one\u2028two"),
    "title with a line feed": _set("timeline", EVENT, "title", "one\ntwo"),
    "detail of two paragraphs": _set("timeline", EVENT, "detail", "One.\n\nTwo."),
    "title with a control character": _set("timeline", EVENT, "title", "one\x00two"),
    "title with a lone surrogate": _set("timeline", EVENT, "title", "one\ud800two"),
    "title with a byte order mark": _set("timeline", EVENT, "title", "\ufeffTitle"),
    "title with a no-break space at its end": _set("timeline", EVENT, "title", "Title\u00a0"),
    "title empty": _set("timeline", EVENT, "title", ""),
    "title blank": _set("timeline", EVENT, "title", " \t "),
    "title too long": _set("timeline", EVENT, "title", "x" * 201),
    "title at its limit": _set("timeline", EVENT, "title", "x" * 200),
    "title a number": _set("timeline", EVENT, "title", 5),
    "title null": _set("timeline", EVENT, "title", None),
    "title missing": _drop("timeline", EVENT, "title"),
    "unknown key": _set("timeline", EVENT, "colour", "red"),
    "id in capitals": _set("timeline", EVENT, "id", "Event-1"),
    "id with a newline": _set("timeline", EVENT, "id", "event-1\n"),
    "id too long": _set("timeline", EVENT, "id", "e" * 65),
    "id a number": _set("timeline", EVENT, "id", 7),
    "id twice": _set("timeline", EVENT, "id", "event-00001"),
    "date a number": _set("timeline", EVENT, "date", 2024),
    "date true": _set("timeline", EVENT, "date", True),
    "date a float": _set("timeline", EVENT, "date", 2024.0),
    "date month 13": _set("timeline", EVENT, "date", "2024-13"),
    "date out of range": _set("timeline", EVENT, "date", "1200"),
    "date a range": _set("timeline", EVENT, "date", "2024-01/2024-03"),
    "date null": _set("timeline", EVENT, "date", None),
    "note empty": _set("timeline", EVENT, "note", ""),
    "note null": _set("timeline", EVENT, "note", None),
    "note padded": _set("timeline", EVENT, "note", " a note "),
    "tags not a list": _set("timeline", EVENT, "tags", "sanctions"),
    "tags null": _set("timeline", EVENT, "tags", None),
    "a tag in capitals": _set("timeline", EVENT, "tags", ["sanctions", "Tariffs"]),
    "a tag holding two lines": _set("timeline", EVENT, "tags", ["sanctions\ntariffs"]),
    "a tag a list": _set("timeline", EVENT, "tags", [["sanctions"]]),
    "people unknown": _set("timeline", EVENT, "people", ["nobody"]),
    "people a mapping": _set("timeline", EVENT, "people", {"a": 1}),
    "sources empty": _set("timeline", EVENT, "sources", []),
    "sources unknown": _set("timeline", EVENT, "sources", ["elsewhere"]),
    "sources null": _set("timeline", EVENT, "sources", None),
    "evidence empty": _set("timeline", EVENT, "evidence", []),
    "evidence null": _set("timeline", EVENT, "evidence", None),
    "evidence of an unknown source": _set("timeline", EVENT, "evidence", [{"source": "elsewhere", "passage": "p"}]),
    "evidence with another key": _set("timeline", EVENT, "evidence", [{**EVIDENCE[0], "page": 3}]),
    "evidence without its passage": _set("timeline", EVENT, "evidence", [{"source": EVIDENCE[0]["source"]}]),
    "evidence padded": _set("timeline", EVENT, "evidence", [{**EVIDENCE[0], "passage": " Generated "}]),
    "evidence a text": _set("timeline", EVENT, "evidence", ["Generated"]),
    "evidence's source unhashable": _set("timeline", EVENT, "evidence", [{"source": ["x"], "passage": "p"}]),
    "a translation": _set("timeline", EVENT, "translations", {"es": {"title": "Título"}}),
    "translations null": _set("timeline", EVENT, "translations", None),
    "item a list": lambda data: data["timeline"].__setitem__(EVENT, ["id"]),
    "item null": lambda data: data["timeline"].__setitem__(EVENT, None),
    "delegation null": _set("people", PERSON, "delegation", None),
    "delegation a number": _set("people", PERSON, "delegation", 1),
    "delegation missing": _drop("people", PERSON, "delegation"),
    "side unknown": _set("people", PERSON, "side", "france"),
    "side unhashable": _set("people", PERSON, "side", ["colombia"]),
    "name padded": _set("people", PERSON, "name", " Person Padded "),
    "role with a line feed": _set("people", PERSON, "role", "Senator\nof Colombia"),
    "words not in the evidence": _set("quotes", QUOTE, "words", "never said"),
    "speaker unknown": _set("quotes", QUOTE, "speaker", "person-9999"),
    "a language": _set("quotes", QUOTE, "language", "es"),
}


@pytest.mark.parametrize("case", list(MUTATIONS), ids=list(MUTATIONS))
def test_each_way_an_item_of_a_clean_section_can_differ_is_read_the_same(case: str) -> None:
    data = copy.deepcopy(LARGE)
    MUTATIONS[case](data)
    same_either_way(data)


def _drop_all(section: str, n: int, *keys: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        for key in keys:
            del data[section][n][key]

    return mutate


def _insert(section: str, n: int, key: str, value: Any, after: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        pairs = list(data[section][n].items())
        at = [name for name, _ in pairs].index(after) + 1
        data[section][n] = dict([*pairs[:at], (key, value), *pairs[at:]])

    return mutate


# Each is valid but written otherwise than `item_data` writes it: the item's pack data must be made from the briefing.
WRITTEN_OTHERWISE: dict[str, Callable[[dict[str, Any]], None]] = {
    "keys in another order": lambda data: data["timeline"].__setitem__(EVENT, dict(reversed(data["timeline"][EVENT].items()))),
    "evidence's keys in another order": _set("timeline", EVENT, "evidence", [{"passage": "Generated", "source": EVIDENCE[0]["source"]}]),
    "a range written loosely": _set("timeline", EVENT, "date", "2024-01 / 2024-03"),
    "a note null in its place": _insert("timeline", EVENT, "note", None, after="detail"),
    "tags left out": _drop("timeline", EVENT, "tags"),
    "people left out": _drop("timeline", EVENT, "people"),
    "an agenda item without its zone (the venue's)": _drop_all("agenda", 0, "zone", "translations"),
}


@pytest.mark.parametrize("case", [*MUTATIONS, *WRITTEN_OTHERWISE], ids=[*MUTATIONS, *WRITTEN_OTHERWISE])
def test_the_pack_data_read_with_a_briefing_is_the_data_it_exports(case: str) -> None:
    data = copy.deepcopy(LARGE)
    {**MUTATIONS, **WRITTEN_OTHERWISE}[case](data)
    try:
        briefing, mapping = parse_pack_data(copy.deepcopy(data), "x.json")
    except PackError:
        assert not isinstance(outcome(data, plain=False), Briefing)
        return
    assert briefing == outcome(data, plain=False)
    # Key order too: a load stores and logs this data's JSON text.
    assert json.dumps(mapping) == json.dumps(pack_mapping(briefing))


def test_the_items_of_a_clean_section_are_taken_as_written() -> None:
    data = copy.deepcopy(LARGE)
    _, mapping = parse_pack_data(data, "x.json")
    taken = {section: sum(a is b for a, b in zip(mapping[section], data[section], strict=True)) for section in ("timeline", "people", "quotes")}
    assert taken == {"timeline": 200, "people": 40, "quotes": 40}  # the generated items; the shipped ones have translations


def test_a_json_pack_is_read_by_columns(tmp_path: Path) -> None:
    # The columns give what the checks do (above); that the JSON reader takes them is seen by its speed alone, so
    # here: a clean large pack read from a file is the one parse_pack gives item by item.
    path = tmp_path / "large.json"
    path.write_text(json.dumps(LARGE), encoding="utf-8")
    assert read_pack(path) == outcome(LARGE, plain=False)


def test_the_column_search_finds_every_odd_character_but_the_separator() -> None:
    odd_text = re.compile(ODD)
    odd = [chr(c) for c in range(0x110000) if odd_text.match(chr(c))]
    assert _SEP in odd
    assert [c for c in odd if _odd_but_sep().match(c)] == [c for c in odd if c != _SEP]
    assert "".join(c for c in odd if c.isascii() and c != _SEP).encode("ascii") == _ODD_ASCII
    assert not _odd_but_sep().search("plain text, with ñ and — and \n")
