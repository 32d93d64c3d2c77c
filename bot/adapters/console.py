"""The console adapter: the real core on a terminal or a pipe, with no tokens and no network."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from msgspec.structs import replace

from bot.core.catalogue import catalogue_for
from bot.core.formatting import page_position
from bot.core.registry import page_line
from bot.core.replies import ITEMS_KEPT, RENDERINGS_KEPT, Field, Item, Reply, SourceRef
from bot.core.requests import Request
from bot.core.service import BriefingCore

WIDTH = 100  # a pipe's lines, and the widest a terminal's are
NARROWEST = 40  # a terminal narrower still is wrapped at this and left to fold what is over
PROMPT = "briefbot> "
PAGE_SIZE = 10  # a terminal scrolls; a chat message of 5 items already fills a phone screen
# Lines the history file keeps: enough to find yesterday's commands again, while an admin's `reason:` or a search for
# a person leaves the file once a thousand lines have followed it, instead of staying there for good.
HISTORY_LINES = 1000


# The core hands back the very same reply for a page asked again (its remembered answers), and wrapping its
# text was most of the console's cost: the text is a pure function of the immutable reply and the language.
@lru_cache(maxsize=RENDERINGS_KEPT)
def render_text(reply: Reply, locale: str = "en", width: int = WIDTH) -> str:
    """A reply as plain text in lines of at most `width` columns: title, body, fields, numbered items, paging hint, sources."""
    cat = catalogue_for(locale)
    blocks = [f"{_narrowed(reply.title, width)}\n{'=' * min(len(reply.title), width)}"]
    if reply.text:
        blocks.append(_text(reply.text, width))
    if reply.fields:
        blocks.append("\n".join(_field_lines(field, width) for field in reply.fields))
    if reply.items:
        first = reply.page.first if reply.page else 1
        blocks.append("\n".join(_item_lines(number, item, width) for number, item in enumerate(reply.items, first)))
    if reply.page:
        page = reply.page
        hint = page_position(page.number, page.count, cat)
        if page.number < page.count:
            hint += " · " + cat("page.next", line=page_line(page, page.number + 1, cat.locale))
        blocks.append(_narrowed(hint, width))
    if reply.sources:
        blocks.append(_sources(reply.sources, locale, width))
    if reply.footer:
        blocks.append("\n".join(_narrowed(line, width) for line in reply.footer.splitlines()))
    return "\n\n".join(blocks) + "\n"


# A brief's summary, fields and sources recur in every new minute's answer (the core writes all but the status
# once per version), a faq's answer in each of its pages: like list items, each is written out once.
@lru_cache(maxsize=RENDERINGS_KEPT)
def _text(text: str, width: int) -> str:
    return _wrap(text, width)


def terminal_width() -> int:
    """The terminal's columns (COLUMNS when set), within NARROWEST and WIDTH: a 40-column window is not wrapped at 100."""
    return max(NARROWEST, min(WIDTH, terminal_columns(WIDTH)))


def terminal_columns(default: int) -> int:
    """The terminal's width as `shutil.get_terminal_size()` gives it: $COLUMNS, else the terminal's, else `default`.

    Without `shutil`, whose module imports bz2 and lzma, an import every start would pay for (argparse sizes its help too).
    """
    with contextlib.suppress(ValueError):
        if (columns := int(os.environ.get("COLUMNS", ""))) > 0:
            return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or default  # type: ignore[union-attr]  # None: caught below
    except (AttributeError, ValueError, OSError):
        return default


@lru_cache(maxsize=RENDERINGS_KEPT)
def _sources(sources: tuple[SourceRef, ...], locale: str, width: int) -> str:
    lines = [_narrowed(s.label + (f" <{s.url}>" if s.url else ""), width, "  - ", "    ") for s in sources]
    return f"{catalogue_for(locale)('reply.sources')}:\n" + "\n".join(lines)


@lru_cache(maxsize=ITEMS_KEPT)
def _field_lines(field: Field, width: int) -> str:
    label = f"{field.name}: "
    lines = field.value.splitlines() or [""]
    pad = " " * len(label)
    # In a list, a line that starts no bullet of its own (a quote's translation) hangs under the bullet above it.
    hang = pad + "  " if lines[0].startswith("• ") else pad
    shown = [_narrowed(lines[0], width, label, hang)]
    shown += [_narrowed(line, width, pad, pad + "  ") if line.startswith("• ") else _narrowed(line, width, hang, hang) for line in lines[1:]]
    return "\n".join(shown)


def _narrowed(line: str, width: int, first: str = "", hang: str = "") -> str:
    """A line that a pipe and a full-width terminal show whole after `first` (a field's, a source's, the footer), on a
    narrower terminal wrapped with its further lines after `hang`, so that a hanging indent still hangs; a word longer
    than the line (a link) is left whole for the terminal to fold."""
    if width >= WIDTH or len(first) + len(line) <= width:
        return first + line
    return textwrap.fill(line, width, initial_indent=first, subsequent_indent=hang, break_on_hyphens=False, break_long_words=False)


