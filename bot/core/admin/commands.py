"""`set`, `add`, `remove`, `history`, `undo` and `redo`: every change checked like a pack and logged as a revision."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from msgspec.structs import replace

from bot.core.admin import cited
from bot.core.admin.authors import author_words
from bot.core.admin.edits import Edited, edit_pack, invalid, item_data, no_item, restore_pack, suggested, validate
from bot.core.admin.head import FIELDS as HEAD_FIELDS
from bot.core.admin.head import SHOWN as HEAD_SHOWN
from bot.core.admin.head import edit_head, head_state, label_note, language_note, restore_head
from bot.core.admin.imports import next_steps, pack_changes
from bot.core.admin.kinds import KINDS, MEETING_ID, Kind
from bot.core.admin.logged import at_revision, logged, pack_today, part, read_today
from bot.core.admin.passages_kept import kept_note
from bot.core.admin.shown import changed_keys, diff_fields, revision_titles, shown
from bot.core.admin.steps import stacks
from bot.core.admin.translated import settable, translations_note
from bot.core.admin.uses import in_use, uses_line
from bot.core.catalogue import Catalogue
from bot.core.checker import Checker
from bot.core.context import Context
from bot.core.fields import Field as FieldDef
from bot.core.formatting import utc_time_label
from bot.core.kinds import HEAD, HEAD_LOG
from bot.core.localize import title_in
from bot.core.model import Briefing
from bot.core.pack import pack_mapping
from bot.core.registry import Args, field_named, local_field
from bot.core.replies import Field, Item, Reply, joined
from bot.core.repository import Change, Revision, SourceText, StaleEdit
from bot.core.sessions import only
from bot.core.text import shortened
from bot.errors import UserError

# Declared options of the edit commands; every other `key:value` is a field of the item.
# `reason:` explains a change; `note` is a field of timeline events and sessions, so it cannot be an option here.
EDIT_OPTIONS = frozenset({"kind", "id", "field", "value", "base", "source", "reason", "briefing", "lang", "passage"})
# LIMIT for "every one" that both stores take: history counts every revision's head to number its pages.
EVERY = 2**31 - 1
# A redo is logged as what it is, an undo of an undo (migration 003 knows no other action).
LOGGED_AS = {"redo": "undo"}


class _Unchanged(Exception):
    """An edit that leaves the item as the store holds it: a revision of it would log nothing, yet count as news
    in digests and as an edit a plain load must not overwrite."""


async def set_command(ctx: Context, args: Args) -> Reply:
    """Set fields of an item (`kind:meeting`: the only session, `kind:briefing`: its head): `field:value` pairs, or field: and value:."""
    if args.get("kind") == HEAD:
        return await _set_head(ctx, args)
    kind, item_id = await _target(ctx, args)
    fields, passage = _fields(args), _passage(args)
    if not fields and not passage:
        raise _no_fields(ctx, kind.name, kind.fields, kind.by_name, args)
    edit = partial(
        edit_pack, kind=kind, item_id=item_id, action="edit", fields=fields, cat=ctx.cat, cite=args.get("source"), by_line=ctx.request.form,
        language=args.get("lang"), passage=passage,
    )
    return await _set(ctx, args, kind, item_id, _setting(fields, passage), edit)


async def _set_head(ctx: Context, args: Args) -> Reply:
    """Set fields of the briefing's head: title, summary, evidence (its passages cite `source:`), the venue's zone and label."""
    briefing_id = (await ctx.repository.briefing(ctx.request.briefing_id)).id
    if args.get("id") and args.get("id") != briefing_id:  # an id meant as the briefing's would edit the channel's one
        raise UserError("admin.head_id", id=args.get("id")[:64], briefing=briefing_id)
    fields, passage = _fields(args), _passage(args)
    if not fields and not passage:
        raise _no_fields(ctx, HEAD, HEAD_FIELDS, HEAD_FIELDS, args)
    edit = partial(edit_head, fields=fields, cat=ctx.cat, cite=args.get("source"), language=args.get("lang"), passage=passage)
    return await _set(ctx, args, None, briefing_id, _setting(fields, passage), edit)


async def _set(
    ctx: Context, args: Args, kind: Kind | None, item_id: str, fields: tuple[str, ...],
    edit: Callable[[Briefing], Edited],
) -> Reply:
    """`set` of an item or (`kind` None) the head: an edit that leaves it as stored is told so, and nothing is written
    (decided under the write lock, where `_change` builds it)."""

    def build(briefing: Briefing) -> Edited:
        edited = edit(briefing)
        if edited.unchanged():
            raise _Unchanged
        return edited

    try:
        return await _change(ctx, args, kind, item_id, "edit", build, setting=fields, passages=True)
    except _Unchanged:
        return Reply(title=ctx.cat("admin.unchanged", item=f"{kind.name if kind else HEAD}/{item_id}"))


async def add_command(ctx: Context, args: Args) -> Reply:
    """Add an item with its fields; it goes after the others of its kind."""
    _not_the_alias(args)
    kind, item_id = await _target(ctx, args)
    fields = _fields(args)

    def build(briefing: Briefing) -> Edited:
        return edit_pack(briefing, kind, item_id, "add", fields, ctx.cat, args.get("source"), by_line=ctx.request.form, passage=args.get("passage"))

    return await _change(ctx, args, kind, item_id, "add", build, passages=True)


async def remove_command(ctx: Context, args: Args) -> Reply:
    """Remove an item; refused while anything still refers to it."""
    _not_the_alias(args)
    kind, item_id = await _target(ctx, args)
    see = uses_line(ctx, kind, item_id, await ctx.pinned())

    def build(briefing: Briefing) -> Edited:
        refusal = in_use(briefing, kind, item_id, ctx.cat, see)  # a summary, not one problem per reference
        if refusal is not None:
            raise refusal
        return edit_pack(briefing, kind, item_id, "remove", {}, ctx.cat)

    return await _change(ctx, args, kind, item_id, "remove", build)


async def undo_command(ctx: Context, args: Args) -> Reply:
    """Walk back: undo the latest change not yet undone (or the revision given); itself a revision."""
    briefing = (await ctx.index()).briefing
    bid = briefing.id
    log = stacks(await ctx.repository.steps(bid))
    if args.get("revision"):
        target = await ctx.repository.revision(bid, int(args.get("revision")))
        if target is None:
            raise await _not_here(ctx, int(args.get("revision")))
        already = log.already(target.id, await _typed(ctx))
        if already is not None:
            raise already
    else:
        if not log.done:  # named: the reader may have meant another briefing, edited with briefing:
            raise UserError("admin.nothing_to_undo", title=title_in(briefing, ctx.cat.locale), briefing=bid)
        target = await _revision(ctx, bid, log.done[-1])
    verb = "undo" if log.takes_out(target.id) else "redo"  # undoing an undo puts its change back: a redo, as history names it
    return _whose(ctx, target, verb, await _revert(ctx, args, target, verb))


async def redo_command(ctx: Context, args: Args) -> Reply:
    """Take back the latest undo, while nothing else has changed since; itself a revision."""
    briefing = (await ctx.index()).briefing
    bid = briefing.id
    undone = stacks(await ctx.repository.steps(bid)).undone
    if not undone:  # named, as undo's
        raise UserError("admin.nothing_to_redo", title=title_in(briefing, ctx.cat.locale), briefing=bid)
    target = await _revision(ctx, bid, undone[-1])
    return _whose(ctx, target, "redo", await _revert(ctx, args, target, "redo"))


def _whose(ctx: Context, target: Revision, verb: str, reply: Reply) -> Reply:
    """The answer, naming whose change (or undo) it took back and when, as history does: with two editors, plain undo
    takes back the latest change by anyone, which may be a colleague's."""
    at = utc_time_label(target.at, ctx.cat)  # as history's entries say it
    whose = ctx.cat.marked(f"admin.{verb}_whose", undoes=target.id, at=at, **author_words(ctx.cat, target.actor, target.platform))
    return replace(reply, text=joined("\n\n", filter(None, (whose, reply.text))))  # and what it told (a language put back)


