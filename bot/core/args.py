"""The `key:value` command-line syntax shared by the console, the CLI and Slack's `/brief`.

Readers type options the way they type them elsewhere, so the parser accepts what is unambiguous:
`from:2025-09`, `FROM:2025-09`, `from=2025-09` and `from: 2025-09` are the same option. A word in
quotes is always text, never an option, so `search "note: x"` searches for those words.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from bot.errors import UserError

_KEY = re.compile(r"^([a-z][a-z_-]{0,31})[:=](.*)$", re.DOTALL | re.IGNORECASE)
# One raw word: runs of unquoted characters and quoted parts, as the shell sees it.
_RAW_WORD = re.compile(r"""(?:[^\s"'\\]+|\\.|"(?:\\.|[^"\\])*"|'[^']*')+""", re.DOTALL)
MAX_LINE = 6000  # room for a long field in an admin edit


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """A command name, its `key:value` options in order, and the words that were not options."""

    command: str
    options: tuple[tuple[str, str], ...]
    text: str


@dataclass(frozen=True, slots=True)
class _Word:
    """A word of the line without its quotes, and whether it was written inside quotes."""

    text: str
    quoted: bool


def parse_line(line: str) -> ParsedLine:
    """Split `/timeline from:2025-09 query:"cocoa industry" words` into its parts."""
    if len(line) > MAX_LINE:
        raise UserError("args.too_long", limit=MAX_LINE)
    tokens = _tokens(line.strip())
    # "/ meeting": a slash typed apart from the command name still names the command.
    while tokens and not tokens[0].quoted and tokens[0].text.strip("/") == "" and len(tokens) > 1:
        tokens.pop(0)
    if not tokens:
        raise UserError("args.empty")
    command = tokens[0].text.lstrip("/").lower()
    options: list[tuple[str, str]] = []
    words: list[str] = []
    rest = tokens[1:]
    while rest:
        token = rest.pop(0)
        match = None if token.quoted else _KEY.match(token.text)
        if match is None or match[1].endswith(("-", "_")):
            words.append(token.text)
            continue
        key, value = match[1].lower().replace("-", "_"), match[2]
        # "from: 2025-09": the value was typed after a space; take the next word unless it is an option.
        if value == "" and rest and (rest[0].quoted or not _KEY.match(rest[0].text)):
            value = rest.pop(0).text
        if any(key == seen for seen, _ in options):
            raise UserError("args.duplicate_option", option=key)
        options.append((key, value))
    return ParsedLine(command, tuple(options), " ".join(words))


def _tokens(line: str) -> list[_Word]:
    """Whitespace-separated words, with shell-style quoting only when the line uses quotes."""
    if not any(ch in line for ch in "\"'\\"):
        return [_Word(word, quoted=False) for word in line.split()]
    raw, end = [], 0
    for match in _RAW_WORD.finditer(line):
        if line[end : match.start()].strip():  # a character no word could take: an open quote
            raise UserError("args.unbalanced_quote")
        raw.append(match[0])
        end = match.end()
    if line[end:].strip():
        raise UserError("args.unbalanced_quote")
    try:
        return [_Word(" ".join(shlex.split(word, posix=True)), quoted=word[0] in "\"'") for word in raw]
    except ValueError:
        raise UserError("args.unbalanced_quote") from None
