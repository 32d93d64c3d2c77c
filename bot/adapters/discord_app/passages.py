"""The "Source passage" menu under an answer: pick an item, privately get the passage behind it (`why`)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Protocol, cast

import discord

from bot.core.catalogue import Catalogue
from bot.core.replies import PASSAGE_REF, Item, option_parts, passage_value

CUSTOM_ID = "bb:why"
# Discord's limits on a select menu and its options (an option's label, description and value alike).
MAX_OPTIONS, OPTION_TEXT = 25, 100
# One choice of the menu, as discord.py writes it.
Option = dict[str, Any]


class PassageShower(Protocol):
    """What the menu needs from the client: answer the picked value's `why` privately."""

    async def show_passage(self, interaction: discord.Interaction[Any], value: str) -> None: ...


class PassageSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=CUSTOM_ID):
    """A menu matched by its custom id, so a pick on a message from before a restart still answers."""

    def __init__(self, options: list[discord.SelectOption] | None = None, placeholder: str = "") -> None:
        # A menu rebuilt from a pick needs no real options: the pick's value comes with the interaction.
        menu: discord.ui.Select[Any] = discord.ui.Select(custom_id=CUSTOM_ID, placeholder=placeholder or None,
                                 options=options or [discord.SelectOption(label="-", value="-")])
        super().__init__(menu)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any, /
    ) -> PassageSelect:
        """Rebuild the menu from a pick."""
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        data = cast(dict[str, Any], interaction.data or {})
        values = data.get("values") or [""]
        await cast(PassageShower, interaction.client).show_passage(interaction, str(values[0]))


def passage_menu(options: Iterable[Option | None], cat: Catalogue) -> dict[str, Any] | None:
    """A menu of the answer's items' options (`item_option`, None for an item without a passage), at most Discord's
    25, as discord.py writes it; None when no item has one."""
    shown = list(filter(None, options))[:MAX_OPTIONS]
    return dict(_menu_template(cat), options=shown) if shown else None


@lru_cache(maxsize=8)  # one per language
def _menu_template(cat: Catalogue) -> dict[str, Any]:
    """The menu in this language as discord.py's own item writes it, for `passage_menu` to fill with a reply's options."""
    return PassageSelect(placeholder=cat("why.menu")).to_component_dict()


def item_option(item: Item, briefing: str = "") -> Option | None:
    """The item's option as discord.py writes it, its value naming the `briefing` that answered; None when it names no
    passage to show."""
    if not (item.ref and PASSAGE_REF.fullmatch(item.ref) and len(item.ref) <= OPTION_TEXT):
        return None
    value = passage_value(item.ref, briefing, OPTION_TEXT) if briefing else item.ref
    label, description = option_parts(item, OPTION_TEXT)
    option = discord.SelectOption(label=label or "–", value=value, description=description or None)
    return cast(dict[str, Any], option.to_dict())

