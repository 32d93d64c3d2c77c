"""The store's typed decoders of people and quotes (bot/store/rows.py) give back every field of the kind, not just its names.

A field added to the kind and to `_StoredPerson` but left out of the `Person(...)` call passed mypy and a check of field
names, and was dropped on every read; built by position, a field added to the model anywhere but last took its
neighbour's value. No code builds a kind's model by position now.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import msgspec
import orjson
import pytest

from bot.core.dates import FuzzyDate
from bot.core.fields import Field
from bot.core.kinds import KINDS, decode, item_data
from bot.core.model import Evidence, Stake
from bot.store import rows

TYPED = {"person": rows._StoredPerson, "quote": rows._StoredQuote}
BOT = Path(__file__).resolve().parent.parent / "bot"


def _sample(f: Field) -> Any:
    """A value of the field's type that is not its default, so a value dropped on the way back shows."""
    samples: dict[str, Any] = {
        "text": f"{f.name} text", "optional_text": f"{f.name} text", "ident": f"{f.name}-id", "idents": (f"{f.name}-a", f"{f.name}-b"),
        "texts": (f"{f.name} one", f"{f.name} two"), "date": FuzzyDate.parse("2025-10-03"), "optional_date": FuzzyDate.parse("2025-10"),
        "boolean": not f.default, "evidence": (Evidence(f"{f.name}-source", f"{f.name} passage"),), "language": "pt",
        "stakes": (Stake("a-party", f"{f.name} stake"),), "clock": "09:30", "zone": "America/Bogota", "url": "https://example.org/a",
        "choice": f.choices[-1] if f.choices else None,
    }
    assert f.type in samples, f"add a sample value of type {f.type!r} (field {f.name!r}) to _sample in {__file__}"
    return samples[f.type]


def _every_field_set(kind_name: str) -> Any:
    """An item of the kind with every field set, translations of every translatable field included."""
    kind = KINDS[kind_name]
    values = {f.attr: _sample(f) for f in kind.fields_all if f.type != "translations"}
    translated = tuple((f.name, _sample(f)) for f in kind.fields_all if f.translatable)
    values["translations"] = (("es", translated),)
    for f in kind.fields_all:
        assert values[f.attr] not in (None, "", (), f.default), f"{kind_name}.{f.name}: the sample must differ from the default"
    return kind.model(**values)


@pytest.mark.parametrize("kind", TYPED)
def test_the_typed_decoder_gives_back_every_field_of_the_kind(kind: str) -> None:
    """Written as the store writes a row, read through `_typed` and through the slow path `decode`: the same item, every field kept."""
    item = _every_field_set(kind)
    text = orjson.dumps(item_data(KINDS[kind], item)).decode()
    try:  # read by msgspec, not sent to `decode` as a row it does not know
        rows._TYPED[kind].decode(text)
    except msgspec.ValidationError as error:
        pytest.fail(f"bot/store/rows.py {TYPED[kind].__name__} cannot read a stored {kind} ({error}): add the kind's field to it and to `_typed`")
    typed = rows._typed(KINDS[kind], text)
    assert typed == decode(KINDS[kind], orjson.loads(text)) == item, (
        f"bot/store/rows.py `_typed` drops or misplaces a {kind} field: build the model there from every field of {TYPED[kind].__name__}"
    )


@pytest.mark.parametrize(("kind", "stored"), TYPED.items())
def test_the_typed_decoders_hold_the_kinds_fields(kind: str, stored: type[msgspec.Struct]) -> None:
    """The stored shapes follow the one definition of each kind: a field added to the kind fails here until they follow it."""
    expected = {f.name for f in KINDS[kind].fields_all}
    assert set(stored.__struct_fields__) == expected, (
        f"bot/store/rows.py {stored.__name__} lacks {sorted(expected - set(stored.__struct_fields__))} "
        f"and has {sorted(set(stored.__struct_fields__) - expected)} beyond the kind's fields: add each to it and to `_typed`"
    )
    assert stored.__struct_config__.forbid_unknown_fields  # meanwhile a row holding it goes through `decode`


def test_no_kinds_model_is_built_by_argument_position() -> None:
    """`Person(p.id, p.name, …)` gave a field added to the model before `translations` the item's translations: by keyword,
    a field left out is its default or an error, never another field's value."""
    models = {kind.model.__name__ for kind in KINDS.values()}
    found = []
    for path in sorted(BOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in models:
                found.append(f"{path.relative_to(BOT.parent)}:{node.lineno} {name}(…)")
    assert models >= {"Person", "Quote"} and not found, f"build each kind's model by keyword, never by position: {found}"
