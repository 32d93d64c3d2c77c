"""The WAL index's header, read from SQLite's `-shm` file: it is rewritten by every commit of any connection.

`PRAGMA data_version` opens a read transaction, whose shared lock costs two `fcntl` calls; asked on every
request, it was ≈ 4 µs of each (docs/benchmarks-log.md, "Round 22: the probe's look"). The header holds two
48-byte copies of the WAL's state (frames, salts, checksums, a count of commits) at the start of the file; every commit,
WAL restart or checkpoint that moves the state writes them (sqlite.org/walformat.html, for the unix and
windows VFSes). So a header unchanged since the last `data_version` means no commit since then; a changed
one (or one read while being written) only means asking `data_version` again.
"""

from __future__ import annotations

import mmap
import sqlite3
import sys
from pathlib import Path

_HEADERS = 96  # both copies of the header; what follows (read marks) moves with every reader, writes or not
_INDEX_VERSION = 3007000  # WALINDEX_MAX_VERSION, the only layout SQLite has written since 3.7.0
_IS_INIT = 12  # offset of the byte set once the header is built


class WalHeader:
    """The header mapped read-only; mapped only while a connection of this process holds the WAL index open.

    SQLite truncates the `-shm` file only when it is the first to open it, which it cannot be while any
    connection here holds it: reading a truncated mapping would end the process (SIGBUS).
    """

    __slots__ = ("_mapped",)

    def __init__(self, mapped: mmap.mmap) -> None:
        self._mapped = mapped

    @classmethod
    def of(cls, database: Path | str, reader: sqlite3.Connection) -> WalHeader | None:
        """The header of the WAL index `reader` (open on `database`) uses; None, so every look asks, if it may not be one."""
        try:
            if reader.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                return None  # a `-shm` left from before the file left WAL would never move
        except sqlite3.Error:
            return None
        try:  # beside the file SQLite opened, a symbolic link resolved
            with open(f"{Path(database).resolve()}-shm", "rb") as file:
                mapped = mmap.mmap(file.fileno(), _HEADERS, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # no such file (not in WAL), or shorter than a header
            return None
        if int.from_bytes(mapped[:4], sys.byteorder) != _INDEX_VERSION or mapped[_IS_INIT] != 1:  # machine-endian
            mapped.close()
            return None
        return cls(mapped)

    def read(self) -> bytes:
        """Both copies of the header as they are now."""
        return self._mapped[:_HEADERS]

    def close(self) -> None:
        """Unmapped before the connections close (see the class)."""
        self._mapped.close()
