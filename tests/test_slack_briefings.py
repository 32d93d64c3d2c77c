"""Choosing a briefing through the real bolt app: a workspace's choice, and one channel overriding it."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.core.admin.policy import AdminPolicy
from bot.store import Store
from tests.briefings_support import OTHER_ID, OTHER_TITLE, add_other, chooser_core
from tests.conftest import BRIEFING_ID
from tests.slack_fake import TEAM, USER, slash_payload
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
