"""The smallest pack a new story starts from: one placeholder source and person, so it validates and loads.

Its placeholders are in the language its text is to be written in (the catalogue's `skeleton.*`), so its readers see
their own language's "not written yet" until an admin replaces them, not English text in a Spanish briefing.
"""

from __future__ import annotations

from typing import Any

from bot.core.catalogue import CATALOGUES, catalogue_for
from bot.core.i18n import DEFAULT_LANGUAGE
from bot.core.model import Briefing
from bot.core.pack import PACK_FORMAT, parse_pack

SOURCE_ID = "first-source"
PERSON_ID = "first-person"


def placeholder(language: str) -> str:
    """What a skeleton says wherever the format needs a value, in the language its text is written in."""
    return catalogue_for(language)("skeleton.placeholder")


def _unwritten() -> frozenset[str]:
    """Every language's placeholder, as its pack says it and as a reader of another language reads it (marked
    untranslated): a skeleton made in any language is still unwritten, so help offers none as an example, whoever reads
    it, and a first fill makes none the default briefing."""
    said = {placeholder(language) for language in CATALOGUES}
    marked = {catalogue_for(reader)("content.untranslated", text=text) for reader in CATALOGUES for text in said}
    return frozenset(said | marked)


PLACEHOLDERS = _unwritten()


def written(value: str) -> bool:
    """Not empty, and not a skeleton's placeholder in any language: a value a reader can be shown, or an example built on."""
    return bool(value.strip()) and value not in PLACEHOLDERS


def skeleton_mapping(briefing_id: str, title: str, zone: str = "UTC", language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """A pack as data: the briefing's id, title and the language its text is written in, placeholders wherever the
    format needs a value, in that language."""
    words = catalogue_for(language)
    unwritten = words("skeleton.placeholder")
    # Every item carries the passage of its source that supports it; a new story has none yet.
    evidence = [{"source": SOURCE_ID, "passage": unwritten}]
    return {
        "format": PACK_FORMAT,
        "language": language,
        "briefing": {
            "id": briefing_id,
            "title": title,
            "summary": unwritten,
            "zones": [{"zone": zone, "label": words("skeleton.zone_label")}],
            "sides": {"main": words("skeleton.side")},
            "evidence": evidence,
        },
        "sources": [{"id": SOURCE_ID, "publisher": unwritten, "title": unwritten}],
        "sessions": [{
            "id": "first-session",
            "title": unwritten,
            "parties": [PERSON_ID],
            "venue": unwritten,
            "format": unwritten,
            "aims": [],
            "topics": [],
            "stakes": [],
            "status": "scheduled",
            "outcome": "",
            "sources": [SOURCE_ID],
            "evidence": evidence,
        }],
        "people": [
            {"id": PERSON_ID, "name": unwritten, "role": unwritten, "organisation": unwritten, "side": "main",
             "sources": [SOURCE_ID], "evidence": evidence},
        ],
    }


def skeleton_briefing(briefing_id: str, title: str, zone: str = "UTC", language: str = DEFAULT_LANGUAGE) -> Briefing:
    """The skeleton, checked by the pack validator itself: a bad id, title, zone or language is a PackError naming it."""
    return parse_pack(skeleton_mapping(briefing_id, title, zone, language), f"{briefing_id[:64]}.yaml")
