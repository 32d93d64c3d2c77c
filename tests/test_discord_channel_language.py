"""Through the real discord.py: `/use language:` fixes a channel's language and its digest goes out in Spanish."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace

from bot.adapters.discord_app.digests import open_sender
from bot.adapters.discord_app.forms import VALUE_LIMIT
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.digest.model import Delivery, Due
from bot.core.model import Evidence
from bot.core.replies import Reply, SourceRef
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import dump_pack, read_pack
from tests.conftest import PACK
from tests.discord_fake import CHANNEL_ID, GUILD_ID, USER_ID, FakeDiscord
from tests.discord_support import connected
from tests.test_discord_admin import buttons, exported
from tests.test_discord_digests import DUE, FakeClock, runner, settings_for, subscribe, todays


async def test_a_fixed_spanish_channel_answers_an_english_reader_and_gets_its_digest_in_spanish(fake: FakeDiscord, store: Store) -> None:
    core = BriefingCore(
        store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), digests=store.digests, choices=store.choices
    )
    clock = FakeClock(DUE + timedelta(seconds=30))
    fake.clock = clock.now
    async with connected(fake, core):
        fixed = await fake.interact(fake.command("use", {"language": "es-419"}, locale="en-US"))
        assert fixed["data"]["embeds"][0]["title"].startswith("Este canal responde ahora en español")
        meeting = await fake.interact(fake.command("meeting", {}, locale="en-US"))
        assert meeting["data"]["embeds"][0]["title"].startswith("Reunión: ")  # the channel's language, not the reader's
        # When it was fixed: in each viewer's own clock, then in words (not "2026-02-01 12:00 UTC").
        [choice] = await store.choices.chosen("discord", str(GUILD_ID), str(CHANNEL_ID))
        unix = int(choice.chosen_at.timestamp())
        [language] = (await fake.interact(fake.command("use", {}, locale="en-US")))["data"]["embeds"][0]["fields"]
        assert language["value"].startswith(f"<t:{unix}:F> · <t:{unix}:R>\nespañol: fijado para este canal por <@{USER_ID}>, 1 de febrero de 2026, 12:00 UTC;")
        body = await fake.interact(fake.command("subscribe", {"time": "08:00", "tz": "UTC", "alerts": "none"}, locale="en-US"))
        assert body["data"]["embeds"][0]["title"].startswith("Este canal")
    [subscription] = await store.digests.subscriptions("discord")
    assert subscription.language == "es"
    async with open_sender(settings_for(fake), clock) as sent_with:  # the sender's configured language is English
        assert (await runner(core, store, sent_with, clock).tick()).sent == 1
    [embed] = fake.embeds_in(CHANNEL_ID)
    assert embed["title"].startswith("Boletín diario · 2 de febrero de 2026") and "Todos los días" in embed["footer"]["text"]


async def test_the_sender_writes_the_embed_s_own_words_in_the_subscription_s_language(fake: FakeDiscord, store: Store) -> None:
    clock = FakeClock(DUE + timedelta(seconds=30))
    fake.clock = clock.now
    subscription = await subscribe(store, CHANNEL_ID)
    spanish = replace(subscription, language="es")
    reply = Reply(title="Resumen", sources=(SourceRef("s1", "Reuters"),), private=False)
    async with open_sender(settings_for(fake), clock) as (sender, _):  # configured in English
        await sender.send(Delivery(1, todays(spanish), "claimed", DUE, 0, 1), reply)
        english = Due(subscription, "digest:2026-02-03", "digest", DUE)  # another key: another nonce, another post
        await sender.send(Delivery(2, english, "claimed", DUE, 0, 1), reply)
    spanish_embed, english_embed = fake.embeds_in(CHANNEL_ID)
    assert [(f["name"], f["value"]) for f in spanish_embed["fields"]] == [("Fuentes", "• Reuters")]
    assert [(f["name"], f["value"]) for f in english_embed["fields"]] == [("Sources", "• Reuters")]


async def test_a_channel_fixed_to_spanish_gets_the_bots_own_words_in_spanish_too(fake: FakeDiscord, store: Store) -> None:
    """One language per answer: the page line and the buttons follow the channel's language, not the reader's."""
    core = BriefingCore(
        store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), digests=store.digests, choices=store.choices
    )
    async with connected(fake, core):
        await fake.interact(fake.command("use", {"language": "es-419"}, locale="en-US"))
        data = (await fake.interact(fake.command("timeline", {}, locale="en-US")))["data"]
        brief = (await fake.interact(fake.command("brief", {}, locale="en-US")))["data"]["embeds"][0]
    shown = str(data)
    assert "Página 1 de" in data["embeds"][0]["footer"]["text"] and "Siguiente" in shown
    # The commands named as the reader's own Discord lists them: in English for an English client.
    assert "Más: /meeting · /timeline" in str(brief) and "/cronología" not in str(brief)
    assert "Page 1 of" not in shown and "Next" not in shown and "Source passage" not in shown


async def test_help_in_a_fixed_spanish_channel_offers_an_english_reader_the_names_of_their_own_menu(fake: FakeDiscord, store: Store) -> None:
    """Answers there are in Spanish, but an English client's menu lists /timeline, so help offers "timeline"."""
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), choices=store.choices)
    async with connected(fake, core):
        await fake.interact(fake.command("use", {"language": "es-419"}, locale="en-US"))
        offered = (await fake.interact(fake.autocomplete("help", "command", "time", locale="en-US")))["data"]["choices"]
        assert offered[0] == {"name": "timeline", "value": "timeline"}


