"""The one error tree of briefbot.

    BriefbotError
    ├── UserError        expected problem; its message is shown to the user verbatim
    │   └── PackError    a briefing pack failed validation; carries every problem found
    ├── ConfigError      settings or environment are wrong; only the CLI turns it into an exit code
    │   └── TokenRejected  a platform refused its token: `run` stops that platform's bot and serves the others
    └── StoreError       the database failed in a way the user cannot fix (logged, generic reply)
        ├── StoreUnreachable  the database server cannot be reached right now (the console says so once an outage)
        ├── NewerSchema    a newer briefbot migrated the store: this process must not read or write it
        ├── DamagedStore   the database file is corrupt or not a database: restore a backup
        ├── ReadOnlyStore  the store refused a write: a read-only file, folder or database user (a UserError too)
        ├── StoreBusy      another process held the store's write lock past the busy timeout (a UserError too)
        └── DiskFull       the store's disk is full: the write was rolled back (a UserError too)

A user error holds a catalogue key and its parameters, not a finished sentence, so the reply can be
rendered in the requester's locale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec


class BriefbotError(Exception):
    """Root of every error briefbot raises on purpose."""


class UserError(BriefbotError):
    """An expected problem whose catalogue message is safe and useful to show the user."""

    def __init__(self, key: str, *, field_errors: Mapping[str, str] | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        # Messages by form field, so a form can show each one beside its input.
        self.field_errors: Mapping[str, str] = field_errors or {}


class PackProblem(msgspec.Struct, frozen=True):
    """One validation problem, located by file and path (`timeline[4].date`)."""

    file: str
    path: str
    key: str
    params: tuple[tuple[str, Any], ...] = ()


def key_as_written(key: object) -> str:
    """A mapping's key as a problem's path names it: as YAML writes it (`null:`, `true:`), not as Python prints it (`None`)."""
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


# The problems a PackError lists: past them it only counts. A 1 MB pack can hold 130,000 items each with a
# problem, and a list of them all is no use to anyone (nor a reply a chat can show).
MAX_PROBLEMS = 200


class PackError(UserError):
    """A briefing pack is invalid; nothing of it was loaded."""

    def __init__(self, problems: Sequence[PackProblem], more: int = 0, ids: Mapping[str, str] | None = None) -> None:
        """The first MAX_PROBLEMS problems found, and how many `more` there were past them; `ids`: the id of each item
        the pack gives one, by its path (`timeline[4]`), so a problem's line can name the item beside its position."""
        self.problems = tuple(problems[:MAX_PROBLEMS])
        self.more = more + len(problems) - len(self.problems)
        self.ids: Mapping[str, str] = ids or {}
        super().__init__("pack.invalid", n=len(self.problems) + self.more)


class ConfigError(BriefbotError):
    """Settings or environment are missing or wrong; the message names the culprit."""


class TokenRejected(ConfigError):
    """A platform refused its token, at start or later: only its own bot can do nothing until an operator fixes it."""


class StoreError(BriefbotError):
    """The store failed for a reason that is not the user's to fix."""


class StoreUnreachable(StoreError):
    """The database server is gone or refusing connections: every command fails alike until it is back."""


# `extra` of the log records that begin and end an outage of the database server, so that a log read by a
# person (the console's) can say it once rather than at every retry and every failed command.
SERVER_DOWN = {"server": "down"}
SERVER_UP = {"server": "up"}


class NewerSchema(StoreError):
    """The store's schema is newer than this briefbot knows: its writes would miss the newer tables, so it refuses at start and at each write."""

    def __init__(self, found: int, known: int, doing: str = "") -> None:
        said = (f"database schema {found} is newer than this briefbot ({known}): a newer briefbot has migrated it;"
                " nothing was written; stop and upgrade this process")
        super().__init__(f"{doing}: {said}" if doing else said)
        self.found, self.known = found, known

    def at(self, doing: str) -> NewerSchema:
        """The same refusal, its line beginning with what was refused where (`doing` names the file), for the operator to act on."""
        return NewerSchema(self.found, self.known, doing)


class DamagedStore(StoreError):
    """The database file is corrupt, truncated or not a SQLite database: no retry helps, only a backup, so its one line names the file."""


class ReadOnlyStore(StoreError, UserError):
    """The store accepts reads but refused a write: the operator can fix it, so it is said, not logged as a failure."""

    def __init__(self, doing: str) -> None:
        UserError.__init__(self, "store.read_only")
        self.args = (f"{doing}: the store is read-only",)  # what a log or `str()` shows: no catalogue key


class StoreBusy(StoreError, UserError):
    """Another process held the SQLite file's lock past the busy timeout: a wait, not a fault, so it is said, not logged as a failure."""

    def __init__(self, doing: str) -> None:
        UserError.__init__(self, "store.busy")
        self.args = (f"{doing}: the database is locked by another process",)  # what a log or `str()` shows: no catalogue key


class NoConnections(StoreError, UserError):
    """PostgreSQL has no connection left for briefbot's user or server: the operator's to fix (a smaller pool, a higher limit), so it is said."""

    def __init__(self, doing: str) -> None:
        UserError.__init__(self, "store.no_connections")
        self.args = (f"{doing}: PostgreSQL has no free connections",)  # what a log or `str()` shows: no catalogue key


class DiskFull(StoreError, UserError):
    """The store's disk is full and the write was rolled back: the operator can fix it, so it is said, not logged as a failure."""

    def __init__(self, doing: str) -> None:
        UserError.__init__(self, "store.disk_full")
        self.args = (f"{doing}: the disk is full",)  # what a log or `str()` shows: no catalogue key
