"""The log of `briefbot console`, on the terminal beside its answers: one line a record, one line an outage.

A person reads it: tracebacks, or asyncpg's pool retrying every half second while the database is down, bury
the answers, and the generic "Sorry, that did not work" already says that a command failed. Servers keep the
full log (bot/cli/); `log_level: DEBUG` gives the console the full log too.
"""

from __future__ import annotations

import logging

from bot.errors import SERVER_DOWN, SERVER_UP, NewerSchema, StoreUnreachable

# briefbot's own loggers; other libraries' (asyncpg's pool retrying, say) reach the console only from ERROR up.
_OWN = ("bot", "briefbot")
UNREACHABLE = "the database cannot be reached; commands that need it fail until it is back"


def log_to_console(level: int, form: str) -> None:
    """Send the log to stderr as the person at the console should read it."""
    handler = logging.StreamHandler()
    handler.addFilter(_Outages())
    handler.setFormatter(_OneLine(form))
    logging.basicConfig(level=level, handlers=[handler])


def _begins_outage(record: logging.LogRecord) -> bool:
    """Whether the record says the database server cannot be reached: the listener's word, or a command failing on it."""
    failure = record.exc_info[1] if record.exc_info else None
    return getattr(record, "server", None) == SERVER_DOWN["server"] or isinstance(failure, StoreUnreachable)


class _Outages(logging.Filter):
    """briefbot's records, with one for each outage of the database however many retries and commands fail in it."""

    def __init__(self) -> None:
        super().__init__()
        self._down = False

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether the console shows this record."""
        if record.name.split(".")[0] not in _OWN and record.levelno < logging.ERROR:
            return False
        if _begins_outage(record):
            said, self._down = self._down, True
            return not said
        if getattr(record, "server", None) == SERVER_UP["server"]:
            self._down = False
        return True


class _OneLine(logging.Formatter):
    """A record in one line: an outage in plain words, a store a newer release migrated with what to do, any other failure
    without its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        """The line, in the configured format."""
        failure = record.exc_info[1] if record.exc_info else None
        if _begins_outage(record):
            record = _reworded(record, UNREACHABLE)
        elif isinstance(failure, NewerSchema):  # a newer release migrated the store: what to do is in its own line
            record = _reworded(record, f"{record.getMessage()}: {failure}")
        elif record.exc_info:
            record = _reworded(record, f"{record.getMessage()} (log_level: DEBUG shows why)")
        return super().format(record)


def _reworded(record: logging.LogRecord, message: str) -> logging.LogRecord:
    """A copy of the record saying `message`, without its exception (other handlers keep the original)."""
    return logging.makeLogRecord({**record.__dict__, "msg": message, "args": (), "exc_info": None, "exc_text": None})
