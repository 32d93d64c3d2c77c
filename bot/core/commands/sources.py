"""`sources`: every source of the briefing and how much of it each one supports."""

from __future__ import annotations

from typing import cast

from bot.core.context import Context, source_ref
from bot.core.index import BriefingIndex
from bot.core.registry import Args
from bot.core.replies import Item, Reply


async def citations(ctx: Context, index: BriefingIndex) -> dict[str, int]:
    """How many items cite each source: counted by the store (not every item read), once per briefing version."""
    found = index.recalled_search(("cited",))
    if found is None:
        found = index.remember_search(("cited",), await ctx.repository.citations(index.briefing.id))
    return cast(dict[str, int], found)


def _listed(ctx: Context, index: BriefingIndex, cited: dict[str, int]) -> tuple[str, tuple[Item, ...]]:
    """The answer's title and every source's entry: the same for every page of this version and language."""
    briefing = index.briefing
    entries = []
    for source in briefing.sources:
        link = source.url or ctx.cat("source.no_url")
        meta = ctx.cat("source.cited", n=cited.get(source.id, 0), id=source.id)
        entries.append(Item(title=source_ref(source, ctx.cat).label, text=link, meta=meta))
    return ctx.cat("sources.title", n=len(briefing.sources)), tuple(entries)


async def sources(ctx: Context, args: Args) -> Reply:
    """Publisher, author, date and link of each source, with the number of items citing it."""
    index = await ctx.index()
    cited = await citations(ctx, index)
    # Built once per version and language: a page is a slice of it, and the renderers find the very same items again.
    title, items = index.memo(("source entries", ctx.cat.locale), lambda: _listed(ctx, index, cited))
    window = ctx.window(len(items), args.page)
    return Reply(title=title, items=items[window.start : window.stop], page=ctx.page(window, "sources", {}))
