"""Reply → Discord embeds that always fit Discord's limits, so no answer is ever rejected with a 400, and that show
all of it: a text too long for its place goes on in the next (a field in "Outcome (continued)", a description in a
further embed), cut between paragraphs, sentences or words. Only what even a message's 6,000 characters cannot hold
is shortened, after a whole word, and the footer says what was shortened and where it can be read whole.

Sizes are counted in UTF-16 code units, which is never less than Python's `len`: whichever way Discord
counts "characters", a fitted embed passes. Every text that comes from the core goes through `literal`
where Discord reads markdown (title, description, field names and values); the footer is shown as plain
text by Discord, so it is left as it is (an escape there would show its backslash). Sources are masked links in a
field of their own, as a footer shows no link.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple, cast

import discord
from discord.types.embed import Embed as EmbedData
from discord.types.embed import EmbedField

from bot.adapters.discord_app.markdown import line_start, link, literal
from bot.adapters.discord_app.passages import Option, item_option, passage_menu
from bot.adapters.discord_app.views import Built, Row, paging
from bot.core.catalogue import Catalogue
from bot.core.formatting import page_position
from bot.core.registry import readers_text
from bot.core.replies import ITEMS_KEPT, RENDERINGS_KEPT, Field, Item, Marked, Reply, SourceRef
from bot.core.text import PROSE_BREAKS, prose_break, shortened

TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE, FOOTER, TOTAL, CONTENT = 256, 4096, 25, 256, 1024, 2048, 6000, 2000
EMBEDS = 10  # in one message, which all share its 6,000 characters
ANSWER_COLOUR, ERROR_COLOUR = discord.Colour.blurple(), discord.Colour.red()
ELLIPSIS = "…"
Cut = Callable[[str, int], str]  # a text within a number of units: `clip`, `shorten` or `_fewer_sources`'s
BLANK = "\u200b"  # Discord rejects empty or blank field names and values; a zero-width space is neither


def size(text: str) -> int:
    """Length in UTF-16 code units: what Discord may count, and never less than `len`."""
    if text.isascii():  # a constant-time check
        return len(text)
    # Encoding is one pass in C, far quicker than a regex finding the characters beyond the BMP; "surrogatepass"
    # counts a lone surrogate a pack may hold as the one unit it is, instead of failing.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` UTF-16 units, marked with an ellipsis when cut; never splits a surrogate pair. A cut falls
    after the last whole word when one ends in the limit's last fifth ("…Gustavo Petro y Donald…", not "…Donald Tr…":
    half a word reads as a typo, and a screen reader speaks it as one); else, in a very long word, where the limit is."""
    head = _head(text, limit)
    if head == text:
        return text
    if not text[len(head)].isspace():  # the cut falls inside a word
        space = max(head.rfind(" "), head.rfind("\n"))
        if space >= len(head) * 4 // 5:
            head = head[:space]
    # No dangling separator before the ellipsis, as `shortened` cuts ("…regional security…", not "…security —…").
    return head.rstrip().rstrip(",;–—").rstrip() + ELLIPSIS


