"""A quote found by search never reads as the speaker's own words when it is a translation: on the console, on Discord
(the embed and the "Source passage" menu) and on Slack (the blocks and their menu), in English and in Spanish, the label
stays with the words however the passage is cut (a Spanish tour read the source's translation as Petro's words), and a
passage from further into the words (or their translation) opens with an ellipsis, never as where they begin."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from msgspec.structs import replace

from bot.adapters.console import ConsoleSession, render_text
from bot.adapters.discord_app.client import BriefbotClient
from bot.core.catalogue import catalogue_for
from bot.core.localize import language_name_in
from bot.core.model import Quote, translation
from bot.core.service import BriefingCore
from bot.core.text import fold
from bot.store import Store
from tests.conftest import BEFORE
from tests.discord_fake import FakeDiscord
from tests.discord_support import connected
from tests.slack_fake import USER
from tests.test_slack_languages import LATAM, answered, slack_bot

# Petro's quotes are the source's English of his Spanish (`translated_from: es`), with the pack's Spanish translation.
PETRO = "quote/petro-"
# A long one of the same kind, added: the word searched is in its last sentence, past a passage's length from the start.
LONG_WORDS = ("We will talk about tariffs and visas and flights for as long as it takes, and nobody will rush us. " * 3
              + "The harbour of Cartagena stays open to every ship that comes in peace.")
LONG_SPANISH = ("Hablaremos de aranceles, visas y vuelos todo el tiempo que haga falta, y nadie nos apurará. " * 3
                + "El puerto de Cartagena sigue abierto a todo barco que llegue en paz.")

# (language, searched word, page on Discord and Slack at five a page): the tour's searches, and the long quote's (its
# translation searched by an English reader too, who reads it as a translation into another language).
SEARCHES = [
    ("en", "rain", 1), ("en", "journey", 1), ("en", "harbour", 1), ("en", "puerto", 1),
    ("es", "llueve", 1), ("es", "reunión", 2), ("es", "representante", 1), ("es", "puerto", 1), ("es", "harbour", 1),
]


@pytest.fixture
async def core(store: Store) -> BriefingCore:
    """The shipped briefing with the long translated quote added."""
    briefing = await store.repository.briefing()
    long = Quote("petro-long-harbour", "gustavo-petro", LONG_WORDS, "On X", None, ("cubaheadlines-2026-02-03",),
                 translated_from="es", translations=(("es", (("words", LONG_SPANISH), ("context", "En X"))),))
    await store.repository.save(replace(briefing, quotes=(*briefing.quotes, long)))
    return BriefingCore(store.repository, digests=store.digests)


@pytest.fixture
async def said(core: BriefingCore, store: Store) -> list[str]:
    """Each line of Petro's quotes, on one line: his words as the source gives them, and the pack's Spanish of them."""
    quotes = (await store.repository.briefing()).quotes
    lines = (line for q in quotes if q.speaker == "gustavo-petro" for line in (q.words, translation(q.translations, "es").get("words")))
    return [" ".join(line.split()) for line in lines if line]


def unlabelled(text: str, language: str) -> list[str]:
    """The quotations in a quote's shown text that no label marks as not the speaker's own words: neither the source's
    translation after them nor a translation before them (the whole text when a quotation is cut open, a passage
    starting or ending inside one)."""
    cat = catalogue_for(language)
    opening, closing = cat("quote.words", words="")
    if text.count(opening) != text.count(closing):
        return [text]
    before = cat("quote.translation", words="").removesuffix(opening + closing)
    after = cat("quote.translated_by_source", words="", language=language_name_in("es", cat))
    spans = re.finditer(f"{opening}[^{opening}{closing}]*{closing}", text)
    return [s[0] for s in spans if not (text[: s.start()].endswith(before) or text[s.end() :].startswith(after))]


def out_of_context(text: str, said: list[str]) -> list[str]:
    """The quotations in a shown text that read as the start of a quote's line (`said`) and are not one: a passage from
    further in must open with an ellipsis (a cut at its end closes with one)."""
    spans = [inner.removesuffix("…") for inner in re.findall("[«“]([^«»“”]*)[»”]", text)]
    return [inner for inner in spans if not any(
        line.startswith(inner) or (inner.startswith("…") and inner[1:] in line) for line in said)]


def option_labelled(text: str, language: str) -> bool:
    """A menu option's text of the words ends with what they are (the words are cut to keep it, `quote_brief`), or a
    translation's line leads with its label, which no cut at its end takes."""
    cat = catalogue_for(language)
    opening, closing = cat("quote.words", words="")
    return text.endswith(cat("quote.translated_brief", words="").removeprefix(opening + closing)) or text.startswith(
        cat("quote.translation", words="").removesuffix(opening + closing))


