"""`why <item>` (issue #15 §2): every item a reader sees can show the passage behind it, its source
and when it last changed — on the console, and on the CLI as a subprocess."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.console import render_text
from bot.core.admin.policy import AdminPolicy
from bot.core.catalogue import catalogue_for
from bot.core.commands.why import every_item, find_items, naming_words
from bot.core.index import BriefingIndex
from bot.core.kinds import PACK_KINDS
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.core.text import fold
from bot.store import Store
from bot.store.packfile import read_pack, read_pack_text
from bot.store.repository import _size
from tests.cli_support import briefbot
from tests.conftest import PACK, ask

SHIPPED = read_pack(PACK)
LABEL = "CubaHeadlines (Joseph Morales), “Gustavo Petro Arrives in Washington for High-Stakes Meeting with Trump: What's at Stake?”, 3 February 2026"
EDITED_AT = datetime(2026, 2, 3, 18, 0, tzinfo=UTC)
OPERATOR = Request(command="", now=EDITED_AT, platform="cli", operator=True, user_id="operator")


async def operators_addition(store: Store) -> int:
    """The operator adds timeline/new-talks at EDITED_AT, as `briefbot admin add` does: the revision's number."""
    admin = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    added = await admin.dispatch_line(
        'add kind:timeline id:new-talks date:2026-02-03 title:"New talks" detail:"They talk." '
        'evidence:"Accompanied by a delegation of over ten high-ranking officials" source:cubaheadlines-2026-02-03', OPERATOR)
    assert added.kind == "answer", added.text
    (latest,) = await store.repository.revisions(SHIPPED.id, "timeline", "new-talks", limit=1)
    return int(latest.id)
# The pack guide, which says what `why meeting` answers where there are several sessions.
DATA_PACK_GUIDE = Path(__file__).resolve().parent.parent / "docs" / "data-pack.md"


@pytest.mark.article
@pytest.mark.usefixtures("article_read")  # the passage is shown as checked only where the store reads the article
async def test_why_shows_the_passage_its_source_and_that_it_is_as_loaded(core: BriefingCore) -> None:
    reply = await ask(core, "/why timeline/visa-revoked")
    assert reply.title == "Why: Trump revokes Petro's visa"
    (passage,) = reply.items
    assert passage.title == LABEL and passage.meta == "No link recorded"
    assert passage.text == "“Trump revokes Petro's visa for \"reckless actions.\"”"
    assert [(f.name, f.value) for f in reply.fields] == [("Last changed", "Not edited since the briefing was loaded (revision 1)")]


async def test_every_item_a_reader_sees_has_a_passage_to_show(core: BriefingCore) -> None:
    refs = [found.ref for found in every_item(BriefingIndex(SHIPPED))]
    assert len(refs) == 2 + len(SHIPPED.timeline) + len(SHIPPED.people) + len(SHIPPED.agenda) + len(SHIPPED.quotes) + len(SHIPPED.faq) + len(SHIPPED.context)
    for ref in refs:
        reply = await ask(core, f"/why {ref}")
        assert reply.kind == "answer" and reply.items, ref
        assert all(item.text.startswith("“") for item in reply.items), ref


async def test_words_of_a_title_name_an_item_and_several_matches_are_listed(core: BriefingCore) -> None:
    assert (await ask(core, "/why Georgetown")).title == "Why: Climate change lecture at Georgetown University"
    assert (await ask(core, "/why garcia pena")).title == "Why: Daniel García-Peña"  # accents and case do not matter
    assert (await ask(core, "/why trump visa")).title == "Why: Trump revokes Petro's visa"  # every word must match
    several = await ask(core, "/why visa")
    assert several.kind == "error"
    assert several.text == ("“visa” matches 2 entries: “Trump revokes Petro's visa” and “Petro receives a special U.S. visa”. "
                            "Add more words of the title, e.g. /why revokes Petro's visa.")
    none = await ask(core, "/why zebra")
    assert none.kind == "error" and none.text.startswith("Nothing in this briefing is called “zebra”.")


