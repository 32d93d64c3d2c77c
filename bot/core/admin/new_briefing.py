"""`briefing new id:… title:…`: an admin starts an empty story in chat; items follow with /add and the forms."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.pack import problem_lines
from bot.core.registry import Args
from bot.core.replies import Reply
from bot.core.skeleton import skeleton_briefing
from bot.errors import PackError, UserError


async def new_briefing(ctx: Context, args: Args) -> Reply:
    """Create an empty briefing (placeholders where the format needs a value); an existing id is refused."""
    request = ctx.request
    briefing_id, title = args.get("id"), args.get("title")
    if not briefing_id or not title:
        raise UserError("briefing_new.missing")
    try:
        briefing = skeleton_briefing(briefing_id, title)
    except PackError as error:  # the pack validator's own words, one line per problem
        raise UserError("briefing_new.invalid", problems="\n".join(problem_lines(error, ctx.cat))) from None
    await ctx.repository.create(briefing, request.user_id, request.platform)
    return Reply(title=ctx.cat("briefing_new.done", title=briefing.title, briefing=briefing.id), text=ctx.cat("briefing_new.next", briefing=briefing.id))
