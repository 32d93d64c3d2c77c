"""Search looks in the words, not the dates: words naming a day or month point to `timeline from:… to:…`, which finds them."""

from __future__ import annotations

import pytest

from bot.core.datewords import named_date
from bot.core.service import BriefingCore
from tests.conftest import ask


@pytest.mark.parametrize(
    ("text", "locale", "named"),
    [
        ("October 2025", "en", "2025-10"),
        ("2025-10", "en", "2025-10"),
        ("2026-02-03", "en", "2026-02-03"),
        ("February 3", "en", "2026-02-03"),  # no year: the briefing's
        ("Tuesday 3 February", "en", "2026-02-03"),
        ("Sept 2025", "en_GB", "2025-09"),  # CLDR's abbreviations
        ("octubre de 2025", "es", "2025-10"),
        ("martes, 3 de febrero de 2026", "es", "2026-02-03"),
        ("oct. 2025", "es", "2025-10"),
        ("2026", "en", None),  # a year alone is a word as much as a date
        ("October", "en", None),  # a month alone too ("may", "march")
        ("visa 2026", "en", None),
        ("February 30", "en", None),
        ("2025-13", "en", None),
        ("octubre de 2025", "en", None),  # another language's month
    ],
)
def test_words_naming_a_day_or_month_in_the_readers_language_are_read_as_that_date(text: str, locale: str, named: str | None) -> None:
    assert named_date(text, locale, 2026) == named


@pytest.mark.parametrize(
    ("line", "locale", "pointer"),
    [
        ("search October 2025", "en", "/timeline from:2025-10 to:2025-10"),
        ("search 2025-10", "en", "/timeline from:2025-10 to:2025-10"),
        ("search 2026-02-03", "en", "/timeline from:2026-02-03 to:2026-02-03"),
        ("buscar octubre de 2025", "es", "/cronología desde:2025-10 hasta:2025-10"),
        ('timeline query:"October 2025"', "en", "/timeline from:2025-10 to:2025-10"),
    ],
)
async def test_a_date_found_in_no_words_points_to_the_timeline_of_that_date(core: BriefingCore, line: str, locale: str, pointer: str) -> None:
    """`search October 2025` found nothing though an event is dated October 2025: the answer says where it is."""
    reply = await ask(core, line, locale=locale)
    assert reply.kind == "error" and pointer in reply.text, reply.text
    command = pointer.removeprefix("/")
    listed = await ask(core, command, locale=locale)
    assert listed.kind == "answer" and listed.items, listed.text


async def test_a_date_found_in_words_still_points_to_the_events_dated_then(core: BriefingCore) -> None:
    """`timeline query:"February 3"` finds the events whose notes name the date (the weekend's call, the Monday's
    arrival: each dated from the source's own date), not the one dated 3 February: the footer points to it; so does a
    search's."""
    reply = await ask(core, 'timeline query:"February 3"')
    assert [item.ref for item in reply.items] == ["timeline/historic-pact-call", "timeline/arrival-washington"]
    assert "/timeline from:2026-02-03 to:2026-02-03 lists the events dated then" in reply.footer
    dated = await ask(core, "timeline from:2026-02-03 to:2026-02-03")
    assert "timeline/white-house-meeting" in [item.ref for item in dated.items]
    assert "/timeline from:2026-02-03 to:2026-02-03" in (await ask(core, "search February 3")).footer
    assert (await ask(core, "search visa")).footer == ""  # words naming no date: no pointer
