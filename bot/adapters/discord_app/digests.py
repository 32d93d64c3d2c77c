"""Daily digests on Discord: the digest loop's Sender over discord.py, its pace, and the loop inside the bot.

Every message carries its delivery's nonce with `enforce_nonce`, so for a few minutes Discord itself
answers a repeated send with the first message instead of posting again. Past that, after a crash,
`find` looks for the message by the `ref` in its footer before anything is sent again.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import discord

from bot.adapters.discord_app.client import TOKEN, login, point_at
from bot.adapters.discord_app.render import headline, render_embeds
from bot.adapters.discord_app.shards import ShardSlice
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.digest.ledger import DeliveryLedger
from bot.core.digest.model import Delivery, Subscription
from bot.core.digest.runner import DigestRunner, SystemClock, owner_id
from bot.core.digest.sending import MAX_RATE_LIMIT_WAIT, ChannelGone, Clock, Pace, SendRejected, SendUnknown
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.settings import Settings

log = logging.getLogger(__name__)
# Discord allows a bot 50 requests a second in all, and a global 429 stalls every request of the bot,
# answers included. Two a second are left for the rest: admin DMs, history lookups, logins.
DISCORD_MESSAGES_PER_SECOND = 48
# Processes taking turns in the store each post when their turn comes back to them, some milliseconds
# apart from one another on a busy host, so Discord may see two turns closer than their gap: they keep
# further from the limit (at the full rate, several processes together drew Discord's 429s).
SHARED_MESSAGES_PER_SECOND = 46
# Discord's own limit in one channel is 5 messages per 5 seconds; one a second never reaches it.
CHANNEL_GAP = timedelta(seconds=1)
# Discord's JSON error codes (a 400) for a thread nobody but its moderators may post in until they reopen it: the
# subscription is paused like a channel the bot lost, not retried daily in vain. Values: their catalogue reasons.
CLOSED_THREAD = {50083: "paused.discord_thread_archived", 160005: "paused.discord_thread_locked"}
# How far our clock and the one in Discord's message ids may disagree when looking for a message.
CLOCK_SKEW = timedelta(minutes=2)
NO_PINGS = discord.AllowedMentions.none()
# The store's turns shared by every process on one database (PostgresDigestStore.shared_turn): key, gap.
SharedTurns = Callable[[str, float], Awaitable[None]]


class DiscordSender:
    """Posts digests and alerts as embeds under their title line with a logged-in client's REST calls; the gateway is not needed."""

    platform = "discord"
    slash_command = ""  # each command is a slash command of its own

    def __init__(self, client: discord.Client, cat: Catalogue) -> None:
        self.client = client
        self.cat = cat

    async def send(self, delivery: Delivery, reply: Reply) -> str:
        """Post the embeds with the delivery's nonce; errors say whether it surely did not post."""
        channel = _channel(self.client, delivery.due.subscription)
        try:
            # The embeds' own words (sources, page) in the subscription's language, like the digest it carries.
            cat = catalogue_for(delivery.due.subscription.language) if delivery.due.subscription.language else self.cat
            message = await channel.send(
                headline(reply.title), embeds=render_embeds(reply, cat), nonce=delivery.due.nonce, allowed_mentions=NO_PINGS,
            )
        except discord.Forbidden as error:
            raise ChannelGone("paused.discord_forbidden") from error
        except discord.NotFound as error:
            raise ChannelGone("paused.discord_not_found") from error
        except discord.RateLimited as error:
            raise _rate_limited(f"rate limited for {error.retry_after:.0f} s (429)") from error
        except discord.DiscordServerError as error:  # still a 5xx after discord.py's retries: it may have posted
            raise SendUnknown(f"Discord server error ({error.status})", "digest.server_error", platform="Discord") from error
        except discord.HTTPException as error:  # 429 retried until discord.py gave up, a token reset since (401), another 4xx
            if error.code in CLOSED_THREAD:
                raise ChannelGone(CLOSED_THREAD[error.code]) from error
            if error.status == 401:
                raise SendRejected("Discord refused the bot token (401)", "digest.discord_token_refused") from error
            if error.status == 429:
                raise _rate_limited("rate limited after retries (429)") from error
            raise SendRejected(
                f"refused by Discord ({error.status}, code {error.code})", "digest.refused",
                platform="Discord", detail=f"HTTP {error.status}, code {error.code}",
            ) from error
        return str(message.id)

    async def find(self, delivery: Delivery) -> str | None:
        """The id of the bot's message whose footer carries this delivery's ref, posted since it was due.

        The scan starts at the due time, not at `delivery.claimed_at`: a claim taken over after a crash
        carries the time it was taken over, and the lost message went out after the first claim, which
        is never before the due time. It stops past the takeover, so it reads only that stretch.

        A 403 (the bot may not read the channel) is raised: the message may be there unseen, and only
        the claim staying open is sure not to post it twice. A 404 means the channel is gone, so nothing
        can be found, and the resend that follows pauses the subscription. Without Read Message History
        Discord answers with no messages at all, indistinguishable from none sent: the invite and `subscribe` ask for it.
        """
        me = self.client.user
        if me is None:
            raise RuntimeError("the Discord client is not logged in")
        refs = [f"ref {nonce}" for nonce in delivery.due.nonces]
        until = delivery.claimed_at + CLOCK_SKEW
        channel = _channel(self.client, delivery.due.subscription)
        with contextlib.suppress(discord.NotFound):
            async for message in channel.history(limit=None, after=delivery.due.at - CLOCK_SKEW, oldest_first=True):
                if message.created_at > until:
                    break
                if message.author.id == me.id and any(ref in (embed.footer.text or "") for embed in message.embeds for ref in refs):
                    return str(message.id)
        return None

    async def tell_admins(self, subscription: Subscription, reply: Reply) -> None:
        """A direct message to whoever subscribed the channel: the admin who can add the bot back."""
        if not subscription.created_by.isdigit():
            # Subscribed by the operator on the command line: there is nobody on Discord to tell.
            log.info("not telling %s about Discord channel %s: not a Discord user", subscription.created_by, subscription.channel_id)
            return
        try:
            user = await self.client.fetch_user(int(subscription.created_by))
            await user.send(headline(reply.title), embeds=render_embeds(reply, self.cat), allowed_mentions=NO_PINGS)
        except (discord.Forbidden, discord.NotFound) as error:  # DMs closed to the bot (50007), the user gone (10013)
            raise SendRejected(
                f"direct message refused ({error.status}, code {error.code})", "digest.notice_refused",
                platform="Discord", detail=f"HTTP {error.status}, code {error.code}",
            ) from error


