"""`briefings`: the stored briefings, the default, archiving, removal and a left space's choices."""

from __future__ import annotations

import argparse

from bot.cli.wiring import store_path
from bot.core.admin.authors import author_words, platform_name
from bot.core.admin.shown import revision_titles
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.formatting import utc_time_label
from bot.errors import UserError
from bot.settings import Settings
from bot.store import Store, open_store
from bot.store.choices import BriefingInUse


async def briefings(args: argparse.Namespace, settings: Settings) -> int:
    """`briefings list`; `default ID`, which changes the default and never loads a pack; archive; remove; forget-space."""
    configured = settings.default_briefing
    async with open_store(store_path(args, settings), pool_size=settings.store.pool_size) as store:
        listing = await store.repository.listing()
        if args.briefings_action == "default":
            if all(row.id != args.id for row in listing):
                raise UserError("briefing.unknown_of", briefing=args.id[:64], known=", ".join(row.id for row in listing) or "—")
            if configured and configured != args.id:
                raise UserError("default.config_wins", configured=configured)
            await store.repository.set_default(args.id)
            print(f"default: {args.id}")
            return 0
        if args.briefings_action in ("archive", "remove"):
            return await _archive_or_remove(store, args, configured, catalogue_for(settings.locale))
        if args.briefings_action == "forget-space":  # what the bot does when it is removed, for one it left before it could
            forgotten = await store.choices.forget_space(args.platform, args.space)
            cat = catalogue_for(settings.locale)
            print(cat("briefings.space_forgotten", platform=platform_name(cat, args.platform), space=args.space,
                      subscriptions=cat("briefings.subscriptions_ended", n=forgotten.subscriptions),
                      choices=cat("briefings.choices_forgotten", n=forgotten.choices)))
            return 0
        archived = {summary.id for summary in await store.repository.briefings() if summary.archived}
        cat = catalogue_for(settings.locale)
        lasts = [row.last for row in listing if row.last is not None]
        titles = dict(zip((last.briefing_id for last in lasts), await revision_titles(store.repository, lasts, cat), strict=True))
    for row in listing:
        print(f"{'*' if row.is_default else ' '} {row.id} — {row.title}" + (" (archived)" if row.id in archived else ""))
        changed = utc_time_label(row.updated_at, cat)  # as history and chat's `briefings` say an instant
        if row.last is not None:
            at = utc_time_label(row.last.at, cat)
            changed = f"{titles[row.id]} · {cat('admin.history_meta', at=at, **author_words(cat, row.last.actor, row.last.platform))}"
        print(f"    last change: {changed} (version {row.version})")
    if not listing:
        print(cat("briefing.none"))
    if configured:
        held = any(row.id == configured for row in listing)
        print(f"default_briefing in the settings: {configured}; it wins at every start"
              + ("" if held or not listing else ", but the store does not hold it, so starting fails"))
    return 0


async def _archive_or_remove(store: Store, args: argparse.Namespace, configured: str | None, cat: Catalogue) -> int:
    """`briefings archive ID [--undo]`, and `briefings remove ID`, refused while a subscription or choice names it."""
    if args.briefings_action == "archive":
        await store.choices.archive(args.id, archived=not args.undo)
        print(cat("briefings.unarchive_done" if args.undo else "briefings.archive_done", briefing=args.id))
        return 0
    if args.id == configured:  # the next start would fail on it
        raise UserError("briefings.remove_configured", briefing=args.id[:64])
    try:
        await store.choices.remove(args.id)
    except BriefingInUse as in_use:
        users = "; ".join(_user_words(cat, *user) for user in in_use.users)
        raise UserError("briefings.in_use", briefing=args.id[:64], users=users) from None
    print(cat("briefings.removed", briefing=args.id))
    return 0


def _user_words(cat: Catalogue, kind: str, platform: str, space: str, channel: str) -> str:
    """A subscription or choice that holds a briefing, its ids named as what they are ("Slack channel C42"), so the operator
    knows where to unsubscribe or choose again, or which space to forget."""
    name = platform_name(cat, platform)
    if kind == "subscription":
        return cat("briefings.user_subscription", platform=name, channel=channel)
    if channel:
        return cat("briefings.user_channel_choice", platform=name, channel=channel)
    return cat("briefings.user_space_choice", platform=name, space=space)
