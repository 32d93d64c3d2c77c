"""`help [command]`: what each command does, its options and an example drawn from the briefing in use."""

from __future__ import annotations

from functools import lru_cache

from bot.core.catalogue import Catalogue
from bot.core.cldr import babel_locale
from bot.core.commands.hints import PARAMETERS, example_values, option_values
from bot.core.context import Context
from bot.core.index import BriefingIndex
from bot.core.registry import Args, CommandSpec, Option, local_command, local_option
from bot.core.replies import Field, Item, Reply
from bot.errors import UserError


# The list shows every command's: written once per command and language, as the code never changes them.
@lru_cache(maxsize=256)
def usage(spec: CommandSpec, language: str = "en") -> str:
    """"timeline [from:…] [to:…] …" built from the spec in the reader's words, so help never drifts from the code."""
    parts = [local_command(spec.name, language)]
    for option in spec.options:
        word = local_option(option.name, language)
        shown = f"<{word}>" if option.name == spec.positional else f"{word}:…"
        parts.append(shown if option.required else f"[{shown}]")
    return " ".join(parts)


def describe(spec: CommandSpec, cat: Catalogue, fills: dict[str, str]) -> str:
    """The command's one-line description, then (`help.more.<name>`) what only an example of this briefing shows."""
    text = cat(f"help.{spec.name}")
    more = f"help.more.{spec.name}"
    return f"{text} {cat(more, **fills)}" if cat.has(more) else text


def option_hint(spec: CommandSpec, option: Option, cat: Catalogue, index: BriefingIndex | None) -> str:
    """The option's generic description (what Discord and Slack register), with "such as" values of this briefing."""
    key = f"option.{spec.name}.{option.name}"
    values = option_values(index, option) if index is not None else ()
    return _hint(cat, key, values) if values else cat(key)


# A briefing's version after version shows the same few values (its first names, months, top topics): each hint is
# written once per language, option and values (Babel's list alone is ≈ 20 k instructions, more than the rest of a hint).
@lru_cache(maxsize=1024)
def _hint(cat: Catalogue, key: str, values: tuple[str, ...]) -> str:
    """The option's description followed by "such as X or Y" in the catalogue's language."""
    from babel.lists import format_list  # here: most cold `ask`s show no hint (Babel's import is ~13 M instructions)

    return cat("help.option_hint", text=cat(key), values=format_list(list(values), style="or", locale=babel_locale(cat.cldr)))


async def help_command(ctx: Context, args: Args) -> Reply:
    """The command list, or one command's options and an example."""
    cat = ctx.cat
    try:
        # In the reader's language, so an example's words find what that reader's answers show: the one the core found
        # for this place, else looked up (not `localized`, whose note that content is translated help does not show).
        index: BriefingIndex | None = ctx.shown or await ctx.indexes.get(ctx.repository, ctx.request.briefing_id, cat)
    except UserError:  # no briefing to read yet: help still answers, with placeholders
        index = None
    wanted = args.get("command")
    spec = ctx.registry.resolve(wanted) if wanted else None
    if index is None:
        return _help(ctx, spec, index)
    # The same for every reader of this version in this language (admins see more): built once. The index
    # is the version in the reader's language (see IndexCache), so the key need not name it.
    key = ("help", ctx.administers, spec.name if spec else "")
    return index.memo(key, lambda: _help(ctx, spec, index))


def _fills(cat: Catalogue, found: dict[str, str]) -> dict[str, str]:
    """Every parameter an example may name: the briefing's value, else the catalogue's placeholder."""
    return {name: found.get(name) or cat(f"placeholder.{name}") for name in PARAMETERS}


def _help(ctx: Context, spec: CommandSpec | None, index: BriefingIndex | None) -> Reply:
    """The list (`spec` None) or one command's help, with examples from `index` when there is a briefing."""
    cat = ctx.cat
    language = cat.locale
    # Worked out once per version and language: each command's page and the list use the same examples.
    fills = index.memo(("example values", language), lambda: _fills(cat, example_values(index))) if index is not None else _fills(cat, {})
    if spec is None:
        shown = ctx.registry.specs if ctx.administers else ctx.registry.public()
        items = tuple(
            Item(title=local_command(each.name, language), text=describe(each, cat, fills), meta=usage(each, language) if each.options else "")
            for each in shown
        )
        return Reply(title=cat("help.title"), text=cat("help.intro"), items=items, footer=cat("help.footer"))
    fields = [Field(cat("field.usage"), usage(spec, language))]
    fields += [Field(local_option(option.name, language), option_hint(spec, option, cat, index)) for option in spec.options]
    fields.append(Field(cat("field.example"), cat(f"example.{spec.name}", **fills)))
    return Reply(title=cat("help.one_title", command=local_command(spec.name, language)), text=describe(spec, cat, fills), fields=tuple(fields))
