"""Files the operator names for the bot to read (the settings file, sources' texts): regular files only, read no further than a cap."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# Opened without waiting: opening a FIFO waits for a writer, which may never come. Windows has neither the flag nor FIFOs.
_OPEN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)


class NotRegularFile(OSError):
    """A pipe, device or socket where a file belongs: it may never end (`/dev/zero`) or never answer (a FIFO)."""


def read_regular(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of the file (one past the cap shows it is over): OSError as opening it raises,
    IsADirectoryError for a folder and NotRegularFile for anything else that is no regular file."""
    descriptor = os.open(path, _OPEN)
    try:
        mode = os.fstat(descriptor).st_mode  # of what was opened: the name may have been swapped since any earlier look
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        with open(descriptor, "rb", closefd=False) as file:
            return file.read(limit + 1)
    finally:
        os.close(descriptor)
