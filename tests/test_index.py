"""An index built from the previous one after an edit answers exactly like one built from scratch."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.index import BriefingIndex
from bot.core.model import Briefing
from bot.store.packfile import read_pack
from tests.conftest import PACK

SHIPPED = read_pack(PACK)
STATE = ("people", "_names", "_exact_names", "_spaced_roles", "sources", "sides", "timeline", "_starts", "_longest",
         "_tag_positions", "events_by_person", "topics", "items", "quotes_by_speaker", "speakers")


def edits(b: Briefing) -> dict[str, Briefing]:
    """One edit of each section, as the store's next snapshot holds it (unchanged sections shared)."""
    first_event, first_person, first_quote = b.timeline[0], b.people[0], b.quotes[0]
    return {
        "timeline": replace(b, timeline=(replace(first_event, tags=(*first_event.tags, "new-tag")), *b.timeline[1:])),
        "people": replace(b, people=(replace(first_person, name="Renamed Person"), *b.people[1:])),
        "quotes": replace(b, quotes=b.quotes[1:] + (first_quote,)),
        "meeting": replace(b, meeting=replace(b.meeting, topics=(*b.meeting.topics, "energy"), status="postponed")),
        "faq": replace(b, faq=b.faq[1:]),
        "sources": replace(b, sources=b.sources[::-1]),
        "whole pack": read_pack(PACK).sharing(b),
    }


@pytest.mark.parametrize("used", [True, False], ids=["parts built", "parts never used"])
@pytest.mark.parametrize("section", list(edits(SHIPPED)))
def test_the_successor_index_equals_a_fresh_one(section, used):
    previous = BriefingIndex(SHIPPED)
    if used:
        for name in STATE:
            getattr(previous, name)
    previous.memo(("when", "en"), lambda: "old when", depends=("meeting", "venue", "home"))
    previous.memo(("sources", "en"), lambda: "old sources", depends=("sources",))
    changed = edits(SHIPPED)[section]
    successor, fresh = BriefingIndex(changed, previous=previous), BriefingIndex(changed)
    for name in STATE:
        assert getattr(successor, name) == getattr(fresh, name), name
    kept_when = successor.memo(("when", "en"), lambda: "new when")
    assert kept_when == ("new when" if section == "meeting" else "old when")
    assert successor.memo(("sources", "en"), lambda: "new sources") == ("new sources" if section == "sources" else "old sources")


def test_sharing_keeps_only_equal_sections_from_the_previous_snapshot():
    again = read_pack(PACK)
    assert again.timeline is not SHIPPED.timeline
    shared = again.sharing(SHIPPED)
    assert shared.timeline is SHIPPED.timeline and shared.meeting is SHIPPED.meeting and shared == again
    edited = replace(again, faq=again.faq[1:]).sharing(SHIPPED)
    assert edited.faq is not SHIPPED.faq and edited.people is SHIPPED.people


def test_parts_are_built_on_first_use_and_only_those_of_changed_sections_again():
    previous = BriefingIndex(SHIPPED)
    for name in STATE:
        getattr(previous, name)
    successor = BriefingIndex(edits(SHIPPED)["timeline"], previous=previous)
    held = set(vars(successor))
    assert {"people", "_names", "sources", "sides", "quotes_by_speaker", "speakers"} <= held  # carried over
    assert not {"timeline", "_starts", "_tag_positions", "events_by_person", "topics", "items"} & held
    assert successor.people is previous.people
    assert successor.timeline != previous.timeline and "timeline" in vars(successor)  # built when asked
