"""The "Source passage" menu on Discord answers (issue #15 §2): real discord.py against the loopback fake."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from msgspec.structs import replace

from bot.adapters.discord_app.client import BriefbotClient
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.localize import language_name_in
from bot.core.model import Evidence, Quote
from bot.core.replies import passage_value
from bot.core.service import BriefingCore
from bot.settings import DiscordSettings
from bot.store import Store
from tests.briefings_support import OTHER_ID, RETOLD_TITLE, add_retold, chooser_core
from tests.conftest import BRIEFING_ID
from tests.discord_fake import OTHER_USER_ID, ROLE_ID, USER_ID, FakeDiscord, Json
from tests.discord_support import connected

CAT = catalogue_for("en")
EPHEMERAL = 64


@pytest.fixture
def settings(fake: FakeDiscord) -> DiscordSettings:
    return DiscordSettings(api_base=fake.api_base, gateway=fake.gateway, admin_role_ids=(ROLE_ID,))


@pytest.fixture
async def bot(fake: FakeDiscord, core: BriefingCore, settings: DiscordSettings) -> AsyncIterator[BriefbotClient]:
    async with connected(fake, core, settings) as client:
        yield client


def menu(message: Json) -> Json:
    (found,) = [c for row in message["components"] for c in row["components"] if c.get("custom_id") == "bb:why"]
    return found


async def test_an_answer_offers_its_items_and_a_pick_answers_privately(bot: BriefbotClient, fake: FakeDiscord) -> None:
    asked = fake.command("timeline", {"topic": "visa", "public": True})
    message = (await fake.interact(asked))["data"]
    offered = menu(message)
    assert offered["type"] == 3 and offered["placeholder"] == CAT("why.menu")
    pinned = f" briefing:{BRIEFING_ID}"  # each value names the briefing that answered
    assert [o["value"] for o in offered["options"]] == ["timeline/visa-revoked" + pinned, "timeline/special-visa" + pinned]
    assert all(len(o["label"]) <= 100 and len(o.get("description", "")) <= 100 for o in offered["options"])
    stored = fake.message_of(asked)
    body = await fake.interact(fake.pick(stored, "bb:why", ["timeline/special-visa" + pinned], user_id=OTHER_USER_ID))
    assert body["type"] == 4
    data = body["data"]
    assert data["flags"] & EPHEMERAL
    embed = data["embeds"][0]
    assert embed["title"] == "Why: Petro receives a special U.S. visa"
    assert "Petro's arrival follows his receipt of a special visa" in embed["description"]
    assert stored["embeds"] == message["embeds"]  # the channel's answer is left as it was


@pytest.mark.parametrize("value", ["timeline/x page:2", "timeline/x briefing:a page:2", "timeline/x briefing:\"a b\""])
async def test_a_forged_value_never_becomes_a_command(bot: BriefbotClient, fake: FakeDiscord, value: str) -> None:
    asked = fake.command("quotes", {"public": True})
    await fake.interact(asked)
    stored = fake.message_of(asked)
    body = await fake.interact(fake.pick(stored, "bb:why", [value]))
    assert body["type"] == 4
    data = body["data"]
    assert data["flags"] & EPHEMERAL and data["embeds"][0]["description"] == CAT("why.bad_ref")


@pytest.fixture
async def two(fake: FakeDiscord, store: Store, settings: DiscordSettings) -> AsyncIterator[BriefbotClient]:
    """A bot over two briefings that both hold `timeline/special-visa`, each with its own title."""
    await add_retold(store)
    async with connected(fake, chooser_core(store, AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))})), settings) as client:
        yield client


async def picked_title(fake: FakeDiscord, asked: Json) -> str:
    """Pick `timeline/special-visa` in the menu under the answer to `asked`: the private answer's title."""
    stored = fake.message_of(asked)
    (value,) = [o["value"] for o in menu(stored)["options"] if o["value"].startswith("timeline/special-visa")]
    body = await fake.interact(fake.pick(stored, "bb:why", [value], user_id=OTHER_USER_ID))
    return str(body["data"]["embeds"][0]["title"])


async def test_a_pick_answers_from_the_briefing_that_answered(two: BriefbotClient, fake: FakeDiscord) -> None:
    asked = fake.command("timeline", {"topic": "visa", "briefing": OTHER_ID, "public": True})  # the channel reads the shipped one
    await fake.interact(asked)
    assert await picked_title(fake, asked) == f"Why: {RETOLD_TITLE}"


async def test_after_use_an_old_menu_still_answers_from_its_own_briefing(two: BriefbotClient, fake: FakeDiscord) -> None:
    await fake.interact(fake.command("use", {"briefing": OTHER_ID}))
    asked = fake.command("timeline", {"topic": "visa", "public": True})
    await fake.interact(asked)
    await fake.interact(fake.command("use", {"briefing": BRIEFING_ID}))
    assert await picked_title(fake, asked) == f"Why: {RETOLD_TITLE}"
    # A menu from before values named their briefing: the channel's briefing answers, as it did.
    body = await fake.interact(fake.pick(fake.message_of(asked), "bb:why", ["timeline/special-visa"]))
    assert body["data"]["embeds"][0]["title"] == "Why: Petro receives a special U.S. visa"


def test_a_value_too_long_for_discord_leaves_the_briefing_out() -> None:
    ref = "timeline/" + "e" * 64
    assert passage_value(ref, "b" * 64, 100) == ref
    assert passage_value("faq/x", "b" * 64, 100) == "faq/x briefing:" + "b" * 64


async def test_answers_without_items_of_the_briefing_have_no_menu(bot: BriefbotClient, fake: FakeDiscord) -> None:
    for command in ("brief", "sources", "help"):
        message = (await fake.interact(fake.command(command, {})))["data"]
        assert not [c for row in message.get("components", []) for c in row["components"] if c.get("custom_id") == "bb:why"], command


