"""`agenda`: the visit's other engagements, with time and place where announced."""

from __future__ import annotations

from datetime import date

from bot.core.context import Context
from bot.core.formatting import fuzzy_label
from bot.core.index import BriefingIndex
from bot.core.model import AgendaItem
from bot.core.registry import Args
from bot.core.replies import Item, Reply


def when_where(item: AgendaItem, ctx: Context, index: BriefingIndex) -> str:
    """"3 February 2026 · 11:00 Washington time · The White House", "not announced" for every unknown."""
    cat = ctx.cat
    day = fuzzy_label(item.date, cat) if item.date else cat("agenda.date_unknown")
    zones = {zone.zone: zone.label for zone in reversed(index.briefing.zones)}  # a zone listed twice: its first label
    clock = cat("agenda.time", time=item.time, place=zones.get(item.zone, item.zone)) if item.time else cat("agenda.time_unknown")
    place = item.place or cat("agenda.place_unknown")
    return cat("agenda.meta", date=day, time=clock, place=place)


def _order(entry: tuple[int, AgendaItem]) -> tuple[date, str, int]:
    """Dated items by date and time; undated ones last, in the order the pack lists them."""
    position, item = entry
    return (item.date.first if item.date else date.max, item.time or "99:99", position)


def _listed(ctx: Context, index: BriefingIndex) -> tuple[str, tuple[Item, ...]]:
    """The answer's title and every entry in date order: the same for every page of this version and language."""
    ordered = [item for _, item in sorted(enumerate(index.briefing.agenda), key=_order)]
    entries = tuple(
        Item(title=item.title, text=item.detail, meta=when_where(item, ctx, index), sources=item.sources, ref=f"agenda/{item.id}")
        for item in ordered
    )
    return ctx.cat("agenda.title", n=len(entries)), entries


async def agenda(ctx: Context, args: Args) -> Reply:
    """Every engagement around the meeting, in date order; unknown dates last."""
    index = await ctx.localized()
    # Built once per version and language: a page is a slice of it, and the renderers find the very same items again.
    title, items = index.memo(("agenda entries", ctx.cat.locale), lambda: _listed(ctx, index))
    if not items:  # an empty section is an answer, not a mistake of the reader's
        return Reply(title=title, text=ctx.cat("agenda.empty"))
    window = ctx.window(len(items), args.page)
    shown = items[window.start : window.stop]
    return Reply(
        title=title,
        items=shown,
        sources=ctx.source_refs(index, {sid for item in shown for sid in item.sources}),
        page=ctx.page(window, "agenda", {}),
    )
