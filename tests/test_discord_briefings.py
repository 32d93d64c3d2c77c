"""Choosing a briefing through the real discord.py against the loopback Discord: two servers, two choices."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from msgspec.structs import replace

from bot.adapters.discord_app.client import BriefbotClient
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.registry import local_option
from bot.core.skeleton import skeleton_briefing
from bot.errors import PackError
from bot.store import Store
from bot.store.packfile import read_pack
from tests.briefings_support import OTHER_ID, OTHER_TITLE, add_other, chooser_core
from tests.conftest import BRIEFING_ID, PACK
from tests.discord_fake import OTHER_USER_ID, USER_ID, FakeDiscord, Json
from tests.discord_support import connected

CAT = catalogue_for("en")
SHIPPED = "Petro in Washington"
GUILDS = {"one": ("111111111111111111", "211111111111111111"), "two": ("122222222222222222", "222222222222222222")}


@pytest.fixture
async def bot(fake: FakeDiscord, store: Store) -> AsyncIterator[BriefbotClient]:
    await add_other(store)
    core = chooser_core(store, AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}))  # roles of an uncached server are unknown
    async with connected(fake, core) as client:
        yield client


def in_guild(payload: Json, guild: str, channel: str | None = None) -> Json:
    """The same interaction, made in another server and channel (Discord sends both ids with each)."""
    guild_id, default_channel = GUILDS[guild]
    channel_id = channel or default_channel
    payload["guild_id"] = guild_id
    payload["channel_id"] = channel_id
    payload["channel"] = {**payload["channel"], "id": channel_id, "guild_id": guild_id}
    return payload


async def title(fake: FakeDiscord, name: str, options: dict[str, Any], guild: str, channel: str | None = None, **who: Any) -> str:
    data = (await fake.interact(in_guild(fake.command(name, options, **who), guild, channel)))["data"]
    return str(data["embeds"][0]["title"]) + "\n" + str(data["embeds"][0].get("description", ""))


async def test_two_servers_choose_differently_and_each_is_answered_from_its_own(bot: BriefbotClient, fake: FakeDiscord) -> None:
    assert OTHER_TITLE in await title(fake, "use", {"briefing": OTHER_ID, "for": "space"}, "one")
    assert SHIPPED in await title(fake, "use", {"briefing": BRIEFING_ID}, "two")
    assert (await title(fake, "brief", {}, "one", "299999999999999999")).startswith(OTHER_TITLE)  # the server's choice
    assert SHIPPED in await title(fake, "brief", {}, "two")
    assert SHIPPED in await title(fake, "brief", {}, "two", "288888888888888888")  # server two chose nothing: the default
    here = await title(fake, "use", {}, "two", roles=())
    assert "This channel chose it" in here and BRIEFING_ID in here


SPANISH_TITLE = "Petro en Washington: la reunión con Trump en la Casa Blanca"  # the shipped pack's `translations: es: title:`


async def test_a_spanish_admin_is_told_the_chosen_briefing_by_its_spanish_title(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """"Este canal lee ahora Petro in Washington: …" put the stored English title in a Spanish sentence."""
    chose = await title(fake, "use", {"briefing": BRIEFING_ID}, "one", locale="es-ES")
    assert chose.startswith(f"Este canal lee ahora {SPANISH_TITLE} ({BRIEFING_ID})."), chose
    space = await title(fake, "use", {"briefing": BRIEFING_ID, "for": "space"}, "two", locale="es-ES")
    assert space.startswith(f"Este servidor o espacio de trabajo lee ahora {SPANISH_TITLE} ({BRIEFING_ID}), salvo"), space
    assert SHIPPED in await title(fake, "use", {"briefing": BRIEFING_ID}, "one")  # an English reader: the pack's own


async def test_choosing_a_briefing_and_a_language_at_once_is_answered_wholly_in_the_new_language(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """It said the briefing in the reader's old language and the language in the new one: one answer, two languages."""
    to_english = await title(fake, "use", {"briefing": BRIEFING_ID, "language": "en"}, "one", locale="es-ES")
    assert to_english.startswith(f"This channel now reads {SHIPPED}") and "This channel now answers in English" in to_english, to_english
    to_spanish = await title(fake, "use", {"briefing": BRIEFING_ID, "language": "es"}, "two")
    assert to_spanish.startswith(f"Este canal lee ahora {SPANISH_TITLE} ({BRIEFING_ID}). Este canal responde ahora en español"), to_spanish


