"""Data reaches Discord as literal text: read back by a model of Discord's markdown rules, any string shows as
itself and nothing in it is live; and a pack value with two masked links is inert through the real client."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from discord.utils import escape_markdown
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.adapters.discord_app.client import BriefbotClient
from bot.adapters.discord_app.markdown import MARKUP, _escaped, link, literal
from bot.adapters.discord_app.render import render
from bot.core.catalogue import catalogue_for
from bot.core.replies import Field, Item, Reply
from bot.core.service import BriefingCore
from bot.store.packfile import dump_pack, read_pack_text
from bot.store.repository import SqliteBriefingRepository
from tests.discord_fake import FakeDiscord, Json
from tests.discord_support import connected

CAT = catalogue_for("en")
NEWLINES = "\n\r\u2028\u2029"
# Discord's rules, as its client reads a message or an embed's title, description or field:
ESCAPE = re.compile(r"\\([^0-9A-Za-z\s])")  # a backslash shows the next ASCII punctuation as itself
LINK = re.compile(r"https?://[^\s<]+[^<.,:;\"')\]\s]", re.IGNORECASE)  # a bare link is one token, shown as written
# At a line's start, after spaces: quote (`>`, `>>>`), heading (`#`..`###`), subtext (`-#`), list (`-`, `*`, `+`, `1.`).
BLOCK = re.compile(r"[^\S\n\r\u2028\u2029]*(?:[>#*+\-]|\d+[.)])")
# Anywhere: emphasis `*` `_`, strike `~~`, spoiler `||`, code `` ` ``, masked link `[..](..)`, mentions and
# timestamps `<@..>` `<#..>` `<t:..>`, `@everyone`, and the escape character itself.
INLINE = set("\\*_~|`[]<@")


def shown(source: str, links: bool = True) -> str:
    """What Discord displays for `source`; AssertionError where markup could be live (stricter than Discord).

    With `links=False`, as a client that linked nothing would read it: only `_`/`~` styling may then be live,
    and an `@` (a link's `/@user` is no mention, and no message of the bot lets a mention notify anyone).
    """
    tolerated = "_~@" if not links else ""
    out: list[str] = []
    at = 0
    while at < len(source):
        if at == 0 or source[at - 1] in NEWLINES:
            assert BLOCK.match(source, at) is None, f"block markup at {at} in {source!r}"
        if (escaped := ESCAPE.match(source, at)) is not None:
            out.append(escaped.group(1))
            at = escaped.end()
        elif links and (link := LINK.match(source, at)) is not None:
            out.append(link.group())
            at = link.end()
        else:
            assert source[at] not in INLINE or source[at] in tolerated, f"live {source[at]!r} at {at} in {source!r}"
            assert not links or not source.startswith("://", at), f"a link's scheme at {at} in {source!r}"
            out.append(source[at])
            at += 1
    return "".join(out)


TRICKY = [
    "[", "]", "(", ")", "](", "[a](https://e.com)", "https://", "http://e.com/a_b_(c)", "https://m.social/@me",
    "**", "__", "*", "_", "||", "~~", "`", "```", "\\", "<", ">", ">>> ", "@everyone", "@here",
    "<@1>", "<@&2>", "<#3>", "<t:4:R>", "</help:5>", "<:e:6>", "# ", "## ", "-# ", "- ", "+ ", "1. ", "2) ",
    "\n", "\r", "\u2028", " ", "\t", ":", "//", ".", ",", "x", "é", "😀",
]
texts = st.lists(st.sampled_from(TRICKY) | st.text(max_size=6), max_size=24).map("".join)


@settings(max_examples=1500)
@given(texts)
@example("[a](https://evil.example) and [b](https://evil.example)")
@example("https://a.com/x.<t:1>")
@example("xhttps://a.com/[a](https://b.com)")
@example("https://a.com/[a](https://b.com)")
def test_any_string_round_trips_as_literal_text(text: str) -> None:
    assert shown(literal(text)) == text
    # Links are left clickable on the word of Discord's pattern; were Discord to link none, still nothing but styling is live.
    assert shown(literal(text), links=False) == text


@settings(max_examples=3000)
@given(texts | st.text(max_size=40))
@example(" 12. a")
@example("\u2003- a")
@example("a\x0b- b")
@example("٣. a")
def test_a_text_left_as_it_is_is_one_the_full_escaping_leaves_unchanged(text: str) -> None:
    """`literal`'s shortcut (no mark, scheme or line break, no block at the start) never skips an escape."""
    assert literal(text) == MARKUP.sub(_escaped, text)


def test_the_model_sees_what_escape_markdown_leaves_live() -> None:
    """The regression behind the change: discord.py escapes only the first of two masked links on a line."""
    two = "[a](https://evil.example) and [b](https://evil.example)"
    assert escape_markdown(two).count("\\[") == 1 and "and [b](" in escape_markdown(two)
    with pytest.raises(AssertionError, match="live"):
        shown(escape_markdown(two))
    with pytest.raises(AssertionError):
        shown(escape_markdown("<t:1:R> <@1> 1. list"))


def test_bare_links_stay_clickable_and_everything_else_is_escaped() -> None:
    assert literal("see https://en.wikipedia.org/wiki/A_(b), then") == "see https://en.wikipedia.org/wiki/A_(b), then"
    assert literal("x||y|| **z** <@1>") == "x\\|\\|y\\|\\| \\*\\*z\\*\\* \\<\\@1>"
    assert literal("# a\n-# b\n  - c\n12. d\n> e") == "\\# a\n\\-# b\n  \\- c\n12\\. d\n\\> e"
    # A link glued to a word, or one whose end an escape would move, is not linked at all.
    assert literal("xhttps://a.com") == "xhttps\\://a.com"
    assert literal("https://a.com/x]") == "https\\://a.com/x\\]"


def test_every_markdown_part_of_an_embed_is_escaped_and_the_footer_is_plain() -> None:
    evil = "**b** [l](https://e.com) [m](https://e.com) ||s||"
    reply = Reply(title=evil, text=evil, fields=(Field(evil, evil),), items=(Item(evil, evil, evil),), footer=evil)
    data = render(reply, CAT)[0][0].to_dict()
    assert shown(data["title"]) == evil
    assert shown(data["fields"][0]["name"]) == evil and shown(data["fields"][0]["value"]) == evil
    text, item = data["description"].split("\n\n")
    assert shown(text) == evil
    title, meta, body = item.split("\n")
    assert title == f"**{literal(evil)}**" and meta == f"*{literal(evil)}*" and shown(body) == evil
    assert data["footer"]["text"] == evil  # Discord shows a footer as plain text: an escape would show
    # Without items the text alone is the description, escaped as well (it is fitted apart from a list's).
    alone = render(Reply(title=evil, text=evil, footer=evil), CAT)[0][0].to_dict()
    assert shown(alone["title"]) == evil and shown(alone["description"]) == evil and alone["footer"]["text"] == evil


TWO_LINKS = "[Briefing](https://evil.example/a) [room](https://evil.example/b)"
SPOILED_NAME = "||Gustavo|| **Petro** [x](https://evil.example) [y](https://evil.example)"


@pytest.fixture
async def bot(fake: FakeDiscord, repository: SqliteBriefingRepository) -> AsyncIterator[BriefbotClient]:
    text = dump_pack(await repository.briefing()).replace("venue: The White House, Washington", f"venue: '{TWO_LINKS}'")
    text = text.replace("name: Gustavo Petro", f"name: '{SPOILED_NAME}'")
    await repository.save(read_pack_text(text, "evil.yaml"))
    async with connected(fake, BriefingCore(repository)) as client:
        yield client


def embed_of(body: Json) -> Json:
    assert body["type"] == 4, body
    return body["data"]["embeds"][0]


async def test_two_masked_links_from_a_pack_value_are_both_inert_through_discord(bot: BriefbotClient, fake: FakeDiscord) -> None:
    fields = embed_of(await fake.interact(fake.command("meeting")))["fields"]
    values = [shown(field["value"].split("\n", 1)[-1]) for field in fields]  # after the meeting's own timestamps
    assert TWO_LINKS in values
    venue = next(field["value"] for field in fields if TWO_LINKS in shown(field["value"].split("\n", 1)[-1]))
    assert venue.count("\\[") == 2 and venue.count("\\]") == 2


async def test_a_name_in_a_title_shows_literally_through_discord(bot: BriefbotClient, fake: FakeDiscord) -> None:
    embed = embed_of(await fake.interact(fake.command("person", {"name": "Petro"})))
    assert shown(embed["title"]) == SPOILED_NAME
    for field in embed.get("fields", []):
        shown(field["name"])
        shown(field["value"])


def test_only_web_links_become_links() -> None:
    """Discord links nothing but http and https: any other scheme is shown as words after the label, never masked by it."""
    assert link("Read", "javascript:alert(1)") == "Read (javascript:alert(1))"
    assert link("Read", "file:///etc/passwd") == "Read (file\\:///etc/passwd)"
    assert link("Read", "mailto:a@b.example") == "Read (mailto:a\\@b.example)"
    assert link("Read", "HTTPS://a.example/x") == "[Read](HTTPS://a.example/x)"
