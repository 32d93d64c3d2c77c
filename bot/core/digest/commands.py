"""`subscribe`, `unsubscribe` and `subscriptions`: which channels get the daily digest, when, and which alerts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time

from bot.core.admin.authors import author_words
from bot.core.catalogue import Catalogue
from bot.core.context import Context
from bot.core.digest.ledger import SETTINGS, DigestStore, NewSubscription
from bot.core.digest.model import ALERTS, Subscription
from bot.core.digest.pending import coming_digest
from bot.core.digest.sending import pause_reason
from bot.core.digest.zones import subscription_zone
from bot.core.formatting import local_time_label
from bot.core.i18n import language_name
from bot.core.registry import Args, fixed_value, readers_text
from bot.core.replies import Field, Item, Ref, Reply
from bot.core.repository import BriefingSummary
from bot.core.zones import one_zone_id, places_meant, zone_named, zone_spelled_like
from bot.errors import UserError

# What `alerts:` takes: every alert, none, or some.
ALERT_WORDS = ("all", "none", *ALERTS)
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
# The setting each subscribe option gives; no option gives the language.
_OPTION_SETTINGS = {"time": "time", "tz": "zone", "quiet": "quiet", "alerts": "alerts"}


def parse_clock(text: str) -> time:
    """"7:30" or "07:30" (24-hour clock) → 07:30; a user error otherwise."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise UserError("digest.bad_time", value=text[:20])
    return time(int(match[1]), int(match[2]))


def parse_zone(text: str) -> str:
    """An IANA time zone name in any case ("america/bogota" → "America/Bogota"); a user error otherwise, naming the
    places a clock abbreviation may mean (tz:EST, which the tz database reads as Panama's clock, without summer time)."""
    name = text.strip()
    meant = places_meant(name)
    if meant:
        raise UserError("digest.zone_abbreviation", value=name[:40], zones=", ".join(meant))
    known = zone_named(name)  # people rarely type a zone's capitals
    if known is None:
        near = zone_spelled_like(name)
        if near is not None:
            raise UserError("digest.bad_zone_suggest", value=name[:40], zone=near)
        raise UserError("digest.bad_zone", value=name[:40])
    return known


def parse_alerts(text: str) -> tuple[str, ...]:
    """"all", "none", or a comma list of 24h, 1h, start, status, in English or the catalogue's words for them (`todos`,
    `inicio`), as every fixed value is typed; in canonical order. "none" goes alone."""
    typed = [word.strip() for word in text.split(",") if word.strip()]
    meant = {word: fixed_value(word, ALERT_WORDS) for word in typed}
    unknown = sorted(word for word, value in meant.items() if value is None)
    if unknown:
        raise UserError("digest.bad_alerts", value=", ".join(unknown)[:40], choices=ALERTS)
    words = set(meant.values())
    if "none" in words and len(words) > 1:  # `none, 1h` was read as 1h and `all, none` as none: which was meant is not said
        raise UserError("digest.alerts_none_with", value=", ".join(word for word, value in meant.items() if value != "none")[:40])
    if words == {"all"}:
        return ALERTS
    if words in ({"none"}, set()):
        return ()
    return tuple(name for name in ALERTS if name in words)


def _store(ctx: Context) -> DigestStore:
    if ctx.digests is None:
        raise UserError("digest.unavailable")
    return ctx.digests


def _channel(ctx: Context, args: Args) -> tuple[str, str]:
    """(platform, channel id): where the command was run; the local operator may name any channel."""
    request = ctx.request
    if request.operator:
        platform, channel = args.get("platform"), args.get("channel")
        if not platform or not channel:
            raise UserError("digest.operator_channel")
        return platform, channel
    if args.get("channel") or args.get("platform"):
        raise UserError("digest.here_only")
    if not request.channel_id:
        raise UserError("digest.no_channel")
    return request.platform, request.channel_id


