"""What an admin can edit, as the adapters ask it: derived from the one definition of each kind (bot/core/kinds.py)."""

from __future__ import annotations

from bot.core.kinds import HEAD, HEAD_FIELDS, KINDS, MEETING_ID, Kind

__all__ = ["FORM_FIELDS", "HEAD", "HEAD_FIELDS", "KINDS", "MEETING_ID", "Kind"]

# The fields an edit form shows, in order, by the kind an admin names: each kind's, and `briefing` (the briefing's head).
FORM_FIELDS: dict[str, tuple[str, ...]] = {**{kind.name: kind.fields for kind in KINDS.values()}, HEAD: tuple(f.name for f in HEAD_FIELDS)}
