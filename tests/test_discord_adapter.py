"""The Discord adapter through the real discord.py: it logs in to a loopback Discord, receives interactions
over the gateway, and we assert on the JSON it POSTs back."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from msgspec.structs import replace

from bot.adapters.discord_app.client import BriefbotClient
from bot.adapters.discord_app.render import CONTENT, DESCRIPTION, FIELD_NAME, FIELD_VALUE, FIELDS, FOOTER, TITLE, TOTAL
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.commands import COMMANDS
from bot.core.context import Context
from bot.core.registry import Args, CommandSpec, Option, Registry
from bot.core.replies import Field, Reply
from bot.core.service import BriefingCore
from bot.settings import DiscordSettings
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import PACK
from tests.discord_fake import APPLICATION_ID, CHANNEL_ID, GUILD_ID, OTHER_USER_ID, ROLE_ID, USER_ID, FakeDiscord, Json
from tests.discord_support import connected

EPHEMERAL = 64
CAT = catalogue_for("en")
# One realistic value per option; a new core option without a sample here fails the first test on purpose.
SAMPLES: dict[str, Any] = {
    "from": "2025-09",
    "to": "2026-02",
    "topic": "visa",
    "query": "visa",
    "side": "Colombia",
    "role": "minister",
    "name": "Petro",
    "speaker": "Trump",
    "session": "meeting",
    "question": "other activities",
    "text": "visa",
    "command": "timeline",
    "page": 1,
    "briefing": "petro-trump-2026",
    "for": "channel",
    "item": "timeline/visa-revoked",
    "language": "en",
}


@pytest.fixture
def settings(fake: FakeDiscord) -> DiscordSettings:
    return DiscordSettings(api_base=fake.api_base, gateway=fake.gateway, admin_role_ids=(ROLE_ID,))


@pytest.fixture
async def bot(fake: FakeDiscord, core: BriefingCore, settings: DiscordSettings) -> AsyncIterator[BriefbotClient]:
    async with connected(fake, core, settings) as client:
        yield client


def embeds_within_limits(data: Json) -> None:
    """Every Discord message limit, checked on the JSON discord.py actually sent."""
    assert len(data.get("content") or "") <= CONTENT
    assert len(data.get("embeds", [])) <= 10
    total = 0
    for embed in data.get("embeds", []):
        assert len(embed.get("title", "")) <= TITLE and len(embed.get("description") or "") <= DESCRIPTION
        assert len(embed.get("fields", [])) <= FIELDS
        for field in embed.get("fields", []):
            assert 0 < len(field["name"].strip()) <= FIELD_NAME and 0 < len(field["value"].strip()) <= FIELD_VALUE
        assert len(embed.get("footer", {}).get("text", "")) <= FOOTER
        total += len(embed.get("title", "")) + len(embed.get("description") or "") + len(embed.get("footer", {}).get("text", ""))
        total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    assert total <= TOTAL


def no_pings(data: Json) -> None:
    assert data["allowed_mentions"]["parse"] == []


@pytest.mark.parametrize("locale", ["en-US", "es-419"])
async def test_every_command_and_every_option_answers_privately_within_limits(bot: BriefbotClient, fake: FakeDiscord, locale: str) -> None:
    for spec in COMMANDS.public():
        required = {o.name: SAMPLES[o.name] for o in spec.options if o.required}
        cases = [required, *({**required, o.name: SAMPLES[o.name]} for o in spec.options if not o.required)]
        for options in cases:
            body = await fake.interact(fake.command(spec.name, options, locale=locale))
            assert body["type"] == 4, (spec.name, options)
            data = body["data"]
            assert data["flags"] & EPHEMERAL, (spec.name, options)
            no_pings(data)
            embeds_within_limits(data)
            assert data["embeds"][0]["title"]


async def test_plain_commands_answer_rather_than_error(bot: BriefbotClient, fake: FakeDiscord) -> None:
    for spec in COMMANDS.public():
        options = {o.name: SAMPLES[o.name] for o in spec.options if o.required}
        data = (await fake.interact(fake.command(spec.name, options)))["data"]
        assert data["embeds"][0]["title"] != CAT("error.user_title"), spec.name


async def test_public_option_posts_to_the_channel(bot: BriefbotClient, fake: FakeDiscord) -> None:
    data = (await fake.interact(fake.command("brief", {"public": True})))["data"]
    assert not data.get("flags", 0) & EPHEMERAL
    no_pings(data)


async def test_meeting_time_is_a_discord_timestamp_next_to_local_time(bot: BriefbotClient, fake: FakeDiscord) -> None:
    data = (await fake.interact(fake.command("meeting")))["data"]
    when = data["embeds"][0]["fields"][0]["value"]
    unix = 1770134400  # 3 February 2026 16:00 UTC, 11:00 in Washington
    assert when.startswith(f"<t:{unix}:F> · <t:{unix}:R>\n") and "11:00" in when
    assert data["embeds"][-1]["fields"][-1]["name"] == "Sources" and "CubaHeadlines" in data["embeds"][-1]["fields"][-1]["value"]


async def test_user_errors_are_private_even_when_public_was_asked(bot: BriefbotClient, fake: FakeDiscord) -> None:
    data = (await fake.interact(fake.command("timeline", {"from": "not a date", "public": True})))["data"]
    assert data["flags"] & EPHEMERAL
    assert data["embeds"][0]["title"] == CAT("error.user_title")
    assert "not a date" in data["embeds"][0]["description"] and "Traceback" not in json.dumps(data)


async def test_no_message_ever_pings_even_when_the_data_holds_mentions(bot: BriefbotClient, fake: FakeDiscord) -> None:
    sneaky = f"@everyone @here <@&{ROLE_ID}> <@{USER_ID}>"
    data = (await fake.interact(fake.command("search", {"text": sneaky, "public": True})))["data"]
    assert "@everyone" in json.dumps(data)  # the text is shown (escaped or not) …
    no_pings(data)  # … but Discord is told to notify nobody


async def test_an_unknown_command_gets_a_short_private_message_and_is_logged(
    bot: BriefbotClient, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        data = (await fake.interact(fake.command("no-such-command")))["data"]
    assert data["flags"] & EPHEMERAL and data["content"] == CAT("error.internal")
    no_pings(data)
    assert any("failed" in record.getMessage() for record in caplog.records)


async def test_autocomplete_suggests_from_the_core(bot: BriefbotClient, fake: FakeDiscord) -> None:
    for command, option, typed, expected in [
        ("person", "name", "pet", "Gustavo Petro"),
        ("quotes", "speaker", "trum", "Donald Trump"),
        ("timeline", "topic", "vis", "visa"),
        ("help", "command", "time", "timeline"),
    ]:
        body = await fake.interact(fake.autocomplete(command, option, typed))
        assert body["type"] == 8
        choices = body["data"]["choices"]
        assert 0 < len(choices) <= 25 and choices[0]["value"] == expected, (command, choices)
        assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)



async def test_what_to_try_next_shows_a_value_as_entered_in_its_field(bot: BriefbotClient, fake: FakeDiscord) -> None:
    # A Discord user fills each option in a field and never types a line: no line's quotes or backslashes around what they
    # entered (it once said `query:"\\""`), whichever value and whichever suggestion.
    for entered in ('"', 'visa" x', "two words"):
        body = await fake.interact(fake.command("timeline", {"query": entered}))
        assert body["data"]["embeds"][0]["description"] == (
            f"No events match query:{entered}. /search {entered} looks for the words everywhere; /timeline lists every event.")
    side = await fake.interact(fake.command("delegation", {"side": "united stats", "role": 'a "b'}))
    assert "side:United States" in side["data"]["embeds"][0]["description"], side
    nobody = await fake.interact(fake.command("delegation", {"role": 'nobody "here"'}))
    assert nobody["data"]["embeds"][0]["description"].startswith('Nobody matches role:nobody "here". '), nobody

async def test_a_lower_case_o_that_finds_nothing_is_shown_in_capitals_as_entered(bot: BriefbotClient, fake: FakeDiscord) -> None:
    """A Spanish reader's "visa o aranceles" found nothing and the answer never said that OR is a capital O."""
    body = await fake.interact(fake.command("search", {"text": "visa o aranceles"}, locale="es-419"))
    assert body["data"]["embeds"][0]["description"] == (
        "Nada en este informe coincide con «visa o aranceles». /buscar visa O aranceles encuentra una palabra u otra: "
        "la O que las separa se escribe en mayúscula.")


