"""A person who said a great deal: their card shows a page of quotes and says where the rest are, in both chats, within
each chat's limits and with its sources."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from msgspec.structs import replace

from bot.adapters.discord_app.client import BriefbotClient
from bot.adapters.slack_app.render import MAX_BLOCKS, MAX_SECTION
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.model import Quote
from bot.core.service import BriefingCore
from bot.store import Store
from tests.briefings_support import chooser_core
from tests.conftest import BRIEFING_ID
from tests.discord_fake import USER_ID, FakeDiscord
from tests.discord_support import connected
from tests.test_discord_adapter import embeds_within_limits
from tests.test_slack_http import Harness, serving_bot

SOURCE = "cubaheadlines-2026-02-03"
ADDED = 160
# A pack's longest words (1,000 characters), with what Slack and Discord escape.
WORDS = ("Carrots & <beans> *are* _good_ " * 40)[:990]
PAGE = 5  # the settings' default page size


@pytest.fixture
async def talkative(store: Store) -> BriefingCore:
    """The shipped briefing with 160 more long quotes of Gustavo Petro's."""
    briefing = await store.repository.briefing()
    added = tuple(Quote(f"long-{n:03d}", "gustavo-petro", f"q{n} {WORDS}", "Somewhere", None, (SOURCE,)) for n in range(ADDED))
    await store.repository.save(replace(briefing, quotes=(*briefing.quotes, *added)))
    return chooser_core(store, AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}))


async def petro_quotes(store: Store) -> int:
    return sum(quote.speaker == "gustavo-petro" for quote in (await store.repository.briefing()).quotes)


@pytest.fixture
async def harness(talkative: BriefingCore) -> AsyncIterator[Harness]:
    async with serving_bot(talkative, workspace_admins=False) as running:
        yield running


async def test_a_slack_person_card_shows_a_page_of_quotes_names_the_rest_and_keeps_its_sources(harness: Harness, store: Store) -> None:
    """The card held every quote: over Slack's 50 blocks, it was cut from the end, ending in a bare "… +11" (blocks, not
    quotes) and without its sources."""
    message = await harness.slash("/brief", "person Gustavo Petro")
    blocks = message["blocks"]
    assert len(blocks) <= MAX_BLOCKS and all(len(b.get("text", {}).get("text", "")) <= MAX_SECTION for b in blocks)
    assert "… +" not in json.dumps(blocks, ensure_ascii=False) and any("*Sources*" in b.get("text", {}).get("text", "") for b in blocks)
    shown = "\n".join(b.get("text", {}).get("text", "") for b in blocks)
    more = catalogue_for("en")("person.more_quotes", n=await petro_quotes(store) - PAGE, line='/brief quotes speaker:"Gustavo Petro"')
    quotes = shown.split("*Quotes*\n", 1)[1].split(f"\n{more}\n", 1)[0]
    assert len(quotes.split("\n")) == PAGE and all(line.startswith("• “") for line in quotes.split("\n")), shown


@pytest.fixture
async def bot(fake: FakeDiscord, talkative: BriefingCore) -> AsyncIterator[BriefbotClient]:
    async with connected(fake, talkative) as client:
        yield client


@pytest.mark.parametrize(("locale", "line"), [("en-US", "/quotes speaker:Gustavo Petro"), ("es-ES", "/citas quién:Gustavo Petro")])
async def test_a_discord_person_card_shows_a_page_of_quotes_within_the_embed_limits(
    bot: BriefbotClient, fake: FakeDiscord, store: Store, locale: str, line: str
) -> None:
    body = await fake.interact(fake.command("person", {"name": "Gustavo Petro"}, locale=locale))
    embeds_within_limits(body["data"])
    fields = [field for embed in body["data"]["embeds"] for field in embed.get("fields", [])]
    cat = catalogue_for(locale)
    assert fields[-1]["name"] == cat("reply.sources")
    more = cat("person.more_quotes", n=await petro_quotes(store) - PAGE, line=line)
    assert any(more in field["value"] for field in fields), "\n".join(f["value"][-200:] for f in fields)


async def test_the_more_quotes_line_is_each_readers_own_in_a_channel_of_one_language(bot: BriefbotClient, fake: FakeDiscord, store: Store) -> None:
    """The card is remembered per briefing version and language; its line to type is in each reader's menu words, so a
    Spanish client in an English channel is told `/citas quién:`, not the English reader's `/quotes speaker:`."""
    await fake.interact(fake.command("use", {"language": "en"}))
    left = await petro_quotes(store) - PAGE
    for locale, line in (("en-US", "/quotes speaker:Gustavo Petro"), ("es-ES", "/citas quién:Gustavo Petro")):
        body = await fake.interact(fake.command("person", {"name": "Gustavo Petro"}, locale=locale))
        values = "\n".join(field["value"] for embed in body["data"]["embeds"] for field in embed.get("fields", []))
        assert catalogue_for("en")("person.more_quotes", n=left, line=line) in values, values[-300:]


async def test_the_more_quotes_line_names_the_briefing_the_card_was_asked_of(harness: Harness, store: Store) -> None:
    """Typed where another briefing is read, `quotes` without it would look for the speaker there."""
    message = await harness.slash("/brief", f"person Gustavo Petro briefing:{BRIEFING_ID}")
    line = f'/brief quotes speaker:"Gustavo Petro" briefing:{BRIEFING_ID}'
    shown = "\n".join(b.get("text", {}).get("text", "") for b in message["blocks"])
    assert catalogue_for("en")("person.more_quotes", n=await petro_quotes(store) - PAGE, line=line) in shown
