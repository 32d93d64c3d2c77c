"""Admin commands through the real core and a real SQLite file: gate, revisions, undo, stale edits."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from bot.core.admin.edits import field_value
from bot.core.admin.forms import Form, as_text
from bot.core.admin.kinds import KINDS
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.pack import pack_mapping
from bot.core.replies import Reply
from bot.core.repository import TimelineQuery
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import open_store
from bot.store.packfile import dump_pack, read_pack_text
from tests.conftest import BRIEFING_ID, DATA
from tests.test_scale import answers_as_the_index_filters, dated_pack

NOW = datetime(2026, 2, 3, 18, 0, tzinfo=UTC)
DOCS = Path(__file__).resolve().parent.parent / "docs"
INTERNAL = Catalogue()("error.internal")
POLICY = AdminPolicy({"discord": Admins(users=frozenset({"111"}), roles=frozenset({"222"})), "slack": Admins(users=frozenset({"U1"}))})
ADMIN_LINES = [
    "set kind:meeting status:concluded",
    "add kind:faq id:extra question:Why? answer:Because. sources:cubaheadlines-2026-02-03 evidence:'Petro has crafted a diverse agenda in Washington.'",
    "remove kind:faq id:significance",
    "history",
    "undo",
]
STRANGERS = [
    Request(command="", now=NOW, platform="discord", user_id="999", roles=frozenset({"333"})),
    Request(command="", now=NOW, platform="discord", user_id="999", platform_admin=True),  # Manage Server alone
    Request(command="", now=NOW, platform="slack", user_id="U9"),
    Request(command="", now=NOW, platform="slack", user_id="U9", platform_admin=True),  # workspace admins off
    Request(command="", now=NOW, platform="web", user_id="111"),  # an unknown platform is nobody's
    Request(command="", now=NOW, platform="slack", user_id="111"),  # a Discord admin's id on another platform
    Request(command="", now=NOW, platform="console", user_id="local"),  # the console's name, not its surface: not the operator
]
ADMINS = [
    Request(command="", now=NOW, platform="discord", user_id="111"),
    Request(command="", now=NOW, platform="discord", user_id="999", roles=frozenset({"222"})),
    Request(command="", now=NOW, platform="slack", user_id="U1"),
    Request(command="", now=NOW, platform="console", operator=True, user_id="local"),
    Request(command="", now=NOW, platform="cli", operator=True, user_id="operator"),
]
OPERATOR = Request(command="", now=NOW, platform="cli", operator=True, user_id="operator")


@pytest.fixture
def admin_core(repository) -> BriefingCore:
    """The core with admins configured and the pack reader wired, as the CLI builds it."""
    return BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)


async def state(repository) -> dict:
    """Everything the briefing holds, as pack data."""
    return pack_mapping(await repository.briefing())


async def edits_of(repository, kind: str) -> list:
    """A kind's revisions made by edits, without the pack loads that touched it too."""
    return [r for r in await repository.revisions(BRIEFING_ID, kind, limit=100) if r.kind != "briefing"]


async def run(core: BriefingCore, line: str, who: Request = OPERATOR) -> Reply:
    return await core.dispatch_line(line, who)