async def test_autocomplete_of_an_empty_faq_prefix_is_bounded(bot: BriefbotClient, fake: FakeDiscord) -> None:
    body = await fake.interact(fake.autocomplete("faq", "question", ""))
    assert body["type"] == 8 and len(body["data"]["choices"]) <= 25


async def test_a_question_over_100_characters_is_offered_and_its_choice_finds_it(fake: FakeDiscord, store: Store) -> None:
    """Discord takes 100 characters of a choice: a longer question is offered cut after a whole word, and the words
    sent find it first."""
    question = (
        "What did the two presidents say about migration, deportation flights, tariffs on coffee and flowers, "
        "visas and the drug-trafficking accusations after the meeting?"
    )
    pack = read_pack(PACK)
    faq = (*pack.faq[:2], replace(pack.faq[2], question=question, translations=()), *pack.faq[3:])
    await store.repository.save(replace(pack, id="long-question", faq=faq))
    async with connected(fake, BriefingCore(store.repository)):
        choices = (await fake.interact(fake.autocomplete("faq", "question", "deportation", {"briefing": "long-question"})))["data"]["choices"]
        assert [c["name"] for c in choices] == [question[: question.rindex(" ", 0, 99)] + "…"]
        assert choices[0]["value"] == choices[0]["name"]
        picked = await fake.interact(fake.command("faq", {"question": choices[0]["value"], "briefing": "long-question"}))
    assert picked["data"]["embeds"][0]["description"].startswith(f"**{question}**")


