"""Help's examples and option hints come from the briefing in use, never from the shipped pack (issue #15 §5).

A second, different pack is stored beside the shipped one (which stays the default), and help is asked
about the second: any name of the shipped pack in the answer would be a leak from the catalogue or
the default briefing. An empty briefing and an empty store get the generic placeholders.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from msgspec.structs import replace

from bot.adapters.console import render_text
from bot.adapters.discord_app.cli import sync
from bot.adapters.slack_app.manifest import manifest_text
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue_en import EN
from bot.core.catalogue_es import ES
from bot.core.commands import COMMANDS
from bot.core.commands.hints import example_values, hint_values
from bot.core.index import BriefingIndex
from bot.core.pack import parse_pack
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.core.skeleton import skeleton_mapping
from bot.core.text import fold
from bot.settings import DiscordSettings, Settings
from bot.store import Store, open_store
from bot.store.packfile import read_pack
from tests.briefings_support import chooser_core
from tests.cli_support import briefbot
from tests.conftest import PACK, ask
from tests.discord_fake import TOKEN, USER_ID, FakeDiscord
from tests.discord_support import connected
from tests.kinds_support import kinds_listed
from tests.slack_fake import slash_payload
from tests.test_climate_pack import CLIMATE, CLIMATE_ID
from tests.test_slack_http import serving_bot

RIVERS = "mekong-talks"
SOURCE = "river-report"


def _cited(passage: str) -> dict[str, Any]:
    """An item's sources and evidence: every item of a pack needs both."""
    return {"sources": [SOURCE], "evidence": [{"source": SOURCE, "passage": passage}]}


def rivers_pack() -> dict[str, Any]:
    """A story that shares no name, place or topic with the shipped pack."""
    pack = skeleton_mapping(RIVERS, "Talks on the Mekong dams", "Asia/Bangkok")
    said = 'Anong Sirikit met Hoang Van Minh in Vientiane; Minh said "the river feeds millions."'
    pack["briefing"].update(summary="Two ministers meet over the Mekong dams.", sides={"thai": "Thailand", "viet": "Vietnam"},
                            zones={"venue": {"zone": "Asia/Bangkok", "label": "Vientiane"}, "home": {"zone": "Asia/Ho_Chi_Minh", "label": "Hanoi"}},
                            evidence=[{"source": SOURCE, "passage": said}])
    pack["sources"] = [{"id": SOURCE, "publisher": "River Weekly", "title": "Ministers meet over the dams"}]
    pack["sessions"][0].update(parties=["anong-sirikit", "hoang-van-minh"], venue="Vientiane", topics=["fisheries", "silt"], **_cited(said))
    pack["people"] = [
        {"id": "anong-sirikit", "name": "Anong Sirikit", "role": "Water Minister", "organisation": "Government of Thailand",
         "side": "thai", "delegation": True, **_cited(said)},
        {"id": "hoang-van-minh", "name": "Hoàng Văn Minh", "role": "Fisheries Envoy", "organisation": "Government of Vietnam",
         "side": "viet", **_cited(said)},
    ]
    pack["timeline"] = [
        {"id": "dam-opened", "date": "2023-11", "title": "A new dam opens upstream", "detail": "The dam opens.", "tags": ["dams"], **_cited(said)},
        {"id": "catch-falls", "date": "2024-03-14", "title": "The fish catch falls", "detail": "Fishers report less.",
         "tags": ["fisheries", "dams"], **_cited(said)},
    ]
    pack["quotes"] = [{"id": "minh-feeds", "speaker": "hoang-van-minh", "words": "the river feeds millions", "context": "In Vientiane",
                       **_cited(said)}]
    pack["faq"] = [{"id": "why-meet", "question": "Why are the ministers meeting now?", "answer": "The catch fell.", **_cited(said)}]
    return pack


async def add_rivers(store: Store) -> None:
    """The second story beside the shipped one, which stays the default."""
    await store.repository.save(parse_pack(rivers_pack(), f"{RIVERS}.yaml"))