@pytest.mark.parametrize("who", STRANGERS, ids=lambda r: f"{r.platform}-{r.user_id}-{sorted(r.roles)}-{r.platform_admin}")
@pytest.mark.parametrize("line", ADMIN_LINES)
async def test_non_admins_are_denied_and_nothing_changes(admin_core, repository, who, line, caplog):
    before, revisions = await state(repository), await repository.revisions(BRIEFING_ID, limit=5)
    caplog.set_level(logging.WARNING, logger="bot.core.service")
    reply = await run(admin_core, line, who)
    assert reply.kind == "error" and "for briefing admins only" in reply.text
    assert await state(repository) == before
    assert await repository.revisions(BRIEFING_ID, limit=5) == revisions
    assert any("denied" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("who", STRANGERS[:3], ids=lambda r: f"{r.platform}-{r.user_id}")
async def test_non_admins_get_no_form_and_no_import(admin_core, repository, who):
    before = await state(repository)
    form = await admin_core.form(who, "meeting", None)
    assert isinstance(form, Reply) and form.kind == "error"
    text = dump_pack(await repository.briefing()).replace("status: scheduled", "status: concluded")
    reply = await admin_core.import_text(who, text, "x.yaml", apply=True)
    assert reply.kind == "error" and "for briefing admins only" in reply.text
    assert await state(repository) == before


@pytest.mark.parametrize("who", ADMINS, ids=lambda r: f"{r.platform}-{r.user_id}")
async def test_configured_admins_may_edit(admin_core, repository, who):
    reply = await run(admin_core, 'set kind:meeting outcome:"Agreed to meet again."', who)
    assert reply.kind == "answer", reply.text
    assert (await repository.briefing()).sessions[0].outcome == "Agreed to meet again."
    latest = (await repository.revisions(BRIEFING_ID, limit=1))[0]
    assert (latest.actor, latest.platform, latest.action) == (who.user_id, who.platform, "edit")


async def test_slack_workspace_admins_count_only_when_configured(repository):
    core = BriefingCore(repository, policy=AdminPolicy({"slack": Admins(platform_admins=True)}))
    owner = Request(command="", now=NOW, platform="slack", user_id="U7", platform_admin=True)
    history = await run(core, "history", owner)
    assert history.kind == "answer", history.text
    edit = await run(core, "set kind:meeting status:postponed", owner)
    assert edit.kind == "answer", edit.text
    assert (await repository.briefing()).sessions[0].status == "postponed"


EDITS = {
    "meeting": ("set kind:meeting venue:\"Oval Office, White House\" reason:moved", lambda b: b.sessions[0].venue == "Oval Office, White House"),
    "timeline": ('set kind:timeline id:visa-revoked title:"Visa revoked" tags:"visa, sanctions"', lambda b: next(e for e in b.timeline if e.id == "visa-revoked").tags == ("visa", "sanctions")),
    "person": ("set kind:person id:ivan-cepeda delegation:yes", lambda b: next(p for p in b.people if p.id == "ivan-cepeda").delegation),
    "agenda": ('set kind:agenda id:georgetown-lecture date:2026-02-04 time:15:00', lambda b: next(a for a in b.agenda if a.id == "georgetown-lecture").time == "15:00"),
    "quote": ('set kind:quote id:petro-taking-up-arms context:"A new context"', lambda b: next(q for q in b.quotes if q.id == "petro-taking-up-arms").context == "A new context"),
    "faq": ('set kind:faq id:significance answer:"A new answer."', lambda b: next(f for f in b.faq if f.id == "significance").answer == "A new answer."),
    "source": ("set kind:source id:cubaheadlines-2026-02-03 url:https://example.org/article", lambda b: b.sources[0].url == "https://example.org/article"),
}


@pytest.mark.parametrize("kind", sorted(EDITS))
async def test_every_kind_edits_and_undo_restores_exactly(admin_core, repository, kind):
    before = await state(repository)
    line, check = EDITS[kind]
    reply = await run(admin_core, line)
    assert reply.kind == "answer", reply.text
    assert check(await repository.briefing())
    assert await state(repository) != before
    undone = await run(admin_core, "undo")
    assert undone.kind == "answer", undone.text
    assert await state(repository) == before


ADDS = {
    "timeline": 'add kind:timeline id:second-meeting date:2026-03 title:"Second meeting" detail:"Announced." sources:cubaheadlines-2026-02-03 evidence:"Petro has crafted a diverse agenda in Washington." tags:diplomacy people:gustavo-petro',
    "person": 'add kind:person id:john-doe name:"John Doe" role:Adviser organisation:"Government of Colombia" side:colombia sources:cubaheadlines-2026-02-03 evidence:"Petro has crafted a diverse agenda in Washington."',
    "agenda": 'add kind:agenda id:press-talk title:"Press talk" detail:"Short statement." sources:cubaheadlines-2026-02-03 evidence:"Petro has crafted a diverse agenda in Washington."',
    "quote": 'add kind:quote id:new-quote speaker:donald-trump words:"look forward to meeting with him soon" context:"After the call" sources:cubaheadlines-2026-02-03 evidence:\'"I appreciate his call and tone, and look forward to meeting with him soon," Trump wrote after the conversation.\'',
    "faq": 'add kind:faq id:next question:"What next?" answer:"Not announced." sources:cubaheadlines-2026-02-03 evidence:"Petro has crafted a diverse agenda in Washington."',
    "source": 'add kind:source id:wire publisher:"A wire service" title:"Report"',
}


@pytest.mark.parametrize("line", [line for line, _ in EDITS.values()] + list(ADDS.values()) + ["remove kind:faq id:significance", "undo"])
async def test_the_snapshot_after_a_write_is_what_the_file_holds(admin_core, repository, store_target, line):
    await run(admin_core, "remove kind:agenda id:congress-members")
    reply = await run(admin_core, line)
    assert reply.kind == "answer", reply.text
    async with open_store(store_target) as fresh:
        assert await fresh.repository.briefing() == await repository.briefing()
        assert (await fresh.repository.briefing()).version == (await repository.briefing()).version


@pytest.mark.parametrize("kind", sorted(ADDS))
async def test_every_kind_adds_and_undo_removes_exactly(admin_core, repository, kind):
    before = await state(repository)
    reply = await run(admin_core, ADDS[kind])
    assert reply.kind == "answer", reply.text
    after = await state(repository)
    section = KINDS[kind].section
    assert len(after[section]) == len(before[section]) + 1
    assert (await run(admin_core, "undo")).kind == "answer"
    assert await state(repository) == before


@pytest.mark.parametrize(
    ("kind", "item_id"),
    [("timeline", "decertification"), ("agenda", "cocoa-entrepreneurs"), ("faq", "significance"), ("quote", "trump-appreciate-call"), ("person", "ivan-cepeda")],
)
async def test_remove_and_undo_puts_the_item_back_in_place(admin_core, repository, kind, item_id):
    before = await state(repository)
    reply = await run(admin_core, f"remove kind:{kind} id:{item_id} reason:test")
    assert reply.kind == "answer", reply.text
    assert item_id not in [i["id"] for i in (await state(repository))[KINDS[kind].section]]
    assert (await run(admin_core, "undo")).kind == "answer"
    assert await state(repository) == before  # same content, same order


async def test_repeated_undo_walks_back_and_redo_takes_undos_back(admin_core, repository):
    scheduled = await state(repository)
    await run(admin_core, "set kind:meeting status:concluded")
    concluded = await state(repository)
    await run(admin_core, "set kind:meeting status:postponed")
    postponed = await state(repository)
    steps = [("undo", concluded), ("undo", scheduled), ("redo", concluded), ("redo", postponed), ("undo", concluded)]
    # What to run next: after an undo, undo walks back one change further (not this revision, as an edit's hint says).
    hints = {"undo": "/undo again walks back one change further; /redo takes this undo back.", "redo": "/undo takes the change back again."}
    for line, expected in steps:
        reply = await run(admin_core, line)
        assert reply.kind == "answer", (line, reply.text)
        assert await state(repository) == expected, line
        assert reply.footer == hints[line], line
    await run(admin_core, "set kind:meeting venue:Elsewhere")  # a new change: nothing left to redo
    refused = await run(admin_core, "redo")
    assert refused.kind == "error" and refused.text.startswith("There is no undo to take back")


async def test_undo_walks_back_to_the_first_load_and_stops_there(admin_core, repository):
    loaded = await state(repository)
    await run(admin_core, "add kind:faq id:next question:Next? answer:Later. sources:cubaheadlines-2026-02-03 evidence:'Petro has crafted a diverse agenda in Washington.'")
    assert (await run(admin_core, "undo")).kind == "answer"
    assert await state(repository) == loaded
    first = await run(admin_core, "undo")
    assert first.kind == "error" and f"Revision 1 created Petro in Washington: the White House meeting with Trump ({BRIEFING_ID})" in first.text


async def test_undoing_an_add_that_an_item_now_names_is_refused_as_its_removal(admin_core, repository):
    added = await run(admin_core, 'add kind:person id:np name:"New P" role:Adviser organisation:Gov side:colombia '
                                  'sources:cubaheadlines-2026-02-03 evidence:"Petro has crafted a diverse agenda in Washington."')
    number = added.title.split()[1].rstrip(":")
    await run(admin_core, 'add kind:quote id:nq speaker:np words:"undignified treatment" context:c sources:cubaheadlines-2026-02-03 '
                          'evidence:\'Tensions escalated in January 2025 when Petro blocked military flights deporting Colombians from the U.S., denouncing "undignified treatment."\'')
    before = await state(repository)
    refused = await run(admin_core, f"undo {number}")
    assert refused.text == "person/np cannot be removed while 1 quote names it (quote/nq). To see them all: /uses kind:person id:np"
    assert await state(repository) == before


async def test_undo_of_a_given_undo_redoes_it(admin_core, repository):
    await run(admin_core, "set kind:meeting status:concluded")
    concluded = await state(repository)
    undone = await run(admin_core, "undo")
    number = undone.title.split()[1].rstrip(":")
    redo = await run(admin_core, f"undo {number}")
    assert redo.kind == "answer" and await state(repository) == concluded


async def test_undoing_a_persons_edit_keeps_the_quotes_that_name_them(admin_core, repository):
    """An undo puts the item back last: those naming it must still find it there, not be refused for a moment without it."""
    before = await state(repository)
    assert (await run(admin_core, "set kind:person id:gustavo-petro role:Senator")).kind == "answer"
    reply = await run(admin_core, "undo")
    assert reply.kind == "answer", reply.text
    assert await state(repository) == before


async def test_undoing_the_add_of_a_source_something_cites_now_is_refused(admin_core, repository):
    """Undoing an add removes the item: the rest is checked whole, so what cites it keeps it."""
    await run(admin_core, 'add kind:source id:wire publisher:"A wire service" title:"Meeting report" url:https://example.org/report')
    await run(admin_core, "set kind:faq id:significance sources:cubaheadlines-2026-02-03,wire")
    reply = await run(admin_core, "undo revision:2")
    assert reply.text == "source/wire cannot be removed while 1 FAQ entry names it (faq/significance). To see them all: /uses kind:source id:wire"
    assert any(s.id == "wire" for s in (await repository.briefing()).sources)


async def test_undo_refuses_when_the_item_changed_again(admin_core, repository):
    first = await run(admin_core, "set kind:meeting status:concluded")
    await run(admin_core, "set kind:meeting status:postponed")
    number = first.title.split()[1].rstrip(":")
    before = await state(repository)
    reply = await run(admin_core, f"undo {number}")
    assert reply.kind == "error" and "undo" in reply.text and "first" in reply.text
    assert await state(repository) == before


def test_an_unknown_id_is_weighed_against_a_few_hundred_ids_at_most() -> None:
    """"Did you mean" runs on the event loop: among 100k events it took 0.8 s, so a larger kind's refusal names no id."""
    from msgspec.structs import replace

    from bot.core.admin.edits import SUGGESTED_AMONG, no_item
    from bot.store.packfile import read_pack

    shipped = read_pack(DATA / "petro-trump-2026.yaml")
    person = shipped.people[0]
    few = replace(shipped, people=tuple(replace(person, id=f"gustavo-petro-{n}") for n in range(SUGGESTED_AMONG)))
    many = replace(few, people=(*few.people, replace(person, id="someone-else")))
    assert no_item(few, KINDS["person"], "petro").key == "admin.no_item_suggest"
    assert no_item(many, KINDS["person"], "petro").key == "admin.no_item"


async def test_uses_of_an_item_nothing_names_answers_that_it_can_be_removed(admin_core):
    answer = await run(admin_core, "uses kind:person id:ivan-cepeda")
    assert answer.kind == "answer" and answer.title == "Nothing names person/ivan-cepeda; it can be removed."


async def test_uses_of_a_source_counts_the_summarys_passages_as_remove_does(admin_core):
    """The summary's evidence names a source too: `uses` said "it can be removed", then `remove` refused it."""
    new = await run(admin_core, 'briefing new id:my-story title:"My story"')
    assert new.kind == "answer", new.text
    added = await run(admin_core, "add briefing:my-story kind:source id:wire publisher:Wire title:Report")
    assert added.kind == "answer", added.text
    assert added.title.endswith(": source/wire in my-story added")  # named, since another briefing may hold source/wire
    listed = await run(admin_core, "uses briefing:my-story kind:source id:first-source")
    assert listed.kind == "answer" and listed.items[0].title == "summary" and listed.items[0].text == "evidence", listed
    refused = await run(admin_core, "remove briefing:my-story kind:source id:first-source")
    assert refused.kind == "error" and "the summary" in refused.text and "(summary" in refused.text, refused.text
    shipped = await run(admin_core, "uses kind:source id:cubaheadlines-2026-02-03")
    assert [i.title for i in shipped.items[:2]] == ["summary", "session/meeting"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("set kind:timeline id:visa-revoked date:2025-13", "date: expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("set kind:meeting start:2026-03-08T02:30", "start: this local time does not exist in America/New_York"),
        ("set kind:meeting zone:Mars/Olympus", "zone: expected an IANA time zone"),
        ("set kind:meeting status:maybe", "status: expected one of: scheduled"),
        ("set kind:timeline id:visa-revoked colour:red", "timeline has no field “colour”"),
        ("set kind:timeline id:visa-revoked id:other", "id: was given twice."),
        ("set kind:timeline id:visa-revoked field:id value:other", "timeline has no field “id”"),
        ("set kind:timeline id:nope title:x", "There is no timeline with id “nope”."),
        # An admin without autocomplete (console, Slack) is told the ids meant: those holding the word, else the nearest.
        ("set kind:timeline id:visa title:x", "There is no timeline with id “visa”. Did you mean: visa-revoked, special-visa?"),
        ("remove kind:person id:petro", "There is no person with id “petro”. Did you mean: gustavo-petro, pedro-sanchez?"),
        ("remove kind:faq id:signficance", "There is no faq with id “signficance”. Did you mean: significance?"),
        # `uses` of an id that does not exist is not "nothing names it; it can be removed".
        ("uses kind:person id:petro", "There is no person with id “petro”. Did you mean: gustavo-petro, pedro-sanchez?"),
        ("uses kind:source id:nope", "There is no source with id “nope”."),
        ("set kind:person id:ivan-cepeda delegation:perhaps", "delegation: “perhaps” is not yes or no"),
        ("set kind:quote id:new-quote speaker:nobody", "There is no quote with id “new-quote”"),
        ("set kind:quote id:trump-appreciate-call speaker:nobody", "speaker: no person with id “nobody”"),
        ("set kind:faq id:significance title:x", "faq has no field “title”"),
        ("set kind:faq id:significance", "Say what to set"),
        ("set kind:faq id:significance answer:" + "x" * 4001, "too long"),
        ("remove kind:source id:cubaheadlines-2026-02-03", "cannot be removed while the summary, 1 session, 14 timeline events"),
        ("remove kind:person id:donald-trump", "cannot be removed while 1 session, 6 timeline events, 1 agenda item, 2 quotes name it"),
        ("add kind:faq id:significance question:q answer:a sources:cubaheadlines-2026-02-03", "already is a faq"),
        ("add kind:faq id:Bad_Id! question:q answer:a sources:cubaheadlines-2026-02-03", "expected an id"),
        ("add kind:meeting id:x", "There is only one meeting"),
        # A command line has no field to fill in: the refusal says how passages are typed.
        ("add kind:faq id:next question:q answer:a sources:cubaheadlines-2026-02-03",
         'evidence: missing — give the source\'s own words: evidence:"…"'),
        ("set kind:faq id:significance evidence:", 'evidence: missing — give the source\'s own words: evidence:"…"'),
        ("set kind:meeting status:concluded source:nowhere", "“nowhere” is neither a source id of this briefing nor a URL."),
        ("set kind:meeting status:concluded source:cubaheadlines", "nor a URL. Did you mean: cubaheadlines-2026-02-03?"),
        # A digest shows the URL to every subscribed channel as a link: checked as a pack's `url:` is.
        ('set kind:meeting status:concluded source:"https://paypal.com@evil.example/login https://www.reuters.com/"',
         "Nothing was changed: source: expected a web address such as https://example.org/page"),
        ("set kind:meeting status:concluded source:https://paypal.com@evil.example/login", "source: expected a web address"),
        ("set kind:meeting status:concluded source:https://example.org/a|label", "source: expected a web address"),
        ('set kind:meeting status:concluded reason:"\u202edemrifnoC"', "reason: contains U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("undo 999", "There is no revision 999."),
        ("set kind:planet id:x", "kind: “planet” is not a value it takes; type one of these: session, timeline,"),
    ],
)
async def test_bad_edits_name_the_field_and_change_nothing(admin_core, repository, line, message):
    before = await state(repository)
    reply = await run(admin_core, line)
    assert reply.kind == "error"
    assert message in reply.text, reply.text
    assert await state(repository) == before


async def test_a_missing_passage_is_explained_in_the_readers_language(admin_core):
    spanish = replace(OPERATOR, locale="es")
    reply = await run(admin_core, "añadir tipo:faq id:next question:q answer:a sources:cubaheadlines-2026-02-03", spanish)
    assert reply.text == 'No se cambió nada: pasajes: falta — da las palabras de la propia fuente: pasajes:"…"', reply.text


async def test_the_refusal_history_and_undo_quotes_is_the_bots(admin_core):
    """docs/history-and-undo.md quotes a person's removal refusal (its list of names cut short): the bot says it so."""
    guide = " ".join((DOCS / "history-and-undo.md").read_text(encoding="utf-8").split())
    quoted = re.search(r"`(person/donald-trump cannot be removed while .*?)`", guide)
    assert quoted, "history-and-undo.md no longer quotes the refusal"
    head, tail = quoted[1].split("…")
    said = " ".join((await run(admin_core, "remove kind:person id:donald-trump")).text.split())
    assert said.startswith(head) and said.endswith(tail), (quoted[1], said)


async def test_every_edit_the_admin_guide_shows_works(admin_core):
    """The guide's `admin set`, `add`, `history` and `undo` lines, in order, as an admin would copy them; its first `set`
    once more before the undo, as an admin would repeat it once the guide's second session is in."""
    guide = (DOCS / "admin-guide.md").read_text(encoding="utf-8")
    lines = re.findall(r"^\.venv/bin/briefbot admin ((?:set|add|history|undo)\b.*)$", guide, flags=re.MULTILINE)
    edits = [line for line in lines if not line.startswith("undo")]
    assert len(edits) >= 4 and len(lines) > len(edits), lines
    for line in [*edits, edits[0], *(line for line in lines if line.startswith("undo"))]:
        reply = await run(admin_core, line)
        assert reply.kind == "answer", f"{line}: {reply.text}"


async def test_validation_errors_are_given_per_field_for_forms(admin_core):
    reply = await run(admin_core, "set kind:timeline id:visa-revoked date:2025-13 title:")
    assert dict(reply.field_errors) == {
        "date": "expected YYYY, YYYY-MM or YYYY-MM-DD, or a range START/END of those",
        "title": "expected text, found nothing",
    }


def test_a_list_of_texts_over_several_lines_is_one_item_a_line_and_one_line_keeps_its_commas():
    """The shipped session's first aim holds a comma: a form shows aims one a line and reads them back so, where a comma
    rule split it in two. A list typed on one line (`set aims:"a, b"`) means what it always meant; ids never hold commas."""
    aims, parties = KINDS["session"].by_name["aims"], KINDS["session"].by_name["parties"]
    shipped = ["Re-establish direct dialogue channels (quoted, according to official sources)", "Address bilateral priorities"]
    assert as_text(aims, shipped) == "\n".join(shipped)
    assert field_value(aims, as_text(aims, shipped)) == shipped  # typed over several lines, as a form shows them
    assert field_value(aims, " a, b \r\n\n c \n") == ["a, b", "c"]  # blank lines and a pasted CRLF are no items
    assert field_value(aims, "a, b") == ["a", "b"]  # one line typed with `set`: comma-separated, as ever
    assert field_value(aims, "a, b", by_line=True) == ["a, b"]  # a form's answer on one line: one aim, its comma kept
    assert as_text(parties, ["gustavo-petro", "donald-trump"]) == "gustavo-petro, donald-trump"
    assert field_value(parties, "gustavo-petro, donald-trump", by_line=True) == ["gustavo-petro", "donald-trump"]


async def test_an_edit_of_aims_holding_commas_reads_each_aim_on_its_own(admin_core, repository):
    """Both aims rewritten from a form: the answer quotes each, where one quote around both read as four aims."""
    form = await admin_core.form(OPERATOR, "meeting", None)
    assert isinstance(form, Form)
    options = {"kind": "session", "id": form.item_id, "base": str(form.base), "aims": "Talk, then agree\nMeet, then part"}
    reply = await admin_core.dispatch(replace(OPERATOR, command="set", options=options, form=True))
    assert (await repository.briefing()).sessions[0].aims == ("Talk, then agree", "Meet, then part")
    assert {field.name: field.value for field in reply.fields}["aims"].startswith("added 2: “Talk, then agree”, “Meet, then part”; removed 2: “Re-establish"), reply.fields
    # Retyped on one line, an aim is split at its comma, as `set` always read one line: the answer shows two for one.
    split = await run(admin_core, 'set kind:meeting aims:"Talk, then agree"')
    assert {field.name: field.value for field in split.fields}["aims"] == "added 2: “Talk”, “then agree”; removed 2: “Talk, then agree”, “Meet, then part”"


async def test_an_aim_split_at_its_comma_by_a_one_line_set_reads_as_the_two_aims_it_became(admin_core):
    """No item holds a comma once `set` split the typed aim: one quote around both looked like the aim typed, while
    `/meeting` showed two. The answer and history count and quote each, in English and Spanish."""
    await run(admin_core, 'set kind:meeting aims:"Talk first, Meet later"')  # two aims, neither holding a comma
    reply = await run(admin_core, 'set kind:meeting "aims:Re-establish dialogue, trust and channels"')
    changed = {field.name: field.value for field in reply.fields}["aims"]
    assert changed == "added 2: “Re-establish dialogue”, “trust and channels”; removed 2: “Talk first”, “Meet later”", changed
    assert (await run(admin_core, "history")).items[0].text == f"aims: {changed}"
    spanish = await admin_core.dispatch(replace(OPERATOR, command="history", locale="es"))
    assert spanish.items[0].text == "objetivos: se añaden 2: «Re-establish dialogue», «trust and channels»; se quitan 2: «Talk first», «Meet later»"
    one = await run(admin_core, 'set kind:meeting "aims:Re-establish dialogue, trust"')  # one removed, as before
    assert {field.name: field.value for field in one.fields}["aims"] == "added “trust”; removed “trust and channels”"


async def test_a_form_requires_only_what_the_core_refuses_empty(admin_core, repository):
    """Discord and Slack send no form with a required input empty, so a form requires only what an edit refuses empty, in
    every kind's edit form and the briefing's, and of what an add form opens empty, only what the add cannot do without.
    A session's aims and topics may be [], yet were required: a session with no aims announced could not be added."""
    briefing = await repository.briefing()
    targets = [("briefing", briefing.id), *((kind.name, getattr(briefing, kind.section)[0].id) for kind in KINDS.values())]
    taken = []
    for kind, item_id in targets:
        edit = await admin_core.form(OPERATOR, kind, item_id)
        assert isinstance(edit, Form)
        for field in (f for f in edit.fields if f.required):
            options = {"kind": kind, "id": item_id, "base": str(edit.base), field.name: ""}
            if (await admin_core.dispatch(replace(OPERATOR, command="set", options=options))).kind != "error":
                taken.append(f"set {kind} {field.name}:")
        if kind == "briefing":  # its head has no add
            continue
        add = await admin_core.form(OPERATOR, kind, None)
        assert isinstance(add, Form)
        values = {f.name: f.value for f in edit.fields}  # the item's own values, for the fields not tried
        needed = [f.name for f in add.fields if f.required and f.name != "id"]
        for field in (f for f in add.fields if f.required and not f.value and f.name != "id"):
            options = {"kind": kind, "id": "tried", **{name: values[name] for name in needed if name != field.name}}
            if (await admin_core.dispatch(replace(OPERATOR, command="add", options=options))).kind != "error":
                taken.append(f"add {kind} without {field.name}")
    assert not taken, f"required in a form, yet taken empty: {taken}"


async def test_stale_edit_is_refused_and_shows_the_newer_value(admin_core, repository):
    form = await admin_core.form(OPERATOR, "faq", "significance")
    assert isinstance(form, Form) and form.command == "set" and form.base == 1  # the load that created it
    assert {f.name: f.value for f in form.fields}["sources"] == "cubaheadlines-2026-02-03"
    first = await run(admin_core, f'set kind:faq id:significance answer:"First." base:{form.base}')
    assert first.kind == "answer"
    before = await state(repository)
    late = await run(admin_core, f'set kind:faq id:significance answer:"Second." base:{form.base}')
    assert late.kind == "error"
    assert "changed since you read it" in late.text and "First." in late.text
    assert await state(repository) == before
    fresh = await admin_core.form(OPERATOR, "faq", "significance")
    assert isinstance(fresh, Form) and fresh.base > form.base
    assert (await run(admin_core, f'set kind:faq id:significance answer:"Second." base:{fresh.base}')).kind == "answer"


@contextlib.asynccontextmanager
async def four_connections(path: Path | str) -> AsyncIterator[list[BriefingCore]]:
    """A seeded store and four cores on connections of their own, as four bot processes would have."""
    async with open_store(path) as first:
        await first.seed(DATA, BRIEFING_ID)
    async with contextlib.AsyncExitStack() as stack:
        stores = [await stack.enter_async_context(open_store(path)) for _ in range(4)]
        yield [BriefingCore(s.repository, policy=POLICY) for s in stores]


async def test_twenty_concurrent_editors_one_wins_none_lost(store_target):
    """20 editors read the same revision and submit at once through 4 connections to one file."""
    async with four_connections(store_target) as cores:
        form = await cores[0].form(OPERATOR, "faq", "significance")
        assert isinstance(form, Form)
        replies = await asyncio.gather(*(
            run(cores[n % 4], f'set kind:faq id:significance answer:"Answer {n}." base:{form.base}') for n in range(20)
        ))
    winners = [n for n, r in enumerate(replies) if r.kind == "answer"]
    assert len(winners) == 1
    losers = [r for r in replies if r.kind == "error"]
    assert all("changed since you read it" in r.text for r in losers), [r.text for r in losers]
    assert not any("locked" in r.text.lower() or r.text == INTERNAL for r in replies)
    async with open_store(store_target) as check:
        answer = next(f for f in (await check.repository.briefing()).faq if f.id == "significance").answer
        assert answer == f"Answer {winners[0]}."
        assert [r.action for r in await check.repository.revisions(BRIEFING_ID, "faq", "significance")] == ["edit", "import"]  # and the load that created it


async def test_concurrent_edits_of_different_items_all_land(store_target):
    """Editors of different items never lose each other's change, whichever connection commits first."""
    ids = ["main-topics", "significance", "other-activities"]
    async with four_connections(store_target) as cores:
        replies = await asyncio.gather(*(
            run(cores[n % 4], f'set kind:faq id:{ids[n % 3]} answer:"Edit {n}."') for n in range(12)
        ))
    assert all(r.kind == "answer" for r in replies), [r.text for r in replies]
    async with open_store(store_target) as check:
        revisions = await edits_of(check.repository, "faq")
        assert len(revisions) == 12
        answers = {f.id: f.answer for f in (await check.repository.briefing()).faq}
        # Each item holds the last edit logged for it.
        for item_id in ids:
            last = next(r for r in revisions if r.item_id == item_id)
            assert answers[item_id] == last.after["item"]["answer"]


@contextlib.asynccontextmanager
async def write_lock_held(path: Path) -> AsyncIterator[None]:
    """Another connection holds the file's write lock until the body ends, so the store's edits queue."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")


async def test_an_edit_whose_writes_fail_is_logged_answered_generically_and_leaves_nothing(store_path, caplog):
    """A row the database refuses (a trigger here) rolls the edit back; the editor gets the generic message."""
    async with open_store(store_path) as first:
        await first.seed(DATA, BRIEFING_ID)
    with contextlib.closing(sqlite3.connect(store_path)) as setup:
        setup.execute(
            "CREATE TRIGGER refuse_significance BEFORE UPDATE ON items WHEN NEW.kind = 'faq' AND NEW.id = 'significance'"
            " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )
        setup.commit()
    async with open_store(store_path) as store:
        core = BriefingCore(store.repository, policy=POLICY)
        before = await state(store.repository)
        with caplog.at_level(logging.ERROR):
            refused = await run(core, 'set kind:faq id:significance answer:"Refused."')
        after = await state(store.repository)
        assert (await run(core, 'set kind:faq id:main-topics answer:"Written."')).kind == "answer"  # not stuck in it
        revisions = await store.repository.revisions(BRIEFING_ID, limit=50)
    assert refused.text == INTERNAL and "refused by the test" in caplog.text
    assert after == before and [r.item_id for r in revisions if r.action == "edit"] == ["main-topics"]


async def test_an_edit_cancelled_while_it_waits_is_never_written(store_path):
    """A caller that gives up (a closed interaction, a shutdown) before its edit is taken writes nothing."""
    async with open_store(store_path) as store:
        await store.seed(DATA, BRIEFING_ID)
        core = BriefingCore(store.repository, policy=POLICY)
        before = await state(core.repository)
        async with write_lock_held(store_path):
            first = asyncio.create_task(run(core, 'set kind:faq id:main-topics answer:"Kept."'))
            await asyncio.sleep(0.05)  # it holds the store's lock and waits for the file's
            given_up = asyncio.create_task(run(core, 'set kind:faq id:significance answer:"Abandoned."'))
            last = asyncio.create_task(run(core, 'set kind:faq id:other-activities answer:"Kept too."'))
            await asyncio.sleep(0.05)  # both queued behind it
            given_up.cancel()
        assert [(await first).kind, (await last).kind] == ["answer", "answer"]
        with pytest.raises(asyncio.CancelledError):
            await given_up
        after = await state(core.repository)
        revisions = await core.repository.revisions(BRIEFING_ID, limit=50)
    answers = {f["id"]: f["answer"] for f in after["faq"]}
    assert answers["main-topics"] == "Kept." and answers["other-activities"] == "Kept too."
    assert answers["significance"] == next(f["answer"] for f in before["faq"] if f["id"] == "significance")
    assert [r.item_id for r in revisions if r.action == "edit"] == ["other-activities", "main-topics"]


async def test_readers_racing_commits_get_every_version_exactly_as_logged(store_path):
    """Readers beside this process's own writers, and another connection's, get whole versions only.

    Reads overtake commits in every order here: one made by this process, one by another
    connection, or none yet. Every snapshot handed out must be the seed with exactly the edits logged up to its version, and a
    version the file held while the read ran: never older than what was committed before it began,
    never newer than what was committed when it ended.
    """
    ids = ["main-topics", "significance", "other-activities"]
    with contextlib.closing(sqlite3.connect(store_path, isolation_level=None)) as witness:  # reads the file's version
        async with open_store(store_path) as store, open_store(store_path) as elsewhere:
            await store.seed(DATA, BRIEFING_ID)
            start = await store.repository.briefing()
            here, there = BriefingCore(store.repository, policy=POLICY), BriefingCore(elsewhere.repository, policy=POLICY)
            handed: list = []
            outside: list[tuple[int, int, int]] = []  # (committed before, handed out, committed after)
            writing = True

            def committed() -> int:
                return int(witness.execute("SELECT version FROM briefings WHERE id = ?", (BRIEFING_ID,)).fetchone()[0])

            async def read() -> None:
                while writing:
                    before = committed()
                    snapshot = await store.repository.briefing()
                    after = committed()
                    handed.append(snapshot)
                    if not before <= snapshot.version <= after:
                        outside.append((before, snapshot.version, after))
                    await asyncio.sleep(0)

            async def write(first: int) -> None:
                # Six editors one edit after another, in two processes' connections.
                for n in range(first, 30, 6):
                    core = there if n % 3 == 0 else here
                    reply = await run(core, f'set kind:faq id:{ids[n % 3]} answer:"Edit {n}."')
                    assert reply.kind == "answer", reply.text

            readers = [asyncio.create_task(read()) for _ in range(3)]
            try:
                await asyncio.gather(*(write(first) for first in range(6)))
            finally:
                writing = False
                await asyncio.gather(*readers)
            handed.append(await store.repository.briefing())
            log = sorted(await edits_of(store.repository, "faq"), key=lambda r: r.id)
    assert not outside
    assert len(log) == 30 and len({b.version for b in handed}) > 5
    for snapshot in handed:
        expected = {f.id: f.answer for f in start.faq}
        # Each edit added one version, so the snapshot at version v holds the first v - start edits.
        for revision in log[: snapshot.version - start.version]:
            expected[revision.item_id] = revision.after["item"]["answer"]
        assert {f.id: f.answer for f in snapshot.faq} == expected, snapshot.version


async def test_an_edit_is_built_on_what_the_file_holds_when_its_transaction_begins(store_path):
    """Another process commits just before this one's edit begins (SQLite's trace hook places it there).

    The edit must start from the briefing the transaction sees, not the snapshot cached before, or
    it would write the item back with the other process's change undone.
    """
    async with open_store(store_path) as store:
        await store.seed(DATA, BRIEFING_ID)
        core = BriefingCore(store.repository, policy=POLICY)
        await store.repository.briefing()  # the snapshot that is about to go stale
        # The hook runs on aiosqlite's worker thread, hence check_same_thread=False.
        with contextlib.closing(sqlite3.connect(store_path, isolation_level=None, check_same_thread=False)) as other:
            committed: list[str] = []

            def commit_first(statement: str) -> None:
                if statement == "BEGIN IMMEDIATE" and not committed:
                    committed.append(statement)
                    other.execute("UPDATE items SET data = json_set(data, '$.answer', 'Changed elsewhere.')"
                                  " WHERE kind = 'faq' AND id = 'significance'")
                    other.execute("UPDATE briefings SET version = version + 1")

            await store.repository._conn.set_trace_callback(commit_first)
            reply = await run(core, 'set kind:faq id:significance question:"A new question?"')
            await store.repository._conn.set_trace_callback(None)
        faq = next(f for f in (await store.repository.briefing()).faq if f.id == "significance")
    assert committed and reply.kind == "answer", reply.text
    assert (faq.question, faq.answer) == ("A new question?", "Changed elsewhere.")


async def test_history_shows_who_what_when_and_why(admin_core):
    await run(admin_core, 'set kind:meeting status:concluded source:https://example.org/a reason:"Confirmed by both"', ADMINS[0])
    reply = await run(admin_core, "history kind:meeting")
    item = reply.items[0]
    assert item.title.endswith("session/meeting changed")
    assert "Discord · 111 · source: https://example.org/a" in item.meta  # the platform by its catalogue name, as everywhere
    assert "status: was “scheduled”, now “concluded”" in item.text and "Note: Confirmed by both" in item.text
    # An id that never was is no item, not an item without changes; one removed since keeps its history.
    assert (await run(admin_core, "history kind:faq id:nope")).text == "There is no faq with id “nope”."
    await run(admin_core, "remove kind:faq id:significance")
    gone = await run(admin_core, "history kind:faq id:significance")
    assert gone.kind == "answer" and gone.items[0].title.endswith("faq/significance removed"), gone


async def test_history_pages_through_every_revision_however_many(admin_core, repository):
    """It fetched the newest 200 and counted those: after 205 edits the first load could not be reached."""
    for n in range(205):
        assert (await run(admin_core, f'set kind:meeting outcome:"Outcome {n}."')).kind == "answer"
    total = len(await repository.revisions(BRIEFING_ID, "session", "meeting", limit=1000, data=False))
    first = await run(admin_core, "history kind:session id:meeting")
    assert first.title == f"History · {total} changes" and first.page is not None and total > 205
    last = await run(admin_core, f"history kind:session id:meeting page:{first.page.count}")
    assert last.items[-1].title.startswith("Revision 1 ·"), last.items[-1].title  # the first load
    assert "Outcome 204." in first.items[0].text


async def test_pack_import_dry_run_then_apply_then_undo(admin_core, repository):
    original = await state(repository)
    text = dump_pack(await repository.briefing()).replace("status: scheduled", "status: postponed")
    dry = await admin_core.import_text(OPERATOR, text, "new.yaml", apply=False)
    assert dry.kind == "answer" and "Dry run" in dry.title
    assert [(f.name, f.value) for f in dry.fields] == [("meeting", "changed: status")]
    assert await state(repository) == original
    applied = await admin_core.import_text(OPERATOR, text, "new.yaml", apply=True, approval=dry.approval)
    assert applied.kind == "answer" and (await repository.briefing()).sessions[0].status == "postponed"
    assert (await run(admin_core, "undo")).kind == "answer"
    assert await state(repository) == original


async def test_an_apply_is_refused_when_the_briefing_changed_since_its_dry_run(admin_core, repository):
    text = dump_pack(await repository.briefing()).replace("status: scheduled", "status: postponed")
    dry = await admin_core.import_text(OPERATOR, text, "new.yaml", apply=False)
    assert dry.approval is not None and dry.approval.version == (await repository.briefing()).version
    assert f"version {dry.approval.version}" in dry.footer
    await run(admin_core, 'set kind:meeting venue:"Blair House"')  # another admin, meanwhile
    edited = await state(repository)
    refused = await admin_core.import_text(OPERATOR, text, "new.yaml", apply=True, approval=dry.approval)
    assert refused.kind == "error" and refused.text.startswith("The briefing changed since the dry run")
    assert await state(repository) == edited
    again = await admin_core.import_text(OPERATOR, text, "new.yaml", apply=False)
    applied = await admin_core.import_text(OPERATOR, text, "new.yaml", apply=True, approval=again.approval)
    assert applied.kind == "answer" and (await repository.briefing()).sessions[0].status == "postponed"


async def test_invalid_import_lists_every_problem(admin_core, repository):
    before = await state(repository)
    text = dump_pack(await repository.briefing()).replace("status: scheduled", "status: maybe").replace("zone: America/New_York", "zone: Nowhere/Town", 1)
    reply = await admin_core.import_text(OPERATOR, text, "bad.yaml", apply=True)
    assert reply.kind == "error"
    assert "bad.yaml: sessions[0] (id meeting).status: expected one of" in reply.text and "bad.yaml: briefing.zones[0].zone" in reply.text
    assert await state(repository) == before


async def test_export_import_export_is_identical(admin_core, repository, tmp_path):
    await run(admin_core, 'set kind:meeting outcome:"Agreed." status:concluded')
    exported = dump_pack(await repository.briefing())
    async with open_store(tmp_path / "other.sqlite3") as other:
        await other.repository.save(read_pack_text(exported, "exported.yaml"))
        again = dump_pack(await other.repository.briefing())
    assert again == exported
    same = await admin_core.import_text(OPERATOR, exported, "exported.yaml", apply=True)
    assert same.title == "The pack holds exactly what the briefing holds; nothing to import."


async def test_a_change_shows_at_once_in_answers(admin_core):
    await run(admin_core, "set kind:meeting status:concluded outcome:\"Both sides agreed to keep talking.\"")
    meeting = await admin_core.dispatch_line("/meeting", Request(command="", now=NOW, platform="discord", user_id="5"))
    fields = {f.name: f.value for f in meeting.fields}
    assert fields["Status"] == "Concluded" and fields["Outcome"] == "Both sides agreed to keep talking."


async def test_editing_a_quoted_speaker_keeps_the_quotes_and_the_search_index(admin_core, repository):
    """Quotes name their speaker by a foreign key: the person's row is edited in place, never missing."""
    before = await repository.briefing()
    assert any(q.speaker == "gustavo-petro" for q in before.quotes)
    reply = await run(admin_core, 'set kind:person id:gustavo-petro role:"Outgoing president, term ends August"')
    assert reply.kind == "answer", reply.text
    after = await repository.briefing()
    assert after.quotes == before.quotes
    assert next(p for p in after.people if p.id == "gustavo-petro").role == "Outgoing president, term ends August"
    hits = await repository.search(BRIEFING_ID, "outgoing", kinds=("person",))
    assert [(hit.kind, hit.item_id) for hit in hits[0]] == [("person", "gustavo-petro")] and hits[1] == 1
    assert await repository.search(BRIEFING_ID, "outgoing") == hits  # the old row's entry left with it


async def test_an_edited_title_is_found_by_its_new_words_and_not_its_old(admin_core, repository):
    """An edit updates the item's row in place: its index entry is replaced, keyed to its briefing like the rest."""
    assert await repository.timeline_matches(BRIEFING_ID, TimelineQuery("quokka")) == ([], 0)
    reply = await run(admin_core, 'set kind:timeline id:visa-revoked title:"Quokka colony relocated"')
    assert reply.kind == "answer", reply.text
    assert [(hit.kind, hit.item_id) for hit in (await repository.search(BRIEFING_ID, "quokka"))[0]] == [("timeline", "visa-revoked")]
    assert await repository.timeline_matches(BRIEFING_ID, TimelineQuery("quokk")) == (["visa-revoked"], 1)


async def test_an_edit_that_moves_an_event_moves_it_in_the_query_at_once(admin_core):
    """`timeline query:` sorts and filters in SQL by the days each row carries: an edited date moves the event there at once."""
    async def refs(line: str) -> list[str]:
        reply = await run(admin_core, line)
        assert reply.kind == "answer", reply.text
        return [item.ref for item in reply.items]

    assert await refs("/timeline query:visa") == ["timeline/visa-revoked", "timeline/special-visa"]
    assert await refs("/timeline query:visa from:2025-11") == ["timeline/special-visa"]
    assert (await run(admin_core, "set kind:timeline id:visa-revoked date:2026-01")).kind == "answer"
    assert await refs("/timeline query:visa") == ["timeline/special-visa", "timeline/visa-revoked"]
    assert await refs("/timeline query:visa from:2025-11") == ["timeline/special-visa", "timeline/visa-revoked"]
    assert await refs("/timeline query:visa to:2025-10") == ["timeline/special-visa"]


async def test_a_ranges_count_follows_edited_dates_their_undo_and_a_reload(admin_core, repository):
    """A range's matches, closed or with one end, are counted by each event's dated kind term in the index (SQLite migration
    021) in a large briefing: a date edited to a year past the briefing's last or a month before its first (the years a
    range's terms name, read with the count), to a day at a range's edge (across `to:2025-12-31` and `from:2026-01-01`), a
    whole year, a span of years or of months, each undo and a reload of the pack keep it right."""
    large = dated_pack(BRIEFING_ID, 1100)
    assert await repository.save(large, discard_edits=True) is True
    days = ("2031", "2019-05", "2026-01-15", "2025-12-31", "2024-12/2025-01", "2025-03/2025-04")
    lines = [f"set kind:timeline id:e001 date:{day}" for day in days]
    for line in [*lines, "undo", "undo"]:
        assert (await run(admin_core, line)).kind == "answer", line
        assert await answers_as_the_index_filters(repository, BRIEFING_ID, ["alpha 1"], every_page=False), line
    assert [e.date.text for e in (await repository.briefing()).timeline if e.id == "e001"] == ["2025-12-31"]
    assert await repository.save(large, discard_edits=True) is True
    assert await answers_as_the_index_filters(repository, BRIEFING_ID, ["alpha 1"], every_page=False)


async def test_an_edit_of_an_events_topics_moves_it_in_a_topic_query_at_once(admin_core):
    """A topic is a term of the search index (SQLite migration 017): edited `tags:` put an event in or out of `topic:` at once."""
    async def refs(line: str) -> list[str]:
        reply = await run(admin_core, line)
        assert reply.kind == "answer" or "no" in reply.text.lower(), reply.text
        return [item.ref for item in reply.items]

    assert await refs("/timeline query:visa topic:visa") == ["timeline/visa-revoked", "timeline/special-visa"]
    assert await refs("/timeline query:visa topic:sanctions") == []
    assert (await run(admin_core, 'set kind:timeline id:visa-revoked tags:"sanctions, trade"')).kind == "answer"
    assert await refs("/timeline query:visa topic:sanctions") == ["timeline/visa-revoked"]
    assert await refs("/timeline query:visa topic:trade from:2025") == ["timeline/visa-revoked"]
    assert await refs("/timeline query:visa topic:visa") == ["timeline/special-visa"]
    assert (await run(admin_core, "undo")).kind == "answer"
    assert await refs("/timeline query:visa topic:visa") == ["timeline/visa-revoked", "timeline/special-visa"]
    assert await refs("/timeline query:visa topic:sanctions") == []


async def test_an_edited_event_shows_its_new_title_and_date_in_every_timeline_list_at_once(admin_core):
    """The core keeps each event's list entry per version and language: an edit makes a version whose lists describe it anew,
    and a Spanish reader's entry is never the English one."""
    async def entry(line: str, locale: str = "en") -> tuple[str, str]:
        reply = await admin_core.dispatch_line(line, Request(command="", now=NOW, platform="cli", operator=True, user_id="operator", locale=locale))
        assert reply.kind == "answer", reply.text
        return next((item.title, item.meta) for item in reply.items if item.ref == "timeline/visa-revoked")

    before = await entry("/timeline topic:visa")
    assert await entry("/timeline query:visa") == before
    assert (await run(admin_core, 'set kind:timeline id:visa-revoked title:"Quokka colony relocated" date:2026-01')).kind == "answer"
    for line in ("/timeline topic:visa", "/timeline query:visa"):
        title, meta = await entry(line)
        assert title == "Quokka colony relocated" and meta.startswith("January 2026") and meta != before[1]
    assert "enero de 2026" in (await entry("/timeline topic:visa", "es"))[1]


FIELD_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
EDITABLE = [(kind, field) for kind, spec in KINDS.items() for field in spec.fields]
ITEM_OF = {"session": "meeting", "timeline": "visa-revoked", "person": "ivan-cepeda", "agenda": "georgetown-lecture", "quote": "petro-taking-up-arms", "faq": "significance", "context": "drug-accusations", "source": "cubaheadlines-2026-02-03"}


@given(target=st.sampled_from(EDITABLE), value=FIELD_TEXT)
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_any_value_in_any_field_is_applied_whole_or_refused_cleanly(admin_core, repository, target, value):
    kind, field = target
    before = await state(repository)
    options = {"kind": kind, field: value}
    if ITEM_OF[kind]:
        options["id"] = ITEM_OF[kind]
    reply = await admin_core.dispatch(Request(command="set", now=NOW, platform="cli", operator=True, user_id="operator", options=options))
    assert reply.text != INTERNAL
    after = await state(repository)
    if reply.kind == "error":
        assert after == before
    else:
        # What was stored reads back and validates as a pack.
        assert read_pack_text(dump_pack(await repository.briefing()), "roundtrip.yaml") == await repository.briefing()
        await run(admin_core, "undo")
        assert await state(repository) == before


async def test_a_timeline_note_is_a_field_and_reason_explains_the_change(admin_core, repository):
    reply = await run(admin_core, 'set kind:timeline id:visa-revoked note:"Dated by the source to the month." reason:"Clarify the date"')
    assert reply.kind == "answer", reply.text
    event = next(e for e in (await repository.briefing()).timeline if e.id == "visa-revoked")
    assert event.note == "Dated by the source to the month."
    assert (await repository.revisions(BRIEFING_ID, "timeline", "visa-revoked"))[0].note == "Clarify the date"


async def test_a_cited_source_joins_the_item_so_answers_show_it(admin_core, repository):
    await run(admin_core, 'add kind:source id:wire publisher:"A wire service" title:"Meeting report" url:https://example.org/report')
    reply = await run(admin_core, 'set kind:meeting status:concluded source:wire reason:"Reported by the wire"')
    assert reply.kind == "answer", reply.text
    assert (await repository.briefing()).sessions[0].sources == ("cubaheadlines-2026-02-03", "wire")
    meeting = await admin_core.dispatch_line("/meeting", Request(command="", now=NOW, platform="slack", user_id="U5"))
    assert [s.id for s in meeting.sources] == ["cubaheadlines-2026-02-03", "wire"]
    # A URL is kept in the log only: it is not a source of the briefing until someone adds it as one.
    await run(admin_core, "set kind:meeting outcome:Agreed. source:https://example.org/other")
    assert (await repository.briefing()).sessions[0].sources == ("cubaheadlines-2026-02-03", "wire")


async def test_export_for_chat_is_an_admins_and_loads_back(repository):
    from bot.core.service import PackFile

    core = BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text, pack_writer=dump_pack)
    exported = await core.export_pack(ADMINS[0])
    assert isinstance(exported, PackFile) and exported.name == "petro-trump-2026-v1.yaml"
    assert read_pack_text(exported.text, exported.name) == await repository.briefing()
    denied = await core.export_pack(STRANGERS[0])
    assert isinstance(denied, Reply) and "for briefing admins only" in denied.text


