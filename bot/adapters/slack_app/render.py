"""A core Reply as a Block Kit message that always fits Slack's limits, with a plain-text fallback.

Limits (https://api.slack.com/reference/block-kit): 50 blocks per message, 3,000 characters per
section text, 10 fields of 2,000 characters each, 150 characters per header, 2,000 per button value.
The renderer paginates nothing itself (the core pages long lists): a text over a section's limit goes on
in the next section, and only a body over the block limit is cut, whole entries first (`fit`), so data of any
length still produces a message Slack accepts, and its fields and sources are always in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from msgspec.structs import replace

from bot.adapters.slack_app.mrkdwn import ELLIPSIS, SOFT_HYPHEN, clip, date_token, entities, escape, link, plain, whole
from bot.adapters.slack_app.passages import Option, item_option, passage_menu
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.formatting import page_position
from bot.core.registry import readers_text
from bot.core.replies import ITEMS_KEPT, RENDERINGS_KEPT, Field, Item, Marked, Ref, Reply, SourceRef, from_parts
from bot.core.text import prose_break

Block = dict[str, Any]
MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELDS = 10
MAX_FIELD = 2000
MAX_HEADER = 150
MAX_BUTTON_VALUE = 2000
MAX_BUTTON_TEXT = 75
MAX_MODAL_TITLE = 24  # a modal's title, submit and close
MAX_LABEL = 2000  # an input's label and hint
MAX_FALLBACK = 3000
PAGE_ACTION = "briefbot_page"
PREVIOUS_ACTION, NEXT_ACTION = f"{PAGE_ACTION}_previous", f"{PAGE_ACTION}_next"
POST_ACTION = "briefbot_post"
APP_NAME = "briefbot"
# A channel message's buttons name who posted it in their block's id (Slack hands it back with each click), so only
# they turn its page for everyone. A Slack user id is capitals and digits; any other id names nobody.
POSTED_BY = "briefbot_by_"
_USER_ID = re.compile(r"[A-Z0-9]{1,64}")


def render_reply(
    reply: Reply,
    *,
    line: str | None = None,
    ephemeral: bool = True,
    interactive: bool = True,
    locale: str = "en",
    poster: str | None = None,
    postable: bool = True,
) -> dict[str, Any]:
    """`text` and `blocks` for chat.postMessage or a response_url; `line` re-fetches this answer, `poster` posted it to the channel.

    `postable` False: running `line` again would change something again (`BriefingCore.repeatable`), so no Post to channel.
    """
    if not ephemeral:
        reply = unpinged(reply)
    cat = catalogue_for(locale)
    text, body, menu = _rendered(reply, cat)
    tail = _tail_blocks(reply, cat, line, ephemeral, menu, poster, postable) if interactive else _page_context(reply, cat)
    room = MAX_BLOCKS - len(tail)
    return {"text": text, "blocks": [*(body if len(body) <= room else fit(list(body), room, _entries(reply), cat)), *tail]}


class Entries(NamedTuple):
    """Where a body's entries lie, which `fit` may leave out (its first entry's block, each entry's count of blocks), and
    how many blocks close it (its sources and footer), which it keeps whatever else goes."""

    first: int = 0
    sizes: tuple[int, ...] = ()
    closing: int = 0


NO_ENTRIES = Entries()  # a body whose parts are not known (the Home tab's): cut at its end, as it comes


# The core hands back the very same reply for a page asked again (its remembered answers), and one reply may answer
# several lines: its body is a pure function of the reply and the language, kept so that it is looked up once, by
# one hash of the reply. The buttons under it name the line, so each message writes its own (a few dicts) rather
# than look the reply up a second time with its line. Nothing changes a block once built (slack_sdk serialises
# them), and each message gets its own list.
@lru_cache(maxsize=RENDERINGS_KEPT)
def _rendered(reply: Reply, cat: Catalogue) -> tuple[str, tuple[Block, ...], Block | None]:
    """The fallback text, the body's blocks and the passage menu (its items looked up once for both)."""
    item_sections, options = zip(*(_item_entry(item, reply.briefing) for item in reply.items), strict=True) if reply.items else ((), ())
    return fallback_text(reply), tuple(_body_blocks(reply, cat, item_sections)), passage_menu(options, cat) if options else None