async def test_an_edit_form_and_its_buttons_follow_the_language_a_thread_s_channel_fixed(fake: FakeDiscord, store: Store) -> None:
    """#general fixed to Spanish, an English client in one of its threads: the modal, "More fields" and a stale
    refusal's "Edit again" are in Spanish, as the answers are (docs/languages.md)."""
    spanish = catalogue_for("es")
    core = BriefingCore(
        store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), digests=store.digests, choices=store.choices
    )
    async with connected(fake, core):
        await fake.interact(fake.command("use", {"language": "es"}, locale="en-US"))  # in #general
        thread = fake.thread()
        mine = (await fake.interact(fake.command("set", {"kind": "meeting"}, channel=thread, locale="en-US")))["data"]
        theirs = (await fake.interact(fake.command("set", {"kind": "meeting"}, channel=thread, locale="en-US")))["data"]
        assert mine["title"] == spanish("discord.form_edit", item="session/meeting")
        done = (await fake.interact(fake.submit(theirs, {"title": "The Blair House meeting"}, channel=thread, locale="en-US")))["data"]
        assert done["embeds"][0]["title"].startswith("Revisión") and list(buttons(done)) == [spanish("discord.form_more")]
        stale = (await fake.interact(fake.submit(mine, {"title": "The Camp David meeting"}, channel=thread, locale="en-US")))["data"]
        assert stale["embeds"][0]["title"] == spanish("error.user_title") and list(buttons(stale)) == [spanish("discord.form_retry")]


async def test_use_in_a_thread_credits_the_language_to_whichever_channel_fixed_it(fake: FakeDiscord, store: Store) -> None:
    """The thread fixed nothing and #general did: `/use` there says its channel fixed it, not "this channel"; once the
    thread fixes its own, it is the thread's."""
    core = BriefingCore(
        store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), digests=store.digests, choices=store.choices
    )

    async def language_here(thread: dict[str, object]) -> str:
        fields = (await fake.interact(fake.command("use", {}, channel=thread, locale="en-US")))["data"]["embeds"][0]["fields"]
        return str(fields[0]["value"]).split("\n", 1)[-1]  # after the instant shown in the reader's own clock

    async with connected(fake, core):
        thread = fake.thread()
        await fake.interact(fake.command("use", {"language": "es"}, locale="en-US"))  # in #general
        assert (await language_here(thread)).startswith(f"español: fijado para el canal al que pertenece este hilo por <@{USER_ID}>, ")
        await fake.interact(fake.command("use", {"language": "en"}, locale="es-ES"))
        assert (await language_here(thread)).startswith(f"English: fixed for the channel this thread belongs to by <@{USER_ID}>, ")
        await fake.interact(fake.command("use", {"language": "es"}, channel=thread, locale="en-US"))
        assert (await language_here(thread)).startswith(f"español: fijado para este canal por <@{USER_ID}>, ")



def modal_notes(modal: dict[str, Any]) -> list[str]:
    """What a form says beside its inputs: a field left out, and each input's hint."""
    components = modal["components"]
    return [c["content"] for c in components if c["type"] == 10] + [c["description"] for c in components if c["type"] == 18 and c.get("description")]


