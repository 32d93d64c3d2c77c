"""`briefbot digest preview`: a digest exactly as the loop would compose it, without claiming or sending."""

from __future__ import annotations

from datetime import datetime

from bot.core.digest.compose import compose_digest
from bot.core.digest.model import DigestSettings, Due, Subscription
from bot.core.digest.schedule import digest_key, passed_slots
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore


def preview_subscription(defaults: DigestSettings, briefing_id: str, now: datetime) -> Subscription:
    """A channel subscribed with the defaults since the briefing was loaded: it sees every change."""
    return Subscription(
        id=0, platform="preview", channel_id="(not subscribed)", team_id="", briefing_id=briefing_id, time=defaults.time,
        zone=defaults.zone, quiet=False, alerts=defaults.alerts, active=True, paused_reason="", created_by="operator",
        active_since=now, seen_revision=0,
    )


async def preview_digest(core: BriefingCore, subscription: Subscription, now: datetime, locale: str) -> Reply:
    """The subscription's digest as of `now`, without the changes made after it; a quiet day shows what it would skip."""
    request = Request(command="digest", now=now, platform="cli", locale=subscription.language or locale, briefing_id=subscription.briefing_id)
    ctx = core.context(request)
    # The digest of the latest slot by `now` (the one the loop sends at that instant, on time or late): its day titles it.
    day, slot = passed_slots(subscription, now)[0]
    due = Due(subscription, digest_key(day), "digest", slot)
    composed = await compose_digest(ctx, due, until=now)
    if composed.reply is None:
        return Reply(title=ctx.cat("digest.preview_quiet"))
    return ctx.noted(composed.reply)
