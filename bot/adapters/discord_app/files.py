"""A file the core made for `/calendar` or `/export` (`CommandSpec.file`), as a Discord attachment.

The commands themselves are built from their specs like every other (commands.py); only their answer differs, a
file, which a core Reply cannot carry. The core decides who may have it and writes it; this only attaches the text.
"""

from __future__ import annotations

import io

import discord

from bot.adapters.discord_app.render import refusal
from bot.core.catalogue import Catalogue
from bot.core.formatting import size_label
from bot.core.registry import readers_text
from bot.core.replies import Reply
from bot.core.service import PackFile


def file_upload(
    file: PackFile, limit: int, cat: Catalogue, keys: str, naming: tuple[str, str]
) -> tuple[Reply, discord.File | None]:
    """A private answer with the file attached, made from bytes in memory; a refusal when Discord would reject the size.

    `keys` names the catalogue entries of the command (`{keys}_title`, `_done`, `_too_large`); `naming`
    (Request.command_naming) how the commands they name are typed in the reader's menu.
    """
    data = file.text.encode("utf-8")
    if len(data) > limit:
        size, most = size_label(len(data), cat.locale), size_label(limit, cat.locale, cap=True)
        return refusal(cat, f"{keys}_too_large", file=file.name, size=size, limit=most), None
    done = readers_text(cat, f"{keys}_done", naming, file=file.name)
    reply = Reply(title=cat(f"{keys}_title"), text=f"{done}\n\n{file.note}" if file.note else done)
    return reply, discord.File(io.BytesIO(data), filename=file.name)
