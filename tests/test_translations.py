"""Content in the reader's language (issue #16 §4): pack translations, their validation, fallback, quotes,
search on both stores, export, admin edits, and the shipped pack's Spanish."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.catalogue_es import ES
from bot.core.kinds import PACK_KINDS, items_of
from bot.core.model import translation
from bot.core.pack import pack_mapping, parse_pack, problem_message
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import PackError
from bot.store import open_store
from bot.store.packfile import dump_pack, read_pack, read_pack_text
from tests.conftest import BRIEFING_ID, PACK, ask

_SHIPPED = read_pack(PACK)
NOW = datetime(2026, 2, 3, 18, 0, tzinfo=UTC)
OPERATOR = Request(command="", now=NOW, platform="cli", operator=True, user_id="operator")
TRANSLATED = ES["content.translated"].format(language="inglés")


def shipped() -> dict[str, Any]:
    """The shipped pack's data, a fresh copy."""
    return copy.deepcopy(pack_mapping(_SHIPPED))


def problems(data: dict[str, Any]) -> set[tuple[str, str]]:
    with pytest.raises(PackError) as caught:
        parse_pack(data, "x.yaml")
    return {(p.path, p.key) for p in caught.value.problems}


def test_every_text_field_of_the_shipped_pack_has_spanish_and_evidence_has_none() -> None:
    missing = []
    for kind in PACK_KINDS:
        for item in items_of(_SHIPPED, kind):
            given = translation(getattr(item, "translations", ()), "es")
            for f in kind.fields_all:
                value = getattr(item, f.attr)
                key = (kind.section, getattr(item, "id", kind.name), f.name)
                if f.translatable and value not in ("", None, ()) and f.name not in given:
                    missing.append(key)
    assert missing == []
    head = translation(_SHIPPED.translations, "es")
    assert set(head) == {"title", "summary", "sides", "zones", "topics"}
    assert {side for side, _ in head["sides"]} == {side.id for side in _SHIPPED.sides}
    assert {tag for tag, _ in head["topics"]} == {tag for event in _SHIPPED.timeline for tag in event.tags}
    assert _SHIPPED.language == "en"


@pytest.mark.parametrize(
    ("change", "path", "key"),
    [
        (lambda d: d["timeline"][3].update(translations={"fr": {"title": "Titre"}}), "timeline[3].translations.fr", "pack.unknown_language"),
        (lambda d: d["timeline"][3].update(translations={"es": {"titel": "x"}}), "timeline[3].translations.es.titel", "pack.unknown_key"),
        (lambda d: d["people"][0].update(translations={"es": {"name": "Gustavo"}}), "people[0].translations.es.name", "pack.unknown_key"),
        (lambda d: d["quotes"][0].update(translations={"es": {"evidence": []}}), "quotes[0].translations.es.evidence", "pack.unknown_key"),
        (lambda d: d["faq"][1].update(translations={"es": {"answer": 3}}), "faq[1].translations.es.answer", "pack.expected"),
        (lambda d: d["faq"][1].update(translations={"es": {"answer": ""}}), "faq[1].translations.es.answer", "pack.empty"),
        (lambda d: d["timeline"][0].update(translations={"es": {"note": "Nota"}}), "timeline[0].translations.es.note", "pack.translation_without_original"),
        (lambda d: d["sessions"][0]["translations"]["es"].update(topics=["uno"]), "sessions[0].translations.es.topics", "pack.translation_mismatch"),
        (lambda d: d["sessions"][0]["translations"]["es"]["stakes"].reverse(), "sessions[0].translations.es.stakes", "pack.translation_parties"),
        (lambda d: d["briefing"]["translations"].update(de={"title": "Titel"}), "briefing.translations.de", "pack.unknown_language"),
        (lambda d: d["briefing"]["translations"]["es"]["sides"].update(mars="Marte"), "briefing.translations.es.sides.mars", "pack.unknown_key"),
        (lambda d: d["briefing"]["translations"]["es"].update(topics=["drogas"]), "briefing.translations.es.topics", "pack.expected"),
        (lambda d: d["briefing"]["translations"]["es"]["topics"].update({"Bad Tag": "x"}), "briefing.translations.es.topics.Bad Tag", "pack.bad_id"),
        (lambda d: d["briefing"]["translations"]["es"]["topics"].update(drugs=""), "briefing.translations.es.topics.drugs", "pack.empty"),
        (lambda d: d.update(language="fr"), "language", "pack.unknown_language"),
        (lambda d: d["quotes"][0].update(language="not a language"), "quotes[0].language", "pack.bad_language"),
    ],
)
def test_a_bad_translation_is_a_validation_error_naming_its_path(change: Any, path: str, key: str) -> None:
    data = shipped()
    change(data)
    assert (path, key) in problems(data)


