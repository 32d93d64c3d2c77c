"""Choosing a briefing through the real bolt app: a workspace's choice, and one channel overriding it."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.core.admin.policy import AdminPolicy
from bot.store import Store
from tests.briefings_support import OTHER_ID, OTHER_TITLE, add_other, chooser_core
from tests.conftest import BRIEFING_ID
from tests.slack_fake import TEAM, USER, signature_headers, slash_payload
from tests.test_slack_http import Harness, serving_bot, texts

ADMIN = "U0ADMIN"
SHIPPED = "Petro in Washington"
HOOKS = itertools.count()  # each command's own response_url


@pytest.fixture
async def harness(store: Store) -> AsyncIterator[Harness]:
    await add_other(store)
    core = chooser_core(store, AdminPolicy(slack_users=frozenset({ADMIN})))
    async with serving_bot(core, workspace_admins=False) as running:
        yield running


async def ask(h: Harness, text: str, channel: str, user: str = ADMIN) -> dict[str, Any]:
    """`/brief <text>` in `channel` of the fake workspace; the answer sent to the response_url."""
    hook = f"h{next(HOOKS)}"
    fields = {**slash_payload("/brief", text, h.slack.response_url(hook), user=user), "channel_id": channel}
    assert (await h.send(urlencode(fields), "application/x-www-form-urlencoded")).status == 200
    (answer,) = await h.slack.wait_for(f"hook/{hook}")
    return answer.body  # type: ignore[no-any-return]


def header(message: dict[str, Any]) -> str:
    return str(message["blocks"][0]["text"]["text"])


async def test_a_workspace_choice_with_one_channel_overriding_it(harness: Harness, store: Store) -> None:
    assert OTHER_TITLE in texts(await ask(harness, f"use briefing:{OTHER_ID} for:space", "C0ONE"))
    assert SHIPPED in texts(await ask(harness, f"use briefing:{BRIEFING_ID}", "C0TWO"))
    assert header(await ask(harness, "brief", "C0ONE", user=USER)).startswith(OTHER_TITLE)
    assert header(await ask(harness, "brief", "C0THREE", user=USER)).startswith(OTHER_TITLE)
    assert SHIPPED in header(await ask(harness, "brief", "C0TWO", user=USER))
    assert SHIPPED in header(await ask(harness, f"brief briefing:{BRIEFING_ID}", "C0THREE", user=USER))
    chosen = await store.choices.chosen("slack", TEAM, "C0TWO")
    assert [(c.channel_id, c.briefing_id) for c in chosen] == [("C0TWO", BRIEFING_ID), ("", OTHER_ID)]


async def test_a_member_cannot_choose_and_nothing_changes(harness: Harness, store: Store) -> None:
    answer = texts(await ask(harness, f"use briefing:{OTHER_ID} for:space", "C0ONE", user=USER))
    assert "for briefing admins only" in answer
    assert await store.choices.chosen("slack", TEAM, "C0ONE") == []


def has_post(message: dict[str, Any]) -> bool:
    """Whether a private answer offers Post to channel."""
    return any(e.get("action_id") == "briefbot_post" for b in message["blocks"] if b["type"] == "actions" for e in b["elements"])


@pytest.mark.parametrize(("line", "posted"), [
    (f"use briefing:{OTHER_ID}", False),  # chooses: posted, it would choose again over a later choice
    ("use language:es", False),
    ("subscribe time:08:00 tz:UTC", False),
    ("use", True),  # only says what applies here
    ("briefings", True),
])
async def test_only_an_answer_that_changed_nothing_offers_post_to_channel(harness: Harness, line: str, posted: bool) -> None:
    answer = await ask(harness, line, "C0ONE")
    assert answer["response_type"] == "ephemeral" and "Can't answer that" not in texts(answer)
    assert has_post(answer) is posted


async def submit_new(h: Harness, view: dict[str, Any], typed: dict[str, str], user: str) -> Any:
    """Submit the new-briefing modal with `typed`, as Slack sends a view_submission; the JSON of the ack."""
    state = {name: {name: {"type": "plain_text_input", "value": value}} for name, value in typed.items()}
    payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": user, "team_id": TEAM},
               "view": {**view, "id": "V0001", "state": {"values": state}}}
    form = urlencode({"payload": json.dumps(payload)})
    async with h.http.post(f"{h.url}/slack/events", data=form.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", **signature_headers(form)}) as response:
        assert response.status == 200
        body = await response.read()
    return json.loads(body) if body else None


async def opened_modal(h: Harness, user: str) -> dict[str, Any]:
    fields = {**slash_payload("/brief", "briefing new", h.slack.response_url(f"h{next(HOOKS)}"), user=user)}
    assert (await h.send(urlencode(fields), "application/x-www-form-urlencoded")).status == 200
    return (await h.slack.wait_for("views.open"))[-1].body["view"]  # type: ignore[no-any-return]


async def test_briefing_new_opens_a_modal_whose_submission_creates_the_briefing(harness: Harness, store: Store) -> None:
    view = await opened_modal(harness, ADMIN)
    assert view["callback_id"] == "briefbot_briefing_new" and [b["block_id"] for b in view["blocks"]] == ["id", "title"]
    assert await submit_new(harness, view, {"id": "geneva-talks", "title": "Talks in Geneva"}, ADMIN) is None  # closes
    (said,) = await harness.slack.wait_for("chat.postEphemeral")
    assert "Created Talks in Geneva (geneva-talks)" in texts(said.body)
    assert header(await ask(harness, "brief briefing:geneva-talks", "C0ONE", user=USER)).startswith("Talks in Geneva")


async def test_a_members_submission_is_refused_in_the_modal_and_creates_nothing(harness: Harness, store: Store) -> None:
    view = await opened_modal(harness, USER)
    answer = await submit_new(harness, view, {"id": "geneva-talks", "title": "Talks"}, USER)
    assert answer["response_action"] == "update" and "admins only" in texts(answer)
    assert "geneva-talks" not in {s.id for s in await store.repository.briefings()}
