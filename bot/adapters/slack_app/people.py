"""Who is a briefbot admin on Slack: listed in settings, or (opt-in) a workspace admin or owner."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
ADMIN = "admin"
CACHE_SECONDS = 300.0
CACHE_SIZE = 1000


class AdminRoles:
    """Roles for a request; users.info is asked at most once per user per five minutes."""

    def __init__(
        self, admin_user_ids: tuple[str, ...], workspace_admins: bool, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.admin_user_ids = frozenset(admin_user_ids)
        self.workspace_admins = workspace_admins
        self.clock = clock
        self._seen: dict[str, tuple[float, bool]] = {}

    async def roles(self, client: AsyncWebClient, user_id: str) -> frozenset[str]:
        """`{"admin"}` for admins, else nothing; a failed lookup grants nothing."""
        if user_id in self.admin_user_ids:
            return frozenset({ADMIN})
        if not self.workspace_admins:
            return frozenset()
        return frozenset({ADMIN}) if await self._workspace_admin(client, user_id) else frozenset()

    async def _workspace_admin(self, client: AsyncWebClient, user_id: str) -> bool:
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
