"""`calendar` and `export` where no file can be attached (the console): what a chat would attach, and how to get it here.

In chat the adapters attach the file itself (`BriefingCore.file`); these handlers answer only the console, whose
reader has the server's command line at hand.
"""

from __future__ import annotations

from bot.core.choosing import elsewhere
from bot.core.context import Context
from bot.core.registry import Args
from bot.core.replies import Reply


async def calendar_here(ctx: Context, args: Args) -> Reply:
    """The calendar is a file: `briefbot export --ics` writes it."""
    return await _elsewhere(ctx, "calendar")


async def export_here(ctx: Context, args: Args) -> Reply:
    """The pack is a file: `briefbot export` writes it."""
    return await _elsewhere(ctx, "export")


async def _elsewhere(ctx: Context, command: str) -> Reply:
    """The file's command line, naming the briefing the answer is about unless it is the store's default, which `export`
    writes without `--briefing`: the console's own --briefing, or a `briefing:` on the line (None: the default answered)."""
    answered = ctx.request.briefing_id
    briefing = f" --briefing {answered}" if answered and await elsewhere(ctx.repository, answered, None) else ""
    return Reply(title=ctx.cat(f"file.{command}_title"), text=ctx.cat(f"file.{command}_here", briefing=briefing))