def shipped_words() -> set[str]:
    """Folded words of the shipped pack's people, places and topics, and its ids: none may appear in generic text."""
    data = yaml.safe_load(PACK.read_text(encoding="utf-8"))
    texts = [person["name"] for person in data["people"]]
    texts += [zone["label"] for zone in data["briefing"]["zones"].values()]
    texts += [label if isinstance(label, str) else label["name"] for side, label in data["briefing"]["sides"].items()
              if side != "other"]  # "Others named" is no place
    texts += [data["meeting"]["venue"], *(item["place"] for item in data["agenda"] if item.get("place"))]
    texts += [tag for event in data["timeline"] for tag in event["tags"]] + data["meeting"]["topics"]
    # The Spanish names of its places, which a translated sentence would use.
    texts += ["Estados Unidos", "Casa Blanca"]
    found = {word for text in texts for word in re.findall(r"\w+", fold(text)) if len(word) > 2} - {"the"}
    ids = [data["briefing"]["id"], *(s["id"] for s in data["sources"]), *(e["id"] for e in data["timeline"])]
    ids += [zone["zone"] for zone in data["briefing"]["zones"].values()]
    ids += [event["date"] for event in data["timeline"] if "date" in event]  # the examples' old "from:2025-09" was one
    return found | {fold(i) for i in ids}


SHIPPED = shipped_words()


def leaks(text: str) -> set[str]:
    """The shipped pack's words and ids found in a text."""
    folded = fold(text)
    return {w for w in SHIPPED if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded)}


def test_the_scan_knows_the_shipped_pack() -> None:
    assert {"trump", "garcia", "pena", "washington", "bogota", "sanctions", "visa", "colombia", "america bogota", "visa revoked", "2025 09"} <= SHIPPED
    assert leaks("quotes Trump · person Garcia Pena") == {"trump", "garcia", "pena"}
    assert leaks("Estados Unidos") == {"estados", "unidos"} and not leaks("a drugstore, visas, trumpet")


@pytest.mark.parametrize("catalogue", [EN, ES], ids=["en", "es"])
def test_no_sentence_of_the_catalogues_names_the_shipped_pack(catalogue: dict[str, str | tuple[str, str]]) -> None:
    found = {key: leaks(" ".join(v if isinstance(v, tuple) else (v,))) for key, v in catalogue.items()}
    assert {key: words for key, words in found.items() if words} == {}


