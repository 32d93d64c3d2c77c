"""`sources`: every source of the briefing and how much of it each one supports."""

from __future__ import annotations

from collections import Counter

from bot.core.context import Context, source_ref
from bot.core.index import BriefingIndex
from bot.core.registry import Args
from bot.core.replies import Item, Reply


def citations(index: BriefingIndex) -> Counter[str]:
    """How many items cite each source: a walk over every item, so done once per briefing version."""
    briefing = index.briefing
    cited: Counter[str] = Counter()
    for group in (briefing.sessions, briefing.timeline, briefing.people, briefing.agenda, briefing.quotes, briefing.faq):
        for item in group:
            cited.update(item.sources)
    return cited


async def sources(ctx: Context, args: Args) -> Reply:
    """Publisher, author, date and link of each source, with the number of items citing it."""
    index = await ctx.index()
    briefing = index.briefing
    cited = index.memo(("cited",), lambda: citations(index))
    window = ctx.window(len(briefing.sources), args.page)
    items = []
    for source in briefing.sources[window.start : window.stop]:
        ref = source_ref(source, ctx.cat)
        link = source.url or ctx.cat("source.no_url")
        items.append(Item(title=ref.label, text=link, meta=ctx.cat("source.cited", n=cited[source.id], id=source.id)))
    return Reply(
        title=ctx.cat("sources.title", n=len(briefing.sources)),
        items=tuple(items),
        page=ctx.page(window, "sources", {}),
    )
