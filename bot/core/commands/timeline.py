"""`timeline`: the dated events that led to the meeting, filtered and paged."""

from __future__ import annotations

import asyncio

from bot.core.context import Context
from bot.core.formatting import fuzzy_label
from bot.core.model import TimelineEvent
from bot.core.registry import Args
from bot.core.replies import Item, Reply
from bot.core.suggest import closest
from bot.errors import UserError

# A common word matches tens of thousands of events at 100k: sorting them is Python work that would
# stall every other user, so it runs on a worker thread (issue #18 §2). Below this many matches the work
# takes well under a millisecond, less than the hop to a thread and back (~50 µs, up to 5 ms under load).
THREAD_FROM = 5000


def event_item(event: TimelineEvent, ctx: Context) -> Item:
    """One event as a list entry: date and tags above, detail and any precision note below."""
    meta = fuzzy_label(event.date, ctx.cat)
    if event.tags:
        meta = ctx.cat("timeline.meta", date=meta, tags=", ".join(event.tags))
    text = f"{event.detail}\n{ctx.cat('timeline.note', note=event.note)}" if event.note else event.detail
    return Item(title=event.title, text=text, meta=meta, sources=event.sources, ref=f"timeline/{event.id}")


async def timeline(ctx: Context, args: Args) -> Reply:
    """Events from January 2025 to the meeting day; filter by from:, to:, topic: and query:."""
    index = await ctx.localized()
    first = args.dates["from"].first if "from" in args.dates else None
    last = args.dates["to"].last if "to" in args.dates else None
    if first and last and first > last:
        raise UserError("timeline.bad_range", start=args.get("from"), end=args.get("to"))
    tag = None
    if args.get("topic"):
        tag = index.tag_named(args.get("topic"))
        if tag is None:
            near = closest(args.get("topic"), index.topics)
            if near:
                raise UserError("timeline.unknown_topic_suggest", topic=args.get("topic"), suggestions=", ".join(near))
            raise UserError("timeline.unknown_topic", topic=args.get("topic"), topics=", ".join(index.topics))
    if args.get("query"):
        matched = await ctx.matching_ids(index, args.get("query"), "timeline")
        if len(matched) >= THREAD_FROM:
            events = await asyncio.to_thread(index.timeline_matching, first, last, tag, matched)
        else:
            events = index.timeline_matching(first, last, tag, matched)
    else:
        events = index.timeline_between(first, last, tag)
    filters = {key: args.get(key) for key in ("from", "to", "topic", "query") if args.get(key)}
    if not events and not filters:  # an empty section is an answer, not a mistake of the reader's
        return Reply(title=ctx.cat("timeline.title", n=0), text=ctx.cat("timeline.empty"))
    if not events:
        described = " ".join(f"{key}:{value}" for key, value in filters.items())
        raise UserError("timeline.none", filters=described)
    window = ctx.window(len(events), args.page)
    shown = events[window.start : window.stop]
    return Reply(
        title=ctx.cat("timeline.title", n=len(events)),
        items=tuple(event_item(event, ctx) for event in shown),
        sources=ctx.source_refs(index, {sid for event in shown for sid in event.sources}),
        page=ctx.page(window, "timeline", filters),
    )