async def test_no_registered_description_names_the_shipped_pack(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = Settings(discord=DiscordSettings(api_base=fake.api_base, gateway=fake.gateway), env={"DISCORD_TOKEN": TOKEN})
    await sync(settings, COMMANDS, state_dir=tmp_path)
    registered = fake.commands["global"]
    assert len(registered) > 20 and "description_localizations" in registered[0]
    assert leaks(str(registered)) == set()  # every command, option and choice, in English and Spanish
    assert leaks(manifest_text()) == set()
    assert leaks(briefbot("--help").stdout + briefbot("ask", "--help").stdout) == set()


def shown(reply: Reply) -> str:
    """The whole answer as the console prints it."""
    assert reply.kind != "error", reply.text
    return render_text(reply)


def example(reply: Reply) -> str:
    """The Example field of a command's help, in either language."""
    return next(f.value for f in reply.fields if f.name in ("Example", "Ejemplo"))


def hint(reply: Reply, option: str) -> str:
    """What a command's help says of one option."""
    return next(f.value for f in reply.fields if f.name == option)


async def test_help_names_the_briefing_in_use(core: BriefingCore, store: Store) -> None:
    await add_rivers(store)
    quotes = await ask(core, "help quotes", briefing_id=RIVERS)
    # The first person quoted, not the first person: the example must find quotes.
    assert example(quotes) == "quotes Hoàng Văn Minh"
    assert hint(quotes, "speaker") == "Only this speaker's quotes, such as Hoàng Văn Minh"
    person = await ask(core, "help person", briefing_id=RIVERS)
    assert example(person) == "person Anong Sirikit"
    assert hint(person, "name").endswith("such as Anong Sirikit or Hoàng Văn Minh")
    timeline = await ask(core, "help timeline", briefing_id=RIVERS)
    # The latest tagged event's month and first tag: the example always finds that event.
    assert example(timeline) == "timeline from:2024-03 topic:fisheries"
    assert hint(timeline, "topic") == "A topic tag of the timeline, such as dams or fisheries"
    assert hint(timeline, "from").endswith("such as 2023-11 or 2024-03")
    search = await ask(core, "help search", briefing_id=RIVERS)
    assert example(search) == "search dams" and "search dams OR fisheries." in search.text
    overview = await ask(core, "help", briefing_id=RIVERS)
    assert "search dams OR fisheries." in next(item.text for item in overview.items if item.title == "search")
    delegation = await ask(core, "help delegation", briefing_id=RIVERS)
    assert example(delegation) == "delegation role:Minister" and hint(delegation, "side").endswith("such as Thailand or Vietnam")
    assert hint(delegation, "role").endswith("such as Water Minister or Fisheries Envoy")
    # Words of a title, which a reader sees (never an id), that name one entry alone.
    assert example(await ask(core, "help why", briefing_id=RIVERS)) == "why opens upstream"
    assert (await ask(core, "why opens upstream", briefing_id=RIVERS)).title == "Why: A new dam opens upstream"
    assert example(await ask(core, "help faq", briefing_id=RIVERS)) == "faq ministers meeting"
    for reply in (quotes, person, timeline, search, overview, delegation):
        assert leaks(shown(reply)) == set()


async def test_spanish_help_names_the_briefing_in_use(core: BriefingCore, store: Store) -> None:
    await add_rivers(store)
    quotes = await ask(core, "ayuda citas", briefing_id=RIVERS, locale="es")
    assert example(quotes) == "citas Hoàng Văn Minh" and hint(quotes, "quién") == "Solo las citas de esta persona, como Hoàng Văn Minh"
    timeline = await ask(core, "ayuda cronología", briefing_id=RIVERS, locale="es")
    assert example(timeline) == "cronología desde:2024-03 tema:fisheries"
    assert hint(timeline, "tema") == "Una etiqueta de tema de la cronología, como dams o fisheries"
    search = await ask(core, "ayuda buscar", briefing_id=RIVERS, locale="es")
    assert "buscar dams O fisheries." in search.text
    lines = [quotes, timeline, search, await ask(core, "ayuda persona", briefing_id=RIVERS, locale="es"), await ask(core, "ayuda", briefing_id=RIVERS, locale="es")]
    assert all(leaks(shown(reply)) == set() for reply in lines)


async def test_help_kept_for_a_line_is_not_given_where_each_option_is_a_field(core: BriefingCore) -> None:
    """One briefing version's help is kept per way of typing: a line's `status:concluded outcome:…`, asked first, is never
    the answer where each option has a field of its own and only `field:` `value:` can be typed."""
    assert example(await ask(core, "help set")).startswith("set kind:session id:meeting status:concluded outcome:")
    assert example(await ask(core, "help set", options_in_fields=True)) == (
        "set kind:session id:meeting field:status value:concluded source:https://example.org/report"
    )


async def test_each_language_shows_a_commands_usage_in_its_own_words(core: BriefingCore) -> None:
    """A usage line is written once per command and language: asked in one, then the other, each reads as its own."""
    for _ in range(2):
        spanish = await ask(core, "ayuda cronología", locale="es")
        english = await ask(core, "help timeline")
        assert hint(spanish, "Uso").startswith("cronología [desde:…] [hasta:…]")
        assert hint(english, "Usage").startswith("timeline [from:…] [to:…]")
        overview = await ask(core, "ayuda", locale="es")
        assert next(item.meta for item in overview.items if item.title == "cronología").startswith("cronología [desde:…]")


async def test_discord_help_names_the_channels_briefing(fake: FakeDiscord, store: Store) -> None:
    """Through the real discord.py: the channel chose the second story, so /help names its people."""
    await add_rivers(store)
    async with connected(fake, chooser_core(store, AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}))):
        chosen = (await fake.interact(fake.command("use", {"briefing": RIVERS})))["data"]
        assert "Talks on the Mekong dams" in str(chosen)
        for locale, expected in (("en-US", "quotes Hoàng Văn Minh"), ("es-ES", "citas Hoàng Văn Minh")):
            embed = (await fake.interact(fake.command("help", {"command": "quotes"}, locale=locale)))["data"]["embeds"][0]
            assert {"name": "Example" if locale == "en-US" else "Ejemplo", "value": expected, "inline": False} in embed["fields"]
            assert leaks(str(embed)) == set()


