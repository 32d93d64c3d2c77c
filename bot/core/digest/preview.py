"""`briefbot digest preview`: a digest exactly as the loop would compose it, without claiming or sending."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.catalogue import Catalogue
from bot.core.dates import FIRST_YEAR
from bot.core.digest.compose import compose_digest
from bot.core.digest.model import DigestSettings, Due, Subscription, composed_at
from bot.core.digest.pending import coming_digest
from bot.core.digest.zones import subscription_zone
from bot.core.formatting import local_time_label
from bot.core.model import Briefing
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import UserError

# The imagined channel has been subscribed all along: a slot just passed, still inside the catch-up window, is its
# latest digest (subscribed `now`, it would skip to tomorrow's, titled for a day whose status it tells as of today).
# Since the first year a `--now` may name: a preview of 1999 shows 1999's slot, not the first after the subscription.
SUBSCRIBED_LONG_AGO = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)


def preview_subscription(defaults: DigestSettings, briefing: Briefing) -> Subscription:
    """A channel subscribed with the defaults since the briefing was loaded: it sees every change."""
    return Subscription(
        id=0, platform="preview", channel_id="(not subscribed)", team_id="", briefing_id=briefing.id, time=defaults.time,
        zone=defaults.zone_for(briefing), quiet=False, alerts=defaults.alerts, active=True, paused_reason="", created_by="operator",
        active_since=SUBSCRIBED_LONG_AGO, seen_revision=0,
    )


async def preview_digest(core: BriefingCore, subscription: Subscription, now: datetime, locale: str, slash_command: str = "") -> Reply:
    """The digest of the slot `previewed_due` picks, as the loop would send it, without the changes made after that;
    `slash_command`: its platform's sender's (Sender.slash_command), so a command it names reads as the channel types it.

    The loop composes a digest as of one instant (`composed_at`): a slot ahead, or one inside its minute, at the slot,
    with that day's countdown and next 24 hours; one passed longer ago (caught up after downtime) at `now`. A quiet
    day shows what it would skip.
    """
    due = await previewed_due(core, subscription, now)
    sent = composed_at(due, now)
    request = Request(
        command="digest", now=sent, platform="cli", locale=subscription.language or locale, briefing_id=subscription.briefing_id,
        slash_command=slash_command,
    )
    ctx = core.context(request)
    composed = await compose_digest(ctx, due, until=sent)
    if composed.reply is None:
        return Reply(title=ctx.cat("digest.preview_quiet" if subscription.digested else "digest.preview_quiet_first"))
    return ctx.noted(composed.reply)


async def previewed_due(core: BriefingCore, subscription: Subscription, now: datetime) -> Due:
    """The digest the loop would send from `now` on (`coming_digest`): a day the ledger holds as done is not shown again."""
    if core.digests is None:  # a core without a store sends no digests
        raise UserError("digest.unavailable")
    return await coming_digest(core.digests, subscription, now, core.settings.digest)


def slot_line(cat: Catalogue, due: Due, now: datetime) -> str:
    """Which slot a preview shows, in the subscription's own clock, and when it would go: then, or late at `now`."""
    zone = subscription_zone(due.subscription.zone, cat, exact=True)  # the operator's: "(Bogotá, America/Bogota)"
    slot = local_time_label(due.at, zone, cat)
    if composed_at(due, now) == due.at:  # ahead, or inside its minute: sent on time
        return cat("digest.preview_slot", slot=slot)
    return cat("digest.preview_slot_late", slot=slot, sent=local_time_label(now, zone, cat))
