"""Lone UTF-16 surrogates: refused where a request enters the core, before anything stores or echoes them.

A Slack JSON payload may carry "\\ud800", which Python decodes into a str that can be neither written
to SQLite, logged to a UTF-8 stream nor sent back to any platform (UnicodeEncodeError). A paired
surrogate is decoded into one real character, so any code point in the range is a lone one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

import msgspec
from msgspec.structs import astuple

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


# Every field and every text inside one (options, roles), a field added to Request later too, in one C call: UTF-8
# has no form for a lone surrogate, so encoding the request fails on one and on nothing else (field by field, the
# check was a tenth of a first asking's shared floor).
_ENCODE = msgspec.json.Encoder().encode


def refuse_surrogates(request: Request, *texts: str) -> None:
    """Raise a user error when any field of the request, or any of `texts`, holds a lone surrogate."""
    try:
        _ENCODE((request, texts))
    except UnicodeEncodeError:
        raise UserError("request.broken_text") from None
    except TypeError:  # a field JSON has no form for (a Mapping that is not a dict): walked value by value
        if has_surrogate(astuple(request)) or has_surrogate(texts):
            raise UserError("request.broken_text") from None
