"""The console's line filling gives textwrap's lines (without breaks after hyphens) for any text."""

from __future__ import annotations

import textwrap

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.adapters.console import NARROWEST, WIDTH, ConsoleSession, _wrap, render_text
from bot.core.replies import Field, Item, Reply, SourceRef
from tests.conftest import BEFORE

WORDS = st.lists(st.text(alphabet="abcdé-–.,\\\"'xyz", min_size=1, max_size=12) | st.text(alphabet="ab-", min_size=90, max_size=130), min_size=1, max_size=60)
# Spaces of every kind the data may hold: single, double, leading, trailing, tabs.
SPACES = st.sampled_from([" ", " ", " ", "  ", "\t", " \t "])
WIDTHS = st.sampled_from([WIDTH, NARROWEST, 57])  # a pipe's, the narrowest terminal's, one between


def textwraps(text: str, indent: str, width: int = WIDTH) -> str:
    """What textwrap itself makes of each line, the reference the fast path must match."""
    return "\n".join(
        textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False) if line else ""
        for line in text.splitlines()
    )


@settings(max_examples=300)
@given(WORDS, st.sampled_from(["", "   "]), WIDTHS)
@example(["word", "x" * 150, "end"], "", WIDTH)  # longer than a line: cut, as textwrap cuts it
@example(["x" * 90, "y" * 9], "   ", WIDTH)
def test_single_spaced_text_is_filled_as_textwrap_fills_it(words: list[str], indent: str, width: int) -> None:
    text = " ".join(words)
    assert _wrap(text, width, indent) == textwraps(text, indent, width)


@settings(max_examples=300)
@given(st.lists(st.tuples(st.text(alphabet="ab-xyz", min_size=1, max_size=110), SPACES), max_size=40), st.sampled_from(["", "   "]), WIDTHS)
@example([("x" * 99, "  "), ("y", "")], "", WIDTH)  # the break falls inside a run of spaces
def test_any_spacing_is_filled_as_textwrap_fills_it(parts: list[tuple[str, str]], indent: str, width: int) -> None:
    text = "".join(word + space for word, space in parts)
    assert _wrap(text, width, indent) == textwraps(text, indent, width)


def test_a_date_is_not_broken_at_its_hyphen() -> None:
    text = "x" * (WIDTH - 5) + " 2025-09-12"
    assert _wrap(text, WIDTH).splitlines()[1] == "2025-09-12"


def test_one_reply_rendered_again_in_another_language_is_that_languages() -> None:
    """Its texts are written once, its words once per language: the same reply in Spanish still gets Spanish words."""
    reply = Reply(title="t", text="A summary.", sources=(SourceRef("a", "Paper", "https://example.org"),))
    english, spanish = "Sources:\n  - Paper <https://example.org>", "Fuentes:\n  - Paper <https://example.org>"
    assert render_text(reply, "en").endswith(f"A summary.\n\n{english}\n")
    assert render_text(reply, "es").endswith(f"A summary.\n\n{spanish}\n")
    assert render_text(reply, "en").endswith(f"A summary.\n\n{english}\n")


def test_a_line_under_a_bullet_hangs_under_its_text() -> None:
    """A quote's translation belongs to the quote above it, not to the list: it is indented past the bullet."""
    field = Field("Citas", "• «undignified treatment»\nTraducción: «trato indigno»\n• «taking up arms»")
    assert render_text(Reply(title="T", fields=(field,))).splitlines()[3:6] == [
        "Citas: • «undignified treatment»",
        "         Traducción: «trato indigno»",
        "       • «taking up arms»",
    ]


async def test_an_items_first_line_fits_a_narrow_terminal_too(core) -> None:
    """Only the text under an item was wrapped: `/faq other activities`'s question stayed one 70-column line at 40, a
    source's title 140. The first line wraps now, hanging under the title; a link longer than the line stays whole."""
    faq = render_text(await ConsoleSession(core, lambda: BEFORE).answer("/faq other activities"), "en", NARROWEST)
    assert faq.splitlines()[3:5] == ["1. What other activities are planned for", "   Petro's visit to Washington?"], faq
    assert max(map(len, faq.splitlines())) <= NARROWEST, faq
    link = "https://example.org/" + "a" * 40
    item = Item(title=f"Report of 3 February at {link} on the visit", text="Petro landed.")
    lines = render_text(Reply(title="T", items=(item,)), "en", NARROWEST).splitlines()[3:]
    assert lines == ["1. Report of 3 February at", f"   {link}", "   on the visit", "   Petro landed."], lines
    assert render_text(Reply(title="T", items=(item,))).splitlines()[3] == f"1. {item.title}"  # a pipe's, whole as before
