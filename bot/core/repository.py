"""The store as the core sees it: an interface any backend can implement (SQLite is the first)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from bot.core.model import Briefing

SEARCH_KINDS = ("meeting", "timeline", "person", "agenda", "quote", "faq", "source")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text match: which item, a snippet around the match, and its rank (lower is better)."""

    kind: str
    item_id: str
    snippet: str
    rank: float


@dataclass(frozen=True, slots=True)
class BriefingSummary:
    """A briefing's id and title, and whether it is the store's default."""

    id: str
    title: str
    is_default: bool


class BriefingRepository(Protocol):
    """Read access to briefings; implementations must return current data on every call."""

    async def briefing(self, briefing_id: str | None = None) -> Briefing:
        """The briefing (the default one when None); UserError `briefing.unknown` if absent."""
        ...

    async def search(
        self, briefing_id: str, text: str, kinds: Collection[str] = (), limit: int = 50
    ) -> list[SearchHit]:
        """Ranked full-text matches of every word of `text` (prefixes count), best first."""
        ...

    async def matching_ids(self, briefing_id: str, text: str, kind: str) -> frozenset[str]:
        """Ids of one kind's items holding every word of `text` (prefixes count), unranked."""
        ...

    async def briefings(self) -> list[BriefingSummary]:
        """Every briefing in the store."""
        ...
