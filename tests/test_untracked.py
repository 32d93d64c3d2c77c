"""Structs left out of the cyclic collector (`gc=False`) must never be able to hold a reference cycle."""

from __future__ import annotations

import gc
from types import ModuleType

import msgspec
import msgspec.inspect as mi
import pytest

from bot.core import dates, model, replies
from bot.core.replies import Field, Item, Page, Reply, SourceRef
from bot.core.requests import Request

# A frozen Struct is built complete and never changed, so a cycle through it needs a mutable value inside it
# (a list, a dict, a set, a mutable Struct, some object): these are the types that cannot be one.
IMMUTABLE = (mi.StrType, mi.IntType, mi.BoolType, mi.FloatType, mi.NoneType, mi.DateTimeType, mi.DateType,
             mi.LiteralType, mi.BytesType)
# A translation's values are typed Any, but they are a field's own type (str, tuple of str, tuple of Stake), and a
# briefing is hashed (bot/core/model.py), which fails on a list or a dict anywhere in it.
ANY_ALLOWED = {"translations"}


def _problems(info: mi.Type, where: str, seen: set[type]) -> list[str]:
    """Where a declared type admits a value that could be mutated into a cycle."""
    if isinstance(info, IMMUTABLE):
        return []
    if isinstance(info, mi.UnionType):
        return [p for t in info.types for p in _problems(t, where, seen)]
    if isinstance(info, (mi.VarTupleType, mi.FrozenSetType)):
        return _problems(info.item_type, where, seen)
    if isinstance(info, mi.TupleType):
        return [p for t in info.item_types for p in _problems(t, where, seen)]
    if isinstance(info, mi.AnyType) and where.rsplit(".", 1)[-1] in ANY_ALLOWED:
        return []
    if isinstance(info, mi.StructType):
        return _struct_problems(info.cls, seen)
    return [f"{where}: {type(info).__name__}"]


def _struct_problems(cls: type[msgspec.Struct], seen: set[type]) -> list[str]:
    if cls in seen:
        return []
    seen.add(cls)
    if not cls.__struct_config__.frozen:
        return [f"{cls.__name__} is not frozen"]
    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType)
    return [p for f in info.fields for p in _problems(f.type, f"{cls.__name__}.{f.name}", seen)]


def _untracked_classes(*modules: ModuleType) -> list[type[msgspec.Struct]]:
    return [value for module in modules for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, msgspec.Struct) and value.__module__ == module.__name__
            and not value.__struct_config__.gc]


def test_the_reply_and_model_classes_are_left_out_of_the_collector() -> None:
    names = {cls.__name__ for cls in _untracked_classes(replies, model, dates)}
    assert {"Reply", "Item", "Field", "SourceRef", "Page", "Briefing", "TimelineEvent", "Person", "Session"} <= names


@pytest.mark.parametrize("cls", _untracked_classes(replies, model, dates), ids=lambda cls: cls.__name__)
def test_an_untracked_class_declares_only_immutable_values(cls: type[msgspec.Struct]) -> None:
    assert _struct_problems(cls, set()) == []


def test_the_check_finds_a_class_that_could_hold_a_cycle() -> None:
    """The guard itself: a Request holds a mapping (a dict), and a mutable Struct could be made to point back."""
    assert _struct_problems(Request, set()) == ["Request.options: DictType"]

    class Open(msgspec.Struct):
        parts: tuple[str, ...]

    assert _struct_problems(Open, set()) == ["Open is not frozen"]


def test_a_kept_reply_is_not_walked_by_the_collector() -> None:
    reply = Reply("title", "text", fields=(Field("a", "b"),), items=(Item("t", sources=("s",)),) * 3,
                  sources=(SourceRef("s", "label"),), page=Page(1, 2, "timeline", (("topic", "visa"),)))
    gc.collect()  # young tuples of untracked values are untracked at their first collection
    walked = [o for o in (reply, *reply.fields, *reply.items, *reply.sources, reply.page) if gc.is_tracked(o)]
    assert walked == []
    assert not gc.is_tracked(reply.items) and not gc.is_tracked(reply.fields)
