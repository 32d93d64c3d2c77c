"""Every Slack modal's buttons and the new briefing's labels in the reader's language, through the real bolt app against the
loopback Slack."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import dump_pack, read_pack_text
from tests.test_slack_admin import ADMIN, interact, slash, submission
from tests.test_slack_briefings import submit_new
from tests.test_slack_http import Harness, serving_bot

LATAM = "U0LATAM"
USERS: dict[str, dict[str, Any] | None] = {ADMIN: {"id": ADMIN, "locale": "en-US"}, LATAM: {"id": LATAM, "locale": "es-LA"}}
HOOKS = itertools.count()
Payload = dict[str, Any]


@pytest.fixture
async def harness(store: Store) -> AsyncIterator[Harness]:
    core = BriefingCore(store.repository, policy=AdminPolicy({"slack": Admins(users=frozenset(USERS))}), pack_reader=read_pack_text, pack_writer=dump_pack)
    async with serving_bot(core, workspace_admins=False) as running:
        running.slack.users.update(USERS)
        yield running


async def opened(h: Harness, text: str, user: str) -> Payload:
    """The modal `/brief <text>` opened for `user`."""
    count = len(h.slack.calls("views.open")) + 1
    await slash(h, text, user=user, hook=f"m{next(HOOKS)}")
    return (await h.slack.wait_for("views.open", count=count))[-1].body["view"]  # type: ignore[no-any-return]


async def updated(h: Harness, payload: Payload) -> tuple[Payload, Payload]:
    """The view a submission was acked with (the import's "Reading…"), then the one the app filled in afterwards."""
    count = len(h.slack.calls("views.update")) + 1
    working = await interact(h, payload)
    assert working["response_action"] == "update"
    return working["view"], (await h.slack.wait_for("views.update", count=count))[-1].body["view"]


@pytest.mark.parametrize(("user", "cancel", "ok"), [(ADMIN, "Cancel", "OK"), (LATAM, "Cancelar", "Aceptar")])
async def test_a_form_s_close_button_cancels_and_a_modal_that_only_answers_says_ok(harness: Harness, user: str, cancel: str, ok: str) -> None:
    """The new briefing's form offered "Aceptar" (OK) beside "Crear" for the button that throws it away: every form's
    close button cancels it, in the reader's words; a modal that only answers, or shows a check under way, says OK."""
    forms = [await opened(harness, text, user) for text in ("briefing new", "edit meeting", "import")]
    assert [(view["close"]["text"], bool(view.get("submit"))) for view in forms] == [(cancel, True)] * 3
    briefing = await harness.bot.core.repository.briefing()
    harness.slack.files["F1"] = ("pack.yaml", dump_pack(briefing).replace("status: scheduled", "status: postponed").encode())
    upload = {"pack": {"value": {"type": "file_input", "files": [{"id": "F1", "name": "pack.yaml"}]}}}
    working, dry = await updated(harness, submission({**forms[2], "id": "V0001", "state": {"values": upload}}, user))
    assert working["close"]["text"] == ok and "submit" not in working  # closing it stops no check
    assert dry["close"]["text"] == cancel and dry["submit"]  # applying is a choice the close button declines
    working, applied = await updated(harness, submission({**dry, "id": "V0001", "state": {"values": {}}}, user))
    assert working["close"]["text"] == ok and applied["close"]["text"] == ok and "submit" not in applied


@pytest.mark.parametrize(("user", "labels", "hint"), [
    (ADMIN, ["id", "title", "zone", "language"], "Its title, one line"),
    (LATAM, ["id", "título", "zona", "idioma"], "Su título, en una línea"),
])
async def test_the_new_briefing_form_names_its_inputs_as_the_readers_menu_does(harness: Harness, user: str, labels: list[str], hint: str) -> None:
    """A Spanish admin read `title`, `zone` and `language` over Spanish help, while typing `título:`, `zona:` and `idioma:`."""
    view = await opened(harness, "briefing new", user)
    assert [block["label"]["text"] for block in view["blocks"]] == labels and view["blocks"][1]["hint"]["text"] == hint
    assert await submit_new(harness, view, {"id": "bogota-summit", "title": "Bogotá", "zone": "America/Bogota"}, user) is None
    assert (await harness.bot.core.repository.briefing("bogota-summit")).venue.zone == "America/Bogota"
