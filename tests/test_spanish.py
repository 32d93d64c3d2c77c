"""The core in Spanish: Spanish words for commands and options, Spanish answers, help in the reader's words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.catalogue import Catalogue
from bot.core.names_es import COMMANDS_ES
from bot.core.requests import Request
from bot.core.service import BriefingCore
from tests.conftest import BEFORE, ask
from tests.kinds_support import kinds_listed


async def test_spanish_command_and_option_words_work(core):
    english = await ask(core, "timeline from:2025-09 topic:sanctions", locale="en")
    spanish = await ask(core, "cronología desde:2025-09 tema:sanctions", locale="es-CO")
    assert [i.ref for i in spanish.items] == [i.ref for i in english.items]  # the same events, each in its reader's language
    assert [i.title for i in spanish.items] == ["El Tesoro de EE. UU. sanciona a Petro y a su familia"]
    assert spanish.title.startswith("Cronología · ") and english.title.startswith("Timeline · ")


@pytest.mark.parametrize("line", ["reunión", "reunion", "REUNIÓN", "/reunión"])
async def test_spanish_command_names_ignore_accents_and_case(core, line):
    reply = await ask(core, line, locale="es")
    assert reply.title.startswith("Reunión: ")
    assert any(f.name == "Cuándo" and "martes, 3 de febrero de 2026, 11:00 hora estándar oriental (Washington)" in f.value for f in reply.fields)


async def test_help_names_the_kinds_as_a_spanish_reader_types_them_and_each_is_taken(core):
    """tipo:'s description listed the English ids; it lists the words the Spanish line takes, and the ids still work."""
    spanish = kinds_listed("es")  # each kind's word, written by hand in tests/kinds_support.py
    fields = {f.name: f.value for f in (await ask(core, "ayuda añadir", locale="es")).fields}
    assert fields["tipo"] == f"Qué añadir: {spanish}" and 'cita, "pregunta frecuente", ' in fields["tipo"]
    english = (await ask(core, "help add", locale="en")).fields[1].value
    assert english == f"What to add: {kinds_listed('en')}" and english.startswith("What to add: session, timeline, person, ")
    set_kind = {f.name: f.value for f in (await ask(core, "ayuda cambiar", locale="es")).fields}["tipo"]
    assert set_kind == f"{spanish}, reunión, informe"
    assert {f.name: f.value for f in (await ask(core, "ayuda usos", locale="es")).fields}["tipo"] == "persona o fuente"
    for word in [*(w.strip().strip('"') for w in spanish.split(",")), "reunión", "informe", "sesion", "person", "faq", "meeting"]:
        answer = await ask(core, f'historial tipo:"{word}"', locale="es")
        # Read as its kind: its history, or, for a kind the shipped pack holds nothing of, that there is none yet.
        taken = answer.kind == "answer" and answer.title.startswith("Historial")
        assert taken or answer.text == Catalogue("es")("admin.no_history"), (word, answer.text)


async def test_accented_option_words_are_options(core):
    reply = await ask(core, "fuentes página:1", locale="es")
    assert reply.title.startswith("Fuentes · ")


async def test_an_option_given_in_both_languages_is_given_twice(core):
    reply = await ask(core, "timeline from:2025-09 desde:2025-10", locale="es")
    assert reply.text == "from: aparece dos veces." or reply.text == "desde: aparece dos veces."


