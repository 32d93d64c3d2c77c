"""Issue #19: what a new user types with only the README, through the console's line syntax."""

from __future__ import annotations

from datetime import datetime

import pytest
from msgspec.structs import replace

from bot.adapters.console import PAGE_SIZE, ConsoleSession, render_text
from tests.conftest import BEFORE, ask


@pytest.mark.parametrize("line", ["/timeline from: 2025-09", "/timeline FROM:2025-09", "/timeline from=2025-09"])
async def test_natural_variants_of_an_option_are_the_option(core, line):
    reply = await ask(core, line)
    assert reply.kind == "answer", reply.text
    assert reply.title == (await ask(core, "/timeline from:2025-09")).title == "Timeline · 8 events"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/delegation side:united states", 'If it belongs to side:, quote the value: side:"united states"'),
        ("/delegation minister", "To look up a person: /person minister, or /delegation name:minister; for a role: /delegation role:minister."),
        ("set kind:meeting outcome:Both sides agreed", 'If it belongs to outcome:, quote the value: outcome:"Both sides agreed"'),
        ("/timeline tpoic:visa", "timeline has no option tpoic:. Did you mean topic:?"),
        ("/timeline topic:sanction", "There is no topic “sanction”. Did you mean: sanctions?"),
        ("/person villavicensio", "Did you mean: Rosa Yolanda Villavicencio?"),
        ("/quotes trmp", "Did you mean: Donald Trump?"),
        ("/delegation side:unted", 'There is no side “unted”. Did you mean side:"United States"?'),
        ("/person", "person needs the name, as in: /person Gustavo Petro"),  # help's example, from the briefing read here
        ("/meeting page:2", "meeting has no option page:. Its options: session:, briefing:"),
        ('/search "', 'A quote is not closed; put a value with spaces between two quotes, as in "two words".'),
        ("/person xyz", "Nobody called “xyz” is named in this briefing. /search xyz looks for the words everywhere."),
        ("who is in the delegation?", "nobody is called “in the delegation”. For that, try: /delegation"),
    ],
)
async def test_mistakes_get_a_message_that_leads_on(core, line, message):
    reply = await ask(core, line)
    assert reply.kind == "error"
    assert message in reply.text
    assert "Its options: -" not in reply.text and "Try /delegation to see everyone" not in reply.text


async def test_a_slash_apart_from_the_name_still_names_the_command(core):
    assert (await ask(core, "/ meeting")).title == "Meeting: Gustavo Petro & Donald Trump"


async def test_who_is_asks_for_the_person(core):
    assert (await ask(core, "who is petro?")).title == "Gustavo Petro"


async def test_search_or_finds_either_side(core):
    both = await ask(core, "/search visa OR sanctions")
    titles = {item.title for item in both.items}
    assert {"Trump revokes Petro's visa", "U.S. Treasury sanctions Petro and his family"} <= titles
    assert (await ask(core, "/search visa sanctions")).kind == "error"  # side by side, every word must appear
    assert "OR between words finds either" in (await ask(core, "/help search")).text


async def test_search_shows_the_matching_field_as_readable_text(core):
    visa = await ask(core, "/search reckless")
    assert 'Trump revokes Petro\'s visa for "reckless actions".' in [item.text for item in visa.items]
    president = await ask(core, "/search president")
    texts = {item.title: item.text for item in president.items}
    assert texts["Gustavo Petro"] == "President of Colombia, Government of Colombia"
    diaspora = await ask(core, "/search library")
    assert "Where: Martin Luther King library, Washington" in [item.text for item in diaspora.items]
    tagged = await ask(core, "/search sovereignty")
    assert all(not item.text.endswith(" sovereignty") or item.text.startswith("Topics:") for item in tagged.items)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2025-04-07T16:00:00+00:00", "Scheduled · in 9 months"),
        ("2027-03-08T16:00:00+00:00", "Scheduled · was due to start 1 year and 1 month ago; no update recorded since"),
        ("2026-01-20T16:00:00+00:00", "Scheduled · in 14 days"),
    ],
)
async def test_a_long_countdown_counts_in_months_and_years(core, now, expected):
    reply = await ask(core, "/meeting", now=datetime.fromisoformat(now))
    assert [f.value for f in reply.fields if f.name == "Status"] == [expected]


async def test_numbers_run_on_across_pages(core):
    second = render_text(await ask(core, "/timeline page:2"))
    assert "\n6. " in second and "\n1. " not in second


async def test_the_console_shows_longer_pages(core):
    session = ConsoleSession(core, lambda: BEFORE)
    reply = await session.answer("/timeline")
    assert len(reply.items) == PAGE_SIZE == 10
    assert reply.page is not None and reply.page.line_for(2) == "timeline page:2"
    assert len((await ask(core, "/timeline")).items) == 5  # a chat keeps the core's page


@pytest.mark.parametrize(
    ("line", "title", "text"),
    [
        ("/agenda", "Agenda · 0 engagements", "This briefing has no agenda yet."),
        ("/quotes", "Quotes · 0", "This briefing has no quotes yet."),
        ("/faq", "FAQ · 0 questions", "This briefing has no FAQ yet."),
        ("/context", "Context · 0 entries", "This briefing has no background entries yet."),
        ("/timeline", "Timeline · 0 events", "This briefing has no timeline entries yet."),
        ("/delegation", "Delegation · 0 named members", "The sources name no member of the delegation yet."),
    ],
)
async def test_an_empty_section_is_an_answer_not_an_error(core, repository, line, title, text):
    briefing = await repository.briefing()
    await repository.save(replace(briefing, timeline=(), agenda=(), quotes=(), faq=(), context=(), people=()))
    reply = await ask(core, line)
    assert (reply.kind, reply.title, reply.text) == ("answer", title, text)


