"""Generated input: whatever a user types, only a user error may come out — never an internal one."""

from __future__ import annotations

import re
import shlex
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.core.args import _tokens, parse_line
from bot.core.catalogue import Catalogue
from bot.core.commands import COMMANDS
from bot.core.requests import Request
from bot.errors import UserError
from tests.conftest import BEFORE

INTERNAL = Catalogue()("error.internal")
COMMAND_NAMES = [name for spec in COMMANDS.specs for name in (spec.name, *spec.aliases)]
SETTINGS = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
option_value = st.one_of(
    text,
    st.sampled_from(["2025", "2025-09", "2026-02-03", "2025-12/2026-01", "0", "-1", "99999", "", " ", "Ω", "@everyone"]),
)
instants = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2999, 12, 30), timezones=st.just(UTC))


@given(line=text)
@settings(max_examples=500)
def test_parser_raises_only_user_errors(line):
    try:
        parsed = parse_line(line)
    except UserError:
        return
    assert parsed.command == parsed.command.lower()


def _as_letters(line: str) -> str:
    """The line with each apostrophe the parser reads as a letter made a Q, found by reading it one character at a time
    as shlex does: between two letters, or outside quotes right after a letter (a quote closing after one still closes)."""
    out, quote = "", None
    for n, char in enumerate(line):
        if char == "'" and n > 0 and re.fullmatch(r"\w'\w", line[n - 1 : n + 2]):
            char = "Q"
        elif quote is not None:
            quote = None if char == quote else quote
        elif char == "'" and re.fullmatch(r"\w", out[-1:]):
            char = "Q"
        elif char in "\"'":
            quote = char
        out += char
    return out


@given(line=st.text(alphabet=st.sampled_from(list("ab é:#-\"' \t\n\r\x0b\xa0\u2003")), max_size=16))
@settings(max_examples=2000)
def test_a_quoted_line_splits_into_shlexs_words(line):
    """The parser splits a quoted line without backslashes itself (regexes, not shlex's loop in Python):
    the same words as shlex.split, and a refusal exactly where shlex finds a quote not closed. An apostrophe
    between two letters (`Petro's`), or ending a word outside quotes (`colombians'`), is a letter: shlex is
    given a letter in its place (Q, not in the alphabet)."""
    line = line.strip()
    assume('"' in line or "'" in line)  # a line without quotes is split at any whitespace, as it always was
    held = _as_letters(line)
    try:
        # Without a quote left, split at any whitespace, as a line without quotes always was.
        words = shlex.split(held, posix=True) if '"' in held or "'" in held else held.split()
        expected = [word.replace("Q", "'") for word in words]
    except ValueError:
        expected = None
    if expected is None:
        with pytest.raises(UserError) as refused:
            _tokens(line)
        assert refused.value.key == "args.unbalanced_quote"
    else:
        assert _tokens(line) == expected


