"""The "Source passage" menu under a Slack answer: pick an item, privately get the passage behind it (`why`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from bot.core.catalogue import Catalogue
from bot.core.replies import Item

# One choice of the menu, as Block Kit takes it.
Option = dict[str, Any]

WHY_ACTION = "briefbot_why"
# Block Kit's limits on a static select: options, option text and option value.
MAX_OPTIONS, OPTION_TEXT, OPTION_VALUE = 100, 75, 150
# What a picked value may be: `summary`, `meeting` or `kind/id`. The payload is the user's to forge,
# so anything else never reaches the core as a command line.
REF = re.compile(r"[a-z]+(/[a-z0-9][a-z0-9_-]{0,63})?")


def passage_menu(options: Iterable[Option | None], cat: Catalogue) -> dict[str, Any] | None:
    """A static select of the answer's items' options (`item_option`, None for an item without a passage); None when none has."""
    shown = list(filter(None, options))[:MAX_OPTIONS]
    if not shown:
        return None
    return {"type": "static_select", "action_id": WHY_ACTION, "placeholder": _placeholder(cat), "options": shown}


@lru_cache(maxsize=8)  # one per language, under list after list (nothing changes a block once written)
def _placeholder(cat: Catalogue) -> dict[str, str]:
    return _plain(cat("why.menu"))


def item_option(item: Item) -> Option | None:
    """The item's option in the menu; None when it names no passage to show."""
    if not (item.ref and REF.fullmatch(item.ref) and len(item.ref) <= OPTION_VALUE):
        return None
    return {"text": _plain(item.title), "value": item.ref, **({"description": _plain(item.text)} if item.text.strip() else {})}


def picked_ref(action: dict[str, Any]) -> str | None:
    """The item a pick names, or None when the value is not one an answer could have offered."""
    value = str((action.get("selected_option") or {}).get("value", ""))
    return value if REF.fullmatch(value) else None


def _plain(text: str) -> dict[str, str]:
    flat = " ".join(text.split()) or "–"
    return {"type": "plain_text", "text": flat if len(flat) <= OPTION_TEXT else flat[: OPTION_TEXT - 1] + "…"}
