"""The meeting's status in words, relative to the request's "now"."""

from __future__ import annotations

from datetime import datetime

from bot.core.catalogue import Catalogue
from bot.core.formatting import duration_label, local_time_label
from bot.core.model import Briefing, Meeting
from bot.core.replies import Field


def countdown(meeting: Meeting, now: datetime, cat: Catalogue) -> str:
    """"in 2 days 3 hours", "started 40 minutes ago", "concluded", or an honest "not updated"."""
    if meeting.status in ("concluded", "postponed", "cancelled"):
        return cat(f"status.{meeting.status}")
    if meeting.starts_at is None:
        return cat("countdown.no_time")
    span = meeting.starts_at - now
    if span.total_seconds() > 0:
        return cat("countdown.in", span=duration_label(span, cat))
    if meeting.status == "in_progress":
        return cat("countdown.started", span=duration_label(span, cat))
    return cat("countdown.overdue", span=duration_label(span, cat))


def when_field(briefing: Briefing, cat: Catalogue) -> Field:
    """The start in the venue's and the home country's clocks, carrying the instant for adapters."""
    meeting = briefing.meeting
    if meeting.starts_at is None:
        return Field(cat("field.when"), cat("value.not_announced"))
    zones = [briefing.venue] if briefing.home.zone == briefing.venue.zone else [briefing.venue, briefing.home]
    lines = [local_time_label(meeting.starts_at, zone, cat) for zone in zones]
    return Field(cat("field.when"), "\n".join(lines), moment=meeting.starts_at)


def status_field(meeting: Meeting, now: datetime, cat: Catalogue) -> Field:
    """Status and countdown on one line: "Scheduled · in 2 days 3 hours"."""
    label = cat(f"status.{meeting.status}")
    relative = countdown(meeting, now, cat)
    value = label if relative == label else cat("status.with_countdown", status=label, countdown=relative)
    return Field(cat("field.status"), value, inline=True)
