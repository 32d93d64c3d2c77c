"""Slack mrkdwn primitives: escaping data, clipping to limits, links and viewer-local date tokens."""

from __future__ import annotations

from datetime import UTC, datetime

ELLIPSIS = "…"
# Characters that would end or split a `<url|label>` link early; percent-encoding keeps the URL valid.
_URL_ESCAPES = str.maketrans({"|": "%7C", "<": "%3C", ">": "%3E", " ": "%20"})


def escape(text: str) -> str:
    """Data as literal text: `<!channel>` or `<@U1>` in a pack must never ping anyone or link."""
    # `&` first, so the entities made next are not escaped again; three replaces beat one mapping
    # `translate` several times over, and escaping was most of a Slack answer's rendering time.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, marking the cut, and never inside an `&…;` entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + ELLIPSIS


def link(url: str | None, label: str) -> str:
    """A labelled link for http(s) URLs; anything else is shown as plain escaped text."""
    if not url or not url.lower().startswith(("https://", "http://")):
        return escape(label)
    return f"<{escape(url.translate(_URL_ESCAPES))}|{escape(label)}>"


def date_token(moment: datetime) -> str:
    """Slack's `<!date>` token: each reader sees the instant in their own clock, UTC as fallback."""
    instant = moment.astimezone(UTC)
    fallback = instant.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(instant.timestamp())}^{{date_long_pretty}} {{time}}|{fallback}>"
