"""Block Kit rendering: always inside Slack's limits, data always escaped, instants in the reader's clock."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from bot.adapters.slack_app.home import answer_modal, home_view
from bot.adapters.slack_app.mrkdwn import clip, date_token, escape, link
from bot.adapters.slack_app.render import render_reply
from bot.core.replies import Field, Item, Page, Reply, SourceRef

MENTIONS = "<!channel> <!here> <@U123> <#C1|x> & <https://evil.example|click>"


def check_limits(blocks: list[dict[str, Any]], max_blocks: int = 50) -> None:
    """Everything Slack would reject with `invalid_blocks`, checked on a rendered message."""
    assert 0 < len(blocks) <= max_blocks
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            assert block["text"]["type"] == "plain_text" and 0 < len(block["text"]["text"]) <= 150
            assert "\n" not in block["text"]["text"]
        elif kind == "section":
            assert "text" in block or "fields" in block
            if "text" in block:
                assert 0 < len(block["text"]["text"]) <= 3000
            fields = block.get("fields", [])
            assert len(fields) <= 10 and all(0 < len(f["text"]) <= 2000 for f in fields)
        elif kind == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(0 < len(e["text"]) <= 3000 for e in block["elements"])
        elif kind == "actions":
            assert 0 < len(block["elements"]) <= 25
            for element in block["elements"]:
                if element["type"] == "static_select":  # the passage menu
                    assert 0 < len(element["options"]) <= 100
                    assert all(len(o["text"]["text"]) <= 75 and 0 < len(o["value"]) <= 150 for o in element["options"])
                    continue
                assert len(element["text"]["text"]) <= 75 and len(element["value"]) <= 2000
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids))
        else:
            raise AssertionError(f"unexpected block {kind}")


def all_mrkdwn(blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in blocks:
        if block["type"] == "section":
            found += [block["text"]["text"]] if "text" in block else []
            found += [f["text"] for f in block.get("fields", [])]
        elif block["type"] == "context":
            found += [e["text"] for e in block["elements"]]
    return found


words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
long_text = st.one_of(
    words, st.text(max_size=7000), st.just("&" * 3500), st.just("<!channel> " * 400), st.just("*a_" * 2000), st.just("`" * 4000)
)
moments = st.none() | st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
fields = st.builds(Field, name=words, value=long_text, inline=st.booleans(), moment=moments)
refs = st.sampled_from(["", "summary", "faq/why-1", "Not A Ref", "timeline/" + "x" * 64, "timeline/" + "x" * 200])
items = st.builds(Item, title=words, text=long_text, meta=words, ref=refs)
sources = st.builds(SourceRef, id=words, label=long_text, url=st.none() | st.just("https://e.example/a|b>c") | words)
pages = st.none() | st.builds(
    lambda n, extra, opts, text: Page(number=n, count=n + extra, command="timeline", options=opts, text=text),
    st.integers(1, 10_000),
    st.integers(0, 5),
    st.lists(st.tuples(st.sampled_from(["topic", "from", "query"]), st.text(max_size=300)), max_size=8).map(tuple),
    st.text(max_size=300),
)
replies = st.builds(
    Reply,
    title=long_text,
    text=long_text,
    fields=st.lists(fields, max_size=40).map(tuple),
    items=st.lists(items, max_size=70).map(tuple),
    footer=long_text,
    sources=st.lists(sources, max_size=60).map(tuple),
    page=pages,
    private=st.booleans(),
    kind=st.sampled_from(["answer", "error"]),
    briefing=st.sampled_from(["", "petro-trump-2026", "b" * 64]),
)


@pytest.mark.parametrize("locale", ["en", "es"])  # Spanish labels and footers are longer
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(reply=replies, ephemeral=st.booleans(), line=st.none() | st.text(max_size=2500))
def test_any_reply_renders_inside_block_kit_limits(locale: str, reply: Reply, ephemeral: bool, line: str | None) -> None:
    message = render_reply(reply, line=line, ephemeral=ephemeral, locale=locale)
    check_limits(message["blocks"])
    if reply.kind == "answer" and reply.sources:  # news names its source: whatever is cut, never its sources
        sources = "*Fuentes*" if locale == "es" else "*Sources*"
        assert any(text.startswith(sources) for text in all_mrkdwn(message["blocks"]))
    assert 0 < len(message["text"]) <= 3000
    for text in [message["text"], *all_mrkdwn(message["blocks"])]:
        assert "<!channel>" not in text and "<@U" not in text and "<https://evil" not in text
        assert not re.search("[<>]", re.sub("<[^<>]*>", "", text)), "a link or token cut in half"
    check_limits(answer_modal(reply, locale)["blocks"], max_blocks=100)
    check_limits(home_view(reply, ("meeting", "timeline"), locale)["blocks"], max_blocks=100)


def test_data_is_escaped_everywhere_it_is_mrkdwn() -> None:
    reply = Reply(
        title=MENTIONS,
        text=MENTIONS,
        fields=(Field(MENTIONS, MENTIONS, inline=True), Field("Wide", MENTIONS)),
        items=(Item(MENTIONS, MENTIONS, MENTIONS),),
        footer=MENTIONS,
        sources=(SourceRef("s1", MENTIONS, "https://news.example/a?b=1&c=<2>|3"), SourceRef("s2", "<!here> & <@U1>", "https://news.example/")),
    )
    message = render_reply(reply, line="brief")
    escaped = escape(MENTIONS)
    assert escaped == "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C1|x&gt; &amp; &lt;https://evil.example|click&gt;"
    for text in [message["text"], *all_mrkdwn(message["blocks"])]:
        assert "<!" not in text and "<@" not in text and "<#" not in text
    # MENTIONS names another host (evil.example), so that source shows its own URL instead of the label.
    assert "<https://news.example/a?b=1&amp;c=%3C2%3E%7C3|https://news.example/a?b=1&amp;c=&lt;2&gt;|3>" in str(message)
    assert "<https://news.example/|&lt;!here&gt; &amp; &lt;@U1&gt;>" in str(message)
    # The header is plain_text, which Slack never parses for mentions or links.
    assert message["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": MENTIONS}}


TOKEN = re.compile(r"<!date\^0\^\{_\}\|([^<>]*)>")
MARKS = "*bold* _it_ ~st~ `code` ```block``` :smile: 10:30 snake_case a*b*c"


def as_shown(mrkdwn: str) -> str:
    """What a Slack reader sees of escaped text: each unreadable date token as its fallback, entities as characters."""
    return html.unescape(TOKEN.sub(lambda m: m[1], mrkdwn).replace("\u00ad&gt;", "&gt;"))


def formatting(mrkdwn: str) -> list[str]:
    """The marks Slack would read in escaped text: those outside date tokens, a `:name:` and a line-opening quote."""
    bare = TOKEN.sub("#", mrkdwn)  # a token stands between the characters around it
    return re.findall(r"[*_~`]|:[a-z0-9_+'-]+:|^&gt;", bare, re.MULTILINE)


@settings(max_examples=300)
@given(text=st.text(alphabet=st.sampled_from("*_~`:>&< \nab1-+'"), max_size=200) | st.text(max_size=200))
def test_escaped_data_shows_as_typed_and_formats_nothing(text: str) -> None:
    escaped = escape(text)
    # Compared without soft hyphens, which no reader sees: the data's own one before a `>` ("\u00ad>") and the one escape
    # puts there to keep a `>` from opening a quote cannot be told apart, nor need they be.
    assert as_shown(escaped).replace("\u00ad", "") == text.replace("\u00ad", "")
    assert formatting(escaped) == []


def test_pack_text_with_marks_shows_literally_and_the_bots_own_bold_and_links_still_work() -> None:
    quoted = f"{MARKS}\n> not a quote"
    reply = Reply(
        title=MARKS,
        text=quoted,
        fields=(Field(MARKS, MARKS, inline=True), Field("Wide", MARKS)),
        items=(Item(MARKS, quoted, MARKS),),
        footer=MARKS,
        sources=(SourceRef("s1", "Reuters", "https://www.reuters.com/a_b"),),
    )
    blocks = render_reply(reply, line="brief")["blocks"]
    sections = all_mrkdwn(blocks)
    # The item right after the text it follows, then the fields (as Discord's description holds text and items).
    summary, item, inline, wide = sections[0], sections[1], blocks[3]["fields"][0]["text"], sections[3]
    assert as_shown(summary) == quoted and formatting(summary) == []
    assert inline.startswith("*") and as_shown(inline) == f"*{MARKS}*\n{MARKS}" and formatting(inline) == ["*", "*"]
    assert as_shown(wide) == f"*Wide*\n{MARKS}"
    assert as_shown(item) == f"*{MARKS}*\n{MARKS}\n{quoted}" and formatting(item) == ["*", "*"]
    assert as_shown(sections[-1]) == MARKS  # the footer
    assert "<https://www.reuters.com/a_b|Reuters>" in sections[-2]  # a link stays a link, its URL whole


def test_a_bare_link_in_data_stays_whole() -> None:
    assert escape("see https://x.example/a_b*c~d now_") == "see https://x.example/a_b*c~d now<!date^0^{_}|_>"


def test_only_web_links_become_links() -> None:
    assert link("javascript:alert(1)", "x") == "x"
    assert link(None, "<b>") == "&lt;b&gt;"
    assert link("https://a.example/x y", "A") == "<https://a.example/x%20y|A>"


LOOKALIKES = [
    "paypal.com",
    "https://paypal.com/login",
    "Login at www.paypal.com",
    "ｐａｙｐａｌ．ｃｏｍ",  # full-width letters and dot
    "аpple.com",  # a Cyrillic а
    "paypal。com",  # an ideographic full stop, which IDNA reads as a dot
    "paypal\u2024com",  # a one dot leader, which reads as a dot and NFKC turns into one
    # Invisible characters between the name and its dot, and signs a reader takes for the dot: one rule
    # (Unicode's category and names), not a list; the last an invisible TAG FULL STOP.
    "paypal\u200b.com", "paypal\u200d.com", "paypal\u2060.com", "paypal\u202e.com", "paypal\ufe0f.com", "paypal\u034f.com",
    "paypal\u00b7com", "paypal\u0701com", "paypal\u05c5com", "paypal\u22c5com", "paypal\u30fbcom", "pay\u00adpal.com",
    "paypal\U000e002e.com",
    "news.example.evil.example",
    "news.example@evil.example",
    "paypal.co",  # a country's domain
    "bbc.uk",  # the one country domain not named by its ISO code
]


@pytest.mark.parametrize("label", LOOKALIKES)
def test_a_label_naming_another_host_shows_the_real_url(label: str) -> None:
    reply = Reply(title="Sources", sources=(SourceRef("s1", label, "https://evil.example/x"),))
    shown = str(render_reply(reply, line="sources")["blocks"])
    assert "<https://evil.example/x|https://evil.example/x>" in shown
    assert label not in shown


@pytest.mark.parametrize(
    ("label", "url"),
    [
        ("Reuters", "https://www.reuters.com/world/x"),
        ("reuters.com", "https://www.reuters.com/world/x"),
        ("www.reuters.com — report", "https://www.reuters.com/world/x"),
        ("bücher.de", "https://xn--bcher-kva.de/"),
        ("U.S. State Dept., Sec. 2.1", "https://www.state.gov/x"),
        ("El País, «Petro y EE.UU. firman una tregua»", "https://elpais.com/x"),  # EE.UU., Spanish for U.S.: no country's domain
        ("BBC News", "https://www.bbc.co.uk/news"),
        ("www.bbc.co.uk", "https://www.bbc.co.uk/news"),
    ],
)
def test_a_label_naming_the_links_own_host_or_none_is_kept(label: str, url: str) -> None:
    assert link(url, label) == f"<{url}|{label}>"


def test_instants_render_in_each_readers_clock_with_a_utc_fallback() -> None:
    bogota = timezone(timedelta(hours=-5))
    token = date_token(datetime(2026, 2, 3, 11, 0, tzinfo=bogota))
    assert token == "<!date^1770134400^{date_long_pretty} {time}|2026-02-03 16:00 UTC>"
    reply = Reply(title="t", fields=(Field("When", "11:00 Bogotá", moment=datetime(2026, 2, 3, 16, tzinfo=UTC)),))
    assert render_reply(reply)["blocks"][1]["text"]["text"] == f"*When*\n{token}\n11:00 Bogotá"


@given(
    st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(min_value=-23 * 60, max_value=23 * 60),
)
def test_the_fallback_reads_as_strftime_writes_it(local: datetime, offset: int) -> None:
    moment = local.replace(tzinfo=timezone(timedelta(minutes=offset)))
    fallback = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    assert date_token(moment) == f"<!date^{int(moment.timestamp())}^{{date_long_pretty}} {{time}}|{fallback}>"


def test_one_reply_rendered_again_in_another_language_is_that_languages() -> None:
    """Its sources are written once per language: the same reply in Spanish still gets Spanish words."""
    reply = Reply(title="t", sources=(SourceRef("a", "Paper"),))
    assert render_reply(reply, locale="en")["blocks"][1]["text"]["text"] == "*Sources*\n• Paper"
    assert render_reply(reply, locale="es")["blocks"][1]["text"]["text"] == "*Fuentes*\n• Paper"
    assert render_reply(reply, locale="en")["blocks"][1]["text"]["text"] == "*Sources*\n• Paper"


def test_clipping_never_leaves_half_an_entity() -> None:
    clipped = clip(escape("a" * 2995 + "<<<<"), 3000)
    assert len(clipped) <= 3000 and clipped.endswith("…")
    assert not clipped[:-1].endswith(("&", "&l", "&lt"))


def test_clipping_never_leaves_half_a_token() -> None:
    escaped = escape("a" * 2985 + " *x")
    clipped = clip(escaped, 3000)
    assert clipped == "a" * 2985 + " …"


def test_long_text_is_split_into_sections_not_lost() -> None:
    text = "\n".join(f"Paragraph {n}: " + "word " * 100 for n in range(20))
    message = render_reply(Reply(title="Long", text=text))
    sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    assert len(sections) > 1
    assert " ".join(sections).split() == escape(text).split()


def test_too_many_items_keep_the_buttons_and_say_what_was_left_out() -> None:
    reply = Reply(title="Many", items=tuple(Item(f"item {n}") for n in range(80)), page=Page(1, 2, "search", text="x"))
    blocks = render_reply(reply, line="search x")["blocks"]
    assert len(blocks) == 50
    assert blocks[-1]["type"] == "actions" and blocks[-2]["type"] == "context"
    # header + 46 of 80 items + this note + 2 tail blocks = 50
    assert blocks[-3]["elements"][0]["text"] == (
        "… and 34 more entries, too many for one Slack message: an admin's /brief export holds the whole briefing."
    )


def test_entries_go_before_the_fields_sources_and_footer_and_are_counted_as_entries() -> None:
    """70 passages of two sections each lost their last passages, "Last changed" and the sources, under "… +26", a count of
    blocks. Whole entries go now, counted, and everything after them stays."""
    passage = "A passage. " * 300  # two sections each
    reply = Reply(
        title="Why: main topics",
        text="The source passages behind this entry:",
        items=tuple(Item(f"Source {n}", text=passage) for n in range(70)),
        fields=(Field("Last changed", "Not edited since the briefing was loaded"),),
        sources=(SourceRef("s", "CubaHeadlines", "https://cubaheadlines.example/a"),),
        footer="A footer",
    )
    blocks = render_reply(reply, line="why main topics", locale="es")["blocks"]
    check_limits(blocks)
    read = all_mrkdwn(blocks)
    shown = [text for text in read if text.startswith("*Source ")]
    assert len(shown) == 21  # header, text, 21 entries of 2 sections, note, field, sources, footer, button: 49 (one more entry is 51)
    assert read[-4:] == [
        "… y 49 entradas más, demasiadas para un mensaje de Slack: /brief exportar, que puede usar un administrador, contiene el informe entero.",
        "*Last changed*\nNot edited since the briefing was loaded",
        "*Fuentes*\n• <https://cubaheadlines.example/a|CubaHeadlines>",
        "A footer",
    ]


def test_a_body_too_long_without_its_entries_still_keeps_its_sources_and_footer() -> None:
    reply = Reply(title="t", fields=tuple(Field(f"f{n}", "v") for n in range(60)), sources=(SourceRef("s", "Src"),), footer="foot")
    blocks = render_reply(reply, line="x")["blocks"]
    check_limits(blocks)
    assert all_mrkdwn(blocks)[-4:] == ["*f44*\nv", "…", "*Sources*\n• Src", "foot"]


def test_errors_are_one_short_section_without_buttons() -> None:
    message = render_reply(Reply(title="Can't answer that", text="A quote is not closed.", kind="error"), line="x")
    assert message["blocks"] == [{"type": "section", "text": {"type": "mrkdwn", "text": "*Can't answer that*\nA quote is not closed."}}]


def test_post_button_only_on_private_answers() -> None:
    reply = Reply(title="Meeting")
    assert "briefbot_post" in str(render_reply(reply, line="meeting", ephemeral=True))
    assert "actions" not in str(render_reply(reply, line="meeting", ephemeral=False))


def test_one_reply_rendered_again_gets_its_own_language_buttons_and_list() -> None:
    """The body is remembered per reply: another language still gets its words, another line its buttons."""
    reply = Reply(title="t", sources=(SourceRef("a", "Paper"),), items=(Item("Visa", ref="timeline/visa"),), page=Page(1, 3, "quotes"))
    english = render_reply(reply, line="quotes", locale="en")
    spanish = render_reply(reply, line="quotes", locale="es")
    assert "*Sources*" in str(english["blocks"]) and "*Fuentes*" in str(spanish["blocks"])
    assert "'Source passage…'" in str(english["blocks"]) and "'Pasaje de la fuente…'" in str(spanish["blocks"])
    assert "Page 1 of 3" in str(english["blocks"]) and "Página 1 de 3" in str(spanish["blocks"])
    assert "'Next'" in str(english["blocks"]) and "'Siguiente'" in str(spanish["blocks"])
    other = render_reply(reply, line="quotes page:1", locale="en")
    assert other["blocks"] is not english["blocks"]
    english["blocks"].append({"type": "divider"})  # a caller's change to its message stays in its message
    assert render_reply(reply, line="quotes", locale="en")["blocks"][-1]["type"] != "divider"


def test_a_button_whose_line_is_over_slacks_limit_is_left_out() -> None:
    """A button's value holds at most 2,000 characters: a page whose line is longer keeps its position and menu only."""
    long = Reply(title="t", items=(Item("Visa", ref="timeline/visa"),), page=Page(2, 3, "search", text="x" * 2000))
    blocks = render_reply(long, line="search " + "x" * 2000, locale="en")["blocks"]
    assert "Page 2 of 3" in str(blocks)
    assert [element["type"] for element in blocks[-1]["elements"]] == ["static_select"]
    fits = render_reply(replace(long, page=Page(2, 3, "search", text="x" * 1980)), line="search", locale="en")["blocks"]
    assert [element.get("value", "")[-6:] for element in fits[-1]["elements"]] == ["page:1", "page:3", "page:2", ""]