async def test_a_member_cannot_choose_and_nothing_changes(bot: BriefbotClient, fake: FakeDiscord, store: Store) -> None:
    answer = await title(fake, "use", {"briefing": OTHER_ID, "for": "space"}, "one", user_id=OTHER_USER_ID, roles=())
    assert answer.startswith(CAT("error.user_title")) and "admins only" in answer
    assert await store.choices.chosen("discord", GUILDS["one"][0], GUILDS["one"][1]) == []


async def test_unknown_and_archived_briefings_are_clear_answers(bot: BriefbotClient, fake: FakeDiscord, store: Store) -> None:
    assert "no briefing “nope”; the store holds" in await title(fake, "use", {"briefing": "nope"}, "one")
    await store.choices.archive(OTHER_ID)
    assert "is archived" in await title(fake, "use", {"briefing": OTHER_ID}, "one")
    assert await store.choices.chosen("discord", GUILDS["one"][0], GUILDS["one"][1]) == []


@pytest.mark.parametrize("command", ["timeline", "calendar", "export"])
async def test_briefing_option_autocompletes_titles(bot: BriefbotClient, fake: FakeDiscord, command: str) -> None:
    body = await fake.interact(in_guild(fake.autocomplete(command, "briefing", "second"), "one"))
    assert body["type"] == 8 and body["data"]["choices"] == [{"name": OTHER_TITLE, "value": OTHER_ID}]


async def test_a_long_title_two_briefings_share_is_offered_with_each_id_whole(bot: BriefbotClient, fake: FakeDiscord, store: Store) -> None:
    """Discord shows 100 characters of a choice: the title is shortened, never the id that tells the two apart."""
    shared = "Election night 2026: results, reactions and what comes next for the governing coalition in Congress"
    for ident in ("metro-election-night", "world-election-night"):
        await store.repository.save(replace(read_pack(PACK), id=ident, title=shared))
    body = await fake.interact(in_guild(fake.autocomplete("timeline", "briefing", "election"), "one"))
    choices = body["data"]["choices"]
    assert [c["value"] for c in choices] == ["metro-election-night", "world-election-night"]
    for choice in choices:
        assert choice["name"].endswith(f"… ({choice['value']})") and len(choice["name"]) <= 100, choice


async def test_briefing_new_opens_a_modal_whose_submission_creates_the_briefing(bot: BriefbotClient, fake: FakeDiscord, store: Store) -> None:
    opened = await fake.interact(in_guild(fake.command("briefing", {"action": "new"}), "one"))
    assert opened["type"] == 9 and opened["data"]["custom_id"] == "briefbot:briefing-new"
    body = await fake.interact(in_guild(fake.submit(opened["data"], {"id": "geneva-talks", "title": "Talks in Geneva"}), "one"))
    assert body["data"]["embeds"][0]["title"] == "Created Talks in Geneva (geneva-talks)"
    assert body["data"]["flags"] & 64
    assert (await title(fake, "brief", {"briefing": "geneva-talks"}, "one")).startswith("Talks in Geneva")


