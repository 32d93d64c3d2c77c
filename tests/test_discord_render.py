"""The renderer keeps every reply inside Discord's limits, whatever the core hands it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from bot.adapters.discord_app.passages import PassageSelect, item_option
from bot.adapters.discord_app.render import (
    CONTENT,
    DESCRIPTION,
    FIELD_NAME,
    FIELD_VALUE,
    FIELDS,
    FOOTER,
    TITLE,
    TOTAL,
    clip,
    notice,
    render,
    shorten,
    size,
)
from bot.adapters.discord_app.views import CUSTOM_ID_LIMIT, Built, PageButton
from bot.core.catalogue import catalogue_for
from bot.core.registry import page_line
from bot.core.replies import Field, Item, Page, Reply, SourceRef

CAT = catalogue_for("en")
# Long strings with emoji (two UTF-16 units), combining marks, markdown and mention syntax.
chunks = st.text(max_size=400) | st.sampled_from(["😀", "*", "_", "@everyone", "<@&1>", "\n", " ", "e\u0301"])
text = st.lists(chunks, max_size=12).map("".join)
short = st.text(max_size=300)
moments = st.none() | st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
fields = st.builds(Field, name=short, value=text, inline=st.booleans(), moment=moments)
refs = st.sampled_from(["", "summary", "person/ana-maria", "faq/why-1", "Not A Ref", "timeline/" + "x" * 120])
items = st.builds(Item, title=short, text=text, meta=short, sources=st.tuples(), ref=refs)
sources = st.builds(SourceRef, id=st.just("s"), label=short, url=st.none() | st.just("https://example.org/a"))
options = st.lists(st.tuples(st.sampled_from(["from", "to", "topic", "query"]), st.text(max_size=120)), max_size=4).map(tuple)
pages = st.none() | st.builds(
    lambda count, number, opts, words: Page(number=min(number, count), count=count, command="timeline", options=opts, text=words),
    st.integers(1, 10_000),
    st.integers(1, 10_000),
    options,
    st.text(max_size=120),
)
replies = st.builds(
    Reply,
    title=short,
    text=text,
    fields=st.lists(fields, max_size=40).map(tuple),
    items=st.lists(items, max_size=30).map(tuple),
    footer=text,
    sources=st.lists(sources, max_size=20).map(tuple),
    page=pages,
    kind=st.sampled_from(["answer", "error"]),
    briefing=st.sampled_from(["", "petro-trump-2026", "b" * 64]),  # the longest id a pick's value cannot hold with every ref
)


@pytest.mark.parametrize("locale", ["en", "es"])  # Spanish labels and footers are longer
@settings(max_examples=200, deadline=None)
@given(replies)
def test_any_reply_renders_inside_discords_limits(locale: str, reply: Reply) -> None:
    embed, view = render(reply, catalogue_for(locale))
    data = embed.to_dict()
    assert size(data.get("title", "")) <= TITLE and data.get("title", "").strip()
    assert size(data.get("description", "")) <= DESCRIPTION
    assert len(data.get("fields", [])) <= FIELDS
    for field in data.get("fields", []):
        assert 0 < size(field["name"]) <= FIELD_NAME and field["name"].strip()
        assert 0 < size(field["value"]) <= FIELD_VALUE and field["value"].strip()
    assert size(data.get("footer", {}).get("text", "")) <= FOOTER
    assert len(embed) <= TOTAL
    pieces = [data.get("title", ""), data.get("description", ""), data.get("footer", {}).get("text", "")]
    pieces += [part for field in data.get("fields", []) for part in (field["name"], field["value"])]
    assert sum(map(size, pieces)) <= TOTAL
    if view is not None:
        components = [item for row in view.to_components() for item in row["components"]]
        assert all(len(item["custom_id"]) <= CUSTOM_ID_LIMIT for item in components)
        assert all(len(option["value"]) <= 100 for item in components for option in item.get("options", []))


def test_pieces_that_each_fit_are_trimmed_together_to_the_total() -> None:
    """A description and fields each within their own limits but 8,000 together are cut to 6,000, the longest first."""
    reply = Reply(title="Title", text="x" * 4000, fields=tuple(Field(f"field {n}", "y" * 1000, inline=n < 2) for n in range(4)))
    data = render(reply, CAT)[0].to_dict()
    pieces = [data["title"], data["description"], *(part for field in data["fields"] for part in (field["name"], field["value"]))]
    assert sum(map(size, pieces)) <= TOTAL
    assert data["description"].endswith("…") and size(data["description"]) < 4000
    assert all(field["value"] == "y" * 1000 for field in data["fields"])  # the short pieces stay whole
    assert [field["inline"] for field in data["fields"]] == [True, True, False, False]  # and where they stood



@given(st.text(max_size=5000), st.integers(1, 3000))
def test_clip_never_exceeds_the_limit_and_marks_cuts(value: str, limit: int) -> None:
    cut = clip(value, limit)
    assert size(cut) <= limit
    assert cut == value or cut.endswith("…")


@given(st.lists(st.sampled_from(["«", "“", "»", "”", " ", "word", "😀", "e\u0301", ","]), max_size=80).map("".join), st.integers(1, 120))
def test_shorten_never_exceeds_the_limit_even_closing_a_quotation(value: str, limit: int) -> None:
    cut = shorten(value, limit)
    assert size(cut) <= limit
    assert cut == value or "…" in cut


def test_shorten_cuts_after_a_whole_word_and_closes_a_quotation_within_the_limit() -> None:
    assert shorten("Petro said «we will talk about everything» today", 30) == "Petro said «we will talk…»"
    # The cut falls at a word's end, so `shortened` keeps 10 characters, its ellipsis and a closing mark: 12.
    assert shorten("«word word word", 11) == "«word wor…»"


def test_clip_never_splits_an_emoji() -> None:
    assert clip("ab😀cd", 4) == "ab…"


def test_a_notice_fits_the_content_limit() -> None:
    assert len(notice("x" * 5000)) <= CONTENT


def test_short_replies_are_not_touched() -> None:
    reply = Reply(title="Meeting", text="*bold* claim", fields=(Field("When", "11:00"),), items=(Item("A", "b", "c"),))
    data = render(reply, CAT)[0].to_dict()
    assert data["title"] == "Meeting"
    assert data["description"] == "\\*bold\\* claim\n\n**A**\n*c*\nb"  # data markdown is shown literally
    assert data["fields"] == [{"name": "When", "value": "11:00", "inline": False}]


def test_more_than_25_fields_keep_24_and_say_how_many_more() -> None:
    data = render(Reply(title="t", fields=tuple(Field(f"n{i}", "v") for i in range(30))), CAT)[0].to_dict()
    assert len(data["fields"]) == 25 and data["fields"][-1]["value"] == "+6"
    data = render(Reply(title="t", fields=tuple(Field(f"n{i}", "v") for i in range(26))), CAT)[0].to_dict()
    assert len(data["fields"]) == 25 and data["fields"][-1]["value"] == "+2"
    data = render(Reply(title="t", fields=tuple(Field(f"n{i}", "v") for i in range(25))), CAT)[0].to_dict()
    assert [field["name"] for field in data["fields"]] == [f"n{i}" for i in range(25)]


def test_a_page_whose_state_cannot_fit_a_button_names_the_next_page_in_the_footer() -> None:
    page = Page(number=1, count=3, command="timeline", options=(("query", "x" * 120),))
    embed, view = render(Reply(title="t", page=page), CAT)
    assert view is None
    assert embed.footer.text is not None and "page:2" in embed.footer.text and "Page 1 of 3" in embed.footer.text


def test_sources_and_position_go_to_the_footer() -> None:
    reply = Reply(title="t", sources=(SourceRef("a", "Paper", "https://e.org"),), page=Page(2, 3, "quotes"))
    embed, view = render(reply, CAT)
    assert embed.footer.text == "Sources: Paper <https://e.org>\nPage 2 of 3"
    assert view is not None and [b["label"] for row in view.to_components() for b in row["components"]] == ["Previous", "Next"]


def test_a_long_footer_and_a_long_list_are_cut_to_their_own_limits_in_a_short_embed() -> None:
    """The footer's lines (its own, the sources, the page) and a text over its items are each cut to their limit."""
    reply = Reply(title="t", footer="f" * 1500, sources=(SourceRef("a", "p" * 800),), page=Page(1, 3, "quotes"))
    footer = render(reply, CAT)[0].to_dict()["footer"]["text"]
    assert footer == "f" * 1500 + "\nSources: … and 1 more source\nPage 1 of 3"  # a source is never cut in half
    listed = render(Reply(title="t", text="x" * 3000, items=(Item("a", "y" * 1200),)), CAT)[0].to_dict()
    # The item whole; the text above it takes what is left (one long word: cut within it).
    assert size(listed["description"]) == DESCRIPTION and listed["description"].endswith("x…\n\n**a**\n" + "y" * 1200)


