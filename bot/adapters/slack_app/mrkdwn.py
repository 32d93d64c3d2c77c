"""Slack text primitives: escaping data for mrkdwn, clipping mrkdwn and plain_text to limits, links and viewer-local date tokens."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from bot.core.links import label_fits
from bot.core.replies import Code, Marked, Part

ELLIPSIS = "…"
# Characters that would end or split a `<url|label>` link early; percent-encoding keeps the URL valid.
_URL_ESCAPES = str.maketrans({"|": "%7C", "<": "%3C", ">": "%3E", " ": "%20"})

# mrkdwn has no escape for its marks (`*bold*`, `_italic_`, `~strike~`, `` `code` ``, `:emoji:`), but a date token whose
# format Slack cannot read shows its fallback as plain text (jsx-slack's `<Escape>` does the same): each run of marks goes
# into one, so a reader sees, copies and finds the very characters, where zero-width characters or look-alikes would
# change what is copied. A bare link is left whole, so it stays a link. Runs are capped so no token nears a limit.
_MARKS = re.compile(r"(https?://\S+)|[*_~`]{1,64}|:(?=[a-z0-9_+'-]+:)")
# `>` opens a quote at a line's start, escaped or not, and cannot stand in a token's fallback; an invisible soft
# hyphen before it keeps it a character.
_QUOTE = re.compile(r"^(?=&gt;)", re.MULTILINE)
SOFT_HYPHEN = "\u00ad"
# What Slack's ids look like: a user's (or an Enterprise Grid user's) and a channel's (public, private, a DM's).
USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,}")


def entities(text: str) -> str:
    """Data safe inside Slack's own markup (a link's label, the notification text): `<!channel>` or `<@U1>` never pings or links.
    The core's own marks (`Marked`) are written as mentions, a command as it is."""
    if isinstance(text, Marked):
        return _written(text, entities, code=False)
    # `&` first, so the entities made next are not escaped again; three replaces beat one mapping
    # `translate` several times over, and escaping was most of a Slack answer's rendering time.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescaped(text: str) -> str:
    """Text as the user typed it from text Slack sends an app (a slash command's), which escapes exactly `&`, `<`, `>`."""
    # `&amp;` last, so "&amp;lt;" (a typed "&lt;") comes back as "&lt;", not "<".
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    """Data as literal mrkdwn text: it pings, links and formats nothing, and shows as typed. The core's own marks (`Marked`)
    are written as Slack's: a user or channel of Slack's as its mention, a command as code."""
    if isinstance(text, Marked):
        return _written(text, escape, code=True)
    return _QUOTE.sub(SOFT_HYPHEN, _MARKS.sub(_literal_marks, entities(text)))


def _written(text: Marked, words: Callable[[str], str], code: bool) -> str:
    """`text`'s words escaped by `words` and its marks written as Slack shows them."""
    return "".join(_mark(part, words, code) for part in text.parts)


def _mark(part: Part, words: Callable[[str], str], code: bool) -> str:
    """A word escaped; a Slack user's or channel's id as its mention, which Slack shows as the name (another platform's id,
    or one not shaped like Slack's, as the id); a command as code, in backticks where it can be (`code`)."""
    if isinstance(part, str):
        return words(part)
    if isinstance(part, Code):
        return f"`{entities(part.text)}`" if code and "`" not in part.text else words(part.text)
    if part.platform == "slack" and (CHANNEL_ID if part.channel else USER_ID).fullmatch(part.id):
        return f"<#{part.id}>" if part.channel else f"<@{part.id}>"
    return words(part.id)


def _literal_marks(match: re.Match[str]) -> str:
    return match[0] if match[1] else f"<!date^0^{{_}}|{match[0]}>"


def whole(text: str, cut: int) -> int:
    """`cut`, moved back to before the `&…;` entity or `<…>` token (a link, a date) it would split."""
    for opener, closer in (("&", ";"), ("<", ">")):
        start = text.rfind(opener, 0, cut)
        if start != -1 and closer not in text[start:cut]:
            cut = start
    return cut


def clip(text: str, limit: int) -> str:
    """mrkdwn `text` cut to at most `limit` characters, marking the cut, and never inside an entity or token."""
    if len(text) <= limit:
        return text
    return text[: whole(text, limit - len(ELLIPSIS))] + ELLIPSIS


def clip_plain(text: str, limit: int) -> str:
    """Raw text (plain_text, a form's error) cut to at most `limit` characters, marking the cut: Slack shows it as typed, so
    its `&` and `<` are characters, and `clip`'s step back to one would cut a long title short at its first "Q&A".

    Cut after the last whole word when one ends in the last fifth ("…Donald Tr…" reads, and is spoken, as a typo);
    else where the limit falls (one long word)."""
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    head = text[:room]
    space = head.rfind(" ")
    if not text[room].isspace() and space >= room * 4 // 5:  # unless the limit fell at a word's end
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def plain(text: str, limit: int) -> dict[str, str]:
    """A plain_text object of `text` within Slack's `limit` for where it goes (a header's 150, a modal title's 24)."""
    return {"type": "plain_text", "text": clip_plain(text, limit)}


def link(url: str | None, label: str) -> str:
    """A labelled link for http(s) URLs; anything else is shown as plain escaped text.

    A label that names a host other than the link's own (`paypal.com` over `https://evil.example`)
    is replaced by the URL itself, so what a reader sees is where the link goes.
    """
    if not url or not url.lower().startswith(("https://", "http://")):
        return escape(label)
    target = entities(url.translate(_URL_ESCAPES))
    shown = label if label_fits(label, url) else url
    return f"<{target}|{entities(shown)}>"


def date_token(moment: datetime) -> str:
    """Slack's `<!date>` token: each reader sees the instant in their own clock, UTC as fallback."""
    instant = moment.astimezone(UTC)
    # strftime's "%Y-%m-%d %H:%M" spelled out: it goes through the C library's locale-aware strftime, many times
    # the work of this f-string, in every new brief and meeting (the year unpadded, as glibc's %Y).
    fallback = f"{instant.year}-{instant.month:02d}-{instant.day:02d} {instant.hour:02d}:{instant.minute:02d} UTC"
    return f"<!date^{int(instant.timestamp())}^{{date_long_pretty}} {{time}}|{fallback}>"
