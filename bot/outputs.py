"""Files the operator names for output (`new -o`, `export -o`, `migrate-pack --write`): written whole or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bot.errors import UserError


def write_output(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write `data` to `path`; any OSError is a UserError naming the path and why, with no partial file left.

    Without `replace` an existing file raises FileExistsError, left to the caller to explain.
    """
    try:
        if not replace:
            _create(path, data)
        elif _is_stream(path):
            path.write_bytes(data)  # a device or pipe (-o /dev/stdout): nothing to swap, no file to leave
        else:
            _swap(path.resolve(), data)  # through a link: the file it names is replaced, not the link
    except FileExistsError:
        raise
    except OSError as error:
        raise UserError("output.cannot_write", path=str(path), reason=error.strerror or type(error).__name__) from None


def _is_stream(path: Path) -> bool:
    """True when the path names something other than a regular file (a device, a pipe, a folder)."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:  # nothing there yet, or unreachable: writing it says why
        return False


def _create(path: Path, data: bytes) -> None:
    """A new file, never one written over; removed again when it cannot be written whole (a full disk)."""
    file = path.open("xb")
    try:
        with file:
            file.write(data)
    except OSError:
        path.unlink(missing_ok=True)
        raise


def _swap(path: Path, data: bytes) -> None:
    """Written beside the file, then renamed over it: a crash or a full disk leaves the old file or the new, never half."""
    # A name no one can guess, created here or not at all (O_EXCL): a link planted beside the file is never followed
    # and written through, and a partial file a crash left never blocks the next write. Not mkstemp: its 0600 would
    # replace the file's usual permissions (the umask's), which whoever reads the pack next may need.
    partial = path.with_name(f".{path.name}.{os.urandom(8).hex()}.partial")  # not `secrets`: it loads hashlib at every start
    file = os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb")
    try:
        with file:
            file.write(data)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)  # ours, half written
        raise