async def test_export_for_chat_writes_its_yaml_off_the_event_loops_thread(repository, monkeypatch):
    """The shipped pack's YAML takes 0.1-0.2 s to write, a large briefing's seconds: on the loop it stalls every other reader."""
    from bot.core.service import PackFile

    seen: list[str] = []
    safe_dump = yaml.safe_dump

    def noted(*args: object, **options: object) -> object:
        seen.append(threading.current_thread().name)
        return safe_dump(*args, **options)

    monkeypatch.setattr(yaml, "safe_dump", noted)
    core = BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text, pack_writer=dump_pack)
    exported = await core.export_pack(ADMINS[0])
    assert isinstance(exported, PackFile) and read_pack_text(exported.text, exported.name) == await repository.briefing()
    assert seen and threading.current_thread().name not in seen, seen


CROSS_PROCESS = [line for line, _ in EDITS.values()] + list(ADDS.values()) + [
    "remove kind:faq id:significance",
    "remove kind:agenda id:congress-members",
    "undo",
]


@pytest.mark.parametrize("line", CROSS_PROCESS)
async def test_a_reader_after_another_processes_change_matches_the_file(store_path, line):
    """One connection writes, another reads: the reader's next snapshot is what the file holds."""
    async with open_store(store_path) as reader_store:
        await reader_store.seed(DATA, BRIEFING_ID)
        reader = reader_store.repository
        await reader.briefing()  # a snapshot that goes stale
        async with open_store(store_path) as writer_store:
            writer = BriefingCore(writer_store.repository, policy=POLICY)
            for step in ("remove kind:faq id:main-topics", line, 'set kind:meeting outcome:"Then this."'):
                reply = await run(writer, step)
                assert reply.kind == "answer", (step, reply.text)
                seen = await reader.briefing()
                async with open_store(store_path) as fresh:
                    assert seen == await fresh.repository.briefing(), step


