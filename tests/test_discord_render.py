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

from bot.adapters.discord_app import render as render_module
from bot.adapters.discord_app.markdown import literal
from bot.adapters.discord_app.passages import PassageSelect, item_option
from bot.adapters.discord_app.render import (
    CONTENT,
    DESCRIPTION,
    EMBEDS,
    FIELD_NAME,
    FIELD_VALUE,
    FIELDS,
    FOOTER,
    TITLE,
    TOTAL,
    clip,
    headline,
    notice,
    render,
    shorten,
    size,
)
from bot.adapters.discord_app.views import CUSTOM_ID_LIMIT, Built, PageButton
from bot.core.catalogue import catalogue_for
from bot.core.links import label_fits
from bot.core.registry import page_line, readers_text
from bot.core.replies import Field, Item, Page, Reply, SourceRef
from tests.test_slack_render import LOOKALIKES

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
@settings(max_examples=200)
@given(replies)
def test_any_reply_renders_inside_discords_limits_and_shows_all_it_can(locale: str, reply: Reply) -> None:
    """Every embed within each limit, the message within 6,000; every text of the reply shown whole (though perhaps
    over several fields or embeds), or, only when the reply is over 6,000, shortened and named in the footer."""
    fits_and_shows_all_it_can(reply, catalogue_for(locale))


@pytest.mark.parametrize("locale", ["en", "es"])
@settings(max_examples=200)
@given(replies)
def test_an_answer_that_fits_one_embed_is_laid_out_as_the_whole_layout_would(locale: str, reply: Reply) -> None:
    """The shortcut nearly every answer takes (no cut, no count) gives what the layout that cuts and counts gives."""
    cat = catalogue_for(locale)
    escaped = render_module._escaped_texts(reply, [render_module._item_entry(item, reply.briefing)[0] for item in reply.items], "")
    one = render_module._one_embed(reply, cat, escaped)
    if one is not None:
        assert [one.to_dict()] == [embed.to_dict() for embed in render_module._fitted(reply, cat, escaped, ("", ""))]


# Texts of a pack's lengths (up to its 4,000 characters), in prose a reader reads: words, sentences, lines.
prose = st.lists(st.sampled_from(["word", "Word.", " ", " ", "\n", "- x", "😀", "*", "e\u0301", "https://e.org/a_b"]), min_size=200, max_size=1200).map("".join)


@pytest.mark.parametrize("locale", ["en", "es"])
@settings(max_examples=60)
@given(st.builds(Reply, title=short, text=st.just("") | prose, fields=st.lists(st.builds(Field, name=short, value=prose), max_size=3).map(tuple), items=st.lists(st.builds(Item, title=short, text=prose), max_size=3).map(tuple)))
def test_a_reply_of_long_texts_is_shown_whole_unless_over_6000(locale: str, reply: Reply) -> None:
    """Long fields and items, as a pack may hold: whole over continued fields and embeds, or shortened and named."""
    fits_and_shows_all_it_can(reply, catalogue_for(locale))