async def test_slack_help_names_the_channels_briefing(store: Store) -> None:
    """Through the real bolt app: `/brief help quotes` in a channel that chose the second story."""
    await add_rivers(store)
    async with serving_bot(chooser_core(store, AdminPolicy({"slack": Admins(users=frozenset({"U0ADMIN"}))})), workspace_admins=False) as h:
        answers = []
        for n, (text, user) in enumerate(((f"use briefing:{RIVERS}", "U0ADMIN"), ("help quotes", "U0READER"))):
            fields = {**slash_payload("/brief", text, h.slack.response_url(f"hint{n}"), user=user), "channel_id": "C0RIVERS"}
            assert (await h.send(urlencode(fields), "application/x-www-form-urlencoded")).status == 200
            (answer,) = await h.slack.wait_for(f"hook/hint{n}")
            answers.append(json.dumps(answer.body, ensure_ascii=False))
    assert "Talks on the Mekong dams" in answers[0]
    assert "quotes Hoàng Văn Minh" in answers[1] and leaks(answers[1]) == set()


async def test_the_shipped_pack_gets_its_own_examples(core: BriefingCore) -> None:
    assert example(await ask(core, "help quotes")) == "quotes Gustavo Petro"
    assert example(await ask(core, "help uses")) == "uses kind:source id:cubaheadlines-2026-02-03"
    assert example(await ask(core, "help use")) == "use briefing:petro-trump-2026 for:space"


@pytest.mark.parametrize("briefing", [None, RIVERS])
async def test_every_public_example_answers(core: BriefingCore, store: Store, briefing: str | None) -> None:
    """An example the reader copies must work on the briefing it was drawn from."""
    await add_rivers(store)
    for spec in COMMANDS.public():
        if spec.name == "use":  # choosing for a space needs a chat's space; the console has none
            continue
        line = example(await ask(core, f"help {spec.name}", briefing_id=briefing))
        reply = await ask(core, line, briefing_id=briefing)
        assert reply.kind != "error", f"{line}: {reply.text}"


# What an example needs besides the briefing: a chat's space (`use`), a channel (digests), a revision of that number, an undo.
NEEDS_MORE = frozenset({"use", "subscribe", "unsubscribe", "subscriptions", "undo", "redo"})


@pytest.mark.parametrize("locale", ["en", "es"])
async def test_every_example_answers_in_a_briefing_of_several_sessions(core: BriefingCore, store: Store, locale: str) -> None:
    """Round 40's five-session climate talks: `help history` gave `history kind:meeting`, refused there ("This briefing
    has 5 sessions…: name one with kind:session id:…"), and `help set` wrote an outcome of "Both sides"."""
    from bot.core.registry import local_command

    await store.repository.save(read_pack(CLIMATE))
    for spec in COMMANDS.specs:  # in the registry's order: add's FAQ entry is there for remove's example
        if spec.name in NEEDS_MORE:
            continue
        line = example(await ask(core, f"{local_command('help', locale)} {local_command(spec.name, locale)}", briefing_id=CLIMATE_ID, locale=locale))
        reply = await ask(core, line, briefing_id=CLIMATE_ID, locale=locale)
        assert reply.kind != "error", f"{line}: {reply.text}"
        assert "Both sides" not in line and "Ambas partes" not in line, line


