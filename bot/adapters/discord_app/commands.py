"""Slash commands built from the core's CommandSpecs, so an option added in the core appears on Discord.

discord.py reads a command's options from its callback's signature; each callback here gets a
synthetic `__signature__` with one typed, described parameter per core option, plus `public`, except on a
file command, whose file is always sent privately.
"""

from __future__ import annotations

import inspect
import keyword
from collections.abc import Iterable
from typing import Any, Protocol, cast

import discord
from discord import app_commands

from bot.adapters.discord_app.importing import import_command
from bot.adapters.discord_app.translator import CatalogueTranslator, described
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.i18n import DEFAULT_LANGUAGE
from bot.core.registry import MAX_PAGE, CommandSpec, Option, choice_key, readers_text

PUBLIC = "public"
CHOICE_LIMIT = 25
DISCORD_TEXT_LIMIT = 6000  # the longest string option Discord accepts
Suggestions = list[app_commands.Choice[str]]


class Handler(Protocol):
    """What the commands ask of `interaction.client`, so a tree can be built (and synced) without a core."""

    async def answer(self, interaction: discord.Interaction[Any], command: str, options: dict[str, str], public: bool) -> None: ...

    async def send_file(self, interaction: discord.Interaction[Any], command: str, options: dict[str, str]) -> None: ...

    async def suggest(self, interaction: discord.Interaction[Any], command: str, option: str, current: str) -> Suggestions: ...


async def add_commands(tree: app_commands.CommandTree[Any], specs: Iterable[CommandSpec]) -> None:
    """One slash command per spec, plus `/import` (it takes an attachment, which no spec's option can describe).

    Their text is English, what Discord shows a client in a language the bot lacks, and the translator gives the other
    languages' as localizations: `run` and `sync` both build their tree here, so they register one schema whatever the
    configured `locale:`. Admin commands need Manage Server by default and a server; that only hides them, the core
    checks again.
    """
    cat = catalogue_for(DEFAULT_LANGUAGE)
    for spec in specs:
        key = f"help.{spec.name}"
        command: app_commands.Command[Any, ..., Any] = app_commands.Command(
            name=app_commands.locale_str(spec.name), description=described(readers_text(cat, key), key), callback=_callback(spec, cat)
        )
        tree.add_command(_admin_only(command) if spec.admin else command)
    tree.add_command(_admin_only(import_command(cat)))
    await tree.set_translator(CatalogueTranslator())


def _admin_only(command: app_commands.Command[Any, ..., None]) -> app_commands.Command[Any, ..., None]:
    """Hidden from members without Manage Server, and from DMs, where no server's admins apply."""
    command.default_permissions = discord.Permissions(manage_guild=True)
    command.guild_only = True
    return command


def _callback(spec: CommandSpec, cat: Catalogue) -> Any:
    """A callback whose signature describes the spec's options; it forwards them as strings to the handler, which
    answers a file command (`CommandSpec.file`: /calendar, /export) with the file attached."""
    if spec.option(PUBLIC) is not None:
        raise ValueError(f"/{spec.name}: option {PUBLIC!r} is reserved by the Discord adapter")
    names = {_identifier(option.name): option.name for option in spec.options}
    # A file is sent privately, to be imported by whoever asked for it: a channel need not see one per request.
    flags = () if spec.file else (PUBLIC,)

    async def callback(interaction: discord.Interaction[Any], **values: Any) -> None:
        public = bool(values.pop(PUBLIC, False))
        options = {names[key]: str(value) for key, value in values.items() if value is not None}
        if spec.file:
            await cast(Handler, interaction.client).send_file(interaction, spec.name, options)
        else:
            await cast(Handler, interaction.client).answer(interaction, spec.name, options, public)

    parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)]
    parameters += [_parameter(option) for option in spec.options]
    parameters += [inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, default=False, annotation=bool) for key in flags]
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    descriptions = {_identifier(o.name): _described(cat, f"option.{spec.name}.{o.name}", **o.words) for o in spec.options}
    descriptions |= {key: _described(cat, f"option.{key}") for key in flags}
    # Every name is renamed to itself as a locale_str: that is what lets the Translator localise it.
    renames = {key: app_commands.locale_str(name) for key, name in (*names.items(), *((key, key) for key in flags))}
    choices = {
        _identifier(o.name): [app_commands.Choice(name=_choice(cat, c), value=c) for c in o.choices]
        for o in spec.options
        if o.kind == "choice" and 0 < len(o.choices) <= CHOICE_LIMIT
    }
    completers = {_identifier(o.name): _suggester(spec.name, o.name) for o in spec.options if o.complete is not None}
    # discord.py's own decorators, applied by hand because the parameters are only known at run time.
    for decorate in (app_commands.describe(**descriptions), app_commands.rename(**renames),
                     app_commands.choices(**choices), app_commands.autocomplete(**completers)):
        callback = decorate(callback)
    return callback


def _parameter(option: Option) -> inspect.Parameter:
    """A typed parameter; the bounds are shown by Discord's client, and the core validates them again."""
    if option.kind == "page":
        annotation: Any = app_commands.Range[int, 1, MAX_PAGE]
    elif option.kind == "number":
        annotation = app_commands.Range[int, 0, None]
    else:
        annotation = app_commands.Range[str, 1, min(option.limit, DISCORD_TEXT_LIMIT)]
    default = inspect.Parameter.empty if option.required else None
    return inspect.Parameter(_identifier(option.name), inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def _suggester(command: str, option: str) -> Any:
    async def suggest(interaction: discord.Interaction[Any], current: str) -> Suggestions:
        return await cast(Handler, interaction.client).suggest(interaction, command, option, current)

    return suggest


def _identifier(name: str) -> str:
    """A Python parameter name for an option (`from` → `from_`); Discord still shows the option's own name."""
    key = name.replace("-", "_")
    return key if key.isidentifier() and not keyword.iskeyword(key) else f"{key}_"


def _described(cat: Catalogue, key: str, **params: object) -> app_commands.locale_str:
    """A description in the default catalogue's words, translated from the same key (and `params`) for other languages;
    the values it names as the option's list shows them (each option is a field of its own here)."""
    return described(readers_text(cat, key, ("", ""), True, **params), key, **params)


def _choice(cat: Catalogue, value: str) -> app_commands.locale_str | str:
    """A choice's shown name: kinds (`kind.person`) and yes/no have words in the catalogue, names (slack) do not."""
    key = choice_key(value, cat)
    return value if key is None else app_commands.locale_str(value, key=key)