@pytest.mark.parametrize(("line", "words"), [
    ("search Petro's visa", ["search", "Petro's", "visa"]),  # an apostrophe in a word is a letter, not a quote left open
    ("search Petro's and Trump's", ["search", "Petro's", "and", "Trump's"]),  # not one word "Petros and Trumps"
    ("search Petro’s visa", ["search", "Petro’s", "visa"]),
    ("search colombians' rally", ["search", "colombians'", "rally"]),  # a plural's apostrophe ends a word: no quote opens
    ("search the Joneses' 'big house'", ["search", "the", "Joneses'", "big house"]),
    ("set title:'a b'", ["set", "title:a b"]),  # after `:` a quote opens, and after a letter it still closes
    ("set title:'Petro's visa' note:'the Joneses'", ["set", "title:Petro's visa", "note:the Joneses"]),
    ("delegation side:“united states”", ["delegation", "side:united states"]),  # a phone's quotes quote
    ("delegación parte:«estados unidos» página:2", ["delegación", "parte:estados unidos", "página:2"]),
    ("set value:«no»", ["set", "value:«no»"]),  # one word keeps its marks: they may be meant
    ('set value:"Dijo «no sé» ayer"', ["set", "value:Dijo «no sé» ayer"]),  # straight quotes rule, « » inside are text
    ("search “cocoa industry”x", ["search", "“cocoa", "industry”x"]),  # not a word's end: not a quote
    # Only the marks around a value quote it: marks inside another quote are its text, whatever their kind.
    ("set question:'Why is “the meeting” important?'", ["set", "question:Why is “the meeting” important?"]),
    ("set answer:'Dijo «no sé» ayer'", ["set", "answer:Dijo «no sé» ayer"]),
    ('set answer:"He said “no”"', ["set", "answer:He said “no”"]),
    ("set answer:“Petro called it «a new chapter»”", ["set", "answer:Petro called it «a new chapter»"]),
    ("set answer:“He said “no” today” reason:x", ["set", "answer:He said “no” today", "reason:x"]),  # pairs, as brackets
    ("set answer:«Dijo «no» hoy» reason:x", ["set", "answer:Dijo «no» hoy", "reason:x"]),
    ("set role:“Senator\\Colombia, 12\" 'TV” reason:'a b'", ["set", "role:Senator\\Colombia, 12\" 'TV", "reason:a b"]),
    ('set title:“a b” note:"c d"', ["set", "title:a b", "note:c d"]),  # straight quotes beside them quote too
    # A `"` a backslash escapes ends no "…": the apostrophe after it is inside, and the next quoted value still closes.
    ("set role:\"a \\\" 'b\" reason:'c d'", ["set", "role:a \" 'b", "reason:c d"]),
])
def test_apostrophes_and_typographic_quotes_read_as_a_reader_means_them(line, words):
    assert _tokens(line) == words


@given(command=st.sampled_from(COMMAND_NAMES), tail=text)
@SETTINGS
async def test_any_line_gets_an_answer_or_a_user_error(core, caplog, command, tail):
    reply = await core.dispatch_line(f"/{command} {tail}", Request(command="", now=BEFORE, platform="console", operator=True))
    assert reply.text != INTERNAL, caplog.text
    assert reply.kind in ("answer", "error")


@given(command=st.sampled_from(COMMAND_NAMES), tail=text, surrogate=st.characters(categories=["Cs"]), at=st.integers(0, 80))
@SETTINGS
async def test_a_lone_surrogate_anywhere_is_refused_never_echoed(core, caplog, command, tail, surrogate, at):
    line = f"/{command} {tail[:at]}{surrogate}{tail[at:]}"
    reply = await core.dispatch_line(line, Request(command="", now=BEFORE, platform="console", operator=True))
    # Refused, by that message or by a parse error met first; either way an answer that can be sent.
    assert reply.kind == "error" and reply.text != INTERNAL, caplog.text
    reply.text.encode("utf-8")


@given(
    command=st.sampled_from([spec.name for spec in COMMANDS.specs]),
    values=st.dictionaries(st.sampled_from(["from", "to", "topic", "query", "page", "side", "role", "name", "speaker", "question", "text", "command"]), option_value, max_size=4),
    free=text,
    now=instants,
)
@SETTINGS
async def test_structured_options_from_adapters(core, caplog, command, values, free, now):
    reply = await core.dispatch(Request(command=command, now=now, platform="console", operator=True, options=values, text=free))
    assert reply.text != INTERNAL, caplog.text


@given(spec=st.sampled_from(COMMANDS.specs), prefix=text)
@SETTINGS
async def test_autocomplete_never_fails_and_respects_the_limit(core, spec, prefix):
    for option in spec.options:
        choices = await core.complete(Request(command=spec.name, now=BEFORE, platform="console", operator=True), option.name, prefix)
        assert len(choices) <= 25
        assert all(len(c.label) <= 200 for c in choices)


@given(offset=st.integers(min_value=-400 * 24 * 60, max_value=400 * 24 * 60))
@SETTINGS
async def test_countdown_is_consistent_with_now(core, offset):
    meeting_start = datetime(2026, 2, 3, 16, 0, tzinfo=UTC)
    reply = await core.dispatch(Request(command="meeting", now=meeting_start + timedelta(minutes=offset), platform="console", operator=True))
    status = [f.value for f in reply.fields if f.name == "Status"][0]
    assert (" in " in status) == (offset < 0), status
