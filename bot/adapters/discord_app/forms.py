"""Add and edit forms as Discord modals: the core's Form, five fields at a time, sent back as `set`/`add`.

Discord allows five inputs per modal, so a form shows a window of five fields starting where the user
asked (`/set … field:status`), and the private confirmation carries a "More fields" button that opens
the next five. What the core holds, and the revision it was read at, travel with the modal, so the
submission sends only the fields the user changed, with `base`: an edit made meanwhile is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol, cast

import discord

from bot.adapters.discord_app.views import CUSTOM_ID_LIMIT
from bot.core.admin.forms import Form, FormField
from bot.core.admin.kinds import BOOL_FIELDS, KINDS, LIST_FIELDS
from bot.core.catalogue import Catalogue
from bot.core.registry import CommandSpec
from bot.core.replies import Reply

PER_MODAL = 5  # Discord's limit of inputs in one modal
TITLE_LIMIT, LABEL_LIMIT, DESCRIPTION_LIMIT, VALUE_LIMIT = 45, 45, 100, 4000
FORM_TIMEOUT = 30 * 60.0  # an open modal, or a refused one's "Edit again", is forgotten after this
MORE_PREFIX = "bb:fm:"
PROVENANCE = ("source", "reason")  # options of the slash command that go back with the submission
Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Ask:
    """What a form is opened for: the command it sends back, the item, its first field, what rides along."""

    command: str
    kind: str
    item_id: str
    start: str | None = None
    provenance: Pairs = ()
    typed: Pairs = ()  # what the user typed before a refusal, shown again instead of the stored values
    errors: Pairs = ()  # the refusal's message for each field, shown under its input


@dataclass(frozen=True, slots=True)
class Draft:
    """One modal's worth of a Form: the fields shown (with what the core holds) and the next field, if any."""

    ask: Ask
    base: int
    fields: tuple[FormField, ...]
    following: str | None

    def shown(self, field: FormField) -> str:
        """The text an input starts with: what the user typed last time, else what the core holds."""
        return _fit(dict(self.ask.typed).get(field.name, field.value))

    def changes(self, values: Mapping[str, str]) -> dict[str, str]:
        """An edit sends only what differs from the stored value; an add sends every filled-in field."""
        if self.ask.command == "add":
            return {name: value for name, value in values.items() if value.strip()}
        held = {field.name: _fit(field.value) for field in self.fields}
        return {name: value for name, value in values.items() if value != held.get(name)}

    def options(self, changes: Mapping[str, str], spec: CommandSpec) -> dict[str, str]:
        """The request's options: kind, id, base, provenance and one per changed field.

        A field named like one of the command's own options (a timeline event's `note`) goes as field:/value:.
        """
        options = {"kind": self.ask.kind, "id": self.ask.item_id, **dict(self.ask.provenance)}
        if self.ask.command == "set":
            options["base"] = str(self.base)
        for name, value in changes.items():
            if spec.option(name) is None:
                options[name] = value
            else:
                options["field"], options["value"] = name, value
        return options


class FormHost(Protocol):
    """What forms and their buttons ask of `interaction.client`."""

    async def open_form(self, interaction: discord.Interaction[Any], ask: Ask) -> None: ...

    async def submit_form(self, interaction: discord.Interaction[Any], draft: Draft, values: dict[str, str]) -> None: ...

    async def unexpected(self, interaction: discord.Interaction[Any], error: BaseException | None = None) -> None: ...


def form_ask(command: str, options: Mapping[str, str]) -> Ask | None:
    """A slash command that opens a form: `/add`, and `/set` without a value; None for any other."""
    kind = KINDS.get(options.get("kind", ""))
    provenance = tuple((key, options[key]) for key in PROVENANCE if options.get(key))
    item_id = options.get("id", "")
    if kind is None or not (kind.single or item_id):
        return None  # the core names what is missing
    if command == "add":
        return Ask("add", kind.name, item_id, provenance=provenance)
    if command == "set" and "value" not in options:
        return Ask("set", kind.name, item_id, start=options.get("field"), provenance=provenance)
    return None


def draft_for(form: Form, ask: Ask) -> Draft:
    """The window of `form` that starts at `ask.start` (or its first field); the id is never an input."""
    editable = [field for field in form.fields if field.name != "id"]
    names = [field.name for field in editable]
    first = names.index(ask.start) if ask.start in names else 0
    following = names[first + PER_MODAL] if first + PER_MODAL < len(names) else None
    item_id = form.item_id or ask.item_id  # the core names the meeting; an add's id comes from the command
    return Draft(replace(ask, item_id=item_id), form.base, tuple(editable[first : first + PER_MODAL]), following)