async def test_every_spanish_example_is_in_the_readers_words_and_answers(core: BriefingCore) -> None:
    """A Spanish reader's example starts with the command word help lists (`cambiar`, not `set`), and a public one answers."""
    from bot.core.registry import local_command

    for spec in COMMANDS.specs:
        name = local_command(spec.name, "es")
        line = example(await ask(core, f"ayuda {name}", locale="es"))
        assert line.split()[0] == name, line
        if not spec.admin and spec.name != "use":  # admin examples change the briefing; `use` needs a chat's space
            reply = await ask(core, line, locale="es")
            assert reply.kind != "error", f"{line}: {reply.text}"
    # Words a Spanish reader would search for and read in the passages found: topics by their labels, no filler.
    assert example(await ask(core, "ayuda buscar", locale="es")) == "buscar diplomacia"
    assert "buscar diplomacia O drogas" in (await ask(core, "ayuda buscar", locale="es")).text
    assert example(await ask(core, "ayuda preguntas", locale="es")) == "preguntas principales temas"


@pytest.mark.parametrize("locale", ["en", "es"])
@pytest.mark.parametrize("briefing", [None, RIVERS])
async def test_every_edit_example_works_on_the_briefing_it_was_drawn_from(core: BriefingCore, store: Store, briefing: str | None,
                                                                          locale: str) -> None:
    """An admin copies add's example (with a passage of the briefing's own source), then set's, then remove's."""
    from bot.core.registry import local_command

    await add_rivers(store)
    for name in ("add", "set", "remove"):
        local = local_command(name, locale)
        line = example(await ask(core, f"{local_command('help', locale)} {local}", briefing_id=briefing, locale=locale))
        reply = await ask(core, line, briefing_id=briefing, locale=locale)
        assert reply.kind != "error", f"{line}: {reply.text}"


@pytest.mark.parametrize("locale", ["en", "es"])
async def test_help_set_holds_once_a_second_session_is_added(core: BriefingCore, locale: str) -> None:
    """The admin guide adds a session; help set then still said "kind:meeting is the only session", and its example,
    `set kind:meeting …`, was refused: "This briefing has 2 sessions (meeting, gala): name one with kind:session id:…"."""
    from bot.core.registry import local_command

    added = await ask(core, 'add kind:session id:gala title:Gala parties:gustavo-petro date:2026-02-05 venue:"MLK library" aims:Meet topics:diaspora '
                            'format:Meeting sources:cubaheadlines-2026-02-03 evidence:"He will meet with the Colombian diaspora"')
    assert added.kind != "error", added.text
    helped = await ask(core, f"{local_command('help', locale)} {local_command('set', locale)}", locale=locale)
    said = {"en": "kind:meeting names the session while the briefing has only one",
            "es": "tipo:reunión designa la sesión mientras el informe tiene una sola"}[locale]
    assert said in " ".join(render_text(helped).split()), render_text(helped)
    reply = await ask(core, example(helped), locale=locale)
    assert reply.kind != "error", f"{example(helped)}: {reply.text}"


@pytest.mark.parametrize("pack_language", ["en", "es"])
async def test_edit_examples_write_the_packs_language_whatever_the_readers(core: BriefingCore, store: Store, pack_language: str) -> None:
    """An edit changes the original text: a Spanish outcome set in an English pack showed untranslated to every reader."""
    pack = rivers_pack()
    pack["language"] = pack_language
    await store.repository.save(parse_pack(pack, f"{RIVERS}.yaml"))
    outcome = {"en": "The participants agreed to meet again.", "es": "Los participantes acordaron volver a reunirse."}[pack_language]
    for help_set, field in (("help set", "outcome"), ("ayuda cambiar", "resultado")):  # the field in the reader's words
        line = example(await ask(core, help_set, briefing_id=RIVERS, locale="es" if help_set.startswith("ayuda") else "en"))
        assert f'{field}:"{outcome}"' in line, line
    line = example(await ask(core, "ayuda añadir", briefing_id=RIVERS, locale="es"))
    assert ('pregunta:"What happens next?"' in line) == (pack_language == "en"), line