async def test_option_words_only_translate_to_the_commands_own_options(core):
    reply = await ask(core, "fuentes tema:visa", locale="es")
    assert reply.text == "fuentes no tiene la opción tema:. Sus opciones: página:, informe:"


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("origen", "origen necesita el valor de elemento, como en: /origen vuelos de deportación"),
        ("why", "origen necesita el valor de elemento, como en: /origen vuelos de deportación"),
        ("cronología from:2025-13", "desde: «2025-13» no es una fecha. Escribe año-mes-día como AAAA-MM-DD (solo un mes: AAAA-MM; un año: AAAA)."),
        ("cronología desde:03/02/2026", "desde: «03/02/2026» no es una fecha. Escribe año-mes-día, p. ej. desde:2026-02-03; solo un mes: desde:2026-02."),
        ("cronología desde:2026-02-31", "desde: «2026-02-31» no es una fecha: ese mes no tiene día 31."),
        ("cronologia tpic:x", "cronología no tiene la opción tpic:. ¿Querías decir tema:? Sus opciones: desde:, hasta:, tema:, palabras:, página:, informe:"),
        ("cronología tem:visa", "cronología no tiene la opción tem:. ¿Querías decir tema:? Sus opciones: desde:, hasta:, tema:, palabras:, página:, informe:"),
        ("fuentes hola", "fuentes no admite texto libre; consulta /ayuda fuentes."),
        # A side is offered as it must be typed, quoted, in the reader's word for the option.
        ("delegación parte:estados", 'No hay ninguna parte «estados». ¿Querías decir parte:"Estados Unidos"? Partes: Colombia, Estados Unidos, '
                                     "Otros mencionados."),
        # The value's next word, not a second "parte".
        ("delegación parte:Estado Unidos", "delegación no admite texto libre, así que «Unidos» no se ha leído. Si es parte del valor de parte:, "
                                           'ponlo entre comillas: parte:"Estado Unidos"'),
        ("delegación petro", "delegación no admite texto libre. Para buscar a una persona: /persona petro, o /delegación nombre:petro; "
                             "para un cargo: /delegación cargo:petro."),
        # What the reader typed is quoted as typed, even an English option of another command.
        ("fuentes topic:visa", "fuentes no tiene la opción topic:. Sus opciones: página:, informe:"),
        ("resumen from:2025", "resumen no tiene la opción from:. Sus opciones: informe:"),
        ("persona nadie", "En este informe no aparece nadie llamado «nadie». /buscar nadie busca esas palabras en todo el informe."),
        # What found nothing, as the reader would type it again.
        ("cronología desde:2027-01 hasta:2027-02", "Ningún hecho de la cronología cumple desde:2027-01 hasta:2027-02. /cronología muestra "
                                                   "todos los hechos."),
        ("cronología zzzz", "Ningún hecho de la cronología cumple palabras:zzzz. /buscar zzzz busca esas palabras en todo el informe; "
                            "/cronología muestra todos los hechos."),
        ('delegación nombre:"zzz yy"', 'Nadie cumple nombre:"zzz yy". Prueba con menos filtros, o solo /delegación para ver la delegación.'),
        ("buscar zzzz", "Nada en este informe coincide con «zzzz». Prueba con menos palabras o más cortas (cada una encuentra las palabras "
                        "que empiezan así), o /ayuda buscar para ver cómo se busca."),
        ("cronología palabras:visa especial", "cronología lee las palabras sin opción como palabras:, así que «especial» da palabras: por "
                                              'segunda vez. Si forma parte del valor, ponlo entre comillas: palabras:"visa especial"'),
        # A topic of two words is offered as it must be typed.
        ("cronología tema:política interna", 'No hay ningún tema «política». ¿Querías decir: "política interna"?'),
    ],
)
async def test_an_error_names_commands_and_options_in_the_readers_words(core, line, text):
    """Help shows `origen <elemento>`; an error about the same command must not call it `why <item>`."""
    assert (await ask(core, line, locale="es")).text == text


async def test_an_english_reader_gets_the_english_names_and_a_typed_option_stays_as_typed(core):
    assert (await ask(core, "why")).text == "why needs the item, as in: /why deportation flights"
    assert (await ask(core, "timeline desde:x", locale="es")).text.startswith("desde: «x» no es una fecha")
    assert (await ask(core, "timeline desde:x")).text.startswith("from: “x” is not a date")


