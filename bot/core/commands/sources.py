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


async def sources(ctx: Context, args: Args) -> Reply:
    """Publisher, author, date and link of each source, with the number of items citing it."""
    index = await ctx.index()
    briefing = index.briefing
    cited = await citations(ctx, index)
    window = ctx.window(len(briefing.sources), args.page)
    items = []
    for source in briefing.sources[window.start : window.stop]:
        ref = source_ref(source, ctx.cat)
        link = source.url or ctx.cat("source.no_url")
        items.append(Item(title=ref.label, text=link, meta=ctx.cat("source.cited", n=cited.get(source.id, 0), id=source.id)))
    return Reply(
        title=ctx.cat("sources.title", n=len(briefing.sources)),
        items=tuple(items),
        page=ctx.page(window, "sources", {}),
    )
