"""Colleagues and channels named as each platform names them: history, undo, subscriptions and `use` through the real
bolt app and the real discord.py against their loopback fakes (the pause notice's: test_slack_digests.py,
test_discord_digests.py). The core hands a user or a channel as a reference
(`Ref`, inside a `Marked` text), each renderer writes its platform's mention (shown as the name, notifying nobody), and
nothing an admin typed ever becomes one."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.adapters.console import render_text
from bot.adapters.discord_app.markdown import literal
from bot.adapters.discord_app.render import render_embeds
from bot.adapters.slack_app.mrkdwn import entities, escape
from bot.adapters.slack_app.render import render_reply
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.catalogue_en import EN
from bot.core.digest.model import Subscription
from bot.core.digest.runner import paused_notice
from bot.core.replies import Code, Item, Marked, Ref, Reply, marked
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import Store
from tests.briefings_support import chooser_core
from tests.conftest import BEFORE, BRIEFING_ID
from tests.discord_fake import CHANNEL_ID, USER_ID, FakeDiscord
from tests.discord_support import connected
from tests.slack_fake import CHANNEL, slash_payload
from tests.test_slack_http import Harness, serving_bot

SLACK_ADMIN = "U0ADMIN"
DISCORD_ADMIN = "111111111111111111"  # a Discord admin other than the fake's member
# What an admin types that would be a mention, a channel link or a ping if it were written as it is.
FORGED = "<@U0ADMIN> <#C0CHAN> <!channel> <@123456789012345678> <#987654321098765432> @everyone"


def core_over(store: Store) -> BriefingCore:
    """Admins of both platforms, with digests and choices."""
    policy = AdminPolicy({"slack": Admins(users=frozenset({SLACK_ADMIN})), "discord": Admins(users=frozenset({str(USER_ID), DISCORD_ADMIN}))})
    return chooser_core(store, policy)


def by(platform: str, user: str) -> Request:
    """A command line from that user of that platform; the command line's and the console's are the operator's."""
    return Request(command="", now=BEFORE, platform=platform, user_id=user, operator=platform in ("cli", "console"))


async def slack(h: Harness, text: str, hook: str) -> dict[str, Any]:
    """`/brief <text>` from the Slack admin in #C0CHAN: the message posted to its response_url."""
    form = urlencode(slash_payload("/brief", text, h.slack.response_url(hook), user=SLACK_ADMIN))
    assert (await h.send(form, "application/x-www-form-urlencoded")).status == 200
    (answer,) = await h.slack.wait_for(f"hook/{hook}")
    return dict(answer.body)


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


async def test_slack_names_the_admin_and_the_channel_by_their_mentions_and_no_typed_text_becomes_one(store: Store) -> None:
    core = core_over(store)
    async with serving_bot(core, workspace_admins=False) as h:
        assert "session/meeting changed" in shown(await slack(h, f'set kind:meeting note:"{FORGED}"', "set"))
        history = await slack(h, "history", "history")
        # "… · Slack · U0ADMIN" named nobody an admin knows: Slack shows <@U0ADMIN> as the colleague's name.
        assert "· Slack · <@U0ADMIN>" in shown(history)
        # What the admin typed is words, escaped as ever: no mention, no channel link, no @channel but the author's.
        assert "&lt;@U0ADMIN&gt; &lt;#C0CHAN&gt; &lt;!channel&gt;" in shown(history)
        assert re.findall(r"<[@#!][^>]*>", shown(history)) == ["<@U0ADMIN>"]
        assert "was made by <@U0ADMIN> (Slack, " in shown(await slack(h, "undo", "undo"))

        assert (await slack(h, "subscribe time:07:30 tz:UTC alerts:none", "subscribe"))["response_type"] == "ephemeral"
        listed = await slack(h, "subscriptions", "subscriptions")
        assert f"*Channel <#{CHANNEL}> · {BRIEFING_ID}*" in shown(listed) and "Slack · by <@U0ADMIN> · active" in shown(listed)

        await slack(h, f"use briefing:{BRIEFING_ID}", "use")
        assert "This channel chose it: <@U0ADMIN>, " in shown(await slack(h, "use", "here"))

        # Another platform's admin (a Discord id), and the operator, stay words: only Slack's own ids are Slack's mentions.
        assert (await core.dispatch_line("set kind:meeting status:postponed", by("discord", DISCORD_ADMIN))).kind == "answer"
        assert (await core.dispatch_line("set kind:meeting status:scheduled", by("cli", "operator"))).kind == "answer"
        again = shown(await slack(h, "history", "again"))
        assert f"· Discord · {DISCORD_ADMIN}" in again and f"<@{DISCORD_ADMIN}>" not in again and "· cli · operator" in again

        # Posted to the channel, a user's mention would notify them (Slack has no switch against it): there, their id.
        assert await h.click("briefbot_post", "history", hook="post", user=SLACK_ADMIN) == 200
        posted, _ = await h.slack.wait_for("hook/post", count=2)
        assert posted.body["response_type"] == "in_channel"
        assert "· Slack · U0ADMIN" in shown(posted.body) and "<@U0ADMIN>" not in shown(posted.body)

        # The language an admin fixed names them too, in the language fixed.
        await slack(h, "use language:es", "spanish")
        assert "español: fijado para este canal por <@U0ADMIN>, " in shown(await slack(h, "use", "language"))