async def subscribe(ctx: Context, args: Args) -> Reply:
    """Send this channel the daily digest at time: in tz: with the alerts it asks for; a change keeps what it does not give."""
    if ctx.request.direct:  # digests are a channel's; `unsubscribe` still works in one, to end a subscription made there before
        raise UserError("digest.direct")
    store = _store(ctx)
    defaults = ctx.settings.digest  # what a new subscription takes for an option not given
    platform, channel = _channel(ctx, args)
    at = parse_clock(args.get("time")) if args.get("time") else defaults.time
    alerts = parse_alerts(args.get("alerts")) if args.get("alerts") else defaults.alerts
    index = await ctx.index()
    # Without tz:, the briefing's own clock (a summit in Brussels is read on Brussels time), unless the operator pinned one.
    # Each zone by its one id (Asia/Calcutta is Asia/Kolkata): the ledger keys a digest by zone and day, so the same
    # zone spelled another way would be a day not yet sent, and today's digest would go a second time.
    zone = one_zone_id(parse_zone(args.get("tz")) if args.get("tz") else defaults.zone_for(index.briefing))
    # The same zone, as spelled when subscribed before zones had one id, keeps that spelling and so its days' keys; an
    # unsubscribed channel's too: its subscription is kept, with its ledger, for this subscribe to take up again.
    spelled = await store.zone_of(platform, channel, index.briefing.id)
    if spelled is not None and one_zone_id(spelled) == zone:
        zone = spelled
    if any(s.archived for s in await ctx.repository.briefings() if s.id == index.briefing.id):  # it would never send
        # A channel that followed it before the archive still does: the refusal must not say it is not subscribed.
        followed = any(s.channel_id == channel and s.briefing_id == index.briefing.id for s in await store.subscriptions(platform))
        raise UserError("digest.archived_followed" if followed else "digest.archived", briefing=index.briefing.id)
    _can_post(ctx)
    latest = await ctx.repository.revisions(index.briefing.id, limit=1)
    subscription = await store.subscribe(
        NewSubscription(
            platform=platform, channel_id=channel, team_id=ctx.request.team_id or "", briefing_id=index.briefing.id,
            time=at, zone=zone, quiet=args.get("quiet") == "yes", alerts=alerts, created_by=ctx.request.user_id,
            now=ctx.request.now, seen_revision=latest[0].id if latest else 0,
            language=ctx.cat.locale,  # the resolved one: the channel's fixed language, else the subscriber's
            # `subscribe time:08:00` moves the digest, nothing else: the store keeps what was not given, atomically.
            keep=frozenset(SETTINGS) - {setting for option, setting in _OPTION_SETTINGS.items() if args.get(option)},
        )
    )
    shown = (await ctx.localized()).briefing  # named as the subscriber reads it
    # The one the loop will send: after a change of hour made once today's digest went out, tomorrow's, not today's again;
    # moved to an hour that passed today unsent, today's, late, at the loop's next look: named as now, not hours ago.
    first = max((await coming_digest(store, subscription, ctx.request.now, defaults)).at, ctx.request.now)
    where = subscription_zone(subscription.zone, ctx.cat)  # "(Bogotá)", as the sessions' times name theirs
    first_field = Field(ctx.cat("digest.field_next"), local_time_label(first, where, ctx.cat), moment=first)
    # The briefing's clock is an abbreviation (EST, taken by earlier releases) and the digest keeps a place's instead: say whose.
    venue = index.briefing.venue.zone
    abbreviated = bool(places_meant(venue)) and not args.get("tz") and not defaults.zone and subscription.zone == zone
    return Reply(
        # A thread is subscribed itself (the digest is posted in it), not the channel it belongs to.
        title=ctx.cat("digest.subscribed_thread" if ctx.request.parent_id else "digest.subscribed", time=subscription.time.strftime("%H:%M"), zone=where.label),
        text=readers_text(ctx.cat, "digest.zone_meant", ctx.request.command_naming, value=venue, place=where.label, zone=zone) if abbreviated else "",
        # A channel may follow several briefings: say which one this is.
        fields=(Field(ctx.cat("digest.field_briefing"), f"{shown.title} ({shown.id})"), *_fields(ctx, subscription), first_field),
        footer=readers_text(ctx.cat, "digest.subscribed_footer", ctx.request.command_naming),
    )


def _can_post(ctx: Context) -> None:
    """Refuse where the bot is known unable to post: the first digest would fail and pause the subscription unseen (a paused
    one resumed before the cause is fixed, the same). Not known (the console, a check not allowed): subscribe as asked."""
    cannot = ctx.request.cannot_post
    if cannot is not None:
        raise UserError(cannot.key, bot=cannot.bot, missing=", ".join(ctx.cat(name) for name in cannot.missing))


async def unsubscribe(ctx: Context, args: Args) -> Reply:
    """Stop this channel's digest and alerts of one briefing: the one `briefing:` names, else the one it follows."""
    platform, channel = _channel(ctx, args)
    store = _store(ctx)
    followed = [s for s in await store.subscriptions(platform) if s.channel_id == channel]
    briefing = await _unsubscribed(ctx, [s.briefing_id for s in followed])
    if await store.unsubscribe(platform, channel, briefing) is None:
        raise UserError("digest.not_subscribed")
    # A channel may follow several briefings: say which one stopped, and which still come.
    summaries = await ctx.repository.briefings()
    titles = {summary.id: summary.title_in(ctx.cat.locale) for summary in summaries}
    kept = still_sending(followed, summaries, briefing, ctx.cat)
    return Reply(
        title=ctx.cat("digest.unsubscribed", briefing=f"{titles.get(briefing, briefing)} ({briefing})"),
        text=ctx.cat("digest.still_subscribed", briefings="; ".join(kept)) if kept else "",
    )


