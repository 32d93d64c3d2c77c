"""The "Source passage" menu under a Slack answer: pick an item, privately get the passage behind it (`why`)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from bot.core.catalogue import Catalogue
from bot.core.replies import PASSAGE_REF, Item, one_line, option_parts, passage_line, passage_value

# One choice of the menu, as Block Kit takes it.
Option = dict[str, Any]

WHY_ACTION = "briefbot_why"
# Block Kit's limits on a static select: options, option text and option value.
MAX_OPTIONS, OPTION_TEXT, OPTION_VALUE = 100, 75, 150


def passage_menu(options: Iterable[Option | None], cat: Catalogue) -> dict[str, Any] | None:
    """A static select of the answer's items' options (`item_option`, None for an item without a passage); None when none has."""
    shown = list(filter(None, options))[:MAX_OPTIONS]
    if not shown:
        return None
    return {"type": "static_select", "action_id": WHY_ACTION, "placeholder": _placeholder(cat), "options": shown}


@lru_cache(maxsize=8)  # one per language, under list after list (nothing changes a block once written)
def _placeholder(cat: Catalogue) -> dict[str, str]:
    return _plain(one_line(cat("why.menu"), OPTION_TEXT))


def item_option(item: Item, briefing: str = "") -> Option | None:
    """The item's option in the menu, its value naming the `briefing` that answered; None when it names no passage to show."""
    if not (item.ref and PASSAGE_REF.fullmatch(item.ref) and len(item.ref) <= OPTION_VALUE):
        return None
    value = passage_value(item.ref, briefing, OPTION_VALUE) if briefing else item.ref
    label, description = option_parts(item, OPTION_TEXT)
    return {"text": _plain(label), "value": value, **({"description": _plain(description)} if description else {})}


def picked_line(action: dict[str, Any]) -> str | None:
    """The `why` line a pick asks, or None when the value is not one an answer could have offered."""
    return passage_line(str((action.get("selected_option") or {}).get("value", "")))


def _plain(text: str) -> dict[str, str]:
    """Block Kit's plain text of a line `one_line` fitted (Slack refuses an empty one)."""
    return {"type": "plain_text", "text": text or "–"}