async def test_help_is_in_the_readers_words(core):
    listing = await ask(core, "ayuda", locale="es-419")
    titles = [item.title for item in listing.items]
    assert "cronología" in titles and "timeline" not in titles
    timeline = next(item for item in listing.items if item.title == "cronología")
    assert timeline.meta.startswith("cronología [desde:…] [hasta:…] [tema:…]")
    one = await ask(core, "ayuda cronología", locale="es")
    assert one.title == "Ayuda: cronología"
    assert [f.name for f in one.fields][:3] == ["Uso", "desde", "hasta"]
    english = await ask(core, "help timeline", locale="en-US")
    assert english.title == "Help: timeline" and english.fields[1].name == "from"


async def test_unknown_command_suggests_spanish_words(core):
    reply = await ask(core, "cronologa", locale="es")
    assert reply.text == "No existe el comando «cronologa». ¿Querías decir: cronología?"
    # Found among every language's words, offered in the reader's: `deshacer`, not `undo`; each command once.
    assert (await ask(core, "reunon", locale="es")).text == "No existe el comando «reunon». ¿Querías decir: reunión, resumen, deshacer?"
    assert (await ask(core, "reunon", locale="en")).text == "There is no command “reunon”. Did you mean: meeting, brief, undo?"
    assert (await ask(core, "timelines", locale="es")).text == "No existe el comando «timelines». ¿Querías decir: cronología?"


@pytest.mark.parametrize("line", ["por qué trump visa", "porqué trump visa", "porque trump visa", "Por Qué trump visa", "/por qué trump visa"])
async def test_a_spanish_reader_asks_why_as_spanish_writes_it(core, line):
    """`por qué visa` was "No existe el comando «por». ¿Querías decir: exportar?": `porqué` names `origen`, in one word or two."""
    assert (await ask(core, line, locale="es")).title == "Origen: Trump revoca la visa de Petro"


async def test_help_and_the_line_take_a_command_name_typed_in_two_words(core):
    for line in ("ayuda por qué", "ayuda porqué", "ayuda porque"):
        assert (await ask(core, line, locale="es")).title == "Ayuda: origen", line
    assert (await ask(core, "time line from:2026-02")).title.startswith("Timeline · ")
    # Two words that name no command together are still an unknown command, named by its first word.
    assert (await ask(core, "por favor", locale="es")).text == "No existe el comando «por». ¿Querías decir: origen, exportar?"


async def test_did_you_mean_offers_an_admins_command_to_an_admin_only(core):
    """A reader who may not run `export` was offered it for `por`: the console's operator is an admin, a Discord reader not."""
    assert (await ask(core, "por", locale="es")).text == "No existe el comando «por». ¿Querías decir: origen, exportar?"
    reader = {"platform": "discord", "user_id": "1", "channel_id": "2", "locale": "es"}
    assert (await ask(core, "por", **reader)).text == "No existe el comando «por». ¿Querías decir: origen?"
    assert (await ask(core, "deshacr", **reader)).text == "No existe el comando «deshacr». Prueba /ayuda."
    assert (await ask(core, "deshacr", locale="es")).text == "No existe el comando «deshacr». ¿Querías decir: deshacer, rehacer?"
    assert (await ask(core, "ayuda deshacr", **reader)).text == "No existe el comando «deshacr». Prueba /ayuda."
    assert (await ask(core, "ayuda deshacr", locale="es")).text == "No existe el comando «deshacr». ¿Querías decir: deshacer, rehacer?"


def test_a_spanish_word_that_names_another_command_is_refused():
    from bot.core.commands.help import help_command
    from bot.core.registry import CommandSpec, Registry

    with pytest.raises(ValueError, match="registered twice"):
        Registry((CommandSpec("timeline", help_command), CommandSpec("cronologia", help_command)))


async def test_a_pause_reason_is_shown_in_the_readers_language(core, store):

    await ask(core, "subscribe channel:c1 platform:discord", platform="cli")
    [subscription] = await store.digests.subscriptions()
    await store.digests.pause(subscription, "paused.discord_not_found", BEFORE)  # as the Discord sender names it
    spanish = await ask(core, "suscripciones", locale="es", platform="cli")
    english = await ask(core, "subscriptions", platform="cli")
    assert "en pausa: no se encuentra el canal (404)" in spanish.items[0].meta
    assert "paused: channel not found (404)" in english.items[0].meta
    # The platform by its name in the catalogue, as history and undo name it, never its id as stored ("discord · por …").
    assert spanish.items[0].meta.startswith("Discord · por el usuario local · ") and english.items[0].meta.startswith("Discord · by local · ")