def buttons(message: Json) -> dict[str, Json]:
    return {button["label"]: button for row in message["components"] for button in row["components"] if button["type"] == 2}


async def test_a_page_turned_after_the_channel_chose_another_story_is_still_the_answers(fake: FakeDiscord, store: Store) -> None:
    """A button names the briefing that answered: the channel's new choice is not what an old message pages through."""
    pack = read_pack(PACK)
    await store.repository.save(pack)
    await store.repository.save(replace(pack, id="other-story", timeline=pack.timeline[:1]))
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), choices=store.choices)
    async with connected(fake, core):
        asked = fake.command("timeline", {"public": True})
        message = (await fake.interact(asked))["data"]
        assert (await fake.interact(fake.command("use", {"briefing": "other-story"})))["data"]["embeds"][0]["title"]
        turned = await fake.interact(fake.click(fake.message_of(asked), buttons(message)[CAT("page.next_button")]["custom_id"]))
    embed = turned["data"]["embeds"][0]
    assert embed["title"] == "Timeline · 14 events" and "Page 2 of" in embed["footer"]["text"], embed
    assert "briefing:" not in embed["footer"]["text"]  # the line a reader is told to type stays as they would type it


async def test_page_buttons_turn_pages_and_survive_a_restart(fake: FakeDiscord, core: BriefingCore, settings: DiscordSettings) -> None:
    async with connected(fake, core, settings):
        asked = fake.command("timeline", {"from": "2025-01"})
        message = (await fake.interact(asked))["data"]
        assert all(len(b["custom_id"]) <= 100 for b in buttons(message).values())
        assert buttons(message)[CAT("page.previous")]["disabled"] is True
        stored = fake.message_of(asked)
        second = await fake.interact(fake.click(stored, buttons(message)[CAT("page.next_button")]["custom_id"]))
        assert second["type"] == 7 and "Page 2 of 3" in second["data"]["embeds"][0]["footer"]["text"]
    async with connected(fake, core, settings):  # a new process: no view was registered for this message
        third = await fake.interact(fake.click(stored, buttons(stored)[CAT("page.next_button")]["custom_id"]))
    assert third["type"] == 7 and "Page 3 of 3" in third["data"]["embeds"][0]["footer"]["text"]
    assert buttons(third["data"])[CAT("page.next_button")]["disabled"] is True
    embeds_within_limits(third["data"])
    no_pings(third["data"])


