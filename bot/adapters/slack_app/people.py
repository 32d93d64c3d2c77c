"""What Slack says about a user: whether they administer the workspace (asked only when configured), and their language.

Both come from one users.info call (`include_locale`), cached per user for five minutes in a bounded
map, and made only in the answer's background task, never before the ack. A cached "is an admin" is
trusted for `ADMIN_SECONDS` only: after that the next command asks Slack again, so an admin demoted in
Slack loses the bot's admin commands within that bound, not five minutes later. Only admins are asked
again (a few people), so readers keep the five-minute cache and users.info's rate limit is never near.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import msgspec
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
CACHE_SECONDS = 300.0
ADMIN_SECONDS = 30.0  # how long a cached "is a workspace admin" lets a command through without asking Slack again
CACHE_SIZE = 1000


class Profile(msgspec.Struct, frozen=True):
    """The two facts the bot reads from users.info."""

    admin: bool
    locale: str | None  # "es-LA", "en-US": the user's Slack language (their workspace's unless they changed it)


class WorkspaceAdmins:
    """Looks users up with users.info at most once per user per five minutes (an admin's status, once per
    `ADMIN_SECONDS`); admin status only counts if configured."""

    def __init__(self, enabled: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = enabled
        self.clock = clock
        self._seen: dict[str, tuple[float, Profile]] = {}

    async def is_admin(self, client: AsyncWebClient, user_id: str) -> bool:
        """True for a workspace admin or owner as Slack said within `ADMIN_SECONDS`; False when lookups are off or the lookup fails."""
        if not self.enabled:
            return False
        profile = await self.profile(client, user_id, admin_seconds=ADMIN_SECONDS)
        return profile is not None and profile.admin

    async def locale(self, client: AsyncWebClient, user_id: str) -> str | None:
        """The user's Slack locale; None when the lookup fails (the caller falls back to the configured language)."""
        profile = await self.profile(client, user_id)
        return None if profile is None else profile.locale

    def cached_locale(self, user_id: str) -> str | None:
        """The user's locale if a lookup within the last five minutes found it; never asks Slack."""
        cached = self._seen.get(user_id)
        return cached[1].locale if cached is not None and self.clock() - cached[0] < CACHE_SECONDS else None

    async def profile(self, client: AsyncWebClient, user_id: str, admin_seconds: float = CACHE_SECONDS) -> Profile | None:
        """The user's profile, from the cache while it is fresh (an admin's, for `admin_seconds`, so a write fails closed
        soon after a demotion); None (and not cached, so tried again) on failure."""
        now = self.clock()
        cached = self._seen.get(user_id)
        if cached is not None and now - cached[0] < (admin_seconds if cached[1].admin else CACHE_SECONDS):
            return cached[1]
        try:
            user = (await client.users_info(user=user_id, include_locale=True))["user"]
            locale = user.get("locale")
            profile = Profile(bool(user.get("is_admin") or user.get("is_owner")), locale if isinstance(locale, str) else None)
        except (SlackApiError, KeyError, TypeError, AttributeError):
            log.warning("users.info failed for %s; treating them as a regular user in the default language", user_id, exc_info=True)
            return None
        if len(self._seen) >= CACHE_SIZE:  # bounded: a workspace of strangers cannot grow it without limit
            self._seen.clear()
        self._seen[user_id] = (now, profile)
        return profile