def test_every_item_of_a_page_too_long_for_the_description_shows_shortened_after_a_whole_word() -> None:
    """Five answers of 1,200 characters: each is shortened, none is left out, as the page's menu offers all five."""
    answer = " ".join(["The meeting is expected to address migration and drugs."] * 22)
    reply = Reply(title="FAQ", items=(*(Item(f"Question {n}?", answer, ref=f"faq/q{n}") for n in range(1, 6)), Item("Short?", "Yes.")))
    description = render(reply, CAT)[0].to_dict()["description"]
    entries = description.split("\n\n")
    assert size(description) <= DESCRIPTION and [entry.split("\n")[0] for entry in entries] == [
        *(f"**Question {n}?**" for n in range(1, 6)), "**Short?**"
    ]
    assert all(entry.endswith("…") and entry[:-1].split()[-1] in answer.split() for entry in entries[:5])  # whole words
    assert entries[5] == "**Short?**\nYes."  # a short item stays whole
    # With a footer long enough that the embed's 6,000 in all leave the description less than its 4,096, still all six.
    cited = tuple(SourceRef(f"s{n}", f"Outlet {n}, a long report on the meeting " * 3, f"https://e.org/{n}") for n in range(20))
    data = render(replace(reply, sources=cited), CAT)[0].to_dict()
    assert size(data["description"]) < DESCRIPTION and size(data["description"]) + size(data["footer"]["text"]) + 3 <= TOTAL
    assert [entry.split("\n")[0] for entry in data["description"].split("\n\n")] == [entry.split("\n")[0] for entry in entries]


