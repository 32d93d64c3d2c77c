"""The smallest pack a new story starts from: one placeholder source and person, so it validates and loads."""

from __future__ import annotations

from typing import Any

from bot.core.i18n import DEFAULT_LANGUAGE
from bot.core.model import Briefing
from bot.core.pack import PACK_FORMAT, parse_pack

PLACEHOLDER = "Not written yet"
SOURCE_ID = "first-source"
PERSON_ID = "first-person"
# Every item carries the passage of its source that supports it; a new story has none yet.
EVIDENCE = [{"source": SOURCE_ID, "passage": PLACEHOLDER}]


def written(value: str) -> bool:
    """Not empty, and not a skeleton's placeholder: a value a reader can be shown, or an example built on."""
    return bool(value.strip()) and value != PLACEHOLDER


def skeleton_mapping(briefing_id: str, title: str, zone: str = "UTC", language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """A pack as data: the briefing's id, title and the language its text is written in, placeholders wherever the
    format needs a value."""
    return {
        "format": PACK_FORMAT,
        "language": language,
        "briefing": {
            "id": briefing_id,
            "title": title,
            "summary": PLACEHOLDER,
            "zones": [{"zone": zone, "label": "Venue"}],
            "sides": {"main": "Main side"},
            "evidence": EVIDENCE,
        },
        "sources": [{"id": SOURCE_ID, "publisher": PLACEHOLDER, "title": PLACEHOLDER}],
        "sessions": [{
            "id": "first-session",
            "title": PLACEHOLDER,
            "parties": [PERSON_ID],
            "venue": PLACEHOLDER,
            "format": PLACEHOLDER,
            "aims": [],
            "topics": [],
            "stakes": [],
            "status": "scheduled",
            "outcome": "",
            "sources": [SOURCE_ID],
            "evidence": EVIDENCE,
        }],
        "people": [
            {"id": PERSON_ID, "name": PLACEHOLDER, "role": PLACEHOLDER, "organisation": PLACEHOLDER, "side": "main",
             "sources": [SOURCE_ID], "evidence": EVIDENCE},
        ],
    }


def skeleton_briefing(briefing_id: str, title: str, zone: str = "UTC", language: str = DEFAULT_LANGUAGE) -> Briefing:
    """The skeleton, checked by the pack validator itself: a bad id, title, zone or language is a PackError naming it."""
    return parse_pack(skeleton_mapping(briefing_id, title, zone, language), f"{briefing_id[:64]}.yaml")