async def test_an_edit_is_shown_with_its_time_and_a_new_sources_link(store: Store, core: BriefingCore) -> None:
    admin = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    await admin.dispatch_line('add kind:source id:wire publisher:"A wire service" title:Report url:https://example.org/r', OPERATOR)
    edited = await admin.dispatch_line('set kind:faq id:significance evidence:"A wire passage." source:wire', OPERATOR)
    assert edited.kind == "answer", edited.text
    reply = await ask(core, "/why faq/significance")
    # A source added in a chat has no text: nothing checked its passage (docs/data-pack.md, "Paywalled sources").
    assert [(i.text, i.meta) for i in reply.items] == [("“A wire passage.” (not checked against the source's text)", "https://example.org/r")]
    (changed,) = reply.fields
    (latest,) = await store.repository.revisions(SHIPPED.id, "faq", "significance", limit=1)
    assert changed.value == f"3 February 2026, 18:00 UTC (Revision {latest.id} · faq/significance changed)"
    assert changed.moment == EDITED_AT  # for Discord and Slack to show in each reader's clock


def test_why_on_the_cli(tmp_path: Path) -> None:
    result = briefbot("--db", tmp_path / "db.sqlite3", "ask", "/why meeting", "--now", "2026-02-01T12:00:00Z")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("Why: Petro in Washington: the White House meeting with Trump\n")  # a session is named by its title
    assert "“However, both leaders come to this meeting with political incentives:" in text


async def test_the_console_renders_the_summarys_passages(core: BriefingCore) -> None:
    text = render_text(await ask(core, "/why summary"))
    assert "The source passages behind the briefing's summary:" in text
    assert "“In the early hours of Monday, Gustavo Petro landed in Washington" in text


async def test_why_asked_again_is_the_same_answer_until_an_edit(store: Store, core: BriefingCore) -> None:
    """Remembered per briefing version: no store round trip when asked again, and an edit still shows at once."""
    first = await ask(core, "/why faq/significance")
    assert await ask(core, "/why faq/significance") is first
    admin = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    await admin.dispatch_line('add kind:source id:wire publisher:"A wire service" title:Report url:https://example.org/r', OPERATOR)
    await admin.dispatch_line('set kind:faq id:significance evidence:"A wire passage." source:wire', OPERATOR)
    (changed,) = (await ask(core, "/why faq/significance")).fields
    assert changed.value.startswith("3 February 2026, 18:00 UTC (Revision ")


async def test_its_last_change_is_read_without_the_pack_data(store: Store) -> None:
    """`revisions(data=False)`, what `/why` reads: the same revisions, without a load's whole pack to decode (both stores)."""
    admin = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    edited = await admin.dispatch_line('set kind:faq id:significance answer:"A new answer."', OPERATOR)
    assert edited.kind == "answer", edited.text
    for kind, item_id in (("faq", "significance"), ("timeline", "visa-revoked"), ("faq", None), ("briefing", SHIPPED.id)):
        full = await store.repository.revisions(SHIPPED.id, kind, item_id, limit=5)
        heads = await store.repository.revisions(SHIPPED.id, kind, item_id, limit=5, data=False)
        assert [(r.id, r.kind, r.item_id, r.action, r.platform, r.at) for r in heads] == [
            (r.id, r.kind, r.item_id, r.action, r.platform, r.at) for r in full
        ], (kind, item_id)
        assert all(r.before is None and r.after is None for r in heads)
    assert [r.action for r in await store.repository.revisions(SHIPPED.id, "faq", "significance", data=False)] == ["edit", "import"]


def test_an_item_named_by_ref_or_id_is_looked_up_as_the_first_in_order_with_that_ref_or_id() -> None:
    """`find_items` looks a ref or id up by id; it must find what a walk over every item finds (the first with that ref or id)."""
    index = BriefingIndex(SHIPPED)
    every = list(every_item(index))

    def walked(text: str) -> list[object]:
        exact = [found for found in every if text.strip() in (found.ref, found.item_id)]
        words = fold(text).split()
        matching = [found for found in every if words and all(word in fold(found.label) for word in words)]
        whole = [found for found in matching if fold(found.label) == " ".join(words)]
        return exact[:1] or [found for found in whole if found.kind != "summary"] or whole or matching

    odd = ["/visa-revoked", "faq/", "nobody/visa-revoked", "a/b/c", "timeline/", " summary ", "session/meeting", "meeting", "trump visa",
           "Donald Trump", "trump", "nicolas maduro", SHIPPED.title]
    for text in [name for found in every for name in (found.ref, found.item_id)] + odd:
        assert find_items(index, text) == walked(text), text