def renamed(pack_text: str) -> str:
    """The pack with one person renamed, as an operator's new pack file would."""
    return pack_text.replace("name: Iván Cepeda", "name: Iván Cepeda Castro")


async def import_checked(admin_core: BriefingCore, text: str) -> Reply:
    """A dry run, then the apply of exactly what it showed, as every import surface does."""
    dry = await admin_core.import_text(OPERATOR, text, "new.yaml", apply=False)
    return await admin_core.import_text(OPERATOR, text, "new.yaml", apply=True, approval=dry.approval)


async def test_history_names_an_imports_change_to_the_briefing_itself_as_its_dry_run_did(admin_core, repository):
    text = dump_pack(await repository.briefing()).replace("for a four-day visit that", "for a four-day trip that")
    dry = await admin_core.import_text(OPERATOR, text, "new.yaml", apply=False)
    assert [(f.name, f.value) for f in dry.fields] == [("briefing", "changed: summary")]
    await import_checked(admin_core, text)
    assert (await run(admin_core, "history")).items[0].text == "briefing: changed: summary"
    undone = await run(admin_core, "undo")
    assert [(f.name, f.value) for f in undone.fields] == [("briefing", "changed: summary")], undone


async def test_an_items_history_shows_the_import_that_changed_it(admin_core, repository):
    await run(admin_core, "set kind:person id:ivan-cepeda role:Spokesman")
    applied = await import_checked(admin_core, renamed(dump_pack(await repository.briefing())))
    assert applied.kind == "answer", applied.text
    history = await run(admin_core, "history kind:person id:ivan-cepeda")
    latest = history.items[0]
    assert latest.title.endswith("person/ivan-cepeda changed by a pack import")  # an admin's import, as its answer said
    assert latest.text == "name: was “Iván Cepeda”, now “Iván Cepeda Castro”"
    assert "role:" in history.items[1].text
    untouched = await run(admin_core, "history kind:person id:donald-trump")
    assert [item.title for item in untouched.items] == ["Revision 1 · person/donald-trump added by a pack load"]  # the first load