def _entries(reply: Reply) -> Entries:
    """Where the entries lie in the reply's body, for `fit`: worked out only for a body over a message's blocks, which
    nearly no answer is, and not with every rendering (its parts are looked up again: their renderings are kept)."""
    if reply.kind == "error":  # an error is one section: nothing to leave out
        return NO_ENTRIES
    first = 1 + (len(_text_sections(reply.text)) if reply.text else 0)  # after the header and the text
    sizes = tuple(len(_item_entry(item, reply.briefing)[0]) for item in reply.items)
    return Entries(first, sizes, bool(reply.sources) + bool(reply.footer.strip()))


def fallback_text(reply: Reply) -> str:
    """The notification and screen-reader text: title and the start of the body."""
    first: str | Field = reply.text or (reply.fields[0] if reply.fields else "") or (reply.items[0].title if reply.items else "")
    return _fallback(reply.title, first)


# A brief's title and summary, a meeting's title and first field, in every new minute's answer: escaped once, the field
# written out only then. Escaped before it is stripped, so that a mention in a title (`Marked`) is written as one.
@lru_cache(maxsize=RENDERINGS_KEPT)
def _fallback(title: str, first: str | Field) -> str:
    head = entities(title).strip() or APP_NAME
    start = entities(f"{first.name}: {first.value}" if isinstance(first, Field) else first)
    return clip(f"{head}\n{start}" if start else head, MAX_FALLBACK)


def unpinged(reply: Reply) -> Reply:
    """The reply with each user it names written as their id: a mention in a message posted to a channel notifies the
    user it names (Discord's sends forbid that with `allowed_mentions`; Slack has no such switch). A channel's mention
    notifies nobody, and in an answer only its reader sees, neither does a user's."""
    if not any(isinstance(text, Marked) for text in _texts(reply)):  # nearly every answer: nothing named
        return reply
    return replace(
        reply, title=_unnamed(reply.title), text=_unnamed(reply.text), footer=_unnamed(reply.footer),
        items=tuple(replace(item, title=_unnamed(item.title), meta=_unnamed(item.meta), text=_unnamed(item.text)) for item in reply.items),
        fields=tuple(replace(field, name=_unnamed(field.name), value=_unnamed(field.value)) for field in reply.fields),
    )


def _texts(reply: Reply) -> Iterable[str]:
    yield from (reply.title, reply.text, reply.footer)
    for item in reply.items:
        yield from (item.title, item.meta, item.text)
    for field in reply.fields:
        yield from (field.name, field.value)


def _unnamed(text: str) -> str:
    """`text` with its users' ids as words: shown as the ids, as on a platform the user is not on."""
    if not isinstance(text, Marked):
        return text
    return from_parts(part.id if isinstance(part, Ref) and not part.channel else part for part in text.parts)


def body_blocks(reply: Reply, cat: Catalogue) -> list[Block]:
    """Header, text, items, fields, sources and footer — everything but the buttons."""
    return _body_blocks(reply, cat, [_item_entry(item, reply.briefing)[0] for item in reply.items])


def _body_blocks(reply: Reply, cat: Catalogue, item_sections: Sequence[tuple[Block, ...]]) -> list[Block]:
    """`body_blocks` with the items' sections given: `_rendered` finds them with their menu options."""
    if reply.kind == "error":
        return [section(f"*{escape(reply.title).strip()}*\n{escape(reply.text)}")]
    # A header is plain_text, which shows a mention as its code: a title naming a channel (a pause notice's) is bold text.
    blocks: list[Block] = [section(f"*{escape(reply.title).strip()}*") if isinstance(reply.title, Marked) else header(reply.title)]
    if reply.text:  # a list's page has neither text nor fields
        blocks += _text_sections(reply.text)
    # The items right after the text, as Discord's description holds them: a text ending "3 changes:" (a digest's) or
    # "The source passages behind this entry:" (`why`'s) is read on into what it announces, not into the fields.
    for item in item_sections:
        blocks += item
    if reply.fields:
        blocks += _field_blocks(reply.fields)
    if reply.sources:
        blocks.append(_sources_section(reply.sources, cat))
    if reply.footer.strip():
        blocks.append(_footer(reply.footer))
    return blocks


