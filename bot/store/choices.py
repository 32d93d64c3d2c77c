"""The spaces' and channels' briefing choices, archiving and removing briefings, and erasing a user, in SQLite.

It shares the repository's connection and lock, so its transactions queue with the repository's.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.admin.authors import ERASED
from bot.core.choosing import Choice, Forgotten
from bot.core.recent import Stamped
from bot.errors import UserError
from bot.store.repository import SqliteBriefingRepository

# Channels whose choices are kept between commits: a few hundred bytes each.
CHANNELS_KEPT = 1024
_COLUMNS = "platform, space_id, channel_id, briefing_id, chosen_by, chosen_at, language"
# The channel's own choice sorts before the space's ('' is the space).
_CHOSEN = f"""
SELECT {_COLUMNS} FROM briefing_choices
WHERE platform = ? AND space_id = ? AND channel_id IN (?, '')
ORDER BY channel_id DESC
"""
_CHOOSE = f"""
INSERT INTO briefing_choices ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (platform, space_id, channel_id) DO UPDATE SET
    briefing_id = coalesce(excluded.briefing_id, briefing_choices.briefing_id),
    language = CASE excluded.language WHEN '' THEN briefing_choices.language ELSE excluded.language END,
    chosen_by = excluded.chosen_by, chosen_at = excluded.chosen_at
"""
# Who would lose their briefing if it went: subscribed channels, and the channels and spaces that chose it.
_USERS = """
SELECT 'subscription', platform, '', channel_id FROM subscriptions WHERE briefing_id = :id AND NOT unsubscribed
UNION ALL
SELECT 'choice', platform, space_id, channel_id FROM briefing_choices WHERE briefing_id = :id
"""
# Where briefbot stores a user as an author (docs/privacy.md), each replaced by ERASED (?1) for one platform (?2) and user
# (?3); a revision's reason is their own words, so it goes too. The names are what `forget` counts (`store.forgot`).
FORGET = {
    "revisions": "UPDATE revisions SET actor = ?1, note = '' WHERE platform = ?2 AND actor = ?3",
    "subscriptions": "UPDATE subscriptions SET created_by = ?1 WHERE platform = ?2 AND created_by = ?3",
    "choices": "UPDATE briefing_choices SET chosen_by = ?1 WHERE platform = ?2 AND chosen_by = ?3",
}

# A space the bot left: its subscriptions end as `unsubscribe` ends one (kept, marked, their open claims settled as
# skipped), so a return takes them up with their ledger; its choices, the space's and its channels', are deleted.
_END_SUBSCRIPTIONS = "UPDATE subscriptions SET active = 0, paused_reason = '', unsubscribed = 1 WHERE platform = ? AND team_id = ? AND NOT unsubscribed"
_SETTLE_CLAIMS = """
UPDATE deliveries SET state = 'skipped', error = 'unsubscribed'
WHERE state = 'claimed' AND subscription_id IN (SELECT id FROM subscriptions WHERE platform = ? AND team_id = ? AND unsubscribed)
"""
_FORGET_CHOICES = "DELETE FROM briefing_choices WHERE platform = ? AND space_id = ?"


class BriefingInUse(Exception):
    """`remove` refused: these subscriptions and choices still name the briefing.

    Each user is (kind, platform, space id, channel id): kind "subscription" or "choice"; a space's own choice has no channel id.
    """

    def __init__(self, briefing_id: str, users: list[tuple[str, str, str, str]]) -> None:
        super().__init__(briefing_id, users)
        self.briefing_id = briefing_id
        self.users = users


class SqliteChoiceStore:
    """ChoiceStore over the repository's connection, plus the operator's archive, remove and forget."""

    def __init__(self, repository: SqliteBriefingRepository) -> None:
        self._repository = repository
        # Answers are kept while SQLite's data_version stands still, as snapshots are, for the most recently asked
        # channels: what a core's own memo misses (a new core, `/use`'s or a keystroke's `resolve`) reads nothing.
        self._seen: Stamped[tuple[str, str, str], tuple[Choice, ...]] = Stamped(CHANNELS_KEPT)

    async def chosen(self, platform: str, space_id: str, channel_id: str) -> list[Choice]:
        """The channel's choice and the space's, whichever exist, the channel's first."""
        stamp = self._repository.stamp()  # before asking, so a commit from now on is noticed next time
        key = (platform, space_id, channel_id)
        if (seen := self._seen.get((stamp, key))) is not None:
            return list(seen)
        rows = await self._repository._read_now(_CHOSEN, key)
        found = tuple(
            Choice(str(r[0]), str(r[1]), str(r[2]), None if r[3] is None else str(r[3]), str(r[4]),
                   datetime.fromisoformat(str(r[5])), str(r[6]))
            for r in rows
        )
        self._seen.put(stamp, key, found)
        return list(found)

    async def choose(self, choice: Choice) -> None:
        """Record (or replace) the choice for its space or channel."""
        params = (choice.platform, choice.space_id, choice.channel_id, choice.briefing_id, choice.chosen_by,
                  choice.chosen_at.isoformat(timespec="seconds"), choice.language)
        async with self._repository._transaction("BEGIN IMMEDIATE"):
            await self._repository._conn.execute(_CHOOSE, params)

    async def forget_space(self, platform: str, space_id: str) -> Forgotten:
        """The bot left the space: its subscriptions end as `unsubscribe` ends one, its choices (space and channels) go."""
        where = (platform, space_id)
        async with self._repository._transaction("BEGIN IMMEDIATE"):
            ended = (await self._repository._conn.execute(_END_SUBSCRIPTIONS, where)).rowcount
            await self._repository._conn.execute(_SETTLE_CLAIMS, where)
            forgotten = (await self._repository._conn.execute(_FORGET_CHOICES, where)).rowcount
        return Forgotten(ended, forgotten)

    async def archive(self, briefing_id: str, archived: bool = True) -> None:
        """Archive a briefing (readable, no digests or alerts), or bring it back; a user error if it does not exist."""
        async with self._repository._transaction("BEGIN IMMEDIATE"):
            cursor = await self._repository._conn.execute(
                "UPDATE briefings SET archived = ? WHERE id = ?", (int(archived), briefing_id)
            )
            if cursor.rowcount != 1:
                raise UserError("briefing.unknown", briefing=briefing_id[:64])

    async def remove(self, briefing_id: str) -> None:
        """Delete a briefing with its items and history; BriefingInUse while a subscription or choice names it."""
        async with self._repository._transaction("BEGIN IMMEDIATE"):
            default = await self._repository._fetchone("SELECT is_default FROM briefings WHERE id = ?", (briefing_id,))
            if default and default[0]:  # every space that chose nothing reads it
                raise UserError("briefings.remove_default", briefing=briefing_id[:64])
            users = await self._repository._fetchall(_USERS, {"id": briefing_id})
            if users:
                raise BriefingInUse(briefing_id, [(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in users])
            cursor = await self._repository._conn.execute("DELETE FROM briefings WHERE id = ?", (briefing_id,))
            if cursor.rowcount != 1:
                raise UserError("briefing.unknown", briefing=briefing_id[:64])

    async def forget(self, platform: str, user_id: str) -> dict[str, int]:
        """Erase a user as an author (ERASED wherever they were one), in one transaction; how many rows each place had."""
        async with self._repository._transaction("BEGIN IMMEDIATE"):
            return {
                place: (await self._repository._conn.execute(sql, (ERASED, platform, user_id))).rowcount
                for place, sql in FORGET.items()
            }