async def test_an_item_a_load_takes_out_is_named_removed_in_its_history(admin_core, repository):
    """Every field "→ —" (now "was …, now empty") under "changed by a pack import" hid that the import had taken the item out."""
    text = dump_pack(await repository.briefing())
    start = text.index("- id: ricardo-roa")
    without = text[:start] + text[text.index("- id: ", start + 1):]
    applied = await import_checked(admin_core, without)
    assert applied.kind == "answer", applied.text
    history = await run(admin_core, "history kind:person id:ricardo-roa")
    assert history.items[0].title.endswith("person/ricardo-roa removed by a pack import"), history.items[0].title
    spanish = await run(admin_core, "history kind:person id:ricardo-roa", replace(OPERATOR, locale="es"))
    assert spanish.items[0].title.endswith("person/ricardo-roa quitado al importar un paquete")


async def test_an_edit_read_before_an_import_changed_the_item_is_refused(admin_core, repository):
    base = (await admin_core.form(OPERATOR, "person", "ivan-cepeda")).base
    await import_checked(admin_core, renamed(dump_pack(await repository.briefing())))
    imported = await state(repository)
    reply = await run(admin_core, f"set kind:person id:ivan-cepeda role:Spokesman base:{base}")
    assert reply.kind == "error" and "changed since you read it" in reply.text and "Iván Cepeda Castro" in reply.text
    assert await state(repository) == imported


