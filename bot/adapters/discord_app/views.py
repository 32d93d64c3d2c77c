"""Previous/Next buttons whose whole state is the command line in their custom id, so they survive restarts."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Protocol, Self, cast

import discord

from bot.core.catalogue import Catalogue
from bot.core.formatting import page_position
from bot.core.registry import page_line
from bot.core.replies import Page

PREFIX = "bb:pg:"
CUSTOM_ID_LIMIT = 100
LINE_LIMIT = CUSTOM_ID_LIMIT - len(PREFIX)  # the longest command line a button's custom id holds
# One row of a message's components: its buttons, or its menu, as discord.py writes them.
Row = tuple[dict[str, Any], ...]


class Pager(Protocol):
    """What a button needs from the client: answer the page that a command line names."""

    async def turn_page(self, interaction: discord.Interaction[Any], line: str) -> None: ...


class PageButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=PREFIX + r"(?P<line>.+)"):
    """A button that fetches the page its command line names; matched by pattern, so no view is kept in memory."""

    def __init__(self, line: str, label: str, *, disabled: bool = False) -> None:
        super().__init__(discord.ui.Button(label=label, custom_id=PREFIX + line, disabled=disabled, style=discord.ButtonStyle.secondary))
        self.line = line

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any, /
    ) -> PageButton:
        """Rebuild the button from a click, even one on a message sent before the last restart."""
        return cls(match["line"], getattr(item, "label", None) or "")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await cast(Pager, interaction.client).turn_page(interaction, self.line)


def new_view() -> discord.ui.View:
    """A view discord.py does not keep once sent: each of our items is a DynamicItem the client matches by custom id.

    A view sent unfinished is stored with its message, and a private message's for 15 minutes (discord.py's
    timeout for it), holding the view, its items and a timer task in memory for nothing.
    """
    view = discord.ui.View(timeout=None)
    view.stop()
    return view


def let_go(view: discord.ui.View | None) -> None:
    """After sending: a view and its items refer to each other, a cycle only the cyclic collector would free."""
    if view is not None:
        view.clear_items()


class Built(discord.ui.View):
    """A message's view whose components were built once for its reply: building discord.py's buttons and menu
    again for every message showing the same reply was most of a list answer's rendering (issue #18 §1).

    Finished, and holding no item, it is never stored by discord.py, which only calls `to_components` to send it;
    a click is matched to its DynamicItem by custom id, as from any view, so no view is needed for it. So it skips
    View's own set-up (a random id, a future, the items' weights: as long as the rest of a known reply's rendering)
    and answers itself what discord.py's sending code asks of a view (a test reads that list from discord.py).
    """

    __slots__ = ("_rows",)  # set without making the instance a __dict__

    def __init__(self, rows: tuple[Row, ...]) -> None:  # View.__init__ deliberately not called: see above
        self._rows = rows

    def to_components(self) -> list[dict[str, Any]]:
        """Each message's own rows; the buttons and menu within are shared, as a `Finished` embed's fields are."""
        return [{"type": 1, "components": list(row)} for row in self._rows]

    def is_finished(self) -> bool:
        return True

    def is_dispatchable(self) -> bool:
        return False

    def is_persistent(self) -> bool:
        return False

    def has_components_v2(self) -> bool:
        return False

    @property
    def timeout(self) -> float | None:
        return None

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        raise AttributeError("a built view is finished: it has no timeout to set")

    def clear_items(self) -> Self:
        return self  # no item to let go

    def __repr__(self) -> str:
        return f"<Built rows={self._rows!r}>"


def paging(page: Page, cat: Catalogue, naming: tuple[str, str]) -> tuple[Row, str]:
    """A paged reply's Previous/Next buttons as discord.py writes them, and its footer's lines: where it stands, and how
    to ask for the next page when no button can carry its line (none when there is one page, or a line is too long for
    a custom id), in the words of the reader's menu (`naming`: Request.command_naming)."""
    number, count = page.number, page.count
    if count <= 1:
        return (), page_hint(page, cat, naming)
    position = page_position(number, count, cat)
    around = (number - 1 if number > 1 else 1, number + 1 if number < count else count)
    previous, following = page.lines_for(*around)
    if len(previous) > LINE_LIMIT or len(following) > LINE_LIMIT:  # a long line: without the briefing, as typed
        previous, following = page.lines_for(*around, pinned=False)
    if len(previous) > LINE_LIMIT or len(following) > LINE_LIMIT or previous == following:
        return (), "\n".join(filter(None, (position, page_hint(page, cat, naming))))
    previous_button, next_button = _button_templates(cat)
    # Only the line and the state vary: making a discord.py button per reply cost more than the rest of its rendering.
    buttons = (
        dict(previous_button, disabled=number <= 1, custom_id=PREFIX + previous),
        dict(next_button, disabled=number >= count, custom_id=PREFIX + following),
    )
    return buttons, position


@lru_cache(maxsize=8)  # one pair per language
def _button_templates(cat: Catalogue) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Previous and Next buttons in this language as discord.py's own item writes them, for `paging` to fill in."""
    return PageButton("-", cat("page.previous")).to_component_dict(), PageButton("-", cat("page.next_button")).to_component_dict()


def page_hint(page: Page | None, cat: Catalogue, naming: tuple[str, str]) -> str:
    """When buttons cannot carry the state, the footer says how to ask for the next page instead: the command and its
    options as the reader's menu lists them (`naming`'s language, a Discord client's own), whatever the answer's."""
    if page is None or page.number >= page.count:
        return ""
    return cat("page.next", line="/" + page_line(page, page.number + 1, naming[0] or cat.locale))