async def test_a_fixed_spanish_channel_sends_an_english_admin_to_the_file_and_form_commands_of_their_own_menu(
    fake: FakeDiscord, store: Store
) -> None:
    """The export's note and the head form's notes said /importar and /cambiar, which an English client's menu does not list."""
    core = BriefingCore(
        store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), choices=store.choices, pack_writer=dump_pack
    )
    shipped = read_pack(PACK)
    passages = tuple(Evidence(shipped.sources[0].id, f"Passage {n}: " + ("the officials met and talked " * 17).strip()) for n in range(9))
    async with connected(fake, core):
        await fake.interact(fake.command("use", {"language": "es-419"}, locale="en-US"))
        note, _ = await exported(fake, fake.command("export", locale="en-US"))
        head = (await fake.interact(fake.command("set", {"kind": "briefing"}, locale="en-US")))["data"]
        await store.repository.save(replace(shipped, summary_evidence=passages))  # over an input: left out, and said how to change it
        long = (await fake.interact(fake.command("set", {"kind": "briefing"}, locale="en-US")))["data"]
    assert note["description"].endswith(" Adjúntalo a /import para compararlo o restaurarlo."), note
    # Only the commands: their options are still named in the answer's language (`fuente:`), as every answer names them.
    # Their options too: the English menu lists /set's as source, field and value (the Translator localises them per client).
    [hint] = modal_notes(head)
    assert hint == "Un pasaje nuevo necesita su fuente: abre este formulario con /set source:ID.", hint
    [left_out] = modal_notes(long)
    assert left_out.startswith(f"evidence es más largo de lo que cabe en un formulario de Discord ({VALUE_LIMIT} caracteres), así que no está")
    assert left_out.endswith(" cámbialo en el paquete con /export e /import, o sustitúyelo por un valor más corto con /set field:evidence value:."), left_out


async def test_a_long_answers_footer_in_a_fixed_spanish_channel_names_the_commands_of_an_english_readers_menu(
    fake: FakeDiscord, store: Store
) -> None:
    """An answer shortened to fit a message said "/exportar", and a next page no button could carry "/cronología … página:2":
    the footer is written in the cached rendering, which knew only the answer's language."""
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), choices=store.choices)
    shipped = read_pack(PACK)
    answer = " ".join(["The meeting is expected to address migration and drugs."] * 30)  # 1,700 characters: a page is over 6,000
    await store.repository.save(replace(shipped, faq=tuple(replace(question, answer=answer, translations=()) for question in shipped.faq)))
    named = "a-briefing-whose-id-is-long-enough-to-crowd-a-button-out"
    await store.repository.save(replace(shipped, id=named))
    async with connected(fake, core):
        await fake.interact(fake.command("use", {"language": "es-419"}, locale="en-US"))
        faq = (await fake.interact(fake.command("faq", locale="en-US")))["data"]["embeds"]
        spanish_faq = (await fake.interact(fake.command("faq", locale="es-ES")))["data"]["embeds"]
        timeline = (await fake.interact(fake.command("timeline", {"from": "2020-01-01", "briefing": named}, locale="en-US")))["data"]
    assert " y /export, en manos de un administrador, contiene todo el informe." in faq[-1]["footer"]["text"], faq[-1]["footer"]
    # The same answer to a Spanish client: the same rendering but for the name its menu lists.
    assert " y /exportar, en manos de un administrador, contiene todo el informe." in spanish_faq[-1]["footer"]["text"]
    assert [embed["description"] for embed in spanish_faq] == [embed["description"] for embed in faq]
    assert "bb:pg:" not in str(timeline["components"])  # the line is too long for a button: the footer gives it
    footer = timeline["embeds"][-1]["footer"]["text"]
    assert footer.endswith(f"/timeline from:2020-01-01 briefing:{named} page:2"), footer


@pytest.mark.sqlite_only(reason="the revision numbers are moved past what a custom id holds in the SQLite file itself")
async def test_a_form_refused_in_a_fixed_spanish_channel_names_the_commands_and_options_of_an_english_readers_menu(
    fake: FakeDiscord, store: Store, store_path: Path
) -> None:
    """A form too long for a custom id and one from an older version said "/cambiar con campo: y valor:" and "/cambiar o
    /añadir", hand-typed in the answer's language: an English client's menu lists /set (field:, value:) and /add."""
    shipped = read_pack(PACK)
    event = "e" * 64  # the longest id, beside a base of 12 hex digits: the briefing's print no longer fits
    await store.repository.save(replace(shipped, timeline=(*shipped.timeline, replace(shipped.timeline[0], id=event))))
    with contextlib.closing(sqlite3.connect(store_path)) as db, db:
        for moved in ("UPDATE revisions SET id = id + ?", "UPDATE revision_items SET revision_id = revision_id + ?"):
            db.execute(moved, (16**11,))
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), choices=store.choices)
    async with connected(fake, core):
        await fake.interact(fake.command("use", {"language": "es-419"}, locale="en-US"))
        unfit = (await fake.interact(fake.command("set", {"kind": "timeline", "id": event}, locale="en-US")))["data"]["embeds"][0]
        expired = (await fake.interact(fake.submit({"custom_id": "bb:f:xmeeting:::", "components": []}, {}, locale="en-US")))["data"]
    assert unfit["description"] == (
        f"timeline/{event} en {shipped.id} no se puede editar en un formulario: los dos ids juntos son demasiado largos para Discord. "
        "Usa /set con field: y value:, o /export e /import."
    ), unfit
    assert expired["embeds"][0]["description"] == (
        "Este formulario lo creó una versión anterior del bot y no se puede leer. Ábrelo de nuevo con /set o /add."
    )
