"""`why <item>`: the passages behind one item, their source, and when the item last changed.

A reader can check any answer against the source's own words: the evidence every item carries.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

import msgspec

from bot.core.admin.cited import text_of
from bot.core.admin.shown import revision_titles
from bot.core.catalogue import catalogue_for
from bot.core.context import Context, source_ref
from bot.core.fields import Field as FieldSpec
from bot.core.formatting import utc_time_label
from bot.core.index import BriefingIndex
from bot.core.kinds import HEAD, HEAD_LOG, PACK_KINDS
from bot.core.localize import named_by_words, said_by
from bot.core.model import Evidence, Quote
from bot.core.registry import LOCAL_NAMES, Args, local_command
from bot.core.replies import Field, Item, Reply
from bot.core.repository import LOAD_PLATFORM, Part
from bot.core.text import fold, shortened
from bot.errors import UserError

# (admin kind, Briefing attribute, what names an item of it to a reader: its searchable title) of each
# kind whose items carry evidence
_KINDS: tuple[tuple[str, str, FieldSpec], ...] = tuple(
    (kind.name, kind.section, next(f for f in kind.fields_all if f.search == "title"))
    for kind in PACK_KINDS if "evidence" in kind.by_name
)
_LABELS = {name: label for name, _attribute, label in _KINDS}
SUMMARY = "summary"
# What names the summary and the sessions in every language: the summary's word (or what a "which one?" list calls it,
# "the summary"), and that of the command listing the sessions.
_SUMMARY_WORDS = frozenset(
    fold(catalogue_for(language)(key)) for language in ("en", *LOCAL_NAMES) for key in ("why.summary", "why.choice_summary")
)
_MEETING_WORDS = frozenset(fold(local_command("meeting", language)) for language in ("en", *LOCAL_NAMES))
MAX_CHOICES = 5
TITLE_LIMIT = 80  # a long quote or question names the answer in a short title
# What `why` keeps, per version of the briefing, of whether each source's text could be read (`_unread`).
_TEXTS_READ = "why.texts_read"


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
            yield Found(kind, item.id, str(getattr(item, label.attr)), item.evidence)


def find_items(index: BriefingIndex, wanted: str) -> list[Found]:
    """Items named by `kind/id`, by id, or by words of their title, name, words or question (a quote's also by words of
    its translation into the reader's language, which answers show beside them). A whole title, as folded, names its own
    items alone: a "which one?" list offers titles, and "Donald Trump" must not stay one of the entries holding it."""
    text = wanted.strip()
    exact = _named(index, text)
    if exact:
        return exact
    words = fold(text).split()
    if not words:
        return []
    matching = [(kind, item_id, title) for kind, item_id, title in index.titles if all(word in title for word in words)]
    whole = [(kind, item_id) for kind, item_id, title in matching if title == " ".join(words)]
    # The summary, which a list names by its word, yields its title to a session that shares it.
    whole = [named for named in whole if named[0] != SUMMARY] or whole
    # A quote named by both its words and their translation is found once.
    found = dict.fromkeys(whole or [(kind, item_id) for kind, item_id, _title in matching])
    return [_found(index, kind, item_id) for kind, item_id in found]


def _found(index: BriefingIndex, kind: str, item_id: str) -> Found:
    """The summary, or the item of that kind and id."""
    if kind == SUMMARY:
        return Found(SUMMARY, SUMMARY, index.briefing.title, index.briefing.summary_evidence)
    item = index.items[kind][item_id]
    return Found(kind, item.id, str(getattr(item, _LABELS[kind].attr)), item.evidence)


def naming_words(index: BriefingIndex, item: Found, asked: str = "") -> str | None:
    """A few words of the item's title, as written there, that `why` finds it by alone (with the `asked` words, when
    they are in its title): what an example or a "which one?" offers a reader, who never sees an id. None when no
    short run of its title's words names it alone. A quote's words translated for the reader are such a title too,
    tried first unless only its own words hold the asked ones: the reader's language, and what they typed, lead."""
    asked_words = fold(asked).split()
    titles = [item.label] if item.kind == SUMMARY else list(reversed(index.names_of(index.items[item.kind][item.item_id], _LABELS[item.kind])))
    titles.sort(key=lambda title: not any(word in fold(title) for word in asked_words))  # stable: the reader's words stay first
    return next((words for title in titles if (words := _naming_run(index, item, title, asked_words))), None)


