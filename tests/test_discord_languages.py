"""Discord in the reader's language, through the real discord.py against the loopback Discord."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord_app.cli import sync
from bot.adapters.discord_app.client import BriefbotClient
from bot.core.commands import COMMANDS
from bot.core.service import BriefingCore
from bot.settings import DiscordSettings, Settings
from bot.store import Store
from tests.discord_fake import TOKEN, FakeDiscord
from tests.discord_support import connected
from tests.kinds_support import kinds_listed
from tests.test_why import EDITED_AT, operators_addition


@pytest.fixture
async def bot(fake: FakeDiscord, core: BriefingCore) -> AsyncIterator[BriefbotClient]:
    async with connected(fake, core, DiscordSettings(api_base=fake.api_base, gateway=fake.gateway)) as client:
        yield client


@pytest.mark.parametrize(("locale", "title"), [("es-ES", "Reunión: "), ("es-419", "Reunión: "), ("en-US", "Meeting: ")])
async def test_the_interactions_locale_chooses_the_language(fake: FakeDiscord, bot: BriefbotClient, locale: str, title: str) -> None:
    data = (await fake.interact(fake.command("meeting", {"public": True}, locale=locale)))["data"]
    embed = data["embeds"][0]
    assert embed["title"].startswith(title)
    if locale.startswith("es"):
        # Which zone time it is, as the English reader's "EST": CLDR's Spanish name for it.
        assert any("martes, 3 de febrero de 2026, 11:00 hora estándar oriental (Washington)" in f["value"] for f in embed["fields"])


async def test_the_servers_locale_serves_a_user_whose_language_the_bot_lacks(fake: FakeDiscord, bot: BriefbotClient) -> None:
    spanish_server = (await fake.interact(fake.command("brief", {"public": True}, locale="fr", guild_locale="es-419")))["data"]
    english_server = (await fake.interact(fake.command("brief", {"public": True}, locale="fr", guild_locale="de")))["data"]
    assert spanish_server["embeds"][0]["fields"][0]["name"] == "Cuándo"
    assert english_server["embeds"][0]["fields"][0]["name"] == "When"


async def test_a_spanish_reader_is_pointed_to_commands_by_the_names_their_discord_shows(fake: FakeDiscord, bot: BriefbotClient) -> None:
    """Discord lists the commands by their Spanish names to a Spanish client, so answers name them so too."""
    spanish = (await fake.interact(fake.command("brief", {"public": True}, locale="es-ES")))["data"]["embeds"][0]
    assert "Más: /reunión · /cronología · /delegación" in str(spanish) and "/meeting" not in str(spanish)
    missing = (await fake.interact(fake.command("faq", {"question": "zzzz", "public": True}, locale="es-419")))["data"]
    assert "Prueba /preguntas para verlas todas" in str(missing)


async def test_why_names_its_last_change_in_spanish_and_in_the_readers_clock(fake: FakeDiscord, bot: BriefbotClient, store: Store) -> None:
    """The stored action ("add") was shown raw, and the time as an ISO stamp in UTC."""
    number = await operators_addition(store)
    data = (await fake.interact(fake.command("why", {"item": "timeline/new-talks", "public": True}, locale="es-ES")))["data"]
    (changed,) = [field for field in data["embeds"][0]["fields"] if field["name"] == "Último cambio"]  # beside the sources' links
    unix = int(EDITED_AT.timestamp())
    assert changed["value"] == f"<t:{unix}:F> · <t:{unix}:R>\n3 de febrero de 2026, 18:00 UTC (Revisión {number} · timeline/new-talks añadido)"


async def test_a_user_error_is_in_spanish(fake: FakeDiscord, bot: BriefbotClient) -> None:
    data = (await fake.interact(fake.command("timeline", {"from": "ayer", "public": True}, locale="es-419")))["data"]
    assert "«ayer» no es una fecha" in str(data)


async def test_the_synced_schema_carries_spanish_names_descriptions_and_choices(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = Settings(discord=DiscordSettings(api_base=fake.api_base, gateway=fake.gateway), env={"DISCORD_TOKEN": TOKEN})
    await sync(settings, COMMANDS, state_dir=tmp_path)
    registered = {c["name"]: c for c in fake.commands["global"]}
    timeline = registered["timeline"]
    for locale in ("es-ES", "es-419"):
        assert timeline["name_localizations"][locale] == "cronología"
        assert timeline["description_localizations"][locale].startswith("Los hechos de la historia")
    assert "en-US" not in timeline["name_localizations"] and "fr" not in timeline["name_localizations"]
    options = {o["name"]: o for o in timeline["options"]}
    assert options["from"]["name_localizations"]["es-419"] == "desde"
    assert options["from"]["description_localizations"]["es-ES"].startswith("Fecha más temprana")
    assert options["public"]["name_localizations"]["es-ES"] == "público"
    kinds = {c["value"]: c for o in registered["set"]["options"] if o["name"] == "kind" for c in o["choices"]}
    assert kinds["person"]["name_localizations"]["es-ES"] == "Persona"
    assert kinds["briefing"]["name_localizations"]["es-ES"] == "Informe"  # the head, whose form `/set tipo:informe` opens
    # The language a translation set from chat is in: the bot's, by their names (`/cambiar idioma:español`).
    lang = next(o for o in registered["set"]["options"] if o["name"] == "lang")
    assert lang["name_localizations"]["es-ES"] == "idioma"
    assert [(c["value"], c["name"], c["name_localizations"]["es-ES"]) for c in lang["choices"]] == [("en", "en", "inglés"), ("es", "es", "español")]
    # An option's fixed values in the words the line parser takes from a Spanish reader (`para:canal`); the value stays English.
    scope = next(o for o in registered["use"]["options"] if o["name"] == "for")
    assert [(c["value"], c["name_localizations"]["es-ES"]) for c in scope["choices"]] == [("channel", "canal"), ("space", "espacio")]
    # One word for a time zone, whichever command takes it.
    zones = [o for name in ("briefing", "subscribe") for o in registered[name]["options"] if o["name"] in ("zone", "tz")]
    assert [o["name_localizations"]["es-ES"] for o in zones] == ["zona", "zona"]
    alerts = next(o for o in registered["subscribe"]["options"] if o["name"] == "alerts")  # a list of fixed values, in the same words
    assert alerts["description_localizations"]["es-ES"] == "todos, ninguno, o algunos de 24h, 1h, inicio, estado (separados por comas)"
    # The file commands are built from their specs like the rest: `/calendario informe:`.
    calendar = registered["calendar"]
    assert calendar["name_localizations"]["es-ES"] == "calendario" and calendar["description_localizations"]["es-419"]
    # A one-off attachment, no HTTP feed (docs/calendar.md): nothing to subscribe to, in either language.
    described = [calendar["description"], *calendar["description_localizations"].values()]
    assert all(".ics" in text and "subscri" not in text and "suscri" not in text for text in described), described
    (briefing,) = calendar["options"]
    assert briefing["name_localizations"]["es-ES"] == "informe"
    assert briefing["description_localizations"]["es-419"].startswith("Qué informe")
    imports = {o["name"]: o for o in registered["import"]["options"]}
    assert registered["import"]["name_localizations"]["es-419"] == "importar"
    assert imports["file"]["description_localizations"]["es-ES"].startswith("El paquete, un archivo YAML (como máximo ")
    for command in registered.values():
        for text in [*command["description_localizations"].values(), *command["name_localizations"].values()]:
            assert 0 < len(text) <= 100
        for name in command["name_localizations"].values():
            assert name == name.lower() and len(name) <= 32


async def test_the_spanish_schema_names_the_commands_and_values_a_spanish_menu_shows(fake: FakeDiscord, tmp_path: Path) -> None:
    """`informe:` sends the reader to /usar, `acción:` offers "nuevo": the words their menu shows."""
    settings = Settings(discord=DiscordSettings(api_base=fake.api_base, gateway=fake.gateway), env={"DISCORD_TOKEN": TOKEN})
    await sync(settings, COMMANDS, state_dir=tmp_path)
    registered = {c["name"]: c for c in fake.commands["global"]}

    def option(command: str, name: str) -> dict[str, Any]:
        return next(o for o in registered[command]["options"] if o["name"] == name)

    assert option("timeline", "briefing")["description"] == "Which briefing (default: the one this channel reads; see /use)"
    for locale in ("es-ES", "es-419"):
        assert option("timeline", "briefing")["description_localizations"][locale] == "Qué informe (por defecto, el que lee este canal; consulta /usar)"
        assert option("briefing", "action")["description_localizations"][locale] == "nuevo: crear un informe vacío"
        assert registered["briefing"]["description_localizations"][locale].startswith("Admin: /informe nuevo id:… título:…")


async def test_no_description_in_any_language_is_cut_to_fit(fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Discord takes 100 characters: every description, command's and option's, in every language, is written to fit, so
    none is cut mid-word ("…sede, objetivos y res…"). A cut one is logged by its key; here none may be."""
    settings = Settings(discord=DiscordSettings(api_base=fake.api_base, gateway=fake.gateway), env={"DISCORD_TOKEN": TOKEN})
    with caplog.at_level(logging.WARNING, logger="bot.adapters.discord_app.translator"):
        await sync(settings, COMMANDS, state_dir=tmp_path)
    assert [record.getMessage() for record in caplog.records if "past Discord's" in record.getMessage()] == []
    registered = {c["name"]: c for c in fake.commands["global"]}
    assert set(registered["meeting"]["description_localizations"].values()) == {
        "La sesión actual o la próxima (o sesión:): horas por zona, cuenta regresiva, sede, metas, resultado."
    }
    assert registered["export"]["description_localizations"]["es-ES"].endswith("llevarlo a otro sitio con /importar.")
    assert registered["use"]["description"] == "Which briefing answers here, and why; an admin chooses it with briefing: (for: channel or space)."


