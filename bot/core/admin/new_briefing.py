"""`briefing new id:… title:… [zone:…] [language:…]`: an admin starts an empty story in chat; items follow with /add and
the forms, its summary, clock and language with `set kind:briefing`."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from bot.core.catalogue import Catalogue
from bot.core.checker import ID_LIMIT
from bot.core.context import Context
from bot.core.i18n import typed_language
from bot.core.kinds import HEAD_FIELDS
from bot.core.localize import language_name_in
from bot.core.pack import problem_lines, problem_message
from bot.core.registry import Args, local_option, readers_text
from bot.core.replies import Reply
from bot.core.skeleton import placeholder, skeleton_briefing
from bot.errors import PackError, UserError

# The pack paths a new briefing's options fill: a problem there is the option's, not a file's (there is none).
_OPTIONS = {"briefing.id": "id", "briefing.title": "title", "briefing.zones[0].zone": "zone", "language": "language"}
_HEAD = {f.name: f for f in HEAD_FIELDS}
# The modal's inputs when the command lacks the id or title: (option, its longest value, required); the core checks
# each again. Both chats' modals ask for these, in this order; each, and the command's option, takes what the briefing's
# id or head field may hold (`checker.ID_LIMIT`, `HEAD_FIELDS`), so neither stops a value validation takes.
INPUTS = (
    ("id", ID_LIMIT, True), ("title", _HEAD["title"].limit, True), ("zone", _HEAD["zone"].limit, False),
    ("language", _HEAD["language"].limit, False),
)


class ModalInput(msgspec.Struct, frozen=True):
    """One input of the modal: the option it fills (its id in the submission), its word and help as the reader reads them,
    the value it opens with, and why the value the command gave is not that one (empty when it is)."""

    name: str
    label: str
    hint: str
    limit: int
    required: bool
    value: str
    note: str


def modal_inputs(cat: Catalogue, given: Mapping[str, str]) -> tuple[ModalInput, ...]:
    """The modal's inputs labelled as the reader's menu names the options (`título`, not `title`), so the form and a typed
    `briefing new título:…` use one word, and both chats show the same. Each opens with what the command gave unless that
    is longer than the input holds: both chats refuse the whole modal over one such value, so it is left out, said why."""
    inputs = []
    for name, limit, needed in INPUTS:
        label, value = local_option(name, cat.locale), given.get(name, "")
        note = cat("briefing_new.too_long", field=label, limit=limit) if len(value) > limit else ""
        inputs.append(ModalInput(name, label, readers_text(cat, f"option.briefing.{name}"), limit, needed, "" if note else value, note))
    return tuple(inputs)


def lacks_inputs(options: Mapping[str, str]) -> bool:
    """`briefing new` (its options named, in English) that lacks a required input: both chats ask for them in the modal."""
    return options.get("action") == "new" and not all(options.get(name) for name, _, needed in INPUTS if needed)


async def new_briefing(ctx: Context, args: Args) -> Reply:
    """Create an empty briefing (placeholders where the format needs a value) on the venue's clock (`zone:`, UTC by
    default), its text in `language:` (by default the one the admin reads in, which the answer says); an existing id is refused."""
    request = ctx.request
    briefing_id, title = args.get("id"), args.get("title")
    if not briefing_id or not title:
        raise UserError("briefing_new.missing")
    given = args.get("language")
    try:
        briefing = skeleton_briefing(briefing_id, title, args.get("zone") or "UTC", typed_language(given) if given else ctx.cat.locale)
    except PackError as error:  # the pack validator's own words, one line per problem, named by the option typed
        lines, fields = _problems(error, ctx)
        raise UserError("briefing_new.invalid", field_errors=fields, problems="\n".join(lines)) from None
    try:
        await ctx.repository.create(briefing, request.user_id, request.platform)
    except UserError as error:  # an id in use: a form shows it beside the id, the rest of what was typed kept
        if error.key != "briefing.exists":
            raise
        raise UserError(error.key, field_errors={"id": ctx.cat(error.key, **error.params)}, **error.params) from None
    said = {"briefing": briefing.id, "set": ctx.slash("set"), "add": ctx.slash("add"), "use": ctx.slash("use"), "remove": ctx.slash("remove")}
    # Where each option is a field of its own, `set` takes no `summary:…`: one `field:` and `value:`, or the form.
    typed = "_fields" if request.options_in_fields else ""
    naming = request.command_naming
    language = readers_text(
        ctx.cat, ("briefing_new.language" if given else "briefing_new.language_yours") + typed, naming, **said,
        language=language_name_in(briefing.language, ctx.cat), code=briefing.language,
    )
    # `use` chooses for a server or workspace (`team_id`) or one of their channels; with neither here, the surface says what does.
    choose = "briefing_new.choose_here" if request.team_id else request.choose_hint
    # The placeholder as the briefing says it (its own language), so the admin can find each one to replace.
    next_steps = readers_text(
        ctx.cat, "briefing_new.next" + typed, naming, **said, zone=briefing.venue.zone, placeholder=placeholder(briefing.language),
    )
    return Reply(
        title=ctx.cat("briefing_new.done", title=briefing.title, briefing=briefing.id),
        text=f"{next_steps} {readers_text(ctx.cat, choose, naming, **said)}\n\n{language}",
    )


def _problems(error: PackError, ctx: Context) -> tuple[list[str], dict[str, str]]:
    """`id: expected an id…` for an option the admin typed, any other problem as the validator words it; and each
    option's first problem by its name, for a form to show beside that input."""
    lines: list[str] = []
    fields: dict[str, str] = {}
    for problem in error.problems:
        option = _OPTIONS.get(problem.path)
        if option is None:
            lines += problem_lines(PackError([problem]), ctx.cat)
        else:
            message = problem_message(problem, ctx.cat)
            lines.append(f"{local_option(option, ctx.cat.locale)}: {message}")
            fields.setdefault(option, message)
    return lines, fields