async def test_undo_of_an_edit_an_import_overwrote_is_refused(admin_core, repository):
    edited = await run(admin_core, "set kind:person id:ivan-cepeda role:Spokesman")
    number = edited.title.split()[1].rstrip(":")
    await import_checked(admin_core, renamed(dump_pack(await repository.briefing())))
    imported = await state(repository)
    reply = await run(admin_core, f"undo {number}")
    assert reply.kind == "error" and f"changed again after revision {number}" in reply.text
    assert await state(repository) == imported


@pytest.mark.parametrize(
    "line",
    [
        "set kind:meeting status:scheduled",
        "set kind:meeting field:outcome value:",  # the pack's outcome is "": cleared, it is as it was
        "set kind:timeline id:visa-revoked tags:visa note:",  # no note to clear
        "set kind:person id:ivan-cepeda delegation:no",
        "set kind:faq id:significance sources:cubaheadlines-2026-02-03 source:https://example.org/same",
    ],
)
async def test_an_edit_that_changes_nothing_writes_no_revision_and_says_so(admin_core, repository, line):
    before, revisions = await state(repository), await repository.revisions(BRIEFING_ID, limit=5)
    reply = await run(admin_core, line)
    assert reply.kind == "answer" and reply.title.startswith("Nothing changed: ") and "no revision was written" in reply.title
    assert not reply.fields
    assert await state(repository) == before
    assert await repository.revisions(BRIEFING_ID, limit=5) == revisions
    assert (await run(admin_core, "undo")).kind == "error"  # nothing to undo: the load is all there is