@pytest.mark.parametrize(("locale", "text"), [
    ("en", 'The sources name 9 people, none of them in a visiting delegation. To list them by side: /delegation side:Colombia'
           ' (sides: Colombia, United States, Others named).'),
    ("es", 'Las fuentes nombran a 9 personas, ninguna de ellas en una delegación visitante. Para verlas por parte: /delegación parte:Colombia'
           ' (partes: Colombia, Estados Unidos, Otros mencionados).'),
])
async def test_people_named_outside_any_delegation_are_not_said_to_be_unnamed(core, repository, locale, text):
    """A summit names people on every side and none visiting: `/delegation` says how to list them, not that nobody is named."""
    briefing = await repository.briefing()
    await repository.save(replace(briefing, people=tuple(replace(p, delegation=False) for p in briefing.people)))
    reply = await ask(core, "/delegation", locale=locale)
    assert (reply.kind, reply.text) == ("answer", text)
    assert len((await ask(core, "/delegation side:Colombia", locale=locale)).items) > 0  # the line it gives lists them


async def test_the_digest_leads_with_the_meeting_however_many_minor_edits_follow(core):
    from bot.core.digest.preview import preview_digest, preview_subscription

    for line in ["set kind:meeting status:postponed", "set kind:meeting start:2026-02-05T11:00"]:
        assert (await ask(core, line)).kind == "answer"
    for number in range(12):  # more minor edits than the digest lists
        assert (await ask(core, f'set kind:faq id:main-topics answer:"Answer {number}"')).kind == "answer"
    await ask(core, 'set kind:meeting venue:"Oval Office"')
    subscription = preview_subscription(core.settings.digest, await core.repository.briefing("petro-trump-2026"))
    digest = await preview_digest(core, subscription, BEFORE, "en")
    lead, moved, count = digest.text.split("\n\n")
    assert lead == "“Petro in Washington: the White House meeting with Trump” is now Postponed; it was Scheduled."
    assert moved.startswith("The start of “Petro in Washington: the White House meeting with Trump” moved: it is now Thu 5 February 2026, 11:00 EST (Washington); it was Tue 3")
    assert count == "15 changes since this channel subscribed:"  # the load came after BEFORE, the preview's instant
    assert [(i.title, i.text, i.meta) for i in digest.items] == [
        ("Session: Petro in Washington: the White House meeting with Trump", "Venue: now “Oval Office”; it was “The White House, Washington”.", "3 edits"),
        ("FAQ: What are the main topics of discussion expected in the…", "Answer: rewritten.", "12 edits"),
    ]
    assert "→" not in render_text(digest)


async def test_the_digest_tells_what_was_added_or_removed_and_nothing_of_an_item_that_came_and_went(core):
    from bot.core.digest.preview import preview_digest, preview_subscription

    source = "sources:cubaheadlines-2026-02-03 evidence:\"Amid this escalation, both leaders surprised with a phone call where they acknowledged each other.\""
    for line in [f'add kind:context id:kept title:"Kept entry" body:"Stays." {source}',
                 f'add kind:context id:gone title:"Gone entry" body:"Taken back." {source}', "undo",
                 "remove kind:faq id:significance"]:
        assert (await ask(core, line)).kind == "answer", line
    digest = await preview_digest(core, preview_subscription(core.settings.digest, await core.repository.briefing("petro-trump-2026")), BEFORE, "en")
    told = [(i.title, i.text) for i in digest.items]
    assert ("Context: Kept entry", "Added.") in told
    assert ("FAQ: Why is the Petro-Trump meeting significant?", "Removed.") in told
    assert not any("gone" in title.lower() for title, _ in told), told


async def test_the_digest_says_when_an_import_changed_the_meeting(store):
    from bot.core.digest.preview import preview_digest, preview_subscription
    from bot.core.requests import Request
    from bot.core.service import BriefingCore
    from bot.store.packfile import read_pack_text
    from tests.conftest import PACK

    core = BriefingCore(store.repository, pack_reader=read_pack_text, digests=store.digests)
    text = PACK.read_text(encoding="utf-8").replace("  status: scheduled", "  status: cancelled")
    operator = Request(command="", now=BEFORE, platform="console", operator=True)
    dry = await core.import_text(operator, text, "update.yaml", apply=False)
    assert (await core.import_text(operator, text, "update.yaml", apply=True, approval=dry.approval)).kind == "answer"
    subscription = preview_subscription(core.settings.digest, await core.repository.briefing("petro-trump-2026"))
    digest = await preview_digest(core, subscription, BEFORE, "en")
    assert digest.text.startswith("“Petro in Washington: the White House meeting with Trump” is now Cancelled; it was Scheduled.")


async def test_the_side_offered_works_when_typed(core):
    """`side:unted` offers `side:"United States"`, quoted as it must be typed: typing the offer lists that side."""
    offer = (await ask(core, "/delegation side:unted")).text
    typed = offer.split("Did you mean ")[1].split("?")[0]
    assert typed == 'side:"United States"'
    reply = await ask(core, f"/delegation {typed}")
    assert reply.kind == "answer" and {i.title for i in reply.items} == {"Donald Trump", "John McNamara"}
