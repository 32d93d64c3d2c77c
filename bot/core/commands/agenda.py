"""`agenda`: the visit's other engagements, with time and place where announced."""

from __future__ import annotations

from functools import lru_cache

from bot.core.catalogue import Catalogue
from bot.core.context import Context
from bot.core.formatting import fuzzy_label
from bot.core.index import BriefingIndex
from bot.core.model import AgendaItem
from bot.core.registry import Args
from bot.core.replies import ITEMS_KEPT, Item, Reply


def when_where(item: AgendaItem, ctx: Context, index: BriefingIndex) -> str:
    """"3 February 2026 · 11:00 Washington time · The White House", "not announced" for every unknown."""
    return _when_where(item, index.zone_label(item.zone), ctx.cat)


def _when_where(item: AgendaItem, zone: str, cat: Catalogue) -> str:
    day = fuzzy_label(item.date, cat) if item.date else cat("agenda.date_unknown")
    clock = cat("agenda.time", time=item.time, place=zone) if item.time else cat("agenda.time_unknown")
    return cat("agenda.meta", date=day, time=clock, place=item.place or cat("agenda.place_unknown"))


# Every page of every version lists the same engagements again, on every platform: each entry is written once per
# language and handed out as the same object, which the renderers' own memories then find by identity.
@lru_cache(maxsize=ITEMS_KEPT)
def _entry(item: AgendaItem, zone: str, cat: Catalogue) -> Item:
    """The engagement's list entry; `zone`: the label of its time zone."""
    return Item(title=item.title, text=item.detail, meta=_when_where(item, zone, cat), sources=item.sources, ref=f"agenda/{item.id}")


async def agenda(ctx: Context, args: Args) -> Reply:
    """Every engagement around the meeting, in date order; unknown dates last."""
    index = await ctx.localized()
    items = index.agenda
    if not items:  # an empty section is an answer, not a mistake of the reader's
        return Reply(title=ctx.cat("agenda.title", n=0), text=ctx.cat("agenda.empty"))
    window = ctx.window(len(items), args.page)
    shown = items[window.start : window.stop]
    return Reply(
        title=ctx.cat("agenda.title", n=len(items)),
        items=tuple(_entry(item, index.zone_label(item.zone), ctx.cat) for item in shown),
        sources=ctx.source_refs(index, {sid for item in shown for sid in item.sources}),
        page=ctx.page(window, "agenda", {}),
    )
