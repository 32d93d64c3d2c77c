"""Exporting the briefing on Slack: the core's pack file, uploaded where only the admin can see it.

Slack has no ephemeral files: a file shared to a channel is seen by everyone in it, and an upload
shared nowhere is seen by no one but the bot. So the pack goes to the admin's direct message with the
app, whose id conversations.open returns (`im:write`), through slack_sdk's `files_upload_v2`
(`files:write`): files.getUploadURLExternal, a POST of the bytes to the URL it returns (which carries
no token), then files.completeUploadExternal sharing the file to that DM. The command's own private
answer then says where the file went.
"""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack_app.mrkdwn import escape
from bot.adapters.slack_app.respond import private
from bot.core.catalogue import catalogue_for
from bot.core.registry import readers_text
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore, PackFile


async def send_file(core: BriefingCore, client: AsyncWebClient, respond: AsyncWebhookClient, request: Request) -> None:
    """After `/brief export` (admins) or `/brief calendar` (anyone), options and all: the file in the reader's DM and a
    private note saying so, or the core's refusal."""
    comment = f"slack.{core.registry.resolve(request.command).name}_comment"  # which file it is, in the reader's words
    await _send_file(await core.file(request), comment, client, respond, request)


async def _send_file(
    made: PackFile | Reply, comment: str, client: AsyncWebClient, respond: AsyncWebhookClient, request: Request
) -> None:
    """A file the core made, shared in the user's DM with a private note; or the core's refusal."""
    if isinstance(made, Reply):
        await private(respond, made, request.locale)
        return
    cat = catalogue_for(request.locale)
    await upload_privately(client, request.user_id, made, readers_text(cat, comment, file=escape(made.name)))
    await private(respond, Reply(title=cat("slack.export_sent", file=made.name), text=made.note), request.locale)


async def upload_privately(client: AsyncWebClient, user_id: str, pack: PackFile, comment: str) -> None:
    """Share `pack` in the user's DM with the app; a Slack or upload failure raises (the caller logs it)."""
    opened = await client.conversations_open(users=user_id)
    await client.files_upload_v2(
        channel=str(opened["channel"]["id"]),
        filename=pack.name,
        title=pack.name,
        content=pack.text.encode("utf-8"),
        initial_comment=comment,
    )