def still_sending(followed: Iterable[Subscription], briefings: Iterable[BriefingSummary], besides: str, cat: Catalogue) -> list[str]:
    """The briefings other than `besides` whose digests and alerts one channel's subscriptions still send, as "Title (id)":
    neither a paused one nor one of an archived briefing, which sends nothing (`/use` and `unsubscribe` both say these)."""
    sending = {summary.id: summary for summary in briefings if not summary.archived}
    return [f"{sending[s.briefing_id].title_in(cat.locale)} ({s.briefing_id})"
            for s in followed if s.active and s.briefing_id != besides and s.briefing_id in sending]


async def _unsubscribed(ctx: Context, followed: list[str]) -> str:
    """The briefing whose subscription to stop: the one named, else the one read here if followed, else the only one followed.

    What is read here may have changed since the channel subscribed (an admin's `use`, a thread's parent choosing another):
    the subscription to what it read then still sends, so it must be found to be stopped.
    """
    read = (await ctx.index()).briefing.id  # the briefing this channel reads, or the one `briefing:` names
    if ctx.named or read in followed or not followed:
        return read
    if len(followed) == 1:
        return followed[0]
    raise UserError("digest.which_subscription", briefings=", ".join(followed), command=ctx.slash("unsubscribe"))


async def subscriptions(ctx: Context, args: Args) -> Reply:
    """Every channel of this server or workspace that gets the digest: when, which alerts, paused or not."""
    request = ctx.request
    if request.operator:
        found = await _store(ctx).subscriptions()
    else:  # another server's channels are not this admin's business
        found = await _store(ctx).subscriptions(request.platform, request.team_id or "")
    if not found:
        raise UserError("digest.none")
    window = ctx.window(len(found), args.page)
    archived = {summary.id for summary in await ctx.repository.briefings() if summary.archived}
    return Reply(
        # Channels, not subscriptions: one channel may follow several briefings, one item each.
        title=ctx.cat("digest.list_title", n=len({(s.platform, s.channel_id) for s in found})),
        items=tuple(_item(ctx, s, s.briefing_id in archived) for s in found[window.start : window.stop]),
        page=ctx.page(window, "subscriptions", {}),
    )


def _alerts_label(ctx: Context, subscription: Subscription) -> str:
    return ", ".join(ctx.cat(f"digest.alert_{name}") for name in subscription.alerts) or ctx.cat("digest.alerts_none")


def _daily_at(cat: Catalogue, subscription: Subscription, exact: bool = False) -> str:
    """"daily at 07:00 (Bogotá)": the subscription's hour on its zone's clock, the zone named by its city."""
    return cat("digest.daily_at", time=subscription.time.strftime("%H:%M"), zone=subscription_zone(subscription.zone, cat, exact).label)


def _fields(ctx: Context, subscription: Subscription) -> tuple[Field, ...]:
    cat = ctx.cat
    return (
        Field(cat("digest.field_when"), _daily_at(cat, subscription), inline=True),
        Field(cat("digest.field_alerts"), _alerts_label(ctx, subscription), inline=True),
        Field(cat("digest.field_quiet"), cat("digest.quiet_yes" if subscription.quiet else "digest.quiet_no")),
        *([Field(cat("digest.field_language"), language_name(subscription.language), inline=True)] if subscription.language else []),
    )


def _state(cat: Catalogue, subscription: Subscription, archived: bool) -> str:
    """"active", or why nothing is sent: paused (its channel), its briefing archived (the operator), or both."""
    reasons = [cat("digest.paused", reason=pause_reason(cat, subscription.paused_reason))] if not subscription.active else []
    if archived:  # the subscription itself is untouched by an archive, so `active` alone would call it active
        reasons.append(cat("digest.archived_state", briefing=subscription.briefing_id))
    return "; ".join(reasons) or cat("digest.active")


def _item(ctx: Context, subscription: Subscription, archived: bool) -> Item:
    cat = ctx.cat
    state = _state(cat, subscription, archived)
    words = author_words(cat, subscription.created_by, subscription.platform)  # the operator, or a colleague named
    meta = cat.marked("digest.list_meta", platform=words["platform"], by=words["actor"], state=state)
    text = cat(
        "digest.list_text",
        # The operator's console lists the id too: what `digests.zone` or a `tz:` for another channel takes.
        when=_daily_at(cat, subscription, exact=ctx.request.operator),
        alerts=_alerts_label(ctx, subscription),
        quiet=cat("digest.quiet_yes" if subscription.quiet else "digest.quiet_no"),
    )
    channel = Ref(subscription.platform, subscription.channel_id, channel=True)
    title = cat.marked("digest.list_channel_of", channel=channel, briefing=subscription.briefing_id)
    return Item(title=title, text=text, meta=meta)
