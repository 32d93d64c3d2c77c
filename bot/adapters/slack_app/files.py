"""Reading an uploaded pack: files.info, then url_private with the bot token, never more than the cap."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import aiohttp
import msgspec
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.pack import MAX_PACK_BYTES
from bot.errors import UserError

log = logging.getLogger(__name__)
MAX_PACK = MAX_PACK_BYTES  # the one cap of every pack reader
DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=20)


class Upload(msgspec.Struct, frozen=True):
    """A pack file's name and text."""

    name: str
    text: str


async def read_upload(client: AsyncWebClient, http: aiohttp.ClientSession, file_id: str) -> Upload:
    """The file's text; a UserError (shown verbatim) when it is missing, too large or not UTF-8."""
    try:
        info = (await client.files_info(file=file_id))["file"]
    except (SlackApiError, KeyError, TypeError):
        log.warning("files.info failed for %s", file_id, exc_info=True)
        raise UserError("slack.import_unreadable", file=file_id[:40]) from None
    name = str(info.get("name") or file_id)[:100]
    url = str(info.get("url_private") or "")
    if int(info.get("size") or 0) > MAX_PACK:
        raise UserError("slack.import_too_large", file=name, size=_size(int(info["size"])), limit=_size(MAX_PACK))
    if not _same_site(url, client.base_url):
        # The bot token goes only to Slack itself (the configured API base or its subdomains, e.g. files.slack.com).
        log.warning("refusing to send the token to %r for %s", url[:100], file_id)
        raise UserError("slack.import_unreadable", file=name)
    try:
        async with http.get(url, headers={"Authorization": f"Bearer {client.token}"}, timeout=DOWNLOAD_TIMEOUT) as response:
            response.raise_for_status()
            data = await response.content.read(MAX_PACK + 1)
    except (aiohttp.ClientError, TimeoutError):
        log.warning("downloading %s failed", file_id, exc_info=True)
        raise UserError("slack.import_unreadable", file=name) from None
    if len(data) > MAX_PACK:
        raise UserError("slack.import_too_large", file=name, size=_size(len(data)), limit=_size(MAX_PACK))
    try:
        return Upload(name, data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError("slack.import_not_text", file=name) from None


def _same_site(url: str, api_base: str) -> bool:
    """True when `url` is on the API base's host or a subdomain of it, with the same scheme."""
    target, base = urlsplit(url), urlsplit(api_base)
    host, home = (target.hostname or "").lower(), (base.hostname or "").lower()
    return bool(host) and target.scheme == base.scheme and (host == home or host.endswith("." + home))


def _size(count: int) -> str:
    """A byte count as people read it."""
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{max(1, count // 1000)} kB"
