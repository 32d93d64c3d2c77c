"""`brief` (the one-screen overview) and `meeting` (every detail of the meeting)."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.formatting import fuzzy_label
from bot.core.index import BriefingIndex
from bot.core.registry import Args
from bot.core.replies import Field, Reply
from bot.core.status import status_field, when_field


def parties_label(index: BriefingIndex) -> str:
    """"Gustavo Petro & Donald Trump"."""
    names = [index.person_name(pid) for pid in index.briefing.meeting.parties]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} & {names[-1]}"


def cached_when(index: BriefingIndex, ctx: Context) -> Field:
    """The start in each zone; fixed for a briefing version, so rendered once per locale."""
    return index.memo(("when", ctx.cat.locale), lambda: when_field(index.briefing, ctx.cat))


def who_label(index: BriefingIndex, ctx: Context, named: int) -> str:
    """The principals and the delegation: its size as the source gives it, when it does, and how many it names."""
    size = index.briefing.meeting.delegation
    key = "brief.who_sized" if size else "brief.who"
    return ctx.cat(key, parties=parties_label(index), n=named, size=size)


async def brief(ctx: Context, args: Args) -> Reply:
    """The one-screen overview: what, when, who, top topics, latest development, sources."""
    index = await ctx.localized()
    briefing, cat = index.briefing, ctx.cat
    meeting = briefing.meeting
    delegation = [p for p in briefing.people if p.delegation]
    fields = [
        cached_when(index, ctx),
        status_field(meeting, ctx.request.now, cat),
        Field(cat("field.where"), meeting.venue, inline=True),
        Field(cat("field.who"), who_label(index, ctx, len(delegation)), inline=True),
        Field(cat("field.topics"), ", ".join(meeting.topics) or cat("value.not_announced")),
    ]
    latest = index.latest_happened(ctx.request.now)
    if latest is not None:
        fields.append(
            Field(cat("field.latest"), cat("brief.latest", date=fuzzy_label(latest.date, cat), title=latest.title))
        )
    return Reply(
        title=briefing.title,
        text=briefing.summary,
        fields=tuple(fields),
        footer=cat("brief.footer"),
        sources=ctx.source_refs(index, [s.id for s in briefing.sources]),
    )


async def meeting(ctx: Context, args: Args) -> Reply:
    """Every detail of the meeting, with status and countdown relative to now."""
    index = await ctx.localized()
    briefing, cat = index.briefing, ctx.cat
    meeting = briefing.meeting
    stakes = "\n".join(f"• {index.person_name(s.party)}: {s.text}" for s in meeting.stakes)
    fields = (
        cached_when(index, ctx),
        status_field(meeting, ctx.request.now, cat),
        Field(cat("field.where"), meeting.venue, inline=True),
        Field(cat("field.format"), meeting.format, inline=True),
        Field(cat("field.parties"), parties_label(index), inline=True),
        Field(cat("field.aims"), "\n".join(f"• {aim}" for aim in meeting.aims) or cat("value.not_announced")),
        Field(cat("field.topics"), ", ".join(meeting.topics) or cat("value.not_announced")),
        Field(cat("field.stakes"), stakes or cat("value.not_announced")),
        Field(cat("field.outcome"), meeting.outcome or cat("value.no_outcome")),
    )
    return Reply(
        title=cat("meeting.title", parties=parties_label(index)),
        fields=fields,
        sources=ctx.source_refs(index, meeting.sources),
    )