def test_every_command_and_option_has_a_spanish_word() -> None:
    """A Spanish reader's Discord and Slack show these words: a command or option left out shows in English."""
    from bot.core.commands import COMMANDS
    from bot.core.names_es import OPTIONS_ES

    commands = sorted(spec.name for spec in COMMANDS.specs if spec.name not in COMMANDS_ES)
    assert not commands, f"add the Spanish word of each of {commands} to COMMANDS_ES in bot/core/names_es.py (the same word too)"
    options = sorted({o.name for spec in COMMANDS.specs for o in spec.options} - set(OPTIONS_ES))
    assert not options, f"add the Spanish word of each option {options} to OPTIONS_ES in bot/core/names_es.py (the same word too)"


# Discord's file commands (importar, exportar) are not core commands.
SPANISH_NAMES = sorted(set(COMMANDS_ES.values()) - {"importar", "exportar"})


@given(command=st.sampled_from(SPANISH_NAMES), tail=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_any_spanish_line_gets_an_answer_or_a_user_error(core, caplog, command, tail):
    reply = await ask(core, f"/{command} {tail}", locale="es", platform="cli")
    assert reply.text != Catalogue("es")("error.internal"), caplog.text
    assert reply.kind in ("answer", "error")


async def test_a_spanish_faq_question_is_matched_by_its_words_not_its_filler(core):
    """"la", "que", "es" are in nearly every Spanish answer: counted, they listed all eight questions."""
    spanish = await ask(core, "preguntas ¿Qué es la tregua?", locale="es")
    assert [item.ref for item in spanish.items] == ["faq/forced-truce"]
    assert [item.ref for item in (await ask(core, "faq what is the truce")).items] == ["faq/forced-truce"]


def test_an_option_typed_where_a_command_takes_none_is_quoted_as_typed():
    """No shipped command is without options today; the rule for its message holds for one added later."""
    from bot.core.registry import in_readers_words

    def named(key: str, params: dict[str, str]) -> dict[str, str]:
        return {name: f"{value}" for name, value in in_readers_words(key, params, "es").items() if name in params}

    assert named("args.no_options", {"command": "help", "option": "from"}) == {"command": "ayuda", "option": "from"}
    assert named("args.missing", {"command": "help", "option": "command"}) == {"command": "ayuda", "option": "comando"}


async def test_an_admins_answers_name_commands_and_the_briefing_in_spanish(core):
    """What to run next is said in the words help lists (`deshacer`, `suscribir`), and the briefing by its Spanish title."""
    changed = await ask(core, "cambiar tipo:meeting estado:concluded", locale="es")  # a field's Spanish word, as the answer names it
    assert changed.footer.startswith("/deshacer revierte la revisión 2; otro /deshacer retrocede más, y /rehacer recupera lo deshecho.")
    assert [(field.name, field.value) for field in changed.fields] == [("estado", "antes «scheduled», ahora «concluded»")]  # Spanish words and quotation marks
    refused = await ask(core, "quitar tipo:person id:donald-trump", locale="es")
    assert refused.text.endswith("Para verlos todos: /usos tipo:persona id:donald-trump")
    kinds = await ask(core, "usos tipo:cita id:x", locale="es")  # the kinds it takes, as tipo: is typed: not "person, source"
    assert kinds.text == "Solo estos tipos son mencionados por otros elementos: persona, fuente."
    assert (await ask(core, "uses kind:quote id:x", locale="en")).text == "Only these kinds are named by other items: person, source."
    subscribed = await ask(core, "suscribir hora:07:30 zona:Europe/Madrid canal:c1 plataforma:slack", locale="es")
    fields = {field.name: field.value for field in subscribed.fields}
    assert fields["Informe"] == "Petro en Washington: la reunión con Trump en la Casa Blanca (petro-trump-2026)"
    assert subscribed.footer.startswith("Vuelve a ejecutar /suscribir solo con lo que quieras cambiar (lo demás se mantiene), o /desuscribir")


async def test_a_spanish_admin_is_sent_to_the_commands_and_kinds_their_menu_shows(core):
    """Messages naming a command, option or kind name them as the Spanish reader types them (`/usar`, `tipo:sesión`),
    not by the English ids the catalogue once spelled beside the Spanish words."""
    alias = await ask(core, "añadir tipo:reunión id:meeting", locale="es")
    assert alias.text == ("Solo hay una reunión: tipo:reunión designa la única sesión del informe, que se cambia con /cambiar. "
                          "Para añadir o quitar sesiones, usa tipo:sesión id:…")
    helped = await ask(core, "ayuda informe", locale="es")
    assert helped.text.startswith("Admin: /informe nuevo id:… título:… crea un informe vacío; complétalo con /añadir")
    assert {f.name: f.value for f in helped.fields}["acción"] == "nuevo: crear un informe vacío"
    assert (await ask(core, "informe nuevo id:otra título:Otra", locale="es")).kind == "answer"  # the line help shows runs
    described = {f.name: f.value for f in (await ask(core, "ayuda cronología", locale="es")).fields}["informe"]
    assert described == "Qué informe (por defecto, el que lee este canal; consulta /usar)"
    assert (await ask(core, "ayuda exportar", locale="es")).text.endswith("a otro sitio con /importar.")
    english = await ask(core, "add kind:meeting id:meeting", locale="en")
    assert "kind:meeting names the briefing's only session, to change with /set. Add or remove sessions with kind:session id:…" in english.text


async def test_the_briefings_list_and_use_name_a_briefing_by_the_readers_title(core):
    listed = await ask(core, "informes", locale="es")
    assert listed.items[0].title == "Petro en Washington: la reunión con Trump en la Casa Blanca (petro-trump-2026)"
    here = await ask(core, "usar", locale="es")
    assert here.title == "Aquí: Petro en Washington: la reunión con Trump en la Casa Blanca (petro-trump-2026)"
    assert (await ask(core, "briefings", locale="en")).items[0].title.startswith("Petro in Washington: the White House meeting")


async def test_an_options_fixed_values_are_typed_and_listed_in_the_readers_words(core, store):
    """`para:canal`, `silencio:sí` and a yes/no field's `sí` are the Spanish words for channel and yes, as Discord's choices show them."""
    refused = await ask(core, "usar idioma:es para:calle", locale="es")
    assert refused.text == "para: «calle» no es un valor que admita; escribe uno de estos: canal, espacio."
    assert (await ask(core, "use language:es for:street")).text == "for: “street” is not a value it takes; type one of these: channel, space."
    # One value: the sentence names it alone, in the reader's word, which is then taken.
    assert (await ask(core, "informe nuevos", locale="es")).text == "acción: «nuevos» no es un valor que admita; escribe nuevo."
    assert (await ask(core, "briefing old")).text == "action: “old” is not a value it takes; type new."
    assert (await ask(core, "informe nuevo", locale="es")).text == "Un informe nuevo necesita id: y título:."
    # Kinds are typed as the reader reads them in answers (a name of two words quoted), the pack's names as ever.
    kinds = (await ask(core, "historial tipo:planeta", locale="es")).text
    assert kinds.endswith(f"escribe uno de estos: {kinds_listed('es')}, reunión, informe.")
    for typed in ("cronología", "cronologia", '"pregunta frecuente"', "reunión", "faq"):
        assert (await ask(core, f"historial tipo:{typed}", locale="es")).kind == "answer", typed
    taken = await ask(core, "usar idioma:es para:canal", locale="es")  # read as channel: the console has no space to fix it in
    assert taken.text.startswith("Un informe o un idioma se elige para un servidor")
    subscribed = await ask(core, "suscribir plataforma:slack canal:C1 silencio:sí", locale="es")
    assert subscribed.kind == "answer", subscribed.text
    assert [s.quiet for s in await store.digests.subscriptions()] == [True]
    assert (await ask(core, "cambiar tipo:person id:pedro-sanchez delegation:no", locale="es")).kind == "answer"
    assert (await ask(core, "cambiar tipo:person id:pedro-sanchez delegation:sí", locale="es")).kind == "answer"
    assert (await ask(core, "cambiar tipo:person id:pedro-sanchez delegation:tal", locale="es")).text.endswith("«tal» no es sí ni no.")


async def test_the_alerts_fixed_values_are_typed_and_listed_in_the_readers_words(core, store):
    """`avisos:todos`, `ninguno`, `inicio`, `estado` are the Spanish words for all, none, start and status, read as every
    fixed value is (`registry.fixed_value`); the English words are still taken, and help and refusals list the reader's."""
    for typed, alerts in (("todos", ("24h", "1h", "start", "status")), ("ninguno", ()), ("Inicio, estado", ("start", "status")), ("all", ("24h", "1h", "start", "status"))):
        subscribed = await ask(core, f"suscribir plataforma:slack canal:C1 avisos:{typed!r}".replace("'", '"'), locale="es")
        assert subscribed.kind == "answer", subscribed.text
        assert [s.alerts for s in await store.digests.subscriptions()] == [alerts], typed
    refused = await ask(core, "suscribir plataforma:slack canal:C1 avisos:todoss", locale="es")
    assert refused.text == "avisos: todoss no existe; elige todos, ninguno, o algunos de 24h, 1h, inicio, estado."
    assert (await ask(core, "suscribir plataforma:slack canal:C1 avisos:ninguno,inicio", locale="es")).text == (
        "avisos: ninguno desactiva todos los avisos, así que no puede ir con inicio; escribe ninguno sin más, o únicamente los avisos que quieras.")
    assert (await ask(core, "subscribe platform:slack channel:C1 alerts:bogus")).text == (
        "alerts: unknown bogus; choose all, none, or some of 24h, 1h, start, status.")
    fields = {f.name: f.value for f in (await ask(core, "ayuda suscribir", locale="es")).fields}
    assert fields["avisos"] == "todos, ninguno, o algunos de 24h, 1h, inicio, estado (separados por comas)"


async def test_an_accented_tag_is_refused_by_a_rule_that_says_ids_have_no_accents(core):
    """"ó" is a minúscula: "se esperaba un id de minúsculas" alone misled an editor who typed `migración`."""
    line = "cambiar tipo:cronología id:deportation-flights-blocked tags:migración"
    assert "se esperaba un id de minúsculas sin acentos (a–z), dígitos" in (await ask(core, line, locale="es")).text
    assert "expected an id of lower-case letters without accents (a–z), digits" in (await ask(core, line)).text
    fields = {f.name: f.value for f in (await ask(core, "ayuda añadir", locale="es")).fields}
    assert fields["id"] == "Un id nuevo: minúsculas sin acentos (a–z), dígitos, - o _"


async def test_zona_is_the_time_zone_of_a_new_briefing_and_of_a_subscription(core, store):
    """A time zone has one Spanish word: `informe nuevo … zona:` refused it ("¿Querías decir huso:?") where `suscribir` took it;
    each command reads it as its own option."""
    made = await ask(core, 'informe nuevo id:cumbre título:"Cumbre de paz" zona:America/Bogota', locale="es")
    assert made.kind == "answer", made.text
    assert (await store.repository.briefing("cumbre")).venue.zone == "America/Bogota"
    subscribed = await ask(core, "suscribir plataforma:slack canal:C1 zona:Europe/Madrid", locale="es")
    assert subscribed.kind == "answer", subscribed.text
    assert [s.zone for s in await store.digests.subscriptions()] == ["Europe/Madrid"]
    assert "zona:…" in (await ask(core, "ayuda informe", locale="es")).fields[0].value


async def test_the_parties_are_joined_by_the_readers_word(core):
    assert (await ask(core, "reunión", locale="es")).title == "Reunión: Gustavo Petro y Donald Trump"
    assert (await ask(core, "meeting")).title == "Meeting: Gustavo Petro & Donald Trump"


@pytest.mark.parametrize("warm", [True, False])  # a running bot, and a one-shot `ask`, which reads the hits' items first
async def test_a_capital_o_between_spanish_words_finds_either(store, warm):
    core = BriefingCore(store.repository, warm_indexes=warm)
    either = await ask(core, "buscar visa O aranceles", locale="es")
    assert either.title == "Búsqueda «visa O aranceles» · 5 resultados"
    assert [i.ref for i in either.items] == [i.ref for i in (await ask(core, "buscar visa OR aranceles", locale="es")).items]
    events = await ask(core, 'cronología palabras:"visa O aranceles"', locale="es")
    assert events.title == "Cronología · 3 hechos"
    # A lower-case "o" is a word to find, and an English reader's "O" is one too; finding nothing, the answer says how
    # to write "or" (a Colombian tour wrote "o" and was told only to try fewer words).
    lower = await ask(core, "buscar visa o aranceles", locale="es")
    assert lower.kind == "error"
    assert lower.text == ("Nada en este informe coincide con «visa o aranceles». /buscar \"visa O aranceles\" encuentra una "
                          "palabra u otra: la O que las separa se escribe en mayúscula.")
    english = await ask(core, "search visa O tariffs")
    assert english.kind == "error" and english.text.startswith("Nothing in this briefing matches “visa O tariffs”. Try fewer")
    # An "o" that separates nothing is no "or" misspelt; nor one whose capital-O search finds nothing either: the usual advice.
    assert "mayúscula" not in (await ask(core, "buscar zzzz o", locale="es")).text
    neither = await ask(core, "buscar zzzz o qqqq", locale="es")
    assert neither.kind == "error" and neither.text.startswith("Nada en este informe coincide con «zzzz o qqqq». Prueba con menos"), neither.text


async def test_the_speaker_option_is_quien_with_its_accent_and_typed_either_way(core):
    """Help writes Spanish as Spanish is written (`[<quién>]`); `quien:` without the accent is still the same option."""
    shown = await ask(core, "ayuda citas", locale="es")
    assert "Uso: citas [<quién>] [página:…] [informe:…]" in shown.text + "\n" + "\n".join(f"{f.name}: {f.value}" for f in shown.fields)
    accented, plain = await ask(core, "citas quién:petro", locale="es"), await ask(core, "citas quien:petro", locale="es")
    assert accented.kind == "answer" and [i.ref for i in accented.items] == [i.ref for i in plain.items]


@pytest.mark.parametrize(("locale", "typed", "label"), [
    ("es", "EE. UU.", "Estados Unidos"), ("es", "eeuu", "Estados Unidos"), ("es", "US", "Estados Unidos"), ("es", "usa", "Estados Unidos"),
    ("es", "ee", "Estados Unidos"), ("es", "unidos", "Estados Unidos"), ("en", "u.s", "United States"), ("en", "EEUU", "United States"),
])
async def test_side_is_offered_by_any_of_its_names_and_shown_by_its_label(core, locale, typed, label):
    """`parte:eeuu` works typed in full: its start offers the side too, by the label the answers show, and the id it sends runs."""
    request = Request(command="delegation", now=BEFORE, platform="console", operator=True, locale=locale)
    offered = await core.complete(request, "side", typed)
    assert [(choice.label, choice.value) for choice in offered] == [(label, "united_states")]
    assert (await ask(core, f"delegación parte:{offered[0].value}", locale=locale)).kind == "answer"
    assert await core.complete(request, "side", "xyz") == []


async def test_a_search_matching_only_the_original_shows_the_original_passage_marked_untranslated(core):
    """`buscar sanctions` finds the session by its English stakes: the Spanish answer shows that passage, as the English
    one does, marked untranslated, and not its first field (where it is); a Spanish word shows the Spanish passage."""
    english = {item.ref: item.text for item in (await ask(core, "search sanctions", locale="en")).items}
    spanish = {item.ref: item.text for item in (await ask(core, "buscar sanctions", locale="es")).items}
    stake = "Gustavo Petro: The author's analysis: he aims to conclude his term with a solid international projection and avoid sanctions that could weaken his image."
    assert english["session/meeting"] == stake
    assert spanish["session/meeting"] == f"{stake} (sin traducir)"
    translated = {item.ref: item.text for item in (await ask(core, "buscar sanciones", locale="es")).items}
    assert translated["session/meeting"].startswith("Gustavo Petro: Análisis del autor:") and "evitar sanciones" in translated["session/meeting"]
    # Only the original's title holds the words: it is the passage, marked untranslated, not a field without them.
    titled = {item.ref: item.text for item in (await ask(core, "buscar White House", locale="es")).items}
    assert titled["context/regional-diplomacy"] == "Beyond the White House (sin traducir)"


async def test_a_search_matching_only_a_translation_shows_that_passage_labelled_as_the_translation(core):
    """`search Casa Blanca` finds items by their Spanish alone: an English reader sees the Spanish passage that holds the
    words, labelled as the Spanish translation, and a quote's translated words as a translation, never as the speaker's."""
    found = {item.ref: item.text for item in (await ask(core, "search Casa Blanca", locale="en", page_size=10)).items}
    assert found["agenda/white-house"] == "Where: La Casa Blanca, Washington (Spanish translation)"
    assert found["quote/petro-plaza-bolivar"] == "En X, al convocar una concentración en Bogotá durante la reunión en la Casa Blanca (Spanish translation)"
    assert found["context/regional-diplomacy"] == "Más allá de la Casa Blanca (Spanish translation)"  # its Spanish title alone holds them
    summary = found["summary"]  # the Spanish summary's sentence that holds them
    assert summary.startswith("El centro de la visita es una reunión privada, a puerta cerrada, con Donald Trump en la Casa Blanca")
    assert summary.endswith("… (Spanish translation)")
    words = (await ask(core, "search tacharme", locale="en")).items[0]
    assert words.text == "Translation, not the speaker's own words: “tacharme falsamente de narcotraficante”"
    # A word the reader's own text holds shows that text, unlabelled.
    assert (await ask(core, "search closed-door", locale="en")).items[0].text.startswith("Closed-door meeting")


async def test_what_docs_languages_quotes_a_spanish_reader_told_is_what_the_bot_tells(core):
    """The guide quoted "origen <elemento>; ayuda origen muestra un ejemplo." and an English paging line, long after the bot said otherwise."""
    from pathlib import Path

    from bot.adapters.console import ConsoleSession, render_text

    guide = " ".join((Path(__file__).resolve().parent.parent / "docs" / "languages.md").read_text(encoding="utf-8").split())
    console = ConsoleSession(core, lambda: BEFORE, locale="es")
    told = (await console.answer("origen")).text
    assert f'"{told}"' in guide, told
    paging = next(line for line in render_text(await console.answer("cronología"), "es").splitlines() if line.startswith("Página "))
    assert f'"{paging}"' in guide, paging
    assert "siguiente: timeline" not in guide


def test_a_command_name_in_two_words_is_read_alike_by_every_path(core):
    """What Slack asks before offering Post to channel, or before asking whether it may post, reads `des hacer` as the core
    runs it (`deshacer`): read as an unknown command, it was offered to run an undo again."""
    for two, one in (("des hacer", "deshacer"), ("sus cribir hora:08:00", "suscribir hora:08:00"), ("ex portar", "exportar")):
        assert core.repeatable(two) is core.repeatable(one) is False, two
    assert core.posts_here("sus cribir hora:08:00") is core.posts_here("suscribir hora:08:00") is True