async def test_the_kind_options_spanish_description_names_the_kinds_a_spanish_reader_picks(fake: FakeDiscord, tmp_path: Path) -> None:
    """The description of kind (add, set, remove, uses) in Discord's Spanish tree: the Spanish kinds, not the English ids,
    each as the option's list shows it (`pregunta frecuente`: quoted, it was the console's syntax for a typed line)."""
    settings = Settings(discord=DiscordSettings(api_base=fake.api_base, gateway=fake.gateway), env={"DISCORD_TOKEN": TOKEN})
    await sync(settings, COMMANDS, state_dir=tmp_path)
    registered = {c["name"]: c for c in fake.commands["global"]}

    def kind(command: str) -> dict[str, Any]:
        return next(o for o in registered[command]["options"] if o["name"] == "kind")

    spanish = kinds_listed("es", typed=False)
    assert kind("add")["description"] == f"What to add: {kinds_listed('en')}"
    for locale in ("es-ES", "es-419"):
        assert kind("add")["description_localizations"][locale] == f"Qué añadir: {spanish}"
        assert kind("remove")["description_localizations"][locale] == f"Qué quitar: {spanish}"
        assert kind("uses")["description_localizations"][locale] == "persona o fuente"
        # Within Discord's 100 characters; what the only session is called, help says (`help.more.set`).
        assert kind("set")["description_localizations"][locale] == f"{spanish}, reunión, informe"


