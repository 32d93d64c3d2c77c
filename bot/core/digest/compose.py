"""The digest and alert messages: what changed since the channel's last digest, status, next 24 hours.

A message is built from the briefing and revision log as they are when it is sent; `covers` is the
newest revision it reports, so the next digest starts after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.commands.agenda import when_where
from bot.core.commands.overview import cached_when, parties_label
from bot.core.commands.timeline import event_item
from bot.core.context import Context
from bot.core.digest.alerts import StatusChange
from bot.core.digest.model import Due
from bot.core.formatting import day_label, local_time_label
from bot.core.index import BriefingIndex
from bot.core.model import AgendaItem
from bot.core.replies import Field, Item, Reply, SourceRef
from bot.core.repository import Revision
from bot.core.status import status_field

CHANGES_FETCHED = 200
CHANGES_SHOWN = 10  # changed items listed; the meeting's status and time lead the text whatever their number
SHORT_VALUE = 60  # a longer new value is said to be rewritten, not quoted
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
    index = await ctx.localized()
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
    # An import (kind "briefing") may change the meeting too; both are read apart from the other edits.
    seen = subscription.seen_revision
    meeting_changes = sorted(
        [*await _unseen(ctx, briefing.id, seen, "meeting"), *await _unseen(ctx, briefing.id, seen, "briefing")],
        key=lambda revision: -revision.id,
    )
    lead = _meeting_sentences(ctx, index, meeting_changes)
    groups = _by_item(changes)
    shown = groups[:CHANGES_SHOWN]
    count = cat("digest.changes", n=len(changes))
    if len(groups) > len(shown):
        count = cat("digest.changes_more", text=count, shown=len(shown), history="history")
    fields = [status, cached_when(index, ctx), *_next_day_fields(ctx, index, now)]
    latest = index.latest_events(now.astimezone(ZoneInfo(briefing.venue.zone)).date(), LATEST_EVENTS)
    if latest:
        fields.append(Field(cat("digest.latest"), "\n".join(_event_line(ctx, event_item(e, ctx)) for e in latest)))
    return Composed(
        Reply(
            title=title,
            text="\n\n".join([*lead, count]),
            fields=tuple(fields),
            items=tuple(item for group in shown if (item := _change_item(ctx, index, group)) is not None),
            footer=footer,
            sources=_revision_sources(ctx, index, changes[:CHANGES_FETCHED]),
            private=False,
        ),
        covers,
    )


async def _unseen(ctx: Context, briefing_id: str, seen: int, kind: str) -> list[Revision]:
    """One kind's revisions after `seen`, newest first: fetched apart, so no number of other edits hides them."""
    return [r for r in await ctx.repository.revisions(briefing_id, kind=kind, limit=CHANGES_FETCHED) if r.id > seen]


def _item_data(revision: Revision, side: str) -> Mapping[str, Any]:
    """The item's pack data before or after a revision; empty when it did not exist."""
    held = revision.before if side == "before" else revision.after
    return (held or {}).get("item") or {}


def _meeting_data(revision: Revision, side: str) -> Mapping[str, Any]:
    """The meeting's pack data before or after a meeting edit or a whole-pack import."""
    data = _item_data(revision, side)
    return data.get("meeting") or {} if revision.kind == "briefing" else data


def _meeting_sentences(ctx: Context, index: BriefingIndex, changes: list[Revision]) -> list[str]:
    """"The meeting is now Postponed; it was Scheduled." and the same for its start: what readers act on."""
    if not changes:
        return []
    cat, meeting = ctx.cat, index.briefing.meeting
    # What the channel last knew: before the oldest change, or as first loaded if it was loaded since.
    first = _meeting_data(changes[-1], "before") or _meeting_data(changes[-1], "after")
    if not first:
        return []
    sentences = []
    if first.get("status") and first["status"] != meeting.status:
        sentences.append(cat("digest.status_changed", now=cat(f"status.{meeting.status}"), was=cat(f"status.{first['status']}")))
    start_now = _meeting_data(changes[0], "after").get("start")
    if first.get("start") != start_now:
        sentences.append(cat("digest.time_changed", now=_start_label(ctx, index, start_now), was=_start_label(ctx, index, first.get("start"))))
    return sentences


def _start_label(ctx: Context, index: BriefingIndex, start: str | None) -> str:
    """A pack's start ("2026-02-03T11:00", the venue's wall clock) in words, or "not announced"."""
    if not start:
        return ctx.cat("value.not_announced").lower()
    venue = index.briefing.venue
    return local_time_label(datetime.fromisoformat(start).replace(tzinfo=ZoneInfo(venue.zone)), venue, ctx.cat)


def _by_item(changes: list[Revision]) -> list[list[Revision]]:
    """The revisions of each item together, newest first, the most recently changed item first."""
    groups: dict[tuple[str, str], list[Revision]] = {}
    for revision in changes:
        groups.setdefault((revision.kind, revision.item_id), []).append(revision)
    return list(groups.values())


def _change_item(ctx: Context, index: BriefingIndex, group: list[Revision]) -> Item | None:
    """One changed item in a sentence: added, removed, or which fields now say what; None when only
    the meeting's status or time changed (the text leads with those)."""
    cat, newest, oldest = ctx.cat, group[0], group[-1]
    if newest.kind == "briefing":
        return Item(title=cat("digest.pack_title"), text=cat("digest.pack_loaded"))
    before, after = _item_data(oldest, "before"), _item_data(newest, "after")
    title = cat("digest.item_title", kind=cat(f"kind.{newest.kind}"), name=_name(after or before, newest.item_id))
    if not before:
        text = cat("digest.item_added")
    elif not after:
        text = cat("digest.item_removed")
    else:
        # Translations are not news: a change of one follows the change of its field, which is told.
        keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k) and k != "translations"]
        if newest.kind == "meeting":
            keys = [k for k in keys if k not in ("status", "start")]
        if not keys:
            return None
        text = " ".join(_field_sentence(ctx, key, before.get(key), after.get(key)) for key in keys)
    meta = cat("digest.item_edits", n=len(group)) if len(group) > 1 else ""
    return Item(title=title, text=text, meta=meta)


def _name(data: Mapping[str, Any], item_id: str) -> str:
    """What readers call an item: its title, name or question; its id when it has none."""
    for key in ("title", "name", "question", "words", "venue"):
        value = data.get(key)
        if isinstance(value, str):
            return value if len(value) <= SHORT_VALUE else value[: SHORT_VALUE - 1] + "…"
    return item_id


def _field_sentence(ctx: Context, key: str, before: Any, after: Any) -> str:
    """"The venue is now “Oval Office”; it was “The White House”." — or "The answer was rewritten."."""
    name = key.replace("_", " ")
    shown = [", ".join(map(str, v)) if isinstance(v, list) else "" if v is None else str(v) for v in (before, after)]
    if not shown[1]:
        return ctx.cat("digest.field_cleared", field=name)
    if len(shown[1]) > SHORT_VALUE or len(shown[0]) > SHORT_VALUE:
        return ctx.cat("digest.field_rewritten", field=name)
    if not shown[0]:
        return ctx.cat("digest.field_set", field=name, now=shown[1])
    return ctx.cat("digest.field_changed", field=name, now=shown[1], was=shown[0])


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
