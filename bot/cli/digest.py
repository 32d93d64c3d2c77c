"""`digest preview` and `digest run-once`: the digests as they would read, or sent once as they fall due."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import TYPE_CHECKING

from bot.adapters.console import render_text, utc_now
from bot.cli.exits import EXIT_USER
from bot.cli.serving import check_shards
from bot.cli.wiring import with_core
from bot.core.admin.authors import platform_name
from bot.core.catalogue import catalogue_for
from bot.core.digest.sending import Clock, Pace, Sender
from bot.core.registry import readers_text
from bot.core.service import BriefingCore
from bot.errors import ConfigError, UserError
from bot.settings import Settings
from bot.store import Store

if TYPE_CHECKING:
    from bot.adapters.discord_app.shards import ShardSlice
    from bot.core.digest.runner import TickReport


async def digest(args: argparse.Namespace, settings: Settings) -> int:
    """`digest preview` or `digest run-once`; the shards are checked before the store opens."""
    if args.digest_action == "preview":
        return await with_core(args, settings, lambda store, core: _preview(args, settings, store, core))
    check_shards(args, settings)
    return await with_core(args, settings, lambda store, core: _run_once(args, settings, store, core))


async def _preview(args: argparse.Namespace, settings: Settings, store: Store, core: BriefingCore) -> int:
    """Each subscription's next digest, after its slot, as it would read when sent (a new channel's, when none is subscribed).

    What the loop would not send (a paused subscription, an archived briefing's) is named with the reason, not shown.
    """
    from bot.core.digest.preview import (  # only here: not on every other command's start
        preview_digest,
        preview_subscription,
        previewed_due,
        slot_line,
    )
    from bot.core.digest.sending import pause_reason

    now = args.now or utc_now()
    found = [s for s in await store.digests.subscriptions() if args.channel in (None, s.channel_id)]
    if args.channel and not found:
        raise UserError("digest.not_subscribed")
    briefing = await store.repository.briefing(args.briefing)
    archived = {summary.id for summary in await store.repository.briefings() if summary.archived}
    cat = catalogue_for(settings.locale)
    subscriptions = found or [preview_subscription(core.settings.digest, briefing)]
    for subscription in subscriptions:
        if found:  # a subscribed channel named as what it is ("Slack channel C42"), as the operator finds it there
            heading = cat("digest.preview_channel", platform=platform_name(cat, subscription.platform), channel=subscription.channel_id)
        else:  # the channel a preview imagines when none is subscribed: "preview (not subscribed)"
            heading = f"{subscription.platform} {subscription.channel_id}"
        print(f"== {heading} ==")
        slash = _slash_command(subscription.platform)
        if subscription.briefing_id in archived:
            print(cat("digest.preview_archived", briefing=subscription.briefing_id))
        elif not subscription.active:
            print(readers_text(cat, "digest.preview_paused", ("", slash), reason=pause_reason(cat, subscription.paused_reason)))
        else:  # which slot it is first: a slot ahead is shown as it will read then, not as of `now`
            print(slot_line(cat, await previewed_due(core, subscription, now), now))
            language = subscription.language or settings.locale  # the digest's, so its headings are in its words too
            sys.stdout.write(render_text(await preview_digest(core, subscription, now, language, slash), language))
    return 0


def _slash_command(platform: str) -> str:
    """The one slash command every command follows on a subscription's platform, as its sender says (`Sender.slash_command`):
    Slack's /brief; "" where each command is a slash command of its own (Discord, and a preview's imagined channel)."""
    from bot.adapters.slack_app.manifest import UMBRELLA  # SlackSender's own, without the Slack SDK's import

    return UMBRELLA if platform == "slack" else ""


async def _run_once(args: argparse.Namespace, settings: Settings, store: Store, core: BriefingCore) -> int:
    """Send what is due on each platform (whose token is set), then exit; 1 if anything failed."""
    import asyncio

    from bot.core.digest.runner import StartedClock, SystemClock  # the digest loop: not on every other command's start

    env = settings.env
    tokens = [name for name, token in (("discord", "DISCORD_TOKEN"), ("slack", "SLACK_BOT_TOKEN")) if env.get(token)]
    platforms = list(dict.fromkeys(args.platform or tokens))
    if not platforms:
        raise ConfigError("no platform to send to: set DISCORD_TOKEN or SLACK_BOT_TOKEN (see README)")
    clock = StartedClock(args.now) if args.now else SystemClock()
    # The platforms' limits are separate, so their fan-outs run side by side.
    reports = await asyncio.gather(*(_send_due(platform, settings, store, core, clock, args.shard_slice, args.now) for platform in platforms))
    failed = 0
    cat = catalogue_for(settings.locale)
    for platform, report in zip(platforms, reports, strict=True):
        name = platform_name(cat, platform)  # as the reasons name it ("Slack"), not the option's word
        counts = (("sent", report.sent), ("skipped", report.skipped), ("failed", report.failed), ("paused", report.paused),
                  ("reconciled", report.reconciled), ("unconfirmed", report.unknown))
        print(f"{name}: " + ", ".join(cat(f"digest.run_{word}", n=count) for word, count in counts))  # as validate's counts
        for reason in report.why:  # what the operator can act on, once, whatever number it stopped
            print(f"{name}: {cat(reason.key, **reason.params)}")
        failed += report.failed + report.unknown
    return EXIT_USER if failed else 0


async def _send_due(
    platform: str, settings: Settings, store: Store, core: BriefingCore, clock: Clock, shards: ShardSlice | None, now: datetime | None,
) -> TickReport:
    """One tick of the platform's digest loop at `now` (else the clock's) over a REST-only connection (on Discord, for a
    slice of the shards if given)."""
    from bot.core.digest.runner import DigestRunner, owner_id
    # Imported here so a run for one platform never loads the other's SDK.
    open_sender: Callable[[Settings, Clock], AbstractAsyncContextManager[tuple[Sender, Pace]]]
    owns = None
    if platform == "discord":
        from bot.adapters.discord_app import digests as discord_digests
        open_sender = functools.partial(discord_digests.open_sender, shards=shards, shared=store.digests.shared_turn)
        owns = None if shards is None else shards.owns
    else:
        from bot.adapters.slack_app import digests as slack_digests
        open_sender = slack_digests.open_sender
    async with open_sender(settings, clock) as (sender, pace):
        runner = DigestRunner(core, store.digests, sender, clock, owner=owner_id(platform), pace=pace, locale=settings.locale, owns=owns)
        return await runner.tick(now)
