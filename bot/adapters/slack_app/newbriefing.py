"""`/brief briefing new` without an id or title: a modal asks for both; its submission is the core's command.

The modal is only a way to type two values: who may create a briefing is the core's gate, asked before the
modal opens and again on submission; whether the id and title are good is the core's answer to the
submission: a problem with one input beside it (an id in use, a zone unknown), everything typed kept, as an edit
form's; any other refusal in place of the modal.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from msgspec.structs import replace
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack_app.forms import inline_errors
from bot.adapters.slack_app.home import answer_modal
from bot.adapters.slack_app.mrkdwn import escape, plain
from bot.adapters.slack_app.render import MAX_LABEL, MAX_MODAL_TITLE, context
from bot.adapters.slack_app.respond import private, tell, who
from bot.adapters.slack_app.triggers import open_modal
from bot.core.admin.new_briefing import INPUTS, lacks_inputs, modal_inputs
from bot.core.args import ParsedLine
from bot.core.catalogue import catalogue_for
from bot.core.requests import Request
from bot.core.service import generic_error

if TYPE_CHECKING:
    from bot.adapters.slack_app.app import SlackBot

log = logging.getLogger(__name__)
CALLBACK = "briefbot_briefing_new"
COMMAND = "briefing"
Payload = dict[str, Any]


def wants_modal(parsed: ParsedLine) -> bool:
    """`briefing new` that did not bring both the id and the title."""
    options = dict(parsed.options)  # the bare action too, named and in English (`admin_line`)
    return parsed.command == COMMAND and lacks_inputs(options)


def new_briefing_view(given: dict[str, str], channel_id: str | None, locale: str) -> Payload:
    """The modal: the id, the title, the venue's zone (UTC when left empty) and the language (the reader's), prefilled with
    whatever the command gave that fits its input; a value that does not is left out, said so above the inputs."""
    cat = catalogue_for(locale)
    notes: list[Payload] = []
    blocks = []
    for field in modal_inputs(cat, given):
        element: Payload = {"type": "plain_text_input", "action_id": field.name, "max_length": field.limit}
        if field.note:
            notes.append(context(escape(field.note)))
        if field.value:
            element["initial_value"] = field.value
        blocks.append({"type": "input", "block_id": field.name, "optional": not field.required, "label": plain(field.label, MAX_LABEL),
                       "hint": plain(field.hint, MAX_LABEL), "element": element})
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "title": plain(cat("briefing_new.form_title"), MAX_MODAL_TITLE),
        "submit": plain(cat("slack.new_briefing_submit"), MAX_MODAL_TITLE),
        "close": plain(cat("slack.form_cancel"), MAX_MODAL_TITLE),  # it throws the form away: no "OK" beside "Create"
        "private_metadata": json.dumps({"channel_id": channel_id}),
        "blocks": [*notes, *blocks],
    }


class NewBriefingFlow:
    """Opens the modal and answers its submission; owned by the SlackBot whose requests and tasks it uses."""

    def __init__(self, bot: SlackBot) -> None:
        self.bot = bot

    def register(self, app: AsyncApp) -> None:
        """Attach the submission listener."""
        app.view(CALLBACK)(self.on_submit)

    async def open(self, client: AsyncWebClient, trigger_id: str, respond: AsyncWebhookClient, request: Request, given: dict[str, str]) -> None:
        """After `/brief briefing new`: the modal, once the core's gate says this user may create a briefing; otherwise why
        not, privately, before anything is typed."""
        refusal = self.bot.core.refusal(request.asking(COMMAND, {**request.options, **given}, ""))  # named as typed: `briefing action:new`
        if refusal is not None:
            await private(respond, refusal, request.locale)
            return
        await open_modal(client, trigger_id, new_briefing_view(given, request.channel_id, request.locale))

    async def on_submit(self, ack: AsyncAck, body: Payload, view: Payload, client: AsyncWebClient) -> None:
        """The core's answer: a refusal of an input is shown beside it, any other replaces the modal; a success closes it
        and is said privately in the channel."""
        values = view.get("state", {}).get("values", {})
        options = {"action": "new", **{name: str((values.get(name, {}).get(name) or {}).get("value") or "") for name, _, _ in INPUTS}}
        # A submission names no channel: the one the modal was opened in, whose language the answer is in.
        channel_id = json.loads(view.get("private_metadata") or "{}").get("channel_id")
        asker = {**who(body), "channel_id": channel_id}
        language = self.bot.known_language(asker.get("user_id"))
        try:
            request = await self.bot.request(client, asker)
            language = request.locale
            reply = await self.bot.core.dispatch(replace(request, command=COMMAND, options=options))
        except Exception:
            log.exception("a new briefing submission failed")
            reply = generic_error(catalogue_for(language))
        errors = inline_errors(reply.field_errors, view)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        if reply.kind == "error":
            await ack(response_action="update", view=answer_modal(reply, language))
            return
        await ack()
        self.bot.inflight.spawn(tell(client, str(asker.get("user_id")), channel_id, reply, language))