@pytest.mark.parametrize("locale", ["en", "es"])
def test_many_sources_give_way_to_the_page_position_and_the_way_to_the_next_page(locale: str) -> None:
    """Sixteen long sources: as many as fit are named whole, then how many more; the page lines stay whole."""
    cat = catalogue_for(locale)
    title = ("what to expect from the White House meeting on migration and drugs " * 4)[:240]
    cited = tuple(SourceRef(f"s{n}", f"Outlet {n:02}: {title}", f"https://e.org/{n}") for n in range(16))
    for query, buttons in (("visa", True), ("Petro OR Trump OR visa OR sanctions OR drugs OR tariffs OR migration OR x", False)):
        page = Page(1, 3, "timeline", options=(("query", query),))
        embed, view = render(Reply(title="Timeline", items=(Item("Visa revoked", "x"),), sources=cited, page=page), cat)
        footer = embed.footer.text or ""
        named = footer.count("https://")
        lines = [cat("page.position", number=1, count=3)] + ([] if buttons else [cat("page.next", line="/" + page_line(page, 2, locale))])
        assert size(footer) <= FOOTER and footer.endswith(f"{named - 1}>; " + cat("reply.more_sources", n=16 - named) + "\n" + "\n".join(lines))
        assert named >= 6 and footer.startswith(cat("reply.sources") + ": " + "; ".join(f"{s.label} <{s.url}>" for s in cited[:named]) + "; ")
        assert (view is not None) is buttons
    assert cat("reply.more_sources", n=9) == {"en": "… and 9 more sources", "es": "… y 9 fuentes más"}[locale]
    # Cut again to share the 6,000 total with twenty long fields: still the page lines whole.
    crowded = Reply(title="t", fields=tuple(Field(f"f{n}", "v" * 1000) for n in range(20)), sources=cited, page=Page(2, 3, "timeline"))
    footer = render(crowded, cat)[0].footer.text or ""
    assert size(footer) < 300 and footer.endswith(cat("reply.more_sources", n=16) + "\n" + cat("page.position", number=2, count=3))


