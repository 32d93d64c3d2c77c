"""The `key:value` command-line syntax shared by the console, the CLI and Slack's `/brief`.

Readers type options the way they type them elsewhere, so the parser accepts what is unambiguous:
`from:2025-09`, `FROM:2025-09`, `from=2025-09` and `from: 2025-09` are the same option.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

import msgspec

from bot.errors import UserError

# Option words may be Spanish (`página:2`), so the accented letters count as letters too.
_KEY = re.compile(r"^([a-záéíóúüñ][a-záéíóúüñ_-]{0,31})[:=](.*)$", re.DOTALL | re.IGNORECASE)
MAX_LINE = 6000  # room for a long field in an admin edit
# shlex.split's tokens (POSIX rules, split at shlex's whitespace) for a line with quotes and no backslash: runs of
# unquoted characters and quoted parts, each part's quotes dropped. shlex reads a line one character at a time in
# Python, most of a new line's parsing; these are two regexes in C.
_SHLEX_SPACE = " \t\r\n"
_TOKEN = re.compile(r"""(?:[^ \t\r\n"']|"[^"]*"|'[^']*')+""")
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
# An apostrophe between two letters is one (`Petro's visa`), not a quote left open: held as a private-use
# character while the line is split, then put back. So is one ending a word outside quotes (`colombians' rally`):
# a quote opens only where a word does not go on (`title:'a b'`, after `:`). The spans quoted first are passed
# over whole, so a quote closing after a letter (`'a b'`) still closes.
_IN_WORD = re.compile(r"(?<=\w)'(?=\w)")
_AFTER_WORD = re.compile(r"(?<=\w)'")
# Straight quotes' spans as shlex reads them (a backslash escapes a `"` or itself inside "…", any character outside).
_STRAIGHT = r""""(?:[^"\\]|\\.)*"|(?<!\w)'[^']*'|(?<=\w)('+)|\\."""
_WORD_END = re.compile(_STRAIGHT, re.DOTALL)
_HELD = "\ue000"
# Phones and word processors turn " into “ ”, and Spanish writes « »: such a pair quotes the words between them, as "
# does, when its opening mark starts a word (`side:“united states”`: after a space, `:` or `=`), its closing mark ends one
# and a space lies between them. A single word keeps its marks (`value:«no»` may mean them). What lies between is the
# value as typed, straight quotes and backslashes included, and marks of the pair's own kind pair up inside it as brackets
# do: `answer:“He said “no” today”` is `He said “no” today`. Marks inside another quote are that quote's text.
# `_quoted_spans` finds them reading the line as the rest of `_tokens` reads it, passing over what straight quotes
# quote, an apostrophe that is a letter and a character a backslash escapes, so a mark among those is text.
_SPANS = re.compile(r"(?<![^\s:=])[“«]|" + _STRAIGHT, re.DOTALL)
_MARKS = re.compile("[“”«»]")
_SPACE = re.compile(r"\s")


class ParsedLine(msgspec.Struct, frozen=True):
    """A command name, its `key:value` options in order, and the words that were not options."""

    command: str
    options: tuple[tuple[str, str], ...]
    text: str


def parse_line(line: str) -> ParsedLine:
    """Split `/timeline from:2025-09 query:"cocoa industry" words` into its parts."""
    if len(line) > MAX_LINE:
        raise UserError("args.too_long", limit=MAX_LINE)
    return parse_words(_tokens(line.strip()))


def parse_words(split: Sequence[str]) -> ParsedLine:
    """A line's parts from its words already split, each taken as it is (`briefbot admin`'s arguments, split by the shell)."""
    tokens = list(split)
    # "/ meeting": a slash typed apart from the command name still names the command.
    while len(tokens) > 1 and tokens[0].strip("/") == "":
        tokens.pop(0)
    if not tokens:
        raise UserError("args.empty")
    command = tokens[0].lstrip("/").lower()
    if not command:  # a slash and nothing else
        raise UserError("args.empty")
    options: list[tuple[str, str]] = []
    words: list[str] = []
    rest = tokens[1:]
    while rest:
        token = rest.pop(0)
        match = _option(token)
        if match is None:
            words.append(token)
            continue
        key, value = match[1].lower().replace("-", "_"), match[2]
        # "from: 2025-09": the value was typed after a space; take the next word unless it is an option.
        if value == "" and rest and not _option(rest[0]):
            value = rest.pop(0)
        if any(key == seen for seen, _ in options):
            raise UserError("args.duplicate_option", option=key)
        options.append((key, value))
    return ParsedLine(command, tuple(options), " ".join(words))


def _option(token: str) -> re.Match[str] | None:
    """The token's key and value when it is an option; None for a word, such as a link (`http://x.com/a:b`: no `http:`)."""
    match = _KEY.match(token)
    if match is None or match[1].endswith(("-", "_")) or match[2].startswith("//"):
        return None
    return match


def _tokens(line: str) -> list[str]:
    """Whitespace-separated words, with shell-style quoting only when the line uses quotes."""
    spans: list[str] = []
    mark = ""
    # A line holding _HELD (nobody types it) is read with no apostrophe held, and so with these marks as text.
    if ("“" in line or "«" in line) and _HELD not in line:
        line, spans, mark = _quoted_spans(line)
    held = "'" in line and _HELD not in line and _AFTER_WORD.search(line) is not None
    if held:
        line = _WORD_END.sub(_word_end, _IN_WORD.sub(_HELD, line))
    if '"' not in line and "'" not in line and "\\" not in line:
        tokens = line.split()
    elif "\\" not in line:
        tokens = _quoted_tokens(line)
    else:
        try:
            tokens = shlex.split(line, posix=True)
        except ValueError:
            raise UserError("args.unbalanced_quote") from None
    if held:
        tokens = [token.replace(_HELD, "'") for token in tokens]
    if spans:  # the words keep the line's characters in order, so the marks come back in the order the values went
        values = iter(spans)
        tokens = [re.sub(mark, lambda _: next(values), token) for token in tokens]
    return tokens


def _quoted_spans(line: str) -> tuple[str, list[str], str]:
    """The line with each value that typographic marks quote made one private-use character the line lacks, the values in
    order, and that character: the rest of the line is read without them, and nothing inside a value is read at all."""
    present = set(line)
    mark = next(chr(code) for code in range(0xE001, 0xF900) if chr(code) not in present)  # a line has at most 6,000
    closes = _closes(line)
    probe = _IN_WORD.sub(_HELD, line)  # as `_tokens` holds apostrophes, character for character
    parts: list[str] = []
    spans: list[str] = []
    done = at = 0
    while (found := _SPANS.search(probe, at)) is not None:
        at = found.end()
        if found[0] not in ("“", "«"):
            continue  # what straight quotes quote, an apostrophe that is a letter, a character a backslash escapes
        end = closes.get(found.start(), -1)
        value = line[at:end]
        if end < 0 or not (end + 1 == len(line) or line[end + 1].isspace()) or _SPACE.search(value) is None:
            continue  # no pair closing at a word's end around a space: the mark is text
        parts += (line[done : found.start()], mark)
        spans.append(value)
        done = at = end + 1
    return "".join(parts) + line[done:], spans, mark


def _closes(line: str) -> dict[int, int]:
    """Where the pair each “ or « opens closes: marks of one kind pair up as brackets do (`“a “b” c”`)."""
    closes: dict[int, int] = {}
    opened: dict[str, list[int]] = {"“": [], "«": []}
    for found in _MARKS.finditer(line):
        if found[0] in opened:
            opened[found[0]].append(found.start())
        else:
            waiting = opened["“" if found[0] == "”" else "«"]
            if waiting:
                closes[waiting.pop()] = found.start()
    return closes


def _word_end(found: re.Match[str]) -> str:
    """A quoted span as it is; apostrophes ending a word, held as letters."""
    return found[0] if found[1] is None else _HELD * len(found[1])


def _quoted_tokens(line: str) -> list[str]:
    """`shlex.split(line)` for a line without a backslash; between tokens only whitespace, else a quote is not closed."""
    tokens, end = [], 0
    for match in _TOKEN.finditer(line):
        if line[end : match.start()].strip(_SHLEX_SPACE):  # what no token takes is an opening quote never closed
            raise UserError("args.unbalanced_quote")
        tokens.append(_QUOTED.sub(_inside, match[0]))
        end = match.end()
    if line[end:].strip(_SHLEX_SPACE):
        raise UserError("args.unbalanced_quote")
    return tokens


def _inside(quoted: re.Match[str]) -> str:
    return quoted[0][1:-1]
