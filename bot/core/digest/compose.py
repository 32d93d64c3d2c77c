"""The digest and alert messages: what changed since the channel's last digest, status, next 24 hours.

A message is built from the briefing and revision log as they are when it is sent; `covers` is the
newest revision it reports, so the next digest starts after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.admin.commands import history_item
from bot.core.commands.agenda import when_where
from bot.core.commands.overview import cached_when, parties_label
from bot.core.commands.timeline import event_item
from bot.core.context import Context
from bot.core.digest.alerts import StatusChange
from bot.core.digest.model import Due
from bot.core.formatting import day_label
from bot.core.index import BriefingIndex
from bot.core.model import AgendaItem
from bot.core.replies import Field, Item, Reply, SourceRef
from bot.core.repository import Revision
from bot.core.status import status_field

CHANGES_FETCHED = 200
CHANGES_SHOWN = 10
LATEST_EVENTS = 3
NEXT_HOURS = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Composed:
    """A message to send (None: a quiet day, nothing to send) and the newest revision it reports."""

    reply: Reply | None
    covers: int


async def unseen_revisions(ctx: Context, briefing_id: str, seen: int, until: datetime | None = None) -> list[Revision]:
    """Revisions after `seen` (and made by `until`, when given), newest first (at most CHANGES_FETCHED)."""
    return [r for r in await ctx.repository.revisions(briefing_id, limit=CHANGES_FETCHED, until=until) if r.id > seen]


async def compose_digest(ctx: Context, due: Due, until: datetime | None = None) -> Composed:
    """The daily digest for one subscription at `ctx.request.now`; `until` leaves out changes made after it (a preview)."""
    index = await ctx.index()
    briefing, cat, now = index.briefing, ctx.cat, ctx.request.now
    subscription = due.subscription
    changes = await unseen_revisions(ctx, briefing.id, subscription.seen_revision, until)
    covers = changes[0].id if changes else subscription.seen_revision
    local_day = now.astimezone(ZoneInfo(subscription.zone)).date()
    title = cat("digest.title", title=briefing.title, day=day_label(local_day, cat))
    status = status_field(briefing.meeting, now, cat)
    footer = cat("digest.footer", time=subscription.time.strftime("%H:%M"), zone=subscription.zone, ref=due.nonce)
    if not changes:
        if subscription.quiet:
            return Composed(None, covers)
        return Composed(Reply(title=title, text=cat("digest.nothing_new", status=status.value), footer=footer, private=False), covers)
    shown = changes[:CHANGES_SHOWN]
    text = cat("digest.changes", n=len(changes))
    if len(changes) > len(shown):
        text = cat("digest.changes_more", text=text, shown=len(shown), history="history")
    fields = [status, cached_when(index, ctx), *_next_day_fields(ctx, index, now)]
    latest = index.latest_events(now.astimezone(ZoneInfo(briefing.venue.zone)).date(), LATEST_EVENTS)
    if latest:
        fields.append(Field(cat("digest.latest"), "\n".join(_event_line(ctx, event_item(e, ctx)) for e in latest)))
    return Composed(
        Reply(
            title=title,
            text=text,
            fields=tuple(fields),
            items=tuple(history_item(ctx, revision, briefing) for revision in shown),
            footer=footer,
            sources=_revision_sources(ctx, index, shown),
            private=False,
        ),
        covers,
    )


def compose_alert(ctx: Context, index: BriefingIndex, due: Due, change: StatusChange | None) -> Reply:
    """A meeting alert: a day or an hour before, at the start, or a change of status."""
    cat, meeting = ctx.cat, index.briefing.meeting
    kind = due.key.split(":")[1]
    parties = parties_label(index)
    if change is not None:
        title = cat("alert.status", parties=parties, before=cat(f"status.{change.before}"), after=cat(f"status.{change.after}"))
    elif kind == "status":  # the revision has left the recent log since it was planned: say what holds now
        title = cat("alert.status_now", parties=parties, status=cat(f"status.{meeting.status}"))
    else:
        title = cat(f"alert.{kind}", parties=parties)
    fields = (cached_when(index, ctx), status_field(meeting, ctx.request.now, cat), Field(cat("field.where"), meeting.venue, inline=True))
    text = meeting.outcome if change is not None and meeting.outcome else ""
    return Reply(
        title=title,
        text=text,
        fields=fields,
        footer=cat("alert.footer", ref=due.nonce),
        sources=ctx.source_refs(index, meeting.sources),
        private=False,
    )


def _next_day_fields(ctx: Context, index: BriefingIndex, now: datetime) -> list[Field]:
    """The agenda items that fall in the next 24 hours (those with a day but no time count if the day does)."""
    upcoming = [item for item in index.briefing.agenda if _within(item, now, now + NEXT_HOURS)]
    if not upcoming:
        return [Field(ctx.cat("digest.next_24h"), ctx.cat("digest.next_24h_none"))]
    lines = [f"• {item.title} — {when_where(item, ctx, index)}" for item in upcoming]
    return [Field(ctx.cat("digest.next_24h"), "\n".join(lines))]


def _within(item: AgendaItem, start: datetime, stop: datetime) -> bool:
    """True when the item happens in [start, stop), as far as its date and time are known."""
    if item.date is None or item.date.precision != "day":
        return False
    zone = ZoneInfo(item.zone)
    if item.time is None:
        first: date = start.astimezone(zone).date()
        last: date = stop.astimezone(zone).date()
        return item.date.overlaps(first, last)
    hours, minutes = (int(part) for part in item.time.split(":"))
    at = datetime(item.date.first.year, item.date.first.month, item.date.first.day, hours, minutes, tzinfo=zone)
    return start <= at < stop


def _event_line(ctx: Context, item: Item) -> str:
    return ctx.cat("digest.latest_line", meta=item.meta, title=item.title)


def _revision_sources(ctx: Context, index: BriefingIndex, revisions: list[Revision]) -> tuple[SourceRef, ...]:
    """The sources the changes cite: briefing sources by id, links as themselves."""
    ids = [r.source for r in revisions if r.source and r.source in index.sources]
    links = list(dict.fromkeys(r.source for r in revisions if r.source.startswith(("https://", "http://"))))
    return ctx.source_refs(index, ids) + tuple(SourceRef(link, link, link) for link in links)