def test_a_long_field_is_cut_to_its_own_limits_in_a_short_embed() -> None:
    """A field's name and value are cut to 256 and 1,024 even when the embed is far below the 6,000 total."""
    reply = Reply(title="t", fields=(Field("n" * 300, "v" * 1500), Field("n" * 300, "v" * 1500, inline=True)))
    for field in render(reply, CAT)[0].to_dict()["fields"]:
        assert field["name"] == "n" * 255 + "…" and field["value"] == "v" * 1023 + "…"


def test_emoji_count_twice_toward_every_limit() -> None:
    """Text outside the BMP (two UTF-16 units each) is measured as Discord measures it, not by `len`."""
    embed, _ = render(Reply(title="😀" * 200, text="😀" * 3000), CAT)
    assert size(embed.title or "") <= TITLE and size(embed.description or "") <= DESCRIPTION
    assert size("😀" * 3) == 6 and size("Peña") == 4
    # Each piece fits its own limit and the characters are 3,500, but the units are 7,000: trimmed to the total.
    wide = Reply(title="t", text="😀" * 2000, fields=tuple(Field(f"f{n}", "😀" * 500) for n in range(3)))
    data = render(wide, CAT)[0].to_dict()
    pieces = [data["title"], data["description"], *(part for field in data["fields"] for part in (field["name"], field["value"]))]
    assert sum(map(size, pieces)) <= TOTAL and data["description"].endswith("…")


def discord_pys_own_components(reply: Reply, locale: str) -> list[dict[str, Any]]:
    """The reply's buttons and menu as discord.py's own view of its own items writes them (the items named as
    `render` names them): what a message would carry had the renderer built a view per reply."""
    cat, page, view = catalogue_for(locale), reply.page, discord.ui.View(timeout=None)
    if page is not None and page.count > 1:
        previous, following = page.line_for(max(page.number - 1, 1)), page.line_for(min(page.number + 1, page.count))
        if max(len(previous), len(following)) <= CUSTOM_ID_LIMIT - len("bb:pg:") and previous != following:
            view.add_item(PageButton(previous, cat("page.previous"), disabled=page.number <= 1))
            view.add_item(PageButton(following, cat("page.next_button"), disabled=page.number >= page.count))
    options = [discord.SelectOption.from_dict(o) for item in reply.items if (o := item_option(item, reply.briefing)) is not None][:25]
    if options:
        view.add_item(PassageSelect(options, cat("why.menu")))
    return view.to_components()


@pytest.mark.parametrize("locale", ["en", "es"])
@settings(max_examples=300, deadline=None)
@given(replies)
def test_the_written_components_are_what_discord_pys_own_items_write(locale: str, reply: Reply) -> None:
    """Buttons and menu filled into discord.py's own templates are byte for byte what its items and view write."""
    _, view = render(reply, catalogue_for(locale))
    expected = discord_pys_own_components(reply, locale)
    written = view.to_components() if view is not None else []
    assert msgspec.json.encode(written) == msgspec.json.encode(expected)


@pytest.mark.parametrize("locale", ["en", "es"])
@settings(max_examples=200, deadline=None)
@given(replies)
def test_an_embeds_dict_is_what_discord_pys_own_to_dict_writes(locale: str, reply: Reply) -> None:
    """The dict written once per embed is byte for byte discord.py's own, key order included."""
    embed, _ = render(reply, catalogue_for(locale))
    assert msgspec.json.encode(embed.to_dict()) == msgspec.json.encode(discord.Embed.to_dict(embed))
    # Its fields' dicts, written once per field, are those discord.py's own `add_field` writes.
    own = discord.Embed()
    for field in embed.fields:
        own.add_field(name=field.name, value=field.value, inline=bool(field.inline))
    assert msgspec.json.encode(embed.to_dict().get("fields", [])) == msgspec.json.encode(own.to_dict().get("fields", []))