async def test_someone_else_paging_a_public_answer_gets_a_private_copy(bot: BriefbotClient, fake: FakeDiscord) -> None:
    asked = fake.command("quotes", {"public": True})
    first = await fake.interact(asked)
    stored = fake.message_of(asked)
    body = await fake.interact(fake.click(stored, buttons(stored)[CAT("page.next_button")]["custom_id"], user_id=OTHER_USER_ID))
    assert body["type"] == 4 and body["data"]["flags"] & EPHEMERAL
    assert "Page 2 of 2" in body["data"]["embeds"][0]["footer"]["text"]
    assert stored["embeds"] == first["data"]["embeds"]  # the channel's message did not change under its author


async def test_slow_answers_are_deferred_then_edited(fake: FakeDiscord, core: BriefingCore, settings: DiscordSettings) -> None:
    async with connected(fake, core, settings, defer_after=0):
        private = fake.command("brief")
        assert await fake.interact(private) == {"type": 5, "data": {"flags": EPHEMERAL}}
        edit = await fake.followups(private)
        assert edit.method == "PATCH" and edit.path.endswith("/messages/@original")
        embeds_within_limits(edit.body)
        no_pings(edit.body)

        public = fake.command("brief", {"public": True})
        assert (await fake.interact(public))["type"] == 5
        assert (await fake.followups(public)).method == "PATCH"


async def slow_brief(ctx: Context, args: Args) -> Reply:
    """A test command slower than the adapter's deferral threshold."""
    await asyncio.sleep(0.3)
    return Reply(title="slow")


async def test_a_command_slower_than_the_threshold_is_acknowledged_first(fake: FakeDiscord, core: BriefingCore, settings: DiscordSettings) -> None:
    slow = BriefingCore(core.repository, registry=Registry((CommandSpec("brief", slow_brief),)))
    async with connected(fake, slow, settings, defer_after=0.05):
        payload = fake.command("brief")
        assert await fake.interact(payload) == {"type": 5, "data": {"flags": EPHEMERAL}}
        edit = await fake.followups(payload)
    assert edit.method == "PATCH" and edit.body["embeds"][0]["title"] == "slow"


async def test_a_slow_error_to_a_public_command_is_replaced_by_a_private_one(
    fake: FakeDiscord, core: BriefingCore, settings: DiscordSettings
) -> None:
    async with connected(fake, core, settings, defer_after=0):
        payload = fake.command("timeline", {"from": "nonsense", "public": True})
        assert (await fake.interact(payload)).get("data", {}).get("flags", 0) == 0
        prefix = f"/webhooks/{APPLICATION_ID}/{payload['token']}"
        await fake.wait_for(lambda r: r.method == "DELETE" and r.path.startswith(prefix))
        followup = await fake.wait_for(lambda r: r.method == "POST" and r.path == prefix)
        assert followup.body["flags"] & EPHEMERAL
        no_pings(followup.body)


