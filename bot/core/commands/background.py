"""`context`: the background a newcomer needs to follow the story, each entry with its sources."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.registry import Args
from bot.core.replies import Item, Reply


async def context(ctx: Context, args: Args) -> Reply:
    """Every background entry, in the pack's order: the order its editors tell the story in."""
    index = await ctx.localized()
    entries = index.briefing.context
    if not entries:  # an empty section is an answer, not a mistake of the reader's
        return Reply(title=ctx.cat("context.title", n=0), text=ctx.cat("context.empty"))
    window = ctx.window(len(entries), args.page)
    shown = entries[window.start : window.stop]
    return Reply(
        title=ctx.cat("context.title", n=len(entries)),
        items=tuple(Item(title=e.title, text=e.body, sources=e.sources, ref=f"context/{e.id}") for e in shown),
        sources=ctx.source_refs(index, {sid for e in shown for sid in e.sources}),
        page=ctx.page(window, "context", {}),
    )
