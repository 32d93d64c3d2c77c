"""Importing a pack from an upload: a modal with a file input, the core's dry run, then an Apply button.

Both steps read the file again (files.info, then url_private): Slack keeps it, and the modal only
carries its id, and the briefing `briefing:` named (a submission names no channel, and the channel's choice may
change meanwhile). The core's admin gate is asked before the modal opens and before each download, so a
non-admin never makes the bot fetch a file; the core checks the admin and the pack again on import.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

import msgspec
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack_app.files import read_upload
from bot.adapters.slack_app.home import answer_modal
from bot.adapters.slack_app.mrkdwn import escape, plain
from bot.adapters.slack_app.render import MAX_LABEL, MAX_MODAL_TITLE, context
from bot.adapters.slack_app.respond import private, who
from bot.adapters.slack_app.triggers import open_modal
from bot.core.catalogue import catalogue_for
from bot.core.replies import Approval, Reply
from bot.core.requests import Request
from bot.core.service import error_reply
from bot.core.uploads import upload_cap
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.adapters.slack_app.app import SlackBot

log = logging.getLogger(__name__)
IMPORT = "import"
CHECK_CALLBACK = "briefbot_import"
APPLY_CALLBACK = "briefbot_import_apply"
FILE_BLOCK = "pack"
VALUE = "value"
Payload = dict[str, Any]


def import_view(channel_id: str | None, locale: str = "en", briefing: str = "") -> Payload:
    """The modal that asks for the pack file; `briefing`: the id `briefing:` named ("" the channel's)."""
    cat = catalogue_for(locale)
    element = {"type": "file_input", "action_id": VALUE, "filetypes": ["yaml", "yml"], "max_files": 1}
    label = cat("import.file", limit=upload_cap(cat.locale))
    return {
        "type": "modal",
        "callback_id": CHECK_CALLBACK,
        "private_metadata": json.dumps({"channel_id": channel_id, "briefing": briefing}),
        "title": plain(cat("slack.import_title"), MAX_MODAL_TITLE),
        "submit": plain(cat("slack.import_check"), MAX_MODAL_TITLE),
        "close": plain(cat("slack.form_cancel"), MAX_MODAL_TITLE),
        "blocks": [{"type": "input", "block_id": FILE_BLOCK, "label": plain(label, MAX_LABEL), "element": element}],
    }


def result_view(reply: Reply, file_id: str, channel_id: str | None, briefing: str, can_apply: bool, locale: str = "en") -> Payload:
    """The core's answer; after a dry run that found changes, its submit button applies them, as that dry run showed them
    (`Reply.approval`); "Apply anyway" where they take back edits the dry run named."""
    view = answer_modal(reply, locale)
    if can_apply and reply.approval is not None:
        cat = catalogue_for(locale)
        approval = msgspec.to_builtins(reply.approval)
        view |= {
            "callback_id": APPLY_CALLBACK,
            "private_metadata": json.dumps({"file_id": file_id, "channel_id": channel_id, "briefing": briefing, "approval": approval}),
            "submit": plain(cat("slack.import_apply_anyway" if reply.approval.discard_edits else "slack.import_apply"), MAX_MODAL_TITLE),
            "close": plain(cat("slack.form_cancel"), MAX_MODAL_TITLE),
        }
    return view


class ImportFlows:
    """`/brief import`, the dry run and the apply."""

    def __init__(self, bot: SlackBot) -> None:
        self.bot = bot

    def register(self, app: AsyncApp) -> None:
        """Attach both submissions (check, then apply)."""
        app.view(CHECK_CALLBACK)(self.on_submit)
        app.view(APPLY_CALLBACK)(self.on_submit)

    async def open(self, client: AsyncWebClient, trigger_id: str, respond: AsyncWebhookClient, request: Request) -> None:
        """Ask for the file, once the core's gate says this user may import and the briefing `briefing:` names is found;
        otherwise say why, privately, before a file is chosen."""
        refusal, named, briefing = self.bot.core.refusal(request), request.options.get("briefing", ""), ""
        if refusal is None and named:
            try:
                briefing = (await self.bot.core.resolved(request, named)).briefing_id or ""
            except UserError as error:  # no such briefing, or a title several share
                refusal = error_reply(catalogue_for(request.locale), error, request)
        if refusal is not None:
            await private(respond, refusal, request.locale)
            return
        await open_modal(client, trigger_id, import_view(request.channel_id, request.locale, briefing))

    async def on_submit(self, ack: AsyncAck, body: Payload, view: Payload, client: AsyncWebClient) -> None:
        """Keep the modal open with a progress line, and fill it in once the file is read and checked."""
        apply = view.get("callback_id") == APPLY_CALLBACK
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            if apply:
                file_id = name = str(meta["file_id"])
            else:
                (upload,) = view["state"]["values"][FILE_BLOCK][VALUE]["files"]
                file_id, name = str(upload["id"]), str(upload.get("name") or upload["id"])
        except (ValueError, KeyError, TypeError):
            log.warning("an import modal came back without its file")
            await ack()
            return
        cat = catalogue_for(self.bot.known_language(who(body).get("user_id")))  # cached only: this is before the ack
        title = plain(cat("slack.import_title"), MAX_MODAL_TITLE)
        # Closing it stops neither the check nor the import: "OK", as an answer's, not the "Cancel" Slack shows without one.
        working = {"type": "modal", "title": title, "close": plain(cat("reply.close"), MAX_MODAL_TITLE),
                   "blocks": [context(escape(cat("slack.import_working", file=name[:100])))]}
        await ack(response_action="update", view=working)
        self.bot.inflight.spawn(self._check(client, who(body), view["id"], file_id, meta, apply))

    async def _check(self, client: AsyncWebClient, asker: Payload, view_id: str, file_id: str, meta: Payload, apply: bool) -> None:
        """Read the file, let the core check (or apply) it, and show the answer in the modal. `meta`, the modal's own: the
        channel it was opened in, the briefing `briefing:` named there ("" none) and, for an Apply, what its dry run showed."""
        try:
            channel_id, briefing = meta.get("channel_id"), str(meta.get("briefing") or "")
            asked = await self.bot.request(client, {**asker, "channel_id": channel_id})
            request = asked.asking(IMPORT, {"briefing": briefing} if briefing else {}, "")
            # The core's gate, asked before a file is fetched; the core asks again on import.
            reply = self.bot.core.refusal(request) or await self._import(client, request, file_id, apply, _approval(meta) if apply else None)
            can_apply = not apply and reply.kind == "answer" and bool(reply.fields)
            await client.views_update(view_id=view_id, view=result_view(reply, file_id, channel_id, briefing, can_apply, request.locale))
            if apply and reply.kind == "answer":
                await self.bot.publish_home(client, request.user_id, request.team_id)
        except Exception:
            log.exception("importing %s failed", file_id[:40])

    async def _import(self, client: AsyncWebClient, request: Request, file_id: str, apply: bool, approval: Approval | None) -> Reply:
        """Download the file and hand it to the core; a file that cannot be read is the user's to fix."""
        try:
            upload = await read_upload(client, self.bot.http, file_id, request)
        except UserError as error:
            return error_reply(catalogue_for(request.locale), error, request)
        return await self.bot.core.import_text(request, upload.text, upload.name, apply, approval)


def _approval(meta: Payload) -> Approval | None:
    """What the dry run showed, as its Apply button carries it; None when it does not (the core then shows the dry run again)."""
    try:
        return msgspec.convert(meta.get("approval"), Approval)
    except msgspec.ValidationError:
        return None