async def test_clearing_a_field_twice_writes_one_revision_and_answers_in_the_readers_language(admin_core, repository):
    assert (await run(admin_core, "set kind:timeline id:visa-revoked date:")).title.startswith("Revision 2")
    spanish = replace(OPERATOR, locale="es")
    again = await run(admin_core, "set kind:timeline id:visa-revoked date:", spanish)
    assert again.title == "No cambió nada: timeline/visa-revoked ya tiene esos valores, así que no se escribió ninguna revisión."
    assert [r.id for r in await repository.revisions(BRIEFING_ID, limit=5)] == [2, 1]


async def test_a_form_sent_back_as_it_was_shown_writes_nothing(admin_core, repository):
    """What a Slack modal sends: every field, as the form showed it (a passage's spacing as typed), with the form's base."""
    form = await admin_core.form(OPERATOR, "person", "ivan-cepeda")
    assert isinstance(form, Form)
    options = {"kind": "person", "id": "ivan-cepeda", "base": str(form.base)}
    options.update({f.name: f"{f.value} " if f.name == "evidence" else f.value for f in form.fields})
    revisions = await repository.revisions(BRIEFING_ID, limit=5)
    reply = await admin_core.dispatch(replace(OPERATOR, command="set", options=options))
    assert reply.kind == "answer" and reply.title.startswith("Nothing changed: person/ivan-cepeda"), reply.text
    assert await repository.revisions(BRIEFING_ID, limit=5) == revisions


async def test_a_base_that_is_no_revision_says_so(admin_core, repository):
    before = await state(repository)
    reply = await run(admin_core, "set kind:meeting status:concluded base:999")
    assert reply.kind == "error" and reply.text == "There is no revision 999."
    assert (await run(admin_core, "set kind:meeting status:concluded base:0")).text == "There is no revision 0."  # none is 0
    assert await state(repository) == before


async def test_a_stale_edit_shows_the_fields_an_edit_sets_not_their_translations(admin_core):
    await run(admin_core, "set kind:faq id:main-topics answer:A1 base:1")
    refused = await run(admin_core, "set kind:faq id:main-topics answer:A2 base:1")
    assert refused.kind == "error" and 'answer: “A1”' in refused.text, refused.text
    assert "translations" not in refused.text and "{" not in refused.text


async def test_a_stale_edit_shows_first_the_fields_it_sets_and_those_changed_since(admin_core):
    """The meeting holds over 600 characters: in pack order, the list was cut before a colleague's delegation."""
    await run(admin_core, 'set kind:meeting delegation:"twelve officials"')
    mine = await run(admin_core, 'set kind:meeting delegation:"eleven officials" base:1')
    assert mine.kind == "error" and mine.text.split("It now holds: ")[1].startswith("delegation: “twelve officials”; "), mine.text
    other = await run(admin_core, "set kind:meeting format:Dinner base:1")
    held = other.text.split("It now holds: ")[1]
    assert held.startswith("format: “Private, closed-door meeting without media presence”; delegation: “twelve officials”; "), held


async def test_setting_evidence_counts_and_lists_every_passage_it_replaces(admin_core, repository):
    passages = [piece["passage"] for piece in (await state(repository))["sessions"][0]["evidence"]]
    reply = await run(admin_core, 'set kind:meeting evidence:"Petro will also have meetings with congress members"')
    changed = {field.name: field.value for field in reply.fields}["evidence"]
    added, removed = changed.split("; removed ")
    assert added == "added 1: “cubaheadlines-2026-02-03: Petro will also have meetings with congress members”", changed
    assert removed.startswith(f"{len(passages)}: ") and removed.count("“") == len(passages) > 1, changed
    for passage in passages:
        assert passage.split()[0] in removed
    assert (await run(admin_core, "history")).items[0].text == f"evidence: {changed}"


