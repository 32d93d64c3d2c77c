"""Sources' text files on the server: what `validate` and an admin's evidence edit check passages against."""

from __future__ import annotations

from pathlib import Path

from bot.core.model import Source
from bot.core.pack import MAX_PACK_BYTES
from bot.core.repository import SourceText
from bot.inputs import read_regular


def read_text(path: Path) -> str | None:
    """The file's text, None when it cannot be read as UTF-8 (absent, a folder, a pipe or device, unreadable) or is over
    the cap: its first megabyte alone would make every passage after it "not in the text"."""
    try:
        data = read_regular(path, MAX_PACK_BYTES)
        return data.decode("utf-8") if len(data) <= MAX_PACK_BYTES else None
    except (OSError, UnicodeDecodeError):
        return None


def not_utf8(path: Path) -> bool:
    """Whether the file reads but is no UTF-8 text (a PDF, a word processor's file, text saved in another encoding): the
    operator then extracts or saves its text as UTF-8, which a file that cannot be read at all would not help. A file
    over the cap is not read, whatever its bytes (a character cut at the cap is no encoding problem)."""
    try:
        data = read_regular(path, MAX_PACK_BYTES)
        if len(data) <= MAX_PACK_BYTES:
            data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    except OSError:
        return False
    return False


def source_text(source: Source, folder: Path | None) -> SourceText:
    """The text of the source's `text:` file, which a relative path finds from `folder` (its pack's); or why there is none."""
    if source.text is None:
        return SourceText(None, "admin.unchecked_no_text")
    path = Path(source.text)
    if not path.is_absolute():
        if folder is None:  # made in a chat, or loaded before the store recorded its pack's folder
            return SourceText(None, "admin.unchecked_no_folder")
        path = folder / path
    text = read_text(path)
    return SourceText(text, "" if text is not None else "admin.unchecked_unreadable")