async def _revision(ctx: Context, briefing_id: str, number: int) -> Revision:
    """A revision the log just named (logs are never pruned, so it is there)."""
    found = await ctx.repository.revision(briefing_id, number)
    if found is None:
        raise UserError("admin.no_revision", number=number)
    return found


async def _not_here(ctx: Context, number: int) -> UserError:
    """No revision N of this briefing: revisions are numbered across the store, so N may be another briefing's."""
    owner = await ctx.repository.revision_briefing(number)
    titles = {known.id: known.title_in(ctx.cat.locale) for known in await ctx.repository.briefings()} if owner else {}
    if owner is None or owner not in titles:
        return UserError("admin.no_revision", number=number)
    return UserError("admin.revision_elsewhere", number=number, title=titles[owner], briefing=owner)


async def _revert(ctx: Context, args: Args, target: Revision, verb: str) -> Reply:
    """Put back what was there before `target`, if what it left is still there.

    Either the item's latest revision is `target` (checked by the store under its write lock), or
    the item holds exactly what `target` left (checked in `build`, under the same lock), as when a
    later change of it was undone: that is how repeated undos walk back.
    """
    if target.kind == "briefing":
        return await _undo_import(ctx, target, verb)
    kind = None if target.kind == HEAD_LOG else KINDS[target.kind]  # None: the head
    bid, item = target.briefing_id, f"{_kind_name(kind)}/{target.item_id}"
    latest = await ctx.repository.item_revision(bid, target.kind, target.item_id)
    logged_left = target.after["item"] if target.after else None
    logged_before = target.before["item"] if target.before else None
    position = target.before.get("position") if target.before else None
    typed = await _typed(ctx)
    see = "" if kind is None else uses_line(ctx, kind, target.item_id, await ctx.pinned())

    def build(briefing: Briefing) -> Edited:
        left, before = logged_left, logged_before
        now = None if kind is None else item_data(briefing, kind, target.item_id)
        if kind is not None:  # an item logged before a migration, or without the zone it got, reads as the store holds it
            # The zone an add did not log is the one the store gave it then: the item's still, if it holds what was left
            # (the venue's may have moved since).
            held = now.get("zone") if now else None
            got = held if isinstance(held, str) else briefing.venue.zone
            left, before = read_today(kind, left, got), read_today(kind, before, briefing.venue.zone)
        if kind is None:
            now = head_state(briefing, left)
        if latest != target.id and now != left:
            raise UserError("admin.undo_later", number=target.id, item=item, later=latest, undo=typed("undo", str(latest)))
        if kind is None:  # a head edit's `before` is always there: the head is never added nor removed
            return restore_head(briefing, before or {}, ctx.cat)
        refusal = in_use(briefing, kind, target.item_id, ctx.cat, see) if before is None else None  # undoing an add removes
        if refusal is not None:
            raise refusal
        return restore_pack(briefing, kind, target.item_id, before, ctx.cat)

    try:
        return await _change(ctx, args, kind, target.item_id, verb, build, undoes=target.id, position=position, base=latest)
    except UserError as error:
        refusal = error
        if error.key == "admin.stale":  # changed between our read and the write lock
            later = error.params["current"]
            refusal = UserError("admin.undo_later", number=target.id, item=item, later=later, undo=typed("undo", str(later)))
        if refusal.key != "admin.undo_later":
            raise
        raise await _moved_on(ctx, target, refusal) from None


