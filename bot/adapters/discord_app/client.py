"""The Discord client: interaction → Request → `await core` → embed. It never pings and never says "failed"."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec
from urllib.parse import urlsplit

import aiohttp
import discord
from discord import app_commands

from bot.adapters.discord_app.commands import Suggestions, add_commands
from bot.adapters.discord_app.deadline import Deadline, Deferrals, defer_delay
from bot.adapters.discord_app.files import file_upload
from bot.adapters.discord_app.formflow import FormFlow
from bot.adapters.discord_app.formkeys import is_form_id
from bot.adapters.discord_app.forms import Ask, form_ask
from bot.adapters.discord_app.importing import import_reply
from bot.adapters.discord_app.logs import keep_tokens_out_of_logs
from bot.adapters.discord_app.modals import FormButton
from bot.adapters.discord_app.newbriefing import COMMAND, NEW_BRIEFING_ID, NewBriefingModal, submitted_options, wants_modal
from bot.adapters.discord_app.passages import PassageSelect
from bot.adapters.discord_app.render import notice, render, shorten, size
from bot.adapters.discord_app.shards import ShardSlice
from bot.adapters.discord_app.translate import reader_language, request_for
from bot.adapters.discord_app.views import PageButton, let_go
from bot.adapters.inflight import DRAIN_SECONDS, Inflight
from bot.core.catalogue import catalogue_for
from bot.core.replies import Approval, Reply, passage_line
from bot.core.requests import Request
from bot.core.service import BriefingCore, Choice
from bot.errors import ConfigError, TokenRejected
from bot.settings import DiscordSettings

log = logging.getLogger(__name__)
# Answers normally take milliseconds; past this (or sooner, see deadline.ANSWER_BY) the bot acknowledges
# first so Discord's 3 s deadline holds. Zero or less means: always acknowledge first.
DEFER_AFTER = 1.0
CHOICE_TEXT_LIMIT = 100
# Answers sent at once. A burst of interactions otherwise opens one HTTP request each, and their
# buffers, not the work, set peak memory; beyond a few dozen, more at once is no faster.
MAX_SENDING = 64
# TCP connections to Discord, shared by the gateway, defers, answers and digests. discord.py's default has
# no limit, so under a burst nearly every defer opened a connection of its own, the bot's largest single cost.
# Bounded, a request waits for a kept-alive connection instead.
MAX_CONNECTIONS = MAX_SENDING + 16
# Guilds only (for role names and ids); no privileged intents, no message content.
INTENTS = discord.Intents(guilds=True)
TOKEN = "DISCORD_TOKEN"


def rejected(how: str = "") -> str:
    """The line for a token Discord refuses (`how`: where it said so, if not at login): what to set, and where to get it."""
    return f"{TOKEN} was rejected by Discord{how}; copy the bot token again from the developer portal (Bot → Reset Token)."


Handled = ParamSpec("Handled")


def point_at(settings: DiscordSettings) -> None:
    """Send REST calls and the gateway connection where the settings say (Discord, a proxy, or a test)."""
    discord.http.Route.BASE = settings.api_base.rstrip("/")
    gateway = discord.gateway.DiscordWebSocket
    # Same URL class discord.py uses (yarl's), taken from the default rather than importing another SDK.
    gateway.DEFAULT_GATEWAY = type(gateway.DEFAULT_GATEWAY)(settings.gateway)


async def login(client: discord.Client, token: str, settings: DiscordSettings) -> None:
    """Log in with the token; ConfigError naming it when Discord refuses it, or saying Discord did not answer.

    A Discord that cannot be reached stops the start in one line, as Slack's does (slack_app/token.py): the
    process manager starts it again.
    """
    try:
        await client.login(token)
    except discord.LoginFailure:
        raise TokenRejected(rejected()) from None
    except discord.DiscordServerError as error:
        raise ConfigError(_unanswered(settings, f"HTTP {error.status}")) from None
    except TimeoutError:
        raise ConfigError(_unanswered(settings, "no answer in time")) from None
    except aiohttp.ClientError:
        raise ConfigError(_unanswered(settings, "could not connect")) from None


def _unanswered(settings: DiscordSettings, why: str) -> str:
    """The line for a Discord that did not say whether it takes the token: where it was asked, and why."""
    host = urlsplit(settings.api_base).netloc  # settings refuse a user name or password in it
    return f"Discord at {host} could not check {TOKEN} ({why}); check the network and discord.api_base, then start again"


def in_flight(
    handler: Callable[Concatenate[BriefbotClient, Handled], Awaitable[None]],
) -> Callable[Concatenate[BriefbotClient, Handled], Coroutine[Any, Any, None]]:
    """An interaction's handler that a stop waits for (see `BriefbotClient.close`); one starting once the bot is
    stopping is left unanswered, as if the bot were already gone, rather than cut halfway by the closing connection."""

    @functools.wraps(handler)
    async def held(client: BriefbotClient, /, *args: Handled.args, **kwargs: Handled.kwargs) -> None:
        if client.inflight.hold():
            await handler(client, *args, **kwargs)

    return held


class BriefbotClient(discord.Client):
    """One gateway connection answering every slash command and page button from the core."""

    def __init__(
        self,
        core: BriefingCore,
        settings: DiscordSettings,
        *,
        defer_after: float = DEFER_AFTER,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        **options: Any,
    ) -> None:
        point_at(settings)
        keep_tokens_out_of_logs()
        super().__init__(
            intents=INTENTS,
            allowed_mentions=discord.AllowedMentions.none(),
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            max_messages=None,
            connector=aiohttp.TCPConnector(limit=MAX_CONNECTIONS),
            **options,
        )
        self.core = core
        self.settings = settings
        self.defer_after = defer_after
        self.clock = clock  # compared with interactions' creation times, so tests inject it
        self._sending = asyncio.Semaphore(MAX_SENDING)
        self._deferrals = Deferrals()
        self.inflight = Inflight()  # the interactions being answered, which a stop lets finish
        self.forms = FormFlow(core)
        self.tree: app_commands.CommandTree[BriefbotClient] = app_commands.CommandTree(self)
        self.tree.on_error = self._on_command_error  # type: ignore[method-assign]

    async def setup_hook(self) -> None:
        """Buttons are matched by their custom id pattern, so clicks on messages from before a restart work.

        The commands are added here, translator and all, before `run` registers them, as `sync` adds them.
        """
        self.add_dynamic_items(PageButton, FormButton, PassageSelect)
        await add_commands(self.tree, self.core.registry.specs)

    async def close(self) -> None:
        """Take no new interaction, give those in flight up to DRAIN_SECONDS to answer (their HTTP session still
        open), then close the connections: a stop (SIGTERM, Ctrl-C) no longer drops an acknowledged command's answer."""
        await self.inflight.drain(DRAIN_SECONDS)
        await super().close()

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """A form submission, matched by its custom id rather than by a Modal kept in memory, so restarts lose none."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Mapping[str, object] = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        if is_form_id(custom_id):
            await self.submit_form(interaction, custom_id)
        elif custom_id == NEW_BRIEFING_ID:
            await self.answer(interaction, COMMAND, submitted_options(interaction.data), public=False)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Removed from a server (kicked, banned, or the server deleted): its subscriptions end and its choices go. An
        outage's GUILD_DELETE (`unavailable`) is `on_guild_unavailable` in discord.py, and keeps everything."""
        await self.core.left_space("discord", str(guild.id))

    @in_flight
    async def answer(self, interaction: discord.Interaction[Any], command: str, options: dict[str, str], public: bool) -> None:
        """A slash command: private unless the user asked for `public`; errors are always private."""
        if wants_modal(command, options):  # the id and title are asked in a modal, like an item's fields
            await self.open_new_briefing(interaction, options)
            return
        ask = form_ask(command, options)
        if ask is not None:  # Discord cannot pass an item's fields as options: ask for them in a modal
            await self.open_form(interaction, ask)
            return
        try:
            async with self._deadline(interaction, ephemeral=not public, thinking=True) as deadline:  # before any work of ours
                request = await self.core.in_language_here(request_for(interaction, command, options))
                reply = await self.core.dispatch(request)
                await self._send(interaction, reply, request, deadline, ephemeral=not public or reply.kind == "error", placeholder_private=not public)
        except Exception:  # noqa: BLE001 - `unexpected` logs it; only here is it known whether the placeholder is public
            await self.unexpected(interaction, placeholder_private=not public)

    async def suggest(self, interaction: discord.Interaction[Any], command: str, option: str, current: str) -> Suggestions:
        """Autocomplete from the core's in-memory index; it cannot be deferred, so it must be fast."""
        # The other options typed so far: which item ids to offer depends on the `kind:` chosen.
        typed = {name: value for name, value in interaction.namespace if name != option and isinstance(value, str)}
        choices = await self.core.complete(request_for(interaction, command, typed), option, current)
        # Discord takes at most 100 characters of either. An option's long values (a question, a role, a name) are
        # found by their words, so the whole words that fit still find what the reader picked.
        return [
            app_commands.Choice(name=_choice_name(choice), value=shorten(choice.value, CHOICE_TEXT_LIMIT))
            for choice in choices
        ]

    @in_flight
    async def turn_page(self, interaction: discord.Interaction[Any], line: str) -> None:
        """A page button: the requester's message changes page; anyone else gets the page privately."""
        try:
            edit = _clicked_by_requester(interaction)
            async with self._deadline(interaction, ephemeral=True, thinking=not edit) as deadline:
                request = await self.core.in_language_here(request_for(interaction))
                reply = await self.core.dispatch_line(line, request)
                if edit and reply.kind == "answer":
                    embeds, view = render(reply, catalogue_for(request.locale), request.command_naming)
                    try:
                        await deadline.settle()
                        if interaction.response.is_done():
                            await interaction.edit_original_response(embeds=embeds, view=view)
                        else:
                            await interaction.response.edit_message(embeds=embeds, view=view)
                    finally:
                        let_go(view)
                else:
                    await self._send(interaction, reply, request, deadline, ephemeral=True, placeholder_private=True)
        except Exception:  # noqa: BLE001 - discord.py would only log it and the user would see "This interaction failed"
            await self.unexpected(interaction)

    @in_flight
    async def show_passage(self, interaction: discord.Interaction[Any], value: str) -> None:
        """A "Source passage" pick: the passage behind the item, from the briefing that answered, to the one who picked it only."""
        try:
            async with self._deadline(interaction, ephemeral=True, thinking=True) as deadline:
                request = await self.core.in_language_here(request_for(interaction))
                line = passage_line(value)
                if line is not None:
                    reply = await self.core.dispatch_line(line, request)
                else:  # a forged value: never a command line
                    cat = catalogue_for(request.locale)
                    reply = Reply(title=cat("error.user_title"), text=cat("why.bad_ref"), kind="error")
                await self._send(interaction, reply, request, deadline, ephemeral=True, placeholder_private=True)
        except Exception:  # noqa: BLE001 - `unexpected` logs it and gives the user the generic message
            await self.unexpected(interaction)

    async def open_form(self, interaction: discord.Interaction[Any], ask: Ask) -> None:
        """A modal filled from the core's form; the modal is itself the answer, so there is no deferring here."""
        try:
            opened = await self.forms.modal(interaction, ask)
            if isinstance(opened, Reply):
                await self._send(interaction, opened, await self.forms.here(interaction), ephemeral=True, placeholder_private=True)
            else:
                await interaction.response.send_modal(opened)
        except Exception:  # noqa: BLE001 - `unexpected` logs it and gives the user the generic message
            await self.unexpected(interaction)

    async def open_new_briefing(self, interaction: discord.Interaction[Any], options: dict[str, str]) -> None:
        """The new briefing's modal once the core's gate lets this user create one (asked again when it is submitted);
        otherwise why not, privately, before anything is typed."""
        try:
            request = await self.core.in_language_here(request_for(interaction, COMMAND, options))
            refusal = self.core.refusal(request)
            if refusal is not None:
                await self._send(interaction, refusal, request, ephemeral=True, placeholder_private=True)
            else:
                await interaction.response.send_modal(NewBriefingModal(catalogue_for(str(interaction.locale)), options))
        except Exception:  # noqa: BLE001 - `unexpected` logs it and gives the user the generic message
            await self.unexpected(interaction)

    @in_flight
    async def reopen_form(self, interaction: discord.Interaction[Any], custom_id: str) -> None:
        """"More fields" or "Edit again": the form its button names, read afresh from the core."""
        try:
            ask = await self.forms.reopened(interaction, custom_id)
            if isinstance(ask, Reply):
                await self._send(interaction, ask, await self.forms.here(interaction), ephemeral=True, placeholder_private=True)
                return
        except Exception:  # noqa: BLE001 - `unexpected` logs it and gives the user the generic message
            await self.unexpected(interaction)
            return
        await self.open_form(interaction, ask)  # which answers any failure itself

    @in_flight
    async def submit_form(self, interaction: discord.Interaction[Any], custom_id: str) -> None:
        """A submitted modal as `set`/`add` with its base; the outcome is private, with what may come next."""
        try:
            async with self._deadline(interaction, ephemeral=True, thinking=True) as deadline:
                reply, view = await self.forms.submitted(interaction, custom_id)
                # The words around a form's answer in the language its answer is in (the form's own request found it already).
                here = await self.forms.here(interaction)
                await self._send(interaction, reply, here, deadline, ephemeral=True, placeholder_private=True, view=view)
        except Exception:  # noqa: BLE001 - raised in an event, it would only be logged and the user would see "This interaction failed"
            await self.unexpected(interaction)

    @in_flight
    async def import_pack(
        self, interaction: discord.Interaction[Any], file: discord.Attachment, apply: bool, approval: Approval | None = None, briefing: str | None = None,
    ) -> None:
        """`/import`: acknowledge first (fetching the file is a network call), then answer privately; `briefing`: the one it
        compares and replaces, if not the channel's."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        request = await self.core.in_language_here(request_for(interaction, "import", {"briefing": briefing} if briefing else {}))
        reply = await import_reply(self.core, request, file, apply, catalogue_for(request.locale), approval)
        await self._send(interaction, reply, request, ephemeral=True, placeholder_private=True)

    @in_flight
    async def send_file(self, interaction: discord.Interaction[Any], command: str, options: dict[str, str]) -> None:
        """`/calendar` (any reader) or `/export` (admins), options and all: the file the core makes, attached to a
        private answer; or the core's private refusal."""
        async with self._deadline(interaction, ephemeral=True, thinking=True) as deadline:
            request = await self.core.in_language_here(request_for(interaction, command, options))
            cat = catalogue_for(request.locale)
            made = await self.core.file(request)
            if isinstance(made, Reply):
                await self._send(interaction, made, request, deadline, ephemeral=True, placeholder_private=True)
                return
            reply, upload = file_upload(made, interaction.filesize_limit, cat, f"discord.{command}", request.command_naming)
            await self._send(interaction, reply, request, deadline, ephemeral=True, placeholder_private=True, file=upload)

    def _deadline(self, interaction: discord.Interaction[Any], *, ephemeral: bool, thinking: bool) -> Deadline:
        """A defer timer counted from the interaction's creation, so a backlog cannot hide how old it already is."""
        delay = defer_delay(interaction, self.clock(), self.defer_after)
        return Deadline(interaction, delay, self._deferrals, ephemeral=ephemeral, thinking=thinking)

    async def _send(
        self,
        interaction: discord.Interaction[Any],
        reply: Reply,
        request: Request,
        deadline: Deadline | None = None,
        *,
        ephemeral: bool,
        placeholder_private: bool,
        view: discord.ui.View | None = None,
        file: discord.File | None = None,
    ) -> None:
        """Answer with the reply, its words in `request`'s language and the commands it names as the reader's menu lists
        them; `view`, when given, replaces the page buttons (forms are never paged); `file` is attached."""
        async with self._sending:  # bounded answers in flight (see MAX_SENDING)
            if deadline is not None:  # the defer timer ran while this answer waited for its turn
                await deadline.settle()
            embeds, pages = render(reply, catalogue_for(request.locale), request.command_naming)
            view = view or pages
            extra: dict[str, Any] = {} if view is None else {"view": view}
            upload: dict[str, Any] = {} if file is None else {"file": file}
            try:
                if not interaction.response.is_done():
                    await interaction.response.send_message(embeds=embeds, ephemeral=ephemeral, **extra, **upload)
                    return
                # Deferred: the "thinking" message already exists and its visibility is fixed, so a private
                # answer to a public placeholder replaces it with a private followup.
                original = interaction.response.type == discord.InteractionResponseType.deferred_channel_message
                if ephemeral and original and not placeholder_private:
                    await interaction.delete_original_response()
                    await interaction.followup.send(embeds=embeds, ephemeral=True, **extra, **upload)
                elif original:
                    attached: dict[str, Any] = {} if file is None else {"attachments": [file]}  # an edit names its files this way
                    await interaction.edit_original_response(embeds=embeds, **extra, **attached)
                else:
                    await interaction.followup.send(embeds=embeds, ephemeral=ephemeral, **extra, **upload)
            finally:
                let_go(view)
                let_go(pages)

    async def _on_command_error(self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
        """The core never raises, so this is a bug here or in Discord's answer: log it, tell the user briefly."""
        await self.unexpected(interaction, error)

    async def unexpected(
        self, interaction: discord.Interaction[Any], error: BaseException | None = None, *, placeholder_private: bool = True
    ) -> None:
        """A failure is logged with its traceback; the user gets the fixed short line, privately, never the error. A
        public "thinking…" placeholder is deleted first, as `_send` deletes it before a private answer."""
        log.error("Discord interaction %s failed", interaction.id, exc_info=error or True)
        text = notice(catalogue_for(reader_language(interaction))("error.internal"))
        try:
            if not interaction.response.is_done():
                await interaction.response.send_message(text, ephemeral=True)
                return
            if not placeholder_private and interaction.response.type == discord.InteractionResponseType.deferred_channel_message:
                await interaction.delete_original_response()
            await interaction.followup.send(text, ephemeral=True)
        except Exception:  # noqa: BLE001 - Discord unreachable or the client closing: the failure itself is already logged
            log.warning("could not tell the user about the failure of interaction %s", interaction.id)


class ShardedBriefbotClient(BriefbotClient, discord.AutoShardedClient):
    """The same bot over several gateway connections, for when one connection is no longer enough."""


def make_client(core: BriefingCore, settings: DiscordSettings, shards: ShardSlice | None = None, **options: Any) -> BriefbotClient:
    """A client over this process's slice of shards, else every shard the settings ask for, else a single connection."""
    if shards is not None:
        return ShardedBriefbotClient(core, settings, shard_count=shards.count, shard_ids=list(shards.ids), **options)
    if settings.shard_count is None:
        return BriefbotClient(core, settings, **options)
    return ShardedBriefbotClient(core, settings, shard_count=settings.shard_count, **options)


def _clicked_by_requester(interaction: discord.Interaction[Any]) -> bool:
    """Only the person who asked may turn a public message's page for everyone."""
    message = interaction.message
    if message is None:
        return False
    if message.flags.ephemeral:
        return True
    metadata = message.interaction_metadata
    return metadata is not None and metadata.user.id == interaction.user.id


def _choice_name(choice: Choice) -> str:
    """A suggestion's label within Discord's limit, its `keep` (the id telling two equal titles apart) whole at the end."""
    if not choice.keep:
        return shorten(choice.label, CHOICE_TEXT_LIMIT)
    return shorten(choice.label.removesuffix(choice.keep), CHOICE_TEXT_LIMIT - size(choice.keep)) + choice.keep
