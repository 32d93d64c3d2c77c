"""The one authorization gate for admin commands, with admins listed per platform in config/."""

from __future__ import annotations

import re

import msgspec

from bot.core.requests import Request

# Whoever runs the process locally is the operator.
TRUSTED_PLATFORMS = frozenset({"console", "cli"})
# What each platform's user ids look like, so a mention (<@123>), a name or an address is refused where an id is
# wanted (an admin list, `store forget-user`) rather than matching nobody.
USER_IDS = {"discord": re.compile(r"[0-9]+"), "slack": re.compile(r"[UW][A-Z0-9]+")}


class AdminPolicy(msgspec.Struct, frozen=True):
    """Who may change the briefing; Discord's own permission is one layer, never enough by itself."""

    discord_users: frozenset[str] = frozenset()
    discord_roles: frozenset[str] = frozenset()
    slack_users: frozenset[str] = frozenset()
    slack_workspace_admins: bool = False

    def allows(self, request: Request) -> bool:
        """True when the requester may run admin commands."""
        if request.platform in TRUSTED_PLATFORMS:
            return True
        if request.platform == "discord":
            return request.user_id in self.discord_users or bool(request.roles & self.discord_roles)
        if request.platform == "slack":
            return request.user_id in self.slack_users or (self.slack_workspace_admins and request.platform_admin)
        return False
