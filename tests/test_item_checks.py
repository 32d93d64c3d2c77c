"""An admin edit checks only the item it adds or changes (`pack.with_item`): it must accept, refuse and report exactly
what checking the whole pack (`parse_pack`) does with that item put in its place."""

from __future__ import annotations

from typing import Any

import msgspec.structs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.admin.edits import edit_pack
from bot.core.catalogue import Catalogue
from bot.core.kinds import PACK_KINDS, Kind, item_data, items_of
from bot.core.model import Briefing
from bot.core.pack import pack_mapping, parse_pack, with_item, without_item
from bot.errors import PackError, UserError
from bot.store.packfile import read_pack_text
from tests.conftest import PACK

SHIPPED: Briefing = read_pack_text(PACK.read_text(encoding="utf-8"), str(PACK))
IDS = [*sorted({i.id for kind in PACK_KINDS for i in items_of(SHIPPED, kind)} | {s.id for s in SHIPPED.sides}), "nobody-known"]
PASSAGES = sorted({piece.passage for kind in PACK_KINDS if kind.name != "source" for i in items_of(SHIPPED, kind) for piece in i.evidence})
WORDS = ["2026-02-03", "2026-02", "2026", "2026-02-03T15:00", "13:30", "America/Bogota", "Nowhere/Zone", "scheduled",
         "cancelled", "en", "es", "https://example.org/a", "", "Not An Id"]
SCALAR = st.one_of(st.sampled_from(IDS + WORDS + PASSAGES[:3]), st.text(max_size=20), st.integers(-1, 3000), st.booleans(), st.none())
PIECE = st.fixed_dictionaries({"source": st.sampled_from(IDS), "passage": st.sampled_from(PASSAGES) | st.text(max_size=12)})
STAKE = st.fixed_dictionaries({"party": st.sampled_from(IDS), "text": st.text(max_size=12)})
NAMES = sorted({f.name for kind in PACK_KINDS for f in kind.fields_all} | {"unknown"})
TRANSLATED = st.dictionaries(st.sampled_from(["es", "en", "xx"]), st.dictionaries(st.sampled_from(NAMES), SCALAR | st.lists(SCALAR, max_size=2), max_size=2), max_size=2)
VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=3), st.lists(PIECE, max_size=2), st.lists(STAKE, max_size=2), TRANSLATED)


def outcome(check: Any) -> Any:
    """The briefing a check gives, or its problems as (path, key, params), in order."""
    try:
        return check()
    except PackError as error:
        return [(p.file, p.path, p.key, dict(p.params)) for p in error.problems]


def whole(briefing: Briefing, kind: Kind, position: int, raw: Any) -> Any:
    """What checking the whole pack makes of the item put at `position` (at the end: added)."""
    data = pack_mapping(briefing)
    data[kind.section][position : position + 1] = [raw]
    return outcome(lambda: parse_pack(data, "edit"))


@st.composite
def changes(draw: st.DrawFn) -> tuple[Kind, int, Any]:
    """An item of some kind, at its place or added at the end, with one field set, dropped or added."""
    kind = draw(st.sampled_from(PACK_KINDS))
    items = items_of(SHIPPED, kind)
    position = draw(st.integers(0, len(items)))
    raw = item_data(kind, items[min(position, len(items) - 1)])
    if position == len(items):
        raw["id"] = draw(st.sampled_from(["a-new-one", items[0].id]))  # a new id, or one its kind has already
    name = draw(st.sampled_from([*(f.name for f in kind.fields_all), "unknown"]))
    if draw(st.booleans()):
        raw.pop(name, None)
    else:
        raw[name] = draw(VALUE)
    return kind, position, raw


@given(changes())
@settings(max_examples=800)
def test_an_item_is_checked_as_the_whole_pack_would_check_it(change):
    kind, position, raw = change
    assert outcome(lambda: with_item(SHIPPED, kind, position, raw, "edit")) == whole(SHIPPED, kind, position, raw)


REMOVALS = [(kind, n) for kind in PACK_KINDS for n in range(len(items_of(SHIPPED, kind)))]


@pytest.mark.parametrize(("kind", "position"), REMOVALS, ids=[f"{k.section}[{n}]" for k, n in REMOVALS])
def test_a_removal_is_checked_as_the_whole_pack_would_check_it(kind, position):
    """Some removals are refused (a person a quote names, a source cited, the only session): exactly those."""
    data = pack_mapping(SHIPPED)
    data[kind.section].pop(position)
    assert outcome(lambda: without_item(SHIPPED, kind, position, "edit")) == outcome(lambda: parse_pack(data, "edit"))


def test_removing_the_only_session_is_refused():
    session = next(k for k in PACK_KINDS if k.name == "session")
    one = msgspec.structs.replace(SHIPPED, sessions=SHIPPED.sessions[:1])
    assert [(path, key) for _, path, key, _ in outcome(lambda: without_item(one, session, 0, "edit"))] == [("sessions", "pack.empty")]


@pytest.mark.parametrize(("kind", "field", "value", "path"), [
    ("quotes", "speaker", "nobody-known", "quotes[0].speaker"),
    ("timeline", "people", ["ivan-cepeda", "nobody-known"], "timeline[0].people[1]"),
    ("people", "side", "nowhere", "people[0].side"),
    ("faq", "sources", ["nobody-known"], "faq[0].sources[0]"),
    ("faq", "evidence", [{"source": "nobody-known", "passage": "Petro has crafted a diverse agenda in Washington."}], "faq[0].evidence[0].source"),
])
def test_an_item_naming_what_the_briefing_lacks_is_refused_at_its_path(kind, field, value, path):
    (section,) = [k for k in PACK_KINDS if k.section == kind]
    raw = item_data(section, items_of(SHIPPED, section)[0]) | {field: value}
    assert [(p.path, p.key) for p in outcome_error(section, 0, raw)] == [(path, "pack.unknown_ref_among")]  # the few there are, listed


def test_an_added_item_with_an_id_its_kind_has_is_refused():
    faq = next(k for k in PACK_KINDS if k.name == "faq")
    raw = item_data(faq, SHIPPED.faq[0])
    position = len(SHIPPED.faq)
    assert [(p.path, p.key) for p in outcome_error(faq, position, raw)] == [(f"faq[{position}].id", "pack.duplicate_id")]


def outcome_error(kind: Kind, position: int, raw: Any) -> tuple[Any, ...]:
    with pytest.raises(PackError) as caught:
        with_item(SHIPPED, kind, position, raw, "edit")
    return caught.value.problems


def test_an_item_refused_names_its_problem_by_field_as_before():
    """A form shows each refused field's problem beside it, as when the whole pack was checked."""
    quote = next(k for k in PACK_KINDS if k.name == "quote")
    with pytest.raises(UserError) as caught:
        edit_pack(SHIPPED, quote, SHIPPED.quotes[0].id, "edit", {"speaker": "nobody-known"}, Catalogue(), "")
    people = ", ".join(sorted(person.id for person in SHIPPED.people))
    assert caught.value.field_errors == {"speaker": Catalogue()("pack.unknown_ref_among", kind="person", ref="nobody-known", known=people)}
