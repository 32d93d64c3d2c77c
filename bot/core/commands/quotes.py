"""`quotes [speaker]`: what was said, by whom, when and why."""

from __future__ import annotations

from bot.core.commands.people import find_person
from bot.core.context import Context
from bot.core.formatting import fuzzy_label
from bot.core.localize import quoted_in
from bot.core.registry import Args
from bot.core.replies import Item, Reply
from bot.errors import UserError


async def quotes(ctx: Context, args: Args) -> Reply:
    """Every quote, or one speaker's (forgiving name match)."""
    index = await ctx.localized()
    chosen = list(index.quotes)
    speaker = args.get("speaker")
    if speaker:
        who = await find_person(index, speaker)
        chosen = index.quotes_by_speaker.get(who.id, [])
        if not chosen:
            raise UserError("quotes.none_for", name=who.name)
    if not chosen:  # an empty section is an answer, not a mistake of the reader's
        return Reply(title=ctx.cat("quotes.title", n=0), text=ctx.cat("quotes.none"))
    window = ctx.window(len(chosen), args.page)
    shown = chosen[window.start : window.stop]
    items = []
    for quote in shown:
        when = fuzzy_label(quote.date, ctx.cat) if quote.date else ctx.cat("value.date_unknown")
        items.append(
            Item(
                title=index.person_name(quote.speaker),
                text=quoted_in(index, quote, ctx.cat),
                meta=ctx.cat("quote.meta", date=when, context=quote.context),
                sources=quote.sources,
                ref=f"quote/{quote.id}",
            )
        )
    return Reply(
        title=ctx.cat("quotes.title", n=len(chosen)),
        items=tuple(items),
        sources=ctx.source_refs(index, {sid for q in shown for sid in q.sources}),
        page=ctx.page(window, "quotes", {"speaker": speaker} if speaker else {}),
    )
