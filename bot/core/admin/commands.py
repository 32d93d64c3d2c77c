"""`set`, `add`, `remove`, `history` and `undo`: every change checked like a pack and logged as a revision."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.core.admin.edits import Edited, edit_pack, item_data, restore_pack, validate
from bot.core.admin.kinds import KINDS, MEETING_ID, Kind
from bot.core.context import Context
from bot.core.index import BriefingIndex
from bot.core.model import Briefing
from bot.core.registry import Args
from bot.core.replies import Field, Item, Reply
from bot.core.repository import Change, Revision, StaleEdit
from bot.errors import UserError

# Declared options of the edit commands; every other `key:value` is a field of the item.
# `reason:` explains a change; `note` is a field of timeline events, so it cannot be an option here.
EDIT_OPTIONS = frozenset({"kind", "id", "field", "value", "base", "source", "reason"})
SHOWN = 80
HISTORY_FETCHED = 200


async def set_command(ctx: Context, args: Args) -> Reply:
    """Set fields of an item (or the meeting): `field:value` pairs, or field: and value:."""
    kind, item_id = _target(args)
    fields = _fields(args)
    if not fields:
        raise UserError("admin.no_fields", kind=kind.name, fields=", ".join(kind.fields))
    return await _change(ctx, args, kind, item_id, "edit", lambda briefing: edit_pack(briefing, kind, item_id, "edit", fields, ctx.cat, args.get("source")))


async def add_command(ctx: Context, args: Args) -> Reply:
    """Add an item with its fields; it goes after the others of its kind."""
    kind, item_id = _target(args)
    if kind.single:
        raise UserError("admin.single", kind=kind.name)
    fields = _fields(args)
    return await _change(ctx, args, kind, item_id, "add", lambda briefing: edit_pack(briefing, kind, item_id, "add", fields, ctx.cat, args.get("source")))


async def remove_command(ctx: Context, args: Args) -> Reply:
    """Remove an item; refused while anything still refers to it."""
    kind, item_id = _target(args)
    if kind.single:
        raise UserError("admin.single", kind=kind.name)
    return await _change(ctx, args, kind, item_id, "remove", lambda briefing: edit_pack(briefing, kind, item_id, "remove", {}, ctx.cat))


async def undo_command(ctx: Context, args: Args) -> Reply:
    """Restore exactly the state before a revision (the latest by default); itself a revision."""
    index = await ctx.index()
    bid = index.briefing.id
    if args.get("revision"):
        target = await ctx.repository.revision(bid, int(args.get("revision")))
        if target is None:
            raise UserError("admin.no_revision", number=args.get("revision"))
    else:
        latest = await ctx.repository.revisions(bid, limit=1)
        if not latest:
            raise UserError("admin.nothing_to_undo")
        target = latest[0]
    if target.kind == "briefing":
        return await _undo_import(ctx, index, target)
    kind = KINDS[target.kind]
    current = await ctx.repository.item_revision(bid, target.kind, target.item_id)
    if current != target.id:
        raise UserError("admin.undo_later", number=target.id, item=f"{kind.name}/{target.item_id}", later=current)
    before = target.before["item"] if target.before else None
    position = target.before.get("position") if target.before else None
    return await _change(
        ctx, args, kind, target.item_id, "undo",
        lambda briefing: restore_pack(briefing, kind, target.item_id, before, ctx.cat),
        undoes=target.id, position=position, base=target.id,
    )


async def history_command(ctx: Context, args: Args) -> Reply:
    """Who changed what and when, before → after, newest first; for the briefing or one item."""
    index = await ctx.index()
    kind = KINDS[args.get("kind")] if args.get("kind") else None
    item_id = (MEETING_ID if kind and kind.single else args.get("id")) or None
    if item_id and kind is None:
        raise UserError("args.missing", command="history", option="kind")
    revisions = await ctx.repository.revisions(index.briefing.id, kind.name if kind else None, item_id, limit=HISTORY_FETCHED)
    if not revisions:
        raise UserError("admin.no_history")
    window = ctx.window(len(revisions), args.page)
    shown = revisions[window.start : window.stop]
    options = {key: args.get(key) for key in ("kind", "id") if args.get(key)}
    return Reply(
        title=ctx.cat("admin.history_title", n=len(revisions)),
        items=tuple(history_item(ctx, revision) for revision in shown),
        page=ctx.page(window, "history", options),
    )


async def _change(
    ctx: Context,
    args: Args,
    kind: Kind,
    item_id: str,
    action: str,
    build: Callable[[Briefing], Edited],
    *,
    undoes: int | None = None,
    position: int | None = None,
    base: int | None = None,
) -> Reply:
    """Check the edit against the briefing as it is under the store's write lock, and write it with its revision."""
    request = ctx.request
    if base is None and args.get("base"):
        base = int(args.get("base"))
    source = args.get("source")

    def change(briefing: Briefing) -> Change:
        if source and not source.startswith(("https://", "http://")) and all(s.id != source for s in briefing.sources):
            raise UserError("admin.unknown_source", source=source[:64])
        edited = build(briefing)
        return Change(
            briefing=edited.briefing, kind=kind.name, item_id=item_id, action=action, before=edited.before,
            after=edited.after, item=edited.item(kind, item_id), actor=request.user_id, platform=request.platform,
            at=request.now, base=base, source=source, note=args.get("reason"), undoes=undoes, position=position,
        )

    briefing = await ctx.repository.briefing(request.briefing_id)  # its id; the write path needs no index
    try:
        number, done = await ctx.repository.apply(briefing.id, change)
    except StaleEdit as stale:
        raise await _stale(ctx, kind, item_id, base, stale.current) from None
    return Reply(
        title=ctx.cat(f"admin.done_{action}", number=number, item=f"{kind.name}/{item_id}", undoes=undoes),
        fields=_diff_fields(done.before, done.after),
        footer=ctx.cat("admin.undo_hint", number=number),
    )