async def _moved_on(ctx: Context, target: Revision, refusal: UserError) -> UserError:
    """Why an undo (or redo) found things changed since it read the log: often a colleague's undo of the same revision,
    committed first, which the log read again names; "undo the later one first" would put back what both wanted out."""
    return stacks(await ctx.repository.steps(target.briefing_id)).already(target.id, await _typed(ctx)) or refusal


async def history_command(ctx: Context, args: Args) -> Reply:
    """Who changed what and when, each value as it was and is now, newest first; for the briefing, a kind or one item.

    An item's history includes the pack imports and loads that changed it, showing that item only.
    """
    index = await ctx.index()
    head = args.get("kind") == HEAD  # the head's edits, and the loads and imports that changed it
    if head:
        kind, named = None, index.briefing.id
    else:
        kind, named = (await _target(ctx, args, need_id=False)) if args.get("kind") else (None, args.get("id"))
    item_id = named or None
    if item_id and kind is None and not head:
        raise UserError("args.missing", command="history", option="kind")
    logged = HEAD_LOG if head else kind.name if kind else None
    # Every head (no values: a load's is the whole pack) to count the pages; then the values of this page's alone.
    heads = await ctx.repository.revisions(index.briefing.id, logged, item_id, limit=EVERY, data=False)
    if not heads:
        if kind is not None and item_id and item_data(index.briefing, kind, item_id) is None:  # never was: not "no changes"
            raise no_item(index.briefing, kind, item_id)
        raise UserError("admin.no_history")
    window = ctx.window(len(heads), args.page)
    shown = heads[window.start : window.stop]
    listed = await ctx.repository.revisions(index.briefing.id, logged, item_id, limit=len(shown), before=shown[0].id + 1)
    options = {key: args.get(key) for key in ("kind", "id") if args.get(key)}
    focus = (kind, item_id) if item_id and (kind or head) else None
    titles = await revision_titles(ctx.repository, listed, ctx.cat, f"{_kind_name(focus[0])}/{focus[1]}" if focus else None)
    return Reply(
        title=ctx.cat("admin.history_title", n=len(heads)),
        items=tuple(history_item(ctx, revision, title, index.briefing, focus) for revision, title in zip(listed, titles, strict=True)),
        page=ctx.page(window, "history", options),
    )


