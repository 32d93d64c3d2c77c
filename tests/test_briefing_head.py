"""A briefing made in chat is finished in chat: `briefing new … zone:` and `set kind:briefing` (title, summary and its
passages, the venue's zone and label), with history, undo and the stale-edit refusal, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from bot.adapters.console import ConsoleSession, render_text
from bot.core.pack import head_data
from bot.core.service import BriefingCore
from bot.store.packfile import dump_pack, read_pack_text
from tests.conftest import BEFORE, BRIEFING_ID
from tests.test_admin import OPERATOR, POLICY, run
from tests.test_digest_changes import digest, edit

STORY = "nato-summit-2026"
ON = f"briefing:{STORY}"
# The tester's story, as docs/briefings.md and the creation's answer tell an admin to finish it.
FINISHED = [
    f'/briefing new id:{STORY} title:"NATO summit in The Hague" zone:Europe/Amsterdam',
    f'/add kind:source id:hagwire publisher:"Hague Wire" title:"NATO leaders meet in The Hague" {ON}',
    f'/set kind:briefing summary:"NATO leaders meet in The Hague." evidence:"Leaders meet on 7 July" source:hagwire label:"The Hague" {ON}',
    f'/add kind:person id:jens name:"Secretary General" role:"NATO Secretary General" side:main sources:hagwire'
    f' evidence:"the Secretary General said" {ON}',
    f'/add kind:session id:day1 title:"First day" parties:jens start:2027-07-07T10:00 venue:"World Forum" format:Plenary'
    f' aims:"Agree spending" topics:defence sources:hagwire evidence:"Leaders meet on 7 July" {ON}',
    f"/remove kind:session id:first-session {ON}",
    f"/remove kind:person id:first-person {ON}",
    f"/remove kind:source id:first-source {ON}",
]


@pytest.fixture
def editor(repository) -> BriefingCore:
    return BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)


def console(core: BriefingCore) -> ConsoleSession:
    return ConsoleSession(core, lambda: BEFORE)


async def said(session: ConsoleSession, line: str) -> str:
    """The console's text for one line, its lines joined; each step of a finished story must be an answer."""
    reply = await session.answer(line)
    assert reply.kind == "answer", (line, render_text(reply))
    return " ".join(render_text(reply).split())


async def test_a_briefing_made_in_chat_is_finished_in_chat_and_reads_without_placeholders(repository):
    session = console(BriefingCore(repository))
    made = await said(session, FINISHED[0])
    assert "on the clock of Europe/Amsterdam" in made and "/set kind:briefing summary:… evidence:… source:ID" in made
    for line in FINISHED[1:]:
        await said(session, line)
    brief = await said(session, f"/brief {ON}")
    assert "NATO leaders meet in The Hague." in brief and "Not written yet" not in brief
    meeting = await said(session, f"/meeting {ON}")
    # The venue's clock is the session's: one line, no "08:00 UTC (Venue)" beside it.
    assert "10:00 CEST (The Hague)" in meeting and "UTC" not in meeting and "Venue" not in meeting
    stored = await repository.briefing(STORY)
    assert stored.venue.zone == "Europe/Amsterdam" and [e.source for e in stored.summary_evidence] == ["hagwire"]


async def test_briefing_new_refuses_a_zone_by_the_option_typed(repository):
    reply = await console(BriefingCore(repository)).answer(f"/briefing new id:{STORY} title:NATO zone:Europe/amsterdam")
    assert reply.kind == "error" and "zone: expected an IANA time zone spelled as the tz database spells it" in reply.text, reply.text
    assert STORY not in {b.id for b in await repository.briefings()}


@pytest.mark.parametrize(("line", "refusal"), [
    ('set kind:briefing evidence:"Petro landed"', "needs source:ID"),
    ("set kind:briefing zone:Mars/Base", "zone: expected an IANA time zone"),
    ('set kind:briefing title:""', "title: must not be empty"),
    ("set kind:briefing venue:Washington", "briefing has no field “venue”. Its fields: title, summary, evidence, zone, label"),
    ("set kind:briefing id:other summary:Other.", "id:other names another"),
    ("set kind:briefing", "Fields of briefing: title, summary, evidence, zone, label"),
])
async def test_a_bad_head_edit_is_refused_by_the_field_typed_and_changes_nothing(editor, repository, line, refusal):
    before, revisions = await repository.briefing(), await repository.revisions(BRIEFING_ID, limit=1)
    reply = await run(editor, line)
    assert reply.kind == "error" and refusal in reply.text, reply.text
    assert await repository.briefing() == before and await repository.revisions(BRIEFING_ID, limit=1) == revisions


