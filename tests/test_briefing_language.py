"""A briefing's own language (the pack's `language:`): chosen when it is created (`briefing new language:`, `briefbot new
--language`), changed in chat as a head field with history and undo, and shown by an import's dry run and answer."""

from __future__ import annotations

from pathlib import Path

from msgspec.structs import replace

from bot.adapters.console import ConsoleSession, render_text
from bot.core.pack import changed_items, pack_mapping, parse_pack
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import dump_pack, read_pack_text
from tests.cli_support import briefbot
from tests.conftest import BEFORE, BRIEFING_ID
from tests.discord_fake import FakeDiscord
from tests.discord_support import connected
from tests.test_admin import OPERATOR, POLICY, run
from tests.test_digest_changes import digest, edit

SPANISH = replace(OPERATOR, platform="console", locale="es")


def text_of(reply) -> str:
    return " ".join(render_text(reply).split())


async def words_said_in_english(repository) -> None:
    """The shipped pack with Petro's quotes saying their words are English (`language: en`), the source's translation of his
    Spanish: so they stay English, and translated from Spanish, whatever language the pack's own text is said to be in."""
    data = pack_mapping(await repository.briefing())
    for quote in data["quotes"]:
        if quote.get("translated_from"):
            quote["language"] = "en"
    await repository.save(parse_pack(data, "pack.yaml"))


async def test_a_briefing_made_in_spanish_chat_is_spanish_and_says_so(repository):
    session = ConsoleSession(BriefingCore(repository), lambda: BEFORE, locale="es")
    made = await session.answer('/informe nuevo id:cumbre título:"Cumbre de paz" zona:America/Bogota')
    assert made.kind == "answer" and "Su texto se escribirá en español (lengua:es), el idioma en que lees" in text_of(made), text_of(made)
    assert (await repository.briefing("cumbre")).language == "es"
    spanish = await BriefingCore(repository).dispatch_line("/resumen informe:cumbre", SPANISH)
    english = await BriefingCore(repository).dispatch_line("/brief briefing:cumbre", replace(SPANISH, locale="en"))
    assert "sin traducir" not in render_text(spanish) and "Cumbre de paz (untranslated)" in render_text(english)
    given = await session.answer("/informe nuevo id:summit título:Summit idioma:en-GB")
    assert "Su texto se escribirá en inglés (lengua:en);" in text_of(given), text_of(given)
    assert (await repository.briefing("summit")).language == "en"
    refused = await session.answer("/informe nuevo id:sommet título:Sommet idioma:fr")
    assert refused.kind == "error" and "idioma: no es un idioma que hable el bot; se admite: en, es" in refused.text, refused.text
    assert "sommet" not in {b.id for b in await repository.briefings()}


async def test_a_new_briefings_placeholders_are_in_its_own_language(repository):
    """`/informe nuevo … idioma:es` filled a Spanish briefing with English placeholders ("Reunión: Not written yet",
    "(Venue)", "Partes: Main side") that Spanish readers saw unmarked; its answer quoted them too."""
    session = ConsoleSession(BriefingCore(repository), lambda: BEFORE, locale="es")
    made = await session.answer('/informe nuevo id:cumbre2 título:"Cumbre 2" zona:America/Bogota idioma:es')
    assert "Solo contiene textos provisionales («Sin redactar todavía»)" in text_of(made), text_of(made)
    await session.answer("/cambiar tipo:sesión id:first-session start:2026-02-10T09:00 informe:cumbre2 evidence:x fuente:first-source")
    meeting = render_text(await session.answer("/reunión informe:cumbre2"))
    assert meeting.startswith("Reunión: Sin redactar todavía\n") and "hora estándar de Colombia (Sede)\n" in meeting, meeting
    assert "Dónde: Sin redactar todavía\n" in meeting and "Not written yet" not in meeting and "Venue" not in meeting, meeting
    sides = await session.answer("/delegación informe:cumbre2 parte:x")
    assert "No hay ninguna parte «x». Partes: Parte principal." in sides.text, sides.text
    english = ConsoleSession(BriefingCore(repository), lambda: BEFORE, locale="en")
    read = render_text(await english.answer("/meeting briefing:cumbre2"))
    assert "Where: Sin redactar todavía (untranslated)\n" in read and "Not written yet" not in read, read
    made = await english.answer("/briefing new id:summit2 title:Summit language:en")
    assert "It holds placeholders only (“Not written yet”)" in text_of(made), text_of(made)
    assert "Where: Not written yet\n" in render_text(await english.answer("/meeting briefing:summit2"))
    asked = await english.answer("/briefing new id:cumbre3 title:Cumbre language:es")  # the answer in English, the quote as written
    assert "It holds placeholders only (“Sin redactar todavía”)" in text_of(asked), text_of(asked)