def _naming_run(index: BriefingIndex, item: Found, label: str, asked: list[str]) -> str | None:
    """The shortest run of `label`'s words (with the asked ones, where they are in it) that `why` finds the item by alone."""
    title = label.split()
    folded = [fold(word) for word in title]
    anchors = {place for word in asked for place in range(len(title)) if word in folded[place]}
    content = [place for place in range(len(title)) if len(folded[place]) > 3 and place not in anchors]
    if anchors:  # the asked words and the nearest other word of the title (`meeting`, which names sessions, is in none)
        spans = sorted(((min(*anchors, place), max(*anchors, place)) for place in content), key=lambda s: (s[1] - s[0], s[0]))
    else:  # two words close together (the longest first), else one
        pairs = [(a, b) for a in content for b in content if a < b <= a + 2]
        pairs.sort(key=lambda s: -(len(folded[s[0]]) + len(folded[s[1]])))
        spans = [*pairs, *sorted(((place, place) for place in content), key=lambda s: -len(folded[s[0]]))]
    for first, last in spans:
        words = title[first : last + 1]
        if not all(map(_typable, words)):
            continue
        text = " ".join(words)
        if [f.ref for f in find_items(index, text)] == [item.ref]:
            return text
    return None


def _typable(word: str) -> bool:
    """A title's word a reader can type as it is: no quotation marks around or in it (an apostrophe inside is fine), no
    `:` or `=`, which the line parser would read as an option."""
    return bool(fold(word)) and not any(mark in word for mark in '"“”«»„:=') and word[0] not in "'‘’" and word[-1] not in "'‘’"


def named_keys(text: str) -> tuple[tuple[str, str], ...]:
    """The (kind, id) of each item `text` may name exactly, in `every_item`'s order: what a one-shot `ask /why` reads.

    An id has no "/" (`IDENT`), so `kind/id` can only be a ref, and a bare word only an id (or "summary").
    """
    kind, slash, item_id = text.strip().rpartition("/")
    return tuple((name, item_id) for name, _attribute, _label in _KINDS if kind == name or not slash)


def _named(index: BriefingIndex, text: str) -> list[Found]:
    """What `text` names exactly: the first item, in `every_item`'s order, whose ref or id it is (looked up by id, not by
    building every item); `summary` (or the brief's word, `resumen`, or "the summary", as a "which one?" list names it),
    the summary; `meeting` (`reunión`), every session, as `/meeting` lists them (one: the meeting itself, whatever its id)."""
    briefing = index.briefing
    word = fold(text)
    if word in _SUMMARY_WORDS:
        return [_found(index, SUMMARY, SUMMARY)]
    if word in _MEETING_WORDS:
        return [Found("session", s.id, s.title, s.evidence) for s in briefing.sessions]
    for name, item_id in named_keys(text):
        if item_id in index.items[name]:
            return [_found(index, name, item_id)]
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
        raise _several(ctx, index, args.get("item"), found)
    chosen = found[0]
    # A page at a time, as every list: a chat message holds a few passages, and a cut of 70 in Slack lost their sources.
    window = ctx.window(len(chosen.evidence), args.page)
    shown = chosen.evidence[window.start : window.stop]
    unread = await _unread(ctx, index, {piece.source for piece in shown})
    return Reply(
        title=ctx.cat("why.title", item=await _shown_label(ctx, index, chosen)),
        text=ctx.cat("why.intro_summary" if chosen.kind == SUMMARY else "why.intro"),
        items=tuple(_passage(ctx, index, piece, unread) for piece in shown),
        fields=(await _last_change(ctx, index, chosen),),
        sources=ctx.source_refs(index, {piece.source for piece in shown}),
        page=ctx.page(window, "why", {}, args.get("item")),
    )


def _several(ctx: Context, index: BriefingIndex, asked: str, found: list[Found]) -> UserError:
    """Which entries the words name, by their titles, and words that pick one of them (never a `kind/id`)."""
    # The summary's title is the briefing's, which a session may share: it is named as the summary.
    titles = [ctx.cat("why.choice_summary") if f.kind == SUMMARY else _choice(ctx, index, f) for f in found[:MAX_CHOICES]]
    if len(found) > MAX_CHOICES:
        shown = ctx.cat("why.choices_more", shown=", ".join(titles), n=len(found) - MAX_CHOICES)
    else:
        shown = ctx.cat("why.choices", first=", ".join(titles[:-1]), last=titles[-1])
    example = next((words for f in found[:MAX_CHOICES] if (words := naming_words(index, f, asked))), None)
    if example is None:
        return UserError("why.several", item=asked[:80], n=len(found), choices=shown)
    return UserError("why.several_example", item=asked[:80], n=len(found), choices=shown, command="why", example=example)