async def test_a_changed_translation_is_registered_again(fake: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(discord=DiscordSettings(api_base=fake.api_base, gateway=fake.gateway), env={"DISCORD_TOKEN": TOKEN})
    assert await sync(settings, COMMANDS, state_dir=tmp_path) is True
    from bot.core import names_es

    monkeypatch.setitem(names_es.COMMANDS_ES, "timeline", "historia")
    assert await sync(settings, COMMANDS, state_dir=tmp_path) is True
    assert {c["name"]: c for c in fake.commands["global"]}["timeline"]["name_localizations"]["es-ES"] == "historia"


async def test_a_spanish_reader_gets_the_packs_spanish_and_an_english_one_the_original(fake: FakeDiscord, bot: BriefbotClient) -> None:
    spanish = (await fake.interact(fake.command("quotes", {"public": True}, locale="es-ES")))["data"]
    english = (await fake.interact(fake.command("quotes", {"public": True}, locale="en-US")))["data"]
    shown, original = (json.dumps(payload, ensure_ascii=False) for payload in (spanish, english))  # not repr: it escapes ' and "
    # The speaker's words as the source gives them, and beside them the translation, labelled as one.
    assert "«undignified treatment»" in shown and "Traducción, no son sus palabras textuales: «trato indigno»" in shown
    assert "Traducido del inglés" in shown
    # No note that the answer is translated: its one "presumably translated from Spanish" labels Petro's words.
    assert "undignified treatment" in original and "trato indigno" not in original and "Translated from English" not in original
    # Petro's English words are the article's translation of his Spanish (the pack's `translated_from: es`): never his own.
    assert "«undignified treatment» — palabras de la fuente, presumiblemente traducidas del español: no son sus palabras textuales" in shown
    assert "“undignified treatment” — the source's wording, presumably translated from Spanish: not the speaker's own words" in original
    meeting = (await fake.interact(fake.command("meeting", {"public": True}, locale="es-419")))["data"]["embeds"][0]
    assert any(f["value"] == "Reunión privada, a puerta cerrada y sin presencia de medios" for f in meeting["fields"])


async def test_briefing_autocomplete_offers_a_spanish_reader_the_spanish_title(fake: FakeDiscord, bot: BriefbotClient) -> None:
    """`briefing:` offers the title `/briefings` shows the reader, and sends the id."""
    for locale, typed, title in [("es-ES", "casa blanca", "Petro en Washington: la reunión con Trump en la Casa Blanca"),
                                 ("en-US", "white house", "Petro in Washington: the White House meeting with Trump")]:
        body = await fake.interact(fake.autocomplete("brief", "briefing", typed, locale=locale))
        assert body["data"]["choices"] == [{"name": title, "value": "petro-trump-2026"}], locale
    # The id, which README says `briefing:` takes, finds it too, whole or by its start; its title is what is shown.
    for typed in ("petro-trump-2026", "petro-trump", "trump-2026", "2026"):
        body = await fake.interact(fake.autocomplete("brief", "briefing", typed, locale="es-ES"))
        assert body["data"]["choices"] == [{"name": "Petro en Washington: la reunión con Trump en la Casa Blanca", "value": "petro-trump-2026"}], typed



async def test_help_offers_a_spanish_reader_the_command_names_their_menu_shows_and_takes_the_one_chosen(
    fake: FakeDiscord, bot: BriefbotClient
) -> None:
    """`/ayuda comando:` offers "cronología" as the menu and answers say /cronología; help answers for it."""
    offered = (await fake.interact(fake.autocomplete("help", "command", "cro", locale="es-ES")))["data"]["choices"]
    assert offered == [{"name": "cronología", "value": "cronología"}]
    everything = (await fake.interact(fake.autocomplete("help", "command", "", locale="es-419")))["data"]["choices"]
    assert {"resumen", "reunión", "cronología"} <= {c["value"] for c in everything} and "brief" not in {c["value"] for c in everything}
    # An English client in a Spanish server: its menu, and so the names offered, are English.
    english = (await fake.interact(fake.autocomplete("help", "command", "time", locale="en-US", guild_locale="es-ES")))["data"]["choices"]
    assert english[0] == {"name": "timeline", "value": "timeline"}
    helped = (await fake.interact(fake.command("help", {"command": offered[0]["value"], "public": True}, locale="es-ES")))["data"]
    assert helped["embeds"][0]["title"] == "Ayuda: cronología"


async def test_side_autocomplete_offers_a_side_by_its_other_names(fake: FakeDiscord, bot: BriefbotClient) -> None:
    """`/delegación parte:` offers Estados Unidos for "eeuu", "EE. UU." and "US", as `parte:eeuu` typed in full takes it."""
    for typed in ("eeuu", "EE. UU.", "US", "usa"):
        offered = (await fake.interact(fake.autocomplete("delegation", "side", typed, locale="es-ES")))["data"]["choices"]
        assert offered == [{"name": "Estados Unidos", "value": "united_states"}], typed
    english = (await fake.interact(fake.autocomplete("delegation", "side", "U.S", locale="en-US")))["data"]["choices"]
    assert english == [{"name": "United States", "value": "united_states"}]


async def test_a_spanish_search_shows_the_original_passage_that_matched(fake: FakeDiscord, bot: BriefbotClient) -> None:
    """/buscar sanctions: the session's hit is in its English stakes, shown so (marked untranslated), not "Dónde: …"."""
    embed = (await fake.interact(fake.command("search", {"text": "sanctions", "public": True}, locale="es-ES")))["data"]["embeds"][0]
    shown = str(embed)
    assert "avoid sanctions that could weaken his image. (sin traducir)" in shown and "Dónde: La Casa Blanca" not in shown