@pytest.mark.parametrize(("locale", "labels", "hint"), [
    ("en-US", ["id", "title", "zone", "language"], "Its title, one line"),
    ("es-ES", ["id", "título", "zona", "idioma"], "Su título, en una línea"),
    ("es-419", ["id", "título", "zona", "idioma"], "Su título, en una línea"),
])
async def test_the_new_briefing_modal_names_its_inputs_as_the_readers_menu_does(
    bot: BriefbotClient, fake: FakeDiscord, store: Store, locale: str, labels: list[str], hint: str
) -> None:
    """A Spanish admin read `title`, `zone` and `language` over Spanish help, while their menu lists `título:`, `zona:` and `idioma:`."""
    opened = await fake.interact(in_guild(fake.command("briefing", {"action": "new"}, locale=locale), "one"))
    shown = opened["data"]["components"]
    assert [label["label"] for label in shown] == labels and shown[1]["description"] == hint
    values = {"id": "bogota-summit", "title": "Bogotá", "zone": "America/Bogota"}
    body = await fake.interact(in_guild(fake.submit(opened["data"], values, locale=locale), "one"))
    assert body["data"]["embeds"][0]["title"].endswith("(bogota-summit)")
    assert (await store.repository.briefing("bogota-summit")).venue.zone == "America/Bogota"


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
async def test_briefing_new_given_a_title_too_long_opens_its_modal_without_it_and_says_why(
    bot: BriefbotClient, fake: FakeDiscord, store: Store, locale: str
) -> None:
    """A 235-character title went into the modal as its input's value, over its 200: Discord refused the modal (400 Invalid
    Form Body) and the admin read "Sorry, that did not work". Now the title is left out, the modal says why, and what fits is kept."""
    long_title = ("The long negotiations over tariffs, visas and deportations " * 4)[:235]
    opened = await fake.interact(in_guild(fake.command("briefing", {"action": "new", "title": long_title, "zone": "Europe/Zurich"}, locale=locale), "one"))
    assert opened["type"] == 9, opened
    shown = opened["data"]["components"]
    values = {c["component"]["custom_id"]: c["component"].get("value") for c in shown if "component" in c}
    assert values == {"id": None, "title": None, "zone": "Europe/Zurich", "language": None}
    cat = catalogue_for(locale)
    note = cat("briefing_new.too_long", field=local_option("title", cat.locale), limit=200)
    assert [c["content"] for c in shown if c["type"] == 10] == [note]
    made = await fake.interact(in_guild(fake.submit(opened["data"], {"id": "tariff-talks", "title": "Tariff talks"}, locale=locale), "one"))
    assert made["data"]["embeds"][0]["title"].endswith("(tariff-talks)")
    assert (await store.repository.briefing("tariff-talks")).venue.zone == "Europe/Zurich"


async def test_the_new_briefing_modal_takes_as_much_as_a_briefing_may_hold_and_no_more(
    bot: BriefbotClient, fake: FakeDiscord, store: Store
) -> None:
    """The modal's limits were written apart from the briefing's own (a title's 200 beside its field's 200): each input now
    takes what validation lets its value hold and the command takes, and its zone and language what the head's form does."""
    def limits(body: Json) -> dict[str, int]:
        return {c["component"]["custom_id"]: c["component"]["max_length"] for c in body["data"]["components"] if "component" in c}

    opened = await fake.interact(in_guild(fake.command("briefing", {"action": "new"}), "one"))
    taken = limits(opened)
    for name, longest in (("id", "a" * taken["id"]), ("title", "T" * taken["title"])):
        typed, longer = {"id": "limit-test", "title": "Limits", name: longest}, {"id": "limit-test", "title": "Limits", name: longest + "a"}
        with pytest.raises(PackError) as refused:  # the validator's own limit: one character more is refused
            skeleton_briefing(longer["id"], longer["title"])
        assert {problem.path for problem in refused.value.problems} == {f"briefing.{name}"}
        over = await fake.interact(in_guild(fake.submit(opened["data"], longer), "one"))
        assert "too long" in over["data"]["embeds"][0]["description"], (name, over)
        made = await fake.interact(in_guild(fake.submit(opened["data"], typed), "one"))  # and all it takes, the command takes
        assert made["data"]["embeds"][0]["title"].startswith("Created"), (name, made)
        await store.choices.remove(typed["id"])
    head = await fake.interact(in_guild(fake.command("set", {"kind": "briefing", "field": "zone"}), "one"))
    assert {name: taken[name] for name in ("zone", "language")} == {name: limits(head)[name] for name in ("zone", "language")}


