"""A session's status in words, relative to the request's "now", and its start in each zone that matters."""

from __future__ import annotations

from datetime import datetime

from bot.core.catalogue import Catalogue
from bot.core.formatting import duration_label, fuzzy_label, local_time_label
from bot.core.model import Briefing, Session, Zone
from bot.core.replies import Field


def countdown(session: Session, now: datetime, cat: Catalogue) -> str:
    """"in 2 days 3 hours", "started 40 minutes ago", "concluded", or an honest "not updated"."""
    if session.status in ("concluded", "postponed", "cancelled"):
        return cat(f"status.{session.status}")
    if session.starts_at is None:
        return cat("countdown.no_time")
    span = session.starts_at - now
    if span.total_seconds() > 0:
        return cat("countdown.in", span=duration_label(span, cat))
    if session.status == "in_progress":
        return cat("countdown.started", span=duration_label(span, cat))
    return cat("countdown.overdue", span=duration_label(span, cat))


def zones_for(briefing: Briefing, session: Session) -> list[Zone]:
    """The session's own zone first, then each other distinct zone of the briefing (a zone listed twice, once)."""
    distinct: dict[str, Zone] = {}
    for zone in briefing.zones:
        distinct.setdefault(zone.zone, zone)
    # A zone the briefing does not list is named by its city, as the IANA name has it.
    own = distinct.get(session.zone) or Zone(session.zone, session.zone.rsplit("/", 1)[-1].replace("_", " "))
    return [own, *(zone for name, zone in distinct.items() if name != own.zone)]


def when_field(briefing: Briefing, session: Session, cat: Catalogue) -> Field:
    """The start in each zone that matters, carrying the instant for adapters; only the date when that is all."""
    if session.starts_at is None:
        return Field(cat("field.when"), fuzzy_label(session.date, cat) if session.date else cat("value.not_announced"))
    lines = [local_time_label(session.starts_at, zone, cat) for zone in zones_for(briefing, session)]
    return Field(cat("field.when"), "\n".join(lines), moment=session.starts_at)


def status_field(session: Session, now: datetime, cat: Catalogue) -> Field:
    """Status and countdown on one line: "Scheduled · in 2 days 3 hours"."""
    label = cat(f"status.{session.status}")
    relative = countdown(session, now, cat)
    value = label if relative == label else cat("status.with_countdown", status=label, countdown=relative)
    return Field(cat("field.status"), value, inline=True)
