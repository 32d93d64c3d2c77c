"""Data as literal Discord text: nothing from a pack or an edit becomes a link, a mention, bold or a spoiler.

discord.py's `escape_markdown` escapes one `[` per masked-link run on a line (its pattern is greedy), so a
second `[..](..)` stays live, and it leaves mentions, timestamps and numbered lists alone. Here every
character that can open Discord markdown is escaped. Discord shows a backslash before any ASCII
punctuation as that character alone, so an escape that was not strictly needed never shows.

A bare link stays clickable: Discord reads it as one token, so markdown inside it is already inert. It
is kept as is only where that token is sure to be the one Discord sees, and when even outside a link its
text could open nothing but `_`/`~` styling; any other `://` is escaped, so Discord links nothing there.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from bot.core.links import label_fits
from bot.core.replies import Code, Marked, Part

# Discord's own pattern for a bare link; its end is where Discord's token ends.
URL = re.compile(r"https?://[^\s<]+[^<.,:;\"')\]\s]")
# Characters that open markdown wherever they stand: emphasis, spoilers, code, masked links, mentions, escapes.
MARK = r"[\\*_~|`\[\]<@]"
# A line's start that Discord reads as a quote, heading, subtext or list.
_LINE_MARK = re.compile(r"[>#+\-]|\d+(?=[.)])")
# What a link's target keeps as it is: what a URL may hold but spaces, quotes, brackets and parentheses, which would
# end Discord's masked link early (they are written percent-encoded, which the browser reads the same).
_URL_SAFE = "/:?#@!$&'*+,;=%~-._"
# Where markdown may begin: anywhere (inline marks, links, mentions, escapes), or at a line's start (quotes,
# headings, subtext, lists), or a scheme's `://` (a bare link's start).
MARKUP = re.compile(
    r"(?P<url>" + URL.pattern + r")"
    r"|(?P<block>(?<![^\n\r\u2028\u2029])[^\S\n\r\u2028\u2029]*(?:[>#+\-]|\d+(?=[.)])))"
    r"|(?P<mark>" + MARK + r")"
    r"|(?P<scheme>:(?=//))"
)
# What a kept link must not hold, in case Discord did not read it as one (`_` and `~` only style text).
LIVE_IN_LINK = re.compile(r"[\\*|`\[\]]")
BROKEN_LINK = re.compile(MARK + r"|:(?=//)")
# What follows a link up to the next space: escaping it would add a backslash Discord reads as part of the link.
RUN = re.compile(r"[^\s<]*")
# A Discord id (a snowflake): what a mention may hold.
SNOWFLAKE = re.compile(r"[0-9]{1,20}")


# What MARKUP's inline alternatives need one of (a mark, a scheme's `://`), and the line breaks after which a
# block may start: a text with none of them can open markdown only at its first non-space character. The marks
# and breaks are one character class, which the regex engine scans for in one pass (an alternation is tried at
# every position), the scheme a substring test.
_ANYWHERE = re.compile(MARK.removesuffix("]") + r"\n\r\u2028\u2029]")  # MARK's class, the breaks added
_BLOCK_START = frozenset(">#+-")


def literal(text: str) -> str:
    """`text` as Discord markdown that shows exactly `text`, with bare links still clickable. The core's own marks
    (`Marked`) are written as Discord's: a user or channel of Discord's as its mention, a command as code."""
    if isinstance(text, Marked):
        return "".join(map(_mark, text.parts))
    # Most titles and sentences hold nothing to escape: seen by one scan for a character class rather than
    # MARKUP's four alternatives tried at every position, in every title of a menu that lists dozens.
    if _ANYWHERE.search(text) is None and "://" not in text:
        first = text.lstrip()[:1]
        if not first or (first not in _BLOCK_START and not first.isdigit()):
            return text
    return MARKUP.sub(_escaped, text)


def _mark(part: Part) -> str:
    """A word made literal; a Discord user's or channel's id as its mention, which Discord shows as the name and which
    notifies nobody (every send forbids it; in an embed none would) — another platform's id as the id; a command as code."""
    if isinstance(part, str):
        return literal(part)
    if isinstance(part, Code):
        return f"`{part.text}`" if "`" not in part.text else literal(part.text)
    if part.platform == "discord" and SNOWFLAKE.fullmatch(part.id):
        return f"<#{part.id}>" if part.channel else f"<@{part.id}>"
    return literal(part.id)


def _escaped(match: re.Match[str]) -> str:
    """One place where markdown could begin, made literal: a backslash before the character that opens it."""
    token, kind = match.group(), match.lastgroup
    if kind == "url":
        return token if _keeps_link(match) else BROKEN_LINK.sub(r"\\\g<0>", token)
    if kind == "block":
        # The marker is the last character (a list's digits are followed by the `.` or `)` to escape).
        if token[-1].isdigit():
            return token + "\\"
        return token[:-1] + "\\" + token[-1]
    return "\\" + token


def _keeps_link(match: re.Match[str]) -> bool:
    """Whether the link is Discord's whole token and holds nothing live: then it is left clickable."""
    text, start, end = match.string, match.start(), match.end()
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return False  # glued to a word: Discord may start its token elsewhere
    run_end = run.end() if (run := RUN.match(text, end)) else end  # RUN matches the empty string: always a match
    tail = text[end:run_end]  # the trailing punctuation Discord's pattern gave back (`.`, `)`, `]` …)
    if re.search(MARK, tail) is not None or text.startswith("<", run_end):
        return False  # an escape there would join the link and leave what follows live
    return LIVE_IN_LINK.search(match.group()) is None


def line_start(text: str) -> str:
    """`literal` text cut at a space so that it now begins a line: a mark there (`-`, `#`, `1.`) is made literal too."""
    opening = _LINE_MARK.match(text)
    if opening is None:
        return text
    cut = opening.end() if opening.group().isdigit() else opening.start()  # after a list's number, before a mark
    return text[:cut] + "\\" + text[cut:]


def link(label: str, url: str | None) -> str:
    """A masked link `[label](url)` that shows `label` literally and leads to `url`; plain text when there is no web
    address to lead to (Discord links nothing but http and https). A label naming another host than the link's
    (`paypal.com` over `https://evil.example`) is replaced by the address, so a reader sees where the link goes."""
    shown = literal(label.strip()) or literal(url or "")
    if url is None or not url.lower().startswith(("https://", "http://")):
        return f"{shown} ({literal(url)})" if url else shown
    if not label_fits(label, url):
        shown = literal(url)
    # Within a label a bare address would be a link inside the link: its `://` is escaped as well.
    shown = re.sub(r"(?<!\\):(?=//)", r"\\:", shown)
    return f"[{shown}]({quote(url, safe=_URL_SAFE)})"
