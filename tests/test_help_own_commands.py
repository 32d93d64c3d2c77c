"""Help knows the commands a platform offers beside the core's: Slack's `/brief edit` and `/brief import`, Discord's
`/import`. `/brief help edit` said "There is no command “edit”", and `/brief help import` offered export, though
`/brief edit` opens a form and export's own help sends the reader to import."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.service import BriefingCore
from bot.settings import DiscordSettings
from bot.store import Store
from tests.conftest import ask
from tests.discord_fake import FakeDiscord
from tests.discord_support import connected
from tests.slack_fake import slash_payload
from tests.test_slack_http import Harness, serving_bot

ADMIN = "U0ADMIN"
SPANISH_ADMIN = "U0ESADMIN"
READER = "U0READER"


@pytest.fixture
def core(store: Store) -> BriefingCore:
    return BriefingCore(store.repository, policy=AdminPolicy({"slack": Admins(users=frozenset({ADMIN, SPANISH_ADMIN}))}))


async def said(harness: Harness, text: str, user: str, hook: str) -> str:
    """Everything the private answer to `/brief <text>` typed by `user` shows."""
    form = urlencode(slash_payload("/brief", text, harness.slack.response_url(hook), user=user))
    assert (await harness.send(form, "application/x-www-form-urlencoded")).status == 200
    (posted,) = await harness.slack.wait_for(f"hook/{hook}")
    return json.dumps(posted.body, ensure_ascii=False)


async def test_slack_help_explains_and_lists_edit_and_import(core: BriefingCore) -> None:
    async with serving_bot(core, workspace_admins=False) as harness:
        harness.slack.users[SPANISH_ADMIN] = {"id": SPANISH_ADMIN, "locale": "es-LA"}
        edit = await said(harness, "help edit", ADMIN, "edit")
        imported = await said(harness, "help import", ADMIN, "import")
        listed = await said(harness, "help", ADMIN, "list")
        read = await said(harness, "help", READER, "read")
        spanish = await said(harness, "ayuda editar", SPANISH_ADMIN, "es")
        typo = await said(harness, "impor", ADMIN, "typo")
    assert "Help: edit" in edit and "Admin: a form to change an item: /brief edit meeting, /brief edit briefing" in edit, edit
    assert "Help: import" in imported and "Admin: upload a pack file (YAML, as /brief export writes it)" in imported, imported
    assert "one revision /brief undo reverts." in imported
    # Listed for admins after the core's admin commands, as they are; a reader's list holds no admin command.
    assert listed.index("*subscriptions*") < listed.index("*edit*") < listed.index("*import*"), listed
    assert "*edit*" not in read and "*import*" not in read and "*set*" not in read
    assert "Ayuda: editar" in spanish and "/brief editar reunión, /brief editar informe" in spanish, spanish
    assert "There is no command “impor”. Did you mean: import" in typo, typo


async def test_discord_help_explains_its_own_import_and_the_console_has_none(fake: FakeDiscord, core: BriefingCore) -> None:
    async with connected(fake, core, DiscordSettings(api_base=fake.api_base, gateway=fake.gateway)):
        body = await fake.interact(fake.command("help", {"command": "import"}))
    embed = body["data"]["embeds"][0]
    assert embed["title"] == "Help: import" and "one revision /undo reverts." in embed["description"], embed
    # The console offers neither: help says so, as it did.
    assert (await ask(core, "help edit")).text == "There is no command “edit”. Try /help."
    assert (await ask(core, "help")).items[-1].title == "briefing"