async def _change(
    ctx: Context,
    args: Args,
    kind: Kind | None,
    item_id: str,
    action: str,
    build: Callable[[Briefing], Edited],
    *,
    undoes: int | None = None,
    position: int | None = None,
    base: int | None = None,
    setting: tuple[str, ...] = (),
    passages: bool = False,
) -> Reply:
    """Check the edit against the briefing as it is under the store's write lock, and write it with its revision.

    `kind` None: the edit is of the briefing's head, `item_id` the briefing's id.

    `setting`: the fields the edit sets, which a stale edit's refusal shows first. `passages`: the passages the edit
    brings are checked against their sources' texts, read before the lock is taken (files are not read under it)."""
    request = ctx.request
    if base is None and args.get("base"):
        base = int(args.get("base"))
    source = args.get("source")
    logged_with = Checker("edit")  # what the log keeps beside the change, checked as a pack's own text and `url:` are
    if source and source.startswith(("https://", "http://")):  # digests show it to every subscribed channel as a link
        logged_with.url(source, "source")  # no spaces, no user@ in front of the host…
    if args.get("reason"):  # history shows it to the other admins: no control or invisible characters
        logged_with.text(args.get("reason"), "reason")
    if logged_with.problems:
        raise invalid(logged_with.error(), None, None, ctx.cat)
    texts: dict[cited.TextKey, SourceText] = {}

    def change(briefing: Briefing) -> Change:
        if source and not source.startswith(("https://", "http://")) and all(s.id != source for s in briefing.sources):
            close = suggested(source, [known.id for known in briefing.sources])
            if close:
                raise UserError("admin.unknown_source_suggest", source=source[:64], ids=", ".join(close))
            raise UserError("admin.unknown_source", source=source[:64])
        edited = build(briefing)
        if passages:
            cited.check(edited.briefing, cited.new_passages(edited.before, edited.after), texts, ctx.cat)
        return Change(
            briefing=edited.briefing, kind=HEAD_LOG if kind is None else kind.name, item_id=item_id, action=LOGGED_AS.get(action, action),
            before=edited.before, after=edited.after, item=None if kind is None else edited.item(kind, item_id), actor=request.user_id,
            platform=request.platform, at=request.now, base=base, source=source, note=args.get("reason"), undoes=undoes,
            position=position, delivery=request.delivery,
        )

    briefing = await ctx.repository.briefing(request.briefing_id)  # its id; the write path needs no index
    while True:  # each turn reads at least one more text, so it ends
        try:
            number, done = await ctx.repository.apply(briefing.id, change)
            break
        except StaleEdit as stale:
            raise await _stale(ctx, kind, item_id, base, stale.current, setting) from None
        except cited.NeedTexts as need:
            for unread in need.sources:
                texts[cited.key(unread)] = await cited.text_of(ctx.repository, briefing.id, unread)
    item = f"{_kind_name(kind)}/{item_id}"
    pinned = await ctx.pinned()
    if kind is not None and pinned:
        # Not the briefing this channel reads, which may hold an item of that id too: say which was changed (a head's
        # item, `briefing/<id>`, names it already).
        item = ctx.cat("admin.item_in", item=item, briefing=briefing.id)
    unchecked = cited.unchecked(done.briefing, cited.new_passages(done.before, done.after), texts, ctx.cat) if passages else ""
    # A head whose language changed (an edit, or an undo of one) says what readers of the other language now read untranslated.
    said = language_note(done.briefing, done.before, done.after, ctx.cat) if kind is None else ""
    # A `set` of what the passages kept stand behind (a date, an answer) says which passage must still support it.
    fields_all = HEAD_FIELDS.values() if kind is None else kind.fields_all
    kept = kept_note(fields_all, done.before, done.after, done.briefing, ctx.cat, request.command_naming) if action == "edit" else ""
    # What readers of another language now see where a translation was set, changed or taken out (an edit of its original
    # drops it: the answer says how to give it again).
    again = partial(_again, ctx, _kind_name(kind), None if kind is None else item_id, pinned)
    fields = HEAD_FIELDS if kind is None else kind.by_name
    readers = translations_note(fields, done.before, done.after, done.briefing.language, ctx.cat, again)
    if kind is None:  # the venue's label: a place, whose readers see it named even with no translation
        readers = "\n".join(filter(None, (readers, label_note(done.briefing, done.before, done.after, ctx.cat, again))))
    return Reply(
        title=ctx.cat(f"admin.done_{action}", number=number, item=item, undoes=undoes),
        text="\n\n".join(filter(None, (unchecked, said, readers, kept))),
        fields=diff_fields(done.before, done.after, ctx.cat, done.briefing, reverting=action in ("undo", "redo")),
        footer=await next_steps(ctx, action, number),
    )