def fit(blocks: list[Block], room: int, entries: Entries = NO_ENTRIES, cat: Catalogue | None = None) -> list[Block]:
    """At most `room` blocks of a body. Whole entries go, the last first, and a note where they stood counts them in entries
    (`cat`'s words), not blocks, and names where the answer is whole; its text, fields ("Last changed"), sources and footer
    stay: news names its source. Only a body whose other parts alone are over (never a pack's) loses the blocks just before
    its closing ones (`entries.closing`), which stay."""
    if len(blocks) <= room:
        return blocks
    first, sizes, closing = entries
    end, shown, size = first + sum(sizes), len(sizes), len(blocks) + 1  # the note takes a block
    while shown and size > room:
        shown -= 1
        size -= sizes[shown]
    if size <= room:
        note = readers_text(cat or catalogue_for("en"), "slack.more_entries", n=len(sizes) - shown)
        return [*blocks[: first + sum(sizes[:shown])], context(escape(note)), *blocks[end:]]
    rest = [*blocks[:first], *blocks[end:]]
    return [*rest[: room - 1 - closing], context(ELLIPSIS), *rest[len(rest) - closing :]]


@lru_cache(maxsize=RENDERINGS_KEPT)  # a family's title over each of its answers: written once
def header(text: str) -> Block:
    """A one-line header; plain_text is never parsed for mentions or links, so data needs no escaping here."""
    one_line = " ".join(text.split()) or APP_NAME
    return {"type": "header", "text": plain(one_line, MAX_HEADER)}


def section(text: str) -> Block:
    """A mrkdwn section; Slack rejects empty text, so an empty one shows a dash."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text.strip() or "–", MAX_SECTION)}}


def context(text: str) -> Block:
    """Small grey text under an answer."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text.strip() or "–", MAX_SECTION)}]}


def button(label: str, action_id: str, value: str) -> Block:
    """A button carrying a command line as its value."""
    return _button(_label(label), action_id, value)


def _button(text: dict[str, str], action_id: str, value: str) -> Block:
    """A button whose text block is written already (`_label`, `_answer_labels`)."""
    return {"type": "button", "text": text, "action_id": action_id, "value": value}


def _label(label: str) -> dict[str, str]:
    """A button's text, clipped to the 75 characters Slack takes."""
    return plain(label, MAX_BUTTON_TEXT)


@lru_cache(maxsize=8)  # under answer after answer: each language's written once
def _answer_labels(cat: Catalogue) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The Previous, Next and Post to channel buttons' texts in this language."""
    return _label(cat("page.previous")), _label(cat("page.next_button")), _label(cat("reply.post_to_channel"))


def chunks(text: str, limit: int) -> list[str]:
    """`text` split into pieces of at most `limit` characters, each cut at the best break in its second half (between
    paragraphs, sentences, words: `prose_break`), so a screen reader's next element goes on where the last one stopped."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        # Never a title's own line break in the first half, which would stand alone; a date token or a link holds spaces
        # and full stops: never one split in two.
        cut = whole(rest, prose_break(rest[:limit]))
        if cut <= 0:
            cut = whole(rest, limit) or limit  # nor an entity
        pieces.append(rest[:cut])
        rest = rest[cut:].strip()
        if rest.startswith("&gt;"):  # a piece cut mid-line must not open a quote either
            rest = SOFT_HYPHEN + rest
    return [*pieces, rest] if rest else pieces


def within(head: str, lines: Iterable[str], limit: int) -> str:
    """`head` and as many whole lines as fit in `limit`, so a link is never cut in half."""
    out = head
    for line in lines:
        if len(out) + 1 + len(line) > limit - 2:
            return out + "\n" + ELLIPSIS
        out += "\n" + line
    return out


def field_text(field: Field) -> str:
    """`*Name*` over the value; an instant also appears in the reader's own clock."""
    value = escape(field.value)
    if field.moment is not None:
        value = f"{date_token(field.moment)}\n{value}"
    name = escape(field.name.strip())
    return f"*{name}*\n{value}" if name else value


# A brief's or a meeting's fields but its status are the same from one minute's answer to the next (the
# core writes them once per version), as list items are from one list to the next: each written once, an inline
# one as its place in a section's fields (Slack rejects an empty one, so it shows a dash).
@lru_cache(maxsize=ITEMS_KEPT)
def _inline_field(field: Field) -> Block:
    text = clip(field_text(field), MAX_FIELD)
    return {"type": "mrkdwn", "text": clip(text.strip() or "–", MAX_FIELD)}


@lru_cache(maxsize=ITEMS_KEPT)
def _wide_field(field: Field) -> tuple[Block, ...]:
    return sections(field_text(field))