async def test_a_member_is_refused_before_the_modal_opens_and_their_submission_creates_nothing(
    bot: BriefbotClient, fake: FakeDiscord, store: Store
) -> None:
    """A member got the modal, filled it in, and only then was refused: the core's gate is asked first, as `/add`'s form does."""
    refused = await fake.interact(in_guild(fake.command("briefing", {"action": "new"}, user_id=OTHER_USER_ID, roles=()), "one"))
    assert refused["type"] == 4 and refused["data"]["flags"] & 64 and "admins only" in refused["data"]["embeds"][0]["description"]
    # A modal opened by an admin and submitted by the member (a replay) meets the same gate.
    opened = await fake.interact(in_guild(fake.command("briefing", {"action": "new"}), "one"))
    submitted = fake.submit(opened["data"], {"id": "geneva-talks", "title": "Talks"}, user_id=OTHER_USER_ID, roles=())
    body = await fake.interact(in_guild(submitted, "one"))
    assert "admins only" in body["data"]["embeds"][0]["description"]
    assert "geneva-talks" not in {s.id for s in await store.repository.briefings()}


async def test_a_briefing_new_in_its_modal_takes_the_venues_zone_and_set_kind_briefing_finishes_its_head(
    bot: BriefbotClient, fake: FakeDiscord, store: Store
) -> None:
    opened = await fake.interact(in_guild(fake.command("briefing", {"action": "new", "zone": "Europe/Amsterdam"}), "one"))
    assert [c["component"]["custom_id"] for c in opened["data"]["components"]] == ["id", "title", "zone", "language"]
    answers = {"id": "nato-summit", "title": "NATO summit", "zone": "Europe/Amsterdam"}
    made = await fake.interact(in_guild(fake.submit(opened["data"], answers), "one"))
    assert "on the clock of Europe/Amsterdam" in made["data"]["embeds"][0]["description"]
    assert (await store.repository.briefing("nato-summit")).venue.zone == "Europe/Amsterdam"
    changed = await title(fake, "set", {"kind": "briefing", "field": "label", "value": "The Hague", "briefing": "nato-summit"}, "one")
    assert changed.startswith("Revision") and "briefing/nato-summit" in changed, changed
    assert (await store.repository.briefing("nato-summit")).venue.label == "The Hague"
    # Without a value, the head's own form opens, its custom id naming the briefing it was read from.
    form = (await fake.interact(in_guild(fake.command("set", {"kind": "briefing", "briefing": "nato-summit"}), "one")))["data"]
    shown = {c["component"]["custom_id"]: c["component"].get("value") for c in form["components"] if "component" in c}
    assert shown["title"] == "NATO summit" and shown["label"] == "The Hague" and "nato-summit" in form["custom_id"], form


async def test_a_thread_follows_its_channels_briefing_and_language_until_it_chooses_its_own(
    bot: BriefbotClient, fake: FakeDiscord, store: Store
) -> None:
    """A thread (a forum's post too) has an id of its own: it answered, and an admin's /set and /undo there edited, the default."""
    spanish = catalogue_for("es")
    await fake.interact(fake.command("use", {"briefing": OTHER_ID, "language": "es"}))  # in #general
    thread = fake.thread()
    here = (await fake.interact(fake.command("use", {}, channel=thread)))["data"]["embeds"][0]
    # #general's briefing, in #general's language (its Spanish title, whichever the pack's own is)
    assert here["title"].startswith("Aquí:") and here["title"].endswith(f"({OTHER_ID})")
    assert here["description"].startswith(spanish("use.why_parent"))
    status = {"kind": "meeting", "field": "status", "value": "cancelled"}
    changed = (await fake.interact(fake.command("set", status, channel=thread)))["data"]["embeds"][0]["title"]
    assert (await store.repository.briefing(OTHER_ID)).sessions[0].status == "cancelled"
    assert (await store.repository.briefing(BRIEFING_ID)).sessions[0].status != "cancelled"
    revision = changed.split()[1].rstrip(":")
    await fake.interact(fake.command("undo", {"revision": revision}, channel=thread))
    assert (await store.repository.briefing(OTHER_ID)).sessions[0].status != "cancelled"
    # Subscribed there, the thread itself gets the digest of its channel's briefing, in its channel's language.
    fake.app_permissions = 1 << 3  # Administrator: Send Messages in Threads among the rest
    subscribed = (await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}, channel=thread)))["data"]["embeds"][0]
    assert subscribed["title"] == spanish("digest.subscribed_thread", time="08:00", zone="UTC")
    [subscription] = await store.digests.subscriptions("discord")
    assert (subscription.channel_id, subscription.briefing_id, subscription.language) == (thread["id"], OTHER_ID, "es")
    # Its own choice beats its channel's, for it alone; the channel's language stays, as the thread fixed none.
    chose = (await fake.interact(fake.command("use", {"briefing": BRIEFING_ID}, channel=thread)))["data"]["embeds"][0]
    assert chose["title"] == spanish("use.set_thread", title=SPANISH_TITLE, briefing=BRIEFING_ID)  # #general reads Spanish
    own = (await fake.interact(fake.command("use", {}, channel=thread)))["data"]["embeds"][0]
    assert BRIEFING_ID in own["title"] and own["description"].startswith(spanish("use.why_channel"))
    assert OTHER_ID in (await fake.interact(fake.command("use", {})))["data"]["embeds"][0]["title"]


