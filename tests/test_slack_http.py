"""HTTP mode through the real bolt: signed requests to the app's own server, answers at a loopback Slack."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from msgspec.structs import replace

from bot.adapters.slack_app.app import POSTED_SECONDS, Posted, SharedKeys, SlackBot, build_app, build_client
from bot.adapters.slack_app.cli import store_probe
from bot.adapters.slack_app.gate import SlackGate
from bot.adapters.slack_app.health import Health
from bot.adapters.slack_app.people import WorkspaceAdmins
from bot.adapters.slack_app.render import POST_ACTION
from bot.adapters.slack_app.web import serving, web_app
from bot.core.commands import COMMANDS
from bot.core.model import Evidence
from bot.core.service import BriefingCore
from bot.store.repository import SqliteBriefingRepository
from tests.conftest import BEFORE, ask
from tests.slack_fake import (
    BOT_TOKEN,
    SECRET,
    USER,
    FakeSlack,
    action_payload,
    home_opened_event,
    signature_headers,
    slash_payload,
)
from tests.test_slack_render import all_mrkdwn

TIMEOUT = aiohttp.ClientTimeout(total=5)


@dataclass
class Harness:
    """The app served on loopback, the fake Slack it talks to, and a client that plays Slack's side."""

    slack: FakeSlack
    bot: SlackBot
    url: str
    http: aiohttp.ClientSession

    async def send(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> aiohttp.ClientResponse:
        """POST a body to /slack/events, signed like Slack unless `headers` say otherwise."""
        sent = {"Content-Type": content_type, **(headers if headers is not None else signature_headers(body))}
        async with self.http.post(f"{self.url}/slack/events", data=body.encode(), headers=sent) as response:
            await response.read()
            return response

    async def slash(self, command: str, text: str = "", hook: str = "r1") -> dict[str, Any]:
        """Run a slash command and return the message posted to its response_url."""
        form = urlencode(slash_payload(command, text, self.slack.response_url(hook)))
        response = await self.send(form, "application/x-www-form-urlencoded")
        assert response.status == 200
        (posted,) = await self.slack.wait_for(f"hook/{hook}")
        return posted.body

    async def click(
        self, action_id: str, value: str, hook: str | None = "r2", ephemeral: bool = True, user: str = USER, block_id: str = "b1"
    ) -> int:
        """`user` clicks a button; interaction payloads arrive form-encoded as `payload=<json>`."""
        url = self.slack.response_url(hook) if hook else None
        form = urlencode({"payload": json.dumps(action_payload(action_id, value, url, ephemeral, user, block_id))})
        return (await self.send(form, "application/x-www-form-urlencoded")).status


@asynccontextmanager
async def serving_bot(core: BriefingCore, workspace_admins: bool, keys: SharedKeys | None = None) -> AsyncIterator[Harness]:
    """The real bolt app on its own loopback port, talking to a loopback Slack, drained on exit; `keys`: a PostgreSQL
    store's, as `briefbot slack run` gives them, so a post is made once by every worker on it."""
    async with FakeSlack() as slack, aiohttp.ClientSession(timeout=TIMEOUT) as http:
        bot = SlackBot(core, WorkspaceAdmins(enabled=workspace_admins), clock=lambda: BEFORE, http=http, keys=keys)
        client = build_client(BOT_TOKEN, slack.base_url, http)
        health = Health(store_probe(core), client)
        async with serving(web_app(build_app(bot, client), SlackGate(SECRET), health), "127.0.0.1", 0) as port:
            yield Harness(slack, bot, f"http://127.0.0.1:{port}", http)
            await bot.inflight.drain(5)


@pytest.fixture
async def harness(core: BriefingCore) -> AsyncIterator[Harness]:
    async with serving_bot(core, workspace_admins=True) as running:
        yield running


def texts(message: dict[str, Any]) -> str:
    """Every text in a message, to search in."""
    return json.dumps(message, ensure_ascii=False)


async def test_brief_without_text_is_the_overview(harness: Harness) -> None:
    message = await harness.slash("/brief")
    assert message["response_type"] == "ephemeral"
    assert message["blocks"][0]["type"] == "header"
    assert "Petro in Washington" in message["blocks"][0]["text"]["text"]
    assert "<!date^1770134400^{date_long_pretty} {time}|2026-02-03 16:00 UTC>" in texts(message)
    assert message["text"]


async def test_a_postponed_meeting_is_in_no_reader_s_clock(core: BriefingCore, harness: Harness) -> None:
    """Its start stayed a `<!date>` token, which Slack shows as "Tuesday … 11:00" (or "Tomorrow") above "Postponed"."""
    assert (await ask(core, "set kind:meeting status:postponed")).kind == "answer"
    for hook, line in (("r3", ""), ("r4", "meeting")):
        message = await harness.slash("/brief", line, hook)
        assert "*Was due*\\nTue 3 February 2026, 11:00 EST (Washington)" in texts(message) and "<!date" not in texts(message)


EVERY_COMMAND = [
    ("meeting", "Meeting: Gustavo Petro"),
    ("timeline from:2025-09 topic:sanctions", "Timeline"),
    ("delegation role:minister", "People · 2 matches"),
    ("person Petro", "Gustavo Petro"),
    ("agenda", "Agenda"),
    ("quotes Trump", "Quotes"),
    ("faq", "FAQ"),
    ("context", "Context · 4 entries"),
    ('search "drug trafficking"', "Search"),
    ("sources", "Sources"),
    ("why timeline/visa-revoked", "Why: Trump revokes"),
    ("help timeline", "Help: timeline"),
    ("brief", "Petro in Washington"),
    ("briefings", "1 briefing"),
    ("use", "Here: Petro in Washington"),
]


@pytest.mark.parametrize(("line", "title"), EVERY_COMMAND)
async def test_every_command_through_brief(harness: Harness, line: str, title: str) -> None:
    message = await harness.slash("/brief", line)
    assert message["blocks"][0]["type"] == "header", message
    assert title in message["blocks"][0]["text"]["text"]


async def test_a_commands_text_is_read_as_typed_not_as_slack_escapes_it(harness: Harness) -> None:
    """Slack sends "Petro & Trump" as "Petro &amp; Trump": searched as escaped, it looked for "amp" and found nothing."""
    message = await harness.slash("/brief", "search Petro & Trump")
    assert "Search “Petro & Trump”" in message["blocks"][0]["text"]["text"], message
    direct = await harness.slash("/search", "Petro & Trump", hook="d")
    assert direct == message


@pytest.mark.parametrize(("line", "title"), EVERY_COMMAND)
async def test_direct_commands_give_the_same_answer(harness: Harness, line: str, title: str) -> None:
    name, _, rest = line.partition(" ")
    via_brief = await harness.slash("/brief", line, hook="a")
    direct = await harness.slash(f"/{name}", rest, hook="b")
    assert direct == via_brief


def test_every_public_command_has_a_direct_listener(harness: Harness) -> None:
    assert {spec.name for spec in COMMANDS.public()} == set(harness.bot.commands)
    files = {spec.name for spec in COMMANDS.public() if spec.file}  # sent to the reader's DM: tests/test_slack_calendar.py
    assert {line.split()[0] for line, _ in EVERY_COMMAND} | files == set(harness.bot.commands), (
        "add a line of each new public command and its answer's title to EVERY_COMMAND in tests/test_slack_http.py"
    )


@pytest.mark.parametrize(("line", "said", "then"), [
    ("why timeline/visa-revoked", "The source passages behind this entry:", "*CubaHeadlines (Joseph Morales)"),
    ("briefings", "1 briefing", "*Petro in Washington: the White House meeting with Trump (petro-trump-2026)*"),
])
async def test_what_a_text_announces_is_read_right_after_it(harness: Harness, line: str, said: str, then: str) -> None:
    """A screen reader goes block by block: the entries come after the text (or title) that leads to them, then the
    fields ("Last changed", "Reading another"), as on Discord, whose description holds text and entries together."""
    blocks = (await harness.slash("/brief", line))["blocks"]
    read = [block["text"]["text"] for block in blocks if block["type"] in ("header", "section") and "text" in block]
    at = read.index(said)
    assert read[at + 1].startswith(then), read


async def test_a_summary_too_long_for_one_section_goes_on_at_a_sentence_s_end(harness: Harness, core: BriefingCore) -> None:
    """Each section is an element VoiceOver reads on its own: one ended "…cocaine production and", the next began "even of
    alleged ties…". Cut between sentences, as Discord's embeds are, each section reads whole."""
    sentences = [f"Sentence {n} tells one more thing about the visit, its aims and the people in it, and why it matters now." for n in range(30)]
    summary = " ".join(sentences)
    assert len(summary) > 3000
    changed = await ask(core, f'set kind:briefing summary:"{summary}"')
    assert changed.kind == "answer", changed.text
    blocks = (await harness.slash("/brief", "brief"))["blocks"]
    read = [block["text"]["text"] for block in blocks if block["type"] == "section" and "text" in block]
    start = next(n for n, text in enumerate(read) if text.startswith("Sentence 0 "))
    first, second = read[start : start + 2]
    assert first.endswith(".") and second.startswith("Sentence ")
    assert f"{first} {second}" == summary


async def test_a_title_over_a_header_s_limit_is_cut_after_a_whole_word(harness: Harness, core: BriefingCore) -> None:
    """Slack takes 150 characters of a header: "…Gustavo Petro y Donald Tr…" read, and was spoken, as a typo."""
    title = ("Petro and Trump at the White House: migration, anti-drug cooperation, trade, regional security, sanctions, "
             "tariffs, visas, military deportation flights and the accusations")
    assert 150 < len(title) <= 200 and title[146:148].isalpha()  # the 147 characters before the ellipsis end mid-word
    changed = await ask(core, f'set kind:briefing title:"{title}"')
    assert changed.kind == "answer", changed.text
    header = (await harness.slash("/brief", "brief"))["blocks"][0]["text"]["text"]
    assert header == title[: title.rindex(" ", 0, 147)] + "…"


async def test_a_why_of_many_passages_pages_them_each_page_with_its_last_change_and_sources(
    harness: Harness, repository: SqliteBriefingRepository
) -> None:
    """An FAQ entry with 70 passages: /brief why answered in 50 blocks, 47 passages then "… +26" (blocks, not passages),
    with neither "Last changed" nor the sources, and no page 2. Its passages are a list paged as every other list."""
    briefing = await repository.briefing()
    faq = briefing.faq[0]
    passages = tuple(Evidence(faq.evidence[0].source, f"Passage {n}: the meeting will focus on dialogue.") for n in range(1, 71))
    await repository.save(replace(briefing, faq=(replace(faq, evidence=passages), *briefing.faq[1:])))
    first = await harness.slash("/brief", "why main topics")
    _, buttons = page_buttons(first)
    await harness.click("briefbot_page_next", buttons["briefbot_page_next"])
    (second,) = await harness.slack.wait_for("hook/r2")
    for message, number, shown in ((first, 1, range(1, 6)), (second.body, 2, range(6, 11))):
        read = all_mrkdwn(message["blocks"])
        assert [n for n in range(1, 71) if f"Passage {n}:" in texts(message)] == list(shown)
        assert read[-3:] == [
            "*Last changed*\nNot edited since the briefing was loaded (revision 2)",
            "*Sources*\n• CubaHeadlines (Joseph Morales), “Gustavo Petro Arrives in Washington for High-Stakes Meeting with Trump: What's at Stake?”, 3 February 2026",
            f"Page {number} of 14",
        ]


async def test_user_errors_are_short_private_messages(harness: Harness) -> None:
    message = await harness.slash("/brief", 'timeline query:"open')
    assert message["response_type"] == "ephemeral"
    assert "quote is not closed" in message["text"]
    assert not any(block["type"] == "actions" for block in message["blocks"])
    unknown = await harness.slash("/brief", "timelin", hook="r9")
    assert "Did you mean: timeline?" in unknown["text"]


async def test_requests_carry_the_slack_user(harness: Harness) -> None:
    await harness.slash("/brief", "meeting")
    await harness.click("briefbot_page_next", "timeline page:2")
    await harness.slack.wait_for("hook/r2")
    # Both came from USER: the workspace-admin lookup (cached) asked Slack about exactly that user, once.
    assert [r.query["user"] for r in harness.slack.calls("users.info")] == [USER]


async def test_pagination_buttons_replace_the_message(harness: Harness) -> None:
    first = await harness.slash("/timeline")
    (actions,) = [block for block in first["blocks"] if block["type"] == "actions"]
    next_button = next(e for e in actions["elements"] if e["action_id"] == "briefbot_page_next")
    assert next_button["value"] == "timeline briefing:petro-trump-2026 page:2"  # the briefing that answered: see Page.briefing
    assert await harness.click(next_button["action_id"], next_button["value"]) == 200
    (second,) = await harness.slack.wait_for("hook/r2")
    assert second.body["replace_original"] is True
    assert "Page 2 of 3" in texts(second.body)
    values = {e["action_id"]: e["value"] for b in second.body["blocks"] if b["type"] == "actions" for e in b["elements"] if e["type"] == "button"}
    assert values == {
        "briefbot_page_previous": "timeline briefing:petro-trump-2026 page:1",
        "briefbot_page_next": "timeline briefing:petro-trump-2026 page:3",
        "briefbot_post": "timeline briefing:petro-trump-2026 page:2",
    }


async def test_post_to_channel_posts_for_everyone_and_removes_the_private_copy(harness: Harness) -> None:
    private = await harness.slash("/brief", "meeting")
    post = next(e for b in private["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert (post["action_id"], post["value"]) == ("briefbot_post", "meeting")
    await harness.click(post["action_id"], post["value"])
    public, delete = await harness.slack.wait_for("hook/r2", count=2)
    assert public.body["response_type"] == "in_channel"
    assert public.body["replace_original"] is False
    assert "Meeting: Gustavo Petro" in texts(public.body)
    assert "briefbot_post" not in texts(public.body)
    assert delete.body["delete_original"] is True


async def click_post(harness: Harness, line: str, hook: str, action_ts: str) -> None:
    """One tap on Post to channel of the private answer the fake's payloads name; each tap has its own action_ts."""
    payload = action_payload(POST_ACTION, line, harness.slack.response_url(hook))
    payload["actions"][0]["action_ts"] = action_ts
    assert (await harness.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")).status == 200


async def test_post_to_channel_tapped_twice_posts_once(harness: Harness) -> None:
    """Two taps on one private answer's Post to channel (a double click, a laggy phone's repeat) posted it twice."""
    await harness.slash("/brief", "meeting")
    await asyncio.gather(click_post(harness, "meeting", "r2", "1700000001.100"), click_post(harness, "meeting", "r3", "1700000001.900"))
    public, delete = await harness.slack.wait_for("hook/r2", count=2)
    (again,) = await harness.slack.wait_for("hook/r3")
    assert public.body["response_type"] == "in_channel" and delete.body["delete_original"] is True
    assert again.body == {"text": "This answer is already posted to the channel: one click is enough.",
                          "response_type": "ephemeral", "replace_original": False}
    await harness.bot.inflight.drain(5)
    posts = [r for r in harness.slack.requests if r.api.startswith("hook/") and r.body.get("response_type") == "in_channel"]
    assert len(posts) == 1


async def test_a_refused_post_may_be_tapped_again(harness: Harness) -> None:
    """A tap refused (nothing posted) leaves its answer postable: the next tap is answered, not told it is posted."""
    for hook, stamp in (("r2", "1700000001.100"), ("r3", "1700000002.100")):
        await click_post(harness, "undo", hook, stamp)
        (refused,) = await harness.slack.wait_for(f"hook/{hook}")
        assert "Only an answer that changes nothing can be posted" in refused.body["text"]


def test_the_memory_of_posts_forgets_after_half_an_hour_and_is_bounded() -> None:
    now = [0.0]
    posted = Posted(clock=lambda: now[0], limit=2)
    assert posted.claim(("C", "1", USER)) and not posted.claim(("C", "1", USER))
    now[0] = POSTED_SECONDS
    assert posted.claim(("C", "1", USER))  # half an hour on: forgotten
    assert posted.claim(("C", "2", USER)) and posted.claim(("C", "3", USER))  # a third: the oldest makes room
    assert posted.claim(("C", "1", USER)) and not posted.claim(("C", "3", USER))


def page_buttons(message: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The block id of a message's buttons and each button's value by action."""
    (actions,) = [block for block in message["blocks"] if block["type"] == "actions"]
    return actions.get("block_id", ""), {e["action_id"]: e["value"] for e in actions["elements"] if e["type"] == "button"}


async def test_only_the_poster_turns_a_channel_messages_page_for_everyone(harness: Harness) -> None:
    """Anyone else clicking Next on a posted answer gets that page privately; the channel's message stays as it is."""
    await harness.slash("/brief", "timeline")
    await harness.click("briefbot_post", "timeline page:1")
    public, _ = await harness.slack.wait_for("hook/r2", count=2)
    block_id, values = page_buttons(public.body)
    assert block_id == f"briefbot_by_{USER}" and values == {"briefbot_page_next": "timeline briefing:petro-trump-2026 page:2"}
    await harness.click("briefbot_page_next", "timeline page:2", hook="r3", ephemeral=False, user="U0OTHER", block_id=block_id)
    (copy,) = await harness.slack.wait_for("hook/r3")
    assert (copy.body["response_type"], copy.body["replace_original"]) == ("ephemeral", False)
    assert "Page 2 of 3" in texts(copy.body) and "briefbot_post" in texts(copy.body)
    await harness.click("briefbot_page_next", "timeline page:2", hook="r4", ephemeral=False, block_id=block_id)
    (turned,) = await harness.slack.wait_for("hook/r4")
    assert turned.body["replace_original"] is True and "Page 2 of 3" in texts(turned.body)
    assert page_buttons(turned.body)[0] == block_id and "briefbot_post" not in texts(turned.body)  # still public, still theirs


@pytest.mark.parametrize("block_id", ["b1", "briefbot_by_", f"briefbot_by_{USER} ", f"briefbot_by_{USER.lower()}", f"x_briefbot_by_{USER}"])
async def test_a_channel_message_naming_no_poster_is_never_turned_for_everyone(harness: Harness, block_id: str) -> None:
    """A block id that is not exactly one a post wrote (an old message, a forged one) fails closed: a private copy."""
    await harness.click("briefbot_page_next", "timeline page:2", ephemeral=False, block_id=block_id)
    (message,) = await harness.slack.wait_for("hook/r2")
    assert (message.body["response_type"], message.body["replace_original"]) == ("ephemeral", False)


async def test_a_member_slack_will_not_describe_is_asked_about_once_and_logged_in_one_line(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """An external Slack Connect member (users.info: user_not_found) clicking Next on a posted answer: each click asked
    Slack twice and logged two tracebacks. The failure is kept a minute, as a success is five, and said in one line."""
    external = "U0EXTERNAL"
    harness.slack.users[external] = None
    for hook in ("r2", "r3"):
        await harness.click("briefbot_page_next", "timeline page:2", hook=hook, ephemeral=False, user=external, block_id=f"briefbot_by_{USER}")
        (copy,) = await harness.slack.wait_for(f"hook/{hook}")
        assert "Page 2 of 3" in texts(copy.body) and copy.body["response_type"] == "ephemeral"
    assert [r.query["user"] for r in harness.slack.calls("users.info")] == [external]
    said = [(r.levelname, r.getMessage(), r.exc_info) for r in caplog.records if r.name == "bot.adapters.slack_app.people"]
    assert said == [("WARNING", f"users.info failed for {external} (user_not_found); a regular user in the default language", None)]


async def test_a_refused_page_on_a_channel_message_goes_to_the_clicker_alone(harness: Harness) -> None:
    await harness.click("briefbot_page_next", 'timeline query:"open', ephemeral=False, block_id=f"briefbot_by_{USER}")
    (message,) = await harness.slack.wait_for("hook/r2")
    assert (message.body["response_type"], message.body["replace_original"]) == ("ephemeral", False)
    assert "quote is not closed" in message.body["text"]


async def test_app_home_publishes_the_status_panel(harness: Harness) -> None:
    body = json.dumps(home_opened_event())
    assert (await harness.send(body, "application/json")).status == 200
    (published,) = await harness.slack.wait_for("views.publish")
    assert published.body["user_id"] == USER
    assert published.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    view = published.body["view"]
    assert view["type"] == "home"
    panel = texts(view)
    assert "Scheduled · in 2 days and 4 hours" in panel
    assert "<!date^1770134400^" in panel
    assert "*Latest*" in panel
    buttons = [e["value"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons[:3] == ["meeting", "timeline", "delegation"]
    assert "person" not in buttons and "search" not in buttons  # both need an argument
    # Each button's label read on its own: not "Faq" (read as a word) or "Use" (use what?).
    labels = {e["value"]: e["text"]["text"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]}
    # "Choose briefing" chose nothing: it says which briefing the tab shows and how one is chosen in a channel.
    assert (labels["meeting"], labels["faq"], labels["use"]) == ("Meeting", "FAQ", "Which briefing")


async def test_home_buttons_open_the_answer_in_a_modal(harness: Harness) -> None:
    assert await harness.click("briefbot_home_agenda", "agenda", hook=None) == 200
    (opened,) = await harness.slack.wait_for("views.open")
    assert opened.body["trigger_id"] == "1337.42.abcdef"
    assert opened.body["view"]["type"] == "modal"
    assert len(opened.body["view"]["title"]["text"]) <= 24
    assert "Agenda" in texts(opened.body["view"])


def modal_buttons(view: dict[str, Any]) -> dict[str, str]:
    """A modal's buttons: each one's action id and the line it carries."""
    return {e["action_id"]: e["value"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]}


@pytest.mark.parametrize(("command", "pages"), [("timeline", 3), ("faq", 2)])
async def test_a_home_buttons_list_turns_its_pages_in_its_modal(harness: Harness, command: str, pages: int) -> None:
    """"Timeline · 14 events" showed its first 5 and "Page 1 of 3" with no way on: a modal has no response_url, so a
    message's page buttons cannot work there. Its own Previous and Next now turn it in place (views.update)."""
    assert await harness.click(f"briefbot_home_{command}", command, hook=None) == 200
    (opened,) = await harness.slack.wait_for("views.open")
    view = opened.body["view"]
    assert f"Page 1 of {pages}" in texts(view) and list(modal_buttons(view)) == ["briefbot_modal_page_next"]
    for number in range(2, pages + 1):
        following = modal_buttons(view)["briefbot_modal_page_next"]
        assert following.endswith(f"page:{number}") and "briefing:petro-trump-2026" in following
        click = {**action_payload("briefbot_modal_page_next", following, None), "view": {"id": f"V{number}", "type": "modal"}}
        assert (await harness.send(urlencode({"payload": json.dumps(click)}), "application/x-www-form-urlencoded")).status == 200
        turned = (await harness.slack.wait_for("views.update", count=number - 1))[-1]
        view = turned.body["view"]
        assert turned.body["view_id"] == f"V{number}" and f"Page {number} of {pages}" in texts(view), texts(view)
    assert list(modal_buttons(view)) == ["briefbot_modal_page_previous"]  # the last page: only back
    assert harness.slack.calls("hook/r2") == []  # nothing went to a message


async def test_data_cannot_ping_or_link(harness: Harness) -> None:
    message = await harness.slash("/brief", "person <!channel> & <@U123> <https://evil.example|x>")
    shown = texts(message)
    assert "<!channel>" not in shown and "<@U123>" not in shown and "<https://" not in shown
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in shown


async def test_forged_signature_is_refused(harness: Harness) -> None:
    form = urlencode(slash_payload("/brief", "", harness.slack.response_url()))
    forged = signature_headers(form, secret="not-the-secret")
    assert (await harness.send(form, "application/x-www-form-urlencoded", forged)).status == 401
    unsigned: dict[str, str] = {}
    assert (await harness.send(form, "application/x-www-form-urlencoded", unsigned)).status == 401
    tampered = signature_headers(form)
    assert (await harness.send(form + "x", "application/x-www-form-urlencoded", tampered)).status == 401
    assert harness.slack.calls("hook/r1") == []


async def test_replayed_request_older_than_five_minutes_is_refused(harness: Harness) -> None:
    form = urlencode(slash_payload("/brief", "", harness.slack.response_url()))
    old = signature_headers(form, timestamp=int(time.time()) - 5 * 60 - 1)
    assert (await harness.send(form, "application/x-www-form-urlencoded", old)).status == 401
    assert harness.slack.calls("hook/r1") == []


async def test_healthz(harness: Harness) -> None:
    async with harness.http.get(f"{harness.url}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"ok": True, "store": True, "slack": True}


async def test_a_slack_outage_in_healthz_is_one_line_when_it_goes_and_one_when_it_comes_back(
    harness: Harness, caplog: pytest.LogCaptureFixture,
) -> None:
    harness.slack.auth_status = 503  # Slack down behind its load balancer
    with caplog.at_level(logging.INFO, logger="bot.adapters.slack_app.health"):
        async with harness.http.get(f"{harness.url}/healthz") as response:
            assert await response.json() == {"ok": False, "store": True, "slack": False}
        harness.slack.auth_status = 200
        async with harness.http.get(f"{harness.url}/healthz") as response:
            assert await response.json() == {"ok": True, "store": True, "slack": True}
    said = [(r.levelname, r.getMessage(), r.exc_info) for r in caplog.records if r.name == "bot.adapters.slack_app.health"]
    assert said == [("WARNING", "healthz: Slack stopped answering (HTTP 503)", None), ("INFO", "healthz: Slack answers again", None)]


async def test_rate_limited_web_api_calls_are_retried_after_retry_after(harness: Harness) -> None:
    harness.slack.rate_limit("views.publish", 1)
    assert (await harness.send(json.dumps(home_opened_event()), "application/json")).status == 200
    limited, retried = await harness.slack.wait_for("views.publish", count=2, timeout=5)
    assert retried.at - limited.at >= 1.0
    assert retried.body == limited.body


async def test_workspace_lookups_are_off_unless_configured(core: BriefingCore) -> None:
    admins = WorkspaceAdmins(enabled=False)
    client = build_client(BOT_TOKEN, "http://127.0.0.1:9/api/")  # nothing listens: a lookup would fail
    assert await admins.is_admin(client, "UOWNER") is False


async def test_workspace_admins_are_looked_up_once_with_users_info() -> None:
    async with FakeSlack(users={"UOWNER": {"id": "UOWNER", "is_owner": True}}) as slack:
        admins = WorkspaceAdmins(enabled=True)
        client = build_client(BOT_TOKEN, slack.base_url)
        assert await admins.is_admin(client, "UOWNER") is True
        assert await admins.is_admin(client, "UOWNER") is True
        assert await admins.is_admin(client, USER) is False
        lookups = slack.calls("users.info")
        assert [(r.http_method, r.query["user"]) for r in lookups] == [("GET", "UOWNER"), ("GET", USER)]


async def test_the_ack_is_empty_and_comes_before_the_answer(harness: Harness) -> None:
    form = urlencode(slash_payload("/brief", "meeting", harness.slack.response_url()))
    async with harness.http.post(
        f"{harness.url}/slack/events", data=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", **signature_headers(form)},
    ) as response:
        assert response.status == 200
        assert await response.read() == b""
        assert harness.slack.calls("hook/r1") == []
    await harness.slack.wait_for("hook/r1")


async def test_a_failing_response_url_is_logged_not_raised(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    payload = slash_payload("/brief", "meeting", "http://127.0.0.1:9/hooks/dead")
    form = urlencode(payload)
    assert (await harness.send(form, "application/x-www-form-urlencoded")).status == 200
    await harness.bot.inflight.drain(5)
    failures = [r for r in caplog.records if r.name == "bot.adapters.slack_app.app" and r.exc_info]
    assert [r.getMessage() for r in failures] == ["slack answer to meeting failed", "could not tell the user about the failure"]


async def test_a_failing_answer_or_post_logs_the_command_never_the_words_typed(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    """"slack answer to 'search Maria Lopez lives at Calle 5' failed" wrote what a reader typed into the error log."""
    dead = "http://127.0.0.1:9/hooks/dead"
    typed = "search Maria Lopez lives at Calle 5"
    assert (await harness.send(urlencode(slash_payload("/brief", typed, dead)), "application/x-www-form-urlencoded")).status == 200
    await harness.bot.inflight.drain(5)
    clicked = urlencode({"payload": json.dumps(action_payload(POST_ACTION, typed, dead, ephemeral=True))})
    assert (await harness.send(clicked, "application/x-www-form-urlencoded")).status == 200
    await harness.bot.inflight.drain(5)
    failures = [r.getMessage() for r in caplog.records if r.name == "bot.adapters.slack_app.app" and r.exc_info]
    assert failures == ["slack answer to search failed", "could not tell the user about the failure",
                        "slack post of search failed", "could not tell the user about the failure"]
    assert "Maria" not in caplog.text and "Calle" not in caplog.text
