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
# Python (15–20 µs for `/person "Daniel García-Peña"`, most of a new line's parsing); these are two regexes in C.
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
# Phones and word processors turn " into “ ”, and Spanish writes « »: such a pair around words with a space
# between them, at a word's start and end (`side:“united states”`), quotes them. A single word keeps its marks
# (`value:«no»` may mean them), and a line with straight quotes is left to them (« » may be inside).
_TYPOGRAPHIC = re.compile(r"(?:(?<=^)|(?<=[\s:=]))(?:“([^“”\"]*\s[^“”\"]*)”|«([^«»\"]*\s[^«»\"]*)»)(?=\s|$)")


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
    if '"' not in line and ("“" in line or "«" in line):
        line = _TYPOGRAPHIC.sub(lambda m: f'"{m[1] or m[2]}"', line)
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
    return [token.replace(_HELD, "'") for token in tokens] if held else tokens


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