def fits_and_shows_all_it_can(reply: Reply, cat: Any) -> None:
    """The limits, and every text whole unless the footer names what was shortened (only a reply over 6,000)."""
    embeds, view = render(reply, cat)
    assert 1 <= len(embeds) <= EMBEDS
    dicts = [embed.to_dict() for embed in embeds]
    assert size(dicts[0].get("title", "")) <= TITLE and dicts[0].get("title", "").strip()
    assert all("title" not in data for data in dicts[1:]) and all("footer" not in data for data in dicts[:-1])
    for data in dicts:
        assert size(data.get("description", "")) <= DESCRIPTION
        assert len(data.get("fields", [])) <= FIELDS
        for field in data.get("fields", []):
            assert 0 < size(field["name"]) <= FIELD_NAME and field["name"].strip()
            assert 0 < size(field["value"]) <= FIELD_VALUE and field["value"].strip()
        assert size(data.get("footer", {}).get("text", "")) <= FOOTER
        assert data.get("description") or data.get("fields") or data.get("title")
    assert sum(len(embed) for embed in embeds) <= TOTAL and sum(map(units, dicts)) <= TOTAL
    footer = dicts[-1].get("footer", {}).get("text", "")
    note = readers_text(cat, "discord.shortened", what="").split("(")[0]
    shown = squeezed("".join(data.get("description", "") + "".join(f["value"] for f in data.get("fields", [])) for data in dicts))
    texts = [reply.text, *(item.text for item in reply.items), *(field.value for field in reply.fields)]
    # A longer label is shortened to fit its line; one naming another host than its link's shows the link instead.
    texts += [source.url if source.url and not label_fits(source.label, source.url) else source.label for source in reply.sources if size(source.label) < 100]
    if note not in footer:  # nothing shortened: every text is there whole
        assert all(squeezed(literal(t)) in shown for t in texts)
    # Only a reply over 6,000 is shortened: one well under it is not (its continued fields' names counted generously).
    names = sum(2 * (size(field.value) // 400 + 1) * (size(field.name) + 20) for field in reply.fields)
    titles = [item.title for item in reply.items]  # each item's title is shown over its text, and counts as much
    if sum(map(size, (reply.title, reply.footer, *titles, *map(literal, texts)))) + names + 2 * len(texts) + 600 < TOTAL:
        assert note not in footer
    if view is not None:
        components = [item for row in view.to_components() for item in row["components"]]
        assert all(len(item["custom_id"]) <= CUSTOM_ID_LIMIT for item in components)
        assert all(len(option["value"]) <= 100 for item in components for option in item.get("options", []))


def units(data: Any) -> int:
    """The units of an embed's dict that count toward a message's 6,000."""
    parts = [data.get("title", ""), data.get("description", ""), data.get("footer", {}).get("text", "")]
    return sum(map(size, parts + [part for field in data.get("fields", []) for part in (field["name"], field["value"])]))


def squeezed(text: str) -> str:
    """Text without the spaces and escapes that cutting it in pieces may take away or add."""
    return re.sub(r"[\\\s]", "", text)


def test_pieces_that_each_fit_are_shortened_together_to_the_total_and_named_in_the_footer() -> None:
    """A description and fields each within their own limits but 8,000 together: the longest shortened to fit 6,000,
    after a whole word, and the footer says which and where they can be read whole."""
    words = " ".join(["word"] * 800)
    reply = Reply(title="Title", text=words, fields=tuple(Field(f"field {n}", "y" * 1000, inline=n < 2) for n in range(4)))
    (embed,), _ = render(reply, CAT)
    data = embed.to_dict()
    assert units(data) <= TOTAL
    assert data["description"].endswith("word…") and size(data["description"]) < 4000
    assert all(field["value"] == "y" * 1000 for field in data["fields"])  # the short pieces stay whole
    assert [field["inline"] for field in data["fields"]] == [True, True, False, False]  # and where they stood
    assert data["footer"]["text"] == readers_text(CAT, "discord.shortened", what="Title")
    assert "/export" in data["footer"]["text"]


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


def test_a_title_too_long_for_its_embed_is_cut_after_a_whole_word() -> None:
    """Cut mid-word ("…Gustavo Petro y Donald Tr…"), the title read as a typo, and a screen reader spoke it as one."""
    title = "Dentro de 23 horas: " + "reunión " * 26 + "— Gustavo Petro y Donald Trump"
    (embed,), _ = render(Reply(title=title), CAT)
    assert embed.to_dict()["title"] == "Dentro de 23 horas: " + "reunión " * 26 + "— Gustavo Petro y Donald…"
    # No separator left before the ellipsis, and a word longer than the limit's last fifth cut where the limit is.
    assert clip("a " * 90 + "security — Gustavo", 190) == "a " * 90 + "security…"
    assert clip("word " + "x" * 300, 256) == "word " + "x" * 250 + "…"


def test_a_notice_fits_the_content_limit() -> None:
    assert len(notice("x" * 5000)) <= CONTENT


@given(st.text(alphabet=st.sampled_from(["*", "@", "<", "#", "a", " ", "\n", "😀"]), max_size=3000))
def test_a_title_as_a_message_s_text_fits_the_content_limit_on_one_line_however_much_it_escapes(title: str) -> None:
    line = headline(title)
    assert size(line) <= CONTENT and "\n" not in line


def test_short_replies_are_not_touched() -> None:
    reply = Reply(title="Meeting", text="*bold* claim", fields=(Field("When", "11:00"),), items=(Item("A", "b", "c"),))
    data = render(reply, CAT)[0][0].to_dict()
    assert data["title"] == "Meeting"
    assert data["description"] == "\\*bold\\* claim\n\n**A**\n*c*\nb"  # data markdown is shown literally
    assert data["fields"] == [{"name": "When", "value": "11:00", "inline": False}]


def test_more_than_25_fields_go_on_in_a_further_embed() -> None:
    embeds, _ = render(Reply(title="t", fields=tuple(Field(f"n{i}", "v") for i in range(30))), CAT)
    assert [[field["name"] for field in embed.to_dict()["fields"]] for embed in embeds] == [
        [f"n{i}" for i in range(25)], [f"n{i}" for i in range(25, 30)]
    ]
    (embed,), _ = render(Reply(title="t", fields=tuple(Field(f"n{i}", "v") for i in range(25))), CAT)
    assert [field.name for field in embed.fields] == [f"n{i}" for i in range(25)]


def test_a_page_whose_state_cannot_fit_a_button_names_the_next_page_in_the_footer() -> None:
    page = Page(number=1, count=3, command="timeline", options=(("query", "x" * 120),))
    (embed,), view = render(Reply(title="t", page=page), CAT)
    assert view is None
    assert embed.footer.text is not None and "page:2" in embed.footer.text and "Page 1 of 3" in embed.footer.text


def test_sources_are_masked_links_in_a_field_and_the_position_goes_to_the_footer() -> None:
    """A footer shows no link: the sources are a field of links named by their labels, which a reader can tap."""
    cited = (SourceRef("a", "Paper", "https://e.org"), SourceRef("b", "No link"), SourceRef("c", "[x](y) *z*", "https://e.org/a_(b) c"))
    (embed,), view = render(Reply(title="t", sources=cited, page=Page(2, 3, "quotes")), CAT)
    assert embed.to_dict()["fields"] == [
        {"inline": False, "name": "Sources", "value": "• [Paper](https://e.org)\n• No link\n• [\\[x\\](y) \\*z\\*](https://e.org/a_%28b%29%20c)"}
    ]
    assert embed.footer.text == "Page 2 of 3"
    assert view is not None and [b["label"] for row in view.to_components() for b in row["components"]] == ["Previous", "Next"]


@pytest.mark.parametrize("label", LOOKALIKES)
def test_a_source_label_naming_another_host_shows_the_real_address(label: str) -> None:
    """As on Slack: a masked link must not read `paypal.com` and lead elsewhere; Discord's "leaving" dialog can be turned off."""
    (embed,), _ = render(Reply(title="t", sources=(SourceRef("s1", label, "https://evil.example/x"),)), CAT)
    [field] = embed.to_dict()["fields"]
    assert field["value"] == "• [https\\://evil.example/x](https://evil.example/x)"


def test_a_source_label_naming_its_own_host_or_none_stays_the_label() -> None:
    cited = (
        SourceRef("a", "www.reuters.com — report", "https://www.reuters.com/x"), SourceRef("b", "Reuters", "https://www.reuters.com/y"),
        SourceRef("c", "El País, «Petro y EE.UU. firman una tregua»", "https://elpais.com/x"),  # Spanish for U.S., no country's domain
    )
    (embed,), _ = render(Reply(title="t", sources=cited), CAT)
    assert embed.to_dict()["fields"][0]["value"] == (
        "• [www.reuters.com — report](https://www.reuters.com/x)\n• [Reuters](https://www.reuters.com/y)\n"
        "• [El País, «Petro y EE.UU. firman una tregua»](https://elpais.com/x)"
    )


def test_a_long_footer_and_a_long_list_are_shown_whole() -> None:
    """The footer's own text and the page stay whole; a text over its items goes on in a second embed."""
    reply = Reply(title="t", footer="f" * 1500, sources=(SourceRef("a", "p" * 800),), page=Page(1, 3, "quotes"))
    assert render(reply, CAT)[0][0].to_dict()["footer"]["text"] == "f" * 1500 + "\nPage 1 of 3"
    text = " ".join(["Sentence of the text."] * 150)
    first, second = render(Reply(title="t", text=text, items=(Item("a", "y" * 1200),)), CAT)[0]
    assert first.description is not None and second.description is not None and second.title is None
    assert first.description.endswith("text.") and size(first.description) <= DESCRIPTION
    assert squeezed(first.description + second.description) == squeezed(text + "**a**" + "y" * 1200)


def test_every_item_of_a_page_too_long_for_one_message_shows_shortened_after_a_whole_word() -> None:
    """Six answers of 1,200 characters, over a message's 6,000: each is shortened, none is left out, as the page's menu
    offers all six, and the footer names them; four fit whole in two embeds."""
    answer = " ".join(["The meeting is expected to address migration and drugs."] * 22)
    four = tuple(Item(f"Question {n}?", answer, ref=f"faq/q{n}") for n in range(1, 5))
    embeds, _ = render(Reply(title="FAQ", items=(*four, Item("Short?", "Yes."))), CAT)
    assert len(embeds) == 2 and "footer" not in embeds[-1].to_dict()
    assert squeezed("".join(embed.description or "" for embed in embeds)) == squeezed("".join(f"**Question {n}?**{answer}" for n in range(1, 5)) + "**Short?**Yes.")
    reply = Reply(title="FAQ", items=(*four, *(Item(f"Question {n}?", answer, ref=f"faq/q{n}") for n in (5, 6)), Item("Short?", "Yes.")))
    embeds, _ = render(reply, CAT)
    entries = "\n\n".join(embed.description or "" for embed in embeds).split("\n\n")
    assert [entry.split("\n")[0] for entry in entries] == [*(f"**Question {n}?**" for n in range(1, 7)), "**Short?**"]
    assert all(entry.endswith("…") and entry[:-1].split()[-1] in answer.split() for entry in entries[:6])  # whole words
    assert entries[6] == "**Short?**\nYes."  # a short item stays whole
    assert embeds[-1].footer.text == readers_text(CAT, "discord.shortened", what=", ".join(f"Question {n}?" for n in range(1, 7)))


@pytest.mark.parametrize("locale", ["en", "es"])
def test_many_long_sources_go_on_in_continued_fields_and_the_page_lines_stay_whole(locale: str) -> None:
    """Sixteen long sources: every one a whole link, over as many fields as they need; the footer keeps the page."""
    cat = catalogue_for(locale)
    title = ("what to expect from the White House meeting on migration and drugs " * 4)[:240]
    cited = tuple(SourceRef(f"s{n}", f"Outlet {n:02}: {title}", f"https://e.org/{n}") for n in range(16))
    page = Page(1, 3, "timeline", options=(("query", "Petro OR Trump OR visa OR sanctions OR drugs OR tariffs OR migration OR x"),))
    (embed,), view = render(Reply(title="Timeline", items=(Item("Visa revoked", "x"),), sources=cited, page=page), cat)
    names = [field.name for field in embed.fields]
    assert names[0] == cat("reply.sources") and set(names[1:]) == {cat("discord.continued", name=cat("reply.sources"))}
    lines = [line for field in embed.fields for line in (field.value or "").split("\n")]
    assert lines == [f"• [Outlet {n:02}: {title.strip()}](https://e.org/{n})" for n in range(16)]
    assert embed.footer.text == cat("page.position", number=1, count=3) + "\n" + cat("page.next", line="/" + page_line(page, 2, locale))
    assert view is None
    # Shortened to share the 6,000 total with twenty long fields: whole links, then how many more; the page whole.
    crowded = Reply(title="t", fields=tuple(Field(f"f{n}", "v " * 500) for n in range(20)), sources=cited, page=Page(2, 3, "timeline"))
    embeds, _ = render(crowded, cat)
    (sources,) = [field.value or "" for embed in embeds for field in embed.fields if field.name == cat("reply.sources")]
    assert re.fullmatch(r"(• \[[^\n]*\]\(https://e\.org/\d+\)\n)*…[^\n]*", sources) and sources.endswith(cat("reply.more_sources", n=16 - sources.count("https://")))
    assert (embeds[-1].footer.text or "").endswith("\n" + cat("page.position", number=2, count=3))


def test_a_long_field_goes_on_in_continued_fields_cut_between_sentences() -> None:
    """A value over 1,024 goes on under "Name (continued)", each piece ending a sentence; a name is cut to 256."""
    outcome = " ".join(f"Point {n}: both sides agreed on item {n} of the joint declaration." for n in range(1, 60)) + " FINAL-WORDS-HERE."
    reply = Reply(title="t", fields=(Field("n" * 300, "v" * 10), Field("Outcome", outcome, inline=True)))
    (embed,), _ = render(reply, CAT)
    fields = embed.to_dict()["fields"]
    assert fields[0]["name"] == "n" * 255 + "…"
    assert [field["name"] for field in fields[1:]] == ["Outcome", *["Outcome (continued)"] * (len(fields) - 2)] and len(fields) == 5
    assert all(field["value"].endswith(".") and size(field["value"]) <= FIELD_VALUE and not field["inline"] for field in fields[1:])
    assert " ".join(field["value"] for field in fields[1:]) == outcome and embed.footer.text is None


def test_a_long_text_goes_on_after_a_sentence_not_after_an_abbreviations_stop() -> None:
    """Cut as Slack's sections are (`prose_break`): a piece never ends "…EE." with "UU." opening the next, nor "…a.m."
    before "EST", in a continued field (1,024) or a further embed's description (4,096)."""
    sentence = "Petro y Trump se reúnen a las 11:00 a.m. EST para hablar de aranceles entre Colombia y EE. UU. y de migración."
    for count, limit in ((30, FIELD_VALUE), (40, DESCRIPTION)):
        said = " ".join(f"Punto {n}: {sentence}" for n in range(1, count + 1))
        reply = Reply(title="t", fields=(Field("Outcome", said),)) if limit == FIELD_VALUE else Reply(title="t", text=said)
        dicts = [embed.to_dict() for embed in render(reply, catalogue_for("es"))[0]]
        pieces = [f["value"] for data in dicts for f in data.get("fields", [])] or [data["description"] for data in dicts]
        assert len(pieces) > 1 and all(size(piece) <= limit and piece.endswith("migración.") for piece in pieces)
        assert " ".join(pieces) == said


def test_emoji_count_twice_toward_every_limit() -> None:
    """Text outside the BMP (two UTF-16 units each) is measured as Discord measures it, not by `len`."""
    embeds, _ = render(Reply(title="😀" * 200, text="😀" * 2500), CAT)
    assert size(embeds[0].title or "") <= TITLE and all(size(embed.description or "") <= DESCRIPTION for embed in embeds)
    assert len(embeds) == 2 and "".join(embed.description or "" for embed in embeds) == "😀" * 2500  # 5,000 units: two
    assert size("😀" * 3) == 6 and size("Peña") == 4
    # Each piece fits its own limit and the characters are 3,500, but the units are 7,000: shortened to the total.
    wide = Reply(title="t", text="😀" * 2000, fields=tuple(Field(f"f{n}", "😀" * 500) for n in range(3)))
    dicts = [embed.to_dict() for embed in render(wide, CAT)[0]]
    assert sum(map(units, dicts)) <= TOTAL and "".join(data.get("description", "") for data in dicts).endswith("…")


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
@settings(max_examples=300)
@given(replies)
def test_the_written_components_are_what_discord_pys_own_items_write(locale: str, reply: Reply) -> None:
    """Buttons and menu filled into discord.py's own templates are byte for byte what its items and view write."""
    _, view = render(reply, catalogue_for(locale))
    expected = discord_pys_own_components(reply, locale)
    written = view.to_components() if view is not None else []
    assert msgspec.json.encode(written) == msgspec.json.encode(expected)


@pytest.mark.parametrize("locale", ["en", "es"])
@settings(max_examples=200)
@given(replies)
def test_an_embeds_dict_is_what_discord_pys_own_to_dict_writes(locale: str, reply: Reply) -> None:
    """The dict written once per embed is byte for byte discord.py's own, key order included."""
    for embed in render(reply, catalogue_for(locale))[0]:
        assert msgspec.json.encode(embed.to_dict()) == msgspec.json.encode(discord.Embed.to_dict(embed))
        # Its fields' dicts, written once per field, are those discord.py's own `add_field` writes.
        own = discord.Embed()
        for field in embed.fields:
            own.add_field(name=field.name, value=field.value, inline=bool(field.inline))
        assert msgspec.json.encode(embed.to_dict().get("fields", [])) == msgspec.json.encode(own.to_dict().get("fields", []))


def test_one_reply_rendered_again_in_another_language_is_that_languages() -> None:
    """The fitted texts are remembered per reply: the same reply in Spanish still gets Spanish words."""
    reply = Reply(title="t", sources=(SourceRef("a", "Paper"),), page=Page(2, 3, "quotes"))
    for locale, words in (("en", ("Sources", "Page 2 of 3")), ("es", ("Fuentes", "Página 2 de 3")), ("en", ("Sources", "Page 2 of 3"))):
        (embed,), _ = render(reply, catalogue_for(locale))
        assert (embed.fields[0].name, embed.footer.text) == words


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
    assert render(reply, catalogue_for("es"))[0][0] is not first
    # Without buttons (a line too long for a custom id) the footer names the next page: an embed of its own.
    long = replace(reply, page=Page(2, 3, "timeline", text="x" * 120))
    assert "timeline" in (render(long, CAT)[0][0].footer.text or "") and render(long, CAT)[0][0] is not first
    # In the reader's own words, as their client shows the command ("/cronología … página:3").
    spanish = replace(reply, page=Page(2, 3, "timeline", (("query", "x" * 120),)))
    assert f'/cronología palabras:{"x" * 120} página:3' in (render(spanish, catalogue_for("es"))[0][0].footer.text or "")


def test_a_shared_embed_gives_each_message_what_discord_py_would_send() -> None:
    """Its dict is made once, but each message's is its own (what discord.py adds to one stays out of the next)."""
    reply = Reply(title="t", text="x", fields=(Field("When", "11:00"),), sources=(SourceRef("a", "Paper"),), page=Page(1, 3, "timeline"))
    (embed,), _ = render(reply, CAT)
    first = embed.to_dict()
    assert first == discord.Embed.to_dict(embed)
    first["content"] = "changed"  # type: ignore[typeddict-unknown-key]
    assert "content" not in embed.to_dict() and render(reply, CAT)[0][0].to_dict() == discord.Embed.to_dict(embed)


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