def test_a_translated_list_of_another_length_says_how_many_entries_and_only_stakes_name_parties() -> None:
    # "as many entries as the original, with the same parties in the same order" said neither how many, nor that topics
    # have no parties.
    data = shipped()
    data["sessions"][0]["translations"]["es"].update(topics=["uno"])
    data["sessions"][0]["translations"]["es"]["stakes"].pop()
    with pytest.raises(PackError) as caught:
        parse_pack(data, "x.yaml")
    said = {p.path: (problem_message(p, catalogue_for("en")), problem_message(p, catalogue_for("es"))) for p in caught.value.problems}
    assert said["sessions[0].translations.es.topics"] == (
        "a translation needs as many entries as the original, 4, in the same order; this one has 1",
        "una traducción debe tener tantas entradas como el original, 4, en el mismo orden; esta tiene 1",
    )
    assert said["sessions[0].translations.es.stakes"] == (
        "a translation needs an entry for each of the original's parties, in the same order: gustavo-petro, donald-trump",
        "una traducción debe tener una entrada para cada parte del original, en el mismo orden: gustavo-petro, donald-trump",
    )


def test_translations_and_a_quotes_language_export_and_parse_back_equal() -> None:
    data = shipped()
    data["quotes"][0]["language"] = "en"
    parsed = parse_pack(data, "x.yaml")
    assert (parsed.quotes[0].language, parsed.quotes[0].translated_from) == ("en", "es")
    assert parse_pack(pack_mapping(parsed), "x.yaml") == parsed


async def test_a_spanish_reader_reads_spanish_and_an_english_reader_the_original(core: BriefingCore) -> None:
    spanish = await ask(core, "faq", locale="es")
    english = await ask(core, "faq", locale="en")
    assert spanish.items[0].title.startswith("¿Cuáles son los principales temas") and spanish.footer.endswith(TRANSLATED)
    assert english.items[0].title.startswith("What are the main topics") and "Translated" not in english.footer
    assert "(sin traducir)" not in str(spanish)


@pytest.mark.article
@pytest.mark.usefixtures("article_read")  # the passage is shown as checked only where the store reads the article
async def test_why_shows_the_sources_own_words_to_a_spanish_reader(core: BriefingCore) -> None:
    reply = await ask(core, "why timeline/visa-revoked", locale="es")
    assert reply.title.endswith("Trump revoca la visa de Petro")
    assert [item.text for item in reply.items] == ["«Trump revokes Petro's visa for \"reckless actions.\"»"]  # evidence is never translated


async def test_an_old_packs_meeting_is_titled_in_spanish_as_its_briefing(core: BriefingCore) -> None:
    # The shipped pack's `meeting:` becomes the session "meeting", titled as the briefing: so are its translations.
    reply = await ask(core, "why meeting", locale="es")
    assert reply.title.endswith("Petro en Washington: la reunión con Trump en la Casa Blanca")
    assert "sin traducir" not in reply.title