@pytest.mark.sqlite_only("the read-only probe is the SQLite store's")
async def test_a_short_historys_revision_heads_are_read_on_the_probe(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """What `/why` reads (no data) skips the hop to aiosqlite's thread for a short history (items × version), and sees an edit at once."""
    repo: Any = store.repository
    await repo.briefing(SHIPPED.id)  # held: its size is known
    on_probe: list[str] = []
    repo._probe.connection.set_trace_callback(on_probe.append)
    heads = await repo.revisions(SHIPPED.id, "faq", "significance", data=False)
    assert any("FROM revisions" in sql for sql in on_probe)
    admin = BriefingCore(repo, policy=AdminPolicy(), pack_reader=read_pack_text)
    assert (await admin.dispatch_line('set kind:faq id:significance answer:"A new answer."', OPERATOR)).kind == "answer"
    after = await repo.revisions(SHIPPED.id, "faq", "significance", data=False)
    assert [r.action for r in after] == ["edit", *(r.action for r in heads)]
    on_probe.clear()
    current = await repo.briefing(SHIPPED.id)  # the edit's version held
    history = _size(current) * current.version
    await repo.revisions(SHIPPED.id, "faq", "significance")  # with the data: through aiosqlite, whatever the size
    assert not any("FROM revisions" in sql for sql in on_probe)
    monkeypatch.setattr("bot.store.repository.SHORT_HISTORY", history - 1)  # a longer history: its imports' JSON off the loop
    assert await repo.revisions(SHIPPED.id, "faq", "significance", data=False) == after
    assert not any("FROM revisions" in sql for sql in on_probe)
    monkeypatch.setattr("bot.store.repository.SHORT_HISTORY", history)
    assert await repo.revisions(SHIPPED.id, "faq", "significance", data=False) == after
    assert any("FROM revisions" in sql for sql in on_probe)


async def test_meeting_and_summary_name_the_sessions_and_the_summary_in_every_language(store: Store, core: BriefingCore) -> None:
    """`meeting` is every session (one: the meeting, whatever its id), as `/meeting` lists them; `reunión` and `resumen`
    are the Spanish reader's words for them."""
    for line, locale in (("why meeting", "en"), ("origen reunión", "es"), ("origen REUNION", "es")):
        assert (await ask(core, line, locale=locale)).title.startswith(("Why: Petro in Washington", "Origen: Petro en Washington")), line
    assert (await ask(core, "origen resumen", locale="es")).text == "Los pasajes de las fuentes en que se basa el resumen del informe:"
    summit = Path(__file__).parent / "packs" / "fictional-summit.yaml"
    await store.repository.save(read_pack(summit))
    several = await ask(core, "why meeting briefing:fictional-summit")
    assert several.text == ("“meeting” matches 3 entries: “Opening session”, “Ministers' session” and “Closing vote”. "
                            "Add more words of the title, e.g. /why Opening session.")
    assert f'"{several.text}"' in " ".join(DATA_PACK_GUIDE.read_text(encoding="utf-8").split())  # the guide quotes it as it is
    assert (await ask(core, "why session/ministers briefing:fictional-summit")).title == "Why: Ministers' session"
    none = await ask(core, "origen cebra", locale="es")
    assert none.text == "Nada en este informe se llama «cebra». Prueba con palabras de su título o su nombre, o con resumen o reunión."


@pytest.mark.parametrize(("line", "locale"), [("why visa", "en"), ("origen visa", "es"), ("why petro", "en"), ("why washington", "en"),
                                              ("origen petro", "es"), ("why meeting briefing:fictional-summit", "en")])
async def test_which_one_names_titles_and_words_that_pick_one(store: Store, core: BriefingCore, line: str, locale: str) -> None:
    """Several matches are named by their titles, never by ids, and the example offered answers with one entry."""
    await store.repository.save(read_pack(Path(__file__).parent / "packs" / "fictional-summit.yaml"))
    several = await ask(core, line, locale=locale)
    assert several.kind == "error" and "/" not in several.text.split(":")[0]
    assert "timeline/" not in several.text and "session/" not in several.text
    example = several.text.rpartition("e.g. " if locale == "en" else "por ejemplo: ")[2].removesuffix(".")
    briefing = " briefing:fictional-summit" if "fictional" in line else ""
    picked = await ask(core, example + briefing, locale=locale)
    assert picked.kind == "answer", (example, picked.text)


async def test_help_leads_with_words_of_a_title_in_the_readers_language(core: BriefingCore) -> None:
    """Help names the words `origen` accepts in Spanish, and its example is Spanish words that find one entry."""
    english = await ask(core, "help why")
    assert english.text == "The source passages behind an entry: why and words of its title, why summary or why meeting."
    assert english.fields[-1].value == "why deportation flights"
    spanish = await ask(core, "ayuda origen", locale="es")
    assert "origen resumen, origen reunión" in spanish.text and "summary" not in spanish.text and "timeline/" not in spanish.text
    assert spanish.fields[-1].value == "origen vuelos de deportación"
    for line in ("origen vuelos de deportación", "origen resumen", "origen reunión"):
        assert (await ask(core, line, locale="es")).kind == "answer", line


async def test_a_spanish_reader_reads_the_last_change_in_spanish_words(store: Store, core: BriefingCore) -> None:
    """The action as `history` names it (not the stored "add"), and the time written out, as the rest of the answer is."""
    number = await operators_addition(store)
    (changed,) = (await ask(core, "/origen timeline/new-talks", locale="es")).fields
    assert (changed.name, changed.value) == ("Último cambio", f"3 de febrero de 2026, 18:00 UTC (Revisión {number} · timeline/new-talks añadido)")
    assert changed.moment == EDITED_AT


async def test_a_quote_is_named_by_the_translation_its_reader_is_shown(core: BriefingCore) -> None:
    """A Spanish reader sees Petro's words with «Traducción…: «trato indigno»» below them: those words name the quote,
    as its own still do; an English reader, who is not shown the Spanish, is not answered by it."""
    for line in ("origen trato indigno", "origen TRATO", "origen tacharme", "origen undignified treatment"):
        reply = await ask(core, line, locale="es")
        assert reply.kind == "answer", (line, reply.text)
        assert reply.title.startswith("Origen: Gustavo Petro: «"), line
    assert "trato" not in (await ask(core, "origen trato indigno", locale="es")).title  # named by the words as given
    assert (await ask(core, "origen tacharme", locale="es")).title.startswith("Origen: Gustavo Petro: «falsely branding me a drug trafficker»")
    assert (await ask(core, "why trato indigno")).text.startswith("Nothing in this briefing is called “trato indigno”.")
    # Half of the words and half of their translation are neither: nothing is called that.
    assert (await ask(core, "origen undignified indigno", locale="es")).kind == "error"
    # Named by both its words and their translation ("Plaza de Bolívar"), a quote is one of the entries, listed once.
    assert (await ask(core, "origen bolivar", locale="es")).text.startswith("«bolivar» coincide con 2 entradas: «Concentración en la plaza")


def test_the_console_finds_a_quote_by_its_spanish_translation(tmp_path: Path) -> None:
    """The tester's line, as typed on the console in Spanish."""
    result = briefbot("--db", tmp_path / "db.sqlite3", "--locale", "es", "ask", "origen trato indigno")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Origen: Gustavo Petro: «undignified treatment» — palabras de la fuente, presumiblemente traducidas del español"), result.stdout


async def test_a_quotes_example_words_are_in_its_readers_language(core: BriefingCore) -> None:
    """What "which one?" offers to pick a quote is words of the translation the reader reads, which then answer with it."""
    index = await core._indexes.get(core.repository, None, catalogue_for("es"))
    for found in every_item(index):
        if found.kind != "quote":
            continue
        spanish = fold(dict(dict(index.items["quote"][found.item_id].translations)["es"])["words"])
        words = naming_words(index, found, "")
        assert words is not None and fold(words) in spanish, (found.ref, words)
        assert (await ask(core, f"origen {words}", locale="es")).title.startswith("Origen: "), words
    several = await ask(core, "origen llamada", locale="es")
    assert "«I appreciate his call and tone" in several.text  # the list names a quote by its words as given


@pytest.mark.parametrize("locale", ["en", "es"])
async def test_every_title_a_which_one_list_offers_names_its_own_entry(core: BriefingCore, locale: str) -> None:
    """A title held whole in longer ones ("Donald Trump" in "Private meeting with Donald Trump") names its own entry, so
    every title a "which one?" list offers picks that entry when typed; the summary, listed as "the summary", is named so."""
    index = await core._indexes.get(core.repository, None, catalogue_for(locale))
    for found in every_item(index):
        if found.kind == "summary":
            continue
        item = index.items[found.kind][found.item_id]
        for title in index.names_of(item, next(f for f in PACK_KINDS if f.name == found.kind).by_name[_title_of(found.kind)]):
            assert [f.ref for f in find_items(index, title)] == [found.ref], (locale, title)
    # The summary's title is the session's too: the session is named by it, the summary as the list names it.
    assert [f.ref for f in find_items(index, index.briefing.title)] == ["session/" + index.briefing.sessions[0].id]
    summary = catalogue_for(locale)("why.choice_summary")
    assert [f.ref for f in find_items(index, summary)] == ["summary"], summary


def _title_of(kind: str) -> str:
    """The field naming an item of the kind, as `why` finds it by."""
    return next(f.name for f in next(k for k in PACK_KINDS if k.name == kind).fields_all if f.search == "title")


@pytest.mark.parametrize(("line", "locale", "title"), [
    ("/why Donald Trump", "en", "Why: Donald Trump"),
    ("/why nicolas maduro", "en", "Why: Nicolás Maduro"),
    ("/why John McNamara", "en", "Why: John McNamara"),
    ("/why Private meeting with Donald Trump", "en", "Why: Private meeting with Donald Trump"),
    ("origen Donald Trump", "es", "Origen: Donald Trump"),
    ("origen Nicolás Maduro", "es", "Origen: Nicolás Maduro"),
    ("origen reunión privada con donald trump", "es", "Origen: Reunión privada con Donald Trump"),
])
async def test_a_person_named_in_full_is_found_though_other_titles_hold_the_name(core: BriefingCore, line: str, locale: str, title: str) -> None:
    """"Donald Trump" matched the person and the agenda's "Private meeting with Donald Trump", and the example offered
    ("with Donald Trump") named the meeting: no words reached the person but the id."""
    reply = await ask(core, line, locale=locale)
    assert (reply.kind, reply.title) == ("answer", title), reply.text


@pytest.mark.parametrize(("line", "locale"), [("/why McNamara", "en"), ("origen McNamara", "es"), ("/why Maduro", "en"), ("/why trump", "en")])
async def test_each_choice_of_a_which_one_list_picks_its_own_entry(core: BriefingCore, line: str, locale: str) -> None:
    """Typed as the list shows it (a quote's words without the label after them), each choice answers with one entry,
    a different one each."""
    several = await ask(core, line, locale=locale)
    assert several.kind == "error", several.text
    listed = several.text.split(": ", 1)[1].rpartition(". ")[0]
    choices = re.findall("“([^”]+)”" if locale == "en" else "«([^»]+)»", listed)
    if "the summary" in listed:
        choices.append("the summary")
    assert len(choices) >= 2, listed
    titles = []
    for choice in choices:
        typed = choice.removesuffix("…")
        picked = await ask(core, f'{line.split()[0]} "{typed}"' if ":" in typed else f"{line.split()[0]} {typed}", locale=locale)
        assert picked.kind == "answer", (choice, picked.text)
        titles.append((picked.title, picked.text))  # the summary and the session share a title, not an intro
    assert len(set(titles)) == len(titles), titles