async def test_history_labels_revisions_and_shows_values_as_a_reader_says_them(admin_core):
    await run(admin_core, "set kind:person id:ivan-cepeda delegation:yes")
    await run(admin_core, 'add kind:person id:new-adviser name:"New Adviser" role:Adviser organisation:"Government of Colombia" side:colombia sources:cubaheadlines-2026-02-03 evidence:"Petro has crafted a diverse agenda in Washington."')
    history = await run(admin_core, "history")
    added, edited, loaded = history.items[:3]
    assert added.title.startswith("Revision 3 · person/new-adviser added")
    assert "id:" not in added.text and "side: was empty, now “Colombia”" in added.text
    assert edited.text == "delegation: was no, now yes"
    assert loaded.title == "Revision 1 · pack petro-trump-2026 loaded" and loaded.text == "The briefing was loaded for the first time."


async def test_history_names_what_the_answers_named_and_lists_only_what_changed(admin_core, repository):
    """A redo, an import and a load as their answers said them; an added item's empty fields are no change; a list's
    change is what it gained and lost, which two shortened lists hid."""
    await run(admin_core, "set kind:meeting status:concluded")
    await run(admin_core, "undo")
    await run(admin_core, "redo")
    await run(admin_core, 'add kind:session id:gala title:Gala parties:gustavo-petro date:2026-02-05 venue:Hall format:Dinner '
                          'aims:Thanks topics:culture sources:cubaheadlines-2026-02-03 evidence:"Petro has crafted a diverse agenda in Washington."')
    await run(admin_core, "add kind:source id:wire publisher:Wire title:Report")
    await run(admin_core, 'set kind:faq id:significance sources:"cubaheadlines-2026-02-03, wire"')
    await import_checked(admin_core, renamed(dump_pack(await repository.briefing())))
    imported, listed, _, gala, redone = (await run(admin_core, "history")).items[:5]
    assert imported.title.endswith("· pack petro-trump-2026 imported")
    assert listed.text == "sources: added “Report”"
    assert "stakes" not in gala.text and "outcome" not in gala.text and "status: was empty, now “scheduled”" in gala.text
    assert redone.title.endswith("session/meeting redone (undo 3 taken back)")


async def test_a_long_value_in_history_is_cut_after_a_whole_word(admin_core):
    await run(admin_core, 'set kind:faq id:significance answer:"' + "Bilateral ties " * 10 + '"')
    edited = (await run(admin_core, "history")).items[0]
    after = edited.text.splitlines()[0].split(", now ", 1)[1]  # the next line says its Spanish translation was removed
    assert after.endswith(" ties…”") and len(after) <= 82, edited.text


async def test_refusals_name_the_command_used(admin_core):
    stranger = Request(command="add", now=NOW, platform="discord", user_id="999")
    form = await admin_core.form(stranger, "faq", None)
    assert isinstance(form, Reply) and form.text.startswith("/add is for briefing admins only. Only the bot's operator")
    # As typed where every command follows one slash command, and on a platform the catalogue has no words for: the lists in general.
    elsewhere = replace(stranger, command="briefing", text="new", platform="matrix", slash_command="brief")
    reply = await admin_core.dispatch(elsewhere)
    assert reply.text == "/brief briefing action:new is for briefing admins only. " + catalogue_for("en")("admin.grant")


async def test_a_revision_that_is_not_a_number_is_explained(admin_core):
    reply = await run(admin_core, "undo abc")
    assert reply.kind == "error" and "from 0" not in reply.text and "is not a revision number" in reply.text


async def test_a_refused_removal_sums_up_what_names_the_item_and_offers_the_full_list(admin_core):
    refused = await run(admin_core, "remove kind:source id:cubaheadlines-2026-02-03")
    assert refused.kind == "error" and len(refused.text) < 400, refused.text
    assert refused.text.endswith("To see them all: /uses kind:source id:cubaheadlines-2026-02-03")
    listed = await run(admin_core, "uses kind:source id:cubaheadlines-2026-02-03 page:2")
    assert listed.kind == "answer" and listed.title.endswith("named by 52 items") and listed.page.count > 1


async def test_what_names_an_item_is_listed_as_kind_and_id_that_why_and_remove_take(admin_core):
    refused = await run(admin_core, "remove kind:person id:donald-trump")
    assert "(session/meeting, timeline/" in refused.text and "sessions/" not in refused.text
    first = await run(admin_core, "uses kind:person id:donald-trump")
    pages = [first, *[await run(admin_core, f"uses kind:person id:donald-trump page:{n}") for n in range(2, first.page.count + 1)]]
    refs = [item.title for page in pages for item in page.items]
    assert refs[0] == "session/meeting" and any(ref.startswith("quote/") for ref in refs) and len(refs) == 10
    for ref in refs:  # each one is an item `why` shows
        assert (await run(admin_core, f"why {ref}")).kind == "answer", ref


async def test_an_import_is_undone_by_walking_back_but_never_over_later_changes(admin_core, repository):
    original = await state(repository)
    applied = await import_checked(admin_core, renamed(dump_pack(await repository.briefing())))
    number = applied.title.split()[1].rstrip(":")
    await run(admin_core, 'set kind:meeting venue:"Blair House"')
    edited = await state(repository)
    refused = await run(admin_core, f"undo {number}")
    assert refused.kind == "error" and f"Changes were made after revision {number}" in refused.text
    assert await state(repository) == edited
    assert [(await run(admin_core, "undo")).kind for _ in range(2)] == ["answer", "answer"]
    assert await state(repository) == original


async def test_an_imports_undo_is_refused_when_another_process_edits_just_before_it_writes(store_path):
    """Another process's edit commits after the undo read the log (the import still its latest revision) and before
    its transaction begins: the undo must see it and refuse, not put back the pack over an acknowledged edit."""
    async with open_store(store_path) as store:
        await store.seed(DATA, BRIEFING_ID)
        core = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
        number = (await import_checked(core, renamed(dump_pack(await store.repository.briefing())))).title.split()[1].rstrip(":")
        edited: list[Reply] = []

        async def edit_elsewhere() -> None:
            async with open_store(store_path) as other:
                edited.append(await run(BriefingCore(other.repository, policy=POLICY), 'set kind:person id:pedro-sanchez role:"Role 1"'))

        def edit_first(statement: str) -> None:  # on aiosqlite's worker thread, before this transaction takes the lock
            if statement == "BEGIN IMMEDIATE" and not edited:
                asyncio.run(edit_elsewhere())

        await store.repository._conn.set_trace_callback(edit_first)
        refused = await run(core, f"undo {number}")
        await store.repository._conn.set_trace_callback(None)
        role = next(p.role for p in (await store.repository.briefing()).people if p.id == "pedro-sanchez")
    assert edited and edited[0].kind == "answer", edited
    assert refused.kind == "error" and f"Changes were made after revision {number}" in refused.text, refused.text
    assert role == "Role 1"


async def test_revisions_after_a_number_are_only_the_newer_ones(admin_core, repository):
    """What a digest asks for: the changes since the channel's last one, filtered by the store (both)."""
    seen = (await repository.revisions(BRIEFING_ID, limit=1))[0].id
    for outcome in ("Agreed to meet again.", "Agreed on migration."):
        assert (await run(admin_core, f'set kind:meeting outcome:"{outcome}"')).kind == "answer"
    newer = await repository.revisions(BRIEFING_ID, limit=10, after=seen)
    assert len(newer) == 2 and all(r.id > seen for r in newer) and newer[0].id > newer[1].id
    assert await repository.revisions(BRIEFING_ID, "session", limit=10, after=seen) == newer
    assert await repository.revisions(BRIEFING_ID, limit=10, after=newer[0].id) == []


async def test_a_day_given_where_a_start_is_says_how_to_give_one_in_place_of_the_other(admin_core, repository):
    refused = await run(admin_core, "set kind:meeting date:2026-02-04")
    assert refused.kind == "error" and 'clear the other (date:"" or start:"")' in refused.text, refused.text
    swapped = await run(admin_core, 'set kind:meeting date:2026-02-04 start:""')
    assert swapped.kind == "answer", swapped.text


async def test_a_pack_of_another_briefing_is_refused_with_the_way_to_import_or_load_it(admin_core, repository):
    text = dump_pack(await repository.briefing()).replace("id: petro-trump-2026", "id: other-story", 1)
    unknown = await admin_core.import_text(OPERATOR, text, "new.yaml", apply=False)
    assert unknown.kind == "error" and "If its briefing.id is a typo, correct it" in unknown.text, unknown.text
    assert unknown.text.endswith("To store it as a new briefing beside “petro-trump-2026”, load it: briefbot load new.yaml"), unknown.text
    assert (await run(admin_core, "briefing new id:other-story title:Other")).kind == "answer"
    stored = await admin_core.import_text(OPERATOR, text, "new.yaml", apply=False)
    assert stored.kind == "error" and "/use briefing:other-story" in stored.text and "briefbot load" not in stored.text, stored.text