async def test_discord_names_the_admin_and_the_channel_by_their_mentions_and_no_typed_text_becomes_one(
    fake: FakeDiscord, store: Store
) -> None:
    core = core_over(store)
    async with connected(fake, core):
        async def said(name: str, options: dict[str, Any] | None = None) -> str:
            body = await fake.interact(fake.command(name, options or {}))
            assert body["data"]["allowed_mentions"]["parse"] == []  # a mention shows the name and notifies nobody
            return "\n".join(f"{embed.get('title', '')}\n{embed.get('description', '')}\n{json.dumps(embed.get('fields', []), ensure_ascii=False)}"
                             for embed in body["data"]["embeds"])

        assert "session/meeting changed" in await said("set", {"kind": "meeting", "field": "note", "value": FORGED})
        history = await said("history")
        assert f"· Discord · <@{USER_ID}>" in history
        # Escaped as every text is: each `<` and `@` of what the admin typed is a character (history shortens the value),
        # and the one mention is the author's.
        assert literal("<@U0ADMIN> <#C0CHAN> <!channel> <@123456789012345678>") in history
        assert re.findall(r"(?<!\\)<[@#!][^>]*>", history) == [f"<@{USER_ID}>"]
        assert f"was made by <@{USER_ID}> (Discord, " in await said("undo")

        await said("subscribe", {"time": "08:00", "tz": "UTC", "alerts": "none"})
        listed = await said("subscriptions")
        assert f"**Channel <#{CHANNEL_ID}> · {BRIEFING_ID}**" in listed and f"*Discord · by <@{USER_ID}> · active*" in listed

        await said("use", {"briefing": BRIEFING_ID})
        assert f"This channel chose it: <@{USER_ID}>, " in await said("use")

        # A Slack admin's edit read on Discord: their id, as words.
        assert (await core.dispatch_line("set kind:meeting status:postponed", by("slack", SLACK_ADMIN))).kind == "answer"
        again = await said("history")
        assert "· Slack · U0ADMIN" in again and "<@U0ADMIN>" not in again

        # The language an admin fixed names them too, in the language fixed.
        await said("use", {"language": "es"})
        assert f"español: fijado para este canal por <@{USER_ID}>, " in await said("use")


async def test_the_console_shows_the_ids_as_they_are(store: Store) -> None:
    core = core_over(store)
    assert (await core.dispatch_line("set kind:meeting status:postponed", by("slack", SLACK_ADMIN))).kind == "answer"
    history = render_text(await core.dispatch_line("history", by("console", "local")))
    assert "· Slack · U0ADMIN" in history and "<@" not in history


