"""The `key:value` command-line syntax shared by the console, the CLI and Slack's `/brief`."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from bot.errors import UserError

# Option words may be Spanish (`página:2`), so the accented lower-case letters count as letters too.
_KEY = re.compile(r"^([a-záéíóúüñ][a-záéíóúüñ_-]{0,31}):(.*)$", re.DOTALL)
MAX_LINE = 6000  # room for a long field in an admin edit


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """A command name, its `key:value` options in order, and the words that were not options."""

    command: str
    options: tuple[tuple[str, str], ...]
    text: str


def parse_line(line: str) -> ParsedLine:
    """Split `/timeline from:2025-09 query:"cocoa industry" words` into its parts."""
    if len(line) > MAX_LINE:
        raise UserError("args.too_long", limit=MAX_LINE)
    tokens = _tokens(line.strip())
    if not tokens:
        raise UserError("args.empty")
    command = tokens[0].lstrip("/").lower()
    options: list[tuple[str, str]] = []
    words: list[str] = []
    for token in tokens[1:]:
        match = _KEY.match(token)
        if match and not match[1].endswith(("-", "_")):
            key = match[1].lower().replace("-", "_")
            if any(key == seen for seen, _ in options):
                raise UserError("args.duplicate_option", option=key)
            options.append((key, match[2]))
        else:
            words.append(token)
    return ParsedLine(command, tuple(options), " ".join(words))


def _tokens(line: str) -> list[str]:
    """Whitespace-separated words, with shell-style quoting only when the line uses quotes."""
    if not any(ch in line for ch in "\"'\\"):
        return line.split()
    try:
        return shlex.split(line, posix=True)
    except ValueError:
        raise UserError("args.unbalanced_quote") from None