async def test_a_forums_posts_read_the_servers_choice_and_each_post_chooses_for_itself_alone(
    bot: BriefbotClient, fake: FakeDiscord
) -> None:
    """docs/briefings.md once said a forum's posts follow the forum's choice, which no command can make there."""
    forum = fake.next_id()  # a forum channel takes no slash command: only its posts do
    first, second = ({**fake.thread(), "parent_id": forum} for _ in range(2))
    await fake.interact(fake.command("use", {"briefing": OTHER_ID, "for": "space"}))  # from #general
    here = (await fake.interact(fake.command("use", {}, channel=first)))["data"]["embeds"][0]
    assert OTHER_ID in here["title"] and here["description"].startswith(CAT("use.why_space"))
    chose = (await fake.interact(fake.command("use", {"briefing": BRIEFING_ID, "for": "channel"}, channel=first)))["data"]["embeds"][0]
    assert chose["title"].startswith("This thread now reads") and chose["title"].endswith("its channel keeps its own.")
    assert OTHER_ID in (await fake.interact(fake.command("use", {}, channel=second)))["data"]["embeds"][0]["title"]


async def test_a_thread_that_fixes_its_own_language_is_told_its_channel_keeps_its_own(
    bot: BriefbotClient, fake: FakeDiscord, store: Store
) -> None:
    """It was told "This channel now answers in Spanish", the channel's message, though #general still answers in English."""
    thread = fake.thread()
    chose = (await fake.interact(fake.command("use", {"language": "es"}, channel=thread)))["data"]["embeds"][0]
    assert chose["title"] == catalogue_for("es")("use.set_language_thread", language="español")
    assert chose["title"].startswith("Este hilo responde ahora en español") and "su canal conserva el suyo" in chose["title"]
    assert (await fake.interact(fake.command("use", {})))["data"]["embeds"][0]["title"].startswith("Here:")
    channel = (await fake.interact(fake.command("use", {"language": "es"})))["data"]["embeds"][0]
    assert channel["title"].startswith("Este canal responde ahora en español")


async def test_a_thread_unsubscribes_from_the_briefing_it_subscribed_to_after_its_channel_chose_another(
    bot: BriefbotClient, fake: FakeDiscord, store: Store
) -> None:
    """The thread's digest still comes after #general switched briefing: /unsubscribe there finds and stops it, not refuses."""
    await fake.interact(fake.command("use", {"briefing": OTHER_ID}))  # in #general
    thread = fake.thread()
    fake.app_permissions = 1 << 3  # Administrator: Send Messages in Threads among the rest
    await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC"}, channel=thread))
    await fake.interact(fake.command("use", {"briefing": BRIEFING_ID}))  # a colleague switches #general; the thread follows
    stopped = (await fake.interact(fake.command("unsubscribe", {}, channel=thread)))["data"]["embeds"][0]
    assert stopped["title"] == CAT("digest.unsubscribed", briefing=f"{OTHER_TITLE} ({OTHER_ID})")
    assert await store.digests.subscriptions("discord") == []
    again = (await fake.interact(fake.command("unsubscribe", {}, channel=thread)))["data"]["embeds"][0]
    assert again["description"] == CAT("digest.not_subscribed")