def _again(ctx: Context, kind: str, item_id: str | None, pinned: Mapping[str, str], field: str, language: str) -> str:
    """The `set` that gives a field's translation into `language` again, as the reader types it here (its field too)."""
    options = {"kind": kind, **({"id": item_id} if item_id else {}), "lang": language, **pinned}
    typed = local_field(field, ctx.request.command_words or ctx.cat.locale)
    if ctx.request.options_in_fields:
        return ctx.line("set", options={**options, "field": typed, "value": "…"}, slash=True)
    return f'{ctx.line("set", options=options, slash=True)} {typed}:"…"'


async def _typed(ctx: Context) -> Callable[[str, str], str]:
    """A command with its revision as the reader types it here, naming the briefing when this place reads another."""
    return partial(ctx.line, options=await ctx.pinned(), slash=True)


async def _undo_import(ctx: Context, target: Revision, verb: str) -> Reply:
    """Put back the whole pack that a load replaced, if the briefing still holds what the load left."""
    if target.before is None:  # named: a plain undo after an edit of another briefing reaches this one's first load
        briefing = (await ctx.index()).briefing
        raise UserError("admin.undo_first_load", number=target.id, title=title_in(briefing, ctx.cat.locale), briefing=briefing.id)
    before = target.before  # narrowed here, where the closure below cannot see the check
    bid = target.briefing_id
    # Read before the log: an edit committed after it moves the version, whatever revision the log then named.
    seen = (await ctx.repository.briefing(bid)).version
    latest = (await ctx.repository.revisions(bid, limit=1))[0].id
    base = await ctx.repository.item_revision(bid, "briefing", bid)
    # A pack logged before a migration is read as the store holds it since, and put back so (`parse_pack`'s `held`).
    restored = validate(before["item"], None, None, ctx.cat, held=True)
    back = pack_mapping(restored)
    left = pack_today(target.after["item"]) if target.after else None

    def change(briefing: Briefing) -> Change:
        # Nothing written since the log named the import last: the briefing holds what it left. Else compare: `base`
        # counts only whole-briefing revisions, so an edit of one item since would not make the write stale.
        untouched = latest == target.id and briefing.version == seen
        if not untouched and pack_mapping(briefing) != left:
            raise UserError("admin.undo_import_later", number=target.id, later=latest)
        return Change(
            briefing=restored, kind="briefing", item_id=restored.id, action="undo", before=left, after=back,
            item=restored, actor=ctx.request.user_id, platform=ctx.request.platform, at=ctx.request.now, base=base,
            undoes=target.id, delivery=ctx.request.delivery,
        )

    try:
        number, _ = await ctx.repository.apply(bid, change)
    except StaleEdit as stale:
        raise await _moved_on(ctx, target, UserError("admin.undo_import_later", number=target.id, later=stale.current)) from None
    except UserError as error:
        if error.key != "admin.undo_import_later":
            raise
        now_latest = (await ctx.repository.revisions(bid, limit=1))[0].id  # the log read before the write may predate the edit
        raise await _moved_on(ctx, target, UserError("admin.undo_import_later", number=target.id, later=now_latest)) from None
    # What it put back, as the import's own dry run listed what it would change; a language put back says, as an
    # import's answer and a head edit's do, what readers of the other language now read untranslated.
    fields = tuple(Field(name, text) for name, text in pack_changes(left or {}, back, ctx.cat))
    said = language_note(restored, part(target.after, None, bid), part(target.before, None, bid), ctx.cat)
    return Reply(
        title=ctx.cat(f"admin.done_{verb}_import", number=number, undoes=target.id), text=said, fields=fields,
        footer=await next_steps(ctx, verb, number),
    )