async def test_the_language_is_a_head_field_with_history_undo_and_what_it_leaves_untranslated(repository):
    core = BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)
    await words_said_in_english(repository)
    changed = await run(core, "set kind:briefing language:es-MX")
    assert changed.kind == "answer" and [(f.name, f.value) for f in changed.fields] == [("language", "was “English”, now “Spanish”")], changed.fields
    briefing = await repository.briefing()
    parts = 1 + sum(len(getattr(briefing, section)) for section in ("sessions", "timeline", "people", "agenda", "quotes", "faq", "context"))
    told = text_of(changed)
    assert "The briefing's own text is now taken as written in Spanish" in told
    # The pack's translations are into Spanish: all of its parts now lack an English one.
    assert f"{parts} of its {parts} parts (the briefing itself and its items) have no English translation" in told, told
    english = await BriefingCore(repository).dispatch_line("/brief", replace(OPERATOR, platform="console"))
    assert "(untranslated)" in render_text(english)
    history = await run(core, "history kind:briefing")
    assert history.items[0].text == "language: was “English”, now “Spanish”", history.items[0].text
    undone = await run(core, "undo")
    assert (await repository.briefing()).language == "en" and "now taken as written in English" in text_of(undone), text_of(undone)
    refused = await run(core, "set kind:briefing language:klingon")
    assert refused.kind == "error" and "language: not a language the bot speaks; expected one of: en, es" in refused.text, refused.text
    assert (await repository.briefing()).language == "en"
    same = await run(core, "set kind:briefing language:en")
    assert same.title.startswith("Nothing changed"), same.title


async def test_spanish_help_names_the_heads_fields_as_set_takes_them(repository):
    """Help said "su título, resumen, zona e idioma" and `/cambiar tipo:informe zona:…` was refused: help names the fields
    by the words `cambiar` takes (`zona:`, beside the pack's `zone:`)."""
    from bot.core.admin.head import FIELDS
    from bot.core.registry import local_field

    await words_said_in_english(repository)
    session = ConsoleSession(BriefingCore(repository, policy=POLICY), lambda: BEFORE, locale="es")
    helped = text_of(await session.answer("/ayuda cambiar"))
    assert "cuyos campos son título, resumen, pasajes, zona, rótulo y lengua" in helped, helped
    assert all(f" {local_field(name, 'es')}" in helped for name in FIELDS), helped
    english = text_of(await ConsoleSession(BriefingCore(repository), lambda: BEFORE).answer("/help set"))
    assert "whose fields are title, summary, evidence, zone, label and language" in english, english
    refused = await session.answer("/cambiar tipo:informe huso:America/Lima")
    assert refused.kind == "error" and "Sus campos: título, resumen, pasajes, zona, rótulo, lengua" in refused.text, refused.text
    assert (await session.answer("/cambiar tipo:informe zona:America/Bogota")).kind == "answer"  # the field zone, as help says
    # `idioma:` is set's language of the values given (a translation), never the field that says what the text is in.
    taken = await session.answer("/cambiar tipo:informe zone:America/Lima idioma:es")
    assert taken.kind == "error" and "zona no tiene traducción que cambiar" in taken.text, taken.text
    alone = await session.answer("/cambiar tipo:informe idioma:es")
    assert alone.kind == "error" and "es el campo lengua:es" in alone.text, alone.text
    assert (await session.answer("/cambiar tipo:informe zone:America/Lima lengua:es")).kind == "answer"
    briefing = await repository.briefing()
    assert (briefing.zones[0].zone, briefing.language) == ("America/Lima", "es")


