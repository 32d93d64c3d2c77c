"""The digest and alert messages: what changed since the channel's last digest, status, next 24 hours.

A message is built from the briefing and revision log as they are when it is sent; `covers` is the
newest revision it reports, so the next digest starts after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from bot.core.commands.agenda import when_where
from bot.core.commands.overview import cached_when, parties_label
from bot.core.commands.timeline import event_item
from bot.core.context import Context
from bot.core.digest.alerts import StatusChange, alert_session
from bot.core.digest.model import Due
from bot.core.formatting import day_label, local_time_label
from bot.core.index import BriefingIndex
from bot.core.model import AgendaItem, Session
from bot.core.replies import Field, Item, Reply, SourceRef
from bot.core.repository import Revision
from bot.core.sessions import current
from bot.core.status import status_field, zones_for

CHANGES_FETCHED = 200
CHANGES_SHOWN = 10  # changed items listed; the sessions' status and time lead the text whatever their number
SHORT_VALUE = 60  # a longer new value is said to be rewritten, not quoted
LATEST_EVENTS = 3
NEXT_HOURS = timedelta(hours=24)


class Composed(msgspec.Struct, frozen=True):
    """A message to send (None: a quiet day, nothing to send) and the newest revision it reports."""

    reply: Reply | None
    covers: int


async def unseen_revisions(ctx: Context, briefing_id: str, seen: int, until: datetime | None = None) -> list[Revision]:
    """Revisions after `seen` (and made by `until`, when given), newest first (at most CHANGES_FETCHED).

    The store leaves out those already seen: on a quiet day it decodes none (a pack load's revision
    holds the whole pack), where every digest of a fan-out used to decode the newest few and drop them.
    """
    return await ctx.repository.revisions(briefing_id, limit=CHANGES_FETCHED, until=until, after=seen)


async def compose_digest(ctx: Context, due: Due, until: datetime | None = None) -> Composed:
    """The daily digest for one subscription at `ctx.request.now`; `until` leaves out changes made after it (a preview)."""
    index = await ctx.localized()
    briefing, cat, now = index.briefing, ctx.cat, ctx.request.now
    subscription = due.subscription
    changes = await unseen_revisions(ctx, briefing.id, subscription.seen_revision, until)
    covers = changes[0].id if changes else subscription.seen_revision
    local_day = now.astimezone(ZoneInfo(subscription.zone)).date()
    # CLDR's date formatting is the costliest step of a quiet day's digest: once per version, language and day.
    day = index.memo(("digest.day", cat.cldr, local_day), lambda: day_label(local_day, cat))
    title = cat("digest.title", title=briefing.title, day=day)
    session = current(briefing, now)
    status = status_field(session, now, cat)
    footer = cat("digest.footer", time=subscription.time.strftime("%H:%M"), zone=subscription.zone, ref=due.nonce)
    if not changes:
        if subscription.quiet:
            return Composed(None, covers)
        return Composed(Reply(title=title, text=cat("digest.nothing_new", session=session.title, status=status.value), footer=footer, private=False), covers)
    # An import (kind "briefing") may change sessions too; both are read apart from the other edits.
    seen = subscription.seen_revision
    session_changes = sorted(
        [*await _unseen(ctx, briefing.id, seen, "session"), *await _unseen(ctx, briefing.id, seen, "briefing")],
        key=lambda revision: -revision.id,
    )
    lead = _session_sentences(ctx, index, session_changes)
    groups = _by_item(changes)
    shown = groups[:CHANGES_SHOWN]
    count = cat("digest.changes", n=len(changes))
    if len(groups) > len(shown):
        count = cat("digest.changes_more", text=count, shown=len(shown))
    fields = [status, cached_when(index, ctx, session), *_next_day_fields(ctx, index, now)]
    latest = index.latest_events(now.astimezone(ZoneInfo(briefing.venue.zone)).date(), LATEST_EVENTS)
    if latest:
        fields.append(Field(cat("digest.latest"), "\n".join(_event_line(ctx, event_item(e, ctx, index)) for e in latest)))
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
    return await ctx.repository.revisions(briefing_id, kind=kind, limit=CHANGES_FETCHED, after=seen)


def _item_data(revision: Revision, side: str) -> Mapping[str, Any]:
    """The item's pack data before or after a revision; empty when it did not exist."""
    held = revision.before if side == "before" else revision.after
    return (held or {}).get("item") or {}