def test_one_reply_asked_by_two_lines_posts_each_its_own_line() -> None:
    """The buttons are remembered per reply and line: "Post to channel" re-asks the line that asked, private or not."""
    reply = Reply(title="Meeting", items=(Item("Visa revoked", ref="timeline/visa-revoked"),))
    values = [str(render_reply(reply, line=line, ephemeral=True)["blocks"]) for line in ("meeting", "meeting session:x")]
    assert "'value': 'meeting'" in values[0] and "'value': 'meeting session:x'" in values[1]
    assert "briefbot_post" not in str(render_reply(reply, line="meeting", ephemeral=False))


def test_the_fallback_text_is_the_title_over_the_first_field_or_item() -> None:
    """Notifications and screen readers get the title, then the text, else the first field, else the first item."""
    fields = (Field("When", "<today>"), Field("Where", "Room 1"))
    assert render_reply(Reply(title="Meeting", fields=fields))["text"] == "Meeting\nWhen: &lt;today&gt;"
    items = (Item("Visa revoked"), Item("Appeal"))
    assert render_reply(Reply(title=" ", items=items))["text"] == "briefbot\nVisa revoked"
    assert render_reply(Reply(title="Quotes"))["text"] == "Quotes"


def test_a_section_cut_mid_line_never_opens_a_quote() -> None:
    sections = all_mrkdwn(render_reply(Reply(title="Long", text="a" * 2995 + " > not a quote"))["blocks"])
    assert sections == ["a" * 2995, "\u00ad&gt; not a quote"]


def test_a_long_answer_is_read_whole_across_sections() -> None:
    """A faq answer (a pack allows 4,000 characters) or a wide field over Slack's 3,000 per section goes on in the next."""
    answer = " ".join(f"word{n}" for n in range(510)) + " END."
    reply = Reply(title="FAQ", fields=(Field("Answer", answer),), items=(Item("Why?", answer),), page=Page(1, 2, "faq"))
    texts = all_mrkdwn(render_reply(reply, line="faq")["blocks"])[:-1]  # the page position last
    assert len(answer) > 3_900 and len(texts) == 4 and all(len(text) <= 3000 for text in texts)
    assert " ".join(texts).split() == ["*Why?*", *answer.split(), "*Answer*", *answer.split()]
    assert "…" not in "".join(texts)