def discord_pace(clock: Clock, shards: ShardSlice | None = None, shared: SharedTurns | None = None) -> Pace:
    """Sends spaced to stay inside Discord's global and per-channel limits, which are the bot's, not a process's.

    With `shared` (the PostgreSQL store's turns), every process of the bot takes its departures in
    turn with the others, so together they use the whole limit. Without, a slice of the shards keeps
    to its share of it.
    """
    if shared is not None:
        return Pace(clock, per_second=SHARED_MESSAGES_PER_SECOND, channel_gap=CHANNEL_GAP,
                    shared=lambda gap: shared("discord", gap))
    share = 1.0 if shards is None else shards.share
    return Pace(clock, per_second=DISCORD_MESSAGES_PER_SECOND * share, channel_gap=CHANNEL_GAP)


@contextlib.asynccontextmanager
async def open_sender(
    settings: Settings, clock: Clock, shards: ShardSlice | None = None, shared: SharedTurns | None = None,
) -> AsyncIterator[tuple[DiscordSender, Pace]]:
    """A REST-only client logged in with the token, as a sender and its pace (`digest run-once`); ConfigError for a bad token."""
    token = settings.secret(TOKEN).reveal()
    point_at(settings.discord)
    client = discord.Client(intents=discord.Intents.none(), max_ratelimit_timeout=MAX_RATE_LIMIT_WAIT)
    async with client:
        await login(client, token, settings.discord)
        yield DiscordSender(client, catalogue_for(settings.locale)), discord_pace(clock, shards, shared)


async def run_digests(
    client: discord.Client, core: BriefingCore, ledger: DeliveryLedger, locale: str, shards: ShardSlice | None = None,
    shared: SharedTurns | None = None,
) -> None:
    """The digest loop inside the running bot, over its client, until cancelled; with `shards`, for their guilds only."""
    clock = SystemClock()
    sender = DiscordSender(client, catalogue_for(locale))
    runner = DigestRunner(
        core, ledger, sender, clock, owner=owner_id(sender.platform), pace=discord_pace(clock, shards, shared), locale=locale,
        owns=None if shards is None else shards.owns,
    )
    await runner.run()


def _rate_limited(reason: str) -> SendRejected:
    """A send refused because Discord's rate limit outlasts the wait a claim allows."""
    return SendRejected(reason, "digest.rate_limited", platform="Discord", seconds=int(MAX_RATE_LIMIT_WAIT))


def _channel(client: discord.Client, subscription: Subscription) -> discord.PartialMessageable:
    """The subscribed channel without fetching it; an id that is not a snowflake can never be posted in."""
    if not subscription.channel_id.isdigit():
        log.warning("subscription channel %r is not a Discord channel id", subscription.channel_id[:40])
        raise ChannelGone("paused.discord_bad_id")
    return client.get_partial_messageable(int(subscription.channel_id))
