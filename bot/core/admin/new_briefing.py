"""`briefing new id:… title:… [zone:…]`: an admin starts an empty story in chat; items follow with /add and the forms,
its summary and clock with `set kind:briefing`."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.pack import problem_lines, problem_message
from bot.core.registry import Args, local_option, readers_text
from bot.core.replies import Reply
from bot.core.skeleton import skeleton_briefing
from bot.errors import PackError, UserError

# The pack paths a new briefing's options fill: a problem there is the option's, not a file's (there is none).
_OPTIONS = {"briefing.id": "id", "briefing.title": "title", "briefing.zones[0].zone": "zone"}


async def new_briefing(ctx: Context, args: Args) -> Reply:
    """Create an empty briefing (placeholders where the format needs a value) on the venue's clock (`zone:`, UTC by
    default); an existing id is refused."""
    request = ctx.request
    briefing_id, title = args.get("id"), args.get("title")
    if not briefing_id or not title:
        raise UserError("briefing_new.missing")
    try:
        briefing = skeleton_briefing(briefing_id, title, args.get("zone") or "UTC")
    except PackError as error:  # the pack validator's own words, one line per problem, named by the option typed
        raise UserError("briefing_new.invalid", problems="\n".join(_problems(error, ctx))) from None
    await ctx.repository.create(briefing, request.user_id, request.platform)
    return Reply(title=ctx.cat("briefing_new.done", title=briefing.title, briefing=briefing.id), text=readers_text(
        ctx.cat, "briefing_new.next", briefing=briefing.id, set=ctx.slash("set"), add=ctx.slash("add"), use=ctx.slash("use"),
        remove=ctx.slash("remove"), zone=briefing.venue.zone,
    ))


def _problems(error: PackError, ctx: Context) -> list[str]:
    """`id: expected an id…` for an option the admin typed; any other problem as the validator words it."""
    lines = []
    for problem in error.problems:
        option = _OPTIONS.get(problem.path)
        if option is None:
            lines += problem_lines(PackError([problem]), ctx.cat)
        else:
            lines.append(f"{local_option(option, ctx.cat.locale)}: {problem_message(problem, ctx.cat)}")
    return lines
