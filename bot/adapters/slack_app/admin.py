"""Admin on Slack: `/brief edit|add` opens a form (or an item select first), a submission goes to the core;
`/brief import` and `/brief export` move whole packs (imports.py, exports.py).

The adapter decides nothing: the items, the fields, the validation and who may edit all come from
the core (`form`, `complete`, `dispatch`). A submission is dispatched before the ack because only
the ack can show field errors inline, or a refusal over the form read again with the admin's changes kept
(a stale edit: one more Save applies them); an admin write takes milliseconds, and if it ever takes longer
than `SUBMIT_DEADLINE` the modal closes and the answer follows privately.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from msgspec.structs import replace
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack_app.exports import send_file
from bot.adapters.slack_app.forms import (
    FORM_CALLBACK,
    PICK_ACTION,
    FormMeta,
    Submission,
    again,
    form_view,
    inline_errors,
    pick_message,
    picked,
    submitted,
)
from bot.adapters.slack_app.home import answer_modal
from bot.adapters.slack_app.imports import IMPORT, ImportFlows
from bot.adapters.slack_app.newbriefing import NewBriefingFlow, wants_modal
from bot.adapters.slack_app.respond import private, send, tell, who
from bot.adapters.slack_app.triggers import SlackBusy, deadline, open_modal
from bot.core.admin.kinds import KINDS
from bot.core.args import ParsedLine, parse_line
from bot.core.catalogue import catalogue_for
from bot.core.registry import LOCAL_NAMES, Registry, local_command, readers_text
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import generic_error
from bot.core.text import fold
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.adapters.slack_app.app import SlackBot

log = logging.getLogger(__name__)
EDIT = "edit"
SUBMIT_DEADLINE = 2.5  # Slack waits 3 s for a view_submission's answer
Payload = dict[str, Any]


# Slack's own commands, which name no core command: the core's help lists them (Request.own_commands).
OWN_COMMANDS = (EDIT, IMPORT)
# Each by its word in any language ("editar" → edit).
_OWN = {fold(local_command(name, language)): name for name in OWN_COMMANDS for language in ("en", *LOCAL_NAMES)}
# A form's command (an edit opens `set`'s form), whose options it reads: `edit <kind> [id]`, `add <kind>` take them bare too.
FORMS = {EDIT: "set", "add": "add"}
BARE = ("kind", "id")


def admin_line(line: str, registry: Registry) -> ParsedLine | None:
    """The line when it asks for a form, an import or a file (export, calendar), its command and options by their names
    whatever language they were typed in (`añadir tipo:persona` → add kind:person, `informe nuevo` → briefing action:new);
    None when the core answers it as typed."""
    try:
        parsed = registry.joined(parse_line(line))  # as the core reads it: `ex portar` is export, as `por qué` is why
        command = _OWN.get(fold(parsed.command)) or registry.resolve(parsed.command).name
    except UserError:
        return None
    if command == IMPORT:  # its one option is export's, `briefing:` (`informe:`): the pack export wrote goes back where it came from
        return ParsedLine(command, tuple(registry.resolve("export").named(dict(parsed.options)).items()), parsed.text)
    spec = registry.resolve(FORMS.get(command, command))
    typed = spec.named(dict(parsed.options))
    if command in FORMS and (command == EDIT or "id" not in typed):  # an add given its id is the core's, as typed
        bare = {name: word for name, word in zip(BARE, parsed.text.split(), strict=False) if name not in typed}
        return ParsedLine(command, tuple({**typed, **spec.named(bare)}.items()), "")
    if spec.positional and parsed.text and spec.positional not in typed:  # the bare words, as the core binds them (`informe nuevo`)
        typed[spec.positional] = spec.choice(spec.positional, parsed.text)
        parsed = replace(parsed, text="")
    named = ParsedLine(command, tuple(typed.items()), parsed.text)
    return named if spec.file or wants_modal(named) else None


class AdminFlows:
    """Forms, item selects and imports; owned by the SlackBot whose requests, tasks and Home tab it uses."""

    def __init__(self, bot: SlackBot) -> None:
        self.bot = bot
        self.core = bot.core
        self.imports = ImportFlows(bot)
        self.new_briefing = NewBriefingFlow(bot)

    def register(self, app: AsyncApp) -> None:
        """Attach the item select, the form submission and the import modals."""
        app.action(PICK_ACTION)(self.on_pick)
        app.view(FORM_CALLBACK)(self.on_submit)
        self.imports.register(app)
        self.new_briefing.register(app)

    async def open(self, client: AsyncWebClient, parsed: ParsedLine, command: Payload, by: float) -> None:
        """After `/brief edit|add|import|export`: a form, an item select, the import modal or the pack; or a refusal. A modal
        opens only if Slack's lookups are done `by` then (`triggers`); else Slack is busy."""
        respond = self.bot.responder(command["response_url"])
        try:
            # The command typed (edit, add), so a refusal names it; a `briefing:` given, so the form reads and writes that one.
            named = {"briefing": briefing} if (briefing := dict(parsed.options).get("briefing")) else {}
            file = parsed.command not in (IMPORT, *FORMS) and self.core.registry.resolve(parsed.command).file
            asked = self.bot.request(client, command) if file else self.bot.request_by(client, command, by)  # a file needs no trigger
            request = replace(await asked, command=parsed.command, options=named)
            if parsed.command == IMPORT:
                await self.imports.open(client, command["trigger_id"], respond, request)
                return
            if file:
                await send_file(self.core, client, respond, request.asking(parsed.command, dict(parsed.options), parsed.text))
                return
            if wants_modal(parsed):
                await self.new_briefing.open(client, command["trigger_id"], respond, request, dict(parsed.options))
                return
            options = dict(parsed.options)
            kind, item_id = options.get("kind", ""), options.get("id")
            if not kind:
                cat = catalogue_for(request.locale)
                # The kinds as the reader types them (`persona`, "pregunta frecuente" quoted), never their ids, English to every reader.
                usage = Reply(title=cat("error.user_title"), text=readers_text(cat, "slack.edit_usage", choices=tuple(KINDS)), kind="error")
                await private(respond, usage, request.locale)
                return
            wanted = None if parsed.command == "add" else item_id
            await self._open_form(client, command["trigger_id"], respond, request, kind, wanted, pick=parsed.command == EDIT)
        except SlackBusy:
            await self.bot.apologise(respond, command.get("user_id"), "slack.busy")
        except Exception:
            log.exception("slack admin %r failed", parsed.command)
            await self.bot.apologise(respond, command.get("user_id"))

    async def on_pick(self, ack: AsyncAck, body: Payload, action: Payload, client: AsyncWebClient) -> None:
        """An item chosen in the select: open its edit form."""
        await ack()
        (kind, briefing), item_id = picked(action.get("block_id", "")), action.get("selected_option", {}).get("value", "")
        self.bot.inflight.spawn(self._pick(client, body, kind, briefing, item_id, deadline()))

    async def _pick(self, client: AsyncWebClient, body: Payload, kind: str, briefing: str, item_id: str, by: float) -> None:
        respond = self.bot.responder(body["response_url"])
        try:
            named = {"briefing": briefing} if briefing else {}  # the briefing whose items the select listed
            request = replace(await self.bot.request_by(client, who(body), by), command=EDIT, options=named)  # a select only follows `edit`
            await self._open_form(client, body["trigger_id"], respond, request, kind, item_id, pick=False)
        except SlackBusy:
            await self.bot.apologise(respond, who(body).get("user_id"), "slack.busy")
        except Exception:
            log.exception("opening the %s form from a select failed", kind[:20])
            await self.bot.apologise(respond, who(body).get("user_id"))

    async def _open_form(
        self,
        client: AsyncWebClient,
        trigger_id: str,
        respond: AsyncWebhookClient,
        request: Request,
        kind: str,
        item_id: str | None,
        *,
        pick: bool,
    ) -> None:
        """The core's form in a modal; with `pick` and no item yet, a select of the kind's items first."""
        form = await self.core.form(request, kind, item_id)
        if isinstance(form, Reply):
            await private(respond, form, request.locale)
        elif pick and form.command == "add":  # the core checked the kind and the admin; now which item?
            asking = replace(request, command="set", options={"kind": form.kind, "briefing": form.briefing_id})
            choices = await self.core.complete(asking, "id", "")
            message = pick_message(form.kind, form.briefing_id, choices, len(choices) >= self.core.settings.autocomplete_limit, request.locale)
            await send(respond, **message, response_type="ephemeral", replace_original=False)
        else:
            await open_modal(client, trigger_id, form_view(form, request.channel_id, request.locale))

    async def on_submit(self, ack: AsyncAck, body: Payload, view: Payload, client: AsyncWebClient) -> None:
        """A form sent back: field errors inline, other refusals over the form again (else alone), success closes it and says so privately."""
        try:
            submission = submitted(view)
        except (ValueError, KeyError, TypeError):
            log.warning("a form came back without its metadata")
            await ack()
            return
        meta = submission.meta
        # A submission names no channel: the form's, so the channel's language answers (its briefing is in `options`).
        asker = {**who(body), "channel_id": meta.channel_id}
        # Only the cached language: nothing may delay the ack, and the user's lookup ran when the form opened.
        language = self.bot.known_language(asker.get("user_id"))
        if not submission.fields:
            await ack()
            unchanged = Reply(title=catalogue_for(language)("form.unchanged"))
            self.bot.inflight.spawn(self._tell(client, asker, meta, unchanged))
            return
        work = asyncio.ensure_future(self._dispatch(client, asker, submission, view))
        try:
            reply, retry = await asyncio.wait_for(asyncio.shield(work), SUBMIT_DEADLINE)
        except TimeoutError:
            await ack()
            self.bot.inflight.spawn(self._finish(client, asker, meta, work))
            return
        except Exception:
            log.exception("a %s form submission failed", meta.kind[:20])
            await ack(response_action="update", view=answer_modal(generic_error(catalogue_for(language)), language))
            return
        errors = inline_errors(reply.field_errors, view)
        if errors:
            await ack(response_action="errors", errors=errors)
        elif reply.kind == "error":
            await ack(response_action="update", view=retry or answer_modal(reply, language))
        else:
            await ack()
            self.bot.inflight.spawn(self._tell(client, asker, meta, reply, refresh=True))

    async def _dispatch(self, client: AsyncWebClient, asker: Payload, submission: Submission, view: Payload) -> tuple[Reply, Payload | None]:
        """The core's answer, and for a refusal no input shows, the form to show under it: read now, the admin's changes kept."""
        meta = submission.meta
        request = replace(await self.bot.request(client, asker), command=meta.command)
        reply = await self.core.dispatch(replace(request, options=submission.options, form=True))
        if reply.kind != "error" or inline_errors(reply.field_errors, view):
            return reply, None
        named = {"briefing": meta.briefing} if meta.briefing else {}  # the briefing the form was read from, as it opened
        form = await self.core.form(replace(request, options=named), meta.kind, meta.item_id if meta.command == "set" else None)
        # A form the core no longer gives (the admin's rights gone, the item removed): the refusal alone.
        return reply, None if isinstance(form, Reply) else again(form, submission, reply, request.locale)

    async def _finish(self, client: AsyncWebClient, asker: Payload, meta: FormMeta, work: asyncio.Future[tuple[Reply, Payload | None]]) -> None:
        """A submission that outlived the deadline: its answer, whatever it is, goes to the user privately (the modal is closed)."""
        try:
            reply, _ = await work
        except Exception:
            log.exception("a late %s form submission failed", meta.kind[:20])
            reply = generic_error(catalogue_for(self.bot.known_language(asker.get("user_id"))))
        await self._tell(client, asker, meta, reply, refresh=reply.kind != "error")

    async def _tell(self, client: AsyncWebClient, asker: Payload, meta: FormMeta, reply: Reply, refresh: bool = False) -> None:
        user_id = str(asker.get("user_id"))
        try:
            await tell(client, user_id, meta.channel_id, reply, self.bot.known_language(user_id))
        except Exception:
            log.exception("telling %s about their %s form failed", user_id, meta.kind[:20])
        if refresh:
            await self.bot.publish_home(client, user_id, asker.get("team_id"))