def _field_blocks(fields: Sequence[Field]) -> list[Block]:
    """Runs of inline fields share a section (≤ 10 each); a wide field gets its own."""
    blocks: list[Block] = []
    run: list[Block] = []
    for field in fields:
        if field.inline:
            run.append(_inline_field(field))
            if len(run) == MAX_FIELDS:
                blocks.append({"type": "section", "fields": run})
                run = []
            continue
        if run:
            blocks.append({"type": "section", "fields": run})
            run = []
        blocks += _wide_field(field)
    if run:
        blocks.append({"type": "section", "fields": run})
    return blocks


# A brief's summary, sources and footer are in every new minute's answer, a faq's answer in each of its pages: as
# with list items, each is written once (blocks are shared, as a reply's messages share its body's).
@lru_cache(maxsize=RENDERINGS_KEPT)
def _text_sections(text: str) -> tuple[Block, ...]:
    return sections(escape(text))


def sections(text: str) -> tuple[Block, ...]:
    """Consecutive sections holding all of `text`, cut between paragraphs, sentences or words: a 4,000-character answer is read whole."""
    return tuple(section(chunk) for chunk in chunks(text, MAX_SECTION) or [""])


@lru_cache(maxsize=RENDERINGS_KEPT)
def _footer(text: str) -> Block:
    return context(escape(text))


@lru_cache(maxsize=RENDERINGS_KEPT)
def _sources_section(sources: tuple[SourceRef, ...], cat: Catalogue) -> Block:
    lines = [f"• {link(s.url, s.label)}" for s in sources]
    return section(within(f"*{escape(cat('reply.sources'))}*", lines, MAX_SECTION))


# An item's section and its menu option (naming the briefing that answered), looked up together: each lookup hashes
# and compares the whole item.
@lru_cache(maxsize=ITEMS_KEPT)
def _item_entry(item: Item, briefing: str) -> tuple[tuple[Block, ...], Option | None]:
    parts = [f"*{escape(item.title).strip()}*" if item.title.strip() else "", escape(item.meta), escape(item.text)]
    return sections("\n".join(part for part in parts if part)), item_option(item, briefing)


def _page_context(reply: Reply, cat: Catalogue) -> list[Block]:
    page = reply.page
    if page is None or page.count <= 1:
        return []
    return [_position(page.number, page.count, cat)]


@lru_cache(maxsize=ITEMS_KEPT)  # "Page 1 of 2" under list after list: its block written once per page, count and language
def _position(number: int, count: int, cat: Catalogue) -> Block:
    return context(escape(page_position(number, count, cat)))


def posted_by(block_id: object) -> str | None:
    """The user a channel message's buttons name as its poster; None for any other block id (an old message, a forged one)."""
    if not isinstance(block_id, str) or not block_id.startswith(POSTED_BY):
        return None
    user_id = block_id.removeprefix(POSTED_BY)
    return user_id if _USER_ID.fullmatch(user_id) else None


def _tail_blocks(
    reply: Reply, cat: Catalogue, line: str | None, ephemeral: bool, menu: Block | None, poster: str | None, postable: bool
) -> list[Block]:
    """Page position, then Previous/Next, (on a private answer that changed nothing) Post to channel and the "Source passage" menu."""
    if reply.kind == "error":
        return []
    elements: list[Block] = []  # a button whose line is over Slack's limit for its value is left out
    previous_label, next_label, post_label = _answer_labels(cat)
    page, current = reply.page, line
    if page is not None:
        previous, current, following = page.lines_for(page.number - 1, page.number, page.number + 1)
        if page.number > 1 and len(previous) <= MAX_BUTTON_VALUE:
            elements.append(_button(previous_label, PREVIOUS_ACTION, previous))
        if page.number < page.count and len(following) <= MAX_BUTTON_VALUE:
            elements.append(_button(next_label, NEXT_ACTION, following))
    if ephemeral and postable and current and len(current) <= MAX_BUTTON_VALUE:
        elements.append(_button(post_label, POST_ACTION, current))
    if menu is not None:
        elements.append(menu)
    tail = [_position(page.number, page.count, cat)] if page is not None and page.count > 1 else []
    if elements:
        actions: Block = {"type": "actions", "elements": elements}
        if not ephemeral and poster is not None and _USER_ID.fullmatch(poster):
            actions["block_id"] = POSTED_BY + poster
        tail.append(actions)
    return tail
