"""A form as Discord shows it: the modal, and the buttons under a submission's outcome.

Neither is waited on in memory: the client answers a submitted modal from its custom id
(`BriefbotClient.on_interaction`), and the buttons are DynamicItems matched by their custom id, so both
work after a restart.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol, cast

import discord
from msgspec.structs import replace

from bot.adapters.discord_app.formkeys import TEMPLATE, FormKeys
from bot.adapters.discord_app.forms import Ask, Draft, fits, input_limit
from bot.adapters.discord_app.render import clip
from bot.adapters.discord_app.views import new_view
from bot.core.admin.forms import FormField, kept
from bot.core.admin.kinds import HEAD
from bot.core.catalogue import Catalogue
from bot.core.registry import readers_text
from bot.core.replies import Reply

TITLE_LIMIT, LABEL_LIMIT, DESCRIPTION_LIMIT = 45, 45, 100
TEXT_INPUT = 4  # the component type of a text input in a submission


class FormHost(Protocol):
    """What form buttons ask of `interaction.client`."""

    async def reopen_form(self, interaction: discord.Interaction[Any], custom_id: str) -> None: ...


class FormModal(discord.ui.Modal):
    """One window of a form, its inputs filled with the current values (or with what the user typed); the commands its
    notes name as the reader's menu lists them (`naming`: Request.command_naming)."""

    def __init__(self, draft: Draft, custom_id: str, cat: Catalogue, naming: tuple[str, str]) -> None:
        ask = draft.ask
        item = f"{ask.kind}/{ask.item_id}"
        key = "discord.form_add" if ask.command == "add" else "discord.form_edit"
        # A form of another briefing than the channel's says which, since the same item may be in the channel's briefing too.
        title = cat(f"{key}_in", item=item, briefing=ask.briefing) if draft.elsewhere and ask.briefing else cat(key, item=item)
        super().__init__(title=clip(title, TITLE_LIMIT), custom_id=custom_id, timeout=None)
        errors = dict(ask.errors)
        for field in draft.fields:
            if not fits(field):  # said so in its place (one component, as its input would be), with how to change it
                self.add_item(discord.ui.TextDisplay(readers_text(cat, "discord.form_too_long", naming, field=field.name, limit=input_limit(field))))
                continue
            text_input: discord.ui.TextInput[FormModal] = discord.ui.TextInput(
                custom_id=field.name,
                style=discord.TextStyle.paragraph if field.long else discord.TextStyle.short,
                default=field.value or None,
                required=field.required,
                max_length=input_limit(field),
            )
            description = errors.get(field.name) or _hint(field, ask, cat, naming)
            self.add_item(discord.ui.Label(text=clip(field.name, LABEL_LIMIT), description=clip(description, DESCRIPTION_LIMIT) or None, component=text_input))
        # Stopped before sending, so discord.py does not keep it: a modal closed unsubmitted would otherwise
        # stay in its store for good. The client answers the submission from the custom id instead.
        self.stop()


class FormButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """Opens a window of a form ("More fields", "Edit again"); its custom id says which, so it outlives restarts."""

    def __init__(self, custom_id: str, label: str = "", style: discord.ButtonStyle = discord.ButtonStyle.secondary) -> None:
        super().__init__(discord.ui.Button(label=label, custom_id=custom_id, style=style))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any, /) -> FormButton:
        """Rebuild the button from a click."""
        return cls(match.string, getattr(item, "label", None) or "")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await cast(FormHost, interaction.client).reopen_form(interaction, self.custom_id)


def submitted_values(data: Mapping[str, Any] | None, draft: Draft) -> dict[str, str]:
    """What the user left in each input the form showed, in order; anything else a submission holds is ignored."""
    shown = {field.name for field in draft.inputs}
    return {name: value for name, value in _inputs((data or {}).get("components", ())) if name in shown}


def after_view(draft: Draft, values: Mapping[str, str], reply: Reply, cat: Catalogue, keys: FormKeys, user_id: str) -> discord.ui.View | None:
    """"Edit again" under a refusal; "More fields" under a confirmation when the item has more."""
    ask = draft.ask
    if reply.kind == "error":
        # An add is retried from its first window, its answers in place, since the refusal may name any field. An edit
        # keeps only what the user changed: the rest shows as stored now, so a colleague's change made meanwhile (the
        # stale refusal's cause) is not sent back over with the value this form was opened with.
        start = None if ask.command == "add" or not draft.fields else draft.fields[0].name
        typed = kept(ask.command, draft.held, values)
        retry = replace(ask, start=start, typed=tuple(typed.items()), errors=reply.field_errors)
        return _one_button(keys.encode(retry, user_id), cat("discord.form_retry"), discord.ButtonStyle.primary)
    return more_view(draft, cat, keys, user_id)


def more_view(draft: Draft, cat: Catalogue, keys: FormKeys, user_id: str) -> discord.ui.View | None:
    """"More fields" under a form's answer when the item has fields past this window: a sixth field (a head's
    `language`) is reached only through it, so an edit's first window sent back untouched offers it too."""
    ask = draft.ask
    if draft.following is None:
        return None
    more = Ask("set", ask.kind, ask.item_id, start=draft.following, briefing=ask.briefing)
    return _one_button(keys.encode(more, user_id), cat("discord.form_more"), discord.ButtonStyle.secondary)


def _one_button(custom_id: str | None, label: str, style: discord.ButtonStyle) -> discord.ui.View | None:
    """A view that never times out, since the button's state is its custom id; none when that could not be made."""
    if custom_id is None:
        return None
    view = new_view()
    view.add_item(FormButton(custom_id, label, style))
    return view


def _inputs(components: Sequence[Mapping[str, Any]]) -> Iterator[tuple[str, str]]:
    """(custom id, value) of every text input, inside labels (`component`) or action rows (`components`)."""
    for component in components:
        if component.get("type") == TEXT_INPUT:
            yield str(component.get("custom_id", "")), str(component.get("value") or "")
        yield from _inputs(component.get("components", ()))
        if "component" in component:
            yield from _inputs((component["component"],))


def _hint(field: FormField, ask: Ask, cat: Catalogue, naming: tuple[str, str]) -> str:
    """How to write a list or a yes/no field, which the stored value alone may not show; and where a head's new passage
    names its source, which a modal has no input for (the head has no sources of its own to default to)."""
    if field.hint:
        return cat(field.hint)
    if field.name == "evidence" and ask.kind == HEAD and "source" not in dict(ask.provenance):
        return readers_text(cat, "discord.hint_head_source", naming)
    return ""
