"""The spaces' and channels' briefing choices, archiving and removing briefings, and erasing a user, in PostgreSQL.

The statements are the SQLite store's (bot/store/choices.py). Archive and remove take the briefing's
advisory lock, as the repository's writes do, so they queue behind an edit of it in any process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.admin.authors import ERASED
from bot.core.choosing import Choice, Forgotten
from bot.errors import UserError
from bot.store.choices import FORGET, BriefingInUse

if TYPE_CHECKING:
    from bot.store.postgres.repository import PostgresBriefingRepository

_COLUMNS = "platform, space_id, channel_id, briefing_id, chosen_by, chosen_at, language"
# The channel's own choice sorts before the space's ('' is the space).
_CHOSEN = f"""
SELECT {_COLUMNS} FROM briefing_choices
WHERE platform = $1 AND space_id = $2 AND channel_id IN ($3, '')
ORDER BY channel_id DESC
"""
_CHOOSE = f"""
INSERT INTO briefing_choices ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (platform, space_id, channel_id) DO UPDATE SET
    briefing_id = coalesce(excluded.briefing_id, briefing_choices.briefing_id),
    language = CASE excluded.language WHEN '' THEN briefing_choices.language ELSE excluded.language END,
    chosen_by = excluded.chosen_by, chosen_at = excluded.chosen_at
"""
# Who would lose their briefing if it went: subscribed channels and choices.
_USERS = """
SELECT 'subscription', platform, '', channel_id FROM subscriptions WHERE briefing_id = $1 AND NOT unsubscribed
UNION ALL
SELECT 'choice', platform, space_id, channel_id FROM briefing_choices WHERE briefing_id = $1
"""

# A space the bot left (the SQLite store's statements): its subscriptions end as `unsubscribe` ends one, its choices go.
_END_SUBSCRIPTIONS = "UPDATE subscriptions SET active = false, paused_reason = '', unsubscribed = true WHERE platform = $1 AND team_id = $2 AND NOT unsubscribed"
_SETTLE_CLAIMS = """
UPDATE deliveries SET state = 'skipped', error = 'unsubscribed'
WHERE state = 'claimed' AND subscription_id IN (SELECT id FROM subscriptions WHERE platform = $1 AND team_id = $2 AND unsubscribed)
"""
_FORGET_CHOICES = "DELETE FROM briefing_choices WHERE platform = $1 AND space_id = $2"


class PostgresChoiceStore:
    """ChoiceStore over the repository's pool, plus the operator's archive, remove and forget."""

    def __init__(self, repository: PostgresBriefingRepository) -> None:
        self._repository = repository

    async def chosen(self, platform: str, space_id: str, channel_id: str) -> list[Choice]:
        """The channel's choice and the space's, whichever exist, the channel's first."""
        async with self._repository._connection("reading briefing choices") as conn:
            found = await conn.fetch(_CHOSEN, platform, space_id, channel_id)
        return [Choice(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in found]

    async def choose(self, choice: Choice) -> None:
        """Record (or replace) the choice for its space or channel."""
        async with self._repository._connection("choosing a briefing") as conn:
            await conn.execute(_CHOOSE, choice.platform, choice.space_id, choice.channel_id, choice.briefing_id,
                               choice.chosen_by, choice.chosen_at.replace(microsecond=0), choice.language)

    async def forget_space(self, platform: str, space_id: str) -> Forgotten:
        """The bot left the space: its subscriptions end as `unsubscribe` ends one, its choices (space and channels) go."""
        async with self._repository._connection("forgetting a space") as conn, conn.transaction():
            ended = await conn.execute(_END_SUBSCRIPTIONS, platform, space_id)
            await conn.execute(_SETTLE_CLAIMS, platform, space_id)
            forgotten = await conn.execute(_FORGET_CHOICES, platform, space_id)
        return Forgotten(int(ended.split()[-1]), int(forgotten.split()[-1]))  # statuses "UPDATE 2", "DELETE 1"

    async def archive(self, briefing_id: str, archived: bool = True) -> None:
        """Archive a briefing (readable, no digests or alerts), or bring it back; a user error if it does not exist."""
        async with self._repository._writing(f"archiving {briefing_id}", briefing_id) as conn:
            status = await conn.execute("UPDATE briefings SET archived = $1 WHERE id = $2", archived, briefing_id)
            if status != "UPDATE 1":
                raise UserError("briefing.unknown", briefing=briefing_id[:64])

    async def remove(self, briefing_id: str) -> None:
        """Delete a briefing with its items and history; BriefingInUse while a subscription or choice names it."""
        async with self._repository._writing(f"removing {briefing_id}", briefing_id) as conn:
            default = await conn.fetchval("SELECT is_default FROM briefings WHERE id = $1", briefing_id)
            if default:  # every space that chose nothing reads it
                raise UserError("briefings.remove_default", briefing=briefing_id[:64])
            users = await conn.fetch(_USERS, briefing_id)
            if users:
                raise BriefingInUse(briefing_id, [(r[0], r[1], r[2], r[3]) for r in users])
            status = await conn.execute("DELETE FROM briefings WHERE id = $1", briefing_id)
            if status != "DELETE 1":
                raise UserError("briefing.unknown", briefing=briefing_id[:64])

    async def forget(self, platform: str, user_id: str) -> dict[str, int]:
        """Erase a user as an author (ERASED wherever they were one), in one transaction; how many rows each place had."""
        # No briefing's lock: no snapshot or listing holds an author, so no process needs telling.
        async with self._repository._writing("erasing a user") as conn:
            # SQLite's numbered parameters, ?1 to ?3, are PostgreSQL's $1 to $3; asyncpg says "UPDATE <rows>".
            return {
                place: int((await conn.execute(sql.replace("?", "$"), ERASED, platform, user_id)).split()[-1])
                for place, sql in FORGET.items()
            }
