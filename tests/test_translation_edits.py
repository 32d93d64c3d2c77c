"""An admin's `set … lang:es` (issue: translations from chat): a field's translation set and cleared through the console
core on both stores, checked as a pack's, shown to its readers, logged, undone and exported; and the Spanish CLI."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue_es import ES
from bot.core.model import translation
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store.packfile import read_pack, read_pack_text
from tests.conftest import PACK, ask

_SHIPPED = read_pack(PACK)
NOW = datetime(2026, 2, 3, 18, 0, tzinfo=UTC)
POLICY = AdminPolicy({"discord": Admins(users=frozenset({"111"}))})
ANSWER = "Análisis del autor: la reunión puede cambiar la relación."


def operator(locale: str = "en") -> Request:
    return Request(command="", now=NOW, platform="cli", user_id="operator", locale=locale, operator=True)


@pytest.fixture
def admin(repository: Any) -> BriefingCore:
    return BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)


async def faq_entry(core: BriefingCore, locale: str) -> str:
    """The FAQ entry `significance` as a reader of `locale` reads it."""
    return next(i for i in (await ask(core, "faq", locale=locale)).items if i.ref == "faq/significance").text


def stored_faq(briefing: Any) -> Any:
    return next(f for f in briefing.faq if f.id == "significance")


async def test_a_spanish_translation_is_set_shown_logged_and_undone_and_the_original_kept(admin: BriefingCore, repository: Any) -> None:
    reply = await admin.dispatch_line(f'set kind:faq id:significance lang:es answer:"{ANSWER}" reason:"better Spanish"', operator())
    assert reply.kind == "answer", reply.text
    assert reply.title.endswith("faq/significance changed")
    assert "Readers of Spanish now see the Spanish answer in place of the English text." in reply.text
    assert [f.name for f in reply.fields] == ["translations"] and f"now “{ANSWER}”" in reply.fields[0].value
    assert "passage" not in reply.text  # no passage stands behind a translation: nothing to check it against
    edited = stored_faq(await repository.briefing())
    assert edited.answer == stored_faq(_SHIPPED).answer and translation(edited.translations, "es")["answer"] == ANSWER
    assert translation(edited.translations, "es")["question"] == translation(stored_faq(_SHIPPED).translations, "es")["question"]
    assert await faq_entry(admin, "es") == ANSWER and await faq_entry(admin, "en") == stored_faq(_SHIPPED).answer
    history = await admin.dispatch_line("history kind:faq id:significance", operator())
    assert "translations: Spanish answer: was “Análisis del autor: es importante" in history.items[0].text.replace("\n", " ")
    assert "Note: better Spanish" in history.items[0].text
    undone = await admin.dispatch_line("undo", operator())
    assert undone.kind == "answer", undone.text
    assert await repository.briefing() == _SHIPPED


async def test_an_empty_value_clears_the_translation_and_its_readers_see_the_original_marked(admin: BriefingCore, repository: Any) -> None:
    reply = await admin.dispatch_line('set kind:faq id:significance lang:es answer:""', operator())
    assert reply.kind == "answer", reply.text
    assert "Readers of Spanish now see the English answer marked untranslated: it has no Spanish translation." in reply.text
    assert reply.fields[0].value == "the Spanish translation of answer was removed"
    assert await faq_entry(admin, "es") == ES["content.untranslated"].format(text=stored_faq(_SHIPPED).answer)
    assert "question" in translation(stored_faq(await repository.briefing()).translations, "es")  # the other field keeps its own
    again = await admin.dispatch_line('set kind:faq id:significance lang:es answer:""', operator())
    assert again.title.startswith("Nothing changed")  # clearing what is already clear logs nothing
    await admin.dispatch_line("undo", operator())
    assert await repository.briefing() == _SHIPPED


async def test_undo_of_a_cleared_translation_says_its_text_is_back_and_redo_which_text_goes(admin: BriefingCore, repository: Any) -> None:
    # The undo read "Spanish answer: was empty, now …", as if a first translation were given, not the cleared one put back.
    shipped = translation(stored_faq(_SHIPPED).translations, "es")["answer"]
    await admin.dispatch_line('set kind:faq id:significance lang:es answer:""', operator())
    undone = await admin.dispatch_line("undo", operator())
    assert [f.name for f in undone.fields] == ["translations"], undone.fields
    assert undone.fields[0].value.startswith(f"the Spanish translation of answer is back: “{shipped[:40]}"), undone.fields[0].value
    assert translation(stored_faq(await repository.briefing()).translations, "es")["answer"] == shipped
    redone = await admin.dispatch_line("rehacer", operator("es"))
    assert redone.fields[0].value.startswith(f"se quitó la traducción al español de respuesta, que decía «{shipped[:40]}"), redone.fields[0].value
    history = [item.text.replace("\n", " ") for item in (await admin.dispatch_line("history kind:faq id:significance", operator())).items]
    assert history[0].startswith(f"translations: the Spanish translation of answer was removed; it read “{shipped[:40]}"), history[0]
    assert history[1].startswith(f"translations: the Spanish translation of answer is back: “{shipped[:40]}"), history[1]
    assert history[2].startswith("translations: the Spanish translation of answer was removed") and "it read" not in history[2]  # the edit


async def test_undo_of_an_edit_that_dropped_a_translation_says_the_translation_is_back(admin: BriefingCore) -> None:
    shipped = translation(stored_faq(_SHIPPED).translations, "es")["answer"]
    await admin.dispatch_line('set kind:faq id:significance answer:"A new answer."', operator())
    undone = await admin.dispatch_line("deshacer", operator("es"))
    said = {f.name: f.value for f in undone.fields}
    assert said["traducciones"].startswith(f"vuelve la traducción al español de respuesta: «{shipped[:40]}"), said


@pytest.mark.parametrize(
    ("line", "said"),
    [
        # A translation needs an original (a pack's rule): this event gives no note.
        ('set kind:timeline id:visa-revoked lang:es note:"Nota."', "translations.es.note: translates a field the item leaves out"),
        # A translated list keeps its length, which the refusal gives.
        ('set kind:meeting lang:es aims:"Una sola"', "translations.es.aims: a translation needs as many entries as the original, 2, in the same order; this one has 1"),
        ('set kind:meeting lang:es topics:"migración, cooperación antidrogas"',
         "translations.es.topics: a translation needs as many entries as the original, 4, in the same order; this one has 2"),
        # The field's own limit.
        (f'set kind:faq id:significance lang:es question:"{"¿" * 301}"', "translations.es.question:"),
        # A one-line text stays one line.
        ('set kind:faq id:significance lang:es question:"Una\nDos"', "translations.es.question:"),
        # Names, ids, dates and passages read the same in every language.
        ('set kind:person id:gustavo-petro lang:es name:"Gustavo Petro Urrego"', "name has no translation to set"),
        ('set kind:faq id:significance lang:es evidence:"Otra."', "evidence has no translation to set"),
        # A setting: a clock, the same in every language.
        ('set kind:briefing lang:es zone:America/Bogota', "zone has no translation to set"),
    ],
)
async def test_a_translation_is_checked_as_a_packs_and_refused_whole(admin: BriefingCore, repository: Any, line: str, said: str) -> None:
    reply = await admin.dispatch_line(line, operator())
    assert reply.kind == "error" and said in reply.text, reply.text
    assert await repository.briefing() == _SHIPPED


async def test_a_translated_list_of_another_length_is_refused_in_spanish_saying_how_many_entries(admin: BriefingCore, repository: Any) -> None:
    reply = await admin.dispatch_line('cambiar tipo:meeting idioma:es topics:"migración, cooperación antidrogas"', operator("es"))
    said = "traducciones.es.temas: una traducción debe tener tantas entradas como el original, 4, en el mismo orden; esta tiene 2"
    assert reply.kind == "error" and said in reply.text and "partes" not in reply.text, reply.text
    assert await repository.briefing() == _SHIPPED


@pytest.mark.parametrize(
    ("line", "locale", "said"),
    [
        ('set kind:faq id:significance lang:"" answer:"y"', "en", "lang: was given no value; type one of these: en (English), es (Spanish)."),
        ('set kind:faq id:significance lang: answer:"w"', "en", "lang: was given no value; type one of these: en (English), es (Spanish)."),
        ('set kind:faq id:significance lang:" " answer:"w"', "en", "lang: was given no value; type one of these: en (English), es (Spanish)."),
        ('cambiar tipo:faq id:significance idioma: answer:"z"', "es", "idioma: no tiene valor; escribe uno de estos: en (inglés), es (español)."),
        # The languages are listed as the docs give them: by code, with their names (also typed).
        ('set kind:faq id:significance lang:fr answer:"w"', "en", "lang: “fr” is not a value it takes; type one of these: en (English), es (Spanish)."),
        ('cambiar tipo:faq id:significance idioma:fr answer:"w"', "es", "idioma: «fr» no es un valor que admita; escribe uno de estos: en (inglés), es (español)."),
    ],
)
async def test_an_empty_or_unknown_lang_is_refused_and_neither_the_original_nor_its_translation_changes(
    admin: BriefingCore, repository: Any, line: str, locale: str, said: str,
) -> None:
    # An empty `lang:` read as none made the Spanish words an edit of the English original, and took out the Spanish.
    reply = await admin.dispatch_line(line, operator(locale))
    assert reply.kind == "error" and reply.text == said, reply.text
    assert await repository.briefing() == _SHIPPED


async def test_a_quotes_translation_stays_labelled_as_one_and_the_words_as_the_source_gives_them(admin: BriefingCore, repository: Any) -> None:
    words = "trato indigno (traducción revisada)"
    reply = await admin.dispatch_line(f'set kind:quote id:petro-undignified-treatment lang:es words:"{words}"', operator())
    assert reply.kind == "answer", reply.text
    assert "labelled as a translation, never as the speaker's own words" in reply.text
    quote = next(q for q in (await repository.briefing()).quotes if q.id == "petro-undignified-treatment")
    original = next(q for q in _SHIPPED.quotes if q.id == "petro-undignified-treatment")
    assert quote.words == original.words and translation(quote.translations, "es")["words"] == words
    shown = next(i for i in (await ask(admin, "quotes", locale="es")).items if i.ref == "quote/petro-undignified-treatment").text
    assert f"«{original.words}»" in shown and ES["quote.translation"].format(words=words) in shown


async def test_the_text_of_the_briefings_own_language_is_its_original(admin: BriefingCore, repository: Any) -> None:
    # lang:en in an English briefing sets the original, as set does without lang:, and drops its Spanish translation.
    reply = await admin.dispatch_line('set kind:faq id:significance lang:en answer:"A new answer."', operator())
    assert reply.kind == "answer", reply.text
    edited = stored_faq(await repository.briefing())
    assert edited.answer == "A new answer." and "answer" not in translation(edited.translations, "es")


async def test_the_briefings_own_title_takes_a_translation_too(admin: BriefingCore, repository: Any) -> None:
    reply = await admin.dispatch_line('set kind:briefing lang:es title:"Petro y Trump en la Casa Blanca"', operator())
    assert reply.kind == "answer", reply.text
    assert "Readers of Spanish now see the Spanish title in place of the English text." in reply.text
    stored = await repository.briefing()
    assert stored.title == _SHIPPED.title and translation(stored.translations, "es")["title"] == "Petro y Trump en la Casa Blanca"
    assert (await ask(admin, "brief", locale="es")).title == "Petro y Trump en la Casa Blanca"
    await admin.dispatch_line("undo", operator())
    assert await repository.briefing() == _SHIPPED


async def test_the_venues_label_takes_a_translation_as_a_packs_zones_give_it(admin: BriefingCore, repository: Any) -> None:
    # Only an import gave it one: `label` was refused as having no translation to set.
    reply = await admin.dispatch_line('set kind:briefing lang:es label:"Washington D. C."', operator())
    assert reply.kind == "answer", reply.text
    assert "Readers of Spanish now read the venue's label in Spanish: “Washington D. C.”." in reply.text
    stored = await repository.briefing()
    assert stored.zones == _SHIPPED.zones  # the original, as every reader of English reads it
    assert translation(stored.translations, "es")["zones"] == (("Washington", "Washington D. C."), ("Bogotá", "Bogotá"))
    assert "(Washington D. C.)" in (await ask(admin, "meeting", locale="es")).fields[0].value
    cleared = await admin.dispatch_line('set kind:briefing lang:es label:""', operator())
    assert "Readers of Spanish now read the venue's label as “Washington”: with no Spanish label" in cleared.text, cleared.text
    assert translation((await repository.briefing()).translations, "es")["zones"] == (("Bogotá", "Bogotá"),)
    for _ in range(2):
        await admin.dispatch_line("undo", operator())
    assert await repository.briefing() == _SHIPPED
    # An edit of the label itself drops the translation of the old one, and says how to give one for the new.
    moved = await admin.dispatch_line('cambiar tipo:informe label:"Washington, D.C."', operator("es"))
    assert "Quien lee en español lee ahora el rótulo de la sede como «Washington, D.C.»" in moved.text, moved.text
    assert 'Para dar una del texto nuevo: /cambiar tipo:briefing idioma:es rótulo:"…"' in moved.text, moved.text


async def test_an_edit_of_the_original_says_how_to_give_the_translation_it_dropped(admin: BriefingCore) -> None:
    # A Spanish admin who changed the English answer is told, in their words, how to write the Spanish one.
    reply = await admin.dispatch_line('cambiar tipo:faq id:significance answer:"A new answer."', operator("es"))
    assert reply.kind == "answer", reply.text
    assert "Quien lee en español ve ahora respuesta en inglés, marcado como sin traducir" in reply.text
    assert 'Para dar una del texto nuevo: /cambiar tipo:faq id:significance idioma:es respuesta:"…"' in reply.text
    fixed = await admin.dispatch_line(f'cambiar tipo:faq id:significance idioma:español answer:"{ANSWER}"', operator("es"))
    assert "Quien lee en español ve ahora respuesta en español en lugar del texto en inglés." in fixed.text, fixed.text
    assert await faq_entry(admin, "es") == ANSWER and await faq_entry(admin, "en") == "A new answer."


async def test_a_spanish_admin_types_and_reads_each_field_by_its_spanish_word(admin: BriefingCore, repository: Any) -> None:
    # Spanish answers named the fields in English ("answer", "translations") beside Spanish command words: now the word a
    # Spanish admin types (`respuesta:`), which `cambiar` takes as it takes `answer:`; an English reader reads `answer`.
    reply = await admin.dispatch_line('cambiar tipo:faq id:significance respuesta:"Una respuesta."', operator("es"))
    assert reply.kind == "answer", reply.text
    assert stored_faq(await repository.briefing()).answer == "Una respuesta."
    assert [f.name for f in reply.fields] == ["respuesta", "traducciones"], reply.fields
    assert reply.fields[1].value == "se quitó la traducción al español de respuesta"
    assert "Quien lee en español ve ahora respuesta en inglés" in reply.text and 'idioma:es respuesta:"…"' in reply.text, reply.text
    history = await admin.dispatch_line("historial tipo:faq id:significance", operator("es"))
    assert history.items[0].text.startswith("respuesta: antes «The author's analysis"), history.items[0].text
    english = await admin.dispatch_line("history kind:faq id:significance", operator())
    assert english.items[0].text.startswith("answer: was “The author's analysis"), english.items[0].text
    undone = await admin.dispatch_line("deshacer", operator("es"))
    assert [f.name for f in undone.fields] == ["respuesta", "traducciones"], undone.fields
    assert await repository.briefing() == _SHIPPED
    # Refusals name them so too, and one field given by both its words is refused, as an option given twice.
    unknown = await admin.dispatch_line('cambiar tipo:faq id:significance nombre:"x"', operator("es"))
    assert unknown.text.endswith("Sus campos: pregunta, respuesta, fuentes, pasajes"), unknown.text
    twice = await admin.dispatch_line('cambiar tipo:faq id:significance respuesta:"a" answer:"b"', operator("es"))
    assert twice.kind == "error" and twice.text == "answer: aparece dos veces.", twice.text
    assert await repository.briefing() == _SHIPPED


def test_every_field_has_one_spanish_word_that_no_edit_option_has() -> None:
    from bot.core.commands import COMMANDS
    from bot.core.kinds import HEAD_FIELDS, KINDS
    from bot.core.names_es import FIELDS_ES, OPTIONS_ES
    from bot.core.text import fold

    named = {f.name for kind in KINDS.values() for f in kind.fields_all} | {f.name for f in HEAD_FIELDS}
    assert named - set(FIELDS_ES) == {"id", "url"}  # the same word in Spanish
    words = [fold(word) for word in FIELDS_ES.values()]
    assert len(words) == len(set(words)) and not set(words) & {fold(name) for name in named}
    options = {o.name for name in ("set", "add") for o in COMMANDS.resolve(name).options}
    assert not set(words) & {fold(word) for name in options for word in (name, OPTIONS_ES.get(name, name))}


async def test_a_source_given_with_a_translation_is_logged_but_not_cited_by_the_item(admin: BriefingCore, repository: Any) -> None:
    # A translation says what the original says: the source of a better wording stands in history, not behind the answer.
    await admin.dispatch_line('add kind:source id:wire publisher:"A wire service" title:"Report" url:https://example.org/report', operator())
    reply = await admin.dispatch_line(f'set kind:faq id:significance lang:es answer:"{ANSWER}" source:wire', operator())
    assert reply.kind == "answer", reply.text
    assert stored_faq(await repository.briefing()).sources == stored_faq(_SHIPPED).sources
    assert (await repository.revisions("petro-trump-2026", "faq", "significance", limit=1))[0].source == "wire"


async def test_lang_without_a_field_names_the_fields_that_take_a_translation(admin: BriefingCore) -> None:
    reply = await admin.dispatch_line("set kind:person id:gustavo-petro lang:es", operator())
    assert reply.kind == "error" and reply.text.endswith("Fields of person: role, organisation"), reply.text


def test_the_spanish_cli_sets_the_spanish_text_and_export_writes_it_back(tmp_path: Path) -> None:
    # The Spanish CLI's `set` changed the English original and dropped the Spanish; `idioma:es` writes the Spanish, and an
    # export carries it, so the pack loads back with it.
    from tests.cli_support import briefbot

    db, again = str(tmp_path / "db.sqlite3"), str(tmp_path / "again.sqlite3")
    assert briefbot("--db", db, "ask", "brief").returncode == 0
    done = briefbot("--db", db, "--locale", "es", "admin", "set", "kind:faq", "id:significance", "idioma:es", f"answer:{ANSWER}")
    assert done.returncode == 0, done.stderr
    assert "Quien lee en español ve ahora respuesta en español en lugar del texto en inglés." in done.stdout
    exported = briefbot("--db", db, "admin", "export")
    assert exported.returncode == 0, exported.stderr
    pack = tmp_path / "petro-trump-2026.yaml"
    pack.write_text(exported.stdout, encoding="utf-8")
    loaded = read_pack(pack)
    assert translation(stored_faq(loaded).translations, "es")["answer"] == ANSWER
    assert stored_faq(loaded).answer == stored_faq(_SHIPPED).answer
    assert briefbot("--db", again, "load", str(pack)).returncode == 0
    read = briefbot("--db", again, "--locale", "es", "ask", "faq importante")
    assert ANSWER in " ".join(read.stdout.split()), read.stdout


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (("--locale", "es", "admin", "set", "tipo:faq", "id:significance", "idioma:", "answer:z"), "idioma: no tiene valor; escribe uno de estos: en (inglés), es (español)."),
        (("admin", "set", "kind:faq", "id:significance", "lang: ", "answer:z"), "lang: was given no value; type one of these: en (English), es (Spanish)."),
    ],
)
def test_the_cli_refuses_an_empty_lang_and_keeps_both_texts(tmp_path: Path, words: tuple[str, ...], said: str) -> None:
    from tests.cli_support import briefbot

    db = str(tmp_path / "db.sqlite3")
    refused = briefbot("--db", db, *words)
    assert refused.returncode == 1 and said in " ".join((refused.stdout + refused.stderr).split()), (refused.stdout, refused.stderr)
    exported = briefbot("--db", db, "admin", "export")
    pack = tmp_path / "petro-trump-2026.yaml"
    pack.write_text(exported.stdout, encoding="utf-8")
    assert stored_faq(read_pack(pack)) == stored_faq(_SHIPPED)