async def test_a_new_briefing_says_how_to_choose_it_where_it_is_made(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """In a server `/use` chooses it; in a direct message there is nothing to choose it for, so it says where to."""
    opened = await fake.interact(in_guild(fake.command("briefing", {"action": "new"}), "one"))
    made = await fake.interact(in_guild(fake.submit(opened["data"], {"id": "geneva-talks", "title": "Talks"}), "one"))
    assert "Choose it here with /use briefing:geneva-talks." in " ".join(made["data"]["embeds"][0]["description"].split())
    opened = await fake.interact(fake.command("briefing", {"action": "new"}, in_guild=False))
    made = await fake.interact(fake.submit(opened["data"], {"id": "bern-talks", "title": "Talks"}, in_guild=False))
    told = " ".join(made["data"]["embeds"][0]["description"].split())
    assert "Choose it in a server's or a workspace's channel with /use briefing:bern-talks: here there is none to choose it for." in told


def how(data: Json) -> str:
    """The "Reading another" line of a /briefings answer."""
    return " ".join(next(f["value"] for f in data["embeds"][0]["fields"] if f["name"] in ("Reading another", "Leer otro")).split())


async def test_briefings_sends_to_use_only_where_it_can_choose_this_channel_s(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """In a direct message /briefings ended "an admin sets this channel's with /use", which cannot work there (as /briefing new's answer knows)."""
    here = await fake.interact(in_guild(fake.command("briefings", {}, locale="es-ES"), "one"))
    assert how(here["data"]) == "Añade informe: a cualquier comando; un admin elige el de este canal con /usar."
    # Asked in a DM after the server (one listing, remembered per page): its own line, not the server's.
    dm = await fake.interact(fake.command("briefings", {}, in_guild=False, locale="es-ES"))
    assert how(dm["data"]) == (
        "Añade informe: a cualquier comando; en un canal de un servidor o de un espacio de trabajo, un admin elige el que lee con /usar."
    )
    english = await fake.interact(fake.command("briefings", {}, in_guild=False))
    assert how(english["data"]) == "Add briefing: to any command; in a server's or a workspace's channel, an admin chooses the one it reads with /use."



async def test_a_new_briefing_s_unannounced_session_is_lower_case_in_the_spanish_listing(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """"próxima sesión: Sin anunciar": a field's capital in the middle of a line; and "con la hora de UTC"."""
    made = await fake.interact(in_guild(fake.command("briefing", {"action": "new", "id": "ginebra", "title": "Ginebra"}, locale="es-ES"), "one"))
    assert "Solo contiene textos provisionales («Sin redactar todavía»), en la zona horaria UTC." in made["data"]["embeds"][0]["description"]
    listed = await fake.interact(in_guild(fake.command("briefings", {}, locale="es-ES"), "one"))
    assert "Programada · próxima sesión: sin anunciar" in listed["data"]["embeds"][0]["description"], listed["data"]["embeds"][0]


async def test_an_edit_of_a_briefing_the_server_does_not_read_tells_undo_with_it_which_undoes_it(
    bot: BriefbotClient, fake: FakeDiscord, store: Store
) -> None:
    changed = (await fake.interact(in_guild(fake.command("set", {"kind": "meeting", "field": "status", "value": "concluded", "briefing": OTHER_ID}), "one")))
    embed = changed["data"]["embeds"][0]
    assert embed["footer"]["text"].startswith(f"/undo briefing:{OTHER_ID} reverts revision "), embed
    number = embed["title"].split()[1].rstrip(":")
    undone = await title(fake, "undo", {"briefing": OTHER_ID}, "one")  # as told
    assert undone.startswith(f"Revision {int(number) + 1}: session/meeting in {OTHER_ID} back as it was before revision {number}"), undone
    spanish = await fake.interact(in_guild(fake.command("redo", {"briefing": OTHER_ID}, locale="es-ES"), "one"))
    assert spanish["data"]["embeds"][0]["footer"]["text"] == f"/deshacer informe:{OTHER_ID} vuelve a revertir el cambio."
    # Where the server reads it, the hint names no briefing.
    await title(fake, "use", {"briefing": OTHER_ID, "for": "space"}, "one")
    again = await fake.interact(in_guild(fake.command("set", {"kind": "meeting", "field": "status", "value": "scheduled", "briefing": OTHER_ID}), "one"))
    assert again["data"]["embeds"][0]["footer"]["text"].startswith("/undo reverts revision ")
