"""What a form asks of the core: the modal to open for an ask, and what a submitted modal sends back.

Nothing here sends anything; the client does, within Discord's deadline. A submission is rebuilt from its
custom id and the form as the core holds it now, so it needs nothing kept from when the modal was opened.
"""

from __future__ import annotations

from typing import Any

import discord
from msgspec.structs import replace

from bot.adapters.discord_app.formkeys import PRINTED, FormKeys, found_briefing, readable
from bot.adapters.discord_app.forms import Ask, draft_for, named
from bot.adapters.discord_app.modals import FormModal, after_view, more_view, submitted_values
from bot.adapters.discord_app.render import refusal
from bot.adapters.discord_app.translate import request_for
from bot.core.admin.forms import changes, retyped
from bot.core.catalogue import catalogue_for
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore

Outcome = tuple[Reply, discord.ui.View | None]


class FormFlow:
    """The core's forms for Discord: opened as modals, sent back as `set`/`add` with the base they were read at."""

    def __init__(self, core: BriefingCore, keys: FormKeys | None = None) -> None:
        self.core = core
        self.keys = keys or FormKeys()

    async def here(self, interaction: discord.Interaction[Any], command: str = "", options: dict[str, str] | None = None) -> Request:
        """The request in the language answered here: a channel's fixed one (a thread's parent's) words the form and its buttons too."""
        return await self.core.in_language_here(request_for(interaction, command, options))

    async def modal(self, interaction: discord.Interaction[Any], ask: Ask) -> FormModal | Reply:
        """The modal for `ask`, filled from the core; a reply instead when denied, unknown, or its id cannot travel."""
        request = await self.here(interaction, ask.command, named(ask))
        form = await self.core.form(request, ask.kind, None if ask.command == "add" else ask.item_id)
        if isinstance(form, Reply):  # denied, no such item or briefing: the core says why
            return form
        draft = draft_for(retyped(form, dict(ask.typed)), ask)  # what the user typed before a refusal, over what is stored
        cat = catalogue_for(request.locale)
        custom_id = self.keys.encode(draft.ask, request.user_id, draft.base)
        if custom_id is None:
            item = f"{ask.kind}/{ask.item_id[:100]}"
            if draft.ask.briefing and readable(draft.ask.item_id):  # a valid id, too long beside the briefing's
                return refusal(cat, "discord.form_unfit_briefing", request.command_naming, item=item, briefing=draft.ask.briefing)
            return refusal(cat, "discord.form_unfit", item=item)
        return FormModal(draft, custom_id, cat, request.command_naming)

    async def reopened(self, interaction: discord.Interaction[Any], custom_id: str) -> Ask | Reply:
        """What a form button opens: the ask its custom id names (a refusal's extras while they are remembered)."""
        found = await self._decoded(interaction, custom_id)
        return found if isinstance(found, Reply) else found[0]

    async def submitted(self, interaction: discord.Interaction[Any], custom_id: str) -> Outcome:
        """The core's answer to a submitted modal, with "Edit again" or "More fields" beneath it."""
        found = await self._decoded(interaction, custom_id)
        if isinstance(found, Reply):
            return found, None
        ask, base = found
        request = await self.here(interaction, ask.command, named(ask))
        cat = catalogue_for(request.locale)
        # The form as it read at `base`, the values the modal showed: only what the user changed is sent. A stale base
        # is refused by the core with the newer value, and "Edit again" keeps those changes alone, never the others' old values.
        form = await self.core.form(request, ask.kind, None if ask.command == "add" else ask.item_id, at=base or None)
        if isinstance(form, Reply):
            return form, None
        draft = replace(draft_for(form, ask), base=base)
        values = submitted_values(interaction.data, draft)
        sent = changes(ask.command, draft.held, values)
        if not sent:
            # An edit's later fields stay one click away: an admin opening the head's form for its sixth field
            # (`language`) sends the first window untouched. An add that sent nothing has no item to go on with.
            more = more_view(draft, cat, self.keys, request.user_id) if ask.command == "set" else None
            return Reply(title=cat("form.unchanged")), more
        options = draft.options(sent, self.core.registry.resolve(ask.command))
        reply = await self.core.dispatch(replace(request_for(interaction, ask.command, options), form=True))
        return reply, after_view(draft, values, reply, cat, self.keys, request.user_id)

    async def _decoded(self, interaction: discord.Interaction[Any], custom_id: str) -> tuple[Ask, int] | Reply:
        """The ask and base a custom id names, its briefing by id (found among the stored ones when it carried a print)."""
        found = self.keys.decode(custom_id, str(interaction.user.id))
        if found is None:
            return await self._expired(interaction)
        ask, base = found
        if ask.briefing.startswith(PRINTED):  # the stored ids are read only for a form whose briefing's id did not fit
            known = found_briefing(ask, (summary.id for summary in await self.core.repository.briefings()))
            if known is None:  # the briefing was removed since
                return await self._expired(interaction)
            ask = known
        return ask, base

    async def _expired(self, interaction: discord.Interaction[Any]) -> Reply:
        """A form id this version cannot read (from an older version, or altered): say how to start again."""
        here = await self.here(interaction)
        return refusal(catalogue_for(here.locale), "discord.form_expired", here.command_naming)
