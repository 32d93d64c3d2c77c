"""The one authorization gate for admin commands, with admins listed per platform in config/."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from bot.core.requests import Request


class Admins(msgspec.Struct, frozen=True):
    """One platform's admins: users by id, holders of a role, and, where config trusts it, the platform's own admins."""

    users: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    # Whether the platform's word that someone administers the space (`Request.platform_admin`) is enough: Slack's
    # workspace admins when config says so; never Discord's Manage Server, which is one layer and not enough by itself.
    platform_admins: bool = False

    def include(self, request: Request) -> bool:
        """True when the requester is one of these admins."""
        return request.user_id in self.users or bool(request.roles & self.roles) or (self.platform_admins and request.platform_admin)


class AdminPolicy(msgspec.Struct, frozen=True):
    """Who may change the briefing: the operator, and each platform's admins as config lists them."""

    admins: Mapping[str, Admins] = msgspec.field(default_factory=dict)

    def allows(self, request: Request) -> bool:
        """True when the requester may run admin commands; a platform config does not list has none."""
        if request.operator:
            return True
        admins = self.admins.get(request.platform)
        return admins is not None and admins.include(request)