def test_one_reply_rendered_again_in_another_language_is_that_languages() -> None:
    """The fitted texts are remembered per reply: the same reply in Spanish still gets Spanish words."""
    reply = Reply(title="t", sources=(SourceRef("a", "Paper"),), page=Page(2, 3, "quotes"))
    assert render(reply, CAT)[0].footer.text == "Sources: Paper\nPage 2 of 3"
    assert render(reply, catalogue_for("es"))[0].footer.text == "Fuentes: Paper\nPágina 2 de 3"
    assert render(reply, CAT)[0].footer.text == "Sources: Paper\nPage 2 of 3"


def test_a_reply_shown_again_shares_its_embed_but_gets_its_own_buttons() -> None:
    """The embed and components are built once per reply and language; each message has its own view of them."""
    reply = Reply(title="t", items=(Item("Visa revoked", ref="timeline/visa-revoked"),), page=Page(2, 3, "timeline"))
    (first, first_view), (again, again_view) = render(reply, CAT), render(reply, CAT)
    assert again is first and again_view is not first_view and first_view is not None and again_view is not None
    # Built once, handed to each message anew: what discord.py does with one message's components is that message's.
    sent = first_view.to_components()
    assert sent == again_view.to_components() and [row["type"] for row in sent] == [1, 1]
    sent[0]["components"].clear()
    assert again_view.to_components()[0]["components"] and first_view.to_components()[0]["components"]
    assert render(reply, catalogue_for("es"))[0] is not first
    # Without buttons (a line too long for a custom id) the footer names the next page: an embed of its own.
    long = replace(reply, page=Page(2, 3, "timeline", text="x" * 120))
    assert "timeline" in (render(long, CAT)[0].footer.text or "") and render(long, CAT)[0] is not first
    # In the reader's own words, as their client shows the command ("/cronología … página:3").
    spanish = replace(reply, page=Page(2, 3, "timeline", (("query", "x" * 120),)))
    assert f'/cronología palabras:{"x" * 120} página:3' in (render(spanish, catalogue_for("es"))[0].footer.text or "")


def test_a_shared_embed_gives_each_message_what_discord_py_would_send() -> None:
    """Its dict is made once, but each message's is its own (what discord.py adds to one stays out of the next)."""
    reply = Reply(title="t", text="x", fields=(Field("When", "11:00"),), sources=(SourceRef("a", "Paper"),), page=Page(1, 3, "timeline"))
    embed, _ = render(reply, CAT)
    first = embed.to_dict()
    assert first == discord.Embed.to_dict(embed)
    first["content"] = "changed"  # type: ignore[typeddict-unknown-key]
    assert "content" not in embed.to_dict() and render(reply, CAT)[0].to_dict() == discord.Embed.to_dict(embed)


def test_a_built_view_answers_all_that_discord_pys_sending_asks_of_a_view() -> None:
    """`Built` skips View's set-up, so each view attribute discord.py's sending code reads must be its own: this
    fails when an update of discord.py asks a view something new (its own `ui` package and `ext` are not sending)."""
    package = Path(discord.__file__).parent
    sending = [path for path in package.rglob("*.py") if path.relative_to(package).parts[0] not in ("ui", "ext")]
    asked = {name for path in sending for name in re.findall(r"\bview\.(\w+)", path.read_text(encoding="utf-8"))} - {"__class__"}
    assert {"to_components", "is_finished", "timeout"} <= asked
    assert asked <= set(vars(Built)), asked - set(vars(Built))
    view = Built(((),))
    assert view.is_finished() and not view.is_dispatchable() and not view.is_persistent() and not view.has_components_v2()
    assert view.timeout is None and view.clear_items() is view and view.to_components() == [{"type": 1, "components": []}]
    assert isinstance(view, discord.ui.View) and "Built" in repr(view)
    with pytest.raises(AttributeError):
        view.timeout = 900.0