async def test_a_failure_after_a_public_defer_removes_the_placeholder_and_is_told_privately(
    fake: FakeDiscord, core: BriefingCore, settings: DiscordSettings, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord refuses the answer's edit: the public "thinking…" goes, and only the asker reads that it failed."""
    fake.refuse_edits = True
    with caplog.at_level(logging.CRITICAL, logger="bot.adapters.discord_app.client"):
        async with connected(fake, core, settings, defer_after=0):
            for public in (True, False):
                payload = fake.command("brief", {"public": True} if public else {})
                assert (await fake.interact(payload)).get("data", {}).get("flags", 0) == (0 if public else EPHEMERAL)
                prefix = f"/webhooks/{APPLICATION_ID}/{payload['token']}"
                told = await fake.wait_for(lambda r, prefix=prefix: r.method == "POST" and r.path == prefix)
                assert told.body["flags"] & EPHEMERAL and told.body["content"] == CAT("error.internal")
                deleted = [r for r in fake.requests[: fake.requests.index(told)] if r.method == "DELETE" and r.path.startswith(prefix)]
                assert len(deleted) == public  # a private placeholder is seen by the asker alone: nothing to remove


def shown_fields(callback: Json) -> dict[str, str]:
    """Field names and values as a reader sees them (markdown escapes removed)."""
    return {f["name"].replace("\\", ""): f["value"].replace("\\", "") for f in callback["data"]["embeds"][0]["fields"]}


async def whoami(ctx: Context, args: Args) -> Reply:
    """A test command that shows what the adapter put in the request."""
    request = ctx.request
    fields = [
        Field("user", request.user_id),
        Field("roles", ",".join(sorted(request.roles)) or "-"),
        Field("channel", str(request.channel_id)),
        Field("team", str(request.team_id)),
        Field("locale", request.locale),
        Field("now", request.now.isoformat()),
        Field("platform", request.platform),
        Field("platform admin", str(request.platform_admin)),
        *(Field(f"option {key}", value) for key, value in sorted(args.values.items())),
    ]
    return Reply(title="whoami", fields=tuple(fields))


async def test_the_request_carries_who_where_when_and_permissions(fake: FakeDiscord, core: BriefingCore, settings: DiscordSettings) -> None:
    # Existing names, so the catalogue has their descriptions; `sources` stands in for a future admin command.
    registry = Registry((CommandSpec("timeline", whoami, options=(Option("from"),)), CommandSpec("sources", whoami, admin=True)))
    custom = BriefingCore(core.repository, registry=registry)
    async with connected(fake, custom, settings) as client:
        payload = fake.command("timeline", {"from": "2025"}, permissions=0x20, locale="es-ES")
        fields = shown_fields(await fake.interact(payload))
        dm = shown_fields(await fake.interact(fake.command("timeline", in_guild=False)))
        schema = {c.name: c.to_dict(client.tree) for c in client.tree.get_commands()}
    assert str(schema["sources"]["default_member_permissions"]) == "32" and schema["timeline"]["default_member_permissions"] is None
    assert fields["user"] == str(USER_ID) and fields["roles"] == str(ROLE_ID)
    assert fields["channel"] == str(CHANNEL_ID) and fields["team"] == str(GUILD_ID)
    assert fields["locale"] == "es" and fields["platform"] == "discord"  # es-ES, resolved to the bot's language
    assert fields["now"].startswith("2026-02-01T12:00")
    assert fields["platform admin"] == "True"  # 0x20 is Manage Server
    assert fields["option from"] == "2025"  # `from` is a Python keyword: renamed in Python, not on Discord
    assert dm["team"] == "None" and dm["roles"] == "-" and dm["platform admin"] == "False"


async def test_sharded_client_connects_every_shard_and_answers(fake: FakeDiscord, core: BriefingCore, settings: DiscordSettings) -> None:
    # One shard of two (the guild's), so the test need not wait out Discord's 5 s between identifies.
    shard = (GUILD_ID >> 22) % 2
    async with connected(fake, core, replace(settings, shard_count=2), shard_ids=[shard]) as client:
        assert [i["shard"] for i in fake.identifies] == [[shard, 2]] and client.get_guild(GUILD_ID) is not None
        data = (await fake.interact(fake.command("help")))["data"]
    assert data["flags"] & EPHEMERAL
    no_pings(data)
