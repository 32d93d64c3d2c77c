"""A pack file a chat hands over for an import, checked one way whichever platform fetched it, before the core reads it."""

from __future__ import annotations

from bot.core.formatting import size_label
from bot.core.pack import MAX_PACK_BYTES
from bot.core.requests import Request
from bot.errors import UserError


def upload_cap(language: str) -> str:
    """The most a pack file may be, as the reader reads it ("1 MB"): the import's file field says it."""
    return size_label(MAX_PACK_BYTES, language, cap=True)


def refuse_size(request: Request, file: str, size: int) -> None:
    """Refuse a file over the cap: at the size its platform announces, before it costs a download, and at the size read."""
    if size > MAX_PACK_BYTES:
        raise UserError("import.too_large", file=file, size=size_label(size, request.locale), limit=upload_cap(request.locale))


def upload_text(request: Request, file: str, data: bytes) -> str:
    """The text of a fetched pack file (a byte-order mark dropped); a UserError when it is over the cap or not UTF-8."""
    refuse_size(request, file, len(data))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("import.not_text", file=file) from None


def unreadable(request: Request, file: str) -> UserError:
    """The platform did not hand the file over (its lookup or download failed): the reader's to send again."""
    return UserError("import.unreadable", file=file, platform=request.platform.capitalize())