def check_shown(texts: list[str], word: str, language: str, said: list[str]) -> None:
    """Petro's quotes as shown: at least one, each holding the searched word, none of their words unlabelled, and a
    passage from further into them opening with an ellipsis."""
    assert texts, "no quote of Petro's shown"
    for text in texts:
        flat = " ".join(text.split())
        assert fold(word) in fold(flat), flat
        assert unlabelled(flat, language) == [], flat
        assert out_of_context(flat, said) == [], flat


@pytest.mark.parametrize(("language", "word", "page"), SEARCHES)
async def test_the_console_shows_a_translated_quote_labelled(
    core: BriefingCore, said: list[str], language: str, word: str, page: int
) -> None:
    console = ConsoleSession(core, lambda: BEFORE, locale=language)
    shown = render_text(await console.answer(f"search {word}"), language)  # ten a page: every search's on its first
    kind = catalogue_for(language)("kind.quote")
    # An item: "N. title", its kind, then its text, each line indented.
    items = re.findall(r"^\d+\. Gustavo Petro\n   (.*)\n((?:   .*\n?)*)", shown, re.MULTILINE)
    check_shown([text for meta, text in items if meta == kind], word, language, said)


@pytest.fixture
async def bot(fake: FakeDiscord, core: BriefingCore) -> AsyncIterator[BriefbotClient]:
    async with connected(fake, core) as client:
        yield client


def check_menu(options: list[tuple[str, str]], language: str, said: list[str]) -> None:
    """The menu's options (value, text) of Petro's quotes that show words: each says what they are, from where they begin."""
    words = [text for value, text in options if value.startswith(PETRO) and re.search("[«»“”]", text)]
    assert words and all(option_labelled(text, language) for text in words), words
    assert [text for text in words if out_of_context(text, said)] == []


@pytest.mark.parametrize(("language", "word", "page"), SEARCHES)
async def test_discord_shows_a_translated_quote_labelled_in_the_embed_and_the_menu(
    bot: BriefbotClient, fake: FakeDiscord, said: list[str], language: str, word: str, page: int
) -> None:
    asked = fake.command("search", {"text": word, "page": page, "public": True}, locale={"en": "en-US", "es": "es-419"}[language])
    message = (await fake.interact(asked))["data"]
    description = "\n\n".join(embed.get("description", "") for embed in message["embeds"])
    head = f"**Gustavo Petro**\n*{catalogue_for(language)('kind.quote')}*\n"
    check_shown([block.removeprefix(head) for block in description.split("\n\n") if block.startswith(head)], word, language, said)
    (menu,) = [c for row in message["components"] for c in row["components"] if c.get("custom_id") == "bb:why"]
    check_menu([(o["value"], text) for o in menu["options"] for text in (o["label"], o.get("description", ""))], language, said)


@pytest.mark.parametrize(("language", "word", "page"), SEARCHES)
async def test_slack_shows_a_translated_quote_labelled_in_the_blocks_and_the_menu(
    core: BriefingCore, said: list[str], language: str, word: str, page: int
) -> None:
    async with slack_bot(core) as (slack, url, http):
        message = await answered(slack, url, http, f"search {word} page:{page}", {"en": USER, "es": LATAM}[language], "r1")
    head = f"*Gustavo Petro*\n{catalogue_for(language)('kind.quote')}\n"
    sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    check_shown([text.removeprefix(head) for text in sections if text.startswith(head)], word, language, said)
    (menu,) = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"] if e.get("action_id") == "briefbot_why"]
    check_menu([(o["value"], text) for o in menu["options"] for text in (o["text"]["text"], o.get("description", {}).get("text", ""))], language, said)