def _quote(index: BriefingIndex, found: Found) -> Quote | None:
    """The quote the entry is, when it is one: its words name it in quotation marks, its label and speaker with them."""
    item = index.items[found.kind].get(found.item_id) if found.kind == "quote" else None
    return item if isinstance(item, Quote) else None


async def _shown_label(ctx: Context, index: BriefingIndex, found: Found) -> str:
    """The item as a title names it; a quote by its speaker and quoted words, labelled when the source translated them."""
    title, quote = shortened(found.label, TITLE_LIMIT), _quote(index, found)
    if quote is None:
        return title
    speaker = index.people.get(quote.speaker)
    if speaker is None:  # a one-shot `ask` read the named quote alone: its speaker now
        speaker = (await ctx.more(index, Part(frozenset(), keys=(("person", quote.speaker),)))).people.get(quote.speaker)
    return said_by(speaker.name if speaker else quote.speaker, title, quote.translated_from, ctx.cat)


def _choice(ctx: Context, index: BriefingIndex, found: Found) -> str:
    """One entry of a "which one?" list, quoted; a quote the source gave translated, labelled as its translation."""
    title, quote = shortened(found.label, TITLE_LIMIT), _quote(index, found)
    return named_by_words(title, quote.translated_from, ctx.cat) if quote else ctx.cat("why.choice", title=title)


def _in_view(index: BriefingIndex, found: list[Found]) -> list[Found]:
    """Items found in the stored briefing, as the reader's view shows them (the same refs)."""
    refs = {f.ref for f in found}
    return [f for f in every_item(index) if f.ref in refs] if refs else []


def _passage(ctx: Context, index: BriefingIndex, piece: Evidence, unread: Collection[str]) -> Item:
    source = index.sources[piece.source]
    # A source with no text (paywalled, or added in a chat), or one whose text the bot could not read: nothing checked
    # that the passage is its words.
    said = "why.unchecked" if source.text is None else "why.unread" if source.id in unread else "quote.words"
    return Item(title=source_ref(source, ctx.cat).label, text=ctx.cat(said, words=piece.passage), meta=source.url or ctx.cat("source.no_url"))


async def _unread(ctx: Context, index: BriefingIndex, cited: Collection[str]) -> set[str]:
    """The sources among `cited` whose `text:` file the bot could not read, or may not (a path a chat set): their passages
    were checked against no text, as an admin's new passage would not be (`cited.text_of`). Asked once per version of
    the briefing, as its answers are kept (`CommandSpec.remembered`): a file put right counts from the next version."""
    read: dict[str, bool] = index.memo(_TEXTS_READ, dict)
    for source_id in sorted(cited):
        source = index.sources[source_id]
        if source.text is not None and source_id not in read:
            read[source_id] = (await text_of(ctx.repository, index.briefing.id, source)).text is not None
    return {source_id for source_id in cited if not read.get(source_id, True)}


async def _last_change(ctx: Context, index: BriefingIndex, found: Found) -> Field:
    """When the item's latest revision (an edit, or an import or load that changed it) was made, and what it did, named
    as `history` names it; the instant also for adapters to show in each reader's own clock."""
    name = ctx.cat("why.changed")
    kind = HEAD_LOG if found.kind == SUMMARY else found.kind
    item_id = index.briefing.id if found.kind == SUMMARY else found.item_id
    revisions: list[Any] = await ctx.repository.revisions(index.briefing.id, kind, item_id, limit=1, data=False)
    if not revisions:
        return Field(name, ctx.cat("why.unchanged"))
    latest = revisions[0]
    if latest.platform == LOAD_PLATFORM:
        return Field(name, ctx.cat("why.loaded", number=latest.id))
    if latest.kind == HEAD:  # an import: whether it brought the item in or changed it is in its data
        latest = await ctx.repository.revision(index.briefing.id, latest.id) or latest
    focus = f"{HEAD if found.kind == SUMMARY else found.kind}/{item_id}"
    (change,) = await revision_titles(ctx.repository, [latest], ctx.cat, focus)
    return Field(name, ctx.cat("why.changed_at", at=utc_time_label(latest.at, ctx.cat), change=change), moment=latest.at)
