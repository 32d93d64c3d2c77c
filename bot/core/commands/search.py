"""`search <text>`: ranked full-text search across every part of the briefing, with snippets."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.index import BriefingIndex
from bot.core.model import FaqEntry, Quote
from bot.core.registry import Args
from bot.core.replies import Item, Reply
from bot.core.repository import SearchHit
from bot.errors import UserError


def _describe(hit: SearchHit, index: BriefingIndex) -> tuple[str, tuple[str, ...]] | None:
    """The title and sources of the item a hit points at; None if it vanished since indexing."""
    briefing = index.briefing
    if hit.kind == "meeting":
        return briefing.title, briefing.meeting.sources
    if hit.kind == "person":
        person = index.people.get(hit.item_id)
        return (person.name, person.sources) if person else None
    if hit.kind == "source":
        source = index.sources.get(hit.item_id)
        return (source.title, (source.id,)) if source else None
    item = index.items.get(hit.kind, {}).get(hit.item_id)
    if item is None:
        return None
    if isinstance(item, Quote):
        return index.person_name(item.speaker), item.sources
    return (item.question if isinstance(item, FaqEntry) else item.title), item.sources


async def search(ctx: Context, args: Args) -> Reply:
    """Every item whose text holds all the words, best match first."""
    index = await ctx.index()
    text = args.get("text")
    hits = await ctx.search(index, text)
    found = [(hit, described) for hit in hits if (described := _describe(hit, index))]
    if not found:
        raise UserError("search.none", text=text)
    window = ctx.window(len(found), args.page)
    shown = found[window.start : window.stop]
    items = tuple(
        Item(title=title, text=hit.snippet, meta=ctx.cat(f"kind.{hit.kind}"), sources=sources,
             ref="" if hit.kind == "source" else hit.kind if hit.kind == "meeting" else f"{hit.kind}/{hit.item_id}")
        for hit, (title, sources) in shown
    )
    return Reply(
        title=ctx.cat("search.title", text=text, n=len(found)),
        items=items,
        sources=ctx.source_refs(index, {sid for _, (_, sources) in shown for sid in sources}),
        page=ctx.page(window, "search", {}, text),
    )
