"""What Slack says about a user: whether they administer the workspace (asked only when configured), and their language.

Both come from one users.info call (`include_locale`), cached per user for five minutes in a bounded
map, and made only in the answer's background task, never before the ack. A cached "is an admin" is
trusted for `ADMIN_SECONDS` only: after that the next command asks Slack again, so an admin demoted in
Slack loses the bot's admin commands within that bound, not five minutes later. Only admins are asked
again (a few people), so readers keep the five-minute cache and users.info's rate limit is never near.
A failed lookup (an external Slack Connect member is `user_not_found`) is cached too, for `FAILED_SECONDS`, and
logged as one line without a traceback, so such a member's clicks ask Slack once and fill no log.
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
# How long a failed lookup stands: Slack's word on an external member holds, and a passing failure (a rate limit past
# its retries) keeps an admin out of the admin commands for a minute at most.
FAILED_SECONDS = 60.0
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
        self._seen: dict[str, tuple[float, Profile | None]] = {}  # None: the lookup failed

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
        if cached is None or cached[1] is None or self.clock() - cached[0] >= CACHE_SECONDS:
            return None
        return cached[1].locale

    async def profile(self, client: AsyncWebClient, user_id: str, admin_seconds: float = CACHE_SECONDS) -> Profile | None:
        """The user's profile, from the cache while it is fresh (an admin's, for `admin_seconds`, so a write fails closed
        soon after a demotion); None on failure, which is kept `FAILED_SECONDS` so a reader's next clicks do not ask again."""
        now = self.clock()
        cached = self._seen.get(user_id)
        if cached is not None and now - cached[0] < _lasts(cached[1], admin_seconds):
            return cached[1]
        profile: Profile | None
        try:
            user = (await client.users_info(user=user_id, include_locale=True))["user"]
            locale = user.get("locale")
            profile = Profile(bool(user.get("is_admin") or user.get("is_owner")), locale if isinstance(locale, str) else None)
        except (SlackApiError, KeyError, TypeError, AttributeError) as error:
            # Slack's code (`user_not_found`), or an answer not shaped as documented: a traceback would add nothing.
            reason = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
            log.warning("users.info failed for %s (%s); a regular user in the default language", user_id, reason)
            profile = None
        if len(self._seen) >= CACHE_SIZE:  # bounded: a workspace of strangers cannot grow it without limit
            self._seen.clear()
        self._seen[user_id] = (now, profile)
        return profile


def _lasts(profile: Profile | None, admin_seconds: float) -> float:
    """How long a cached lookup stands: a failure's `FAILED_SECONDS`, an admin's `admin_seconds`, anyone else's five minutes."""
    if profile is None:
        return FAILED_SECONDS
    return admin_seconds if profile.admin else CACHE_SECONDS
