"""A hint that names a command to type names it as the platform takes it: on Slack every command follows /brief, so
"search nobody looks for the words everywhere" or "Run subscribe again", typed as written, posted the words into the
channel. The console and Discord write /search, /subscribe; Slack /brief search, /brief subscribe (in Spanish alike)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.service import BriefingCore
from bot.settings import DiscordSettings
from bot.store import Store
from tests.discord_fake import FakeDiscord
from tests.discord_support import connected
from tests.slack_fake import slash_payload
from tests.test_slack_http import Harness, serving_bot

ADMIN = "U0ADMIN"
SPANISH_ADMIN = "U0ESADMIN"


@pytest.fixture
def core(store: Store) -> BriefingCore:
    return BriefingCore(store.repository, policy=AdminPolicy({"slack": Admins(users=frozenset({ADMIN, SPANISH_ADMIN}))}), digests=store.digests)


async def said(harness: Harness, text: str, user: str, hook: str) -> str:
    """Everything the private answer to `/brief <text>` typed by `user` shows."""
    form = urlencode(slash_payload("/brief", text, harness.slack.response_url(hook), user=user))
    assert (await harness.send(form, "application/x-www-form-urlencoded")).status == 200
    (posted,) = await harness.slack.wait_for(f"hook/{hook}")
    return json.dumps(posted.body, ensure_ascii=False)


ENGLISH = [
    ("person nobody", "Nobody called “nobody” is named in this briefing. /brief search nobody looks for the words everywhere."),
    ("why trump", "Add more words of the title, e.g. /brief why Trump threatens."),
    ("set kind:timeline", "set needs id:; /brief help set shows an example."),
    ("delegation petro", "To look up a person: /brief person petro, or /brief delegation name:petro; for a role: /brief delegation role:petro."),
    ("add kind:faq id:significance", "There already is a faq with id “significance”; change it with /brief set."),
    ("undo x", "revision: “x” is not a revision number; /brief history lists them, e.g. 12."),
    ("subscriptions", "No channel gets the digest yet; run /brief subscribe in one."),
    ("help", "/brief help &lt;command&gt; shows a command's options and an example."),  # Slack escapes < and >
    ("set kind:meeting status:concluded",
     "/brief undo reverts revision 2; /brief undo again walks further back, and /brief redo takes an undo back."),
    ("subscribe time:07:30 tz:America/New_York",
     "Run /brief subscribe again with only what to change (the rest stays), or /brief unsubscribe to stop."),
]
SPANISH = [
    ("persona nadie", "En este informe no aparece nadie llamado «nadie». /brief buscar nadie busca esas palabras en todo el informe."),
    ("origen trump", "por ejemplo: /brief origen Trump amenaza."),
    ("cambiar tipo:reunión status:cancelled",
     "/brief deshacer revierte la revisión 3; otro /brief deshacer retrocede más, y /brief rehacer recupera lo deshecho."),
    ("suscribir hora:08:00", "Vuelve a ejecutar /brief suscribir solo con lo que quieras cambiar (lo demás se mantiene), o /brief desuscribir"),
]


async def test_slack_hints_name_each_command_after_brief(core: BriefingCore) -> None:
    async with serving_bot(core, workspace_admins=False) as harness:
        harness.slack.users[SPANISH_ADMIN] = {"id": SPANISH_ADMIN, "locale": "es-LA"}
        for n, (line, expected) in enumerate(ENGLISH):
            answer = await said(harness, line, ADMIN, f"en{n}")
            assert expected in answer, (line, answer)
        for n, (line, expected) in enumerate(SPANISH):
            answer = await said(harness, line, SPANISH_ADMIN, f"es{n}")
            assert expected in answer, (line, answer)


async def test_discord_hints_name_the_slash_command_as_the_readers_menu_lists_it(fake: FakeDiscord, core: BriefingCore) -> None:
    async with connected(fake, core, DiscordSettings(api_base=fake.api_base, gateway=fake.gateway)):
        english = await fake.interact(fake.command("person", {"name": "nobody"}, locale="en-US"))
        spanish = await fake.interact(fake.command("why", {"item": "trump"}, locale="es-ES"))
    assert english["data"]["embeds"][0]["description"].endswith("/search nobody looks for the words everywhere.")
    assert spanish["data"]["embeds"][0]["description"].endswith("por ejemplo: /origen Trump amenaza.")
