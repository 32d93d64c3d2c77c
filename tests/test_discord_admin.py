"""Admin commands through the real discord.py against the loopback Discord: modals filled from the core's
forms (and submitted after a restart), stale edits refused, ids completed, packs imported from attachments
and exported as files, and the core's gate deciding."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from msgspec.structs import replace

from bot.adapters.console import render_text
from bot.adapters.discord_app.cli import sync
from bot.adapters.discord_app.client import BriefbotClient
from bot.adapters.discord_app.formkeys import FormKeys, found_briefing
from bot.adapters.discord_app.forms import PER_MODAL, VALUE_LIMIT, Ask
from bot.adapters.discord_app.markdown import literal
from bot.core.admin import cited
from bot.core.admin.imports import pack_changes
from bot.core.admin.kinds import FORM_FIELDS
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.commands import COMMANDS
from bot.core.model import Evidence, translation
from bot.core.pack import MAX_PACK_BYTES, pack_mapping
from bot.core.registry import local_command, local_field, local_option, readers_text
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.settings import DiscordSettings, Settings
from bot.store import Store
from bot.store.packfile import dump_pack, read_pack, read_pack_text
from bot.store.repository import SqliteBriefingRepository
from tests.briefings_support import OTHER_ID, OTHER_TITLE, add_other
from tests.conftest import ARTICLE, BEFORE, PACK, ask
from tests.discord_fake import APPLICATION_ID, OTHER_USER_ID, TOKEN, USER_ID, FakeDiscord, Json, Recorded
from tests.discord_support import connected
from tests.kinds_support import kinds_listed
from tests.test_sessions import SUMMIT, SUMMIT_ID

EPHEMERAL, MODAL, MANAGE_GUILD = 64, 9, 0x20
CAT = catalogue_for("en")


def denial(command: str, cat: Catalogue = CAT) -> str:
    """The gate's refusal as a Discord member reads it: the command as typed here, and who can make them an admin."""
    return literal(cat("admin.denied", command=command, grant=cat("admin.grant.discord")))
VENUE = "The White House, Washington"


def core_over(repository: SqliteBriefingRepository) -> BriefingCore:
    """USER_ID is the one configured admin; OTHER_USER_ID (even with Manage Server) is not."""
    policy = AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))})
    return BriefingCore(repository, policy=policy, pack_reader=read_pack_text, pack_writer=dump_pack)


def running(fake: FakeDiscord, core: BriefingCore, **options: Any) -> Any:
    """A bot connected to the fake until the block ends; a second one after it is the bot after a restart."""
    return connected(fake, core, **options)


@pytest.fixture
async def bot(fake: FakeDiscord, repository: SqliteBriefingRepository) -> AsyncIterator[BriefbotClient]:
    async with running(fake, core_over(repository)) as client:
        yield client


def inputs(modal: Json) -> dict[str, Json]:
    """The modal's text inputs by field, each with the label and description shown above it."""
    labels = [c for c in modal["components"] if "component" in c]  # not the texts that say why a field is left out
    return {c["component"]["custom_id"]: {**c["component"], "label": c["label"], "description": c.get("description")} for c in labels}


def buttons(data: Json) -> dict[str, Json]:
    return {b["label"]: b for row in data.get("components", []) for b in row["components"]}


def private_embed(body: Json) -> Json:
    """The one embed of a private answer sent as the interaction's response."""
    assert body["type"] == 4 and body["data"]["flags"] & EPHEMERAL, body
    assert body["data"]["allowed_mentions"]["parse"] == []
    return body["data"]["embeds"][0]


async def open_modal(fake: FakeDiscord, command: str, options: dict[str, Any], **who: Any) -> Json:
    body = await fake.interact(fake.command(command, options, **who))
    assert body["type"] == MODAL, body
    return body["data"]


async def meeting_venue(fake: FakeDiscord) -> str:
    fields = (await fake.interact(fake.command("meeting")))["data"]["embeds"][0]["fields"]
    return json.dumps(fields)


async def test_set_opens_a_modal_of_five_fields_with_the_current_values(bot: BriefbotClient, fake: FakeDiscord) -> None:
    modal = await open_modal(fake, "set", {"kind": "meeting"})
    # Window after window ("More fields" opens the next), the fields the kind declares, in its order (docs/data-pack.md):
    # read from the definition, so a field added to it is expected here too.
    fields = FORM_FIELDS["session"]
    windows = [fields[n : n + PER_MODAL] for n in range(0, len(fields), PER_MODAL)]
    shown: dict[str, Json] = {}
    for n, window in enumerate(windows):
        opened = modal if n == 0 else await open_modal(fake, "set", {"kind": "meeting", "field": window[0]})
        assert list(inputs(opened)) == list(window), f"window {n + 1} of the session's form"
        shown |= inputs(opened)
    # Written out, so a definition misread (an import-only field, an order of its own) still fails: the start beside the
    # zone it is read in, and no id or stakes.
    assert modal["title"] == "Edit session/meeting" and windows[0] == ("title", "parties", "start", "date", "zone")
    assert {"note", "venue", "outcome", "delegation"} <= set(shown) and not {"id", "stakes", "translations"} & set(shown)
    assert shown["parties"]["description"] == CAT("form.hint_list") and shown["title"]["required"]
    assert not shown["aims"]["required"]  # aims may be []
    assert shown["venue"]["value"] == VENUE and shown["venue"]["style"] == 1 and shown["format"]["style"] == 2  # paragraphs get a paragraph input
    status = list(inputs(await open_modal(fake, "set", {"kind": "meeting", "field": "status"})))
    assert list(inputs(await open_modal(fake, "set", {"kind": "meeting", "field": "estado"}))) == status  # its Spanish word
    # An outcome not announced yet is "": required, Discord would not send the window until the admin made one up.
    assert shown["outcome"]["style"] == 2 and not shown["outcome"].get("value") and not shown["outcome"]["required"] and shown["status"]["required"]
    timeline = FORM_FIELDS["timeline"]
    later = inputs(await open_modal(fake, "set", {"kind": "timeline", "id": "visa-revoked", "field": "tags"}))
    assert list(later) == list(timeline[timeline.index("tags") :][:PER_MODAL]) and next(iter(later)) == "tags"  # field: says where the window starts