def _session_data(revision: Revision, side: str, session_id: str) -> Mapping[str, Any]:
    """One session's pack data before or after an edit of it or a whole-pack import; empty when absent."""
    data = _item_data(revision, side)
    if revision.kind == "briefing":
        return next((s for s in data.get("sessions", []) if s.get("id") == session_id), {})
    return data if revision.item_id == session_id else {}


def _session_sentences(ctx: Context, index: BriefingIndex, changes: list[Revision]) -> list[str]:
    """"“Opening session” is now Postponed; it was Scheduled." and the same for its start, per session: what readers act on."""
    cat, sessions = ctx.cat, index.briefing.sessions
    sentences = []
    for session in sessions:
        touching = [r for r in changes if r.kind == "briefing" or r.item_id == session.id]
        if not touching:
            continue
        # What the channel last knew: before the oldest change, or as first loaded if it was loaded since.
        first = _session_data(touching[-1], "before", session.id) or _session_data(touching[-1], "after", session.id)
        if not first:
            continue
        said = []
        if first.get("status") and first["status"] != session.status:
            said.append(cat("digest.status_changed", session=session.title, now=cat(f"status.{session.status}"),
                            was=cat(f"status.{first['status']}")))
        start_now = _session_data(touching[0], "after", session.id).get("start")
        if first.get("start") != start_now:
            now, was = (_start_label(ctx, index, session, start) for start in (start_now, first.get("start")))
            said.append(cat("digest.time_changed", session=session.title, now=now, was=was))
        sentences.extend(said)
    return sentences


def _start_label(ctx: Context, index: BriefingIndex, session: Session, start: str | None) -> str:
    """A pack's start ("2026-02-03T11:00", the session's wall clock) in words, or "not announced"."""
    if not start:
        return ctx.cat("value.not_announced").lower()
    zone = zones_for(index.briefing, session)[0]
    return local_time_label(datetime.fromisoformat(start).replace(tzinfo=ZoneInfo(zone.zone)), zone, ctx.cat)


def _by_item(changes: list[Revision]) -> list[list[Revision]]:
    """The revisions of each item together, newest first, the most recently changed item first."""
    groups: dict[tuple[str, str], list[Revision]] = {}
    for revision in changes:
        groups.setdefault((revision.kind, revision.item_id), []).append(revision)
    return list(groups.values())


def _change_item(ctx: Context, index: BriefingIndex, group: list[Revision]) -> Item | None:
    """One changed item in a sentence: added, removed, or which fields now say what; None when only
    a session's status or time changed (the text leads with those)."""
    cat, newest, oldest = ctx.cat, group[0], group[-1]
    if newest.kind == "briefing":
        return Item(title=cat("digest.pack_title"), text=cat("digest.pack_loaded"))
    before, after = _item_data(oldest, "before"), _item_data(newest, "after")
    if not before and not after:  # added and taken out again (an undo): readers never missed anything
        return None
    title = cat("digest.item_title", kind=cat(f"kind.{newest.kind}"), name=_name(after or before, newest.item_id))
    if not before:
        text = cat("digest.item_added")
    elif not after:
        text = cat("digest.item_removed")
    else:
        # Translations are not news: a change of one follows the change of its field, which is told.
        keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k) and k != "translations"]
        if newest.kind == "session":
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
    """A session alert: a day or an hour before, at the start, or a change of status; it names its session (in the reader's language)."""
    cat, briefing = ctx.cat, index.briefing
    kind, wanted = due.key.split(":")[1], alert_session(due.key)
    # A session removed since the alert was planned: the one readers would look at now.
    meeting = next((s for s in briefing.sessions if s.id == wanted), None) or current(briefing, ctx.request.now)
    named = {"session": meeting.title, "parties": parties_label(index, meeting, cat)}
    if change is not None:
        title = cat("alert.status", **named, before=cat(f"status.{change.before}"), after=cat(f"status.{change.after}"))
    elif kind == "status":  # the revision has left the recent log since it was planned: say what holds now
        title = cat("alert.status_now", **named, status=cat(f"status.{meeting.status}"))
    else:
        title = cat(f"alert.{kind}", **named)
    fields = (cached_when(index, ctx, meeting), status_field(meeting, ctx.request.now, cat), Field(cat("field.where"), meeting.venue, inline=True))
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
