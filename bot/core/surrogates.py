"""Lone UTF-16 surrogates: refused where a request enters the core, before anything stores or echoes them.

A Slack JSON payload may carry "\\ud800", which Python decodes into a str that can be neither written
to SQLite, logged to a UTF-8 stream nor sent back to any platform (UnicodeEncodeError). A paired
surrogate is decoded into one real character, so any code point in the range is a lone one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from operator import attrgetter

from bot.core.requests import Request
from bot.errors import UserError

_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(value: object) -> bool:
    """True when a text, or any text inside a mapping or collection, holds a lone surrogate."""
    if isinstance(value, str):
        # An ASCII text (nearly every one) cannot hold one: checked in C without running the pattern.
        return not value.isascii() and _SURROGATE.search(value) is not None
    # Numbers, instants and None hold no text; they and the concrete collections are checked before the
    # Mapping ABC, whose isinstance check is the slow one.
    if value is None or isinstance(value, (int, float, datetime)):
        return False
    if isinstance(value, (tuple, list, set, frozenset)):
        return any(map(has_surrogate, value))
    if isinstance(value, (dict, Mapping)):  # a dict is recognised before the Mapping ABC is asked
        return any(map(has_surrogate, value.keys())) or any(map(has_surrogate, value.values()))
    return False


# Every field, not a chosen few, so a field added to Request later is covered too: sorted once by its declared
# type into texts (checked together), values that cannot hold text, and the rest (mappings, sets: item by item).
# The types as written (requests.py defers its annotations), read without resolving them at import.
_DECLARED = {name: Request.__annotations__[name] for name in Request.__struct_fields__}
_TEXT_FIELDS = tuple(name for name, hint in _DECLARED.items() if hint in ("str", "str | None"))
_OTHER_FIELDS = tuple(name for name, hint in _DECLARED.items() if hint not in ("str", "str | None", "bool", "int", "datetime"))
_TEXTS = attrgetter(*_TEXT_FIELDS)
_ALL_TEXTS = "%s" * len(_TEXT_FIELDS)  # None formats as "None": ASCII, as it holds no text


def refuse_surrogates(request: Request, *texts: str) -> None:
    """Raise a user error when any field of the request, or any of `texts`, holds a lone surrogate."""
    # Every request is checked, so its texts are joined and passed in one C call when all are ASCII, as
    # nearly every one is (field by field, the check was a tenth of a cached answer's time).
    if not (_ALL_TEXTS % _TEXTS(request)).isascii() and has_surrogate(_TEXTS(request)):
        raise UserError("request.broken_text")
    for name in _OTHER_FIELDS:
        value = getattr(request, name)
        if value and has_surrogate(value):  # most requests' roles, many options, are empty
            raise UserError("request.broken_text")
    if texts and has_surrogate(texts):
        raise UserError("request.broken_text")
