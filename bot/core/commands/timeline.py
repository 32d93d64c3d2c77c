"""`timeline`: the dated events that led to the meeting, filtered and paged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from bot.core.catalogue import Catalogue
from bot.core.context import Context
from bot.core.datewords import named_date
from bot.core.formatting import fuzzy_label
from bot.core.index import BriefingIndex
from bot.core.model import Briefing, TimelineEvent
from bot.core.recent import Recent
from bot.core.registry import Args, readers_text
from bot.core.replies import Item, Reply
from bot.core.repository import LAST_OFFSET, Part, TimelineQuery
from bot.core.suggest import closest
from bot.errors import UserError

# Events' list entries kept per version and language: the same events come up in list after list (every topic, range,
# query and page shows them), and describing one formats its date and tags. The last EVENT_ITEMS_KEPT shown are kept
# (an entry is ~0.3 KB beyond the event's own texts, which it shares: ≤ 0.3 MB per version and language in use).
EVENT_ITEMS_KEPT = 1024
# The options a page's buttons repeat, in this order.
FILTERS = ("from", "to", "topic", "query")


def event_item(event: TimelineEvent, ctx: Context, index: BriefingIndex) -> Item:
    """One event as a list entry: date and topics above (in the reader's words), detail and any precision note below."""
    meta = fuzzy_label(event.date, ctx.cat)
    if event.tags:
        meta = ctx.cat("timeline.meta", date=meta, tags=", ".join(map(index.topic_label, event.tags)))
    return Item(title=event.title, text=noted(event.detail, event.note, ctx.cat), meta=meta, sources=event.sources, ref=f"timeline/{event.id}")


def noted(text: str, note: str, cat: Catalogue) -> str:
    """`text` with the event's note on the line under it, wherever its date is shown: a date the source only implies
    ("over the weekend") or does not give must not read as the source's own."""
    return f"{text}\n{cat('value.note', note=note)}" if note else text


async def matching_page(ctx: Context, index: BriefingIndex, query: TimelineQuery) -> tuple[list[TimelineEvent], int]:
    """The page of events the store finds for `query`, and how many it finds in all.

    The store filters, sorts and pages in SQL (issue #18 §2): at 100k events a common word's tens of
    thousands of matches never reach Python; the count comes with every page, one past the last included.
    Kept with the version's full-text results, as a search's are: a query that finds nothing is a refusal,
    which the core never keeps, and asking it again would run the full-text statement again.
    """
    key = ("timeline", query)
    found = index.recalled_search(key)
    if found is None:
        found = index.remember_search(key, await ctx.repository.timeline_matches(index.briefing.id, query))
    ids, total = cast(tuple[list[str], int], found)
    if ctx.part is not None:  # a one-shot `ask` read no events yet (at 100k events, all of them took seconds): the page's, by key
        index = await ctx.more(index, Part(frozenset(), keys=tuple(("timeline", i) for i in ids)))
    events = index.items["timeline"]
    return [events[i] for i in ids if i in events], total  # an event gone since this version was read is left out


async def timeline(ctx: Context, args: Args) -> Reply:
    """Events from January 2025 to the meeting day; filter by from:, to:, topic: and query:."""
    index = await ctx.localized()
    values = args.values  # bound: only the options given, none empty
    first = args.dates["from"].first if "from" in args.dates else None
    last = args.dates["to"].last if "to" in args.dates else None
    if first and last and first > last:
        raise UserError("timeline.bad_range", start=values["from"], end=values["to"])
    tag = topic = values.get("topic")
    if topic:
        tag = index.tag_named(topic)
        if tag is None and not index.topics:  # a new briefing, or events not tagged yet: nothing to list
            raise UserError("timeline.no_topics", topic=topic)
        if tag is None:
            # As entered here: in a line, a topic of two words is quoted, else its second word would be read as words to find.
            near = closest(topic, index.topics)
            if near:
                raise UserError("timeline.unknown_topic_suggest", topic=topic, suggestions=", ".join(map(ctx.typed, near)))
            raise UserError("timeline.unknown_topic", topic=topic, topics=", ".join(map(ctx.typed, index.topics)))
    events: Sequence[TimelineEvent]
    query = values.get("query", "")
    if query or ctx.part is not None:  # the store pages: a one-shot `ask` holds no timeline
        size = ctx.page_size
        events, total = await matching_page(ctx, index, TimelineQuery(ctx.search_query(query), first, last, tag, min((args.page - 1) * size, LAST_OFFSET), size))
        paged = True
    else:
        events = index.timeline_between(first, last, tag)
        total, paged = len(events), False
    filters = {key: values[key] for key in FILTERS if key in values}
    if not total and not filters:  # an empty section is an answer, not a mistake of the reader's
        return Reply(title=ctx.cat("timeline.title", n=0), text=ctx.cat("timeline.empty"))
    dated = dated_timeline(ctx, index, query) if query else ""
    if not total:
        shown_filters = ctx.typed_options(filters)
        if dated:
            raise UserError("timeline.none_dated", filters=shown_filters, dated=dated)
        if query:
            search = ctx.slash("search", ctx.typed(query))
            raise UserError("timeline.none_words", filters=shown_filters, search=search, timeline=ctx.slash("timeline"))
        raise UserError("timeline.none", filters=shown_filters, timeline=ctx.slash("timeline"))
    window = ctx.window(total, args.page)
    shown = events if paged else events[window.start : window.stop]
    kept = index.memo(("event items", ctx.cat.locale), _kept)
    return Reply(
        title=ctx.cat("timeline.title", n=total),
        items=tuple(_shown(kept, event, ctx, index) for event in shown),
        sources=ctx.source_refs(index, {sid for event in shown for sid in event.sources}),
        page=ctx.page(window, "timeline", filters),
        footer=dated,
    )


def dated_timeline(ctx: Context, index: BriefingIndex, words: str) -> str:
    """Where the searched words name a day or month ("October 2025", "3 de febrero"): that words are searched, not
    dates, and the `timeline from:… to:…` that lists its events; "" otherwise."""
    named = named_date(words, ctx.cat.cldr, _year(index.briefing, ctx.request.now.year))
    if named is None:
        return ""
    return readers_text(ctx.cat, "search.dated", timeline=ctx.slash("timeline"), date=named)


def _year(briefing: Briefing, default: int) -> int:
    """The year a day named without one is in: its first dated session's, else `default`'s."""
    for session in briefing.sessions:
        if session.starts_at is not None:
            return session.starts_at.year
        if session.date is not None:
            return session.date.first.year
    return default


def _kept() -> Recent[str, Item]:
    """A version's event entries in one language, made when its first timeline answer is built."""
    return Recent(EVENT_ITEMS_KEPT)


def _shown(kept: Recent[str, Item], event: TimelineEvent, ctx: Context, index: BriefingIndex) -> Item:
    """The event's list entry, described once per version and language while it stays among the last shown."""
    item = kept.get(event.id)
    if item is None:
        item = kept[event.id] = event_item(event, ctx, index)
    return item
