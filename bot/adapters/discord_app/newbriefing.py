"""`/briefing action:new` without an id or title: a modal asks for both (and the venue's zone and the text's language), and
its submission is the command.

Like the item forms, the submission is answered from its custom id (`BriefbotClient.on_interaction`),
not from a Modal kept in memory, so a restart between opening and submitting loses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from bot.adapters.discord_app.modals import DESCRIPTION_LIMIT, LABEL_LIMIT, TITLE_LIMIT, _inputs
from bot.adapters.discord_app.render import clip
from bot.core.admin.new_briefing import INPUTS, lacks_inputs, modal_inputs
from bot.core.catalogue import Catalogue

NEW_BRIEFING_ID = "briefbot:briefing-new"
COMMAND = "briefing"


def wants_modal(command: str, options: Mapping[str, str]) -> bool:
    """`/briefing action:new` that did not bring both the id and the title."""
    return command == COMMAND and lacks_inputs(options)


class NewBriefingModal(discord.ui.Modal):
    """The new briefing's id and title, its venue's zone (UTC when left empty) and language (the reader's), prefilled with
    whatever the command gave that fits its input; a value that does not is left out, said so above the inputs."""

    def __init__(self, cat: Catalogue, given: Mapping[str, str]) -> None:
        super().__init__(title=clip(cat("briefing_new.form_title"), TITLE_LIMIT), custom_id=NEW_BRIEFING_ID, timeout=None)
        fields = modal_inputs(cat, given)
        notes = "\n".join(field.note for field in fields if field.note)
        if notes:  # one component for all: a modal holds five, and the four inputs take four
            self.add_item(discord.ui.TextDisplay(notes))
        for field in fields:
            text_input: discord.ui.TextInput[NewBriefingModal] = discord.ui.TextInput(
                custom_id=field.name, default=field.value or None, required=field.required, max_length=field.limit,
            )
            label = discord.ui.Label(text=clip(field.label, LABEL_LIMIT), description=clip(field.hint, DESCRIPTION_LIMIT), component=text_input)
            self.add_item(label)
        self.stop()  # answered from the custom id; discord.py must not keep it (see FormModal)


def submitted_options(data: Mapping[str, Any] | None) -> dict[str, str]:
    """The command's options from a submitted modal: its inputs, nothing else it may hold."""
    wanted = {name for name, _, _ in INPUTS}
    return {"action": "new", **{name: value for name, value in _inputs((data or {}).get("components", ())) if name in wanted}}
