"""`help [command]`: what each command does, its options and an example."""

from __future__ import annotations

from functools import lru_cache

from bot.core.catalogue import catalogue_for
from bot.core.context import Context
from bot.core.registry import Args, CommandSpec, Registry, local_command, local_option
from bot.core.replies import Field, Item, Reply


def usage(spec: CommandSpec, language: str = "en") -> str:
    """"timeline [from:…] [to:…] …" built from the spec in the reader's words, so help never drifts from the code."""
    parts = [local_command(spec.name, language)]
    for option in spec.options:
        word = local_option(option.name, language)
        shown = f"<{word}>" if option.name == spec.positional else f"{word}:…"
        parts.append(shown if option.required else f"[{shown}]")
    return " ".join(parts)


# The list is the same for every reader of a language and rank; built per request it was most of `/help`'s time.
@lru_cache(maxsize=64)
def listing(registry: Registry, language: str, administers: bool) -> tuple[Item, ...]:
    """Every command the reader may run, with what it does and its options."""
    cat = catalogue_for(language)
    shown = registry.specs if administers else registry.public()
    return tuple(
        Item(title=local_command(spec.name, language), text=cat(f"help.{spec.name}"), meta=usage(spec, language) if spec.options else "")
        for spec in shown
    )


async def help_command(ctx: Context, args: Args) -> Reply:
    """The command list, or one command's options and an example."""
    cat = ctx.cat
    language = cat.locale
    wanted = args.get("command")
    if not wanted:
        items = listing(ctx.registry, language, ctx.administers)
        return Reply(title=cat("help.title"), text=cat("help.intro"), items=items, footer=cat("help.footer"))
    spec = ctx.registry.resolve(wanted)
    fields = [Field(cat("field.usage"), usage(spec, language))]
    fields += [Field(local_option(option.name, language), cat(f"option.{spec.name}.{option.name}")) for option in spec.options]
    fields.append(Field(cat("field.example"), cat(f"example.{spec.name}")))
    return Reply(title=cat("help.one_title", command=local_command(spec.name, language)), text=cat(f"help.{spec.name}"), fields=tuple(fields))
