"""What the core hands back: a neutral reply that each adapter renders within its platform's limits."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Literal

import msgspec

from bot.core.checker import IDENT
from bot.core.text import shortened

# Replies whose rendering each renderer keeps (one entry per reply and language; a page renders to a few KB): as
# many as a version's remembered answers (REPLIES_KEPT in service.py) and a few languages, so a page asked again
# is rendered again only after 1,024 others, where 256 had been fewer than the shipped pack's 560 distinct lines.
RENDERINGS_KEPT = 1024
# List entries whose rendering each renderer keeps: a new answer mostly lists items other answers listed (the same
# events, people and quotes in list after list), so each is escaped and wrapped once (~0.5 KB each: ≤ 1 MB a renderer).
ITEMS_KEPT = 2048

# Every reply class is `gc=False`: kept replies (the core's remembered answers, the renderers' memories) are thousands
# of objects that the cyclic collector would otherwise walk at each middle-generation collection. Safe because none
# can be part of a reference cycle: each is frozen and its fields hold only immutable values (str, int, bool,
# datetime, tuples of those and of these classes), so no reply can be made to refer back to itself
# (tests/test_untracked.py checks the declared types).


class Ref(msgspec.Struct, frozen=True, gc=False):
    """A user or a channel of a platform, by its id: a renderer on that platform writes its mention, which the platform
    shows as the name (an id names nobody a reader knows); anywhere else, and as plain text, it is the id."""

    platform: str
    id: str
    channel: bool = False

    def __str__(self) -> str:
        return self.id


class Code(msgspec.Struct, frozen=True, gc=False):
    """A command to type exactly as it is (the operator's): shown as code where the platform has code."""

    text: str

    def __str__(self) -> str:
        return self.text


Part = str | Ref | Code


class Marked(str):
    """Text that names users, channels or commands (`Ref`, `Code`) among its words: as a str, the plain text (an id as
    it is, a command as typed), which the console shows and every str operation gives; `parts` are its words and marks,
    which Discord and Slack write their own way (a mention, code) after escaping the words.

    Only the core makes one (`marked`): whatever a pack, an admin or a reader wrote is a word, escaped as any text is,
    so no typed "<@U123>" becomes a mention (markupsafe's `Markup` is the model: a str subclass marking the only text a
    template trusts). It equals only a Marked of the same parts, so a renderer's memory never serves one for the other."""

    __slots__ = ("parts",)
    parts: tuple[Part, ...]

    def __new__(cls, parts: tuple[Part, ...]) -> Marked:
        text = super().__new__(cls, "".join(map(str, parts)))
        text.parts = parts
        return text

    def __eq__(self, other: object) -> bool:
        return type(other) is Marked and self.parts == other.parts

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.parts)


_FORMATTER = string.Formatter()


def marked(template: str, params: Mapping[str, object]) -> str:
    """`template.format_map(params)`, keeping a `Ref`, `Code` or `Marked` parameter as its parts: a Marked when there is
    one, else the str `format_map` gives."""
    if not any(isinstance(value, (Ref, Code, Marked)) for value in params.values()):
        return template.format_map(params)
    parts: list[Part] = []
    for words, name, spec, conversion in _FORMATTER.parse(template):
        parts.append(words)
        if name is None:
            continue
        value = _FORMATTER.get_field(name, (), params)[0]
        if isinstance(value, Marked):
            parts += value.parts
        elif isinstance(value, (Ref, Code)):
            parts.append(value)
        else:  # as str.format writes it (`{slash:subscribe}`'s spec names the command)
            parts.append(_FORMATTER.format_field(_FORMATTER.convert_field(value, conversion), spec or ""))
    return from_parts(parts)


def joined(separator: str, texts: Iterable[str]) -> str:
    """`separator.join(texts)`, keeping the parts of a Marked among them."""
    parts: list[Part] = []
    for text in texts:
        if parts:
            parts.append(separator)
        parts += text.parts if isinstance(text, Marked) else (text,)
    return from_parts(parts)


def from_parts(parts: Iterable[Part]) -> str:
    """The parts as one text, adjacent words run together: a Marked if any part is a mark, else a str."""
    merged: list[Part] = []
    for part in parts:
        last = merged[-1] if merged else None
        if isinstance(part, str) and isinstance(last, str):
            merged[-1] = last + part
        elif not isinstance(part, str) or part:
            merged.append(part)
    if all(isinstance(part, str) for part in merged):
        return "".join(map(str, merged))
    return Marked(tuple(merged))


class Field(msgspec.Struct, frozen=True, gc=False):
    """A labelled value; `moment` lets an adapter also show the instant in each viewer's own clock."""

    name: str
    value: str
    inline: bool = False
    moment: datetime | None = None


class Item(msgspec.Struct, frozen=True, gc=False):
    """One entry of a list answer (a timeline event, a person, a quote, a search hit)."""

    title: str
    text: str = ""
    meta: str = ""
    sources: tuple[str, ...] = ()
    # The item's `kind/id` when it is one of the briefing's items: `why` shows the passage behind it,
    # and platforms offer a "Source passage" choice for it.
    ref: str = ""
    # What a menu option names the entry by where its title does not tell it from its neighbours: a quote's words (its
    # speaker's other quotes share the title), then what they are (the source's translation), on one line that fits
    # the option whole (`quote_brief`); the option then describes it by its title (`option_parts`). "" elsewhere.
    brief: str = ""