@pytest.mark.parametrize("locale", ["en", "es"])
async def test_add_and_remove_name_every_kind_they_take(core: BriefingCore, locale: str) -> None:
    """The kinds come from their definitions: `session` was left out of a hand-written list, though `add kind:session` works.
    A Spanish reader reads them as the Spanish line takes them (`tipo:sesión`), not as the English ids."""
    from bot.core.kinds import KINDS
    from bot.core.registry import local_command, local_option

    wanted = kinds_listed(locale)
    for name in ("add", "remove"):
        reply = await ask(core, f"{local_command('help', locale)} {local_command(name, locale)}", locale=locale)
        kinds = hint(reply, local_option("kind", locale)).split(": ", 1)[1]
        assert kinds == wanted and "session" in ", ".join(KINDS), kinds


async def test_an_example_is_typed_so_the_line_parser_reads_it_back(core: BriefingCore, store: Store) -> None:
    pack = rivers_pack()
    # Too long to read at a glance; `Minh:` and `Minh=envoy` read as options.
    unfit = [("long", "A" * 61), ("colon", "Minh: the envoy"), ("equals", "Minh=envoy")]
    pack["people"][:0] = [{**pack["people"][0], "id": key, "name": name, "delegation": False} for key, name in unfit]
    pack["people"][len(unfit)]["name"] = "Siri O'Neill"  # an apostrophe alone would open a quote
    await store.repository.save(parse_pack(pack, f"{RIVERS}.yaml"))
    person = example(await ask(core, "help person", briefing_id=RIVERS))
    assert person == 'person "Siri O\'Neill"'
    assert (await ask(core, person, briefing_id=RIVERS)).title == "Siri O'Neill"


class Counted(tuple):  # type: ignore[type-arg]
    """A briefing's people that count how many of them anything reads."""

    read = 0

    def __iter__(self) -> Iterator[object]:
        for person in super().__iter__():
            Counted.read += 1
            yield person


def test_help_reads_a_few_people_however_many_there_are() -> None:
    """Help runs on the event loop: with 100,000 people it must stop at the first few it can name."""
    shipped = read_pack(PACK)
    many = Counted(replace(shipped.people[n % len(shipped.people)], id=f"p{n}") for n in range(100_000))
    index = BriefingIndex(replace(shipped, people=many))
    index.warm()  # the lookups that read everyone are built once per version, off the event loop
    Counted.read = 0
    example_values(index)
    hint_values(index)
    assert Counted.read < 100


@pytest.mark.parametrize("language", ["en", "es"])
async def test_an_empty_briefing_gets_placeholders(core: BriefingCore, language: str) -> None:
    """A skeleton's placeholder is no example in either language it is written in ("Sin redactar todavía" in Spanish)."""
    created = await ask(core, f'briefing new id:blank title:"Nothing yet" language:{language}')
    assert created.kind != "error", created.text
    examples = {command: example(await ask(core, f"help {command}", briefing_id="blank"))
                for command in ("quotes", "person", "timeline", "search", "delegation", "faq", "why", "uses", "use")}
    assert examples == {
        "quotes": "quotes <name>", "person": "person <name>", "timeline": "timeline from:YYYY-MM topic:<topic>",
        "search": "search <words>", "delegation": "delegation role:<role>", "faq": "faq <words>", "why": "why <words of a title>",
        "uses": "uses kind:source id:<source-id>", "use": "use briefing:blank for:space",
    }
    person = await ask(core, "help person", briefing_id="blank")
    assert hint(person, "name") == "A name; accents and case do not matter"  # no "such as Not written yet" (or its Spanish)
    overview = await ask(core, "help", briefing_id="blank")
    assert "/search <word> OR <other-word>." in shown(overview)
    # A briefing with nothing to show as an example: the missing value's error names it by a placeholder.
    assert (await ask(core, "person", briefing_id="blank")).text == "person needs the name, as in: /person <name>; /help person shows an example."
    spanish = await ask(core, "ayuda citas", briefing_id="blank", locale="es")
    assert example(spanish) == "citas <nombre>"
    # Read in the other language, the placeholder is marked untranslated: still no example ("cargo:written").
    assert example(await ask(core, "ayuda delegación", briefing_id="blank", locale="es")) == "delegación cargo:<cargo>"


