"""`sources`: every source of the briefing and how much of it each one supports."""

from __future__ import annotations

from functools import lru_cache

from bot.core.catalogue import Catalogue
from bot.core.context import Context, source_ref
from bot.core.index import BriefingIndex
from bot.core.model import Source
from bot.core.registry import Args
from bot.core.replies import ITEMS_KEPT, Item, Reply


async def citations(ctx: Context, index: BriefingIndex) -> dict[str, int]:
    """How many items cite each source: a running bot's index counted them when it was built (off the event loop);
    a one-shot `ask`, which reads no items, has the store count them (not every item read)."""
    if ctx.part is None:
        return index.citations
    return await ctx.repository.citations(index.briefing.id)


# Every version lists the same sources again, on every platform: each entry is written once per count and language
# and handed out as the same object, which the renderers' own memories then find by identity.
@lru_cache(maxsize=ITEMS_KEPT)
def _entry(source: Source, cited: int, cat: Catalogue) -> Item:
    """The source's list entry; `cited`: how many items cite it."""
    link = source.url or cat("source.no_url")
    return Item(title=source_ref(source, cat).label, text=link, meta=cat("source.cited", n=cited, id=source.id))


async def sources(ctx: Context, args: Args) -> Reply:
    """Publisher, author, date and link of each source, with the number of items citing it."""
    # Sources are never translated (kinds.py): the reader's index, which the core looked up for this request, lists them
    # as stored, so a reader of another language builds no second index, of the stored briefing, for them.
    index = ctx.shown or await ctx.index()
    briefing = index.briefing
    cited = await citations(ctx, index)
    window = ctx.window(len(briefing.sources), args.page)
    return Reply(
        title=ctx.cat("sources.title", n=len(briefing.sources)),
        items=tuple(_entry(source, cited.get(source.id, 0), ctx.cat) for source in briefing.sources[window.start : window.stop]),
        page=ctx.page(window, "sources", {}),
    )
