"""An unknown command sends the reader to help as their platform takes it: /help on the console and Discord (/ayuda in
Spanish), /brief help on Slack, where every command follows /brief. It said "Try help.", which Slack takes as no command."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from bot.core.service import BriefingCore
from bot.settings import DiscordSettings
from tests.conftest import ask
from tests.discord_fake import FakeDiscord
from tests.discord_support import connected
from tests.slack_fake import slash_payload
from tests.test_slack_http import Harness, serving_bot

ENGLISH = "There is no command “xyzzy”. Try {help}."
SPANISH = "No existe el comando «xyzzy». Prueba {help}."
SPANISH_USER = "U0SPANISH"


@pytest.mark.parametrize(("locale", "expected"), [("en", ENGLISH.format(help="/help")), ("es", SPANISH.format(help="/ayuda"))])
async def test_the_console_names_help_as_it_takes_it(core: BriefingCore, locale: str, expected: str) -> None:
    assert (await ask(core, "xyzzy", locale=locale)).text == expected


async def slack_answer(harness: Harness, text: str, user: str, hook: str) -> str:
    """The private answer to `/brief <text>` typed by `user`."""
    response = await harness.send(urlencode(slash_payload("/brief", text, harness.slack.response_url(hook), user)), "application/x-www-form-urlencoded")
    assert response.status == 200
    (posted,) = await harness.slack.wait_for(f"hook/{hook}")
    assert posted.body["response_type"] == "ephemeral"
    return str(posted.body["text"])


async def test_slack_names_help_after_brief(core: BriefingCore) -> None:
    async with serving_bot(core, workspace_admins=False) as harness:
        harness.slack.users[SPANISH_USER] = {"id": SPANISH_USER, "locale": "es-LA"}
        english = await slack_answer(harness, "xyzzy", "U0ENGLISH", "r1")
        spanish = await slack_answer(harness, "xyzzy", SPANISH_USER, "r2")
    assert ENGLISH.format(help="/brief help") in english, english
    assert SPANISH.format(help="/brief ayuda") in spanish, spanish


@pytest.mark.parametrize(("locale", "expected"), [("en-US", ENGLISH.format(help="/help")), ("es-ES", SPANISH.format(help="/ayuda"))])
async def test_discord_names_help_as_the_readers_menu_lists_it(fake: FakeDiscord, core: BriefingCore, locale: str, expected: str) -> None:
    """On Discord a command is chosen from the menu; `/help command:` is where a name can be unknown."""
    async with connected(fake, core, DiscordSettings(api_base=fake.api_base, gateway=fake.gateway)):
        body = await fake.interact(fake.command("help", {"command": "xyzzy"}, locale=locale))
    assert body["data"]["embeds"][0]["description"] == expected