async def test_each_input_takes_no_more_than_its_field_may_hold(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """Every input took 4,000 characters, so a 300-character title was refused only after Submit ("title: longer than
    200 characters"); Discord's client now stops it as it is typed, at the limit validation checks (`Field.limit`)."""
    first = inputs(await open_modal(fake, "set", {"kind": "meeting"}))
    more = inputs(await open_modal(fake, "set", {"kind": "meeting", "field": "note"}))
    quote = inputs(await open_modal(fake, "set", {"kind": "quote", "id": "petro-undignified-treatment"}))
    head = inputs(await open_modal(fake, "set", {"kind": "briefing", "field": "label"}))
    assert first["title"]["max_length"] == 200 and more["venue"]["max_length"] == 300 and more["note"]["max_length"] == 500
    assert quote["words"]["max_length"] == 1000 and head["label"]["max_length"] == 80
    assert first["zone"]["max_length"] == 64  # a session's zone, as the head's (`kinds.ZONE_LIMIT`): it once took 4,000
    assert more["aims"]["max_length"] == VALUE_LIMIT  # a list: as long as an input holds, each line checked on its own


async def test_a_fields_hint_follows_its_type_in_its_own_kind(bot: BriefbotClient, fake: FakeDiscord) -> None:
    # A session's `delegation` is text ("over ten high-ranking officials"); "yes or no" there led admins to write "yes".
    session = inputs(await open_modal(fake, "set", {"kind": "meeting", "field": "delegation"}))
    person = inputs(await open_modal(fake, "set", {"kind": "person", "id": "gustavo-petro", "field": "delegation"}))
    assert session["delegation"]["description"] is None
    assert person["delegation"]["description"] == CAT("form.hint_bool")


async def test_a_modal_submission_edits_the_item_and_the_next_meeting_shows_it(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    modal = await open_modal(fake, "set", {"kind": "meeting", "field": "venue", "reason": "moved"})
    embed = private_embed(await fake.interact(fake.submit(modal, {"venue": "Blair House, Washington"})))
    assert embed["title"].endswith("session/meeting changed") and [f["name"] for f in embed["fields"]] == ["venue", "translations"]
    assert embed["fields"][1]["value"] == "the Spanish translation of venue was removed"  # its Spanish readers see it untranslated
    assert "Blair House" in await meeting_venue(fake)
    assert not any(r.path.startswith("/webhooks/") for r in fake.requests)  # answered once, not also by discord.py
    history = await repository.revisions("petro-trump-2026", "session", "meeting", limit=1)
    assert history[0].platform == "discord" and history[0].actor == str(USER_ID) and history[0].note == "moved"


async def test_more_fields_opens_the_next_window_of_the_form(bot: BriefbotClient, fake: FakeDiscord) -> None:
    modal = await open_modal(fake, "set", {"kind": "meeting"})
    confirmation = fake.submit(modal, {"start": "2026-02-03T12:00"})
    data = (await fake.interact(confirmation))["data"]
    more = buttons(data)[CAT("discord.form_more")]
    second = await fake.interact(fake.click(fake.message_of(confirmation), more["custom_id"]))
    assert second["type"] == MODAL and list(inputs(second["data"]))[0] == "note"
    embed = private_embed(await fake.interact(fake.submit(second["data"], {"venue": "Blair House, Washington"})))
    assert [f["name"] for f in embed["fields"]] == ["venue", "translations"]


async def test_an_untouched_modal_changes_nothing(bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository) -> None:
    before = pack_mapping(await repository.briefing())
    modal = await open_modal(fake, "set", {"kind": "person", "id": "gustavo-petro"})
    assert private_embed(await fake.interact(fake.submit(modal, {})))["title"] == CAT("form.unchanged")
    assert pack_mapping(await repository.briefing()) == before


async def test_a_stale_submission_is_refused_privately_with_the_newer_value(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    mine = await open_modal(fake, "set", {"kind": "meeting", "field": "venue"})
    theirs = await open_modal(fake, "set", {"kind": "meeting", "field": "venue"})
    private_embed(await fake.interact(fake.submit(theirs, {"venue": "Blair House, Washington"})))
    refused = fake.submit(mine, {"venue": "Camp David"})
    body = await fake.interact(refused)
    embed = private_embed(body)
    assert embed["title"] == CAT("error.user_title") and "Blair House" in embed["description"]
    assert pack_mapping(await repository.briefing())["sessions"][0]["venue"] == "Blair House, Washington"
    # "Edit again" reopens the form on the new revision, with what the user had typed.
    again = await fake.interact(fake.click(fake.message_of(refused), buttons(body["data"])[CAT("discord.form_retry")]["custom_id"]))
    assert again["type"] == MODAL and inputs(again["data"])["venue"]["value"] == "Camp David"
    private_embed(await fake.interact(fake.submit(again["data"], {})))
    assert pack_mapping(await repository.briefing())["sessions"][0]["venue"] == "Camp David"


async def test_an_invalid_value_is_named_under_its_input_when_editing_again(bot: BriefbotClient, fake: FakeDiscord) -> None:
    modal = await open_modal(fake, "set", {"kind": "timeline", "id": "visa-revoked"})
    refused = fake.submit(modal, {"date": "someday"})
    body = await fake.interact(refused)
    assert "date" in private_embed(body)["description"]
    again = await fake.interact(fake.click(fake.message_of(refused), buttons(body["data"])[CAT("discord.form_retry")]["custom_id"]))
    date = inputs(again["data"])["date"]
    assert date["value"] == "someday" and "YYYY" in date["description"]


async def test_a_value_longer_than_an_input_is_left_out_of_the_form_never_cut(fake: FakeDiscord, store: Store) -> None:
    """A cut value, saved, would store a broken passage and drop the rest: the form leaves the field out and says how."""
    shipped = read_pack(PACK)
    passages = tuple(Evidence("cubaheadlines-2026-02-03", f"Passage {n}: " + ("the officials met and talked " * 17).strip()) for n in range(9))
    faq = tuple(replace(entry, evidence=passages) if entry.id == "main-topics" else entry for entry in shipped.faq)
    await store.repository.save(replace(shipped, faq=faq))
    assert len("\n\n".join(p.passage for p in passages)) > VALUE_LIMIT
    async with running(fake, core_over(store.repository)):
        modal = await open_modal(fake, "set", {"kind": "faq", "id": "main-topics"})
        assert list(inputs(modal)) == ["question", "answer", "sources"]
        assert {"type": 10, "content": readers_text(CAT, "discord.form_too_long", field="evidence", limit=VALUE_LIMIT)} in modal["components"]
        # Even a submission carrying an evidence input (a client's, or a forged one) changes only what the form showed.
        forged = {**modal, "components": [*modal["components"], {"type": 18, "component": {"type": 4, "custom_id": "evidence", "value": "cut"}}]}
        embed = private_embed(await fake.interact(fake.submit(forged, {"answer": "Migration, drugs, trade and security.", "evidence": "cut"})))
        assert [f["name"] for f in embed["fields"]] == ["answer", "translations"]
    entry = next(e for e in (await store.repository.briefing()).faq if e.id == "main-topics")
    assert entry.evidence == passages and entry.answer == "Migration, drugs, trade and security."


async def test_add_opens_an_empty_form_and_adds_the_item(bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository) -> None:
    modal = await open_modal(fake, "add", {"kind": "faq", "id": "venue-change"})
    assert modal["title"] == "Add faq/venue-change" and list(inputs(modal)) == ["question", "answer", "sources", "evidence"]
    answers = {"question": "Where do they meet?", "answer": "At Blair House.", "sources": "cubaheadlines-2026-02-03",
               "evidence": "Petro has crafted a diverse agenda in Washington."}
    embed = private_embed(await fake.interact(fake.submit(modal, answers)))
    assert embed["title"].endswith("faq/venue-change added")
    assert any(entry.id == "venue-change" for entry in (await repository.briefing()).faq)


async def test_a_session_with_no_aims_announced_is_added_in_one_window_and_its_start_set_beside_its_zone(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    """A session's aims and topics may be [] (the shipped pack's are): a window requiring them left Discord's Submit greyed
    out until the admin made some up (`fake.submit` sends no such modal). Its status opens as the add starts it. Its start
    comes with the zone it is read in: "More fields" opens them together, so a Bogotá session typed as 18:00 is never
    stored at 18:00 New York time first."""
    modal = await open_modal(fake, "add", {"kind": "session", "id": "gala"})
    shown = inputs(modal)
    assert list(shown) == ["title", "status", "sources", "evidence", "parties"]  # the required ones first
    assert shown["status"]["value"] == "scheduled" and not shown["parties"]["required"]
    first = fake.submit(modal, {"title": "Gala dinner", "sources": "cubaheadlines-2026-02-03",
                                "evidence": "Accompanied by a delegation of over ten high-ranking officials", "parties": "gustavo-petro"})
    added = await fake.interact(first)
    assert private_embed(added)["title"].endswith("session/gala added"), private_embed(added)
    gala = next(s for s in (await repository.briefing()).sessions if s.id == "gala")
    # No aims, topics, venue, format or outcome given: none is made up, and "More fields" reaches them.
    assert (gala.title, gala.status, gala.parties, gala.aims, gala.topics) == ("Gala dinner", "scheduled", ("gustavo-petro",), (), ())
    assert (gala.venue, gala.format, gala.outcome, gala.starts_at) == ("", "", "", None)
    more = await fake.interact(fake.click(fake.message_of(first), buttons(added["data"])[CAT("discord.form_more")]["custom_id"]))
    assert more["type"] == MODAL and list(inputs(more["data"])) == ["start", "date", "zone", "note", "venue"]
    moved = await fake.interact(fake.submit(more["data"], {"start": "2026-02-05T18:00", "zone": "America/Bogota"}))
    assert private_embed(moved)["title"].endswith("session/gala changed"), private_embed(moved)
    gala = next(s for s in (await repository.briefing()).sessions if s.id == "gala")
    assert (gala.starts_at, gala.zone) == (datetime(2026, 2, 5, 23, tzinfo=UTC), "America/Bogota")
    history = await repository.revisions("petro-trump-2026", "session", "gala")
    assert [revision.action for revision in history] == ["edit", "add"]  # the start set once, with its zone: never moved


async def test_a_sessions_aims_and_topics_are_emptied_by_leaving_their_inputs_empty(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    """Aims withdrawn are emptied in the form as an outcome is: Discord would send no modal whose required input is empty."""
    shown = inputs(modal := await open_modal(fake, "set", {"kind": "meeting", "field": "aims"}))
    assert list(shown)[:2] == ["aims", "topics"] and shown["topics"]["value"].startswith("migration\nanti-drug cooperation\n")
    assert not shown["aims"]["required"] and not shown["topics"]["required"]
    embed = private_embed(await fake.interact(fake.submit(modal, {"aims": "", "topics": ""})))
    assert embed["title"].endswith("session/meeting changed"), embed
    meeting = (await repository.briefing()).sessions[0]
    assert (meeting.aims, meeting.topics) == ((), ())


async def test_an_aim_holding_a_comma_stays_one_aim_when_a_typo_in_it_is_fixed_in_the_form(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    """The shipped session's first aim holds a comma. The form showed aims comma-separated and read them back by commas, so
    fixing a typo in it split it in two, silently changing the news: aims are one a line now, in a paragraph input."""
    aims = (await repository.briefing()).sessions[0].aims
    shown = inputs(modal := await open_modal(fake, "set", {"kind": "meeting", "field": "aims"}))
    assert shown["aims"]["value"].split("\n") == list(aims) and "," in aims[0]
    assert shown["aims"]["style"] == 2 and shown["aims"]["description"] == CAT("form.hint_lines")
    embed = private_embed(await fake.interact(fake.submit(modal, {"aims": shown["aims"]["value"].replace("Re-establish", "Reestablish", 1)})))
    assert embed["title"].endswith("session/meeting changed"), embed
    fixed = (await repository.briefing()).sessions[0].aims
    assert fixed == (aims[0].replace("Re-establish", "Reestablish"), aims[1])  # as many aims, the comma kept
    # One line in the form is one aim, its comma kept, as a session's only aim is shown.
    alone = await open_modal(fake, "set", {"kind": "meeting", "field": "aims"})
    assert private_embed(await fake.interact(fake.submit(alone, {"aims": fixed[0]})))["title"].endswith("session/meeting changed")
    assert (await repository.briefing()).sessions[0].aims == (fixed[0],)


async def test_a_context_entry_is_added_by_its_form_like_any_kind(bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository) -> None:
    """A kind added after the forms were written (`context`) gets its form from its definition alone."""
    modal = await open_modal(fake, "add", {"kind": "context", "id": "next-steps"})
    assert modal["title"] == "Add context/next-steps" and list(inputs(modal)) == ["title", "body", "sources", "evidence"]
    answers = {"title": "What comes next", "body": "Not announced.", "sources": "cubaheadlines-2026-02-03",
               "evidence": "Tuesday's meeting seems to be the realization of that unexpected easing of tensions."}
    assert private_embed(await fake.interact(fake.submit(modal, answers)))["title"].endswith("context/next-steps added")
    assert (await repository.briefing()).context[-1].title == "What comes next"
    shown = private_embed(await fake.interact(fake.command("context", {})))
    assert shown["title"] == "Context · 5 entries" and "What comes next" in str(shown)


async def test_autocomplete_offers_ids_of_the_chosen_kind_and_its_fields(bot: BriefbotClient, fake: FakeDiscord) -> None:
    for command in ("set", "remove", "history"):
        body = await fake.interact(fake.autocomplete(command, "id", "visa", {"kind": "timeline"}))
        values = [c["value"] for c in body["data"]["choices"]]
        assert body["type"] == 8 and "visa-revoked" in values and all(len(c["name"]) <= 100 for c in body["data"]["choices"]), command
    people = await fake.interact(fake.autocomplete("set", "id", "petro", {"kind": "person"}))
    assert people["data"]["choices"][0]["value"] == "gustavo-petro"
    fields = await fake.interact(fake.autocomplete("set", "field", "stat", {"kind": "meeting"}))
    assert fields["data"]["choices"][0]["value"] == "status"


async def test_set_with_lang_writes_that_languages_text_without_opening_a_form(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    """A form holds the stored original, so `/set lang:es` opens none: `value:` is the Spanish text, and none clears it.
    The field's suggestions are those that take a translation."""
    faq = {"kind": "faq", "id": "significance", "lang": "es", "field": "answer"}
    embed = private_embed(await fake.interact(fake.command("set", {**faq, "value": "Una respuesta revisada."})))
    assert embed["title"].endswith("faq/significance changed")
    assert "Readers of Spanish now see the Spanish answer in place of the English text." in embed["description"]
    stored = next(f for f in (await repository.briefing()).faq if f.id == "significance")
    shipped = next(f for f in read_pack(PACK).faq if f.id == "significance")
    assert stored.answer == shipped.answer and translation(stored.translations, "es")["answer"] == "Una respuesta revisada."
    cleared = private_embed(await fake.interact(fake.command("set", faq)))
    assert "Readers of Spanish now see the English answer marked untranslated" in cleared["description"]
    assert "answer" not in translation(next(f for f in (await repository.briefing()).faq if f.id == "significance").translations, "es")
    # An edit of the original says how to give the translation it dropped, as typed here: field: and value:.
    changed = private_embed(await fake.interact(fake.command("set", {"kind": "faq", "id": "significance", "field": "question", "value": "Why?"})))
    assert "/set kind:faq id:significance lang:es field:question value:…" in changed["description"]
    offered = await fake.interact(fake.autocomplete("set", "field", "", {"kind": "person", "lang": "es"}))
    assert [c["value"] for c in offered["data"]["choices"]] == ["role", "organisation"]
    head = await fake.interact(fake.autocomplete("set", "field", "", {"kind": "briefing", "lang": "es"}))
    assert [c["value"] for c in head["data"]["choices"]] == ["title", "summary", "label"]  # the venue's label among them
    spanish = await fake.interact(fake.autocomplete("set", "field", "", {"kind": "briefing", "lang": "es"}, locale="es-ES"))
    assert [(c["name"], c["value"]) for c in spanish["data"]["choices"]] == [("título", "title"), ("resumen", "summary"), ("rótulo", "label")]
    label = private_embed(await fake.interact(fake.command("set", {"kind": "briefing", "lang": "es", "field": "label", "value": "Washington D. C."})))
    assert "Readers of Spanish now read the venue's label in Spanish: “Washington D. C.”." in label["description"], label
    assert dict(translation((await repository.briefing()).translations, "es")["zones"])["Washington"] == "Washington D. C."


async def test_set_with_lang_and_no_field_is_told_as_discord_takes_a_field(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """`lang:es` with no field opens no form: the refusal names a field as typed here, `field:` and `value:` (a Spanish
    menu's `campo:` and `valor:`), never the console's `campo:valor` or `language:es`."""
    head = private_embed(await fake.interact(fake.command("set", {"kind": "briefing", "lang": "es"}, locale="es-ES")))["description"]
    assert "con campo: y valor: (título, resumen, rótulo)" in head and "campo:lengua valor:es" in head, head
    assert "campo:valor" not in head and " lengua:es" not in head, head
    person = private_embed(await fake.interact(fake.command("set", {"kind": "person", "id": "gustavo-petro", "lang": "es"})))["description"]
    assert person == "Say which field to set, with field: and value:. Fields of person: role, organisation", person


async def import_answer(fake: FakeDiscord, payload: Json) -> Json:
    """`/import` acknowledges first (it downloads), then edits its private placeholder."""
    assert await fake.interact(payload) == {"type": 5, "data": {"flags": EPHEMERAL}}
    edit = await fake.followups(payload)
    assert edit.method == "PATCH" and edit.body["allowed_mentions"]["parse"] == []
    return edit.body["embeds"][0]


def printed_changes(embed: Json) -> str:
    """The digest of the changes a dry run's footer gives its apply."""
    found = re.search(r"\bchanges:([0-9a-f]{8})\b", embed["footer"]["text"])
    assert found, embed
    return found[1]


async def test_import_from_an_attachment_dry_run_then_apply(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    before = pack_mapping(await repository.briefing())
    text = dump_pack(await repository.briefing()).replace(VENUE, "Blair House, Washington")
    upload = fake.attach("pack.yaml", text.encode())
    dry = await import_answer(fake, fake.command("import", {"file": upload}))
    assert dry["title"].startswith("Dry run") and dry["fields"][0]["name"] == "meeting"
    assert any(r.path.startswith("/cdn/attachments/") for r in fake.requests)
    assert pack_mapping(await repository.briefing()) == before
    version, changes = (await repository.briefing()).version, printed_changes(dry)
    # Discord's own syntax: /import's options as its menu lists them, never Slack's Apply button
    assert f"run /import again with the same file and apply:True version:{version} changes:{changes};" in dry["footer"]["text"]
    assert "Apply" not in dry["footer"]["text"]
    unchecked = await import_answer(fake, fake.command("import", {"file": upload, "apply": True}))  # no version: a dry run
    assert unchecked["description"].startswith("Nothing was imported: an apply must give the version and the changes")
    assert unchecked["fields"][0]["name"] == "meeting" and pack_mapping(await repository.briefing()) == before
    applied = await import_answer(fake, fake.command("import", {"file": upload, "apply": True, "version": version, "changes": changes}))
    assert applied["title"].endswith("the pack was imported")
    assert "Blair House" in await meeting_venue(fake)


async def test_an_import_applies_only_the_file_its_dry_run_checked_and_takes_back_edits_only_when_told(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    """An export, then an edit in chat, then the export changed elsewhere and attached: the dry run names the edit it
    would take back; the apply is refused without discard_edits, and for another file sent with the same version and
    changes; with discard_edits, the file the dry run checked is imported."""
    exported = dump_pack(await repository.briefing())
    edit = await bot.core.dispatch_line('set kind:meeting outcome:"Both sides met."', Request(command="", now=BEFORE, platform="console", operator=True))
    assert edit.kind == "answer", edit.text
    upload = fake.attach("pack.yaml", exported.replace(VENUE, "Blair House, Washington").encode())
    dry = await import_answer(fake, fake.command("import", {"file": upload}))
    said = dry["description"]
    assert "has 1 change since its last load which importing pack.yaml would take back:" in said, said
    assert "Revision 2 · session/meeting changed · " in said and " · console · local" in said
    assert "Edited since the last load and changed by the file: session/meeting" in said
    assert f"run /import again with the same file and apply:True version:2 changes:{printed_changes(dry)} discard_edits:True (one revision that /undo" in dry["footer"]["text"]
    assert "Apply" not in dry["footer"]["text"]
    edited = pack_mapping(await repository.briefing())
    approved = {"apply": True, "version": (await repository.briefing()).version, "changes": printed_changes(dry)}

    kept = await import_answer(fake, fake.command("import", {"file": upload, **approved}))
    assert kept["description"].startswith("Nothing was imported: it would take back the edits listed below"), kept
    other = fake.attach("pack.yaml", exported.replace(VENUE, "Blair House, Washington").replace("status: scheduled", "status: postponed").encode())
    swapped = await import_answer(fake, fake.command("import", {"file": other, **approved, "discard_edits": True}))
    assert swapped["description"].startswith("Nothing was imported: the file no longer holds what its dry run showed"), swapped
    assert pack_mapping(await repository.briefing()) == edited

    applied = await import_answer(fake, fake.command("import", {"file": upload, **approved, "discard_edits": True}))
    assert applied["title"].endswith("the pack was imported"), applied
    meeting = (await repository.briefing()).sessions[0]
    assert (meeting.venue, meeting.outcome, meeting.status) == ("Blair House, Washington", "", "scheduled")


@pytest.mark.article
async def test_an_imported_attachment_is_parsed_compared_and_checked_off_the_event_loops_thread(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository, tmp_path: Path
) -> None:
    """The pack's YAML was parsed, and the whole pack turned into data, compared and its passages checked, on the loop's
    thread: a large briefing's import stalled every other reader for seconds, as its export did."""
    shipped = await repository.briefing()
    # The article's text where the pack's `text:` path leads from a pack loaded from tmp_path/packs/data, wherever the
    # checkout lies (the seed beside it or not): the new passage is checked against real text, and refused.
    text = tmp_path / "shared" / "seed" / ARTICLE.name
    text.parent.mkdir(parents=True)
    text.write_bytes(ARTICLE.read_bytes())
    (folder := tmp_path / "packs" / "data").mkdir(parents=True)
    await repository.save(shipped, folder=folder)
    question = shipped.faq[0]
    brought = replace(question, answer="Changed.", evidence=(*question.evidence, Evidence(shipped.sources[0].id, "Words no source held.")))
    upload = fake.attach("pack.yaml", dump_pack(replace(shipped, faq=(brought, *shipped.faq[1:]))).encode())
    # Every step over the whole pack, as the loop's thread would call it (a profiler watches that thread alone).
    steps = {step.__code__: step.__name__ for step in (read_pack_text, pack_mapping, pack_changes, cited.pack_passages, cited.check)}
    on_loop: list[str] = []

    def watch(frame: FrameType, event: str, _: object) -> None:
        if event == "call" and frame.f_code in steps:
            on_loop.append(steps[frame.f_code])

    sys.setprofile(watch)
    try:
        dry = await import_answer(fake, fake.command("import", {"file": upload}))
    finally:
        sys.setprofile(None)
    # They ran: the changed answer's new passage was found and checked against its source's text, which lacks it.
    assert dry["title"] == CAT("error.user_title"), dry.get("description")
    assert dry["description"].startswith("Nothing was changed: at faq\\[0\\].evidence\\[2\\].passage, the text of source "), dry
    assert on_loop == [], on_loop


async def test_import_with_the_dry_runs_version_is_refused_after_a_change(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    version = (await repository.briefing()).version
    upload = fake.attach("pack.yaml", dump_pack(await repository.briefing()).replace(VENUE, "Blair House, Washington").encode())
    dry = await import_answer(fake, fake.command("import", {"file": upload}))
    assert f"version:{version}" in dry["footer"]["text"]
    await repository.save(read_pack_text(dump_pack(await repository.briefing()).replace("status: scheduled", "status: postponed"), "x.yaml"))
    moved = pack_mapping(await repository.briefing())
    approved = {"apply": True, "version": version, "changes": printed_changes(dry)}
    refused = await import_answer(fake, fake.command("import", {"file": upload, **approved}))
    assert "changed since the dry run" in refused["description"]
    assert pack_mapping(await repository.briefing()) == moved


async def test_an_import_given_a_briefing_compares_and_applies_the_file_to_that_one(fake: FakeDiscord, store: Store) -> None:
    """`/import briefing:` (offered by autocomplete) checks and applies the pack against the briefing it names, not the
    channel's: it had no such option, and that briefing's own export was refused as "not the one read here"."""
    await add_other(store)
    channels = pack_mapping(await store.repository.briefing())
    async with running(fake, core_over(store.repository)):
        offered = await fake.interact(fake.autocomplete("import", "briefing", "second"))
        assert [c["value"] for c in offered["data"]["choices"]] == [OTHER_ID]
        text = dump_pack(await store.repository.briefing(OTHER_ID)).replace(VENUE, "Blair House, Washington")
        upload, there = fake.attach("pack.yaml", text.encode()), {"briefing": OTHER_TITLE}
        dry = await import_answer(fake, fake.command("import", {"file": upload, **there}))
        assert dry["title"].startswith("Dry run") and dry["fields"][0]["name"] == "meeting", dry
        approved = {"apply": True, "version": (await store.repository.briefing(OTHER_ID)).version, "changes": printed_changes(dry)}
        applied = await import_answer(fake, fake.command("import", {"file": upload, **approved, **there}))
        assert applied["title"].endswith("the pack was imported"), applied
    assert (await store.repository.briefing(OTHER_ID)).sessions[0].venue.startswith("Blair House")
    assert pack_mapping(await store.repository.briefing()) == channels


async def test_import_refuses_large_and_binary_files_with_a_clear_message(bot: BriefbotClient, fake: FakeDiscord) -> None:
    big = await import_answer(fake, fake.command("import", {"file": fake.attach("big.yaml", b"x", size=MAX_PACK_BYTES + 1)}))
    assert "is 1.01 MB; a pack may be at most 1 MB" in big["description"] and not any(r.path.startswith("/cdn/") for r in fake.requests)
    lying = await import_answer(fake, fake.command("import", {"file": fake.attach("lie.yaml", b"x" * (MAX_PACK_BYTES + 1), size=10)}))
    assert "at most 1 MB" in lying["description"]
    # 40 kB over the cap reads so, in the reader's way: never "1 MB", the cap itself (nor "0 MB" for 40 kB).
    over = b"#" * (MAX_PACK_BYTES + 40_000)
    for locale, size in (("en-US", "1.04 MB"), ("es-ES", "1,04 MB")):
        said = await import_answer(fake, fake.command("import", {"file": fake.attach("over.yaml", over)}, locale=locale))
        assert said["description"] == catalogue_for(locale)("import.too_large", file="over.yaml", size=size, limit="1 MB"), said
    binary = await import_answer(fake, fake.command("import", {"file": fake.attach("pack.yaml", b"\xff\xfe\x00bad")}))
    assert binary["description"] == "pack.yaml is not UTF-8 text; export a pack as YAML and upload that. Nothing was imported."
    gone = fake.attach("gone.yaml", b"")
    del fake.files[gone["id"]]  # the CDN answers 404
    lost = await import_answer(fake, fake.command("import", {"file": gone}))
    assert lost["description"] == "Discord did not hand over gone.yaml; please upload it again. Nothing was imported."
    broken = await import_answer(fake, fake.command("import", {"file": fake.attach("pack.yaml", b"briefing: [")}))
    assert broken["title"] == CAT("error.user_title") and "Traceback" not in json.dumps(broken)


async def test_every_admin_command_is_denied_privately_to_a_non_admin_and_changes_nothing(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    before = pack_mapping(await repository.briefing())
    pack = fake.attach("pack.yaml", dump_pack(await repository.briefing()).replace(VENUE, "Elsewhere").encode())
    stranger = {"user_id": OTHER_USER_ID, "roles": (), "permissions": MANAGE_GUILD}  # Discord's permission is not enough
    commands: list[tuple[str, dict[str, Any]]] = [
        ("set", {"kind": "meeting", "field": "venue", "value": "Elsewhere"}),
        ("set", {"kind": "meeting"}),  # would open a modal
        ("set", {"kind": "timeline", "id": "visa-revoked", "field": "note"}),
        ("add", {"kind": "faq", "id": "sneaky"}),
        ("remove", {"kind": "faq", "id": "other-activities"}),
        ("history", {}),
        ("undo", {}),
    ]
    denials = {denial(f"/{name}") for name in ("set", "add", "remove", "history", "undo")}
    for name, options in commands:
        embed = private_embed(await fake.interact(fake.command(name, options, **stranger)))
        assert embed["description"] in denials, (name, options)
    denied = await import_answer(fake, fake.command("import", {"file": pack, "apply": True}, **stranger))
    assert denied["description"] == denial("/import")
    export = fake.command("export", **stranger)
    assert private_embed(await fake.interact(export))["description"] == denial("/export")
    # A stranger submitting an admin's open modal is refused by the core too.
    modal = await open_modal(fake, "set", {"kind": "meeting"})
    embed = private_embed(await fake.interact(fake.submit(modal, {"venue": "Elsewhere"}, **stranger)))
    assert embed["description"] == denial("/set")
    assert pack_mapping(await repository.briefing()) == before


async def test_a_non_admins_import_file_is_never_downloaded(bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository) -> None:
    pack = dump_pack(await repository.briefing()).encode()
    stranger = {"user_id": OTHER_USER_ID, "roles": (), "permissions": MANAGE_GUILD}  # passes Discord's own check
    theirs = fake.attach("pack.yaml", pack)
    for apply in (False, True):
        denied = await import_answer(fake, fake.command("import", {"file": theirs, "apply": apply}, **stranger))
        assert denied["description"] == denial("/import")
    big = fake.attach("big.yaml", pack, size=MAX_PACK_BYTES + 1)  # refused as denied, not as too large: nothing said about the file
    assert (await import_answer(fake, fake.command("import", {"file": big}, **stranger)))["description"] == denial("/import")
    assert fake.downloads == {}
    mine = fake.attach("pack.yaml", pack)
    await import_answer(fake, fake.command("import", {"file": mine}))
    assert fake.downloads == {mine["id"]: 1}  # the count sees the admin's one fetch


async def test_a_non_admin_clicking_an_admins_form_button_gets_no_modal(bot: BriefbotClient, fake: FakeDiscord) -> None:
    done = fake.submit(await open_modal(fake, "set", {"kind": "meeting"}), {"venue": "Blair House, Washington"})
    more = buttons((await fake.interact(done))["data"])[CAT("discord.form_more")]
    click = fake.click(fake.message_of(done), more["custom_id"], user_id=OTHER_USER_ID, roles=(), permissions=MANAGE_GUILD)
    body = await fake.interact(click)
    assert body["type"] != MODAL and private_embed(body)["description"] == denial("/set")


async def test_admin_commands_need_manage_server_by_default(bot: BriefbotClient) -> None:
    schema = {c.name: c.to_dict(bot.tree) for c in bot.tree.get_commands()}
    for name in ("set", "add", "remove", "history", "undo", "import", "export"):
        assert str(schema[name]["default_member_permissions"]) == str(MANAGE_GUILD), name
        assert schema[name]["dm_permission"] is False, name
    options = {o["name"]: o for o in schema["import"]["options"]}
    assert options["file"]["type"] == 11 and options["file"]["required"] and options["apply"]["type"] == 5
    assert schema["meeting"]["default_member_permissions"] is None
    assert APPLICATION_ID  # the fake's application answers the commands


def callback_of(fake: FakeDiscord, payload: Json) -> Recorded:
    """The recorded response to an interaction (already answered)."""
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    return next(r for r in fake.requests if r.method == "POST" and r.path == path)


def pack_of(upload: Recorded) -> str:
    """The one file an answer carried, decoded; its name is the one the payload's attachment list gives."""
    (file,) = upload.files
    attachments = (upload.body.get("data") or upload.body)["attachments"]
    assert [a["filename"] for a in attachments] == [file.filename] and file.filename.endswith(".yaml")
    return file.content.decode("utf-8")


async def exported(fake: FakeDiscord, payload: Json) -> tuple[Json, Recorded]:
    """An export's private answer (its embed, and the request carrying the file): the response itself, or, where a
    busy host kept the file's writing (off the loop) past the bot's defer, the edit after the defer."""
    body = await fake.interact(payload)
    if body["type"] == 4:
        return private_embed(body), callback_of(fake, payload)
    assert body == {"type": 5, "data": {"flags": EPHEMERAL}}
    edit = await fake.followups(payload)
    return edit.body["embeds"][0], edit


async def test_export_answers_an_admin_privately_with_the_pack_as_a_file(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    payload = fake.command("export")
    embed, upload = await exported(fake, payload)
    assert embed["title"] == CAT("discord.export_title")
    loaded = read_pack_text(pack_of(upload), "export.yaml")
    assert pack_mapping(loaded) == pack_mapping(await repository.briefing())


async def test_an_export_says_it_leaves_out_a_text_path_a_chat_typed(bot: BriefbotClient, fake: FakeDiscord, tmp_path: Path) -> None:
    """An export writes a `text:` path only where a pack file set it, so a path an admin typed here was missing from the
    file without a word: `briefbot export` warned the operator on standard error, the chat admin learned nothing."""
    source = "cubaheadlines-2026-02-03"
    embed, _ = await exported(fake, fake.command("export"))  # every path a pack file set: nothing to say
    assert embed["description"] == literal(readers_text(CAT, "discord.export_done", file="petro-trump-2026-v1.yaml"))
    notes = tmp_path / "notes.txt"
    typed = fake.command("set", {"kind": "source", "id": source, "field": "text", "value": str(notes)})
    assert private_embed(await fake.interact(typed))["title"] == f"Revision 2: source/{source} changed"
    for locale in ("en-US", "es-ES"):
        embed, upload = await exported(fake, fake.command("export", locale=locale))
        said = catalogue_for(locale)("export.texts_left_out", n=1, sources=source)
        assert embed["description"].endswith(f"\n\n{literal(said)}"), embed
        assert str(notes) not in pack_of(upload)
    assert said.startswith(f"Este archivo omite la ruta text: de la fuente {source}: no consta que ningún archivo de paquete del servidor")


async def test_a_spanish_admin_is_sent_to_the_commands_and_kinds_their_menu_shows(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """The export's note and an edit's refusal name /importar and `tipo:sesión`, as the Spanish menu and `tipo:` show them."""
    note, _ = await exported(fake, fake.command("export", locale="es-ES"))
    assert note["description"].endswith("Adjúntalo a /importar para compararlo o restaurarlo.")
    alias = private_embed(await fake.interact(fake.command("remove", {"kind": "meeting", "id": "meeting"}, locale="es-419")))
    assert alias["description"].endswith("Para añadir o quitar sesiones, usa tipo:sesión id:…")
    used = private_embed(await fake.interact(fake.command("remove", {"kind": "person", "id": "donald-trump"}, locale="es-ES")))
    assert " ".join(used["description"].split()).endswith("Para verlos todos: /usos tipo:persona id:donald-trump")
    # /usos of a kind nothing names lists the kinds that can be named as tipo: offers them, not by their English ids.
    kinds = private_embed(await fake.interact(fake.command("uses", {"kind": "quote", "id": "x"}, locale="es-ES")))
    assert kinds["description"] == "Solo estos tipos son mencionados por otros elementos: persona, fuente."


async def test_a_spanish_discord_admin_sees_a_kind_of_two_words_as_its_list_shows_it(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    """`tipo:"pregunta frecuente"`: quotes are how a typed line (the console, Slack) holds two words, but Discord's menu
    picks the kind from a list, where no quote belongs. Help's examples and kind option, and a refusal naming the kind,
    show it as the list does; the console's help still quotes it, as its line parser reads it back."""

    def shown(embed: Json) -> str:
        return "\n".join([embed.get("description", ""), *(f"{f['name']}: {f['value']}" for f in embed.get("fields", []))])

    pages = {name: shown(private_embed(await fake.interact(fake.command("help", {"command": name}, locale="es-ES"))))
             for name in ("add", "remove")}
    assert "añadir tipo:pregunta frecuente id:next-steps fuente:" in pages["add"], pages["add"]
    assert "quitar tipo:pregunta frecuente id:next-steps motivo:Duplicada" in pages["remove"], pages["remove"]
    assert f"tipo: Qué quitar: {kinds_listed('es', typed=False)}" in pages["remove"]
    refused = private_embed(await fake.interact(fake.command("remove", {"kind": "faq", "id": "nope"}, locale="es-ES")))
    assert "tipo:pregunta frecuente con el id «nope»" in refused["description"], refused
    assert not [page for page in (*pages.values(), refused["description"]) if '"pregunta frecuente"' in page]
    console = render_text(await ask(core_over(repository), "ayuda quitar", locale="es"))
    assert 'quitar tipo:"pregunta frecuente" id:next-steps motivo:Duplicada' in console, console


async def test_export_of_the_briefing_named_and_a_non_admin_is_refused_it(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    """Discord's /export had no `briefing:`: it always exported the channel's briefing."""
    await repository.save(read_pack(SUMMIT))
    payload = fake.command("export", {"briefing": SUMMIT_ID})
    embed, upload = await exported(fake, payload)
    assert embed["title"] == CAT("discord.export_title")
    loaded = read_pack_text(pack_of(upload), "export.yaml")
    assert loaded.id == SUMMIT_ID and pack_mapping(loaded) == pack_mapping(await repository.briefing(SUMMIT_ID))
    stranger = fake.command("export", {"briefing": SUMMIT_ID}, user_id=OTHER_USER_ID, roles=(), permissions=MANAGE_GUILD)
    assert private_embed(await fake.interact(stranger))["description"] == denial("/export")
    assert callback_of(fake, stranger).files == ()


async def test_export_acknowledged_first_edits_its_placeholder_with_the_file(
    fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    async with running(fake, core_over(repository), defer_after=0):
        payload = fake.command("export")
        assert await fake.interact(payload) == {"type": 5, "data": {"flags": EPHEMERAL}}
        edit = await fake.followups(payload)
        assert edit.method == "PATCH" and edit.body["embeds"][0]["title"] == CAT("discord.export_title")
        assert pack_mapping(read_pack_text(pack_of(edit), "export.yaml")) == pack_mapping(await repository.briefing())
        stranger = fake.command("export", user_id=OTHER_USER_ID, roles=())
        assert await fake.interact(stranger) == {"type": 5, "data": {"flags": EPHEMERAL}}
        refused = await fake.followups(stranger)
        assert refused.body["embeds"][0]["description"] == denial("/export") and refused.files == ()


async def test_a_modal_submitted_after_a_restart_edits_the_item_with_its_base(
    fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    async with running(fake, core_over(repository)):
        mine = await open_modal(fake, "set", {"kind": "meeting", "field": "venue", "reason": "moved"})
        theirs = await open_modal(fake, "set", {"kind": "meeting", "field": "venue", "reason": "moved"})
    async with running(fake, core_over(repository)):  # a new process: nothing kept from the first
        embed = private_embed(await fake.interact(fake.submit(theirs, {"venue": "Blair House, Washington"})))
        assert [f["name"] for f in embed["fields"]] == ["venue", "translations"]
        assert "Blair House" in await meeting_venue(fake)
        stale = private_embed(await fake.interact(fake.submit(mine, {"venue": "Camp David"})))
        assert stale["title"] == CAT("error.user_title") and "Blair House" in stale["description"]
        assert not fake.unanswered()
    history = await repository.revisions("petro-trump-2026", "session", "meeting", limit=1)
    # The reason waited in the first process's memory; the edit itself needed only the modal's custom id.
    assert history[0].actor == str(USER_ID) and not history[0].note
    assert pack_mapping(await repository.briefing())["sessions"][0]["venue"] == "Blair House, Washington"


async def test_form_buttons_work_after_a_restart(fake: FakeDiscord, repository: SqliteBriefingRepository) -> None:
    async with running(fake, core_over(repository)):
        done = fake.submit(await open_modal(fake, "set", {"kind": "meeting"}), {"title": "The White House meeting"})
        more = buttons((await fake.interact(done))["data"])[CAT("discord.form_more")]
        refused = fake.submit(await open_modal(fake, "set", {"kind": "timeline", "id": "visa-revoked"}), {"date": "someday"})
        retry = buttons((await fake.interact(refused))["data"])[CAT("discord.form_retry")]
    async with running(fake, core_over(repository)):
        second = await fake.interact(fake.click(fake.message_of(done), more["custom_id"]))
        assert second["type"] == MODAL and list(inputs(second["data"]))[0] == "note"
        again = await fake.interact(fake.click(fake.message_of(refused), retry["custom_id"]))
        # What was typed was kept in memory only: the form opens again with the stored date.
        assert again["type"] == MODAL and inputs(again["data"])["date"]["value"] != "someday"
        assert not fake.unanswered()


async def test_a_form_opened_with_briefing_reads_and_writes_that_briefing_even_after_a_restart(fake: FakeDiscord, store: Store) -> None:
    await add_other(store)
    repository = store.repository
    async with running(fake, core_over(repository)):
        set_there = {"kind": "meeting", "field": "venue", "value": "Blair House, Washington", "briefing": OTHER_ID}
        private_embed(await fake.interact(fake.command("set", set_there)))
        modal = await open_modal(fake, "set", {"kind": "meeting", "field": "venue", "briefing": OTHER_TITLE})  # named by title: carried by its id
        assert modal["title"] == CAT("discord.form_edit_in", item="session/meeting", briefing=OTHER_ID)
        assert inputs(modal)["venue"]["value"] == "Blair House, Washington"  # that briefing's, not the channel's
        added = await open_modal(fake, "add", {"kind": "faq", "id": "venue-change", "briefing": OTHER_ID})
        assert added["title"] == CAT("discord.form_add_in", item="faq/venue-change", briefing=OTHER_ID)
    async with running(fake, core_over(repository)):  # a new process: the briefing travels in the custom ids
        done = fake.submit(modal, {"venue": "Camp David"})
        more = buttons((await fake.interact(done))["data"])[CAT("discord.form_more")]
        second = await fake.interact(fake.click(fake.message_of(done), more["custom_id"]))
        assert second["data"]["title"] == modal["title"]
        private_embed(await fake.interact(fake.submit(second["data"], {"delegation": "three officials"})))
        answers = {"question": "Where do they meet?", "answer": "At Camp David.", "sources": "cubaheadlines-2026-02-03",
                   "evidence": "Petro has crafted a diverse agenda in Washington."}
        assert private_embed(await fake.interact(fake.submit(added, answers)))["title"].endswith(f"faq/venue-change in {OTHER_ID} added")  # not the channel's
    other, shipped = pack_mapping(await repository.briefing(OTHER_ID)), pack_mapping(await repository.briefing())
    assert (other["sessions"][0]["venue"], other["sessions"][0]["delegation"]) == ("Camp David", "three officials")
    assert shipped["sessions"][0]["venue"] == VENUE and shipped["sessions"][0]["delegation"] != "three officials"
    assert "venue-change" in {f["id"] for f in other["faq"]} and "venue-change" not in {f["id"] for f in shipped["faq"]}


async def test_a_form_whose_item_and_briefing_ids_do_not_fit_together_carries_the_briefing_by_its_print(
    fake: FakeDiscord, store: Store
) -> None:
    """Dropping the briefing would edit the channel's after a restart: where its id does not fit, its print stands for it."""
    shipped = read_pack(PACK)
    long_item, long_briefing = "q" * 64, "b" * 64
    await store.repository.save(replace(shipped, id=long_briefing, faq=(replace(shipped.faq[0], id=long_item), *shipped.faq[1:])))
    async with running(fake, core_over(store.repository)):
        modal = await open_modal(fake, "set", {"kind": "faq", "id": long_item, "briefing": long_briefing, "reason": "clearer"})
        assert len(modal["custom_id"]) <= 100 and long_briefing not in modal["custom_id"]
        assert (await open_modal(fake, "set", {"kind": "meeting", "briefing": long_briefing}))["title"].startswith("Edit session/meeting in")
    async with running(fake, core_over(store.repository)):  # a new process: no memo, the print alone names the briefing
        done = private_embed(await fake.interact(fake.submit(modal, {"answer": "Clearer."})))
        assert done["title"].endswith(f"faq/{long_item} in {long_briefing} changed"), done
    assert (await store.repository.briefing(long_briefing)).faq[0].answer == "Clearer."
    assert (await store.repository.briefing()).faq[0].answer != "Clearer."


async def test_a_form_edits_the_briefing_it_was_read_from_after_another_admin_switches_the_channel(
    fake: FakeDiscord, store: Store
) -> None:
    """Its custom id named no briefing: submitted after /use chose another, it read "There is no revision 1.", and "Edit
    again" then wrote into the briefing the channel had switched to."""
    await add_other(store)
    shipped = await store.repository.briefing()
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), choices=store.choices)
    async with running(fake, core):
        mine = await open_modal(fake, "set", {"kind": "meeting", "field": "date"})
        assert mine["title"] == CAT("discord.form_edit", item="session/meeting")  # the channel's: no need to say which
        private_embed(await fake.interact(fake.command("use", {"briefing": OTHER_ID})))  # a colleague switches #general
        submitted = fake.submit(mine, {"format": "Changed format"})
        body = await fake.interact(submitted)
        done = private_embed(body)
        assert done["title"].endswith(f"session/meeting in {shipped.id} changed"), done  # said, as it is not the channel's now
        more = await fake.interact(fake.click(fake.message_of(submitted), buttons(body["data"])[CAT("discord.form_more")]["custom_id"]))
        assert more["data"]["title"] == CAT("discord.form_edit_in", item="session/meeting", briefing=shipped.id)
    assert (await store.repository.briefing()).sessions[0].format == "Changed format"
    assert (await store.repository.briefing(OTHER_ID)).sessions[0].format == shipped.sessions[0].format


async def test_a_form_that_cannot_travel_in_a_custom_id_is_refused_clearly(bot: BriefbotClient, fake: FakeDiscord) -> None:
    long_id = "x" * 65  # longer than any id may be
    embed = private_embed(await fake.interact(fake.command("add", {"kind": "faq", "id": long_id})))
    assert embed["description"] == CAT("discord.form_unfit", item=f"faq/{long_id}")
    unreadable = fake.submit({"custom_id": "bb:f:xmeeting:::", "components": []}, {})
    assert private_embed(await fake.interact(unreadable))["description"] == readers_text(CAT, "discord.form_expired")
    assert not fake.unanswered()


def test_form_ids_fit_discord_and_give_their_extras_only_to_their_owner() -> None:
    keys, base = FormKeys(), 16**8 - 1
    ask = Ask("set", "timeline", "a" * 64, start="note", provenance=(("reason", "moved"),))
    custom_id = keys.encode(ask, "1", base)
    assert custom_id is not None and len(custom_id) <= 100
    assert keys.decode(custom_id, "1") == (ask, base)
    assert keys.decode(custom_id, "2") == (replace(ask, provenance=()), base)
    # When even the memo's token does not fit, the extras are dropped and the form still travels.
    huge = keys.encode(ask, "1", 16**12 - 1)
    assert huge is not None and keys.decode(huge, "1") == (replace(ask, provenance=()), 16**12 - 1)
    assert keys.encode(replace(ask, item_id="Not an id"), "1") is None
    # The briefing is never dropped: without it a submission would edit the channel's briefing.
    there = replace(ask, item_id="a" * 30, briefing="b" * 32)
    named = keys.encode(there, "1", base)
    assert named is not None and len(named) <= 100 and keys.decode(named, "1") == (there, base)
    # Beside the longest item id, the longest briefing id travels as its print.
    longest = replace(ask, kind="timeline", item_id="a" * 64, briefing="b" * 64)
    printed = keys.encode(longest, "1", base)
    assert printed is not None and len(printed) <= 100 and "b" * 64 not in printed
    alone = keys.decode(printed, "1")  # no room for the memo's token: the print alone, found among the stored ids
    assert alone is not None and found_briefing(alone[0], ["b" * 63, "b" * 64]) == replace(longest, provenance=())
    assert found_briefing(alone[0], ["b" * 63]) is None  # removed since: the form is not sent to another


def assert_every_window_travels() -> None:
    """Each window of each kind's form (`FORM_FIELDS`), and no start (the first window), read back as written beside the
    longest item and briefing ids and base a form carries: a start read as another opens another window."""
    keys, base = FormKeys(), 16**8 - 1
    for kind, fields in FORM_FIELDS.items():
        for start in (None, *fields):
            custom_id = keys.encode(Ask("set", kind, "a" * 64, start=start, briefing="b" * 64), "1", base)
            assert custom_id is not None, (
                f"a {kind} form's window at {start} (of {len(fields)} fields) does not fit in Discord's 100-character custom id:"
                " see the budget in bot/adapters/discord_app/formkeys.py"
            )
            read = keys.decode(custom_id, "1")
            assert read is not None and read[0].start == start, (
                f"a {kind} form's window at {start} (of {len(fields)} fields) comes back as {read and read[0].start}: {custom_id}"
            )


def test_every_window_of_every_kinds_form_travels_in_its_custom_id() -> None:
    assert_every_window_travels()


def test_a_form_of_sixteen_fields_or_more_opens_the_window_it_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """One hex digit held the start: no start read as 15, so a 16th field's window opened in place of the first, and a
    17th field's "10" was refused as a form of an older version. Ids written before still read as they did."""
    session = FORM_FIELDS["session"]
    assert FormKeys().decode("bb:f:ssession::1f::meeting:petro-trump-2026", "1") == (Ask("set", "session", "meeting", None, "petro-trump-2026"), 31)
    assert FormKeys().decode("bb:f:ssession:e:1f::meeting:petro-trump-2026", "1") == (Ask("set", "session", "meeting", session[14], "petro-trump-2026"), 31)
    for count in (16, 17, 255):
        monkeypatch.setitem(FORM_FIELDS, "session", tuple(f"field{n}" for n in range(count)))
        assert_every_window_travels()


async def test_a_first_window_of_a_form_of_sixteen_fields_saves_what_was_typed(
    bot: BriefbotClient, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 16th field made every first window's submission answer "Nothing was changed": its custom id's empty start was read
    as the 16th field's window, which holds none of the inputs typed. A kind cannot be added here without a model and a
    Briefing section, so the custom ids index a session's form as one with a field added before its own would."""
    monkeypatch.setitem(FORM_FIELDS, "session", ("added", *FORM_FIELDS["session"]))
    confirmation = fake.submit(await open_modal(fake, "set", {"kind": "meeting"}), {"title": "The White House meeting"})
    body = await fake.interact(confirmation)
    embed = private_embed(body)
    assert embed["title"].endswith("session/meeting changed") and embed["fields"][0]["name"] == "title", embed
    more = buttons(body["data"])[CAT("discord.form_more")]
    second = await fake.interact(fake.click(fake.message_of(confirmation), more["custom_id"]))
    assert second["type"] == MODAL and list(inputs(second["data"]))[0] == "note"


HEAD_FIELDS = ["title", "summary", "evidence", "zone", "label"]
NEW_PASSAGE = "Petro has crafted a diverse agenda in Washington."  # in the shipped source's text


async def test_set_kind_briefing_opens_the_heads_own_form_and_saves_it_with_its_history(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    """`/set kind:briefing` with no field opened nothing ("Say what to set"): the head now has its form, like any item."""
    shipped = await repository.briefing()
    modal = await open_modal(fake, "set", {"kind": "briefing", "source": "cubaheadlines-2026-02-03", "reason": "a shorter summary"})
    shown = inputs(modal)
    assert modal["title"] == CAT("discord.form_edit", item=f"briefing/{shipped.id}") and list(shown) == HEAD_FIELDS
    assert (shown["title"]["value"], shown["zone"]["value"], shown["label"]["value"]) == (shipped.title, "America/New_York", "Washington")
    assert shown["summary"]["style"] == shown["evidence"]["style"] == 2 and shown["evidence"]["description"] is None
    assert shown["evidence"]["value"] == "\n\n".join(piece.passage for piece in shipped.summary_evidence)
    evidence = f"{shown['evidence']['value']}\n\n{NEW_PASSAGE}"
    embed = private_embed(await fake.interact(fake.submit(modal, {"summary": "Petro meets Trump.", "evidence": evidence})))
    assert embed["title"].endswith(f"briefing/{shipped.id} changed"), embed
    edited = await repository.briefing()
    assert edited.summary == "Petro meets Trump." and edited.summary_evidence[-1].passage == NEW_PASSAGE
    (logged,) = await repository.revisions(shipped.id, "head", shipped.id, limit=1)
    assert (logged.platform, logged.actor, logged.note, logged.source) == ("discord", str(USER_ID), "a shorter summary", "cubaheadlines-2026-02-03")
    # Sent back untouched, it changes nothing; `field:` completes the head's fields (the kind menu: test_discord_languages).
    assert private_embed(await fake.interact(fake.submit(await open_modal(fake, "set", {"kind": "briefing"}), {})))["title"] == CAT("form.unchanged")
    fields = await fake.interact(fake.autocomplete("set", "field", "sum", {"kind": "briefing"}))
    assert fields["data"]["choices"][0]["value"] == "summary"


async def test_a_heads_form_refuses_a_stale_edit_and_a_new_passage_without_its_source(
    bot: BriefbotClient, fake: FakeDiscord, repository: SqliteBriefingRepository
) -> None:
    mine = await open_modal(fake, "set", {"kind": "briefing"})
    assert inputs(mine)["evidence"]["description"] == readers_text(CAT, "discord.hint_head_source")  # no `source:` given
    theirs = await open_modal(fake, "set", {"kind": "briefing"})
    private_embed(await fake.interact(fake.submit(theirs, {"title": "Petro at the White House"})))
    refused = fake.submit(mine, {"summary": "Mine."})
    body = await fake.interact(refused)
    stale = private_embed(body)
    assert "changed since you read it" in stale["description"] and "Petro at the White House" in stale["description"]
    again = await fake.interact(fake.click(fake.message_of(refused), buttons(body["data"])[CAT("discord.form_retry")]["custom_id"]))
    assert again["type"] == MODAL and inputs(again["data"])["summary"]["value"] == "Mine."
    uncited = inputs(again["data"])["evidence"]["value"] + f"\n\n{NEW_PASSAGE}"
    needs = private_embed(await fake.interact(fake.submit(again["data"], {"evidence": uncited})))
    assert needs["description"] == readers_text(CAT, "admin.head_needs_source")
    assert private_embed(await fake.interact(fake.submit(again["data"], {})))["title"].endswith("changed")
    saved = await repository.briefing()
    assert (saved.summary, saved.title) == ("Mine.", "Petro at the White House")  # the colleague's title is not sent back over


async def test_a_heads_form_for_a_named_briefing_edits_that_one_after_a_restart_in_spanish(fake: FakeDiscord, store: Store) -> None:
    """The head's item is its briefing: named once in the custom id, it is never the channel's after a restart."""
    await add_other(store)
    repository = store.repository
    async with running(fake, core_over(repository)):
        modal = await open_modal(fake, "set", {"kind": "briefing", "briefing": OTHER_TITLE}, locale="es-ES")
        assert modal["title"] == catalogue_for("es")("discord.form_edit", item=f"briefing/{OTHER_ID}")
        assert inputs(modal)["title"]["value"] == OTHER_TITLE and modal["custom_id"].count(OTHER_ID) == 1
        assert inputs(modal)["evidence"]["description"] == readers_text(catalogue_for("es"), "discord.hint_head_source")
    async with running(fake, core_over(repository)):
        embed = private_embed(await fake.interact(fake.submit(modal, {"label": "Washington D.C."}, locale="es-ES")))
        assert embed["title"].endswith(f"briefing/{OTHER_ID} cambiado"), embed
    assert (await repository.briefing(OTHER_ID)).zones[0].label == "Washington D.C."
    assert (await repository.briefing()).zones[0].label == "Washington"


async def test_a_heads_passages_over_an_input_are_left_out_of_its_form_never_cut(fake: FakeDiscord, store: Store) -> None:
    shipped = read_pack(PACK)
    passages = tuple(Evidence("cubaheadlines-2026-02-03", f"Passage {n}: " + ("the officials met and talked " * 17).strip()) for n in range(9))
    await store.repository.save(replace(shipped, summary_evidence=passages))
    async with running(fake, core_over(store.repository)):
        modal = await open_modal(fake, "set", {"kind": "briefing"})
        assert list(inputs(modal)) == ["title", "summary", "zone", "label"]
        assert {"type": 10, "content": readers_text(CAT, "discord.form_too_long", field="evidence", limit=VALUE_LIMIT)} in modal["components"]
        private_embed(await fake.interact(fake.submit(modal, {"title": "Petro at the White House"})))
    edited = await store.repository.briefing()
    assert edited.title == "Petro at the White House" and edited.summary_evidence == passages


async def test_a_refusal_names_the_command_as_typed_and_who_can_make_them_an_admin(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """It said "briefing is for briefing admins only; ask one of them to add you in config/briefbot.yaml.": the command cut
    short, and a file only the operator can change, with no word of restarting or of Discord's roles."""
    member = {"user_id": OTHER_USER_ID, "roles": (), "permissions": MANAGE_GUILD}
    refused = private_embed(await fake.interact(fake.command("briefing", {"action": "new"}, **member)))["description"]
    assert refused == denial("/briefing action:new")
    assert refused.startswith("/briefing action:new is for briefing admins only. Only the bot's operator can make you one")
    assert "admin\\_role\\_ids" in refused and "restart the bot" in refused and "config/briefbot.yaml" not in refused
    spanish = {**fake.command("undo", {}, **member), "locale": "es-ES"}
    assert private_embed(await fake.interact(spanish))["description"] == denial("/deshacer", catalogue_for("es"))


async def test_help_autocomplete_offers_an_admin_the_admin_commands_help_lists_them(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """`/help command:` offered an admin only the public commands ("s": search, sources), though help lists and answers
    `set`, `subscribe` and `subscriptions` for them; a reader who is no admin is still offered only the public ones."""
    admin = (await fake.interact(fake.autocomplete("help", "command", "s")))["data"]["choices"]
    assert {"set", "subscribe", "subscriptions", "search", "sources"} <= {choice["value"] for choice in admin}, admin
    reader = (await fake.interact(fake.autocomplete("help", "command", "s", user_id=OTHER_USER_ID, roles=())))["data"]["choices"]
    assert {choice["value"] for choice in reader} >= {"search", "sources"} and "set" not in {c["value"] for c in reader}, reader
    # Discord's own /import too, which help answers (Request.own_commands); to an admin alone, as the list shows it.
    assert "import" in {c["value"] for c in (await fake.interact(fake.autocomplete("help", "command", "imp")))["data"]["choices"]}
    reader = (await fake.interact(fake.autocomplete("help", "command", "imp", user_id=OTHER_USER_ID, roles=())))["data"]["choices"]
    assert "import" not in {c["value"] for c in reader}, reader


# An option typed on a command line: `kind:session`, `tipo:sesión`; never a URL's `https://` nor a time's `11:00`.
OPTION_TYPED = re.compile(r"(?<![\w/.:\\-])([^\W\d_][\w-]*):(?=[^\s/])")
COMMAND_NAMED = re.compile(r"(?<![\w/.:])/([^\W\d_][\w-]*)")


def options_named_wrongly(text: str, schema: dict[str, set[str]], default: str) -> list[str]:
    """Each `option:` of `text` that the command it follows on its line (`/command`, else `default`: the answer's own,
    "" any command) has no field for in `schema`."""
    wrong = []
    for line in text.splitlines():
        command, at = default, 0
        for named in [*COMMAND_NAMED.finditer(line), None]:
            end = named.start() if named else len(line)
            wrong += [f"/{command} {option}:" for option in OPTION_TYPED.findall(line, at, end) if option not in schema[command]]
            if named:
                command, at = (named[1] if named[1] in schema else command), named.end()
    return wrong


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
async def test_admin_hints_on_discord_give_only_options_its_commands_have(
    fake: FakeDiscord, repository: SqliteBriefingRepository, tmp_path: Path, locale: str
) -> None:
    """`/briefing action:new` said "/set kind:briefing summary:… evidence:… source:ID" and `/help command:set`'s example
    was "set kind:session … status:concluded outcome:…": Discord's /set has one field:/value: pair and no summary: at all.
    Every option a hint names is one the command, as the reader's menu lists it, has a field for; the console's own
    help, asked first of the same core, is not the one Discord is given."""
    core = core_over(repository)
    console = [render_text(await ask(core, line, locale=locale[:2])) for line in ("/help set", "/help add")]
    fields = {"en-US": ("outcome:", "question:"), "es-ES": ("resultado:", "pregunta:")}[locale]  # in the reader's words
    assert fields[0] in console[0] and fields[1] in console[1]  # a line takes every field: the console's own syntax
    await sync(Settings(discord=DiscordSettings(api_base=fake.api_base, gateway=fake.gateway), env={"DISCORD_TOKEN": TOKEN}), COMMANDS, state_dir=tmp_path)

    def local(entry: Json) -> str:
        return str(entry.get("name_localizations", {}).get(locale, entry["name"]))

    schema = {local(command): {local(option) for option in command.get("options", [])} for command in fake.commands["global"]}
    schema[""] = set().union(*schema.values())  # "Add briefing:ID to each step": an option of the commands that follow
    cat = catalogue_for(locale)

    def said(embed: Json) -> str:
        return "\n".join([embed.get("description", ""), *(f"{f['name']}\n{f['value']}" for f in embed.get("fields", []))])

    async with running(fake, core):
        pages = {
            local_command(name, cat.locale): said(private_embed(await fake.interact(fake.command("help", {"command": name}, locale=locale))))
            for name in ("set", "add")
        }
        made = private_embed(await fake.interact(fake.command("briefing", {"action": "new", "id": "geneva", "title": "Geneva"}, locale=locale)))
    pages[""] = said(made)
    for command, text in pages.items():
        assert options_named_wrongly(text, schema, command) == [], text
        assert not {"summary", "status", "outcome", "question", "answer", "evidence"} & set(OPTION_TYPED.findall(text)), text
    field, value = local_option("field", cat.locale), local_option("value", cat.locale)
    assert f"{field}:{local_field('status', cat.locale)} {value}:concluded" in pages[local_command("set", cat.locale)]
    assert f"{field}:{local_field('language', cat.locale)} {value}:…" in pages[""]