# Petro's quotes are the source's English translation of his Spanish (the pack's `translated_from: es`).
TRANSLATED = "quote/petro-"


@pytest.mark.parametrize(("command", "options", "locale"), [
    ("quotes", {"page": 2}, "en-US"), ("search", {"text": "journey"}, "en-US"), ("quotes", {"page": 2}, "es-ES"),
])
async def test_a_translated_quote_s_option_says_so_however_short_it_is_cut(
    bot: BriefbotClient, fake: FakeDiscord, command: str, options: Json, locale: str
) -> None:
    """The label is what a cut at the end took: the source's English for Petro read as his own words. The words come
    first, to tell the options apart, and are cut to keep the label after them."""
    cat = catalogue_for(locale[:2])
    label, cut = cat("quote.translated_brief", words=""), cat("quote.words", words="…")[1:]
    message = (await fake.interact(fake.command(command, {**options, "public": True}, locale=locale)))["data"]
    offered = [o for o in menu(message)["options"] if o["value"].startswith(TRANSLATED)]
    assert offered and all(len(o["label"]) <= 75 for o in offered)  # fitted to Slack's, the narrower
    assert all(o["label"].endswith(label.removeprefix(cat("quote.words", words=""))) for o in offered), [o["label"] for o in offered]
    assert any(cut + " " in o["label"] for o in offered)  # the long journey quote: its words cut, not the label


# Trump's long quotes no reader's language renders: in English, in French, and the source's English of his Spanish.
UNTRANSLATED = "quote/trump-long-"
LONG = "We will talk about tariffs and visas and flights and the border and the cartels and everything else, for a long time"


async def add_untranslated(store: Store) -> None:
    """Three long quotes of Trump's without a Spanish translation: one in the pack's English, one said in French, one
    the source's English of his Spanish."""
    briefing = await store.repository.briefing()
    quote = Quote("", "donald-trump", LONG, "Somewhere", None, ("cubaheadlines-2026-02-03",))
    added = (replace(quote, id="trump-long-plain"), replace(quote, id="trump-long-french", language="fr"),
             replace(quote, id="trump-long-spanish", translated_from="es"))
    await store.repository.save(replace(briefing, quotes=(*briefing.quotes, *added)))


def untranslated_labels(locale: str) -> dict[str, str]:
    """How each of them ends in a menu option, however short its words are cut: after its words, what they are."""
    cat = catalogue_for(locale)
    french, marks = language_name_in("fr", cat), cat("quote.words", words="")
    if locale == "en":  # words in the reader's own language are never marked untranslated
        notes = {"plain": marks, "french": cat("quote.said_in_untranslated_brief", language=french, words=marks),
                 "spanish": cat("quote.translated_brief", words=marks)}
    else:
        notes = {"plain": cat("quote.untranslated_brief", words=marks), "french": cat("quote.said_in_untranslated_brief", language=french, words=marks),
                 "spanish": cat("quote.translated_untranslated_brief", words=marks)}
    return {name: note.removeprefix(marks) for name, note in notes.items()}


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
@pytest.mark.parametrize(("command", "options"), [("quotes", {"speaker": "Trump"}), ("search", {"text": "cartels"})])
async def test_an_untranslated_quote_s_option_says_so_however_short_it_is_cut(
    bot: BriefbotClient, fake: FakeDiscord, store: Store, locale: str, command: str, options: Json
) -> None:
    """"(untranslated)" ended the option's text, where the cut took it: a Spanish reader read English as if translated.
    The words are cut instead, so that what they are still ends the option."""
    await add_untranslated(store)
    message = (await fake.interact(fake.command(command, {**options, "public": True}, locale=locale)))["data"]
    offered = {o["value"].split()[0].removeprefix(UNTRANSLATED): o["label"] for o in menu(message)["options"] if o["value"].startswith(UNTRANSLATED)}
    labels = untranslated_labels(locale[:2])
    assert set(offered) == set(labels) and all(len(description) <= 75 for description in offered.values())
    assert all(offered[name].endswith(("…”" if locale == "en-US" else "…»") + label) for name, label in labels.items()), offered


async def test_a_why_of_many_passages_pages_them_whole_with_its_last_change_and_sources(
    fake: FakeDiscord, core: BriefingCore, store: Store, settings: DiscordSettings
) -> None:
    """70 passages in one answer were each shortened to their source's label ("CubaHeadlines (Joseph Morales), “Gustavo
    Petro Arrives in…"), not one passage's words left; the core pages them, as Slack's, so each page shows them whole."""
    briefing = await store.repository.briefing()
    faq = briefing.faq[0]
    passages = tuple(Evidence(faq.evidence[0].source, f"Passage {n}: the meeting will focus on dialogue.") for n in range(1, 71))
    await store.repository.save(replace(briefing, faq=(replace(faq, evidence=passages), *briefing.faq[1:])))
    async with connected(fake, core, settings):
        asked = fake.command("why", {"item": "main topics"})
        first = (await fake.interact(asked))["data"]
        (following,) = [b for row in first["components"] for b in row["components"] if b.get("label") == CAT("page.next_button")]
        second = (await fake.interact(fake.click(fake.message_of(asked), following["custom_id"])))["data"]
    for message, number, shown in ((first, 1, range(1, 6)), (second, 2, range(6, 11))):
        (embed,) = message["embeds"]
        assert [n for n in range(1, 71) if f"“Passage {n}: the meeting will focus on dialogue.”" in embed["description"]] == list(shown)
        assert [field["name"] for field in embed["fields"]] == ["Last changed", "Sources"]
        assert f"Page {number} of 14" in embed["footer"]["text"] and "shortened" not in embed["footer"]["text"]