class SourceRef(msgspec.Struct, frozen=True, gc=False):
    """A source as shown under an answer."""

    id: str
    label: str
    url: str | None = None


class Page(msgspec.Struct, frozen=True, gc=False):
    """Position in a paged answer and the command line that fetches any other page."""

    number: int
    count: int
    command: str
    options: tuple[tuple[str, str], ...] = ()
    text: str = ""
    first: int = 1  # the number of the page's first item, so numbers run on across pages
    # The briefing that answered, which a button's line names: a page turned after the channel chose another story
    # still turns this answer's pages. The line a reader is told to type leaves it out (where they are, it is theirs).
    briefing: str = ""
    choices: frozenset[str] = frozenset()  # the options whose values are fixed words, written in a reader's words too

    def line_for(self, number: int) -> str:
        """The command line for page `number` in the registry's own words, e.g. `timeline topic:visa page:2`."""
        return self.lines_for(number, pinned=False)[0]

    def lines_for(
        self, *numbers: int, pinned: bool = True, command_word: Callable[[str], str] = str, option_word: Callable[[str], str] = str,
        choice_word: Callable[[str], str] = str,
    ) -> list[str]:
        """The command lines of several pages (a page's buttons and its own), its options quoted once for all;
        `command_word`, `option_word` and `choice_word` name the command, options and fixed values in a reader's words
        (`registry.page_line`)."""
        options = self.options
        if pinned and self.briefing and all(key != "briefing" for key, _ in options):
            options = (*options, ("briefing", self.briefing))
        head = command_word(self.command)
        if options or self.text:  # as most lists' pages are not: nothing to quote
            parts = [head, *(quote_option(option_word(key), choice_word(value) if key in self.choices else value) for key, value in options)]
            if self.text:
                parts.append(quote_word(self.text))
            head = " ".join(parts)
        page = option_word("page")
        return [f"{head} {page}:{number}" for number in numbers]


class Approval(msgspec.Struct, frozen=True):
    """What an import's apply gives back from its dry run, so it applies only the diff somebody saw: the briefing's
    version and a digest of the pack as it would be stored (`changes`), and whether the editor takes back the edits
    since the last load the dry run named (`discard_edits`)."""

    version: int
    changes: str
    discard_edits: bool = False


class Reply(msgspec.Struct, frozen=True, gc=False):
    """A complete answer; `private` hints that only the requester should see it."""

    title: str
    text: str = ""
    fields: tuple[Field, ...] = ()
    items: tuple[Item, ...] = ()
    footer: str = ""
    sources: tuple[SourceRef, ...] = ()
    page: Page | None = None
    private: bool = True
    kind: Literal["answer", "error"] = "answer"
    field_errors: tuple[tuple[str, str], ...] = ()
    # The briefing that answered, which its passage menu's values name (`passage_value`) as its page buttons' lines do.
    briefing: str = ""
    # What an import's dry run showed, for its Apply to pass back: refused if the briefing or the pack moved on.
    approval: Approval | None = None


# What an item's `ref` must be for a "Source passage" menu to offer it: `summary`, `meeting` or `kind/id`.
PASSAGE_REF = re.compile(rf"[a-z]+(?:/{IDENT.pattern})?")
# What a picked menu value may be: a ref, then the briefing that answered. A value is the user's to forge, so
# anything else never reaches the core as a command line.
_PASSAGE_VALUE = re.compile(rf"{PASSAGE_REF.pattern}(?: briefing:{IDENT.pattern})?")


def passage_value(ref: str, briefing: str, limit: int) -> str:
    """A menu value naming the item and the briefing that answered, so a pick after the channel chose another story
    still shows this answer's passage; without the briefing (the channel's answers, as before) when both pass `limit`."""
    pinned = f"{ref} {quote_option('briefing', briefing)}" if briefing else ref
    return pinned if len(pinned) <= limit else ref


def option_parts(item: Item, limit: int) -> tuple[str, str]:
    """A menu option's label and description, each on one line of at most `limit` characters. A screen reader reads the
    label first, so an item with a `brief` (a quote) is named by it, whose words its neighbours do not share, and
    described by its title (the speaker); any other by its title, described by its text ("" when it has none)."""
    if item.brief:
        return one_line(item.brief, limit), one_line(item.title, limit)
    return one_line(item.title, limit), one_line(item.text, limit)


# Every list answer offers its items again, with the same titles and texts: each is flattened and cut once per limit.
@lru_cache(maxsize=ITEMS_KEPT)
def one_line(text: str, limit: int) -> str:
    """The text on one line of at most `limit` characters, cut after a whole word (a menu option's label)."""
    return shortened(" ".join(text.split()), limit)


def passage_line(value: str) -> str | None:
    """The `why` line a picked menu value asks; None for a value no answer offers."""
    return f"why {value}" if _PASSAGE_VALUE.fullmatch(value) else None


# What makes a value need quotes: any whitespace (`\s` is `str.isspace`'s set), a quote or a backslash.
_NEEDS_QUOTES = re.compile(r"[\s\"'\\]")


def quote_word(text: str) -> str:
    """Quote a value when it holds spaces or quotes, so the line parses back to the same value."""
    if text and _NEEDS_QUOTES.search(text) is None:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quote_option(key: str, value: str) -> str:
    """`key:value`, quoted when needed."""
    return f"{key}:{quote_word(value)}"
