"""`/use` (which briefing answers here, and an admin's choice of it) and `/briefings` (those there are)."""

from __future__ import annotations

from dataclasses import replace

from bot.core.choosing import Choice, ChoiceStore, find_briefing, resolve
from bot.core.context import Context
from bot.core.formatting import local_time_label
from bot.core.registry import Args
from bot.core.replies import Field, Item, Reply
from bot.errors import UserError


def _choices(ctx: Context) -> ChoiceStore:
    if ctx.choices is None:
        raise UserError("use.unavailable")
    return ctx.choices


async def use(ctx: Context, args: Args) -> Reply:
    """Which briefing answers in this channel and why; with briefing:, an admin chooses it for the channel or space."""
    if not args.get("briefing"):
        return await _here(ctx)
    request = ctx.request
    if not ctx.administers:  # anyone may ask what applies; only an admin changes it
        raise UserError("admin.denied", command="use briefing:")
    if not request.team_id:
        raise UserError("use.no_space")
    chosen = find_briefing(await ctx.repository.briefings(), args.get("briefing"))
    if chosen.archived:  # readable by name, but not to be the briefing a channel reads from now on
        raise UserError("use.archived", briefing=chosen.id)
    scope = args.get("for") or "channel"
    if scope == "channel" and not request.channel_id:
        raise UserError("use.no_channel")
    channel = (request.channel_id or "") if scope == "channel" else ""
    await _choices(ctx).choose(Choice(request.platform, request.team_id, channel, chosen.id, request.user_id, request.now))
    return Reply(title=ctx.cat(f"use.set_{scope}", title=chosen.title, briefing=chosen.id))


async def _here(ctx: Context) -> Reply:
    """What applies here: the briefing, and whether the channel, the space or the default chose it."""
    found = await resolve(replace(ctx.request, briefing_id=None), "", ctx.repository, ctx.choices)
    briefing = await ctx.repository.briefing(found.briefing_id)
    why = ctx.cat(f"use.why_{found.why}")
    if found.choice is not None:
        why = ctx.cat("use.why_by", why=why, by=found.choice.chosen_by, at=f"{found.choice.chosen_at:%Y-%m-%d %H:%M} UTC")
    return Reply(title=ctx.cat("use.here", title=briefing.title, briefing=briefing.id), text=why, footer=ctx.cat("use.footer"))


async def briefings(ctx: Context, args: Args) -> Reply:
    """Every stored briefing: title, status, next session, last change; the one answering here is marked."""
    held = await ctx.repository.briefings()
    if not held:
        raise UserError("briefing.none")
    here = (await resolve(replace(ctx.request, briefing_id=None), "", ctx.repository, ctx.choices)).briefing_id
    window = ctx.window(len(held), args.page)
    items = []
    for summary in held[window.start : window.stop]:
        briefing = await ctx.repository.briefing(summary.id)
        meeting = briefing.meeting
        status = ctx.cat("briefings.archived") if summary.archived else ctx.cat(f"status.{meeting.status}")
        session = local_time_label(meeting.starts_at, briefing.venue, ctx.cat) if meeting.starts_at else ctx.cat("value.not_announced")
        changed = f"{summary.updated_at:%Y-%m-%d %H:%M} UTC" if summary.updated_at else "—"
        marks = [ctx.cat("briefings.changed", at=changed)]
        marks += [ctx.cat("briefings.here")] if summary.id == here or (here is None and summary.is_default) else []
        marks += [ctx.cat("briefings.default")] if summary.is_default else []
        items.append(Item(
            title=f"{summary.title} ({summary.id})",
            text=ctx.cat("briefings.line", status=status, session=session),
            meta=" · ".join(marks),
        ))
    return Reply(
        title=ctx.cat("briefings.title", n=len(held)),
        items=tuple(items),
        fields=(Field(ctx.cat("briefings.how"), ctx.cat("briefings.how_text")),),
        page=ctx.page(window, "briefings", {}),
    )
