"""A search passage says whose view it is, as /meeting does: a session's stake names its party, a text that opens with
the author's analysis keeps that label before a later sentence it shows, and a session's topics stay under the stated aim
that hedges them; on the console, on Discord (the embed and the "Source passage" menu) and on Slack (the blocks and their
menu), in English and in Spanish (a fact-checker read Trump's motive under a title starting "Petro…", and the author's
analysis as plain fact)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from msgspec.structs import replace

from bot.adapters.console import ConsoleSession, render_text
from bot.adapters.discord_app.client import BriefbotClient
from bot.core.catalogue import catalogue_for
from bot.core.model import FaqEntry, Stake
from bot.core.service import BriefingCore
from bot.store import Store
from tests.conftest import BEFORE, ask
from tests.discord_fake import FakeDiscord
from tests.discord_support import connected
from tests.slack_fake import USER
from tests.test_slack_languages import LATAM, answered, slack_bot

SESSION = {"en": "Petro in Washington: the White House meeting with Trump", "es": "Petro en Washington: la reunión con Trump en la Casa Blanca"}
RECONCILE = {"en": "Will the meeting reconcile the two countries?", "es": "¿Reconciliará la reunión a los dos países?"}
AT_HOME = {"en": "What is Petro doing at home during the visit?", "es": "¿Qué hace Petro en Colombia durante la visita?"}

# (language, searched words, the hit's title and kind, how its passage starts, what it holds further on).
SEARCHES = [
    ("en", "Latin America", SESSION, "session", "Donald Trump: The author's analysis: he seeks", "control over Latin America"),
    ("es", "América Latina", SESSION, "session", "Donald Trump: Análisis del autor: busca demostrar", "sobre América Latina"),
    ("en", "image", SESSION, "session", "Gustavo Petro: The author's analysis: he aims", "weaken his image"),
    ("es", "imagen", SESSION, "session", "Gustavo Petro: Análisis del autor: busca cerrar", "debilitar su imagen"),
    ("en", "distrust", RECONCILE, "faq", "The author's analysis: …Mutual distrust", "historically allied"),
    ("es", "desconfianza", RECONCILE, "faq", "Análisis del autor: …La desconfianza mutua", "históricamente aliados"),
    ("en", "political base", AT_HOME, "faq", "The author's analysis: …Parallel to the visit", "political base"),
    ("es", "base política", AT_HOME, "faq", "Análisis del autor: …En paralelo a la visita", "base política"),
    ("en", "regional security", SESSION, "session", "Stated aims: Address bilateral priorities such as the topics below",
     "according to official sources (an open list) Topics: migration, anti-drug cooperation, trade, regional security"),
    ("es", "seguridad regional", SESSION, "session", "Objetivos declarados: Abordar prioridades bilaterales como los temas",
     "según fuentes oficiales (una lista abierta) Temas: migración, cooperación antidrogas, comercio, seguridad regional"),
]


def check_shown(texts: list[str], start: str, holds: str) -> None:
    """The hit's passage as shown: there, opening with whose view it is, and holding the words found."""
    assert len(texts) == 1, texts
    flat = " ".join(texts[0].split())
    assert flat.startswith(start) and holds in flat, flat


def check_menu(descriptions: list[str], start: str) -> None:
    """The hit's menu option, described by the passage's start: whose view it is, before any cut."""
    assert len(descriptions) == 1 and descriptions[0].startswith(start), descriptions


@pytest.fixture
def core(store: Store) -> BriefingCore:
    return BriefingCore(store.repository, digests=store.digests)


@pytest.mark.parametrize(("language", "words", "title", "kind", "start", "holds"), SEARCHES)
async def test_the_console_shows_whose_view_a_passage_is(
    core: BriefingCore, language: str, words: str, title: dict[str, str], kind: str, start: str, holds: str
) -> None:
    console = ConsoleSession(core, lambda: BEFORE, locale=language)
    shown = render_text(await console.answer(f"search {words}"), language)
    meta = catalogue_for(language)(f"kind.{kind}")
    # An item: "N. title", its kind, then its text, each line indented.
    items = re.findall(rf"^\d+\. {re.escape(title[language])}\n   {meta}\n((?:   .*\n?)*)", shown, re.MULTILINE)
    check_shown(items, start, holds)