def test_a_text_only_the_core_marks_is_written_as_mentions_and_data_like_it_stays_words() -> None:
    """Data is a plain str, whatever it holds: the same words as a Marked text, "<@U1>", or the Marked text's plain form
    (a pack's title "Channel C0CHAN · x") never become a mention, not even through a renderer's memory of a Marked one."""
    cat = catalogue_for("en")
    channel = cat.marked("digest.list_channel_of", channel=Ref("slack", "C0CHAN", channel=True), briefing="<@U1>")
    assert isinstance(channel, Marked) and str(channel) == "Channel C0CHAN · <@U1>"
    words = "Channel C0CHAN · <@U1>"  # an item a pack titled so
    for title, slack_said, discord_said in (
        (channel, "*Channel <#C0CHAN> · &lt;@U1&gt;*", "**Channel C0CHAN · \\<\\@U1>**"),  # Slack's channel: words on Discord
        (words, "*Channel C0CHAN · &lt;@U1&gt;*", "**Channel C0CHAN · \\<\\@U1>**"),
    ):
        reply = Reply("Subscriptions", items=(Item(title),))
        assert slack_said in shown(render_reply(reply, interactive=False))
        assert discord_said in json.dumps(render_embeds(reply, cat)[0].to_dict(), ensure_ascii=False).replace("\\\\", "\\")
    # A command is code where the platform has code, and its words stay inside it.
    command = marked("run {command}", {"command": Code("briefbot admin unsubscribe channel:C1")})
    assert escape(command) == "run `briefbot admin unsubscribe channel:C1`" and literal(command) == "run `briefbot admin unsubscribe channel:C1`"
    assert escape(marked("{a}", {"a": Code("a`b")})) == escape("a`b")  # a backquote would end the code: written as words
    # A Discord id is a Discord mention; shaped like nothing Discord sends, it stays words.
    assert literal(marked("{u} {c}", {"u": Ref("discord", "123"), "c": Ref("discord", "<@1>", channel=True)})) == "<@123> \\<\\@1>"


def test_the_pause_notice_names_the_channel_by_a_reference_and_the_remedy_by_its_reason() -> None:
    """The adapters no longer swap the raw id for a mention: the core's notice carries the channel as a reference, the
    operator's command as code, and says what brings the digest back for the reason it was paused."""
    subscription = Subscription(
        id=1, platform="slack", channel_id="C0CHAN", team_id="T1", briefing_id=BRIEFING_ID, time=BEFORE.time(), zone="UTC",
        quiet=False, alerts=(), active=False, paused_reason="", created_by=SLACK_ADMIN, active_since=datetime(2026, 1, 1, tzinfo=UTC),
        seen_revision=0,
    )
    notice = paused_notice(subscription, "paused.slack_archived", catalogue_for("en"), ("", "brief"))
    assert isinstance(notice.title, Marked) and Ref("slack", "C0CHAN", channel=True) in notice.title.parts
    assert isinstance(notice.text, Marked) and Code(f"briefbot admin unsubscribe platform:slack channel:C0CHAN briefing:{BRIEFING_ID}") in notice.text.parts
    assert "Once the channel is unarchived, run /brief subscribe there to resume it." in notice.text
    # A reason stored before reasons were keys (English words) gets the remedy that fits any.
    old = paused_notice(subscription, "channel_not_found", catalogue_for("es"), ("", "brief"))
    assert "Cuando el bot pueda volver a publicar ahí, ejecuta /brief suscribir en el canal para reanudarlo." in old.text


@pytest.mark.parametrize("key", sorted(key for key in EN if key.startswith("paused.")))
def test_every_pause_reason_has_its_remedy_or_the_general_one(key: str) -> None:
    """A new reason gets a remedy of its own unless the general one ("once the bot can post there again") fits."""
    general = {"paused.slack_access_denied", "paused.slack_refused"}
    assert catalogue_for("en").has(f"digest.paused_fix.{key.removeprefix('paused.')}") != (key in general)


def test_a_slack_id_shaped_like_nothing_slack_sends_stays_words() -> None:
    """A stored Slack id is written as a mention only when it is shaped like one: a channel id an operator typed as
    "<!channel>" must not ping the channel from inside `<#…>`."""
    text = marked("{u} {c}", {"u": Ref("slack", "U0USER"), "c": Ref("slack", "<!channel>", channel=True)})
    assert escape(text) == "<@U0USER> &lt;!channel&gt;"
    assert entities(text) == "<@U0USER> &lt;!channel&gt;"