async def test_a_missing_translation_falls_back_to_the_original_visibly(store: Any) -> None:
    data = shipped()
    del data["faq"][0]["translations"]
    del data["briefing"]["translations"]["es"]["title"]
    await store.repository.save(parse_pack(data, "x.yaml"))
    core = BriefingCore(store.repository)
    faq = await ask(core, "faq", locale="es")
    assert faq.items[0].title == "What are the main topics of discussion expected in the Petro-Trump meeting? (sin traducir)"
    assert faq.items[1].title == "¿Por qué es importante la reunión entre Petro y Trump?"
    brief = await ask(core, "brief", locale="es")
    assert "Petro in Washington: the White House meeting with Trump (sin traducir)" in brief.title
    assert "(untranslated)" not in str(await ask(core, "brief", locale="en"))


async def test_a_quotes_translation_is_labelled_and_its_original_words_and_language_shown(store: Any) -> None:
    data = shipped()
    data["quotes"][0]["language"] = "en"
    del data["quotes"][0]["translated_from"]  # as if the source said he spoke English
    del data["quotes"][1]["translations"]["es"]["words"]
    await store.repository.save(parse_pack(data, "x.yaml"))
    core = BriefingCore(store.repository)
    shown = {item.ref: item.text for item in (await ask(core, "quotes", locale="es")).items}
    assert shown["quote/petro-undignified-treatment"] == (
        "«undignified treatment» (dicho en inglés)\nTraducción, no son sus palabras textuales: «trato indigno»"
    )
    assert shown["quote/petro-taking-up-arms"] == "«taking up arms» (sin traducir) — palabras de la fuente, presumiblemente traducidas del español: no son sus palabras textuales"
    english = {item.ref: item.text for item in (await ask(core, "quotes", locale="en")).items}
    assert english["quote/petro-undignified-treatment"] == "“undignified treatment” (said in English)"
    person = await ask(core, "person Gustavo Petro", locale="es")
    quotes = next(f.value for f in person.fields if f.name == "Citas")
    assert "• «undignified treatment» (dicho en inglés)\nTraducción, no son sus palabras textuales: «trato indigno»" in quotes


async def test_a_quote_in_a_third_language_shows_its_translation_to_readers_of_the_packs_own(store: Any) -> None:
    # An English pack quoting French words: the English reader needs the translation as much as the Spanish one.
    data = shipped()
    quote = data["quotes"][0]
    quote.update(words="Nous ne signerons pas un texte vide.", language="fr")
    del quote["translated_from"]
    quote["translations"] = {"en": {"words": "We will not sign an empty text."}}
    quote["evidence"] = [{**quote["evidence"][0], "passage": "« Nous ne signerons pas un texte vide. »"}]
    await store.repository.save(parse_pack(data, "x.yaml"))
    core = BriefingCore(store.repository)
    ref = f"quote/{quote['id']}"
    english = next(i for i in (await ask(core, "quotes", locale="en")).items if i.ref == ref)
    assert english.text == (
        "“Nous ne signerons pas un texte vide.” (said in French)\nTranslation, not the speaker's own words: “We will not sign an empty text.”"
    )
    spanish = next(i for i in (await ask(core, "quotes", locale="es")).items if i.ref == ref)
    assert spanish.text == "«Nous ne signerons pas un texte vide.» (dicho en francés; sin traducir)"
    person = await ask(core, "person Gustavo Petro", locale="en")
    assert "Translation, not the speaker's own words: “We will not sign an empty text.”" in next(f.value for f in person.fields if f.name == "Quotes")


async def test_a_quotes_entry_follows_its_translation_where_shown_and_stays_the_same_where_not(store: Any) -> None:
    # A quote's entry is kept by what it shows (commands/quotes.py): its translations for a Spanish reader, none for an English one.
    data = shipped()
    await store.repository.save(parse_pack(data, "x.yaml"))
    core = BriefingCore(store.repository)
    ref = f"quote/{data['quotes'][0]['id']}"
    english = next(i for i in (await ask(core, "quotes", locale="en")).items if i.ref == ref)
    spanish = next(i for i in (await ask(core, "quotes", locale="es")).items if i.ref == ref)
    data["quotes"][0]["translations"]["es"]["words"] = "palabras nuevas"
    await store.repository.save(parse_pack(data, "x.yaml"))
    again = next(i for i in (await ask(core, "quotes", locale="es")).items if i.ref == ref)
    assert "«palabras nuevas»" in again.text and again.text != spanish.text
    assert next(i for i in (await ask(core, "quotes", locale="en")).items if i.ref == ref) is english


