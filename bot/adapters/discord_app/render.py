"""Reply → one Discord embed that always fits Discord's limits, so no answer is ever rejected with a 400.

Sizes are counted in UTF-16 code units, which is never less than Python's `len`: whichever way Discord
counts "characters", a fitted embed passes. Every text that comes from the core goes through `literal`
where Discord reads markdown (title, description, field names and values); the footer is shown as plain
text by Discord, so it is left as it is (an escape there would show its backslash).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, cast

import discord
from discord.types.embed import Embed as EmbedData
from discord.types.embed import EmbedField

from bot.adapters.discord_app.markdown import literal
from bot.adapters.discord_app.passages import Option, item_option, passage_menu
from bot.adapters.discord_app.views import Built, Row, paging
from bot.core.catalogue import Catalogue
from bot.core.formatting import page_position
from bot.core.replies import ITEMS_KEPT, RENDERINGS_KEPT, Field, Item, Reply, SourceRef
from bot.core.text import shortened

TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE, FOOTER, TOTAL, CONTENT = 256, 4096, 25, 256, 1024, 2048, 6000, 2000
ANSWER_COLOUR, ERROR_COLOUR = discord.Colour.blurple(), discord.Colour.red()
ELLIPSIS = "…"
BLANK = "\u200b"  # Discord rejects empty or blank field names and values; a zero-width space is neither


def size(text: str) -> int:
    """Length in UTF-16 code units: what Discord may count, and never less than `len`."""
    if text.isascii():  # a constant-time check
        return len(text)
    # Encoding is one pass in C (1 µs for 3,000 characters, where a regex finding the characters beyond the BMP took
    # 22); "surrogatepass" counts a lone surrogate a pack may hold as the one unit it is, instead of failing.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` UTF-16 units, marked with an ellipsis when cut; never splits a surrogate pair."""
    if 2 * len(text) <= limit or size(text) <= limit:  # a character is at most two units: most texts fit uncounted
        return text
    head = text.encode("utf-16-le")[: 2 * (limit - 1)].decode("utf-16-le", errors="ignore")
    return head.rstrip() + ELLIPSIS


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` UTF-16 units, cut after a whole word (as `shortened` cuts) when too long."""
    clipped = clip(text, limit)
    if clipped == text:
        return text
    # `clip` found how many characters fit; `shortened` moves the cut back to a word's end.
    room = len(clipped)
    fitted = shortened(text, room)
    while size(fitted) > limit and room > 1:  # characters Discord counts as two (an emoji, in UTF-16): cut sooner
        room = max(1, room - (size(fitted) - limit))
        fitted = shortened(text, room)
    return fitted if size(fitted) <= limit else clipped  # a single character wider than the limit: only the ellipsis


def render(reply: Reply, cat: Catalogue) -> tuple[discord.Embed, discord.ui.View | None]:
    """Embed plus page buttons and passage menu; when the page state cannot fit a button, the footer names the
    next page."""
    embed, rows = _rendered(reply, cat)
    return embed, Built(rows) if rows else None


# The core hands back the very same reply for a page asked again, so a reply's embed and components are written
# once per language, and looked up by one hash of the reply: nothing changes them once written (discord.py reads
# them with `to_dict` and `to_components` to send them), so every message showing that reply shares them.
@lru_cache(maxsize=RENDERINGS_KEPT)
def _rendered(reply: Reply, cat: Catalogue) -> tuple[Finished, tuple[Row, ...]]:
    """The embed, and the rows of buttons and passage menu under it (none for a reply with neither).

    A row is what discord.py's `View.to_components` makes of a view holding these items: the buttons fill the
    first row, and the menu, five buttons wide, takes a row of its own below them.
    """
    rows: tuple[Row, ...] = ()
    page_lines = ""
    if reply.page is not None:
        buttons, page_lines = paging(reply.page, cat)
        if buttons:
            rows = (buttons,)
    if not reply.items:
        return _embed(reply, cat, (), page_lines), rows
    texts, options = zip(*(_item_entry(item, reply.briefing) for item in reply.items), strict=True)
    menu = passage_menu(options, cat)
    return _embed(reply, cat, texts, page_lines), (*rows, (menu,)) if menu else rows


@lru_cache(maxsize=RENDERINGS_KEPT)  # a digest posted to many channels: one embed for all of them
def render_embed(reply: Reply, cat: Catalogue) -> discord.Embed:
    """The reply as an embed: text and items in the description, fields as fields, sources and page below."""
    page = reply.page
    position = page_position(page.number, page.count, cat) if page is not None and page.count > 1 else ""
    return _embed(reply, cat, [_item_entry(item, reply.briefing)[0] for item in reply.items], position)


def _embed(reply: Reply, cat: Catalogue, item_texts: Sequence[str], page_lines: str) -> Finished:
    """The reply's texts escaped (its items' given) and fitted to Discord's limits: each within its own limit (the
    fields come within theirs, `_field`), then all of them within the 6,000 total."""
    title, text, footer = _frame(reply.title, reply.text, reply.footer, reply.sources, page_lines, cat)
    # An item's text is never empty; a reply's own text goes above its items'.
    pieces = (text, *item_texts) if text else tuple(item_texts)
    fields, fields_size = _fields(reply.fields) if reply.fields else ((), 0)
    room = DESCRIPTION
    # As nearly every answer: no piece to trim, known without counting (a character is at most two units).
    if 2 * (len(title) + sum(map(len, pieces)) + 2 * len(pieces) + len(footer) + fields_size) > TOTAL:
        cap = _total_cap(title, min(size("\n\n".join(pieces)), DESCRIPTION), footer, fields)
        if cap is not None:
            room, title, fields = min(cap, DESCRIPTION), clip(title, cap), _clipped_fields(fields, cap)
            if size(footer) > cap:  # written again within the cap, so that its page lines stay whole
                footer = _footer(reply.footer, reply.sources, page_lines, cat, cap)
    return Finished(title, _description(pieces, room), footer, fields, ERROR_COLOUR if reply.kind == "error" else ANSWER_COLOUR)


def _description(pieces: Sequence[str], room: int) -> str:
    """The reply's text over its items' within `room`. Too long together, they share it: each long piece is shortened
    after a whole word, so that every item of the page shows rather than the last ones being cut off."""
    joined = "\n\n".join(pieces)
    if 2 * len(joined) <= room or size(joined) <= room:
        return joined
    cap = _water_level([size(piece) for piece in pieces], room - 2 * (len(pieces) - 1))
    # Clipped again only for an embed of so many fields that the room is less than an ellipsis per item.
    return clip("\n\n".join(shorten(piece, cap) for piece in pieces), room)


def _total_cap(title: str, described: int, footer: str, fields: tuple[EmbedField, ...]) -> int | None:
    """The size each text may keep so that all fit the 6,000 total, the longest shrinking first; None when they fit
    already (each is within its own limit, the description `described` units long)."""
    sizes = [size(title), described, size(footer), *(size(t) for f in fields for t in (f["name"], f["value"]))]
    return _water_level(sizes, TOTAL) if sum(sizes) > TOTAL else None


def _clipped_fields(fields: tuple[EmbedField, ...], cap: int) -> tuple[EmbedField, ...]:
    """Each field's name and value cut to `cap`; clipping never empties a non-blank text, so names stay valid."""
    return tuple(_embed_field(clip(f["name"], cap), clip(f["value"], cap), f.get("inline", False)) for f in fields)


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
        self.title = title
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


def refusal(cat: Catalogue, key: str, **params: Any) -> Reply:
    """A problem the adapter itself finds (a file too large, a form it cannot read), shown like the core's."""
    return Reply(title=cat("error.user_title"), text=cat(key, **params), kind="error")


def notice(text: str) -> str:
    """A plain message body (the fixed "something went wrong" line) within the content limit."""
    return clip(text, CONTENT)


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


def _fields(fields: Sequence[Field]) -> tuple[tuple[EmbedField, ...], int]:
    """At most 25 fields, each within its own limits, and the characters of their names and values together; a moment
    adds Discord timestamps that show in each viewer's clock."""
    if len(fields) <= FIELDS:
        shown, sizes = zip(*map(_field, fields), strict=True)
        return shown, sum(sizes)
    shown, sizes = zip(*map(_field, fields[: FIELDS - 1]), strict=True)
    more = _embed_field(ELLIPSIS, f"+{len(fields) - FIELDS + 1}", False)
    return (*shown, more), sum(sizes) + len(more["name"]) + len(more["value"])


# A brief's or a meeting's fields but its status are the same from one minute's answer to the next (the
# core writes them once per version), as list items are from one list to the next: each escaped and written once,
# with its characters counted for the embed's total, so no embed reads its fields' dicts again to add them up.
# Nothing changes a field's dict once written (discord.py serialises it), so embeds share it.
@lru_cache(maxsize=ITEMS_KEPT)
def _field(field: Field) -> tuple[EmbedField, int]:
    value = literal(field.value)
    if field.moment is not None:  # added after escaping: these are the only live markup in a field
        unix = int(field.moment.timestamp())
        value = f"<t:{unix}:F> · <t:{unix}:R>\n{value}"
    name, value = _solid(clip(literal(field.name), FIELD_NAME)), _solid(clip(value, FIELD_VALUE))
    return _embed_field(name, value, field.inline), len(name) + len(value)


def _embed_field(name: str, value: str, inline: bool) -> EmbedField:
    """A field as discord.py's `to_dict` writes it, key for key and in its order."""
    return {"inline": inline, "name": name, "value": value}


# A brief's title, summary, footer and sources are in every new minute's embed, a list's title and position in each
# answer showing that page of it: escaped, joined and fitted once, and found together by one lookup.
@lru_cache(maxsize=RENDERINGS_KEPT)
def _frame(
    title: str, text: str, footer: str, sources: tuple[SourceRef, ...], page_lines: str, cat: Catalogue
) -> tuple[str, str, str]:
    """The embed's title, its text and its footer (`_footer`), each escaped where Discord reads markdown; the title
    and footer within their limits, the text as the description's start (`_description` fits it with the items')."""
    fitted_title = _solid(clip(literal(title), TITLE))
    return fitted_title, literal(text), _footer(footer, sources, page_lines, cat, FOOTER)


def _footer(own: str, sources: tuple[SourceRef, ...], page_lines: str, cat: Catalogue, limit: int) -> str:
    """The reply's own footer, its sources and where a paged reply stands, within `limit`. The page lines stay whole
    (they are the way to the next page when no button can carry it); the sources give way first, then the footer."""
    page_lines = clip(page_lines, limit)
    room = limit - (size(page_lines) + 1 if page_lines else 0)  # each line but the last ends in a newline
    own = clip(own, room) if own and room > 0 else ""
    room -= size(own) + 1 if own else 0
    cited = _cited(sources, room, cat) if sources and room > 0 else ""
    return "\n".join(filter(None, (own, cited, page_lines)))


def _cited(sources: tuple[SourceRef, ...], room: int, cat: Catalogue) -> str:
    """"Sources: A <url>; B <url>" within `room`: the sources that fit whole, then how many more there are (a title or
    link cut in half would read as another)."""
    head = f"{cat('reply.sources')}: "
    labels = [f"{s.label} <{s.url}>" if s.url else s.label for s in sources]
    line = head + "; ".join(labels)
    if size(line) <= room:
        return line
    shown, used = 0, size(head)
    for label in labels[:-1]:
        used += size(label) + 2
        if used + size(cat("reply.more_sources", n=len(labels) - shown - 1)) > room:
            break
        shown += 1
    return clip(head + "; ".join([*labels[:shown], cat("reply.more_sources", n=len(labels) - shown)]), room)


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