async def test_a_head_edit_is_logged_shown_in_history_and_undone_and_redone(editor, repository):
    loaded = head_data(await repository.briefing())
    edited = await run(editor, 'set kind:briefing title:"Petro meets Trump" zone:America/Chicago label:Chicago')
    assert edited.title.endswith(f"briefing/{BRIEFING_ID} changed"), edited.title
    assert [f.name for f in edited.fields] == ["title", "zones", "translations"]
    # The Spanish title and venue label it dropped, said so: Spanish readers now see the new ones untranslated.
    assert edited.fields[2].value.startswith("the Spanish translation of title was removed; Spanish zones: was “Washington: Washington,")
    briefing = await repository.briefing()
    assert (briefing.title, briefing.venue.zone, briefing.venue.label) == ("Petro meets Trump", "America/Chicago", "Chicago")
    assert [z.zone for z in briefing.zones] == ["America/Chicago", "America/Bogota"]  # the home clock stays
    assert briefing.sessions == (await repository.briefing()).sessions  # items keep the zone they hold
    history = await run(editor, "history kind:briefing")
    assert [item.title for item in history.items][:1] == [f"Revision {edited.title.split()[1].rstrip(':')} · briefing/{BRIEFING_ID} changed"]
    assert "changed by a pack" in history.items[-1].title  # the load that wrote the head is in its history too
    assert all("session" not in item.title for item in history.items)  # and no item's edit
    assert (await run(editor, "undo")).kind == "answer"
    assert head_data(await repository.briefing()) == loaded
    assert (await run(editor, "redo")).kind == "answer"
    assert (await repository.briefing()).title == "Petro meets Trump"
    redone = (await repository.revisions(BRIEFING_ID, limit=1))[0].id
    why = await run(editor, "why summary")  # the summary's last change is the head's, not the load's, and a redo, as history names it
    assert f"(Revision {redone} · briefing/{BRIEFING_ID} redone (undo {redone - 1} taken back))" in render_text(why), render_text(why)


async def test_a_stale_head_edit_is_refused_whoever_changed_it_an_edit_or_an_import(editor, repository):
    seen = (await repository.revisions(BRIEFING_ID, "head", BRIEFING_ID, limit=1))[0].id  # the load's: it wrote the head
    unrelated = await run(editor, "set kind:meeting status:concluded")
    assert unrelated.kind == "answer"
    # An item's edit since is no reason to refuse: the head is as the admin saw it.
    kept = await run(editor, f"set kind:briefing title:First base:{seen}")
    assert kept.kind == "answer", kept.text
    stale = await run(editor, f"set kind:briefing summary:Second base:{seen}")
    assert stale.kind == "error" and stale.text.startswith(f"briefing/{BRIEFING_ID} changed since you read it"), stale.text
    assert "title: “First”" in stale.text
    assert (await repository.briefing()).summary != "Second"
    now = (await repository.revisions(BRIEFING_ID, limit=1))[0].id
    text = dump_pack(replace(await repository.briefing(), title="Imported"))
    dry = await editor.import_text(OPERATOR, text, "x.yaml", apply=False)
    imported = await editor.import_text(OPERATOR, text, "x.yaml", apply=True, approval=dry.approval)
    assert imported.kind == "answer", imported.text
    refused = await run(editor, f"set kind:briefing summary:Third base:{now}")
    assert refused.kind == "error" and "changed since you read it" in refused.text, refused.text


async def test_an_undo_of_a_head_edit_is_refused_once_the_head_changed_again(editor, repository):
    first = await run(editor, "set kind:briefing title:First")
    await run(editor, "set kind:briefing title:Second")
    number = first.title.split()[1].rstrip(":")
    refused = await run(editor, f"undo {number}")
    assert refused.kind == "error" and f"briefing/{BRIEFING_ID} changed again after revision {number}" in refused.text, refused.text
    assert (await repository.briefing()).title == "Second"


async def test_a_new_summary_drops_its_translation_and_readers_see_it(editor, repository, store):
    assert await run(editor, "set kind:briefing summary:\"Petro met Trump.\"") is not None
    briefing = await repository.briefing()
    assert "summary" not in dict(dict(briefing.translations)["es"]) and "title" in dict(dict(briefing.translations)["es"])
    spanish = await BriefingCore(repository).dispatch_line("/brief", replace(OPERATOR, platform="console", locale="es"))
    assert "Petro met Trump." in render_text(spanish)
    assert (await run(editor, "search Petro met Trump")).kind == "answer"  # the store indexed the new summary


async def test_a_digest_tells_of_a_head_edit(core):
    await edit(core, 'set kind:briefing zone:America/Chicago label:Chicago title:"Petro meets Trump"')
    told = await digest(core)
    assert [(item.title, item.text) for item in told.items] == [
        ("Briefing: Petro meets Trump", "Title: now “Petro meets Trump”; it was “Petro in Washington: the White House meeting with Trump”. Time zones: now “America/Chicago: Chicago, America/Bogota: Bogotá”;"
                                        " it was “America/New_York: Washington, America/Bogota: Bogotá”."),
    ]
