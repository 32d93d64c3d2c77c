"""A process's slice of the bot's Discord shards (`--shards 0-3 --shard-count 8`), and which guilds it holds.

Discord puts guild G on shard (G >> 22) % shard_count. A process sends the digests and alerts of the
guilds on its own shards only, so processes with disjoint slices never race for one (the ledger
would still stop a second send; this keeps each guild's sends in one process and its pace). Discord's
global rate limit is the bot's, whichever process sends, so a slice paces its sends at its share of it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import msgspec

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.core.digest.model import Subscription

_SLICE = re.compile(r"(\d{1,6})(?:-(\d{1,6}))?")


class ShardSlice(msgspec.Struct, frozen=True):
    """The shard ids this process connects, out of `count` in all."""

    ids: tuple[int, ...]
    count: int

    def holds(self, guild_id: str) -> bool:
        """Whether the guild is on one of these shards; a subscription made outside a guild (the command line) counts as guild 0."""
        guild = int(guild_id) if guild_id.isdigit() else 0
        return (guild >> 22) % self.count in self.ids

    def owns(self, subscription: Subscription) -> bool:
        """Whether this process sends the subscription's digests and alerts (its guild is on these shards)."""
        return self.holds(subscription.team_id)

    @property
    def share(self) -> float:
        """The part of the bot's global rate limit this slice may use: its part of the shards."""
        return len(self.ids) / self.count


def shard_slice(shards: str | None, count: int | None) -> ShardSlice | None:
    """The slice `--shards A-B` (or `N`) of `--shard-count` names; None when neither is given; ConfigError when it cannot be."""
    if shards is None:
        return None if count is None else ShardSlice(tuple(range(count)), count)
    if count is None:
        raise ConfigError("--shards needs the total number of shards: add --shard-count N (or discord.shard_count in the settings)")
    if count < 1:
        raise ConfigError(f"--shard-count {count}: there must be at least one shard")
    match = _SLICE.fullmatch(shards.strip())
    if match is None:
        raise ConfigError(f"--shards {shards[:40]!r}: expected one shard id (3) or a range (0-3)")
    first = int(match[1])
    last = int(match[2]) if match[2] is not None else first
    if first > last:
        raise ConfigError(f"--shards {first}-{last}: the range runs backwards; write {last}-{first}")
    if last >= count:
        raise ConfigError(f"--shards {shards.strip()}: shard ids run from 0 to {count - 1} when --shard-count is {count}")
    return ShardSlice(tuple(range(first, last + 1)), count)
