"""Reading an uploaded pack: files.info, then url_private with the bot token, never more than the cap."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import aiohttp
import msgspec
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.pack import MAX_PACK_BYTES
from bot.core.requests import Request
from bot.core.uploads import refuse_size, unreadable, upload_text

log = logging.getLogger(__name__)
DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=20)


class Upload(msgspec.Struct, frozen=True):
    """A pack file's name and text."""

    name: str
    text: str


async def read_upload(client: AsyncWebClient, http: aiohttp.ClientSession, file_id: str, request: Request) -> Upload:
    """The file's text; a UserError (shown verbatim) when it is missing, too large or not UTF-8."""
    try:
        info = (await client.files_info(file=file_id))["file"]
    except (SlackApiError, KeyError, TypeError):
        log.warning("files.info failed for %s", file_id, exc_info=True)
        raise unreadable(request, file_id[:40]) from None
    name = str(info.get("name") or file_id)[:100]
    url = str(info.get("url_private") or "")
    refuse_size(request, name, int(info.get("size") or 0))
    if not _same_site(url, client.base_url):
        # The bot token goes only to Slack itself (the configured API base or its subdomains, e.g. files.slack.com).
        log.warning("refusing to send the token to %r for %s", url[:100], file_id)
        raise unreadable(request, name)
    try:
        async with http.get(url, headers={"Authorization": f"Bearer {client.token}"}, timeout=DOWNLOAD_TIMEOUT) as response:
            response.raise_for_status()
            data = await response.content.read(MAX_PACK_BYTES + 1)
    except (aiohttp.ClientError, TimeoutError):
        log.warning("downloading %s failed", file_id, exc_info=True)
        raise unreadable(request, name) from None
    return Upload(name, upload_text(request, name, data))


def _same_site(url: str, api_base: str) -> bool:
    """True when `url` is on the API base's host or a subdomain of it, with the same scheme."""
    target, base = urlsplit(url), urlsplit(api_base)
    host, home = (target.hostname or "").lower(), (base.hostname or "").lower()
    return bool(host) and target.scheme == base.scheme and (host == home or host.endswith("." + home))