@pytest.mark.parametrize(
    ("words", "locale", "ref"),
    [
        ("descertifica", "es", "timeline/decertification"),
        ("decertifies", "en", "timeline/decertification"),
        ("diaspora colombiana", "es", "agenda/diaspora-meeting"),  # accents ignored: "diáspora"
        ("tacharme narcotraficante", "es", "quote/petro-falsely-branding"),
        ("madrugada", "es", "summary"),
    ],
)
async def test_search_finds_spanish_content_from_spanish_words(core: BriefingCore, words: str, locale: str, ref: str) -> None:
    reply = await ask(core, f"search {words}", locale=locale)
    assert reply.kind == "answer", reply.text
    assert ref in [item.ref for item in reply.items]
    if ref == "quote/petro-falsely-branding":
        hit = next(item for item in reply.items if item.ref == ref)
        assert "Traducción, no son sus palabras textuales: «tacharme falsamente de narcotraficante»" in hit.text


async def test_the_store_keeps_translations_and_export_round_trips_them(store: Any, store_target: Any) -> None:
    async with open_store(store_target) as fresh:
        stored = await fresh.repository.briefing(BRIEFING_ID)
    assert stored == _SHIPPED
    assert parse_pack(pack_mapping(stored), "x.yaml") == _SHIPPED
    assert "translations:" in dump_pack(stored) and "language: en" not in dump_pack(stored)  # English is the default


POLICY = AdminPolicy({"discord": Admins(users=frozenset({"111"}))})


async def test_an_edit_drops_the_edited_fields_translation_and_undo_puts_it_back(repository: Any) -> None:
    core = BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)
    reply = await core.dispatch_line('set kind:faq id:significance answer:"A new answer."', OPERATOR)
    assert reply.kind == "answer", reply.text
    edited = next(f for f in (await repository.briefing()).faq if f.id == "significance")
    assert dict(translation(edited.translations, "es")) == {"question": "¿Por qué es importante la reunión entre Petro y Trump?"}
    shown = next(i for i in (await ask(core, "faq", locale="es")).items if i.ref == "faq/significance")
    assert shown.text == "A new answer. (sin traducir)"  # the new original, marked, never the old translation
    # A form sent back unchanged changes nothing, so it keeps every translation.
    again = await core.dispatch_line("set kind:faq id:significance question:\"Why is the Petro-Trump meeting significant?\"", OPERATOR)
    assert again.kind == "answer", again.text
    assert "question" in dict(translation(next(f for f in (await repository.briefing()).faq if f.id == "significance").translations, "es"))
    await core.dispatch_line("undo", OPERATOR)
    await core.dispatch_line("undo", OPERATOR)
    assert await repository.briefing() == _SHIPPED


async def test_an_admin_edit_made_by_a_spanish_reader_writes_the_original_not_the_view(repository: Any) -> None:
    core = BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)
    reply = await core.dispatch_line("set kind:meeting status:postponed", Request(command="", now=NOW, platform="cli", operator=True, user_id="operator", locale="es"))
    assert reply.kind == "answer", reply.text
    stored = await repository.briefing()
    assert stored.title == _SHIPPED.title and stored.sessions[0].venue == "The White House, Washington"
    assert "(sin traducir)" not in dump_pack(stored)


async def test_a_spanish_admins_form_shows_and_sends_back_the_original(repository: Any) -> None:
    from bot.core.admin.forms import Form

    core = BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)
    spanish = Request(command="", now=NOW, platform="cli", operator=True, user_id="operator", locale="es")
    form = await core.form(spanish, "faq", "significance")
    assert isinstance(form, Form)
    assert {f.name: f.value for f in form.fields}["question"] == "Why is the Petro-Trump meeting significant?"


