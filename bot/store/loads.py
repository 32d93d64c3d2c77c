"""What a pack load must not overwrite unseen, and the operator's list of briefings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from bot.core.model import Briefing
from bot.core.repository import Revision, TakenBack

# At most this many of the edits a load would discard are named in its refusal (the count is exact).
SHOWN_EDITS = 20
# The briefing's last load: one logged by `save`, or a first load of an older store (nothing before
# it; an import always has a before).
_LAST_LOAD = """
SELECT coalesce(max(id), 0) FROM revisions
WHERE briefing_id = :briefing AND kind = 'briefing' AND action = 'import' AND (platform = :load OR before IS NULL)
"""
# The items each revision since the last load changed: an item's edit its own (the head's is `head`, the briefing's id),
# a whole briefing's revision (an import, an undo or redo of one) each item it changed (migration 024).
TOUCHED_SINCE_LOAD = f"""
SELECT id, kind, item_id FROM revisions WHERE briefing_id = :briefing AND id > ({_LAST_LOAD}) AND kind <> 'briefing'
UNION ALL
SELECT revision_id, kind, item_id FROM revision_items WHERE briefing_id = :briefing AND revision_id > ({_LAST_LOAD})
"""
# Each briefing with its latest revision (NULLs when it has none).
LISTING = """
SELECT b.id, b.title, b.is_default, b.version, b.updated_at, {columns}
FROM briefings AS b
LEFT JOIN revisions AS r ON r.id = (SELECT max(id) FROM revisions WHERE briefing_id = b.id)
ORDER BY b.id
"""


class EditedSinceLoad(Exception):
    """A load would overwrite revisions made since the briefing's last load: nothing was written.

    `current` is the stored briefing and `incoming` the pack as the load would store it, for the diff the refusal
    shows; `taken` what the load would take back.
    """

    def __init__(self, current: Briefing, incoming: Briefing, taken: TakenBack) -> None:
        super().__init__(current.id, taken.total)
        self.current = current
        self.incoming = incoming
        self.taken = taken


def taken_back(touched: Iterable[tuple[int, str, str]], changes: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[int]]:
    """Of the items revisions since the last load changed (revision, kind, id), those a load changes too, and the
    revisions that changed them, newest first: what it would overwrite, and whose edits those were.

    An item the pack holds as the store does is kept, edits and all, so an export made after the edits and changed
    elsewhere loads; an edit the pack does not hold, or an item changed on both sides, refuses it.
    """
    changed = set(changes)
    hits = [(int(number), (str(kind), str(item))) for number, kind, item in touched if (kind, item) in changed]
    return sorted({item for _, item in hits}), sorted({number for number, _ in hits}, reverse=True)


class BriefingListing(NamedTuple):
    """One line of `briefbot briefings list`: which briefing, whether it is the default, its last change."""

    id: str
    title: str
    is_default: bool
    version: int
    updated_at: datetime
    last: Revision | None