def _head(text: str, limit: int) -> str:
    """`text` when it fits in `limit` units, else as many of its first characters as leave a unit for the ellipsis."""
    if 2 * len(text) <= limit or size(text) <= limit:  # a character is at most two units: most texts fit uncounted
        return text
    return text.encode("utf-16-le")[: 2 * (limit - 1)].decode("utf-16-le", errors="ignore")


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` UTF-16 units, cut after a whole word (as `shortened` cuts) when too long."""
    head = _head(text, limit)
    if head == text:
        return text
    clipped = head.rstrip() + ELLIPSIS
    # `_head` found how many characters fit; `shortened` moves the cut back to a word's end.
    room = len(clipped)
    fitted = shortened(text, room)
    while size(fitted) > limit and room > 1:  # characters Discord counts as two (an emoji, in UTF-16): cut sooner
        room = max(1, room - (size(fitted) - limit))
        fitted = shortened(text, room)
    return fitted if size(fitted) <= limit else clipped  # a single character wider than the limit: only the ellipsis


def render(reply: Reply, cat: Catalogue, naming: tuple[str, str] = ("", "")) -> tuple[tuple[discord.Embed, ...], discord.ui.View | None]:
    """Embeds plus page buttons and passage menu; when the page state cannot fit a button, the footer names the
    next page. The commands the footer names (that page's, /export for a text shortened) are those of the reader's
    menu (`naming`: Request.command_naming), which may be in another language than a channel's answers."""
    embeds, rows = _rendered(reply, cat, naming)
    return embeds, Built(rows) if rows else None


# The core hands back the very same reply for a page asked again, so a reply's embeds and components are written
# once per language and menu, and looked up by one hash of the reply: nothing changes them once written (discord.py reads
# them with `to_dict` and `to_components` to send them), so every message showing that reply shares them. The menu's
# naming is in the key, as the footer's commands follow it; a reader whose client speaks the answer's language has one.
@lru_cache(maxsize=RENDERINGS_KEPT)
def _rendered(reply: Reply, cat: Catalogue, naming: tuple[str, str]) -> tuple[tuple[Finished, ...], tuple[Row, ...]]:
    """The embeds, and the rows of buttons and passage menu under them (none for a reply with neither).

    A row is what discord.py's `View.to_components` makes of a view holding these items: the buttons fill the
    first row, and the menu, five buttons wide, takes a row of its own below them.
    """
    rows: tuple[Row, ...] = ()
    page_lines = ""
    if reply.page is not None:
        buttons, page_lines = paging(reply.page, cat, naming)
        if buttons:
            rows = (buttons,)
    if not reply.items:
        return _embeds(reply, cat, (), page_lines, naming), rows
    texts, options = zip(*(_item_entry(item, reply.briefing) for item in reply.items), strict=True)
    menu = passage_menu(options, cat)
    return _embeds(reply, cat, texts, page_lines, naming), (*rows, (menu,)) if menu else rows


@lru_cache(maxsize=RENDERINGS_KEPT)  # a digest posted to many channels: one set of embeds for all of them
def render_embeds(reply: Reply, cat: Catalogue) -> tuple[discord.Embed, ...]:
    """The reply as embeds: text and items in the descriptions, fields and sources as fields, the page below."""
    page = reply.page
    position = page_position(page.number, page.count, cat) if page is not None and page.count > 1 else ""
    return _embeds(reply, cat, [_item_entry(item, reply.briefing)[0] for item in reply.items], position, ("", ""))


def _embeds(reply: Reply, cat: Catalogue, item_texts: Sequence[str], page_lines: str, naming: tuple[str, str]) -> tuple[Finished, ...]:
    """The reply's texts escaped (its items' given) and laid out in embeds: in one as they are, as nearly every answer
    (`_one_embed`), else over as many as they need (`_fitted`, whose note names /export as `naming`'s menu does)."""
    escaped = _escaped_texts(reply, item_texts, page_lines)
    one = _one_embed(reply, cat, escaped)
    return (one,) if one is not None else _fitted(reply, cat, escaped, naming)


class Escaped(NamedTuple):
    """A reply's texts as Discord shows them: its text and items' (`pieces`), its fields' names and values, its sources'
    lines and the page lines, with the embed's colour."""

    pieces: list[str]
    has_text: bool
    fields: list[tuple[str, str, bool]]
    cited: str
    page_lines: str
    colour: discord.Colour


def _escaped_texts(reply: Reply, item_texts: Sequence[str], page_lines: str) -> Escaped:
    text = _escaped_text(reply.text)
    if isinstance(reply.title, Marked):  # an embed's title shows a mention as its code: the title leads the text, in bold
        text = "\n".join(filter(None, (f"**{literal(reply.title).strip()}**", text)))
    # An item's text is never empty; a reply's own text goes above its items'.
    pieces = [text, *item_texts] if text else list(item_texts)
    cited = _cited(reply.sources) if reply.sources else ""
    colour = ERROR_COLOUR if reply.kind == "error" else ANSWER_COLOUR
    return Escaped(pieces, bool(text), [_field(field) for field in reply.fields], cited, clip(page_lines, FOOTER), colour)


# An answer's title and text come again in its next askings (another page, another reader): escaped once.
_escaped_text = lru_cache(maxsize=RENDERINGS_KEPT)(literal)


@lru_cache(maxsize=RENDERINGS_KEPT)
def _shown_title(title: str) -> str:
    """A title as an embed shows it: escaped, within its limit, never blank; none for a title naming a user or a channel,
    which leads the text instead (`_escaped_texts`)."""
    return "" if isinstance(title, Marked) else _solid(clip(literal(title), TITLE))


def _fitted(reply: Reply, cat: Catalogue, escaped: Escaped, naming: tuple[str, str]) -> tuple[Finished, ...]:
    """The texts over as many embeds as they need; when even a message's 6,000 characters cannot hold them all, the
    longest are shortened first, after a whole word, and the footer names them."""
    pieces, fields, cited, page_lines, colour = escaped.pieces, escaped.fields, escaped.cited, escaped.page_lines, escaped.colour
    # The texts that may be shortened, each with how to shorten it and what the footer calls it then (None: the cut
    # shows, as an ellipsis in a title or name).
    labels = [reply.title] if escaped.has_text else []
    labels += [item.title for item in reply.items]
    parts: list[tuple[str, Cut, str | None]] = [(_shown_title(reply.title), clip, None)]
    parts += [(piece, shorten, label) for piece, label in zip(pieces, labels, strict=True)]
    parts += [(name, clip, None) for name, _, _ in fields]
    parts += [(value, shorten, field.name) for (_, value, _), field in zip(fields, reply.fields, strict=True)]
    parts += [(cited, _fewer_sources(cat), cat("reply.sources"))] if cited else []
    parts += [(clip(reply.footer, FOOTER), clip, None)] if reply.footer else []
    inline = [wide for _, _, wide in fields]
    texts = [part for part, _, _ in parts]
    embeds, total = _laid_out(texts, len(pieces), inline, bool(cited), page_lines, colour, cat, parts, naming)
    if total <= TOTAL:
        return embeds
    sizes = [size(part) for part in texts]
    cap = max(sizes)
    while total > TOTAL and cap > 1:
        # Shorten so that the texts lose what the layout is over, the longest first; at least by one unit a round.
        cap = min(cap - 1, _water_level(sizes, max(sum(min(s, cap) for s in sizes) - (total - TOTAL), len(sizes))))
        texts = [cut(part, cap) if size(part) > cap else part for part, cut, _ in parts]
        embeds, total = _laid_out(texts, len(pieces), inline, bool(cited), page_lines, colour, cat, parts, naming)
    return embeds


def _one_embed(reply: Reply, cat: Catalogue, escaped: Escaped) -> Finished | None:
    """The embed of an answer that fits one as it is: as `_fitted` lays it out, without its cuts, which nearly every answer
    needs none of; None otherwise."""
    pieces, fields, cited, page_lines = escaped.pieces, escaped.fields, escaped.cited, escaped.page_lines
    description = "\n\n".join(pieces)
    laid = [_embed_field(name, value, wide) for name, value, wide in fields]
    if cited:
        laid.append(_embed_field(cat("reply.sources"), cited, False))
    if len(laid) > FIELDS:
        return None
    title = _shown_title(reply.title)
    footer = _footer(clip(reply.footer, FOOTER) if reply.footer else "", "", page_lines)
    characters = len(title) + len(description) + len(footer) + sum(len(f["name"]) + len(f["value"]) for f in laid)
    # A character is at most two units: nearly every answer is known to fit without counting them.
    uncounted = 2 * len(description) <= DESCRIPTION and 2 * max((len(f["value"]) for f in laid), default=0) <= FIELD_VALUE and 2 * characters <= TOTAL
    if not (uncounted or _counted_fit(title, description, footer, laid, characters)):
        return None
    return Finished(title, description, footer, tuple(laid), escaped.colour)


def _counted_fit(title: str, description: str, footer: str, laid: Sequence[EmbedField], characters: int) -> bool:
    """Whether an embed's texts are within their limits in UTF-16 units, each counted where its characters cannot tell:
    a field of 600 characters (a person's timeline) fits unless it holds characters beyond the BMP, and needs none of
    `_fitted`'s layout, which more than doubled such a card's rendering."""
    if not (2 * len(description) <= DESCRIPTION or size(description) <= DESCRIPTION):
        return False
    if not all(2 * len(f["value"]) <= FIELD_VALUE or size(f["value"]) <= FIELD_VALUE for f in laid):
        return False
    return 2 * characters <= TOTAL or sum(map(size, (title, description, footer, *(text for f in laid for text in (f["name"], f["value"]))))) <= TOTAL


def _laid_out(
    texts: Sequence[str],
    count: int,
    inline: Sequence[bool],
    cited: bool,
    page_lines: str,
    colour: discord.Colour,
    cat: Catalogue,
    parts: Sequence[tuple[str, Cut, str | None]],
    naming: tuple[str, str],
) -> tuple[tuple[Finished, ...], int]:
    """`texts` (in `parts`' order, some perhaps shortened) in embeds, and their size in all (in characters where even two
    units each would fit): the description over
    as many embeds as it needs, then each field over as many fields as it needs, then the sources, then the footer."""
    title, pieces = texts[0], texts[1 : 1 + count]
    fields = len(inline)
    names, values = texts[1 + count : 1 + count + fields], texts[1 + count + fields : 1 + count + 2 * fields]
    rest = texts[1 + count + 2 * fields :]
    shortened = [label for (part, _, label), now in zip(parts, texts, strict=True) if label is not None and now != part]
    own = rest[-1] if len(rest) > int(cited) else ""
    note = clip(readers_text(cat, "discord.shortened", naming, what=", ".join(shortened)), FOOTER // 2) if shortened else ""
    footer = _footer(own, note, page_lines)
    descriptions = _split("\n\n".join(pieces), DESCRIPTION) if pieces else []
    laid: list[EmbedField] = []
    for name, value, wide in zip(names, values, inline, strict=True):
        laid += _continued(name, value, wide, cat, PROSE_BREAKS)
    if cited:
        laid += _continued(cat("reply.sources"), rest[0], False, cat, ("\n",))
    room = (EMBEDS - max(len(descriptions), 1) + 1) * FIELDS
    if len(laid) > room:  # more than ten embeds of fields: never from a pack, whose texts are bounded
        more = _embed_field(ELLIPSIS, f"+{len(laid) - room + 1}", False)
        laid = [*laid[: room - 1], more]
    heads = descriptions or [""]
    # The fields under the last description, 25 an embed; the title on the first embed, the footer on the last.
    groups = [tuple(laid[n : n + FIELDS]) for n in range(0, len(laid), FIELDS)] or [()]
    shapes = [(head, groups[0] if n == len(heads) - 1 else ()) for n, head in enumerate(heads)]
    shapes += [("", group) for group in groups[1:]]
    last = len(shapes) - 1
    embeds = tuple(
        Finished(title if n == 0 else "", head, footer if n == last else "", group, colour) for n, (head, group) in enumerate(shapes)
    )
    shown = [title, *heads, footer, *(text for f in laid for text in (f["name"], f["value"]))]
    characters = sum(map(len, shown))
    # A character is at most two units: most answers are known to fit without counting them.
    return embeds, characters if 2 * characters <= TOTAL else sum(map(size, shown))


def _footer(own: str, note: str, page_lines: str) -> str:
    """The reply's own footer, what was shortened and where a paged reply stands, within the footer's limit. The page
    lines stay whole (they are the way to the next page when no button can carry it), then the note."""
    room = FOOTER - (size(page_lines) + 1 if page_lines else 0)  # each line but the last ends in a newline
    note = clip(note, room) if note and room > 0 else ""
    room -= size(note) + 1 if note else 0
    own = clip(own, room) if own and room > 0 else ""
    return "\n".join(filter(None, (own, note, page_lines)))


def _continued(name: str, value: str, inline: bool, cat: Catalogue, breaks: Sequence[str]) -> list[EmbedField]:
    """A field whose value is over 1,024 units as several: the first under its name, the rest "Name (continued)"."""
    if 2 * len(value) <= FIELD_VALUE or size(value) <= FIELD_VALUE:
        return [_embed_field(name, value, inline)]
    first, *more = _split(value, FIELD_VALUE, breaks)
    again = _solid(clip(cat("discord.continued", name=name), FIELD_NAME))
    # A long value is read in one column, not squeezed beside others.
    return [_embed_field(name, first, False), *(_embed_field(again, chunk, False) for chunk in more)]


def _split(text: str, limit: int, breaks: Sequence[str] = PROSE_BREAKS) -> list[str]:
    """`text` in pieces of at most `limit` units, each cut where Slack's sections are (`prose_break`: the best break in
    its second half, else any break), else between characters (a word longer than the limit), so the reader reads on
    from one to the next."""
    if 2 * len(text) <= limit or size(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text.strip()
    while size(rest) > limit:
        room = _fitting(rest, limit - 1)  # one unit kept for the escape a mark that now begins a line may need
        window = rest[:room]
        cut = _break(window, breaks)
        pieces.append(_solid(rest[:cut].rstrip()))
        rest = line_start(rest[cut:].lstrip())
    return [*pieces, rest] if rest else pieces


def _break(window: str, breaks: Sequence[str]) -> int:
    """Where in `window` to cut: after a sentence's mark, before a break's space; in a word that fills it, at its end."""
    cut = prose_break(window, breaks)
    if cut:
        return cut
    cut = len(window)
    while cut > 1 and (len(window[:cut]) - len(window[:cut].rstrip("\\"))) % 2:  # never between an escape and its mark
        cut -= 1
    return cut


def _fitting(text: str, units: int) -> int:
    """How many of `text`'s first characters fit in `units` UTF-16 units."""
    head = text[:units]
    if size(head) == len(head):  # no character beyond the BMP among them (nearly every text): one unit each, found in C
        return len(head)
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return index
    return len(text)


def _cited(sources: tuple[SourceRef, ...]) -> str:
    """A line per source, a masked link named by its label: a reader taps the title, a screen reader reads it."""
    return "\n".join(map(_source_line, sources))


@lru_cache(maxsize=ITEMS_KEPT)
def _source_line(source: SourceRef) -> str:
    line = f"• {link(source.label, source.url)}"
    if size(line) < SOURCE_LINE:
        return line
    # Only a label or address of hundreds of characters: the label shortened, the link kept if it can be.
    url = source.url if source.url is not None and size(source.url) < SOURCE_LINE // 2 else None
    return f"• {link(shorten(source.label, SOURCE_LINE // 8), url)}"


SOURCE_LINE = FIELD_VALUE // 2  # so that the sources' field breaks between whole lines, never within a link


@lru_cache(maxsize=8)  # a function per language, so that parts compare equal from one answer to the next
def _fewer_sources(cat: Catalogue) -> Cut:
    """The sources' lines that fit in `room`, then how many more there are (a link cut in half would lead nowhere)."""

    def fewer(cited: str, room: int) -> str:
        lines = cited.split("\n")
        kept, used = 0, 0
        for line in lines:
            more = size(cat("reply.more_sources", n=len(lines) - kept - 1)) + 1 if kept < len(lines) - 1 else 0
            if used + size(line) + 1 + more > room:
                break
            kept, used = kept + 1, used + size(line) + 1
        return clip("\n".join([*lines[:kept], cat("reply.more_sources", n=len(lines) - kept)]), room)

    return fewer


class Finished(discord.Embed):
    """An embed finished when built and never changed after, so its dict is written with it: discord.py asks for it
    (`to_dict`) for every message that shows it. Each message gets its own top-level dict; the fields and footer
    within are shared, as discord.py's own `to_dict` shares the embed's."""

    __slots__ = ("_sent",)

    def __init__(
        self, title: str, description: str, footer: str, fields: tuple[EmbedField, ...], colour: discord.Colour
    ) -> None:
        # The slots Embed's own __init__, add_field and set_footer would set, and the dict its `to_dict` would
        # write of them, key for key and in its order (a test holds both equal), without their checks and calls.
        self.title = title or None
        self.type = "rich"
        self.url = None
        self._flags = 0
        self._colour = colour
        self.description = description or None
        sent: dict[str, Any] = {}
        if footer:
            self._footer = sent["footer"] = {"text": footer}
        if fields:
            self._fields = sent["fields"] = list(fields)
        sent["flags"], sent["color"], sent["type"] = 0, colour.value, "rich"
        if description:
            sent["description"] = description
        if title:
            sent["title"] = title
        self._sent = cast(EmbedData, sent)

    def to_dict(self) -> EmbedData:
        return self._sent.copy()


def refusal(cat: Catalogue, key: str, naming: tuple[str, str] = ("", ""), /, **params: Any) -> Reply:
    """A problem the adapter itself finds (a file too large, a form it cannot read), shown like the core's: the commands
    it names as the reader's menu lists them (`naming`: Request.command_naming)."""
    return Reply(title=cat("error.user_title"), text=readers_text(cat, key, naming, **params), kind="error")


def notice(text: str) -> str:
    """A plain message body (the fixed "something went wrong" line) within the content limit."""
    return clip(text, CONTENT)


@lru_cache(maxsize=RENDERINGS_KEPT)  # a digest's title, posted to many channels: written once
def headline(title: str) -> str:
    """A title as a message's content, the one line that a push notification and a screen reader's announcement of the
    message give (of a message of embeds alone, nothing): on one line, escaped as the embed's texts are, within the
    content's limit (escaping at most doubles a text). A title naming a user or a channel (`Marked`) is escaped first, its
    mentions written after, and then put on one line: cut, it would be its plain text."""
    if isinstance(title, Marked) and len(title) <= CONTENT // 4:  # a mention is three characters longer than its id
        return " ".join(literal(title).split())
    return literal(clip(" ".join(title.split()), CONTENT // 2))


def _solid(text: str) -> str:
    return text if text.strip() else BLANK


# The same items in list after list: each one's text and menu option written once, and looked up together (each
# lookup hashes and compares the whole item); the option's value names the briefing that answered.
@lru_cache(maxsize=ITEMS_KEPT)
def _item_entry(item: Item, briefing: str) -> tuple[str, Option | None]:
    lines = [f"**{literal(item.title)}**"]
    if item.meta:
        lines.append(f"*{literal(item.meta)}*")
    if item.text:
        lines.append(literal(item.text))
    return "\n".join(lines), item_option(item, briefing)


# A brief's or a meeting's fields but its status are the same from one minute's answer to the next (the
# core writes them once per version), as list items are from one list to the next: each escaped once.
@lru_cache(maxsize=ITEMS_KEPT)
def _field(field: Field) -> tuple[str, str, bool]:
    """The field's name within its limit and its whole value (`_continued` lays it out), both escaped."""
    value = literal(field.value)
    if field.moment is not None:  # added after escaping: these are the only live markup in a field
        unix = int(field.moment.timestamp())
        value = f"<t:{unix}:F> · <t:{unix}:R>\n{value}"
    return _solid(clip(literal(field.name), FIELD_NAME)), _solid(value), field.inline


def _embed_field(name: str, value: str, inline: bool) -> EmbedField:
    """A field as discord.py's `to_dict` writes it, key for key and in its order."""
    return {"inline": inline, "name": name, "value": value}


def _water_level(sizes: Sequence[int], budget: int) -> int:
    """The largest cap such that every piece cut to it fits the budget: long pieces shrink, short ones stay."""
    if sum(sizes) <= budget:
        return max(sizes, default=budget)
    low, high = 1, max(sizes)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(s, middle) for s in sizes) <= budget:
            low = middle
        else:
            high = middle - 1
    return low