async def _stale(ctx: Context, kind: Kind | None, item_id: str, base: int | None, current: int, setting: tuple[str, ...]) -> UserError:
    """The refusal of a stale edit, showing what the item holds now; a base that was never a revision says so.

    The fields being set and those changed since `base` come first, each with its value now: in pack order, a long
    item's list was cut before the field a colleague had just changed.
    """
    index = await ctx.index()
    seen = None if base is None else await ctx.repository.revision(index.briefing.id, base)
    if base is not None and (base < 1 or seen is None):  # revisions count from 1
        return UserError("admin.no_revision", number=base)
    fields: tuple[str, ...]
    if kind is None:  # the head: its pack data, `zone:` and `label:` set its first zone
        now = {k: v for k, v in head_state(index.briefing).items() if k in HEAD_SHOWN}
        setting, fields = tuple("zones" if k in ("zone", "label") else k for k in setting), HEAD_SHOWN
    else:
        now, fields = item_data(index.briefing, kind, item_id) or {}, kind.fields
    was = at_revision(seen, kind, item_id, index.briefing.venue.zone)
    changed = [] if was is None else changed_keys(was, now)
    first = [*setting, *changed] if now else []  # a removed item holds nothing to show
    # The fields an edit sets, as history shows them: not the id, nor the translations an edit of a field drops.
    order = [k for k in dict.fromkeys([*first, *now]) if k not in ("id", "translations") and (k in now or k in fields)]
    held = "; ".join(f"{local_field(k, ctx.cat.locale)}: {shown(k, now.get(k), ctx.cat, index.briefing)}" for k in order)
    return UserError("admin.stale", item=f"{_kind_name(kind)}/{item_id}", base=base, current=current, now=shortened(held or ctx.cat("admin.removed"), 600))


def _kind_name(kind: Kind | None) -> str:
    """A kind as the admin types it; None is the briefing's head."""
    return HEAD if kind is None else kind.name


def _not_the_alias(args: Args) -> None:
    """`kind:meeting` names an existing session: nothing to add, and removing it by that word would be a guess."""
    if args.get("kind") == MEETING_ID:
        raise UserError("admin.meeting_alias")


async def _target(ctx: Context, args: Args, need_id: bool = True) -> tuple[Kind, str]:
    """The kind and id an edit names; `kind:meeting` (what packs with one meeting used) names the only session."""
    if args.get("kind") == MEETING_ID:
        return KINDS["session"], only((await ctx.index()).briefing).id
    kind = KINDS[args.get("kind")]
    if need_id and not args.get("id"):
        raise UserError("args.missing", command="set", option="id")  # only set's id is optional (a kind's only session)
    return kind, args.get("id")