async def test_help_answers_when_the_store_holds_no_briefing(tmp_path: Path) -> None:
    async with open_store(tmp_path / "empty.sqlite3") as store:
        core = BriefingCore(store.repository)
        quotes = await ask(core, "help quotes")
        assert example(quotes) == "quotes <name>"
        assert example(await ask(core, "help use")) == "use briefing:<briefing-id> for:space"
        assert (await ask(core, "help")).kind != "error"


def test_a_new_pack_from_the_command_line_gets_placeholders(tmp_path: Path) -> None:
    pack, db = tmp_path / "geneva.yaml", tmp_path / "b.sqlite3"
    assert briefbot("new", "geneva-talks", "--title", "Talks in Geneva", "-o", pack).returncode == 0
    assert briefbot("--db", db, "load", PACK, pack).returncode == 0  # beside the configured default
    answer = briefbot("--db", db, "--briefing", "geneva-talks", "ask", "/help quotes")
    assert answer.returncode == 0 and "Example: quotes <name>" in answer.stdout, answer.stdout + answer.stderr


async def test_help_examples_are_each_versions_own(core: BriefingCore, store: Store) -> None:
    """Worked out once per version: another briefing, or the next version of this one, gets its own."""
    await add_rivers(store)
    assert example(await ask(core, "help person", briefing_id=RIVERS)) == "person Anong Sirikit"
    shipped = await ask(core, "help person")
    assert example(shipped) != "person Anong Sirikit"
    briefing = await store.repository.briefing()
    first = replace(briefing.people[0], name="Renamed Person")
    await store.repository.save(replace(briefing, people=(first, *briefing.people[1:])))
    assert example(await ask(core, "help person")) == "person Renamed Person" != example(shipped)


async def test_a_channels_help_shows_each_versions_examples_and_hints_in_each_language(store: Store, store_target: str | Path) -> None:
    """Help in a channel reads the index the core found for the place at this look at the store, and a hint is written once
    per language, option and values: another connection's rename shows in the very next answer, each in its own words."""
    core = BriefingCore(store.repository, choices=store.choices)
    chat = {"platform": "discord", "team_id": "T1", "channel_id": "C1"}
    await ask(core, "/delegation", **chat)  # the place's index is kept for help to find
    english, spanish = await ask(core, "help person", **chat), await ask(core, "ayuda persona", locale="es", **chat)
    async with open_store(store_target) as other:
        briefing = await other.repository.briefing()
        renamed = replace(briefing.people[0], name="Renamed Person")
        await other.repository.save(replace(briefing, people=(renamed, *briefing.people[1:])))
    await ask(core, "/delegation", **chat)
    english_now, spanish_now = await ask(core, "help person", **chat), await ask(core, "ayuda persona", locale="es", **chat)
    assert example(english_now) == "person Renamed Person" and example(spanish_now) == "persona Renamed Person"
    for before, now, option in ((english, english_now, "name"), (spanish, spanish_now, "nombre")):
        assert "Renamed Person" not in hint(before, option) and "Renamed Person" in hint(now, option)
        assert hint(now, option).partition(",")[0] == hint(before, option).partition(",")[0]  # the option's own words
    assert hint(english_now, "name") != hint(spanish_now, "nombre")
