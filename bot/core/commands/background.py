"""`context`: the background a newcomer needs to follow the story, each entry with its sources."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.registry import Args
from bot.core.replies import Item, Reply


async def context(ctx: Context, args: Args) -> Reply:
    """Every background entry, in the pack's order: the order its editors tell the story in."""
    index = await ctx.localized()
    return ctx.section(
        index, "context", index.briefing.context, args.page, lambda e: Item(title=e.title, text=e.body, sources=e.sources, ref=f"context/{e.id}"),
    )