def _no_fields(ctx: Context, kind: str, names: Iterable[str], by_name: Mapping[str, FieldDef], args: Args) -> UserError:
    """A `set` naming no field: the fields it may name; with `lang:`, those that take a translation, and where the kind has
    a `language` field (the head's, a quote's), that it is that field which says what its own text is written in. Where
    each option is a field of its own (Discord), a field is named with `field:` and `value:`, never as `summary:…`."""
    typed = "_fields" if ctx.request.options_in_fields else ""
    language = args.get("lang")
    if not language:
        return UserError("admin.no_fields" + typed, kind=kind, fields=tuple(names))
    fields = tuple(name for name in names if settable(by_name[name]))
    if "language" in by_name:  # `lang:es` alone reads like the field `language:es`
        return UserError("admin.lang_no_fields" + typed, code=language, fields=fields)
    return UserError("admin.no_fields" + typed, kind=kind, fields=fields)


def _passage(args: Args) -> str:
    """What `passage:` adds to the evidence: a source's own words, which have no translation to give with `lang:`."""
    if args.get("passage") and args.get("lang"):
        raise UserError("admin.passage_lang")
    return args.get("passage")


def _setting(fields: Mapping[str, str], passage: str) -> tuple[str, ...]:
    """The fields a `set` changes, as a stale edit's refusal shows them first: `passage:` changes the evidence."""
    return (*fields, *(("evidence",) if passage and "evidence" not in fields else ()))


def _fields(args: Args) -> dict[str, str]:
    """The fields to set by their pack keys, typed in any language's words (`respuesta:` is `answer:`): every undeclared
    `key:value`, plus field:/value: when given. One field named twice (`title:` and `título:`) is refused, as an option is."""
    typed = [(key, value) for key, value in args.values.items() if key not in EDIT_OPTIONS]
    if args.get("field"):
        typed.append((args.get("field"), args.get("value")))
    elif args.get("value"):
        raise UserError("args.missing", command="set", option="field")
    fields: dict[str, str] = {}
    for key, value in typed:
        name = field_named(key)
        if name in fields:
            raise UserError("args.duplicate_option", option=key)
        fields[name] = value
    return fields


def history_item(
    ctx: Context, revision: Revision, title: str, briefing: Briefing | None = None, focus: tuple[Kind | None, str] | None = None,
) -> Item:
    """One revision as a list entry, under its title (`revision_titles`): what changed (was, now), who, when and on what source.

    `focus` is the item whose history is shown (a kind None: the head): an import then shows that item's part of the pack.
    """
    if revision.kind != "briefing":
        before, after = logged(revision.before), logged(revision.after)
        reverting = revision.action == "undo"  # a redo is logged as an undo of an undo
        lines = [f"{field.name}: {field.value}" for field in diff_fields(before, after, ctx.cat, briefing, reverting)]
    elif focus is not None:
        kind, item_id = focus
        before, after = (part(side, kind, item_id) for side in (revision.before, revision.after))
        lines = [f"{field.name}: {field.value}" for field in diff_fields(before, after, ctx.cat, briefing)]
    else:
        lines = pack_lines(logged(revision.before), logged(revision.after), ctx.cat)
    if revision.note:
        lines.append(ctx.cat("admin.history_note", note=revision.note))
    meta = ctx.cat.marked(
        "admin.history_meta", at=utc_time_label(revision.at, ctx.cat), **author_words(ctx.cat, revision.actor, revision.platform)
    )
    if revision.source:
        meta = ctx.cat.marked("admin.history_source", meta=meta, source=revision.source)
    return Item(title=title, text="\n".join(lines), meta=meta)


def pack_lines(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, cat: Catalogue) -> list[str]:
    """What a load or an import changed, a line per part, as its dry run listed it."""
    if before is None:
        return [cat("admin.history_first_load")]
    lines = [f"{name}: {'; '.join(text.splitlines())}" for name, text in pack_changes(before, after or {}, cat)]
    return lines or [cat("admin.history_order_only")]