async def test_an_import_lists_and_applies_a_language_change_alone(repository):
    core = BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)
    await words_said_in_english(repository)
    before = await repository.briefing()
    text = dump_pack(replace(before, language="es"))
    dry = await core.import_text(OPERATOR, text, "es.yaml", apply=False)
    assert [(f.name, f.value) for f in dry.fields] == [("language", "its own text is written in Spanish, no longer in English")], dry.fields
    applied = await core.import_text(OPERATOR, text, "es.yaml", apply=True, approval=dry.approval)
    assert applied.kind == "answer" and [f.name for f in applied.fields] == ["language"], applied
    assert "now taken as written in Spanish" in applied.text, applied.text
    assert (await repository.briefing()).language == "es"
    # The revision log names the head as what the import changed, as history of the head shows it.
    assert changed_items(pack_mapping(before), pack_mapping(await repository.briefing())) == [("head", BRIEFING_ID)]
    history = await run(core, "history kind:briefing")
    assert "language: was “English”, now “Spanish”" in history.items[0].text, history.items[0].text
    # Undo and redo of the import say what readers then see untranslated, as the import's answer did.
    undone = await run(core, "undo")
    assert "now taken as written in English" in text_of(undone), text_of(undone)
    redone = await run(core, "redo")
    assert "now taken as written in Spanish" in text_of(redone) and "have no English translation" in text_of(redone), text_of(redone)


async def test_a_digest_tells_of_a_language_change(core):
    await words_said_in_english(core.repository)
    await edit(core, "set kind:briefing language:es")
    told = await digest(core)
    assert [item.text for item in told.items] == ["Language: now “Spanish”; it was “English”."], [item.text for item in told.items]


async def test_languages_are_named_in_the_readers_language_in_digests_history_and_answers(core):
    """A code ("es") is the pack's spelling, not a reader's word: "Idioma: ahora es «es»" named no language."""
    await words_said_in_english(core.repository)
    admin, spanish = BriefingCore(core.repository, policy=POLICY), replace(OPERATOR, locale="es", now=BEFORE)  # before the digest's
    answer = await run(admin, "set kind:quote id:trump-appreciate-call translated_from:es", spanish)
    assert [(f.name, f.value) for f in answer.fields] == [("traducido_de", "antes vacío, ahora «español»")], answer.fields
    history = await run(admin, "history kind:quote id:trump-appreciate-call", spanish)
    assert history.items[0].text == "traducido_de: antes vacío, ahora «español»", history.items[0].text
    told = [item.text for item in (await digest(core, "es")).items]
    assert told == ["Idioma que presumiblemente usó quien habla: ahora es «español»."], told
    assert [item.text for item in (await digest(core)).items] == ["Language the speaker presumably used: now “Spanish”."]
    await edit(core, "set kind:quote id:trump-appreciate-call language:en")  # Trump's words stay English in a Spanish pack
    await edit(core, "set kind:briefing language:es")
    told = [item.text for item in (await digest(core, "es")).items]
    assert "Idioma: ahora es «español»; antes era «inglés»." in told, told


async def test_the_discord_modal_asks_for_the_language_and_defaults_to_the_readers(fake: FakeDiscord, store: Store) -> None:
    from bot.core.admin.policy import AdminPolicy, Admins
    from tests.discord_fake import USER_ID

    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), choices=store.choices)
    async with connected(fake, core):
        opened = await fake.interact(fake.command("briefing", {"action": "new"}, locale="es-ES"))
        assert [c["component"]["custom_id"] for c in opened["data"]["components"]] == ["id", "title", "zone", "language"]
        made = await fake.interact(fake.submit(opened["data"], {"id": "cumbre", "title": "Cumbre"}, locale="es-ES"))
        assert "el idioma en que lees" in made["data"]["embeds"][0]["description"], made
        assert (await store.repository.briefing("cumbre")).language == "es"
        given = await fake.interact(fake.submit(opened["data"], {"id": "summit", "title": "Summit", "language": "en"}, locale="es-ES"))
        assert "(idioma:en);" in given["data"]["embeds"][0]["description"], given  # as the menu and the modal name it
        assert (await store.repository.briefing("summit")).language == "en"


