"""The "Source passage" menu on Slack answers (issue #15 §2): the real bolt app over loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.service import BriefingCore
from bot.store import Store
from tests.briefings_support import OTHER_ID, RETOLD_TITLE, add_retold, chooser_core
from tests.conftest import BRIEFING_ID
from tests.slack_fake import CHANNEL, action_payload
from tests.test_discord_passages import UNTRANSLATED, add_untranslated, untranslated_labels
from tests.test_slack_briefings import ADMIN, ask, header
from tests.test_slack_http import Harness, serving_bot, texts

CAT = catalogue_for("en")
CATALOGUES = {"en": CAT, "es": catalogue_for("es")}


@pytest.fixture
async def harness(core: BriefingCore) -> AsyncIterator[Harness]:
    async with serving_bot(core, workspace_admins=True) as running:
        yield running


def menu(message: dict[str, Any]) -> dict[str, Any]:
    (found,) = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"] if e.get("action_id") == "briefbot_why"]
    return found


async def pick(harness: Harness, value: str, hook: str = "w") -> dict[str, Any]:
    """Choose `value` in the menu of a public answer; return what the bot posts to the response_url."""
    payload = action_payload("briefbot_why", value, harness.slack.response_url(hook), ephemeral=False)
    payload["actions"][0] = {"action_id": "briefbot_why", "block_id": "b1", "type": "static_select",
                             "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value},
                             "action_ts": "1700000001.0"}
    response = await harness.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert response.status == 200
    (posted,) = await harness.slack.wait_for(f"hook/{hook}")
    return posted.body  # type: ignore[no-any-return]


async def test_an_answer_offers_its_items_and_a_pick_answers_privately(harness: Harness) -> None:
    message = await harness.slash("/timeline", "topic:visa")
    offered = menu(message)
    assert offered["type"] == "static_select" and offered["placeholder"]["text"] == CAT("why.menu")
    pinned = f" briefing:{BRIEFING_ID}"  # each value names the briefing that answered
    assert [o["value"] for o in offered["options"]] == ["timeline/visa-revoked" + pinned, "timeline/special-visa" + pinned]
    assert all(len(o["text"]["text"]) <= 75 and len(o.get("description", {}).get("text", "")) <= 75 for o in offered["options"])
    answer = await pick(harness, "timeline/special-visa" + pinned)
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False  # a new, private message
    assert answer["blocks"][0]["text"]["text"] == "Why: Petro receives a special U.S. visa"
    assert "Petro's arrival follows his receipt of a special visa" in texts(answer)


@pytest.mark.parametrize("value", ["timeline/x page:2", "timeline/x briefing:a page:2", "timeline/x briefing:\"a b\""])
async def test_a_forged_value_never_becomes_a_command(harness: Harness, value: str) -> None:
    answer = await pick(harness, value)
    assert answer == {"text": CAT("why.bad_ref"), "response_type": "ephemeral", "replace_original": False}


async def test_answers_without_items_of_the_briefing_have_no_menu(harness: Harness) -> None:
    for n, line in enumerate(("brief", "sources", "help")):
        message = await harness.slash(f"/{line}", hook=f"h{n}")
        assert "briefbot_why" not in texts(message), line


@pytest.fixture
async def two(store: Store) -> AsyncIterator[Harness]:
    """A bot over two briefings that both hold `timeline/special-visa`, each with its own title."""
    await add_retold(store)
    async with serving_bot(chooser_core(store, AdminPolicy({"slack": Admins(users=frozenset({ADMIN}))})), workspace_admins=False) as running:
        yield running


async def picked_header(h: Harness, message: dict[str, Any], hook: str) -> str:
    """Pick `timeline/special-visa` in the menu under `message`: the private answer's header."""
    (value,) = [o["value"] for o in menu(message)["options"] if o["value"].startswith("timeline/special-visa")]
    return header(await pick(h, value, hook))


