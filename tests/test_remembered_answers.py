"""Answers remembered per briefing version (issue #18 §1): asked again they are the same answer, never a stale one."""

from __future__ import annotations

from dataclasses import replace

from tests.conftest import ask


async def test_a_page_asked_again_is_the_same_answer(core):
    first = await ask(core, "/timeline topic:sanctions")
    assert await ask(core, "/timeline topic:sanctions") is first  # remembered, not built again
    assert await ask(core, "/timeline topic:sanctions page:2") is not first


async def test_an_edit_is_seen_by_the_next_answer(core, repository):
    before = await ask(core, "/timeline")
    briefing = await repository.briefing()
    first = briefing.timeline[0]
    await repository.save(replace(briefing, timeline=(replace(first, title="A title set just now"), *briefing.timeline[1:])))
    after = await ask(core, "/timeline")
    assert after.items[0].title == "A title set just now"
    assert before.items[0].title == first.title != after.items[0].title


async def test_each_language_page_size_and_named_briefing_has_its_own_answer(core):
    english = await ask(core, "/timeline")
    spanish = await ask(core, "/timeline", locale="es")
    assert english.title.startswith("Timeline") and spanish.title.startswith("Cronología"), (english.title, spanish.title)
    longer = await ask(core, "/timeline", page_size=20)
    assert len(longer.items) > len(english.items)
    named = await ask(core, "/timeline briefing:petro-trump-2026")
    # Its page buttons must ask the same briefing again; the unnamed answer's must not name one.
    assert english.page is not None and named.page is not None
    assert ("briefing", "petro-trump-2026") in named.page.options
    assert all(key != "briefing" for key, _ in english.page.options)


async def test_a_refusal_is_not_remembered_in_place_of_an_answer(core):
    refused = await ask(core, "/timeline topic:nosuchtopic")
    assert refused.kind == "error"
    assert (await ask(core, "/timeline topic:nosuchtopic")) is not refused