def test_briefbot_new_writes_the_language_with_its_comment(tmp_path: Path) -> None:
    pack = tmp_path / "cumbre.yaml"
    written = briefbot("new", "cumbre", "--title", "Cumbre", "--language", "es", "-o", pack)
    assert written.returncode == 0, written.stderr
    text = pack.read_text(encoding="utf-8")
    assert "\n# The language this pack's text is written in: en or es." in text and "\nlanguage: es\n" in text, text
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, "load", pack).returncode == 0
    assert "(untranslated)" not in briefbot("--db", db, "--locale", "es", "ask", "/brief briefing:cumbre").stdout
    refused = briefbot("new", "sommet", "--title", "Sommet", "--language", "fr", "-o", tmp_path / "fr.yaml")
    assert refused.returncode == 1 and "briefbot: --language: not a language the bot speaks" in refused.stderr, refused.stderr
    defaulted = tmp_path / "es.yaml"
    assert briefbot("--locale", "es", "new", "otra", "--title", "Otra", "-o", defaulted).returncode == 0
    assert "\nlanguage: es\n" in defaulted.read_text(encoding="utf-8")


async def test_a_language_a_quote_says_its_words_were_translated_from_is_refused_while_they_name_none(repository):
    """Petro's quotes name no language and are translated from Spanish: a Spanish pack would make them Spanish words
    translated from Spanish, so the change is refused in chat and by an import, naming them, until they say theirs."""
    core = BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)
    refused = await run(core, "set kind:briefing language:es")
    assert refused.kind == "error" and "quotes[0].translated_from: the words are in that language already" in refused.text, refused.text
    text = dump_pack(replace(await repository.briefing(), language="es"))
    dry = await core.import_text(OPERATOR, text, "es.yaml", apply=False)
    assert dry.kind == "error" and "quotes[0] (id petro-undignified-treatment).translated_from" in text_of(dry), text_of(dry)
    assert (await repository.briefing()).language == "en"
    await words_said_in_english(repository)
    assert (await run(core, "set kind:briefing language:es")).kind == "answer"


async def test_the_discord_heads_form_reaches_the_language_from_a_window_sent_untouched(fake: FakeDiscord, store: Store) -> None:
    """Five inputs fit a modal and the language is the head's sixth field: "More fields" was offered only after a change."""
    from bot.core.admin.policy import AdminPolicy, Admins
    from bot.core.catalogue import catalogue_for
    from tests.discord_fake import USER_ID
    from tests.test_discord_admin import buttons, inputs, open_modal, private_embed

    spanish, es = catalogue_for("es"), {"locale": "es-ES"}
    await words_said_in_english(store.repository)
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), choices=store.choices)
    async with connected(fake, core):
        untouched = fake.submit(await open_modal(fake, "set", {"kind": "briefing"}, **es), {}, **es)
        body = await fake.interact(untouched)
        assert private_embed(body)["title"] == spanish("form.unchanged")
        more = buttons(body["data"])[spanish("discord.form_more")]
        second = await fake.interact(fake.click(fake.message_of(untouched), more["custom_id"], **es))
        assert list(inputs(second["data"])) == ["language"] and inputs(second["data"])["language"]["value"] == "en", second
        changed = private_embed(await fake.interact(fake.submit(second["data"], {"language": "es"}, **es)))
        assert [f["name"] for f in changed["fields"]] == ["lengua"], changed  # the input is the pack's key, the answer the reader's word
        assert (await store.repository.briefing()).language == "es"
        # A form whose fields fit one window has nothing more to offer.
        faq = fake.submit(await open_modal(fake, "set", {"kind": "faq", "id": (await store.repository.briefing()).faq[0].id}, **es), {}, **es)
        assert buttons((await fake.interact(faq))["data"]) == {}