async def test_a_pick_answers_from_the_briefing_that_answered(two: Harness) -> None:
    message = await ask(two, f"timeline topic:visa briefing:{OTHER_ID}", CHANNEL)  # the channel reads the shipped one
    assert await picked_header(two, message, "w1") == f"Why: {RETOLD_TITLE}"


async def test_after_use_an_old_menu_still_answers_from_its_own_briefing(two: Harness) -> None:
    await ask(two, f"use briefing:{OTHER_ID}", CHANNEL)
    message = await ask(two, "timeline topic:visa", CHANNEL)
    await ask(two, f"use briefing:{BRIEFING_ID}", CHANNEL)
    assert await picked_header(two, message, "w1") == f"Why: {RETOLD_TITLE}"
    # A menu from before values named their briefing: the channel's briefing answers, as it did.
    assert header(await pick(two, "timeline/special-visa", "w2")) == "Why: Petro receives a special U.S. visa"


@pytest.mark.parametrize(("language", "translated"), [("en", "(presumably translated)"), ("es", "(presumiblemente traducido)")])
async def test_quotes_options_are_told_apart_by_their_words_with_the_speaker_under_them(
    two: Harness, language: str, translated: str
) -> None:
    """A screen reader reads an option's label first: "Gustavo Petro" three times and "Donald Trump" twice told the
    quotes apart by nothing, and every description began "Translated from Spanish by the source". The quoted words
    name each option now, the translation's label after them (never the speaker's own words), the speaker under them."""
    await ask(two, f"use language:{language}", CHANNEL)
    options = menu(await ask(two, "quotes", CHANNEL))["options"]
    labels = [o["text"]["text"] for o in options]
    opening, closing = CATALOGUES[language]("quote.words", words="")
    assert len(set(labels)) == len(labels) == 5 and all(label.startswith(opening) for label in labels), labels
    assert [o["description"]["text"] for o in options] == ["Gustavo Petro", "Gustavo Petro", "Donald Trump", "Gustavo Petro", "Donald Trump"]
    for option in options:  # Petro's are the source's English of his Spanish; Trump's, his own English
        petro = option["value"].startswith("quote/petro-")
        assert option["text"]["text"].endswith(f"{closing} {translated}" if petro else closing), option


@pytest.mark.parametrize(("command", "text"), [("/quotes", "page:2"), ("/search", "journey")])
async def test_a_translated_quote_s_option_says_so_however_short_it_is_cut(harness: Harness, command: str, text: str) -> None:
    """Petro's quotes are the source's English translation of his Spanish: a cut at the end took that label. The option
    is named by the words, then that label, and the words are cut to keep it."""
    message = await harness.slash(command, text)
    offered = [o["text"]["text"] for o in menu(message)["options"] if o["value"].startswith("quote/petro-")]
    assert offered and all(len(label) <= 75 for label in offered)
    assert all(label.startswith("“") and label.endswith("” (presumably translated)") for label in offered), offered
    assert any(label.endswith("…” (presumably translated)") for label in offered)  # the long journey quote: its words cut, not the label


@pytest.mark.parametrize("language", ["en", "es"])
async def test_an_untranslated_quote_s_option_says_so_however_short_it_is_cut(two: Harness, store: Store, language: str) -> None:
    """"(untranslated)" ended the option's text, where Slack's 75 characters cut it off."""
    await add_untranslated(store)
    await ask(two, f"use language:{language}", CHANNEL)
    message = await ask(two, "quotes Trump", CHANNEL)
    offered = {o["value"].split()[0].removeprefix(UNTRANSLATED): o["text"]["text"]
               for o in menu(message)["options"] if o["value"].startswith(UNTRANSLATED)}
    labels = untranslated_labels(language)
    assert set(offered) == set(labels) and all(len(label) <= 75 for label in offered.values())
    closing = CATALOGUES[language]("quote.words", words="")[1]
    assert all(offered[name].endswith("…" + closing + label) for name, label in labels.items()), offered  # the words cut, not the label