@pytest.fixture
async def bot(fake: FakeDiscord, core: BriefingCore) -> AsyncIterator[BriefbotClient]:
    async with connected(fake, core) as client:
        yield client


@pytest.mark.parametrize(("language", "words", "title", "kind", "start", "holds"), SEARCHES)
async def test_discord_shows_whose_view_a_passage_is_in_the_embed_and_the_menu(
    bot: BriefbotClient, fake: FakeDiscord, language: str, words: str, title: dict[str, str], kind: str, start: str, holds: str
) -> None:
    asked = fake.command("search", {"text": words, "public": True}, locale={"en": "en-US", "es": "es-419"}[language])
    message = (await fake.interact(asked))["data"]
    description = "\n\n".join(embed.get("description", "") for embed in message["embeds"])
    head = f"**{title[language]}**\n*{catalogue_for(language)(f'kind.{kind}')}*\n"
    check_shown([block.removeprefix(head) for block in description.split("\n\n") if block.startswith(head)], start, holds)
    (menu,) = [c for row in message["components"] for c in row["components"] if c.get("custom_id") == "bb:why"]
    check_menu([o.get("description", "") for o in menu["options"] if o["value"].startswith(kind) and o["label"] == title[language]], start)


@pytest.mark.parametrize(("language", "words", "title", "kind", "start", "holds"), SEARCHES)
async def test_slack_shows_whose_view_a_passage_is_in_the_blocks_and_the_menu(
    core: BriefingCore, language: str, words: str, title: dict[str, str], kind: str, start: str, holds: str
) -> None:
    async with slack_bot(core) as (slack, url, http):
        message = await answered(slack, url, http, f"search {words}", {"en": USER, "es": LATAM}[language], "r1")
    head = f"*{title[language]}*\n{catalogue_for(language)(f'kind.{kind}')}\n"
    sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    check_shown([text.removeprefix(head) for text in sections if text.startswith(head)], start, holds)
    (menu,) = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"] if e.get("action_id") == "briefbot_why"]
    options = [o for o in menu["options"] if o["value"].startswith(kind) and o["text"]["text"] == title[language]]
    check_menu([o.get("description", {}).get("text", "") for o in options], start)


async def test_a_long_text_keeps_its_party_and_the_authors_label_before_a_later_sentence(store: Store, core: BriefingCore) -> None:
    """Any long stake or answer, in any pack: a later sentence shown keeps the party and an analysis label of either
    language (however its apostrophe is written); an opening that is no such label is not carried to a later sentence."""
    briefing = await store.repository.briefing()
    filler = "He wants a deal on tariffs and visas and flights that he can show at home before the vote. " * 3
    stake = Stake("donald-trump", f"The author’s analysis: {filler}The harbour of Cartagena stays open.")
    faqs = (
        FaqEntry("lighthouse", "What of the coast?", f"Análisis del autor: {filler}The lighthouse of Cartagena is lit.", ("cubaheadlines-2026-02-03",)),
        FaqEntry("pier", "And the pier?", f"Three things matter: {filler}The pier of Cartagena is closed.", ("cubaheadlines-2026-02-03",)),
    )
    session = replace(briefing.sessions[0], stakes=(stake,))
    await store.repository.save(replace(briefing, sessions=(session,), faq=(*briefing.faq, *faqs)))
    found = {item.ref: item.text for item in (await ask(core, "search Cartagena", locale="en", page_size=10)).items}
    assert found["session/meeting"] == "Donald Trump: The author’s analysis: …The harbour of Cartagena stays open."
    assert found["faq/lighthouse"] == "Análisis del autor: …The lighthouse of Cartagena is lit."
    assert found["faq/pier"] == "The pier of Cartagena is closed."
