"""A signed Slack request replayed to another worker, or to one restarted, inside the signature's window: each process's
gate remembers only what it accepted, so the copy gets in; a write it asks for is refused by the store, which records
each request's delivery with the revision it writes (bot/store/writes.py), and a read is answered again, as the first.
Through the real bolt app and aiohttp server on 127.0.0.1, on a SQLite file and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.service import BriefingCore
from bot.store import open_store
from bot.store.writes import DELIVERY_KEPT
from tests.conftest import BEFORE, BRIEFING_ID, DATA, ask
from tests.slack_fake import USER, signature_headers, slash_payload
from tests.test_revision_items import sql
from tests.test_slack_http import Harness, click_post, serving_bot

FORM = "application/x-www-form-urlencoded"
ADMIN = "U0ADMIN"
POLICY = AdminPolicy({"slack": Admins(users=frozenset({ADMIN}))})
REPEATED = "This request was already carried out; nothing was changed again."
Signed = tuple[str, str, dict[str, str]]  # a request as Slack sent it: body, content type, signature headers
# What the edits wrote: the revisions, and the briefing's version.
WRITTEN = "SELECT (SELECT count(*) FROM revisions), (SELECT max(version) FROM briefings)"


@pytest.fixture
async def target(store_target: str | Path) -> str | Path:
    """The store every worker shares (a SQLite file, or a PostgreSQL database of this test's own), seeded."""
    async with open_store(store_target) as store:
        await store.seed(DATA, BRIEFING_ID)
    return store_target


@asynccontextmanager
async def worker(target: str | Path) -> AsyncIterator[Harness]:
    """One Slack HTTP worker: its own process's store opened on the shared database, its own gate (and memory)."""
    async with open_store(target) as store, serving_bot(BriefingCore(store.repository, policy=POLICY), False, store.keys) as running:
        yield running


async def brief(h: Harness, text: str, hook: str, user: str = ADMIN, answered: Harness | None = None) -> Signed:
    """`/brief <text>` signed like Slack, sent to one worker and answered at hook/<hook> (of the `answered` worker's fake
    Slack, by default its own); the request, to send again."""
    slack = (answered or h).slack
    form = urlencode(slash_payload("/brief", text, slack.response_url(hook), user=user))
    request = (form, FORM, signature_headers(form))
    assert (await h.send(*request)).status == 200
    await slack.wait_for(f"hook/{hook}")
    return request


async def again(h: Harness, request: Signed, first: Harness, hook: str) -> str:
    """The copy of a request sent to a worker whose gate never saw it: let in; the text of its answer, the second at the
    response_url the request names (the `first` worker's fake Slack's)."""
    assert (await h.send(*request)).status == 200
    _, answer = await first.slack.wait_for(f"hook/{hook}", count=2)
    return str(answer.body["text"])


async def test_an_undo_replayed_to_another_worker_after_a_later_edit_is_refused_and_changes_nothing(target: str | Path) -> None:
    """A copy of an admin's `undo` (the latest revision), sent to a second worker after a later edit, would undo that
    edit as the admin: the store refuses the delivery it wrote with the first undo."""
    async with worker(target) as one, worker(target) as other:
        await brief(one, "set kind:meeting status:concluded", "a")
        undo = await brief(one, "undo", "b")
        await brief(one, "set kind:meeting status:postponed", "c")
        written = await sql(target, WRITTEN)
        assert REPEATED in await again(other, undo, one, "b")
        assert await sql(target, WRITTEN) == written
        await brief(other, "meeting", "d", user=USER)
        (answer,) = other.slack.calls("hook/d")
        assert "Postponed" in str(answer.body)


async def test_a_restarted_worker_refuses_a_replayed_write_and_takes_a_fresh_one(target: str | Path) -> None:
    async with worker(target) as slack:  # a worker left running, whose fake Slack takes the answers
        async with worker(target) as first:
            edit = await brief(first, "set kind:meeting status:concluded", "a", answered=slack)
        written = await sql(target, WRITTEN)
        async with worker(target) as restarted:  # a new process on the same store: its gate's memory is empty
            await brief(restarted, "set kind:meeting status:postponed", "b")  # signed anew: written
            assert await sql(target, WRITTEN) != written
            written = await sql(target, WRITTEN)
            assert REPEATED in await again(restarted, edit, slack, "a")  # it would set the status back
            assert await sql(target, WRITTEN) == written


async def test_a_replayed_read_is_answered_again_and_records_nothing(target: str | Path) -> None:
    """Reads cost the store nothing: a copy of one gets the first answer again, as its sender's."""
    async with worker(target) as one, worker(target) as other:
        read = await brief(one, "meeting", "a", user=USER)
        (first,) = one.slack.calls("hook/a")
        assert await again(other, read, one, "a") == first.body["text"]
    assert await sql(target, "SELECT count(*) FROM once_keys") == [(0,)]


async def test_deliveries_past_the_window_are_pruned_by_a_later_write(target: str | Path) -> None:
    async with open_store(target) as store:
        core = BriefingCore(store.repository)
        for at, key in ((BEFORE, "k1"), (BEFORE + timedelta(seconds=DELIVERY_KEPT + 1), "k2")):
            reply = await ask(core, f"set kind:meeting status:concluded note:{key}", now=at, operator=True, delivery=key)
            assert reply.kind != "error", reply
    assert await sql(target, "SELECT key FROM once_keys") == [("k2",)]


# ---- Post to channel among workers: a PostgreSQL store's keys (a SQLite store: each process's memory) -----------

@pytest.fixture
def url(seeded_postgres: str) -> str:
    """A PostgreSQL database of this test's own, seeded: the store every worker shares (skipped without a server)."""
    return seeded_postgres


async def test_an_answer_posted_through_one_worker_is_not_posted_again_through_another(url: str) -> None:
    """Two taps of one private answer's Post to channel, each reaching another worker (or a restarted one): one post."""
    async with worker(url) as one, worker(url) as other:
        await one.slash("/brief", "meeting")
        await click_post(one, "meeting", "r2", "1700000001.100")
        public, _ = await one.slack.wait_for("hook/r2", count=2)
        await click_post(other, "meeting", "r3", "1700000001.900")
        (tapped,) = await other.slack.wait_for("hook/r3")
        assert public.body["response_type"] == "in_channel"
        assert tapped.body["text"] == "This answer is already posted to the channel: one click is enough."
        await other.bot.inflight.drain(5)
        assert [r for r in other.slack.requests if r.body.get("response_type") == "in_channel"] == []


async def test_a_post_refused_on_one_worker_may_be_tapped_again_on_another(url: str) -> None:
    """Nothing posted, the store lets the answer go too: the next tap, wherever it lands, is answered."""
    async with worker(url) as one, worker(url) as other:
        for h, hook, stamp in ((one, "r2", "1700000001.100"), (other, "r3", "1700000002.100")):
            await click_post(h, "undo", hook, stamp)
            (refused,) = await h.slack.wait_for(f"hook/{hook}")
            assert "Only an answer that changes nothing can be posted" in refused.body["text"]
