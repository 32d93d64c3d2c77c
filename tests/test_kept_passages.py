"""A `set` that changes what an item's passages stand behind, and not the passages, reminds the admin of the passage kept.

A new date under an old passage reads to everyone as a date its source gives: the answer quotes the passage and asks
for it to be checked or replaced (docs/admin-guide.md). Through the real core and a real store, as tests/test_admin.py.
"""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from bot.adapters.discord_app.markdown import literal
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.kinds import HEAD_FIELDS, KINDS
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store.packfile import read_pack_text
from bot.store.repository import SqliteBriefingRepository
from tests.discord_fake import USER_ID, FakeDiscord
from tests.discord_support import connected
from tests.test_admin import OPERATOR
from tests.test_discord_admin import private_embed

LECTURE = "set kind:agenda id:georgetown-lecture"
KEPT_DATE = (
    "Its passage is unchanged: “deliver a climate change lecture at Georgetown University” (CubaHeadlines). "
    'Check it still supports the new date and time, or replace it with evidence:"…" or add one that does with passage:"…".'
)


@pytest.fixture
def admin_core(repository) -> BriefingCore:
    """The core as the CLI builds it, the operator an admin."""
    return BriefingCore(repository, pack_reader=read_pack_text)


async def edit(core: BriefingCore, line: str, locale: str = "en") -> Reply:
    reply = await core.dispatch_line(line, replace(OPERATOR, locale=locale))
    assert reply.kind == "answer", reply.text
    return reply


async def test_a_new_date_and_time_under_a_kept_passage_quote_it_and_ask_for_it_to_be_checked(admin_core: BriefingCore) -> None:
    reply = await edit(admin_core, f"{LECTURE} date:2026-02-05 time:09:00")
    assert [f.name for f in reply.fields] == ["date", "time"]
    assert reply.text == KEPT_DATE


async def test_a_new_answer_in_spanish_counts_its_passages_and_quotes_the_first_shortened(admin_core: BriefingCore) -> None:
    reply = await edit(admin_core, 'set kind:faq id:main-topics answer:"Migration and trade."', "es")
    # After the note that Spanish readers now read the new answer untranslated (its translation went with the edit).
    assert reply.text.split("\n\n")[-1] == (
        "Sus 2 pasajes no han cambiado; el primero: «The meeting will focus on reestablishing direct dialogue channels and "
        "addressing bilateral priorities like migration, anti-drug cooperation, trade, and…» (CubaHeadlines). Comprueba que "
        'siguen respaldando el cambio de respuesta, o sustitúyelos con pasajes:"…" o añade uno que lo respalde con pasaje:"…".'
    )


async def test_no_reminder_when_the_passages_change_too_or_only_what_they_do_not_state(admin_core: BriefingCore) -> None:
    """New passages are the admin's own check (and checked against the text); sources and the venue's label are not what
    a passage states."""
    moved = await edit(admin_core, f'{LECTURE} date:2026-02-05 evidence:"He will meet with the Colombian diaspora at the Martin Luther King library"')
    assert "date" in [f.name for f in moved.fields] and "unchanged" not in moved.text, moved.text
    await edit(admin_core, "add kind:source id:wire publisher:Wire title:Report")
    cited = await edit(admin_core, f"{LECTURE} sources:cubaheadlines-2026-02-03,wire")
    assert [f.name for f in cited.fields] == ["sources"] and cited.text == ""
    relabelled = await edit(admin_core, "set kind:briefing label:Capital")
    assert "unchanged" not in relabelled.text and relabelled.text.startswith("Readers of Spanish now read the venue's label as “Capital”"), relabelled.text


def test_passages_attest_every_field_but_the_id_sources_passages_translations_and_the_briefings_settings() -> None:
    assert [f.name for f in KINDS["agenda"].fields_all if f.attested] == ["title", "detail", "date", "time", "zone", "place", "people"]
    assert [f.name for f in HEAD_FIELDS if f.attested] == ["title", "summary"]  # not the venue's clock, nor the pack's language


async def test_a_new_summary_under_the_heads_kept_passages_is_reminded_as_an_items(admin_core: BriefingCore) -> None:
    reply = await edit(admin_core, 'set kind:briefing summary:"Petro meets Trump."')
    kept = reply.text.split("\n\n")[-1]  # after the translation note, as above
    assert kept.startswith("Its 8 passages are unchanged, the first: “In the early hours of Monday")
    assert kept.endswith('Check they still support the new summary, or replace them with evidence:"…" or add one that does with passage:"…".')


async def test_a_discord_set_shows_the_reminder_as_written(fake: FakeDiscord, repository: SqliteBriefingRepository) -> None:
    core = BriefingCore(repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), pack_reader=read_pack_text)
    async with connected(fake, core):
        options = {"kind": "agenda", "id": "georgetown-lecture", "field": "time", "value": "09:00"}
        await fake.interact(fake.command("set", {**options, "field": "date", "value": "2026-02-05"}))
        embed = private_embed(await fake.interact(fake.command("set", options)))
    assert embed["description"] == literal(KEPT_DATE.replace("date and time", "time"))
