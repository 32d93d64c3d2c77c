"""`help [command]`: what each command does, its options and an example."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.registry import Args, CommandSpec, local_command, local_option
from bot.core.replies import Field, Item, Reply


def usage(spec: CommandSpec, language: str = "en") -> str:
    """"timeline [from:…] [to:…] …" built from the spec in the reader's words, so help never drifts from the code."""
    parts = [local_command(spec.name, language)]
    for option in spec.options:
        word = local_option(option.name, language)
        shown = f"<{word}>" if option.name == spec.positional else f"{word}:…"
        parts.append(shown if option.required else f"[{shown}]")
    return " ".join(parts)


async def help_command(ctx: Context, args: Args) -> Reply:
    """The command list, or one command's options and an example."""
    cat = ctx.cat
    language = cat.locale
    wanted = args.get("command")
    if not wanted:
        shown = ctx.registry.specs if ctx.administers else ctx.registry.public()
        items = tuple(
            Item(title=local_command(spec.name, language), text=cat(f"help.{spec.name}"), meta=usage(spec, language) if spec.options else "")
            for spec in shown
        )
        return Reply(title=cat("help.title"), text=cat("help.intro"), items=items, footer=cat("help.footer"))
    spec = ctx.registry.resolve(wanted)
    fields = [Field(cat("field.usage"), usage(spec, language))]
    fields += [Field(local_option(option.name, language), cat(f"option.{spec.name}.{option.name}")) for option in spec.options]
    fields.append(Field(cat("field.example"), cat(f"example.{spec.name}")))
    return Reply(title=cat("help.one_title", command=local_command(spec.name, language)), text=cat(f"help.{spec.name}"), fields=tuple(fields))
