"""Whether Slack says a user administers the workspace (admin or owner), asked only when configured."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
CACHE_SECONDS = 300.0
CACHE_SIZE = 1000


class WorkspaceAdmins:
    """Looks users up with users.info at most once per user per five minutes; off unless configured."""

    def __init__(self, enabled: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = enabled
        self.clock = clock
        self._seen: dict[str, tuple[float, bool]] = {}

    async def is_admin(self, client: AsyncWebClient, user_id: str) -> bool:
        """True for a workspace admin or owner; False when lookups are off or the lookup fails."""
        if not self.enabled:
            return False
        now = self.clock()
        cached = self._seen.get(user_id)
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            user = (await client.users_info(user=user_id))["user"]
        except (SlackApiError, KeyError, TypeError):
            log.warning("users.info failed for %s; treating them as a regular user", user_id, exc_info=True)
            return False
        admin = bool(user.get("is_admin") or user.get("is_owner"))
        if len(self._seen) >= CACHE_SIZE:
            self._seen.clear()
        self._seen[user_id] = (now, admin)
        return admin
