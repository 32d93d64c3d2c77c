"""`search <text>`: ranked full-text search across every part of the briefing, with the matching passage."""

from __future__ import annotations

import re

from bot.core.catalogue import Catalogue
from bot.core.context import Context
from bot.core.index import BriefingIndex
from bot.core.localize import quoted
from bot.core.model import AgendaItem, Briefing, FaqEntry, Person, Quote, Session, Source, TimelineEvent
from bot.core.registry import Args
from bot.core.replies import Item, Reply
from bot.core.repository import SearchHit
from bot.core.text import words
from bot.errors import UserError

PASSAGE = 240  # characters: a longer field is cut to the sentence that matched
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _describe(hit: SearchHit, index: BriefingIndex) -> tuple[str, tuple[str, ...], object] | None:
    """The title, sources and item a hit points at; None if it vanished since indexing."""
    briefing = index.briefing
    if hit.kind == "summary":
        return briefing.title, tuple(dict.fromkeys(piece.source for piece in briefing.summary_evidence)), briefing
    if hit.kind == "person":
        person = index.people.get(hit.item_id)
        return (person.name, person.sources, person) if person else None
    if hit.kind == "source":
        source = index.sources.get(hit.item_id)
        return (source.title, (source.id,), source) if source else None
    item = index.items.get(hit.kind, {}).get(hit.item_id)
    if item is None:
        return None
    if isinstance(item, Quote):
        return index.person_name(item.speaker), item.sources, item
    return (item.question if isinstance(item, FaqEntry) else item.title), item.sources, item


def _fields(item: object, cat: Catalogue, original: str) -> list[str]:
    """The searchable fields of an item other than its title, each readable on its own (`original`: the pack's language)."""
    if isinstance(item, TimelineEvent):
        tags = cat("search.field", name=cat("field.topics"), value=", ".join(item.tags)) if item.tags else ""
        return [item.detail, cat("timeline.note", note=item.note) if item.note else "", tags]
    if isinstance(item, Person):
        return [cat("person.role", role=item.role, organisation=item.organisation)]
    if isinstance(item, AgendaItem):
        return [item.detail, cat("search.field", name=cat("field.where"), value=item.place) if item.place else ""]
    if isinstance(item, Quote):
        return [quoted(item, cat, original), item.context]
    if isinstance(item, FaqEntry):
        return [item.answer]
    if isinstance(item, Source):
        return [f"{item.publisher} ({item.author})" if item.author else item.publisher]
    if isinstance(item, Briefing):
        return [item.summary]
    if isinstance(item, Session):
        return [
            cat("search.field", name=cat("field.where"), value=item.venue),
            item.format,
            *(cat("search.field", name=cat("field.aims"), value=aim) for aim in item.aims),
            cat("search.field", name=cat("field.topics"), value=", ".join(item.topics)),
            *(stake.text for stake in item.stakes),
            item.outcome,
        ]
    return []


def passage(item: object, text: str, cat: Catalogue, original: str) -> str:
    """The field that holds a searched word, as the reader would read it; when only the title matched, the
    item's first field says what it is about (nothing when it has none)."""
    wanted = [word for word in words(text) if word != "or"]

    def holds(part: str) -> int:
        """How many of the searched words start a word of `part`."""
        found = words(part)
        return sum(any(word.startswith(w) for word in found) for w in wanted)

    fields = [part for part in _fields(item, cat, original) if part]
    if not fields:
        return ""
    field = max(fields, key=holds)  # the first of the best: with no match, the field that says what it is
    if len(field) <= PASSAGE:
        return field
    sentence = next((s for s in _SENTENCE.split(field) if holds(s)), field)
    return sentence if len(sentence) <= PASSAGE else sentence[: PASSAGE - 1].rstrip() + "…"


async def search(ctx: Context, args: Args) -> Reply:
    """Every item whose text holds all the words (or either side of OR), best match first."""
    index = await ctx.localized()
    text = args.get("text")
    hits = await ctx.search(index, text)
    found = [(hit, described) for hit in hits if (described := _describe(hit, index))]
    if not found:
        raise UserError("search.none", text=text)
    window = ctx.window(len(found), args.page)
    shown = found[window.start : window.stop]
    items = tuple(
        Item(title=title, text=passage(item, text, ctx.cat, index.briefing.language), meta=ctx.cat(f"kind.{hit.kind}"), sources=sources,
             ref="" if hit.kind == "source" else hit.kind if hit.kind == "summary" else f"{hit.kind}/{hit.item_id}")
        for hit, (title, sources, item) in shown
    )
    return Reply(
        title=ctx.cat("search.title", text=text, n=len(found)),
        items=items,
        sources=ctx.source_refs(index, {sid for _, (_, sources, _) in shown for sid in sources}),
        page=ctx.page(window, "search", {}, text),
    )