class EditModal(discord.ui.Modal):
    """One window of a form, its inputs filled with the current values; on submit the client sends it back."""

    def __init__(self, draft: Draft, cat: Catalogue) -> None:
        ask = draft.ask
        item = ask.kind if KINDS[ask.kind].single else f"{ask.kind}/{ask.item_id}"
        title = cat("discord.form_add" if ask.command == "add" else "discord.form_edit", item=item)
        super().__init__(title=_clip(title, TITLE_LIMIT), timeout=FORM_TIMEOUT)
        self.draft = draft
        self.inputs: dict[str, discord.ui.TextInput[EditModal]] = {}
        errors = dict(ask.errors)
        for field in draft.fields:
            text_input: discord.ui.TextInput[EditModal] = discord.ui.TextInput(
                custom_id=field.name,
                style=discord.TextStyle.paragraph if field.long else discord.TextStyle.short,
                default=draft.shown(field) or None,
                required=field.required,
                max_length=VALUE_LIMIT,
            )
            self.inputs[field.name] = text_input
            description = errors.get(field.name) or _hint(field.name, cat)
            self.add_item(discord.ui.Label(text=_clip(field.name, LABEL_LIMIT), description=_clip(description, DESCRIPTION_LIMIT) or None, component=text_input))

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        values = {name: text_input.value for name, text_input in self.inputs.items()}
        await cast(FormHost, interaction.client).submit_form(interaction, self.draft, values)

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:
        await cast(FormHost, interaction.client).unexpected(interaction, error)


class MoreFieldsButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=MORE_PREFIX + r"(?P<kind>[a-z]+):(?P<field>[a-z_]+):(?P<id>.+)"):
    """Opens the next window of an item's form; its state is in its custom id, so it survives restarts."""

    def __init__(self, kind: str, field: str, item_id: str, label: str = "") -> None:
        super().__init__(discord.ui.Button(label=label, custom_id=f"{MORE_PREFIX}{kind}:{field}:{item_id}", style=discord.ButtonStyle.secondary))
        self.ask = Ask("set", kind, item_id, start=field)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any, /) -> MoreFieldsButton:
        """Rebuild the button from a click."""
        return cls(match["kind"], match["field"], match["id"], getattr(item, "label", None) or "")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await cast(FormHost, interaction.client).open_form(interaction, self.ask)


class RetryView(discord.ui.View):
    """After a refused submission: reopen the form with what the user typed and each field's problem."""

    def __init__(self, ask: Ask, cat: Catalogue) -> None:
        super().__init__(timeout=FORM_TIMEOUT)
        self.ask = ask
        button: discord.ui.Button[RetryView] = discord.ui.Button(label=cat("discord.form_retry"), style=discord.ButtonStyle.primary)
        button.callback = self._reopen  # type: ignore[method-assign]
        self.add_item(button)

    async def _reopen(self, interaction: discord.Interaction[Any]) -> None:
        await cast(FormHost, interaction.client).open_form(interaction, self.ask)


def after_view(draft: Draft, values: Mapping[str, str], reply: Reply, cat: Catalogue) -> discord.ui.View | None:
    """"Edit again" under a refusal; "More fields" under a confirmation when the item has more."""
    ask = draft.ask
    if reply.kind == "error":
        start = draft.fields[0].name if draft.fields else None
        return RetryView(replace(ask, start=start, typed=tuple(values.items()), errors=reply.field_errors), cat)
    custom_id = f"{MORE_PREFIX}{ask.kind}:{draft.following}:{ask.item_id}"
    if draft.following is None or len(custom_id) > CUSTOM_ID_LIMIT:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(MoreFieldsButton(ask.kind, draft.following, ask.item_id, cat("discord.form_more")))
    return view


def _hint(field: str, cat: Catalogue) -> str:
    """How to write a list or a yes/no field, which the stored value alone may not show."""
    if field in LIST_FIELDS:
        return cat("discord.hint_list")
    if field in BOOL_FIELDS:
        return cat("discord.hint_bool")
    return ""


def _fit(value: str) -> str:
    """A value as an input can hold it; comparing with this keeps an untouched long value from counting as changed."""
    return value[:VALUE_LIMIT]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
