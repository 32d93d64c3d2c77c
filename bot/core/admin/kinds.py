"""What an admin can edit: each kind of item, its pack section and the fields it has."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.pack import ITEM_KEYS, MEETING_KEYS, SOURCE_KEYS

# Fields written as comma-separated lists, and as yes/no, in a command line or a form.
LIST_FIELDS = frozenset({"tags", "people", "sources", "aims", "topics", "parties"})
BOOL_FIELDS = frozenset({"delegation"})
# Structured fields that only a pack import changes.
IMPORT_ONLY = frozenset({"stakes"})


@dataclass(frozen=True, slots=True)
class Kind:
    """One editable kind: its name in commands, its pack section, and its fields."""

    name: str
    section: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def single(self) -> bool:
        """The meeting is one item, not a list; its id is always "meeting"."""
        return self.section == "meeting"

    @property
    def fields(self) -> tuple[str, ...]:
        """Fields an edit may set (never the id)."""
        return tuple(f for f in (*self.required, *self.optional) if f != "id" and f not in IMPORT_ONLY)


KINDS: dict[str, Kind] = {
    "meeting": Kind("meeting", "meeting", *MEETING_KEYS),
    "timeline": Kind("timeline", "timeline", *ITEM_KEYS["timeline"]),
    "person": Kind("person", "people", *ITEM_KEYS["people"]),
    "agenda": Kind("agenda", "agenda", *ITEM_KEYS["agenda"]),
    "quote": Kind("quote", "quotes", *ITEM_KEYS["quotes"]),
    "faq": Kind("faq", "faq", *ITEM_KEYS["faq"]),
    "source": Kind("source", "sources", *SOURCE_KEYS),
}
MEETING_ID = "meeting"