SPANISH_LINES = [
    "brief", "meeting", "timeline", "timeline page:2", "timeline page:3", "delegation", "person Gustavo Petro",
    "person Donald Trump", "agenda", "agenda page:2", "quotes", "quotes page:2", "faq", "faq page:2",
    "search Petro", "search reunión", "why summary", "why meeting", "why quote/trump-colombia-very-sick",
]


@pytest.mark.parametrize("line", SPANISH_LINES)
async def test_spanish_answers_render_inside_discords_and_slacks_limits(core: BriefingCore, line: str) -> None:
    from bot.adapters.discord_app.render import render
    from bot.adapters.slack_app.render import render_reply
    from bot.core.catalogue import catalogue_for

    reply = await ask(core, line, locale="es")
    assert reply.kind == "answer", reply.text
    embeds, _ = render(reply, catalogue_for("es"))
    assert sum(map(len, embeds)) <= 6000 and all(len(f["value"]) <= 1024 for embed in embeds for f in embed.to_dict().get("fields", []))
    message = render_reply(reply, line=line, ephemeral=False, locale="es")
    blocks = message["blocks"]
    assert 0 < len(blocks) <= 50 and 0 < len(message["text"]) <= 3000
    for block in blocks:
        texts = [block["text"]["text"]] if "text" in block else []
        texts += [f["text"] for f in block.get("fields", [])] + [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
        assert all(0 < len(text) <= (150 if block["type"] == "header" else 3000) for text in texts), block


async def test_why_finds_an_item_by_the_readers_words_or_the_packs_own(core: BriefingCore) -> None:
    spanish = await ask(core, "why revoca visa", locale="es")
    english_words = await ask(core, "why revokes visa", locale="es")
    assert spanish.title == english_words.title and spanish.title.endswith("Trump revoca la visa de Petro")


async def test_a_spanish_reader_is_offered_spanish_questions_and_an_admin_the_stored_items(core: BriefingCore) -> None:
    spanish = Request(command="faq", now=NOW, platform="discord", user_id="1", locale="es-ES")
    offered = await core.complete(spanish, "question", "tregua")
    assert [choice.value for choice in offered] == ["¿Es la reunión una tregua?"]
    picked = await core.dispatch(Request(command="faq", now=NOW, platform="discord", user_id="1", locale="es-ES", options={"question": offered[0].value}))
    assert picked.items[0].ref == "faq/forced-truce"
    admin = Request(command="set", now=NOW, platform="discord", user_id="1", locale="es-ES", options={"kind": "faq"})
    items = await core.complete(admin, "id", "truce")
    assert items and items[0].value == "forced-truce" and "Is the meeting a truce?" in items[0].label


async def test_a_spanish_reader_reads_and_filters_the_timelines_topics_in_spanish(core: BriefingCore) -> None:
    """Topics are tags (the store's filter, `topic:`'s value in every language); `briefing.translations.es.topics` is how a
    Spanish reader reads them, and the label filters as the tag does."""
    english = await ask(core, "timeline topic:sanctions", locale="en")
    assert english.items[0].meta == "October 2025 · sanctions"
    for line in ("cronología tema:sanciones", "cronología tema:SANCIONES", "cronología tema:sanctions"):
        spanish = await ask(core, line, locale="es")
        assert [i.ref for i in spanish.items] == [i.ref for i in english.items], line
        assert spanish.items[0].meta == "octubre de 2025 · sanciones"
    assert (await ask(core, "timeline topic:sanciones", locale="en")).kind == "error"  # an English reader's topics are the tags
    near = await ask(core, "cronología tema:sancion", locale="es")
    assert near.text == "No hay ningún tema «sancion». ¿Querías decir: sanciones?"
    spanish = Request(command="timeline", now=NOW, platform="discord", user_id="1", locale="es-ES")
    assert [choice.value for choice in await core.complete(spanish, "topic", "sanc")] == ["sanciones"]
    helped = {field.name: field.value for field in (await ask(core, "ayuda cronología", locale="es")).fields}
    assert helped["tema"].endswith("como diplomacia o drogas") and helped["Ejemplo"].endswith("tema:diplomacia")
    # A topic is searched by its tag and by its labels; the passage shows it as the reader reads it.
    found = await ask(core, "buscar sanciones", locale="es")
    assert ("timeline/treasury-sanctions", "Temas: sanciones") in [(i.ref, i.text) for i in found.items]
    assert "timeline/treasury-sanctions" in [i.ref for i in (await ask(core, "search sanciones", locale="en")).items]


def test_a_tags_own_name_means_it_whatever_another_tags_label_is() -> None:
    from msgspec.structs import replace

    from bot.core.index import BriefingIndex

    # "visa" first appears after "trade" in the timeline: its label is the name of a tag met before it.
    index = BriefingIndex(replace(_SHIPPED, topic_labels=(("visa", "trade"), ("drugs", "drogas"))))
    assert (index.tag_named("trade"), index.tag_named("visa"), index.tag_named("Drogas")) == ("trade", "visa", "drugs")


def test_a_topics_labels_add_only_the_words_its_tags_lack_to_the_search_text() -> None:
    """A label that is its tag ("visa": "visa") adds nothing, so bm25 weighs an English search as before the labels."""
    from bot.core.kinds import KINDS, search_text
    from bot.store.rows import names, topic_words

    timeline, known, topics = KINDS["timeline"], names(_SHIPPED), topic_words(_SHIPPED)
    events = {event.id: event for event in _SHIPPED.timeline}
    assert search_text(timeline, events["visa-revoked"], known, topics) == search_text(timeline, events["visa-revoked"], known)
    title, body = search_text(timeline, events["treasury-sanctions"], known)
    assert search_text(timeline, events["treasury-sanctions"], known, topics) == (title, body + " sanciones")


def test_every_kind_with_text_a_reader_reads_takes_translations() -> None:
    from bot.core.kinds import KINDS

    lacking = [kind.name for kind in KINDS.values() if any(f.translatable for f in kind.fields_all) and "translations" not in kind.by_name]
    assert lacking == [], "add `translations: Translations = ()` to these kinds' models (bot/core/model.py)"


def test_an_edit_and_its_history_say_which_translation_it_dropped_and_history_shows_translations_in_words(tmp_path: Any) -> None:
    # An edit of a field drops that field's translation: its answer and history say so in the reader's language, and
    # every value (a side with its other names, a translation) reads in words, never as a Python mapping.
    from tests.cli_support import briefbot

    db = str(tmp_path / "db.sqlite3")
    lines = '/cambiar tipo:faq id:significance answer:"Una respuesta."\n/historial tipo:informe\n'
    spanish = briefbot("--db", db, "--locale", "es", "console", "--now", "2026-02-01T12:00:00Z", stdin=lines)
    assert spanish.returncode == 0, spanish.stderr
    assert "traducciones: se quitó la traducción al español de respuesta\n" in spanish.stdout
    flat = " ".join(spanish.stdout.split())
    assert "partes: antes vacío, ahora «Colombia (también CO, COL), United States (también US, USA" in flat
    assert "traducciones: título en español: antes vacío, ahora «Petro en Washington:" in flat
    assert "{'" not in spanish.stdout
    english = briefbot("--db", db, "admin", "history", "kind:faq", "id:significance")
    assert english.returncode == 0, english.stderr
    assert "translations: the Spanish translation of answer was removed\n" in english.stdout
    flat = " ".join(english.stdout.split())
    assert "translations: Spanish question: was empty, now “¿Por qué es importante la reunión" in flat  # the load that added it
    undone = briefbot("--db", db, "admin", "undo")
    assert "translations: the Spanish translation of answer is back: “" in undone.stdout, undone.stdout