def _item_lines(number: int, item: Item, width: int) -> str:
    prefix = f"{number}. "
    return _narrowed(item.title, width, prefix, " " * len(prefix)) + _item_body(item, width)


@lru_cache(maxsize=ITEMS_KEPT)
def _item_body(item: Item, width: int) -> str:
    """The item's meta and text, each on its own wrapped lines under the title."""
    return "".join("\n" + _wrap(part, width, "   ") for part in (item.meta, item.text) if part)


def _wrap(text: str, width: int, indent: str = "") -> str:
    paragraphs = text.splitlines()
    if len(paragraphs) == 1:  # as most metas and texts are: no generator and join
        return _fill(paragraphs[0], width, indent) if paragraphs[0] else ""
    return "\n".join(_fill(paragraph, width, indent) if paragraph else "" for paragraph in paragraphs)


def _fill(paragraph: str, columns: int, indent: str) -> str:
    """textwrap's lines, cut at the last space that fits, for plain single-spaced text: textwrap took most of an answer's time."""
    width = columns - len(indent)
    # `splitlines` left no line breaks; tabs, runs of spaces and a trailing space are textwrap's business.
    if "\t" in paragraph or "  " in paragraph or paragraph[-1] == " ":
        return _textwrap(paragraph, indent, columns)
    if len(paragraph) <= width:
        return indent + paragraph
    lines, start = [], 0
    while len(paragraph) - start > width:
        cut = paragraph.rfind(" ", start, start + width + 1)
        if cut <= start:  # a word longer than a line: textwrap cuts it
            return _textwrap(paragraph, indent, columns)
        lines.append(indent + paragraph[start:cut])
        start = cut + 1
    lines.append(indent + paragraph[start:])
    return "\n".join(lines)


def _textwrap(paragraph: str, indent: str, width: int) -> str:
    # Not after hyphens, unlike textwrap's default: that splits dates ("2025-" / "09") and costs a slow regex.
    return textwrap.fill(paragraph, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)


class ConsoleSession:
    """Answers command lines one at a time as the local operator."""

    def __init__(self, core: BriefingCore, clock: Callable[[], datetime], briefing_id: str | None = None, locale: str = "en") -> None:
        self.core = core
        self.clock = clock
        self.template = Request(
            command="", now=clock(), platform="console", operator=True, user_id="local", briefing_id=briefing_id, locale=locale, page_size=PAGE_SIZE,
            choose_hint="briefing_new.choose_console",  # no channel to choose it for: the console reads what --briefing names
        )

    async def answer(self, line: str) -> Reply:
        """The core's reply to one command line, with "now" taken from the clock."""
        return await self.core.dispatch_line(line, replace(self.template, now=self.clock()))


async def run_console(session: ConsoleSession, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, history: Path | None = None) -> None:
    """Interactive prompt with history on a terminal; on a pipe, answer each line read."""
    import asyncio  # here, not at the top: a one-shot `ask` renders with this module and runs no loop

    from bot.adapters.terminal import PROMPT_READER, QUIT

    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        _enable_history(history)
        stdout.write(catalogue_for(session.template.locale)("console.banner") + "\n")
    reader = PROMPT_READER.get()
    if interactive and reader is not None:  # the main thread reads the prompt (see bot/adapters/terminal.py)

        async def answer(line: str) -> str:
            """The reply as the terminal shows it, as wide as it is now."""
            return render_text(await session.answer(line), session.template.locale, terminal_width())

        await reader.attach(answer)
        return
    while True:
        try:
            # A pipe is read on a thread too: the loop keeps serving the chat bots and the store's change notices meanwhile.
            line = await asyncio.to_thread(input, PROMPT) if interactive else await asyncio.to_thread(stdin.readline)
        except (EOFError, KeyboardInterrupt):
            break
        if not interactive and line == "":
            break
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.lower() in QUIT:
            break
        stdout.write(render_text(await session.answer(line), session.template.locale, terminal_width() if interactive else WIDTH))
        stdout.write("\n")
        stdout.flush()


def _enable_history(history: Path | None) -> None:
    """Arrow-key history across sessions where the platform has readline."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: the prompt still works, without history
        return
    if history is None:
        return
    history.parent.mkdir(parents=True, exist_ok=True)
    readline.set_history_length(HISTORY_LINES)  # `write_history_file` cuts the file to it
    with contextlib.suppress(OSError):  # no history yet, or unreadable: start without
        readline.read_history_file(history)
    atexit.register(readline.write_history_file, history)


def utc_now() -> datetime:
    """The real clock, for the CLI."""
    return datetime.now(UTC)
