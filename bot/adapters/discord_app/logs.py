"""Interaction tokens and webhook URLs never reach the logs, whatever the level.

Whoever holds an interaction's token can answer and edit messages as the bot for 15 minutes, and a
webhook URL carries its webhook's token. discord.py writes both: every REST call's URL (callbacks and
followups have the token in the path) at DEBUG, and on a rate limit at WARNING; every gateway event
(an INTERACTION_CREATE holds `token`) and a webhook route's rate-limit key (`id+token`) at DEBUG.
A filter on each of its loggers rewrites such records before any handler sees them.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
SECRETS = re.compile(
    # A callback, followup or webhook URL: /interactions/{id}/{token}/…, /webhooks/{id}/{token}
    r"(?P<path>/(?:interactions|webhooks)/\d+/)[^/\s?#'\"]+"
    # An event or payload field, as JSON or as a Python dict's repr: "token": "…", 'token': '…'
    r"|(?P<field>[\"']token[\"']\s*:\s*[\"'])[^\"']+"
    # A webhook route's rate-limit key: the id, a plus, the token (channel and guild ids are digits only)
    r"|(?P<major>\d\+)(?=[\w.\-]*[^\W\d])[\w.\-]+"
)


def redact(text: str) -> str:
    """`text` with every interaction or webhook token replaced by a marker."""
    return SECRETS.sub(lambda match: (match["path"] or match["field"] or match["major"]) + REDACTED, text)


class TokenFilter(logging.Filter):
    """Rewrites a record's message (and its traceback, which may hold a URL) without the tokens in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def keep_tokens_out_of_logs() -> None:
    """Install the filter on discord.py's loggers, once: a logger's filter sees only its own records."""
    manager = logging.Logger.manager
    for name in ["discord", *(n for n in manager.loggerDict if n.startswith("discord."))]:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, TokenFilter) for existing in logger.filters):
            logger.addFilter(TokenFilter())