async def _undo_import(ctx: Context, index: BriefingIndex, target: Revision) -> Reply:
    """Put back the whole pack that a load replaced, if nothing changed since."""
    if target.before is None:
        raise UserError("admin.undo_first_load", number=target.id)
    latest = (await ctx.repository.revisions(index.briefing.id, limit=1))[0]
    if latest.id != target.id:
        raise UserError("admin.undo_import_later", number=target.id, later=latest.id)
    restored = validate(target.before["item"], None, None, ctx.cat)

    def change(briefing: Briefing) -> Change:
        return Change(
            briefing=restored, kind="briefing", item_id=restored.id, action="undo",
            before=target.after["item"] if target.after else None, after=target.before["item"], item=restored,
            actor=ctx.request.user_id, platform=ctx.request.platform, at=ctx.request.now, base=target.id, undoes=target.id,
        )

    try:
        number, _ = await ctx.repository.apply(index.briefing.id, change)
    except StaleEdit:
        raise UserError("admin.undo_import_later", number=target.id, later="?") from None
    return Reply(title=ctx.cat("admin.done_undo_import", number=number, undoes=target.id), footer=ctx.cat("admin.undo_hint", number=number))


async def _stale(ctx: Context, kind: Kind, item_id: str, base: int | None, current: int) -> UserError:
    """The refusal of a stale edit, showing what the item holds now."""
    now = item_data((await ctx.index()).briefing, kind, item_id)
    shown = "; ".join(f"{k}: {_show(v)}" for k, v in (now or {}).items() if k != "id") or ctx.cat("admin.removed")
    return UserError("admin.stale", item=f"{kind.name}/{item_id}", base=base, current=current, now=_clip(shown, 600))


def _target(args: Args) -> tuple[Kind, str]:
    kind = KINDS[args.get("kind")]
    if kind.single:
        return kind, MEETING_ID
    if not args.get("id"):
        raise UserError("args.missing", command=kind.name, option="id")
    return kind, args.get("id")


def _fields(args: Args) -> dict[str, str]:
    """The fields to set: every undeclared `key:value`, plus field:/value: when given."""
    fields = {key: value for key, value in args.values.items() if key not in EDIT_OPTIONS}
    if args.get("field"):
        fields[args.get("field")] = args.get("value")
    elif args.get("value"):
        raise UserError("args.missing", command="set", option="field")
    return fields


def _diff_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> tuple[Field, ...]:
    """One field per changed key: “old” → “new”."""
    keys = dict.fromkeys([*(before or {}), *(after or {})])
    changed = [k for k in keys if (before or {}).get(k) != (after or {}).get(k)]
    return tuple(
        Field(key, f"{_show((before or {}).get(key))} → {_show((after or {}).get(key))}") for key in changed
    )


def history_item(ctx: Context, revision: Revision) -> Item:
    """One revision as a list entry: what changed, before → after, who, when and on what source."""
    before = revision.before["item"] if revision.before else None
    after = revision.after["item"] if revision.after else None
    if revision.kind == "briefing":
        lines = [ctx.cat("admin.history_import_text")]
    else:
        lines = [f"{field.name}: {field.value}" for field in _diff_fields(before, after)]
    if revision.note:
        lines.append(ctx.cat("admin.history_note", note=revision.note))
    meta = ctx.cat(
        "admin.history_meta", at=revision.at.strftime("%Y-%m-%d %H:%M UTC"), platform=revision.platform, actor=revision.actor
    )
    if revision.source:
        meta = ctx.cat("admin.history_source", meta=meta, source=revision.source)
    title = ctx.cat(f"admin.history_{revision.action}", number=revision.id, item=f"{revision.kind}/{revision.item_id}")
    return Item(title=title, text="\n".join(lines), meta=meta)


def _show(value: Any) -> str:
    """A value as one short quoted line; absent values say so."""
    if value is None:
        return "—"
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return f"“{_clip(str(value), SHOWN)}”"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
