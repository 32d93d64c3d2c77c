"""`why <item>`: the passages behind one item, their source, and when the item last changed.

A reader can check any answer against the source's own words: the evidence every item carries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from bot.core.catalogue import catalogue_for
from bot.core.context import Context, source_ref
from bot.core.index import BriefingIndex
from bot.core.kinds import PACK_KINDS
from bot.core.model import Evidence
from bot.core.registry import LOCAL_NAMES, Args, local_command
from bot.core.replies import Field, Item, Reply
from bot.core.repository import LOAD_PLATFORM
from bot.core.text import fold, shortened
from bot.errors import UserError

# (admin kind, Briefing attribute, what names an item of it to a reader: its searchable title) of each
# kind whose items carry evidence
_KINDS: tuple[tuple[str, str, str], ...] = tuple(
    (kind.name, kind.section, next(f.attr for f in kind.fields_all if f.search == "title"))
    for kind in PACK_KINDS if "evidence" in kind.by_name
)
_LABELS = {name: label for name, _attribute, label in _KINDS}
SUMMARY = "summary"
# What names the summary and the sessions in every language: the summary's word, and that of the command listing the sessions.
_SUMMARY_WORDS = frozenset(fold(catalogue_for(language)("why.summary")) for language in ("en", *LOCAL_NAMES))
_MEETING_WORDS = frozenset(fold(local_command("meeting", language)) for language in ("en", *LOCAL_NAMES))
MAX_CHOICES = 5
TITLE_LIMIT = 80  # a long quote or question names the answer in a short title


class Found(msgspec.Struct, frozen=True):
    """One item a reader can ask about: its admin kind, id, label and evidence."""

    kind: str
    item_id: str
    label: str
    evidence: tuple[Evidence, ...]

    @property
    def ref(self) -> str:
        """`timeline/visa-revoked`: what `why` takes to name exactly this item."""
        return self.kind if self.kind == SUMMARY else f"{self.kind}/{self.item_id}"


def every_item(index: BriefingIndex) -> Iterator[Found]:
    """The summary and every item of the briefing, in pack order."""
    briefing = index.briefing
    yield Found(SUMMARY, SUMMARY, briefing.title, briefing.summary_evidence)
    for kind, attribute, label in _KINDS:
        for item in getattr(briefing, attribute):
            yield Found(kind, item.id, str(getattr(item, label)), item.evidence)


def find_items(index: BriefingIndex, wanted: str) -> list[Found]:
    """Items named by `kind/id`, by id, or by words of their title, name, words or question."""
    text = wanted.strip()
    exact = _named(index, text)
    if exact:
        return exact
    words = fold(text).split()
    return [f for f in every_item(index) if words and all(word in fold(f.label) for word in words)]


def named_keys(text: str) -> tuple[tuple[str, str], ...]:
    """The (kind, id) of each item `text` may name exactly, in `every_item`'s order: what a one-shot `ask /why` reads.

    An id has no "/" (`IDENT`), so `kind/id` can only be a ref, and a bare word only an id (or "summary").
    """
    kind, slash, item_id = text.strip().rpartition("/")
    return tuple((name, item_id) for name, _attribute, _label in _KINDS if kind == name or not slash)


def _named(index: BriefingIndex, text: str) -> list[Found]:
    """What `text` names exactly: the first item, in `every_item`'s order, whose ref or id it is (looked up by id, not by
    building every item); `summary` (or the brief's word, `resumen`), the summary; `meeting` (`reunión`), every session,
    as `/meeting` lists them (one: the meeting itself, whatever its id)."""
    briefing = index.briefing
    word = fold(text)
    if word in _SUMMARY_WORDS:
        return [Found(SUMMARY, SUMMARY, briefing.title, briefing.summary_evidence)]
    if word in _MEETING_WORDS:
        return [Found("session", s.id, s.title, s.evidence) for s in briefing.sessions]
    for name, item_id in named_keys(text):
        if (item := index.items[name].get(item_id)) is not None:
            return [Found(name, item.id, str(getattr(item, _LABELS[name])), item.evidence)]
    return []


async def why(ctx: Context, args: Args) -> Reply:
    """The source passages behind an item, with the source and when the item last changed."""
    index = await ctx.localized()
    if ctx.part is not None and not _named(index, args.get("item").strip()):
        index = await ctx.more(index, None)  # a one-shot `ask` read the items named by key: words need every item
    # Words of the reader's language first; the pack's own words still find the item.
    found = find_items(index, args.get("item")) or _in_view(index, find_items(await ctx.index(), args.get("item")))
    if not found:
        raise UserError("why.none", item=args.get("item")[:80])
    if len(found) > 1:
        shown = ", ".join(f.ref for f in found[:MAX_CHOICES]) + ("…" if len(found) > MAX_CHOICES else "")
        raise UserError("why.several", item=args.get("item")[:80], n=len(found), choices=shown)
    chosen = found[0]
    return Reply(
        title=ctx.cat("why.title", item=shortened(chosen.label, TITLE_LIMIT)),
        text=ctx.cat("why.intro", ref=ctx.cat("why.summary") if chosen.kind == SUMMARY else chosen.ref),
        items=tuple(_passage(ctx, index, piece) for piece in chosen.evidence),
        fields=(Field(ctx.cat("why.changed"), await _last_change(ctx, index, chosen)),),
        sources=ctx.source_refs(index, {piece.source for piece in chosen.evidence}),
    )


def _in_view(index: BriefingIndex, found: list[Found]) -> list[Found]:
    """Items found in the stored briefing, as the reader's view shows them (the same refs)."""
    refs = {f.ref for f in found}
    return [f for f in every_item(index) if f.ref in refs] if refs else []


def _passage(ctx: Context, index: BriefingIndex, piece: Evidence) -> Item:
    source = index.sources[piece.source]
    return Item(
        title=source_ref(source, ctx.cat).label,
        text=ctx.cat("quote.words", words=piece.passage),
        meta=source.url or ctx.cat("source.no_url"),
    )


async def _last_change(ctx: Context, index: BriefingIndex, found: Found) -> str:
    """When the item's latest revision (an edit, or an import or load that changed it) was made."""
    kind = "briefing" if found.kind == SUMMARY else found.kind
    item_id = index.briefing.id if found.kind == SUMMARY else found.item_id
    revisions: list[Any] = await ctx.repository.revisions(index.briefing.id, kind, item_id, limit=1, data=False)
    if not revisions:
        return ctx.cat("why.unchanged")
    latest = revisions[0]
    if latest.platform == LOAD_PLATFORM:
        return ctx.cat("why.loaded", number=latest.id)
    return ctx.cat("why.changed_at", at=latest.at.strftime("%Y-%m-%d %H:%M UTC"), action=latest.action, number=latest.id)


